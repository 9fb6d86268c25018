//! Telling input formats apart from their first bytes.

use crate::Format;

/// What an input is, as far as its beginning tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detected {
    /// One of the Telegram export formats.
    Export(Format),
    /// tgexport's own JSON output, which can be read back (and rendered as text).
    TgexportJson,
    /// tgexport's own JSON output for several inputs: an array of exports.
    TgexportJsonArray,
    /// tgexport's own JSON Lines output: one message per line.
    TgexportJsonl,
    /// JSON that is none of the above (an array, a number…): not an export.
    OtherJson,
}

/// How many leading bytes [`detect`] looks at.
pub const SNIFF_LEN: usize = 64 * 1024;

/// Guesses the format of an input from its first bytes (up to [`SNIFF_LEN`]): JSON objects
/// are Telegram Desktop exports unless they open with tgexport's `schema_version` (its
/// JSON) or `index` (its JSON Lines); a JSON array is tgexport's JSON of several inputs
/// when it holds objects that open with `schema_version`, else JSON that is not an
/// export; HTML is a Telegram Desktop export when it has its `page_wrap`, a t.me/s page
/// when it uses `tgme_` classes, else taken for a Telegram Desktop export; anything else
/// is a plain-text copy.
///
/// ```
/// use tgexport::{Format, detect::{detect, Detected}};
/// assert_eq!(detect(b"{\n \"name\": \"MFA\",\n \"type\": \"public_channel\""), Detected::Export(Format::TdesktopJson));
/// assert_eq!(detect("Forwarded from MFA".as_bytes()), Detected::Export(Format::Text));
/// assert_eq!(detect(b"[1, 2, 3]"), Detected::OtherJson);
/// assert_eq!(detect(b"[Photo] at the quay"), Detected::Export(Format::Text));
/// ```
pub fn detect(prefix: &[u8]) -> Detected {
    let prefix = &prefix[..prefix.len().min(SNIFF_LEN)];
    let body = prefix.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(prefix);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&body[..0], |i| &body[i..]);
    let contains = |needle: &str| memchr::memmem::find(start, needle.as_bytes()).is_some();
    // tgexport writes `schema_version` first in an export and `index` first in a message;
    // an export's text may quote the words, so only the first key counts.
    let first_key = |json: &[u8], key: &str| {
        json.strip_prefix(b"{")
            .is_some_and(|rest| rest.trim_ascii_start().starts_with(key.as_bytes()))
    };
    match start.first() {
        Some(b'{') if first_key(start, "\"schema_version\"") => Detected::TgexportJson,
        Some(b'{') if first_key(start, "\"index\"") => Detected::TgexportJsonl,
        Some(b'{') => Detected::Export(Format::TdesktopJson),
        Some(b'[') if first_key(start[1..].trim_ascii_start(), "\"schema_version\"") => {
            Detected::TgexportJsonArray
        }
        // A copy may start with `[Photo]`, which is not JSON; `[]` and `[1, 2]` are.
        Some(b'[') if is_json_prefix(start) => Detected::OtherJson,
        // Checked first: a desktop export quoting t.me markup in a message has `tgme_` too.
        Some(b'<') if contains("class=\"page_wrap\"") => Detected::Export(Format::TdesktopHtml),
        Some(b'<') if contains("tgme_") => Detected::Export(Format::TmeHtml),
        Some(b'<') => Detected::Export(Format::TdesktopHtml),
        _ => Detected::Export(Format::Text),
    }
}

/// Whether `prefix` is JSON as far as it goes: one whole value, or the start of one.
fn is_json_prefix(prefix: &[u8]) -> bool {
    match serde_json::from_slice::<serde::de::IgnoredAny>(prefix) {
        Ok(_) => true,
        Err(err) => err.is_eof(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_first_bytes() {
        assert_eq!(
            detect(b"\xEF\xBB\xBF  {\"schema_version\": 1"),
            Detected::TgexportJson
        );
        assert_eq!(
            detect(b"{\"name\": \"x\", \"messages\": [{\"text\": \"\\\"schema_version\\\"\"}]}"),
            Detected::Export(Format::TdesktopJson)
        );
        assert_eq!(
            detect(b"{\n  \"schema_version\": 1"),
            Detected::TgexportJson
        );
        assert_eq!(
            detect(b"<!DOCTYPE html><div class=\"tgme_widget_message\">"),
            Detected::Export(Format::TmeHtml)
        );
        assert_eq!(
            detect(b"<!DOCTYPE html>\n<div class=\"page_wrap\">"),
            Detected::Export(Format::TdesktopHtml)
        );
        assert_eq!(
            detect(b"<html><div class=\"page_wrap\"><div class=\"text\">see tgme_widget_message"),
            Detected::Export(Format::TdesktopHtml)
        );
        assert_eq!(detect(b""), Detected::Export(Format::Text));
    }

    #[test]
    fn tgexport_output_and_other_json() {
        assert_eq!(
            detect(b"{\"index\":0,\"id\":1,\"text\":\"\"}\n"),
            Detected::TgexportJsonl
        );
        assert_eq!(
            detect(b"[\n  {\n    \"schema_version\": 1,"),
            Detected::TgexportJsonArray
        );
        assert_eq!(detect(b"[]\n"), Detected::OtherJson);
        assert_eq!(detect(b"[1, 2, 3]"), Detected::OtherJson);
        assert_eq!(detect(b"[{\"a\": [1, 2"), Detected::OtherJson);
        // Text that only starts like JSON.
        assert_eq!(detect(b"[1] a footnote"), Detected::Export(Format::Text));
        assert_eq!(
            detect(b"[Photo]\nLearn more"),
            Detected::Export(Format::Text)
        );
    }
}
