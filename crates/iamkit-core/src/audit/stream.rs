//! The audit as a stream: findings are handed to a callback one at a time, check by check, so a
//! report can be written while it is produced, in memory bounded by the inputs (not by the
//! number of findings).

use std::io::Write;

use serde::Serialize;

use super::registry::Run;
use super::CHECKS;
use super::{AuditInputs, AuditOptions, AuditReport, AuditSummary, Check, Ctx, Finding, Out};
use crate::error::{Error, ErrorCode, Result};
use crate::inputs::Instant;

/// An audit ready to run: the inputs, the options and the instant ages are computed from.
/// Running it (any number of times) yields the same findings in the same order.
pub struct Audit<'a> {
    ctx: Ctx<'a>,
    as_of_source: &'static str,
    report_generated_time: Option<Instant>,
    account_id: Option<String>,
}

impl std::fmt::Debug for Audit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audit")
            .field("as_of", &self.ctx.as_of)
            .field("as_of_source", &self.as_of_source)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

impl<'a> Audit<'a> {
    /// Checks the options and fixes the audit's instant (the option's, else the report's
    /// `GeneratedTime`, else now).
    pub fn new(inputs: AuditInputs<'a>, options: &'a AuditOptions) -> Result<Audit<'a>> {
        let generated = inputs.credential_report.and_then(|r| r.generated_time);
        let (as_of, source) = match &options.as_of {
            Some(t) => (
                Instant::parse(t).ok_or_else(|| {
                    Error::new(
                        ErrorCode::AuditInput,
                        format!("asOf `{t}` is not an RFC 3339 timestamp with a zone"),
                    )
                })?,
                "option",
            ),
            None => match generated {
                Some(g) => (g, "reportGeneratedTime"),
                None => (Instant::now(), "now"),
            },
        };
        for (name, v) in [
            ("unusedDays", options.unused_days),
            ("rotationDays", options.rotation_days),
            ("rootUseDays", options.root_use_days),
        ] {
            if v == 0 {
                return Err(Error::new(
                    ErrorCode::AuditInput,
                    format!("{name} must be at least 1 day"),
                ));
            }
        }
        let first_arn = || {
            inputs.credential_report.and_then(|r| {
                r.rows
                    .iter()
                    .find_map(|row| crate::arn::Arn::parse(&row.arn))
            })
        };
        let account_id = inputs
            .account
            .and_then(|a| a.id().map(str::to_string))
            .or_else(|| first_arn().map(|a| a.account.to_string()));
        let partition = inputs
            .account
            .map(|a| a.partition().to_string())
            .or_else(|| first_arn().map(|a| a.partition.to_string()))
            .unwrap_or_else(|| "aws".into());
        let ctx = Ctx {
            inputs,
            options,
            as_of,
            account_arn: format!(
                "arn:{partition}:iam::{}:root",
                account_id.as_deref().unwrap_or("unknown")
            ),
        };
        Ok(Audit {
            ctx,
            as_of_source: source,
            report_generated_time: generated,
            account_id,
        })
    }

    /// The instant ages are computed from.
    pub fn as_of(&self) -> Instant {
        self.ctx.as_of
    }

    /// Where it came from: `option`, `reportGeneratedTime` or `now`.
    pub fn as_of_source(&self) -> &'static str {
        self.as_of_source
    }

    /// The report's `GeneratedTime`, when known.
    pub fn report_generated_time(&self) -> Option<Instant> {
        self.report_generated_time
    }

    /// The account id, when an input names it.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// Runs one check, handing each of its findings to `f`.
    pub fn for_each_of(&self, check: &'static Check, f: &mut dyn FnMut(Finding)) {
        match check.run {
            Run::List(run) => run(&self.ctx, check).into_iter().for_each(f),
            Run::Each(run) => run(&self.ctx, check, &mut Out::new(check, f)),
        }
    }

    /// Runs every check in the order of [`CHECKS`], handing each finding to `f`.
    pub fn for_each(&self, mut f: impl FnMut(Finding)) {
        for check in CHECKS {
            self.for_each_of(check, &mut f);
        }
    }

    /// The counts of a run (which runs every check, without building the findings it can
    /// skip).
    pub fn summary(&self) -> AuditSummary {
        let mut summary = AuditSummary::default();
        for check in CHECKS {
            match check.run {
                Run::List(run) => run(&self.ctx, check).iter().for_each(|f| summary.add(f)),
                Run::Each(run) => run(&self.ctx, check, &mut Out::counting(check, &mut summary)),
            }
        }
        summary
    }

    /// Whether a finding of `min` severity or above fails, from a run's counts.
    pub fn fails_at(summary: &AuditSummary, min: super::Risk) -> bool {
        [
            super::Risk::Critical,
            super::Risk::High,
            super::Risk::Medium,
            super::Risk::Low,
            super::Risk::Info,
        ]
        .iter()
        .filter(|r| **r <= min)
        .any(|r| {
            summary
                .failed_by_severity
                .get(r.as_str())
                .copied()
                .unwrap_or(0)
                > 0
        })
    }

    /// The whole report, every finding in memory.
    pub fn report(&self) -> AuditReport {
        let mut findings = Vec::new();
        let mut summary = AuditSummary::default();
        self.for_each(|f| {
            summary.add(&f);
            findings.push(f);
        });
        AuditReport {
            as_of: self.ctx.as_of,
            as_of_source: self.as_of_source,
            report_generated_time: self.report_generated_time,
            account_id: self.account_id.clone(),
            summary,
            findings,
        }
    }

    /// Writes the report as JSON, the same text as serializing [`Audit::report`], finding by
    /// finding (two runs: the counts come first). `w` should be buffered. Returns the counts.
    pub fn write_json(&self, mut w: impl Write) -> std::io::Result<AuditSummary> {
        let summary = self.summary();
        w.write_all(b"{\"asOf\":")?;
        json(&mut w, &self.ctx.as_of)?;
        w.write_all(b",\"asOfSource\":")?;
        json(&mut w, self.as_of_source)?;
        if let Some(t) = &self.report_generated_time {
            w.write_all(b",\"reportGeneratedTime\":")?;
            json(&mut w, t)?;
        }
        if let Some(id) = &self.account_id {
            w.write_all(b",\"accountId\":")?;
            json(&mut w, id)?;
        }
        w.write_all(b",\"summary\":")?;
        json(&mut w, &summary)?;
        w.write_all(b",\"findings\":[")?;
        let mut first = true;
        self.write_each(|f, text| {
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            text.write(&mut w, f)
        })?;
        w.write_all(b"]}")?;
        Ok(summary)
    }

    /// Writes the findings as JSON lines: one finding (as in the JSON report) per line. `w`
    /// should be buffered. Returns the counts.
    pub fn write_json_lines(&self, mut w: impl Write) -> std::io::Result<AuditSummary> {
        let mut summary = AuditSummary::default();
        self.write_each(|f, text| {
            summary.add(f);
            text.write(&mut w, f)?;
            w.write_all(b"\n")
        })?;
        Ok(summary)
    }

    /// Runs every check, handing each finding with its check's JSON to `write`, until it fails.
    fn write_each(
        &self,
        mut write: impl FnMut(&Finding, &FindingJson) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut result = Ok(());
        for check in CHECKS {
            let text = FindingJson::of(check)?;
            self.for_each_of(check, &mut |f| {
                if result.is_ok() {
                    result = write(&f, &text);
                }
            });
            if result.is_err() {
                break;
            }
        }
        result
    }
}

