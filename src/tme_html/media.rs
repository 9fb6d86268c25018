//! The media of a post: photos, players, stickers, documents, polls, maps, link
//! previews, albums, and the placeholders a browser shows for what it cannot play.

use crate::html::dom::Node;
use crate::html::{duration, map_point};
use crate::{Location, Media, MediaKind, Poll, PollAnswer};

/// The media items `node` holds, or `None` when it is not media.
pub(super) fn read(node: Node<'_>) -> Option<Vec<Media>> {
    let class = |name| node.has_class(name);
    let media = if class("tgme_widget_message_grouped_wrap") {
        // An album: its items sit side by side in the innermost layer.
        let layer = node
            .find_class("tgme_widget_message_grouped_layer")
            .unwrap_or(node);
        return Some(layer.elements().filter_map(read).flatten().collect());
    } else if class("tgme_widget_message_photo_wrap") || class("tgme_widget_message_service_photo")
    {
        let mut photo = Media::new(MediaKind::Photo);
        photo.url = background_image(node).or_else(|| source(node, "img"));
        photo
    } else if class("tgme_widget_message_video_player") {
        player(
            node,
            MediaKind::VideoFile,
            "message_video_duration",
            "video",
        )
    } else if class("tgme_widget_message_roundvideo_player") {
        player(
            node,
            MediaKind::VideoMessage,
            "tgme_widget_message_roundvideo_duration",
            "video",
        )
    } else if class("tgme_widget_message_voice_player") {
        player(
            node,
            MediaKind::VoiceMessage,
            "tgme_widget_message_voice_duration",
            "audio",
        )
    } else if class("tgme_widget_message_sticker_wrap") {
        let mut sticker = Media::new(MediaKind::Sticker);
        sticker.url = node
            .find_class("tgme_widget_message_sticker")
            .and_then(|s| {
                s.attr("data-webp")
                    .map(str::to_owned)
                    .or_else(|| background_image(s))
            })
            .or_else(|| source(node, "video"))
            .or_else(|| animated_sticker(node));
        sticker
    } else if class("tgme_widget_message_document_wrap") {
        document(node)
    } else if class("tgme_widget_message_poll") {
        poll(node)
    } else if class("tgme_widget_message_location_wrap") {
        location(node)
    } else if class("tgme_widget_message_link_preview") {
        link_preview(node)
    } else if class("message_media_not_supported_wrap") {
        // Standing alone, the placeholder is all the page tells about the media.
        let mut media = Media::new(MediaKind::NotSupported);
        mark_placeholder(node, &mut media);
        if let Some(kind) = media.placeholder.take() {
            media.kind = kind;
        }
        media
    } else {
        return None;
    };
    Some(vec![media])
}

/// Which of two alternatives a media part is: t.me writes a sticker both as itself
/// (`media_supported_cont`) and as the placeholder a browser that cannot show it gets
/// instead (`media_not_supported_cont`); the page's style shows only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alternative {
    Shown,
    Fallback,
}

impl Alternative {
    pub(super) fn of(node: Node<'_>) -> Option<Self> {
        if node.has_class("media_supported_cont") {
            Some(Self::Shown)
        } else if node.has_class("media_not_supported_cont") {
            Some(Self::Fallback)
        } else {
            None
        }
    }
}

/// Records the fallback placeholder read as its own item in the media it stands for:
/// the pair is one item, whose placeholder is kept as for players.
pub(super) fn merge_fallback(shown: &mut Media, fallback: Media) {
    shown.placeholder = Some(fallback.kind);
    shown.view_in_telegram = fallback.view_in_telegram;
    shown.details.extend(fallback.details);
}

/// An animated sticker's `.tgs` file: `<source type="application/x-tgsticker" srcset>`.
fn animated_sticker(node: Node<'_>) -> Option<String> {
    node.descendants()
        .find(|n| n.is("source") && n.attr("type") == Some("application/x-tgsticker"))
        .and_then(|n| n.attr("srcset"))
        .map(str::to_owned)
}

/// A video, round video or voice player: where it plays from, how long it is, and the
/// placeholder shown when it cannot play.
fn player(node: Node<'_>, kind: MediaKind, duration_class: &str, tag: &str) -> Media {
    let mut media = Media::new(kind);
    media.url = source(node, tag);
    media.thumbnail = node
        .descendants()
        .find(|n| {
            n.element()
                .is_some_and(|e| e.classes().any(|c| c.ends_with("_thumb")))
        })
        .and_then(background_image);
    media.duration_seconds = node
        .find_class(duration_class)
        .and_then(|d| duration(&d.label()));
    mark_placeholder(node, &mut media);
    media
}

