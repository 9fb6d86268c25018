//! The messages of a `result.json`, read one at a time.

use std::io::Read;

use serde_json::error::Category;

use super::convert::{self, Invalid, join_path};
use super::document::{Document, FORMAT, Slot, without_position};
use super::lenient;
use super::raw::{IdOnly, Int, RawMessage};
use crate::error::{Error, Position, Result};
use crate::{Channel, Message, Warning};

/// The messages of a Telegram Desktop `result.json`, read as they are needed, so memory
/// stays bounded by the largest message whatever the size of the file.
///
/// An error inside one message (a value of the wrong type, broken JSON) is yielded in its
/// place and the messages after it are still read; an error in the layout around the
/// messages ends the iteration. A file that ends early (an interrupted export) yields its complete messages
/// and a [`warning`](Self::warnings).
///
/// ```
/// let json = r##"{"name": "Demo", "type": "public_channel", "id": 1, "messages": [
///     {"id": 1, "type": "message", "date": "2024-05-01T10:00:00", "date_unixtime": "1714557600",
///      "text": ["Hi ", {"type": "hashtag", "text": "#demo"}]}]}"##;
/// let mut messages = tgexport::tdesktop_json::reader(json.as_bytes())?;
/// assert_eq!(messages.channel().unwrap().title.as_deref(), Some("Demo"));
/// let first = messages.next().unwrap()?;
/// assert_eq!((first.text.as_str(), first.hashtags[0].as_str()), ("Hi #demo", "#demo"));
/// assert_eq!(first.date.unwrap().to_string(), "2024-05-01T10:00:00Z");
/// # Ok::<(), tgexport::Error>(())
/// ```
#[derive(Debug)]
pub struct Messages<R> {
    document: Document<R>,
    /// Index of the next message in the whole export.
    index: usize,
    done: bool,
}

impl<R: Read> Messages<R> {
    /// Reads up to the first message, learning what the export says of its chat.
    pub(super) fn new(input: R) -> Result<Self> {
        let mut document = Document::open(input)?;
        let found = document.seek()?;
        if !found && !document.has_export_key() && document.cut_off().is_none() {
            return Err(Error::NotAnExport {
                found: "a JSON object without `messages`, `chats` or any other section of \
                        a Telegram Desktop export; expected a Telegram Desktop result.json, \
                        or tgexport's own JSON or JSON Lines"
                    .to_owned(),
            });
        }
        Ok(Self {
            document,
            index: 0,
            done: false,
        })
    }

    /// The chat of a single-chat export (`name`, `type`, `id`), as far as read: keys after
    /// the messages are known once they are exhausted. `None` for a whole-account export,
    /// whose messages each name their [`chat`](Message::chat).
    pub fn channel(&self) -> Option<Channel> {
        self.document.channel()
    }

