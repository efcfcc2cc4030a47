//! The parsed credential report as a lazy, read-only view: [`PyCredentialReport`] (a Mapping with
//! the keys of the `credentialReport` answer), its `rows` ([`PyCredentialRows`], a Sequence) and
//! each row ([`PyCredentialRow`], a Mapping with the keys of the answer's row). The typed rows stay
//! in native memory, shared with [`Arc`] by every view of them; a row becomes Python values only
//! when a value is read, each value exactly as the eager answer writes it (pythonized the same
//! way): a cell is its value (a bool, an RFC 3339 instant in UTC, a string) or the special
//! value's text (`N/A`, `not_supported`, `no_information`).
//!
//! Indexing follows Python: a row index out of range raises `IndexError`, a key that is not one of
//! the answer's raises `KeyError`, an index of another type `TypeError`.

use std::sync::Arc;

use iamkit_core::inputs::{Cell, CredentialReport, CredentialRow, Instant};
use pyo3::exceptions::{PyIndexError, PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PySlice, PyString, PyTuple};

use crate::answer;

/// The keys of a row, in the order of the answer.
const ROW_KEYS: [&str; 12] = [
    "line",
    "user",
    "arn",
    "isRoot",
    "userCreationTime",
    "passwordEnabled",
    "passwordLastUsed",
    "passwordLastChanged",
    "passwordNextRotation",
    "mfaActive",
    "accessKeys",
    "certs",
];

/// The answer's value for `v` (pythonized as the eager answer is).
fn pythonized<'py, T: serde::Serialize + ?Sized>(
    py: Python<'py>,
    v: &T,
) -> PyResult<Bound<'py, PyAny>> {
    answer::to_python(py, v).map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("the row cannot be converted: {e}"))
    })
}

/// A special value's text (interned: there are three).
fn special<'py, T>(py: Python<'py>, c: &Cell<T>) -> Bound<'py, PyAny> {
    PyString::intern(py, c.special().unwrap_or_default()).into_any()
}

fn bool_cell<'py>(py: Python<'py>, c: &Cell<bool>) -> Bound<'py, PyAny> {
    match c {
        Cell::Value(b) => PyBool::new(py, *b).to_owned().into_any(),
        other => special(py, other),
    }
}

fn instant_cell<'py>(py: Python<'py>, c: &Cell<Instant>) -> Bound<'py, PyAny> {
    match c {
        Cell::Value(i) => PyString::new(py, &i.to_rfc3339()).into_any(),
        other => special(py, other),
    }
}

/// One value of a row by its key's position in [`ROW_KEYS`].
fn row_value<'py>(py: Python<'py>, row: &CredentialRow, key: usize) -> PyResult<Bound<'py, PyAny>> {
    Ok(match key {
        0 => row.line.into_pyobject(py)?.into_any(),
        1 => PyString::new(py, &row.user).into_any(),
        2 => PyString::new(py, &row.arn).into_any(),
        3 => PyBool::new(py, row.is_root).to_owned().into_any(),
        4 => instant_cell(py, &row.user_creation_time),
        5 => bool_cell(py, &row.password_enabled),
        6 => instant_cell(py, &row.password_last_used),
        7 => instant_cell(py, &row.password_last_changed),
        8 => instant_cell(py, &row.password_next_rotation),
        9 => bool_cell(py, &row.mfa_active),
        10 => pythonized(py, &row.access_keys[..])?,
        _ => pythonized(py, &row.certs[..])?,
    })
}

/// The position of `key` in [`ROW_KEYS`], if it is one.
fn row_key(key: &Bound<'_, PyAny>) -> Option<usize> {
    let s = key.cast::<PyString>().ok()?;
    let s = s.to_str().ok()?;
    ROW_KEYS.iter().position(|k| *k == s)
}

