//! iamkit's C ABI: coarse-grained JSON in and out over opaque handles. Every export is guarded
//! against panics; see `include/iamkit.h` for the conventions.

#![allow(clippy::missing_safety_doc)] // the safety contract is the header's, stated once at its top

mod boundary;
mod strings;

use std::ffi::c_char;

use iamkit_core::wire;
use iamkit_core::PolicySet;

use boundary::{guard, CallError};
use strings::{input, output};

/// The outcome of a fallible call.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IamkitStatus {
    /// Success: the outputs are written.
    Ok = 0,
    /// A required pointer was NULL, or a string was not UTF-8.
    InvalidArgument = 1,
    /// iamkit rejected the input (bad JSON, an invalid policy, a malformed request).
    Input = 2,
    /// A bug in iamkit (a caught panic).
    Internal = 3,
}

/// An immutable, compiled set of policies (identity, resource, boundary, session, SCP and RCP
/// levels), built once and evaluated against any number of requests, from any number of threads.
#[derive(Debug)]
pub struct IamkitPolicySet {
    set: PolicySet,
}

static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The iamkit version (e.g. "0.1.0"): a static string, never freed.
#[no_mangle]
pub extern "C" fn iamkit_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// Evaluates one case, `{"request": {...}, "policies": {...}}`, and writes
/// `{"decision", "explain"}` as JSON to `*out_json`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_evaluate_json(
    case_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let case = unsafe { input(case_json, "case_json") }?;
        let out = wire::evaluate_json_str(case).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only here, on success.
        unsafe { output(out_json, out) }
    })
}

/// Compiles a `policies` object (JSON) into a policy set written to `*out`; free it with
/// `iamkit_policy_set_free`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_policy_set_new(
    policies_json: *const c_char,
    out: *mut *mut IamkitPolicySet,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        if out.is_null() {
            return Err(CallError::InvalidArgument("`out` is NULL".into()));
        }
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let text = unsafe { input(policies_json, "policies_json") }?;
        let set = wire::policy_set_from_json_str(text).map_err(CallError::Input)?;
        let handle = Box::into_raw(Box::new(IamkitPolicySet { set }));
        // SAFETY: `out` is not NULL (checked above) and points to writable storage per the header.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Evaluates one request (JSON: `{"principal", "action", "resource", "resourceAccount"?,
/// "context"?}`) against a policy set; writes `{"decision", "explain"}` to `*out_json`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_policy_set_evaluate_json(
    set: *const IamkitPolicySet,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: a non-NULL `set` comes from iamkit_policy_set_new and is not yet freed.
        let set = unsafe { set.as_ref() }
            .ok_or_else(|| CallError::InvalidArgument("`set` is NULL".into()))?;
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let req = unsafe { input(request_json, "request_json") }?;
        let out = wire::evaluate_request_json_str(&set.set, req).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Evaluates a JSON array of requests against a policy set; writes a JSON array of results, each
/// `{"decision", "explain"}` or `{"error"}`, to `*out_json`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_policy_set_evaluate_batch_json(
    set: *const IamkitPolicySet,
    requests_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: a non-NULL `set` comes from iamkit_policy_set_new and is not yet freed.
        let set = unsafe { set.as_ref() }
            .ok_or_else(|| CallError::InvalidArgument("`set` is NULL".into()))?;
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let reqs = unsafe { input(requests_json, "requests_json") }?;
        let out = wire::evaluate_batch_json_str(&set.set, reqs).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Validates a policy document (JSON text) as `policy_type` (`identity`, `resource`, `trust`,
/// `scp`, `rcp`, `boundary`, `session`); writes `{"valid", "diagnostics"}` to `*out_json`.
/// An invalid policy is a successful call whose result says `"valid": false`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_policy_validate_json(
    policy_json: *const c_char,
    policy_type: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes NUL-terminated strings or NULL (checked).
        let policy = unsafe { input(policy_json, "policy_json") }?;
        // SAFETY: as above.
        let ty = unsafe { input(policy_type, "policy_type") }?;
        let out = wire::validate_policy_json_str(policy, ty).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Frees a policy set (NULL is ignored). Call once, after every call using it has returned.
#[no_mangle]
pub unsafe extern "C" fn iamkit_policy_set_free(set: *mut IamkitPolicySet) {
    if set.is_null() {
        return;
    }
    // a Drop cannot panic here (plain data), but stay behind the guard anyway
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `set` came from Box::into_raw in iamkit_policy_set_new and is freed once.
        drop(unsafe { Box::from_raw(set) });
    }));
}

/// Frees a string returned by iamkit (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn iamkit_string_free(s: *mut c_char) {
    // SAFETY: `s` is NULL or came from iamkit's own output (CString::into_raw).
    unsafe { strings::free(s) }
}

