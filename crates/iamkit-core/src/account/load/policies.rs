//! Managed policies: those the output lists (with the default version's document), and those it
//! only references (known by ARN; documents maybe supplied in the options).

use std::collections::HashSet;
use std::sync::Arc;

use super::{entity_name, required, Loader};
use crate::account::{Group, LoadIssue, LoadIssueCode, ManagedPolicy, Role, User};
use crate::error::Result;
use crate::eval::compile::CompiledPolicy;
use crate::inputs::authorization_details::{RawPolicy, RawVersion};
use crate::policy::PolicyType;

/// The version a policy's listing names as its default: one marked `IsDefaultVersion`, or the one
/// `DefaultVersionId` names; `Err(())` when the two disagree or several are marked.
fn default_version<'v>(
    versions: &'v [RawVersion],
    default_id: &Option<String>,
) -> std::result::Result<Option<&'v RawVersion>, ()> {
    let marked: Vec<&RawVersion> = versions
        .iter()
        .filter(|v| v.is_default_version == Some(true))
        .collect();
    let by_id = versions
        .iter()
        .find(|v| v.version_id.is_some() && v.version_id == *default_id);
    match (marked.as_slice(), by_id, default_id) {
        ([one], _, None) => Ok(Some(*one)),
        ([one], Some(v), Some(_)) if std::ptr::eq(*one, v) => Ok(Some(*one)),
        ([], Some(v), _) => Ok(Some(v)),
        ([], None, _) => Ok(None),
        _ => Err(()),
    }
}

impl Loader<'_> {
    /// The managed policies the output lists, in input order.
    pub(super) fn managed_policies(&mut self, raw: Vec<RawPolicy>) -> Result<Vec<ManagedPolicy>> {
        let mut policies = Vec::new();
        for (i, p) in raw.into_iter().enumerate() {
            let entity = entity_name(&p.arn, &p.policy_name, "Policies", i);
            let arn = required(p.arn, &entity, "Arn")?;
            let versions = p.policy_version_list.into_vec();
            let policy = match default_version(&versions, &p.default_version_id) {
                Ok(default) => self.listed_document(&arn, default),
                Err(()) => {
                    self.issues.push(LoadIssue {
                        code: LoadIssueCode::AmbiguousDefault,
                        error: None,
                        entity: arn.clone(),
                        field: "PolicyVersionList".into(),
                        message: format!("{arn}: IsDefaultVersion and DefaultVersionId do not name one version: its document is treated as unknown"),
                    });
                    self.supplied_document(&arn)
                }
            };
            let name = p
                .policy_name
                .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or_default().to_string());
            policies.push(ManagedPolicy {
                aws_managed: arn.contains(":iam::aws:policy/"),
                name,
                id: p.policy_id,
                path: p.path.unwrap_or_else(|| "/".into()),
                default_version: p.default_version_id,
                versions: versions
                    .iter()
                    .filter_map(|v| v.version_id.clone())
                    .collect(),
                attachment_count: p.attachment_count,
                policy,
                arn,
            });
        }
        Ok(policies)
    }

    /// A listed policy's document: the default version's, else one supplied in the options; a
    /// policy with neither is reported.
    fn listed_document(
        &mut self,
        arn: &str,
        default: Option<&RawVersion>,
    ) -> Option<Arc<CompiledPolicy>> {
        if let Some(doc) = default.and_then(|v| v.document.as_ref()) {
            return self.document(
                doc,
                PolicyType::Identity,
                arn,
                "PolicyVersionList[default].Document",
            );
        }
        let supplied = self.supplied_document(arn);
        if supplied.is_none() {
            self.issues.push(LoadIssue {
                code: LoadIssueCode::MissingDocument,
                error: None,
                entity: arn.to_string(),
                field: "PolicyVersionList".into(),
                message: format!("{arn} is listed without its default version's document: an Allow for a principal that uses it is not trusted"),
            });
        }
        supplied
    }

    /// Adds the policies users, groups and roles reference (attached, or as a boundary) that the
    /// output does not list: known by ARN, with a document when the options supply one. One
    /// without is reported (`missingDocument` for AWS managed policies, `danglingPolicy` for
    /// customer ones).
    pub(super) fn referenced_policies(
        &mut self,
        users: &[User],
        groups: &[Group],
        roles: &[Role],
        policies: &mut Vec<ManagedPolicy>,
    ) {
        let mut known: HashSet<String> = policies.iter().map(|p| p.arn.clone()).collect();
        for (entity, arn, field) in references(users, groups, roles) {
            if !known.insert(arn.clone()) {
                continue;
            }
            let aws_managed = arn.contains(":iam::aws:policy/");
            let policy = self.supplied_document(&arn);
            if policy.is_none() {
                self.issues.push(LoadIssue {
                    error: None,
                    code: if aws_managed {
                        LoadIssueCode::MissingDocument
                    } else {
                        LoadIssueCode::DanglingPolicy
                    },
                    entity: entity.clone(),
                    field: field.into(),
                    message: if aws_managed {
                        format!("{entity} uses {arn}, whose document is not in the output: supply it (for example from the managed-policy corpus); until then an Allow for this principal is not trusted")
                    } else {
                        format!("{entity} uses {arn}, which the output does not list: an Allow for this principal is not trusted")
                    },
                });
            }
            policies.push(ManagedPolicy {
                name: arn.rsplit('/').next().unwrap_or_default().to_string(),
                id: None,
                path: "/".into(),
                aws_managed,
                default_version: None,
                versions: Vec::new(),
                attachment_count: None,
                policy,
                arn,
            });
        }
    }
}

/// Every policy reference, as (entity ARN, policy ARN, field): users' attachments and boundaries,
/// groups' attachments, roles' attachments and boundaries.
fn references(
    users: &[User],
    groups: &[Group],
    roles: &[Role],
) -> Vec<(String, String, &'static str)> {
    users
        .iter()
        .flat_map(|u| {
            u.attached_policies
                .iter()
                .map(|a| (u.arn.clone(), a.clone(), "AttachedManagedPolicies"))
                .chain(
                    u.permissions_boundary
                        .iter()
                        .map(|a| (u.arn.clone(), a.clone(), "PermissionsBoundary")),
                )
        })
        .chain(groups.iter().flat_map(|g| {
            g.attached_policies
                .iter()
                .map(|a| (g.arn.clone(), a.clone(), "AttachedManagedPolicies"))
        }))
        .chain(roles.iter().flat_map(|r| {
            r.attached_policies
                .iter()
                .map(|a| (r.arn.clone(), a.clone(), "AttachedManagedPolicies"))
                .chain(
                    r.permissions_boundary
                        .iter()
                        .map(|a| (r.arn.clone(), a.clone(), "PermissionsBoundary")),
                )
        }))
        .collect()
}
