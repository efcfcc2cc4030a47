//! Opening an account and the calls on it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Context, Document, Policies};
use crate::account::{
    Account, AccountEvaluation, AccountQuery, EffectivePermissions, EscalationOptions, Escalations,
    LoadOptions, PrincipalInfo, Summary, WhoCan, WhoCanAssume,
};
use crate::error::{Error, ErrorCode, Result};

/// What opens an account: `aws iam get-account-authorization-details` output, and what it
/// references but does not hold.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountOpenInput<'a> {
    /// The authorization details: one page, an array of pages, or a string holding the output's
    /// text (pages may follow one another). Policy documents in it may be objects, JSON text or
    /// URL-encoded text, as the API returns them.
    #[serde(borrow)]
    pub details: Document<'a>,
    /// Documents of managed policies the details reference but do not list (e.g. AWS managed
    /// policies): ARN to document.
    #[serde(default, borrow)]
    pub managed_policy_documents: BTreeMap<String, Document<'a>>,
    /// The credential report (CSV, or the `GetCredentialReport` envelope): each user's console
    /// password, MFA and access keys, joined on the ARN.
    #[serde(default, borrow)]
    pub credential_report: Option<Document<'a>>,
}

pub(super) fn open(input: AccountOpenInput<'_>) -> Result<Account> {
    let mut options = LoadOptions::default();
    for (arn, doc) in input.managed_policy_documents {
        options
            .managed_policy_documents
            .insert(arn, doc.text()?.into_owned());
    }
    if let Some(report) = input.credential_report {
        options.credential_report = Some(
            crate::inputs::CredentialReport::parse(&report.text()?)
                .map_err(|e| e.map_message(|m| format!("credentialReport: {m}")))?,
        );
    }
    Account::load(&input.details.text()?, &options)
}

/// The input of a call that takes nothing: `{}`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NoInput {}

/// A principal of the account: an ARN, `user/NAME`, `role/NAME`, or a name only one user or role
/// has.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PrincipalInput {
    /// The principal.
    pub principal: String,
}

/// The input of the account's `evaluate`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountEvaluateInput<'a> {
    /// The principal: an ARN, `user/NAME`, `role/NAME`, or a name only one user or role has.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// An ARN or `*`; a text holding `*` or `?` is a pattern: is the action allowed on some
    /// resource it covers?
    pub resource: String,
    /// The resource's account, when its ARN does not name it.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// The resource is one resource even when it holds `*` or `?`, not a pattern.
    #[serde(default)]
    pub literal_resource: bool,
    /// Condition keys and values; they override the keys filled in from the principal.
    #[serde(default)]
    pub context: Context,
    /// Policies that do not live in the account: `scps`, `rcps`, `resource`, `session`,
    /// `vpcEndpoint`.
    #[serde(default, borrow)]
    pub policies: Policies<'a>,
}

/// The input of `whoCan`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WhoCanInput<'a> {
    /// `service:Action`.
    pub action: String,
    /// An ARN or `*`; a text holding `*` or `?` is a pattern: is the action allowed on some
    /// resource it covers?
    pub resource: String,
    /// The resource's account, when its ARN does not name it.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// The resource is one resource even when it holds `*` or `?`, not a pattern.
    #[serde(default)]
    pub literal_resource: bool,
    /// Condition keys and values.
    #[serde(default)]
    pub context: Context,
    /// Policies that do not live in the account: `scps`, `rcps`, `resource`, `session`,
    /// `vpcEndpoint`.
    #[serde(default, borrow)]
    pub policies: Policies<'a>,
}

/// The input of `whoCanAssume`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleInput<'a> {
    /// The role: an ARN, `role/NAME` or its name.
    pub role: String,
    /// Condition keys and values (e.g. `aws:MultiFactorAuthPresent`).
    #[serde(default)]
    pub context: Context,
    /// Policies that do not live in the account: `scps`, `rcps`, `session`, `vpcEndpoint` (the
    /// role's trust policy is the resource policy).
    #[serde(default, borrow)]
    pub policies: Policies<'a>,
}