    /// Problems that did not stop reading (a file cut off, strings repaired); complete
    /// once the messages are exhausted.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if let Some(cut) = self.document.cut_off() {
            let read = self.index;
            let message = match cut.message {
                Some(start) => format!(
                    "the input ends at byte offset {} inside the message starting at byte offset \
                     {start} (an interrupted export?); the {read} messages before it were read",
                    cut.end
                ),
                None => format!(
                    "the input ends at byte offset {} before the export does (an interrupted \
                     export?); its {read} messages were read",
                    cut.end
                ),
            };
            warnings.push(Warning::at(Some(cut.end), message));
        }
        warnings.extend(self.document.tally.warning());
        warnings
    }

    /// The message in `slot`; `None` when it turns out to be cut off by the end of the input.
    fn decode(&mut self, mut slot: Slot, index: usize) -> Option<Result<Message>> {
        if !slot.exact {
            let bytes = &self.document.window()[slot.range.clone()];
            if let Some(raw) = lenient::parse_as_is::<Box<RawMessage<'_>>>(bytes) {
                return Some(self.convert(raw, &slot, bytes, index));
            }
            match self.document.delimit(&mut slot) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(err) => return Some(Err(err)),
            }
        }
        let bytes = &self.document.window()[slot.range.clone()];
        let mut storage = None;
        let (raw, repairs) = match lenient::parse::<Box<RawMessage<'_>>>(bytes, &mut storage) {
            Ok(parsed) => parsed,
            Err((err, bytes)) => return Some(Err(self.parse_error(&slot, bytes, &err))),
        };
        let message = self.convert(raw, &slot, bytes, index);
        let offset = self.document.offset_of(slot.range.start);
        self.document.tally.record(offset, repairs);
        Some(message)
    }

    /// Converts a parsed message (boxed: it is large, and a pointer moves for free).
    fn convert(
        &self,
        raw: Box<RawMessage<'_>>,
        slot: &Slot,
        bytes: &[u8],
        index: usize,
    ) -> Result<Message> {
        let mut message =
            convert::message(raw, index).map_err(|invalid| self.invalid(slot, bytes, invalid))?;
        message.chat = self.document.messages_of().0.cloned();
        Ok(message)
    }

    /// An error for a message `serde_json` could not read.
    fn parse_error(&self, slot: &Slot, bytes: &[u8], err: &serde_json::Error) -> Error {
        let at = crate::error::index_of(bytes, err.line(), err.column());
        let (line, column, offset) = self.locate(slot, bytes, at);
        let about = about(message_id(bytes));
        if err.classify() == Category::Data {
            let mut json = serde_json::Deserializer::from_slice(bytes);
            let inner = match serde_path_to_error::deserialize::<_, RawMessage<'_>>(&mut json) {
                Err(err) => err.path().to_string(),
                Ok(_) => ".".into(),
            };
            Error::Invalid {
                format: FORMAT,
                path: join_path(&self.path(slot), &inner),
                position: Some(Position {
                    line,
                    column,
                    offset,
                }),
                message: format!(
                    "{} ({about}line {line}, column {column})",
                    without_position(err)
                ),
            }
        } else {
            Error::Syntax {
                format: FORMAT,
                line,
                column,
                offset: Some(offset),
                message: format!(
                    "{} in {} ({about}starting at byte offset {})",
                    without_position(err),
                    self.path(slot),
                    self.document.offset_of(slot.range.start)
                ),
            }
        }
    }

    /// An error for a message value that has the right type but cannot be read.
    fn invalid(&self, slot: &Slot, bytes: &[u8], invalid: Invalid) -> Error {
        let path = join_path(&self.path(slot), &invalid.path);
        // The offending byte, when it lies in these bytes (not in a repaired copy).
        let at = invalid
            .address
            .and_then(|address| address.checked_sub(bytes.as_ptr() as usize))
            .filter(|&at| at < bytes.len());
        if let Some(at) = at {
            let (line, column, offset) = self.locate(slot, bytes, at);
            return Error::Invalid {
                format: FORMAT,
                path,
                position: Some(Position {
                    line,
                    column,
                    offset,
                }),
                message: format!(
                    "{} ({}line {line}, column {column})",
                    invalid.message,
                    about(message_id(bytes))
                ),
            };
        }
        let (line, column, offset) = self.document.position(slot.range.start);
        Error::Invalid {
            format: FORMAT,
            path,
            // The message's start: the value's own place is only in a repaired copy.
            position: Some(Position {
                line,
                column,
                offset,
            }),
            message: match message_id(bytes) {
                Some(id) => format!(
                    "{} (message id {id}, which starts at line {line})",
                    invalid.message
                ),
                None => format!("{} (the message starts at line {line})", invalid.message),
            },
        }
    }

    /// The JSON path of a message: `messages[3]`, `chats.list[2].messages[3]`.
    fn path(&self, slot: &Slot) -> String {
        format!("{}[{}]", self.document.messages_of().1, slot.index)
    }

    /// Line, character column and input offset of index `at` of a message's bytes.
    fn locate(&self, slot: &Slot, bytes: &[u8], at: usize) -> (u64, u64, u64) {
        let (start_line, start_column, start_offset) = self.document.position(slot.range.start);
        let (line, column) = crate::error::line_column(bytes, at);
        (
            start_line + line - 1,
            if line == 1 {
                start_column + column - 1
            } else {
                column
            },
            start_offset + at.min(bytes.len()) as u64,
        )
    }
}

