//! A message object of `result.json` as Telegram Desktop writes it, borrowed from the
//! input wherever strings have no escapes.
//!
//! These types only mirror the file; [`super::convert`] turns them into the model.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::value::RawValue;

use super::text::Text;
use super::values::{Int, Str, object_keeping_unknown_keys};
use crate::PeerId;

/// A peer id as any export wrote it: `user123`/`chat123`/`channel123`, or a bare
/// (possibly bit-packed) number in exports before 2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawPeerId(pub(crate) PeerId);

impl<'de> Deserialize<'de> for RawPeerId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PeerIdVisitor;

        impl Visitor<'_> for PeerIdVisitor {
            type Value = RawPeerId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a peer id like user123, chat123 or channel123, or a number")
            }

            fn visit_i64<E>(self, value: i64) -> Result<RawPeerId, E> {
                Ok(RawPeerId(PeerId::from_packed(value)))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<RawPeerId, E> {
                i64::try_from(value)
                    .map(|value| RawPeerId(PeerId::from_packed(value)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<RawPeerId, E> {
                text.parse().map(RawPeerId).map_err(E::custom)
            }
        }

        deserializer.deserialize_any(PeerIdVisitor)
    }
}

/// A poll; question and answers are plain strings or, in newer exports, text parts.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPoll {
    #[serde(default)]
    pub(crate) question: Text,
    pub(crate) closed: Option<bool>,
    pub(crate) total_voters: Option<u64>,
    #[serde(default)]
    pub(crate) answers: Vec<RawAnswer>,
    /// Every other key, as found.
    #[serde(flatten)]
    pub(crate) unknown: serde_json::Map<String, serde_json::Value>,
}
/// An answer of a poll.
#[derive(Debug, Deserialize)]
pub(crate) struct RawAnswer {
    #[serde(default)]
    pub(crate) text: Text,
    pub(crate) voters: Option<u64>,
    #[serde(default)]
    pub(crate) chosen: bool,
    /// Every other key, as found.
    #[serde(flatten)]
    pub(crate) unknown: serde_json::Map<String, serde_json::Value>,
}
/// `location_information`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPoint {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    /// Every other key, as found.
    #[serde(flatten)]
    pub(crate) unknown: serde_json::Map<String, serde_json::Value>,
}

object_keeping_unknown_keys! {
    /// A reaction with its count and recent reactors.
    pub(crate) struct RawReaction<'a> {
        kind as "type": Str<'a>,
        count: u64,
        emoji: Option<Str<'a>>,
        document_id: Option<Str<'a>>,
        recent: Vec<RawRecent<'a>>,
    }
    required kind as "type", count
}

object_keeping_unknown_keys! {
    /// Someone who reacted recently.
    pub(crate) struct RawRecent<'a> {
        from: Option<Str<'a>>,
        from_id: Option<RawPeerId>,
        date: Option<Str<'a>>,
    }
}

object_keeping_unknown_keys! {
    /// A button of an inline keyboard.
    pub(crate) struct RawButton<'a> {
        kind as "type": Str<'a>,
        text: Option<Str<'a>>,
        data: Option<Str<'a>>,
        /// Callback data, base64url, with `data` left empty.
        data_base64 as "dataBase64": Option<Str<'a>>,
        forward_text: Option<Str<'a>>,
        button_id: Option<Int>,
    }
    required kind as "type"
}

object_keeping_unknown_keys! {
    /// `contact_information`.
    pub(crate) struct RawContact<'a> {
        first_name: Option<Str<'a>>,
        last_name: Option<Str<'a>>,
        phone_number: Option<Str<'a>>,
    }
}

