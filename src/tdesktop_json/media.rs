//! The media of a message: which keys make which kind, and the sentences Telegram Desktop
//! writes instead of a path for files it did not download.
//!
//! A message has at most one media item. Keys with no typed [`Media`] field (a game's
//! description, an invoice, a giveaway, a to-do list…) go to [`Media::details`] as found.

use serde_json::{Map, Value};

use super::raw::{RawMessage, RawPoll};
use super::values::Str;
use crate::{Contact, Location, Media, MediaKind, Poll, PollAnswer};

/// Why a file was left out, by the sentence written instead of its path, named after
/// tdesktop's skip reasons.
const NOT_INCLUDED: [(&str, &str); 3] = [
    (
        "(File not included. Change data exporting settings to download.)",
        "file_type",
    ),
    (
        "(File exceeds maximum size. Change data exporting settings to download.)",
        "file_size",
    ),
    ("(File unavailable, please try again later)", "unavailable"),
];

/// Why the file at `path` was not downloaded, when `path` is one of tdesktop's sentences.
pub(super) fn not_included(path: &str) -> Option<&'static str> {
    NOT_INCLUDED
        .iter()
        .find(|(sentence, _)| path.ends_with(sentence))
        .map(|&(_, reason)| reason)
}

/// Takes the media keys out of `raw` (a service message's `title` and `duration_seconds`
/// must already be taken), into the message's media item, if it has one.
pub(super) fn take(raw: &mut RawMessage<'_>) -> Option<Media> {
    let mut media = Media::new(kind(raw)?);
    let file = raw.photo.take().or(raw.file.take());
    media.file = file.and_then(|path| downloaded(&mut media, path));
    media.file_size = raw.photo_file_size.or(raw.file_size);
    media.file_name = raw.file_name.take().map(Str::into_string);
    media.thumbnail = (raw.thumbnail.take())
        .filter(|path| not_included(path).is_none())
        .map(Str::into_string);
    media.thumbnail_file_size = raw.thumbnail_file_size;
    media.mime_type = raw.mime_type.take().map(Str::into_string);
    media.duration_seconds = raw.duration_seconds;
    media.width = raw.width;
    media.height = raw.height;
    media.sticker_emoji = raw.sticker_emoji.take().map(Str::into_string);
    media.performer = raw.performer.take().map(Str::into_string);
    media.title = (raw.title.take().or(raw.game_title.take())).map(Str::into_string);
    media.spoiler = raw.media_spoiler.unwrap_or(false);

    if let Some(contact) = raw.contact_information.take() {
        media.contact = Some(Contact {
            first_name: contact.first_name.flatten().map(Str::into_string),
            last_name: contact.last_name.flatten().map(Str::into_string),
            phone_number: contact.phone_number.flatten().map(Str::into_string),
            vcard: None,
            extra: contact.unknown.into_iter().collect(),
        });
    }
    if let Some(vcard) = raw.contact_vcard.take() {
        let vcard = downloaded(&mut media, vcard);
        media.contact.get_or_insert_with(Contact::default).vcard = vcard;
        media.file_size = media.file_size.or(raw.contact_vcard_file_size);
    }

    let point = raw.location_information.take();
    if point.is_some() || raw.place_name.is_some() || raw.address.is_some() {
        let point = point.flatten();
        let (latitude, longitude, extra) = match point {
            Some(point) => (Some(point.latitude), Some(point.longitude), point.unknown),
            None => (None, None, Map::new()),
        };
        media.location = Some(Location {
            latitude,
            longitude,
            extra,
            place_name: raw.place_name.take().map(Str::into_string),
            address: raw.address.take().map(Str::into_string),
            live_period_seconds: raw.live_location_period_seconds,
        });
    }

    if let Some(poll) = raw.poll.take() {
        media.poll = Some(self::poll(poll, &mut media.details));
    }
    if let Some(invoice) = raw.invoice_information.take() {
        let mut invoice = as_found(invoice);
        if let Some(Value::String(title)) = invoice.as_object_mut().and_then(|o| o.remove("title"))
        {
            media.title = Some(title);
        }
        media.details.insert("invoice_information".into(), invoice);
    }
    let text = |text: Option<Str<'_>>| text.map(|text| Value::String(text.into_string()));
    let found = [
        ("game_description", text(raw.game_description.take())),
        ("game_link", text(raw.game_link.take())),
        ("giveaway_information", raw.giveaway_information.take()),
        ("giveaway_results", raw.giveaway_results.take()),
        ("paid_stars_amount", raw.paid_stars_amount.map(Value::from)),
        ("todo_list", raw.todo_list.take()),
        (
            "self_destruct_period_seconds",
            raw.self_destruct_period_seconds.map(Value::from),
        ),
    ];
    let found = found
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_owned(), value?)));
    media.details.extend(found);
    Some(media)
}

