//! The messages of a `result.json`, read one at a time.

use std::io::Read;

use super::convert;
use super::damage::{self, Damage};
use super::document::{Document, Slot};
use super::lenient::{self, Repairs};
use super::raw::RawMessage;
use super::scan;
use crate::error::{Error, Result};
use crate::source::Serialize;
use crate::source::parallel::{Decode, Parallel, Split};
use crate::{Channel, Chat, Message, Warning};

/// The messages of a Telegram Desktop `result.json`, read as they are needed, so memory
/// stays bounded by the largest message whatever the size of the file.
///
/// Damage inside one message (a value of the wrong type, broken JSON, bytes that are not
/// UTF-8) costs only the damaged part, with a [`warning`](Self::warnings) for each; an
/// error in the layout around the messages ends the iteration. A file that ends early (an
/// interrupted export) yields its complete messages and a warning.
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
    damaged: DamageLog,
    /// The pool decoding messages, once asked to ([`Messages::go_parallel`]).
    parallel: Option<Parallel<Exact>>,
    /// The path of the messages array being read, shared by its messages' units.
    path: Option<std::sync::Arc<str>>,
    cursor: Cursor,
    /// Units on the pool whose end was guessed, not yet settled.
    guesses: usize,
    /// The serialisation the pool applies to messages, while a writer asks for bytes.
    serialize: Option<Serialize>,
    /// Buffers of settled units, for the next units' bytes: allocating each on this
    /// thread and freeing it on another had the allocator fault in fresh pages.
    spare: Vec<Vec<u8>>,
}

/// Warnings of damaged messages, up to [`MAX_DAMAGE_WARNINGS`], and a count of the others.
#[derive(Debug, Default)]
struct DamageLog {
    listed: Vec<Warning>,
    unlisted: u64,
}

/// Warnings of damage listed one by one; more are counted in one closing warning.
const MAX_DAMAGE_WARNINGS: usize = 1000;

impl DamageLog {
    /// Lists `warnings`, or counts them once the list is full.
    fn add(&mut self, warnings: Vec<Warning>) {
        for warning in warnings {
            if self.listed.len() < MAX_DAMAGE_WARNINGS {
                self.listed.push(warning);
            } else {
                self.unlisted += 1;
            }
        }
    }
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
            damaged: DamageLog::default(),
            parallel: None,
            path: None,
            cursor: Cursor::default(),
            guesses: 0,
            serialize: None,
            spare: Vec::new(),
        })
    }

    /// The chat of a single-chat export (`name`, `type`, `id`), as far as read: keys after
    /// the messages are known once they are exhausted. `None` for a whole-account export,
    /// whose messages each name their [`chat`](Message::chat).
    pub fn channel(&self) -> Option<Channel> {
        self.document.channel()
    }

    /// Whether [`channel`](Self::channel) is whole: the top level gave `name`, `type` and
    /// `id` before the messages, as Telegram Desktop writes them (an export whose keys were
    /// sorted names its chat after its messages).
    pub fn channel_settled(&self) -> bool {
        self.document.root_named()
    }

    /// Every chat entry of a whole-account export read so far, with or without messages;
    /// complete once the messages are exhausted.
    pub fn chats(&self) -> Vec<Chat> {
        self.document.chats.clone()
    }

    /// The export's keys outside its messages and chat names (an account's `about`,
    /// `personal_information`, `contacts`…), as far as read; complete once the messages
    /// are exhausted.
    pub fn extra(&self) -> serde_json::Map<String, serde_json::Value> {
        self.document.extra.clone()
    }

    /// Problems that did not stop reading (a file cut off, strings repaired); complete
    /// once the messages are exhausted.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = self.damaged.listed.clone();
        warnings.extend(self.document.warnings.iter().cloned());
        if self.damaged.unlisted > 0 {
            warnings.push(Warning::at(
                None,
                format!(
                    "{} more damaged parts of messages, not listed one by one; each is kept in \
                     its message's `extra.{}`",
                    self.damaged.unlisted,
                    damage::KEY
                ),
            ));
        }
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
                let decoded = Decoded::converted(raw, index, Vec::new(), Repairs::default());
                return Some(Ok(self.settle_here(decoded, &slot)));
            }
            match self.document.delimit(&mut slot) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(err) => return Some(Err(err)),
            }
        }
        let decoded = Decoded::exact(&self.document.window()[slot.range.clone()], index);
        Some(Ok(self.settle_here(decoded, &slot)))
    }

    /// Settles a message decoded from `slot`, which is still in the window.
    fn settle_here(&mut self, decoded: Decoded, slot: &Slot) -> Message {
        let place = || {
            let (_, path) = self.document.messages_of();
            Place {
                path: format!("{path}[{}]", slot.index),
                start: self.document.position(slot.range.start),
            }
        };
        let place = (!decoded.damage.is_empty()).then(place);
        let bytes = &self.document.window()[slot.range.clone()];
        let chat = self.document.messages_of().0.cloned();
        let (message, warnings, repairs) = put_in_place(decoded, Placed { bytes, chat, place });
        self.damaged.add(warnings);
        let offset = self.document.offset_of(slot.range.start);
        self.document.tally.record(offset, repairs);
        message
    }

    /// The next message's slot; `None` once the messages or the input end, or after an
    /// error.
    fn next_slot(&mut self) -> Option<Result<Slot>> {
        if self.done {
            return None;
        }
        let slot = self.document.next_message().transpose();
        self.done = !matches!(slot, Some(Ok(_)));
        slot
    }

    /// Decodes the messages on a pool of `threads` threads from now on, in input order,
    /// with the same messages and warnings as decoding them here.
    ///
    /// Message ends are still guessed from the layout on this thread; the pool checks each
    /// guess as it decodes. A wrong one sends reading back to the message it was made for
    /// (the window keeps the input from the first guess not yet settled on), and the
    /// messages taken after it are decoded again.
    pub(crate) fn go_parallel(&mut self, threads: usize) -> std::io::Result<()> {
        self.parallel = Some(Parallel::new(threads)?);
        Ok(())
    }

    /// Keeps a settled unit's buffer for the bytes of a unit to come.
    fn recycle(&mut self, bytes: Vec<u8>) {
        if self.spare.len() < MAX_SPARE && bytes.capacity() <= MAX_SPARE_BYTES {
            self.spare.push(bytes);
        }
    }

    /// Goes back to the message of `unit`, whose guessed end was wrong.
    fn go_back(&mut self, unit: &Unit) {
        self.document.go_back(unit.offset, unit.path.1);
        self.document.pin(None);
        self.guesses = 0;
        self.index = unit.index;
        self.done = false;
        self.cursor = Cursor::default();
    }
}

