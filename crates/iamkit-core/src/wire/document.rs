//! A document carried inside an input: a JSON value, or a string holding its text.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Error, ErrorCode, Result};

/// A document inside an input (a policy, authorization details, a credential report, ...): a JSON
/// value, or a JSON string holding its text (JSON text, or CSV for a credential report). Kept as
/// the slice of the input that holds it: nothing is copied until it is read.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(transparent)]
pub struct Document<'a>(#[serde(borrow)] pub &'a RawValue);

impl<'a> Document<'a> {
    /// The document's text: a string's content, or the JSON value itself (borrowed from the
    /// input).
    pub fn text(&self) -> Result<Cow<'a, str>> {
        let raw = self.0.get();
        if raw.starts_with('"') {
            let s: String = serde_json::from_str(raw).map_err(|e| {
                Error::new(ErrorCode::InputJson, format!("bad document string: {e}"))
            })?;
            Ok(Cow::Owned(s))
        } else {
            Ok(Cow::Borrowed(raw))
        }
    }

    /// The JSON value as written in the input (a string keeps its quotes and escapes).
    pub fn raw(&self) -> &'a str {
        self.0.get()
    }

    /// Whether the document was given as a string.
    pub fn is_text(&self) -> bool {
        self.0.get().starts_with('"')
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Document<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Document".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A document: a JSON value, or a string holding its text.",
            "anyOf": [{"type": "object"}, {"type": "array"}, {"type": "string"}]
        })
    }
}
