//! `aws iam get-account-authorization-details` output as IAM writes it: one page, several pages
//! concatenated or in a JSON array; dates as text or seconds; policy documents as objects, JSON
//! text or URL-encoded text. Only the serde shapes and their decoding: the account model is built
//! from them by the `account` module.

use serde::Deserialize;
use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::{Error, ErrorCode, Location, Result};
use crate::strict::Strictly;

/// A list that the AWS CLI documentation sometimes shows as a single object.
#[derive(Debug, PartialEq)]
pub(crate) enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

/// Written by hand rather than `#[serde(untagged)]`: an untagged enum buffers its input and reads
/// the buffer with serde's own deserializer, which would take an array for a struct by position
/// (see `crate::strict`). Here a list is `Many` and anything else is `One`, read by the
/// deserializer given (strict when the caller's is).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::value::{
            BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
            MapAccessDeserializer, StrDeserializer, StringDeserializer, U64Deserializer,
            UnitDeserializer,
        };
        use serde::de::{MapAccess, SeqAccess, Visitor};

        struct V<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list, or a single element")
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(a.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                a: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(a)).map(OneOrMany::One)
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                T::deserialize(BorrowedStrDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<Self::Value, E> {
                T::deserialize(StrDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_string<E: serde::de::Error>(
                self,
                v: String,
            ) -> std::result::Result<Self::Value, E> {
                T::deserialize(StringDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_bool<E: serde::de::Error>(
                self,
                v: bool,
            ) -> std::result::Result<Self::Value, E> {
                T::deserialize(BoolDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
                T::deserialize(I64Deserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
                T::deserialize(U64Deserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
                T::deserialize(F64Deserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
                T::deserialize(UnitDeserializer::new()).map(OneOrMany::One)
            }
        }

        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::Many(v) => v,
            OneOrMany::One(t) => vec![t],
        }
    }
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct Page {
    pub(crate) user_detail_list: Vec<RawUser>,
    pub(crate) group_detail_list: Vec<RawGroup>,
    pub(crate) role_detail_list: Vec<RawRole>,
    pub(crate) policies: Vec<RawPolicy>,
    pub(crate) is_truncated: Option<bool>,
    pub(crate) marker: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RawTag {
    pub(crate) key: String,
    #[serde(default)]
    pub(crate) value: String,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawAttached {
    pub(crate) policy_arn: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawInline {
    pub(crate) policy_name: Option<String>,
    pub(crate) policy_document: Option<RawDoc>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawBoundary {
    pub(crate) permissions_boundary_arn: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawUser {
    pub(crate) path: Option<String>,
    pub(crate) user_name: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) arn: Option<String>,
    pub(crate) create_date: Option<Value>,
    pub(crate) user_policy_list: OneOrMany<RawInline>,
    pub(crate) group_list: OneOrMany<String>,
    pub(crate) attached_managed_policies: OneOrMany<RawAttached>,
    pub(crate) permissions_boundary: Option<RawBoundary>,
    pub(crate) tags: OneOrMany<RawTag>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawGroup {
    pub(crate) path: Option<String>,
    pub(crate) group_name: Option<String>,
    pub(crate) group_id: Option<String>,
    pub(crate) arn: Option<String>,
    pub(crate) create_date: Option<Value>,
    pub(crate) group_policy_list: OneOrMany<RawInline>,
    pub(crate) attached_managed_policies: OneOrMany<RawAttached>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawInstanceProfile {
    pub(crate) path: Option<String>,
    pub(crate) instance_profile_name: Option<String>,
    pub(crate) instance_profile_id: Option<String>,
    pub(crate) arn: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawLastUsed {
    pub(crate) last_used_date: Option<Value>,
    pub(crate) region: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawRole {
    pub(crate) path: Option<String>,
    pub(crate) role_name: Option<String>,
    pub(crate) role_id: Option<String>,
    pub(crate) arn: Option<String>,
    pub(crate) create_date: Option<Value>,
    pub(crate) description: Option<String>,
    pub(crate) assume_role_policy_document: Option<RawDoc>,
    pub(crate) instance_profile_list: OneOrMany<RawInstanceProfile>,
    pub(crate) role_policy_list: OneOrMany<RawInline>,
    pub(crate) attached_managed_policies: OneOrMany<RawAttached>,
    pub(crate) permissions_boundary: Option<RawBoundary>,
    pub(crate) tags: OneOrMany<RawTag>,
    pub(crate) role_last_used: Option<RawLastUsed>,
    pub(crate) max_session_duration: Option<u64>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawVersion {
    pub(crate) document: Option<RawDoc>,
    pub(crate) version_id: Option<String>,
    pub(crate) is_default_version: Option<bool>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct RawPolicy {
    pub(crate) policy_name: Option<String>,
    pub(crate) policy_id: Option<String>,
    pub(crate) arn: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) default_version_id: Option<String>,
    pub(crate) attachment_count: Option<u64>,
    pub(crate) policy_version_list: OneOrMany<RawVersion>,
}

/// A date as written (string), or a number of seconds as some exports write it.
pub(crate) fn date_text(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A policy document as the input writes it: a JSON object, or a string holding JSON text or
/// URL-encoded JSON text (the raw API). Kept as its text, not as a tree: the policy parser reads
/// the text once (and its errors point into the text as written).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(crate) struct RawDoc(Box<RawValue>);

impl PartialEq for RawDoc {
    /// The same document: the same text, or (for the rare repeated listing written another way)
    /// the same JSON value.
    fn eq(&self, other: &RawDoc) -> bool {
        let (a, b) = (self.0.get(), other.0.get());
        a == b
            || matches!(
                (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)),
                (Ok(x), Ok(y)) if x == y
            )
    }
}

/// A policy document's JSON text (see [`RawDoc`]): borrowed when the input holds the object
/// itself.
pub(crate) fn document_text(doc: &RawDoc) -> std::result::Result<Cow<'_, str>, String> {
    let raw = doc.0.get();
    if raw.starts_with('{') {
        return Ok(Cow::Borrowed(raw));
    }
    if !raw.starts_with('"') {
        return Err("the document must be a JSON object or a string".into());
    }
    let s: String = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    let t = s.trim_start();
    if t.starts_with('{') {
        return Ok(Cow::Owned(s));
    }
    let decoded = percent_encoding::percent_decode_str(&s)
        .decode_utf8()
        .map_err(|e| format!("the URL-encoded document is not UTF-8: {e}"))?;
    if decoded.trim_start().starts_with('{') {
        Ok(Cow::Owned(decoded.into_owned()))
    } else {
        Err("the document is neither a JSON object, JSON text nor URL-encoded JSON".into())
    }
}

/// Reads every page: one JSON object, a JSON array of them, or objects written one after another.
pub(crate) fn pages(text: &str) -> Result<Vec<Page>> {
    let json_err = |e: serde_json::Error| {
        Error::new(
            ErrorCode::InputJson,
            format!("the authorization details are not valid JSON: {e}"),
        )
        .at(Location::new("$", e.line() as u32, e.column() as u32))
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let pages = crate::strict::from_str::<Vec<Page>>(text).map_err(|e| {
            if e.is_data() {
                Error::new(
                    ErrorCode::AccountData,
                    format!("a page does not have the expected shape: {e}"),
                )
            } else {
                json_err(e)
            }
        })?;
        if pages.is_empty() {
            return Err(Error::new(
                ErrorCode::InputJson,
                "the authorization details are an empty list of pages",
            ));
        }
        return Ok(pages);
    }
    let mut out = Vec::new();
    for page in serde_json::Deserializer::from_str(text).into_iter::<Strictly<Page>>() {
        out.push(page.map(|p| p.0).map_err(|e| {
            if e.is_data() {
                Error::new(
                    ErrorCode::AccountData,
                    format!("the authorization details do not have the expected shape: {e}"),
                )
                .at(Location::new("$", e.line() as u32, e.column() as u32))
            } else {
                json_err(e)
            }
        })?);
    }
    if out.is_empty() {
        return Err(Error::new(
            ErrorCode::InputJson,
            "the authorization details are empty",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn doc(json: &str) -> RawDoc {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_document_object_is_read_as_written_and_a_string_as_its_text() {
        let object = r#"{"Version": "2012-10-17",  "Statement": []}"#;
        let d = doc(object);
        let text = document_text(&d).unwrap();
        assert!(matches!(text, Cow::Borrowed(_)));
        assert_eq!(text, object);
        let quoted = serde_json::to_string(object).unwrap();
        assert_eq!(document_text(&doc(&quoted)).unwrap(), object);
        let encoded = "\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D\"";
        assert_eq!(
            document_text(&doc(encoded)).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        for bad in ["[1]", "3", "\"not a policy\"", "null"] {
            assert!(document_text(&doc(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_document_listed_twice_is_the_same_when_its_value_is() {
        let a = doc(r#"{"Version":"2012-10-17","Statement":[]}"#);
        let b = doc(r#"{ "Version" : "2012-10-17", "Statement" : [ ] }"#);
        let c = doc(r#"{"Version":"2012-10-17","Statement":[{}]}"#);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
