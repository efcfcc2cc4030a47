//! The streamed audit writes the same text as the collected report: JSON (the whole report)
//! and JSON lines (one finding per line), for the demo account and a generated report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use iamkit_core::audit::{sample_credential_report, Audit, SAMPLE_AS_OF};
use iamkit_core::wire::{call_json, AuditData};
use serde_json::json;

fn demo(name: &str) -> String {
    let path = format!(
        "{}/../../examples/demo-account/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Inputs: the demo account's, or a generated report alone.
fn inputs() -> Vec<(&'static str, String)> {
    let demo = json!({
        "credentialReport": demo("credential-report.json"),
        "authorizationDetails": demo("authorization-details.json"),
        "passwordPolicy": demo("password-policy.json"),
        "accountSummary": demo("account-summary.json"),
        "virtualMfaDevices": demo("virtual-mfa-devices.json"),
    });
    let generated = json!({
        "credentialReport": sample_credential_report(1_500),
        "options": {"asOf": SAMPLE_AS_OF},
    });
    // an earlier asOf: many dates are after it (not evaluated)
    let early = json!({
        "credentialReport": sample_credential_report(500),
        "options": {"asOf": "2025-06-01T00:00:00Z"},
    });
    // dates missing where checks need them
    let header = sample_credential_report(0);
    let missing = json!({
        "credentialReport": format!("{header}nodates,arn:aws:iam::111122223333:user/nodates,N/A,true,N/A,N/A,N/A,false,true,N/A,N/A,N/A,N/A,true,N/A,no_information,N/A,N/A,false,N/A,false,N/A\n"),
        "options": {"asOf": SAMPLE_AS_OF},
    });
    let nothing = json!({"options": {"asOf": SAMPLE_AS_OF}});
    vec![
        ("demo", demo.to_string()),
        ("generated", generated.to_string()),
        ("early asOf", early.to_string()),
        ("missing dates", missing.to_string()),
        ("no inputs", nothing.to_string()),
    ]
}

#[test]
fn streamed_json_is_the_report() {
    for (name, input) in inputs() {
        let want = call_json("audit", &input).unwrap();
        let data = AuditData::from_json(&input).unwrap();
        let run = Audit::new(data.inputs(), &data.options).unwrap();
        let mut got = Vec::new();
        let summary = run.write_json(&mut got).unwrap();
        let got = String::from_utf8(got).unwrap();
        assert_eq!(got, want, "{name}");
        let report: serde_json::Value = serde_json::from_str(&want).unwrap();
        assert_eq!(report["summary"], serde_json::to_value(&summary).unwrap());
        if name == "generated" {
            // every report check has findings of more than one status
            assert!(summary.fail > 500 && summary.pass > 500 && summary.not_evaluated > 10);
        }
    }
}

#[test]
fn json_lines_are_the_findings() {
    for (name, input) in inputs() {
        let want: serde_json::Value =
            serde_json::from_str(&call_json("audit", &input).unwrap()).unwrap();
        let data = AuditData::from_json(&input).unwrap();
        let run = Audit::new(data.inputs(), &data.options).unwrap();
        let mut got = Vec::new();
        run.write_json_lines(&mut got).unwrap();
        let got = String::from_utf8(got).unwrap();
        let findings = want["findings"].as_array().unwrap();
        assert_eq!(got.lines().count(), findings.len(), "{name}");
        for (line, f) in got.lines().zip(findings) {
            assert_eq!(line, f.to_string(), "{name}");
        }
        assert!(got.ends_with('\n'));
    }
}

#[test]
fn collected_report_serializes_as_the_wire_answer() {
    for (name, input) in inputs().into_iter().take(2) {
        let data = AuditData::from_json(&input).unwrap();
        let report = iamkit_core::audit::audit(data.inputs(), &data.options).unwrap();
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            call_json("audit", &input).unwrap(),
            "{name}"
        );
    }
}
