//! Where the messages are in `result.json`.
//!
//! A single-chat export is one object: `name`, `type`, `id`, then `messages`. A whole
//! account export puts chats in `chats.list` and `left_chats.list`, each an object of
//! the same shape, beside sections this reader skips (`about`, `personal_information`,
//! `contacts`, `sessions`, …). [`Document`] walks either layout with the [`Scanner`],
//! remembering the names it passes, and stops at the start of each message.

use std::io::Read;
use std::ops::Range;

use serde::de::DeserializeOwned;

use super::lenient::{self, Tally};
use super::scan::Scanner;
use crate::error::{Error, Position, Result};
use crate::{Channel, Chat, Warning};

/// The format name errors carry.
pub(super) const FORMAT: &str = "tdesktop_json";

/// Top-level keys only a Telegram Desktop export has: a chat's `messages`, or the
/// sections of a whole-account export.
const EXPORT_KEYS: [&str; 12] = [
    "messages",
    "chats",
    "left_chats",
    "about",
    "personal_information",
    "profile_pictures",
    "stories",
    "contacts",
    "frequent_contacts",
    "sessions",
    "web_sessions",
    "other_data",
];

/// A container being walked.
#[derive(Debug)]
enum Frame {
    /// The top-level object.
    Root,
    /// `chats` or `left_chats`.
    Section { left: bool },
    /// Its `list` of chats; `next` is the index of the next chat.
    List { left: bool, next: usize },
    /// A chat of a list: what it says of itself so far, and its JSON path.
    Chat { chat: Chat, path: String },
    /// A `messages` array: the chat it belongs to (`None` at the top level), its JSON path
    /// and the index of the next message.
    Messages {
        chat: Option<Chat>,
        path: String,
        next: usize,
    },
}

/// A message found by [`Document::next_message`].
#[derive(Debug, Clone)]
pub(super) struct Slot {
    /// Its bytes in [`Document::window`].
    pub(super) range: Range<usize>,
    /// Its index in its `messages` array.
    pub(super) index: usize,
    /// Whether `range` was walked rather than guessed from the layout; a guess is right
    /// when the range parses, else [`Document::delimit`] finds the exact one.
    pub(super) exact: bool,
}

/// Where the input ended before the export did.
#[derive(Debug, Clone, Copy)]
pub(super) struct CutOff {
    /// Input offset of the end.
    pub(super) end: u64,
    /// Input offset of the message the end cut through, if it did.
    pub(super) message: Option<u64>,
}

/// A walk through the containers of `result.json`, message by message.
#[derive(Debug)]
pub(super) struct Document<R> {
    scanner: Scanner<R>,
    stack: Vec<Frame>,
    /// What the top level says of the chat (single-chat exports).
    root: Channel,
    /// Which of `name`, `type` and `id` (bits 0, 1, 2) the top level has given.
    named: u8,
    /// Whether the top level has a key only an export has (`messages`, `chats`…).
    export_key: bool,
    at_message: bool,
    cut_off: Option<CutOff>,
    /// The frames the walk was in when the input ended early, for [`go_back`](Self::go_back).
    unwound: Vec<Frame>,
    /// Whether message ends are guessed from the layout; off once a guess is wrong, for
    /// the rest of that messages array (re-indented exports would fail every guess).
    pub(super) guessing: bool,
    /// Values repaired so far.
    pub(super) tally: Tally,
    /// Every chat entry walked through to its end, in order.
    pub(super) chats: Vec<Chat>,
    /// Keys outside the messages and the chat names: the account's own sections, keys of
    /// `chats`/`left_chats` beside their `list`, anything new.
    pub(super) extra: serde_json::Map<String, serde_json::Value>,
    /// Values outside the messages that were kept as text because they do not parse.
    pub(super) warnings: Vec<Warning>,
}

impl<R: Read> Document<R> {
    /// Starts walking `input`, which must start with an object.
    pub(super) fn open(input: R) -> Result<Self> {
        let mut scanner = Scanner::new(input);
        scanner.skip_bom()?;
        match scanner.peek()? {
            Some(b'{') => scanner.bump(),
            found => {
                let (line, column) = scanner.line_column(scanner.at());
                return Err(Error::Syntax {
                    format: FORMAT,
                    line,
                    column,
                    offset: Some(scanner.offset()),
                    message: format!(
                        "expected `{{`, the start of a Telegram Desktop export, found {}",
                        describe(found)
                    ),
                });
            }
        }
        Ok(Self {
            scanner,
            stack: vec![Frame::Root],
            root: Channel::default(),
            named: 0,
            export_key: false,
            at_message: false,
            cut_off: None,
            unwound: Vec::new(),
            guessing: true,
            tally: Tally::default(),
            chats: Vec::new(),
            extra: serde_json::Map::new(),
            warnings: Vec::new(),
        })
    }

