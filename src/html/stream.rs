//! Reading an HTML document as a stream of the blocks a reader cares about.
//!
//! html5ever's tokenizer does the HTML work (character references, attribute quoting,
//! script and style bodies); this module only keeps the elements of the current block
//! and hands each block over once it is closed, so memory stays bounded by one block
//! however long the document is.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::BufRead;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::dom::{Element, Fragment};
use crate::error::{Error, Result};

/// Decides which elements start a block, given the element and its parent (outside any
/// block).
pub(crate) type IsBlock = fn(&Element, Option<&Element>) -> bool;

/// The blocks of an HTML document, in document order.
pub(crate) struct Blocks<R> {
    input: R,
    tokenizer: Tokenizer<Collector>,
    queue: BufferQueue,
    /// The start of a UTF-8 sequence that the last read cut in two.
    partial: Vec<u8>,
    /// Bytes that are not UTF-8, reported once the text before them is handled.
    invalid: Option<Error>,
    position: Position,
    finished: bool,
}

impl<R: BufRead> Blocks<R> {
    pub(crate) fn new(input: R, is_block: IsBlock) -> Self {
        let collector = Collector {
            state: RefCell::new(State {
                is_block,
                outside: Vec::new(),
                block: None,
                ready: VecDeque::new(),
            }),
        };
        Self {
            input,
            tokenizer: Tokenizer::new(collector, TokenizerOpts::default()),
            queue: BufferQueue::default(),
            partial: Vec::new(),
            invalid: None,
            position: Position::default(),
            finished: false,
        }
    }

    /// Feeds the tokenizer one buffer of input, or ends the document.
    ///
    /// Bytes that are not UTF-8 end the document with an error, but only after the text
    /// before them: the blocks read do not depend on where the reads happen to end.
    fn feed(&mut self) -> Result<()> {
        if let Some(err) = self.invalid.take() {
            return Err(err);
        }
        let buffer = self.input.fill_buf()?;
        if buffer.is_empty() {
            if !self.partial.is_empty() {
                return Err(self.position.invalid_utf8());
            }
            self.tokenizer.end();
            self.finished = true;
            return Ok(());
        }
        let consumed = buffer.len();
        let (text, invalid) = if self.partial.is_empty() {
            decode(buffer, &mut self.partial)
        } else {
            let mut joined = std::mem::take(&mut self.partial);
            joined.extend_from_slice(buffer);
            decode(&joined, &mut self.partial)
        };
        self.position.advance(text.as_bytes());
        if invalid {
            self.invalid = Some(self.position.invalid_utf8());
        }
        self.queue.push_back(text);
        // The collector never blocks on scripts, so feeding always runs to the end.
        let _ = self.tokenizer.feed(&self.queue);
        self.input.consume(consumed);
        Ok(())
    }
}

impl<R: BufRead> Iterator for Blocks<R> {
    type Item = Result<Fragment>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(block) = self.tokenizer.sink.state.borrow_mut().ready.pop_front() {
                return Some(Ok(block));
            }
            if self.finished {
                return None;
            }
            if let Err(err) = self.feed() {
                self.finished = true;
                return Some(Err(err));
            }
        }
    }
}

/// The valid UTF-8 of `bytes` as a tendril, keeping a sequence cut at the end in `partial`,
/// and whether an invalid sequence follows it (then it is the text before that one).
fn decode(bytes: &[u8], partial: &mut Vec<u8>) -> (StrTendril, bool) {
    let (valid, rest) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, &[][..]),
        Err(err) => {
            let (valid, rest) = bytes.split_at(err.valid_up_to());
            let valid = std::str::from_utf8(valid).expect("the prefix up to the error is valid");
            if err.error_len().is_some() {
                return (StrTendril::from_slice(valid), true);
            }
            (valid, rest)
        }
    };
    partial.extend_from_slice(rest);
    (StrTendril::from_slice(valid), false)
}

