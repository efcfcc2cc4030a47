//! Opening an organization folder and the calls on it.

use serde::Deserialize;

use super::{Context, Policies};
use crate::account::AccountQuery;
use crate::audit::AuditOptions;
use crate::error::{Error, ErrorCode, Result};
use crate::org::{Member, OrgAnswer, OrgQuestion, Organization};

/// What opens an organization: the folder `scripts/collect-org.sh` fills (`organization/` with
/// the AWS Organizations outputs, `accounts/<id>/` in the layout `iamkit audit DIR` reads).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgOpenInput {
    /// The organization folder's path.
    pub path: String,
}

/// Which accounts to answer and on how many threads.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgAccountsInput {
    /// Only these accounts (ids), in this order; default: every listed account, then every
    /// folder the organization does not list.
    #[serde(default)]
    pub accounts: Option<Vec<String>>,
    /// How many threads answer accounts side by side; default: one per core.
    #[serde(default)]
    pub threads: Option<usize>,
    /// The instant ages and time keys are judged at (RFC 3339); default: each account's
    /// credential report time, else now.
    #[serde(default)]
    pub as_of: Option<String>,
}

/// The input of the organization's `audit`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgAuditInput {
    /// Only these accounts (ids), in this order; default: all.
    #[serde(default)]
    pub accounts: Option<Vec<String>>,
    /// How many threads answer accounts side by side; default: one per core.
    #[serde(default)]
    pub threads: Option<usize>,
    /// The audit's thresholds and instant (as the account audit takes them).
    #[serde(default)]
    pub options: AuditOptions,
}

/// The input of the organization's `whoCan`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgWhoCanInput<'a> {
    /// `service:Action`.
    pub action: String,
    /// An ARN or `*`; a text holding `*` or `?` is a pattern. An STS action on a role of another
    /// account of the organization is decided with that role's trust policy and RCPs.
    pub resource: String,
    /// The resource's account, when its ARN names none (an S3 object): required for a single
    /// such resource, whose owner cannot be guessed over an organization.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// The resource is one resource even when it holds `*` or `?`, not a pattern.
    #[serde(default)]
    pub literal_resource: bool,
    /// Condition keys and values (they override the organization keys iamkit fills in).
    #[serde(default)]
    pub context: Context,
    /// Policies that do not live in the accounts: `resource`, `session`, `vpcEndpoint`, and SCP
    /// or RCP levels added below each account's own.
    #[serde(default, borrow)]
    pub policies: Policies<'a>,
    /// Only these accounts (ids), in this order; default: all.
    #[serde(default)]
    pub accounts: Option<Vec<String>>,
    /// How many threads answer accounts side by side; default: one per core.
    #[serde(default)]
    pub threads: Option<usize>,
}

pub(super) fn open(i: OrgOpenInput) -> Result<Organization> {
    Organization::open(&i.path)
}

/// The threads to use: asked, else one per core.
fn threads(asked: Option<usize>) -> Result<usize> {
    match asked {
        Some(0) => Err(Error::new(
            ErrorCode::InvalidArgument,
            "threads must be at least 1",
        )),
        Some(n) => Ok(n.min(256)),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn ask(
    org: &Organization,
    question: OrgQuestion,
    options: AuditOptions,
    accounts: Option<Vec<String>>,
    asked: Option<usize>,
) -> Result<OrgAnswer> {
    org.ask(&question, &options, accounts.as_deref(), threads(asked)?)
}

fn with_as_of(as_of: Option<String>) -> AuditOptions {
    AuditOptions {
        as_of,
        ..AuditOptions::default()
    }
}

pub(super) fn members(org: &Organization, _: super::NoInput, _: &str) -> Result<Vec<Member>> {
    Ok(org.members().to_vec())
}

pub(super) fn summary(org: &Organization, i: OrgAccountsInput, _: &str) -> Result<OrgAnswer> {
    ask(
        org,
        OrgQuestion::Summary,
        with_as_of(i.as_of),
        i.accounts,
        i.threads,
    )
}

pub(super) fn audit(org: &Organization, i: OrgAuditInput, _: &str) -> Result<OrgAnswer> {
    ask(org, OrgQuestion::Audit, i.options, i.accounts, i.threads)
}

pub(super) fn who_can(org: &Organization, i: OrgWhoCanInput<'_>, text: &str) -> Result<OrgAnswer> {
    let q = AccountQuery {
        action: i.action,
        resource: i.resource,
        resource_account: i.resource_account,
        literal_resource: i.literal_resource,
        context: i.context.typed("$.context")?,
        policies: i.policies.compile(Some(text), "$.policies")?,
    };
    crate::account::Account::check_extras(&q)?;
    ask(
        org,
        OrgQuestion::WhoCan(Box::new(q)),
        AuditOptions::default(),
        i.accounts,
        i.threads,
    )
}

pub(super) fn escalations(org: &Organization, i: OrgAccountsInput, _: &str) -> Result<OrgAnswer> {
    ask(
        org,
        OrgQuestion::Escalations,
        with_as_of(i.as_of),
        i.accounts,
        i.threads,
    )
}

pub(super) fn assume(org: &Organization, i: OrgAccountsInput, _: &str) -> Result<OrgAnswer> {
    ask(
        org,
        OrgQuestion::Assume,
        with_as_of(i.as_of),
        i.accounts,
        i.threads,
    )
}
