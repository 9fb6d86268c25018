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
}

/// How many leading bytes [`detect`] looks at.
pub const SNIFF_LEN: usize = 64 * 1024;

/// Guesses the format of an input from its first bytes (up to [`SNIFF_LEN`]): JSON objects
/// are Telegram Desktop exports unless they open with tgexport's `schema_version`; HTML is a
/// Telegram Desktop export when it has its `page_wrap`, a t.me/s page when it uses
/// `tgme_` classes, else taken for a Telegram Desktop export; anything else is a
/// plain-text copy.
///
/// ```
/// use tgexport::{Format, detect::{detect, Detected}};
/// assert_eq!(detect(b"{\n \"name\": \"MFA\",\n \"type\": \"public_channel\""), Detected::Export(Format::TdesktopJson));
/// assert_eq!(detect("Forwarded from MFA".as_bytes()), Detected::Export(Format::Text));
/// ```
pub fn detect(prefix: &[u8]) -> Detected {
    let prefix = &prefix[..prefix.len().min(SNIFF_LEN)];
    let body = prefix.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(prefix);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&body[..0], |i| &body[i..]);
    let contains = |needle: &str| memchr::memmem::find(start, needle.as_bytes()).is_some();
    match start.first() {
        // tgexport writes `schema_version` first; an export's text may quote the word.
        Some(b'{')
            if start[1..]
                .trim_ascii_start()
                .starts_with(b"\"schema_version\"") =>
        {
            Detected::TgexportJson
        }
        Some(b'{') => Detected::Export(Format::TdesktopJson),
        // Checked first: a desktop export quoting t.me markup in a message has `tgme_` too.
        Some(b'<') if contains("class=\"page_wrap\"") => Detected::Export(Format::TdesktopHtml),
        Some(b'<') if contains("tgme_") => Detected::Export(Format::TmeHtml),
        Some(b'<') => Detected::Export(Format::TdesktopHtml),
        _ => Detected::Export(Format::Text),
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
}
