#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The credential report at scale: parse a generated 100,000-user report (target ≤ 100 ms), and
//! audit it; then the whole of `iamkit audit` on a varied generated report of 100,000 users
//! (parse, audit, write JSON or JSON lines, streamed).
use criterion::{criterion_group, criterion_main, Criterion};
use iamkit_core::audit::SAMPLE_AS_OF;
use iamkit_core::audit::{audit, sample_credential_report, Audit, AuditInputs, AuditOptions};
use iamkit_core::inputs::CredentialReport;
use std::fmt::Write;
use std::hint::black_box;

fn report(users: usize) -> String {
    let mut s = String::from("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n");
    s.push_str("<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
    for i in 0..users {
        let day = 1 + i % 28;
        let month = 1 + i % 12;
        let _ = writeln!(
            s,
            "user{i},arn:aws:iam::111122223333:user/team{}/user{i},2025-{month:02}-{day:02}T10:00:00+00:00,{},2026-{month:02}-{day:02}T12:30:00+00:00,2025-{month:02}-{day:02}T10:05:00+00:00,N/A,{},true,2025-{month:02}-{day:02}T10:06:00+00:00,{},us-east-1,s3,{},2024-06-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A",
            i % 50,
            i % 3 != 0,
            i % 4 != 0,
            if i % 5 == 0 { "N/A".to_string() } else { format!("2026-10-{day:02}T08:00:00+00:00") },
            i % 7 == 0,
        );
    }
    s
}

fn bench(c: &mut Criterion) {
    let text = report(100_000);
    let mut g = c.benchmark_group("credential_report");
    g.sample_size(20);
    g.bench_function("parse_100k_users", |b| {
        b.iter(|| black_box(CredentialReport::parse(black_box(&text)).unwrap()))
    });
    let parsed = CredentialReport::parse(&text).unwrap();
    let options = AuditOptions {
        as_of: Some("2026-11-20T08:00:00Z".into()),
        ..AuditOptions::default()
    };
    g.bench_function("audit_100k_users", |b| {
        b.iter(|| {
            black_box(
                audit(
                    AuditInputs {
                        credential_report: Some(&parsed),
                        ..AuditInputs::default()
                    },
                    &options,
                )
                .unwrap(),
            )
        })
    });
    g.finish();

    // varied ages, keys and MFA: most checks have findings of every status
    let text = sample_credential_report(100_000);
    let options = AuditOptions {
        as_of: Some(SAMPLE_AS_OF.into()),
        ..AuditOptions::default()
    };
    let mut g = c.benchmark_group("audit_report");
    g.sample_size(10);
    g.throughput(criterion::Throughput::Bytes(text.len() as u64));
    let run = |write: fn(&Audit<'_>, &mut std::io::Sink) -> std::io::Result<_>| {
        let parsed = CredentialReport::parse(black_box(&text)).unwrap();
        let inputs = AuditInputs {
            credential_report: Some(&parsed),
            ..AuditInputs::default()
        };
        let a = Audit::new(inputs, &options).unwrap();
        black_box(write(&a, &mut std::io::sink()).unwrap())
    };
    g.bench_function("parse_audit_json_100k_users", |b| {
        b.iter(|| run(|a, w| a.write_json(w)))
    });
    g.bench_function("parse_audit_jsonl_100k_users", |b| {
        b.iter(|| run(|a, w| a.write_json_lines(w)))
    });
    g.finish();
}
criterion_group!(benches, bench);
criterion_main!(benches);
