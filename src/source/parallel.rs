//! Decoding a source's messages on a pool of threads, in input order.
//!
//! A source that can ([`Split`], with its format's [`Decode`]) takes each message's input in order (cheap: finding
//! where it ends), hands batches of them to the pool to decode (the cost: parsing,
//! converting, analysing), and settles the decoded messages back in order (what crosses
//! message boundaries: counters, warnings). Decoding is the only part that runs on the
//! pool, so the messages and the state after them are those of reading in order.
//! Memory stays bounded: at most [`BATCHES_AHEAD`] batches per thread are in flight.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::error::{Error, Result};

/// Messages a batch holds: one hand-off per message would cost more than some decoding.
const BATCH: usize = 32;

/// Batches in flight per thread of the pool: enough to keep it busy while the caller
/// settles and writes, few enough to bound memory.
const BATCHES_AHEAD: usize = 4;

/// How a format decodes one message's input, on any thread.
pub(crate) trait Decode: 'static {
    /// A message's input, taken in order.
    type Unit: Send;
    /// A message decoded from its unit, not yet settled.
    type Decoded: Send;

    /// Decodes a unit; depends on nothing else.
    fn decode(unit: Self::Unit) -> Self::Decoded;
}

/// A source whose units can be decoded anywhere once they are taken in order.
pub(crate) trait Split<D: Decode> {
    /// What a settled unit gives: a message, or a message's output.
    type Out;

    /// The next unit; `None` at the end. After an error, `None`.
    fn take(&mut self) -> Option<Result<D::Unit>>;

    /// Whether to settle every unit in flight before taking the next: the next is past a
    /// point the source could not go back to. Never while nothing is in flight.
    fn pause(&mut self) -> Result<bool> {
        Ok(false)
    }

    /// Settles a decoded unit, in input order. `None` voids it and every unit taken after
    /// it: the source went back to where it started and takes them again (a guess at where
    /// it ended was wrong).
    fn settle(&mut self, decoded: D::Decoded) -> Option<Self::Out>;
}

/// The threads a pool may use: those the machine offers, or none when it offers one
/// (then hand-offs would only cost).
pub(crate) fn threads() -> Option<usize> {
    std::thread::available_parallelism()
        .ok()
        .map(std::num::NonZeroUsize::get)
        .filter(|&threads| threads > 1)
}

type Job<D> = (u64, Vec<<D as Decode>::Unit>);
type Done<D> = (u64, std::thread::Result<Vec<<D as Decode>::Decoded>>);

/// A batch in input order: being decoded, decoded, or the error that ended the input.
enum Slot<D> {
    Decoding,
    Decoded(std::vec::IntoIter<D>),
    Failed(Error),
}

/// The pool decoding a [`Split`] source's messages, and the batches in flight.
pub(crate) struct Parallel<D: Decode> {
    /// Open until the pool is dropped: a voided batch may be taken again after the end.
    jobs: Option<SyncSender<Job<D>>>,
    done: Receiver<Done<D>>,
    threads: Vec<JoinHandle<()>>,
    /// Batches in input order, the first being the one read from; `first` is its number.
    slots: VecDeque<Slot<D::Decoded>>,
    first: u64,
    /// Whether the source has no more units.
    exhausted: bool,
    /// Batches numbered below this were voided: the pool's answers for them are dropped,
    /// a panic too (the units it was decoding are decoded again, or were given up).
    void_before: u64,
}

impl<D: Decode> Parallel<D> {
    /// A pool of `threads` threads.
    pub(crate) fn new(threads: usize) -> std::io::Result<Self> {
        let (jobs, queued) = sync_channel::<Job<D>>(threads * BATCHES_AHEAD);
        let (sender, done) = channel();
        let queued = Arc::new(Mutex::new(queued));
        let threads = (0..threads)
            .map(|_| {
                let (queued, sender) = (Arc::clone(&queued), sender.clone());
                std::thread::Builder::new()
                    .name("tgexport-decode".into())
                    .spawn(move || work::<D>(&queued, &sender))
            })
            .collect::<std::io::Result<_>>()?;
        Ok(Self {
            jobs: Some(jobs),
            done,
            threads,
            slots: VecDeque::new(),
            first: 0,
            exhausted: false,
            void_before: 0,
        })
    }

