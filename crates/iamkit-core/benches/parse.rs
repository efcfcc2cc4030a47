//! Reading policies: parse + decide of generated identity-only cases (every policy read from JSON
//! text, validated and compiled, then the request decided), the same cases prepared once, and the
//! validation of every AWS managed policy.
//!
//! The `iam-rs` rows run the same cases through the crate `iam-rs` (a peer, measured side by side:
//! a dev-dependency of this bench only, never shipped), so one run gives the ratio. iam-rs parses
//! with serde and does not validate; iamkit validates every element with its diagnostics, so the
//! comparison is conservative for iamkit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // benches may fail loudly

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use iamkit_core::wire::Validation;
use iamkit_core::{Decision, PolicySet, PolicyType, Request};

#[path = "../tests/common/identity_cases.rs"]
mod identity_cases;
use identity_cases::{identity_cases, IdentityCase};

/// How many cases the parse-and-decide benches run (the issue measured 5,936).
const CASES: usize = 6_000;

fn iamkit_request(c: &IdentityCase) -> Request {
    let mut b = Request::builder(c.principal.clone(), c.action.clone(), c.resource.clone());
    for (k, v) in &c.context {
        b = b.context(k, v.clone());
    }
    b.build().unwrap()
}

fn iamkit_parse_and_decide(c: &IdentityCase) -> Decision {
    let mut set = PolicySet::new();
    for p in &c.policies {
        set.add_identity(p).unwrap();
    }
    set.decide(&iamkit_request(c))
}

mod peer {
    //! The same work through iam-rs.
    use super::IdentityCase;
    use iam_rs::{Arn, Context, IAMPolicy, IAMRequest, PolicyEvaluator, Principal, PrincipalId};

    pub fn request(c: &IdentityCase) -> IAMRequest {
        let mut ctx = Context::new();
        for (k, v) in &c.context {
            ctx = match v.as_str() {
                "true" => ctx.with_boolean(k.as_str(), true),
                "false" => ctx.with_boolean(k.as_str(), false),
                _ => ctx.with_string(k.as_str(), v.as_str()),
            };
        }
        IAMRequest::new_with_context(
            Principal::Aws(PrincipalId::String(c.principal.clone())),
            c.action.clone(),
            Arn::parse(&c.resource).unwrap(),
            ctx,
        )
    }

    pub fn evaluator(c: &IdentityCase) -> PolicyEvaluator {
        PolicyEvaluator::with_policies(
            c.policies
                .iter()
                .map(|p| IAMPolicy::from_json(p).unwrap())
                .collect(),
        )
    }

    /// Parse + decide; `None` when iam-rs refuses the request.
    pub fn parse_and_decide(c: &IdentityCase) -> Option<iam_rs::Decision> {
        evaluator(c).evaluate(&request(c)).ok().map(|r| r.decision)
    }
}

fn identity(c: &mut Criterion) {
    // iam-rs cannot name `*` as a request's resource: the cases of actions with no resource type
    // (asked on `*`) are left out of both sides
    let cases: Vec<IdentityCase> = identity_cases(CASES, 13)
        .into_iter()
        .filter(|c| c.resource != "*")
        .collect();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.sample_size(10);
    g.bench_function(
        BenchmarkId::new("identity_cases_parse_and_decide", "iamkit"),
        |b| {
            b.iter(|| {
                for case in &cases {
                    black_box(iamkit_parse_and_decide(black_box(case)));
                }
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("identity_cases_parse_and_decide", "iam-rs"),
        |b| {
            b.iter(|| {
                for case in &cases {
                    black_box(peer::parse_and_decide(black_box(case)));
                }
            })
        },
    );

    let prepared: Vec<(PolicySet, Request)> = cases
        .iter()
        .map(|c| {
            let mut set = PolicySet::new();
            for p in &c.policies {
                set.add_identity(p).unwrap();
            }
            (set, iamkit_request(c))
        })
        .collect();
    g.bench_function(
        BenchmarkId::new("identity_cases_decide_prepared", "iamkit"),
        |b| {
            b.iter(|| {
                for (set, req) in &prepared {
                    black_box(set.decide(black_box(req)));
                }
            })
        },
    );
    let peer_prepared: Vec<_> = cases
        .iter()
        .map(|c| (peer::evaluator(c), peer::request(c)))
        .collect();
    g.bench_function(
        BenchmarkId::new("identity_cases_decide_prepared", "iam-rs"),
        |b| {
            b.iter(|| {
                for (ev, req) in &peer_prepared {
                    black_box(ev.evaluate(black_box(req)).ok().map(|r| r.decision));
                }
            })
        },
    );
    g.finish();
}

/// Every AWS managed policy's document, as JSON text.
fn managed_documents() -> Option<Vec<String>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/managed-policies/managed-policies.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} is missing");
        return None;
    };
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["document"].to_string())
            .collect(),
    )
}

fn managed(c: &mut Criterion) {
    let Some(docs) = managed_documents() else {
        return;
    };
    assert_eq!(docs.len(), 1594);
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.sample_size(20);
    g.bench_function("validate_1594_managed", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(Validation::of(black_box(d), PolicyType::Identity));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, identity, managed);
criterion_main!(benches);
