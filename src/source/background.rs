//! Reading on a thread of its own, a bounded number of messages ahead of the caller: for
//! [`Reader::spawn`], and for the sources that cannot leave the thread that made them (the
//! HTML readers: html5ever's tokenizer is not [`Send`]). Such a source is fed with owned
//! chunks of the input, read by the caller's thread from the caller's reader, so neither
//! that reader nor the [`Reader`] needs to be `'static`.

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::thread::JoinHandle;

use serde_json::{Map, Value};

use super::{MessageSource, Reader};
use crate::error::Result;
use crate::{Channel, Chat, Format, Message, TextLayout, Warning};

/// Messages sent at a time: one send a message would cost more than parsing some of them.
const BATCH: usize = 64;

/// Batches queued ahead of the caller: with [`BATCH`], what bounds the memory in flight.
const BATCHES_AHEAD: usize = 4;

/// The most bytes of the caller's input sent to a worker at a time.
const CHUNK: usize = 1 << 16;

/// Chunks queued ahead of a worker: with [`CHUNK`], what bounds the input in flight.
const CHUNKS_AHEAD: usize = 4;

/// A source that stays on the thread that opened it, with what its input said at the
/// opening: what a worker thread reads from.
pub(crate) struct Local {
    format: Format,
    channel: Option<Channel>,
    source: Box<dyn MessageSource>,
}

impl Local {
    pub(crate) fn new(
        format: Format,
        channel: Option<Channel>,
        source: Box<dyn MessageSource>,
    ) -> Self {
        Self {
            format,
            channel,
            source,
        }
    }
}

impl From<Reader<'static>> for Local {
    fn from(reader: Reader<'static>) -> Self {
        Self::new(reader.format, reader.channel, reader.source)
    }
}

/// What a worker reports, in this order: the opened input (or why it could not be
/// opened), batches of messages, then what is complete only at the end; and, at any
/// time, that it has used up the input fed to it.
enum Report {
    /// The format, the channel known at the opening, and whether it is settled.
    Opened(Result<(Format, Option<Channel>, bool)>),
    Batch(Vec<Result<Message>>),
    Hungry,
    End(Ending),
}

/// What a reader knows only once its messages are exhausted.
#[derive(Default)]
struct Ending {
    layout: Option<TextLayout>,
    warnings: Vec<Warning>,
    channel: Option<Channel>,
    chats: Vec<Chat>,
    extra: Map<String, Value>,
}

/// A chunk of the caller's input, or why reading it failed.
type Chunk = io::Result<Vec<u8>>;

/// The worker's end of the caller's input: the chunks as the caller reads them. When
/// none is queued, the worker says so ([`Report::Hungry`]) and waits; the caller, which
/// waits only for reports, then feeds it, so neither can wait for the other for ever.
pub(crate) struct Chunks {
    chunks: Receiver<Chunk>,
    reports: SyncSender<Report>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let read = available.len().min(buf.len());
        buf[..read].copy_from_slice(&available[..read]);
        self.consume(read);
        Ok(read)
    }
}

impl BufRead for Chunks {
    /// The end of the input once the caller stopped feeding (the input ended, or the
    /// caller is gone).
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.chunk.len() {
            let next = match self.chunks.try_recv() {
                Ok(next) => next,
                Err(TryRecvError::Disconnected) => return Ok(&[]),
                Err(TryRecvError::Empty) => {
                    if self.reports.send(Report::Hungry).is_err() {
                        return Ok(&[]);
                    }
                    match self.chunks.recv() {
                        Ok(next) => next,
                        Err(_) => return Ok(&[]),
                    }
                }
            };
            self.chunk = next?;
            self.at = 0;
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at += amount;
    }
}

/// The caller's input, fed to a worker a chunk at a time.
struct Feed<R> {
    input: R,
    chunks: SyncSender<Chunk>,
    /// A chunk read while the worker's queue was full.
    pending: Option<Chunk>,
}

impl<R: BufRead> Feed<R> {
    /// Queues chunks of the input while the worker has room for them, without waiting;
    /// `false` once the input is used up (or failed, or the worker is gone).
    fn top_up(&mut self) -> bool {
        loop {
            let chunk = match self.pending.take() {
                Some(chunk) => chunk,
                None => self.read(),
            };
            let failed = match &chunk {
                Ok(bytes) if bytes.is_empty() => return false,
                Ok(_) => false,
                Err(_) => true,
            };
            match self.chunks.try_send(chunk) {
                Ok(()) if failed => return false,
                Ok(()) => {}
                Err(TrySendError::Full(chunk)) => {
                    self.pending = Some(chunk);
                    return true;
                }
                Err(TrySendError::Disconnected(_)) => return false,
            }
        }
    }

