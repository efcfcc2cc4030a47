//! `iamkit audit` and `iamkit credential-report`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use iamkit_core::audit::Risk;
use iamkit_core::wire::call_json;
use iamkit_core::{Error, ErrorCode};
use serde_json::{json, Value};

use crate::read_input;
use crate::sarif::{audit_log, AuditArtifacts};

/// Output formats of the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// A table grouped by severity, with a summary line.
    Text,
    /// The report as JSON.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

/// Arguments of `iamkit audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// A folder holding the inputs under conventional names: credential-report.json (the
    /// get-credential-report output, whose GeneratedTime fixes the audit's instant) or .csv,
    /// authorization-details.json, password-policy.json, account-summary.json,
    /// virtual-mfa-devices.json.
    dir: Option<String>,
    /// The credential report (CSV, or the get-credential-report JSON).
    #[arg(long)]
    credential_report: Option<String>,
    /// get-account-authorization-details output.
    #[arg(long)]
    authorization_details: Option<String>,
    /// get-account-password-policy output (or its NoSuchEntity error).
    #[arg(long)]
    password_policy: Option<String>,
    /// get-account-summary output.
    #[arg(long)]
    account_summary: Option<String>,
    /// list-virtual-mfa-devices output.
    #[arg(long)]
    virtual_mfa_devices: Option<String>,
    /// Documents of AWS managed policies the authorization details reference but do not list
    /// (JSON lines of {"arn", "document"}).
    #[arg(long)]
    managed_policies: Option<String>,
    /// The instant ages are computed from (RFC 3339; default: the report's GeneratedTime, else now).
    #[arg(long)]
    as_of: Option<String>,
    /// Credentials unused for this many days or more fail.
    #[arg(long, default_value_t = 45)]
    unused_days: u32,
    /// Active keys older than this many days fail.
    #[arg(long, default_value_t = 90)]
    rotation_days: u32,
    /// Root use within fewer than this many days fails.
    #[arg(long, default_value_t = 90)]
    root_use_days: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    format: AuditFormat,
    /// Exit 1 when a finding of this severity or above fails (critical, high, medium, low, info).
    #[arg(long)]
    fail_on: Option<String>,
    /// Also list passed findings (text format).
    #[arg(long)]
    show_passed: bool,
}

fn pick(explicit: &Option<String>, dir: &Option<String>, names: &[&str]) -> Option<String> {
    if explicit.is_some() {
        return explicit.clone();
    }
    let d = dir.as_ref()?;
    names
        .iter()
        .map(|n| Path::new(d).join(n))
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
}

/// Runs `iamkit audit`.
pub fn run(args: &AuditArgs, out: &mut impl Write) -> ExitCode {
    match audit(args, out) {
        Ok(code) => code,
        Err(e) => {
            match args.format {
                AuditFormat::Text => {
                    let _ = writeln!(out, "error {e}");
                }
                _ => {
                    let _ = writeln!(out, "{}", json!({ "error": e }));
                }
            }
            ExitCode::from(2)
        }
    }
}

