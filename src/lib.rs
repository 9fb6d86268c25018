//! # tgexport
//!
//! Turns Telegram channel exports into one typed message model, and into JSON.
//!
//! Researchers, journalists and archivists collect channel posts in several shapes; tgexport
//! reads each of them into the same [`Export`] of [`Message`]s:
//!
//! | input | [`Format`] | module |
//! |---|---|---|
//! | text copied from a channel page (t.me/s/NAME) in a browser | [`Format::Text`] | [`text`] |
//! | Telegram Desktop's `result.json` (one chat or a whole account) | [`Format::TdesktopJson`] | [`tdesktop_json`] |
//! | Telegram Desktop's HTML export (a folder of `messages*.html`) | [`Format::TdesktopHtml`] | [`tdesktop_html`] |
//! | a t.me/s channel page or embedded post saved as HTML | [`Format::TmeHtml`] | [`tme_html`] |
//!
//! Every reader feeds the same [`analysis`]: emoji markers that lead paragraphs, hashtags
//! and mentions in any script, links (also labels whose URL a copy lost), dates written in
//! English or Russian, and blocks of lines a copy repeated.
//!
//! ## Parse a whole input
//!
//! ```
//! let copy = "Forwarded from Russian MFA 🇷🇺\n📆 On September 7, 1945, troops paraded in Berlin.\nLearn more\n#WeWereAllies\n";
//! let export = tgexport::parse(copy)?;
//! let post = &export.messages[0];
//! assert_eq!(post.forwarded_from.as_ref().unwrap().name.as_deref(), Some("Russian MFA"));
//! assert_eq!(post.paragraphs[0].marker.as_ref().unwrap().name, "tear-off calendar");
//! assert_eq!(post.dates[0].date.unwrap().to_string(), "1945-09-07");
//! assert_eq!(post.links[0].url, None); // "Learn more": the copy lost the URL
//! assert_eq!(post.hashtags, ["#WeWereAllies"]);
//!
//! // Nothing is lost: a plain-text copy renders back byte for byte.
//! let mut back = Vec::new();
//! tgexport::text::render::render(&export, &mut back)?;
//! assert_eq!(back, copy.as_bytes());
//! # Ok::<(), tgexport::Error>(())
//! ```
//!
//! ## Stream a large input
//!
//! [`read`] detects the format and yields messages one at a time, so memory stays bounded
//! by the largest message; [`mod@write`] turns such a stream into JSON or JSON Lines.
//!
//! ```
//! let input = "Forwarded from A\nfirst\nForwarded from B\nsecond\n";
//! let mut jsonl = Vec::new();
//! tgexport::write::jsonl(&mut tgexport::read(input.as_bytes())?, &mut jsonl)?;
//! assert_eq!(jsonl.iter().filter(|&&b| b == b'\n').count(), 2);
//! # Ok::<(), tgexport::Error>(())
//! ```
//!
//! ## Files, folders, summaries
//!
//! [`parse_path`] and [`read_path`] take a file, or a Telegram Desktop HTML export as its
//! folder or any page of it. [`stats::Stats`] summarises messages (dates, forwards,
//! hashtags, media…), and [`analysis::plain_text`] gives a post's words with keycaps folded.
//!
//! ## What a user needs
//!
//! - reading: [`parse`], [`parse_bytes`], [`parse_path`] (whole exports), [`read`],
//!   [`read_as`], [`read_path`] and [`Reader`] (streams);
//! - the model: [`Export`], [`Message`] and the types of their fields; times are
//!   [`Timestamp`]s, ordered by instant, with [`chrono`] re-exported for their parts;
//! - errors: [`Error`], with [`Error::position`] for the place in the input;
//! - output: [`mod@write`] (JSON, JSON Lines, CSV, text, and Parquet with its feature),
//!   [`text::render`] (byte-exact plain text), with the `arrow` feature Arrow record
//!   batches, and with the `schema` feature the JSON Schema;
//! - the format modules for one format's specifics, and [`analysis`] for the text
//!   analysis every format shares.
//!
//! Cargo features: `cli` (default) builds the `tgexport` binary and enables `schema` and
//! `parquet`; `schema` adds `tgexport::schema()` and `JsonSchema` on the model types;
//! `arrow` adds [`arrow`] (messages as Arrow record batches, one row per message) and
//! `parquet` adds `write::ParquetTable` on top of it. A library user sets
//! `default-features = false` and compiles none of them.
//!
//! ## JSON
//!
//! Every model type is `serde`-ready; field names are snake_case. The README lists the
//! fields and [`schema`] gives the JSON Schema; tgexport's own JSON and JSON Lines can be
//! read back with [`parse`] or [`read`], which refuse other JSON ([`Error::NotAnExport`]).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod analysis;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod detect;
mod error;
mod html;
mod model;
mod read;
mod source;
pub mod stats;
pub mod tdesktop_html;
pub mod tdesktop_json;
pub mod text;
pub mod tme_html;
pub mod write;

