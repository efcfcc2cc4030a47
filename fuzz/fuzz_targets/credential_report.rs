//! The credential report: its CSV and the `GetCredentialReport` envelope, then the audit of it.
#![no_main]
use iamkit_core::inputs::CredentialReport;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = CredentialReport::parse_bytes(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(report) = CredentialReport::parse(text) {
        let input = serde_json::json!({ "credentialReport": text, "options": {"asOf": "2026-01-01T00:00:00Z"} });
        let _ = report.rows.len();
        let _ = iamkit_core::wire::call_json("audit", &input.to_string());
    }
    let envelope = serde_json::json!({ "report": text });
    let _ = iamkit_core::wire::call_json("credentialReport", &envelope.to_string());
});