fn audit(args: &AuditArgs, out: &mut impl Write) -> Result<ExitCode, Error> {
    if let Some(d) = &args.dir {
        if !Path::new(d).is_dir() {
            return Err(Error::new(ErrorCode::Io, format!("`{d}` is not a folder")));
        }
    }
    let fail_on = match &args.fail_on {
        None => None,
        Some(s) => Some(Risk::parse(s).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("--fail-on `{s}`: expected critical, high, medium, low or info"),
            )
        })?),
    };
    let files = AuditArtifacts {
        credential_report: pick(
            &args.credential_report,
            &args.dir,
            &["credential-report.json", "credential-report.csv"],
        ),
        authorization_details: pick(
            &args.authorization_details,
            &args.dir,
            &["authorization-details.json"],
        ),
        password_policy: pick(&args.password_policy, &args.dir, &["password-policy.json"]),
        account_summary: pick(&args.account_summary, &args.dir, &["account-summary.json"]),
    };
    let mfa = pick(
        &args.virtual_mfa_devices,
        &args.dir,
        &["virtual-mfa-devices.json"],
    );
    let mut inputs = serde_json::Map::new();
    for (key, path) in [
        ("credentialReport", &files.credential_report),
        ("authorizationDetails", &files.authorization_details),
        ("passwordPolicy", &files.password_policy),
        ("accountSummary", &files.account_summary),
        ("virtualMfaDevices", &mfa),
    ] {
        if let Some(p) = path {
            // each document as its text: the core reads CSV and JSON alike
            inputs.insert(key.into(), Value::String(read_input(p)?));
        }
    }
    if let Some(p) = &args.managed_policies {
        let mut docs = serde_json::Map::new();
        for line in read_input(p)?.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line)
                .map_err(|e| Error::new(ErrorCode::InputJson, format!("{p}: {e}")))?;
            if let (Some(arn), Some(doc)) =
                (v.get("arn").and_then(Value::as_str), v.get("document"))
            {
                docs.insert(arn.to_string(), doc.clone());
            }
        }
        inputs.insert("managedPolicyDocuments".into(), Value::Object(docs));
    }
    inputs.insert(
        "options".into(),
        json!({"asOf": args.as_of, "unusedDays": args.unused_days, "rotationDays": args.rotation_days, "rootUseDays": args.root_use_days}),
    );
    let answer = call_json("audit", &Value::Object(inputs).to_string())?;
    let report: Value = serde_json::from_str(&answer).unwrap_or(Value::Null);
    match args.format {
        AuditFormat::Json => {
            let _ = writeln!(out, "{answer}");
        }
        AuditFormat::Sarif => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&audit_log(&report, &files)).unwrap_or_default()
            );
        }
        AuditFormat::Text => text(&report, args.show_passed, out),
    }
    let failing = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|f| {
            f["status"] == "fail"
                && fail_on.is_some_and(|min| {
                    f["severity"]
                        .as_str()
                        .and_then(Risk::parse)
                        .is_some_and(|s| s <= min)
                })
        });
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn text(report: &Value, show_passed: bool, out: &mut impl Write) {
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let _ = writeln!(
        out,
        "iamkit audit of account {} as of {} ({})",
        report["accountId"].as_str().unwrap_or("?"),
        s(&report["asOf"]),
        s(&report["asOfSource"])
    );
    for sev in ["critical", "high", "medium", "low", "info"] {
        let failed: Vec<&Value> = findings
            .iter()
            .filter(|f| f["status"] == "fail" && f["severity"] == sev)
            .collect();
        if failed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", sev.to_uppercase(), failed.len());
        for f in failed {
            let slot = f["resource"]["slot"]
                .as_str()
                .map(|x| format!(" [{x}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  FAIL {:<28} {}{slot}",
                s(&f["checkId"]),
                s(&f["resource"]["arn"])
            );
            let _ = writeln!(out, "       {}", s(&f["reason"]));
        }
    }
    let not_eval: Vec<&Value> = findings
        .iter()
        .filter(|f| f["status"] == "notEvaluated")
        .collect();
    if !not_eval.is_empty() {
        let _ = writeln!(out, "\nNOT EVALUATED ({})", not_eval.len());
        for f in not_eval {
            let _ = writeln!(out, "  {:<33} {}", s(&f["checkId"]), s(&f["reason"]));
        }
    }
    if show_passed {
        let passed: Vec<&Value> = findings.iter().filter(|f| f["status"] == "pass").collect();
        let _ = writeln!(out, "\nPASSED ({})", passed.len());
        for f in passed {
            let _ = writeln!(out, "  PASS {:<28} {}", s(&f["checkId"]), s(&f["reason"]));
        }
    }
    let sum = &report["summary"];
    let by: Vec<String> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .filter_map(|k| {
            sum["failedBySeverity"][*k]
                .as_u64()
                .map(|n| format!("{k} {n}"))
        })
        .collect();
    let _ = writeln!(
        out,
        "\n{} failed ({}), {} passed, {} not evaluated",
        sum["fail"],
        if by.is_empty() {
            "none".to_string()
        } else {
            by.join(", ")
        },
        sum["pass"],
        sum["notEvaluated"]
    );
}

/// Runs `iamkit credential-report FILE`: the typed rows as JSON.
pub fn credential_report(path: &str, out: &mut impl Write) -> ExitCode {
    let input = read_input(path).map(|t| json!({ "report": t }).to_string());
    match input.and_then(|i| call_json("credentialReport", &i)) {
        Ok(j) => {
            let _ = writeln!(out, "{j}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(out, "{}", json!({ "error": e }));
            ExitCode::from(2)
        }
    }
}
