//! Splitting input into numbered lines while remembering the byte order mark and each
//! line ending, from a string or incrementally from a reader.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{BufRead, Read};

use crate::error::{Error, Result};
use crate::{Newline, TextLayout};

/// One input line without its ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: u32,
    /// The text, without `\n` or `\r\n`.
    pub text: Cow<'a, str>,
}

/// Collects the layout while lines go by.
#[derive(Debug)]
struct LayoutTracker {
    layout: TextLayout,
}

impl LayoutTracker {
    fn new(bom: bool) -> Self {
        Self {
            layout: TextLayout {
                bom,
                newline: Newline::Lf,
                other_newline: Vec::new(),
                final_newline: false,
                line_count: 0,
            },
        }
    }

    /// Records line `number` and the ending it had (`None` for a last line without one).
    fn record(&mut self, number: u32, ending: Option<Newline>) {
        self.layout.line_count = number;
        match ending {
            None => self.layout.final_newline = false,
            Some(ending) => {
                self.layout.final_newline = true;
                if number == 1 {
                    self.layout.newline = ending;
                } else if ending != self.layout.newline {
                    self.layout.other_newline.push(number);
                }
            }
        }
    }
}

/// Splits `(text, ending)` off a raw line that may end in `\n` or `\r\n`.
fn strip_ending(raw: &str) -> (&str, Option<Newline>) {
    match raw.strip_suffix('\n') {
        None => (raw, None),
        Some(text) => match text.strip_suffix('\r') {
            Some(text) => (text, Some(Newline::Crlf)),
            None => (text, Some(Newline::Lf)),
        },
    }
}

/// A source of numbered lines that knows the input's layout once exhausted.
pub trait LineSource<'a>: Iterator<Item = Result<Line<'a>>> {
    /// The layout seen so far (complete once the iterator returned `None`).
    fn layout(&self) -> TextLayout;
}

/// Lines of an in-memory string, borrowed.
#[derive(Debug)]
pub struct StrLines<'a> {
    rest: &'a str,
    number: u32,
    tracker: LayoutTracker,
}

impl<'a> StrLines<'a> {
    /// Lines of `input`, after its byte order mark if it has one.
    pub fn new(input: &'a str) -> Self {
        let (rest, bom) = match input.strip_prefix('\u{FEFF}') {
            Some(rest) => (rest, true),
            None => (input, false),
        };
        Self {
            rest,
            number: 0,
            tracker: LayoutTracker::new(bom),
        }
    }
}

impl<'a> Iterator for StrLines<'a> {
    type Item = Result<Line<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', self.rest.as_bytes()).map_or(self.rest.len(), |i| i + 1);
        let (raw, rest) = self.rest.split_at(end);
        self.rest = rest;
        self.number += 1;
        let (text, ending) = strip_ending(raw);
        self.tracker.record(self.number, ending);
        Some(Ok(Line {
            number: self.number,
            text: Cow::Borrowed(text),
        }))
    }
}

impl<'a> LineSource<'a> for StrLines<'a> {
    fn layout(&self) -> TextLayout {
        self.tracker.layout.clone()
    }
}

/// How much is read from a reader at a time (a longer line is read whole all the same).
const CHUNK: u64 = 1 << 18;

/// A line split off a chunk, or the first bytes that are not UTF-8.
#[derive(Debug)]
enum Queued {
    Line(String, Option<Newline>),
    Invalid { column: u64, offset: u64 },
}

/// Lines read from a reader a chunk at a time: the complete lines of each chunk are
/// checked as UTF-8 all at once (one SIMD pass instead of a set-up per line) and queued,
/// so memory stays bounded by a chunk and the longest line.
#[derive(Debug)]
pub struct ReaderLines<R> {
    reader: R,
    /// Bytes read and not yet split into lines: an incomplete last line.
    pending: Vec<u8>,
    /// Input offset of `pending[0]`.
    offset: u64,
    queue: VecDeque<Queued>,
    number: u32,
    tracker: LayoutTracker,
    /// Whether the input starts with a byte order mark.
    bom: bool,
    /// The input ended, or a line was not UTF-8: nothing more is read.
    done: bool,
    failed: bool,
}

