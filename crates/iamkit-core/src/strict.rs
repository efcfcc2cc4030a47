//! Reading JSON into Rust types without serde's positional structs.
//!
//! serde's derived `Deserialize` for a struct accepts a JSON array as well as an object, taking
//! the fields by position: `["arn:...:user/alice", "s3:DeleteBucket", "arn:aws:s3:::prod"]` reads
//! as a request. iamkit's inputs are objects with named members, so an array where a struct is
//! expected must be refused. [`Strict`] wraps a [`Deserializer`] and everything it hands out
//! (visitors, sequence and map access, seeds, enum and variant access) so that every struct, at
//! every depth, is read from a map only; everything else is forwarded untouched, so borrowed
//! strings and `serde_json::value::RawValue` stay borrowed and errors keep their line and column.
//!
//! A type whose `Deserialize` buffers its input first (`#[serde(untagged)]`, internally tagged
//! enums, `#[serde(flatten)]`) reads that buffer with serde's own deserializer, which this wrapper
//! cannot reach: input types must not use those attributes (write the `Deserialize` by hand, as
//! `inputs::authorization_details::OneOrMany` does).

use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::Deserialize;

/// A deserializer, visitor, access or seed that reads structs from maps only (see the module
/// docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Strict<T>(pub(crate) T);

/// A `T` read strictly: `Strictly<T>` deserializes from any deserializer as `T` does through
/// [`Strict`]. For readers that take a type rather than a deserializer (`serde_json`'s stream of
/// values).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Strictly<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Strictly<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(Strict(d)).map(Strictly)
    }
}

/// Reads a `T` from JSON text, strictly (as `serde_json::from_str` does otherwise, errors
/// included).
pub(crate) fn from_str<'a, T: Deserialize<'a>>(text: &'a str) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Strict(&mut de))?;
    de.end()?;
    Ok(value)
}

