//! `PolicySet::decide` parses and allocates nothing: counted with an instrumented global allocator
//! over every conformance case, policy sets and requests prepared beforehand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::alloc::System;
use std::path::Path;

use iamkit_core::wire::{split_cases, WireCase};
use iamkit_core::PolicySet;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn decide_does_not_allocate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases/eval");
    let mut prepared = Vec::new();
    for f in std::fs::read_dir(dir).unwrap().flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap();
        for raw in split_cases(&text).unwrap() {
            let case: WireCase<'_> = serde_json::from_str(raw.get()).unwrap();
            if let (Ok(set), Ok(req)) = (
                PolicySet::from_wire(&case.policies),
                case.request.to_request(),
            ) {
                prepared.push((set, req));
            }
        }
    }
    assert!(prepared.len() > 250);
    let mut allowed = 0usize;
    let region = Region::new(GLOBAL);
    for (set, req) in &prepared {
        if set.decide(req) == iamkit_core::Decision::Allowed {
            allowed += 1;
        }
    }
    let stats = region.change();
    assert_eq!(
        stats.allocations,
        0,
        "decide allocated over {} cases",
        prepared.len()
    );
    assert!(allowed > 0);
}
