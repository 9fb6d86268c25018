//! The library's errors and warnings in Python's terms: `tgexport.Error` with the place
//! in the input, `OSError` (and so `FileNotFoundError`) for files, `TgexportWarning`s
//! through the `warnings` module.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use tgexport::Warning;

create_exception!(
    tgexport,
    Error,
    PyValueError,
    "An input tgexport cannot read, or cannot read further.\n\n\
     Attributes: `path` (the file, when known), `line` and `column` (1-based, the column \
     in characters) and `offset` (bytes from the start of the file): each None where the \
     error has no such place."
);

create_exception!(
    tgexport,
    TgexportWarning,
    PyUserWarning,
    "A problem that did not stop reading (a repaired byte, a message kept in part…); the \
     message starts with the file and line, or byte offset, where it was noticed."
);

/// `error` as the Python exception to raise: I/O errors as `OSError`, whose subclass
/// follows the errno (`FileNotFoundError`…); anything else as [`Error`].
pub(crate) fn to_py(py: Python<'_>, error: tgexport::Error) -> PyErr {
    if let tgexport::Error::Io { path, source } = &error {
        return os_error(path.as_deref(), source);
    }
    let place = Place::of(&error);
    let raised = Error::new_err(error.to_string());
    let value = raised.value(py);
    let set = (|| {
        value.setattr("path", place.path.as_deref().map(Path::as_os_str))?;
        value.setattr("line", place.line)?;
        value.setattr("column", place.column)?;
        value.setattr("offset", place.offset)
    })();
    match set {
        Ok(()) => raised,
        Err(failed) => failed,
    }
}

/// `OSError(errno, strerror, filename)`, which Python turns into the subclass of the
/// errno; an error without an errno as a plain `OSError` with its message.
fn os_error(path: Option<&Path>, source: &std::io::Error) -> PyErr {
    let message = source.to_string();
    match source.raw_os_error() {
        Some(errno) => {
            // Python's own messages have no " (os error 2)" after the text.
            let suffix = format!(" (os error {errno})");
            let text = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
            PyOSError::new_err((errno, text, path.map(|path| path.as_os_str().to_owned())))
        }
        None => PyOSError::new_err(match path {
            Some(path) => format!("{}: {message}", path.display()),
            None => message,
        }),
    }
}

/// Where an error happened, as far as the error says.
#[derive(Default)]
struct Place {
    path: Option<PathBuf>,
    line: Option<u64>,
    column: Option<u64>,
    offset: Option<u64>,
}

impl Place {
    fn of(error: &tgexport::Error) -> Self {
        let mut place = Place::default();
        let mut inner = error;
        while let tgexport::Error::InFile { path, source } = inner {
            place.path.get_or_insert_with(|| path.clone());
            inner = source;
        }
        match (inner, inner.position()) {
            (_, Some(at)) => {
                place.line = Some(at.line);
                place.column = Some(at.column);
                place.offset = Some(at.offset);
            }
            // A syntax error known by line and column only has no `position()`.
            (tgexport::Error::Syntax { line, column, .. }, None) => {
                place.line = Some(*line);
                place.column = Some(*column);
            }
            _ => {}
        }
        place
    }
}

/// Issues each of `warnings`, noticed reading `input`, as a [`TgexportWarning`] that
/// starts with where it was noticed: `FILE:LINE:COLUMN: `, or `FILE (byte offset N): `.
/// A warnings filter that turns them into errors raises the first.
pub(crate) fn warn(py: Python<'_>, input: &Path, warnings: &[Warning]) -> PyResult<()> {
    let category = py.get_type::<TgexportWarning>();
    for warning in warnings {
        let file = match &warning.file {
            Some(file) => file.clone(),
            None => input.display().to_string(),
        };
        let at = match (warning.line, warning.column, warning.offset) {
            (Some(line), Some(column), _) => format!("{file}:{line}:{column}"),
            (Some(line), None, _) => format!("{file}:{line}"),
            (None, _, Some(offset)) => format!("{file} (byte offset {offset})"),
            (None, _, None) => file,
        };
        // A NUL cannot stand in a C string; the message is text, so none is lost but it.
        let text = format!("{at}: {}", warning.message).replace('\0', "\u{FFFD}");
        let text = CString::new(text).expect("NULs were replaced");
        PyErr::warn(py, &category, &text, 1)?;
    }
    Ok(())
}
