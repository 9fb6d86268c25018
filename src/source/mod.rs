//! The one abstraction every format's reader implements: a [`Reader`] of messages over a
//! [`MessageSource`], with what an input tells only as it goes (layout, warnings, a late
//! channel). It sits below the formats; dispatch on the detected format is in `read`.

mod background;
pub(crate) mod parallel;

pub(crate) use background::{Chunks, Local, fed, on_worker};

use chrono::FixedOffset;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::{Channel, Chat, Export, Format, Message, TextLayout, Warning};

/// A source of messages that may learn more about the input as it goes.
///
/// A [`Reader`] holds only sources that are [`Send`]; one that is not (html5ever's
/// tokenizer shares its buffers through `Rc`s) runs on a thread of its own behind a
/// [`Local`].
pub(crate) trait MessageSource: Iterator<Item = Result<Message>> {
    /// The layout of a plain-text input (complete once the messages are exhausted).
    fn layout(&self) -> Option<TextLayout> {
        None
    }

    /// Warnings so far (complete once the messages are exhausted).
    fn warnings(&self) -> Vec<Warning> {
        Vec::new()
    }

    /// The channel as far as read, for inputs that may name it after their messages
    /// (complete once the messages are exhausted).
    fn channel(&self) -> Option<Channel> {
        None
    }

    /// Whether the channel known now is the whole of it: `false` while a later part of
    /// the input (keys after the messages, a header after the posts) may still name it.
    fn channel_settled(&self) -> bool {
        true
    }

    /// The chats of an export of several (complete once the messages are exhausted).
    fn chats(&self) -> Vec<Chat> {
        Vec::new()
    }

    /// The export's keys outside its messages (complete once the messages are exhausted).
    fn extra(&self) -> Map<String, Value> {
        Map::new()
    }

    /// Decodes the messages not yet read on a pool of `threads` threads, in input order,
    /// where the source knows how; the messages and what follows them stay the same.
    fn go_parallel(&mut self, threads: usize) -> Result<()> {
        let _ = threads;
        Ok(())
    }

    /// The messages not yet read, each serialised by `serialize` on the pool that decodes
    /// it, so that it never crosses threads; `None` when the source decodes on no pool
    /// (or changes messages after decoding them: an adjusted source).
    fn serialized(&mut self, serialize: Serialize) -> Option<Serialized<'_>> {
        let _ = serialize;
        None
    }
}

/// A writer's serialisation of one message, appended to a buffer, which a source may run
/// on its pool.
pub(crate) type Serialize = fn(&Message, &mut Vec<u8>) -> Result<()>;

/// Messages serialised in input order (see [`MessageSource::serialized`]).
pub(crate) type Serialized<'s> = Box<dyn Iterator<Item = Result<Vec<u8>>> + Send + 's>;

/// Messages of an export that was read whole.
struct Loaded {
    messages: std::vec::IntoIter<Message>,
    layout: Option<TextLayout>,
    chats: Vec<Chat>,
    extra: Map<String, Value>,
    warnings: Vec<Warning>,
}

impl Iterator for Loaded {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        self.messages.next().map(Ok)
    }
}

impl MessageSource for Loaded {
    fn layout(&self) -> Option<TextLayout> {
        self.layout.clone()
    }

    fn warnings(&self) -> Vec<Warning> {
        self.warnings.clone()
    }

    fn chats(&self) -> Vec<Chat> {
        self.chats.clone()
    }

    fn extra(&self) -> Map<String, Value> {
        self.extra.clone()
    }
}

/// Messages of another source, changed on the way, and dropped where `adjust` says
/// `false`.
struct Adjusted<'a, F> {
    inner: Box<dyn MessageSource + Send + 'a>,
    adjust: F,
}

impl<F: FnMut(&mut Message) -> bool> Iterator for Adjusted<'_, F> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut message = self.inner.next()?;
            if let Ok(message) = &mut message
                && !(self.adjust)(message)
            {
                continue;
            }
            return Some(message);
        }
    }
}

impl<F: FnMut(&mut Message) -> bool> MessageSource for Adjusted<'_, F> {
    fn layout(&self) -> Option<TextLayout> {
        self.inner.layout()
    }

    fn warnings(&self) -> Vec<Warning> {
        self.inner.warnings()
    }

    fn channel(&self) -> Option<Channel> {
        self.inner.channel()
    }

    fn channel_settled(&self) -> bool {
        self.inner.channel_settled()
    }

    fn chats(&self) -> Vec<Chat> {
        self.inner.chats()
    }

    fn extra(&self) -> Map<String, Value> {
        self.inner.extra()
    }

    fn go_parallel(&mut self, threads: usize) -> Result<()> {
        self.inner.go_parallel(threads)
    }
}

