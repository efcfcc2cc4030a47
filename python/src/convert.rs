//! The one converter of Python values to the wire's JSON text. A `str` given as an input is JSON
//! text and is passed as is; any other value is written as JSON here:
//!
//! - `dict` (keys must be `str`), `list`, `tuple`: objects and arrays;
//! - `str`; `bytes`, `bytearray`, `memoryview`: their UTF-8 text (not UTF-8: refused);
//! - `int` of any size (its decimal digits, never rounded), `float` (not NaN or infinite), `bool`,
//!   `None`;
//! - `datetime.datetime` and `datetime.date`: ISO 8601 (`isoformat()`; a naive datetime as written).
//!
//! Anything else (sets, other objects, functions), keys that are not `str`, strings holding a lone
//! surrogate, circular values and values nested deeper than [`MAX_DEPTH`] are refused with
//! `IAM_INVALID_ARGUMENT`: the message names the type, the location the JSON path where it was
//! found.

use std::borrow::Cow;
use std::fmt::Write as _;

use iamkit_core::{Error, ErrorCode, Location};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMemoryView,
    PyString, PyTuple,
};

/// How deep containers may nest.
pub(crate) const MAX_DEPTH: usize = 256;

/// An input's JSON text: a `str` as is (borrowed), any other value converted.
pub(crate) fn input_text<'a>(obj: &'a Bound<'_, PyAny>) -> Result<Cow<'a, str>, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_str()
            .map(Cow::Borrowed)
            .map_err(|_| refused_at(Refused::surrogate(), "$", &[]));
    }
    let mut out = String::with_capacity(256);
    append_json(obj, &mut out, || "$".to_string())?;
    Ok(Cow::Owned(out))
}

/// Appends a value written as JSON text to `out` (a `str` is written as a JSON string); when it
/// is refused, `out` is left as it was and the error is located under `root()`, the value's JSON
/// path.
pub(crate) fn append_json(
    obj: &Bound<'_, PyAny>,
    out: &mut String,
    root: impl FnOnce() -> String,
) -> Result<(), Error> {
    let len = out.len();
    let mut open = Vec::new();
    write(obj, out, &mut open).map_err(|mut r| {
        out.truncate(len);
        r.path.reverse();
        refused_at(r.message, &root(), &r.path)
    })
}

/// A name argument (a call's name, a handle's kind): a `str`.
pub(crate) fn name_arg<'a>(obj: &'a Bound<'_, PyAny>, what: &str) -> Result<&'a str, Error> {
    match obj.cast::<PyString>() {
        Ok(s) => s.to_str().map_err(|_| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("the {what} holds a lone surrogate (not UTF-8)"),
            )
        }),
        Err(_) => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("the {what} must be a str, not {}", type_name(obj)),
        )),
    }
}

/// The `IAM_INVALID_ARGUMENT` error for a refused value at `path` (segments from the input down).
fn refused_at(message: String, root: &str, path: &[Segment]) -> Error {
    let mut p = String::from(root);
    for s in path {
        match s {
            Segment::Index(i) => {
                let _ = write!(p, "[{i}]");
            }
            Segment::Key(k) if is_identifier(k) => {
                let _ = write!(p, ".{k}");
            }
            Segment::Key(k) => {
                let _ = write!(p, "['{}']", k.replace('\'', "\\'"));
            }
        }
    }
    Error::new(ErrorCode::InvalidArgument, message).at(Location::path(p))
}

fn is_identifier(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The type's name, for messages (never runs the value's own code).
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

enum Segment {
    Key(String),
    Index(usize),
}

/// Why a value was refused, and where (segments from the value up, reversed at the end).
struct Refused {
    message: String,
    path: Vec<Segment>,
}

impl Refused {
    fn new(message: impl Into<String>) -> Refused {
        Refused {
            message: message.into(),
            path: Vec::new(),
        }
    }

    fn surrogate() -> String {
        "a str holds a lone surrogate (not UTF-8)".to_string()
    }

    fn under(mut self, s: Segment) -> Refused {
        self.path.push(s);
        self
    }
}

type Written = Result<(), Refused>;

