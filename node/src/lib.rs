//! iamkit for Node.js: a thin napi-rs layer over `iamkit-core` (no IAM rules here). Errors are JS
//! `Error`s whose `code` is iamkit's stable code (`IAM_...`); a Rust panic becomes `IAM_INTERNAL`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use iamkit_core::{wire, Error, ErrorCode, Request};
use napi_derive::napi;

/// A stable iamkit error code, used as the JS error's `code`.
#[derive(Debug, Clone)]
pub struct IamCode(String);

impl AsRef<str> for IamCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

type Result<T> = napi::Result<T, IamCode>;

fn js_error(e: &Error) -> napi::Error<IamCode> {
    napi::Error::new(IamCode(e.code.as_str().to_string()), e.to_string())
}

fn invalid(msg: impl Into<String>) -> napi::Error<IamCode> {
    js_error(&Error::new(ErrorCode::InvalidArgument, msg))
}

/// Runs `f`, turning a Rust panic into an `IAM_INTERNAL` error.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(js_error(&Error::from_panic(payload.as_ref()))))
}

/// A request: who does what on which resource, with its context.
#[napi(object, js_name = "Request")]
#[derive(Debug)]
pub struct JsRequest {
    /// An ARN, a service principal, an identity provider, or `anonymous`.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// An ARN or `*`.
    pub resource: String,
    /// The resource's account, when the ARN does not name it.
    pub resource_account: Option<String>,
    /// Condition keys to a string, number or boolean, or an array of them (multivalued).
    #[napi(
        ts_type = "Record<string, string | number | boolean | Array<string | number | boolean>>"
    )]
    pub context: Option<serde_json::Value>,
}

fn to_request(r: &JsRequest) -> Result<Request> {
    let context = match &r.context {
        None | Some(serde_json::Value::Null) => serde_json::Map::new(),
        Some(serde_json::Value::Object(m)) => m.clone(),
        Some(_) => return Err(invalid("the request's `context` must be an object")),
    };
    wire::WireRequest {
        principal: r.principal.clone(),
        action: r.action.clone(),
        resource: r.resource.clone(),
        resource_account: r.resource_account.clone(),
        context,
    }
    .to_request()
    .map_err(|e| js_error(&e))
}

/// JSON text of a document given as an object or as JSON text.
fn document_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A statement that took part in a decision.
#[napi(object, js_name = "MatchedStatement")]
#[derive(Debug)]
pub struct JsMatchedStatement {
    /// The step (kind of policy).
    pub step: String,
    /// Where the policy is: `identity[0]`, `scps[1][0]`, `resource`, ...
    pub policy: String,
    /// The statement's index.
    pub statement: u32,
    /// The statement's Sid.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// Applied fail-closed because its conditions could not be decided.
    pub indeterminate: bool,
}

/// One step's outcome.
#[napi(object, js_name = "StepResult")]
#[derive(Debug)]
pub struct JsStepResult {
    /// The step.
    pub step: String,
    /// `allow`, `implicitDeny`, `explicitDeny`, `notApplicable`.
    pub outcome: String,
}

/// Why a decision came out as it did.
#[napi(object, js_name = "Explanation")]
#[derive(Debug)]
pub struct JsExplanation {
    /// The step that denied (`scp`, `rcp`, `resource`, `identity`, `boundary`, `session`).
    pub denied_by: Option<String>,
    /// What granted (`identity`, `resource`, `root`).
    pub granted_by: Option<String>,
    /// One sentence a person can act on.
    pub reason: String,
    /// The statements that decided.
    pub statements: Vec<JsMatchedStatement>,
    /// Each step's outcome, in chain order.
    pub steps: Vec<JsStepResult>,
}

/// The result of one evaluation: `decision`, `allowed`, and `explain` (built when first read).
#[napi(js_name = "Evaluation")]
#[derive(Debug)]
pub struct JsEvaluation {
    inner: iamkit_core::Evaluation,
}

