//! iamkit for Node.js: the native half of the `iamkit` package, a thin napi-rs layer over
//! `iamkit_core::wire` (no IAM rules here). It speaks the wire contract's JSON text only: a call's
//! name and its input as JSON text in, the answer as JSON text out (one string each way is the
//! cheapest crossing of N-API); the JavaScript half (`index.js`) turns values into that text and
//! back.
//!
//! - `call(name, input)`: a call that needs no handle;
//! - `new NativeHandle(kind, input)`: a compiled policy set (`policySet`) or a loaded account
//!   (`account`), with `call(name, input)` and, for policy sets, `decide(request)`, which answers
//!   the decision's name without building JSON.
//!
//! Every export is guarded: a Rust panic becomes `IAM_INTERNAL`. An error is a JS `Error` whose
//! `code` is iamkit's stable code (`IAM_...`) and whose message is the wire error
//! `{"code", "message", "location"?}` as JSON text, which `index.js` reads back into an
//! `IamkitError`.

mod fields;

/// mimalloc for the Rust side of the module (JavaScript values keep V8's):
/// compiling policies and building requests allocate many small blocks, served faster than by
/// the C library's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use iamkit_core::inputs::CredentialReport;
use iamkit_core::wire::{self, Answer, CallAnswer, Handle};
use iamkit_core::{Error, ErrorCode};
use napi_derive::napi;

/// A stable iamkit error code, used as the JS error's `code`.
#[derive(Debug, Clone, Copy)]
pub struct IamCode(ErrorCode);

impl AsRef<str> for IamCode {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

type Result<T> = napi::Result<T, IamCode>;

/// The JS error for an iamkit error: its code, and the wire error as the message.
fn js_error(e: &Error) -> napi::Error<IamCode> {
    napi::Error::new(IamCode(e.code()), wire::error_json(e))
}

/// Runs `f`, turning an iamkit error into a JS error and a Rust panic into `IAM_INTERNAL`.
fn guarded<T>(f: impl FnOnce() -> iamkit_core::Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(Error::from_panic(payload.as_ref())))
        .map_err(|e| js_error(&e))
}

/// Answers a call that needs no handle: `name` names it, `input` is its input object (JSON
/// text); returns the answer as JSON text.
#[napi(catch_unwind)]
pub fn call(name: String, input: String) -> Result<String> {
    guarded(|| wire::call_json(&name, &input))
}

/// Something opened once and called many times: a compiled policy set or a loaded account.
#[napi]
#[derive(Debug)]
pub struct NativeHandle {
    inner: Handle,
}

#[napi]
impl NativeHandle {
    /// Opens a handle of `kind` (`policySet` or `account`) from its input (JSON text).
    #[napi(constructor, catch_unwind)]
    pub fn new(kind: String, input: String) -> Result<Self> {
        guarded(|| {
            Ok(NativeHandle {
                inner: Handle::open(&kind, &input)?,
            })
        })
    }

    /// The handle's kind.
    #[napi(getter, ts_return_type = "'policySet' | 'account'")]
    pub fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    /// Answers a call on the handle (its input as JSON text); returns the answer as JSON text.
    #[napi(catch_unwind)]
    pub fn call(&self, name: String, input: String) -> Result<String> {
        guarded(|| self.inner.call_json(&name, &input))
    }

    /// Decides one request (JSON text) against a policy set; returns the decision's name (the
    /// `decide` call without its JSON answer).
    #[napi(
        catch_unwind,
        ts_return_type = "'allowed' | 'explicitDeny' | 'implicitDeny'"
    )]
    pub fn decide(&self, request: String) -> Result<&'static str> {
        guarded(|| match &self.inner {
            Handle::PolicySet(set) => Ok(set.decide(&wire::read_request(&request)?).as_str()),
            other => Err(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "`decide` is a call on a policy set, not on a handle of kind `{}`",
                    other.kind()
                ),
            )),
        })
    }
}

#[napi]
impl NativeHandle {
    /// Decides a plain request given as fields (see `fields`); `null` when the fields do not make
    /// a request (then `index.js` takes the JSON path, which says why).
    #[napi(
        catch_unwind,
        ts_return_type = "'allowed' | 'explicitDeny' | 'implicitDeny' | null"
    )]
    pub fn decide_fields(&self, fields: String) -> Result<Option<&'static str>> {
        guarded(|| {
            Ok(match &self.inner {
                Handle::PolicySet(set) => fields::request(&fields).map(|r| set.decide(&r).as_str()),
                _ => None,
            })
        })
    }

    /// Evaluates a plain request given as fields (see `fields`): the answer as JSON text, or
    /// `null` as for `decideFields`.
    #[napi(catch_unwind)]
    pub fn evaluate_fields(&self, fields: String) -> Result<Option<String>> {
        guarded(|| match &self.inner {
            Handle::PolicySet(set) => fields::request(&fields)
                .map(|r| wire::to_json(&set.evaluate(&r)))
                .transpose(),
            _ => Ok(None),
        })
    }
}

/// A parsed credential report, kept native (shared with [`Arc`]): `index.js` makes its lazy view,
/// whose rows become JavaScript values only when read.
#[napi]
#[derive(Debug)]
pub struct NativeCredentialReport {
    inner: Arc<CredentialReport>,
}

/// The report of a `credentialReport` input (JSON text), by the wire call.
fn report_of_input(input: &str) -> iamkit_core::Result<CredentialReport> {
    match wire::call("credentialReport", input)? {
        Answer::Call(CallAnswer::CredentialReport(r)) => Ok(r),
        _ => Err(Error::new(
            ErrorCode::Internal,
            "the core answered another call",
        )),
    }
}

#[napi]
impl NativeCredentialReport {
    /// Parses a report given as text (its CSV, or the envelope's JSON text): the answer of
    /// `credentialReport` on `{"report": text}`, without writing that input; an error is that
    /// call's error.
    #[napi(factory, catch_unwind)]
    pub fn parse_text(text: String) -> Result<Self> {
        guarded(|| {
            let report = wire::credential_report_of_text(&text)?;
            Ok(NativeCredentialReport {
                inner: Arc::new(report),
            })
        })
    }

    /// Parses the report of a `credentialReport` input (JSON text).
    #[napi(factory, catch_unwind)]
    pub fn from_input(input: String) -> Result<Self> {
        guarded(|| {
            Ok(NativeCredentialReport {
                inner: Arc::new(report_of_input(&input)?),
            })
        })
    }

    /// How many rows.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.inner.rows.len()).unwrap_or(u32::MAX)
    }

    /// `GeneratedTime` from the API envelope (RFC 3339, UTC), when the input had one.
    #[napi(getter)]
    pub fn generated_time(&self) -> Option<String> {
        self.inner.generated_time.map(|g| g.to_rfc3339())
    }

    /// The rows `start..end` (clamped to the rows) as the answer's JSON array.
    #[napi(catch_unwind)]
    pub fn rows_json(&self, start: u32, end: u32) -> Result<String> {
        guarded(|| {
            let rows = &self.inner.rows;
            let end = (end as usize).min(rows.len());
            let start = (start as usize).min(end);
            wire::to_json(rows.get(start..end).unwrap_or_default())
        })
    }
}

/// The iamkit version.
#[napi]
pub fn version() -> &'static str {
    iamkit_core::VERSION
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
