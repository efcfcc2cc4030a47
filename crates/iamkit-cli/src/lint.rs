//! `iamkit lint FILE...`, `iamkit summarize FILE` and `iamkit review FILE...`: the catalog's
//! view of a policy.

use std::io::Write;
use std::process::ExitCode;

use iamkit_core::catalog::{Catalog, LintReport, PolicySummary};
use iamkit_core::{PolicyType, Severity};
use serde_json::json;

use crate::sarif::LintLog;
use crate::{read_input, TypeArg};

/// Output formats of the linter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// One line per finding, `FILE:LINE:COLUMN: severity CODE: message`.
    Text,
    /// One JSON object per file.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

/// The policies `lint` and `review` read, and how.
#[derive(Debug, clap::Args)]
pub struct PolicyFiles {
    /// Policy files (`-` for stdin).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// A catalog to use instead of the embedded one (normalized JSON).
    #[arg(long)]
    pub catalog: Option<String>,
    /// The policy type.
    #[arg(long = "type", value_enum, default_value_t = TypeArg::Identity)]
    pub policy_type: TypeArg,
}

/// Runs `iamkit lint`: exit 1 when any file has an error-severity finding, 2 when a file cannot
/// be read.
pub fn lint<W: Write>(policies: &PolicyFiles, format: LintFormat, out: &mut W) -> ExitCode {
    let ty: PolicyType = policies.policy_type.into();
    let mut sarif = LintLog::default();
    let each = |catalog: &Catalog, path: &str, text: &str, out: &mut W| {
        let report = catalog.lint(text, ty);
        match format {
            LintFormat::Text => write_findings(path, &report, out),
            LintFormat::Json => {
                let _ = writeln!(
                    out,
                    "{}",
                    json!({"file": path, "valid": report.valid, "findings": report.findings})
                );
            }
            LintFormat::Sarif => sarif.add(path, &report),
        }
        report.valid
    };
    let status = match each_policy(policies, out, each) {
        Ok(status) => status,
        Err(no_catalog) => return no_catalog,
    };
    if format == LintFormat::Sarif {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&sarif.finish()).unwrap_or_default()
        );
    }
    status
}

/// Runs `iamkit summarize`: the policy's access by service and level.
pub fn summarize(
    path: &str,
    catalog: Option<&str>,
    ty: TypeArg,
    json_out: bool,
    out: &mut impl Write,
) -> ExitCode {
    let summary = match crate::load_catalog(catalog)
        .and_then(|c| read_input(path).and_then(|t| c.summarize(&t, ty.into())))
    {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(out, "error {e}");
            return ExitCode::from(2);
        }
    };
    if json_out {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(&summary).unwrap_or_default()
        );
    } else {
        write_summary(&summary, out);
    }
    ExitCode::SUCCESS
}

/// Runs `iamkit review`: each file's findings and summary from one reading; exit 1 when any file
/// has an error-severity finding, 2 when a file cannot be read.
pub fn review<W: Write>(policies: &PolicyFiles, json_out: bool, out: &mut W) -> ExitCode {
    let ty: PolicyType = policies.policy_type.into();
    let status = each_policy(policies, out, |catalog, path, text, out: &mut W| {
        let review = catalog.review(text, ty);
        if json_out {
            let _ = writeln!(
                out,
                "{}",
                json!({"file": path, "lint": review.lint, "summary": review.summary})
            );
        } else {
            let _ = writeln!(out, "== {path}");
            write_findings(path, &review.lint, out);
            match &review.summary {
                Some(summary) => write_summary(summary, out),
                None => {
                    let _ = writeln!(out, "no summary: the policy has errors");
                }
            }
        }
        review.lint.valid
    });
    status.unwrap_or_else(|no_catalog| no_catalog)
}

/// Loads the catalog, then reads each policy file and hands it to `each`, which writes its answer
/// and says whether the policy is valid. The exit status: 2 when a file cannot be read (the
/// others are still read), 1 when a policy is not valid; `Err` (2) when the catalog cannot be
/// loaded, before any file is read.
fn each_policy<W: Write>(
    policies: &PolicyFiles,
    out: &mut W,
    mut each: impl FnMut(&Catalog, &str, &str, &mut W) -> bool,
) -> Result<ExitCode, ExitCode> {
    let catalog = match crate::load_catalog(policies.catalog.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "error {e}");
            return Err(ExitCode::from(2));
        }
    };
    let (mut errors, mut unreadable) = (false, false);
    for path in &policies.files {
        match read_input(path) {
            Ok(text) => errors |= !each(&catalog, path, &text, out),
            Err(e) => {
                unreadable = true;
                let _ = writeln!(out, "{path}: {e}");
            }
        }
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes a report's findings, one `FILE:LINE:COLUMN: severity CODE: message` line each.
fn write_findings(path: &str, report: &LintReport, out: &mut impl Write) {
    for f in &report.findings {
        let sev = if f.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let _ = writeln!(
            out,
            "{path}:{}:{}: {sev} {}: {} ({})",
            f.location.line.unwrap_or(0),
            f.location.column.unwrap_or(0),
            f.code,
            f.message,
            f.location.json_path
        );
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "    fix: {fix}");
        }
    }
}

/// Writes a summary: a line per service, then its allowed and denied access levels.
fn write_summary(summary: &PolicySummary, out: &mut impl Write) {
    for s in &summary.services {
        let _ = writeln!(out, "{:<28} {:<40} {}", s.service, s.access, s.name);
        for (effect, levels) in [("allow", &s.allow), ("deny", &s.deny)] {
            for l in levels {
                let _ = writeln!(
                    out,
                    "    {effect:<5} {:<24} {}/{} actions on {}{}",
                    l.level.as_str(),
                    l.actions,
                    l.total,
                    l.resources.join(", "),
                    if l.condition_keys.is_empty() {
                        String::new()
                    } else {
                        format!(" when {}", l.condition_keys.join(", "))
                    }
                );
            }
        }
    }
    for u in &summary.unknown_services {
        let _ = writeln!(out, "{u:<28} unknown service (retired or misspelled)");
    }
}
