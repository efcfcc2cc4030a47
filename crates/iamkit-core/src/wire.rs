//! The wire contract: the serde types every surface speaks (CLI, C, Go, Python, Node), and the
//! `*_json_str` entry points. The case format is described in `tests/README.md`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{Diagnostic, Error, ErrorCode, Location, Result};
use crate::eval::{Decision, EvalStep, Evaluation, Explanation, PolicySet, Request};
use crate::json::LineIndex;
use crate::policy::{parse_policy, PolicyType};

mod account;
mod audit;
mod catalog;
mod context;
pub use account::{
    account_from_json_str, account_query_json_str, credentials_json_str, json_subset,
    run_account_case, AccountCase, AccountCaseResult, WireLoadOptions, WireQuery,
};
pub use audit::{
    audit_expectation_met, audit_json_str, credential_report_json_str, run_audit_case, AuditCase,
    WireAuditInputs,
};
pub use catalog::{catalog_query_json_str, run_catalog_case, CatalogCase, WireCatalogQuery};
pub use context::{WireContext, WireContextValue};

/// A policy document on the wire: a JSON object, or a JSON string holding one.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(transparent)]
pub struct PolicyDoc<'a>(#[serde(borrow)] pub &'a RawValue);

impl<'a> PolicyDoc<'a> {
    /// The policy's JSON text (borrowed from the input when written as an object).
    pub fn text(&self) -> Result<Cow<'a, str>> {
        let raw = self.0.get();
        if raw.starts_with('"') {
            let s: String = serde_json::from_str(raw)
                .map_err(|e| Error::new(ErrorCode::InputJson, format!("bad policy string: {e}")))?;
            Ok(Cow::Owned(s))
        } else {
            Ok(Cow::Borrowed(raw))
        }
    }
}

/// The `policies` member of a case: every policy that bears on the request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WirePolicies<'a> {
    /// The principal's identity-based policies.
    #[serde(default, borrow)]
    pub identity: Vec<PolicyDoc<'a>>,
    /// The resource-based policy (trust policy, key policy, bucket policy, ...).
    #[serde(default, borrow)]
    pub resource: Option<PolicyDoc<'a>>,
    /// The permissions boundary (one document, or several read together).
    #[serde(default, borrow)]
    pub permission_boundaries: Vec<PolicyDoc<'a>>,
    /// The session policy.
    #[serde(default, borrow)]
    pub session: Option<PolicyDoc<'a>>,
    /// SCP levels, root first.
    #[serde(default, borrow)]
    pub scps: Vec<Vec<PolicyDoc<'a>>>,
    /// RCP levels, root first.
    #[serde(default, borrow)]
    pub rcps: Vec<Vec<PolicyDoc<'a>>>,
}

/// The `request` member of a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireRequest {
    /// An ARN, a service principal, an identity provider, or `anonymous`.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// An ARN or `*`.
    pub resource: String,
    /// The resource's account, when the ARN does not name it.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// Condition keys and values (a list is a multivalued key), typed as they are read.
    #[serde(default)]
    pub context: WireContext,
}

impl WireRequest {
    /// Types the request.
    pub fn to_request(&self) -> Result<Request> {
        self.clone().into_request()
    }

    /// Types the request, consuming it (no copies of its strings).
    pub fn into_request(self) -> Result<Request> {
        let mut b = Request::builder(self.principal, self.action, self.resource);
        if let Some(a) = self.resource_account {
            b = b.resource_account(a);
        }
        for (k, v) in self.context.0 {
            b = match v {
                WireContextValue::One(val) => b.context_values(&k, vec![val], false),
                WireContextValue::Many(vals) => b.context_values(&k, vals, true),
                WireContextValue::Unusable => {
                    return Err(Error::new(
                        ErrorCode::RequestContext,
                        format!("the context value of `{k}` must be a string, number or boolean, or a list of them"),
                    )
                    .at(Location::path(format!("$.request.context['{k}']"))))
                }
            };
        }
        b.build()
    }
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

/// One evaluation case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireCase<'a> {
    /// The case's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The documented rule the case checks.
    #[serde(default)]
    pub doc: Option<String>,
    /// The request.
    pub request: WireRequest,
    /// The policies.
    #[serde(default, borrow)]
    pub policies: WirePolicies<'a>,
    /// The expected answer.
    #[serde(default)]
    pub expected: Option<Expected>,
}

/// An error as it crosses a boundary: `{"code", "message", "location"}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WireError {
    /// The stable code.
    pub code: ErrorCode,
    /// The message.
    pub message: String,
    /// Where, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
}

impl From<&Error> for WireError {
    fn from(e: &Error) -> Self {
        WireError {
            code: e.code(),
            message: e.message().to_string(),
            location: e.location().cloned(),
        }
    }
}

impl From<Error> for WireError {
    fn from(e: Error) -> Self {
        WireError::from(&e)
    }
}

/// The answer to one case: a decision with its explanation, or an error.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum CaseOutcome {
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
        error: WireError,
    },
}