use std::path::Path;

/// The `chrono` that tgexport's signatures use (`Timestamp`, `Reader::assume_offset`), so
/// that a user needs no dependency of their own of a matching version.
pub use chrono;
pub use error::{Error, Position, Result};
pub use model::*;
pub use read::{read, read_as};
pub use source::Reader;
/// The Arrow crates that [`arrow`]'s signatures use (`RecordBatch`, `SchemaRef`), so that
/// a user needs no dependency of their own of a matching version.
#[cfg(feature = "arrow")]
pub use {arrow_array, arrow_schema};

/// The README's examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Parses a whole input held in memory, detecting its format.
///
/// ```
/// let export = tgexport::parse("").unwrap();
/// assert!(export.messages.is_empty());
/// ```
pub fn parse(input: &str) -> Result<Export> {
    match detect::detect(input.as_bytes()) {
        detect::Detected::Export(Format::Text) => text::parse(input),
        _ => read(input.as_bytes())?.into_export(),
    }
}

/// Parses raw bytes, detecting the format; bytes that are not UTF-8 are an error naming
/// the line and byte offset, except in a Telegram Desktop `result.json`, which is checked
/// message by message so that the bytes tdesktop itself writes wrong can be repaired.
///
/// ```
/// let err = tgexport::parse_bytes(b"ok\n\xff").unwrap_err();
/// assert!(err.to_string().contains("line 2"));
/// ```
pub fn parse_bytes(input: &[u8]) -> Result<Export> {
    match detect::detect(input) {
        detect::Detected::Export(Format::TdesktopJson) => read(input)?.into_export(),
        _ => parse(error::utf8(input)?),
    }
}

/// The JSON Schema of tgexport's JSON output (an [`Export`]); needs the `schema` feature
/// (on by default).
///
/// ```
/// let schema = tgexport::schema();
/// assert_eq!(schema["title"], "Export");
/// ```
#[cfg(feature = "schema")]
pub fn schema() -> serde_json::Value {
    schemars::schema_for!(Export).to_value()
}

/// The JSON Schema of one line of JSON Lines output (a [`Message`]); needs the `schema`
/// feature (on by default).
#[cfg(feature = "schema")]
pub fn message_schema() -> serde_json::Value {
    schemars::schema_for!(Message).to_value()
}

/// Reads and parses the input at `path`, detecting its format: a file, or a Telegram
/// Desktop HTML export given as its folder or any of its pages (all pages are read).
///
/// ```no_run
/// let export = tgexport::parse_path("ChatExport_2024-03-03")?;
/// println!("{} messages", export.messages.len());
/// # Ok::<(), tgexport::Error>(())
/// ```
pub fn parse_path(path: impl AsRef<Path>) -> Result<Export> {
    let path = path.as_ref();
    if let Some(folder) = tdesktop_html::export_folder(path)? {
        return tdesktop_html::open(&folder)?.into_export();
    }
    let bytes = std::fs::read(path).map_err(|e| Error::from(e).with_path(path))?;
    parse_bytes(&bytes).map_err(|e| e.with_path(path))
}

/// Opens the input at `path` as a stream of messages, in `format` or detecting it. A
/// Telegram Desktop HTML export, given as its folder or any of its pages, is read page
/// by page; any other input is one file.
pub fn read_path(path: impl AsRef<Path>, format: Option<Format>) -> Result<Reader<'static>> {
    let path = path.as_ref();
    if matches!(format, None | Some(Format::TdesktopHtml))
        && let Some(folder) = tdesktop_html::export_folder(path)?
    {
        return tdesktop_html::open(&folder);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::from(e).with_path(path))?;
    let input = std::io::BufReader::with_capacity(1 << 16, file);
    match format {
        Some(format) => read_as(input, format),
        None => read(input),
    }
    .map_err(|e| e.with_path(path))
}