/// A row index as Python reads it (negative from the end), or `IndexError`.
fn row_index(len: usize, i: isize) -> PyResult<usize> {
    let at = if i < 0 {
        len.checked_sub(i.unsigned_abs())
    } else {
        Some(i.unsigned_abs()).filter(|&i| i < len)
    };
    at.ok_or_else(|| PyIndexError::new_err("credential report row index out of range"))
}

/// A parsed credential report: a read-only Mapping with the keys of the `credentialReport`
/// answer (`generatedTime` when the input had one, and `rows`). Immutable; its rows are shared by
/// every view of them.
#[pyclass(frozen, mapping, module = "iamkit._native", name = "CredentialReport")]
#[derive(Debug)]
pub struct PyCredentialReport {
    inner: Arc<CredentialReport>,
}

impl PyCredentialReport {
    /// The view of a parsed report.
    pub fn new(report: CredentialReport) -> Self {
        PyCredentialReport {
            inner: Arc::new(report),
        }
    }

    fn keys_list(&self) -> Vec<&'static str> {
        if self.inner.generated_time.is_some() {
            vec!["generatedTime", "rows"]
        } else {
            vec!["rows"]
        }
    }

    fn value<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(match key {
            "rows" => Some(self.rows().into_pyobject(py)?.into_any()),
            "generatedTime" => self
                .inner
                .generated_time
                .map(|g| PyString::new(py, &g.to_rfc3339()).into_any()),
            _ => None,
        })
    }
}

#[pymethods]
impl PyCredentialReport {
    /// The rows, in file order (a Sequence of `CredentialRow`).
    #[getter]
    fn rows(&self) -> PyCredentialRows {
        PyCredentialRows {
            inner: self.inner.clone(),
        }
    }

    /// `GeneratedTime` from the API envelope (RFC 3339, UTC), or `None`.
    #[getter]
    fn generated_time(&self) -> Option<String> {
        self.inner.generated_time.map(Instant::to_rfc3339)
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let name = key.cast::<PyString>().ok().and_then(|s| s.to_str().ok());
        match name {
            Some(n) => self.value(py, n)?,
            None => None,
        }
        .ok_or_else(|| PyKeyError::new_err(key.clone().unbind()))
    }

    fn __len__(&self) -> usize {
        self.keys_list().len()
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        key.cast::<PyString>()
            .ok()
            .and_then(|s| s.to_str().ok().map(|s| self.keys_list().contains(&s)))
            .unwrap_or(false)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.keys_list())?
            .as_any()
            .try_iter()?
            .into_any())
    }

    /// The keys: `generatedTime` (when present) and `rows`.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.keys_list())
    }

    /// The values, in the order of the keys.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::new();
        for k in self.keys_list() {
            out.extend(self.value(py, k)?);
        }
        PyList::new(py, out)
    }

    /// The `(key, value)` pairs.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::new();
        for k in self.keys_list() {
            if let Some(v) = self.value(py, k)? {
                out.push(PyTuple::new(py, [PyString::new(py, k).into_any(), v])?);
            }
        }
        PyList::new(py, out)
    }

    /// The value of `key`, or `default`.
    #[pyo3(signature = (key, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let name = key.cast::<PyString>().ok().and_then(|s| s.to_str().ok());
        let v = match name {
            Some(n) => self.value(py, n)?,
            None => None,
        };
        Ok(v.or(default).unwrap_or_else(|| py.None().into_bound(py)))
    }

    /// The whole answer as the contract's `CredentialReport` dict (every row converted now).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonized(py, &*self.inner)
    }

    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(o) = other.cast::<PyCredentialReport>() {
            let same = Arc::ptr_eq(&self.inner, &o.get().inner) || self.inner == o.get().inner;
            return Ok(PyBool::new(py, same).to_owned().into_any().unbind());
        }
        if other.cast::<PyDict>().is_ok() {
            return Ok(self
                .to_dict(py)?
                .eq(other)?
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind());
        }
        Ok(py.NotImplemented())
    }

    fn __repr__(&self) -> String {
        format!(
            "<iamkit.CredentialReport of {} rows>",
            self.inner.rows.len()
        )
    }
}

