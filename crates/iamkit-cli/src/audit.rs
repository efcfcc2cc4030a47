//! `iamkit audit` and `iamkit credential-report`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use iamkit_core::audit::{Audit, AuditSummary, Check, Finding, Risk, Status, CHECKS};
use iamkit_core::wire::{call_json, AuditData};
use iamkit_core::{Error, ErrorCode};
use serde_json::{json, Value};

use crate::input::{self, Field};
use crate::read_input;
use crate::sarif::{write_audit_log, AuditArtifacts};

/// Output formats of the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// A table grouped by severity, with a summary line.
    Text,
    /// The report as JSON.
    Json,
    /// JSON lines: one finding per line.
    Jsonl,
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
    // the credential report is read on its own: its text is never copied into a JSON input,
    // and is dropped once parsed
    let report = match &files.credential_report {
        Some(p) => {
            let mut d = AuditData::default();
            d.read_credential_report(&read_input(p)?)?;
            d.credential_report
        }
        None => None,
    };
    let mut inputs = Vec::new();
    for (key, path) in [
        ("authorizationDetails", &files.authorization_details),
        ("passwordPolicy", &files.password_policy),
        ("accountSummary", &files.account_summary),
        ("virtualMfaDevices", &mfa),
    ] {
        if let Some(p) = path {
            inputs.push((key, Field::file(read_input(p)?)));
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
        inputs.push(("managedPolicyDocuments", Field::Value(Value::Object(docs))));
    }
    inputs.push((
        "options",
        Field::Value(
            json!({"asOf": args.as_of, "unusedDays": args.unused_days, "rotationDays": args.rotation_days, "rootUseDays": args.root_use_days}),
        ),
    ));
    let mut data = AuditData::from_json(&input::object(inputs))?;
    data.credential_report = report;
    let run = Audit::new(data.inputs(), &data.options)?;
    let summary = write(&run, args, &files, out)
        .map_err(|e| Error::new(ErrorCode::Io, format!("cannot write the report: {e}")))?;
    let failing = fail_on.is_some_and(|min| Audit::fails_at(&summary, min));
    if failing {
        return Ok(ExitCode::from(1));
    }
    // an entity listed twice with different content leaves its principals undecided: a pipeline
    // must not take the audit for complete
    Ok(match &data.account {
        Some(a) => crate::account::conflicting_exit(a),
        None => ExitCode::SUCCESS,
    })
}

/// Writes the report in the chosen format, finding by finding; returns the counts.
fn write(
    run: &Audit<'_>,
    args: &AuditArgs,
    files: &AuditArtifacts,
    out: &mut impl Write,
) -> std::io::Result<AuditSummary> {
    let summary = match args.format {
        AuditFormat::Json => {
            let s = run.write_json(&mut *out)?;
            writeln!(out)?;
            s
        }
        AuditFormat::Jsonl => run.write_json_lines(&mut *out)?,
        AuditFormat::Sarif => {
            let s = write_audit_log(run, files, &mut *out)?;
            writeln!(out)?;
            s
        }
        AuditFormat::Text => text(run, args.show_passed, out)?,
    };
    out.flush()?;
    Ok(summary)
}

/// The text report: failed findings by severity, then those not evaluated (and, asked, those
/// passed), then the counts. A first run counts findings by check, so that each later section
/// runs only the checks that have findings in it.
fn text(run: &Audit<'_>, show_passed: bool, out: &mut impl Write) -> std::io::Result<AuditSummary> {
    let mut summary = AuditSummary::default();
    let mut by_check = vec![[0usize; 3]; CHECKS.len()];
    for (i, check) in CHECKS.iter().enumerate() {
        run.for_each_of(check, &mut |f| {
            summary.add(&f);
            by_check[i][status_index(f.status)] += 1;
        });
    }
    writeln!(
        out,
        "iamkit audit of account {} as of {} ({})",
        run.account_id().unwrap_or("?"),
        run.as_of().to_rfc3339(),
        run.as_of_source()
    )?;
    let mut result = Ok(());
    // runs `check`'s findings of `status` through `line`, when it has any
    let mut section = |status: Status,
                       filter: &dyn Fn(&Check) -> bool,
                       line: &dyn Fn(&Finding, &mut dyn Write) -> std::io::Result<()>,
                       out: &mut dyn Write| {
        for (i, check) in CHECKS.iter().enumerate() {
            if by_check[i][status_index(status)] == 0 || !filter(check) {
                continue;
            }
            run.for_each_of(check, &mut |f| {
                if f.status == status && result.is_ok() {
                    result = line(&f, out);
                }
            });
        }
    };
    for sev in [
        Risk::Critical,
        Risk::High,
        Risk::Medium,
        Risk::Low,
        Risk::Info,
    ] {
        let n = summary
            .failed_by_severity
            .get(sev.as_str())
            .copied()
            .unwrap_or(0);
        if n == 0 {
            continue;
        }
        writeln!(out, "\n{} ({n})", sev.as_str().to_uppercase())?;
        section(
            Status::Fail,
            &|c| c.severity == sev,
            &|f, out| {
                let slot = f
                    .resource
                    .slot
                    .as_ref()
                    .map(|x| format!(" [{x}]"))
                    .unwrap_or_default();
                writeln!(out, "  FAIL {:<28} {}{slot}", f.check_id, f.resource.arn)?;
                writeln!(out, "       {}", f.reason)
            },
            out,
        );
    }
    if summary.not_evaluated > 0 {
        writeln!(out, "\nNOT EVALUATED ({})", summary.not_evaluated)?;
        section(
            Status::NotEvaluated,
            &|_| true,
            &|f, out| writeln!(out, "  {:<33} {}", f.check_id, f.reason),
            out,
        );
    }
    if show_passed {
        writeln!(out, "\nPASSED ({})", summary.pass)?;
        section(
            Status::Pass,
            &|_| true,
            &|f, out| writeln!(out, "  PASS {:<28} {}", f.check_id, f.reason),
            out,
        );
    }
    result?;
    let by: Vec<String> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .filter_map(|k| {
            summary
                .failed_by_severity
                .get(k)
                .map(|n| format!("{k} {n}"))
        })
        .collect();
    writeln!(
        out,
        "\n{} failed ({}), {} passed, {} not evaluated",
        summary.fail,
        if by.is_empty() {
            "none".to_string()
        } else {
            by.join(", ")
        },
        summary.pass,
        summary.not_evaluated
    )?;
    Ok(summary)
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Fail => 0,
        Status::Pass => 1,
        Status::NotEvaluated => 2,
    }
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

