//! Media attached to a message, or the placeholder a browser showed instead.

use serde::{Deserialize, Serialize};

use super::open_enum;

/// One media item of a message.
///
/// A plain-text copy only knows the placeholder a browser showed (`kind` and
/// `view_in_telegram`, maybe `duration_seconds`); Telegram Desktop exports fill the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Media {
    /// What it is.
    pub kind: MediaKind,
    /// Whether a `VIEW IN TELEGRAM` line followed the placeholder (plain-text copies).
    #[serde(default)]
    pub view_in_telegram: bool,
    /// First source line (the duration line, if any, else the placeholder), for plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Path of the file in the export; `None` when it was not downloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where a web preview (t.me/s page) serves the file or its picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The placeholder a web preview shows inside this item when a browser cannot play it
    /// (`not_supported`, `too_big`); `kind` stays what the item is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<MediaKind>,
    /// Whether the export says the file was left out (size limits, settings).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_included: bool,
    /// Original file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Path of the thumbnail in the export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// Size of the thumbnail in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_file_size: Option<u64>,
    /// Play time in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The emoji a sticker stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker_emoji: Option<String>,
    /// Performer of an audio file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performer: Option<String>,
    /// Title of an audio file, game, invoice…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the media is hidden behind a spoiler.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spoiler: bool,
    /// A poll's question and answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<Poll>,
    /// A shared contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// A shared location or venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Details with no typed field (games, invoices, giveaways, to-do lists…), as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl Media {
    /// A media item of `kind` with no details.
    pub fn new(kind: MediaKind) -> Self {
        Self {
            kind,
            view_in_telegram: false,
            line: None,
            file: None,
            url: None,
            placeholder: None,
            not_included: false,
            file_name: None,
            file_size: None,
            mime_type: None,
            thumbnail: None,
            thumbnail_file_size: None,
            duration_seconds: None,
            width: None,
            height: None,
            sticker_emoji: None,
            performer: None,
            title: None,
            spoiler: false,
            poll: None,
            contact: None,
            location: None,
            details: serde_json::Map::new(),
        }
    }
}

open_enum! {
    /// The kind of a [`Media`] item.
    pub enum MediaKind {
        /// Browser placeholder: `This media is not supported in your browser`.
        NotSupported = "not_supported",
        /// Browser placeholder: `Media is too big`.
        TooBig = "too_big",
        /// Browser placeholder: `Please open Telegram to view this post`.
        OpenInTelegram = "open_in_telegram",
        /// A photo.
        Photo = "photo",
        /// A file with no more specific kind.
        Document = "document",
        /// A sticker.
        Sticker = "sticker",
        /// A round video message.
        VideoMessage = "video_message",
        /// A voice message.
        VoiceMessage = "voice_message",
        /// A GIF-like animation.
        Animation = "animation",
        /// A video.
        VideoFile = "video_file",
        /// A music or audio file.
        AudioFile = "audio_file",
        /// A poll.
        Poll = "poll",
        /// A shared contact.
        Contact = "contact",
        /// A location.
        Location = "location",
        /// A venue (a location with a name).
        Venue = "venue",
        /// A live location.
        LiveLocation = "live_location",
        /// A game.
        Game = "game",
        /// An invoice.
        Invoice = "invoice",
        /// A giveaway.
        Giveaway = "giveaway",
        /// A to-do list.
        Todo = "todo",
        /// A link preview (web page).
        WebPage = "web_page",
        /// A phone call record.
        Call = "call",
        /// Media behind a payment in stars (only the price is exported).
        PaidMedia = "paid_media",
    }
}

impl MediaKind {
    /// The browser's placeholder sentence for the placeholder kinds.
    pub fn placeholder(&self) -> Option<&'static str> {
        match self {
            Self::NotSupported => Some("This media is not supported in your browser"),
            Self::TooBig => Some("Media is too big"),
            Self::OpenInTelegram => Some("Please open Telegram to view this post"),
            _ => None,
        }
    }
}

/// A poll.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Poll {
    /// The question.
    pub question: String,
    /// The poll's type as shown (`Anonymous poll`, `Anonymous Quiz`), in HTML inputs.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether voting has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<bool>,
    /// Total number of voters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_voters: Option<u64>,
    /// The answers, in order.
    pub answers: Vec<PollAnswer>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One answer of a [`Poll`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PollAnswer {
    /// The answer's text.
    pub text: String,
    /// Votes for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters: Option<u64>,
    /// Share of votes in percent (web previews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Whether the exporting user chose it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chosen: bool,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A shared contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Contact {
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Path of an exported vCard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcard: Option<String>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A point on the map, maybe with a venue's name and address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Location {
    /// Latitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Venue name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_name: Option<String>,
    /// Venue address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// How long a live location was shared, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_period_seconds: Option<u32>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
