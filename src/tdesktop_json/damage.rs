//! Reading a message that does not parse: damage costs the damaged part, not the message.
//!
//! Runs only for a message that failed the fast path (and tdesktop's own quirks'
//! repair, [`super::lenient`]). Bytes that are not UTF-8 and escaped lone surrogates
//! become U+FFFD; broken JSON keeps the keys read before the break; a value of the wrong
//! type (a key, a part of a text, a reaction, a button row) is moved out of the way. Each
//! such change is a [`Damage`], which keeps the original so that nothing is lost.

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::document::without_position;
use super::raw::RawMessage;
use super::text::Text;

/// The key of [`Message::extra`](crate::Message::extra) that keeps what was damaged.
pub(crate) const KEY: &str = "tgexport_damaged";

/// One part of a message that could not be read as it was.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Damage {
    /// Where in the message, as a JSON path (`id`, `text_entities[1]`); empty for the
    /// message as a whole.
    pub(crate) path: String,
    /// What was wrong.
    pub(crate) problem: String,
    /// What became of it, and the original.
    pub(crate) kept: Kept,
}

/// What was done with a damaged part, with what it was.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kept {
    /// The value was left out of the message; here it is, as found.
    Value(Value),
    /// A text part was read as its plain text; the part, as found.
    PlainText(Value),
    /// Bytes that are not UTF-8, at this offset in the message, became U+FFFD.
    Bytes { at: usize, bytes: Vec<u8> },
    /// An escaped lone surrogate (`\ud800`), at this offset in the message, became U+FFFD.
    Surrogate { at: usize, escape: String },
    /// The message's JSON breaks here (offset in the message); its text, as found, with
    /// the first break.
    Broken { at: usize, raw: Option<String> },
}

impl Damage {
    fn new(path: impl Into<String>, problem: impl Into<String>, kept: Kept) -> Self {
        Self {
            path: path.into(),
            problem: problem.into(),
            kept,
        }
    }

    /// A value of `path` that could not be read, left out of the message.
    pub(crate) fn value(path: impl Into<String>, problem: impl ToString, value: Value) -> Self {
        Self::new(path, problem.to_string(), Kept::Value(value))
    }

    /// The offset in the message's bytes where the damage is, when it is known exactly.
    pub(crate) fn at(&self) -> Option<usize> {
        match self.kept {
            Kept::Bytes { at, .. } | Kept::Surrogate { at, .. } | Kept::Broken { at, .. } => {
                Some(at)
            }
            Kept::Value(_) | Kept::PlainText(_) => None,
        }
    }

    /// The top-level key of the message the damage is under, if any.
    pub(crate) fn key(&self) -> Option<&str> {
        let end = self.path.find(['.', '[']).unwrap_or(self.path.len());
        Some(&self.path[..end]).filter(|key| !key.is_empty())
    }

    /// What was done, for a warning.
    pub(crate) fn outcome(&self) -> String {
        let kept = format!("kept in its `extra.{KEY}`");
        match &self.kept {
            Kept::Value(_) => format!("left out; the value is {kept}"),
            Kept::PlainText(_) => format!("read as plain text; the part is {kept}"),
            Kept::Bytes { .. } => format!("replaced with U+FFFD; the bytes are {kept}"),
            Kept::Surrogate { .. } => format!("replaced with U+FFFD; the escape is {kept}"),
            Kept::Broken { raw: Some(_), .. } => format!(
                "the key it is in is lost, read on from the next key; the message's text is {kept}"
            ),
            Kept::Broken { raw: None, .. } => "the key it is in is lost".into(),
        }
    }

    /// The record kept in the message's `extra`: path, problem, and the original (with
    /// `offset`, the byte offset in the input, where the damage is a place in the file).
    pub(crate) fn record(self, offset: Option<u64>) -> Value {
        let mut record = Map::new();
        if !self.path.is_empty() {
            record.insert("path".into(), self.path.into());
        }
        record.insert("problem".into(), self.problem.into());
        if let Some(offset) = offset {
            record.insert("offset".into(), offset.into());
        }
        let (key, original) = match self.kept {
            Kept::Value(value) => ("value", value),
            Kept::PlainText(part) => ("part", part),
            Kept::Bytes { bytes, .. } => ("bytes", hex(&bytes).into()),
            Kept::Surrogate { escape, .. } => ("escape", escape.into()),
            Kept::Broken { raw, .. } => ("raw", raw.into()),
        };
        record.insert(key.into(), original);
        Value::Object(record)
    }
}