/// One line of `iamkit eval` output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's name (or its position when unnamed).
    pub name: String,
    /// The answer.
    #[serde(flatten)]
    pub outcome: CaseOutcome,
    /// Whether the answer matched `expected` (absent when the case has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    /// What was expected, when it did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
}

/// Splits a text holding one case, an array of cases, or JSON lines into raw cases with their
/// byte offsets.
pub fn split_cases(text: &str) -> Result<Vec<&RawValue>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let v: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        return Ok(v);
    }
    let mut out = Vec::new();
    for item in serde_json::Deserializer::from_str(text).into_iter::<&RawValue>() {
        out.push(item.map_err(|e| json_error(&e))?);
    }
    Ok(out)
}

fn json_error(e: &serde_json::Error) -> Error {
    let code = if e.is_data() {
        ErrorCode::InputSchema
    } else {
        ErrorCode::InputJson
    };
    Error::new(code, strip_position(&e.to_string())).at(Location::new(
        "$",
        to_u32(e.line()),
        to_u32(e.column()),
    ))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Runs one raw case taken from `text` (for locations). `index` is the case's position, used as
/// its name when it has none.
pub fn run_case(raw: &RawValue, text: &str, index: usize) -> CaseResult {
    let fallback = format!("case {}", index + 1);
    let case: WireCase<'_> = match serde_json::from_str(raw.get()) {
        Ok(c) => c,
        Err(e) => {
            let name = serde_json::from_str::<serde_json::Value>(raw.get())
                .ok()
                .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .unwrap_or(fallback);
            let err = json_error(&e).at(relocate(
                text,
                raw.get(),
                e.line(),
                e.column(),
                &format!("$[{index}]"),
            ));
            return CaseResult {
                name,
                outcome: CaseOutcome::Failed { error: err.into() },
                pass: Some(false),
                expected: None,
            };
        }
    };
    let name = case.name.clone().unwrap_or(fallback);
    let outcome = evaluate_case_in(&case, Some(text), "$.policies");
    let (pass, expected) = match &case.expected {
        None => (None, None),
        Some(exp) => {
            let ok = matches_expected(&outcome, exp);
            (Some(ok), (!ok).then(|| exp.clone()))
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
pub fn matches_expected(outcome: &CaseOutcome, exp: &Expected) -> bool {
    match outcome {
        CaseOutcome::Decided { decision, explain } => {
            exp.error.is_none()
                && exp.decision.is_none_or(|d| d == *decision)
                && exp.denied_by.is_none_or(|s| Some(s) == explain.denied_by)
        }
        CaseOutcome::Failed { error } => exp
            .error
            .as_ref()
            .is_some_and(|e| e.code == error.code.as_str()),
    }
}

/// Absolute location of a serde error inside `raw`, a slice of `text`.
fn relocate(text: &str, raw: &str, line: usize, column: usize, path: &str) -> Location {
    let start = raw.as_ptr() as usize;
    let base = text.as_ptr() as usize;
    if start < base || start > base + text.len() {
        return Location::new(path, to_u32(line), to_u32(column));
    }
    let (l0, c0) = LineIndex::new(text).position(start - base);
    if line <= 1 {
        Location::new(path, l0, c0 + to_u32(column.saturating_sub(1)))
    } else {
        Location::new(path, l0 + to_u32(line - 1), to_u32(column))
    }
}

/// Evaluates a case (its request against its policies).
pub fn evaluate_case(case: &WireCase<'_>) -> CaseOutcome {
    evaluate_case_in(case, None, "$.policies")
}

fn evaluate_case_in(case: &WireCase<'_>, text: Option<&str>, path: &str) -> CaseOutcome {
    let result = (|| -> Result<Evaluation> {
        let set = PolicySet::from_wire_in(&case.policies, text, path)?;
        let req = case.request.to_request()?;
        Ok(set.evaluate(&req))
    })();
    match result {
        Ok(ev) => CaseOutcome::Decided {
            decision: ev.decision,
            explain: ev.explain,
        },
        Err(e) => CaseOutcome::Failed { error: e.into() },
    }
}

/// Evaluates `{"request": ..., "policies": ...}` (a case; `name` and `expected` are ignored) and
/// returns `{"decision", "explain"}` as JSON, or the error.
pub fn evaluate_json_str(input: &str) -> Result<String> {
    let case: WireCase<'_> = serde_json::from_str(input).map_err(|e| json_error(&e))?;
    match evaluate_case_in(&case, Some(input), "$.policies") {
        CaseOutcome::Decided { decision, explain } => Ok(to_json(&serde_json::json!({
            "decision": decision,
            "explain": explain,
        }))),
        CaseOutcome::Failed { error } => {
            let e = Error::new(error.code, error.message);
            Err(match error.location {
                Some(l) => e.at(l),
                None => e,
            })
        }
    }
}

/// Compiles a `policies` object (JSON) into a [`PolicySet`].
pub fn policy_set_from_json_str(input: &str) -> Result<PolicySet> {
    let p: WirePolicies<'_> = serde_json::from_str(input).map_err(|e| json_error(&e))?;
    PolicySet::from_wire_in(&p, Some(input), "$")
}

/// Reads a `request` object (JSON) into a [`Request`].
pub fn request_from_json_str(input: &str) -> Result<Request> {
    let r: WireRequest = serde_json::from_str(input).map_err(|e| json_error(&e))?;
    r.into_request()
}

/// Evaluates a request (JSON) against a prepared set; returns `{"decision", "explain"}`.
pub fn evaluate_request_json_str(set: &PolicySet, request: &str) -> Result<String> {
    let req = request_from_json_str(request)?;
    Ok(to_json(&set.evaluate(&req)))
}

/// Evaluates a JSON array of requests against a prepared set; returns a JSON array with, for each
/// request, `{"decision", "explain"}` or `{"error"}` (one bad request does not fail the batch).
pub fn evaluate_batch_json_str(set: &PolicySet, requests: &str) -> Result<String> {
    let raws: Vec<&RawValue> = serde_json::from_str(requests).map_err(|e| json_error(&e))?;
    let out: Vec<CaseOutcome> = raws
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            // each request stands alone: a malformed one fails only its own answer
            let req = serde_json::from_str::<WireRequest>(raw.get())
                .map_err(|e| json_error(&e).at(Location::path(format!("$[{i}]"))))
                .and_then(WireRequest::into_request);
            match req {
                Ok(req) => {
                    let ev = set.evaluate(&req);
                    CaseOutcome::Decided {
                        decision: ev.decision,
                        explain: ev.explain,
                    }
                }
                Err(e) => CaseOutcome::Failed { error: e.into() },
            }
        })
        .collect();
    Ok(to_json(&out))
}

/// Serializes an error as the wire JSON `{"code", "message", "location"}`.
pub fn error_json(e: &Error) -> String {
    to_json(&WireError::from(e))
}

/// The result of validating one policy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Validation {
    /// No error-severity diagnostic.
    pub valid: bool,
    /// Every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates a policy text as `ty`.
pub fn validate_policy(text: &str, ty: PolicyType) -> Validation {
    let parsed = parse_policy(text, ty);
    Validation {
        valid: parsed.is_valid(),
        diagnostics: parsed.diagnostics,
    }
}

/// Validates a policy (JSON text) as the named type (`identity`, `resource`, ...); returns
/// `{"valid", "diagnostics"}` as JSON.
pub fn validate_policy_json_str(text: &str, ty: &str) -> Result<String> {
    let ty = PolicyType::parse(ty).ok_or_else(|| {
        Error::new(
            ErrorCode::InputSchema,
            format!("unknown policy type `{ty}` (expected identity, resource, trust, scp, rcp, boundary, session)"),
        )
    })?;
    Ok(to_json(&validate_policy(text, ty)))
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| {
        format!(r#"{{"error":{{"code":"IAM_INTERNAL","message":"serialization failed: {e}"}}}}"#)
    })
}

/// A policy validation case (`tests/cases/policy`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyCase<'a> {
    /// The case's name.
    pub name: String,
    /// The policy type (default identity).
    #[serde(default, rename = "type")]
    pub policy_type: Option<String>,
    /// The policy as JSON.
    #[serde(default, borrow)]
    pub policy: Option<&'a RawValue>,
    /// The policy's exact text.
    #[serde(default, rename = "policyText")]
    pub policy_text: Option<String>,
    /// What validation must find.
    pub expected: PolicyExpected,
    /// The documented rule the case checks.
    #[serde(default)]
    pub doc: Option<String>,
}

