//! Telegram Desktop's `result.json`, from the 2018 exports to today's, of a few kilobytes or
//! tens of gigabytes.
//!
//! # Reading
//!
//! The file is never parsed whole. A byte-level scanner finds each message object in the
//! stream (`scan`), following either layout of the file (`document`); each message
//! alone is parsed by `serde_json` into types borrowing from the input (`raw`) and
//! converted into the model (`convert`, `media`), whose text then goes through the same
//! [`analysis`](crate::analysis) as every format. Memory stays bounded by the largest
//! message.
//!
//! # Layouts
//!
//! - A **single chat** (`name`, `type`, `id`, `messages`) is read into an [`Export`] whose
//!   [`channel`](Export::channel) is that chat.
//! - A **whole account** (`chats.list[]` and `left_chats.list[]`, each chat with its own
//!   `name`, `type`, `id` and `messages`) has no one channel: `channel` is `None` and
//!   every message names its chat in [`Message::chat`](crate::Message::chat), with `left`
//!   set for chats the account had left. [`Message::index`](crate::Message::index) counts
//!   through all chats. [`Export::chats`] lists every chat, with or without messages; the
//!   account's other sections (`about`, contacts, sessions…) and any other key outside
//!   the messages are kept in [`Export::extra`] (read into memory, unlike the messages).
//!
//! # What each message becomes
//!
//! - `date`/`edited` are UTC when the export has `date_unixtime`/`edited_unixtime`, else
//!   the exporting machine's wall-clock time without an offset, as written (see
//!   [`Message::assume_offset`](crate::Message::assume_offset) and the CLI's `--tz`).
//! - `from_id` and the other peer ids, as `user123` strings or as the bare or bit-packed
//!   numbers of old exports, become [`PeerId`](crate::PeerId)s.
//! - `text`, a string or an array of strings and entity objects, or `text_entities`
//!   where the export has it, becomes the message text (the parts concatenated) and its
//!   entities, with offsets in code points.
//! - The media keys become one [`Media`](crate::Media) item; a path that is one of
//!   tdesktop's sentences for a file it did not download (`(File not included. …)`)
//!   sets `not_included` instead of `file`.
//! - A service message's `action`, `actor` and every key of its own go into its
//!   [`Action`](crate::Action). Keys this reader does not know are kept, as found, in
//!   [`Message::extra`](crate::Message::extra).
//!
//! # Broken files
//!
//! Control characters tdesktop writes as `\x01` (not JSON) and the stray bytes it leaves
//! after `\u2028` are repaired, with a warning. A file cut off by an interrupted export
//! yields every complete message and a warning giving the byte offset where it ends.
//! Damage inside a message (bytes that are not UTF-8, a lone surrogate, a value of the
//! wrong type, broken JSON) costs the damaged part only: see `damage`. Each change is a
//! warning naming the message id, line and column, and the original is kept in the
//! message's `extra.tgexport_damaged`.

mod convert;
mod damage;
mod document;
mod lenient;
mod media;
mod messages;
mod raw;
mod scan;
mod text;
mod values;

use std::io::Read;

pub use messages::Messages;

use crate::error::Result;
use crate::source::{MessageSource, Reader, Serialize, Serialized};
use crate::{Channel, Chat, Export, Format, Warning};

/// Parses a whole `result.json` held in memory.
///
/// ```
/// let json = r#"{"name": "Demo", "type": "public_channel", "id": 7, "messages": [
///   {"id": 1, "type": "service", "date": "2020-02-01T10:00:00", "actor": "Demo",
///    "actor_id": 8589934599, "action": "create_channel", "title": "Demo", "text": ""}]}"#;
/// let export = tgexport::tdesktop_json::parse(json)?;
/// assert_eq!(export.channel.unwrap().kind.as_deref(), Some("public_channel"));
/// let action = export.messages[0].action.as_ref().unwrap();
/// assert_eq!(action.kind, tgexport::ActionKind::CreateChannel);
/// assert_eq!(action.actor.as_ref().unwrap().id.unwrap().to_string(), "channel7");
/// assert_eq!(action.fields["title"], "Demo");
/// # Ok::<(), tgexport::Error>(())
/// ```
pub fn parse(input: &str) -> Result<Export> {
    open(input.as_bytes())?.into_export()
}

/// Reads a `result.json` message by message; see [`Messages`].
pub fn reader<R: Read>(input: R) -> Result<Messages<R>> {
    Messages::new(input)
}

/// Reads a `result.json` message by message, as a [`Reader`] like every format's.
pub(crate) fn open<'a, R: Read + Send + 'a>(input: R) -> Result<Reader<'a>> {
    let messages = Messages::new(input)?;
    let channel = messages.channel();
    Ok(Reader::new(
        Format::TdesktopJson,
        channel,
        Box::new(messages),
    ))
}

impl<R: Read + Send> MessageSource for Messages<R> {
    fn warnings(&self) -> Vec<Warning> {
        Messages::warnings(self)
    }

    fn channel(&self) -> Option<Channel> {
        Messages::channel(self)
    }

    fn channel_settled(&self) -> bool {
        Messages::channel_settled(self)
    }

    fn chats(&self) -> Vec<Chat> {
        Messages::chats(self)
    }

    fn extra(&self) -> serde_json::Map<String, serde_json::Value> {
        Messages::extra(self)
    }

    fn go_parallel(&mut self, threads: usize) -> Result<()> {
        Ok(Messages::go_parallel(self, threads)?)
    }

    fn serialized(&mut self, serialize: Serialize) -> Option<Serialized<'_>> {
        Messages::serialized(self, serialize).map(|lines| Box::new(lines) as Serialized<'_>)
    }
}
