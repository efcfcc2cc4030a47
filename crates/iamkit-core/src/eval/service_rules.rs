//! Rules AWS applies whatever the policies say: requests it always allows, and changes to
//! AWS-owned things it always refuses (AWS managed policies, `alias/aws/` KMS aliases,
//! service-linked roles and IAM Identity Center's roles). Each rule names its AWS source (also
//! in `tests/README.md`).
//!
//! They are checked before any policy: a rule's answer is final (an explicit Deny cannot take
//! `sts:GetCallerIdentity` away; no Allow, not even the root user's, lets an account change an
//! AWS managed policy). Matching a request to a rule compares its action's service with three
//! names (case-insensitively) and reads its resource's ARN only for the actions the lists name,
//! so a decision that no rule touches allocates nothing.

use crate::arn::Arn;

use super::request::Request;

/// A rule that decided a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServiceRule {
    /// Whether the rule allows (else it refuses).
    pub allows: bool,
    /// What the rule says, for the explanation (its source is in `tests/README.md`).
    pub reason: &'static str,
}

/// `sts:GetCallerIdentity`: STS API Reference, GetCallerIdentity ("No permissions are required to
/// perform this operation"; an explicit Deny does not block it).
const CALLER_IDENTITY: ServiceRule = ServiceRule {
    allows: true,
    reason: "AWS allows sts:GetCallerIdentity to every authenticated caller, whatever its policies say (STS API Reference, GetCallerIdentity)",
};

/// IAM User Guide, "AWS managed policies": AWS creates, versions and deletes them; accounts
/// attach them and can change nothing else.
const AWS_MANAGED_POLICY: ServiceRule = ServiceRule {
    allows: false,
    reason: "an AWS managed policy (arn:...:iam::aws:policy/...) cannot be created, versioned, deleted or tagged by an account, whatever its policies say (IAM User Guide, AWS managed policies)",
};

/// The IAM actions that would create, change or delete a managed policy, or its tags.
const POLICY_CHANGES: &[&str] = &[
    "CreatePolicy",
    "CreatePolicyVersion",
    "DeletePolicy",
    "DeletePolicyVersion",
    "SetDefaultPolicyVersion",
    "TagPolicy",
    "UntagPolicy",
];

/// KMS Developer Guide, "Aliases in AWS KMS": names that begin with `alias/aws/` are reserved
/// for AWS managed keys; an account cannot create, update or delete them.
const AWS_KMS_ALIAS: ServiceRule = ServiceRule {
    allows: false,
    reason: "a KMS alias under alias/aws/ belongs to an AWS managed key and cannot be created, updated or deleted by an account, whatever its policies say (KMS Developer Guide, Aliases)",
};

/// The KMS actions on an alias.
const ALIAS_CHANGES: &[&str] = &["CreateAlias", "UpdateAlias", "DeleteAlias"];

/// IAM User Guide, "Using service-linked roles" and the IAM API Reference: only the linked service
/// changes a service-linked role (path `/aws-service-role/`): its permissions policies, trust
/// policy and boundary cannot be changed, and it is deleted only through
/// `iam:DeleteServiceLinkedRole` (`UnmodifiableEntity` otherwise). Its description and tags can
/// be changed, and some services need it passed (`iam:PassRole`), so those follow the policies.
const SERVICE_LINKED_ROLE: ServiceRule = ServiceRule {
    allows: false,
    reason: "a service-linked role (path /aws-service-role/) is changed only by its service: no account principal can change its policies, trust policy or boundary, or delete it except through iam:DeleteServiceLinkedRole, whatever its policies say (IAM User Guide, Using service-linked roles)",
};

/// IAM Identity Center User Guide, "Troubleshooting": the roles it creates (path
/// `/aws-reserved/sso.amazonaws.com/`) are "only modifiable by AWS"; iamkit refuses on them the
/// same changes as on a service-linked role (AWS names no list).
const RESERVED_ROLE: ServiceRule = ServiceRule {
    allows: false,
    reason: "a role under /aws-reserved/ (IAM Identity Center's) is only modifiable by AWS: no account principal can change its policies, trust policy or boundary, or delete it, whatever its policies say (IAM Identity Center User Guide, Troubleshooting)",
};

