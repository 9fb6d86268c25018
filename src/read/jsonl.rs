//! tgexport's own JSON Lines, read back one message per line.

use std::io::BufRead;

use crate::error::Result;
use crate::source::{MessageSource, Reader};
use crate::{Format, Message};

/// The format name errors carry.
const FORMAT: &str = "tgexport_jsonl";

/// tgexport's JSON Lines read back, as a [`Reader`].
pub(super) fn open<'a, R: BufRead + Send + 'a>(input: R) -> Reader<'a> {
    Reader::new(Format::TgexportJsonl, None, Box::new(Lines::new(input)))
}

/// The messages of JSON Lines, read as they are needed. A line that is not a message is
/// an error naming it; blank lines are skipped.
pub(super) struct Lines<R> {
    input: R,
    line: Vec<u8>,
    number: u64,
    offset: u64,
}

impl<R: BufRead> Lines<R> {
    fn new(input: R) -> Self {
        Self {
            input,
            line: Vec::new(),
            number: 0,
            offset: 0,
        }
    }

    fn parse(&self) -> Result<Message> {
        serde_json::from_slice(&self.line)
            .map_err(|err| super::json_error(FORMAT, &self.line, (self.number, self.offset), &err))
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.offset += self.line.len() as u64;
            self.line.clear();
            match self.input.read_until(b'\n', &mut self.line) {
                Ok(0) => return None,
                Ok(_) => self.number += 1,
                Err(err) => return Some(Err(err.into())),
            }
            if !self.line.trim_ascii().is_empty() {
                return Some(self.parse());
            }
        }
    }
}

impl<R: BufRead> MessageSource for Lines<R> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_skipped_and_a_bad_line_is_named() {
        let message = serde_json::to_string(&Message::new(4)).unwrap();
        let input = format!("{message}\n\n  \n{message}\n{{\"index\": true}}\n");
        let read: Vec<Result<Message>> = Lines::new(input.as_bytes()).collect();
        assert_eq!(read.len(), 3);
        assert_eq!(read[1].as_ref().unwrap().index, 4);
        let err = read[2].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with("tgexport_jsonl input, line 5, column 14"),
            "{err}"
        );
        assert!(
            !err.ends_with("column 14"),
            "the position is said once: {err}"
        );
    }
}
