//! Arguments, dispatch and exit codes.
//!
//! Exit codes: 0 success (also when a reader of standard output closed it early), 1 bad
//! input, I/O failure or (with `--strict`) any warning, 2 usage error (from clap), 3
//! changed snapshots.

mod convert;
mod dedupe;
mod diagnostic;
mod inputs;
mod output;
mod snapshot;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use diagnostic::Diagnostics;
use tgexport::Format;

/// Turn Telegram channel exports into typed JSON, JSON Lines, CSV, Parquet or text.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert exports to JSON, JSON Lines, CSV, Parquet or plain text.
    Convert(convert::Args),
    /// Summarise exports: counts, dates, forwards, hashtags, media…
    Stats(stats::Args),
    /// Write (or `--check`) insta snapshots of every export in a folder.
    Snapshot(snapshot::Args),
    /// Print the JSON Schema of the JSON output.
    Schema {
        /// The schema of one JSON Lines message instead of a whole export.
        #[arg(long)]
        message: bool,
    },
}

/// Inputs and how to read them, shared by every command.
#[derive(Debug, Clone, clap::Args)]
struct InputArgs {
    /// Input files or folders (folders are searched for .txt, .json and .html files);
    /// `-` for standard input.
    #[arg(default_value = "-")]
    inputs: Vec<PathBuf>,
    /// Input format (detected when omitted).
    #[arg(long, value_enum)]
    from: Option<From>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Treat warnings as errors: exit with 1 when there is any (and write no `-o` file).
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum From {
    Text,
    TdesktopJson,
    TdesktopHtml,
    TmeHtml,
}

impl From {
    fn format(self) -> Format {
        match self {
            Self::Text => Format::Text,
            Self::TdesktopJson => Format::TdesktopJson,
            Self::TdesktopHtml => Format::TdesktopHtml,
            Self::TmeHtml => Format::TmeHtml,
        }
    }
}

/// Runs the command line and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let mut diagnostics = Diagnostics::default();
    let (outcome, strict) = match Cli::parse().command {
        Command::Convert(args) => (
            convert::run(&args, &mut diagnostics).map(|()| ExitCode::SUCCESS),
            args.strict(),
        ),
        Command::Stats(args) => (
            stats::run(&args, &mut diagnostics).map(|()| ExitCode::SUCCESS),
            args.strict(),
        ),
        Command::Snapshot(args) => (
            snapshot::run(&args, &mut diagnostics).map(|changed| match changed {
                0 => ExitCode::SUCCESS,
                _ => {
                    let plural = if changed == 1 { "" } else { "s" };
                    eprintln!(
                        "{changed} snapshot{plural} changed; review with `cargo insta review`"
                    );
                    ExitCode::from(snapshot::CHANGED)
                }
            }),
            false,
        ),
        Command::Schema { message } => {
            let schema = if message {
                tgexport::message_schema()
            } else {
                tgexport::schema()
            };
            (
                print(&format!("{schema:#}\n")).map(|()| ExitCode::SUCCESS),
                false,
            )
        }
    };
    let code = match outcome {
        Ok(code) => code,
        Err(err) if is_closed_pipe(&err) => return ExitCode::SUCCESS,
        Err(err) => {
            diagnostics.error(&err);
            ExitCode::from(1)
        }
    };
    diagnostics.finish();
    if diagnostics.errors() > 0 || (strict && diagnostics.warnings() > 0) {
        return ExitCode::from(1);
    }
    code
}

/// Writes `text` to standard output.
fn print(text: &str) -> Result<(), tgexport::Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    Ok(stdout.flush()?)
}

/// Whether `err` is standard output closed by its reader (`tgexport convert … | head`):
/// the reader has all it wanted, so the run ends quietly.
fn is_closed_pipe(err: &tgexport::Error) -> bool {
    matches!(
        err,
        tgexport::Error::Io { path: None, source } if source.kind() == std::io::ErrorKind::BrokenPipe
    )
}
