//! The JSON-lines interface: a stream of lines, each opening a handle or making a call, answered
//! line for line. `iamkit calls` speaks it on standard input and output, and every language's
//! conformance runner reads the same stream.
//!
//! ```text
//! {"open": "h1", "kind": "account", "input": {"details": {...}}}
//! {"id": 7, "on": "h1", "call": "whoCan", "input": {"action": "iam:CreateUser", "resource": "*"}}
//! {"id": 8, "call": "validate", "input": {"policy": {...}}}
//! ```
//!
//! Each line gets one answer line: `{"open": "h1"}` or `{"open": "h1", "error": {...}}` for an
//! open, `{"id": 7, "answer": ...}` or `{"id": 7, "error": {...}}` for a call. A call on a handle
//! that failed to open answers with the open's error. A line that cannot be read answers
//! `{"id": null, "error": {...}}`.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{call, error_json, Handle};
use crate::error::{Error, ErrorCode, Result};
use crate::limits;

/// One line of the stream.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    /// Opens a handle under this name.
    #[serde(default, borrow)]
    open: Option<&'a str>,
    /// The handle's kind (with `open`).
    #[serde(default, borrow)]
    kind: Option<&'a str>,
    /// The call's id, echoed in its answer (any JSON value).
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    /// The handle the call is made on.
    #[serde(default, borrow)]
    on: Option<&'a str>,
    /// The call's name.
    #[serde(default, borrow)]
    call: Option<&'a str>,
    /// The open's or the call's input.
    #[serde(borrow)]
    input: &'a RawValue,
}

/// The handles a stream has opened.
#[derive(Debug, Default)]
pub struct Session {
    handles: HashMap<String, std::result::Result<Handle, Error>>,
}

impl Session {
    /// A session with no handle open.
    pub fn new() -> Session {
        Session::default()
    }

    /// Answers one line of the stream with one line (without its newline). Blank lines answer
    /// `None`.
    pub fn answer(&mut self, line: &str) -> Option<String> {
        if line.trim().is_empty() {
            return None;
        }
        // only the line's size here: its input's depth is checked when the input is read (as the
        // open's or the call's error), and reading the line does not descend into it
        let parsed: Line<'_> =
            match super::read_limited(line, "the line", limits::MAX_LINE_BYTES, None) {
                Ok(l) => l,
                Err(e) => return Some(format!(r#"{{"id":null,"error":{}}}"#, error_json(&e))),
            };
        let id = parsed.id.map_or("null", RawValue::get);
        Some(match (parsed.open, parsed.call) {
            (Some(name), None) => self.open(name, parsed.kind, parsed.input.get()),
            (None, Some(name)) => match self.call(parsed.on, name, parsed.input.get()) {
                Ok(answer) => format!(r#"{{"id":{id},"answer":{answer}}}"#),
                Err(e) => format!(r#"{{"id":{id},"error":{}}}"#, error_json(&e)),
            },
            _ => {
                let e = Error::new(
                    ErrorCode::InputSchema,
                    "a line holds either `open` (with `kind`) or `call`",
                );
                format!(r#"{{"id":{id},"error":{}}}"#, error_json(&e))
            }
        })
    }

    fn open(&mut self, name: &str, kind: Option<&str>, input: &str) -> String {
        let handle = match kind {
            Some(kind) => Handle::open(kind, input),
            None => Err(Error::new(ErrorCode::InputSchema, "`open` needs `kind`")),
        };
        let quoted = serde_json::to_string(name).unwrap_or_else(|_| "null".into());
        let out = match &handle {
            Ok(_) => format!(r#"{{"open":{quoted}}}"#),
            Err(e) => format!(r#"{{"open":{quoted},"error":{}}}"#, error_json(e)),
        };
        self.handles.insert(name.to_string(), handle);
        out
    }

    fn call(&self, on: Option<&str>, name: &str, input: &str) -> Result<String> {
        match on {
            None => super::to_json(&call(name, input)?),
            Some(h) => match self.handles.get(h) {
                Some(Ok(handle)) => handle.call_json(name, input),
                Some(Err(e)) => Err(e.clone()),
                None => Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("no handle `{h}` is open"),
                )),
            },
        }
    }
}
