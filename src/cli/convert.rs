//! `tgexport convert`: exports to JSON, JSON Lines, CSV, Parquet or text.
//!
//! Every input streams through in memory bounded by its largest message, read a bounded
//! number of messages ahead of the writing on the other cores (see `read_ahead`).
//! Several inputs are written one after another, in input order.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use clap::ValueEnum;
use tgexport::write::OutputFormat;
use tgexport::{Error, Format, Reader, Warning};

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
    /// Parquet, one row per message (needs `-o`).
    Parquet,
}

impl Args {
    pub fn strict(&self) -> bool {
        self.input.strict
    }

    /// For `--to parquet`, the folder to write one file per input into, when `-o` names
    /// one (an existing folder, or a path ending in `/`). Refuses Parquet without `-o`
    /// and Parquet to a terminal: binary output is for files and pipes.
    fn parquet_folder(&self) -> Result<Option<PathBuf>, clap::Error> {
        if !matches!(self.to, To::Parquet) {
            return Ok(None);
        }
        let Some(path) = &self.output else {
            return Err(usage(
                "--to parquet writes a binary file: name it with -o FILE, or -o DIR/ for one \
                 file per input",
            ));
        };
        let text = path.as_os_str().to_string_lossy();
        if path.is_dir() || text.ends_with(std::path::is_separator) {
            return Ok(Some(path.clone()));
        }
        let terminal = path.exists()
            && !path.is_file()
            && std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .is_ok_and(|device| device.is_terminal());
        if terminal {
            return Err(usage(&format!(
                "not writing binary Parquet to the terminal {}: name a file with -o",
                path.display()
            )));
        }
        Ok(None)
    }
}

/// A refusal of what the arguments ask: a usage error, as clap reports them (exit code 2).
fn usage(message: &str) -> clap::Error {
    use clap::CommandFactory;
    super::Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message)
}

fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    text.parse()
        .map_err(|_| format!("expected a UTC offset such as +03:00 or -05:30, found {text:?}"))
}

pub fn run(args: &Args, diagnostics: &mut Diagnostics) -> Result<(), Error> {
    let inputs = inputs::expand(&args.input)?;
    let folder = args.parquet_folder().unwrap_or_else(|usage| usage.exit());
    // One input is written as itself; several (or any `--dedupe` run, or a folder of
    // files) as one collection.
    let many = inputs.len() > 1 || args.dedupe || folder.is_some();
    let progress = inputs::files_progress(inputs.len(), &args.input);
    let mut dedupe = args.dedupe.then(Dedupe::default);
    let mut run = Run {
        args,
        many,
        diagnostics,
    };
    match folder {
        Some(folder) => run.one_file_each(&inputs, &folder, &mut dedupe, &progress)?,
        None => output::write_to(args.output.as_deref(), |out, failure| {
            let mut sink = Sink::start(args.to, many, out)?;
            for input in &inputs {
                let Some(mut reader) = run.open(input, dedupe.as_mut()) else {
                    continue;
                };
                run.write(input, &mut reader, &mut sink, failure)?;
                drop(reader);
                if let Some(dedupe) = &mut dedupe {
                    dedupe.next_input();
                }
                progress.inc(1);
            }
            sink.finish()?;
            output::refuse_if_failed(args.output.as_deref(), run.diagnostics, args.input.strict)
        })?,
    }
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

/// What every input of a run shares.
struct Run<'r> {
    args: &'r Args,
    /// Whether the inputs are written as a collection, each message naming its source.
    many: bool,
    diagnostics: &'r mut Diagnostics,
}

impl Run<'_> {
    /// `input` opened, adjusted (`--tz`, sources) and deduplicated against earlier inputs;
    /// `None`, reported, when it cannot be opened or is skipped.
    fn open<'d>(&mut self, input: &Input, dedupe: Option<&'d mut Dedupe>) -> Option<Reader<'d>> {
        let source = self.many.then(|| input.name());
        let reader = match read_ahead(input, &self.args.input, !self.many) {
            Ok(reader) => adjusted(reader, self.args, source),
            Err(err) => {
                match input.skipped(&err) {
                    Some(warning) => self.diagnostics.warn(input.path(), &[warning]),
                    None => self.diagnostics.error(&err),
                }
                return None;
            }
        };
        Some(match dedupe {
            Some(dedupe) => {
                let channel = reader.channel().cloned();
                reader.retain(move |m| dedupe.keep(channel.as_ref(), m))
            }
            None => reader,
        })
    }

    /// Writes the messages of `input` into `sink` and reports its warnings and errors.
    /// The output failing ends the run (the error returned); an input failing, only that
    /// input.
    fn write(
        &mut self,
        input: &Input,
        reader: &mut Reader<'_>,
        sink: &mut Sink<'_>,
        failure: &output::Failure,
    ) -> Result<(), Error> {
        let written = sink.write(reader);
        if let Some(err) = failure.take() {
            return Err(err);
        }
        let mut warnings = reader.warnings();
        match written {
            Ok(own) => warnings.extend(own),
            Err(err) => self.diagnostics.error(&input.blame(err)),
        }
        self.diagnostics.warn(input.path(), &warnings);
        Ok(())
    }

    /// `--to parquet -o DIR/`: one Parquet file per input in `folder`, all written or,
    /// when an input fails (or warns, under `--strict`), none.
    fn one_file_each(
        &mut self,
        inputs: &[Input],
        folder: &Path,
        dedupe: &mut Option<Dedupe>,
        progress: &indicatif::ProgressBar,
    ) -> Result<(), Error> {
        std::fs::create_dir_all(folder).map_err(|e| Error::from(e).with_path(folder))?;
        let mut staged = Vec::new();
        for (input, name) in inputs.iter().zip(file_names(inputs)) {
            let Some(mut reader) = self.open(input, dedupe.as_mut()) else {
                continue;
            };
            staged.push(output::stage(Some(&folder.join(name)), |out, failure| {
                let mut sink = Sink::start(To::Parquet, true, out)?;
                self.write(input, &mut reader, &mut sink, failure)?;
                sink.finish()
            })?);
            drop(reader);
            if let Some(dedupe) = dedupe {
                dedupe.next_input();
            }
            progress.inc(1);
        }
        output::refuse_if_failed(Some(folder), self.diagnostics, self.args.input.strict)?;
        staged.into_iter().try_for_each(output::Staged::commit)
    }
}

