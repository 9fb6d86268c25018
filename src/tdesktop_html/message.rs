//! One block of a page (`div.message`, the page header, …) into a message.

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

use super::{media, service};
use crate::html::Diagnostics;
use crate::html::dom::{Fragment, Node};
use crate::html::rich::{Layout, Markup, rich_text};
use crate::{
    Button, Channel, Entity, EntityKind, Forward, Media, MediaKind, Message, MessageKind, Peer,
    Reaction, ReactionKind, ReplyTo, Timestamp, analysis,
};

/// Turns blocks into messages, carrying what later blocks leave out: a `joined` message
/// (one that follows its sender's previous message closely) has no sender block, and a
/// forward that continues a run of forwards from one source has no source name.
#[derive(Debug, Default)]
pub(super) struct Builder {
    index: usize,
    channel: Option<Channel>,
    header_seen: bool,
    previous: Option<Sender>,
    pub(super) diagnostics: Diagnostics,
}

/// Who sent the last ordinary message, and from where it was forwarded.
#[derive(Debug, Clone)]
struct Sender {
    from: Option<Peer>,
    via_bot: Option<String>,
    forward_name: Option<String>,
}

impl Builder {
    /// The chat named by the first page header, taken out.
    pub(super) fn take_channel(&mut self) -> Option<Channel> {
        self.channel.take()
    }

    /// The message a block holds; `None` for blocks that are layout (page header, date
    /// separators, links to the next page).
    pub(super) fn read(&mut self, block: &Fragment) -> Option<Message> {
        let root = block.root();
        self.diagnostics.note_cut_off(block);
        if root.has_class("page_header") {
            if !std::mem::replace(&mut self.header_seen, true) {
                let title = root.find_class("text").map(|t| t.label());
                self.channel = Some(Channel {
                    title,
                    ..Channel::default()
                });
            }
            return None;
        }
        if root.has_class("pagination") {
            return None;
        }
        let id = root.attr("id").and_then(message_id);
        if root.has_class("message") && root.has_class("service") {
            // Date separators are service blocks with negative ids.
            return id.is_none_or(|id| id >= 0).then(|| self.service(root, id));
        }
        let mut message = self.next_message(id);
        if root.has_class("message") && root.has_class("default") {
            self.default(root, &mut message);
        } else {
            message.kind = MessageKind::Unsupported;
            self.diagnostics
                .keep_unknown(&mut message, root, "div.history");
        }
        analysis::analyze(&mut message);
        Some(message)
    }

    fn next_message(&mut self, id: Option<i64>) -> Message {
        let mut message = Message::new(self.index);
        self.index += 1;
        message.id = id;
        message
    }

    fn service(&mut self, root: Node<'_>, id: Option<i64>) -> Message {
        self.previous = None;
        let mut message = self.next_message(id);
        message.kind = MessageKind::Service;
        for child in root.elements() {
            if child.has_class("body") {
                let sentence = child.label();
                if sentence.starts_with("This message is not supported") {
                    message.kind = MessageKind::Unsupported;
                } else {
                    let linked = child.descendants().find_map(go_to_message);
                    message.action = Some(service::action(&sentence, linked));
                }
            } else if child.has_class("userpic_wrap") {
                // The new chat photo of `edit_group_photo`.
                if let Some(link) = child.find_class("userpic_link") {
                    let mut photo = Media::new(MediaKind::Photo);
                    photo.file = link.attr("href").map(str::to_owned);
                    message.media.push(photo);
                }
            } else {
                self.diagnostics
                    .keep_unknown(&mut message, child, "a service message");
            }
        }
        message
    }

    fn default(&mut self, root: Node<'_>, message: &mut Message) {
        let mut forward = Forwarded::No;
        for child in root.elements() {
            if child.has_class("body") {
                self.parts(child, message, &mut forward);
            } else if !child.has_class("userpic_wrap") {
                self.diagnostics.keep_unknown(message, child, "a message");
            }
        }
        let previous = self.previous.take();
        if message.from.is_none() && root.has_class("joined") {
            if let Some(previous) = &previous {
                message.from = previous.from.clone();
                message.via_bot = previous.via_bot.clone();
            }
        }
        if forward == Forwarded::Unnamed {
            // A forward in a run from one source: the name is on the first of the run.
            let name = previous.and_then(|p| p.forward_name);
            message.forwarded_from = Some(Forward {
                name,
                ..Forward::default()
            });
        }
        self.previous = Some(Sender {
            from: message.from.clone(),
            via_bot: message.via_bot.clone(),
            forward_name: message.forwarded_from.as_ref().and_then(|f| f.name.clone()),
        });
    }

