//! The audit: CIS AWS Foundations Benchmark and IAM best-practice checks over the credential
//! report, the account's authorization details, its password policy and account summary. Every
//! check yields findings with a stable id, a severity, a status (`fail`, `pass`, `notEvaluated`),
//! the exact evidence used, a sentence with the numbers, a remediation and compliance ids. A check
//! whose input is missing is `notEvaluated`, never `pass`. Ages are computed from one `asOf`
//! instant (the caller's, else the report's `GeneratedTime`, else now), so runs are reproducible.

mod checks_account;
mod checks_report;
mod checks_settings;
mod data;
mod evidence;
mod registry;
mod sample;
mod stream;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::account::Account;

use crate::inputs::{
    AccountSummaryMap, CredentialReport, Instant, PasswordPolicySetting, VirtualMfaDevice,
};

pub use data::AuditData;
pub(crate) use evidence::ev;
pub use evidence::{Compliance, Ev, Evidence};
pub use registry::{Check, CHECKS};
#[doc(hidden)]
pub use sample::{sample_credential_report, SAMPLE_AS_OF};
pub use stream::Audit;

/// How serious a failed check is: the audit's risk scale (its JSON field is still `severity`).
/// Not to be confused with [`crate::error::Severity`], the error/warning of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Risk {
    /// Account takeover or full exposure.
    Critical,
    /// A serious weakness.
    High,
    /// A weakness to fix.
    Medium,
    /// Hygiene.
    Low,
    /// For review; not a weakness by itself.
    Info,
}

impl Risk {
    /// `critical`, `high`, `medium`, `low`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Critical => "critical",
            Risk::High => "high",
            Risk::Medium => "medium",
            Risk::Low => "low",
            Risk::Info => "info",
        }
    }

    /// Parses a severity name.
    pub fn parse(s: &str) -> Option<Risk> {
        match s.to_ascii_lowercase().as_str() {
            "critical" => Some(Risk::Critical),
            "high" => Some(Risk::High),
            "medium" => Some(Risk::Medium),
            "low" => Some(Risk::Low),
            "info" => Some(Risk::Info),
            _ => None,
        }
    }
}

/// A finding's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// The check failed for this resource.
    Fail,
    /// The check passed for this resource.
    Pass,
    /// The check could not be evaluated (an input is missing, or IAM data cannot show it).
    NotEvaluated,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// An ARN (a user, a role, a policy, the root user, or the account root for account-wide
    /// checks).
    pub arn: String,
    /// The credential within it: `password`, `accessKey1`, `accessKey2`, `cert1`, `cert2`, or a
    /// policy name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<Cow<'static, str>>,
}

/// How to fix a failed check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Remediation {
    /// What to do.
    pub text: &'static str,
    /// An AWS CLI command that does it (placeholders in angle brackets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cli: Option<&'static str>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The check's stable id.
    pub check_id: &'static str,
    /// The check's title.
    pub title: &'static str,
    /// The check's severity.
    pub severity: Risk,
    /// The outcome.
    pub status: Status,
    /// What it is about.
    pub resource: Resource,
    /// The exact values used: report cells, thresholds, computed ages, `asOf`.
    pub evidence: Evidence,
    /// One sentence, with the numbers.
    pub reason: String,
    /// How to fix it.
    pub remediation: Remediation,
    /// Framework to control ids (`cis-aws-7.0`, `cis-aws-6.0`, `cis-aws-5.0`, `aws-fsbp`).
    pub compliance: Compliance,
}

/// Thresholds and the reference instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct AuditOptions {
    /// The instant ages are computed from (RFC 3339); default: the report's `GeneratedTime`,
    /// else now.
    pub as_of: Option<String>,
    /// Credentials unused for this many days or more fail (CIS: 45).
    pub unused_days: u32,
    /// Active keys older than this many days fail (CIS: "90 days or less").
    pub rotation_days: u32,
    /// The root user used within fewer than this many days fails.
    pub root_use_days: u32,
    /// The password policy's minimum length must be at least this (CIS: 14).
    pub min_password_length: u32,
    /// The password policy must prevent reuse of at least this many passwords (CIS: 24).
    pub password_reuse: u32,
    /// The password policy must expire passwords within this many days.
    pub max_password_age: u32,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            as_of: None,
            unused_days: 45,
            rotation_days: 90,
            root_use_days: 90,
            min_password_length: 14,
            password_reuse: 24,
            max_password_age: 90,
        }
    }
}

