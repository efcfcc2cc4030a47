//! The account handle for Python: JSON text in and out (the Python layer, `iamkit.Account`, turns
//! it into dicts). Loading and queries release the GIL.

use std::sync::Arc;

use iamkit_core::wire;
use pyo3::prelude::*;

use crate::errors::{guarded, to_py_err};

/// An account loaded from authorization details; immutable, shareable across threads.
#[pyclass(frozen, module = "iamkit._native", name = "NativeAccount")]
#[derive(Debug)]
pub struct PyAccount {
    inner: Arc<iamkit_core::Account>,
}

#[pymethods]
impl PyAccount {
    /// Loads authorization details (JSON text) with optional load options (JSON text).
    #[new]
    #[pyo3(signature = (details_json, options_json=None))]
    fn new(py: Python<'_>, details_json: &str, options_json: Option<&str>) -> PyResult<Self> {
        guarded(py, || {
            let account = py
                .detach(|| wire::account_from_json_str(details_json, options_json))
                .map_err(|e| to_py_err(py, &e))?;
            Ok(PyAccount {
                inner: Arc::new(account),
            })
        })
    }

    /// Answers one query (JSON text); returns the answer as JSON text.
    fn query_json(&self, py: Python<'_>, query_json: &str) -> PyResult<String> {
        guarded(py, || {
            let account = &self.inner;
            py.detach(|| wire::account_query_json_str(account, query_json))
                .map_err(|e| to_py_err(py, &e))
        })
    }
}

/// Reads an instance-metadata credential document (JSON text); returns the report as JSON text.
#[pyfunction]
#[pyo3(signature = (document_json, as_of=None))]
pub fn credentials_json(
    py: Python<'_>,
    document_json: &str,
    as_of: Option<&str>,
) -> PyResult<String> {
    guarded(py, || {
        wire::credentials_json_str(document_json, as_of).map_err(|e| to_py_err(py, &e))
    })
}

/// Parses a credential report (CSV or envelope text); returns its typed rows as JSON text.
#[pyfunction]
pub fn credential_report_json(py: Python<'_>, report: &str) -> PyResult<String> {
    guarded(py, || {
        py.detach(|| wire::credential_report_json_str(report))
            .map_err(|e| to_py_err(py, &e))
    })
}

/// Runs the audit over inputs (JSON text); returns the report as JSON text. Releases the GIL.
#[pyfunction]
pub fn audit_json(py: Python<'_>, inputs_json: &str) -> PyResult<String> {
    guarded(py, || {
        py.detach(|| wire::audit_json_str(inputs_json))
            .map_err(|e| to_py_err(py, &e))
    })
}

/// Answers one service-catalog query (JSON text) with JSON text.
#[pyfunction]
pub fn catalog_json(py: Python<'_>, query_json: &str) -> PyResult<String> {
    guarded(py, || {
        py.detach(|| wire::catalog_query_json_str(query_json))
            .map_err(|e| to_py_err(py, &e))
    })
}
