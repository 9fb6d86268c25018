//! The options every function takes: the input format and the offset of times without
//! one, and opening an input with them as `tgexport convert` does.

use std::path::Path;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use tgexport::chrono::FixedOffset;
use tgexport::{Format, Reader};

/// How to open the inputs: `format` and `tz` as Python passes them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// The input format; detected when `None`.
    format: Option<Format>,
    /// The offset of times written without one (`convert --tz`).
    tz: Option<FixedOffset>,
}

impl Options {
    /// `format` as in JSON (`tdesktop_json`) or on the command line (`tdesktop-json`);
    /// `tz` as `--tz` takes it (`+03:00`).
    pub(crate) fn new(format: Option<&str>, tz: Option<&str>) -> PyResult<Self> {
        Ok(Self {
            format: format.map(format_named).transpose()?,
            tz: tz.map(offset).transpose()?,
        })
    }

    /// Opens `path` as `tgexport convert` does: read on a thread of its own a bounded
    /// number of messages ahead (parsing runs there, without the GIL, beside the caller's
    /// Python), unless there is only one core, where the hand-offs would only cost.
    pub(crate) fn open(self, path: &Path) -> tgexport::Result<Reader<'static>> {
        let open = move |path: &Path| {
            let reader = tgexport::read_path(path, self.format)?;
            Ok(match self.tz {
                Some(offset) => reader.assume_offset(offset),
                None => reader,
            })
        };
        if std::thread::available_parallelism().is_ok_and(|cores| cores.get() < 2) {
            return open(path);
        }
        let path = path.to_owned();
        Reader::spawn(move || open(&path))
    }
}

/// The format `name` stands for, by the name serde gives it.
fn format_named(name: &str) -> PyResult<Format> {
    serde_json::from_value(serde_json::Value::String(name.replace('-', "_"))).map_err(|_| {
        PyValueError::new_err(format!(
            "unknown format {name:?}: expected text, tdesktop_json, tdesktop_html or tme_html"
        ))
    })
}

/// The UTC offset `text` (`+03:00`), as `--tz` reads it.
fn offset(text: &str) -> PyResult<FixedOffset> {
    text.parse().map_err(|_| {
        PyValueError::new_err(format!(
            "expected a UTC offset such as +03:00 or -05:30, found {text:?}"
        ))
    })
}