    /// The chat the top level names, as far as it has been read.
    pub(super) fn channel(&self) -> Option<Channel> {
        (self.named != 0).then(|| self.root.clone())
    }

    /// Whether the top level has given all of `name`, `type` and `id`.
    pub(super) fn root_named(&self) -> bool {
        self.named == 0b111
    }

    /// Whether the top level so far has a key of a Telegram Desktop export besides the
    /// generic `name`, `type` and `id`: without one, JSON is not an export.
    pub(super) fn has_export_key(&self) -> bool {
        self.export_key
    }

    /// Where the input ended before the export did, once the walk has ended.
    pub(super) fn cut_off(&self) -> Option<CutOff> {
        self.cut_off
    }

    /// The chat and JSON path (`chats.list[2].messages`) of the messages being read.
    pub(super) fn messages_of(&self) -> (Option<&Chat>, &str) {
        match self.stack.last() {
            Some(Frame::Messages { chat, path, .. }) => (chat.as_ref(), path),
            _ => (None, "messages"),
        }
    }

    /// The scanner's window, which [`Slot::range`] indexes.
    pub(super) fn window(&self) -> &[u8] {
        self.scanner.window()
    }

    /// Input offset of window index `at`.
    pub(super) fn offset_of(&self, at: usize) -> u64 {
        self.scanner.offset_of(at)
    }

    /// 1-based line and column, and input offset, of window index `at` (counts lines, so
    /// only for errors).
    pub(super) fn position(&self, at: usize) -> (u64, u64, u64) {
        let (line, column) = self.scanner.line_column(at);
        (line, column, self.scanner.offset_of(at))
    }

    /// Walks to the start of the next message without reading it; `false` when the
    /// export has no more (or the input ended early: see [`cut_off`](Self::cut_off)).
    pub(super) fn seek(&mut self) -> Result<bool> {
        while !self.at_message {
            let Some(frame) = self.stack.last() else {
                return Ok(false);
            };
            let Some(byte) = self.scanner.peek()? else {
                self.end_early(None);
                return Ok(false);
            };
            let in_array = matches!(frame, Frame::List { .. } | Frame::Messages { .. });
            match byte {
                b',' => self.scanner.bump(),
                b']' | b'}' if (byte == b']') == in_array => {
                    self.scanner.bump();
                    if let Some(Frame::Chat { chat, .. }) = self.stack.pop() {
                        self.chats.push(chat);
                    }
                }
                _ if in_array => self.element(byte)?,
                b'"' => self.member()?,
                _ => return Err(self.unexpected(byte, "a key or `}`")),
            }
        }
        Ok(true)
    }

    /// Delimits the message [`seek`](Self::seek) stopped at; `None` when the input ends
    /// inside it. The range may be a guess ([`Slot::exact`]).
    pub(super) fn next_message(&mut self) -> Result<Option<Slot>> {
        if !self.seek()? {
            return Ok(None);
        }
        self.at_message = false;
        let guess = if self.guessing {
            self.scanner.guess_object()
        } else {
            None
        };
        let (range, exact) = match guess {
            Some(range) => (range, false),
            None => {
                let start = self.scanner.offset();
                let Some(range) = self.scanner.value()? else {
                    self.end_early(Some(start));
                    return Ok(None);
                };
                (range, true)
            }
        };
        let Some(Frame::Messages { next, .. }) = self.stack.last_mut() else {
            unreachable!("seek stops only in a messages array");
        };
        *next += 1;
        Ok(Some(Slot {
            range,
            index: *next - 1,
            exact,
        }))
    }

    /// Delimits the message of `slot` exactly, after its guessed range did not parse;
    /// `false` when the input ends inside it.
    pub(super) fn delimit(&mut self, slot: &mut Slot) -> Result<bool> {
        self.scanner.rewind(slot.range.start);
        let start = self.scanner.offset();
        match self.scanner.value()? {
            Some(range) => {
                // The guess was right when only the message's content failed to parse
                // (the walk needed no more input, so window indices still compare).
                self.guessing &= range == slot.range;
                *slot = Slot {
                    range,
                    exact: true,
                    ..*slot
                };
                Ok(true)
            }
            None => {
                self.end_early(Some(start));
                Ok(false)
            }
        }
    }

    /// Whether the next message, if there is one, is in the messages array the last one
    /// was in: the walk gets to it without leaving the array (only commas between), so
    /// [`go_back`](Self::go_back) can return to any message before it.
    pub(super) fn next_in_array(&mut self) -> Result<bool> {
        if self.at_message {
            return Ok(true);
        }
        if !matches!(self.stack.last(), Some(Frame::Messages { .. })) {
            return Ok(false);
        }
        loop {
            match self.scanner.peek()? {
                Some(b',') => self.scanner.bump(),
                Some(b']') | None => return Ok(false),
                Some(_) => return Ok(true),
            }
        }
    }

