//! iamkit for Python: a thin pyo3 layer over `iamkit-core`'s wire contract (no IAM rules here).
//!
//! - `call(name, input)`: a call without a handle;
//! - `Handle(kind, input)` and `.call(name, input)`: a handle and the calls on it;
//! - `PolicySet(policies)`: a `policySet` handle with the hot path (`evaluate`, `decide`,
//!   `evaluate_batch`) answering [`PyEvaluation`] objects.
//!
//! Inputs are JSON text (`str`) or Python values, which [`convert`] writes as JSON text; answers
//! become Python values with `pythonize`. Errors are the exceptions of [`errors`].

mod answer;
mod convert;
mod errors;
mod report;
mod request;

/// mimalloc for the Rust side of the module (Python's own objects keep Python's allocator):
/// compiling policies and building requests allocate many small blocks, served faster than by
/// the C library's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;

use iamkit_core::wire::{self, Answer, BatchAnswer, CallAnswer, PolicySetAnswer};
use iamkit_core::{Error, ErrorCode, Location};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::value::RawValue;

use convert::{append_json, input_text, name_arg, type_name};
use errors::{guarded, run, to_py_err, to_py_value};

/// An answer as Python values (dicts, lists, str, int, float, bool, None).
fn to_python<T: serde::Serialize + ?Sized>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    answer::to_python(py, v).map(Bound::unbind).map_err(|e| {
        to_py_err(
            py,
            &Error::new(
                ErrorCode::Internal,
                format!("the answer cannot be converted: {e}"),
            ),
        )
    })
}

/// The error for an answer of the wrong call (a bug).
fn unexpected_answer() -> Error {
    Error::new(ErrorCode::Internal, "the core answered another call")
}

/// Answers a call that needs no handle: `name` (`evaluate`, `validate`, `lint`, `audit`, ...) and
/// its input (a dict, or its JSON text). The GIL is released while the core works.
#[pyfunction]
fn call(py: Python<'_>, name: &Bound<'_, PyAny>, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let answer = run(py, || {
        let name = name_arg(name, "call name")?;
        let text = input_text(input)?;
        py.detach(|| wire::call(name, &text))
    })?;
    guarded(py, || to_python(py, &answer))
}

/// Parses a credential report (its CSV as `str` or UTF-8 `bytes`, or the `get_credential_report`
/// response as a dict or JSON text) into a lazy [`report::PyCredentialReport`]: the answer of
/// `call("credentialReport", {"report": report})`, whose rows stay native until read. The GIL is
/// released while the core parses.
#[pyfunction]
fn parse_credential_report(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
) -> PyResult<report::PyCredentialReport> {
    // text as it is: the core's parser on it, without writing it into a JSON input and reading it
    // back (the eager call's path, which gives the same report)
    let direct: Option<&str> = if let Ok(s) = report.cast::<PyString>() {
        s.to_str().ok()
    } else if let Ok(b) = report.cast::<PyBytes>() {
        std::str::from_utf8(b.as_bytes()).ok()
    } else {
        None
    };
    if let Some(text) = direct {
        let parsed = run(py, || py.detach(|| wire::credential_report_of_text(text)))?;
        return Ok(report::PyCredentialReport::new(parsed));
    }
    let parsed = run(py, || {
        let input = PyDict::new(py);
        input
            .set_item("report", report)
            .map_err(|_| Error::new(ErrorCode::Internal, "cannot build the input"))?;
        let text = input_text(input.as_any())?;
        match py.detach(|| wire::call("credentialReport", &text))? {
            Answer::Call(CallAnswer::CredentialReport(r)) => Ok(r),
            _ => Err(unexpected_answer()),
        }
    })?;
    Ok(report::PyCredentialReport::new(parsed))
}

/// Something opened once and called many times (kind `policySet` or `account`); immutable and
/// safe to share between threads.
#[pyclass(subclass, frozen, module = "iamkit._native", name = "Handle")]
#[derive(Debug)]
pub struct PyHandle {
    inner: Arc<wire::Handle>,
}

impl PyHandle {
    fn open(py: Python<'_>, kind: &str, input: &Bound<'_, PyAny>) -> PyResult<PyHandle> {
        run(py, || {
            let text = input_text(input)?;
            let handle = py.detach(|| wire::Handle::open(kind, &text))?;
            Ok(PyHandle {
                inner: Arc::new(handle),
            })
        })
    }
}

#[pymethods]
impl PyHandle {
    /// Opens a handle of `kind` (`policySet`, `account`) from its input (a dict, or its JSON
    /// text). The GIL is released while the core works.
    #[new]
    fn new(py: Python<'_>, kind: &Bound<'_, PyAny>, input: &Bound<'_, PyAny>) -> PyResult<Self> {
        let kind = run(py, || name_arg(kind, "handle kind").map(str::to_string))?;
        PyHandle::open(py, &kind, input)
    }

