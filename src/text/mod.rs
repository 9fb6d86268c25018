//! The plain-text format: what a browser gives when a channel page (t.me/s/NAME) is
//! selected and copied.
//!
//! Inside, `grammar` recognises single lines (one nom parser per construct), `assemble`
//! groups them into a header and messages, and [`render`] writes a model back, byte for
//! byte.

pub(crate) mod assemble;
pub(crate) mod grammar;
pub(crate) mod lines;
pub mod render;

use std::io::BufRead;

use crate::error::Result;
use crate::source::{MessageSource, Reader};
use crate::{Export, Format, TextLayout};
use assemble::Assembler;
use lines::{LineSource, ReaderLines, StrLines};

/// Parses a whole plain-text copy held in memory.
///
/// ```
/// let export = tgexport::text::parse("Forwarded from Russian MFA 🇷🇺\nMedia is too big\nVIEW IN TELEGRAM\n").unwrap();
/// let message = &export.messages[0];
/// assert_eq!(message.forwarded_from.as_ref().unwrap().emoji[0].country.as_deref(), Some("RU"));
/// assert!(message.media[0].view_in_telegram);
/// ```
pub fn parse(input: &str) -> Result<Export> {
    let mut assembler = Assembler::new(StrLines::new(input))?;
    let mut export = Export::new(Format::Text);
    export.channel = assembler.take_channel();
    for message in assembler.by_ref() {
        export.messages.push(message?);
    }
    export.layout = Some(assembler.layout());
    Ok(export)
}

/// Reads a plain-text copy message by message, holding one message in memory at a time.
pub(crate) fn open<'a, R: BufRead + Send + 'a>(input: R) -> Result<Reader<'a>> {
    let mut assembler = Assembler::new(ReaderLines::new(input))?;
    let channel = assembler.take_channel();
    Ok(Reader::new(Format::Text, channel, Box::new(assembler)))
}

impl<'a, S: LineSource<'a>> MessageSource for Assembler<'a, S> {
    fn layout(&self) -> Option<TextLayout> {
        Some(Assembler::layout(self))
    }
}
