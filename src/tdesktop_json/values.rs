//! JSON values as Telegram Desktop writes them, shared by the message (`raw`) and its text
//! parts (`text`): strings borrowed from the input, integers written either way, and
//! objects that keep the keys tgexport does not know.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A JSON string, borrowed from the input unless it had escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Str<'a>(pub(super) Cow<'a, str>);

impl Str<'_> {
    /// The string, owned.
    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Str<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor<'a>(std::marker::PhantomData<Str<'a>>);

        impl<'de: 'a, 'a> Visitor<'de> for StrVisitor<'a> {
            type Value = Str<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(text)))
            }

            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
    }
}

/// An integer written as a number or, like `date_unixtime`, as a string of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Int(pub(crate) i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntVisitor;

        impl Visitor<'_> for IntVisitor {
            type Value = Int;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, or a string of digits")
            }

            fn visit_i64<E>(self, value: i64) -> Result<Int, E> {
                Ok(Int(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Int, E> {
                i64::try_from(value)
                    .map(Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Int, E> {
                text.parse()
                    .map(Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }

        deserializer.deserialize_any(IntVisitor)
    }
}

/// The JSON key of a field: its name, or the literal given after `as`.
macro_rules! key_of {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $key:literal) => {
        $key
    };
}

pub(crate) use key_of;

/// Declares a struct with one `Option`al field per key Telegram Desktop writes, and a
/// `Deserialize` that keeps every other key in `unknown`, so that nothing is lost and no
/// slow `#[serde(flatten)]` buffering is needed. Fields listed after `required` must be
/// there (they are still `Option`s, always `Some` once read).
macro_rules! object_keeping_unknown_keys {
    (
        $(#[$meta:meta])*
        pub(crate) struct $name:ident<$a:lifetime> {
            $( $(#[$field_meta:meta])* $field:ident $(as $key:literal)?: $ty:ty, )*
        }
        $(required $($req:ident $(as $req_key:literal)?),+)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub(crate) struct $name<$a> {
            $( $(#[$field_meta])* pub(crate) $field: Option<$ty>, )*
            /// Every other key, in source order.
            pub(crate) unknown: Vec<(String, serde_json::Value)>,
        }

        impl<'de: $a, $a> ::serde::Deserialize<'de> for $name<$a> {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FieldsVisitor<$a>(std::marker::PhantomData<$name<$a>>);

                impl<'de: $a, $a> ::serde::de::Visitor<'de> for FieldsVisitor<$a> {
                    type Value = $name<$a>;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("an object")
                    }

                    fn visit_map<M: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: M,
                    ) -> Result<Self::Value, M::Error> {
                        let mut object = $name::default();
                        while let Some(key) = map.next_key::<$crate::tdesktop_json::values::Str<$a>>()? {
                            match &*key {
                                $( $crate::tdesktop_json::values::key_of!($field $($key)?) => object.$field = Some(map.next_value()?), )*
                                _ => object.unknown.push((key.into_string(), map.next_value()?)),
                            }
                        }
                        $($(
                            if object.$req.is_none() {
                                let key = $crate::tdesktop_json::values::key_of!($req $($req_key)?);
                                return Err(serde::de::Error::missing_field(key));
                            }
                        )+)?
                        Ok(object)
                    }
                }

                deserializer.deserialize_map(FieldsVisitor(std::marker::PhantomData))
            }
        }
    };
}

pub(crate) use object_keeping_unknown_keys;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_may_be_strings_of_digits() {
        let int = |json| serde_json::from_str::<Int>(json).map(|Int(n)| n).ok();
        assert_eq!(int(r#""1689611019""#), Some(1_689_611_019));
        assert_eq!(int("-12"), Some(-12));
        assert_eq!(int(r#""12a""#), None);
    }
}