    /// The handle's kind: `policySet` or `account`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    /// Answers a call on the handle: `name` (in the handle's table) and its input (a dict, or its
    /// JSON text). The GIL is released while the core works.
    fn call(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyAny>,
        input: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let answer = run(py, || {
            let name = name_arg(name, "call name")?;
            let text = input_text(input)?;
            let handle = &self.inner;
            py.detach(|| handle.call(name, &text))
        })?;
        guarded(py, || to_python(py, &answer))
    }

    fn __repr__(&self) -> String {
        format!("<iamkit.Handle {}>", self.inner.kind())
    }
}

/// The result of one evaluation: `decision`, `allowed`, and `explain`.
#[pyclass(frozen, eq, module = "iamkit._native", name = "Evaluation")]
#[derive(Debug, PartialEq)]
pub struct PyEvaluation {
    inner: iamkit_core::Evaluation,
}

#[pymethods]
impl PyEvaluation {
    /// `"allowed"`, `"explicitDeny"` or `"implicitDeny"`.
    #[getter]
    fn decision(&self) -> &'static str {
        self.inner.decision.as_str()
    }

    /// Whether the decision is `"allowed"`.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.decision == iamkit_core::Decision::Allowed
    }

    /// Why, as the contract's `Explanation` (a dict: `deniedBy`?, `grantedBy`?, `reason`,
    /// `statements`, `steps`).
    #[getter]
    fn explain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.inner.explain)
    }

    /// The answer as the contract's `Evaluation` (a dict: `decision`, `explain`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Evaluation(decision={:?}, reason={:?})",
            self.inner.decision.as_str(),
            self.inner.explain.reason
        )
    }
}

/// Policies compiled once (identity, resource, boundary, session, SCP and RCP levels), to decide
/// many requests: a handle of kind `policySet`. Immutable and safe to share between threads.
#[pyclass(extends = PyHandle, frozen, module = "iamkit._native", name = "PolicySet")]
#[derive(Debug)]
pub struct PyPolicySet {
    handle: Arc<wire::Handle>,
}

impl PyPolicySet {
    /// `evaluate` through the wire: the request written as JSON text (or given as text) and read
    /// by the core's reader.
    fn evaluate_via_json(&self, request: &Bound<'_, PyAny>) -> Result<PyEvaluation, Error> {
        match self.answer("evaluate", request)? {
            PolicySetAnswer::Evaluate(inner) => Ok(PyEvaluation { inner }),
            _ => Err(unexpected_answer()),
        }
    }

    /// Answers a policy-set call on a request given as a dict or JSON text.
    fn answer(&self, name: &str, request: &Bound<'_, PyAny>) -> Result<PolicySetAnswer, Error> {
        let text = input_text(request)?;
        match self.handle.call(name, &text)? {
            Answer::PolicySet(a) => Ok(a),
            _ => Err(unexpected_answer()),
        }
    }
}

#[pymethods]
impl PyPolicySet {
    /// Compiles `policies` (a dict: `identity`, `resource`, `permissionBoundaries`, `session`,
    /// `scps`, `rcps`, `vpcEndpoint`, every member optional; or its JSON text).
    #[new]
    fn new(py: Python<'_>, policies: &Bound<'_, PyAny>) -> PyResult<PyClassInitializer<Self>> {
        let base = PyHandle::open(py, "policySet", policies)?;
        let handle = base.inner.clone();
        Ok(PyClassInitializer::from(base).add_subclass(PyPolicySet { handle }))
    }

