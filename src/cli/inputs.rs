//! Turning command-line arguments into inputs, and inputs into message readers.

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use tgexport::{Error, Reader, Warning};

use super::{From, InputArgs};

/// Files smaller than this are read without a progress bar.
const PROGRESS_THRESHOLD: u64 = 32 << 20;

/// One input: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file (or an export folder that is read as one).
    Path(PathBuf),
    /// A file found in a folder named on the command line: skipped, with a warning, when
    /// it turns out not to be an export (a `config.json` beside the exports).
    Found(PathBuf),
}

impl Input {
    /// How the input is named in messages' `source` and in errors.
    pub fn name(&self) -> String {
        self.path()
            .map_or_else(|| "-".to_owned(), |path| path.display().to_string())
    }

    /// The file or folder; `None` for standard input.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Stdin => None,
            Self::Path(path) | Self::Found(path) => Some(path),
        }
    }

    /// Names `error` as an error of this input (standard input has no name to give).
    pub fn blame(&self, error: Error) -> Error {
        match self.path() {
            None => error,
            Some(path) => error.with_path(path),
        }
    }

    /// The warning that replaces `error` when this input is skipped for not being an
    /// export; `None` when the error stands.
    pub fn skipped(&self, error: &Error) -> Option<Warning> {
        let mut inner = error;
        while let Error::InFile { source, .. } = inner {
            inner = source;
        }
        match (self, inner) {
            (Self::Found(_), Error::NotAnExport { .. }) => {
                Some(Warning::at(None, format!("skipped this file, {inner}")))
            }
            _ => None,
        }
    }
}

/// The inputs the arguments name, in order, each once: folders expanded into the export
/// files they hold (sorted), and every page of a Telegram Desktop HTML export standing for
/// its whole folder.
pub fn expand(args: &InputArgs) -> Result<Vec<Input>, Error> {
    let mut inputs = Vec::new();
    for arg in &args.inputs {
        if arg == Path::new("-") {
            inputs.push(Input::Stdin);
        } else if arg.is_dir() {
            collect_folder(arg, &mut inputs)?;
        } else {
            let folder = tgexport::tdesktop_html::export_folder(arg)?;
            inputs.push(Input::Path(folder.unwrap_or_else(|| arg.clone())));
        }
    }
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| seen.insert(input.path().map(Path::to_owned)));
    Ok(inputs)
}

/// Adds the inputs of folder `dir`. A Telegram Desktop export folder is one input: its
/// `result.json` when it has one (JSON carries more than HTML), else its HTML pages.
fn collect_folder(dir: &Path, inputs: &mut Vec<Input>) -> Result<(), Error> {
    if dir.join("messages.html").is_file() {
        let json = dir.join("result.json");
        inputs.push(Input::Found(if json.is_file() {
            json
        } else {
            dir.to_owned()
        }));
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::from(e).with_path(dir))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::from(e).with_path(dir))?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_folder(&path, inputs)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "txt" | "json" | "html" | "htm"))
        {
            inputs.push(Input::Found(path));
        }
    }
    Ok(())
}

/// Opens `input` as a message reader, with a progress bar on a terminal for large files.
pub fn open(
    input: &Input,
    args: &InputArgs,
    show_progress: bool,
) -> Result<Reader<'static>, Error> {
    let reader: Box<dyn BufRead + Send> = match input {
        Input::Stdin => Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
        Input::Path(folder) | Input::Found(folder) if folder.is_dir() => {
            return tgexport::read_path(folder, args.from.map(From::format))
                .map_err(|e| input.blame(e));
        }
        Input::Path(path) | Input::Found(path) => {
            let file = std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            if show_progress
                && !args.quiet
                && size >= PROGRESS_THRESHOLD
                && std::io::stderr().is_terminal()
            {
                let bar = ProgressBar::new(size).with_style(
                    ProgressStyle::with_template(
                        "{bytes}/{total_bytes} {wide_bar} {bytes_per_sec} eta {eta}",
                    )
                    .expect("valid template"),
                );
                Box::new(BufReader::with_capacity(1 << 16, bar.wrap_read(file)))
            } else {
                Box::new(BufReader::with_capacity(1 << 16, file))
            }
        }
    };
    let opened = match args.from {
        Some(from) => tgexport::read_as(reader, from.format()),
        None => tgexport::read(reader),
    };
    opened.map_err(|e| input.blame(e))
}

/// A progress bar over `count` inputs, shown on a terminal unless `--quiet`.
pub fn files_progress(count: usize, args: &InputArgs) -> ProgressBar {
    if args.quiet || count < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    ProgressBar::new(count as u64).with_style(
        ProgressStyle::with_template("{pos}/{len} files {wide_bar} eta {eta}")
            .expect("valid template"),
    )
}