    /// The next unit of `source`, decoded on the pool and settled; a panic there is
    /// resumed here.
    pub(crate) fn next<S: Split<D>>(&mut self, source: &mut S) -> Option<Result<S::Out>> {
        loop {
            self.fill(source);
            match self.slots.front_mut()? {
                Slot::Decoded(batch) => match batch.next() {
                    Some(decoded) => match source.settle(decoded) {
                        Some(out) => return Some(Ok(out)),
                        None => self.discard(),
                    },
                    None => self.pop(),
                },
                Slot::Failed(_) => {
                    let Some(Slot::Failed(err)) = self.slots.pop_front() else {
                        unreachable!("matched above")
                    };
                    self.first += 1;
                    return Some(Err(err));
                }
                Slot::Decoding => self.receive(),
            }
        }
    }

    fn pop(&mut self) {
        self.slots.pop_front();
        self.first += 1;
    }

    /// Drops every batch in flight, those still on the pool included; units are taken
    /// from where the source is (taken again, when [`Split::settle`] voided them).
    pub(crate) fn discard(&mut self) {
        self.first += self.slots.len() as u64;
        self.void_before = self.first;
        self.slots.clear();
        self.exhausted = false;
    }

    /// Takes units from `source` while the pool has room for more batches.
    fn fill(&mut self, source: &mut impl Split<D>) {
        let room = self.threads.len() * BATCHES_AHEAD;
        while !self.exhausted && self.slots.len() < room {
            let mut batch = Vec::with_capacity(BATCH);
            let mut failed = None;
            let mut paused = false;
            while batch.len() < BATCH {
                match source.pause() {
                    Ok(false) => {}
                    Ok(true) => {
                        paused = true;
                        break;
                    }
                    Err(err) => {
                        failed = Some(err);
                        break;
                    }
                }
                match source.take() {
                    Some(Ok(unit)) => batch.push(unit),
                    Some(Err(err)) => {
                        failed = Some(err);
                        break;
                    }
                    None => break,
                }
            }
            self.exhausted = batch.len() < BATCH && !paused;
            if !batch.is_empty() {
                let number = self.first + self.slots.len() as u64;
                let jobs = self.jobs.as_ref().expect("jobs are sent until the end");
                // The pool ends only when this end drops; a job can always be queued.
                jobs.send((number, batch)).expect("the pool is running");
                self.slots.push_back(Slot::Decoding);
            }
            if let Some(err) = failed {
                self.slots.push_back(Slot::Failed(err));
            }
            if paused {
                break;
            }
        }
    }

    /// Waits for one batch from the pool and puts it in its place.
    fn receive(&mut self) {
        let (number, decoded) = self.done.recv().expect("the pool answers every job");
        if number < self.void_before {
            return;
        }
        let decoded = match decoded {
            Ok(decoded) => decoded,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let at = usize::try_from(number - self.first).expect("in flight");
        self.slots[at] = Slot::Decoded(decoded.into_iter());
    }
}

impl<D: Decode> std::fmt::Debug for Parallel<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parallel")
            .field("threads", &self.threads.len())
            .field("in_flight", &self.slots.len())
            .finish_non_exhaustive()
    }
}

impl<D: Decode> Drop for Parallel<D> {
    fn drop(&mut self) {
        self.jobs = None;
        for thread in self.threads.drain(..) {
            // A panic was resumed on the caller's thread already, or nobody asked.
            let _ = thread.join();
        }
    }
}

