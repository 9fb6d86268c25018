//! One post of a t.me/s page (`div.tgme_widget_message`) into a message.

use super::media::{self, Alternative};
use crate::html::Diagnostics;
use crate::html::dom::Node;
use crate::html::rich::{Layout, Markup, rich_text};
use crate::{
    Action, ActionKind, Entity, EntityKind, Footer, Forward, Message, MessageKind, Peer, Reaction,
    ReactionKind, ReplyTo, analysis,
};

/// The post inside `block` (a `tgme_widget_message_wrap`, or the post itself).
pub(super) fn read(block: Node<'_>, index: usize, diagnostics: &mut Diagnostics) -> Message {
    let mut message = Message::new(index);
    let Some(post) = find(block) else {
        message.kind = MessageKind::Unsupported;
        diagnostics.keep_unknown(&mut message, block, "the page");
        return message;
    };
    if !is_post(block) {
        // Besides the post, a wrap may hold the day separator shown above it.
        for child in block.elements() {
            if !is_post(child) && !child.has_class("tgme_widget_message_service_date_wrap") {
                diagnostics.keep_unknown(&mut message, child, "a post wrap");
            }
        }
    }
    message.id = address(post).and_then(|(_, id)| id);
    if post.has_class("service_message") {
        message.kind = MessageKind::Service;
    }
    let channel = address(post).map(|(channel, _)| channel);
    for child in post.elements() {
        if child.has_class("tgme_widget_message_bubble") {
            parts(child, channel, &mut message, diagnostics);
        } else if child.has_class("tgme_widget_message_inline_keyboard") {
            // Pages put the buttons under the bubble as well as inside it.
            message.buttons = buttons(child);
        } else if !child.has_class("tgme_widget_message_user") {
            diagnostics.keep_unknown(&mut message, child, "a post");
        }
    }
    analysis::analyze(&mut message);
    message
}