/// Records the browser placeholder inside `node`, if any, and its `VIEW IN TELEGRAM`.
fn mark_placeholder(node: Node<'_>, media: &mut Media) {
    let Some(label) = node.find_class("message_media_not_supported_label") else {
        return;
    };
    let sentence = label.label();
    let kind = [
        MediaKind::NotSupported,
        MediaKind::TooBig,
        MediaKind::OpenInTelegram,
    ]
    .into_iter()
    .find(|kind| kind.placeholder() == Some(sentence.as_str()));
    if kind.is_none() {
        media.details.insert("placeholder".into(), sentence.into());
    }
    media.placeholder = Some(kind.unwrap_or(MediaKind::NotSupported));
    media.view_in_telegram = node.find_class("message_media_view_in_telegram").is_some();
}

fn document(node: Node<'_>) -> Media {
    let audio = node
        .find_class("tgme_widget_message_document_icon")
        .is_some_and(|icon| icon.has_class("audio"));
    let title = node
        .find_class("tgme_widget_message_document_title")
        .map(|t| t.label());
    let extra = node
        .find_class("tgme_widget_message_document_extra")
        .map(|e| e.label());
    let mut media = Media::new(if audio {
        MediaKind::AudioFile
    } else {
        MediaKind::Document
    });
    if audio {
        // Audio shows the title, then the performer below it.
        media.title = title;
        media.performer = extra;
    } else {
        media.file_name = title;
        if let Some(size) = extra {
            media.details.insert("size".into(), size.into());
        }
    }
    media
}

fn poll(node: Node<'_>) -> Media {
    let label = |class: &str| node.find_class(class).map(|n| n.label());
    let answers = node
        .descendants()
        .filter(|n| n.has_class("tgme_widget_message_poll_option"))
        .map(|option| {
            let part = |class: &str| option.find_class(class).map(|n| n.label());
            PollAnswer {
                text: part("tgme_widget_message_poll_option_text").unwrap_or_default(),
                percent: part("tgme_widget_message_poll_option_percent")
                    .and_then(|p| p.trim_end_matches('%').parse().ok()),
                ..PollAnswer::default()
            }
        })
        .collect();
    let mut media = Media::new(MediaKind::Poll);
    media.poll = Some(Poll {
        question: label("tgme_widget_message_poll_question").unwrap_or_default(),
        kind: label("tgme_widget_message_poll_type"),
        answers,
        ..Poll::default()
    });
    media
}

/// A map tile linking to the point (`…?q=55.75,37.61…`), with a name for venues.
fn location(node: Node<'_>) -> Media {
    let label = |class: &str| node.find_class(class).map(|n| n.label());
    let place_name = label("tgme_widget_message_venue_title");
    let href = node.attr("href");
    let (latitude, longitude) = href.and_then(map_point).unzip();
    let mut media = Media::new(if place_name.is_some() {
        MediaKind::Venue
    } else {
        MediaKind::Location
    });
    media.location = Some(Location {
        latitude,
        longitude,
        place_name,
        address: label("tgme_widget_message_venue_address"),
        ..Location::default()
    });
    media.url = href.map(str::to_owned);
    media
}

fn link_preview(node: Node<'_>) -> Media {
    let mut media = Media::new(MediaKind::WebPage);
    media.url = node.attr("href").map(str::to_owned);
    media.title = node.find_class("link_preview_title").map(|t| t.label());
    for (key, class) in [
        ("site_name", "link_preview_site_name"),
        ("description", "link_preview_description"),
    ] {
        if let Some(value) = node.find_class(class).map(|n| n.label()) {
            media.details.insert(key.into(), value.into());
        }
    }
    let image = node
        .descendants()
        .find(|n| n.has_class("link_preview_image") || n.has_class("link_preview_right_image"))
        .and_then(background_image);
    if let Some(image) = image {
        media.details.insert("image".into(), image.into());
    }
    media
}

/// `src` of the first `tag` inside `node`.
fn source(node: Node<'_>, tag: &str) -> Option<String> {
    node.find_tag(tag)?.attr("src").map(str::to_owned)
}

/// The URL of `background-image:url('…')` in the node's style.
fn background_image(node: Node<'_>) -> Option<String> {
    let style = node.attr("style")?;
    let (_, rest) = style.split_once("background-image:url(")?;
    let (url, _) = rest.split_once(')')?;
    Some(url.trim_matches(['\'', '"']).to_owned())
}