/// Writes `v` as JSON.
fn json<T: Serialize + ?Sized>(w: &mut impl Write, v: &T) -> std::io::Result<()> {
    serde_json::to_writer(w, v).map_err(std::io::Error::other)
}

/// The JSON of a check's findings around what changes from one to the next: the check's id,
/// title and severity before, its remediation and compliance ids after, escaped once per check
/// rather than once per finding. Writes the same text as serializing the [`Finding`].
struct FindingJson {
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl FindingJson {
    fn of(check: &'static Check) -> std::io::Result<FindingJson> {
        let mut head = b"{\"checkId\":".to_vec();
        json(&mut head, check.id)?;
        head.extend_from_slice(b",\"title\":");
        json(&mut head, check.title)?;
        head.extend_from_slice(b",\"severity\":");
        json(&mut head, &check.severity)?;
        head.extend_from_slice(b",\"status\":");
        let mut tail = b",\"remediation\":".to_vec();
        json(
            &mut tail,
            &super::Remediation {
                text: check.remediation,
                cli: check.cli,
            },
        )?;
        tail.extend_from_slice(b",\"compliance\":");
        json(&mut tail, &super::Compliance(check.compliance))?;
        tail.push(b'}');
        Ok(FindingJson { head, tail })
    }

    fn write(&self, w: &mut impl Write, f: &Finding) -> std::io::Result<()> {
        w.write_all(&self.head)?;
        json(w, &f.status)?;
        w.write_all(b",\"resource\":")?;
        json(w, &f.resource)?;
        w.write_all(b",\"evidence\":")?;
        json(w, &f.evidence)?;
        w.write_all(b",\"reason\":")?;
        json(w, &f.reason)?;
        w.write_all(&self.tail)
    }
}