/// A thread of the pool: decodes batches until the jobs end.
fn work<D: Decode>(queued: &Mutex<Receiver<Job<D>>>, done: &Sender<Done<D>>) {
    loop {
        let job = queued
            .lock()
            .map_err(drop)
            .and_then(|jobs| jobs.recv().map_err(drop));
        let Ok((number, units)) = job else { return };
        let decoded = catch_unwind(AssertUnwindSafe(|| {
            units.into_iter().map(D::decode).collect::<Vec<_>>()
        }));
        if done.send((number, decoded)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    /// Units are numbers; decoding one panics at 13 when asked to, and makes a message
    /// of it; a unit past `fail_at` is an error.
    struct Numbers {
        next: i64,
        end: i64,
        fail_at: Option<i64>,
        settled: Vec<i64>,
        /// A unit whose first settling voids it, and the units still to settle before
        /// every unit past `pause_after` is taken.
        void_at: Option<i64>,
        pause_after: Option<i64>,
        unsettled: usize,
    }

    struct Square;

    impl Decode for Square {
        type Unit = (i64, bool);
        type Decoded = i64;

        fn decode((number, panic): (i64, bool)) -> i64 {
            assert!(!(panic && number == 13), "decoding 13");
            // Uneven work, so that batches finish out of order.
            std::thread::sleep(std::time::Duration::from_micros((number % 7) as u64 * 50));
            number * number
        }
    }

    impl Split<Square> for Numbers {
        type Out = Message;

        fn take(&mut self) -> Option<Result<(i64, bool)>> {
            if self.next == self.end {
                return None;
            }
            if Some(self.next) == self.fail_at {
                self.end = self.next;
                return Some(Err(Error::NotAnExport {
                    found: "a number too many".into(),
                }));
            }
            self.next += 1;
            self.unsettled += 1;
            Some(Ok((self.next - 1, self.fail_at == Some(-1))))
        }

        fn pause(&mut self) -> Result<bool> {
            let past = self.pause_after.is_some_and(|after| self.next > after);
            Ok(past && self.unsettled > 0)
        }

        fn settle(&mut self, decoded: i64) -> Option<Message> {
            let number = self.settled.len() as i64;
            if self.void_at.take_if(|&mut at| at == number).is_some() {
                self.next = number;
                self.unsettled = 0;
                return None;
            }
            self.unsettled -= 1;
            self.settled.push(decoded);
            let mut message = Message::new(self.settled.len() - 1);
            message.id = Some(decoded);
            Some(message)
        }
    }

    fn numbers(end: i64, fail_at: Option<i64>) -> Numbers {
        Numbers {
            next: 0,
            end,
            fail_at,
            settled: Vec::new(),
            void_at: None,
            pause_after: None,
            unsettled: 0,
        }
    }

    fn run(source: &mut Numbers, threads: usize) -> Vec<Result<i64>> {
        let mut pool = Parallel::<Square>::new(threads).unwrap();
        std::iter::from_fn(|| pool.next(source))
            .map(|m| m.map(|m| m.id.unwrap()))
            .collect()
    }

    #[test]
    fn messages_come_in_input_order_and_are_settled_in_order() {
        for threads in [1, 2, 5] {
            let mut source = numbers(1000, None);
            let read = run(&mut source, threads);
            let squares: Vec<i64> = (0..1000).map(|n| n * n).collect();
            assert_eq!(
                read.into_iter().collect::<Result<Vec<_>>>().unwrap(),
                squares
            );
            assert_eq!(source.settled, squares);
        }
    }

    #[test]
    fn a_voided_unit_and_those_after_it_are_taken_again() {
        let squares: Vec<i64> = (0..1000).map(|n| n * n).collect();
        for void_at in [0, 31, 32, 500, 999] {
            let mut source = Numbers {
                void_at: Some(void_at),
                ..numbers(1000, None)
            };
            let read = run(&mut source, 2);
            assert_eq!(
                read.into_iter().collect::<Result<Vec<_>>>().unwrap(),
                squares
            );
            assert_eq!(source.settled, squares, "voided at {void_at}");
        }
    }

    #[test]
    fn a_pause_settles_what_is_in_flight_first_then_goes_on() {
        let mut source = Numbers {
            pause_after: Some(10),
            ..numbers(100, None)
        };
        let mut pool = Parallel::<Square>::new(2).unwrap();
        let mut ids = Vec::new();
        while let Some(message) = pool.next(&mut source) {
            // Past the pause, a unit is taken only once every unit before it settled.
            if source.next > 11 {
                assert!(source.unsettled <= 1, "{} in flight", source.unsettled);
            }
            ids.push(message.unwrap().id.unwrap());
        }
        assert_eq!(ids, (0..100).map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_comes_after_the_messages_before_it_and_ends_them() {
        let read = run(&mut numbers(1000, Some(100)), 3);
        assert_eq!(read.len(), 101);
        assert!(read[..100].iter().all(Result::is_ok));
        assert!(matches!(read[100], Err(Error::NotAnExport { .. })));
    }

    #[test]
    #[should_panic(expected = "decoding 13")]
    fn a_panic_on_the_pool_reaches_the_caller() {
        run(&mut numbers(1000, Some(-1)), 2);
    }

    #[test]
    fn a_pool_dropped_early_stops() {
        let mut source = numbers(100_000, None);
        let mut pool = Parallel::<Square>::new(2).unwrap();
        assert_eq!(pool.next(&mut source).unwrap().unwrap().id, Some(0));
        drop(pool);
        assert!(source.next < 1000, "took {} ahead", source.next);
    }
}
