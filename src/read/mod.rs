//! Reading any supported input as a stream of messages: detection, then the format's
//! reader (tgexport's own JSON and JSON Lines read back here).

mod jsonl;

use std::io::{BufRead, Read};

use crate::detect::{Detected, SNIFF_LEN, detect};
use crate::error::{Error, Result};
use crate::source::Reader;
use crate::{Export, Format, Warning};

/// Opens `input` as a stream of messages, detecting its format from its first bytes.
///
/// tgexport's own output is accepted too: its JSON (read whole) and JSON Lines. Other
/// JSON is refused as [`Error::NotAnExport`].
pub fn read<'a, R: BufRead + Send + 'a>(mut input: R) -> Result<Reader<'a>> {
    let detected = detect(peek(&mut input)?);
    match detected {
        Detected::Export(format) => read_as(input, format),
        Detected::TgexportJson => Ok(Reader::from_export(whole_json(input)?)),
        Detected::TgexportJsonArray => Ok(Reader::from_export(joined(whole_json(input)?))),
        Detected::TgexportJsonl => read_as(input, Format::TgexportJsonl),
        Detected::OtherJson => Err(Error::NotAnExport {
            found: "JSON that is neither a Telegram Desktop export nor tgexport's output; \
                    expected a Telegram Desktop result.json (an object with `messages` or \
                    `chats`), tgexport's JSON or JSON Lines, an HTML export or page, or a \
                    copied text"
                .to_owned(),
        }),
    }
}

/// The exports of tgexport's JSON of several inputs as one: their messages in order
/// (each names its `source` and keeps its `index`), the channel and format they share,
/// all their warnings.
fn joined(exports: Vec<Export>) -> Export {
    let mut exports = exports.into_iter();
    let mut joined = exports
        .next()
        .unwrap_or_else(|| Export::new(Format::TgexportJsonl));
    for export in exports {
        if export.format != joined.format {
            joined.warnings.push(Warning::at(
                None,
                format!(
                    "the exports read back are of several formats ({} and {}); `format` \
                     names the first",
                    joined.format.as_str(),
                    export.format.as_str()
                ),
            ));
        }
        if export.channel != joined.channel {
            joined.channel = None;
        }
        joined.messages.extend(export.messages);
        joined.warnings.extend(export.warnings);
        joined.layout = None;
    }
    joined
}

/// Opens `input` as a stream of messages of `format`.
pub fn read_as<'a, R: BufRead + Send + 'a>(input: R, format: Format) -> Result<Reader<'a>> {
    match format {
        Format::Text => crate::text::open(input),
        Format::TdesktopJson => crate::tdesktop_json::open(input),
        Format::TdesktopHtml => crate::tdesktop_html::reader(input),
        Format::TmeHtml => crate::tme_html::reader(input),
        Format::TgexportJsonl => Ok(jsonl::open(input)),
    }
}

/// The first bytes of `input`, left unconsumed: one buffer fill, which is enough since
/// every format is told apart by how it starts.
fn peek<R: BufRead>(input: &mut R) -> Result<&[u8]> {
    let buffer = input.fill_buf()?;
    Ok(&buffer[..buffer.len().min(SNIFF_LEN)])
}

/// tgexport's JSON, read whole to point at an error by line, character column and offset.
fn whole_json<T: serde::de::DeserializeOwned>(mut input: impl Read) -> Result<T> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    serde_json::from_slice(&bytes).map_err(|e| json_error("tgexport_json", &bytes, (1, 0), &e))
}

/// `error` of serde_json reading `input` (tgexport's JSON of `format`), placed at its line,
/// character column and byte offset; `first` is where `input` starts in the file (line and
/// byte offset), for input read a line at a time.
pub(crate) fn json_error(
    format: &'static str,
    input: &[u8],
    first: (u64, u64),
    error: &serde_json::Error,
) -> Error {
    let at = crate::error::index_of(input, error.line(), error.column());
    let (line, column) = crate::error::line_column(input, at);
    // The position is data of the error; serde_json's own copy of it would repeat it.
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    Error::Syntax {
        format,
        line: first.0 + line - 1,
        column,
        offset: Some(first.1 + at as u64),
        message: message.strip_suffix(&suffix).unwrap_or(&message).to_owned(),
    }
}
