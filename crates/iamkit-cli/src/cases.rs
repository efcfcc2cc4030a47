//! `iamkit eval`: the requests in case files. A file holds one case, a JSON array of cases, or
//! JSON lines; a case is `{"name"?, "doc"?, "request", "policies"?, "expected"?}` (the input of
//! the `evaluate` call, with a name and what it should give).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use iamkit_core::eval::{Decision, EvalStep, Explanation};
use iamkit_core::json::LineIndex;
use iamkit_core::wire::{EvaluateInput, Policies, Request};
use iamkit_core::{Error, ErrorCode, Location};

/// One case of a case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case<'a> {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    #[allow(dead_code)] // documentation for readers of the file
    doc: Option<String>,
    request: Request,
    #[serde(default, borrow)]
    policies: Policies<'a>,
    #[serde(default)]
    expected: Option<Expected>,
}

/// What a case expects.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expected {
    /// The decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The step expected to deny.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied_by: Option<EvalStep>,
    /// The error expected instead of a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExpectedError>,
}

/// An expected error.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectedError {
    /// The code, e.g. `IAM_POLICY_JSON`.
    pub code: String,
}

/// The answer to one case: a decision with its explanation, or an error.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    /// Decided.
    Decided {
        /// The decision.
        decision: Decision,
        /// Why.
        explain: Explanation,
    },
    /// Could not be decided.
    Failed {
        /// What was wrong with the input.
        error: Error,
    },
}

/// One line of `iamkit eval` output.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// The case's name (or its position when unnamed).
    pub name: String,
    /// The answer.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Whether the answer matched `expected` (absent when the case has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    /// What was expected, when it did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
}

/// Splits a text holding one case, an array of cases, or JSON lines into raw cases.
pub fn split_cases(text: &str) -> Result<Vec<&RawValue>, Error> {
    if text.trim_start().starts_with('[') {
        return iamkit_core::wire::read(text);
    }
    serde_json::Deserializer::from_str(text)
        .into_iter::<&RawValue>()
        .map(|item| item.map_err(|e| json_error(&e, text, text, "$")))
        .collect()
}

/// Runs one raw case taken from `text` (errors are located in `text`); `index` is its position,
/// its name when it has none.
pub fn run_case(raw: &RawValue, text: &str, index: usize) -> CaseResult {
    let fallback = format!("case {}", index + 1);
    let case: Case<'_> = match serde_json::from_str(raw.get()) {
        Ok(c) => c,
        Err(e) => {
            let name = serde_json::from_str::<serde_json::Value>(raw.get())
                .ok()
                .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .unwrap_or(fallback);
            return CaseResult {
                name,
                outcome: Outcome::Failed {
                    error: json_error(&e, text, raw.get(), &format!("$[{index}]")),
                },
                pass: Some(false),
                expected: None,
            };
        }
    };
    let name = case.name.unwrap_or(fallback);
    let input = EvaluateInput {
        request: case.request,
        policies: case.policies,
    };
    let outcome = match input.evaluate_in(Some(text), "$") {
        Ok(ev) => Outcome::Decided {
            decision: ev.decision,
            explain: ev.explain,
        },
        Err(error) => Outcome::Failed { error },
    };
    let (pass, expected) = match case.expected {
        None => (None, None),
        Some(exp) => {
            let ok = meets(&outcome, &exp);
            (Some(ok), (!ok).then_some(exp))
        }
    };
    CaseResult {
        name,
        outcome,
        pass,
        expected,
    }
}

/// Whether an outcome is what a case expects.
fn meets(outcome: &Outcome, exp: &Expected) -> bool {
    match outcome {
        Outcome::Decided { decision, explain } => {
            exp.error.is_none()
                && exp.decision.is_none_or(|d| d == *decision)
                && exp.denied_by.is_none_or(|s| Some(s) == explain.denied_by)
        }
        Outcome::Failed { error } => exp
            .error
            .as_ref()
            .is_some_and(|e| e.code == error.code().as_str()),
    }
}

/// A serde error inside `raw` (a slice of `text`), located in `text`.
fn json_error(e: &serde_json::Error, text: &str, raw: &str, path: &str) -> Error {
    let code = if e.is_data() {
        ErrorCode::InputSchema
    } else {
        ErrorCode::InputJson
    };
    let msg = e.to_string();
    let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let start = (raw.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let (l0, c0) = if start <= text.len() {
        LineIndex::new(text).position(start)
    } else {
        (1, 1)
    };
    let (line, column) = if e.line() <= 1 {
        (l0, c0 + to_u32(e.column().saturating_sub(1)))
    } else {
        (l0 + to_u32(e.line() - 1), to_u32(e.column()))
    };
    Error::new(code, msg).at(Location::new(path, line, column))
}