/// What the audit reads; every input is optional (checks without theirs are `notEvaluated`).
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditInputs<'a> {
    /// The credential report.
    pub credential_report: Option<&'a CredentialReport>,
    /// The account (authorization details).
    pub account: Option<&'a Account>,
    /// The password policy (or AWS's default).
    pub password_policy: Option<&'a PasswordPolicySetting>,
    /// The account summary.
    pub account_summary: Option<&'a AccountSummaryMap>,
    /// The virtual MFA devices.
    pub virtual_mfa_devices: Option<&'a [VirtualMfaDevice]>,
}

/// Counts of findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditSummary {
    /// Failed findings.
    pub fail: usize,
    /// Passed findings.
    pub pass: usize,
    /// Findings not evaluated.
    pub not_evaluated: usize,
    /// Failed findings by severity.
    pub failed_by_severity: BTreeMap<&'static str, usize>,
}

/// The audit's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    /// The instant ages were computed from.
    pub as_of: Instant,
    /// Where it came from: `option`, `reportGeneratedTime` or `now`.
    pub as_of_source: &'static str,
    /// The report's `GeneratedTime`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_generated_time: Option<Instant>,
    /// The account id, when an input names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Counts.
    pub summary: AuditSummary,
    /// Every finding, check by check (in the order of [`CHECKS`]).
    pub findings: Vec<Finding>,
}

/// What a finding takes from its check (an audit check, or an organization check).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckMeta {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) severity: Risk,
    pub(crate) remediation: &'static str,
    pub(crate) cli: Option<&'static str>,
    pub(crate) compliance: &'static [(&'static str, &'static [&'static str])],
}

impl Finding {
    /// A finding of the check `meta` describes, its evidence stamped with `asOf`.
    pub(crate) fn of(
        meta: CheckMeta,
        status: Status,
        resource: Resource,
        mut evidence: Evidence,
        reason: String,
        as_of: Instant,
    ) -> Finding {
        evidence.set("asOf", as_of);
        Finding {
            check_id: meta.id,
            title: meta.title,
            severity: meta.severity,
            status,
            resource,
            evidence,
            reason,
            remediation: Remediation {
                text: meta.remediation,
                cli: meta.cli,
            },
            compliance: Compliance(meta.compliance),
        }
    }
}

/// What every check function gets.
pub(crate) struct Ctx<'a> {
    pub(crate) inputs: AuditInputs<'a>,
    pub(crate) options: &'a AuditOptions,
    pub(crate) as_of: Instant,
    pub(crate) account_arn: String,
}

impl Ctx<'_> {
    /// A finding of `check` (its metadata from the check's entry).
    pub(crate) fn finding(
        &self,
        check: &'static Check,
        status: Status,
        arn: &str,
        slot: Option<&str>,
        evidence: impl Into<Evidence>,
        reason: String,
    ) -> Finding {
        let resource = Resource {
            arn: arn.to_string(),
            slot: slot.map(slot_name),
        };
        Finding::of(
            check.meta(),
            status,
            resource,
            evidence.into(),
            reason,
            self.as_of,
        )
    }

    /// A `notEvaluated` finding on the account, naming what is missing.
    pub(crate) fn missing(&self, check: &'static Check, what: &str) -> Finding {
        self.finding(
            check,
            Status::NotEvaluated,
            &self.account_arn,
            None,
            ev! {"missingInput": what.to_string()},
            format!("not evaluated: {what} was not supplied"),
        )
    }
}

/// A slot name, without a copy for the report's own slots.
fn slot_name(s: &str) -> Cow<'static, str> {
    const STATIC: [&str; 5] = ["password", "accessKey1", "accessKey2", "cert1", "cert2"];
    match STATIC.iter().find(|x| **x == s) {
        Some(x) => Cow::Borrowed(x),
        None => Cow::Owned(s.to_string()),
    }
}

/// Where a check puts its findings: a list, or a sink that takes them one at a time.
pub(crate) trait Findings {
    /// Adds a finding.
    fn push(&mut self, f: Finding);
    /// Whether no finding was added.
    fn is_empty(&self) -> bool;
}