/// A message decoded from its bytes, its damage not yet reported.
pub(crate) struct Decoded {
    message: Message,
    damage: Vec<Damage>,
    repairs: Repairs,
}

impl Decoded {
    /// Decodes the exact bytes of a message: as they are, repaired, or what of them is
    /// readable (see [`damage`]).
    fn exact(bytes: &[u8], index: usize) -> Self {
        let mut storage = None;
        match lenient::parse::<Box<RawMessage<'_>>>(bytes, &mut storage) {
            Ok((raw, repairs)) => Self::converted(raw, index, Vec::new(), repairs),
            Err(_) => salvage(bytes, index),
        }
    }

    /// Converts a parsed message (boxed: it is large, and a pointer moves for free).
    fn converted(
        raw: Box<RawMessage<'_>>,
        index: usize,
        mut damage: Vec<Damage>,
        repairs: Repairs,
    ) -> Self {
        let message = convert::message(raw, index, &mut damage);
        Self {
            message,
            damage,
            repairs,
        }
    }
}

/// Reads what can be read of a message that does not parse (see [`damage`]).
fn salvage(bytes: &[u8], index: usize) -> Decoded {
    let mut damage = Vec::new();
    damage::readable(bytes, |at| lenient::separator_tail(bytes, at), &mut damage);
    let (repaired, repairs) = lenient::repair(bytes).unzip();
    let text = String::from_utf8_lossy(repaired.as_deref().unwrap_or(bytes));
    let text = match damage::without_lone_surrogates(&text, &mut damage) {
        Some(fixed) => fixed,
        None => text.into_owned(),
    };
    let keys = damage::keys(&text, &mut damage);
    let json = damage::readable_keys(keys, &mut damage);
    // Every value left was checked to read, so this cannot fail; be safe all the same.
    let raw = serde_json::from_str(&json).unwrap_or_default();
    Decoded::converted(raw, index, damage, repairs.unwrap_or_default())
}