    /// Keeps the input from offset `pin` on, for [`go_back`](Self::go_back).
    pub(super) fn pin(&mut self, pin: Option<u64>) {
        self.scanner.pin(pin);
    }

    /// Returns to the message at input offset `offset`, the `index`th of its array, after a
    /// guess at its end was wrong: it and every message after it are walked exactly from
    /// there. Only messages of the array the walk is in, since [`pin`](Self::pin)ned.
    pub(super) fn go_back(&mut self, offset: u64, index: usize) {
        if self.stack.is_empty() {
            self.stack = std::mem::take(&mut self.unwound);
        }
        self.scanner.go_back(offset);
        let Some(Frame::Messages { next, .. }) = self.stack.last_mut() else {
            unreachable!("a message is gone back to within its messages array")
        };
        *next = index;
        self.at_message = true;
        self.cut_off = None;
        self.guessing = false;
    }

    /// Handles the element of an array starting with `byte`.
    fn element(&mut self, byte: u8) -> Result<()> {
        if !matches!(
            byte,
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
        ) {
            return Err(self.unexpected(byte, "a value or `]`"));
        }
        match self.stack.last_mut() {
            Some(Frame::Messages { .. }) => self.at_message = true,
            Some(Frame::List { left, next }) => {
                let path = format!("{}.list[{next}]", section(*left));
                let chat = Chat {
                    left: *left,
                    ..Chat::default()
                };
                *next += 1;
                if byte != b'{' {
                    return Err(self.invalid(path, "expected a chat object", byte));
                }
                self.scanner.bump();
                self.stack.push(Frame::Chat { chat, path });
            }
            _ => unreachable!("only lists and messages are walked as arrays"),
        }
        Ok(())
    }

    /// Reads a key of the current object and handles its value.
    fn member(&mut self) -> Result<()> {
        let Some(range) = self.scanner.value()? else {
            self.end_early(None);
            return Ok(());
        };
        let key: String = match serde_json::from_slice(&self.scanner.window()[range.clone()]) {
            Ok(key) => key,
            Err(_) => return Err(self.syntax_at(range.start, "expected a key")),
        };
        match self.scanner.peek()? {
            Some(b':') => self.scanner.bump(),
            Some(byte) => return Err(self.unexpected(byte, "`:` after a key")),
            None => {
                self.end_early(None);
                return Ok(());
            }
        }
        let frame = self.stack.last_mut().expect("inside an object");
        self.export_key |= matches!(frame, Frame::Root) && EXPORT_KEYS.contains(&key.as_str());
        match (frame, key.as_str()) {
            (Frame::Root, "messages") => {
                self.enter(b'[', "messages".into(), |path| Frame::Messages {
                    chat: None,
                    path,
                    next: 0,
                })
            }
            (Frame::Root, "chats" | "left_chats") => {
                let left = key == "left_chats";
                self.enter(b'{', key, |_| Frame::Section { left })
            }
            (Frame::Section { left }, "list") => {
                let left = *left;
                let path = format!("{}.list", section(left));
                self.enter(b'[', path, |_| Frame::List { left, next: 0 })
            }
            (Frame::Chat { chat, path }, "messages") => {
                // Messages name their chat; its other keys are in the list of chats.
                let chat = Chat {
                    extra: serde_json::Map::new(),
                    ..chat.clone()
                };
                let path = format!("{path}.messages");
                self.enter(b'[', path, |path| Frame::Messages {
                    chat: Some(chat),
                    path,
                    next: 0,
                })
            }
            (Frame::Root | Frame::Chat { .. }, "name" | "type" | "id") => self.name_part(&key),
            _ => self.keep(key),
        }
    }