impl Findings for Vec<Finding> {
    fn push(&mut self, f: Finding) {
        Vec::push(self, f);
    }

    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}

/// Where a check's findings go: a callback, or only counts.
enum Sink<'s> {
    /// Each finding to a callback.
    Each(&'s mut dyn FnMut(Finding)),
    /// Counted only: a finding handed out with [`Out::emit`] is not even built.
    Count(&'s mut AuditSummary),
}

/// Hands each finding of one check to a callback (or only counts them).
pub(crate) struct Out<'s> {
    sink: Sink<'s>,
    severity: Risk,
    n: usize,
}

impl<'s> Out<'s> {
    /// Each finding of `check` to `f`.
    pub(crate) fn new(check: &Check, f: &'s mut dyn FnMut(Finding)) -> Out<'s> {
        Out {
            sink: Sink::Each(f),
            severity: check.severity,
            n: 0,
        }
    }

    /// The findings of `check` counted into `summary`.
    pub(crate) fn counting(check: &Check, summary: &'s mut AuditSummary) -> Out<'s> {
        Out {
            sink: Sink::Count(summary),
            severity: check.severity,
            n: 0,
        }
    }

    /// Hands out a finding of `status`, built by `make` only when it is wanted (not when the
    /// findings are only counted).
    pub(crate) fn emit(&mut self, status: Status, make: impl FnOnce() -> Finding) {
        self.n += 1;
        match &mut self.sink {
            Sink::Each(f) => f(make()),
            Sink::Count(s) => s.count(status, self.severity),
        }
    }
}

impl Findings for Out<'_> {
    fn push(&mut self, f: Finding) {
        self.n += 1;
        match &mut self.sink {
            Sink::Each(each) => each(f),
            Sink::Count(s) => s.add(&f),
        }
    }

    fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// Hands out a finding built only when it is wanted: `emit!(out, ctx, check, status, arn, slot,
/// evidence, reason)` is `ctx.finding(check, status, ...)` handed to `out`.
macro_rules! emit {
    ($out:expr, $ctx:expr, $check:expr, $status:expr, $($rest:expr),+ $(,)?) => {{
        let status = $status;
        $out.emit(status, || $ctx.finding($check, status, $($rest),+));
    }};
}
pub(crate) use emit;

/// One `pass` on the account when a check found nothing to judge (no console users, say).
pub(crate) fn nothing(ctx: &Ctx<'_>, check: &'static Check, out: &mut impl Findings, why: &str) {
    if out.is_empty() {
        out.push(ctx.finding(
            check,
            Status::Pass,
            &ctx.account_arn,
            None,
            Evidence::new(),
            why.to_string(),
        ));
    }
}

impl AuditSummary {
    /// Counts one finding.
    pub fn add(&mut self, f: &Finding) {
        self.count(f.status, f.severity);
    }

    /// Counts a finding of `status` and `severity`.
    pub fn count(&mut self, status: Status, severity: Risk) {
        match status {
            Status::Fail => {
                self.fail += 1;
                *self
                    .failed_by_severity
                    .entry(severity.as_str())
                    .or_default() += 1;
            }
            Status::Pass => self.pass += 1,
            Status::NotEvaluated => self.not_evaluated += 1,
        }
    }
}

/// Runs every check, and collects the findings (see [`Audit`] to stream them instead).
pub fn audit(inputs: AuditInputs<'_>, options: &AuditOptions) -> crate::error::Result<AuditReport> {
    Ok(Audit::new(inputs, options)?.report())
}

/// Age in days from `then` to `now`, to 3 decimals, rounded down: for "N days or more" and
/// "within N days" rules, so the shown age never crosses the threshold the other way.
pub(crate) fn days(then: Instant, now: Instant) -> f64 {
    (then.days_until(now) * 1000.0).floor() / 1000.0
}

/// Age in days, to 3 decimals, rounded up: for "more than N days" rules.
pub(crate) fn days_up(then: Instant, now: Instant) -> f64 {
    (then.days_until(now) * 1000.0).ceil() / 1000.0
}

/// Exact age in whole seconds (negative when `then` is after `now`).
pub(crate) fn age_seconds(then: Instant, now: Instant) -> i64 {
    i64::try_from((now.0 - then.0).div_euclid(1_000_000_000)).unwrap_or(i64::MAX)
}