/// The Parquet file name of each input, in a folder of one file per input: the file's
/// name with `.parquet` for its extension, or for Telegram Desktop's fixed names
/// (`result.json`, `messages.html`) the name of the export folder; a name already taken
/// gets `-2`, `-3`…
fn file_names(inputs: &[Input]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    inputs
        .iter()
        .map(|input| {
            let stem = input.path().map_or_else(
                || "stdin".to_owned(),
                |path| {
                    let folder = path.is_dir();
                    let stem = if folder {
                        path.file_name()
                    } else {
                        path.file_stem()
                    };
                    let stem = stem.map(|s| s.to_string_lossy().into_owned());
                    let fixed = !folder
                        && stem
                            .as_deref()
                            .is_some_and(|s| s == "result" || s.starts_with("messages"));
                    let parent = path.parent().and_then(Path::file_name);
                    match (fixed, parent) {
                        (true, Some(parent)) => parent.to_string_lossy().into_owned(),
                        _ => stem.unwrap_or_else(|| "input".to_owned()),
                    }
                },
            );
            let name = (1..)
                .map(|n| match n {
                    1 => format!("{stem}.parquet"),
                    n => format!("{stem}-{n}.parquet"),
                })
                .find(|name| !taken.contains(name))
                .expect("some number is free");
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// `input` opened to use every core: a `result.json`'s messages are decoded on a pool
/// (see [`Reader::parallel`]), HTML is parsed on a thread of its own already, any other
/// input is read on a thread of its own (see [`Reader::spawn`]); JSON Lines are
/// serialised on a pool. On one core, read here: the hand-offs would only cost.
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
        Format::TdesktopJson | Format::TdesktopHtml | Format::TmeHtml => reader,
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
        out: &'w mut (dyn Write + Send),
        /// Whether the output is an array of exports, and still empty.
        array: Option<bool>,
    },
    Csv(Box<tgexport::write::CsvTable<&'w mut (dyn Write + Send)>>),
    Parquet(Box<tgexport::write::ParquetTable<&'w mut (dyn Write + Send)>>),
    Stream {
        out: &'w mut (dyn Write + Send),
        format: OutputFormat,
    },
}

impl<'w> Sink<'w> {
    fn start(to: To, many: bool, out: &'w mut (dyn Write + Send)) -> Result<Self, Error> {
        Ok(match to {
            To::Json => {
                if many {
                    out.write_all(b"[")?;
                }
                Self::Json {
                    out,
                    array: many.then_some(true),
                }
            }
            To::Csv => Self::Csv(Box::new(tgexport::write::CsvTable::new(out)?)),
            To::Parquet => Self::Parquet(Box::new(tgexport::write::ParquetTable::new(out)?)),
            To::Jsonl => Self::Stream {
                out,
                format: OutputFormat::Jsonl,
            },
            To::Text => Self::Stream {
                out,
                format: OutputFormat::Text,
            },
        })
    }

    /// Writes the messages of `reader`; whatever it has written is complete (JSON
    /// closed, whole rows) even when reading fails. Returns the sink's own warnings
    /// about them (a Parquet table's times without an offset).
    fn write(&mut self, reader: &mut Reader<'_>) -> Result<Vec<Warning>, Error> {
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
            // `--tz` and the sources are already in the messages.
            Self::Parquet(table) => return table.write(reader, None),
            Self::Stream { out, format } => {
                tgexport::write::write(reader, *format, &mut **out)?;
            }
        }
        Ok(Vec::new())
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Self::Json {
                out,
                array: Some(first),
            } => out.write_all(if first { b"]\n" } else { b"\n]\n" })?,
            Self::Csv(table) => drop(table.finish()?),
            Self::Parquet(table) => drop(table.finish()?),
            Self::Json { array: None, .. } | Self::Stream { .. } => {}
        }
        Ok(())
    }
}

/// Writes through to `out`, indenting every line after the first by two spaces and holding
/// back a last newline: one export's JSON, as a member of the array of exports.
struct Indented<'w> {
    out: &'w mut (dyn Write + Send),
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
