//! The checks behind the fuzz targets, one function per target.
//!
//! `tests/fuzz_regressions.rs` includes this file as a module, so `cargo test` replays
//! every input the fuzzer found through exactly the check that found it.

use std::io::{self, BufRead, Read};

use tgexport::{Format, Reader};

/// Any UTF-8 parses as a plain-text copy and renders back byte for byte; any bytes read
/// as one give messages or an error.
pub fn text(data: &[u8]) {
    if let Ok(input) = std::str::from_utf8(data) {
        let export = tgexport::text::parse(input).expect("UTF-8 in memory always parses");
        let back = tgexport::text::render::render(&export, Vec::new())
            .expect("a parsed copy always renders");
        assert!(back == data, "rendering changed the input");
    }
    read_both_ways(data, Format::Text);
}

/// Any bytes read as a `result.json` give messages or errors.
pub fn tdesktop_json(data: &[u8]) {
    read_both_ways(data, Format::TdesktopJson);
}

/// [`tdesktop_json`] on `data` as the one message of a pretty-printed export, so the
/// fuzzer spends its time inside message objects (and the repairs of broken strings)
/// rather than on the layout around them.
pub fn tdesktop_json_message(data: &[u8]) {
    let mut json = b"{\n \"messages\": [\n  ".to_vec();
    json.extend_from_slice(data);
    json.extend_from_slice(b"\n ]\n}");
    tdesktop_json(&json);
}

/// Any bytes read as a Telegram Desktop HTML page give messages or an error.
pub fn tdesktop_html(data: &[u8]) {
    read_both_ways(data, Format::TdesktopHtml);
}

/// Any bytes read as a saved t.me page give messages or an error.
pub fn tme_html(data: &[u8]) {
    read_both_ways(data, Format::TmeHtml);
}

/// Reads `data` as `format` from one buffer and again a few bytes at a time: the
/// streaming readers must not let where reads happen to end change what they find.
fn read_both_ways(data: &[u8], format: Format) {
    let whole = outcome(tgexport::read_as(data, format));
    let trickled = outcome(tgexport::read_as(Trickle(data), format));
    assert!(
        whole == trickled,
        "reading in small pieces changed the outcome\nwhole:\n{whole}\nin pieces:\n{trickled}"
    );
}

/// Everything a reader gives, as text: `Debug` tells apart what matters and, unlike
/// `PartialEq`, finds a NaN coordinate equal to itself.
fn outcome(reader: tgexport::Result<Reader<'_>>) -> String {
    let mut reader = match reader {
        Ok(reader) => reader,
        Err(err) => return format!("error: {err}"),
    };
    let mut out = format!("channel: {:?}\n", reader.channel());
    for message in reader.by_ref() {
        out += &match message {
            Ok(message) => format!("{message:?}\n"),
            Err(err) => format!("error: {err}\n"),
        };
    }
    let (layout, warnings) = (reader.layout(), reader.warnings());
    out + &format!("layout: {layout:?}\nwarnings: {warnings:?}")
}

/// A reader handing out at most a few bytes per call, to cross every refill path.
struct Trickle<'a>(&'a [u8]);

impl Trickle<'_> {
    const PIECE: usize = 7;
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let piece = self.fill_buf()?;
        let len = piece.len().min(out.len());
        out[..len].copy_from_slice(&piece[..len]);
        self.consume(len);
        Ok(len)
    }
}

impl BufRead for Trickle<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(&self.0[..self.0.len().min(Self::PIECE)])
    }

    fn consume(&mut self, amount: usize) {
        self.0 = &self.0[amount..];
    }
}