/// How far into the input the decoder is, for pointing at bad bytes.
#[derive(Debug, Default)]
struct Position {
    offset: u64,
    line: u64,
    /// Characters of the current line so far.
    line_chars: u64,
}

impl Position {
    fn advance(&mut self, bytes: &[u8]) {
        self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.line_chars = match memchr::memrchr(b'\n', bytes) {
            Some(newline) => crate::error::chars(&bytes[newline + 1..]),
            None => self.line_chars + crate::error::chars(bytes),
        };
        self.offset += bytes.len() as u64;
    }

    /// The error for a bad byte right after the decoded input.
    fn invalid_utf8(&self) -> Error {
        Error::InvalidUtf8 {
            line: self.line + 1,
            column: self.line_chars + 1,
            offset: self.offset,
        }
    }
}

struct Collector {
    state: RefCell<State>,
}

struct State {
    is_block: IsBlock,
    /// Open elements outside any block, outermost first.
    outside: Vec<Element>,
    block: Option<OpenBlock>,
    ready: VecDeque<Fragment>,
}

/// How many elements may be open at once, inside a block and around blocks alike: past
/// that, an element is taken as closing itself and what follows stays in the element
/// around it. Browsers cap nesting too (Chromium at 512); here the cap keeps the
/// readers' recursive walks over a block within the stack, and the search of an end tag
/// for its element short, however deep a page nests.
const MAX_OPEN: usize = 512;

