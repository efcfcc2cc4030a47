//! Strings across the boundary: borrowed NUL-terminated UTF-8 in, owned C strings out.

use std::ffi::{c_char, CStr, CString};

use crate::boundary::CallError;

/// Borrows a NUL-terminated UTF-8 input string.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn input<'a>(p: *const c_char, name: &str) -> Result<&'a str, CallError> {
    if p.is_null() {
        return Err(CallError::InvalidArgument(format!("`{name}` is NULL")));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str()
        .map_err(|_| CallError::InvalidArgument(format!("`{name}` is not valid UTF-8")))
}

/// Writes an owned copy of `s` to `*out` (freed with iamkit_string_free).
///
/// # Safety
/// `out` is NULL (an error) or points to writable storage for one pointer.
pub(crate) unsafe fn output(out: *mut *mut c_char, s: String) -> Result<(), CallError> {
    if out.is_null() {
        return Err(CallError::InvalidArgument(
            "the output pointer is NULL".into(),
        ));
    }
    let c = CString::new(s)
        .map_err(|_| CallError::InvalidArgument("the output holds a NUL byte".into()))?;
    // SAFETY: `out` is not NULL (checked) and writable per the caller's contract.
    unsafe { *out = c.into_raw() };
    Ok(())
}

/// Frees a string made by [`output`].
///
/// # Safety
/// `s` is NULL or came from [`output`] and was not freed before.
pub(crate) unsafe fn free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: per the contract, `s` came from CString::into_raw.
        drop(unsafe { CString::from_raw(s) });
    }
}
