//! The JSON Schema of the whole wire contract, generated from the call tables and the Rust types
//! they name. It is committed as `contract/iamkit.schema.json` (a test keeps it current), and the
//! TypeScript, Go and Python types are generated from it, so a call is declared once.
//!
//! The document is a JSON Schema (draft 2020-12) whose `$defs` hold every input and answer type,
//! plus iamkit's own members: `calls` (calls without a handle), `handles` (each kind, the input
//! that opens it and its calls), `error` and `errorCodes`.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::{json, Value};

use super::{AccountCall, AccountOpenInput, Call, OrgCall, OrgOpenInput, Policies, PolicySetCall};
use crate::error::{Error, ErrorCode};

/// One call: its name, what it does, and references to its input and answer types.
#[derive(Debug, Clone, Serialize)]
pub struct CallSchema {
    /// The call's name.
    pub name: &'static str,
    /// What it does.
    pub doc: String,
    /// The input object's schema (a `$ref`).
    pub input: Schema,
    /// The answer's schema (usually a `$ref`).
    pub output: Schema,
}

impl CallSchema {
    pub(crate) fn new<I: JsonSchema, O: JsonSchema>(
        g: &mut Generators,
        name: &'static str,
        doc: &str,
    ) -> CallSchema {
        CallSchema {
            name,
            doc: doc
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
                .trim()
                .to_string(),
            input: g.inputs.subschema_for::<I>(),
            output: g.outputs.subschema_for::<O>(),
        }
    }
}

/// Inputs are described as serde reads them (a field with a default is optional), answers as
/// serde writes them (a field is optional only when it may be left out).
pub(crate) struct Generators {
    inputs: SchemaGenerator,
    outputs: SchemaGenerator,
}

impl Generators {
    fn new() -> Generators {
        Generators {
            inputs: SchemaSettings::draft2020_12()
                .for_deserialize()
                .into_generator(),
            outputs: SchemaSettings::draft2020_12()
                .for_serialize()
                .into_generator(),
        }
    }

    /// Both generators' definitions in one map; a name both define must mean the same schema.
    fn definitions(mut self) -> serde_json::Map<String, Value> {
        let mut defs = self.inputs.take_definitions(true);
        for (name, schema) in self.outputs.take_definitions(true) {
            match defs.get(&name) {
                Some(s) if *s != schema => {
                    defs.insert(format!("{name}Answer"), schema);
                }
                _ => {
                    defs.insert(name, schema);
                }
            }
        }
        defs.sort_keys();
        defs
    }
}

/// The contract document (see the module docs).
pub fn document() -> Value {
    let mut g = Generators::new();
    let calls = Call::describe(&mut g);
    let policy_set = g.inputs.subschema_for::<Policies<'_>>();
    let set_calls = PolicySetCall::describe(&mut g);
    let account = g.inputs.subschema_for::<AccountOpenInput<'_>>();
    let account_calls = AccountCall::describe(&mut g);
    let org = g.inputs.subschema_for::<OrgOpenInput>();
    let org_calls = OrgCall::describe(&mut g);
    let error = g.outputs.subschema_for::<Error>();
    let defs = g.definitions();
    let mut doc = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "iamkit wire contract",
        "description": "Every call of iamkit's wire contract: its input object and its answer. A call without a handle is made with `call(name, input)`; a handle is opened with `open(kind, input)` and answers `call(name, input)` on it. Errors are `error`, with a code from `errorCodes`.",
        "version": crate::VERSION,
        "calls": calls,
        "handles": [
            {"kind": "policySet", "doc": "Policies compiled once, to decide many requests.", "input": policy_set, "calls": set_calls},
            {"kind": "account", "doc": "An AWS account loaded from `get-account-authorization-details` output, to query many times.", "input": account, "calls": account_calls},
            {"kind": "organization", "doc": "An AWS Organization read from a folder (its tree, SCPs and RCPs once; each account's folder when a call asks about it), to query many times.", "input": org, "calls": org_calls},
        ],
        "error": error,
        "errorCodes": ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "$defs": defs,
    });
    plain_descriptions(&mut doc);
    doc
}

/// Descriptions are written for Rust readers: intra-doc links (``[`Account::who_can`]``) become
/// plain code spans for the other languages.
fn plain_descriptions(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match x {
                    Value::String(s) if k == "description" || k == "doc" => *s = unlink(s),
                    _ => plain_descriptions(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(plain_descriptions),
        _ => {}
    }
}

/// ``[`x`]`` and ``[`x`](target)`` become `` `x` ``.
fn unlink(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[`") {
        let Some(j) = rest[i + 2..].find("`]") else {
            break;
        };
        out.push_str(&rest[..i]);
        out.push('`');
        out.push_str(&rest[i + 2..i + 2 + j]);
        out.push('`');
        rest = &rest[i + 2 + j + 2..];
        if rest.starts_with('(') {
            if let Some(k) = rest.find(')') {
                rest = &rest[k + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The document as the committed file holds it: pretty-printed, with a final newline.
pub fn document_text() -> String {
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}
