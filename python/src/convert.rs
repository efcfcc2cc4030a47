//! Python values to iamkit inputs: requests straight from dicts (the hot path), policies through
//! JSON text (built once).

use iamkit_core::eval::ContextValue;
use iamkit_core::{wire, Request};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::{invalid_argument, to_py_err};

/// A request from a dict (`principal`, `action`, `resource`, `resourceAccount`, `context`) or its
/// JSON text.
pub(crate) fn to_request(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Request> {
    if let Ok(s) = obj.cast::<PyString>() {
        return wire::request_from_json_str(s.to_str()?).map_err(|e| to_py_err(py, &e));
    }
    let d = obj
        .cast::<PyDict>()
        .map_err(|_| invalid_argument(py, "a request must be a dict or JSON text"))?;
    let field = |name: &str| -> PyResult<Option<String>> {
        match d.get_item(name)? {
            None => Ok(None),
            Some(v) if v.is_none() => Ok(None),
            Some(v) => v
                .cast::<PyString>()
                .map(|s| Some(s.to_string()))
                .map_err(|_| {
                    invalid_argument(py, format!("the request's `{name}` must be a string"))
                }),
        }
    };
    for key in d.keys() {
        let k: String = key
            .extract()
            .map_err(|_| invalid_argument(py, "request keys must be strings"))?;
        if !matches!(
            k.as_str(),
            "principal" | "action" | "resource" | "resourceAccount" | "context"
        ) {
            return Err(invalid_argument(py, format!("unknown request field `{k}`")));
        }
    }
    let need = |name: &str| -> PyResult<String> {
        field(name)?.ok_or_else(|| invalid_argument(py, format!("the request needs `{name}`")))
    };
    let mut b = Request::builder(need("principal")?, need("action")?, need("resource")?);
    if let Some(a) = field("resourceAccount")? {
        b = b.resource_account(a);
    }
    if let Some(ctx) = d.get_item("context")? {
        if !ctx.is_none() {
            let ctx = ctx
                .cast::<PyDict>()
                .map_err(|_| invalid_argument(py, "the request's `context` must be a dict"))?;
            for (k, v) in ctx.iter() {
                let key: String = k
                    .extract()
                    .map_err(|_| invalid_argument(py, "context keys must be strings"))?;
                let bad = || {
                    to_py_err(
                        py,
                        &iamkit_core::Error::new(
                            iamkit_core::ErrorCode::RequestContext,
                            format!("the context value of `{key}` must be a string, number or boolean, or a list of them"),
                        ),
                    )
                };
                if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
                    let mut vals = Vec::new();
                    for item in v.try_iter()? {
                        vals.push(scalar(&item?).ok_or_else(bad)?);
                    }
                    b = b.context_values(&key, vals, true);
                } else {
                    let val = scalar(&v).ok_or_else(bad)?;
                    b = b.context_values(&key, vec![val], false);
                }
            }
        }
    }
    b.build().map_err(|e| to_py_err(py, &e))
}

fn scalar(v: &Bound<'_, PyAny>) -> Option<ContextValue> {
    if let Ok(b) = v.cast::<PyBool>() {
        return Some(ContextValue::from_text(if b.is_true() {
            "true"
        } else {
            "false"
        }));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_str().ok().map(ContextValue::from_text);
    }
    if v.cast::<PyInt>().is_ok() || v.cast::<PyFloat>().is_ok() {
        return v.str().ok().map(|s| ContextValue::from_text(s.to_string()));
    }
    None
}

/// JSON text of a document given as a dict/list or as JSON text.
pub(crate) fn document_json(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_str()?.to_string());
    }
    Ok(to_json(obj, 0)?.to_string())
}

fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<serde_json::Value> {
    use serde_json::Value;
    let py = obj.py();
    if depth > 64 {
        return Err(invalid_argument(py, "the value nests too deep"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_string()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return Ok(Value::String(obj.str()?.to_string()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| invalid_argument(py, "dict keys must be strings"))?;
            m.insert(key, to_json(&v, depth + 1)?);
        }
        return Ok(Value::Object(m));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            out.push(to_json(&item?, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    Err(invalid_argument(
        py,
        format!(
            "cannot read a value of type {} as JSON",
            obj.get_type().name()?
        ),
    ))
}