    /// Reads the children of a message body, or of the forwarded body inside it.
    fn parts(&mut self, body: Node<'_>, message: &mut Message, forward: &mut Forwarded) {
        let forwarded = *forward != Forwarded::No;
        for part in body.elements() {
            let class = |name| part.has_class(name);
            if class("date") && class("details") {
                message.date = self.date(part);
            } else if class("from_name") && forwarded {
                let (source, via_bot) = self.forward_header(part);
                message.forwarded_from = Some(source);
                // A forward names the inline bot beside its source, not its sender.
                message.via_bot = message.via_bot.take().or(via_bot);
                *forward = Forwarded::Named;
            } else if class("from_name") {
                let (from, via_bot) = sender(&part.own_label());
                message.from = Some(Peer::new(from, None));
                message.via_bot = via_bot;
            } else if class("forwarded") && class("body") {
                *forward = Forwarded::Unnamed;
                self.parts(part, message, forward);
            } else if class("userpic_wrap") {
                // A picture or the initials of the forward's source: nothing new.
            } else if class("reply_to") {
                let message_id = part.descendants().find_map(go_to_message);
                message.reply_to = Some(ReplyTo {
                    message_id,
                    // `In reply to a message in another chat`, without a link.
                    other_chat: message_id.is_none() && part.label().contains("another chat"),
                    ..ReplyTo::default()
                });
            } else if class("media_wrap") {
                media::read(part, message, &mut self.diagnostics);
            } else if class("text") {
                let text = rich_text(part, Layout::Source, &inline);
                self.diagnostics.keep_unknown_inline(message, &text.unknown);
                message.text = text.text;
                message.entities = text.entities;
            } else if class("signature") {
                message.author = Some(part.label());
            } else if class("reactions") {
                message.reactions = part
                    .elements()
                    .filter(|r| r.has_class("reaction"))
                    .map(reaction)
                    .collect();
            } else if class("bot_buttons_table") {
                message.buttons = buttons(part);
            } else {
                self.diagnostics.keep_unknown(message, part, "a message");
            }
        }
    }

    fn date(&mut self, node: Node<'_>) -> Option<Timestamp> {
        let title = node.attr("title").unwrap_or_default();
        let date = parse_date(title);
        if date.is_none() {
            self.diagnostics.warn(
                node.line(),
                format!(
                    "{}: date {title:?} is not `dd.mm.yyyy hh:mm:ss [UTC±hh:mm]`; left out",
                    node.describe()
                ),
            );
        }
        date
    }

    /// `Name [via @bot]<span class="date details" title="…"> …</span>`: the source and
    /// the inline bot.
    fn forward_header(&mut self, node: Node<'_>) -> (Forward, Option<String>) {
        let (name, via_bot) = sender(&node.own_label());
        let date = node
            .elements()
            .find(|e| e.has_class("date"))
            .and_then(|date| self.date(date));
        let source = Forward {
            name,
            date,
            ..Forward::default()
        };
        (source, via_bot)
    }
}

/// Whether the message being read is a forward, and whether its source is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forwarded {
    No,
    Unnamed,
    Named,
}

/// `Name via @bot` → (`Name`, `bot`).
fn sender(text: &str) -> (Option<String>, Option<String>) {
    let (name, bot) = match text.rsplit_once(" via @") {
        Some((name, bot)) if !bot.is_empty() && !bot.contains(' ') => (name, Some(bot)),
        _ => (text, None),
    };
    (
        (!name.is_empty()).then(|| name.to_owned()),
        bot.map(str::to_owned),
    )
}

/// `message123` → 123, `message-1` → -1.
fn message_id(id: &str) -> Option<i64> {
    id.strip_prefix("message")?.parse().ok()
}

