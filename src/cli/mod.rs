//! Arguments, dispatch and exit codes.
//!
//! Exit codes: 0 success, 1 bad input or I/O failure, 2 usage error (from clap).

mod convert;
mod diagnostic;
mod inputs;
mod output;
mod snapshot;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tgexport::Format;

/// Turn Telegram channel exports into typed JSON, JSON Lines, CSV or text.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert exports to JSON, JSON Lines, CSV or plain text.
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
    let outcome = match Cli::parse().command {
        Command::Convert(args) => convert::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Stats(args) => stats::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Snapshot(args) => snapshot::run(&args).map(|changed| match changed {
            0 => ExitCode::SUCCESS,
            _ => {
                let plural = if changed == 1 { "" } else { "s" };
                eprintln!("{changed} snapshot{plural} changed; review with `cargo insta review`");
                ExitCode::from(snapshot::CHANGED)
            }
        }),
        Command::Schema { message } => {
            let schema = if message {
                tgexport::message_schema()
            } else {
                tgexport::schema()
            };
            println!("{schema:#}");
            Ok(ExitCode::SUCCESS)
        }
    };
    outcome.unwrap_or_else(|err| {
        eprintln!("{}", diagnostic::render(&err));
        ExitCode::from(1)
    })
}
