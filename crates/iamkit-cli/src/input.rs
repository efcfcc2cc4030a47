//! The JSON input of a core call, built from files: a file that holds one JSON value goes in as
//! that value, written as it is (no copy into a JSON string for the core to unescape again);
//! any other file (CSV, JSON lines, pages written one after another, a file with leading
//! whitespace whose positions would shift, a value nested as deep as an input may be, which one
//! more level would take past the limit) goes in as a string holding its text. The core reads
//! both, and reports errors with the same lines and columns.

use iamkit_core::limits::{nests_deeper, MAX_INPUT_DEPTH};
use serde::de::IgnoredAny;
use serde_json::Value;

/// One member of the input.
#[derive(Debug)]
pub(crate) enum Field {
    /// A file that is one JSON value, as written.
    Json(String),
    /// Any other value (a file's text as a string, options).
    Value(Value),
}

impl Field {
    /// A file's text (see the module docs).
    pub(crate) fn file(text: String) -> Field {
        let bare = text.trim_start().len() == text.len() && text.starts_with(['{', '[']);
        // inside the input the value nests one level deeper than in its file: one at the
        // input's limit stays text (the core reads it as it would read the file); neither
        // scan runs for a file that is not bare JSON (a CSV report)
        if bare
            && !nests_deeper(&text, MAX_INPUT_DEPTH - 1)
            && serde_json::from_str::<IgnoredAny>(&text).is_ok()
        {
            Field::Json(text)
        } else {
            Field::Value(Value::String(text))
        }
    }
}

/// The input object with these members, as JSON text.
pub(crate) fn object<'k>(fields: impl IntoIterator<Item = (&'k str, Field)>) -> String {
    let mut out = String::from("{");
    for (i, (key, field)) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(key).to_string());
        out.push(':');
        match field {
            Field::Json(text) => out.push_str(&text),
            Field::Value(v) => out.push_str(&v.to_string()),
        }
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_file_of_one_json_value_goes_in_as_written_and_anything_else_as_text() {
        let fields = [
            ("a", Field::file("{\"x\": [1, 2]}".into())),
            ("b", Field::file("user,arn\nroot,x\n".into())),
            ("c", Field::file("{\"x\": 1}{\"x\": 2}".into())),
            ("d", Field::file("\n{\"x\": 1}".into())),
            ("e", Field::file("[1,".into())),
            ("f", Field::Value(serde_json::json!({"asOf": null}))),
        ];
        let text = object(fields);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["a"], serde_json::json!({"x": [1, 2]}));
        assert_eq!(v["b"], "user,arn\nroot,x\n");
        assert_eq!(v["c"], "{\"x\": 1}{\"x\": 2}");
        assert_eq!(v["d"], "\n{\"x\": 1}");
        assert_eq!(v["e"], "[1,");
        assert_eq!(v["f"], serde_json::json!({"asOf": null}));
        assert!(text.contains("\"a\":{\"x\": [1, 2]}"));
    }

    #[test]
    fn a_value_nested_as_deep_as_an_input_may_be_goes_in_as_text() {
        let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        let deepest = nested(MAX_INPUT_DEPTH);
        assert!(
            matches!(Field::file(deepest.clone()), Field::Value(Value::String(t)) if t == deepest)
        );
        let below = nested(MAX_INPUT_DEPTH - 1);
        assert!(matches!(Field::file(below), Field::Json(_)));
    }
}