/// The message a link points to: `onclick="return GoToMessage(123)"`, or an `href`
/// ending in `#go_to_message123` (links into another page of the export).
fn go_to_message(node: Node<'_>) -> Option<i64> {
    let from_onclick = node
        .attr("onclick")
        .and_then(|call| call.split_once("GoToMessage(")?.1.split_once(')'))
        .and_then(|(id, _)| id.trim().parse().ok());
    from_onclick.or_else(|| {
        node.attr("href")?
            .rsplit_once("#go_to_message")?
            .1
            .parse()
            .ok()
    })
}

/// `14.05.2021 23:28:11 UTC+03:00`, or without the zone (older exports wrote the local
/// time of the exporting machine, whose offset is unknown).
fn parse_date(title: &str) -> Option<Timestamp> {
    let (clock, zone) = match title.split_once(" UTC") {
        Some((clock, zone)) => (clock, Some(zone)),
        None => (title, None),
    };
    let local = NaiveDateTime::parse_from_str(clock.trim(), "%d.%m.%Y %H:%M:%S").ok()?;
    let Some(zone) = zone else {
        return Some(Timestamp::naive(local));
    };
    let offset = utc_offset(zone.trim())?;
    Some(Timestamp::with_offset(
        offset.from_local_datetime(&local).single()?,
    ))
}

