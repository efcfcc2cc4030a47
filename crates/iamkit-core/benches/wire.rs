#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Reading wire inputs: the limits' scan (size and depth, before parsing) and the strict reader
//! (structs from objects only), on a small input read per call (the fixture's `evaluate`) and on
//! a large one read once (an account opened from the largest sample, 824 kB pretty-printed).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamkit_core::wire::{self, Handle};
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
    let evaluate = format!(
        r#"{{"request": {}, "policies": {}}}"#,
        fixture["request"], fixture["policies"]
    );
    let mut g = c.benchmark_group("wire");
    g.throughput(Throughput::Bytes(evaluate.len() as u64));
    g.bench_function("limits_scan_evaluate_input", |b| {
        b.iter(|| iamkit_core::internals::check_input_limits(black_box(&evaluate)).unwrap())
    });
    g.bench_function("call_evaluate_fixture", |b| {
        b.iter(|| black_box(wire::call_json("evaluate", black_box(&evaluate)).unwrap()))
    });
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/authorization-details/cloudsplaining-example.json"
    );
    let Ok(details) = std::fs::read_to_string(path) else {
        eprintln!("skipping the account benches: {path} is missing");
        return;
    };
    let open = format!(r#"{{"details": {details}}}"#);
    g.throughput(Throughput::Bytes(open.len() as u64));
    g.bench_function("limits_scan_account_input", |b| {
        b.iter(|| iamkit_core::internals::check_input_limits(black_box(&open)).unwrap())
    });
    g.bench_function("open_account_largest_sample", |b| {
        b.iter(|| black_box(Handle::open("account", black_box(&open)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
