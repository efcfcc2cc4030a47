//! JSON text on one line, exactly as written otherwise: numbers, escapes and key order are kept
//! (re-serializing through `serde_json` would rewrite `1e20` and `45.0`).

/// Removes the whitespace between JSON tokens of `raw` (valid JSON), keeping strings untouched.
pub fn minify(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in raw.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn keeps_strings_and_numbers() {
        assert_eq!(
            minify("{ \"a b\" : [1e20, 45.0,\n \"x\\\" y\\\\\"] }"),
            "{\"a b\":[1e20,45.0,\"x\\\" y\\\\\"]}"
        );
    }
}