/// Test-only: panics inside the guard, to prove that no panic crosses the boundary. Returns
/// IAMKIT_STATUS_INTERNAL with code IAM_INTERNAL.
#[cfg(feature = "test-panic")]
#[no_mangle]
pub unsafe extern "C" fn iamkit_test_panic(error_json: *mut *mut c_char) -> IamkitStatus {
    guard(error_json, || -> Result<(), CallError> {
        #[allow(clippy::panic)]
        {
            panic!("iamkit_test_panic was called")
        }
    })
}

/// An immutable account loaded from `aws iam get-account-authorization-details` output: users,
/// groups, roles, managed policies, compiled once. Queried with JSON from any number of threads.
#[derive(Debug)]
pub struct IamkitAccount {
    account: iamkit_core::Account,
}

/// Loads an account from authorization details (`details_json`: one page, an array of pages, or
/// pages one after another) and optional load options (`options_json`, may be NULL:
/// `{"managedPolicyDocuments": {ARN: document}}`). On success writes a handle to `*out` (free it
/// with `iamkit_account_free`).
#[no_mangle]
pub unsafe extern "C" fn iamkit_account_new(
    details_json: *const c_char,
    options_json: *const c_char,
    out: *mut *mut IamkitAccount,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        if out.is_null() {
            return Err(CallError::InvalidArgument("`out` is NULL".into()));
        }
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let details = unsafe { input(details_json, "details_json") }?;
        let options = if options_json.is_null() {
            None
        } else {
            // SAFETY: a non-NULL options_json is a NUL-terminated string per the header.
            Some(unsafe { input(options_json, "options_json") }?)
        };
        let account = wire::account_from_json_str(details, options).map_err(CallError::Input)?;
        let handle = Box::into_raw(Box::new(IamkitAccount { account }));
        // SAFETY: `out` is not NULL (checked above) and points to writable storage per the header.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Answers one query on an account (`query_json`: `{"query": "summary" | "principals" |
/// "evaluate" | "whoCan" | "whoCanAssume" | "permissions" | "isAdministrator", ...}`, see
/// tests/README.md). On success writes the answer (JSON) to `*out_json`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_account_query_json(
    account: *const IamkitAccount,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: a non-NULL `account` comes from iamkit_account_new and is not yet freed.
        let account = unsafe { account.as_ref() }
            .ok_or_else(|| CallError::InvalidArgument("`account` is NULL".into()))?;
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let query = unsafe { input(query_json, "query_json") }?;
        let out =
            wire::account_query_json_str(&account.account, query).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Frees an account (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn iamkit_account_free(account: *mut IamkitAccount) {
    if account.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `account` came from Box::into_raw in iamkit_account_new and is freed once.
        drop(unsafe { Box::from_raw(account) });
    }));
}

/// Reads an EC2 instance-metadata credential document (`{Code, LastUpdated, Type, AccessKeyId,
/// SecretAccessKey, Token, Expiration}`) and reports it without its secrets: `{code, type,
/// accessKeyId, keyKind, lastUpdated, expiration, expired}`, expired as of `as_of` (an ISO 8601
/// date; NULL: now).
#[no_mangle]
pub unsafe extern "C" fn iamkit_credentials_json(
    document_json: *const c_char,
    as_of: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let doc = unsafe { input(document_json, "document_json") }?;
        let as_of = if as_of.is_null() {
            None
        } else {
            // SAFETY: a non-NULL as_of is a NUL-terminated string per the header.
            Some(unsafe { input(as_of, "as_of") }?)
        };
        let out = wire::credentials_json_str(doc, as_of).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Parses an IAM credential report (the CSV, or the `get-credential-report` JSON envelope with
/// `Content` in base64 or plain CSV) and writes its typed rows as JSON: `{"generatedTime"?,
/// "rows": [...]}`, special values (`N/A`, `not_supported`, `no_information`) kept as text.
#[no_mangle]
pub unsafe extern "C" fn iamkit_credential_report_json(
    report: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let text = unsafe { input(report, "report") }?;
        let out = wire::credential_report_json_str(text).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Runs the audit over `inputs_json` (`{"credentialReport"?, "authorizationDetails"?,
/// "managedPolicyDocuments"?, "passwordPolicy"?, "accountSummary"?, "virtualMfaDevices"?,
/// "options"?}`, see tests/README.md) and writes the report as JSON: `{"asOf", "asOfSource",
/// "summary", "findings": [...]}`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_audit_json(
    inputs_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let text = unsafe { input(inputs_json, "inputs_json") }?;
        let out = wire::audit_json_str(text).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// Answers one query on the AWS service catalog iamkit embeds (`query_json`: `{"query": "source" |
/// "action" | "expand" | "lint" | "summarize" | "review", ...}`, see tests/README.md) and writes
/// the answer as JSON.
#[no_mangle]
pub unsafe extern "C" fn iamkit_catalog_json(
    query_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes a NUL-terminated string or NULL (checked).
        let q = unsafe { input(query_json, "query_json") }?;
        let out = wire::catalog_query_json_str(q).map_err(CallError::Input)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}
