//! `to_arrow` and `to_pandas`: the library's Arrow table (`tgexport::arrow`), handed to
//! pyarrow through the Arrow C stream interface.

use std::path::PathBuf;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator};
use pyo3::exceptions::{PyImportError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCapsule, PyDict, PyString};
use tgexport::Warning;

use crate::errors;
use crate::options::Options;

/// The inputs `path_or_paths` names, and whether each row names its input in `source`:
/// so for a list, which stands for a dataset of several inputs, not for one path.
fn inputs(path_or_paths: &Bound<'_, PyAny>) -> PyResult<(Vec<PathBuf>, bool)> {
    if let Ok(path) = path_or_paths.extract::<PathBuf>() {
        return Ok((vec![path], false));
    }
    let paths = path_or_paths
        .try_iter()
        .and_then(|items| items.map(|item| item?.extract::<PathBuf>()).collect());
    match paths {
        Ok(paths) => Ok((paths, true)),
        Err(_) => Err(PyTypeError::new_err(
            "expected a path (str or os.PathLike) or an iterable of paths",
        )),
    }
}

/// What reading the inputs gave: every batch, the warnings of each input read, and the
/// error that stopped reading, if one did.
struct Read {
    batches: Vec<RecordBatch>,
    warnings: Vec<(PathBuf, Vec<Warning>)>,
    failed: Option<tgexport::Error>,
}

/// Reads `paths` in order into batches, stopping at the first error.
fn read(paths: Vec<PathBuf>, tagged: bool, options: Options) -> Read {
    let mut read = Read {
        batches: Vec::new(),
        warnings: Vec::new(),
        failed: None,
    };
    for path in paths {
        let mut reader = match options.open(&path) {
            Ok(reader) => reader,
            Err(error) => {
                read.failed = Some(error);
                break;
            }
        };
        let source = tagged.then(|| path.display().to_string());
        let mut batches = tgexport::arrow::Batches::new(&mut reader, source);
        let outcome = batches.by_ref().try_for_each(|batch| {
            read.batches.push(batch?);
            Ok::<_, tgexport::Error>(())
        });
        let lost = batches.warnings();
        let mut warnings = reader.warnings();
        warnings.extend(lost);
        read.warnings.push((path.clone(), warnings));
        if let Err(error) = outcome {
            read.failed = Some(error.with_path(&path));
            break;
        }
    }
    read
}

/// Batches of the library's table offered through the Arrow PyCapsule interface
/// (`__arrow_c_stream__`), once.
#[pyclass(module = "tgexport")]
struct Stream {
    batches: Option<Vec<RecordBatch>>,
}

#[pymethods]
impl Stream {
    /// The batches as an `arrow_array_stream` PyCapsule; `requested_schema` is ignored
    /// (the table has the one schema of `tgexport::arrow`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &mut self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let batches = self
            .batches
            .take()
            .ok_or_else(|| errors::Error::new_err("this Arrow stream was read already"))?;
        let reader =
            RecordBatchIterator::new(batches.into_iter().map(Ok), tgexport::arrow::schema());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        // The consumer moves the stream out of the capsule; one left unread is released
        // when the capsule drops it.
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }
}

/// `module.name`, imported once, with a hint of what to install when it is missing.
fn import<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cell.import(py, module, name).cloned().map_err(|error| {
        if error.is_instance_of::<PyImportError>(py) {
            let hint = PyImportError::new_err(format!(
                "tgexport.to_arrow and to_pandas need pyarrow 15 or later, and to_pandas \
                 pandas 2 or later: pip install pyarrow pandas ({module} is missing)"
            ));
            hint.set_cause(py, Some(error));
            hint
        } else {
            error
        }
    })
}

/// The messages of one or more exports as a pyarrow.Table: one row per message, with the
/// columns of tgexport's Parquet output (source, index, id, chat, kind, date, edited,
/// from, forwarded_from, reply_to, media, hashtags, mentions, links, views, reactions,
/// text, message); see the README's "Parquet" section for their types.
///
/// `path_or_paths` is one path, or an iterable of paths read in order into one table, each
/// row naming its input in `source` (null for a single path). `format` and `tz` are as
/// for read(): without `tz`, a time written without an offset is a null cell.
/// Raises as read() does, at the first input that fails; each input's warnings are issued
/// as TgexportWarning. Needs pyarrow 15 or later.
#[pyfunction]
#[pyo3(signature = (path_or_paths, format=None, tz=None))]
pub fn to_arrow<'py>(
    py: Python<'py>,
    path_or_paths: &Bound<'py, PyAny>,
    format: Option<&str>,
    tz: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    static READER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let from_stream =
        import(py, &READER, "pyarrow", "RecordBatchReader")?.getattr("from_stream")?;
    let (paths, tagged) = inputs(path_or_paths)?;
    let options = Options::new(format, tz)?;
    let read = py.detach(|| read(paths, tagged, options));
    for (path, warnings) in &read.warnings {
        errors::warn(py, path, warnings)?;
    }
    if let Some(error) = read.failed {
        return Err(errors::to_py(py, error));
    }
    let stream = Stream {
        batches: Some(read.batches),
    };
    from_stream.call1((stream,))?.call_method0("read_all")
}

/// The messages of one or more exports as a pandas DataFrame: to_arrow()'s table, with
/// `date` and `edited` as datetime64[us, UTC] and the integer columns (index, id,
/// reply_to, views) as pandas' nullable Int64, so that a missing id stays missing rather
/// than turning the column into floats. Lists are arrays, strings pandas' default string
/// dtype. Needs pandas 2 or later.
#[pyfunction]
#[pyo3(signature = (path_or_paths, format=None, tz=None))]
pub fn to_pandas<'py>(
    py: Python<'py>,
    path_or_paths: &Bound<'py, PyAny>,
    format: Option<&str>,
    tz: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    static INT64: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static NULLABLE_INT64: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let int64 = import(py, &INT64, "pyarrow", "int64")?.call0()?;
    let nullable_int64 = import(py, &NULLABLE_INT64, "pandas", "Int64Dtype")?.call0()?;
    let table = to_arrow(py, path_or_paths, format, tz)?;
    let dtypes = PyDict::new(py);
    dtypes.set_item(int64, nullable_int64)?;
    let options = PyDict::new(py);
    options.set_item(PyString::intern(py, "types_mapper"), dtypes.getattr("get")?)?;
    table.call_method("to_pandas", (), Some(&options))
}
