//! The audit: every case in `tests/cases/audit`, every credential report and account-settings
//! sample in `../shared/data` (under `CI=true` a missing folder fails), and the demo account.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::Path;

use iamkit_core::audit::{audit, AuditInputs, AuditOptions, Status};
use iamkit_core::inputs::{AccountSummaryMap, Cell, CredentialReport, PasswordPolicySetting};
use iamkit_core::wire::call_json;
use iamkit_core::ErrorCode;

mod common;
use common::shared;

#[test]
fn every_credential_report_sample_parses() {
    let Some(dir) = shared("credential-reports") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "csv" | "json") || path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let r =
            CredentialReport::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!r.rows.is_empty(), "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 9, "only {seen} samples");
    // facts the samples' SOURCES.md states
    let legacy = CredentialReport::parse(
        &std::fs::read_to_string(dir.join("c7n-legacy-root-keys-2016.csv")).unwrap(),
    )
    .unwrap();
    let root = legacy.root().unwrap();
    assert_eq!(root.access_keys[0].active, Cell::Value(true));
    assert_eq!(root.certs[0].active, Cell::Value(true));
    let upper = CredentialReport::parse(
        &std::fs::read_to_string(dir.join("c7n-uppercase-booleans-2020.csv")).unwrap(),
    )
    .unwrap();
    assert!(upper
        .rows
        .iter()
        .any(|r| r.password_enabled.value().is_some()));
    let moto = CredentialReport::parse(
        &std::fs::read_to_string(dir.join("moto-generated-get-credential-report.json")).unwrap(),
    )
    .unwrap();
    assert!(moto.generated_time.is_some() && moto.root().is_none());
    let cm = CredentialReport::parse(
        &std::fs::read_to_string(dir.join("cloudmapper-demo-get-credential-report.json")).unwrap(),
    )
    .unwrap();
    assert!(cm.root().is_some(), "plain CSV inside the envelope");
    let c7n = CredentialReport::parse(
        &std::fs::read_to_string(dir.join("c7n-account-2017.csv")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        c7n.rows.iter().filter(|r| r.user == "christopher").count(),
        2,
        "duplicated rows are kept"
    );
    assert!(c7n
        .rows
        .iter()
        .any(|r| r.password_last_used == Cell::NoInformation));
}

#[test]
fn account_settings_samples_parse() {
    let Some(dir) = shared("account-settings") else {
        return;
    };
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    assert_eq!(
        PasswordPolicySetting::parse(&read("c7n-password-policy-missing-404.placebo.json"))
            .unwrap(),
        PasswordPolicySetting::AwsDefault
    );
    let PasswordPolicySetting::Custom { policy } =
        PasswordPolicySetting::parse(&read("c7n-password-policy.placebo.json")).unwrap()
    else {
        panic!()
    };
    assert_eq!(policy.minimum_password_length, Some(10));
    assert_eq!(policy.password_reuse_prevention, None, "absent is not 0");
    let PasswordPolicySetting::Custom { policy } =
        PasswordPolicySetting::parse(&read("moto-password-policy.json")).unwrap()
    else {
        panic!()
    };
    assert_eq!(policy.max_password_age, Some(365));
    let s = AccountSummaryMap::parse(&read("cloudmapper-demo-account-summary.json")).unwrap();
    assert_eq!(s.get("AccountMFAEnabled"), Some(1));
    assert_eq!(s.get("AccountPasswordPresent"), None);
}

#[test]
fn bad_reports_name_the_line_and_column() {
    let demo = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/demo-account/credential-report.csv"),
    )
    .unwrap();
    let mut lines: Vec<String> = demo.lines().map(str::to_string).collect();
    lines[6] = lines[6].replacen("+00:00", "", 1);
    let e = CredentialReport::parse(&lines.join("\n")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ReportFormat);
    assert!(e.message().contains("line 7"), "{}", e.message());
    let missing = demo.replacen("mfa_active,", "", 1);
    let e = CredentialReport::parse(&missing).unwrap_err();
    assert!(e.message().contains("mfa_active"), "{}", e.message());
    let short = demo.lines().take(3).collect::<Vec<_>>().join("\n")
        + "\nbob,arn:aws:iam::123456789012:user/bob,2026-01-01T00:00:00+00:00\n";
    assert_eq!(
        CredentialReport::parse(&short).unwrap_err().code(),
        ErrorCode::ReportFormat
    );
    // physical lines count, blank lines and quoted newlines included
    let mut with_blank: Vec<String> = demo.lines().map(str::to_string).collect();
    with_blank.insert(2, String::new());
    with_blank[5] = with_blank[5].replacen("+00:00", "", 1);
    let e = CredentialReport::parse(&with_blank.join("\n")).unwrap_err();
    assert!(e.message().contains("line 6"), "{}", e.message());
    assert!(CredentialReport::parse("")
        .unwrap_err()
        .message()
        .contains("empty"));
    let b64 =
        "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2Vk";
    assert!(CredentialReport::parse(b64)
        .unwrap_err()
        .message()
        .contains("base64"));
    assert!(CredentialReport::parse("{\"Content\": 5}").is_err());
}

#[test]
fn the_demo_account_audit_is_reproducible_and_honest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-account");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    let inputs = serde_json::json!({
        "credentialReport": serde_json::from_str::<serde_json::Value>(&read("credential-report.json")).unwrap(),
        "authorizationDetails": serde_json::from_str::<serde_json::Value>(&read("authorization-details.json")).unwrap(),
        "passwordPolicy": serde_json::from_str::<serde_json::Value>(&read("password-policy.json")).unwrap(),
        "accountSummary": serde_json::from_str::<serde_json::Value>(&read("account-summary.json")).unwrap(),
        "virtualMfaDevices": serde_json::from_str::<serde_json::Value>(&read("virtual-mfa-devices.json")).unwrap(),
    });
    let a = call_json("audit", &inputs.to_string()).unwrap();
    let b = call_json("audit", &inputs.to_string()).unwrap();
    assert_eq!(a, b, "the report's GeneratedTime fixes asOf");
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["asOfSource"], "reportGeneratedTime");
    assert!(v["summary"]["fail"].as_u64().unwrap() > 10);
    // nothing given: every check that needs an input is notEvaluated, none passes
    let empty = audit(AuditInputs::default(), &AuditOptions::default()).unwrap();
    assert!(
        empty
            .findings
            .iter()
            .all(|f| f.status == Status::NotEvaluated),
        "a missing input never passes"
    );
}
