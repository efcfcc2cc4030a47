//! `iamkit org`: every account of an organization, on every core (the core's
//! [`Organization::run`]), written as each batch of accounts is answered: text, one JSON document
//! (the wire call's answer), or JSON lines with the account id on every row.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use iamkit_core::audit::{Audit, AuditOptions, Finding, Risk, Status};
use iamkit_core::org::{AccountResult, OrgQuestion, Organization};
use iamkit_core::{AccountQuery, ContextValue, Error, ErrorCode};
use serde::Serialize;
use serde_json::json;

/// Output formats of the organization commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrgFormat {
    /// For people: one block per account.
    Text,
    /// One JSON document: the organization, then its accounts.
    Json,
    /// JSON lines: one row per finding, principal or path, the account id on every row.
    Jsonl,
}

/// What every organization command takes.
#[derive(Debug, clap::Args)]
pub struct OrgSource {
    /// The organization folder (`organization/` and `accounts/<id>/`; see the README).
    org: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OrgFormat::Text)]
    format: OrgFormat,
    /// The instant ages and time keys are judged at (RFC 3339; default: each account's report
    /// time, else now).
    #[arg(long)]
    as_of: Option<String>,
}

/// The organization subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OrgCommand {
    /// The tree and each account's summary: its OU path, SCPs and RCPs by level, counts and
    /// administrators.
    Summary {
        #[command(flatten)]
        source: OrgSource,
    },
    /// Audit every account (the audit's checks with the account's SCPs and RCPs, and the
    /// organization's checks: SCPs denying the root user and leaving, roles trusting accounts
    /// outside the organization); exit 1 with --fail-on when a finding that severe fails.
    Audit {
        #[command(flatten)]
        source: OrgSource,
        /// Exit 1 when a finding of this severity or above fails (critical, high, medium, low,
        /// info).
        #[arg(long)]
        fail_on: Option<String>,
    },
    /// Who in each account can do an action on a resource, with the account's SCPs and RCPs; an
    /// STS action on a role of another account is decided with that role's trust policy.
    WhoCan {
        #[command(flatten)]
        source: OrgSource,
        /// `service:Action`.
        #[arg(long)]
        action: String,
        /// An ARN, `*` or a pattern.
        #[arg(long, default_value = "*")]
        resource: String,
        /// The resource's account, when its ARN names none (an S3 object).
        #[arg(long)]
        resource_account: Option<String>,
        /// A condition key: `--context aws:SourceIp=10.1.2.3` (repeat it; repeating a key makes
        /// it a list).
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
    },
    /// Each account's privilege-escalation paths, with its SCPs and RCPs.
    Escalations {
        #[command(flatten)]
        source: OrgSource,
    },
    /// Who can assume roles of other accounts of the organization (their trust policies and
    /// RCPs, the caller's policies, boundary and SCPs).
    Assume {
        #[command(flatten)]
        source: OrgSource,
    },
}

/// Runs an organization subcommand: 0, 1 (--fail-on), 2 (the organization cannot be read), 3
/// (some accounts could not be read: the answer is incomplete).
pub fn run(cmd: OrgCommand, out: &mut impl Write) -> ExitCode {
    let source = match &cmd {
        OrgCommand::Summary { source }
        | OrgCommand::Audit { source, .. }
        | OrgCommand::WhoCan { source, .. }
        | OrgCommand::Escalations { source }
        | OrgCommand::Assume { source } => source,
    };
    let format = source.format;
    match answer(&cmd, source, out) {
        Ok(code) => code,
        Err(e) => {
            let _ = match format {
                OrgFormat::Text => writeln!(out, "error {e}"),
                _ => writeln!(out, "{}", json!({ "error": e })),
            };
            ExitCode::from(2)
        }
    }
}

