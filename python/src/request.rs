//! A request dict read straight into a core request, without writing it as JSON text and reading
//! that back: the hot path of `PolicySet.decide` and `PolicySet.evaluate`.
//!
//! Only the plainest shape is read here: a `dict` (exactly) with the wire request's members
//! (`principal`, `action`, `resource` as `str`; `resourceAccount` a `str` or `None`; `context` a
//! `dict` or `None` whose values are `str`, `bool`, `int` within 64 bits, or a `list` of them), and
//! the request must build. For anything else — another type, an unknown member, a float, a lone
//! surrogate, a request the core refuses — [`plain_request`] answers `None` and the caller takes the
//! JSON path, whose one reader gives every error (so the errors are the same from both paths).
//! The values become text as JSON writes them (`true`, `false`, decimal digits), which is what the
//! core reads from the JSON path.

use iamkit_core::{ContextValue, Request};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};

/// The request `obj` holds, when it is of the plain shape and builds; `None` otherwise.
pub(crate) fn plain_request(obj: &Bound<'_, PyAny>) -> Option<Request> {
    let dict = obj.cast_exact::<PyDict>().ok()?;
    let (mut principal, mut action, mut resource) = (None, None, None);
    let mut resource_account = None;
    let mut context = None;
    for (k, v) in dict.iter() {
        let key = k.cast_exact::<PyString>().ok()?;
        match key.to_str().ok()? {
            "principal" => principal = Some(text(&v)?),
            "action" => action = Some(text(&v)?),
            "resource" => resource = Some(text(&v)?),
            "resourceAccount" => {
                if !v.is_none() {
                    resource_account = Some(text(&v)?);
                }
            }
            "context" => {
                if !v.is_none() {
                    context = Some(v.cast_exact::<PyDict>().ok()?.clone());
                }
            }
            _ => return None,
        }
    }
    let mut b = Request::builder(principal?, action?, resource?);
    if let Some(a) = resource_account {
        b = b.resource_account(a);
    }
    if let Some(ctx) = context {
        b = b.context_capacity(ctx.len());
        for (k, v) in ctx.iter() {
            let key = k.cast_exact::<PyString>().ok()?;
            let key = key.to_str().ok()?;
            if let Ok(list) = v.cast_exact::<PyList>() {
                let values = list
                    .iter()
                    .map(|item| scalar(&item))
                    .collect::<Option<Vec<ContextValue>>>()?;
                b = b.context_values(key, values, true);
            } else {
                b = b.context_values(key, [scalar(&v)?], false);
            }
        }
    }
    b.build().ok()
}

/// A `str` (exactly) as text.
fn text(v: &Bound<'_, PyAny>) -> Option<String> {
    Some(v.cast_exact::<PyString>().ok()?.to_str().ok()?.to_owned())
}

/// A context value: a `str`, a `bool` or an `int` within 64 bits (exactly those types), as the
/// text JSON gives it.
fn scalar(v: &Bound<'_, PyAny>) -> Option<ContextValue> {
    if let Ok(s) = v.cast_exact::<PyString>() {
        return Some(ContextValue::from_text(s.to_str().ok()?));
    }
    if let Ok(b) = v.cast_exact::<PyBool>() {
        return Some(ContextValue::from_text(if b.is_true() {
            "true"
        } else {
            "false"
        }));
    }
    let i = v.cast_exact::<PyInt>().ok()?;
    if let Ok(n) = i.extract::<i64>() {
        return Some(ContextValue::from_text(n.to_string()));
    }
    i.extract::<u64>()
        .ok()
        .map(|n| ContextValue::from_text(n.to_string()))
}