#[cfg(test)]
mod tests {
    //! The streamed writers write what rendering the collected report (the `audit` call's JSON
    //! answer) writes, for every format, on the demo account and a generated report.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::sarif::audit_log;
    use clap::Parser;
    use iamkit_core::audit::{sample_credential_report, SAMPLE_AS_OF};

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: AuditArgs,
    }

    /// The text of the report before streaming: the reference the streamed text must equal.
    fn text_of_report(report: &Value, show_passed: bool, out: &mut impl Write) {
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

    /// `iamkit audit` with `args`: its exit code and output.
    fn cli(args: &[&str]) -> (ExitCode, String) {
        let cli =
            Cli::try_parse_from(std::iter::once("audit").chain(args.iter().copied())).unwrap();
        let mut out = Vec::new();
        let code = run(&cli.args, &mut out);
        (code, String::from_utf8(out).unwrap())
    }

    /// The `audit` call's answer on a folder's inputs (what the CLI sent before streaming).
    fn answer(dir: &Path) -> (String, Value, AuditArtifacts) {
        let file = |n: &str| {
            let p = dir.join(n);
            p.is_file().then(|| p.to_string_lossy().into_owned())
        };
        let files = AuditArtifacts {
            credential_report: file("credential-report.json")
                .or_else(|| file("credential-report.csv")),
            authorization_details: file("authorization-details.json"),
            password_policy: file("password-policy.json"),
            account_summary: file("account-summary.json"),
        };
        let mut input = serde_json::Map::new();
        for (key, path) in [
            ("credentialReport", &files.credential_report),
            ("authorizationDetails", &files.authorization_details),
            ("passwordPolicy", &files.password_policy),
            ("accountSummary", &files.account_summary),
            ("virtualMfaDevices", &file("virtual-mfa-devices.json")),
        ] {
            if let Some(p) = path {
                input.insert(
                    key.into(),
                    Value::String(std::fs::read_to_string(p).unwrap()),
                );
            }
        }
        input.insert("options".into(), json!({"asOf": SAMPLE_AS_OF}));
        let answer = call_json("audit", &Value::Object(input).to_string()).unwrap();
        (
            answer.clone(),
            serde_json::from_str(&answer).unwrap(),
            files,
        )
    }

    fn check_folder(dir: &Path) {
        let d = dir.to_str().unwrap();
        let (text, report, files) = answer(dir);
        let base = ["--as-of", SAMPLE_AS_OF];
        let with = |format: &str, extra: &[&str]| {
            let mut a = vec![d, "--format", format];
            a.extend(base);
            a.extend(extra);
            cli(&a).1
        };
        // JSON: the answer itself
        let json_text = with("json", &[]);
        assert_eq!(serde_json::from_str::<Value>(&json_text).unwrap(), report);
        assert_eq!(json_text, format!("{text}\n"));
        // JSON lines: one finding per line
        let lines = with("jsonl", &[]);
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(lines.lines().count(), findings.len());
        for (l, f) in lines.lines().zip(findings) {
            assert_eq!(l, f.to_string());
        }
        // SARIF: the log pretty-printed at once
        let sarif = with("sarif", &[]);
        let want = format!(
            "{}\n",
            serde_json::to_string_pretty(&audit_log(&report, &files)).unwrap()
        );
        assert_eq!(sarif, want);
        // text, with and without the passed findings
        for show in [false, true] {
            let mut want = Vec::new();
            text_of_report(&report, show, &mut want);
            let got = with("text", if show { &["--show-passed"] } else { &[] });
            assert_eq!(got, String::from_utf8(want).unwrap(), "show passed: {show}");
        }
    }

    #[test]
    fn streamed_formats_equal_the_collected_report_on_the_demo_account() {
        check_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-account"));
    }

    #[test]
    fn streamed_formats_equal_the_collected_report_on_a_generated_report() {
        let dir = std::env::temp_dir().join(format!("iamkit-audit-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("credential-report.csv"),
            sample_credential_report(1_000),
        )
        .unwrap();
        check_folder(&dir);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn fail_on_counts_from_the_stream() {
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-account");
        let d = demo.to_str().unwrap();
        let (_, report, _) = answer(&demo);
        for (sev, min) in [
            ("critical", Risk::Critical),
            ("high", Risk::High),
            ("info", Risk::Info),
        ] {
            let failing = report["findings"].as_array().unwrap().iter().any(|f| {
                f["status"] == "fail"
                    && f["severity"]
                        .as_str()
                        .and_then(Risk::parse)
                        .is_some_and(|s| s <= min)
            });
            let (code, _) = cli(&[
                d,
                "--as-of",
                SAMPLE_AS_OF,
                "--format",
                "jsonl",
                "--fail-on",
                sev,
            ]);
            let want = if failing {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
            assert_eq!(code, want, "{sev}");
        }
    }
}