fn answer(cmd: &OrgCommand, source: &OrgSource, out: &mut impl Write) -> Result<ExitCode, Error> {
    let fail_on = match cmd {
        OrgCommand::Audit {
            fail_on: Some(s), ..
        } => Some(Risk::parse(s).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("--fail-on `{s}`: expected critical, high, medium, low or info"),
            )
        })?),
        _ => None,
    };
    let question = match cmd {
        OrgCommand::Summary { .. } => OrgQuestion::Summary,
        OrgCommand::Audit { .. } => OrgQuestion::Audit,
        OrgCommand::WhoCan {
            action,
            resource,
            resource_account,
            context,
            ..
        } => {
            let mut q = AccountQuery::new(action.as_str(), resource.as_str());
            q.resource_account = resource_account.clone();
            add_context(&mut q, context)?;
            OrgQuestion::WhoCan(Box::new(q))
        }
        OrgCommand::Escalations { .. } => OrgQuestion::Escalations,
        OrgCommand::Assume { .. } => OrgQuestion::Assume,
    };
    let options = AuditOptions {
        as_of: source.as_of.clone(),
        ..AuditOptions::default()
    };
    // refused before anything is written: a JSON document is never left open
    Organization::check(&question, &options)?;
    let org = Organization::open(&source.org)?;
    let ids = org.account_ids(None);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let progress = std::io::stderr().is_terminal();
    let mut w = Writer::new(&org, source.format, out)?;
    let (mut done, mut failing) = (0, false);
    org.run(&question, &options, &ids, threads, |r| {
        if let Some(a) = &r.audit {
            failing |= fail_on.is_some_and(|min| Audit::fails_at(&a.summary, min));
        }
        w.account(&r)?;
        done += 1;
        if progress {
            eprint!("\r{done}/{} accounts", ids.len());
        }
        Ok(())
    })?;
    if progress {
        eprintln!();
    }
    w.finish()?;
    Ok(if w.failed > 0 {
        ExitCode::from(3)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The context pairs as query context (a repeated key is a list).
fn add_context(q: &mut AccountQuery, pairs: &[String]) -> Result<(), Error> {
    for (k, values) in crate::account::context_pairs(pairs)? {
        let multi = values.len() > 1;
        let values = values
            .iter()
            .map(String::as_str)
            .map(ContextValue::from_text)
            .collect();
        q.context.push((k.as_str().into(), values, multi));
    }
    Ok(())
}

/// Writes each account's answer in the chosen format and counts the accounts that failed.
struct Writer<'w, W: Write> {
    out: &'w mut W,
    format: OrgFormat,
    first: bool,
    failed: usize,
}

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorCode::Io, format!("cannot write the answer: {e}"))
}

/// `x` as JSON text (written straight from the typed value, no tree in between).
fn to_text(x: &impl Serialize) -> String {
    serde_json::to_string(x).unwrap_or_else(|_| "{}".into())
}

/// `row` (a JSON object's text) with `"accountId": account` as its first member.
fn with_account(account: &str, row: &str) -> String {
    let id = serde_json::to_string(account).unwrap_or_default();
    match row.strip_prefix('{') {
        Some("}") | None => format!("{{\"accountId\":{id}}}"),
        Some(rest) => format!("{{\"accountId\":{id},{rest}"),
    }
}

