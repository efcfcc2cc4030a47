//! iamkit's C ABI: the wire contract over three calls. `iamkit_call` answers a call that needs no
//! handle; `iamkit_open` opens a handle (a compiled policy set, a loaded account) that
//! `iamkit_handle_call` answers calls on. Inputs and answers are JSON text; the calls, their
//! inputs and their answers are in `contract/iamkit.schema.json`. Every export is guarded
//! against panics; see `include/iamkit.h` for the conventions.

#![allow(clippy::missing_safety_doc)] // the safety contract is the header's, stated once at its top

mod boundary;
mod strings;
#[cfg(test)]
mod tests;

use std::ffi::c_char;

use iamkit_core::wire;

use boundary::{guard, CallError};
use strings::{input, output};

/// The outcome of a fallible call.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IamkitStatus {
    /// Success: the outputs are written.
    Ok = 0,
    /// A required pointer was NULL, a string was not UTF-8, or a call or handle kind is unknown
    /// (code IAM_INVALID_ARGUMENT).
    InvalidArgument = 1,
    /// iamkit rejected the input: bad JSON, the wrong shape, too large or too deep (see the limits
    /// in README.md), an invalid policy, a malformed request (every other code).
    Input = 2,
    /// A bug in iamkit: a caught panic (code IAM_INTERNAL).
    Internal = 3,
}

/// Something opened once and called many times: a compiled policy set (kind "policySet"), a
/// loaded account (kind "account") or an organization folder (kind "organization"). Immutable: a
/// const IamkitHandle* may be used from many threads at once.
#[derive(Debug)]
pub struct IamkitHandle {
    handle: wire::Handle,
}

static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The iamkit version (e.g. "0.1.0"): a static string, never freed.
#[no_mangle]
pub extern "C" fn iamkit_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// Answers the call `name` that needs no handle (the `calls` of contract/iamkit.schema.json, e.g.
/// "evaluate", "validate", "lint", "audit"), given its input object (`input_json`); writes the
/// answer (JSON) to `*out_json`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_call(
    name: *const c_char,
    input_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: the caller passes NUL-terminated strings or NULL (checked).
        let name = unsafe { input(name, "name") }?;
        // SAFETY: as above.
        let text = unsafe { input(input_json, "input_json") }?;
        let out = wire::call_json(name, text).map_err(CallError::Core)?;
        // SAFETY: out_json is checked for NULL and written only here, on success.
        unsafe { output(out_json, out) }
    })
}

/// Opens a handle of `kind` ("policySet": `input_json` is the policies object; "account": it is
/// `{"details", "managedPolicyDocuments"?, "credentialReport"?}`; "organization": `{"path"}`) and
/// writes it to `*out`; free it with `iamkit_handle_free`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_open(
    kind: *const c_char,
    input_json: *const c_char,
    out: *mut *mut IamkitHandle,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        if out.is_null() {
            return Err(CallError::InvalidArgument("`out` is NULL".into()));
        }
        // SAFETY: the caller passes NUL-terminated strings or NULL (checked).
        let kind = unsafe { input(kind, "kind") }?;
        // SAFETY: as above.
        let text = unsafe { input(input_json, "input_json") }?;
        let handle = wire::Handle::open(kind, text).map_err(CallError::Core)?;
        let raw = Box::into_raw(Box::new(IamkitHandle { handle }));
        // SAFETY: `out` is not NULL (checked above) and points to writable storage per the header.
        unsafe { *out = raw };
        Ok(())
    })
}

/// Answers the call `name` on a handle (the calls of its kind in contract/iamkit.schema.json,
/// e.g. "evaluate" on a policy set, "whoCan" on an account), given its input object; writes the
/// answer (JSON) to `*out_json`.
#[no_mangle]
pub unsafe extern "C" fn iamkit_handle_call(
    handle: *const IamkitHandle,
    name: *const c_char,
    input_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> IamkitStatus {
    guard(error_json, || {
        // SAFETY: a non-NULL `handle` comes from iamkit_open and is not yet freed.
        let h = unsafe { handle.as_ref() }
            .ok_or_else(|| CallError::InvalidArgument("`handle` is NULL".into()))?;
        // SAFETY: the caller passes NUL-terminated strings or NULL (checked).
        let name = unsafe { input(name, "name") }?;
        // SAFETY: as above.
        let text = unsafe { input(input_json, "input_json") }?;
        let out = h.handle.call_json(name, text).map_err(CallError::Core)?;
        // SAFETY: out_json is checked for NULL and written only on success.
        unsafe { output(out_json, out) }
    })
}

/// The kind of a handle ("policySet", "account" or "organization"): a static string, never freed;
/// NULL for a NULL handle.
#[no_mangle]
pub unsafe extern "C" fn iamkit_handle_kind(handle: *const IamkitHandle) -> *const c_char {
    // SAFETY: a non-NULL `handle` comes from iamkit_open and is not yet freed.
    match unsafe { handle.as_ref() } {
        None => std::ptr::null(),
        Some(h) => match h.handle.kind() {
            "policySet" => c"policySet".as_ptr(),
            "organization" => c"organization".as_ptr(),
            _ => c"account".as_ptr(),
        },
    }
}

/// Frees a handle (NULL is ignored). Call once, after every call using it has returned.
#[no_mangle]
pub unsafe extern "C" fn iamkit_handle_free(handle: *mut IamkitHandle) {
    if handle.is_null() {
        return;
    }
    // a Drop cannot panic here (plain data), but stay behind the guard anyway
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `handle` came from Box::into_raw in iamkit_open and is freed once.
        drop(unsafe { Box::from_raw(handle) });
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
