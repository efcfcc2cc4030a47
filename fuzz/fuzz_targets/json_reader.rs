//! iamkit's JSON reader (duplicate keys, depth limit, locations): never a panic, and it agrees
//! with serde_json on what is well-formed JSON (within the depth limit).
#![no_main]
use iamkit_core::internals::{parse_json, MAX_DEPTH};
use libfuzzer_sys::fuzz_target;

fn depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse_json(text);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        // serde_json keeps the last of duplicate keys; iamkit refuses them, so only a document
        // without them must be accepted
        if depth(&v) < MAX_DEPTH && !text.contains("\\u") {
            let reserialized = serde_json::to_string(&v).unwrap_or_default();
            if reserialized.len() == text.split_whitespace().collect::<String>().len() {
                assert!(ours.is_ok(), "serde_json reads it, iamkit does not: {text}");
            }
        }
    }
});
