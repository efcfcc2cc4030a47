//! iamkit for Python: a thin pyo3 layer over `iamkit-core` (no IAM rules here).

mod account;
mod convert;
mod errors;

use std::sync::Arc;

use iamkit_core::wire;
use pyo3::prelude::*;

use convert::{document_json, to_request};
use errors::{guarded, to_py_err};

/// The result of one evaluation: `decision`, `allowed`, and `explain`.
#[pyclass(frozen, module = "iamkit._native", name = "Evaluation")]
#[derive(Debug)]
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

    /// Why: the deciding step and statements.
    #[getter]
    fn explain(&self) -> PyExplanation {
        PyExplanation {
            inner: self.inner.explain.clone(),
        }
    }

    /// The wire JSON `{"decision", "explain"}`.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }

    fn __repr__(&self) -> String {
        format!(
            "Evaluation(decision={:?}, reason={:?})",
            self.inner.decision.as_str(),
            self.inner.explain.reason
        )
    }
}

/// Why a decision came out as it did.
#[pyclass(frozen, module = "iamkit._native", name = "Explanation")]
#[derive(Debug)]
pub struct PyExplanation {
    inner: iamkit_core::eval::Explanation,
}

fn wire_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[pymethods]
impl PyExplanation {
    /// The step that denied (`scp`, `rcp`, `resource`, `identity`, `boundary`, `session`), or None.
    #[getter]
    fn denied_by(&self) -> Option<&'static str> {
        self.inner.denied_by.map(|s| s.as_str())
    }

    /// What granted (`identity`, `resource`, `root`), or None.
    #[getter]
    fn granted_by(&self) -> Option<&'static str> {
        self.inner.granted_by.map(|s| s.as_str())
    }

    /// One sentence a person can act on.
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.reason
    }

    /// The statements that decided.
    #[getter]
    fn statements(&self) -> Vec<PyMatchedStatement> {
        self.inner
            .statements
            .iter()
            .map(|s| PyMatchedStatement {
                step: s.step.as_str().to_string(),
                policy: s.policy.clone(),
                statement: s.statement,
                sid: s.sid.clone(),
                effect: s.effect.as_str().to_string(),
                indeterminate: s.indeterminate,
            })
            .collect()
    }

    /// Each step's outcome, in chain order.
    #[getter]
    fn steps(&self) -> Vec<PyStepResult> {
        self.inner
            .steps
            .iter()
            .map(|s| PyStepResult {
                step: s.step.as_str().to_string(),
                outcome: wire_name(&s.outcome),
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!("Explanation(reason={:?})", self.inner.reason)
    }
}

/// A statement that took part in a decision.
#[pyclass(frozen, get_all, module = "iamkit._native", name = "MatchedStatement")]
#[derive(Debug, Clone)]
pub struct PyMatchedStatement {
    /// The step (kind of policy).
    step: String,
    /// Where the policy is: `identity[0]`, `scps[1][0]`, `resource`, ...
    policy: String,
    /// The statement's index.
    statement: usize,
    /// The statement's Sid.
    sid: Option<String>,
    /// `Allow` or `Deny`.
    effect: String,
    /// Applied fail-closed because its conditions could not be decided.
    indeterminate: bool,
}

#[pymethods]
impl PyMatchedStatement {
    fn __repr__(&self) -> String {
        format!(
            "MatchedStatement(policy={:?}, statement={}, sid={:?}, effect={:?})",
            self.policy, self.statement, self.sid, self.effect
        )
    }
}

/// One step's outcome.
#[pyclass(frozen, get_all, module = "iamkit._native", name = "StepResult")]
#[derive(Debug, Clone)]
pub struct PyStepResult {
    /// The step.
    step: String,
    /// `allow`, `implicitDeny`, `explicitDeny`, `notApplicable`.
    outcome: String,
}

/// Where a diagnostic points: JSON path, line, column.
#[pyclass(frozen, get_all, module = "iamkit._native", name = "Location")]
#[derive(Debug, Clone)]
pub struct PyLocation {
    /// JSONPath, e.g. `$.Statement[0].Effect`.
    json_path: String,
    /// 1-based line.
    line: u32,
    /// 1-based column.
    column: u32,
}

/// One validation finding.
#[pyclass(frozen, get_all, module = "iamkit._native", name = "Diagnostic")]
#[derive(Debug, Clone)]
pub struct PyDiagnostic {
    /// The stable code, e.g. `IAM_POLICY_EFFECT`.
    code: String,
    /// `error` or `warning`.
    severity: String,
    /// A human-readable message.
    message: String,
    /// Where.
    location: PyLocation,
}

#[pymethods]
impl PyDiagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic({} {} at {})",
            self.severity, self.code, self.location.json_path
        )
    }
}

