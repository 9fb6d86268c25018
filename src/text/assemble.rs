//! Assembling classified lines into a channel header and messages.
//!
//! Works line by line with one line of lookahead, so a reader of any size is parsed in
//! memory bounded by the largest message.

use std::borrow::Cow;
use std::collections::VecDeque;

use super::grammar::{self, FooterParts};
use super::lines::{Line, LineSource};
use crate::analysis::{self, Repeat, find_repeat};
use crate::error::Result;
use crate::{
    Channel, Counters, Duplicate, Footer, Forward, LineRange, Media, MediaKind, Message, Peer,
    Reaction, ReactionKind, ReplyTo, SourceLine, TextLayout,
};

/// How far into the input a channel header may reach.
const HEADER_WINDOW: usize = 64;

/// What a line is, once its neighbours are taken into account.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// The channel's title alone above a post, as a page without its style sheet shows
    /// each post's author.
    Author,
    Forward,
    Duration(u32),
    Placeholder(MediaKind),
    ViewInTelegram,
    Footer(FooterParts),
    Day,
    /// The author of the post a post replies to, over the first line of that post.
    ReplyAuthor,
    ReplyText,
    /// A reaction line: each emoji (`None` when its picture did not copy) and count.
    Reactions(Vec<(Option<String>, u64)>),
    /// A file's name, with its size on the next line.
    DocumentName,
    DocumentSize,
    Text,
}

#[derive(Debug)]
struct Entry<'a> {
    number: u32,
    text: Cow<'a, str>,
    kind: Kind,
}

/// Turns numbered lines into a channel header and a stream of messages.
#[derive(Debug)]
pub struct Assembler<'a, S> {
    source: S,
    queue: VecDeque<Line<'a>>,
    channel: Option<Channel>,
    /// The channel's title, kept after the header is taken: replies to the channel's own
    /// posts name it.
    title: Option<String>,
    draft: Vec<Entry<'a>>,
    /// Whether the draft has a paragraph, and a footer: kept as entries are pushed, so
    /// deciding where a message ends does not rescan a long message at every line.
    draft_has_text: bool,
    draft_has_footer: bool,
    /// Paragraph lines in the draft, and whether a blank line parts every two of them:
    /// the evidence that a copy which lost its footers sets posts' paragraphs apart.
    draft_paragraphs: usize,
    draft_spaced: bool,
    /// Whether a post of this copy opened with an author line: then every line that
    /// names the channel alone opens a post.
    authors_seen: bool,
    index: usize,
    exhausted: bool,
}

