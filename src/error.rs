//! Errors, each naming where in the input it happened and what was expected there.

use std::path::PathBuf;

/// A place in the input: where an error happened.
///
/// ```
/// let err = tgexport::parse_bytes(b"ok\n\xc3\xa9t\xc3\xa9 \xff").unwrap_err();
/// let at = err.position().unwrap();
/// assert_eq!((at.line, at.column, at.offset), (2, 5, 9));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column in characters (Unicode scalar values), from 1.
    pub column: u64,
    /// Offset in bytes from the start of the input, from 0.
    pub offset: u64,
}

/// Everything that can stop tgexport from reading or writing an export.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not UTF-8.
    #[error(
        "invalid UTF-8 at line {line}, column {column} (byte offset {offset}): expected UTF-8 text"
    )]
    InvalidUtf8 {
        /// 1-based line of the bad byte.
        line: u64,
        /// 1-based column (in characters) of the bad byte.
        column: u64,
        /// Byte offset of the bad byte.
        offset: u64,
    },
    /// The input does not follow its format's grammar.
    #[error("{format} input, line {line}, column {column}{}: {message}", offset.map(|o| format!(" (byte offset {o})")).unwrap_or_default())]
    Syntax {
        /// The format being read.
        format: &'static str,
        /// 1-based line.
        line: u64,
        /// 1-based column, in characters.
        column: u64,
        /// Byte offset, when known.
        offset: Option<u64>,
        /// What was expected, and what was found.
        message: String,
    },
    /// A value has the wrong shape (a JSON path such as `messages[3].date`).
    #[error("{format} input, {path}: {message}")]
    Invalid {
        /// The format being read.
        format: &'static str,
        /// Where the value is: a JSON path, or a message and element.
        path: String,
        /// Where the value is in the input, when known.
        position: Option<Position>,
        /// What was expected, and what was found.
        message: String,
    },
    /// The input is none of the formats tgexport reads.
    #[error("not a Telegram export: {found}")]
    NotAnExport {
        /// What the input looked like instead.
        found: String,
    },
    /// An export cannot be rendered in the asked form (e.g. two messages claim one line).
    #[error("cannot render as text: {0}")]
    Render(String),
    /// A value cannot be serialised as JSON or CSV.
    #[error("cannot write {format}: {message}")]
    Serialize {
        /// The output form: `JSON` or `CSV`.
        format: &'static str,
        /// What serde_json or csv reported.
        message: String,
    },
    /// An error of the input file `path`.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What went wrong in it.
        source: Box<Error>,
    },
    /// Reading or writing failed.
    #[error("{}{source}", path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Io {
        /// The file involved, when there is one.
        path: Option<PathBuf>,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// Where in the input the error happened, for every error that has a place:
    /// bytes that are not UTF-8, syntax, a JSON value of the wrong type or shape. The
    /// position of an error in a file is that of the error inside it.
    pub fn position(&self) -> Option<Position> {
        match self {
            Self::InvalidUtf8 {
                line,
                column,
                offset,
            }
            | Self::Syntax {
                line,
                column,
                offset: Some(offset),
                ..
            } => Some(Position {
                line: *line,
                column: *column,
                offset: *offset,
            }),
            Self::Invalid { position, .. } => *position,
            Self::InFile { source, .. } => source.position(),
            _ => None,
        }
    }

    /// Names the file the error happened in, unless it already names one.
    pub fn with_path(self, path: impl Into<PathBuf>) -> Self {
        match self {
            Self::Io { path: None, source } => Self::Io {
                path: Some(path.into()),
                source,
            },
            named @ (Self::Io { .. } | Self::InFile { .. }) => named,
            other => Self::InFile {
                path: path.into(),
                source: Box::new(other),
            },
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Self::Io { path: None, source }
    }
}

/// 1-based line and character column of `offset` in `input`.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (u64, u64) {
    let before = &input[..offset.min(input.len())];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, chars(&before[line_start..]) + 1)
}

