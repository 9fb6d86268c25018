//! The `tgexport` command line: a thin layer over the library.

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::FixedOffset;
use clap::{Parser, Subcommand, ValueEnum};
use tgexport::write::OutputFormat;
use tgexport::{Error, Format};

/// Turn Telegram channel exports into typed JSON.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert an export to JSON, JSON Lines or plain text.
    Convert(ConvertArgs),
}

#[derive(Debug, clap::Args)]
struct ConvertArgs {
    /// Input file, or `-` for standard input.
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Output form.
    #[arg(long, value_enum, default_value_t = To::Json)]
    to: To,
    /// Input format (detected when omitted).
    #[arg(long, value_enum)]
    from: Option<From>,
    /// Write here instead of standard output; written whole or not at all.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// UTC offset of the machine that made the export (`+03:00`), given to times written
    /// without one: old Telegram Desktop exports, which lack `date_unixtime`.
    #[arg(long, value_name = "OFFSET", value_parser = parse_offset, allow_hyphen_values = true)]
    tz: Option<FixedOffset>,
}

fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    text.parse()
        .map_err(|_| format!("expected a UTC offset like +03:00 or -05:30, found {text:?}"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum To {
    Json,
    Jsonl,
    Text,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert(args) => convert(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn convert(args: &ConvertArgs) -> Result<(), Error> {
    let input: Box<dyn std::io::BufRead> = if args.input == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file =
            std::fs::File::open(&args.input).map_err(|e| Error::from(e).with_path(&args.input))?;
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    let mut reader = match args.from {
        Some(from) => tgexport::read_as(input, from.format()),
        None => tgexport::read(input),
    }
    .map_err(|e| e.with_path(&args.input))?;
    if let Some(offset) = args.tz {
        reader = reader.assume_offset(offset);
    }
    let format = match args.to {
        To::Json => OutputFormat::Json,
        To::Jsonl => OutputFormat::Jsonl,
        To::Text => OutputFormat::Text,
    };
    match &args.output {
        Some(path) => write_atomically(path, |out| {
            tgexport::write::write(reader, format, out).map(drop)
        }),
        None => {
            let stdout = std::io::stdout().lock();
            tgexport::write::write(
                reader,
                format,
                std::io::BufWriter::with_capacity(1 << 16, stdout),
            )
            .map(drop)
        }
    }
}

/// Writes through a temporary file beside `path` and renames it into place only when
/// everything was written, so a failure never leaves a partial output.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::from(e).with_path(dir))?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temp.persist(path)
        .map_err(|e| Error::from(e.error).with_path(path))?;
    Ok(())
}
