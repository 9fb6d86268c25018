//! The media of a message: the children of `div.media_wrap`.
//!
//! Photos, videos, GIFs and stickers with a preview get their own markup; everything
//! else is a generic block (`media_file`, `media_voice_message`, `media_contact`, …)
//! with a title, a description and a status line whose meaning depends on the kind.

use serde_json::Value;

use crate::html::dom::Node;
use crate::html::{Diagnostics, duration, map_point};
use crate::{Contact, Location, Media, MediaKind, Message, Poll, PollAnswer};

/// Adds the media of `wrap` to `message`.
pub(super) fn read(wrap: Node<'_>, message: &mut Message, diagnostics: &mut Diagnostics) {
    for item in wrap.elements() {
        let media = if item.has_class("photo_wrap") {
            Some(with_file(MediaKind::Photo, item))
        } else if item.has_class("video_file_wrap") {
            let mut video = with_file(MediaKind::VideoFile, item);
            video.duration_seconds = item
                .find_class("video_duration")
                .and_then(|d| duration(&d.label()));
            video.thumbnail = thumbnail(item, "video_file");
            Some(video)
        } else if item.has_class("animated_wrap") {
            let mut animation = with_file(MediaKind::Animation, item);
            animation.thumbnail = thumbnail(item, "animated");
            Some(animation)
        } else if item.has_class("sticker_wrap") {
            Some(with_file(MediaKind::Sticker, item))
        } else if item.has_class("media_poll") {
            Some(poll(item))
        } else if item.has_class("media") {
            generic(item)
        } else {
            None
        };
        match media {
            Some(media) => message.media.push(media),
            None => diagnostics.keep_unknown(message, item, "div.media_wrap"),
        }
    }
}

fn with_file(kind: MediaKind, link: Node<'_>) -> Media {
    let mut media = Media::new(kind);
    media.file = link.attr("href").map(str::to_owned);
    media
}

fn thumbnail(item: Node<'_>, class: &str) -> Option<String> {
    item.find_class(class)?.attr("src").map(str::to_owned)
}

/// What Telegram Desktop writes as the description of media it did not download.
const NOT_DOWNLOADED: [&str; 3] = [
    "Exceeds maximum size",
    "Not included",
    "Unavailable, please try again later",
];

