//! The panic boundary: every export runs inside [`guard`], which turns errors and panics into a
//! status plus an error JSON.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use iamkit_core::wire::error_json;
use iamkit_core::{Error, ErrorCode};

use crate::strings::output;
use crate::IamkitStatus;

/// Why a call failed.
pub(crate) enum CallError {
    /// NULL or non-UTF-8 argument.
    InvalidArgument(String),
    /// The core refused the call (its code decides the status).
    Core(Error),
}

/// Runs `f`, catching panics; on failure writes the error JSON to `*error_json` (when non-NULL).
pub(crate) fn guard(
    error_json_out: *mut *mut c_char,
    f: impl FnOnce() -> Result<(), CallError>,
) -> IamkitStatus {
    let (status, err) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return IamkitStatus::Ok,
        Ok(Err(CallError::InvalidArgument(msg))) => (
            IamkitStatus::InvalidArgument,
            Error::new(ErrorCode::InvalidArgument, msg),
        ),
        Ok(Err(CallError::Core(e))) => (status_of(&e), e),
        Err(payload) => (IamkitStatus::Internal, Error::from_panic(payload.as_ref())),
    };
    if !error_json_out.is_null() {
        // SAFETY: checked for NULL; the header says error_json points to writable storage.
        let _ = unsafe { output(error_json_out, error_json(&err)) };
    }
    status
}

/// The status for an error's code: invalid argument and internal have their own, every other code
/// is an input the core refused.
fn status_of(e: &Error) -> IamkitStatus {
    match e.code() {
        ErrorCode::InvalidArgument => IamkitStatus::InvalidArgument,
        ErrorCode::Internal => IamkitStatus::Internal,
        _ => IamkitStatus::Input,
    }
}
