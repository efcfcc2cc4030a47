//! `PolicySet::decide` parses and allocates nothing: counted with an instrumented global allocator
//! over every conformance case, policy sets and requests prepared beforehand. (A pattern matched
//! against a text longer than 256 bytes that needs a search, such as the adversarial cases, uses
//! buffers for its linear-time search: those cases are left out here. So are requests whose
//! resource is a pattern: they search the resources the pattern covers, with automata built for
//! the request.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::alloc::System;

use iamkit_core::wire::{read, EvaluateInput};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

mod common;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn decide_does_not_allocate() {
    let mut prepared = Vec::new();
    for text in common::inputs_of("evaluate") {
        let Ok(input) = read::<EvaluateInput<'_>>(&text) else {
            continue;
        };
        if let (Ok(set), Ok(req)) = (
            input.policies.compile(None, "$"),
            input.request.into_request(),
        ) {
            let long = text.len() > 16 << 10;
            if !long && !req.resource_is_pattern() {
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
    if stats.allocations > 0 {
        for (set, req) in &prepared {
            let r = Region::new(GLOBAL);
            let _ = set.decide(req);
            if r.change().allocations > 0 {
                eprintln!(
                    "allocates: {} {} {}",
                    req.principal.text, req.action, req.resource
                );
            }
        }
    }
    assert_eq!(
        stats.allocations,
        0,
        "decide allocated over {} cases",
        prepared.len()
    );
    assert!(allowed > 0);
}