impl<'a, S: LineSource<'a>> Assembler<'a, S> {
    /// Reads the channel header, if the input starts with one; messages follow on iteration.
    pub fn new(source: S) -> Result<Self> {
        let mut assembler = Self {
            source,
            queue: VecDeque::new(),
            channel: None,
            title: None,
            draft: Vec::new(),
            draft_has_text: false,
            draft_has_footer: false,
            draft_paragraphs: 0,
            draft_spaced: true,
            authors_seen: false,
            index: 0,
            exhausted: false,
        };
        assembler.fill(HEADER_WINDOW)?;
        assembler.channel = assembler.take_header();
        assembler.title = assembler.channel.as_ref().and_then(|c| c.title.clone());
        Ok(assembler)
    }

    /// Takes the channel header out, leaving `None`.
    pub fn take_channel(&mut self) -> Option<Channel> {
        self.channel.take()
    }

    /// The input's layout; complete once iteration has ended.
    pub fn layout(&self) -> TextLayout {
        self.source.layout()
    }

    /// Reads ahead until `want` lines are queued or the input ends.
    fn fill(&mut self, want: usize) -> Result<()> {
        while self.queue.len() < want && !self.exhausted {
            match self.source.next() {
                Some(line) => self.queue.push_back(line?),
                None => self.exhausted = true,
            }
        }
        Ok(())
    }

    /// Recognises `[page title] name [@username] counters… [description… Download Telegram]`.
    fn take_header(&mut self) -> Option<Channel> {
        let content: Vec<usize> = (0..self.queue.len())
            .filter(|&i| !self.queue[i].text.trim().is_empty())
            .collect();
        let text = |k: usize| content.get(k).map(|&i| &*self.queue[i].text);
        // A page saved without its style sheet starts with its top bar's link; a channel
        // may be named `Download` too, so it counts only above a line that can be a title.
        let mut k = usize::from(
            text(0).is_some_and(|l| grammar::top_bar(l).is_ok())
                && text(1).is_some_and(|l| {
                    grammar::username_line(l).is_err() && grammar::counter(l).is_err()
                }),
        );
        let page_title = text(k)
            .and_then(|l| grammar::page_title(l).ok())
            .map(|(_, name)| name.to_owned());
        k += usize::from(page_title.is_some());
        let title = text(k).filter(|l| !is_structural(l))?.to_owned();
        k += 1;
        let username = text(k)
            .and_then(|l| grammar::username_line(l).ok())
            .map(|(_, name)| name.to_owned());
        k += usize::from(username.is_some());
        let download = (k..content.len())
            .find(|&d| text(d).is_some_and(|l| grammar::download_telegram(l).is_ok()));
        // A page in another language labels its counters in that language; such a counter
        // is only taken where the closing button confirms the header.
        let mut counters = Counters::default();
        let mut counted = 0;
        while let Some((count, label)) = text(k).and_then(|l| header_counter(l, download.is_some()))
        {
            counters.set(label, count);
            counted += 1;
            k += 1;
        }
        let download = download.filter(|&d| d >= k);
        if counted == 0 && (page_title.is_none() || download.is_none()) {
            return None;
        }
        let (last, description) = match download {
            Some(d) => {
                // The description as written, blank lines between its paragraphs included.
                let description = (k < d).then(|| {
                    let lines = content[k]..=content[d - 1];
                    let lines: Vec<&str> = lines.map(|i| &*self.queue[i].text).collect();
                    lines.join("\n")
                });
                // Under the button: a page without its style sheet tells what it is for,
                // and a channel without posts says so.
                let mut last = d;
                last +=
                    usize::from(text(last + 1).is_some_and(|l| grammar::join_prompt(l).is_ok()));
                last += usize::from(text(last + 1).is_some_and(|l| grammar::no_posts(l).is_ok()));
                (last, description)
            }
            None => (k - 1, None),
        };
        let taken = content[last] + 1;
        let header = self
            .queue
            .drain(..taken)
            .filter(|line| !line.text.is_empty())
            .map(|line| SourceLine::new(line.number, line.text))
            .collect();
        Some(Channel {
            title: Some(title),
            username,
            description,
            counters,
            header,
            ..Channel::default()
        })
    }

    fn next_line(&mut self) -> Result<Option<Line<'a>>> {
        self.fill(2)?;
        Ok(self.queue.pop_front())
    }

    /// What `line` (number `number`) is, given the message so far and the line after it.
    fn classify(&self, number: u32, line: &str) -> Kind {
        if grammar::forward_header(line).is_ok() {
            return Kind::Forward;
        }
        let next = self.queue.front().map(|l| &*l.text);
        let after_reply_author = self
            .draft
            .last()
            .is_some_and(|e| matches!(e.kind, Kind::ReplyAuthor) && e.number + 1 == number);
        if after_reply_author {
            return Kind::ReplyText;
        }
        if self.title.as_deref() == Some(line)
            && let Some(kind) = self.title_line(number, next)
        {
            return kind;
        }
        if !self.draft.is_empty()
            && let Ok((_, reactions)) = grammar::reactions_line(line)
        {
            return Kind::Reactions(
                reactions
                    .into_iter()
                    .map(|(emoji, n)| (emoji.map(str::to_owned), n))
                    .collect(),
            );
        }
        // A size line is short and ends in `B`: checked first, as names may be long.
        if next.is_some_and(|n| n.len() <= 16 && n.ends_with('B') && grammar::file_size(n).is_ok())
            && grammar::file_name(line).is_ok()
        {
            return Kind::DocumentName;
        }
        // Every other construct is a short line; most paragraphs are long.
        if line.len() > grammar::LONGEST_SHORT_CONSTRUCT {
            return Kind::Text;
        }
        let follows = |kind: fn(&Kind) -> bool| {
            self.draft
                .last()
                .is_some_and(|e| kind(&e.kind) && e.number + 1 == number)
        };
        if follows(|k| matches!(k, Kind::DocumentName)) && grammar::file_size(line).is_ok() {
            return Kind::DocumentSize;
        }
        let next_is_placeholder = next.is_some_and(|n| grammar::media_placeholder(n).is_ok());
        let last = self.draft.last().map(|e| &e.kind);
        if let Ok((_, kind)) = grammar::media_placeholder(line) {
            return Kind::Placeholder(kind);
        }
        if follows(|k| matches!(k, Kind::Placeholder(_))) && grammar::view_in_telegram(line).is_ok()
        {
            return Kind::ViewInTelegram;
        }
        if next_is_placeholder && let Ok((_, clock)) = grammar::clock(line) {
            return Kind::Duration(grammar::clock_seconds(clock));
        }
        if !self.draft.is_empty() {
            if let Ok((_, parts)) = grammar::footer_line(line) {
                // A bare number is a view count only beside another footer line.
                let beside_footer = matches!(last, Some(Kind::Footer(_)))
                    || next.is_some_and(|n| {
                        grammar::footer_line(n).is_ok_and(|(_, p)| !p.bare_count || p.edited)
                    });
                if !parts.bare_count || parts.edited || parts.time.is_some() || beside_footer {
                    return Kind::Footer(parts);
                }
                // Else a bare count that closes a post (after its hashtag line, or before
                // the next post's forward header) is a reaction whose picture did not copy.
                let closes = self.draft.last().is_some_and(|e| {
                    matches!(e.kind, Kind::Text)
                        && e.number + 1 == number
                        && (grammar::hashtag_line(&e.text).is_ok()
                            || next.is_some_and(|n| grammar::forward_header(n).is_ok()))
                });
                if let Some(n) = parts.views.filter(|_| closes) {
                    return Kind::Reactions(vec![(None, n)]);
                }
            }
            if matches!(last, Some(Kind::Footer(_))) && grammar::day_separator(line).is_ok() {
                return Kind::Day;
            }
        }
        Kind::Text
    }

    /// What line `number`, which names the channel alone, is: the author line above a
    /// post, or the author of the post a reply quotes (`None`: a paragraph).
    fn title_line(&self, number: u32, next: Option<&str>) -> Option<Kind> {
        // Under an author line, the channel's name is the author of a quoted post.
        if let [author] = &self.draft[..]
            && matches!(author.kind, Kind::Author)
        {
            return (author.number + 1 == number).then_some(Kind::ReplyAuthor);
        }
        // A reply shows its post's author and that post's first line, cut with `…`; only
        // replies to the channel's own posts, which name it, are told from text reliably.
        if next.is_some_and(|n| n.ends_with('…') && grammar::forward_header(n).is_err()) {
            return Some(Kind::ReplyAuthor);
        }
        // An author line opens a post: where one may start anyway, or anywhere in a copy
        // whose posts open with author lines.
        (self.draft.is_empty() || self.draft_has_footer || self.authors_seen)
            .then_some(Kind::Author)
    }

    /// Whether the draft is only an author line, which the post under it goes with.
    fn draft_is_author(&self) -> bool {
        matches!(&self.draft[..], [e] if matches!(e.kind, Kind::Author))
    }

    /// Whether line `number`, `line`, of kind `kind` cannot belong to the message drafted
    /// so far.
    fn starts_new_message(&self, kind: &Kind, number: u32, line: &str) -> bool {
        match kind {
            Kind::Author => !self.draft.is_empty(),
            Kind::Forward | Kind::ReplyAuthor => !self.draft.is_empty() && !self.draft_is_author(),
            Kind::Duration(_) | Kind::Placeholder(_) | Kind::DocumentName => {
                self.draft_has_footer || self.draft_has_text
            }
            Kind::Footer(_)
            | Kind::Day
            | Kind::ViewInTelegram
            | Kind::Reactions(_)
            | Kind::ReplyText
            | Kind::DocumentSize => false,
            Kind::Text => self.draft_has_footer || self.opens_footerless_post(number, line),
        }
    }

    /// Whether a paragraph line right under the draft's last paragraph (no blank line
    /// between) opens the next post of a copy that lost its footers. Only on strong
    /// evidence, as a wrong split is as bad as a wrong merge: the draft set each of its
    /// paragraphs apart with a blank line, its last line does not lead on (`:`, `,`), and
    /// this line opens like a post: with a day and month, maybe after an emoji marker, or
    /// with an emoji marker right after a closing hashtag line.
    fn opens_footerless_post(&self, number: u32, line: &str) -> bool {
        let Some(last) = self.draft.last() else {
            return false;
        };
        if !self.draft_spaced
            || self.draft_paragraphs < 2
            || !matches!(last.kind, Kind::Text)
            || last.number + 1 != number
            || last.text.trim_end().ends_with([':', ',', ';', '-', '—'])
        {
            return false;
        }
        let (marker, opening) = match analysis::split_leading(line) {
            Some((_, rest)) => (true, rest.trim_start()),
            None => (false, line),
        };
        grammar::dated_lead(opening).is_ok()
            || (marker && grammar::hashtag_line(&last.text).is_ok())
    }

    fn push(&mut self, entry: Entry<'a>) {
        if matches!(entry.kind, Kind::Text) {
            let adjacent = self
                .draft
                .last()
                .is_some_and(|e| matches!(e.kind, Kind::Text) && e.number + 1 == entry.number);
            self.draft_spaced &= !adjacent;
            self.draft_paragraphs += 1;
        }
        self.draft_has_text |= matches!(entry.kind, Kind::Text);
        self.authors_seen |= matches!(entry.kind, Kind::Author);
        self.draft_has_footer |=
            matches!(entry.kind, Kind::Footer(_) | Kind::Day | Kind::Reactions(_));
        self.draft.push(entry);
    }

    fn take_draft(&mut self) -> Vec<Entry<'a>> {
        self.draft_has_text = false;
        self.draft_has_footer = false;
        self.draft_paragraphs = 0;
        self.draft_spaced = true;
        std::mem::take(&mut self.draft)
    }
}

