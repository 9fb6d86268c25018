//! Compact JSON, byte for byte what `serde_json::to_writer` writes, with strings copied in
//! runs between the bytes JSON escapes.
//!
//! serde_json looks every byte of a string up in a table on its own; in JSON Lines from a
//! real `result.json` that lookup was a fifth of all the work. Here a string is searched
//! 16 bytes at a time for the bytes that need an escape (the test compiles to SIMD
//! compares), and the runs between are copied whole. Numbers and other scalars are still
//! written by serde_json itself, so they cannot differ.

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Error;

/// Appends `value` to `out` as compact JSON.
pub(crate) fn to_vec<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(Compact(out))
}

/// Whether JSON needs an escape for `byte` in a string: `"`, `\` and control characters.
fn escaped(byte: u8) -> bool {
    (byte < 0x20) | (byte == b'"') | (byte == b'\\')
}

/// Bytes tested at once by [`find_escape`].
const LANES: usize = 16;

/// Whether any byte of `chunk` needs an escape: a fixed-size chunk and no early exit, so
/// that the test is a few vector instructions rather than a branch per byte.
fn any_escaped(chunk: &[u8; LANES]) -> bool {
    chunk.iter().fold(0u8, |any, &b| any | u8::from(escaped(b))) != 0
}

/// Index of the first byte of `bytes` that needs an escape.
fn find_escape(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(LANES);
    let mut offset = 0;
    for chunk in &mut chunks {
        if any_escaped(chunk.try_into().expect("chunks_exact")) {
            break;
        }
        offset += LANES;
    }
    let tail = chunks.remainder();
    if offset + tail.len() == bytes.len() {
        // The short rest (most keys and words are all rest), padded with blanks.
        let mut padded = [b' '; LANES];
        padded[..tail.len()].copy_from_slice(tail);
        if !any_escaped(&padded) {
            return None;
        }
    }
    let found = bytes[offset..].iter().position(|&b| escaped(b))?;
    Some(offset + found)
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
fn string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rest = text.as_bytes();
    out.reserve(rest.len() + 2);
    out.push(b'"');
    while let Some(at) = find_escape(rest) {
        out.extend_from_slice(&rest[..at]);
        let byte = rest[at];
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0c => b'f',
            _ => 0,
        };
        if short == 0 {
            let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&hex);
        } else {
            out.extend_from_slice(&[b'\\', short]);
        }
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Writes a scalar as serde_json writes it.
fn scalar<T: Serialize>(out: &mut Vec<u8>, value: T) -> Result<(), Error> {
    serde_json::to_writer(out, &value)
}

/// The serializer: everything serde_json's compact one does, writing into a `Vec`.
struct Compact<'o>(&'o mut Vec<u8>);

/// An array or object being written; `close` ends it, plus a `}` for an enum variant's
/// wrapper object.
struct Compound<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
    close: &'static [u8],
}

impl<'o> Compound<'o> {
    fn open(out: &'o mut Vec<u8>, open: &[u8], close: &'static [u8]) -> Self {
        out.extend_from_slice(open);
        Self {
            out,
            first: true,
            close,
        }
    }