    fn read(&mut self) -> Chunk {
        let buffer = self.input.fill_buf()?;
        let chunk = buffer[..buffer.len().min(CHUNK)].to_vec();
        self.input.consume(chunk.len());
        Ok(chunk)
    }
}

/// The caller's end: messages as the worker sends them.
struct Background<R> {
    reports: Receiver<Report>,
    thread: Option<JoinHandle<()>>,
    feed: Option<Feed<R>>,
    batch: std::vec::IntoIter<Result<Message>>,
    /// Whether the channel known at the opening was settled then.
    settled: bool,
    ending: Ending,
}

impl<R: BufRead> Background<R> {
    /// The next report, feeding the worker while it waits; a panic of the worker is
    /// resumed here, not hidden.
    fn receive(&mut self) -> Option<Report> {
        loop {
            if let Some(feed) = &mut self.feed
                && !feed.top_up()
            {
                // The end of the input: the worker reads it as such.
                self.feed = None;
            }
            match self.reports.recv() {
                Ok(Report::Hungry) => {}
                Ok(report) => return Some(report),
                Err(_) => {
                    if let Some(Err(panic)) = self.thread.take().map(JoinHandle::join) {
                        std::panic::resume_unwind(panic);
                    }
                    return None;
                }
            }
        }
    }

    /// The reader over what the worker opened, or the error that kept it from opening.
    fn opened<'a>(mut self) -> Result<Reader<'a>>
    where
        R: Send + 'a,
    {
        match self.receive() {
            Some(Report::Opened(Ok((format, channel, settled)))) => {
                self.settled = settled;
                Ok(Reader::new(format, channel, Box::new(self)))
            }
            Some(Report::Opened(Err(err))) => Err(err),
            _ => unreachable!("a worker reports the opening first"),
        }
    }
}

impl<R: BufRead> Iterator for Background<R> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(message) = self.batch.next() {
                return Some(message);
            }
            match self.receive()? {
                Report::Batch(batch) => self.batch = batch.into_iter(),
                Report::End(ending) => {
                    self.ending = ending;
                    return None;
                }
                Report::Opened(_) | Report::Hungry => {
                    unreachable!("the input is opened once, first")
                }
            }
        }
    }
}

impl<R: BufRead> MessageSource for Background<R> {
    fn layout(&self) -> Option<TextLayout> {
        self.ending.layout.clone()
    }

    fn warnings(&self) -> Vec<Warning> {
        self.ending.warnings.clone()
    }

    fn channel(&self) -> Option<Channel> {
        self.ending.channel.clone()
    }

    fn channel_settled(&self) -> bool {
        self.settled
    }

    fn chats(&self) -> Vec<Chat> {
        self.ending.chats.clone()
    }

    fn extra(&self) -> Map<String, Value> {
        self.ending.extra.clone()
    }
}

/// The worker: opens the input, sends its messages in batches, then the rest.
fn serve(open: impl FnOnce() -> Result<Local>, reports: &SyncSender<Report>) {
    let Local {
        format,
        channel,
        mut source,
    } = match open() {
        Ok(local) => local,
        Err(err) => {
            // The caller may be gone already; then nobody needs the answer.
            let _ = reports.send(Report::Opened(Err(err)));
            return;
        }
    };
    let opened = (format, channel, source.channel_settled());
    if reports.send(Report::Opened(Ok(opened))).is_err() {
        return;
    }
    loop {
        let batch: Vec<_> = source.by_ref().take(BATCH).collect();
        let last = batch.len() < BATCH;
        if !batch.is_empty() && reports.send(Report::Batch(batch)).is_err() {
            return;
        }
        if last {
            break;
        }
    }
    let _ = reports.send(Report::End(Ending {
        layout: source.layout(),
        warnings: source.warnings(),
        channel: source.channel(),
        chats: source.chats(),
        extra: source.extra(),
    }));
}

/// Starts a worker thread running `work` with the sending end of its reports.
fn start_worker(
    work: impl FnOnce(SyncSender<Report>) + Send + 'static,
) -> Result<(Receiver<Report>, JoinHandle<()>)> {
    let (sender, reports) = sync_channel(BATCHES_AHEAD);
    let thread = std::thread::Builder::new()
        .name("tgexport-reader".into())
        .spawn(move || work(sender))?;
    Ok((reports, thread))
}

/// Opens a source on a worker thread of its own, which reads its input itself.
pub(crate) fn on_worker(
    open: impl FnOnce() -> Result<Local> + Send + 'static,
) -> Result<Reader<'static>> {
    let (reports, thread) = start_worker(move |reports| serve(open, &reports))?;
    Background::<io::Empty> {
        reports,
        thread: Some(thread),
        feed: None,
        batch: Vec::new().into_iter(),
        settled: true,
        ending: Ending::default(),
    }
    .opened()
}

