//! Writing messages out: pretty JSON, JSON Lines, plain text.
//!
//! JSON, JSON Lines and CSV are written as messages arrive, so converting a huge export
//! needs memory for one message at a time. Every writer takes the reader as `&mut`, so
//! that its [`warnings`](Reader::warnings), complete once every message was read, can be
//! looked at afterwards.

mod compact;
#[cfg(feature = "parquet")]
mod parquet;

use std::io::Write;

use std::cell::RefCell;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::error::{Error, Result};
use crate::source::parallel::Decode;
use crate::{Export, Message, MessageKind, Reader, SCHEMA_VERSION, Warning};

#[cfg(feature = "parquet")]
pub use parquet::ParquetTable;

/// An output form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputFormat {
    /// One pretty-printed JSON document, the shape of [`Export`].
    Json,
    /// One compact JSON [`Message`] per line.
    Jsonl,
    /// Plain text: a parsed copy byte for byte, other inputs in a readable form.
    Text,
    /// One CSV row per message, for spreadsheets (see [`csv()`]).
    Csv,
}

fn json_error(error: serde_json::Error) -> Error {
    if error.is_io() {
        Error::from(std::io::Error::from(error))
    } else {
        Error::Serialize {
            format: "JSON",
            message: error.to_string(),
        }
    }
}

/// Writes the messages of `reader` as one pretty JSON document, byte for byte what
/// `serde_json::to_string_pretty` gives for the whole [`Export`], followed by a newline;
/// but for an input that may name its channel after its messages (a `result.json` with
/// sorted keys, a t.me page with its header last), whose `channel` follows `messages`.
///
/// When reading fails midway, the document is still closed, with a last warning saying
/// where reading stopped, so that what was written parses; then the error is returned.
pub fn json<W: Write>(reader: &mut Reader<'_>, mut out: W) -> Result<W> {
    let streamed = Streamed {
        reader: RefCell::new(reader),
        failed: RefCell::new(None),
    };
    // serde writes token by token: a buffer of our own keeps those writes static calls,
    // whatever `out` is (the CLI hands in a `dyn Write`).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut out);
    serde_json::to_writer_pretty(&mut buffered, &streamed).map_err(json_error)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    drop(buffered);
    match streamed.failed.into_inner() {
        Some(err) => Err(err),
        None => Ok(out),
    }
}

/// The export a reader streams, serialised as [`Export`] is, its messages pulled from the
/// reader as serde writes them. A read error ends the messages early and waits in
/// `failed`, so that the document still closes.
struct Streamed<'r, 'a> {
    reader: RefCell<&'r mut Reader<'a>>,
    failed: RefCell<Option<Error>>,
}

impl Serialize for Streamed<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let settled = self.reader.borrow().channel_settled();
        let mut export = serializer.serialize_struct("Export", 8)?;
        export.serialize_field("schema_version", &SCHEMA_VERSION)?;
        export.serialize_field("format", &self.reader.borrow().format())?;
        // A channel that a later part of the input may still name is written after the
        // messages, once it is whole, rather than written early and wrong.
        if settled {
            export.serialize_field("channel", &self.reader.borrow().channel())?;
        }
        export.serialize_field("messages", &Messages(self))?;
        let reader = self.reader.borrow();
        if !settled {
            export.serialize_field("channel", &reader.channel_so_far(reader.channel().cloned()))?;
        }
        if let Some(layout) = reader.layout() {
            export.serialize_field("layout", &layout)?;
        }
        let chats = reader.chats();
        if !chats.is_empty() {
            export.serialize_field("chats", &chats)?;
        }
        let extra = reader.extra();
        if !extra.is_empty() {
            export.serialize_field("extra", &extra)?;
        }
        let mut warnings = reader.warnings();
        if let Some(err) = &*self.failed.borrow() {
            warnings.push(Warning::at(
                None,
                format!("reading stopped here, the messages after this point are missing: {err}"),
            ));
        }
        if !warnings.is_empty() {
            export.serialize_field("warnings", &warnings)?;
        }
        export.end()
    }
}

