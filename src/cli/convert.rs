//! `tgexport convert`: exports to JSON, JSON Lines, CSV or text.
//!
//! Every input streams through in memory bounded by its largest message, read a bounded
//! number of messages ahead of the writing on the other cores (see `read_ahead`).
//! Several inputs are written one after another, in input order.

use std::io::Write;
use std::path::PathBuf;

use chrono::FixedOffset;
use clap::ValueEnum;
use tgexport::write::OutputFormat;
use tgexport::{Error, Format, Reader};

use super::InputArgs;
use super::dedupe::Dedupe;
use super::diagnostic::Diagnostics;
use super::inputs::{self, Input};
use super::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Output form.
    #[arg(long, value_enum, default_value_t = To::Json)]
    to: To,
    /// Write here instead of standard output; written whole or not at all.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Drop messages an earlier input had (same channel and id, or same text, at the same
    /// time where both say).
    #[arg(long)]
    dedupe: bool,
    /// UTC offset of exports that wrote local times without one (`+03:00`).
    #[arg(long, value_parser = parse_offset, allow_hyphen_values = true)]
    tz: Option<FixedOffset>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum To {
    Json,
    Jsonl,
    Text,
    Csv,
}

impl To {
    fn format(self) -> OutputFormat {
        match self {
            Self::Json => OutputFormat::Json,
            Self::Jsonl => OutputFormat::Jsonl,
            Self::Text => OutputFormat::Text,
            Self::Csv => OutputFormat::Csv,
        }
    }
}

impl Args {
    pub fn strict(&self) -> bool {
        self.input.strict
    }
}

fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    text.parse()
        .map_err(|_| format!("expected a UTC offset such as +03:00 or -05:30, found {text:?}"))
}

