//! Decisions per second on the conformance cases, with every policy set and request prepared once
//! (`decide`: the allocation-free fast path; `evaluate`: with the explanation), plus wildcard
//! matching on a pathological pattern.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamkit_core::internals::{Glob, NoVars};
use iamkit_core::wire::{read, EvaluateInput};
use iamkit_core::{PolicySet, Request};

#[path = "../tests/common/mod.rs"]
mod common;

fn prepared_cases() -> Vec<(PolicySet, Request)> {
    let mut out = Vec::new();
    for text in common::inputs_of("evaluate") {
        let Ok(input) = read::<EvaluateInput<'_>>(&text) else {
            continue;
        };
        let (Ok(set), Ok(req)) = (
            input.policies.compile(None, "$"),
            input.request.into_request(),
        ) else {
            continue; // error cases have no decision to time
        };
        out.push((set, req));
    }
    out
}

fn bench(c: &mut Criterion) {
    let cases = prepared_cases();
    assert!(cases.len() > 250, "only {} cases", cases.len());
    let mut g = c.benchmark_group("conformance");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("decide", |b| {
        b.iter(|| {
            for (set, req) in &cases {
                black_box(set.decide(black_box(req)));
            }
        })
    });
    g.bench_function("evaluate_with_explanation", |b| {
        b.iter(|| {
            for (set, req) in &cases {
                black_box(set.evaluate(black_box(req)));
            }
        })
    });
    g.finish();

    // the baseline for the bindings: the shared fixture (bench/fixture.json), prepared once
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/fixture.json"),
        )
        .expect("bench/fixture.json"),
    )
    .expect("fixture");
    let set =
        iamkit_core::wire::open_policy_set(&fixture["policies"].to_string()).expect("policies");
    let request_json = fixture["request"].to_string();
    let req = iamkit_core::wire::read_request(&request_json).expect("request");
    assert_eq!(set.decide(&req), iamkit_core::Decision::Allowed);
    let mut g = c.benchmark_group("fixture");
    g.bench_function("decide_prepared", |b| {
        b.iter(|| black_box(set.decide(black_box(&req))))
    });
    g.bench_function("evaluate_prepared", |b| {
        b.iter(|| black_box(set.evaluate(black_box(&req))))
    });
    g.bench_function("build_request_and_evaluate", |b| {
        b.iter(|| {
            let r = iamkit_core::wire::read_request(black_box(&request_json)).expect("request");
            black_box(set.evaluate(&r))
        })
    });
    g.finish();

    // `*a*a*a*a*a*a*b` fails at once on the suffix; with a trailing `*` the search for `b` has
    // to scan the whole 10 kB text (linear, no backtracking)
    let text = "a".repeat(10_000);
    for pattern in ["*a*a*a*a*a*a*b", "*a*a*a*a*a*a*b*", "*aaaaaaaaaaaaaaaaab*"] {
        let glob = Glob::wildcard(pattern);
        c.bench_function(&format!("wildcard_10kB/{pattern}"), |b| {
            b.iter(|| black_box(glob.matches(black_box(&text), false, &NoVars)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