/// The path of a downloaded file; for one of tdesktop's sentences instead of a path,
/// `None`, with `media` marked as not included and why.
fn downloaded(media: &mut Media, path: Str<'_>) -> Option<String> {
    let Some(reason) = not_included(&path) else {
        return Some(path.into_string());
    };
    media.not_included = true;
    media
        .details
        .insert("not_included_reason".into(), reason.into());
    None
}

/// The kind of media the keys of `raw` describe, if any.
fn kind(raw: &RawMessage<'_>) -> Option<MediaKind> {
    let kind = if raw.photo.is_some() || raw.photo_file_size.is_some() {
        MediaKind::Photo
    } else if let Some(media_type) = &raw.media_type {
        MediaKind::from(&**media_type)
    } else if raw.file.is_some() {
        MediaKind::Document
    } else if raw.contact_information.is_some() || raw.contact_vcard.is_some() {
        MediaKind::Contact
    } else if raw.place_name.is_some() || raw.address.is_some() {
        MediaKind::Venue
    } else if raw.live_location_period_seconds.is_some() {
        MediaKind::LiveLocation
    } else if raw.location_information.is_some() {
        MediaKind::Location
    } else if raw.game_title.is_some() || raw.game_description.is_some() {
        MediaKind::Game
    } else if raw.invoice_information.is_some() {
        MediaKind::Invoice
    } else if raw.poll.is_some() {
        MediaKind::Poll
    } else if raw.giveaway_information.is_some() || raw.giveaway_results.is_some() {
        MediaKind::Giveaway
    } else if raw.paid_stars_amount.is_some() {
        MediaKind::PaidMedia
    } else if raw.todo_list.is_some() {
        MediaKind::Todo
    } else if has_file_attributes(raw) {
        // Attributes without the file they describe still describe one.
        MediaKind::Document
    } else {
        return None;
    };
    Some(kind)
}

fn has_file_attributes(raw: &RawMessage<'_>) -> bool {
    raw.file_name.is_some()
        || raw.file_size.is_some()
        || raw.thumbnail.is_some()
        || raw.thumbnail_file_size.is_some()
        || raw.mime_type.is_some()
        || raw.duration_seconds.is_some()
        || raw.width.is_some()
        || raw.height.is_some()
        || raw.sticker_emoji.is_some()
        || raw.performer.is_some()
        || raw.title.is_some()
        || raw.media_spoiler.is_some()
        || raw.self_destruct_period_seconds.is_some()
}

/// A poll, with the formatting of a rich question or answers kept in `details`
/// (`question_entities`, and `answer_entities` with one list per answer).
fn poll(raw: RawPoll, details: &mut Map<String, Value>) -> Poll {
    let question = raw.question;
    let mut answer_entities = Vec::new();
    let answers = (raw.answers.into_iter())
        .map(|answer| {
            answer_entities.push(answer.text.entities);
            PollAnswer {
                text: answer.text.text,
                voters: answer.voters,
                chosen: answer.chosen,
                extra: answer.unknown,
                ..PollAnswer::default()
            }
        })
        .collect();
    if !question.entities.is_empty() {
        details.insert("question_entities".into(), to_value(&question.entities));
    }
    if answer_entities.iter().any(|entities| !entities.is_empty()) {
        details.insert("answer_entities".into(), to_value(&answer_entities));
    }
    Poll {
        question: question.text,
        kind: None,
        closed: raw.closed,
        total_voters: raw.total_voters,
        answers,
        extra: raw.unknown,
    }
}

fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("model types serialise to JSON")
}

/// A value as found, except that an object newer exports wrote as JSON text inside a
/// string (`invoice_information`) is that object.
fn as_found(value: Value) -> Value {
    match value {
        Value::String(text) if text.trim_start().starts_with('{') => {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(json: &str) -> Option<Media> {
        let mut raw: RawMessage<'_> = serde_json::from_str(json).unwrap();
        take(&mut raw)
    }

    #[test]
    fn placeholder_paths_mean_not_downloaded() {
        for (sentence, reason) in NOT_INCLUDED {
            let json = format!(r#"{{"photo": "{sentence}", "photo_file_size": 5}}"#);
            let photo = media(&json).unwrap();
            assert_eq!(
                (photo.kind.clone(), photo.file, photo.not_included),
                (MediaKind::Photo, None, true)
            );
            assert_eq!(photo.details["not_included_reason"], reason);
            assert_eq!(photo.file_size, Some(5));
        }
        let file = media(r#"{"file": "files/(File unavailable).pdf"}"#).unwrap();
        assert_eq!(file.file.as_deref(), Some("files/(File unavailable).pdf"));
        assert!(!file.not_included);
    }

    #[test]
    fn media_type_names_the_kind_and_none_is_a_document() {
        let voice = media(r#"{"file": "voice_messages/a.ogg", "media_type": "voice_message", "duration_seconds": 4}"#).unwrap();
        assert_eq!(
            (voice.kind, voice.duration_seconds),
            (MediaKind::VoiceMessage, Some(4))
        );
        assert_eq!(
            media(r#"{"file": "files/a.pdf"}"#).unwrap().kind,
            MediaKind::Document
        );
        let future = media(r#"{"file": "x", "media_type": "hologram"}"#).unwrap();
        assert_eq!(future.kind, MediaKind::Other("hologram".into()));
    }

    #[test]
    fn a_location_may_be_null() {
        let live = media(r#"{"location_information": null, "live_location_period_seconds": 900}"#)
            .unwrap();
        assert_eq!(live.kind, MediaKind::LiveLocation);
        let location = live.location.unwrap();
        assert_eq!(
            (location.latitude, location.live_period_seconds),
            (None, Some(900))
        );
    }

    #[test]
    fn an_invoice_written_as_json_text_is_an_object() {
        let invoice =
            media(r#"{"invoice_information": "{\n \"title\": \"T\",\n \"amount\": 150\n}"}"#)
                .unwrap();
        assert_eq!(invoice.title.as_deref(), Some("T"));
        assert_eq!(
            invoice.details["invoice_information"],
            serde_json::json!({"amount": 150})
        );
    }

    #[test]
    fn rich_poll_text_keeps_its_entities() {
        let poll = media(r#"{"poll": {"question": ["Which ", {"type": "bold", "text": "one"}, "?"],
            "closed": true, "total_voters": 3,
            "answers": [{"text": "A", "voters": 2, "chosen": true}, {"text": [{"type": "italic", "text": "B"}], "voters": 1, "chosen": false}]}}"#).unwrap();
        let details = &poll.details;
        let poll = poll.poll.unwrap();
        assert_eq!(poll.question, "Which one?");
        assert_eq!(poll.answers[1].text, "B");
        assert_eq!(details["question_entities"][0]["offset"], 6);
        assert_eq!(details["answer_entities"][0], serde_json::json!([]));
        assert_eq!(details["answer_entities"][1][0]["type"], "italic");
    }

    #[test]
    fn a_message_without_media_keys_has_none() {
        assert_eq!(media(r#"{"text": "hi"}"#), None);
    }
}
