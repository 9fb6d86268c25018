//! Inline pieces of a message's text: entities, links, dates, emoji.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::open_enum;

/// A formatted or recognised span of a message's [`text`](super::Message::text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Entity {
    /// What the span is.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// The span's text.
    pub text: String,
    /// Start of the span in the message text, in Unicode code points (Python `str` indices).
    pub offset: usize,
    /// Length of the span, in Unicode code points.
    pub length: usize,
    /// Target of a `text_link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// User of a `mention_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    /// Language of a `pre` block, as the source gives it (`""` when it says none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Sticker document of a `custom_emoji`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Whether a `blockquote` is collapsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collapsed: Option<bool>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Entity {
    /// An entity of `kind` covering `text` at `offset` (code points), with no extra data.
    pub fn new(kind: EntityKind, text: impl Into<String>, offset: usize) -> Self {
        let text = text.into();
        let length = text.chars().count();
        Self {
            kind,
            text,
            offset,
            length,
            href: None,
            user_id: None,
            language: None,
            document_id: None,
            collapsed: None,
            extra: serde_json::Map::new(),
        }
    }
}

open_enum! {
    /// The kind of an [`Entity`]: Telegram's entity types plus `link_label`, a link
    /// whose URL a plain-text copy lost (`Learn more`).
    pub enum EntityKind {
        /// `@username`
        Mention = "mention",
        /// `#tag`
        Hashtag = "hashtag",
        /// `/command`
        BotCommand = "bot_command",
        /// A URL written in the text.
        Link = "link",
        /// An e-mail address.
        Email = "email",
        /// Bold text.
        Bold = "bold",
        /// Italic text.
        Italic = "italic",
        /// Inline code.
        Code = "code",
        /// A code block.
        Pre = "pre",
        /// Text linking to `href`.
        TextLink = "text_link",
        /// A mention of a user without a username.
        MentionName = "mention_name",
        /// A phone number.
        Phone = "phone",
        /// `$TICKER`
        Cashtag = "cashtag",
        /// Underlined text.
        Underline = "underline",
        /// Struck-through text.
        Strikethrough = "strikethrough",
        /// A quotation.
        Blockquote = "blockquote",
        /// A bank card number.
        BankCard = "bank_card",
        /// Hidden text.
        Spoiler = "spoiler",
        /// A custom (sticker) emoji.
        CustomEmoji = "custom_emoji",
        /// An entity Telegram itself did not know.
        Unknown = "unknown",
        /// Link text whose URL was lost in a copy.
        LinkLabel = "link_label",
    }
}

/// A link of a message: a URL written out, a text link, or a label whose URL was lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Link {
    /// The text shown.
    pub text: String,
    /// Where it leads; `None` when a copy lost it.
    pub url: Option<String>,
}

/// A calendar date written in a message (`September 7, 1945`, `12 мая 2025 года`), or a
/// month and day written without a year (`On 4 December`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DateMention {
    /// The date as written.
    pub text: String,
    /// The date (the first day of a range such as `4-5 мая`); `None` when the text gives no
    /// year, and then `month` and `day` say what it does give.
    pub date: Option<NaiveDate>,
    /// The last day of a range, when the text gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// The month (1–12) of a date written without a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// The day of the month of a date written without a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u32>,
}

/// One emoji, as written, with its Unicode name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct EmojiInfo {
    /// The emoji as written (one grapheme cluster).
    pub emoji: String,
    /// Its CLDR short name (`flag: Russia`), when known.
    pub name: Option<String>,
    /// ISO 3166 country code of a flag (`RU`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}
