//! Text analysis shared by every input format: emoji markers, hashtags, mentions, links,
//! dates, duplicate blocks and abbreviated counts.
//!
//! Readers build a [`Message`] with its text (and entities, where the source has them)
//! and call [`analyze`] to fill everything derived from them, so every format answers
//! these questions the same way.

mod counts;
mod dates;
mod duplicates;
mod emoji;
mod inline;
mod labels;

pub(crate) use counts::count;
pub(crate) use dates::ENGLISH_MONTHS;
pub use dates::find_dates;
pub(crate) use dates::{date, month_day};
pub use duplicates::{Repeat, find_repeat};
pub use emoji::{
    emoji_in, emoji_info, emoji_name, flag_country, fold_keycaps, is_emoji, split_leading,
    split_trailing,
};
pub(crate) use inline::hashtag;
pub use inline::{Span, scan};
pub use labels::is_link_label;

use crate::{Duplicate, Entity, EntityKind, Forward, LineRange, Link, Marker, Message, Paragraph};

/// The text of `message` as plain words: keycap emoji folded to their characters
/// (`7️⃣8️⃣` → `78`) and, with [`Markers::Strip`], the emoji leading each line removed.
///
/// ```
/// use tgexport::analysis::{Markers, plain_text};
/// let post = &tgexport::parse("📆 7️⃣8️⃣ years ago\nℹ️Details\n").unwrap().messages[0];
/// assert_eq!(plain_text(post, Markers::Keep), "📆 78 years ago\nℹ️Details");
/// assert_eq!(plain_text(post, Markers::Strip), "78 years ago\nDetails");
/// ```
pub fn plain_text(message: &Message, markers: Markers) -> String {
    let lines = message.text.split('\n').map(|line| match markers {
        Markers::Keep => line,
        Markers::Strip => split_leading(line).map_or(line, |(_, rest)| rest.trim_start()),
    });
    fold_keycaps(&lines.collect::<Vec<_>>().join("\n"))
}

/// Whether [`plain_text`] keeps the emoji markers that lead lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markers {
    /// Keep them as written.
    Keep,
    /// Remove them and the space after them.
    Strip,
}

/// Splits one line of text into its leading emoji marker and the text after it.
///
/// ```
/// let p = tgexport::analysis::paragraph(Some(3), "📆 On September 7, 1945");
/// let marker = p.marker.unwrap();
/// assert_eq!((marker.emoji.as_str(), marker.name.as_str()), ("📆", "tear-off calendar"));
/// assert_eq!(p.text, "On September 7, 1945");
/// ```
pub fn paragraph(line: Option<u32>, text: &str) -> Paragraph {
    paragraph_from(line, std::borrow::Cow::Borrowed(text))
}

/// [`paragraph`], keeping `text` itself as the paragraph's text when it has no marker (a
/// reader's own line is not copied again).
pub(crate) fn paragraph_from(line: Option<u32>, text: std::borrow::Cow<'_, str>) -> Paragraph {
    let mut name = String::new();
    let split = emoji::split_leading_with(&text, |entry| {
        if let Some(entry) = entry {
            if !name.is_empty() {
                name.push_str(", ");
            }
            name.push_str(entry.name());
        }
    });
    let Some((emoji, rest)) = split else {
        return Paragraph {
            line,
            marker: None,
            text: text.into_owned(),
        };
    };
    let body = rest.trim_start();
    Paragraph {
        line,
        marker: Some(Marker {
            emoji: emoji.to_owned(),
            name,
            separator: rest[..rest.len() - body.len()].to_owned(),
        }),
        text: body.to_owned(),
    }
}

/// A forward source as pages show it, a name and maybe emoji after it: `Russian MFA 🇷🇺`
/// → name `Russian MFA`, emoji `🇷🇺`. The plain-text and web-preview readers share it so
/// both give the same name.
///
/// ```
/// let forward = tgexport::analysis::forward_source("Russian MFA 🇷🇺");
/// assert_eq!(forward.name.as_deref(), Some("Russian MFA"));
/// assert_eq!(forward.emoji[0].country.as_deref(), Some("RU"));
/// ```
pub fn forward_source(text: &str) -> Forward {
    let (name, tail) = split_trailing(text);
    Forward {
        name: (!name.is_empty()).then(|| name.to_owned()),
        emoji: emoji_in(tail).map(emoji_info).collect(),
        ..Forward::default()
    }
}

