//! The wire contract's calls (request and case parsing, evaluate, validate, credentials, ...):
//! the first byte picks the call, the rest is its input. Every answer is JSON or a coded error.
#![no_main]
use libfuzzer_sys::fuzz_target;

const CALLS: [&str; 8] = [
    "evaluate",
    "validate",
    "credentials",
    "expandActions",
    "lookupAction",
    "summarize",
    "review",
    "audit",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let call = CALLS[usize::from(pick) % CALLS.len()];
    match iamkit_core::wire::call_json(call, input) {
        Ok(answer) => {
            assert!(serde_json::from_str::<serde_json::Value>(&answer).is_ok());
        }
        Err(e) => assert!(e.code().as_str().starts_with("IAM_")),
    }
});