/// A `media_*` block; `None` for a class this reader does not know.
fn generic(item: Node<'_>) -> Option<Media> {
    let class = item
        .element()?
        .classes()
        .find(|c| c.starts_with("media_"))?;
    let part = |name: &str| item.find_class(name).map(|n| n.label());
    let title = part("title").unwrap_or_default();
    let status = part("status").unwrap_or_default();
    let mut description = part("description");
    let href = item.attr("href").map(str::to_owned);

    let kind = match (class, title.as_str()) {
        ("media_photo", "Sticker") => MediaKind::Sticker,
        ("media_photo", _) => MediaKind::Photo,
        ("media_video", "Video message") => MediaKind::VideoMessage,
        ("media_video", "Animation") => MediaKind::Animation,
        ("media_video", _) => MediaKind::VideoFile,
        ("media_voice_message", _) => MediaKind::VoiceMessage,
        ("media_audio_file", _) => MediaKind::AudioFile,
        ("media_file", _) => MediaKind::Document,
        ("media_contact", _) => MediaKind::Contact,
        ("media_location", _) => MediaKind::Location,
        ("media_live_location", _) => MediaKind::LiveLocation,
        ("media_venue", _) => MediaKind::Venue,
        ("media_call", _) => MediaKind::Call,
        ("media_game", _) => MediaKind::Game,
        ("media_invoice", _) => MediaKind::Invoice,
        _ => return None,
    };
    let mut media = Media::new(kind.clone());
    if description
        .as_deref()
        .is_some_and(|d| NOT_DOWNLOADED.iter().any(|reason| d.starts_with(reason)))
    {
        media.not_included = true;
        media
            .details
            .insert("skipped".into(), description.take().into());
    }
    // The status reads `duration`, `size`, `W×H` or `emoji`, and adds `, size` when the
    // file was not downloaded.
    let (first, size) = match status.split_once(", ") {
        Some((first, size)) => (first, Some(size)),
        None => (status.as_str(), None),
    };
    let mut size = size.map(str::to_owned);
    match kind {
        MediaKind::Photo => {
            if let Some((width, height)) = first.split_once('×') {
                media.width = width.parse().ok();
                media.height = height.parse().ok();
            }
        }
        MediaKind::Sticker => {
            media.sticker_emoji = (!first.is_empty()).then(|| first.to_owned());
        }
        MediaKind::VideoMessage
        | MediaKind::VideoFile
        | MediaKind::VoiceMessage
        | MediaKind::AudioFile => {
            media.duration_seconds = duration(first);
            if kind == MediaKind::AudioFile
                && let Some((performer, song)) = title.split_once(" – ")
            {
                media.performer = Some(performer.to_owned());
                media.title = Some(song.to_owned());
            }
        }
        MediaKind::Document => {
            size = (!status.is_empty()).then(|| status.clone());
            media.file_name = (title != "File").then(|| title.clone());
        }
        MediaKind::Contact => {
            let (first_name, last_name) = title.split_once(' ').unwrap_or((&title, ""));
            let phone = status.trim_end_matches(" - vCard");
            media.contact = Some(Contact {
                first_name: nonempty(first_name),
                last_name: nonempty(last_name),
                phone_number: nonempty(phone),
                vcard: href.clone(),
                ..Contact::default()
            });
            size = None;
        }
        MediaKind::Location | MediaKind::LiveLocation | MediaKind::Venue => {
            let (latitude, longitude) = href.as_deref().and_then(map_point).unzip();
            let venue = kind == MediaKind::Venue;
            media.location = Some(Location {
                latitude,
                longitude,
                place_name: venue.then(|| title.clone()),
                address: if venue { description.take() } else { None },
                ..Location::default()
            });
            size = None;
        }
        _ => {
            media.title = nonempty(&title);
            for (key, value) in [
                ("status", Some(status.clone())),
                ("description", description.take()),
            ] {
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    media.details.insert(key.into(), value.into());
                }
            }
            size = None;
        }
    }
    if let Some(size) = size {
        // Sizes are shown rounded (`389.0 KB`), so they are kept as text, not bytes.
        media.details.insert("size".into(), Value::from(size));
    }
    // The link is the downloaded file, or a web address (games, maps).
    match href {
        Some(href) if href.starts_with("https://") || href.starts_with("http://") => {
            media.url = Some(href);
        }
        Some(href) if kind != MediaKind::Contact => media.file = Some(href),
        _ => {}
    }
    Some(media)
}

fn nonempty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

fn poll(item: Node<'_>) -> Media {
    let mut poll = Poll {
        question: item
            .find_class("question")
            .map(|q| q.label())
            .unwrap_or_default(),
        ..Poll::default()
    };
    for child in item.elements() {
        let label = child.label();
        if child.has_class("total") {
            poll.total_voters = votes(&label);
        } else if child.has_class("answer") {
            poll.answers.push(answer(child));
        } else if child.has_class("details") {
            if label == "Final results" {
                poll.closed = Some(true);
            } else {
                poll.closed = Some(false);
                poll.kind = Some(label);
            }
        }
    }
    let mut media = Media::new(MediaKind::Poll);
    media.poll = Some(poll);
    media
}

/// `- Yes <span class="details">40 votes, chosen vote</span>`.
fn answer(node: Node<'_>) -> PollAnswer {
    let own = node.own_label();
    let details = node
        .find_class("details")
        .map(|d| d.label())
        .unwrap_or_default();
    PollAnswer {
        text: own.strip_prefix("- ").unwrap_or(&own).to_owned(),
        voters: votes(&details).or(Some(0)),
        chosen: details.ends_with(", chosen vote"),
        ..PollAnswer::default()
    }
}

/// `40 votes`, `1 vote`, `No votes`.
fn votes(text: &str) -> Option<u64> {
    if text.starts_with("No votes") {
        return Some(0);
    }
    text.split(' ').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vote_counts() {
        assert_eq!(votes("109 votes"), Some(109));
        assert_eq!(votes("1 vote"), Some(1));
        assert_eq!(votes("No votes"), Some(0));
    }
}