/// The messages of a [`Streamed`] export, read as they are written.
struct Messages<'s, 'r, 'a>(&'s Streamed<'r, 'a>);

impl Serialize for Messages<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let Streamed { reader, failed } = self.0;
        serializer.collect_seq(std::iter::from_fn(|| match reader.borrow_mut().next()? {
            Ok(message) => Some(message),
            Err(err) => {
                *failed.borrow_mut() = Some(err);
                None
            }
        }))
    }
}

/// Writes the messages of `reader` as JSON Lines: one compact message per line.
///
/// A [`parallel`](Reader::parallel) reader's messages are serialised on a pool, and
/// written in input order.
pub fn jsonl<W: Write>(reader: &mut Reader<'_>, mut out: W) -> Result<W> {
    if let Some(lines) = reader.serialized(JsonLine::line) {
        for line in lines {
            out.write_all(&line?)?;
        }
        out.flush()?;
        return Ok(out);
    }
    if let Some(lines) = reader.pooled::<JsonLine>() {
        for line in lines? {
            out.write_all(&line??)?;
        }
        out.flush()?;
        return Ok(out);
    }
    // One write per line from a reused buffer: serde writes token by token, and each
    // small write through `out` costs more than appending to a Vec.
    let mut line = Vec::new();
    for message in reader.by_ref() {
        line.clear();
        json_line(&message?, &mut line)?;
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()?;
    Ok(out)
}

/// Appends `message` as one line of JSON Lines holds it, without the newline.
pub(crate) fn json_line(message: &Message, line: &mut Vec<u8>) -> Result<()> {
    compact::to_vec(line, message).map_err(json_error)
}

/// A message as a line of JSON Lines, serialised on a pool.
struct JsonLine;

impl JsonLine {
    /// Appends the line of `message`, with its newline.
    fn line(message: &Message, out: &mut Vec<u8>) -> Result<()> {
        json_line(message, out)?;
        out.push(b'\n');
        Ok(())
    }
}

impl Decode for JsonLine {
    type Unit = Message;
    type Decoded = Result<Vec<u8>>;

    fn decode(message: Message) -> Self::Decoded {
        // Room for most messages at once: growing from serde's small default copies.
        let mut line = Vec::with_capacity(4096);
        Self::line(&message, &mut line)?;
        Ok(line)
    }
}

/// Writes the messages of `reader` as plain text (see [`crate::text::render::render`]).
pub fn text<W: Write>(reader: &mut Reader<'_>, out: W) -> Result<W> {
    let export: Export = reader.take_export()?;
    crate::text::render::render(&export, out)
}

/// The columns [`csv()`] writes.
pub const CSV_HEADER: [&str; 17] = [
    "source",
    "index",
    "id",
    "kind",
    "date",
    "channel",
    "chat",
    "forwarded_from",
    "reply_to",
    "reply_to_chat",
    "media",
    "hashtags",
    "mentions",
    "links",
    "views",
    "duplicate",
    "text",
];

/// Writes the messages of `reader` as CSV with a header row ([`CSV_HEADER`]): one row per
/// message. `channel` is the export's channel, `chat` the message's own chat in a
/// whole-account export (its title, else its id); `reply_to` the id of the message
/// replied to, and `reply_to_chat` its chat when that is another one. Lists (media
/// kinds, hashtags, mentions, links by their URL or, when the URL was lost, their text)
/// are JSON arrays, so that a cell splits the same way whatever its items hold.
pub fn csv<W: Write>(reader: &mut Reader<'_>, out: W) -> Result<W> {
    let mut table = CsvTable::new(out)?;
    table.write(reader)?;
    table.finish()
}

/// One CSV table ([`CSV_HEADER`], then rows as [`csv()`] writes them) of the messages of
/// one or more readers.
///
/// ```
/// let mut table = tgexport::write::CsvTable::new(Vec::new())?;
/// table.write(&mut tgexport::read(&b"Forwarded from A\n#one\n"[..])?)?;
/// table.write(&mut tgexport::read(&b"Forwarded from B\n#two\n"[..])?)?;
/// let csv = String::from_utf8(table.finish()?).unwrap();
/// assert_eq!(csv.lines().count(), 3);
/// # Ok::<(), tgexport::Error>(())
/// ```
pub struct CsvTable<W: Write> {
    writer: ::csv::Writer<W>,
}

impl<W: Write> CsvTable<W> {
    /// Starts a table in `out` with its header row.
    pub fn new(out: W) -> Result<Self> {
        let mut writer = ::csv::Writer::from_writer(out);
        writer.write_record(CSV_HEADER).map_err(csv_error)?;
        Ok(Self { writer })
    }

    /// Appends a row for every message of `reader`. The rows written before a failure
    /// to read are whole and passed on to the output.
    pub fn write(&mut self, reader: &mut Reader<'_>) -> Result<()> {
        let written = write_csv_rows(reader, &mut self.writer);
        self.writer.flush()?;
        written
    }

    /// Flushes the table and hands back its output.
    pub fn finish(self) -> Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| Error::from(e.into_error()))
    }
}