/// The result of validating a policy.
#[pyclass(frozen, get_all, module = "iamkit._native", name = "Validation")]
#[derive(Debug, Clone)]
pub struct PyValidation {
    /// No error-severity diagnostic.
    valid: bool,
    /// Every diagnostic.
    diagnostics: Vec<PyDiagnostic>,
}

impl From<wire::Validation> for PyValidation {
    fn from(v: wire::Validation) -> Self {
        PyValidation {
            valid: v.valid,
            diagnostics: v
                .diagnostics
                .into_iter()
                .map(|d| PyDiagnostic {
                    code: d.code.as_str().to_string(),
                    severity: wire_name(&d.severity),
                    message: d.message,
                    location: PyLocation {
                        json_path: d.location.json_path,
                        line: d.location.line.unwrap_or(0),
                        column: d.location.column.unwrap_or(0),
                    },
                })
                .collect(),
        }
    }
}

/// Policies compiled once (identity, resource, boundary, session, SCP and RCP levels), to
/// evaluate many requests. Immutable and safe to share between threads.
#[pyclass(frozen, module = "iamkit._native", name = "PolicySet")]
#[derive(Debug)]
pub struct PyPolicySet {
    inner: Arc<iamkit_core::PolicySet>,
}

#[pymethods]
impl PyPolicySet {
    /// Compiles `policies` (a dict as in the case format, or its JSON text).
    #[new]
    fn new(py: Python<'_>, policies: &Bound<'_, PyAny>) -> PyResult<Self> {
        guarded(py, || {
            let text = document_json(policies)?;
            let set = py
                .detach(|| wire::policy_set_from_json_str(&text))
                .map_err(|e| to_py_err(py, &e))?;
            Ok(PyPolicySet {
                inner: Arc::new(set),
            })
        })
    }