    /// Decides one request (a dict, or its JSON text) and explains the decision. The GIL is held:
    /// a decision takes microseconds, less than handing the GIL over and back would cost under
    /// contention.
    fn evaluate(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<PyEvaluation> {
        run(py, || {
            // a plain request dict is read without JSON text in between (see `request`)
            if let (wire::Handle::PolicySet(set), Some(req)) =
                (&*self.handle, request::plain_request(request))
            {
                return Ok(PyEvaluation {
                    inner: set.evaluate(&req),
                });
            }
            self.evaluate_via_json(request)
        })
    }

    /// Decides one request without an explanation; returns the decision. The GIL is held.
    fn decide(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<&'static str> {
        run(py, || {
            // a plain request dict is read without JSON text in between (see `request`)
            if let (wire::Handle::PolicySet(set), Some(req)) =
                (&*self.handle, request::plain_request(request))
            {
                return Ok(set.decide(&req).as_str());
            }
            match self.answer("decide", request)? {
                PolicySetAnswer::Decide(d) => Ok(d.decision.as_str()),
                _ => Err(unexpected_answer()),
            }
        })
    }

    /// Decides many requests (a list or tuple of dicts or JSON texts); the GIL is released while
    /// deciding. Each item of the answer is an `Evaluation`, or that request's error (an
    /// `IamkitError` located at `$.requests[i]`): one bad request never raises.
    fn evaluate_batch(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let (text, mut refused) = run(py, || batch_text(requests))?;
        let answers = run(py, || {
            let handle = &self.handle;
            match py.detach(|| handle.call("evaluateBatch", &text))? {
                Answer::PolicySet(PolicySetAnswer::EvaluateBatch(v)) => Ok(v),
                _ => Err(unexpected_answer()),
            }
        })?;
        guarded(py, || {
            let mut out = Vec::with_capacity(answers.len());
            let mut refused = refused.drain(..).peekable();
            for (i, a) in answers.into_iter().enumerate() {
                if let Some((_, e)) = refused.next_if(|(at, _)| *at == i) {
                    out.push(to_py_value(py, &e));
                    continue;
                }
                out.push(match a {
                    BatchAnswer::Evaluated(inner) => {
                        Py::new(py, PyEvaluation { inner })?.into_any()
                    }
                    BatchAnswer::Failed { error } => to_py_value(py, &error),
                });
            }
            Ok(out)
        })
    }

    fn __repr__(&self) -> String {
        "<iamkit.PolicySet>".to_string()
    }
}

/// The `evaluateBatch` input for a list of requests, and the requests refused before the core
/// sees them (each replaced by `null` there, so that indices stay those of the list).
fn batch_text(requests: &Bound<'_, PyAny>) -> Result<(String, Vec<(usize, Error)>), Error> {
    let items: Vec<Bound<'_, PyAny>> = if let Ok(l) = requests.cast::<PyList>() {
        l.iter().collect()
    } else if let Ok(t) = requests.cast::<PyTuple>() {
        t.iter().collect()
    } else {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "the requests must be a list or tuple, not {}",
                type_name(requests)
            ),
        ));
    };
    let mut text = String::with_capacity(32 + items.len() * 256);
    let mut refused = Vec::new();
    text.push_str(r#"{"requests":["#);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let at = || format!("$.requests[{i}]");
        let written = match item.cast::<PyString>().map(|s| s.to_str()) {
            // JSON text: one JSON value, spliced as written
            Ok(Ok(t)) => wire::read::<&RawValue>(t)
                .map(|raw| text.push_str(raw.get()))
                .map_err(|e| Error::new(e.code(), e.message()).at(Location::path(at()))),
            _ => append_json(item, &mut text, at),
        };
        if let Err(e) = written {
            refused.push((i, e));
            text.push_str("null");
        }
    }
    text.push_str("]}");
    Ok((text, refused))
}

/// The iamkit version.
#[pyfunction]
fn version() -> &'static str {
    iamkit_core::VERSION
}

/// The iamkit error (an exception instance of the code's family) for `code`, `message` and an
/// optional JSON path, for the Python layer's own checks.
#[pyfunction]
#[pyo3(signature = (code, message, json_path=None))]
fn _error(py: Python<'_>, code: &str, message: &str, json_path: Option<&str>) -> Py<PyAny> {
    let code = ErrorCode::parse(code).unwrap_or(ErrorCode::Internal);
    let mut e = Error::new(code, message);
    if let Some(p) = json_path {
        e = e.at(Location::path(p));
    }
    to_py_value(py, &e)
}

/// Test-only: panics inside the guard (raises InternalError).
#[cfg(feature = "test-panic")]
#[pyfunction]
fn _test_panic(py: Python<'_>) -> PyResult<()> {
    guarded(py, || -> PyResult<()> {
        #[allow(clippy::panic)]
        {
            panic!("iamkit _test_panic was called")
        }
    })
}

/// iamkit's native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(_error, m)?)?;
    #[cfg(feature = "test-panic")]
    m.add_function(wrap_pyfunction!(_test_panic, m)?)?;
    m.add_class::<PyHandle>()?;
    m.add_class::<PyPolicySet>()?;
    m.add_class::<PyEvaluation>()?;
    m.add_function(wrap_pyfunction!(parse_credential_report, m)?)?;
    m.add_class::<report::PyCredentialReport>()?;
    m.add_class::<report::PyCredentialRows>()?;
    m.add_class::<report::PyCredentialRow>()?;
    // the views are a Mapping, a Sequence and a Mapping to isinstance and to typing users
    let abc = py.import("collections.abc")?;
    for (cls, abc_name) in [
        (py.get_type::<report::PyCredentialReport>(), "Mapping"),
        (py.get_type::<report::PyCredentialRows>(), "Sequence"),
        (py.get_type::<report::PyCredentialRow>(), "Mapping"),
    ] {
        abc.getattr(abc_name)?.call_method1("register", (cls,))?;
    }
    errors::register(py, m)?;
    m.add("__version__", iamkit_core::VERSION)?;
    Ok(())
}
