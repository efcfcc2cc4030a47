//! Shared by the integration tests and benches: the shared data beside the workspace, and the
//! conformance corpus's inputs by call.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// `../shared/data/SUB` (a folder or a file) beside the workspace; under `CI=true` a missing folder fails, otherwise
/// the caller skips.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if dir.exists() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing (CI=true)", dir.display());
    }
    eprintln!("skipping: {} is missing", dir.display());
    None
}

/// The input (JSON text) of every conformance case that makes `call`, in corpus order.
pub fn inputs_of(call: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            if line.trim().is_empty() {
                continue;
            }
            let case: Case<'_> = serde_json::from_str(line).unwrap();
            if case.call == call {
                out.push(case.input.get().to_string());
            }
        }
    }
    assert!(!out.is_empty(), "no `{call}` case under tests/cases");
    out
}

/// The parts of a case the tests read (inputs may nest deeper than `serde_json::Value` reads).
#[derive(serde::Deserialize)]
struct Case<'a> {
    call: String,
    #[serde(borrow)]
    input: &'a serde_json::value::RawValue,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("tests/cases") {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "jsonl") {
            out.push(p);
        }
    }
}
