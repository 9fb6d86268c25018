//! `read` and `parse`: messages and exports as the dicts of tgexport's JSON Lines and JSON.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;
use tgexport::{Reader, Warning};

use crate::errors;
use crate::options::Options;

/// `json` parsed by Python's `json.loads`: the dicts, lists and numbers of tgexport's
/// JSON output, exactly as a Python reader of that output sees them.
fn loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS
        .import(py, "json", "loads")?
        .call1((PyString::new(py, json),))
}

/// A message that serde_json could not write; the model is built to be written, so this
/// would be a bug of tgexport's.
fn unwritable(error: serde_json::Error) -> PyErr {
    errors::Error::new_err(format!("cannot write this message as JSON: {error}"))
}

/// The messages of one input, one dict each, read as they are asked for.
///
/// Any Python thread may use it, several at once: the input is read in order and each
/// message is handed to exactly one `__next__`, which waits for it without the GIL.
#[pyclass(frozen, module = "tgexport")]
pub struct Messages {
    /// `None` once every message was read, or reading failed. Locked only while Python is
    /// detached, so a thread waiting for it never holds the GIL that its holder may need.
    reader: Mutex<Option<Reader<'static>>>,
    path: PathBuf,
    format: &'static str,
}

/// What one `__next__` found, before Python sees it.
enum Step {
    /// The next message, as its JSON Lines line.
    Message(String),
    /// The end, or an error that ends reading, with the input's (now complete) warnings.
    End(Vec<Warning>, Option<tgexport::Error>),
    /// Reading had ended before.
    Ended,
}

impl Messages {
    /// The next step of reading; run with Python detached.
    fn step(&self) -> PyResult<Step> {
        let mut reader = self.reader.lock().map_err(|_| {
            // A panic in the library while another thread read: where it stopped is unknown,
            // so no further message (or a clean end) can be trusted.
            errors::Error::new_err("reading stopped at a panic in another thread's next()")
        })?;
        let Some(open) = reader.as_mut() else {
            return Ok(Step::Ended);
        };
        let failed = match open.next() {
            Some(Ok(message)) => {
                // Written after the lock is released: another thread can read meanwhile.
                drop(reader);
                let json = serde_json::to_string(&message).map_err(unwritable)?;
                return Ok(Step::Message(json));
            }
            Some(Err(error)) => Some(error.with_path(&self.path)),
            None => None,
        };
        let open = reader.take().expect("checked above");
        Ok(Step::End(open.warnings(), failed))
    }
}

#[pymethods]
impl Messages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match py.detach(|| self.step())? {
            Step::Message(json) => loads(py, &json).map(Some),
            Step::End(warnings, failed) => {
                errors::warn(py, &self.path, &warnings)?;
                match failed {
                    Some(error) => Err(errors::to_py(py, error)),
                    None => Ok(None),
                }
            }
            Step::Ended => Ok(None),
        }
    }

    /// The format being read: text, tdesktop_json, tdesktop_html, tme_html or
    /// tgexport_jsonl.
    #[getter]
    fn format(&self) -> &'static str {
        self.format
    }
}

/// The messages of the export at `path`, one dict per message, each what one line of
/// `tgexport convert --to jsonl` holds: read as they are asked for, so memory stays
/// bounded by the largest message whatever the file's size.
///
/// `path` is a file or a Telegram Desktop HTML export's folder (or any of its pages);
/// `format` (text, tdesktop_json, tdesktop_html, tme_html) skips detection; `tz` (such
/// as "+03:00") is the offset of times the export wrote without one, as `--tz`. Raises
/// FileNotFoundError for a missing file and tgexport.Error for input that cannot be read;
/// the warnings of the input are issued once its last message was read.
#[pyfunction]
#[pyo3(signature = (path, format=None, tz=None))]
pub fn read(
    py: Python<'_>,
    path: PathBuf,
    format: Option<&str>,
    tz: Option<&str>,
) -> PyResult<Messages> {
    let options = Options::new(format, tz)?;
    let reader = py
        .detach(|| options.open(&path))
        .map_err(|error| errors::to_py(py, error))?;
    Ok(Messages {
        format: reader.format().as_str(),
        reader: Mutex::new(Some(reader)),
        path,
    })
}

/// The whole export at `path` as one dict: what `tgexport convert --to json` writes
/// (schema_version, format, channel, messages, and layout, chats, extra and warnings where
/// the input has them).
///
/// `path`, `format` and `tz` are as for read(). Raises FileNotFoundError for a missing file and
/// tgexport.Error for input that cannot be read; the input's warnings are issued as
/// TgexportWarning (and listed under "warnings").
#[pyfunction]
#[pyo3(signature = (path, format=None, tz=None))]
pub fn parse<'py>(
    py: Python<'py>,
    path: PathBuf,
    format: Option<&str>,
    tz: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = Options::new(format, tz)?;
    let (json, warnings) = py
        .detach(|| {
            let mut reader = options.open(&path)?;
            let json = tgexport::write::json(&mut reader, Vec::new());
            Ok((json, reader.warnings()))
        })
        .map_err(|error| errors::to_py(py, error))?;
    errors::warn(py, &path, &warnings)?;
    let json = json.map_err(|error| errors::to_py(py, error.with_path(&path)))?;
    let json = String::from_utf8(json).expect("serde_json writes UTF-8");
    loads(py, &json)
}
