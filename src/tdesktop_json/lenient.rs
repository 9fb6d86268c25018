//! Repairing what Telegram Desktop writes into strings that JSON does not allow.
//!
//! Its own string escaper writes control characters as `\xNN` (JSON only knows
//! `\u00NN`), and escapes U+2028/U+2029 as `\u2028`/`\u2029` but then copies the last two
//! of their three UTF-8 bytes after the escape, which leaves stray bytes that are not
//! UTF-8. Other tools sometimes leave control characters unescaped. Each message is first
//! parsed as it is; only one that fails is repaired here and parsed again, so well-formed
//! exports never pay for this.

use crate::Warning;

/// How many of each repair one piece of input needed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Repairs {
    /// `\xNN` escapes rewritten as `\u00NN`.
    pub(crate) hex_escapes: u64,
    /// Stray bytes after `\u2028`/`\u2029` dropped (counted per escape).
    pub(crate) separator_tails: u64,
    /// Control characters written raw inside strings, escaped.
    pub(crate) raw_controls: u64,
}

impl Repairs {
    /// Whether anything was repaired.
    pub(crate) fn any(&self) -> bool {
        *self != Self::default()
    }

    /// Adds `other`'s counts to these.
    pub(crate) fn add(&mut self, other: Repairs) {
        self.hex_escapes += other.hex_escapes;
        self.separator_tails += other.separator_tails;
        self.raw_controls += other.raw_controls;
    }
}

/// Parses `bytes` as `T`; when that fails and repairing tdesktop's quirks changes
/// something, parses the repaired copy (kept in `storage`) instead. On failure, gives the
/// error with the bytes it refers to.
pub(crate) fn parse<'b, T: serde::Deserialize<'b>>(
    bytes: &'b [u8],
    storage: &'b mut Option<Vec<u8>>,
) -> Result<(T, Repairs), (serde_json::Error, &'b [u8])> {
    if let Ok(value) = from_utf8_slice(bytes) {
        return Ok((value, Repairs::default()));
    }
    let Some((fixed, repairs)) = repair(bytes) else {
        return Err((error::<T>(bytes), bytes));
    };
    let fixed: &'b [u8] = storage.insert(fixed);
    match from_utf8_slice(fixed) {
        Ok(value) => Ok((value, repairs)),
        Err(()) => Err((error::<T>(fixed), fixed)),
    }
}

/// Parses `bytes` as they are, without repairs; `None` when they are not valid.
pub(crate) fn parse_as_is<'b, T: serde::Deserialize<'b>>(bytes: &'b [u8]) -> Option<T> {
    from_utf8_slice(bytes).ok()
}

/// Parses `bytes`, checking that they are UTF-8 all at once with SIMD: several times
/// faster than `serde_json::from_slice`, which checks every string on its own.
fn from_utf8_slice<'b, T: serde::Deserialize<'b>>(bytes: &'b [u8]) -> Result<T, ()> {
    let text = simdutf8::basic::from_utf8(bytes).map_err(drop)?;
    serde_json::from_str(text).map_err(drop)
}

/// The error `serde_json` gives, with its position, for `bytes` that failed to parse.
fn error<'b, T: serde::Deserialize<'b>>(bytes: &'b [u8]) -> serde_json::Error {
    match serde_json::from_slice::<T>(bytes) {
        Err(err) => err,
        // Invalid UTF-8 that `from_slice` tolerates: none is known, but be safe.
        Ok(_) => serde::de::Error::custom("invalid UTF-8"),
    }
}

/// Repairs over a whole input, reported as one warning.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    repairs: Repairs,
    values: u64,
    first_offset: Option<u64>,
}

impl Tally {
    /// Counts `repairs` of the value at input offset `offset`.
    pub(crate) fn record(&mut self, offset: u64, repairs: Repairs) {
        if repairs.any() {
            self.repairs.add(repairs);
            self.values += 1;
            self.first_offset.get_or_insert(offset);
        }
    }

