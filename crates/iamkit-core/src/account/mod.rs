//! The entity model: one AWS account (users, groups, roles, managed policies, instance profiles)
//! loaded from `aws iam get-account-authorization-details` output, immutable once built, and the
//! queries that evaluate it: [`Account::evaluate`], [`Account::who_can`],
//! [`Account::who_can_assume`], [`Account::effective_permissions`] and administrator detection.
//!
//! Every policy is validated and compiled once, when the account is loaded; queries never parse
//! JSON. An `Account` is `Send + Sync` and may be shared across threads.

mod admin;
mod escalation;
mod load;
mod permissions;
mod placement;
mod query;
pub(crate) mod sample;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::eval::compile::CompiledPolicy;
use crate::eval::{ContextValue, PolicySet};

pub use escalation::{
    techniques, Certainty, Escalation, EscalationGraph, EscalationOptions, Escalations, Hop,
    HopRequest, Inventory, InventoryResource, Technique,
};
pub use load::LoadOptions;
pub use permissions::{EffectivePermissions, PermissionEntry, ServicePermissions};
pub use placement::Placement;
pub(crate) use placement::{add_org_keys, OrgKeys};
pub use query::{
    AccountEvaluation, AccountQuery, AssumeEntry, PrincipalInfo, Summary, TrustedEntity, WhoCan,
    WhoCanAssume, WhoCanEntry,
};

/// A tag on a user or role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// An inline policy: its name and its compiled document.
#[derive(Debug, Clone)]
pub struct InlinePolicy {
    /// The policy name.
    pub name: String,
    /// The compiled document.
    pub(crate) policy: Arc<CompiledPolicy>,
}

/// What kind of principal an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PrincipalKind {
    /// An IAM user.
    User,
    /// An IAM role (evaluated as a session of the role).
    Role,
}

impl PrincipalKind {
    /// `user` or `role`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
        }
    }
}

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    /// The user name.
    pub name: String,
    /// The unique id (`AIDA...`).
    pub id: String,
    /// The ARN.
    pub arn: String,
    /// The path.
    pub path: String,
    /// When it was created, as written in the input.
    pub create_date: Option<String>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// The names of its groups.
    pub groups: Vec<String>,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// ARN of the permissions boundary.
    pub permissions_boundary: Option<String>,
    /// The user's row of the credential report (console password, MFA, access keys), when one
    /// was supplied.
    pub credentials: Option<crate::inputs::CredentialRow>,
}

/// An IAM group: its policies pass to its members.
#[derive(Debug, Clone)]
pub struct Group {
    /// The group name.
    pub name: String,
    /// The unique id.
    pub id: String,
    /// The ARN.
    pub arn: String,
    /// The path.
    pub path: String,
    /// When it was created, as written in the input.
    pub create_date: Option<String>,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
}

/// An instance profile: the link that lets EC2 instances use a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstanceProfile {
    /// The name.
    pub name: String,
    /// The ARN.
    pub arn: String,
    /// The unique id.
    pub id: String,
    /// The path.
    pub path: String,
}

/// When and where a role was last used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleLastUsed {
    /// The date, as written in the input.
    pub last_used_date: Option<String>,
    /// The region.
    pub region: Option<String>,
}

/// An IAM role.
#[derive(Debug, Clone)]
pub struct Role {
    /// The role name.
    pub name: String,
    /// The unique id (`AROA...`).
    pub id: String,
    /// The ARN.
    pub arn: String,
    /// The path.
    pub path: String,
    /// When it was created, as written in the input.
    pub create_date: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// The trust policy (who may assume the role).
    pub(crate) trust_policy: Option<Arc<CompiledPolicy>>,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// ARN of the permissions boundary.
    pub permissions_boundary: Option<String>,
    /// Instance profiles that hold the role.
    pub instance_profiles: Vec<InstanceProfile>,
    /// Last use.
    pub last_used: Option<RoleLastUsed>,
    /// The maximum session duration, in seconds.
    pub max_session_duration: Option<u64>,
}

/// A managed policy, customer or AWS managed.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// The ARN.
    pub arn: String,
    /// The name.
    pub name: String,
    /// The unique id (`ANPA...`), when listed.
    pub id: Option<String>,
    /// The path.
    pub path: String,
    /// Whether AWS manages it (`arn:aws:iam::aws:policy/...`).
    pub aws_managed: bool,
    /// The default version id.
    pub default_version: Option<String>,
    /// Every version id listed.
    pub versions: Vec<String>,
    /// The attachment count, when listed.
    pub attachment_count: Option<u64>,
    /// The default version's document, compiled; `None` when the policy is only referenced and
    /// its document was not supplied.
    pub(crate) policy: Option<Arc<CompiledPolicy>>,
}

crate::error::string_codes! {
    /// The stable code of a [`LoadIssue`].
    pub enum LoadIssueCode {
        /// The last page says more pages follow: entities on later pages are missing.
        Truncated = "truncated",
        /// An entity listed more than once with the same content (pages merged): one is kept.
        Duplicate = "duplicate",
        /// `IsDefaultVersion` and `DefaultVersionId` do not name one version.
        AmbiguousDefault = "ambiguousDefault",
        /// A managed policy used or listed without its document.
        MissingDocument = "missingDocument",
        /// A customer managed policy used but not listed.
        DanglingPolicy = "danglingPolicy",
        /// A user's group that the output does not list.
        DanglingGroup = "danglingGroup",
        /// A credential report row for a user the output does not list.
        ReportUserUnknown = "reportUserUnknown",
        /// A principal whose ARN is not the ARN of its own name and path.
        UnusableArn = "unusableArn",
        /// An entity listed more than once with different content: no copy is trusted, and
        /// the principals that depend on it are undecided.
        ConflictingDuplicate = "conflictingDuplicate",
        /// A policy document that cannot be read (invalid, or not a policy): it is treated as
        /// unknown, and the principals that use it are undecided.
        UnreadableDocument = "unreadableDocument",
    }
}

