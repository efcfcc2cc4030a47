//! `iamkit eval`: the requests in case files. A file holds one case, a JSON array of cases, or
//! JSON lines; a case is `{"name"?, "doc"?, "request", "policies"?, "expected"?}` (the input of
//! the `evaluate` call, with a name and what it should give).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use iamkit_core::wire::{EvaluateInput, Policies, Request};
use iamkit_core::Error;
use iamkit_core::{Decision, EvalStep, Explanation};

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
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    loop {
        let start = stream.byte_offset();
        match stream.next() {
            None => return Ok(out),
            Some(Ok(raw)) => out.push(raw),
            // read the failing rest again through the wire reader, for its location in the file
            Some(Err(_)) => {
                let rest = &text[start..];
                return Err(iamkit_core::wire::read_within::<&RawValue>(rest, text, "$")
                    .err()
                    .unwrap_or_else(|| {
                        iamkit_core::Error::new(iamkit_core::ErrorCode::InputJson, "not JSON")
                    }));
            }
        }
    }
}

/// Runs one raw case taken from `text` (errors are located in `text`); `index` is its position,
/// its name when it has none.
pub fn run_case(raw: &RawValue, text: &str, index: usize) -> CaseResult {
    let fallback = format!("case {}", index + 1);
    let path = format!("$[{index}]");
    let case: Case<'_> = match iamkit_core::wire::read_within(raw.get(), text, &path) {
        Ok(c) => c,
        Err(error) => {
            let name = serde_json::from_str::<serde_json::Value>(raw.get())
                .ok()
                .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .unwrap_or(fallback);
            return CaseResult {
                name,
                outcome: Outcome::Failed { error },
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
