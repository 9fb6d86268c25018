//! The one message model every input format is read into.
//!
//! Fields that a format cannot fill are `None` or empty; nothing here is specific to one
//! format except [`TextLayout`] and the `line` numbers, which let a plain-text copy be
//! rendered back byte for byte.

mod entity;
mod media;
mod message;
mod open_enum;
mod peer;
mod string_form;
mod time;

use serde::{Deserialize, Serialize};

pub use entity::{DateMention, EmojiInfo, Entity, EntityKind, Link};
pub use media::{Contact, Location, Media, MediaKind, Poll, PollAnswer};
pub use message::{
    Action, ActionKind, Button, Duplicate, Footer, Forward, LineRange, Marker, Message,
    MessageKind, Paragraph, Reaction, ReactionKind, RecentReaction, ReplyTo, SourceLine,
};
pub(crate) use open_enum::open_enum;
pub use peer::{Peer, PeerId, PeerKind};
use string_form::string_form;
pub use time::{Timestamp, TimestampError};

/// Version of the JSON output's shape; raised whenever a field changes meaning or is removed.
pub const SCHEMA_VERSION: u32 = 1;

/// A parsed export: the channel it came from and its messages, in source order.
///
/// ```
/// let export = tgexport::parse("Forwarded from Russian MFA 🇷🇺\n#Victory78\n").unwrap();
/// assert_eq!(export.format, tgexport::Format::Text);
/// assert_eq!(export.messages[0].hashtags, ["#Victory78"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Export {
    /// Shape version of this JSON ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The input format the export was read from.
    pub format: Format,
    /// The channel (or chat), when the input names it.
    pub channel: Option<Channel>,
    /// Every message, in source order.
    pub messages: Vec<Message>,
    /// How a plain-text input was laid out (BOM, newlines), for exact rendering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<TextLayout>,
    /// Every chat of an export of several chats (a Telegram Desktop export of a whole
    /// account: `chats` then `left_chats`), in order, with or without messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chats: Vec<Chat>,
    /// Keys of the export outside its messages and chat names, as found: the other
    /// sections of an account export (`about`, `personal_information`, `contacts`,
    /// `sessions`…), the keys beside a chat list (`chats.about`), anything new.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Problems that did not stop reading, such as a file cut off mid-message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl Export {
    /// An export of `format` with no channel and no messages.
    pub fn new(format: Format) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            format,
            channel: None,
            messages: Vec::new(),
            layout: None,
            chats: Vec::new(),
            extra: serde_json::Map::new(),
            warnings: Vec::new(),
        }
    }
}

/// An input format tgexport reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// Text copied from a channel page (t.me/s/NAME) in a browser.
    Text,
    /// Telegram Desktop's `result.json`.
    TdesktopJson,
    /// Telegram Desktop's `messages*.html`.
    TdesktopHtml,
    /// A t.me/s web-preview page saved as HTML.
    TmeHtml,
    /// tgexport's own JSON Lines, read back: the lines do not say which format their
    /// messages were first read from.
    TgexportJsonl,
}

impl Format {
    /// The format's name as used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::TdesktopJson => "tdesktop_json",
            Self::TdesktopHtml => "tdesktop_html",
            Self::TmeHtml => "tme_html",
            Self::TgexportJsonl => "tgexport_jsonl",
        }
    }
}

/// The channel or chat an export belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Channel {
    /// Display name, such as `Russian MFA`.
    pub title: Option<String>,
    /// Public username without `@`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Telegram's numeric id, when the export has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Chat type as Telegram names it (`public_channel`, `private_group`, …).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The channel description, lines joined with `\n`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Counters shown under the title (`1.15K subscribers` → `subscribers: 1150`).
    #[serde(default)]
    pub counters: Counters,
    /// The header's lines as written, when it was read from a plain-text copy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<SourceLine>,
}

/// The chat a message belongs to, when an export holds several
/// ([`Message::chat`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Chat {
    /// Display name; `None` for Saved Messages and deleted accounts.
    pub title: Option<String>,
    /// Telegram's numeric id (without the kind, as exports write it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Chat type as Telegram names it (`personal_chat`, `private_supergroup`, …).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether the exporting account had left it (Telegram Desktop's `left_chats`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub left: bool,
    /// Keys of the chat's entry this version of tgexport does not know, as found (only in
    /// [`Export::chats`]; a message's [`chat`](Message::chat) just names it).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Counters of a channel page, as numbers (`1.97K` → 1970).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Counters {
    /// `subscribers` / `subscriber`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribers: Option<u64>,
    /// `members` of a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<u64>,
    /// `photos`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photos: Option<u64>,
    /// `videos`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub videos: Option<u64>,
    /// `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<u64>,
    /// `links`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<u64>,
    /// Counters with other labels (`audio files`, …), keyed by the plural label.
    #[serde(default, flatten)]
    pub other: std::collections::BTreeMap<String, u64>,
}

impl Counters {
    /// Records `count` under `label` (`subscribers`, `photo`, …), singular or plural.
    pub fn set(&mut self, label: &str, count: u64) {
        let slot = match label {
            "subscriber" | "subscribers" => &mut self.subscribers,
            "member" | "members" => &mut self.members,
            "photo" | "photos" => &mut self.photos,
            "video" | "videos" => &mut self.videos,
            "file" | "files" => &mut self.files,
            "link" | "links" => &mut self.links,
            other => {
                self.other.insert(other.to_owned(), count);
                return;
            }
        };
        *slot = Some(count);
    }
}

/// How a plain-text input was laid out beyond its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TextLayout {
    /// Whether the input started with a UTF-8 byte order mark.
    pub bom: bool,
    /// The line ending most lines use.
    pub newline: Newline,
    /// 1-based numbers of the lines whose ending is the other one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_newline: Vec<u32>,
    /// Whether the last line ends with a line ending.
    pub final_newline: bool,
    /// Number of lines (a final line ending does not start another line).
    pub line_count: u32,
}

/// A line ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Newline {
    /// `\n`
    Lf,
    /// `\r\n`
    Crlf,
}

impl Newline {
    /// The ending's bytes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lf => "\n",
            Self::Crlf => "\r\n",
        }
    }

    /// The other ending.
    pub fn other(self) -> Self {
        match self {
            Self::Lf => Self::Crlf,
            Self::Crlf => Self::Lf,
        }
    }
}

/// Something odd in the input that did not stop reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Warning {
    /// Byte offset in the input where it was noticed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// The file it was noticed in, for inputs of several files (HTML export folders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line where it was noticed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of `line`, in characters, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What happened and what was kept.
    pub message: String,
}

impl Warning {
    /// A warning at byte `offset`.
    pub fn at(offset: Option<u64>, message: impl Into<String>) -> Self {
        Self {
            offset,
            file: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A warning at `line` of `file` (`None` for an input of one stream).
    pub fn in_file(file: Option<String>, line: u32, message: impl Into<String>) -> Self {
        Self {
            offset: None,
            file,
            line: Some(line),
            column: None,
            message: message.into(),
        }
    }
}