/// What a policy case expects.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyExpected {
    /// No error-severity diagnostic.
    pub valid: bool,
    /// Codes that must each appear among the diagnostics.
    #[serde(default)]
    pub codes: Vec<String>,
}

/// Runs a policy case; returns `Ok(validation)` when it meets its expectation, else a message.
pub fn run_policy_case(case: &PolicyCase<'_>) -> std::result::Result<Validation, String> {
    let ty_name = case.policy_type.as_deref().unwrap_or("identity");
    let ty = PolicyType::parse(ty_name).ok_or_else(|| format!("unknown type `{ty_name}`"))?;
    let text = match (&case.policy, &case.policy_text) {
        (Some(raw), None) => raw.get().to_string(),
        (None, Some(t)) => t.clone(),
        _ => return Err("a policy case needs exactly one of `policy` and `policyText`".into()),
    };
    let v = validate_policy(&text, ty);
    let codes: Vec<&str> = v.diagnostics.iter().map(|d| d.code.as_str()).collect();
    if v.valid != case.expected.valid {
        return Err(format!(
            "expected valid={} but got valid={} with {:?}",
            case.expected.valid, v.valid, codes
        ));
    }
    for c in &case.expected.codes {
        if !codes.contains(&c.as_str()) {
            return Err(format!("expected code {c} among {codes:?}"));
        }
    }
    Ok(v)
}
