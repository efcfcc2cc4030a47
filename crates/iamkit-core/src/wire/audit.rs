//! The audit's JSON entry points, shared by the CLI and every binding: parse a credential report,
//! and run the audit over inputs given as one JSON object. Shapes: `tests/README.md` ("Audit
//! cases").

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{account_from_json_str, json_error, json_subset};
use crate::audit::{audit, AuditInputs, AuditOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::inputs::{
    parse_virtual_mfa_devices, AccountSummaryMap, CredentialReport, PasswordPolicySetting,
};

/// The audit's inputs on the wire. Each document may be given as JSON (an object) or as text (a
/// string: the CSV, or JSON text); every member is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireAuditInputs<'a> {
    /// The credential report: CSV text, or the API envelope (object or text).
    #[serde(default, borrow)]
    pub credential_report: Option<&'a RawValue>,
    /// `aws iam get-account-authorization-details` output.
    #[serde(default, borrow)]
    pub authorization_details: Option<&'a RawValue>,
    /// Documents of managed policies the authorization details reference but do not list.
    #[serde(default, borrow)]
    pub managed_policy_documents: Option<&'a RawValue>,
    /// `aws iam get-account-password-policy` output, or the `NoSuchEntity` error.
    #[serde(default, borrow)]
    pub password_policy: Option<&'a RawValue>,
    /// `aws iam get-account-summary` output.
    #[serde(default, borrow)]
    pub account_summary: Option<&'a RawValue>,
    /// `aws iam list-virtual-mfa-devices` output.
    #[serde(default, borrow)]
    pub virtual_mfa_devices: Option<&'a RawValue>,
    /// Thresholds and `asOf`.
    #[serde(default)]
    pub options: AuditOptions,
}

/// A document's text: a JSON string's content, or the JSON itself.
fn text(raw: &RawValue) -> Result<String> {
    let r = raw.get();
    if r.starts_with('"') {
        serde_json::from_str::<String>(r).map_err(|e| json_error(&e))
    } else {
        Ok(r.to_string())
    }
}

fn named(e: Error, input: &str) -> Error {
    e.map_message(|m| format!("{input}: {m}"))
}

/// Parses a credential report (CSV or envelope text); returns the typed rows as JSON.
pub fn credential_report_json_str(input: &str) -> Result<String> {
    let r = CredentialReport::parse(input)?;
    serde_json::to_string(&r)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// Runs the audit over the inputs (JSON text, see [`WireAuditInputs`]); returns the report as JSON.
pub fn audit_json_str(input: &str) -> Result<String> {
    let w: WireAuditInputs<'_> = serde_json::from_str(input).map_err(|e| json_error(&e))?;
    let report = match w.credential_report {
        Some(r) => {
            Some(CredentialReport::parse(&text(r)?).map_err(|e| named(e, "credentialReport"))?)
        }
        None => None,
    };
    let account = match w.authorization_details {
        Some(d) => {
            let options = w
                .managed_policy_documents
                .map(|m| format!(r#"{{"managedPolicyDocuments": {}}}"#, m.get()));
            Some(
                account_from_json_str(&text(d)?, options.as_deref())
                    .map_err(|e| named(e, "authorizationDetails"))?,
            )
        }
        None => None,
    };
    let policy = match w.password_policy {
        Some(p) => {
            Some(PasswordPolicySetting::parse(&text(p)?).map_err(|e| named(e, "passwordPolicy"))?)
        }
        None => None,
    };
    let summary = match w.account_summary {
        Some(s) => {
            Some(AccountSummaryMap::parse(&text(s)?).map_err(|e| named(e, "accountSummary"))?)
        }
        None => None,
    };
    let devices = match w.virtual_mfa_devices {
        Some(v) => {
            Some(parse_virtual_mfa_devices(&text(v)?).map_err(|e| named(e, "virtualMfaDevices"))?)
        }
        None => None,
    };
    let out = audit(
        AuditInputs {
            credential_report: report.as_ref(),
            account: account.as_ref(),
            password_policy: policy.as_ref(),
            account_summary: summary.as_ref(),
            virtual_mfa_devices: devices.as_deref(),
        },
        &w.options,
    )?;
    serde_json::to_string(&out)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// One audit case (`tests/cases/audit/*.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditCase<'a> {
    /// The case's name.
    pub name: String,
    /// The rule or fact it checks.
    #[serde(default)]
    pub doc: Option<String>,
    /// The audit's inputs (with `options`).
    #[serde(borrow)]
    pub inputs: &'a RawValue,
    /// `{"contains": [partial findings], "lacks": [partial findings]}`, or `{"error": {"code"}}`.
    pub expected: Value,
}

/// Whether an audit answer (or error) meets a case's expectation: every `contains` entry is a part
/// of some finding, no `lacks` entry is a part of any, and an expected error matches.
pub fn audit_expectation_met(expected: &Value, got: &Value) -> bool {
    if let Some(err) = expected.get("error") {
        return got.get("error").is_some_and(|g| json_subset(err, g));
    }
    let Some(findings) = got
        .get("answer")
        .and_then(|a| a.get("findings"))
        .and_then(Value::as_array)
    else {
        return false;
    };
    let contains = expected
        .get("contains")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let lacks = expected
        .get("lacks")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let top = expected
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "contains" | "lacks"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    contains
        .iter()
        .all(|e| findings.iter().any(|f| json_subset(e, f)))
        && !lacks
            .iter()
            .any(|e| findings.iter().any(|f| json_subset(e, f)))
        && top.iter().all(|(k, v)| {
            got.get("answer")
                .and_then(|a| a.get(k.as_str()))
                .is_some_and(|x| json_subset(v, x))
        })
}

/// Runs one audit case: `{"answer": report}` or `{"error": {...}}`, and whether it passed.
pub fn run_audit_case(case: &AuditCase<'_>) -> (bool, Value) {
    let got = match audit_json_str(case.inputs.get()) {
        Ok(text) => {
            serde_json::json!({ "answer": serde_json::from_str::<Value>(&text).unwrap_or(Value::Null) })
        }
        Err(e) => {
            serde_json::json!({ "error": { "code": e.code().as_str(), "message": e.message() } })
        }
    };
    (audit_expectation_met(&case.expected, &got), got)
}