/// The id of a message that failed to read, if it can be told: from the parsed message,
/// or else from its leading `"id": 42` (tdesktop writes the id first).
fn message_id(bytes: &[u8]) -> Option<i64> {
    if let Ok(IdOnly { id }) = serde_json::from_slice(bytes) {
        return id.map(|Int(id)| id);
    }
    let head = &bytes[..bytes.len().min(64)];
    let after = head[memchr::memmem::find(head, b"\"id\":")? + 5..].trim_ascii_start();
    let len = (after.iter().enumerate())
        .take_while(|&(i, &b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
        .count();
    std::str::from_utf8(&after[..len]).ok()?.parse().ok()
}

/// `message id 42, ` when the id is known, else nothing.
fn about(id: Option<i64>) -> String {
    id.map(|id| format!("message id {id}, "))
        .unwrap_or_default()
}

impl<R: Read> Iterator for Messages<R> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let slot = match self.document.next_message() {
            Ok(Some(slot)) => slot,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(err) => {
                self.done = true;
                return Some(Err(err));
            }
        };
        let decoded = self.decode(slot, self.index);
        match decoded {
            Some(_) => self.index += 1,
            None => self.done = true,
        }
        decoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(json: &str) -> (Vec<Result<Message>>, Vec<Warning>) {
        let mut messages = Messages::new(json.as_bytes()).unwrap();
        let read = messages.by_ref().collect();
        (read, messages.warnings())
    }

    #[test]
    fn a_cut_off_file_warns_where_it_ends() {
        let json = r#"{"messages": [{"id": 1, "text": "a"}, {"id": 2, "text": "b}]"#;
        let (read, warnings) = read_all(json);
        assert_eq!(read.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].offset, Some(json.len() as u64));
        assert!(
            warnings[0].message.contains("byte offset 38"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn a_file_cut_between_messages_warns_too() {
        let json = "{\"messages\": [{\"id\": 1, \"text\": \"a\"},\n";
        let (read, warnings) = read_all(json);
        assert_eq!(read.len(), 1);
        assert!(warnings[0].message.contains("its 1 messages were read"));
    }

    #[test]
    fn errors_name_the_path_through_chat_lists() {
        let json = r#"{"chats": {"list": [{"name": "A", "messages": []},
            {"name": "B", "messages": [{"id": 5, "date": 7}]}]}}"#;
        let (read, _) = read_all(json);
        let err = read[0].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with("tdesktop_json input, chats.list[1].messages[0].date: invalid type"),
            "{err}"
        );
        assert!(err.contains("message id 5, line 2"), "{err}");
    }

    #[test]
    fn a_broken_layout_is_a_syntax_error_with_a_position() {
        let err = Messages::new(&b"\n  [1, 2]"[..]).unwrap_err().to_string();
        assert!(err.contains("line 2, column 3"), "{err}");
        let (read, _) = read_all("{\"messages\": [{\"id\": 1}, }");
        assert!(
            read[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("expected a value or `]`")
        );
        let not_an_array = Messages::new(&br#"{"messages": {"id": 1}}"#[..]);
        let err = not_an_array.unwrap_err().to_string();
        assert!(
            err.contains("messages: expected an array, found `{`"),
            "{err}"
        );
    }

    #[test]
    fn sections_that_are_not_chats_are_skipped_whatever_their_strings_hold() {
        let json = r#"{"about": "a ] } [ { \" \\", "contacts": {"list": [{"first_name": "]}"}]},
            "chats": {"about": "x", "list": [{"name": "C", "type": "private_group", "id": 9,
            "messages": [{"id": 1, "type": "message", "text": "hi"}]}]}}"#;
        let (read, warnings) = read_all(json);
        assert!(warnings.is_empty());
        let message = read[0].as_ref().unwrap();
        let chat = message.chat.as_ref().unwrap();
        assert_eq!(
            (chat.title.as_deref(), chat.id, chat.left),
            (Some("C"), Some(9), false)
        );
    }

    #[test]
    fn a_wrong_layout_guess_stops_guessing_and_a_bad_string_does_not() {
        // Indented by two, a nested object closes at the messages' indentation.
        let message = |id| format!("  {{\n  \"id\": {id},\n  \"l\": {{\n    \"x\": 1\n  }}\n}}");
        let json = format!("{{\n\"messages\": [\n{},\n{}]}}", message(1), message(2));
        let mut messages = Messages::new(json.as_bytes()).unwrap();
        let ids: Vec<_> = messages.by_ref().map(|m| m.unwrap().id).collect();
        assert_eq!(ids, [Some(1), Some(2)]);
        assert!(!messages.document.guessing);
        // tdesktop's layout with a \x01 escape: the guess was right, the string is repaired.
        let json = "{\n \"messages\": [\n  {\n   \"id\": 1,\n   \"text\": \"a\\x01\"\n  },\n  {\n   \"id\": 2\n  }\n ]\n}";
        let mut messages = Messages::new(json.as_bytes()).unwrap();
        assert_eq!(messages.by_ref().filter(|m| m.is_ok()).count(), 2);
        assert!(messages.document.guessing);
    }

    #[test]
    fn a_bad_part_of_text_is_placed_once_in_the_file() {
        let json = "{\n \"messages\": [\n  {\n   \"id\": 1,\n   \"text\": [\"a\", {\"type\": 7}]\n  }\n ]\n}";
        let (read, _) = read_all(json);
        let err = read[0].as_ref().unwrap_err().to_string();
        assert_eq!(
            err,
            "tdesktop_json input, messages[0].text[1].type: invalid type: integer `7`, \
             expected a string (message id 1, line 5, column 27)"
        );
    }
}
