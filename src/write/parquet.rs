//! One Parquet file of the messages of one or more readers, in the columns of
//! [`crate::arrow`], written row group by row group.

use std::io::Write;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::{EnabledStatistics, WriterProperties};
use ::parquet::schema::types::ColumnPath;

use crate::arrow::{Batches, schema};
use crate::error::{Error, Result};
use crate::{Reader, Warning};

/// Rows per row group at most: readers split work by row group, so a file of many
/// messages is read in parallel.
const ROW_GROUP_ROWS: usize = 1 << 16;

/// Encoded bytes per row group at most: a row group is held in memory until written.
const ROW_GROUP_BYTES: usize = 4 << 20;

/// One Parquet table of the messages of one or more readers, with the schema of
/// [`crate::arrow::schema`], compressed with zstd. Row groups are passed on to `out` as
/// they fill, so memory holds one row group and one batch whatever the input's size;
/// the file is complete once [`finish`](Self::finish) has written its footer.
///
/// ```
/// let mut table = tgexport::write::ParquetTable::new(Vec::new())?;
/// table.write(&mut tgexport::read(&b"Forwarded from A\n#one\n"[..])?, None)?;
/// let file = table.finish()?;
/// assert_eq!(&file[..4], b"PAR1");
/// # Ok::<(), tgexport::Error>(())
/// ```
pub struct ParquetTable<W: Write + Send> {
    writer: ArrowWriter<W>,
}

impl<W: Write + Send> ParquetTable<W> {
    /// Starts a table in `out`.
    pub fn new(out: W) -> Result<Self> {
        // The JSON and the text are long and hardly repeat: dictionaries and min/max
        // statistics of them would cost time and space for no use.
        let long = ["text", "message"].map(ColumnPath::from);
        let mut properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES));
        for column in long {
            properties = properties
                .set_column_dictionary_enabled(column.clone(), false)
                .set_column_statistics_enabled(column, EnabledStatistics::None);
        }
        let writer =
            ArrowWriter::try_new(out, schema(), Some(properties.build())).map_err(parquet_error)?;
        Ok(Self { writer })
    }

    /// Appends a row for every message of `reader`; `source`, when given, names the
    /// input in every message (see [`Batches::new`]). Returns the table's own warnings
    /// about these messages (times without an offset, see [`crate::arrow`]); the
    /// reader's stay with the reader.
    pub fn write(
        &mut self,
        reader: &mut Reader<'_>,
        source: Option<String>,
    ) -> Result<Vec<Warning>> {
        let mut batches = Batches::new(reader, source);
        for batch in batches.by_ref() {
            self.writer.write(&batch?).map_err(parquet_error)?;
        }
        Ok(batches.warnings())
    }

    /// Writes the last row group and the footer, and hands back the output.
    pub fn finish(self) -> Result<W> {
        let mut out = self.writer.into_inner().map_err(parquet_error)?;
        out.flush()?;
        Ok(out)
    }
}

fn parquet_error(error: ParquetError) -> Error {
    match error {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => Error::from(*io),
            Err(other) => serialize_error(other.to_string()),
        },
        other => serialize_error(other.to_string()),
    }
}

fn serialize_error(message: String) -> Error {
    Error::Serialize {
        format: "Parquet",
        message,
    }
}