/// The input of `escalations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EscalationsInput<'a> {
    /// Only this principal's path: an ARN, `user/NAME`, `role/NAME` or a unique name.
    #[serde(default)]
    pub principal: Option<String>,
    /// Paths to this principal instead of to an administrator (an ARN, `user/NAME`, `role/NAME`
    /// or a unique name): who can obtain its permissions, by reach hops alone.
    #[serde(default)]
    pub to: Option<String>,
    /// The analysis instant (RFC 3339): time keys (`aws:CurrentTime`, `aws:TokenIssueTime`) are
    /// set to it. Default: now.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Condition keys and values every request of the analysis carries (e.g.
    /// `aws:MultiFactorAuthPresent`), overriding the analysis context.
    #[serde(default)]
    pub context: Context,
    /// Policies that do not live in the account: `scps`, `rcps`.
    #[serde(default, borrow)]
    pub policies: Policies<'a>,
    /// A resource inventory: the running resources that have roles. iamkit's document
    /// `{"complete": ["lambda"], "resources": [{"arn", "role" | "instanceProfile"}]}`, AWS
    /// responses as the SDKs return them (Lambda `ListFunctions`, EC2 `DescribeInstances`,
    /// CloudFormation `DescribeStacks`, CodeBuild `BatchGetProjects`), or an array of these.
    /// Techniques that take over an existing resource go through the resources listed (their
    /// actions decided on each), and only through those for the services listed in `complete`
    /// (every account, region and kind of resource of the service).
    #[serde(default)]
    pub resources: Option<serde_json::Value>,
}

/// The answer to `isAdministrator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Administrator {
    /// Whether the principal is allowed `*` on `*`.
    pub administrator: bool,
}

fn query(
    action: String,
    (resource, resource_account, literal_resource): (String, Option<String>, bool),
    context: Context,
    policies: &Policies<'_>,
    text: &str,
) -> Result<AccountQuery> {
    Ok(AccountQuery {
        action,
        resource,
        resource_account,
        literal_resource,
        context: context.typed("$.context")?,
        policies: policies.compile(Some(text), "$.policies")?,
    })
}

pub(super) fn summary(account: &Account, _: NoInput, _: &str) -> Result<Summary> {
    Ok(account.summary())
}

pub(super) fn principals(account: &Account, _: NoInput, _: &str) -> Result<Vec<PrincipalInfo>> {
    Ok(account.principals())
}

pub(super) fn principal(account: &Account, i: PrincipalInput, _: &str) -> Result<PrincipalInfo> {
    account.principal(&i.principal)
}

pub(super) fn evaluate(
    account: &Account,
    i: AccountEvaluateInput<'_>,
    text: &str,
) -> Result<AccountEvaluation> {
    let q = query(
        i.action,
        (i.resource, i.resource_account, i.literal_resource),
        i.context,
        &i.policies,
        text,
    )?;
    account.evaluate(&i.principal, &q)
}

pub(super) fn who_can(account: &Account, i: WhoCanInput<'_>, text: &str) -> Result<WhoCan> {
    let q = query(
        i.action,
        (i.resource, i.resource_account, i.literal_resource),
        i.context,
        &i.policies,
        text,
    )?;
    account.who_can(&q, crate::catalog::Catalog::embedded_if_built())
}

pub(super) fn who_can_assume(
    account: &Account,
    i: RoleInput<'_>,
    text: &str,
) -> Result<WhoCanAssume> {
    if i.policies.resource.is_some() {
        return Err(Error::new(
            ErrorCode::InputSchema,
            "`whoCanAssume` takes no `policies.resource`: the role's trust policy is the resource policy",
        ));
    }
    let q = query(
        String::new(),
        (String::new(), None, false),
        i.context,
        &i.policies,
        text,
    )?;
    account.who_can_assume(&i.role, &q)
}

pub(super) fn permissions(
    account: &Account,
    i: PrincipalInput,
    _: &str,
) -> Result<EffectivePermissions> {
    account.effective_permissions(&i.principal, crate::catalog::Catalog::embedded_if_built())
}

pub(super) fn is_administrator(
    account: &Account,
    i: PrincipalInput,
    _: &str,
) -> Result<Administrator> {
    Ok(Administrator {
        administrator: account.is_administrator(&i.principal)?,
    })
}

pub(super) fn escalations(
    account: &Account,
    i: EscalationsInput<'_>,
    text: &str,
) -> Result<Escalations> {
    let as_of = match &i.as_of {
        Some(t) => Some(crate::inputs::Instant::parse(t).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("asOf `{t}` is not an RFC 3339 timestamp with a zone"),
            )
        })?),
        None => None,
    };
    let query = query(
        String::new(),
        (String::new(), None, false),
        i.context,
        &i.policies,
        text,
    )?;
    let resources = match &i.resources {
        Some(v) => Some(crate::account::Inventory::from_value(v, "$.resources")?),
        None => None,
    };
    let options = EscalationOptions {
        as_of,
        query,
        to: i.to,
        resources,
        threads: None,
    };
    account.escalations(&options, i.principal.as_deref())
}