/// The post a block is or holds.
pub(super) fn find(block: Node<'_>) -> Option<Node<'_>> {
    if is_post(block) {
        Some(block)
    } else {
        block.descendants().find(|n| is_post(*n))
    }
}

/// A post carries its address, `channel/id`, in `data-post`.
fn is_post(node: Node<'_>) -> bool {
    node.has_class("tgme_widget_message") && node.attr("data-post").is_some()
}

/// `channel/123` → (`channel`, 123).
pub(super) fn address(post: Node<'_>) -> Option<(&str, Option<i64>)> {
    let (channel, id) = post.attr("data-post")?.rsplit_once('/')?;
    Some((channel, id.parse().ok()))
}

/// Reads the bubble of a post of `channel`.
fn parts(
    bubble: Node<'_>,
    channel: Option<&str>,
    message: &mut Message,
    diagnostics: &mut Diagnostics,
) {
    // Whether the part just read was one media item of a pair not yet complete.
    let mut alternative = None;
    for part in bubble.elements() {
        let previous = alternative.take();
        let class = |name| part.has_class(name);
        if class("tgme_widget_message_bubble_tail") {
            // The speech-bubble drawing.
        } else if class("tgme_widget_message_author") {
            let name = part
                .find_class("tgme_widget_message_owner_name")
                .unwrap_or(part)
                .label();
            message.from = Some(Peer::new(Some(name), None));
        } else if class("tgme_widget_message_forwarded_from") {
            message.forwarded_from = Some(forward(part));
        } else if class("tgme_widget_message_reply") {
            message.reply_to = Some(reply(part, channel));
        } else if class("tgme_widget_message_text") && message.kind == MessageKind::Service {
            // As in Telegram Desktop exports, a service message's sentence is its action.
            message.action = Some(service_action(part));
        } else if class("tgme_widget_message_text") {
            let text = rich_text(part, Layout::Browser, &inline);
            diagnostics.keep_unknown_inline(message, &text.unknown);
            message.text = text.text;
            message.entities = text.entities;
        } else if class("tgme_widget_message_reactions") {
            message.reactions = part
                .elements()
                .filter(|r| r.has_class("tgme_reaction"))
                .map(reaction)
                .collect();
        } else if class("tgme_widget_message_inline_keyboard") {
            message.buttons = buttons(part);
        } else if class("tgme_widget_message_footer") {
            footer(part, message);
        } else if let Some(mut items) = media::read(part) {
            let this = media::Alternative::of(part).filter(|_| items.len() == 1);
            match (previous, this) {
                (Some(Alternative::Fallback), Some(Alternative::Shown)) => {
                    let fallback = message.media.pop().expect("the fallback was read");
                    media::merge_fallback(&mut items[0], fallback);
                }
                (Some(Alternative::Shown), Some(Alternative::Fallback)) => {
                    let shown = message.media.last_mut().expect("the media was read");
                    media::merge_fallback(shown, items.remove(0));
                }
                _ => alternative = this,
            }
            message.media.extend(items);
        } else {
            diagnostics.keep_unknown(message, part, "a post");
        }
    }
}

/// `Forwarded from <a href="https://t.me/source/12">Source 🇺🇳</a>`; hidden accounts
/// have a `span` instead of a link.
fn forward(node: Node<'_>) -> Forward {
    let name_node = node.find_class("tgme_widget_message_forwarded_from_name");
    let shown = name_node.map_or_else(
        || {
            let label = node.label();
            label
                .strip_prefix("Forwarded from")
                .map_or(label.clone(), |rest| rest.trim().to_owned())
        },
        |n| n.label(),
    );
    Forward {
        url: name_node.and_then(|n| n.attr("href")).map(str::to_owned),
        ..analysis::forward_source(&shown)
    }
}

/// The quoted message: a link to it (its id counts only within `channel`), its author
/// and the start of its text.
fn reply(node: Node<'_>, channel: Option<&str>) -> ReplyTo {
    let label = |class: &str| {
        node.find_class(class)
            .map(|n| n.label())
            .filter(|l| !l.is_empty())
    };
    ReplyTo {
        message_id: node
            .attr("href")
            .and_then(|href| href.split(['?', '#']).next())
            .and_then(|path| path.rsplit_once('/'))
            .filter(|(at, _)| channel.is_some_and(|c| at.ends_with(&format!("/{c}"))))
            .and_then(|(_, id)| id.parse().ok()),
        author: label("tgme_widget_message_author_name")
            .or_else(|| label("tgme_widget_message_author")),
        text: label("tgme_widget_message_metatext").or_else(|| label("tgme_widget_message_text")),
        ..ReplyTo::default()
    }
}

/// Views, the author's signature, `edited`, and the date with its offset.
fn footer(node: Node<'_>, message: &mut Message) {
    let time = node.find_tag("time");
    let footer = Footer {
        views: node
            .find_class("tgme_widget_message_views")
            .and_then(|v| analysis::count(&v.label()).ok().map(|(_, views)| views)),
        // `edited` is loose text in the meta line, before the date link.
        edited: node
            .find_class("tgme_widget_message_meta")
            .is_some_and(|meta| {
                meta.children()
                    .filter_map(|c| c.as_text())
                    .any(|text| text.split_whitespace().any(|word| word == "edited"))
            }),
        time: time.map(|t| t.label()).filter(|t| !t.is_empty()),
        ..Footer::default()
    };
    message.author = node
        .find_class("tgme_widget_message_from_author")
        .map(|a| a.label());
    message.date = time
        .and_then(|t| t.attr("datetime"))
        .and_then(|d| d.parse().ok());
    if let Some(voters) = node.find_class("tgme_widget_message_voters")
        && let Some(poll) = message.media.iter_mut().find_map(|m| m.poll.as_mut())
    {
        poll.total_voters = analysis::count(&voters.label()).ok().map(|(_, n)| n);
    }
    message.views = footer.views;
    message.footer = Some(footer);
}

/// `<span class="tgme_reaction"><i class="emoji"><b>👍</b></i>1.2K</span>`; custom emoji
/// reactions have a `tg-emoji` instead, paid ones a star.
fn reaction(node: Node<'_>) -> Reaction {
    let count: String = node.children().filter_map(|c| c.as_text()).collect();
    let custom = node.find_tag("tg-emoji");
    let kind = if node.has_class("tgme_reaction_paid") {
        ReactionKind::Paid
    } else if custom.is_some() {
        ReactionKind::CustomEmoji
    } else {
        ReactionKind::Emoji
    };
    let emoji = node
        .elements()
        .next()
        .map(|e| e.label())
        .filter(|e| !e.is_empty() && kind == ReactionKind::Emoji);
    Reaction {
        document_id: custom.and_then(|c| c.attr("emoji-id")).map(str::to_owned),
        emoji,
        kind,
        count: analysis::count(&count).map_or(0, |(_, n)| n),
        recent: Vec::new(),
        extra: serde_json::Map::new(),
    }
}

fn buttons(keyboard: Node<'_>) -> Vec<Vec<crate::Button>> {
    keyboard
        .descendants()
        .filter(|row| row.has_class("tgme_widget_message_inline_row"))
        .map(|row| {
            row.descendants()
                .filter(|b| b.has_class("tgme_widget_message_inline_button"))
                .map(|button| crate::Button {
                    data: button.attr("href").map(str::to_owned),
                    ..crate::Button::new("url", button.label())
                })
                .collect()
        })
        .collect()
}

/// What the page's service sentences record; the sentence is kept as `text`, the
/// linked name (`X pinned «…»`) as the actor.
fn service_action(text: Node<'_>) -> Action {
    let sentence = text.label();
    let kind = if sentence == "Channel created" {
        ActionKind::CreateChannel
    } else if sentence.starts_with("Channel photo") {
        ActionKind::EditGroupPhoto
    } else if sentence.starts_with("Channel name was changed") {
        ActionKind::EditGroupTitle
    } else if sentence.contains(" pinned ") {
        ActionKind::PinMessage
    } else {
        ActionKind::Other("unknown".to_owned())
    };
    let mut fields = serde_json::Map::new();
    fields.insert("text".to_owned(), sentence.into());
    Action {
        kind,
        actor: text
            .find_class("tgme_widget_message_author_name")
            .map(|name| Peer::new(Some(name.label()), None)),
        fields,
    }
}

/// What t.me's inline markup means beyond the shared formatting tags.
pub(super) fn inline(node: Node<'_>) -> Option<Markup> {
    let element = node.element()?;
    match element.name() {
        "a" => Some(link(node)),
        // An emoji drawn as a picture: `<i class="emoji"><b>👍</b></i>` is just `👍`.
        "i" if element.has_class("emoji") => Some(Markup::Flat),
        "tg-spoiler" => Some(Markup::entity(EntityKind::Spoiler)),
        // Direction hints (`<span dir="auto">`) carry no formatting.
        "span" if element.attr("class").is_none() => Some(Markup::Plain),
        "span" if element.has_class("tg-spoiler") => Some(Markup::entity(EntityKind::Spoiler)),
        "tg-emoji" => {
            let mut entity = Entity::new(EntityKind::CustomEmoji, "", 0);
            entity.document_id = element.attr("emoji-id").map(str::to_owned);
            Some(Markup::Entity(entity))
        }
        // Albums nest a second text block inside the first.
        "div" if element.has_class("tgme_widget_message_text") => Some(Markup::Plain),
        _ => None,
    }
}

/// Hashtag and cashtag links search the channel (`?q=%23tag`); a link whose text is its
/// own target is a URL written in the text.
fn link(node: Node<'_>) -> Markup {
    let href = node.attr("href").unwrap_or_default();
    // As shown: a link written over several source lines is still one word.
    let text = node.label();
    let kind = if href.starts_with("?q=%23") {
        EntityKind::Hashtag
    } else if href.starts_with("?q=%24") {
        EntityKind::Cashtag
    } else if href.strip_prefix("mailto:") == Some(&text) {
        EntityKind::Email
    } else if href.strip_prefix("tel:") == Some(&text) {
        EntityKind::Phone
    } else if text.strip_prefix('@').is_some_and(|name| {
        href.trim_end_matches('/')
            .ends_with(&format!("t.me/{name}"))
    }) {
        EntityKind::Mention
    } else if names_itself(&text, href) {
        EntityKind::Link
    } else {
        EntityKind::TextLink
    };
    let mut entity = Entity::new(kind.clone(), "", 0);
    if kind == EntityKind::TextLink {
        entity.href = Some(href.to_owned());
    }
    Markup::Entity(entity)
}

/// Whether link text `text` is the URL `href` as written (`python.org` for
/// `http://python.org/`).
fn names_itself(text: &str, href: &str) -> bool {
    let bare = |url: &str| {
        let url = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(url);
        url.trim_end_matches('/').to_owned()
    };
    text == href || bare(text) == bare(href)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_ids_count_within_the_channel() {
        let quote = |href: &str| {
            let html = format!(
                r#"<a class="tgme_widget_message_reply" href="{href}"><div class="tgme_widget_message_author"><span class="tgme_widget_message_author_name">Pier Radio</span></div><div class="tgme_widget_message_metatext">Schedule</div></a>"#
            );
            reply(crate::html::fragment(&html).root(), Some("pier_radio"))
        };
        let same = quote("https://t.me/pier_radio/3");
        assert_eq!(same.message_id, Some(3));
        assert_eq!(same.author.as_deref(), Some("Pier Radio"));
        assert_eq!(same.text.as_deref(), Some("Schedule"));
        assert_eq!(quote("https://t.me/other_radio/3?single").message_id, None);
    }

    #[test]
    fn links_that_name_themselves() {
        assert!(names_itself("https://python.org/", "https://python.org/"));
        assert!(names_itself("python.org", "http://python.org/"));
        assert!(!names_itself("Learn more", "https://mid.ru/"));
    }
}
