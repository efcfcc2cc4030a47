//! JSON text on one line, exactly as written otherwise: numbers, escapes and key order are kept
//! (re-serializing through `serde_json` would rewrite `1e20` and `45.0`).

pub use iamkit_core::internals::minify;

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