/// Where a message is in the input: what its damage is reported with.
struct Place {
    /// Its path through the export, `messages[3]`.
    path: String,
    /// Line, character column and input offset of its first byte.
    start: (u64, u64, u64),
}

/// A decoded message with what settling it needs: its bytes, its chat and, when it has
/// damage, its place.
struct Placed<'b> {
    bytes: &'b [u8],
    chat: Option<Chat>,
    place: Option<Place>,
}

/// Gives a decoded message its chat and keeps the originals of its damage in its `extra`;
/// gives back the warnings of the damage, which the [`DamageLog`] takes in input order,
/// and its repairs, for the tally. Depends on nothing else: runs on the pool too.
fn put_in_place(decoded: Decoded, placed: Placed<'_>) -> (Message, Vec<Warning>, Repairs) {
    let Decoded {
        mut message,
        damage,
        repairs,
    } = decoded;
    message.chat = placed.chat;
    let warnings = match &placed.place {
        Some(place) if !damage.is_empty() => report(&mut message, placed.bytes, place, damage),
        _ => Vec::new(),
    };
    (message, warnings, repairs)
}

/// Keeps the originals of `damage` in the message's `extra`, and gives a warning of each,
/// naming the message and where the damage is in the input.
fn report(message: &mut Message, bytes: &[u8], place: &Place, damage: Vec<Damage>) -> Vec<Warning> {
    let name = match message.id {
        Some(id) => format!("message id {id} ({})", place.path),
        None => format!("the message {}", place.path),
    };
    let mut records = Vec::with_capacity(damage.len());
    let mut warnings = Vec::with_capacity(damage.len());
    for damage in damage {
        let exact = damage.at().map(|at| at.min(bytes.len()));
        let at = exact
            .or_else(|| damage::key_position(bytes, damage.key()?))
            .unwrap_or(0);
        let (line, column, offset) = locate(place.start, bytes, at);
        let what = match damage.path.as_str() {
            "" => String::new(),
            path => format!("`{path}`: "),
        };
        let mut warning = Warning::at(
            Some(offset),
            format!(
                "{name}, line {line}, column {column}: {what}{}; {}",
                damage.problem,
                damage.outcome()
            ),
        );
        warning.line = u32::try_from(line).ok();
        warning.column = u32::try_from(column).ok();
        warnings.push(warning);
        records.push(damage.record(exact.map(|_| offset)));
    }
    message
        .extra
        .insert(damage::KEY.into(), serde_json::Value::Array(records));
    warnings
}

/// Line, character column and input offset of byte `at` of a message starting at `start`.
fn locate(start: (u64, u64, u64), bytes: &[u8], at: usize) -> (u64, u64, u64) {
    let (start_line, start_column, start_offset) = start;
    let (line, column) = crate::error::line_column(bytes, at);
    (
        start_line + line - 1,
        if line == 1 {
            start_column + column - 1
        } else {
            column
        },
        start_offset + at as u64,
    )
}

/// What a message decoded on the pool needs from the document, taken in order.
pub(crate) struct Unit {
    bytes: Vec<u8>,
    index: usize,
    chat: Option<Chat>,
    offset: u64,
    /// Its path through the export and its line and column: see [`Place`].
    path: (std::sync::Arc<str>, usize),
    line_column: (u64, u64),
    /// Whether the bytes' end was guessed from the layout ([`Slot::exact`]).
    guessed: bool,
    /// The writer's serialisation, when it asked for bytes.
    serialize: Option<Serialize>,
}

/// Buffers kept for units' bytes at most: more than are ever in flight; and the largest
/// kept, so that a few huge messages do not stay in memory.
const MAX_SPARE: usize = 1024;
const MAX_SPARE_BYTES: usize = 64 << 10;

/// Decoding `result.json` messages on the pool.
pub(crate) struct Exact;

/// A message as the pool gives it back: the message, or its bytes when a writer asked
/// for them ([`Messages::serialized`]).
// Unboxed: a box would cost an allocation per message, and batches hold one kind anyway.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Finished {
    Message(Message),
    Serialized(Result<Vec<u8>>),
}

/// A unit decoded on the pool, settled there as far as order allows: its message, or
/// `None` once serialised into the unit's buffer.
pub(crate) struct Done {
    message: Result<Option<Message>>,
    warnings: Vec<Warning>,
    repairs: Repairs,
}

impl Decode for Exact {
    type Unit = Unit;
    /// `None` when the unit's end was a wrong guess: its bytes are not one whole value.
    type Decoded = (Option<Done>, Unit);