impl<R: BufRead> ReaderLines<R> {
    /// Lines of `reader`.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            pending: Vec::new(),
            offset: 0,
            queue: VecDeque::new(),
            number: 0,
            tracker: LayoutTracker::new(false),
            bom: false,
            done: false,
            failed: false,
        }
    }

    /// Reads until the pending bytes hold a line end or the input ends, then queues the
    /// complete lines.
    fn fill(&mut self) -> Result<()> {
        loop {
            let searched = self.pending.len();
            let read = (&mut self.reader)
                .take(CHUNK)
                .read_to_end(&mut self.pending)?;
            if read == 0 {
                self.done = true;
                break;
            }
            if memchr::memchr(b'\n', &self.pending[searched..]).is_some() {
                break;
            }
        }
        if self.offset == 0 {
            self.bom = self.pending.starts_with("\u{FEFF}".as_bytes());
        }
        let end = if self.done {
            self.pending.len()
        } else {
            memchr::memrchr(b'\n', &self.pending).map_or(0, |i| i + 1)
        };
        let region = &self.pending[..end];
        // A chunk ends after a newline, which no UTF-8 sequence holds: every check
        // starts and ends between characters.
        let (text, invalid) = match simdutf8::basic::from_utf8(region) {
            Ok(text) => (text, None),
            Err(_) => {
                let bad = simdutf8::compat::from_utf8(region)
                    .err()
                    .map_or(end, |e| e.valid_up_to());
                let good = memchr::memrchr(b'\n', &region[..bad]).map_or(0, |i| i + 1);
                let text = simdutf8::basic::from_utf8(&region[..good]).unwrap_or_default();
                (text, Some((good, bad)))
            }
        };
        queue_lines(text, &mut self.queue);
        if let Some((good, bad)) = invalid {
            self.queue.push_back(Queued::Invalid {
                column: crate::error::chars(&region[good..bad]) + 1,
                offset: self.offset + bad as u64,
            });
            self.done = true;
        }
        self.pending.drain(..end);
        self.offset += end as u64;
        Ok(())
    }

    fn read_line(&mut self) -> Result<Option<Line<'static>>> {
        if self.queue.is_empty() && !self.done {
            self.fill()?;
        }
        let Some(queued) = self.queue.pop_front() else {
            return Ok(None);
        };
        let first = self.number == 0;
        match queued {
            Queued::Invalid { column, offset } => Err(Error::InvalidUtf8 {
                line: u64::from(self.number) + 1,
                // On the first line, columns count from after a byte order mark.
                column: if first && self.bom {
                    column - 1
                } else {
                    column
                },
                offset,
            }),
            Queued::Line(mut text, ending) => {
                if first && self.bom {
                    self.tracker.layout.bom = true;
                    text.drain(..3);
                    // A byte order mark alone is an empty input, as for `StrLines`.
                    if text.is_empty() && ending.is_none() {
                        return Ok(None);
                    }
                }
                self.number += 1;
                self.tracker.record(self.number, ending);
                Ok(Some(Line {
                    number: self.number,
                    text: Cow::Owned(text),
                }))
            }
        }
    }
}

/// Queues the lines of `text`, whose last line is complete.
fn queue_lines(text: &str, queue: &mut VecDeque<Queued>) {
    let mut rest = text;
    while !rest.is_empty() {
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (raw, after) = rest.split_at(end);
        let (line, ending) = strip_ending(raw);
        queue.push_back(Queued::Line(line.to_owned(), ending));
        rest = after;
    }
}

impl<R: BufRead> Iterator for ReaderLines<R> {
    type Item = Result<Line<'static>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let line = self.read_line().transpose();
        self.failed = matches!(line, Some(Err(_)));
        line
    }
}