struct OpenBlock {
    fragment: Fragment,
    /// Indices of the open elements, the block's root first.
    open: Vec<usize>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let raw = raw_kind(&tag.name);
                state.start(tag, u32::try_from(line).unwrap_or(u32::MAX));
                if let Some(kind) = raw {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(tag) => state.end(&tag.name),
            Token::CharacterTokens(text) => {
                if let Some(block) = &mut state.block {
                    let parent = *block.open.last().expect("a block has its root open");
                    block.fragment.push_text(parent, text);
                }
            }
            Token::EOFToken => state.finish_cut_off(),
            Token::DoctypeToken(_)
            | Token::CommentToken(_)
            | Token::NullCharacterToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn start(&mut self, tag: Tag, line: u32) {
        let closes_itself = tag.self_closing || is_void(&tag.name);
        let attrs = tag
            .attrs
            .into_iter()
            .map(|attr| (attr.name.local, attr.value))
            .collect();
        let element = Element::new(tag.name, attrs, line);
        if let Some(block) = &mut self.block {
            let parent = *block.open.last().expect("a block has its root open");
            let index = block.fragment.push_element(parent, element);
            if !closes_itself && block.open.len() < MAX_OPEN {
                block.open.push(index);
            }
        } else if (self.is_block)(&element, self.outside.last()) {
            let block = OpenBlock {
                fragment: Fragment::new(element),
                open: vec![0],
            };
            if closes_itself {
                self.ready.push_back(block.fragment);
            } else {
                self.block = Some(block);
            }
        } else if !closes_itself && self.outside.len() < MAX_OPEN {
            self.outside.push(element);
        }
    }

    /// Closes the innermost open element named `name` and those opened inside it; an
    /// end tag with no open element of its name is ignored, as browsers do.
    fn end(&mut self, name: &str) {
        if let Some(block) = &mut self.block {
            let fragment = &block.fragment;
            let named = |&index: &usize| {
                fragment
                    .node(index)
                    .element()
                    .is_some_and(|e| e.name() == name)
            };
            if let Some(at) = block.open.iter().rposition(named) {
                block.open.truncate(at);
                if block.open.is_empty() {
                    let done = self.block.take().expect("checked above");
                    self.ready.push_back(done.fragment);
                }
            }
        } else if let Some(at) = self.outside.iter().rposition(|e| e.name() == name) {
            self.outside.truncate(at);
        }
    }

    fn finish_cut_off(&mut self) {
        if let Some(mut block) = self.block.take() {
            block.fragment.mark_cut_off();
            self.ready.push_back(block.fragment);
        }
    }
}

/// Elements that never have content, so never get an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose content is not markup; the tokenizer must be told, as a tree builder
/// would tell it, or a `<` in a script would start a tag.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "title" | "textarea" => Some(RawKind::Rcdata),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn divs_with_class_block(element: &Element, _: Option<&Element>) -> bool {
        element.name() == "div" && element.has_class("block")
    }

    fn blocks(html: &str, buffer: usize) -> Vec<Fragment> {
        let reader = std::io::BufReader::with_capacity(buffer, html.as_bytes());
        Blocks::new(reader, divs_with_class_block)
            .collect::<Result<_>>()
            .unwrap()
    }

    #[test]
    fn yields_closed_blocks_with_lines_and_decoded_text() {
        let html = "<!DOCTYPE html><html><body>\n<div class=\"block\" id=\"a\">x &amp; y<br>z</div>\n<script>if (a<b) {}</script>\n<div class=\"other\"><div class=\"block\">\n<p>é</p></div></div>";
        for buffer in [1, 3, 4096] {
            let found = blocks(html, buffer);
            assert_eq!(found.len(), 2, "buffer of {buffer}");
            let first = found[0].root();
            assert_eq!(first.attr("id"), Some("a"));
            assert_eq!(first.text(), "x & yz");
            assert_eq!(first.line(), 2);
            assert!(first.find_tag("br").is_some());
            assert_eq!(found[1].root().find_tag("p").unwrap().line(), 5);
            assert_eq!(found[1].root().text(), "\né");
        }
    }

    #[test]
    fn stray_end_tags_are_ignored_and_unclosed_ones_implied() {
        let found = blocks(
            "<div class=\"block\"><b>bold</i> <span>open</div><div class=\"block\">2</div>",
            64,
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].root().text(), "bold open");
    }

    #[test]
    fn elements_nested_past_the_cap_close_themselves() {
        let html = format!(
            "<div class=\"block\">{}x</div>",
            "<b>".repeat(MAX_OPEN + 10)
        );
        let found = blocks(&html, 4096);
        assert_eq!(found.len(), 1);
        let root = found[0].root();
        // The elements left open, root first, then one that closed itself.
        let depth = std::iter::successors(Some(root), |node| node.elements().last()).count();
        assert_eq!(depth, MAX_OPEN + 1);
        // None is dropped.
        assert_eq!(
            root.descendants().filter(|node| node.is("b")).count(),
            MAX_OPEN + 10
        );
        assert_eq!(root.text(), "x");
    }

    #[test]
    fn a_block_cut_off_by_the_end_is_kept_and_marked() {
        let found = blocks("<div class=\"block\">half", 64);
        assert!(found[0].is_cut_off());
        assert_eq!(found[0].root().text(), "half");
    }

    #[test]
    fn blocks_before_bytes_that_are_not_utf8_come_first_whatever_the_buffer() {
        let html = b"<div class=\"block\">a</div><div class=\"block\">\xff</div>";
        for buffer in [3, 4096] {
            let reader = std::io::BufReader::with_capacity(buffer, &html[..]);
            let found: Vec<_> = Blocks::new(reader, divs_with_class_block).collect();
            assert_eq!(found.len(), 2, "buffer of {buffer}");
            assert_eq!(found[0].as_ref().unwrap().root().text(), "a");
            assert!(matches!(
                found[1],
                Err(Error::InvalidUtf8 { offset: 45, .. })
            ));
        }
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let reader = std::io::BufReader::with_capacity(2, &b"<p>\nab\xffc"[..]);
        let err = Blocks::new(reader, divs_with_class_block)
            .find_map(Result::err)
            .unwrap();
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at line 2, column 3 (byte offset 6): expected UTF-8 text"
        );
    }
}
