//! `tgexport convert`: exports to JSON, JSON Lines, CSV or text.
//!
//! Every input streams through in memory bounded by its largest message: it is read on a
//! thread of its own, a few messages ahead of the writing, so parsing and serialising run
//! side by side. Several inputs are written one after another, in input order.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;

use chrono::FixedOffset;
use clap::ValueEnum;
use tgexport::analysis::{Markers, plain_text};
use tgexport::write::OutputFormat;
use tgexport::{Error, Message, Reader};

use super::InputArgs;
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
    /// Drop messages that repeat across inputs (same channel and id, or same text).
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

fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    text.parse()
        .map_err(|_| format!("expected a UTC offset such as +03:00 or -05:30, found {text:?}"))
}

pub fn run(args: &Args) -> Result<(), Error> {
    let inputs = inputs::expand(&args.input)?;
    match &inputs[..] {
        [input] if !args.dedupe => {
            let mut reader = adjusted(read_ahead(input, &args.input, true)?, args, None);
            output::write_to(args.output.as_deref(), |out| {
                tgexport::write::write(&mut reader, args.to.format(), out)
                    .map(drop)
                    .map_err(|e| input.blame(e))
            })
        }
        _ => convert_many(&inputs, args),
    }
}

/// `input` opened and read on a thread of its own (see [`Reader::spawn`]), when there is
/// a second core to read on; on one core, the hand-offs would only cost.
fn read_ahead(
    input: &Input,
    args: &InputArgs,
    show_progress: bool,
) -> Result<Reader<'static>, Error> {
    if std::thread::available_parallelism().is_ok_and(|cores| cores.get() < 2) {
        return inputs::open(input, args, show_progress);
    }
    let (input, args) = (input.clone(), args.clone());
    Reader::spawn(move || inputs::open(&input, &args, show_progress))
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

fn convert_many(inputs: &[Input], args: &Args) -> Result<(), Error> {
    let progress = inputs::files_progress(inputs.len(), &args.input);
    let mut seen = args.dedupe.then(HashSet::new);
    let mut dropped = 0usize;
    output::write_to(args.output.as_deref(), |out| {
        let mut sink = Sink::start(args.to.format(), out)?;
        for input in inputs {
            let reader = adjusted(
                read_ahead(input, &args.input, false)?,
                args,
                Some(input.name()),
            );
            let reader = match &mut seen {
                Some(seen) => {
                    let channel = reader
                        .channel()
                        .and_then(|c| c.id.map(|id| id.to_string()).or(c.title.clone()));
                    let dropped = &mut dropped;
                    reader.retain(move |m| {
                        let key = dedupe_key(channel.as_deref(), m);
                        let new = key.is_none_or(|key| seen.insert(key));
                        *dropped += usize::from(!new);
                        new
                    })
                }
                None => reader,
            };
            sink.write(reader).map_err(|e| input.blame(e))?;
            progress.inc(1);
        }
        sink.finish()
    })?;
    progress.finish_and_clear();
    if args.dedupe && !args.input.quiet {
        eprintln!(
            "--dedupe dropped {dropped} repeated message{}",
            if dropped == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// What makes two messages the same: channel and id where there is an id, else the text
/// with markers, keycaps, case and spacing normalised. Messages with neither are kept.
fn dedupe_key(channel: Option<&str>, message: &Message) -> Option<u64> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match message.id {
        Some(id) => (channel, id).hash(&mut hasher),
        None => {
            let text = plain_text(message, Markers::Strip).to_lowercase();
            let words: Vec<&str> = text.split_whitespace().collect();
            if words.is_empty() {
                return None;
            }
            words.hash(&mut hasher);
        }
    }
    Some(hasher.finish())
}

/// Writes several exports in one output: a JSON array of exports, or the messages of all
/// of them as JSON Lines, CSV rows (one header) or text.
enum Sink<'w> {
    Json {
        out: &'w mut dyn Write,
        first: bool,
    },
    Csv(Box<tgexport::write::CsvTable<&'w mut dyn Write>>),
    Stream {
        out: &'w mut dyn Write,
        format: OutputFormat,
    },
}

impl<'w> Sink<'w> {
    fn start(format: OutputFormat, out: &'w mut dyn Write) -> Result<Self, Error> {
        Ok(match format {
            OutputFormat::Json => {
                out.write_all(b"[")?;
                Self::Json { out, first: true }
            }
            OutputFormat::Csv => Self::Csv(Box::new(tgexport::write::CsvTable::new(out)?)),
            format => Self::Stream { out, format },
        })
    }

    fn write(&mut self, mut reader: Reader<'_>) -> Result<(), Error> {
        match self {
            Self::Json { out, first } => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                let indented = Indented {
                    out: &mut **out,
                    newline: false,
                };
                tgexport::write::json(&mut reader, indented)?;
                *first = false;
            }
            Self::Csv(table) => table.write(&mut reader)?,
            Self::Stream { out, format } => {
                tgexport::write::write(&mut reader, *format, &mut **out)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Self::Json { out, first } => out.write_all(if first { b"]\n" } else { b"\n]\n" })?,
            Self::Csv(table) => drop(table.finish()?),
            Self::Stream { .. } => {}
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