/// Fills what is derived from a message's `text` and `entities`:
///
/// - `paragraphs`, split from `text` when the reader did not set them;
/// - `entities`: hashtags, mentions, URLs and link labels found in `text`, when the source
///   had no entities of its own (plain text, old exports);
/// - `hashtags`, `mentions`, `links` from the entities, in order of appearance;
/// - `dates` written in the text;
/// - `duplicate`, over the lines of `text`, for inputs without source lines.
pub fn analyze(message: &mut Message) {
    if message.paragraphs.is_empty() {
        message.paragraphs = split_lines(&message.text)
            .filter(|line| !line.trim().is_empty())
            .map(|line| paragraph(None, line))
            .collect();
    }
    if message.entities.is_empty() {
        message.entities = detect_entities(&message.text);
    }
    collect_from_entities(message);
    message.dates = find_dates(&message.text);
    if message.lines.is_none() && message.duplicate.is_none() {
        let lines: Vec<&str> = split_lines(&message.text).collect();
        message.duplicate = find_repeat(&lines, |i| !lines[i].trim().is_empty()).map(|repeat| {
            let first = repeat.start as u32 + 1;
            let len = repeat.len as u32;
            Duplicate {
                of: LineRange::new(first, first + len - 1),
                lines: LineRange::new(first + len, first + 2 * len - 1),
            }
        });
    }
}

/// Hashtags, mentions, URLs and whole-line link labels of `text`, with code-point offsets.
pub fn detect_entities(text: &str) -> Vec<Entity> {
    let mut found: Vec<(EntityKind, std::ops::Range<usize>)> = scan(text)
        .into_iter()
        .map(|span| (span.kind, span.range))
        .collect();
    let mut line_start = 0;
    for line in split_lines(text) {
        if let Some(body) = labelled(line) {
            let start = line_start + (line.len() - body.len());
            found.push((EntityKind::LinkLabel, start..line_start + line.len()));
        }
        line_start += line.len() + 1;
    }
    found.sort_by_key(|(_, range)| range.start);
    let mut chars_before = 0;
    let mut counted_to = 0;
    found
        .into_iter()
        .map(|(kind, range)| {
            chars_before += text[counted_to..range.start].chars().count();
            counted_to = range.start;
            Entity::new(kind, &text[range], chars_before)
        })
        .collect()
}

/// `text.split('\n')`, with `memchr`'s SIMD search (the standard one goes a word at a
/// time, which showed in profiles).
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain([text.len()])
        .map(move |end| {
            let line = &text[start..end];
            start = end + 1;
            line
        })
}

/// The paragraph text of `line` when it is a link label.
fn labelled(line: &str) -> Option<&str> {
    if !labels::may_end_in_label(line) {
        return None;
    }
    let body = split_leading(line)
        .map_or(line, |(_, rest)| rest)
        .trim_start();
    is_link_label(body).then_some(body)
}

fn collect_from_entities(message: &mut Message) {
    let mut hashtags = Unique::default();
    let mut mentions = Unique::default();
    let mut links = Vec::new();
    for entity in &message.entities {
        match &entity.kind {
            EntityKind::Hashtag => hashtags.push(&entity.text),
            EntityKind::Mention => mentions.push(&entity.text),
            EntityKind::Link => links.push(Link {
                text: entity.text.clone(),
                url: Some(
                    entity
                        .href
                        .clone()
                        .unwrap_or_else(|| absolute_url(&entity.text)),
                ),
            }),
            EntityKind::TextLink => links.push(Link {
                text: entity.text.clone(),
                url: entity.href.clone(),
            }),
            EntityKind::LinkLabel => links.push(Link {
                text: entity.text.clone(),
                url: None,
            }),
            _ => {}
        }
    }
    message.hashtags = hashtags.into_owned();
    message.mentions = mentions.into_owned();
    message.links = links;
}