fn hex(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    hex.join(" ")
}

/// The text of a message's bytes: runs of bytes that are not UTF-8 become U+FFFD, each
/// run a [`Damage`] at its offset. `skip` tells bytes that another repair drops (so they
/// are no damage) by their offset.
pub(crate) fn readable(bytes: &[u8], skip: impl Fn(usize) -> bool, damage: &mut Vec<Damage>) {
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        at += chunk.valid().len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() && !skip(at) {
            damage.push(Damage::new(
                "",
                "bytes that are not UTF-8",
                Kept::Bytes {
                    at,
                    bytes: invalid.to_vec(),
                },
            ));
        }
        at += invalid.len();
    }
}

/// `json` with each escaped lone surrogate (`\ud800` without its pair) as `\ufffd`, each
/// a [`Damage`]; `None` when it has none.
pub(crate) fn without_lone_surrogates(json: &str, damage: &mut Vec<Damage>) -> Option<String> {
    let bytes = json.as_bytes();
    let escape = |at: usize| -> Option<u16> {
        let digits = bytes.get(at + 2..at + 6)?;
        (bytes[at + 1] == b'u')
            .then(|| u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok())
            .flatten()
    };
    let mut out = String::new();
    let mut copied = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                let unit = escape(i);
                let paired = |unit: u16| {
                    let low = escape(i + 6).filter(|_| bytes.get(i + 6) == Some(&b'\\'));
                    (0xD800..0xDC00).contains(&unit)
                        && low.is_some_and(|low| (0xDC00..0xE000).contains(&low))
                };
                match unit {
                    Some(unit) if paired(unit) => i += 12,
                    Some(unit @ 0xD800..0xE000) => {
                        out.push_str(&json[copied..i]);
                        out.push_str("\\ufffd");
                        damage.push(Damage::new(
                            "",
                            format!("escaped lone surrogate `\\u{unit:04x}`"),
                            Kept::Surrogate {
                                at: i,
                                escape: json[i..i + 6].to_owned(),
                            },
                        ));
                        i += 6;
                        copied = i;
                    }
                    Some(_) => i += 6,
                    None => i += 2,
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (copied > 0).then(|| out + &json[copied..])
}

/// The keys of the JSON object `json` that could be read. Where it breaks (a
/// [`Damage`], the first keeping `json` whole), reading goes on at the next line that
/// starts a key at the indentation of the first key, as tdesktop lays messages out, so
/// only the key the break is in is lost.
pub(crate) fn keys(json: &str, damage: &mut Vec<Damage>) -> Map<String, Value> {
    let mut keys = Map::new();
    // `\n` and the indentation of the first key, then its quote.
    let key_line = json
        .strip_prefix('{')
        .filter(|rest| rest.starts_with('\n'))
        .map(|rest| {
            let indent = rest[1..].len() - rest[1..].trim_start_matches([' ', '\t']).len();
            format!("{}\"", &rest[..1 + indent])
        });
    let mut from = 0;
    loop {
        // Resumed after a break: the rest of the object, from a key.
        let part = match from {
            0 => json.to_owned(),
            _ => format!("{{{}", &json[from..]),
        };
        let mut de = serde_json::Deserializer::from_str(&part);
        let Err(err) = Collect(&mut keys)
            .deserialize(&mut de)
            .and_then(|()| de.end())
        else {
            return keys;
        };
        let line_start = match err.line() {
            0 | 1 => 0,
            line => memchr::memchr_iter(b'\n', part.as_bytes())
                .nth(line - 2)
                .map_or(0, |newline| newline + 1),
        };
        let in_part = (line_start + err.column().saturating_sub(1)).min(part.len());
        let at = (from + in_part)
            .saturating_sub(usize::from(from > 0))
            .min(json.len());
        damage.push(Damage::new(
            "",
            format!("broken JSON: {}", without_position(&err)),
            Kept::Broken {
                at,
                raw: (from == 0).then(|| json.to_owned()),
            },
        ));
        // The break may be at a key (its comma missing): then read on from that key.
        let next = key_line.as_ref().and_then(|line| {
            let key_at =
                |from: usize| Some(from + json[from..].find(line.as_str())? + line.len() - 1);
            let line_of_break = json[..at].rfind('\n').unwrap_or(0);
            key_at(line_of_break)
                .filter(|&key| key >= at)
                .or_else(|| key_at(at))
        });
        match next {
            Some(next) if next > from => from = next,
            _ => return keys,
        }
    }
}

/// Reads an object's keys into a map as they come, so those before a break are kept.
struct Collect<'m>(&'m mut Map<String, Value>);

