//! iamkit for Node.js: the native half of the `iamkit` package, a thin napi-rs layer over
//! `iamkit-core` (no IAM rules here). It speaks JSON text only: one string in and one string (or a
//! decision name) out per call is the cheapest way across N-API, and the JavaScript half
//! (`index.js`) turns it into objects. Errors are JS `Error`s whose `code` is iamkit's stable code
//! (`IAM_...`); a Rust panic becomes `IAM_INTERNAL`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use iamkit_core::{wire, Error, ErrorCode};
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
    napi::Error::new(IamCode(e.code().as_str().to_string()), e.to_string())
}

/// Runs `f`, turning an iamkit error into a JS error and a Rust panic into `IAM_INTERNAL`.
fn guarded<T>(f: impl FnOnce() -> iamkit_core::Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(Error::from_panic(payload.as_ref())))
        .map_err(|e| js_error(&e))
}

fn to_json<T: serde::Serialize>(v: &T) -> iamkit_core::Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// Policies compiled once, to evaluate many requests (all JSON text).
#[napi]
#[derive(Debug)]
pub struct NativePolicySet {
    inner: iamkit_core::PolicySet,
}

#[napi]
impl NativePolicySet {
    /// Compiles `{identity, resource, permissionBoundaries, session, scps, rcps}` (JSON text).
    #[napi(constructor, catch_unwind)]
    pub fn new(policies_json: String) -> Result<Self> {
        guarded(|| {
            Ok(NativePolicySet {
                inner: wire::policy_set_from_json_str(&policies_json)?,
            })
        })
    }

    /// Decides one request (JSON text); returns the decision's name.
    #[napi(
        catch_unwind,
        ts_return_type = "'allowed' | 'explicitDeny' | 'implicitDeny'"
    )]
    pub fn decide_json(&self, request_json: String) -> Result<&'static str> {
        guarded(|| {
            let req = wire::request_from_json_str(&request_json)?;
            Ok(self.inner.decide(&req).as_str())
        })
    }

    /// Decides one request (JSON text); returns `{"decision", "explain"}` as JSON text.
    #[napi(catch_unwind)]
    pub fn evaluate_json(&self, request_json: String) -> Result<String> {
        guarded(|| wire::evaluate_request_json_str(&self.inner, &request_json))
    }

    /// Decides a JSON array of requests; returns a JSON array of `{"decision", "explain"}` or
    /// `{"error"}`, one per request.
    #[napi(catch_unwind)]
    pub fn evaluate_batch_json(&self, requests_json: String) -> Result<String> {
        guarded(|| wire::evaluate_batch_json_str(&self.inner, &requests_json))
    }
}

/// An account loaded from authorization details (JSON text), queried with JSON text.
#[napi]
#[derive(Debug)]
pub struct NativeAccount {
    inner: iamkit_core::Account,
}

#[napi]
impl NativeAccount {
    /// Loads authorization details with optional load options
    /// (`{"managedPolicyDocuments": {ARN: document}}`).
    #[napi(constructor, catch_unwind)]
    pub fn new(details_json: String, options_json: Option<String>) -> Result<Self> {
        guarded(|| {
            Ok(NativeAccount {
                inner: wire::account_from_json_str(&details_json, options_json.as_deref())?,
            })
        })
    }

    /// Answers one query (JSON text); returns the answer as JSON text.
    #[napi(catch_unwind)]
    pub fn query_json(&self, query_json: String) -> Result<String> {
        guarded(|| wire::account_query_json_str(&self.inner, &query_json))
    }
}

/// Reports an instance-metadata credential document (JSON text) without its secrets, expired as
/// of `as_of` (ISO 8601; default now).
#[napi(catch_unwind)]
pub fn credentials_json(document_json: String, as_of: Option<String>) -> Result<String> {
    guarded(|| wire::credentials_json_str(&document_json, as_of.as_deref()))
}

/// Parses a credential report (CSV or envelope text); returns its typed rows as JSON text.
#[napi(catch_unwind)]
pub fn credential_report_json(report: String) -> Result<String> {
    guarded(|| wire::credential_report_json_str(&report))
}

/// Answers one service-catalog query (JSON text) with JSON text.
#[napi(catch_unwind)]
pub fn catalog_json(query_json: String) -> Result<String> {
    guarded(|| wire::catalog_query_json_str(&query_json))
}

/// Runs the audit over inputs (JSON text); returns the report as JSON text.
#[napi(catch_unwind)]
pub fn audit_json(inputs_json: String) -> Result<String> {
    guarded(|| wire::audit_json_str(&inputs_json))
}

/// The JSON entry point shared with C: `{"request", "policies"}` in, `{"decision", "explain"}` out.
#[napi(catch_unwind)]
pub fn evaluate_json(case_json: String) -> Result<String> {
    guarded(|| wire::evaluate_json_str(&case_json))
}

/// The JSON entry point shared with C: validates a policy; returns `{"valid", "diagnostics"}`
/// (an unknown type is `IAM_INPUT_SCHEMA`, as in C).
#[napi(catch_unwind)]
pub fn validate_policy_json(policy_json: String, policy_type: String) -> Result<String> {
    guarded(|| wire::validate_policy_json_str(&policy_json, &policy_type))
}

/// Validates a policy for the typed API: an unknown type is `IAM_INVALID_ARGUMENT`.
#[napi(catch_unwind)]
pub fn validate_policy_typed(policy_json: String, policy_type: String) -> Result<String> {
    guarded(|| {
        let ty = iamkit_core::PolicyType::parse(&policy_type).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("unknown policy type `{policy_type}` (expected identity, resource, trust, scp, rcp, boundary, session)"),
            )
        })?;
        to_json(&wire::validate_policy(&policy_json, ty))
    })
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
    guarded(|| -> iamkit_core::Result<()> {
        #[allow(clippy::panic)]
        {
            panic!("iamkit _testPanic was called")
        }
    })
}