impl<'w, W: Write> Writer<'w, W> {
    fn new(org: &Organization, format: OrgFormat, out: &'w mut W) -> Result<Writer<'w, W>, Error> {
        let s = org.summary();
        match format {
            OrgFormat::Json => write!(
                out,
                "{{\"organization\":{},\"accounts\":[",
                serde_json::to_string(&s).unwrap_or_default()
            ),
            OrgFormat::Jsonl => Ok(()),
            OrgFormat::Text => writeln!(
                out,
                "organization {} (management account {}): {} accounts, SCPs {}, RCPs {}",
                s.organization_id,
                s.management_account.as_deref().unwrap_or("?"),
                s.accounts,
                on_off(s.scps_enabled),
                on_off(s.rcps_enabled)
            ),
        }
        .map_err(io)?;
        Ok(Writer {
            out,
            format,
            first: true,
            failed: 0,
        })
    }

    fn account(&mut self, r: &AccountResult) -> Result<(), Error> {
        if r.error.is_some() {
            self.failed += 1;
        }
        match self.format {
            OrgFormat::Json => {
                let sep = if self.first { "" } else { "," };
                self.first = false;
                let text = serde_json::to_string(r).map_err(|e| {
                    Error::new(ErrorCode::Internal, format!("cannot write the answer: {e}"))
                })?;
                write!(self.out, "{sep}{text}").map_err(io)
            }
            OrgFormat::Jsonl => {
                for row in rows(r) {
                    writeln!(self.out, "{}", with_account(&r.account_id, &row)).map_err(io)?;
                }
                Ok(())
            }
            OrgFormat::Text => {
                let text = text(r);
                self.out.write_all(text.as_bytes()).map_err(io)
            }
        }
    }

    fn finish(&mut self) -> Result<(), Error> {
        match self.format {
            OrgFormat::Json => writeln!(self.out, "]}}").map_err(io)?,
            OrgFormat::Text if self.failed > 0 => {
                writeln!(self.out, "\n{} accounts could not be read", self.failed).map_err(io)?
            }
            _ => {}
        }
        self.out.flush().map_err(io)
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "enabled"
    } else {
        "disabled"
    }
}

/// One account's JSON-lines rows (without the account id): its summary; each finding; each
/// principal allowed or undecided; each escalation; each role assumed.
fn rows(r: &AccountResult) -> Vec<String> {
    if let Some(e) = &r.error {
        return vec![json!({ "error": e }).to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    if let Some(s) = &r.summary {
        out.push(to_text(s));
    }
    if let Some(a) = &r.audit {
        out.extend(a.findings.iter().map(to_text));
    }
    if let Some(w) = &r.who_can {
        out.extend(w.allowed.iter().map(to_text));
        out.extend(
            w.undecided
                .iter()
                .map(|u| json!({"principal": u, "undecided": true}).to_string()),
        );
    }
    if let Some(x) = &r.escalations {
        out.extend(x.escalations.iter().map(to_text));
    }
    if let Some(a) = &r.assume {
        out.extend(a.iter().map(to_text));
    }
    out
}

/// One account's text.
fn text(r: &AccountResult) -> String {
    let id = &r.account_id;
    if let Some(e) = &r.error {
        return format!("\naccount {id}: error {e}\n");
    }
    let mut t = String::new();
    if let Some(s) = &r.summary {
        let counts = s
            .summary
            .as_ref()
            .map_or("no authorization details".to_string(), |x| {
                format!(
                    "{} users, {} roles, {} groups, {} administrators",
                    x.users,
                    x.roles,
                    x.groups,
                    x.administrators.len()
                )
            });
        let scps: Vec<String> = s.scps.iter().map(|l| l.join("+")).collect();
        t += &format!(
            "\naccount {id}{} in {}{}\n  {counts}\n  SCPs by level: {}\n",
            s.name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            s.path,
            if s.management {
                ", the management account"
            } else {
                ""
            },
            if scps.is_empty() {
                "none".to_string()
            } else {
                scps.join(" / ")
            }
        );
        if !s.missing_inputs.is_empty() {
            t += &format!("  missing: {}\n", s.missing_inputs.join(", "));
        }
    }
    if let Some(a) = &r.audit {
        t += &format!(
            "\naccount {id}: {} failed, {} passed, {} not evaluated\n",
            a.summary.fail, a.summary.pass, a.summary.not_evaluated
        );
        let mut failed: Vec<&Finding> = a
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .collect();
        failed.sort_by_key(|f| f.severity);
        for f in failed {
            t += &format!(
                "  {:<8} {:<28} {}\n",
                f.severity.as_str(),
                f.check_id,
                f.reason
            );
        }
    }
    if let Some(w) = &r.who_can {
        for e in &w.allowed {
            t += &format!("{id} {}\n", e.principal);
        }
        for u in &w.undecided {
            t += &format!("{id} {u} (undecided: a policy document is unknown)\n");
        }
    }
    if let Some(x) = &r.escalations {
        for e in &x.escalations {
            let hops: Vec<String> = e
                .hops
                .iter()
                .map(|h| format!("{} ({}) -> {}", h.technique_name, h.technique, h.target))
                .collect();
            t += &format!("{id} {}: {}\n", e.principal, hops.join(", "));
        }
    }
    if let Some(a) = &r.assume {
        for r in a {
            t += &format!(
                "{} can assume {} (account {})\n",
                r.principal, r.role, r.to_account
            );
        }
    }
    t
}