/// The rows of a credential report: a read-only Sequence of `CredentialRow` (len, index, negative
/// index, slice, iteration); each row is made when read.
#[pyclass(frozen, sequence, module = "iamkit._native", name = "CredentialRows")]
#[derive(Debug)]
pub struct PyCredentialRows {
    inner: Arc<CredentialReport>,
}

impl PyCredentialRows {
    fn row(&self, index: usize) -> PyCredentialRow {
        PyCredentialRow {
            report: self.inner.clone(),
            index,
        }
    }

    /// Every row as the answer's dicts.
    fn dicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonized(py, &self.inner.rows)
    }
}

#[pymethods]
impl PyCredentialRows {
    fn __len__(&self) -> usize {
        self.inner.rows.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let len = self.inner.rows.len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let ix = slice.indices(isize::try_from(len).unwrap_or(isize::MAX))?;
            let mut out = Vec::with_capacity(ix.slicelength);
            let mut at = ix.start;
            for _ in 0..ix.slicelength {
                out.push(self.row(at.unsigned_abs()));
                at += ix.step;
            }
            return Ok(PyList::new(py, out)?.into_any());
        }
        let i: isize = index.extract().map_err(|_| {
            if index.cast::<PyInt>().is_ok() {
                // an int too large for an index: out of range, as a list says
                return PyIndexError::new_err("credential report row index out of range");
            }
            PyTypeError::new_err(format!(
                "credential report row indices must be integers or slices, not {}",
                crate::convert::type_name(index)
            ))
        })?;
        Ok(self.row(row_index(len, i)?).into_pyobject(py)?.into_any())
    }

    fn __iter__(&self) -> PyCredentialRowsIter {
        PyCredentialRowsIter {
            inner: self.inner.clone(),
            next: 0,
        }
    }

    fn __contains__(&self, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.dicts(value.py())?
            .contains(value.call_method0("to_dict").unwrap_or(value.clone()))
    }

    /// The position of the first row equal to `value` (a row or its dict), or `ValueError`.
    fn index(&self, value: &Bound<'_, PyAny>) -> PyResult<usize> {
        let v = value.call_method0("to_dict").unwrap_or(value.clone());
        self.dicts(value.py())?
            .call_method1("index", (v,))?
            .extract()
    }

    /// How many rows equal `value` (a row or its dict).
    fn count(&self, value: &Bound<'_, PyAny>) -> PyResult<usize> {
        let v = value.call_method0("to_dict").unwrap_or(value.clone());
        self.dicts(value.py())?
            .call_method1("count", (v,))?
            .extract()
    }

    /// Every row as the contract's `CredentialRow` dict, in a list (all converted now).
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.dicts(py)
    }

    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(o) = other.cast::<PyCredentialRows>() {
            let same =
                Arc::ptr_eq(&self.inner, &o.get().inner) || self.inner.rows == o.get().inner.rows;
            return Ok(PyBool::new(py, same).to_owned().into_any().unbind());
        }
        if other.cast::<PyList>().is_ok() {
            return Ok(self
                .dicts(py)?
                .eq(other)?
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind());
        }
        Ok(py.NotImplemented())
    }

    fn __repr__(&self) -> String {
        format!("<iamkit.CredentialRows of {} rows>", self.inner.rows.len())
    }
}

/// An iterator over the rows of a credential report.
#[pyclass(module = "iamkit._native", name = "CredentialRowsIterator")]
#[derive(Debug)]
pub struct PyCredentialRowsIter {
    inner: Arc<CredentialReport>,
    next: usize,
}

#[pymethods]
impl PyCredentialRowsIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> Option<PyCredentialRow> {
        (self.next < self.inner.rows.len()).then(|| {
            self.next += 1;
            PyCredentialRow {
                report: self.inner.clone(),
                index: self.next - 1,
            }
        })
    }

    fn __length_hint__(&self) -> usize {
        self.inner.rows.len().saturating_sub(self.next)
    }
}