pub fn run(args: &Args, diagnostics: &mut Diagnostics) -> Result<(), Error> {
    let inputs = inputs::expand(&args.input)?;
    // One input is written as itself; several (or any `--dedupe` run) as one collection.
    let many = inputs.len() > 1 || args.dedupe;
    let progress = inputs::files_progress(inputs.len(), &args.input);
    let mut dedupe = args.dedupe.then(Dedupe::default);
    output::write_to(args.output.as_deref(), |out, failure| {
        let mut sink = Sink::start(args.to.format(), many, out)?;
        for input in &inputs {
            let source = many.then(|| input.name());
            let reader = match read_ahead(input, &args.input, !many) {
                Ok(reader) => adjusted(reader, args, source),
                Err(err) => {
                    match input.skipped(&err) {
                        Some(warning) => diagnostics.warn(input.path(), &[warning]),
                        None => diagnostics.error(&err),
                    }
                    continue;
                }
            };
            let mut reader: Reader<'_> = match &mut dedupe {
                Some(dedupe) => {
                    let channel = reader.channel().cloned();
                    reader.retain(move |m| dedupe.keep(channel.as_ref(), m))
                }
                None => reader,
            };
            let written = sink.write(&mut reader);
            // The output failing ends the run; an input failing, only that input.
            if let Some(err) = failure.take() {
                return Err(err);
            }
            diagnostics.warn(input.path(), &reader.warnings());
            drop(reader);
            if let Some(dedupe) = &mut dedupe {
                dedupe.next_input();
            }
            if let Err(err) = written {
                diagnostics.error(&input.blame(err));
            }
            progress.inc(1);
        }
        sink.finish()?;
        output::refuse_if_failed(args.output.as_deref(), diagnostics, args.input.strict)
    })?;
    progress.finish_and_clear();
    if let Some(Dedupe { dropped, .. }) = dedupe
        && !args.input.quiet
    {
        eprintln!(
            "--dedupe dropped {dropped} repeated message{}",
            if dropped == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// `input` opened to use every core: HTML is parsed on a thread of its own already, any
/// other input is read on a thread of its own (see [`Reader::spawn`]), and JSON Lines are
/// serialised on a pool (see [`Reader::parallel`]). A `result.json` is read ahead rather
/// than decoded on the pool: finding each message's end exactly, which the pool needs,
/// cost more on real exports than the pool won (best of 5 on two cores, trantor x50:
/// 1.43 s pooled, 1.00 s read ahead, 1.31 s on one core). On one core, read here: the
/// hand-offs would only cost.
fn read_ahead(
    input: &Input,
    args: &InputArgs,
    show_progress: bool,
) -> Result<Reader<'static>, Error> {
    let reader = inputs::open(input, args, show_progress)?;
    if std::thread::available_parallelism().is_ok_and(|cores| cores.get() < 2) {
        return Ok(reader);
    }
    let reader = match reader.format() {
        Format::TdesktopHtml | Format::TmeHtml => reader,
        _ => Reader::spawn(move || Ok(reader))?,
    };
    reader.parallel().map_err(|e| input.blame(e))
}

/// The reader with `--tz` applied and, for several inputs, each message tagged with its source.
fn adjusted(reader: Reader<'static>, args: &Args, source: Option<String>) -> Reader<'static> {
    let tz = args.tz;
    reader.adjust(move |message| {
        if let Some(offset) = tz {
            message.assume_offset(offset);
        }
        message.source.clone_from(&source);
    })
}

/// Writes the exports of a run in one output: one input as itself; several as a JSON
/// array of exports, or the messages of all of them as JSON Lines, CSV rows (one header)
/// or text.
enum Sink<'w> {
    Json {
        out: &'w mut dyn Write,
        /// Whether the output is an array of exports, and still empty.
        array: Option<bool>,
    },
    Csv(Box<tgexport::write::CsvTable<&'w mut dyn Write>>),
    Stream {
        out: &'w mut dyn Write,
        format: OutputFormat,
    },
}

impl<'w> Sink<'w> {
    fn start(format: OutputFormat, many: bool, out: &'w mut dyn Write) -> Result<Self, Error> {
        Ok(match format {
            OutputFormat::Json => {
                if many {
                    out.write_all(b"[")?;
                }
                Self::Json {
                    out,
                    array: many.then_some(true),
                }
            }
            OutputFormat::Csv => Self::Csv(Box::new(tgexport::write::CsvTable::new(out)?)),
            format => Self::Stream { out, format },
        })
    }

    /// Writes the messages of `reader`; whatever it has written is complete (JSON
    /// closed, whole rows) even when reading fails.
    fn write(&mut self, reader: &mut Reader<'_>) -> Result<(), Error> {
        match self {
            Self::Json {
                out,
                array: Some(first),
            } => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                *first = false;
                let indented = Indented {
                    out: &mut **out,
                    newline: false,
                };
                tgexport::write::json(reader, indented)?;
            }
            Self::Json { out, array: None } => {
                tgexport::write::json(reader, &mut **out)?;
            }
            Self::Csv(table) => table.write(reader)?,
            Self::Stream { out, format } => {
                tgexport::write::write(reader, *format, &mut **out)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Self::Json {
                out,
                array: Some(first),
            } => out.write_all(if first { b"]\n" } else { b"\n]\n" })?,
            Self::Csv(table) => drop(table.finish()?),
            Self::Json { array: None, .. } | Self::Stream { .. } => {}
        }
        Ok(())
    }
}

/// Writes through to `out`, indenting every line after the first by two spaces and holding
/// back a last newline: one export's JSON, as a member of the array of exports.
struct Indented<'w> {
    out: &'w mut dyn Write,
    /// A newline was written to this writer and not yet passed on.
    newline: bool,
}

impl Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while !rest.is_empty() {
            if std::mem::take(&mut self.newline) {
                self.out.write_all(b"\n  ")?;
            }
            let line_end = memchr::memchr(b'\n', rest);
            self.out
                .write_all(&rest[..line_end.unwrap_or(rest.len())])?;
            self.newline = line_end.is_some();
            rest = line_end.map_or(&[], |end| &rest[end + 1..]);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_writes_as_replacing_newlines_whatever_the_pieces() {
        let json = "{\n  \"a\": [\n\n    1\n  ]\n}\n";
        let expected = json.trim_end().replace('\n', "\n  ");
        for piece in 1..json.len() {
            let mut out = Vec::new();
            let mut indented = Indented {
                out: &mut out,
                newline: false,
            };
            for chunk in json.as_bytes().chunks(piece) {
                indented.write_all(chunk).unwrap();
            }
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "pieces of {piece}"
            );
        }
    }
}
