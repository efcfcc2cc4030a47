//! The one matcher: does an answer have the parts a case expects?
//!
//! - An object pattern matches an object holding every key the pattern names, each matching
//!   (other keys are ignored).
//! - An array pattern matches an array of the same length, element by element.
//! - `{"$contains": [P, ...]}`: the value is an array and every `P` matches some element;
//!   `{"$lacks": [P, ...]}`: no `P` matches any element. The two may be combined, and nothing else
//!   may sit beside them.
//! - Anything else matches by JSON equality (`true` is not `1`; `1` equals `1.0`).

use serde_json::Value;

/// Where and why an answer does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The JSON path of the first mismatch, from the outcome's root (`$.answer.decision`).
    pub path: String,
    /// What was wrong.
    pub why: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.path, self.why)
    }
}

/// Matches `actual` against `pattern`.
pub fn matches(pattern: &Value, actual: &Value) -> Result<(), Mismatch> {
    at(pattern, actual, "$")
}

fn fail(path: &str, why: String) -> Result<(), Mismatch> {
    Err(Mismatch {
        path: path.to_string(),
        why,
    })
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        format!("{}...", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

fn at(pattern: &Value, actual: &Value, path: &str) -> Result<(), Mismatch> {
    match pattern {
        Value::Object(p) if p.contains_key("$contains") || p.contains_key("$lacks") => {
            if let Some(k) = p.keys().find(|k| *k != "$contains" && *k != "$lacks") {
                return fail(
                    path,
                    format!("`{k}` beside `$contains`/`$lacks` in the pattern"),
                );
            }
            let Value::Array(items) = actual else {
                return fail(path, format!("expected an array, got {}", short(actual)));
            };
            for (i, want) in list(p.get("$contains")).iter().enumerate() {
                if !items.iter().any(|x| at(want, x, path).is_ok()) {
                    return fail(
                        &format!("{path}.$contains[{i}]"),
                        format!("no element matches {}", short(want)),
                    );
                }
            }
            for (i, unwanted) in list(p.get("$lacks")).iter().enumerate() {
                if let Some(x) = items.iter().find(|x| at(unwanted, x, path).is_ok()) {
                    return fail(
                        &format!("{path}.$lacks[{i}]"),
                        format!("{} matches {}", short(x), short(unwanted)),
                    );
                }
            }
            Ok(())
        }
        Value::Object(p) => {
            let Value::Object(a) = actual else {
                return fail(path, format!("expected an object, got {}", short(actual)));
            };
            for (k, v) in p {
                let here = format!("{path}.{k}");
                match a.get(k) {
                    Some(x) => at(v, x, &here)?,
                    None => return fail(&here, format!("missing (got {})", short(actual))),
                }
            }
            Ok(())
        }
        Value::Array(p) => {
            let Value::Array(a) = actual else {
                return fail(path, format!("expected an array, got {}", short(actual)));
            };
            if p.len() != a.len() {
                return fail(
                    path,
                    format!(
                        "expected {} elements, got {}: {}",
                        p.len(),
                        a.len(),
                        short(actual)
                    ),
                );
            }
            for (i, (x, y)) in p.iter().zip(a).enumerate() {
                at(x, y, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Value::Number(n) => match actual {
            Value::Number(m) if n == m || n.as_f64() == m.as_f64() => Ok(()),
            _ => fail(path, format!("expected {n}, got {}", short(actual))),
        },
        _ if pattern == actual => Ok(()),
        _ => fail(
            path,
            format!("expected {}, got {}", short(pattern), short(actual)),
        ),
    }
}

fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::matches;
    use serde_json::json;

    #[test]
    fn objects_match_by_the_keys_the_pattern_names() {
        let got = json!({"answer": {"decision": "allowed", "explain": {"reason": "r"}}});
        assert!(matches(&json!({"answer": {"decision": "allowed"}}), &got).is_ok());
        let m = matches(&json!({"answer": {"decision": "implicitDeny"}}), &got).unwrap_err();
        assert_eq!(m.path, "$.answer.decision");
        assert!(matches(&json!({"error": {"code": "X"}}), &got).is_err());
        assert!(matches(&json!({"answer": {"explain": {"deniedBy": "scp"}}}), &got).is_err());
    }

    #[test]
    fn arrays_match_element_by_element_with_the_same_length() {
        assert!(matches(&json!([1, {"a": 2}]), &json!([1, {"a": 2, "b": 3}])).is_ok());
        assert!(matches(&json!([1]), &json!([1, 2])).is_err());
        assert!(matches(&json!([2, 1]), &json!([1, 2])).is_err());
    }

    #[test]
    fn contains_and_lacks() {
        let got = json!([{"id": "a", "s": "fail"}, {"id": "b", "s": "pass"}]);
        assert!(matches(
            &json!({"$contains": [{"id": "b"}], "$lacks": [{"id": "c"}]}),
            &got
        )
        .is_ok());
        assert!(matches(&json!({"$contains": [{"id": "c"}]}), &got).is_err());
        assert!(matches(&json!({"$lacks": [{"s": "pass"}]}), &got).is_err());
        assert!(matches(&json!({"$contains": [], "x": 1}), &got).is_err());
        assert!(matches(&json!({"$contains": []}), &json!({})).is_err());
    }

    #[test]
    fn scalars_by_json_equality() {
        assert!(matches(&json!(true), &json!(1)).is_err());
        assert!(matches(&json!(1), &json!(1.0)).is_ok());
        assert!(matches(&json!(null), &json!(null)).is_ok());
        assert!(matches(&json!("a"), &json!("A")).is_err());
    }
}