/// Messages of an input, read as they are needed: a multi-gigabyte export is processed in
/// memory bounded by its largest message.
///
/// ```
/// let input = "Forwarded from A\n#one\nForwarded from B\n#two\n";
/// let reader = tgexport::read(input.as_bytes()).unwrap();
/// let tags: Vec<String> = reader.map(|m| m.unwrap().hashtags.concat()).collect();
/// assert_eq!(tags, ["#one", "#two"]);
/// ```
///
/// A reader is [`Send`]: it can be opened on one thread and read on another.
///
/// ```
/// let reader = tgexport::read(&b"Forwarded from A\n#one\n"[..])?;
/// let count = std::thread::scope(|scope| scope.spawn(|| reader.count()).join().unwrap());
/// assert_eq!(count, 1);
/// # Ok::<(), tgexport::Error>(())
/// ```
pub struct Reader<'a> {
    format: Format,
    channel: Option<Channel>,
    source: Box<dyn MessageSource + Send + 'a>,
    /// Threads of the pool the writers may use too, once asked ([`Reader::parallel`]).
    threads: Option<usize>,
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("format", &self.format)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        format: Format,
        channel: Option<Channel>,
        source: Box<dyn MessageSource + Send + 'a>,
    ) -> Self {
        Self {
            format,
            channel,
            source,
            threads: None,
        }
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The channel, when the input names it before its messages.
    pub fn channel(&self) -> Option<&Channel> {
        self.channel.as_ref()
    }

    /// The layout of a plain-text input; complete once every message was read.
    pub fn layout(&self) -> Option<TextLayout> {
        self.source.layout()
    }

    /// Problems that did not stop reading; complete once every message was read.
    pub fn warnings(&self) -> Vec<Warning> {
        self.source.warnings()
    }

    /// Every chat of an export of several (a whole Telegram Desktop account), with or
    /// without messages; complete once every message was read. See [`Export::chats`].
    pub fn chats(&self) -> Vec<Chat> {
        self.source.chats()
    }

    /// The export's keys outside its messages; complete once every message was read. See
    /// [`Export::extra`].
    pub fn extra(&self) -> Map<String, Value> {
        self.source.extra()
    }

    /// Gives every message time that has no offset the offset `offset`, as messages are
    /// read: the fix for old Telegram Desktop exports, which wrote the exporting machine's
    /// wall-clock time (see [`Message::assume_offset`]).
    ///
    /// ```
    /// let json = r#"{"messages": [{"id": 1, "type": "message", "date": "2019-03-01T12:00:00", "text": ""}]}"#;
    /// let offset = tgexport::chrono::FixedOffset::east_opt(3 * 3600).unwrap();
    /// let mut reader = tgexport::read(json.as_bytes())?.assume_offset(offset);
    /// let date = reader.next().unwrap()?.date.unwrap();
    /// assert_eq!(date.to_string(), "2019-03-01T12:00:00+03:00");
    /// # Ok::<(), tgexport::Error>(())
    /// ```
    pub fn assume_offset(self, offset: FixedOffset) -> Self {
        self.adjust(move |message| message.assume_offset(offset))
    }

    /// Reads the messages on every core the machine offers, in input order: the cheap
    /// part of reading (finding where each message ends) stays on the calling thread,
    /// the costly part (parsing, analysing) runs on a pool of threads, a bounded number
    /// of messages ahead; [`write::jsonl`](crate::write::jsonl) then serialises on a
    /// pool too. Messages, warnings, errors and output bytes are those of reading on one
    /// thread. Only a `result.json` is parsed on the pool (the messages of a plain-text
    /// copy or HTML cannot be told apart ahead); on one core nothing changes.
    ///
    /// Where each message ends is guessed from Telegram Desktop's layout on the calling
    /// thread, as reading in order does, and checked on the pool as it parses; a wrong
    /// guess sends reading back to that message, which is then walked exactly, with every
    /// message after it.
    ///
    /// ```
    /// let json = r##"{"messages": [{"id": 1, "text": "a"}, {"id": 2, "text": "#b"}]}"##;
    /// let reader = tgexport::read(json.as_bytes())?.parallel()?;
    /// let ids: Vec<_> = reader.map(|m| m.unwrap().id).collect();
    /// assert_eq!(ids, [Some(1), Some(2)]);
    /// # Ok::<(), tgexport::Error>(())
    /// ```
    pub fn parallel(mut self) -> Result<Self> {
        if let Some(threads) = parallel::threads() {
            self.source.go_parallel(threads)?;
            self.threads = Some(threads);
        }
        Ok(self)
    }

    /// The messages still to read, each turned into `D::Decoded` on a pool, in input
    /// order; `None` unless the reader was asked to be [`parallel`](Self::parallel).
    pub(crate) fn pooled<D: parallel::Decode<Unit = Message>>(
        &mut self,
    ) -> Option<Result<impl Iterator<Item = Result<D::Decoded>> + '_>> {
        let threads = self.threads?;
        let mut pool = match parallel::Parallel::<D>::new(threads) {
            Ok(pool) => pool,
            Err(err) => return Some(Err(err.into())),
        };
        let mut messages = Messages(self);
        Some(Ok(std::iter::from_fn(move || pool.next(&mut messages))))
    }

    /// The messages still to read, each serialised by `serialize` where it is decoded, in
    /// input order; `None` unless the reader is [`parallel`](Self::parallel) and its source
    /// decodes on a pool (see [`MessageSource::serialized`]).
    pub(crate) fn serialized(&mut self, serialize: Serialize) -> Option<Serialized<'_>> {
        self.threads?;
        self.source.serialized(serialize)
    }

    /// A reader over an export already in memory.
    pub fn from_export(mut export: Export) -> Self {
        let channel = export.channel.take();
        let source = Loaded {
            messages: std::mem::take(&mut export.messages).into_iter(),
            layout: export.layout,
            chats: export.chats,
            extra: export.extra,
            warnings: export.warnings,
        };
        Reader::new(export.format, channel, Box::new(source))
    }

    /// Applies `adjust` to every message as it is read (tagging, time-zone fixes…).
    pub fn adjust(self, mut adjust: impl FnMut(&mut Message) + Send + 'a) -> Self {
        self.adjusted(move |message| {
            adjust(message);
            true
        })
    }

    /// Keeps only the messages `keep` accepts, as they are read (errors always pass).
    ///
    /// ```
    /// let input = "Forwarded from A\n#one\nForwarded from B\n#two\n";
    /// let reader = tgexport::read(input.as_bytes())?.retain(|m| m.hashtags == ["#two"]);
    /// assert_eq!(reader.count(), 1);
    /// # Ok::<(), tgexport::Error>(())
    /// ```
    pub fn retain(self, mut keep: impl FnMut(&Message) -> bool + Send + 'a) -> Self {
        self.adjusted(move |message| keep(message))
    }

    fn adjusted(self, adjust: impl FnMut(&mut Message) -> bool + Send + 'a) -> Self {
        let source = Adjusted {
            inner: self.source,
            adjust,
        };
        Self {
            source: Box::new(source),
            ..self
        }
    }

    /// Reads the remaining messages into an [`Export`].
    pub fn into_export(mut self) -> Result<Export> {
        self.take_export()
    }

    /// The channel as far as read, `opened` being what was known when the input opened:
    /// some inputs name their channel only after their messages.
    pub(crate) fn channel_so_far(&self, opened: Option<Channel>) -> Option<Channel> {
        self.source.channel().or(opened)
    }

    /// Whether [`channel`](Self::channel) is all the input says of its channel, or a later
    /// part of it may still add to it (see [`MessageSource::channel_settled`]).
    pub(crate) fn channel_settled(&self) -> bool {
        self.source.channel_settled()
    }

    /// Reads the remaining messages into an [`Export`], leaving the reader exhausted but
    /// still able to answer [`warnings`](Self::warnings).
    pub(crate) fn take_export(&mut self) -> Result<Export> {
        let mut export = Export::new(self.format);
        export.channel = self.channel.take();
        for message in self.by_ref() {
            export.messages.push(message?);
        }
        export.channel = self.channel_so_far(export.channel);
        export.layout = self.layout();
        export.chats = self.chats();
        export.extra = self.extra();
        export.warnings = self.warnings();
        Ok(export)
    }
}

/// A reader's messages as the units of a pool.
struct Messages<'r, 'a>(&'r mut Reader<'a>);

impl<D: parallel::Decode<Unit = Message>> parallel::Split<D> for Messages<'_, '_> {
    type Out = D::Decoded;

    fn take(&mut self) -> Option<Result<Message>> {
        self.0.next()
    }

    fn settle(&mut self, decoded: D::Decoded) -> Option<D::Decoded> {
        Some(decoded)
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        self.source.next()
    }
}
