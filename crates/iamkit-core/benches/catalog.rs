#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The embedded service catalog: parse it (target: well under 10 ms), look an action up, expand a
//! pattern.
use criterion::{criterion_group, criterion_main, Criterion};
use iamkit_core::catalog::Catalog;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    c.bench_function("catalog/parse_embedded", |b| {
        b.iter_with_large_drop(|| {
            Catalog::from_compact(black_box(Catalog::embedded_text())).unwrap()
        })
    });
    let cat = Catalog::embedded();
    c.bench_function("catalog/lookup", |b| {
        b.iter(|| black_box(cat.action(black_box("ec2:DescribeInstances"))))
    });
    c.bench_function("catalog/expand_star_describe", |b| {
        b.iter(|| black_box(cat.expand(black_box("*:Describe*"))))
    });
}
criterion_group!(benches, bench, managed);
criterion_main!(benches);

/// Lint and summarize every AWS managed policy (target: 100 ms in all).
fn managed(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/managed-policies/managed-policies.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} is missing");
        return;
    };
    let docs: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["document"].to_string())
        .collect();
    let cat = Catalog::embedded();
    let mut g = c.benchmark_group("catalog");
    g.sample_size(10);
    g.bench_function("lint_and_summarize_1594_managed_policies", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(cat.lint(d, iamkit_core::PolicyType::Identity));
                black_box(cat.summarize(d, iamkit_core::PolicyType::Identity).unwrap());
            }
        })
    });
    g.bench_function("review_1594_managed_policies", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(cat.review(d, iamkit_core::PolicyType::Identity));
            }
        })
    });
    g.bench_function("parse_1594_managed_policies", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(iamkit_core::parse_policy(
                    d,
                    iamkit_core::PolicyType::Identity,
                ));
            }
        })
    });
    g.bench_function("summarize_1594_managed_policies", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(cat.summarize(d, iamkit_core::PolicyType::Identity).unwrap());
            }
        })
    });
    g.bench_function("lint_1594_managed_policies", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(cat.lint(d, iamkit_core::PolicyType::Identity));
            }
        })
    });
    g.finish();
}