/// A problem found while loading that does not stop the load: a dangling reference, a truncated
/// page, a policy referenced without its document. Each names the entity and the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoadIssue {
    /// The stable code (`danglingGroup`, `danglingPolicy`, `missingDocument`, `truncated`,
    /// `duplicate`, ...).
    pub code: LoadIssueCode,
    /// For `unreadableDocument`: the stable code of the error that makes the document unreadable
    /// (`IAM_POLICY_EFFECT`, `IAM_POLICY_JSON`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::error::ErrorCode>,
    /// The entity (an ARN, or a name when the ARN is unknown).
    pub entity: String,
    /// The field, e.g. `GroupList`, `AttachedManagedPolicies`.
    pub field: String,
    /// A sentence.
    pub message: String,
}

/// One principal of the account, prepared for evaluation.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) kind: PrincipalKind,
    /// Index into `users` or `roles`.
    pub(crate) index: usize,
    pub(crate) arn: String,
    pub(crate) name: String,
    /// The identity policies and the boundary.
    pub(crate) set: PolicySet,
    /// A label per identity policy, in `set` order (`user alice inline Foo`, a policy ARN, ...).
    pub(crate) identity_labels: Vec<String>,
    /// The boundary's label.
    pub(crate) boundary_label: Option<String>,
    /// Attached policies whose documents are unknown: an Allow cannot be trusted.
    pub(crate) missing: Vec<String>,
    /// Context keys that follow from the principal (lowercase key, value).
    pub(crate) context: Vec<(String, ContextValue)>,
    /// The principal's account (from its ARN).
    pub(crate) account: Option<String>,
}

/// One AWS account: its entities, compiled policies and the issues found while loading. Read-only:
/// the fields are reached through accessors, so the prepared principals always match them.
#[derive(Debug, Clone)]
pub struct Account {
    pub(crate) id: Option<String>,
    pub(crate) partition: String,
    pub(crate) users: Vec<User>,
    pub(crate) groups: Vec<Group>,
    pub(crate) roles: Vec<Role>,
    pub(crate) policies: Vec<ManagedPolicy>,
    pub(crate) issues: Vec<LoadIssue>,
    /// Entities and documents that cannot be trusted (see [`LoadIssueCode::ConflictingDuplicate`]
    /// and [`LoadIssueCode::UnreadableDocument`]).
    pub(crate) untrusted: load::Untrusted,
    pub(crate) root_credentials: Option<crate::inputs::CredentialRow>,
    pub(crate) prepared: Vec<Prepared>,
    pub(crate) by_key: HashMap<String, Vec<usize>>,
    /// The account's place in its organization (see [`Account::with_placement`]).
    pub(crate) placement: Option<Arc<Placement>>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Account>();
};

impl Account {
    /// The 12-digit account id, when any ARN names it.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// Users, in input order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// Groups, in input order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Roles, in input order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Managed policies (listed, or only referenced), sorted by ARN.
    pub fn policies(&self) -> &[ManagedPolicy] {
        &self.policies
    }

    /// Problems found while loading that did not stop it.
    pub fn issues(&self) -> &[LoadIssue] {
        &self.issues
    }

    /// The root user's row of the credential report, when one was supplied.
    pub fn root_credentials(&self) -> Option<&crate::inputs::CredentialRow> {
        self.root_credentials.as_ref()
    }

    /// The ARN of the account's root user.
    pub fn root_arn(&self) -> Option<String> {
        self.id
            .as_ref()
            .map(|id| format!("arn:{}:iam::{id}:root", self.partition))
    }

    /// A managed policy by ARN.
    pub fn policy(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.policies.iter().find(|p| p.arn == arn)
    }

    /// A user by name.
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// A role by name.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// A group by name.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}

impl InlinePolicy {
    /// The policy document, as validated.
    pub fn document(&self) -> &crate::policy::Policy {
        &self.policy.source
    }
}

impl Role {
    /// The trust policy document, as validated.
    pub fn trust_policy_document(&self) -> Option<&crate::policy::Policy> {
        self.trust_policy.as_ref().map(|p| &p.source)
    }
}

impl ManagedPolicy {
    /// The default version's document, as validated; `None` when the policy is only referenced
    /// and its document was not supplied.
    pub fn document(&self) -> Option<&crate::policy::Policy> {
        self.policy.as_ref().map(|p| &p.source)
    }
}

#[cfg(test)]
mod tests {
    use super::LoadIssueCode;

    #[test]
    fn load_issue_codes_are_stable() {
        let all: Vec<&str> = LoadIssueCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            all.join(","),
            "truncated,duplicate,ambiguousDefault,missingDocument,danglingPolicy,danglingGroup,\
reportUserUnknown,unusableArn,conflictingDuplicate,unreadableDocument"
        );
        for code in LoadIssueCode::ALL {
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