    fn decode(mut unit: Unit) -> Self::Decoded {
        let (bytes, index) = (&unit.bytes[..], unit.index);
        let decoded = if !unit.guessed {
            Decoded::exact(bytes, index)
        } else if let Some(raw) = lenient::parse_as_is::<Box<RawMessage<'_>>>(bytes) {
            Decoded::converted(raw, index, Vec::new(), Repairs::default())
        } else if scan::is_one_value(bytes) {
            // The guess was right; the message is damaged.
            Decoded::exact(bytes, index)
        } else {
            return (None, unit);
        };
        let place = (!decoded.damage.is_empty()).then(|| Place {
            path: format!("{}[{}]", unit.path.0, unit.path.1),
            start: (unit.line_column.0, unit.line_column.1, unit.offset),
        });
        let placed = Placed {
            bytes: &unit.bytes,
            chat: unit.chat.take(),
            place,
        };
        let (message, warnings, repairs) = put_in_place(decoded, placed);
        // The message is serialised, and freed, on the thread that made it, into the
        // buffer its bytes came in: nothing crosses threads but that buffer.
        let message = match unit.serialize {
            Some(serialize) => {
                unit.bytes.clear();
                serialize(&message, &mut unit.bytes).map(|()| None)
            }
            None => Ok(Some(message)),
        };
        let done = Done {
            message,
            warnings,
            repairs,
        };
        (Some(done), unit)
    }
}

impl<R: Read> Split<Exact> for Messages<R> {
    type Out = Finished;

    fn pause(&mut self) -> Result<bool> {
        // Only messages of one array can be gone back to.
        Ok(self.guesses > 0 && !self.done && !self.document.next_in_array()?)
    }

    fn take(&mut self) -> Option<Result<Unit>> {
        let slot = match self.next_slot()? {
            Ok(slot) => slot,
            Err(err) => return Some(Err(err)),
        };
        let offset = self.document.offset_of(slot.range.start);
        if !slot.exact {
            if self.guesses == 0 {
                self.document.pin(Some(offset));
            }
            self.guesses += 1;
        }
        let (chat, path) = self.document.messages_of();
        if self.path.as_deref() != Some(path) {
            self.path = Some(path.into());
        }
        let bytes = &self.document.window()[slot.range.clone()];
        let unit = Unit {
            bytes: {
                let mut buffer = match self.serialize {
                    // The buffer goes to the writer with the message's line in it, which
                    // can be longer than its bytes in the export.
                    Some(_) => Vec::with_capacity(2 * bytes.len() + 1024),
                    None => self.spare.pop().unwrap_or_default(),
                };
                buffer.clear();
                buffer.extend_from_slice(bytes);
                buffer
            },
            index: self.index,
            chat: chat.cloned(),
            offset,
            path: (self.path.clone().expect("set above"), slot.index),
            line_column: self.cursor.line_column(&self.document, slot.range.start),
            guessed: !slot.exact,
            serialize: self.serialize,
        };
        self.index += 1;
        Some(Ok(unit))
    }

    fn settle(&mut self, (done, unit): (Option<Done>, Unit)) -> Option<Finished> {
        let Some(done) = done else {
            self.go_back(&unit);
            self.recycle(unit.bytes);
            return None;
        };
        if unit.guessed {
            self.guesses -= 1;
            // Keep the input from the next guess on, as far as this one says.
            let next = unit.offset + unit.bytes.len() as u64;
            self.document.pin((self.guesses > 0).then_some(next));
        }
        self.damaged.add(done.warnings);
        self.document.tally.record(unit.offset, done.repairs);
        Some(match done.message {
            Err(err) => Finished::Serialized(Err(err)),
            Ok(None) => Finished::Serialized(Ok(unit.bytes)),
            Ok(Some(message)) => {
                self.recycle(unit.bytes);
                Finished::Message(message)
            }
        })
    }
}

impl<R: Read + Send> Messages<R> {
    /// The messages not yet read, serialised by `serialize` on the pool as they are decoded;
    /// `None` unless decoding on a pool. Messages the pool holds when the iterator is
    /// dropped early (the writer failed) are dropped with it.
    pub(crate) fn serialized(
        &mut self,
        serialize: Serialize,
    ) -> Option<impl Iterator<Item = Result<Vec<u8>>> + Send + '_> {
        let pool = self.parallel.take()?;
        self.serialize = Some(serialize);
        Some(SerializedMessages {
            messages: self,
            pool: Some(pool),
        })
    }
}

