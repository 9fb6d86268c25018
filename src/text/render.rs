//! Writing an export back as plain text: byte for byte for a parsed copy, and a readable
//! canonical form for exports that never were text.

use std::borrow::Cow;
use std::io::Write;

use super::assemble::canonical_forward;
use super::grammar::format_duration;
use crate::error::{Error, Result};
use crate::{Channel, Export, Media, MediaKind, Message, Newline, TextLayout};

/// Writes lines at their numbers, filling gaps with empty lines and ending each line the
/// way the layout says.
pub struct LineWriter<W> {
    out: W,
    layout: TextLayout,
    next: u32,
}

impl<W: Write> LineWriter<W> {
    /// A writer for an input laid out as `layout`; writes the byte order mark if it had one.
    pub fn new(mut out: W, layout: TextLayout) -> Result<Self> {
        if layout.bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        Ok(Self {
            out,
            layout,
            next: 1,
        })
    }

    fn ending(&self, number: u32) -> &'static str {
        if number == self.layout.line_count && !self.layout.final_newline {
            ""
        } else if self.layout.other_newline.binary_search(&number).is_ok() {
            self.layout.newline.other().as_str()
        } else {
            self.layout.newline.as_str()
        }
    }

    /// Writes line `number`; lines must come in increasing order.
    pub fn line(&mut self, number: u32, text: &str) -> Result<()> {
        if number < self.next || number > self.layout.line_count {
            return Err(Error::Render(format!(
                "line {number} is out of place (expected a line from {} to {})",
                self.next, self.layout.line_count
            )));
        }
        while self.next < number {
            let ending = self.ending(self.next);
            self.out.write_all(ending.as_bytes())?;
            self.next += 1;
        }
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(self.ending(number).as_bytes())?;
        self.next = number + 1;
        Ok(())
    }

    /// Writes the empty lines up to the end and flushes.
    pub fn finish(mut self) -> Result<W> {
        while self.next <= self.layout.line_count {
            let ending = self.ending(self.next);
            self.out.write_all(ending.as_bytes())?;
            self.next += 1;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The header lines of a channel read from text, with their numbers.
pub fn channel_lines(channel: &Channel) -> Vec<(u32, Cow<'_, str>)> {
    channel
        .header
        .iter()
        .map(|l| (l.line, Cow::Borrowed(l.text.as_str())))
        .collect()
}

/// The numbered lines of a message read from text, in order, duplicates written back.
pub fn message_lines(message: &Message) -> Result<Vec<(u32, Cow<'_, str>)>> {
    let missing = |what: &str| {
        Error::Render(format!(
            "message {}: {what} has no line number",
            message.index
        ))
    };
    let mut lines: Vec<(u32, Cow<'_, str>)> = Vec::new();
    // The author line, then a reply's author and quoted line, open the message.
    let mut opening = message.lines.map(|l| l.first);
    if let Some(name) = message.from.as_ref().and_then(|from| from.name.as_ref()) {
        let first = opening.ok_or_else(|| missing("from"))?;
        lines.push((first, Cow::Borrowed(name.as_str())));
        opening = Some(first + 1);
    }
    if let Some(reply) = &message.reply_to
        && let Some(author) = &reply.author
    {
        let first = opening.ok_or_else(|| missing("reply_to"))?;
        lines.push((first, Cow::Borrowed(author.as_str())));
        if let Some(text) = &reply.text {
            lines.push((first + 1, Cow::Borrowed(text.as_str())));
        }
    }
    if let Some(forward) = &message.forwarded_from {
        let line = forward.line.ok_or_else(|| missing("forwarded_from"))?;
        lines.push((line, Cow::Owned(forward_line(forward))));
    }
    for media in &message.media {
        let first = media.line.ok_or_else(|| missing("media"))?;
        lines.extend((first..).zip(media_lines(media)));
    }
    for paragraph in &message.paragraphs {
        let line = paragraph.line.ok_or_else(|| missing("a paragraph"))?;
        lines.push((line, Cow::Owned(paragraph_line(paragraph))));
    }
    if let Some(footer) = &message.footer {
        lines.extend(
            footer
                .lines
                .iter()
                .map(|l| (l.line, Cow::Borrowed(l.text.as_str()))),
        );
    }
    lines.sort_by_key(|(line, _)| *line);
    if let Some(duplicate) = message.duplicate {
        for t in 0..duplicate.of.len() {
            let text = lines
                .binary_search_by_key(&(duplicate.of.first + t), |(line, _)| *line)
                .map_or(Cow::Borrowed(""), |i| lines[i].1.clone());
            lines.push((duplicate.lines.first + t, text));
        }
        lines.sort_by_key(|(line, _)| *line);
    }
    Ok(lines)
}

fn forward_line(forward: &crate::Forward) -> String {
    let rest = forward
        .raw
        .clone()
        .unwrap_or_else(|| canonical_forward(forward));
    format!("Forwarded from {rest}")
}

fn paragraph_line(paragraph: &crate::Paragraph) -> String {
    let mut line = String::new();
    paragraph.push_written(&mut line);
    line
}

/// The lines a media item takes: a document's name and size; else duration, placeholder
/// sentence (or `[kind]` for media a browser copy never shows), `VIEW IN TELEGRAM`. A web
/// preview's player shows its placeholder, as a copy of the page would.
fn media_lines(media: &Media) -> Vec<Cow<'_, str>> {
    // A document a copy shows as its name over its size.
    let size = media.details.get("size").and_then(|s| s.as_str());
    if let (MediaKind::Document, Some(name), Some(size)) = (&media.kind, &media.file_name, size) {
        return vec![Cow::Borrowed(name.as_str()), Cow::Borrowed(size)];
    }
    let mut lines = Vec::with_capacity(3);
    if let Some(seconds) = media.duration_seconds {
        lines.push(Cow::Owned(format_duration(seconds)));
    }
    let shown = media.placeholder.as_ref().unwrap_or(&media.kind);
    lines.push(match shown.placeholder() {
        Some(sentence) => Cow::Borrowed(sentence),
        None => Cow::Owned(format!("[{}]", media.kind)),
    });
    if media.view_in_telegram {
        lines.push(Cow::Borrowed("VIEW IN TELEGRAM"));
    }
    lines
}

/// Writes `export` as plain text. An export read from text (it has a layout) is written
/// back byte for byte; any other is written in a canonical form, one message after the
/// other with a blank line between.
pub fn render<W: Write>(export: &Export, out: W) -> Result<W> {
    match &export.layout {
        Some(layout) => {
            let mut writer = LineWriter::new(out, layout.clone())?;
            if let Some(channel) = &export.channel {
                for (line, text) in channel_lines(channel) {
                    writer.line(line, &text)?;
                }
            }
            for message in &export.messages {
                for (line, text) in message_lines(message)? {
                    writer.line(line, &text)?;
                }
            }
            writer.finish()
        }
        None => render_canonical(export, out),
    }
}

fn render_canonical<W: Write>(export: &Export, mut out: W) -> Result<W> {
    let newline = Newline::Lf.as_str();
    if let Some(title) = export.channel.as_ref().and_then(|c| c.title.as_deref()) {
        write!(out, "{title}{newline}{newline}")?;
    }
    for message in &export.messages {
        for line in canonical_message_lines(message) {
            write!(out, "{line}{newline}")?;
        }
        out.write_all(newline.as_bytes())?;
    }
    out.flush()?;
    Ok(out)
}

/// A message as a browser copy would show it, for messages that have no source lines.
pub fn canonical_message_lines(message: &Message) -> Vec<Cow<'_, str>> {
    let mut lines: Vec<Cow<'_, str>> = Vec::new();
    if let Some(forward) = &message.forwarded_from {
        lines.push(Cow::Owned(forward_line(forward)));
    }
    lines.extend(
        message
            .media
            .iter()
            .flat_map(media_lines)
            .map(|line| line as Cow<'_, str>),
    );
    lines.extend(
        message
            .text
            .split('\n')
            .map(Cow::Borrowed)
            .filter(|l| !l.is_empty()),
    );
    lines
}