fn write(v: &Bound<'_, PyAny>, out: &mut String, open: &mut Vec<usize>) -> Written {
    if let Ok(s) = v.cast::<PyString>() {
        return write_str(s, out);
    }
    if let Ok(d) = v.cast::<PyDict>() {
        enter(v, open)?;
        out.push('{');
        for (i, (k, item)) in d.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let Ok(key) = k.cast::<PyString>() else {
                return Err(Refused::new(format!(
                    "a dict key must be a str, not {}",
                    type_name(&k)
                )));
            };
            let Ok(key) = key.to_str() else {
                return Err(Refused::new(
                    "a dict key holds a lone surrogate (not UTF-8)",
                ));
            };
            write_text(key, out);
            out.push(':');
            write(&item, out, open).map_err(|r| r.under(Segment::Key(key.to_string())))?;
        }
        out.push('}');
        open.pop();
        return Ok(());
    }
    if let Ok(l) = v.cast::<PyList>() {
        enter(v, open)?;
        out.push('[');
        for (i, item) in l.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write(&item, out, open).map_err(|r| r.under(Segment::Index(i)))?;
        }
        out.push(']');
        open.pop();
        return Ok(());
    }
    if v.is_none() {
        out.push_str("null");
        return Ok(());
    }
    if let Ok(b) = v.cast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
        return Ok(());
    }
    if let Ok(i) = v.cast::<PyInt>() {
        return write_int(i, out);
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        if !x.is_finite() {
            return Err(Refused::new(format!(
                "{x} is not a JSON number (NaN and infinities are refused)"
            )));
        }
        // as serde_json writes it (ryu, shortest round trip): the same text JSON gives
        if let Some(n) = serde_json::Number::from_f64(x) {
            let _ = write!(out, "{n}");
        }
        return Ok(());
    }
    if let Ok(t) = v.cast::<PyTuple>() {
        enter(v, open)?;
        out.push('[');
        for (i, item) in t.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write(&item, out, open).map_err(|r| r.under(Segment::Index(i)))?;
        }
        out.push(']');
        open.pop();
        return Ok(());
    }
    if let Ok(b) = v.cast::<PyBytes>() {
        return write_utf8(b.as_bytes(), out);
    }
    if let Ok(b) = v.cast::<PyByteArray>() {
        return write_utf8(&b.to_vec(), out);
    }
    if v.cast::<PyMemoryView>().is_ok() {
        let bytes = v
            .call_method0("tobytes")
            .map_err(|e| Refused::new(format!("a memoryview cannot be read: {e}")))?;
        let b = bytes
            .cast::<PyBytes>()
            .map_err(|_| Refused::new("a memoryview cannot be read"))?;
        return write_utf8(b.as_bytes(), out);
    }
    // datetime before date: a datetime is a date
    if v.cast::<PyDateTime>().is_ok() {
        return write_iso(v, v.py().get_type::<PyDateTime>(), out);
    }
    if v.cast::<PyDate>().is_ok() {
        return write_iso(v, v.py().get_type::<PyDate>(), out);
    }
    Err(Refused::new(format!(
        "a value of type {} cannot be converted to JSON (expected dict, list, tuple, str, int, float, bool, None, datetime, date, bytes)",
        type_name(v)
    )))
}

/// Marks a container as open (refusing a circular or too deep value).
fn enter(v: &Bound<'_, PyAny>, open: &mut Vec<usize>) -> Written {
    let id = v.as_ptr() as usize;
    if open.contains(&id) {
        return Err(Refused::new(format!(
            "a circular reference (a {} that contains itself)",
            type_name(v)
        )));
    }
    if open.len() >= MAX_DEPTH {
        return Err(Refused::new(format!(
            "the value nests deeper than {MAX_DEPTH} levels"
        )));
    }
    open.push(id);
    Ok(())
}

fn write_str(s: &Bound<'_, PyString>, out: &mut String) -> Written {
    let text = s.to_str().map_err(|_| Refused::new(Refused::surrogate()))?;
    write_text(text, out);
    Ok(())
}

fn write_utf8(bytes: &[u8], out: &mut String) -> Written {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            write_text(text, out);
            Ok(())
        }
        Err(e) => Err(Refused::new(format!(
            "bytes that are not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))),
    }
}

fn write_int(i: &Bound<'_, PyInt>, out: &mut String) -> Written {
    if let Ok(n) = i.extract::<i64>() {
        let _ = write!(out, "{n}");
        return Ok(());
    }
    if let Ok(n) = i.extract::<u64>() {
        let _ = write!(out, "{n}");
        return Ok(());
    }
    // any size: int's own decimal digits (never an int subclass's __repr__), never rounded
    let digits = i
        .py()
        .get_type::<PyInt>()
        .call_method1("__repr__", (i,))
        .and_then(|r| r.extract::<String>())
        .map_err(|e| Refused::new(format!("an int cannot be written: {e}")))?;
    out.push_str(&digits);
    Ok(())
}

/// `isoformat()` of a datetime or date, as the class `cls` writes it (never a subclass's override).
fn write_iso(
    v: &Bound<'_, PyAny>,
    cls: Bound<'_, pyo3::types::PyType>,
    out: &mut String,
) -> Written {
    let text = cls
        .call_method1("isoformat", (v,))
        .and_then(|r| r.extract::<String>())
        .map_err(|e| Refused::new(format!("a {} cannot be written: {e}", type_name(v))))?;
    write_text(&text, out);
    Ok(())
}

/// Whether JSON needs `b` escaped in a string.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// A JSON string, escaped as serde_json escapes it. A string that needs no escape (the common
/// case) is copied as it is; otherwise bytes are checked 16 at a time.
fn write_text(s: &str, out: &mut String) {
    const RUN: usize = 16;
    out.push('"');
    let bytes = s.as_bytes();
    if !bytes.iter().fold(false, |any, &b| any | needs_escape(b)) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let end = (i + RUN).min(bytes.len());
        if bytes[i..end]
            .iter()
            .fold(false, |any, &b| any | needs_escape(b))
        {
            for (j, &b) in bytes.iter().enumerate().take(end).skip(i) {
                if needs_escape(b) {
                    // an ASCII byte: slicing here stays on character boundaries
                    out.push_str(&s[start..j]);
                    escape(b, out);
                    start = j + 1;
                }
            }
        }
        i = end;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The escape of a byte that needs one.
fn escape(b: u8, out: &mut String) {
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            let _ = write!(out, "\\u{b:04x}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write_text;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let long = "a long string of more than sixteen bytes, \"quoted\" and \\ with é€😀\u{1}\n"
            .repeat(3);
        for s in [
            long.as_str(),
            "",
            "plain",
            "q\"b\\s",
            "\n\r\t\u{8}\u{c}\u{0}\u{1f}",
            "é€😀",
            "a\u{7f}b",
        ] {
            let mut out = String::new();
            write_text(s, &mut out);
            assert_eq!(out, serde_json::to_string(s).unwrap_or_default());
        }
    }
}