impl<'de> DeserializeSeed<'de> for Collect<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Collect<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value()?;
            self.0.insert(key, value);
        }
        Ok(())
    }
}

/// The keys of a message with every value that does not read as what it should moved out
/// into `damage`: a whole key, or one element of a text, a reaction list or a keyboard.
pub(crate) fn readable_keys(keys: Map<String, Value>, damage: &mut Vec<Damage>) -> String {
    let mut kept = Map::new();
    for (key, value) in keys {
        let value = match key.as_str() {
            "text" | "text_entities" => Some(text_parts(&key, value, damage)),
            _ => match check(&key, &value) {
                Ok(()) => Some(value),
                Err(_)
                    if value.is_array() && matches!(&*key, "reactions" | "inline_bot_buttons") =>
                {
                    Some(elements(&key, value, damage))
                }
                Err(problem) => {
                    damage.push(Damage::value(&*key, problem, value));
                    None
                }
            },
        };
        if let Some(value) = value {
            kept.insert(key, value);
        }
    }
    Value::Object(kept).to_string()
}

/// Whether `key` holding `value` reads into a message; else what is wrong.
fn check(key: &str, value: &Value) -> Result<(), String> {
    let json = format!("{{{}:{value}}}", Value::from(key));
    serde_json::from_str::<RawMessage<'_>>(&json)
        .map(drop)
        .map_err(|err| without_position(&err))
}

/// The elements of the array `key` that read, the others moved into `damage`.
fn elements(key: &str, value: Value, damage: &mut Vec<Damage>) -> Value {
    let Value::Array(elements) = value else {
        unreachable!("called for arrays");
    };
    let kept = (elements.into_iter().enumerate())
        .filter_map(
            |(i, element)| match check(key, &Value::Array(vec![element.clone()])) {
                Ok(()) => Some(element),
                Err(problem) => {
                    damage.push(Damage::value(format!("{key}[{i}]"), problem, element));
                    None
                }
            },
        )
        .collect();
    Value::Array(kept)
}

/// A text (`text`, `text_entities`, a poll's) whose parts that do not read are read as
/// their plain text when they have one, each a [`Damage`] keeping the part.
pub(crate) fn text_parts(key: &str, value: Value, damage: &mut Vec<Damage>) -> Value {
    let problem = |value: &Value| {
        serde_json::from_str::<Text>(&value.to_string())
            .err()
            .map(|err| without_position(&err))
    };
    match value {
        Value::Array(parts) => {
            let parts = (parts.into_iter().enumerate()).filter_map(|(i, part)| {
                let Some(problem) = problem(&Value::Array(vec![part.clone()])) else {
                    return Some(part);
                };
                let plain = part.get("text").and_then(Value::as_str).map(Value::from);
                let path = format!("{key}[{i}]");
                damage.push(match plain {
                    Some(_) => Damage::new(path, problem, Kept::PlainText(part)),
                    None => Damage::value(path, problem, part),
                });
                plain
            });
            Value::Array(parts.collect())
        }
        value => match problem(&value) {
            None => value,
            Some(problem) => {
                damage.push(Damage::value(key, problem, value));
                Value::Array(Vec::new())
            }
        },
    }
}

