//! `read` and `parse`: messages and exports as the dicts of tgexport's JSON Lines and JSON.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;
use tgexport::Reader;

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
/// Unsendable: the library's `Reader` is not `Send`, so this object stays on the thread
/// that made it (the reading itself runs on a thread of its own).
#[pyclass(unsendable, module = "tgexport")]
pub struct Messages {
    /// `None` once every message was read, or reading failed.
    reader: Option<Reader<'static>>,
    path: PathBuf,
    format: &'static str,
}

#[pymethods]
impl Messages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(reader) = &mut self.reader else {
            return Ok(None);
        };
        let failed = match reader.next() {
            Some(Ok(message)) => {
                let json = serde_json::to_string(&message).map_err(unwritable)?;
                return loads(py, &json).map(Some);
            }
            Some(Err(error)) => Some(error),
            None => None,
        };
        // The end, or an error that ends reading: the warnings are complete now.
        let reader = self.reader.take().expect("checked above");
        errors::warn(py, &self.path, &reader.warnings())?;
        match failed {
            Some(error) => Err(errors::to_py(py, error.with_path(&self.path))),
            None => Ok(None),
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
    // Not detached from Python: the library's `Reader` is not `Send` (yet).
    let reader = options
        .open(&path)
        .map_err(|error| errors::to_py(py, error))?;
    Ok(Messages {
        format: reader.format().as_str(),
        reader: Some(reader),
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