/// Opens a source on a worker thread of its own, fed with `input`'s bytes as the returned
/// reader is read (see [`Chunks`]): the source need not be [`Send`], and `input` need not
/// be `'static`.
pub(crate) fn fed<'a, R: BufRead + Send + 'a>(
    input: R,
    open: fn(Chunks) -> Result<Local>,
) -> Result<Reader<'a>> {
    let (chunks, received) = sync_channel(CHUNKS_AHEAD);
    let (reports, thread) = start_worker(move |reports| {
        let input = Chunks {
            chunks: received,
            reports: reports.clone(),
            chunk: Vec::new(),
            at: 0,
        };
        serve(move || open(input), &reports);
    })?;
    Background {
        reports,
        thread: Some(thread),
        feed: Some(Feed {
            input,
            chunks,
            pending: None,
        }),
        batch: Vec::new().into_iter(),
        settled: true,
        ending: Ending::default(),
    }
    .opened()
}

impl Reader<'static> {
    /// Opens and reads an input on a thread of its own, a bounded number of messages ahead
    /// of the caller: parsing and what the caller does with each message (serialising,
    /// writing) run side by side on two cores, in memory bounded as for one reader.
    ///
    /// `open` runs on that thread, so the input need not be [`Send`] (standard input's
    /// lock is not). Its error, or a panic while reading, reaches the caller.
    ///
    /// ```
    /// let reader = tgexport::Reader::spawn(|| {
    ///     tgexport::read(&b"Forwarded from A\n#one\nForwarded from B\n#two\n"[..])
    /// })?;
    /// let tags: Vec<String> = reader.map(|m| m.unwrap().hashtags.concat()).collect();
    /// assert_eq!(tags, ["#one", "#two"]);
    /// # Ok::<(), tgexport::Error>(())
    /// ```
    pub fn spawn(open: impl FnOnce() -> Result<Reader<'static>> + Send + 'static) -> Result<Self> {
        on_worker(move || open().map(Local::from))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Error, Reader};

    const COPY: &str = "Chan – Telegram\nChan\n1 subscriber\nDownload Telegram\n\
                        Forwarded from A\n#one\n1.2K views\n10:20\nForwarded from B\n#two\n";

    #[test]
    fn spawned_reads_what_reading_here_does_with_the_end_state() {
        // More messages than a batch, so several batches cross.
        let input: String = std::iter::repeat_n(COPY, 70).collect();
        let here = crate::read(input.as_bytes())
            .unwrap()
            .into_export()
            .unwrap();
        let moved = input.clone();
        let spawned = Reader::spawn(move || crate::read(std::io::Cursor::new(moved.into_bytes())))
            .unwrap()
            .into_export()
            .unwrap();
        assert_eq!(spawned, here);
        assert_eq!(spawned.messages.len(), 140);
        assert!(spawned.layout.is_some() && spawned.channel.is_some());
    }

    #[test]
    fn an_error_opening_reaches_the_caller() {
        // A copy's header is read when it is opened: the bad byte is found then.
        let err = Reader::spawn(|| crate::read(&b"ok\n\xff\n"[..])).unwrap_err();
        assert!(matches!(err, Error::InvalidUtf8 { line: 2, .. }), "{err:?}");
    }

    #[test]
    #[should_panic(expected = "a reader bug")]
    fn a_panic_while_reading_is_not_hidden() {
        let reader = Reader::spawn(|| {
            let reader = crate::read(COPY.as_bytes())?;
            Ok(reader.adjust(|_| panic!("a reader bug")))
        })
        .unwrap();
        reader.for_each(drop);
    }

    /// Gives `good` bytes a few at a time, then fails.
    struct Failing<'a> {
        good: &'a [u8],
    }

    impl std::io::Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.good.is_empty() {
                return Err(std::io::Error::other("the disk is gone"));
            }
            let read = self.good.len().min(buf.len()).min(5);
            buf[..read].copy_from_slice(&self.good[..read]);
            self.good = &self.good[read..];
            Ok(read)
        }
    }

    #[test]
    fn a_fed_parser_sees_the_callers_read_error_after_the_messages_before_it() {
        let post = |id| {
            format!(
                r#"<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="c/{id}">x</div></div>"#
            )
        };
        // A header first: posts after it are read as they are asked for.
        let header = r#"<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>C</span></div></div>"#;
        let page: String = std::iter::once(header.to_owned())
            .chain((1..=3).map(post))
            .collect();
        let input = std::io::BufReader::with_capacity(
            16,
            Failing {
                good: page.as_bytes(),
            },
        );
        let read: Vec<_> = crate::read_as(input, crate::Format::TmeHtml)
            .unwrap()
            .collect();
        assert_eq!(read.len(), 4, "{read:?}");
        assert!(read[..3].iter().all(Result::is_ok));
        assert!(
            matches!(&read[3], Err(Error::Io { source, .. }) if source.to_string() == "the disk is gone"),
            "{:?}",
            read[3]
        );
    }
}
