#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The entity model on the largest sample (`../shared/data/authorization-details/
//! cloudsplaining-example.json`, 44 users, 78 roles, 84 policies): load it, then ask who can do one
//! action. Targets: load ≤ 20 ms, `who_can` ≤ 1 ms.
use criterion::{criterion_group, criterion_main, Criterion};
use iamkit_core::catalog::Catalog;
use iamkit_core::{Account, AccountQuery};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/authorization-details/cloudsplaining-example.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} is missing");
        return;
    };
    c.bench_function("account/load_largest_sample", |b| {
        b.iter(|| black_box(Account::from_json_str(black_box(&text)).unwrap()))
    });
    let account = Account::from_json_str(&text).unwrap();
    let q = AccountQuery::new("iam:CreateUser", "*");
    c.bench_function("account/who_can_iam_CreateUser", |b| {
        b.iter(|| {
            black_box(
                account
                    .who_can(black_box(&q), Catalog::embedded_if_built())
                    .unwrap(),
            )
        })
    });
    let q = AccountQuery::new("s3:GetObject", "arn:aws:s3:::example-bucket/key");
    c.bench_function("account/who_can_s3_GetObject", |b| {
        b.iter(|| {
            black_box(
                account
                    .who_can(black_box(&q), Catalog::embedded_if_built())
                    .unwrap(),
            )
        })
    });
    c.bench_function("account/administrators", |b| {
        b.iter(|| black_box(account.administrators()))
    });
}
criterion_group!(benches, bench);
criterion_main!(benches);