fn write_csv_rows<W: Write>(reader: &mut Reader<'_>, writer: &mut ::csv::Writer<W>) -> Result<()> {
    let channel = reader
        .channel()
        .and_then(|c| c.title.clone())
        .unwrap_or_default();
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    for message in reader.by_ref() {
        let m = message?;
        let chat = chat_name(&m);
        let reply = m.reply_to.as_ref();
        writer
            .write_record([
                m.source.as_deref().unwrap_or_default(),
                &m.index.to_string(),
                &number(m.id),
                kind_name(m.kind),
                &m.date.map(|d| d.to_string()).unwrap_or_default(),
                &channel,
                chat.as_deref().unwrap_or_default(),
                m.forwarded_from
                    .as_ref()
                    .and_then(|f| f.name.as_deref())
                    .unwrap_or_default(),
                &number(reply_to_id(&m)),
                &reply
                    .and_then(|r| r.peer_id)
                    .map(|peer| peer.to_string())
                    .unwrap_or_default(),
                &json_list(m.media.iter().map(|media| media.kind.as_str()))?,
                &json_list(m.hashtags.iter().map(String::as_str))?,
                &json_list(m.mentions.iter().map(String::as_str))?,
                &json_list(m.links.iter().map(|l| l.url.as_deref().unwrap_or(&l.text)))?,
                &m.views.map(|v| v.to_string()).unwrap_or_default(),
                if m.duplicate.is_some() {
                    "true"
                } else {
                    "false"
                },
                &m.text,
            ])
            .map_err(csv_error)?;
    }
    Ok(())
}

/// The chat of a message of a whole-account export: its title, else its id.
pub(crate) fn chat_name(message: &Message) -> Option<String> {
    let chat = message.chat.as_ref()?;
    chat.title
        .clone()
        .or_else(|| chat.id.map(|id| id.to_string()))
}

/// The id of the message `message` replies to.
pub(crate) fn reply_to_id(message: &Message) -> Option<i64> {
    message.reply_to.as_ref().and_then(|r| r.message_id)
}

/// A CSV cell holding `items` as a JSON array of strings.
fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> Result<String> {
    serde_json::to_string(&items.collect::<Vec<_>>()).map_err(json_error)
}

/// The name of `kind` as in JSON.
pub(crate) fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Message => "message",
        MessageKind::Service => "service",
        MessageKind::Unsupported => "unsupported",
    }
}

fn csv_error(error: ::csv::Error) -> Error {
    match error.into_kind() {
        ::csv::ErrorKind::Io(io) => Error::from(io),
        other => Error::Serialize {
            format: "CSV",
            message: format!("{other:?}"),
        },
    }
}

/// Writes `reader` in `format`; the reader is left exhausted, its
/// [`warnings`](Reader::warnings) complete.
pub fn write<W: Write>(reader: &mut Reader<'_>, format: OutputFormat, out: W) -> Result<W> {
    match format {
        OutputFormat::Json => json(reader, out),
        OutputFormat::Jsonl => jsonl(reader, out),
        OutputFormat::Text => text(reader, out),
        OutputFormat::Csv => csv(reader, out),
    }
}
