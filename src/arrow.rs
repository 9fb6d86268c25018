//! Messages as an Arrow table: one row per message, typed columns for what analyses
//! filter and count on, and the whole message as JSON beside them (needs the `arrow`
//! feature).
//!
//! The columns ([`schema`]), in order:
//!
//! | column | type | holds |
//! |---|---|---|
//! | `source` | string | the input the message was read from ([`Message::source`]) |
//! | `index` | int64 | position in its input, from 0 |
//! | `id` | int64 | Telegram's message id |
//! | `chat` | string | the chat of a whole-account export: its title, else its id |
//! | `kind` | string | `message`, `service` or `unsupported` |
//! | `date`, `edited` | timestamp (µs, UTC) | posted and last edited; null for a time written without an offset (see below) |
//! | `from` | string | the sender's name |
//! | `forwarded_from` | string | the name of the forward's source |
//! | `reply_to` | int64 | the id of the message replied to |
//! | `media` | list of string | the kinds of the media attached |
//! | `hashtags`, `mentions` | list of string | as in the message |
//! | `links` | list of struct `text`, `url` | `url` null where a copy lost it |
//! | `views` | int64 | view count |
//! | `reactions` | list of struct `emoji`, `count` | `emoji` null for custom emoji and paid stars |
//! | `text` | string | the whole text |
//! | `message` | string | the message's JSON, exactly the line `convert --to jsonl` writes |
//!
//! Old Telegram Desktop exports wrote the exporting machine's wall-clock time without an
//! offset. Such a time is not taken as UTC: its `date` or `edited` cell is null, the
//! `message` column keeps it as written, and [`TableBuilder::warnings`] says how many
//! messages have one. [`Reader::assume_offset`] (the CLI's `--tz`) gives them their offset.
//!
//! ```
//! use tgexport::arrow::Batches;
//! let mut reader = tgexport::read(&b"Forwarded from A\n#one\nForwarded from B\n#two\n"[..])?;
//! let batches = Batches::new(&mut reader, Some("copy.txt".into()))
//!     .collect::<tgexport::Result<Vec<_>>>()?;
//! assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 2);
//! assert_eq!(batches[0].schema(), tgexport::arrow::schema());
//! # Ok::<(), tgexport::Error>(())
//! ```

use std::sync::{Arc, LazyLock};

use arrow_array::builder::{
    ArrayBuilder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef, TimeUnit};

use crate::error::{Error, Result};
use crate::write::{chat_name, json_line, kind_name, reply_to_id};
use crate::{Message, Reader, Timestamp, Warning};

/// At most this many rows go in one batch of [`Batches`] ([`TableBuilder::is_full`]).
pub const BATCH_ROWS: usize = 8192;

/// A batch is also full once its strings hold this many bytes, so that a few huge
/// messages do not make a huge batch.
const BATCH_BYTES: usize = 2 << 20;

/// The table's schema: the columns in the order the module's table lists them.
pub fn schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
        let string = |name| Field::new(name, DataType::Utf8, true);
        let int = |name| Field::new(name, DataType::Int64, true);
        let time = |name| {
            Field::new(
                name,
                DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
                true,
            )
        };
        let list = |name, item: FieldRef| Field::new(name, DataType::List(item), false);
        Arc::new(Schema::new(vec![
            string("source"),
            Field::new("index", DataType::Int64, false),
            int("id"),
            string("chat"),
            Field::new("kind", DataType::Utf8, false),
            time("date"),
            time("edited"),
            string("from"),
            string("forwarded_from"),
            int("reply_to"),
            list("media", string_item()),
            list("hashtags", string_item()),
            list("mentions", string_item()),
            list("links", struct_item(link_fields())),
            int("views"),
            list("reactions", struct_item(reaction_fields())),
            Field::new("text", DataType::Utf8, false),
            Field::new("message", DataType::Utf8, false),
        ]))
    });
    SCHEMA.clone()
}

fn string_item() -> FieldRef {
    Arc::new(Field::new("item", DataType::Utf8, false))
}

fn struct_item(fields: Fields) -> FieldRef {
    Arc::new(Field::new("item", DataType::Struct(fields), false))
}

fn link_fields() -> Fields {
    Fields::from(vec![
        Field::new("text", DataType::Utf8, false),
        Field::new("url", DataType::Utf8, true),
    ])
}

fn reaction_fields() -> Fields {
    Fields::from(vec![
        Field::new("emoji", DataType::Utf8, true),
        Field::new("count", DataType::Int64, false),
    ])
}

fn strings() -> ListBuilder<StringBuilder> {
    ListBuilder::new(StringBuilder::new()).with_field(string_item())
}