/// One row of a credential report: a read-only Mapping with the keys of the contract's
/// `CredentialRow` (`line`, `user`, `arn`, `isRoot`, `userCreationTime`, ...), its values made
/// when read; the same values as attributes in snake_case (`row.user_creation_time`).
#[pyclass(frozen, mapping, module = "iamkit._native", name = "CredentialRow")]
#[derive(Debug)]
pub struct PyCredentialRow {
    report: Arc<CredentialReport>,
    index: usize,
}

impl PyCredentialRow {
    fn get_row(&self) -> &CredentialRow {
        // the index was checked when the view was made, and the rows never change
        &self.report.rows[self.index]
    }

    fn at<'py>(&self, py: Python<'py>, key: usize) -> PyResult<Bound<'py, PyAny>> {
        row_value(py, self.get_row(), key)
    }
}

#[pymethods]
impl PyCredentialRow {
    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match row_key(key) {
            Some(k) => self.at(py, k),
            None => Err(PyKeyError::new_err(key.clone().unbind())),
        }
    }

    fn __len__(&self) -> usize {
        ROW_KEYS.len()
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        row_key(key).is_some()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, ROW_KEYS)?.as_any().try_iter()?.into_any())
    }

    /// The keys, in the order of the answer.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, ROW_KEYS)
    }

    /// The values, in the order of the keys.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let v = (0..ROW_KEYS.len())
            .map(|k| self.at(py, k))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, v)
    }

    /// The `(key, value)` pairs.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let v = (0..ROW_KEYS.len())
            .map(|k| {
                PyTuple::new(
                    py,
                    [PyString::new(py, ROW_KEYS[k]).into_any(), self.at(py, k)?],
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, v)
    }

    /// The value of `key`, or `default`.
    #[pyo3(signature = (key, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match row_key(key) {
            Some(k) => self.at(py, k),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// The row as the contract's `CredentialRow` dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonized(py, self.get_row())
    }

    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(o) = other.cast::<PyCredentialRow>() {
            let same = self.get_row() == o.get().get_row();
            return Ok(PyBool::new(py, same).to_owned().into_any().unbind());
        }
        if other.cast::<PyDict>().is_ok() {
            return Ok(self
                .to_dict(py)?
                .eq(other)?
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind());
        }
        Ok(py.NotImplemented())
    }

    /// The 1-based line of the row in the CSV (the header is line 1).
    #[getter]
    fn line(&self) -> usize {
        self.get_row().line
    }

    /// The user name (`<root_account>` for the root user).
    #[getter]
    fn user(&self) -> &str {
        &self.get_row().user
    }

    /// The ARN.
    #[getter]
    fn arn(&self) -> &str {
        &self.get_row().arn
    }

    /// Whether this is the root user's row.
    #[getter]
    fn is_root(&self) -> bool {
        self.get_row().is_root
    }

    /// `userCreationTime`.
    #[getter]
    fn user_creation_time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 4)
    }

    /// `passwordEnabled`.
    #[getter]
    fn password_enabled<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 5)
    }

    /// `passwordLastUsed`.
    #[getter]
    fn password_last_used<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 6)
    }

    /// `passwordLastChanged`.
    #[getter]
    fn password_last_changed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 7)
    }

    /// `passwordNextRotation`.
    #[getter]
    fn password_next_rotation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 8)
    }

    /// `mfaActive`.
    #[getter]
    fn mfa_active<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 9)
    }

    /// `accessKeys`: the two access-key slots (dicts).
    #[getter]
    fn access_keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 10)
    }

    /// `certs`: the two signing-certificate slots (dicts).
    #[getter]
    fn certs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.at(py, 11)
    }

    fn __repr__(&self) -> String {
        let r = self.get_row();
        format!(
            "CredentialRow(line={}, user={:?}, arn={:?})",
            r.line, r.user, r.arn
        )
    }
}