object_keeping_unknown_keys! {
    /// A message object. `Option<Option<_>>` fields tell a `null` from a missing key.
    pub(crate) struct RawMessage<'a> {
        id: Int,
        kind as "type": Str<'a>,
        date: Str<'a>,
        date_unixtime: Int,
        edited: Str<'a>,
        edited_unixtime: Int,
        from: Option<Str<'a>>,
        from_id: RawPeerId,
        author: Str<'a>,
        forwarded_from: Option<Str<'a>>,
        forwarded_from_id: RawPeerId,
        saved_from: Option<Str<'a>>,
        reply_to_message_id: Int,
        reply_to_peer_id: RawPeerId,
        via_bot: Str<'a>,

        action: Str<'a>,
        actor: Option<Str<'a>>,
        actor_id: RawPeerId,

        photo: Str<'a>,
        photo_file_size: u64,
        file: Str<'a>,
        file_name: Str<'a>,
        file_size: u64,
        thumbnail: Str<'a>,
        thumbnail_file_size: u64,
        media_type: Str<'a>,
        mime_type: Str<'a>,
        duration_seconds: u32,
        width: u32,
        height: u32,
        sticker_emoji: Str<'a>,
        performer: Str<'a>,
        /// An audio file's title, or the title a service message sets.
        title: Str<'a>,
        media_spoiler: bool,
        self_destruct_period_seconds: u32,
        contact_information: RawContact<'a>,
        contact_vcard: Str<'a>,
        contact_vcard_file_size: u64,
        location_information: Option<RawPoint>,
        live_location_period_seconds: u32,
        place_name: Str<'a>,
        address: Str<'a>,
        game_title: Str<'a>,
        game_description: Str<'a>,
        game_link: Str<'a>,
        /// An object, or that object's JSON text in a string (newer exports).
        invoice_information: serde_json::Value,
        poll: RawPoll,
        giveaway_information: serde_json::Value,
        giveaway_results: serde_json::Value,
        paid_stars_amount: u64,
        todo_list: serde_json::Value,

        /// Parsed only when there is no `text_entities`, which says the same.
        text: &'a RawValue,
        text_entities: Text,
        reactions: Vec<RawReaction<'a>>,
        inline_bot_buttons: Vec<Vec<RawButton<'a>>>,
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::PeerKind;

    fn peer(json: &str) -> Result<PeerId, String> {
        serde_json::from_str::<RawPeerId>(json)
            .map(|RawPeerId(id)| id)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn peer_ids_in_every_form_exports_used() {
        let user = |id| PeerId {
            kind: PeerKind::User,
            id,
        };
        assert_eq!(peer(r#""user123""#), Ok(user(123)));
        assert_eq!(
            peer(r#""channel1878264527""#).unwrap().kind,
            PeerKind::Channel
        );
        assert_eq!(peer(r#""chat42""#).unwrap().kind, PeerKind::Chat);
        // Bare user ids, then ids with the kind packed into bits 32 and 33.
        assert_eq!(peer("4342"), Ok(user(4342)));
        assert_eq!(peer("4294971638"), Ok(user(4342)));
        let channel = peer("8589938934").unwrap();
        assert_eq!((channel.kind, channel.id), (PeerKind::Channel, 4342));
    }

    #[test]
    fn a_peer_id_that_is_neither_names_what_it_found() {
        let err = peer(r#""group5""#).unwrap_err();
        assert!(err.contains("\"group5\""), "{err}");
        assert!(peer("1.5").is_err());
    }

    #[test]
    fn unknown_keys_are_kept_in_order_and_null_differs_from_missing() {
        let raw: RawMessage<'_> =
            serde_json::from_str(r#"{"id": 1, "zeta": [1], "from": null, "alpha": {"b": 2}}"#)
                .unwrap();
        let keys: Vec<_> = raw.unknown.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["zeta", "alpha"]);
        assert_eq!(raw.from, Some(None));
        assert_eq!(raw.forwarded_from, None);
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let raw: RawMessage<'_> =
            serde_json::from_str(r#"{"author": "plain", "via_bot": "esc\"aped"}"#).unwrap();
        assert!(matches!(raw.author.unwrap().0, Cow::Borrowed("plain")));
        assert!(matches!(raw.via_bot.unwrap().0, Cow::Owned(_)));
    }
}
