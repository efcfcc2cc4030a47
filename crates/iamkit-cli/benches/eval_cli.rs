//! `iamkit eval` in process: 20,000 generated identity-only cases in one JSON-lines file, read,
//! decided, explained and written as the CLI writes them (the file took 361 s when every case
//! re-indexed the whole file).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // benches may fail loudly

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamkit_cli::cases::run_file;

#[path = "../../iamkit-core/tests/common/identity_cases.rs"]
mod identity_cases;

fn bench(c: &mut Criterion) {
    const CASES: usize = 20_000;
    let mut rng = identity_cases::Rng::new(20);
    let file: String = (0..CASES)
        .map(|i| identity_cases::identity_case(&mut rng).case_line(&format!("case {i}")) + "\n")
        .collect();
    let mut g = c.benchmark_group("eval_cli");
    g.throughput(Throughput::Elements(CASES as u64));
    g.sample_size(10);
    g.bench_function("jsonl_20000_cases", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(1 << 20);
            let mut n = 0;
            run_file(black_box(file.as_bytes()), "cases.jsonl", |r| {
                n += 1;
                out.clear();
                serde_json::to_writer(&mut out, &r).unwrap();
                black_box(&out);
            })
            .unwrap();
            assert_eq!(n, CASES);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
