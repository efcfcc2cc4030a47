//! The request context on the wire, typed while serde reads it: no intermediate JSON tree, one
//! allocation per string. Values that are not strings, numbers or booleans (or lists of them) are
//! kept as [`ContextEntry::Unusable`] so that typing the request can name the key.

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use compact_str::CompactString;
use smallvec::{smallvec, SmallVec};

use crate::eval::{ContextValue, ContextValues};

/// The request context as sent, typed while it is read (no intermediate JSON tree): keys in
/// order, each with its value or values. `null` means no context.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context(pub Vec<(CompactString, ContextEntry)>);

/// One context value as sent.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextEntry {
    /// A string, number or boolean: a single-valued key.
    One(ContextValue),
    /// A list of them: a multivalued key.
    Many(ContextValues),
    /// Something else (an object, `null`, a nested list): refused when the request is typed.
    Unusable,
}

/// A JSON scalar as IAM text: strings as they are, numbers and booleans as JSON writes them.
enum Scalar {
    Text(CompactString),
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
        Ok(Scalar::Text(CompactString::from(v)))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(CompactString::from(v.as_str())))
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(CompactString::const_new(if v {
            "true"
        } else {
            "false"
        })))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(CompactString::from(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Text(CompactString::from(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Scalar, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Scalar::Other, |n| {
            Scalar::Text(CompactString::from(n.to_string()))
        }))
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

impl<'de> Deserialize<'de> for ContextEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl ValueVisitor {
    fn one(s: Scalar) -> ContextEntry {
        match s {
            Scalar::Text(t) => ContextEntry::One(ContextValue::from_text(t)),
            Scalar::Other => ContextEntry::Unusable,
        }
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ContextEntry;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, number or boolean, or a list of them")
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Self::one(Scalar::Text(CompactString::from(v))))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
        Ok(Self::one(Scalar::Text(CompactString::from(v.as_str()))))
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
        Ok(ContextEntry::Unusable)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Self::Value, A::Error> {
        let mut values: ContextValues = SmallVec::new();
        let mut usable = true;
        while let Some(item) = a.next_element::<Scalar>()? {
            match item {
                Scalar::Text(t) => values.push(ContextValue::from_text(t)),
                Scalar::Other => usable = false,
            }
        }
        Ok(if usable {
            ContextEntry::Many(values)
        } else {
            ContextEntry::Unusable
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, a: A) -> std::result::Result<Self::Value, A::Error> {
        ScalarVisitor.visit_map(a).map(|_| ContextEntry::Unusable)
    }
}

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Context;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of condition keys")
            }
            fn visit_unit<E>(self) -> std::result::Result<Context, E> {
                Ok(Context::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Context, A::Error> {
                let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(8));
                while let Some((k, v)) = a.next_entry::<CompactString, ContextEntry>()? {
                    entries.push((k, v));
                }
                Ok(Context(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// A typed context entry: the key, its values, and whether the key is multivalued.
pub(crate) type TypedEntry = (CompactString, ContextValues, bool);

impl Context {
    /// Hands each entry to `f` with its values typed, refusing an unusable value; `path` gives the
    /// context's JSON path, for the error (built only then).
    pub(crate) fn for_each_typed(
        self,
        path: impl Fn() -> String,
        mut f: impl FnMut(CompactString, ContextValues, bool),
    ) -> crate::error::Result<()> {
        for (k, v) in self.0 {
            match v {
                ContextEntry::One(val) => f(k, smallvec![val], false),
                ContextEntry::Many(vals) => f(k, vals, true),
                ContextEntry::Unusable => {
                    return Err(crate::error::Error::new(
                        crate::error::ErrorCode::RequestContext,
                        format!("the context value of `{k}` must be a string, number or boolean, or a list of them"),
                    )
                    .at(crate::error::Location::path(format!("{}['{k}']", path()))))
                }
            }
        }
        Ok(())
    }

    /// The entries with their values typed (see [`Context::for_each_typed`]).
    pub(crate) fn typed(self, path: &str) -> crate::error::Result<Vec<TypedEntry>> {
        let mut out = Vec::with_capacity(self.0.len());
        self.for_each_typed(
            || path.to_string(),
            |k, vals, multi| out.push((k, vals, multi)),
        )?;
        Ok(out)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Context {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Context".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Condition keys (case-insensitive) and their values: a string, number or boolean, or a list of them (a multivalued key, even with one element). `null` means no context.",
            "type": ["object", "null"],
            "additionalProperties": {
                "anyOf": [
                    {"type": "string"}, {"type": "number"}, {"type": "boolean"},
                    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}}
                ]
            }
        })
    }
}
