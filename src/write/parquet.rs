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
const ROW_GROUP_BYTES: usize = 8 << 20;

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
pub struct ParquetTable<W: Write> {
    /// Writes into a buffer that [`drain`](Self::drain) empties into `out`: the Parquet
    /// writer wants a `Send` output, and row groups pass through it whole anyway.
    writer: ArrowWriter<Vec<u8>>,
    out: W,
}

impl<W: Write> ParquetTable<W> {
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
        let writer = ArrowWriter::try_new(Vec::new(), schema(), Some(properties.build()))
            .map_err(parquet_error)?;
        Ok(Self { writer, out })
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
            self.drain()?;
        }
        Ok(batches.warnings())
    }

    /// Writes the last row group and the footer, and hands back the output.
    pub fn finish(mut self) -> Result<W> {
        self.writer.finish().map_err(parquet_error)?;
        self.drain()?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Passes on to `out` what the Parquet writer has written. Taking the bytes out of its
    /// buffer leaves its count of bytes written, which places the row groups, as it is.
    fn drain(&mut self) -> Result<()> {
        self.writer.sync()?;
        let written = self.writer.inner_mut();
        self.out.write_all(written)?;
        written.clear();
        Ok(())
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
