//! The `tgexport` Python module: Telegram channel exports read by the tgexport library, as
//! dicts (`read`, `parse`) and, through the library's Arrow schema, as `pyarrow` tables and
//! pandas DataFrames (`to_arrow`, `to_pandas`). Nothing is parsed here: every function opens
//! the input with the library and hands Python what the CLI would write.

mod errors;
mod messages;
mod options;
mod table;

use pyo3::prelude::*;

/// Telegram channel exports, typed: browser copies of t.me/s pages, Telegram Desktop's
/// result.json and HTML export, saved t.me pages.
///
/// read(path) streams messages as dicts (one line of `tgexport convert --to jsonl` each),
/// parse(path) gives the whole export as `--to json` does, to_arrow(paths) and
/// to_pandas(paths) give one typed row per message. Errors raise tgexport.Error (a
/// ValueError with line, column and offset); problems that did not stop reading are
/// TgexportWarning warnings.
#[pymodule(name = "tgexport")]
mod tgexport_module {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::errors::{Error, TgexportWarning};
    #[pymodule_export]
    use super::messages::{Messages, parse, read};
    #[pymodule_export]
    use super::table::{to_arrow, to_pandas};

    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        module.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
