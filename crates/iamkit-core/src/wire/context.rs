//! The request context on the wire, typed while serde reads it: no intermediate JSON tree, one
//! allocation per string. Values that are not strings, numbers or booleans (or lists of them) are
//! kept as [`WireContextValue::Unusable`] so that typing the request can name the key.

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::eval::ContextValue;

/// The request context as sent, typed while it is read (no intermediate JSON tree): keys in
/// order, each with its value or values. `null` means no context.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WireContext(pub Vec<(String, WireContextValue)>);

/// One context value as sent.
#[derive(Debug, Clone, PartialEq)]
pub enum WireContextValue {
    /// A string, number or boolean: a single-valued key.
    One(ContextValue),
    /// A list of them: a multivalued key.
    Many(Vec<ContextValue>),
    /// Something else (an object, `null`, a nested list): refused when the request is typed.
    Unusable,
}

/// A JSON scalar as IAM text: strings as they are, numbers and booleans as JSON writes them.
enum Scalar {
    Text(String),
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Scalar, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Scalar::Other, |n| Scalar::Text(n.to_string())))
    }
    fn visit_unit<E>(self) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Scalar, A::Error> {
        while a.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> std::result::Result<Scalar, A::Error> {
        while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

impl<'de> Deserialize<'de> for WireContextValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl ValueVisitor {
    fn one(s: Scalar) -> WireContextValue {
        match s {
            Scalar::Text(t) => WireContextValue::One(ContextValue::from_text(t)),
            Scalar::Other => WireContextValue::Unusable,
        }
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = WireContextValue;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, number or boolean, or a list of them")
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Self::one(Scalar::Text(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
        Ok(Self::one(Scalar::Text(v)))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Self::Value, E> {
        ScalarVisitor.visit_bool(v).map(Self::one)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
        ScalarVisitor.visit_u64(v).map(Self::one)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
        ScalarVisitor.visit_i64(v).map(Self::one)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
        ScalarVisitor.visit_f64(v).map(Self::one)
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(WireContextValue::Unusable)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Self::Value, A::Error> {
        let mut values = Vec::with_capacity(a.size_hint().unwrap_or(2));
        let mut usable = true;
        while let Some(item) = a.next_element::<Scalar>()? {
            match item {
                Scalar::Text(t) => values.push(ContextValue::from_text(t)),
                Scalar::Other => usable = false,
            }
        }
        Ok(if usable {
            WireContextValue::Many(values)
        } else {
            WireContextValue::Unusable
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, a: A) -> std::result::Result<Self::Value, A::Error> {
        ScalarVisitor
            .visit_map(a)
            .map(|_| WireContextValue::Unusable)
    }
}

impl<'de> Deserialize<'de> for WireContext {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireContext;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of condition keys")
            }
            fn visit_unit<E>(self) -> std::result::Result<WireContext, E> {
                Ok(WireContext::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<WireContext, A::Error> {
                let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(8));
                while let Some((k, v)) = a.next_entry::<String, WireContextValue>()? {
                    entries.push((k, v));
                }
                Ok(WireContext(entries))
            }
        }
        d.deserialize_any(V)
    }
}