impl<R: BufRead> LineSource<'static> for ReaderLines<R> {
    fn layout(&self) -> TextLayout {
        self.tracker.layout.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &str) -> (Vec<String>, TextLayout) {
        let mut lines = StrLines::new(input);
        let texts = lines
            .by_ref()
            .map(|l| l.unwrap().text.into_owned())
            .collect();
        (texts, lines.layout())
    }

    #[test]
    fn bom_crlf_and_missing_final_newline() {
        let (lines, layout) = split("\u{FEFF}a\r\nb\r\nc");
        assert_eq!(lines, ["a", "b", "c"]);
        assert!(layout.bom);
        assert_eq!(layout.newline, Newline::Crlf);
        assert!(!layout.final_newline);
        assert_eq!(layout.line_count, 3);
    }

    #[test]
    fn mixed_endings_are_listed() {
        let (_, layout) = split("a\nb\r\nc\n");
        assert_eq!(
            (layout.newline, layout.other_newline),
            (Newline::Lf, vec![2])
        );
        assert!(layout.final_newline);
    }

    #[test]
    fn empty_input_has_no_lines_and_a_lone_newline_has_one() {
        assert_eq!(split("").1.line_count, 0);
        let (lines, layout) = split("\n");
        assert_eq!(
            (lines, layout.line_count, layout.final_newline),
            (vec![String::new()], 1, true)
        );
    }

    #[test]
    fn reader_matches_str_and_reports_bad_utf8_position() {
        let input = "\u{FEFF}x\r\ny\n";
        let mut reader = ReaderLines::new(input.as_bytes());
        let texts: Vec<_> = reader
            .by_ref()
            .map(|l| l.unwrap().text.into_owned())
            .collect();
        assert_eq!(texts, ["x", "y"]);
        assert_eq!(reader.layout(), split(input).1);

        let mut bad = ReaderLines::new(&b"ok\nab\xff\n"[..]);
        assert!(bad.next().unwrap().is_ok());
        let err = bad.next().unwrap().unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidUtf8 {
                    line: 2,
                    column: 3,
                    offset: 5
                }
            ),
            "{err:?}"
        );
        assert!(bad.next().is_none());
    }

    #[test]
    fn lines_longer_than_the_reader_buffer_are_whole() {
        let input = "first line\r\nsecond, longer line\nlast";
        let reader = std::io::BufReader::with_capacity(3, input.as_bytes());
        let mut lines = ReaderLines::new(reader);
        let texts: Vec<_> = lines
            .by_ref()
            .map(|l| l.unwrap().text.into_owned())
            .collect();
        assert_eq!(texts, ["first line", "second, longer line", "last"]);
        assert_eq!(lines.layout(), split(input).1);
    }

    #[test]
    fn chunks_split_inside_characters_and_lines_longer_than_a_chunk() {
        // Two-byte letters put chunk ends inside characters; one line outgrows a chunk.
        let long = "я".repeat(CHUNK as usize);
        let input = format!(
            "{}\n{long}\r\nshort\n{}",
            "ы".repeat(1000),
            "ж".repeat(99_999)
        );
        let texts: Vec<String> = ReaderLines::new(input.as_bytes())
            .map(|l| l.unwrap().text.into_owned())
            .collect();
        assert_eq!(texts, split(&input).0);
    }

    #[test]
    fn bad_bytes_far_in_are_placed_by_line_and_column() {
        let mut input = "\u{FEFF}x\n".to_owned().into_bytes();
        input.extend("line\n".repeat(100_000).into_bytes());
        input.extend(b"ab\xff\n");
        let offset = input.len() as u64 - 2;
        let mut lines = ReaderLines::new(&input[..]);
        assert_eq!(
            lines.by_ref().take(100_001).filter(|l| l.is_ok()).count(),
            100_001
        );
        let err = lines.next().unwrap().unwrap_err();
        assert!(
            matches!(err, Error::InvalidUtf8 { line: 100_002, column: 3, offset: o } if o == offset),
            "{err:?}"
        );
        // On the first line, the column counts from after the byte order mark.
        let err = ReaderLines::new(&b"\xEF\xBB\xBFab\xff"[..])
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidUtf8 {
                    line: 1,
                    column: 3,
                    offset: 5
                }
            ),
            "{err:?}"
        );
    }
}
