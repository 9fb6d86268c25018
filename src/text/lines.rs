//! Splitting input into numbered lines while remembering the byte order mark and each
//! line ending, from a string or incrementally from a reader.

use std::borrow::Cow;
use std::io::BufRead;

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

/// Lines read one at a time from a reader, so memory stays bounded by the longest line.
#[derive(Debug)]
pub struct ReaderLines<R> {
    reader: R,
    number: u32,
    offset: u64,
    buffer: Vec<u8>,
    tracker: LayoutTracker,
    started: bool,
    failed: bool,
}

impl<R: BufRead> ReaderLines<R> {
    /// Lines of `reader`.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            number: 0,
            offset: 0,
            buffer: Vec::new(),
            tracker: LayoutTracker::new(false),
            started: false,
            failed: false,
        }
    }

    fn read_line(&mut self) -> Result<Option<Line<'static>>> {
        self.buffer.clear();
        let read = read_line_into(&mut self.reader, &mut self.buffer)?;
        if read == 0 {
            return Ok(None);
        }
        let mut raw = &self.buffer[..];
        let mut line_offset = self.offset;
        if !self.started {
            self.started = true;
            if let Some(rest) = raw.strip_prefix("\u{FEFF}".as_bytes()) {
                self.tracker.layout.bom = true;
                raw = rest;
                line_offset += 3;
                // A byte order mark alone is an empty input, as for `StrLines`.
                if raw.is_empty() {
                    return Ok(None);
                }
            }
        }
        self.offset += read as u64;
        self.number += 1;
        let raw = crate::error::checked_utf8(raw).map_err(|e| Error::InvalidUtf8 {
            line: u64::from(self.number),
            column: e.valid_up_to() as u64 + 1,
            offset: line_offset + e.valid_up_to() as u64,
        })?;
        let (text, ending) = strip_ending(raw);
        self.tracker.record(self.number, ending);
        Ok(Some(Line {
            number: self.number,
            text: Cow::Owned(text.to_owned()),
        }))
    }
}

/// `BufRead::read_until(b'\n')`, with the SIMD search of `memchr`: the standard one
/// searches a word at a time, which showed in profiles of long paragraphs.
fn read_line_into(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<usize> {
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (taken, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), available.is_empty()),
        };
        line.extend_from_slice(&available[..taken]);
        reader.consume(taken);
        if done {
            return Ok(line.len());
        }
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
}