/// The IAM actions that change a role's permissions, trust or boundary, or delete it.
const ROLE_CHANGES: &[&str] = &[
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "UpdateAssumeRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "DeleteRole",
];

/// Whether the resource part of an IAM ARN (`role/...`) is a role AWS protects from account
/// principals' changes: a service-linked role or a role under `/aws-reserved/`.
fn protected(resource: &str) -> Option<ServiceRule> {
    if resource.starts_with("role/aws-service-role/") {
        Some(SERVICE_LINKED_ROLE)
    } else if resource.starts_with("role/aws-reserved/") {
        Some(RESERVED_ROLE)
    } else {
        None
    }
}

/// Whether `arn` names a role whose policies, trust policy and boundary no account principal can
/// change (a service-linked role, or a role under `/aws-reserved/`).
pub(crate) fn protected_role(arn: &str) -> bool {
    Arn::parse(arn).is_some_and(|a| a.service == "iam" && protected(a.resource).is_some())
}

/// Whether `arn` is an AWS managed policy (`arn:PARTITION:iam::aws:policy/...`). It sits in an
/// account of AWS's (`aws:ResourceAccount` is `aws`), yet no resource-based policy governs it: a
/// caller reads or attaches one with its own permissions alone (IAM User Guide, AWS managed
/// policies).
pub(crate) fn aws_managed_policy(arn: &str) -> bool {
    Arn::parse(arn).is_some_and(|a| {
        a.service == "iam" && a.account == "aws" && a.resource.starts_with("policy/")
    })
}

/// Resource patterns whose membership decides everything the rules above and
/// [`super::request::resource_policy_required`] read from a resource: an AWS managed policy, a
/// protected role, a KMS alias under `alias/aws/`, a role (a trust request) and a KMS key (a key
/// request). Two resources in the same of these patterns get the same answer from both (a test
/// checks it); a request whose resource is a pattern is decided over them (see
/// `pattern_request`).
pub(crate) const RESOURCE_SHAPES: &[&str] = &[
    "arn:*:iam:*:aws:policy/*",
    "arn:*:iam:*:*:role/*",
    "arn:*:iam:*:*:role/aws-service-role/*",
    "arn:*:iam:*:*:role/aws-reserved/*",
    "arn:*:kms:*:*:key/*",
    "arn:*:kms:*:*:alias/aws/*",
];

/// Whether some rule names `action` (on some resource it could decide it).
pub(crate) fn names(action: &str) -> bool {
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    let named = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(name));
    (service.eq_ignore_ascii_case("sts") && name.eq_ignore_ascii_case("GetCallerIdentity"))
        || (service.eq_ignore_ascii_case("iam") && (named(POLICY_CHANGES) || named(ROLE_CHANGES)))
        || (service.eq_ignore_ascii_case("kms") && named(ALIAS_CHANGES))
}

/// The rule that decides `req`, if one does.
pub(crate) fn rule_for(req: &Request) -> Option<ServiceRule> {
    let (service, name) = req.action.split_once(':')?;
    let named = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(name));
    if service.eq_ignore_ascii_case("sts") {
        return (name.eq_ignore_ascii_case("GetCallerIdentity")
            && req.principal.kind.has_account())
        .then_some(CALLER_IDENTITY);
    }
    if service.eq_ignore_ascii_case("iam") {
        if named(POLICY_CHANGES) {
            return aws_managed_policy(&req.resource).then_some(AWS_MANAGED_POLICY);
        }
        if named(ROLE_CHANGES) {
            let arn = Arn::parse(&req.resource)?;
            return if arn.service == "iam" {
                protected(arn.resource)
            } else {
                None
            };
        }
        return None;
    }
    if service.eq_ignore_ascii_case("kms") {
        if !named(ALIAS_CHANGES) {
            return None;
        }
        let arn = Arn::parse(&req.resource)?;
        return (arn.service == "kms" && arn.resource.starts_with("alias/aws/"))
            .then_some(AWS_KMS_ALIAS);
    }
    None
}
