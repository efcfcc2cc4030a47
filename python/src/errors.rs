//! Exceptions: `IamkitError` and one subclass per error family, each instance with `.code` (the
//! stable string) and `.details` (a dict: code, message, location). A Rust panic becomes
//! `InternalError`, which `except Exception` catches (unlike pyo3's PanicException).

use std::panic::{catch_unwind, AssertUnwindSafe};

use iamkit_core::{Error, ErrorCode};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    iamkit,
    IamkitError,
    PyException,
    "Base class of every iamkit error; has `.code` and `.details`."
);
create_exception!(
    iamkit,
    InputError,
    IamkitError,
    "The input is not valid JSON, has the wrong shape, or has the wrong type."
);
create_exception!(
    iamkit,
    PolicyParseError,
    IamkitError,
    "A policy document is not valid JSON or repeats a key."
);
create_exception!(
    iamkit,
    PolicyValidationError,
    IamkitError,
    "A policy document breaks IAM's grammar (IAM_POLICY_* codes)."
);
create_exception!(
    iamkit,
    RequestError,
    IamkitError,
    "The request is malformed (IAM_REQUEST_* codes)."
);
create_exception!(
    iamkit,
    AccountError,
    IamkitError,
    "Account data that cannot be loaded, or a query naming a principal the account does not have (IAM_ACCOUNT_* codes)."
);
create_exception!(
    iamkit,
    AuditInputError,
    IamkitError,
    "A credential report, password policy or account summary that cannot be read (IAM_REPORT_FORMAT, IAM_AUDIT_INPUT)."
);
create_exception!(
    iamkit,
    InternalError,
    IamkitError,
    "A bug in iamkit (IAM_INTERNAL)."
);

/// Adds the exception classes to the module.
pub(crate) fn register(py: Python<'_>, m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("IamkitError", py.get_type::<IamkitError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("PolicyParseError", py.get_type::<PolicyParseError>())?;
    m.add(
        "PolicyValidationError",
        py.get_type::<PolicyValidationError>(),
    )?;
    m.add("RequestError", py.get_type::<RequestError>())?;
    m.add("AccountError", py.get_type::<AccountError>())?;
    m.add("AuditInputError", py.get_type::<AuditInputError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}

/// Converts a core error into the exception of its family, with `.code` and `.details`.
pub(crate) fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    let msg = e.to_string();
    let err = match e.code() {
        ErrorCode::InputJson
        | ErrorCode::CatalogFormat
        | ErrorCode::InputSchema
        | ErrorCode::InvalidArgument
        | ErrorCode::Io => InputError::new_err(msg),
        ErrorCode::PolicyJson | ErrorCode::PolicyDuplicateKey => PolicyParseError::new_err(msg),
        ErrorCode::RequestPrincipal
        | ErrorCode::RequestAction
        | ErrorCode::RequestResource
        | ErrorCode::RequestContext => RequestError::new_err(msg),
        ErrorCode::AccountData | ErrorCode::AccountPrincipal => AccountError::new_err(msg),
        ErrorCode::ReportFormat | ErrorCode::AuditInput => AuditInputError::new_err(msg),
        ErrorCode::Internal => InternalError::new_err(msg),
        _ => PolicyValidationError::new_err(msg),
    };
    let value = err.value(py);
    let details = PyDict::new(py);
    let _ = details.set_item("code", e.code().as_str());
    let _ = details.set_item("message", e.message());
    match e.location() {
        Some(l) => {
            let loc = PyDict::new(py);
            let _ = loc.set_item("jsonPath", &l.json_path);
            let _ = loc.set_item("line", l.line.unwrap_or(0));
            let _ = loc.set_item("column", l.column.unwrap_or(0));
            let _ = details.set_item("location", loc);
        }
        None => {
            let _ = details.set_item("location", py.None());
        }
    }
    let _ = value.setattr("code", e.code().as_str());
    let _ = value.setattr("details", details);
    err
}

/// An `InvalidArgument` error as a Python exception.
pub(crate) fn invalid_argument(py: Python<'_>, msg: impl Into<String>) -> PyErr {
    to_py_err(py, &Error::new(ErrorCode::InvalidArgument, msg))
}

/// Runs `f`, turning a Rust panic into `InternalError`.
pub(crate) fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(to_py_err(py, &Error::from_panic(payload.as_ref()))),
    }
}
