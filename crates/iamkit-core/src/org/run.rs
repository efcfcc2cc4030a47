//! Running one question over every account of an organization: accounts read a batch at a time
//! on every core, each answered (or its error kept) and handed out in account-id order, so that
//! memory holds the accounts in flight and the organization's index, never the organization.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use super::{CrossAccountAssume, CrossIndex, OrgAccountSummary, OrgSummary, Organization};
use crate::account::{AccountQuery, EscalationOptions, Escalations, WhoCan};
use crate::audit::{Audit, AuditOptions, AuditSummary, Finding};
use crate::error::{Error, ErrorCode, Result};
use crate::inputs::Instant;

/// The question asked of every account.
#[derive(Debug, Clone)]
pub enum OrgQuestion {
    /// Each account's summary line.
    Summary,
    /// Each account's audit, with the organization's checks.
    Audit,
    /// Who in each account can do the query's action on its resource.
    WhoCan(Box<AccountQuery>),
    /// Each account's privilege-escalation paths.
    Escalations,
    /// Who in each account can assume roles of other accounts.
    Assume,
}

/// One account's audit: its findings (the account's checks, then the organization's) and their
/// counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountAudit {
    /// The audit's instant.
    pub as_of: Instant,
    /// Counts.
    pub summary: AuditSummary,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// One account's answer (internal: [`AccountResult`] holds it in the field of its question).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // made and written one at a time
enum AccountAnswer {
    Summary(OrgAccountSummary),
    Audit(AccountAudit),
    WhoCan(WhoCan),
    Escalations(Escalations),
    Assume(Vec<CrossAccountAssume>),
}

/// One account's line of an organization answer: its id, and the answer to the question asked
/// (in the field named after it) or why there is none.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountResult {
    /// The account id.
    pub account_id: String,
    /// Why the account could not be answered (its folder or an SCP on its path cannot be read,
    /// or the organization does not list it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
    /// The answer of `summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<OrgAccountSummary>,
    /// The answer of `audit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<AccountAudit>,
    /// The answer of `whoCan`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who_can: Option<WhoCan>,
    /// The answer of `escalations`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalations: Option<Escalations>,
    /// The answer of `assume`: the roles of other accounts its principals can assume, by role
    /// then principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assume: Option<Vec<CrossAccountAssume>>,
}

/// An organization answer: the organization, then each account's line in id order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrgAnswer {
    /// The organization as a whole.
    pub organization: OrgSummary,
    /// Each account (listed ones, then folders the organization does not list).
    pub accounts: Vec<AccountResult>,
}

impl Organization {
    /// The accounts a question runs over: `only` (ids, each listed or a folder), else every
    /// listed account then every folder the organization does not list.
    /// Accounts that are not `ACTIVE` (suspended, closing) are left out unless their folder
    /// exists: `scripts/collect-org.sh` does not read them.
    pub fn account_ids(&self, only: Option<&[String]>) -> Vec<String> {
        match only {
            Some(ids) => ids.to_vec(),
            None => self
                .members
                .iter()
                .filter(|m| {
                    m.state
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"))
                        || self.dir.join("accounts").join(&m.id).is_dir()
                })
                .map(|m| m.id.clone())
                .chain(self.unlisted_folders())
                .collect(),
        }
    }