    /// Keeps the value of `key`, which this reader does not walk, where it occurs: in the
    /// chat entry, beside a chat list (`extra.chats.about`) or at the top level.
    fn keep(&mut self, key: String) -> Result<()> {
        let start = self.scanner.offset();
        let Some(range) = self.scanner.value()? else {
            self.end_early(None);
            return Ok(());
        };
        let bytes = &self.scanner.window()[range];
        let mut storage = None;
        let value = match lenient::parse(bytes, &mut storage) {
            Ok((value, repairs)) => {
                self.tally.record(start, repairs);
                value
            }
            Err((err, _)) => {
                self.warnings.push(Warning::at(
                    Some(start),
                    format!(
                        "`{key}` outside the messages is not valid JSON ({}); kept as text",
                        without_position(&err)
                    ),
                ));
                serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned())
            }
        };
        match self.stack.last_mut() {
            Some(Frame::Chat { chat, .. }) => {
                chat.extra.insert(key, value);
            }
            Some(Frame::Section { left }) => {
                let section = self.extra.entry(section(*left));
                let section = section.or_insert_with(|| serde_json::Map::new().into());
                if let Some(section) = section.as_object_mut() {
                    section.insert(key, value);
                }
            }
            _ => {
                self.extra.insert(key, value);
            }
        }
        Ok(())
    }

    /// Enters the array or object at `path`, which must open with `open`.
    fn enter(&mut self, open: u8, path: String, frame: impl FnOnce(String) -> Frame) -> Result<()> {
        match self.scanner.peek()? {
            Some(byte) if byte == open => {
                self.scanner.bump();
                let frame = frame(path);
                // A wrong guess stops guessing for the rest of its array only: the last
                // message of a compact array has no sibling to end where it does.
                if matches!(frame, Frame::Messages { .. }) {
                    self.guessing = true;
                }
                self.stack.push(frame);
                Ok(())
            }
            Some(byte) => {
                let expected = if open == b'[' {
                    "expected an array"
                } else {
                    "expected an object"
                };
                Err(self.invalid(path, expected, byte))
            }
            None => {
                self.end_early(None);
                Ok(())
            }
        }
    }

    /// Reads `name`, `type` or `id` of the top level or of a chat.
    fn name_part(&mut self, key: &str) -> Result<()> {
        let path = match self.stack.last() {
            Some(Frame::Chat { path, .. }) => format!("{path}.{key}"),
            _ => {
                self.named |= match key {
                    "name" => 1,
                    "type" => 2,
                    _ => 4,
                };
                key.to_owned()
            }
        };
        if key == "id" {
            let id = self.scalar::<i64>(&path)?;
            *self.name_slots().2 = id;
        } else {
            let text = self.scalar::<Option<String>>(&path)?.flatten();
            let (title, kind, _) = self.name_slots();
            *if key == "name" { title } else { kind } = text;
        }
        Ok(())
    }

    /// Where `name`, `type` and `id` of the chat being walked go.
    fn name_slots(&mut self) -> (&mut Option<String>, &mut Option<String>, &mut Option<i64>) {
        match self.stack.last_mut() {
            Some(Frame::Chat { chat, .. }) => (&mut chat.title, &mut chat.kind, &mut chat.id),
            _ => (&mut self.root.title, &mut self.root.kind, &mut self.root.id),
        }
    }

    /// Parses the small value at `path` as `T`; `None` when the input ends inside it.
    fn scalar<T: DeserializeOwned>(&mut self, path: &str) -> Result<Option<T>> {
        let start = self.scanner.offset();
        let Some(range) = self.scanner.value()? else {
            self.end_early(None);
            return Ok(None);
        };
        let mut storage = None;
        match lenient::parse(&self.scanner.window()[range.clone()], &mut storage) {
            Ok((value, repairs)) => {
                self.tally.record(start, repairs);
                Ok(Some(value))
            }
            Err((err, _)) => {
                let (line, column, offset) = self.position(range.start);
                Err(Error::Invalid {
                    format: FORMAT,
                    path: path.to_owned(),
                    position: Some(Position {
                        line,
                        column,
                        offset,
                    }),
                    message: format!("{} at line {line}, column {column}", without_position(&err)),
                })
            }
        }
    }

    /// Ends the walk: the input ended, maybe inside the message starting at `message`.
    fn end_early(&mut self, message: Option<u64>) {
        self.unwound = std::mem::take(&mut self.stack);
        self.at_message = false;
        self.cut_off = Some(CutOff {
            end: self.scanner.end_offset(),
            message,
        });
    }

    fn unexpected(&self, byte: u8, expected: &str) -> Error {
        self.syntax_at(
            self.scanner.at(),
            &format!("expected {expected}, found {}", describe(Some(byte))),
        )
    }

    fn syntax_at(&self, at: usize, message: &str) -> Error {
        let (line, column, offset) = self.position(at);
        Error::Syntax {
            format: FORMAT,
            line,
            column,
            offset: Some(offset),
            message: message.to_owned(),
        }
    }

    fn invalid(&self, path: String, expected: &str, byte: u8) -> Error {
        let (line, column, offset) = self.position(self.scanner.at());
        Error::Invalid {
            format: FORMAT,
            path,
            position: Some(Position {
                line,
                column,
                offset,
            }),
            message: format!(
                "{expected}, found {} at line {line}, column {column}",
                describe(Some(byte))
            ),
        }
    }
}

fn section(left: bool) -> &'static str {
    if left { "left_chats" } else { "chats" }
}

/// A byte as an error names it.
fn describe(byte: Option<u8>) -> String {
    match byte {
        None => "the end of the input".into(),
        Some(byte) if byte.is_ascii_graphic() => format!("`{}`", byte as char),
        Some(byte) => format!("byte 0x{byte:02X}"),
    }
}

/// A `serde_json` error's message without the position it appends.
pub(super) fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}