    /// Opens `{"variant":` and then `open`.
    fn variant(out: &'o mut Vec<u8>, variant: &str, open: u8, close: &'static [u8]) -> Self {
        out.push(b'{');
        string(out, variant);
        out.extend_from_slice(&[b':', open]);
        Self {
            out,
            first: true,
            close,
        }
    }

    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(Compact(self.out))
    }

    /// Writes a struct field; `key`, a literal where serde's derive calls this, is copied
    /// whole, as its check for escapes folds away once inlined.
    #[inline(always)]
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.comma();
        if key.bytes().any(escaped) {
            string(self.out, key);
        } else {
            self.out.push(b'"');
            self.out.extend_from_slice(key.as_bytes());
            self.out.push(b'"');
        }
        self.out.push(b':');
        value.serialize(Compact(self.out))
    }

    fn end(self) -> Result<(), Error> {
        self.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl<'o> ser::Serializer for Compact<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'o>;
    type SerializeTuple = Compound<'o>;
    type SerializeTupleStruct = Compound<'o>;
    type SerializeTupleVariant = Compound<'o>;
    type SerializeMap = Compound<'o>;
    type SerializeStruct = Compound<'o>;
    type SerializeStructVariant = Compound<'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        string(self.0, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        string(self.0, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        scalar(self.0, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut object = Compound::open(self.0, b"{", b"}");
        object.field(variant, value)?;
        object.end()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'o>, Error> {
        Ok(Compound::open(self.0, b"[", b"]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'o>, Error> {
        Ok(Compound::variant(self.0, variant, b'[', b"]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'o>, Error> {
        Ok(Compound::open(self.0, b"{", b"}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'o>, Error> {
        Ok(Compound::open(self.0, b"{", b"}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'o>, Error> {
        Ok(Compound::variant(self.0, variant, b'{', b"}}"))
    }
}

/// serde's traits for arrays, whose elements are all written alike.
macro_rules! elements {
    ($($name:ident::$method:ident),*) => {$(
        impl ser::$name for Compound<'_> {
            type Ok = ();
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(Key(self.out))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.out.push(b':');
        value.serialize(Compact(self.out))
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// serde's traits for structs, whose fields are all written alike.
macro_rules! fields {
    ($($name:ident),*) => {$(
        impl ser::$name for Compound<'_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

/// A map key: a string, or a number or boolean written in one, as serde_json writes keys.
struct Key<'o>(&'o mut Vec<u8>);

impl Key<'_> {
    /// Writes `value` in quotes.
    fn quoted<T: Serialize>(self, value: T) -> Result<(), Error> {
        self.0.push(b'"');
        scalar(&mut *self.0, value)?;
        self.0.push(b'"');
        Ok(())
    }

    fn float<T: Serialize>(self, value: T, finite: bool) -> Result<(), Error> {
        if !finite {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(value)
    }
}

/// serde_json's error for a key it cannot write as a string.
fn not_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        string(self.0, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        string(self.0, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(not_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(not_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(not_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        to_vec(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        for text in [
            "",
            "plain",
            "a \"quoted\" \\ back\\slash",
            "line\nbreak\r\n\ttab \u{7f} \u{2028} ж 🌊",
            &every_control,
            &format!("{}\"{}\n", "x".repeat(40), "я".repeat(9)),
        ] {
            assert_eq!(compact(text), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn every_message_of_every_fixture_is_written_as_serde_json_writes_it() {
        let mut read = 0;
        for folder in ["text", "tdesktop_json", "tdesktop_html", "tme_html"] {
            let dir = format!("{}/testdata/{folder}", env!("CARGO_MANIFEST_DIR"));
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let Ok(export) = crate::parse_path(&path) else {
                    continue;
                };
                for message in &export.messages {
                    assert_eq!(compact(message), serde_json::to_string(message).unwrap());
                    read += 1;
                }
            }
        }
        assert!(read > 100, "only {read} messages in the fixtures");
    }

    /// A map of any keys, in order.
    struct Pairs<K, V>(Vec<(K, V)>);

    impl<K: Serialize, V: Serialize> Serialize for Pairs<K, V> {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    #[test]
    fn variants_and_keys_are_written_as_serde_json_writes_them() {
        #[derive(Serialize)]
        enum Shape {
            Unit,
            Newtype(u8),
            Tuple(u8, f32),
            Struct { a: Option<f64>, b: () },
        }
        let shapes = [
            Shape::Unit,
            Shape::Newtype(7),
            Shape::Tuple(1, 0.1),
            Shape::Struct { a: None, b: () },
            Shape::Struct {
                a: Some(f64::NAN),
                b: (),
            },
        ];
        assert_eq!(compact(&shapes), serde_json::to_string(&shapes).unwrap());
        assert_eq!(
            compact(&Pairs(vec![('k', -1), ('\n', 2)])),
            r#"{"k":-1,"\n":2}"#
        );
        assert_eq!(compact(&Pairs(vec![(-3, 1), (4, 2)])), r#"{"-3":1,"4":2}"#);
        assert_eq!(compact(&Pairs(vec![(true, 1)])), r#"{"true":1}"#);
        assert_eq!(compact(&Pairs(vec![(Some(1.5), 1)])), r#"{"1.5":1}"#);
        let nan = Pairs(vec![(f64::NAN, 1)]);
        assert!(to_vec(&mut Vec::new(), &nan).is_err());
        assert!(serde_json::to_string(&nan).is_err());
        let unit = Pairs(vec![((), 1)]);
        assert!(to_vec(&mut Vec::new(), &unit).is_err());
        assert!(serde_json::to_string(&unit).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_json_value_is_written_as_serde_json_writes_it(
            value in crate::write::compact::tests::json_value()
        ) {
            proptest::prop_assert_eq!(compact(&value), serde_json::to_string(&value).unwrap());
        }
    }

    /// JSON values with strings of every kind of character, numbers of every kind.
    pub(super) fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            any::<String>().prop_map(Value::from),
            "[\\x00-\\x7f]{0,40}".prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(any::<String>(), inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }
}