fn structs(fields: Fields, builders: Vec<Box<dyn ArrayBuilder>>) -> ListBuilder<StructBuilder> {
    let item = struct_item(fields.clone());
    ListBuilder::new(StructBuilder::new(fields, builders)).with_field(item)
}

/// Builds record batches of [`schema`] from messages pushed one at a time; memory holds
/// only the rows not yet taken by [`finish_batch`](Self::finish_batch).
///
/// ```
/// let mut table = tgexport::arrow::TableBuilder::new();
/// for message in tgexport::read(&b"Forwarded from A\n#one\n"[..])? {
///     table.push(&message?)?;
///     if table.is_full() {
///         drop(table.finish_batch()?); // hand the batch on
///     }
/// }
/// let batch = table.finish_batch()?;
/// assert_eq!(batch.num_rows(), 1);
/// # Ok::<(), tgexport::Error>(())
/// ```
#[derive(Debug)]
pub struct TableBuilder {
    source: StringBuilder,
    index: Int64Builder,
    id: Int64Builder,
    chat: StringBuilder,
    kind: StringBuilder,
    date: TimestampMicrosecondBuilder,
    edited: TimestampMicrosecondBuilder,
    from: StringBuilder,
    forwarded_from: StringBuilder,
    reply_to: Int64Builder,
    media: ListBuilder<StringBuilder>,
    hashtags: ListBuilder<StringBuilder>,
    mentions: ListBuilder<StringBuilder>,
    links: ListBuilder<StructBuilder>,
    views: Int64Builder,
    reactions: ListBuilder<StructBuilder>,
    text: StringBuilder,
    message: StringBuilder,
    /// Messages pushed with a time that has no offset.
    naive_times: usize,
    /// The JSON of the message being pushed, reused.
    line: Vec<u8>,
}

impl Default for TableBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TableBuilder {
    /// An empty table.
    pub fn new() -> Self {
        let utc = || TimestampMicrosecondBuilder::new().with_timezone("UTC");
        let string = || Box::new(StringBuilder::new()) as Box<dyn ArrayBuilder>;
        Self {
            source: StringBuilder::new(),
            index: Int64Builder::new(),
            id: Int64Builder::new(),
            chat: StringBuilder::new(),
            kind: StringBuilder::new(),
            date: utc(),
            edited: utc(),
            from: StringBuilder::new(),
            forwarded_from: StringBuilder::new(),
            reply_to: Int64Builder::new(),
            media: strings(),
            hashtags: strings(),
            mentions: strings(),
            links: structs(link_fields(), vec![string(), string()]),
            views: Int64Builder::new(),
            reactions: structs(
                reaction_fields(),
                vec![string(), Box::new(Int64Builder::new())],
            ),
            text: StringBuilder::new(),
            message: StringBuilder::new(),
            naive_times: 0,
            line: Vec::new(),
        }
    }

    /// Adds `message` as a row.
    pub fn push(&mut self, message: &Message) -> Result<()> {
        self.line.clear();
        json_line(message, &mut self.line)?;
        // serde_json writes UTF-8 only; checked all the same, since `unsafe` is not allowed.
        let json = std::str::from_utf8(&self.line).map_err(|e| Error::Serialize {
            format: "JSON",
            message: e.to_string(),
        })?;
        self.message.append_value(json);

        let m = message;
        self.source.append_option(m.source.as_deref());
        self.index.append_value(count(m.index));
        self.id.append_option(m.id);
        self.chat.append_option(chat_name(m));
        self.kind.append_value(kind_name(m.kind));
        let (date, edited) = (m.date.map(utc_micros), m.edited.map(utc_micros));
        if matches!(date, Some(None)) || matches!(edited, Some(None)) {
            self.naive_times += 1;
        }
        self.date.append_option(date.flatten());
        self.edited.append_option(edited.flatten());
        self.from
            .append_option(m.from.as_ref().and_then(|p| p.name.as_deref()));
        self.forwarded_from
            .append_option(m.forwarded_from.as_ref().and_then(|f| f.name.as_deref()));
        self.reply_to.append_option(reply_to_id(m));
        self.media
            .append_value(m.media.iter().map(|media| Some(media.kind.as_str())));
        self.hashtags.append_value(m.hashtags.iter().map(Some));
        self.mentions.append_value(m.mentions.iter().map(Some));
        for link in &m.links {
            let item = self.links.values();
            field::<StringBuilder>(item, 0).append_value(&link.text);
            field::<StringBuilder>(item, 1).append_option(link.url.as_deref());
            item.append(true);
        }
        self.links.append(true);
        self.views.append_option(m.views.map(count));
        for reaction in &m.reactions {
            let item = self.reactions.values();
            field::<StringBuilder>(item, 0).append_option(reaction.emoji.as_deref());
            field::<Int64Builder>(item, 1).append_value(count(reaction.count));
            item.append(true);
        }
        self.reactions.append(true);
        self.text.append_value(&m.text);
        Ok(())
    }

