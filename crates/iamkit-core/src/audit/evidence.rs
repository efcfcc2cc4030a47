//! A finding's evidence and compliance ids as compact typed values: an ordered list of named
//! values (report cells, thresholds, ages) instead of a `serde_json::Value` tree. They serialize
//! to the same JSON the tree did: keys in insertion order (a key set twice keeps its first
//! place), values as JSON.

use std::borrow::Cow;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::inputs::{Cell, Instant};

/// One value of the evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum Ev {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction (non-finite numbers are `null`, as JSON has none).
    Float(f64),
    /// A string.
    Str(Cow<'static, str>),
    /// An instant, as RFC 3339.
    Time(Instant),
    /// Any other JSON value (lists, objects; rare, account-wide findings).
    Json(serde_json::Value),
}

impl Serialize for Ev {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Ev::Null => s.serialize_unit(),
            Ev::Bool(b) => s.serialize_bool(*b),
            Ev::Int(n) => s.serialize_i64(*n),
            Ev::Float(f) => s.serialize_f64(*f),
            Ev::Str(t) => s.serialize_str(t),
            Ev::Time(t) => t.serialize(s),
            Ev::Json(v) => v.serialize(s),
        }
    }
}

impl From<bool> for Ev {
    fn from(b: bool) -> Ev {
        Ev::Bool(b)
    }
}

impl From<i64> for Ev {
    fn from(n: i64) -> Ev {
        Ev::Int(n)
    }
}

impl From<u32> for Ev {
    fn from(n: u32) -> Ev {
        Ev::Int(i64::from(n))
    }
}

impl From<usize> for Ev {
    fn from(n: usize) -> Ev {
        i64::try_from(n).map_or_else(|_| Ev::Json(serde_json::Value::from(n)), Ev::Int)
    }
}

impl From<f64> for Ev {
    fn from(f: f64) -> Ev {
        Ev::Float(f)
    }
}

impl From<&'static str> for Ev {
    fn from(t: &'static str) -> Ev {
        Ev::Str(Cow::Borrowed(t))
    }
}

impl From<String> for Ev {
    fn from(t: String) -> Ev {
        Ev::Str(Cow::Owned(t))
    }
}

impl From<Instant> for Ev {
    fn from(t: Instant) -> Ev {
        Ev::Time(t)
    }
}

impl From<serde_json::Value> for Ev {
    fn from(v: serde_json::Value) -> Ev {
        Ev::Json(v)
    }
}

impl<T: Into<serde_json::Value>> From<Vec<T>> for Ev {
    fn from(v: Vec<T>) -> Ev {
        Ev::Json(serde_json::Value::Array(
            v.into_iter().map(Into::into).collect(),
        ))
    }
}

impl<T: Into<Ev>> From<Option<T>> for Ev {
    fn from(v: Option<T>) -> Ev {
        v.map_or(Ev::Null, Into::into)
    }
}

/// A special value of a cell as its text.
fn special<T>(c: &Cell<T>) -> Ev {
    Ev::Str(Cow::Borrowed(c.special().unwrap_or_default()))
}

impl From<&Cell<bool>> for Ev {
    fn from(c: &Cell<bool>) -> Ev {
        match c {
            Cell::Value(b) => Ev::Bool(*b),
            other => special(other),
        }
    }
}

impl From<&Cell<Instant>> for Ev {
    fn from(c: &Cell<Instant>) -> Ev {
        match c {
            Cell::Value(t) => Ev::Time(*t),
            other => special(other),
        }
    }
}

impl From<&Cell<String>> for Ev {
    fn from(c: &Cell<String>) -> Ev {
        match c {
            Cell::Value(t) => Ev::Str(Cow::Owned(t.clone())),
            other => special(other),
        }
    }
}

/// The exact values a finding used, in order: a JSON object when serialized.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence(Vec<(Cow<'static, str>, Ev)>);

impl Evidence {
    /// No values.
    pub fn new() -> Evidence {
        Evidence(Vec::new())
    }

    /// Sets `key` to `value`: in its place when already set, else at the end.
    pub fn set(&mut self, key: &'static str, value: impl Into<Ev>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((Cow::Borrowed(key), value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Ev> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    /// With room for `n` values.
    pub(crate) fn with_capacity(n: usize) -> Evidence {
        Evidence(Vec::with_capacity(n))
    }
}

impl From<serde_json::Value> for Evidence {
    /// An object's members in order (anything else is kept under `value`).
    fn from(v: serde_json::Value) -> Evidence {
        match v {
            serde_json::Value::Object(m) => Evidence(
                m.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Ev::Json(v)))
                    .collect(),
            ),
            other => Evidence(vec![(Cow::Borrowed("value"), Ev::Json(other))]),
        }
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Evidence {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        <serde_json::Value as schemars::JsonSchema>::schema_name()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <serde_json::Value as schemars::JsonSchema>::json_schema(g)
    }
}

/// Evidence from `"key": value` pairs, in order: `ev!{"active": true, "lastRotated": &cell}`.
macro_rules! ev {
    ($($k:literal : $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut e = $crate::audit::Evidence::with_capacity(1 $(+ { let _ = $k; 1 })*);
        $( e.set($k, $v); )*
        e
    }};
}
pub(crate) use ev;

/// Framework to control ids of a check: a JSON object keyed by framework, in name order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compliance(pub &'static [(&'static str, &'static [&'static str])]);

impl Compliance {
    /// The frameworks in name order, with their control ids.
    pub fn sorted(&self) -> Vec<(&'static str, &'static [&'static str])> {
        // as a map: a framework named twice keeps its last ids
        let mut v: Vec<(&'static str, &'static [&'static str])> = Vec::with_capacity(self.0.len());
        for (k, ids) in self.0 {
            match v.iter_mut().find(|(x, _)| x == k) {
                Some(e) => e.1 = ids,
                None => v.push((k, ids)),
            }
        }
        v.sort_by_key(|(k, _)| *k);
        v
    }
}

impl Serialize for Compliance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sorted = self.sorted();
        let mut m = s.serialize_map(Some(sorted.len()))?;
        for (k, ids) in sorted {
            m.serialize_entry(k, ids)?;
        }
        m.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Compliance {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        <std::collections::BTreeMap<String, Vec<String>> as schemars::JsonSchema>::schema_name()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, Vec<String>> as schemars::JsonSchema>::json_schema(g)
    }
}