impl<'a, S: LineSource<'a>> Iterator for Assembler<'a, S> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match self.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(err) => return Some(Err(err)),
            };
            // Empty lines are the gaps between the lines the model keeps; a line of
            // white space is kept as a paragraph, so nothing is lost.
            if line.text.is_empty() {
                continue;
            }
            let kind = self.classify(line.number, &line.text);
            let flushed = self
                .starts_new_message(&kind, line.number, &line.text)
                .then(|| self.take_draft());
            self.push(Entry {
                number: line.number,
                text: line.text,
                kind,
            });
            if let Some(entries) = flushed {
                return Some(Ok(self.build(entries)));
            }
        }
        if self.draft.is_empty() {
            return None;
        }
        let entries = self.take_draft();
        Some(Ok(self.build(entries)))
    }
}

impl<S> Assembler<'_, S> {
    fn build(&mut self, entries: Vec<Entry<'_>>) -> Message {
        let mut message = Message::new(self.index);
        self.index += 1;
        message.lines = Some(LineRange::new(
            entries[0].number,
            entries[entries.len() - 1].number,
        ));
        let duplicate = duplicate_of(&entries);
        let copied = duplicate.map_or(0..0, |d| d.lines.first..d.lines.last + 1);
        message.duplicate = duplicate;

        message.paragraphs.reserve(entries.len());
        // The paragraphs joined, with the blank lines between them.
        let mut joined = String::with_capacity(entries.iter().map(|e| e.text.len() + 1).sum());
        let mut previous_text = None;
        let mut duration = None;
        // The entries are taken apart: a line read from a stream becomes its paragraph's
        // or footer's text without another copy.
        for Entry { number, text, kind } in entries {
            let after_text = previous_text.take();
            if matches!(kind, Kind::Text) {
                previous_text = Some(number);
            }
            if copied.contains(&number) {
                continue;
            }
            match kind {
                Kind::Author => message.from = Some(Peer::new(Some(text.into_owned()), None)),
                Kind::Forward => message.forwarded_from = Some(forward(number, &text)),
                Kind::Duration(seconds) => duration = Some((number, seconds)),
                Kind::Placeholder(kind) => {
                    let mut media = Media::new(kind);
                    media.line = Some(duration.map_or(number, |(line, _)| line));
                    media.duration_seconds = duration.take().map(|(_, seconds)| seconds);
                    message.media.push(media);
                }
                Kind::ViewInTelegram => {
                    if let Some(media) = message.media.last_mut() {
                        media.view_in_telegram = true;
                    }
                }
                Kind::Footer(parts) => {
                    let footer = message.footer.get_or_insert_with(Footer::default);
                    footer.views = parts.views.or(footer.views);
                    footer.edited |= parts.edited;
                    footer.time = parts.time.or(footer.time.take());
                    footer.lines.push(SourceLine::new(number, text));
                }
                Kind::Reactions(items) => {
                    message
                        .reactions
                        .extend(items.into_iter().map(|(emoji, count)| Reaction {
                            kind: if emoji.is_some() {
                                ReactionKind::Emoji
                            } else {
                                ReactionKind::Unknown
                            },
                            emoji,
                            document_id: None,
                            count,
                            recent: Vec::new(),
                            extra: serde_json::Map::new(),
                        }));
                    let footer = message.footer.get_or_insert_with(Footer::default);
                    footer.lines.push(SourceLine::new(number, text));
                }
                Kind::ReplyAuthor => {
                    message.reply_to = Some(ReplyTo {
                        author: Some(text.into_owned()),
                        ..ReplyTo::default()
                    });
                }
                Kind::ReplyText => {
                    if let Some(reply) = &mut message.reply_to {
                        reply.text = Some(text.into_owned());
                    }
                }
                Kind::DocumentName => {
                    let mut media = Media::new(MediaKind::Document);
                    media.line = Some(number);
                    media.file_name = Some(text.into_owned());
                    message.media.push(media);
                }
                Kind::DocumentSize => {
                    if let Some(media) = message.media.last_mut() {
                        media
                            .details
                            .insert("size".into(), text.into_owned().into());
                    }
                }
                Kind::Day => {
                    let footer = message.footer.get_or_insert_with(Footer::default);
                    footer.day = Some(text.to_string());
                    footer.lines.push(SourceLine::new(number, text));
                }
                Kind::Text => {
                    if !message.paragraphs.is_empty() {
                        let blank = after_text.map_or(0, |line| number - line - 1);
                        (0..=blank).for_each(|_| joined.push('\n'));
                    }
                    let paragraph = analysis::paragraph_from(Some(number), text);
                    paragraph.push_written(&mut joined);
                    message.paragraphs.push(paragraph);
                }
            }
        }
        message.text = joined;
        message.views = message.footer.as_ref().and_then(|f| f.views);
        analysis::analyze(&mut message);
        message
    }
}