/// `+03:00`, `-05:30`, `+0530`, or nothing for UTC itself.
fn utc_offset(text: &str) -> Option<FixedOffset> {
    if text.is_empty() {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match text.as_bytes()[0] {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// What Telegram Desktop's inline markup means beyond the shared formatting tags.
fn inline(node: Node<'_>) -> Option<Markup> {
    let element = node.element()?;
    match element.name() {
        "a" => Some(link(node)),
        "span" if element.has_class("spoiler") => Some(Markup::entity(EntityKind::Spoiler)),
        // The spoiler's inner span only hides its text on screen.
        "span" if element.attr("aria-hidden").is_some() => Some(Markup::Plain),
        _ => None,
    }
}

/// Links are entities of many kinds, told apart by the handler or the target.
fn link(node: Node<'_>) -> Markup {
    let onclick = node.attr("onclick").unwrap_or_default();
    let href = node.attr("href").unwrap_or_default();
    let text = node.text();
    let handler = [
        ("ShowHashtag(", EntityKind::Hashtag),
        ("ShowBotCommand(", EntityKind::BotCommand),
        ("ShowCashtag(", EntityKind::Cashtag),
        ("ShowMentionName(", EntityKind::MentionName),
        ("ShowNotLoadedEmoji(", EntityKind::CustomEmoji),
        ("ShowNotAvailableEmoji(", EntityKind::CustomEmoji),
    ]
    .into_iter()
    .find_map(|(call, kind)| onclick.contains(call).then_some(kind));
    let kind = handler.unwrap_or_else(|| {
        if href == text {
            EntityKind::Link
        } else if href.strip_prefix("mailto:") == Some(&text) {
            EntityKind::Email
        } else if href.strip_prefix("tel:") == Some(&text) {
            EntityKind::Phone
        } else if text
            .strip_prefix('@')
            .is_some_and(|name| is_profile_of(href, name))
        {
            // Any other link whose text starts with `@` is a text link: its target counts.
            EntityKind::Mention
        } else if !href.contains("://") && analysis::is_emoji(&text) {
            // A custom emoji whose picture was exported: the link is the picture's path.
            EntityKind::CustomEmoji
        } else {
            EntityKind::TextLink
        }
    });
    let mut entity = Entity::new(kind.clone(), "", 0);
    if matches!(kind, EntityKind::TextLink | EntityKind::CustomEmoji) && !href.is_empty() {
        entity.href = Some(href.to_owned());
    }
    Markup::Entity(entity)
}

/// Whether `href` is the t.me page of the username `name`, as tdesktop links mentions.
fn is_profile_of(href: &str, name: &str) -> bool {
    let page = href.trim_end_matches('/');
    let page = (page
        .strip_prefix("https://")
        .or(page.strip_prefix("http://")))
    .unwrap_or(page);
    page.strip_prefix("t.me/")
        .is_some_and(|page| page.eq_ignore_ascii_case(name))
}

/// `<span class="reaction [paid]"><span class="emoji">❤</span><span class="count">3</span>`.
fn reaction(node: Node<'_>) -> Reaction {
    let emoji = node.find_class("emoji");
    let text = emoji.map(|e| e.label()).filter(|t| !t.is_empty());
    let picture = emoji
        .and_then(|e| e.find_tag("img"))
        .and_then(|img| img.attr("src"));
    let kind = if node.has_class("paid") {
        ReactionKind::Paid
    } else if text.is_none() && picture.is_some() {
        ReactionKind::CustomEmoji
    } else {
        ReactionKind::Emoji
    };
    let count = node
        .find_class("count")
        .map(|c| c.label())
        .unwrap_or_default();
    Reaction {
        document_id: (kind == ReactionKind::CustomEmoji)
            .then(|| picture.map(str::to_owned))
            .flatten(),
        emoji: text.filter(|_| kind == ReactionKind::Emoji),
        kind,
        count: analysis::count(&count).map_or(0, |(_, n)| n),
        recent: Vec::new(),
        extra: serde_json::Map::new(),
    }
}

/// Rows of `div.bot_button`: a link for URL buttons, a `ShowTextCopied('Data: … | Type:
/// …')` handler for the others.
fn buttons(table: Node<'_>) -> Vec<Vec<Button>> {
    table
        .descendants()
        .filter(|row| row.has_class("bot_button_row"))
        .map(|row| {
            row.descendants()
                .filter(|b| b.has_class("bot_button"))
                .map(button)
                .collect()
        })
        .collect()
}

fn button(node: Node<'_>) -> Button {
    let link = node.find_tag("a");
    let href = link.and_then(|a| a.attr("href")).filter(|h| !h.is_empty());
    let copied = link.and_then(|a| a.attr("onclick")).unwrap_or_default();
    let field = |name: &str| {
        let (_, rest) = copied.split_once(name)?;
        Some(rest.split([' ', '\'', '"', ')']).next()?.to_owned())
    };
    let (kind, data) = match href {
        Some(url) => ("url".to_owned(), Some(url.to_owned())),
        None => (
            field("Type: ").unwrap_or_else(|| "unknown".to_owned()),
            field("Data: "),
        ),
    };
    Button {
        data,
        ..Button::new(kind, node.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_offset_and_naive() {
        let with_zone = parse_date("14.05.2021 23:28:11 UTC+03:00").unwrap();
        assert_eq!(with_zone.to_string(), "2021-05-14T23:28:11+03:00");
        let west = parse_date("01.12.2020 08:00:00 UTC-05:30").unwrap();
        assert_eq!(west.to_string(), "2020-12-01T08:00:00-05:30");
        let naive = parse_date("14.05.2021 23:28:11").unwrap();
        assert_eq!(
            (naive.to_string().as_str(), naive.offset()),
            ("2021-05-14T23:28:11", None)
        );
        assert_eq!(
            parse_date("18.07.2023 00:24:19 UTC").unwrap().to_string(),
            "2023-07-18T00:24:19Z"
        );
        assert!(parse_date("2021-05-14 23:28").is_none());
        assert!(parse_date("14.05.2021 23:28:11 UTC+3").is_none());
    }

    #[test]
    fn ids_of_messages_and_links() {
        assert_eq!(message_id("message123"), Some(123));
        assert_eq!(message_id("message-4"), Some(-4));
        assert_eq!(message_id("msg1"), None);
        let link = |html: &str| go_to_message(crate::html::fragment(html).root());
        assert_eq!(
            link(r##"<a href="#go_to_message173" onclick="return GoToMessage(173)">this</a>"##),
            Some(173)
        );
        // Links into another page of the export carry the id in the target only.
        assert_eq!(
            link(r#"<a href="messages3.html#go_to_message2048">this</a>"#),
            Some(2048)
        );
        assert_eq!(
            link(r#"<a href="https://example.org/">elsewhere</a>"#),
            None
        );
    }

    #[test]
    fn senders_with_inline_bots() {
        assert_eq!(
            sender("Ann Lee via @gif"),
            (Some("Ann Lee".into()), Some("gif".into()))
        );
        assert_eq!(sender("Reading Room"), (Some("Reading Room".into()), None));
    }
}