    /// What was repaired, if anything.
    pub(crate) fn warning(&self) -> Option<Warning> {
        let Repairs {
            hex_escapes,
            separator_tails,
            raw_controls,
        } = self.repairs;
        let done: Vec<String> = [
            (hex_escapes, "`\\xNN` escape(s) read as `\\u00NN`"),
            (
                separator_tails,
                "stray byte pair(s) after `\\u2028`/`\\u2029` dropped",
            ),
            (raw_controls, "raw control character(s) in strings escaped"),
        ]
        .into_iter()
        .filter(|&(count, _)| count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect();
        (!done.is_empty()).then(|| {
            Warning::at(
                self.first_offset,
                format!(
                    "repaired {} value(s) that were not valid JSON as Telegram Desktop wrote them: {}",
                    self.values,
                    done.join(", ")
                ),
            )
        })
    }
}

/// A copy of the JSON text `bytes` with tdesktop's string quirks repaired, or `None` when
/// it has none (so that repairing cannot help).
pub(crate) fn repair(bytes: &[u8]) -> Option<(Vec<u8>, Repairs)> {
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut repairs = Repairs::default();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                let escape = &bytes[i..bytes.len().min(i + 6)];
                if let [b'\\', b'x', high, low] = escape[..escape.len().min(4)]
                    && high.is_ascii_hexdigit()
                    && low.is_ascii_hexdigit()
                {
                    out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
                    repairs.hex_escapes += 1;
                    i += 4;
                    continue;
                }
                let escape_len = if escape.get(1) == Some(&b'u') { 6 } else { 2 };
                let escape = &bytes[i..bytes.len().min(i + escape_len)];
                out.extend_from_slice(escape);
                i += escape.len();
                let tail = &bytes[i..bytes.len().min(i + 2)];
                if matches!(escape, br"\u2028" | br"\u2029") && matches!(tail, [0x80, 0xA8 | 0xA9])
                {
                    repairs.separator_tails += 1;
                    i += 2;
                }
                continue;
            }
            0x00..=0x1F if in_string => {
                out.extend_from_slice(format!("\\u{byte:04x}").as_bytes());
                repairs.raw_controls += 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(byte);
        i += 1;
    }
    repairs.any().then_some((out, repairs))
}

/// Whether the byte at `at` is one of the stray bytes tdesktop leaves after `\u2028` or
/// `\u2029`, which [`repair`] drops.
pub(crate) fn separator_tail(bytes: &[u8], at: usize) -> bool {
    let escape = |end: usize| {
        let before = &bytes[..end];
        before.ends_with(br"\u2028") || before.ends_with(br"\u2029")
    };
    match bytes.get(at) {
        Some(0x80) => escape(at),
        Some(0xA8 | 0xA9) => at > 0 && bytes[at - 1] == 0x80 && escape(at - 1),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(input: &[u8]) -> (String, Repairs) {
        let (bytes, repairs) = repair(input).expect("something to repair");
        (String::from_utf8(bytes).unwrap(), repairs)
    }

    #[test]
    fn hex_escapes_become_unicode_escapes() {
        let (json, repairs) = repaired(br#"{"text": "bell\x07 and \x1F"}"#);
        assert_eq!(json, r#"{"text": "bell\u0007 and \u001F"}"#);
        assert_eq!(repairs.hex_escapes, 2);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["text"], "bell\u{7} and \u{1F}");
    }

    #[test]
    fn an_escaped_backslash_before_x_is_left_alone() {
        let input = br#"{"path": "C:\\x01", "t": "\x01"}"#;
        let (json, repairs) = repaired(input);
        assert_eq!(json, r#"{"path": "C:\\x01", "t": "\u0001"}"#);
        assert_eq!(repairs.hex_escapes, 1);
    }

    #[test]
    fn stray_bytes_after_line_separator_escapes_are_dropped() {
        let (json, repairs) = repaired(b"{\"text\": \"a\\u2028\x80\xA8b\\u2029\x80\xA9\"}");
        assert_eq!(json, r#"{"text": "a\u2028b\u2029"}"#);
        assert_eq!(repairs.separator_tails, 2);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["text"], "a\u{2028}b\u{2029}");
    }

    #[test]
    fn raw_control_characters_are_escaped_inside_strings_only() {
        let (json, repairs) = repaired(b"{\n\t\"text\": \"tab\there\"\n}");
        assert_eq!(json, "{\n\t\"text\": \"tab\\u0009here\"\n}");
        assert_eq!(repairs.raw_controls, 1);
    }

    #[test]
    fn valid_json_needs_no_repair() {
        assert!(repair(br#"{"text": "fine \u2028 \" \\x"}"#).is_none());
    }
}
