//! Reading on a thread of its own, a bounded number of messages ahead of the caller.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::{MessageSource, Reader};
use crate::error::Result;
use serde_json::{Map, Value};

use crate::{Channel, Chat, Format, Message, TextLayout, Warning};

/// Messages sent at a time: one send a message would cost more than parsing some of them.
const BATCH: usize = 64;

/// Batches queued ahead of the caller: with [`BATCH`], what bounds the memory in flight.
const BATCHES_AHEAD: usize = 4;

/// What the reading thread reports, in this order: the opened input (or why it could not
/// be opened), batches of messages, then what is complete only at the end.
enum Report {
    /// The format, the channel known at the opening, and whether it is settled.
    Opened(Result<(Format, Option<Channel>, bool)>),
    Batch(Vec<Result<Message>>),
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

/// The caller's end: messages as the reading thread sends them.
struct Background {
    reports: Receiver<Report>,
    thread: Option<JoinHandle<()>>,
    batch: std::vec::IntoIter<Result<Message>>,
    /// Whether the channel known at the opening was settled then.
    settled: bool,
    ending: Ending,
}

impl Background {
    /// The next report; a panic of the reading thread is resumed here, not hidden.
    fn receive(&mut self) -> Option<Report> {
        match self.reports.recv() {
            Ok(report) => Some(report),
            Err(_) => {
                if let Some(Err(panic)) = self.thread.take().map(JoinHandle::join) {
                    std::panic::resume_unwind(panic);
                }
                None
            }
        }
    }
}

impl Iterator for Background {
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
                Report::Opened(_) => unreachable!("the input is opened once, first"),
            }
        }
    }
}

impl MessageSource for Background {
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

/// The reading thread: opens the input, sends its messages in batches, then the rest.
fn read(open: impl FnOnce() -> Result<Reader<'static>>, reports: &SyncSender<Report>) {
    let mut reader = match open() {
        Ok(reader) => reader,
        Err(err) => {
            // The caller may be gone already; then nobody needs the answer.
            let _ = reports.send(Report::Opened(Err(err)));
            return;
        }
    };
    let opened = (
        reader.format(),
        reader.channel.take(),
        reader.channel_settled(),
    );
    if reports.send(Report::Opened(Ok(opened))).is_err() {
        return;
    }
    loop {
        let batch: Vec<_> = reader.by_ref().take(BATCH).collect();
        let last = batch.len() < BATCH;
        if !batch.is_empty() && reports.send(Report::Batch(batch)).is_err() {
            return;
        }
        if last {
            break;
        }
    }
    let _ = reports.send(Report::End(Ending {
        layout: reader.layout(),
        warnings: reader.warnings(),
        channel: reader.source.channel(),
        chats: reader.chats(),
        extra: reader.extra(),
    }));
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
        let (sender, reports) = sync_channel(BATCHES_AHEAD);
        let thread = std::thread::Builder::new()
            .name("tgexport-reader".into())
            .spawn(move || read(open, &sender))?;
        let mut background = Background {
            reports,
            thread: Some(thread),
            batch: Vec::new().into_iter(),
            settled: true,
            ending: Ending::default(),
        };
        match background.receive() {
            Some(Report::Opened(Ok((format, channel, settled)))) => {
                background.settled = settled;
                Ok(Reader::new(format, channel, Box::new(background)))
            }
            Some(Report::Opened(Err(err))) => Err(err),
            _ => unreachable!("the reading thread reports the opening first"),
        }
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
}