/// Messages serialised on the pool (see [`Messages::serialized`]); gives the pool back
/// when dropped, without what it still holds.
struct SerializedMessages<'m, R: Read> {
    messages: &'m mut Messages<R>,
    pool: Option<Parallel<Exact>>,
}

impl<R: Read> Iterator for SerializedMessages<'_, R> {
    type Item = Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        let pool = self.pool.as_mut().expect("held until dropped");
        pool.next(self.messages).map(|finished| match finished? {
            Finished::Serialized(bytes) => bytes,
            Finished::Message(message) => {
                let mut line = Vec::new();
                self.messages.serialize.expect("set")(&message, &mut line)?;
                Ok(line)
            }
        })
    }
}

impl<R: Read> Drop for SerializedMessages<'_, R> {
    fn drop(&mut self) {
        let messages = &mut *self.messages;
        messages.serialize = None;
        if let Some(mut pool) = self.pool.take() {
            pool.discard();
            messages.guesses = 0;
            messages.document.pin(None);
            messages.parallel = Some(pool);
        }
    }
}

/// The line and column of the last message taken, so that the next one's are counted
/// from there rather than from the start of the window.
#[derive(Debug, Default)]
struct Cursor {
    /// Input offset, line and character column of the last message taken.
    at: Option<(u64, u64, u64)>,
}

impl Cursor {
    /// Line and character column of window index `at`.
    fn line_column<R: Read>(&mut self, document: &Document<R>, at: usize) -> (u64, u64) {
        let offset = document.offset_of(at);
        let window_start = document.offset_of(0);
        let (line, column) = match self.at {
            Some((from, line, column)) if from >= window_start && from <= offset => {
                let from = usize::try_from(from - window_start).expect("in the window");
                let between = &document.window()[from..at];
                match memchr::memrchr(b'\n', between) {
                    Some(newline) => (
                        line + memchr::memchr_iter(b'\n', between).count() as u64,
                        crate::error::chars(&between[newline + 1..]) + 1,
                    ),
                    None => (line, column + crate::error::chars(between)),
                }
            }
            _ => {
                let (line, column, _) = document.position(at);
                (line, column)
            }
        };
        self.at = Some((offset, line, column));
        (line, column)
    }
}

impl<R: Read> Iterator for Messages<R> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(mut parallel) = self.parallel.take() {
            let next = parallel.next(self);
            self.parallel = Some(parallel);
            return next.map(|finished| match finished? {
                Finished::Message(message) => Ok(message),
                Finished::Serialized(_) => unreachable!("serialised only while asked to"),
            });
        }
        let slot = match self.next_slot()? {
            Ok(slot) => slot,
            Err(err) => return Some(Err(err)),
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
    fn damage_names_the_message_by_its_path_through_chat_lists() {
        let json = r#"{"chats": {"list": [{"name": "A", "messages": []},
            {"name": "B", "messages": [{"id": 5, "date": 7, "text": "kept"}]}]}}"#;
        let (read, warnings) = read_all(json);
        let message = read[0].as_ref().unwrap();
        assert_eq!((message.id, message.text.as_str()), (Some(5), "kept"));
        assert_eq!(message.extra[damage::KEY][0]["value"], 7);
        assert_eq!(
            warnings[0].message,
            "message id 5 (chats.list[1].messages[0]), line 2, column 50: `date`: invalid type: \
             integer `7`, expected a string; left out; the value is kept in its \
             `extra.tgexport_damaged`"
        );
        assert_eq!(warnings[0].line, Some(2));
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
    fn a_bad_part_of_text_is_left_out_and_placed_at_its_key() {
        let json = "{\n \"messages\": [\n  {\n   \"id\": 1,\n   \"text\": [\"a\", {\"type\": 7}, \"b\"]\n  }\n ]\n}";
        let (read, warnings) = read_all(json);
        assert_eq!(read[0].as_ref().unwrap().text, "ab");
        assert_eq!(
            warnings[0].message,
            "message id 1 (messages[0]), line 5, column 4: `text[1]`: invalid type: integer `7`, \
             expected a string; left out; the value is kept in its `extra.tgexport_damaged`"
        );
        assert_eq!(warnings.len(), 1);
    }
}