    /// Refuses, before any account is read, a question every account would refuse: an `asOf`
    /// that is not an instant, a who-can request of the wrong shape, a single resource whose
    /// owner cannot be told ([`Organization::run`] checks it first too).
    pub fn check(question: &OrgQuestion, options: &AuditOptions) -> Result<()> {
        if let Some(t) = &options.as_of {
            Instant::parse(t).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidArgument,
                    format!("asOf `{t}` is not an RFC 3339 timestamp with a zone"),
                )
            })?;
        }
        if let OrgQuestion::WhoCan(q) = question {
            crate::account::Account::check_extras(q)?;
            let b = crate::eval::Request::builder(
                "arn:aws:iam::000000000000:root",
                q.action.as_str(),
                q.resource.as_str(),
            );
            if q.literal_resource {
                b.literal_resource().build()?;
            } else {
                b.build()?;
            }
            Organization::resource_owner(q)?;
        }
        Ok(())
    }

    /// Asks `question` of each account of `ids` on `threads` threads (at least one), handing
    /// each answer to `emit` in the order of `ids`; `emit`'s error stops the run. Questions
    /// about roles of other accounts first read every account's trust policies (the
    /// organization-wide index).
    pub fn run(
        &self,
        question: &OrgQuestion,
        options: &AuditOptions,
        ids: &[String],
        threads: usize,
        mut emit: impl FnMut(AccountResult) -> Result<()>,
    ) -> Result<()> {
        Organization::check(question, options)?;
        if ids.is_empty() {
            return Ok(());
        }
        let threads = threads.clamp(1, 256);
        // only STS actions reach roles of other accounts
        let index = match question {
            OrgQuestion::WhoCan(q) if !q.action.to_ascii_lowercase().starts_with("sts:") => None,
            OrgQuestion::WhoCan(_) | OrgQuestion::Assume => Some(
                self.cross
                    .get_or_init(|| self.cross_index(options, threads)),
            ),
            _ => None,
        };
        let answer = |id: &str| -> AccountResult {
            let mut r = AccountResult {
                account_id: id.to_string(),
                ..AccountResult::default()
            };
            match self.answer(id, question, options, index) {
                Err(e) => r.error = Some(e),
                Ok(AccountAnswer::Summary(x)) => r.summary = Some(x),
                Ok(AccountAnswer::Audit(x)) => r.audit = Some(x),
                Ok(AccountAnswer::WhoCan(x)) => r.who_can = Some(x),
                Ok(AccountAnswer::Escalations(x)) => r.escalations = Some(x),
                Ok(AccountAnswer::Assume(x)) => r.assume = Some(x),
            }
            r
        };
        for batch in ids.chunks(threads * 2) {
            for r in parallel(batch, threads, |id| answer(id)) {
                emit(r)?;
            }
        }
        Ok(())
    }

    /// Asks `question` of the accounts `only` (default: all) and gathers the answers.
    pub fn ask(
        &self,
        question: &OrgQuestion,
        options: &AuditOptions,
        only: Option<&[String]>,
        threads: usize,
    ) -> Result<OrgAnswer> {
        let mut accounts = Vec::new();
        self.run(question, options, &self.account_ids(only), threads, |r| {
            accounts.push(r);
            Ok(())
        })?;
        Ok(OrgAnswer {
            organization: self.summary(),
            accounts,
        })
    }

    /// Every account's roles that other accounts may assume (accounts that cannot be read are
    /// left out: their own lines say why).
    fn cross_index(&self, options: &AuditOptions, threads: usize) -> CrossIndex {
        let every = self.account_ids(None);
        let mut roles = Vec::new();
        for batch in every.chunks(threads.max(1) * 2) {
            for found in parallel(batch, threads.max(1), |id| {
                self.load_account(id, options)
                    .map(|f| self.trusting_roles(id, &f))
                    .unwrap_or_default()
            }) {
                roles.extend(found);
            }
        }
        CrossIndex::new(roles)
    }

    /// One account's answer.
    fn answer(
        &self,
        id: &str,
        question: &OrgQuestion,
        options: &AuditOptions,
        index: Option<&CrossIndex>,
    ) -> Result<AccountAnswer> {
        let f = self.load_account(id, options)?;
        let account = || {
            f.data.account.as_ref().ok_or_else(|| {
                Error::new(
                    ErrorCode::OrgData,
                    format!(
                        "`{}`: the account's folder has no authorization details",
                        f.dir.display()
                    ),
                )
            })
        };
        Ok(match question {
            OrgQuestion::Summary => AccountAnswer::Summary(self.account_summary(id, &f)),
            OrgQuestion::Audit => {
                let run = Audit::new(f.data.inputs(), &f.data.options)?;
                let mut findings = Vec::new();
                run.for_each(|x| findings.push(x));
                findings.extend(self.org_findings(id, &f, run.as_of()));
                let mut summary = AuditSummary::default();
                findings.iter().for_each(|x| summary.add(x));
                AccountAnswer::Audit(AccountAudit {
                    as_of: run.as_of(),
                    summary,
                    findings,
                })
            }
            OrgQuestion::WhoCan(q) => {
                account()?;
                let catalog = crate::catalog::Catalog::embedded_if_built();
                match self.who_can(&f, q, index, catalog)? {
                    Some(w) => AccountAnswer::WhoCan(w),
                    None => {
                        return Err(account()
                            .err()
                            .unwrap_or_else(|| Error::new(ErrorCode::Internal, "no account")))
                    }
                }
            }
            OrgQuestion::Escalations => {
                let as_of = match &options.as_of {
                    Some(t) => Some(Instant::parse(t).ok_or_else(|| {
                        Error::new(
                            ErrorCode::InvalidArgument,
                            format!("asOf `{t}` is not an RFC 3339 timestamp with a zone"),
                        )
                    })?),
                    None => None,
                };
                let opts = EscalationOptions {
                    as_of,
                    threads: Some(1),
                    ..EscalationOptions::default()
                };
                AccountAnswer::Escalations(account()?.escalations(&opts, None)?)
            }
            OrgQuestion::Assume => {
                account()?;
                let empty = CrossIndex::default();
                AccountAnswer::Assume(self.cross_account_assume(id, &f, index.unwrap_or(&empty))?)
            }
        })
    }
}

/// `work` over `items` on up to `threads` threads, the answers in the order of `items`. A panic
/// in `work` is resumed on the caller's thread (the bindings catch it there).
fn parallel<T: Send>(items: &[String], threads: usize, work: impl Fn(&str) -> T + Sync) -> Vec<T> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(|i| work(i)).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(items.len()))
            .map(|_| {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let v = work(item);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(v);
                })
            })
            .collect();
        for w in workers {
            if let Err(p) = w.join() {
                std::panic::resume_unwind(p);
            }
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}
