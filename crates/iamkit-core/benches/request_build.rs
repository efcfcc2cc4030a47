#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Where the time goes when a request is built from JSON.
use criterion::{criterion_group, criterion_main, Criterion};
use iamkit_core::wire::Request as WireRequest;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../bench/fixture.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let text = fixture["request"].to_string();
    let wire: WireRequest = serde_json::from_str(&text).unwrap();
    c.bench_function("serde_parse", |b| {
        b.iter(|| black_box(serde_json::from_str::<WireRequest>(black_box(&text)).unwrap()))
    });
    c.bench_function("read_request", |b| {
        b.iter(|| black_box(iamkit_core::wire::read_request(black_box(&text)).unwrap()))
    });
    c.bench_function("to_request", |b| {
        b.iter(|| black_box(wire.clone().into_request().unwrap()))
    });
    c.bench_function("principal_parse", |b| {
        b.iter(|| {
            black_box(
                iamkit_core::internals::Principal::parse(black_box(
                    "arn:aws:sts::111122223333:assumed-role/Analyst/alice",
                ))
                .unwrap(),
            )
        })
    });
    c.bench_function("builder_no_context", |b| {
        b.iter(|| {
            black_box(
                iamkit_core::Request::builder(
                    "arn:aws:sts::111122223333:assumed-role/Analyst/alice",
                    "s3:GetObject",
                    "arn:aws:s3:::example-data/analytics/2026/11/report.parquet",
                )
                .build()
                .unwrap(),
            )
        })
    });
}
criterion_group!(benches, bench);
criterion_main!(benches);