    /// Rows pushed and not yet taken.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no row waits to be taken.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the rows waiting make a batch: [`BATCH_ROWS`] rows, or fewer that hold
    /// 4 MiB of text.
    pub fn is_full(&self) -> bool {
        self.len() >= BATCH_ROWS
            || self.message.values_slice().len() + self.text.values_slice().len() >= BATCH_BYTES
    }

    /// Takes the rows pushed so far as a batch (of no rows when none were), leaving the
    /// table empty.
    pub fn finish_batch(&mut self) -> Result<RecordBatch> {
        let builders: [&mut dyn ArrayBuilder; 18] = [
            &mut self.source,
            &mut self.index,
            &mut self.id,
            &mut self.chat,
            &mut self.kind,
            &mut self.date,
            &mut self.edited,
            &mut self.from,
            &mut self.forwarded_from,
            &mut self.reply_to,
            &mut self.media,
            &mut self.hashtags,
            &mut self.mentions,
            &mut self.links,
            &mut self.views,
            &mut self.reactions,
            &mut self.text,
            &mut self.message,
        ];
        let columns: Vec<ArrayRef> = builders.into_iter().map(|b| b.finish()).collect();
        RecordBatch::try_new(schema(), columns).map_err(|e| Error::Serialize {
            format: "Arrow",
            message: e.to_string(),
        })
    }

    /// What the rows pushed so far lost: how many messages have a time written without
    /// an offset, whose `date` or `edited` cell is therefore null.
    pub fn warnings(&self) -> Vec<Warning> {
        if self.naive_times == 0 {
            return Vec::new();
        }
        let n = self.naive_times;
        vec![Warning::at(
            None,
            format!(
                "{n} message{} {} a time without a UTC offset (the exporting machine's \
                 local time): the Arrow/Parquet `date` or `edited` cell is null, the \
                 `message` column keeps the time as written; give the offset with --tz \
                 (Reader::assume_offset) to fill them",
                if n == 1 { "" } else { "s" },
                if n == 1 { "has" } else { "have" },
            ),
        )]
    }
}

/// The child builder `i` of a struct of [`schema`]: its types are fixed there.
fn field<T: ArrayBuilder>(item: &mut StructBuilder, i: usize) -> &mut T {
    item.field_builder(i)
        .expect("the struct builders are made with the types of the schema")
}

/// A count as int64: no count of messages, views or reactions comes near `i64::MAX`, and
/// one that did would stand at the maximum rather than wrap.
fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

/// Microseconds since the Unix epoch, when the time has an offset.
fn utc_micros(time: Timestamp) -> Option<i64> {
    time.to_utc().map(|t| t.timestamp_micros())
}

/// The messages of a reader as record batches of [`schema`], [`BATCH_ROWS`] rows at most
/// each ([`TableBuilder::is_full`]): memory holds one batch at a time.
///
/// A read error is yielded in place of the batch it fell in, and ends the batches.
#[derive(Debug)]
pub struct Batches<'r, 'a> {
    reader: &'r mut Reader<'a>,
    source: Option<String>,
    table: TableBuilder,
    done: bool,
}

impl<'r, 'a> Batches<'r, 'a> {
    /// The batches of `reader`; `source`, when given, names the input in every message
    /// (the `source` column, and `source` in the `message` JSON, as `convert` does for
    /// several inputs).
    pub fn new(reader: &'r mut Reader<'a>, source: Option<String>) -> Self {
        Self {
            reader,
            source,
            table: TableBuilder::new(),
            done: false,
        }
    }

    /// What the batches so far lost (see [`TableBuilder::warnings`]); the reader's own
    /// warnings stay with the reader ([`Reader::warnings`]).
    pub fn warnings(&self) -> Vec<Warning> {
        self.table.warnings()
    }
}

impl Iterator for Batches<'_, '_> {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        while !self.table.is_full() {
            let pushed = match self.reader.next() {
                None => break,
                Some(Ok(mut message)) => {
                    if let Some(source) = &self.source {
                        message.source = Some(source.clone());
                    }
                    self.table.push(&message)
                }
                Some(Err(err)) => Err(err),
            };
            if let Err(err) = pushed {
                self.done = true;
                return Some(Err(err));
            }
        }
        if self.table.is_empty() {
            self.done = true;
            return None;
        }
        Some(self.table.finish_batch())
    }
}
