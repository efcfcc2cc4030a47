//! Exceptions: `IamkitError` and one subclass per error family, each instance with `.code` (the
//! stable string), `.message`, `.location` and `.details` (the wire error as a dict). Every error
//! the module raises is one of them: a Rust panic becomes `InternalError`, which `except Exception`
//! catches (unlike pyo3's PanicException).

use std::panic::{catch_unwind, AssertUnwindSafe};

use iamkit_core::{Error, ErrorCode};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    iamkit,
    IamkitError,
    PyException,
    "Base class of every iamkit error; has `.code`, `.message`, `.location` and `.details`."
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
    OrganizationError,
    IamkitError,
    "Organization data that cannot be read: a file of the tree, an account the organization does not list, an SCP on an account's path (IAM_ORG_DATA)."
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
    m.add("OrganizationError", py.get_type::<OrganizationError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}

/// Converts a core error into the exception of its family, with `.code`, `.message`, `.location`
/// (`{"jsonPath", "line"?, "column"?}` or `None`) and `.details` (the wire error: `{"code",
/// "message", "location"?}`).
pub(crate) fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    let msg = e.to_string();
    let err = match e.code() {
        ErrorCode::InputJson
        | ErrorCode::CatalogFormat
        | ErrorCode::InputSchema
        | ErrorCode::InputTooLarge
        | ErrorCode::InvalidArgument
        | ErrorCode::Io => InputError::new_err(msg),
        ErrorCode::PolicyJson | ErrorCode::PolicyDuplicateKey => PolicyParseError::new_err(msg),
        ErrorCode::RequestPrincipal
        | ErrorCode::RequestAction
        | ErrorCode::RequestResource
        | ErrorCode::RequestContext => RequestError::new_err(msg),
        ErrorCode::AccountData | ErrorCode::AccountPrincipal => AccountError::new_err(msg),
        ErrorCode::ReportFormat | ErrorCode::AuditInput => AuditInputError::new_err(msg),
        ErrorCode::OrgData => OrganizationError::new_err(msg),
        ErrorCode::Internal => InternalError::new_err(msg),
        _ => PolicyValidationError::new_err(msg),
    };
    let value = err.value(py);
    let details = crate::answer::to_python(py, e).ok();
    let location = e
        .location()
        .and_then(|l| crate::answer::to_python(py, l).ok())
        .unwrap_or_else(|| py.None().into_bound(py));
    let _ = value.setattr("code", e.code().as_str());
    let _ = value.setattr("message", e.message());
    let _ = value.setattr("location", location);
    let _ = value.setattr("details", details);
    err
}

/// An exception instance for a core error (an error as a value: a batch item).
pub(crate) fn to_py_value(py: Python<'_>, e: &Error) -> Py<PyAny> {
    to_py_err(py, e).into_value(py).into_any()
}

/// Runs `f`, turning a Rust panic into `InternalError`.
pub(crate) fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(to_py_err(py, &Error::from_panic(payload.as_ref()))),
    }
}

/// Runs `f` (which fails with core errors), turning its error or a Rust panic into the exception
/// of its family.
pub(crate) fn run<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error>) -> PyResult<T> {
    guarded(py, || f().map_err(|e| to_py_err(py, &e)))
}
