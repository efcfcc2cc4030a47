#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The entity model on the largest sample (`../shared/data/authorization-details/
//! cloudsplaining-example.json`, 44 users, 78 roles, 84 policies): load it, then ask who can do one
//! action. Targets: load ≤ 20 ms, `who_can` ≤ 1 ms.
//!
//! And the account queries on generated inputs (issue 13): the summary of 1,500 and 15,000
//! principals (target: 15,000 < 1 s, growth ≤ 11×), administrator detection with one `Allow *`
//! and 1,000 Deny statements whose condition never holds (was 21 s), and effective permissions
//! with 200 Allow `s3:*a*a…` and 200 Deny `s3:?a?a…` (was 8–9 s).
//!
//! And the escalation paths (issue 15): the lab's 122 principals (target ≤ 20 ms) and a generated
//! account of 1,500 principals.
use criterion::{criterion_group, criterion_main, Criterion};
use iamkit_core::catalog::Catalog;
use iamkit_core::{Account, AccountQuery};
use serde_json::{json, Value};
use std::hint::black_box;

const ACCOUNT: &str = "123456789012";

fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn one_user(statements: Value) -> Account {
    let text = json!({"UserDetailList": [{
        "UserName": "u", "UserId": "AIDAU", "Path": "/",
        "Arn": format!("arn:aws:iam::{ACCOUNT}:user/u"),
        "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(statements)}],
    }]})
    .to_string();
    Account::from_json_str(&text).unwrap()
}

/// `Allow *` on `*`, and `n` Deny statements whose condition never holds.
fn conditional_denies(n: usize) -> Account {
    let mut st = vec![json!({"Effect": "Allow", "Action": "*", "Resource": "*"})];
    for i in 0..n {
        st.push(
            json!({"Effect": "Deny", "Action": format!("s3:GetObject{i}"),
            "Resource": format!("arn:aws:s3:::bucket{i}/*"),
            "Condition": {"StringEquals": {"aws:username": format!("nobody{i}")}}}),
        );
    }
    one_user(Value::Array(st))
}

/// `n` Allow `s3:*a*a…a{i}` and `n` Deny `s3:?a?a…a{i}`.
fn wildcard_pairs(n: usize, k: usize) -> Account {
    let mut st = Vec::new();
    for i in 0..n {
        st.push(json!({"Effect": "Allow", "Action": format!("s3:{}a{i}", "*a".repeat(k)), "Resource": "*"}));
    }
    for i in 0..n {
        st.push(json!({"Effect": "Deny", "Action": format!("s3:{}a{i}", "?a".repeat(k)), "Resource": "*"}));
    }
    one_user(Value::Array(st))
}

fn generated(c: &mut Criterion) {
    let mut g = c.benchmark_group("account/generated");
    g.sample_size(10);
    for p in [1_500, 15_000] {
        let text = iamkit_core::internals::generated_account(p);
        let account = Account::from_json_str(&text).unwrap();
        g.bench_function(format!("load_{p}_principals"), |b| {
            b.iter(|| black_box(Account::from_json_str(black_box(&text)).unwrap()))
        });
        g.bench_function(format!("summary_{p}_principals"), |b| {
            b.iter(|| black_box(account.summary()))
        });
    }
    for n in [200, 1_000] {
        let account = conditional_denies(n);
        g.bench_function(format!("is_administrator_{n}_conditional_denies"), |b| {
            b.iter(|| black_box(account.is_administrator("u").unwrap()))
        });
    }
    let account = wildcard_pairs(200, 100);
    g.bench_function("permissions_200_wildcard_pairs", |b| {
        b.iter(|| black_box(account.effective_permissions("u", None).unwrap()))
    });
    g.finish();
}

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
    // issue 15: the whole escalation analysis of the lab's 122 principals (target ≤ 20 ms)
    let options = iamkit_core::account::EscalationOptions::default();
    c.bench_function("account/escalations_largest_sample", |b| {
        b.iter(|| black_box(account.escalations(black_box(&options), None).unwrap()))
    });
}

/// The escalation analysis of a generated 1,500-principal account (issue 15; the 15,000 one is
/// timed through the CLI: `cargo test --benches` runs each bench once, unoptimized).
fn escalations(c: &mut Criterion) {
    let mut g = c.benchmark_group("account/generated");
    g.sample_size(10);
    let account =
        Account::from_json_str(&iamkit_core::internals::generated_account(1_500)).unwrap();
    let options = iamkit_core::account::EscalationOptions::default();
    g.bench_function("escalations_1500_principals", |b| {
        b.iter(|| black_box(account.escalations(black_box(&options), None).unwrap()))
    });
    g.finish();
}
criterion_group!(benches, bench, generated, escalations);
criterion_main!(benches);
