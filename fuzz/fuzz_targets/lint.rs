//! The linter, summary and review over the embedded catalog.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let input = serde_json::json!({ "policy": policy }).to_string();
    for call in ["lint", "summarize", "review"] {
        if let Err(e) = iamkit_core::wire::call_json(call, &input) {
            assert!(e.code().as_str().starts_with("IAM_"));
        }
    }
});