    /// Decides one request (a dict or JSON text) and explains the decision.
    fn evaluate(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<PyEvaluation> {
        guarded(py, || {
            let req = to_request(py, request)?;
            Ok(PyEvaluation {
                inner: self.inner.evaluate(&req),
            })
        })
    }

    /// Decides one request without an explanation; returns the decision string.
    fn decide(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<&'static str> {
        guarded(py, || {
            let req = to_request(py, request)?;
            Ok(self.inner.decide(&req).as_str())
        })
    }

    /// Decides many requests in one call (the GIL is released while deciding). A malformed
    /// request raises before anything is decided.
    fn evaluate_batch(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<PyEvaluation>> {
        guarded(py, || {
            // in chunks, so that requests and answers stay in cache; the GIL is released while
            // each chunk is decided
            const CHUNK: usize = 256;
            let mut out = Vec::new();
            let mut chunk = Vec::with_capacity(CHUNK);
            let mut iter = requests.try_iter()?;
            loop {
                chunk.clear();
                for r in iter.by_ref().take(CHUNK) {
                    chunk.push(to_request(py, &r?)?);
                }
                if chunk.is_empty() {
                    break;
                }
                let set = &self.inner;
                let reqs = &chunk;
                let decided =
                    py.detach(|| reqs.iter().map(|r| set.evaluate(r)).collect::<Vec<_>>());
                out.extend(decided.into_iter().map(|inner| PyEvaluation { inner }));
            }
            Ok(out)
        })
    }

    /// Decides one request given as JSON text; returns `{"decision", "explain"}` as JSON text.
    fn evaluate_json(&self, py: Python<'_>, request_json: &str) -> PyResult<String> {
        guarded(py, || {
            wire::evaluate_request_json_str(&self.inner, request_json)
                .map_err(|e| to_py_err(py, &e))
        })
    }
}

/// Decides one request against policies (both dicts, or JSON text) and explains the decision.
#[pyfunction]
fn evaluate(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    policies: &Bound<'_, PyAny>,
) -> PyResult<PyEvaluation> {
    guarded(py, || {
        let req = to_request(py, request)?;
        let text = document_json(policies)?;
        let ev = py
            .detach(|| wire::policy_set_from_json_str(&text).map(|set| set.evaluate(&req)))
            .map_err(|e| to_py_err(py, &e))?;
        Ok(PyEvaluation { inner: ev })
    })
}

/// Validates a policy document (a dict or JSON text) as `type` (identity, resource, trust, scp,
/// rcp, boundary, session).
#[pyfunction]
#[pyo3(signature = (policy, r#type = "identity"))]
fn validate_policy(
    py: Python<'_>,
    policy: &Bound<'_, PyAny>,
    r#type: &str,
) -> PyResult<PyValidation> {
    guarded(py, || {
        let ty = iamkit_core::PolicyType::parse(r#type).ok_or_else(|| {
            to_py_err(
                py,
                &iamkit_core::Error::new(
                    iamkit_core::ErrorCode::InvalidArgument,
                    format!("unknown policy type `{}` (expected identity, resource, trust, scp, rcp, boundary, session)", r#type),
                ),
            )
        })?;
        let text = document_json(policy)?;
        Ok(wire::validate_policy(&text, ty).into())
    })
}

/// The JSON entry point shared with C: evaluates `{"request", "policies"}` (JSON text) and
/// returns `{"decision", "explain"}` (JSON text).
#[pyfunction]
fn evaluate_json(py: Python<'_>, case_json: &str) -> PyResult<String> {
    guarded(py, || {
        py.detach(|| wire::evaluate_json_str(case_json))
            .map_err(|e| to_py_err(py, &e))
    })
}

/// The JSON entry point shared with C: validates a policy (JSON text); returns
/// `{"valid", "diagnostics"}` (JSON text).
#[pyfunction]
fn validate_policy_json(py: Python<'_>, policy_json: &str, policy_type: &str) -> PyResult<String> {
    guarded(py, || {
        wire::validate_policy_json_str(policy_json, policy_type).map_err(|e| to_py_err(py, &e))
    })
}

/// The iamkit version.
#[pyfunction]
fn version() -> &'static str {
    iamkit_core::VERSION
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
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(validate_policy, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_policy_json, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    #[cfg(feature = "test-panic")]
    m.add_function(wrap_pyfunction!(_test_panic, m)?)?;
    m.add_class::<PyPolicySet>()?;
    m.add_class::<account::PyAccount>()?;
    m.add_function(wrap_pyfunction!(account::credentials_json, m)?)?;
    m.add_function(wrap_pyfunction!(account::credential_report_json, m)?)?;
    m.add_function(wrap_pyfunction!(account::audit_json, m)?)?;
    m.add_function(wrap_pyfunction!(account::catalog_json, m)?)?;
    m.add_class::<PyEvaluation>()?;
    m.add_class::<PyExplanation>()?;
    m.add_class::<PyMatchedStatement>()?;
    m.add_class::<PyStepResult>()?;
    m.add_class::<PyValidation>()?;
    m.add_class::<PyDiagnostic>()?;
    m.add_class::<PyLocation>()?;
    errors::register(py, m)?;
    m.add("__version__", iamkit_core::VERSION)?;
    Ok(())
}