/// Where `"key":` of the message starts in its bytes, to place damage found by key.
pub(crate) fn key_position(bytes: &[u8], key: &str) -> Option<usize> {
    let needle = format!("\"{key}\"");
    memchr::memmem::find_iter(bytes, needle.as_bytes()).find(|&at| {
        at > 0
            && bytes[at - 1] != b'\\'
            && bytes[at + needle.len()..].trim_ascii_start().first() == Some(&b':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_found_with_their_offsets() {
        let mut damage = Vec::new();
        readable(b"ab\xFFc\xE2\x80\xA8\x80\xA8", |at| at >= 7, &mut damage);
        assert_eq!(damage.len(), 1);
        assert_eq!(
            damage[0].kept,
            Kept::Bytes {
                at: 2,
                bytes: vec![0xFF]
            }
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters_and_pairs_stay() {
        let mut damage = Vec::new();
        let json = r#"{"a": "x\ud800y\ud83d\ude00\\ud800", "b": "\udc00"}"#;
        let fixed = without_lone_surrogates(json, &mut damage).unwrap();
        assert_eq!(
            fixed,
            r#"{"a": "x\ufffdy\ud83d\ude00\\ud800", "b": "\ufffd"}"#
        );
        assert_eq!(damage.len(), 2);
        assert_eq!(damage[1].at(), Some(json.find(r"\udc00").unwrap()));
        assert!(without_lone_surrogates(r#"{"a": "\u00e9"}"#, &mut damage).is_none());
    }

    #[test]
    fn broken_json_keeps_the_keys_before_the_break() {
        let mut damage = Vec::new();
        let json = "{\"id\": 7, \"a\": 1\n \"b\": 2}";
        let keys = keys(json, &mut damage);
        assert_eq!(Value::Object(keys), serde_json::json!({"id": 7, "a": 1}));
        let at = damage[0].at().unwrap();
        assert!(json[at..].starts_with("\"b\""), "{at}");
    }

    #[test]
    fn reading_goes_on_at_the_next_key_line() {
        let mut damage = Vec::new();
        let json = "{\n  \"id\": 7,\n  \"a\": [1 2],\n  \"b\": {\"c\": 1}\n  \"d\": 4\n}";
        let keys = keys(json, &mut damage);
        assert_eq!(
            Value::Object(keys),
            serde_json::json!({"id": 7, "b": {"c": 1}, "d": 4})
        );
        let breaks: Vec<_> = damage
            .iter()
            .map(|d| &json[d.at().unwrap()..][..3])
            .collect();
        assert_eq!(breaks, ["2],", "\"d\""]);
        assert!(matches!(&damage[0].kept, Kept::Broken { raw: Some(_), .. }));
        assert!(matches!(&damage[1].kept, Kept::Broken { raw: None, .. }));
    }

    #[test]
    fn values_of_the_wrong_type_move_out_by_key_or_element() {
        let mut damage = Vec::new();
        let keys = serde_json::json!({"id": "abc", "from_id": 5.5, "date": "2020-01-01T00:00:00",
            "text_entities": [{"type": "plain", "text": "a "}, {"type": 7, "text": "b"}, 3],
            "reactions": [{"type": "emoji", "count": 1, "emoji": "👍"}, {"count": "x"}]});
        let Value::Object(keys) = keys else { panic!() };
        let kept: Value = serde_json::from_str(&readable_keys(keys, &mut damage)).unwrap();
        assert_eq!(
            kept,
            serde_json::json!({"date": "2020-01-01T00:00:00",
                "text_entities": [{"type": "plain", "text": "a "}, "b"],
                "reactions": [{"type": "emoji", "count": 1, "emoji": "👍"}]})
        );
        let paths: Vec<_> = damage.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "from_id",
                "id",
                "reactions[1]",
                "text_entities[1]",
                "text_entities[2]"
            ]
        );
        assert!(matches!(damage[3].kept, Kept::PlainText(_)));
    }

    #[test]
    fn keys_are_placed_outside_strings() {
        let bytes = br#"{"text": "say \"id\": 1", "id": 2}"#;
        assert_eq!(key_position(bytes, "id"), Some(26));
    }
}