fn wire_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[napi]
impl JsEvaluation {
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    #[napi(getter, ts_return_type = "'allowed' | 'explicitDeny' | 'implicitDeny'")]
    pub fn decision(&self) -> &'static str {
        self.inner.decision.as_str()
    }

    /// Whether the decision is `allowed`.
    #[napi(getter)]
    pub fn allowed(&self) -> bool {
        self.inner.decision == iamkit_core::Decision::Allowed
    }

    /// Why: the deciding step, statements and step outcomes.
    #[napi(getter)]
    pub fn explain(&self) -> JsExplanation {
        let x = &self.inner.explain;
        JsExplanation {
            denied_by: x.denied_by.map(|s| s.as_str().to_string()),
            granted_by: x.granted_by.map(|s| s.as_str().to_string()),
            reason: x.reason.clone(),
            statements: x
                .statements
                .iter()
                .map(|s| JsMatchedStatement {
                    step: s.step.as_str().to_string(),
                    policy: s.policy.clone(),
                    statement: u32::try_from(s.statement).unwrap_or(u32::MAX),
                    sid: s.sid.clone(),
                    effect: s.effect.as_str().to_string(),
                    indeterminate: s.indeterminate,
                })
                .collect(),
            steps: x
                .steps
                .iter()
                .map(|s| JsStepResult {
                    step: s.step.as_str().to_string(),
                    outcome: wire_name(&s.outcome),
                })
                .collect(),
        }
    }

    /// The wire JSON `{"decision", "explain"}`.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.inner).unwrap_or(serde_json::Value::Null)
    }
}

impl From<iamkit_core::Evaluation> for JsEvaluation {
    fn from(inner: iamkit_core::Evaluation) -> Self {
        JsEvaluation { inner }
    }
}

/// Where a diagnostic points.
#[napi(object, js_name = "Location")]
#[derive(Debug)]
pub struct JsLocation {
    /// JSONPath, e.g. `$.Statement[0].Effect`.
    pub json_path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// One validation finding.
#[napi(object, js_name = "Diagnostic")]
#[derive(Debug)]
pub struct JsDiagnostic {
    /// The stable code, e.g. `IAM_POLICY_EFFECT`.
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// A human-readable message.
    pub message: String,
    /// Where.
    pub location: JsLocation,
}

/// The result of validating a policy.
#[napi(object, js_name = "Validation")]
#[derive(Debug)]
pub struct JsValidation {
    /// No error-severity diagnostic.
    pub valid: bool,
    /// Every diagnostic.
    pub diagnostics: Vec<JsDiagnostic>,
}

/// Policies compiled once, to evaluate many requests.
#[napi(js_name = "PolicySet")]
#[derive(Debug)]
pub struct JsPolicySet {
    inner: Arc<iamkit_core::PolicySet>,
}

#[napi]
impl JsPolicySet {
    /// Compiles `policies` (`{identity, resource, permissionBoundaries, session, scps, rcps}`, as an
    /// object or JSON text; policy documents may be objects or JSON text).
    #[napi(constructor, catch_unwind)]
    pub fn new(
        #[napi(ts_arg_type = "Record<string, unknown> | string")] policies: serde_json::Value,
    ) -> Result<Self> {
        guarded(|| {
            let set = wire::policy_set_from_json_str(&document_text(&policies))
                .map_err(|e| js_error(&e))?;
            Ok(JsPolicySet {
                inner: Arc::new(set),
            })
        })
    }

    /// Decides one request and explains the decision.
    #[napi(catch_unwind)]
    pub fn evaluate(&self, request: JsRequest) -> Result<JsEvaluation> {
        guarded(|| Ok(self.inner.evaluate(&to_request(&request)?).into()))
    }

    /// Decides one request without an explanation; returns the decision.
    #[napi(catch_unwind)]
    pub fn decide(&self, request: JsRequest) -> Result<String> {
        guarded(|| {
            Ok(self
                .inner
                .decide(&to_request(&request)?)
                .as_str()
                .to_string())
        })
    }

