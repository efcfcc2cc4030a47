//! The committed contract (`contract/iamkit.schema.json`) is what the call tables and types
//! declare; `IAMKIT_BLESS=1` rewrites it. The TypeScript, Go and Python types are generated from
//! that file (`scripts/gen-types.py`, checked by the test command).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

#[test]
fn the_committed_contract_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../contract/iamkit.schema.json");
    let now = iamkit_core::wire::contract::document_text();
    if std::env::var("IAMKIT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == now,
        "contract/iamkit.schema.json is out of date: run IAMKIT_BLESS=1 cargo test -p iamkit-conformance --test contract_is_current"
    );
}

#[test]
fn every_call_has_a_doc_an_input_and_an_answer() {
    let doc = iamkit_core::wire::contract::document();
    let mut calls: Vec<&serde_json::Value> = doc["calls"].as_array().unwrap().iter().collect();
    for h in doc["handles"].as_array().unwrap() {
        calls.extend(h["calls"].as_array().unwrap());
    }
    assert!(calls.len() >= 21);
    for c in calls {
        assert!(!c["doc"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["input"].is_object() && c["output"].is_object(), "{c}");
    }
}