/// The index in `bytes` of the 1-based line and byte column `serde_json` gives.
pub(crate) fn index_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = match line.max(1) {
        1 => 0,
        line => memchr::memchr_iter(b'\n', bytes)
            .nth(line - 2)
            .map_or(bytes.len(), |newline| newline + 1),
    };
    (line_start + column.max(1) - 1).min(bytes.len())
}

/// The characters `bytes` start, counted as the bytes that do not continue a UTF-8
/// sequence: exact for UTF-8, and a byte a character where the bytes are broken.
pub(crate) fn chars(bytes: &[u8]) -> u64 {
    count(bytes, |b| (b as i8) >= -0x40)
}

/// The bytes of `bytes` that `is` picks, counted in byte-wide lanes (255 bytes cannot
/// overflow one) so that the loop compiles to wide SIMD compares and adds: readers count
/// lines and characters of every byte they drop from their window.
pub(crate) fn count(bytes: &[u8], is: impl Fn(u8) -> bool) -> u64 {
    bytes
        .chunks(255)
        .map(|chunk| u64::from(chunk.iter().map(|&b| u8::from(is(b))).sum::<u8>()))
        .sum()
}

/// Checks that `input` is UTF-8, or says where it is not.
pub(crate) fn utf8(input: &[u8]) -> Result<&str, Error> {
    checked_utf8(input).map_err(|e| {
        let (line, column) = line_column(input, e.valid_up_to());
        Error::InvalidUtf8 {
            line,
            column,
            offset: e.valid_up_to() as u64,
        }
    })
}

/// `input` as text, with SIMD: the fast check first, the one that finds the position of
/// an error only when there is one.
pub(crate) fn checked_utf8(input: &[u8]) -> Result<&str, simdutf8::compat::Utf8Error> {
    simdutf8::basic::from_utf8(input).or_else(|_| simdutf8::compat::from_utf8(input))
}

/// Result with tgexport's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_column_and_offset() {
        let err = utf8(b"ok\nab\xffc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at line 2, column 3 (byte offset 5): expected UTF-8 text"
        );
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column(b"", 0), (1, 1));
        assert_eq!(line_column(b"a\nbc", 3), (2, 2));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("я\nжук".as_bytes(), 7), (2, 3));
        assert_eq!(chars("a😀é".as_bytes()), 3);
        // Past one lane's 255 bytes, and a lane of 255 hits exactly.
        assert_eq!(chars("ж".repeat(700).as_bytes()), 700);
        assert_eq!(count(&[b'\n'; 765], |b| b == b'\n'), 765);
        assert_eq!(chars(b"\xff\xfe"), 2);
    }

    /// The position of the first error reading `input` as `format`, streaming.
    fn streamed(input: &[u8], format: crate::Format) -> Option<Position> {
        let error = match crate::read_as(input, format) {
            Ok(reader) => reader.into_export().unwrap_err(),
            Err(error) => error,
        };
        error.position()
    }

    #[test]
    fn every_reader_counts_columns_in_characters() {
        use crate::Format;
        let at = |line, column, offset| {
            Some(Position {
                line,
                column,
                offset,
            })
        };
        let text = "Forwarded from A\nжж \u{FEFF}".as_bytes();
        let bad_text = [text, b"\xff\n"].concat();
        assert_eq!(streamed(&bad_text, Format::Text), at(2, 5, 25));
        let page = "<div class=\"history\">\n<p>жж ".as_bytes();
        let bad_page = [page, b"\xff"].concat();
        assert_eq!(streamed(&bad_page, Format::TdesktopHtml), at(2, 7, 30));
        // Damage inside a message is a warning; outside one, the read stops.
        let json = "{\"name\": \"жж\",\n \"type\": ж, \"messages\": []}".as_bytes();
        assert_eq!(streamed(json, Format::TdesktopJson), at(2, 10, 26));
    }

    #[test]
    fn the_position_of_an_error_in_a_file_is_the_inner_one() {
        let err = utf8(b"ok\n\xd0\xb6\xff").unwrap_err().with_path("x.txt");
        let expected = Position {
            line: 2,
            column: 2,
            offset: 5,
        };
        assert_eq!(err.position(), Some(expected));
        assert_eq!(Error::from(std::io::Error::other("x")).position(), None);
    }
}