    /// Decides many requests in one call.
    #[napi(catch_unwind)]
    pub fn evaluate_batch(&self, requests: Vec<JsRequest>) -> Result<Vec<JsEvaluation>> {
        guarded(|| {
            let reqs = requests
                .iter()
                .map(to_request)
                .collect::<Result<Vec<_>>>()?;
            Ok(reqs.iter().map(|r| self.inner.evaluate(r).into()).collect())
        })
    }

    /// Decides one request given as JSON text; returns `{"decision", "explain"}` as JSON text.
    #[napi(catch_unwind)]
    pub fn evaluate_json(&self, request_json: String) -> Result<String> {
        guarded(|| {
            wire::evaluate_request_json_str(&self.inner, &request_json).map_err(|e| js_error(&e))
        })
    }
}

/// Decides one request against policies (an object or JSON text) and explains the decision.
#[napi(catch_unwind)]
pub fn evaluate(
    request: JsRequest,
    #[napi(ts_arg_type = "Record<string, unknown> | string")] policies: serde_json::Value,
) -> Result<JsEvaluation> {
    guarded(|| {
        let req = to_request(&request)?;
        let set =
            wire::policy_set_from_json_str(&document_text(&policies)).map_err(|e| js_error(&e))?;
        Ok(set.evaluate(&req).into())
    })
}

/// Validates a policy document (an object or JSON text) as `type` (identity, resource, trust,
/// scp, rcp, boundary, session; default identity).
#[napi(catch_unwind)]
pub fn validate_policy(
    #[napi(ts_arg_type = "Record<string, unknown> | string")] policy: serde_json::Value,
    #[napi(
        ts_arg_type = "'identity' | 'resource' | 'trust' | 'scp' | 'rcp' | 'boundary' | 'session'"
    )]
    policy_type: Option<String>,
) -> Result<JsValidation> {
    guarded(|| {
        let name = policy_type.as_deref().unwrap_or("identity");
        let ty = iamkit_core::PolicyType::parse(name)
            .ok_or_else(|| invalid(format!("unknown policy type `{name}` (expected identity, resource, trust, scp, rcp, boundary, session)")))?;
        let v = wire::validate_policy(&document_text(&policy), ty);
        Ok(JsValidation {
            valid: v.valid,
            diagnostics: v
                .diagnostics
                .into_iter()
                .map(|d| JsDiagnostic {
                    code: d.code.as_str().to_string(),
                    severity: wire_name(&d.severity),
                    message: d.message,
                    location: JsLocation {
                        json_path: d.location.json_path,
                        line: d.location.line,
                        column: d.location.column,
                    },
                })
                .collect(),
        })
    })
}

/// The JSON entry point shared with C: `{"request", "policies"}` in, `{"decision", "explain"}` out.
#[napi(catch_unwind)]
pub fn evaluate_json(case_json: String) -> Result<String> {
    guarded(|| wire::evaluate_json_str(&case_json).map_err(|e| js_error(&e)))
}

/// The JSON entry point shared with C: validates a policy; returns `{"valid", "diagnostics"}`.
#[napi(catch_unwind)]
pub fn validate_policy_json(policy_json: String, policy_type: String) -> Result<String> {
    guarded(|| wire::validate_policy_json_str(&policy_json, &policy_type).map_err(|e| js_error(&e)))
}

/// The iamkit version.
#[napi]
pub fn version() -> String {
    iamkit_core::VERSION.to_string()
}

/// Test-only: panics inside the guard (throws an Error with code IAM_INTERNAL).
#[cfg(feature = "test-panic")]
#[napi(js_name = "_testPanic", catch_unwind)]
pub fn test_panic() -> Result<()> {
    guarded(|| -> Result<()> {
        #[allow(clippy::panic)]
        {
            panic!("iamkit _testPanic was called")
        }
    })
}
