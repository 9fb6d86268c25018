//! Texts: `text` (a string, or an array of strings and part objects) and
//! `text_entities` (an array of part objects), and the rich texts of polls.
//!
//! A [`Text`] is concatenated as it is deserialized, part by part, so no list of parts
//! is ever built.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::values::{Int, Str, object_keeping_unknown_keys};
use crate::{Entity, EntityKind};

/// A text: its parts concatenated, and the entities over it with offsets in code points.
///
/// Plain parts make no entity; empty parts (tdesktop ends many texts with one) add
/// nothing.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Text {
    pub(crate) text: String,
    pub(crate) entities: Vec<Entity>,
    /// Code points in `text[..counted]`: plain text is only counted once an entity
    /// follows it, so that a text without entities is never counted.
    chars: usize,
    counted: usize,
}

object_keeping_unknown_keys! {
    /// A part object: a formatted or recognised span, or `plain` text.
    pub(crate) struct Part<'a> {
        kind as "type": Str<'a>,
        text: Str<'a>,
        href: Option<Str<'a>>,
        user_id: Option<Int>,
        language: Option<Str<'a>>,
        document_id: Option<Str<'a>>,
        collapsed: Option<bool>,
    }
    required kind as "type", text
}

impl Text {
    fn push_plain(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn push(&mut self, part: Part<'_>) {
        let (Some(kind), Some(text)) = (&part.kind, &part.text) else {
            unreachable!("`type` and `text` are required");
        };
        // A plain part's unknown keys have no entity to go to; none is known.
        if &**kind == "plain" || text.is_empty() {
            return self.push_plain(text);
        }
        self.chars += self.text[self.counted..].chars().count();
        self.text.push_str(text);
        self.counted = self.text.len();
        let kind = EntityKind::from(&**kind);
        let text = part.text.map(Str::into_string).unwrap_or_default();
        let mut entity = Entity::new(kind, text, self.chars);
        self.chars += entity.length;
        entity.href = part.href.flatten().map(Str::into_string);
        entity.user_id = part.user_id.flatten().map(|Int(id)| id);
        // An empty language (`"language": ""`) stays: it says the block has none.
        entity.language = part.language.flatten().map(Str::into_string);
        entity.document_id = part.document_id.flatten().map(Str::into_string);
        entity.collapsed = part.collapsed.flatten();
        entity.extra = part.unknown.into_iter().collect();
        self.entities.push(entity);
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut text = Text::default();
        deserializer.deserialize_any(PartsInto(&mut text))?;
        Ok(text)
    }
}

/// Appends what it deserializes to a [`Text`]: a string, a part object, or an array of
/// strings and part objects.
struct PartsInto<'t>(&'t mut Text);

impl<'de> Visitor<'de> for PartsInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or an array of strings and text objects")
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        self.0.push_plain(text);
        Ok(())
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<(), M::Error> {
        let part = Part::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.0.push(part);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(PartInto(self.0))?.is_some() {}
        Ok(())
    }
}

/// Appends one element of a text array: a string or a part object, not another array.
struct PartInto<'t>(&'t mut Text);

impl<'de> DeserializeSeed<'de> for PartInto<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PartInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a text object")
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        self.0.push_plain(text);
        Ok(())
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<(), M::Error> {
        PartsInto(self.0).visit_map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> Text {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn parts_are_concatenated_with_code_point_offsets() {
        let text = text(
            r##"["Ура 🇷🇺 ", {"type": "hashtag", "text": "#Победа"}, "\n",
                {"type": "text_link", "text": "link", "href": "https://e.x"}, ""]"##,
        );
        assert_eq!(text.text, "Ура 🇷🇺 #Победа\nlink");
        let spans: Vec<_> = (text.entities.iter())
            .map(|e| (e.kind.as_str(), e.offset, e.length))
            .collect();
        assert_eq!(spans, [("hashtag", 7, 7), ("text_link", 15, 4)]);
        assert_eq!(text.entities[1].href.as_deref(), Some("https://e.x"));
    }

    #[test]
    fn plain_and_empty_parts_make_no_entity() {
        let text = text(
            r#"[{"type": "plain", "text": "a "}, {"type": "bold", "text": ""},
                {"type": "pre", "text": "x", "language": ""}, {"type": "plain", "text": ""}]"#,
        );
        assert_eq!(text.text, "a x");
        assert_eq!(text.entities.len(), 1);
        assert_eq!(
            (text.entities[0].kind.as_str(), text.entities[0].offset),
            ("pre", 2)
        );
        assert_eq!(text.entities[0].language.as_deref(), Some(""));
    }

    #[test]
    fn a_string_is_one_plain_part() {
        let text = text(r#""just \"text\"""#);
        assert_eq!(
            (text.text.as_str(), text.entities.len()),
            ("just \"text\"", 0)
        );
    }

    #[test]
    fn entity_attributes_and_unknown_types_are_kept() {
        let text = text(
            r#"[{"type": "mention_name", "text": "Ann", "user_id": 42},
                {"type": "blockquote", "text": "q", "collapsed": true},
                {"type": "custom_emoji", "text": "🔥", "document_id": "5368"},
                {"type": "date_time", "text": "noon"}]"#,
        );
        let [mention, quote, emoji, future] = &text.entities[..] else {
            panic!("four entities");
        };
        assert_eq!(mention.user_id, Some(42));
        assert_eq!(quote.collapsed, Some(true));
        assert_eq!(emoji.document_id.as_deref(), Some("5368"));
        assert_eq!(future.kind, EntityKind::Other("date_time".into()));
    }

    #[test]
    fn nested_arrays_are_not_text() {
        assert!(serde_json::from_str::<Text>(r#"["a", ["b"]]"#).is_err());
    }
}