/// Reads a `T` from a JSON value, strictly.
pub(crate) fn from_value<'a, T: Deserialize<'a>>(
    value: &'a serde_json::Value,
) -> serde_json::Result<T> {
    T::deserialize(Strict(value))
}

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(Strict(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Strict(visitor))
    }

    /// Forwarded with its name, so that `serde_json` still recognizes `RawValue` (and hands it
    /// the borrowed slice); the visitor is wrapped so that the newtype's content stays strict.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Strict(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Strict(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Strict(visitor))
    }

    /// The point of the wrapper: a struct is read as a map, so an array is refused as the wrong
    /// type ("invalid type: sequence, expected struct ...").
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Strict(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Strict(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: serde::de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.0.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Strict<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Strict(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Strict(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Strict(a))
    }

    fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Strict(a))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Strict(a))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Strict<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Strict(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Strict(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Strict(seed))
    }

    fn next_entry_seed<K: DeserializeSeed<'de>, T: DeserializeSeed<'de>>(
        &mut self,
        key: K,
        value: T,
    ) -> Result<Option<(K::Value, T::Value)>, A::Error> {
        self.0.next_entry_seed(Strict(key), Strict(value))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Strict<A> {
    type Error = A::Error;
    type Variant = Strict<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Strict<A::Variant>), A::Error> {
        self.0
            .variant_seed(Strict(seed))
            .map(|(value, variant)| (value, Strict(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Strict(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Strict(visitor))
    }

    /// A struct variant is read from a map only, as a struct is.
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, MapOnly(visitor))
    }
}

/// A visitor that takes a map only (read strictly); anything else is the wrong type.
struct MapOnly<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for MapOnly<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Strict(a))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::value::RawValue;

    use super::{from_str, from_value, Strictly};

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        inner: Inner,
        list: Vec<Inner>,
        #[serde(default)]
        map: BTreeMap<String, Inner>,
        #[serde(default)]
        opt: Option<Inner>,
        #[serde(default)]
        wrapped: Option<Wrapper>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapper(Inner);

    #[derive(Debug, PartialEq, Deserialize)]
    enum Kind {
        Plain,
        Fields { x: u32 },
        One(Inner),
    }

    #[derive(Debug, Deserialize)]
    struct Borrowing<'a> {
        #[serde(borrow)]
        raw: &'a RawValue,
        #[serde(borrow)]
        list: Vec<&'a RawValue>,
        #[serde(borrow)]
        text: &'a str,
    }

    const GOOD: &str = r#"{"inner": {"a": 1}, "list": [{"a": 2, "b": "x"}], "map": {"k": {"a": 3}},
        "opt": {"a": 4}, "wrapped": {"a": 5}, "kind": {"Fields": {"x": 6}}}"#;

    #[test]
    fn objects_read_as_serde_reads_them() {
        let strict: Outer = from_str(GOOD).unwrap();
        let lenient: Outer = serde_json::from_str(GOOD).unwrap();
        assert_eq!(strict, lenient);
        let one: Outer =
            from_str(r#"{"inner": {"a": 1}, "list": [], "kind": {"One": {"a": 7}}}"#).unwrap();
        assert_eq!(one.kind, Some(Kind::One(Inner { a: 7, b: None })));
        let plain: Outer = from_str(r#"{"inner": {"a": 1}, "list": [], "kind": "Plain"}"#).unwrap();
        assert_eq!(plain.kind, Some(Kind::Plain));
    }

    /// Every place a struct sits, given an array instead: serde reads it by position, the strict
    /// reader refuses it as a data error with its line and column.
    #[test]
    fn an_array_for_a_struct_is_refused_at_every_depth() {
        // each with the offending array marked by `@[`
        let cases = [
            r#"@[{"a": 1}, []]"#,
            r#"{"inner": @[1], "list": []}"#,
            r#"{"inner": {"a": 1}, "list": [@[2]]}"#,
            r#"{"inner": {"a": 1}, "list": [], "map": {"k": @[3]}}"#,
            r#"{"inner": {"a": 1}, "list": [], "opt": @[4]}"#,
            r#"{"inner": {"a": 1}, "list": [], "wrapped": @[5]}"#,
            r#"{"inner": {"a": 1}, "list": [], "kind": {"Fields": @[6]}}"#,
            r#"{"inner": {"a": 1}, "list": [], "kind": {"One": @[7]}}"#,
        ];
        for marked in cases {
            let bracket = marked.find('@').unwrap();
            let text = marked.replace('@', "");
            assert!(
                serde_json::from_str::<Outer>(&text).is_ok(),
                "serde itself reads {text} by position"
            );
            let e = from_str::<Outer>(&text).unwrap_err();
            assert!(e.is_data(), "{text}: {e}");
            assert!(e.to_string().contains("invalid type: sequence"), "{e}");
            // serde_json's column of a type error: the bytes before the value on its line (one
            // more for a struct variant, refused once its `[` is read)
            assert_eq!(e.line(), 1, "{text}: {e}");
            assert!((bracket..=bracket + 1).contains(&e.column()), "{text}: {e}");
        }
        let e = from_str::<Outer>("{\n  \"inner\": [1],\n  \"list\": []}").unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 11), "{e}");
    }

    #[test]
    fn values_and_streams_are_strict_too() {
        let v: serde_json::Value = serde_json::from_str(r#"{"inner": [1], "list": []}"#).unwrap();
        assert!(from_value::<Outer>(&v).is_err());
        let v: serde_json::Value = serde_json::from_str(GOOD).unwrap();
        assert!(from_value::<Outer>(&v).is_ok());
        let mut stream =
            serde_json::Deserializer::from_str(r#"{"a": 1} [2]"#).into_iter::<Strictly<Inner>>();
        assert_eq!(stream.next().unwrap().unwrap().0, Inner { a: 1, b: None });
        assert!(stream.next().unwrap().is_err());
    }

    /// Raw values and strings stay slices of the input.
    #[test]
    fn raw_values_stay_borrowed() {
        let text = r#"{"raw": {"x": [1, 2]}, "list": [[1], {"y": 2}], "text": "plain"}"#;
        let b: Borrowing<'_> = from_str(text).unwrap();
        let inside = |s: &str| {
            let (start, p) = (text.as_ptr() as usize, s.as_ptr() as usize);
            p >= start && p + s.len() <= start + text.len()
        };
        assert_eq!(b.raw.get(), r#"{"x": [1, 2]}"#);
        assert!(inside(b.raw.get()));
        assert_eq!(b.list.len(), 2);
        assert!(b.list.iter().all(|r| inside(r.get())));
        assert!(inside(b.text));
    }

    #[test]
    fn syntax_errors_stay_syntax_errors() {
        let e = from_str::<Outer>(r#"{"inner": {"a": 1},"#).unwrap_err();
        assert!(e.is_eof());
        let e = from_str::<Outer>(r#"{"inner": {"a": 1}, "list": []} x"#).unwrap_err();
        assert!(e.is_syntax());
    }
}
