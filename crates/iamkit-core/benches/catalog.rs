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
criterion_group!(benches, bench);
criterion_main!(benches);