/// Values in order of first appearance, each once. A few are compared one by one; past
/// that, a set keeps a message with a million distinct hashtags linear.
#[derive(Default)]
struct Unique<'a> {
    items: Vec<&'a str>,
    seen: Option<rustc_hash::FxHashSet<&'a str>>,
}

impl<'a> Unique<'a> {
    /// How many values are compared one by one before a set takes over.
    const FEW: usize = 16;

    fn push(&mut self, item: &'a str) {
        let new = match &mut self.seen {
            Some(seen) => seen.insert(item),
            None => !self.items.contains(&item),
        };
        if new {
            self.items.push(item);
            if self.seen.is_none() && self.items.len() > Self::FEW {
                self.seen = Some(self.items.iter().copied().collect());
            }
        }
    }

    fn into_owned(self) -> Vec<String> {
        self.items.into_iter().map(str::to_owned).collect()
    }
}

/// `www.x.org` and `t.me/x` as clickable `https://` URLs; URLs with a scheme unchanged.
fn absolute_url(written: &str) -> String {
    if written.contains("://") {
        written.to_owned()
    } else {
        format!("https://{written}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_without_space_after_marker() {
        let p = paragraph(None, "ℹ️The parade");
        assert_eq!(p.marker.as_ref().unwrap().separator, "");
        assert_eq!(p.text, "The parade");
    }

    #[test]
    fn several_emoji_make_one_marker_with_all_names() {
        let p = paragraph(None, "🕯🌟 Memory");
        assert_eq!(p.marker.unwrap().name, "candle, glowing star");
    }

    #[test]
    fn analyze_collects_unique_tags_in_order() {
        let mut m = Message::new(0);
        m.text = "#b #a #b @MFARussia\nLearn more\nhttps://mid.ru on 6 May 1906".into();
        analyze(&mut m);
        assert_eq!(m.hashtags, ["#b", "#a"]);
        assert_eq!(m.mentions, ["@MFARussia"]);
        assert_eq!(
            m.links,
            [
                Link {
                    text: "Learn more".into(),
                    url: None
                },
                Link {
                    text: "https://mid.ru".into(),
                    url: Some("https://mid.ru".into())
                }
            ]
        );
        assert_eq!(m.dates[0].date.unwrap().to_string(), "1906-05-06");
        assert_eq!(m.paragraphs.len(), 3);
    }

    #[test]
    fn entity_offsets_count_code_points() {
        // The flag is two code points (regional indicators).
        let entities = detect_entities("Ура 🇷🇺 #Победа");
        assert_eq!((entities[0].offset, entities[0].length), (7, 7));
    }

    #[test]
    fn source_entities_are_not_redetected() {
        let mut m = Message::new(0);
        m.text = "#seen #unmarked".into();
        m.entities = vec![Entity::new(EntityKind::Hashtag, "#seen", 0)];
        analyze(&mut m);
        assert_eq!(m.hashtags, ["#seen"]);
    }

    #[test]
    fn duplicate_over_text_lines_without_source_lines() {
        let mut m = Message::new(0);
        m.text = "head\na\nb\na\nb".into();
        analyze(&mut m);
        let d = m.duplicate.unwrap();
        assert_eq!(
            (d.of, d.lines),
            (LineRange::new(2, 3), LineRange::new(4, 5))
        );
    }

    #[test]
    fn lines_split_as_the_standard_split_does() {
        for text in ["", "\n", "a", "a\nb", "a\n\nb\n", "\nя\n"] {
            let ours: Vec<_> = split_lines(text).collect();
            let std: Vec<_> = text.split('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn unique_keeps_first_appearances_past_the_few_it_compares() {
        let tags: Vec<String> = (0..40).map(|i| format!("#t{}", i % 25)).collect();
        let mut unique = Unique::default();
        tags.iter().for_each(|tag| unique.push(tag));
        let expected: Vec<String> = (0..25).map(|i| format!("#t{i}")).collect();
        assert_eq!(unique.into_owned(), expected);
    }
}
