//! SARIF 2.1.0 for GitHub code scanning, the one writer of it: `iamkit audit --format sarif` (one
//! rule per check, with `security-severity`, one result per failed finding, located in the input
//! file the check read) and `iamkit lint --format sarif` (one rule per code met, one result per
//! finding, located at its line and column).

use std::collections::BTreeSet;

use iamkit_core::audit::{Risk, CHECKS};
use iamkit_core::catalog::LintReport;
use iamkit_core::Severity;
use serde_json::{json, Map, Value};

/// A SARIF log of one run of iamkit: the driver with its rules, optional run properties, the
/// results.
fn log(rules: Vec<Value>, properties: Option<Value>, results: Vec<Value>) -> Value {
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({"driver": {"name": "iamkit", "version": iamkit_core::VERSION, "rules": rules}}),
    );
    if let Some(p) = properties {
        run.insert("properties".into(), p);
    }
    run.insert("results".into(), Value::Array(results));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    })
}

/// The files the audit's findings point at (paths as the user gave them).
#[derive(Debug, Clone, Default)]
pub struct AuditArtifacts {
    /// The credential report.
    pub credential_report: Option<String>,
    /// The authorization details.
    pub authorization_details: Option<String>,
    /// The password policy.
    pub password_policy: Option<String>,
    /// The account summary.
    pub account_summary: Option<String>,
}

fn security_severity(s: Risk) -> &'static str {
    match s {
        Risk::Critical => "9.5",
        Risk::High => "8.0",
        Risk::Medium => "5.5",
        Risk::Low => "3.0",
        Risk::Info => "0.0",
    }
}

fn level(s: Risk) -> &'static str {
    match s {
        Risk::Critical | Risk::High => "error",
        Risk::Medium => "warning",
        Risk::Low | Risk::Info => "note",
    }
}

/// A stable fingerprint of a finding (FNV-1a of check, resource and slot).
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A path as a SARIF URI reference: relative to the working directory when under it (GitHub
/// matches repository-relative paths), `/` separators, and percent-encoded.
fn uri(path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(|r| r.to_path_buf()))
        .unwrap_or_else(|| p.to_path_buf());
    let text = rel.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text).to_string();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if p.is_absolute() && !out.starts_with('/') {
        out
    } else if p.is_absolute() {
        format!("file://{out}")
    } else {
        out
    }
}

/// The SARIF log of an audit report (the report's JSON, as `audit_json_str` returns it).
pub fn audit_log(report: &Value, files: &AuditArtifacts) -> Value {
    let rules: Vec<Value> = CHECKS
        .iter()
        .map(|c| {
            let tags: Vec<String> = std::iter::once("security".to_string())
                .chain(c.compliance.iter().flat_map(|(fw, ids)| ids.iter().map(move |id| format!("{fw}/{id}"))))
                .collect();
            json!({
                "id": c.id,
                "name": c.id,
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": format!("{} (reads: {})", c.title, c.inputs)},
                "help": {"text": match c.cli { Some(cli) => format!("{}\n\n{cli}", c.remediation), None => c.remediation.to_string() }},
                "defaultConfiguration": {"level": level(c.severity)},
                "properties": {"security-severity": security_severity(c.severity), "tags": tags, "precision": "high"},
            })
        })
        .collect();
    let results: Vec<Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["status"] == "fail")
        .map(|f| {
            let check_id = f["checkId"].as_str().unwrap_or("");
            let check = CHECKS.iter().find(|c| c.id == check_id);
            let severity = check.map(|c| c.severity).unwrap_or(Risk::Info);
            let inputs = check.map(|c| c.inputs).unwrap_or("");
            let from_summary = f["evidence"].as_object().is_some_and(|e| e.keys().any(|k| k.starts_with("Account")));
            let file = if from_summary {
                files.account_summary.clone()
            } else if inputs.starts_with("credential report") {
                files.credential_report.clone()
            } else if inputs.starts_with("password policy") {
                files.password_policy.clone()
            } else if inputs.starts_with("authorization details") {
                files.authorization_details.clone()
            } else {
                files.account_summary.clone().or_else(|| files.credential_report.clone())
            }
            .map(|p| uri(&p))
            .unwrap_or_else(|| "iamkit-audit".to_string());
            let arn = f["resource"]["arn"].as_str().unwrap_or("");
            let slot = f["resource"]["slot"].as_str();
            let name = match slot {
                Some(s) => format!("{arn}#{s}"),
                None => arn.to_string(),
            };
            json!({
                "ruleId": check_id,
                "level": level(severity),
                "message": {"text": f["reason"]},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": file}, "region": {"startLine": 1}},
                    "logicalLocations": [{"fullyQualifiedName": name, "kind": "resource"}],
                }],
                "partialFingerprints": {"iamkitFinding/v1": fingerprint(&[check_id, arn, slot.unwrap_or("")])},
                "properties": {"severity": severity.as_str(), "evidence": f["evidence"], "compliance": f["compliance"]},
            })
        })
        .collect();
    log(
        rules,
        Some(json!({"asOf": report["asOf"], "asOfSource": report["asOfSource"]})),
        results,
    )
}

/// The SARIF log of `iamkit lint`: findings are added file by file, the log is written at the
/// end.
#[derive(Debug, Default)]
pub struct LintLog {
    /// The codes met, sorted (one rule each).
    rules: BTreeSet<&'static str>,
    results: Vec<Value>,
}

impl LintLog {
    /// Adds the findings of one file (`path` as the user gave it).
    pub fn add(&mut self, path: &str, report: &LintReport) {
        for f in &report.findings {
            self.rules.insert(f.code.as_str());
            self.results.push(json!({
                "ruleId": f.code,
                "level": if f.severity == Severity::Error { "error" } else { "warning" },
                "message": {"text": match &f.fix { Some(fix) => format!("{} Fix: {fix}", f.message), None => f.message.clone() }},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": f.location.line.unwrap_or(0).max(1), "startColumn": f.location.column.unwrap_or(0).max(1)},
                }, "logicalLocations": [{"fullyQualifiedName": f.location.json_path}]}],
            }));
        }
    }

    /// The log.
    pub fn finish(self) -> Value {
        let rules = self
            .rules
            .iter()
            .map(|r| json!({"id": r, "name": r, "shortDescription": {"text": r}}))
            .collect();
        log(rules, None, self.results)
    }
}