/// The longest block of paragraph lines repeated right after itself, laid out the same
/// way (same blank lines between), so that rendering can write it back from the original.
fn duplicate_of(entries: &[Entry<'_>]) -> Option<Duplicate> {
    let texts: Vec<&str> = entries.iter().map(|e| &*e.text).collect();
    let Repeat { start, len } = find_repeat(&texts, |i| matches!(entries[i].kind, Kind::Text))?;
    let offset = |i: usize, base: usize| entries[i].number - entries[base].number;
    let same_layout =
        (0..len).all(|t| offset(start + len + t, start + len) == offset(start + t, start));
    same_layout.then(|| Duplicate {
        of: LineRange::new(entries[start].number, entries[start + len - 1].number),
        lines: LineRange::new(
            entries[start + len].number,
            entries[start + 2 * len - 1].number,
        ),
    })
}

/// `Russian MFA 🇷🇺` → name `Russian MFA`, emoji `🇷🇺`; keeps the text when name and
/// emoji alone would not spell it again.
fn forward(line: u32, header: &str) -> Forward {
    let (_, rest) = grammar::forward_header(header).expect("classified as a forward header");
    let forward = Forward {
        line: Some(line),
        ..analysis::forward_source(rest)
    };
    let raw = (canonical_forward(&forward) != rest).then(|| rest.to_owned());
    Forward { raw, ..forward }
}

/// What follows `Forwarded from ` when written from name and emoji alone.
pub(crate) fn canonical_forward(forward: &Forward) -> String {
    let mut text = forward.name.clone().unwrap_or_default();
    if !forward.emoji.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        forward.emoji.iter().for_each(|e| text.push_str(&e.emoji));
    }
    text
}

/// A counter of a channel header; in another language only when `localized` allows it.
fn header_counter(line: &str, localized: bool) -> Option<(u64, &str)> {
    match grammar::counter(line) {
        Ok((_, counter)) => Some(counter),
        Err(_) if localized => grammar::localized_counter(line).ok().map(|(_, c)| c),
        Err(_) => None,
    }
}

/// Whether a line is one of the structural lines, which never name a channel.
fn is_structural(line: &str) -> bool {
    grammar::counter(line).is_ok()
        || grammar::forward_header(line).is_ok()
        || grammar::media_placeholder(line).is_ok()
        || grammar::view_in_telegram(line).is_ok()
        || grammar::download_telegram(line).is_ok()
}
