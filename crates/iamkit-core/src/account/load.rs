//! Building the account model from `aws iam get-account-authorization-details` output (read by
//! [`crate::inputs`]: one page, several pages concatenated or in a JSON array, policy documents as
//! objects, JSON text or URL-encoded text).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

use super::{
    Account, Group, InlinePolicy, InstanceProfile, LoadIssue, LoadIssueCode, ManagedPolicy,
    Prepared, PrincipalKind, Role, RoleLastUsed, Tag, User,
};
use crate::arn::Arn;
use crate::error::{Error, ErrorCode, Location, Result};
use crate::eval::compile::CompiledPolicy;
use crate::eval::{compile_text, ContextValue, PolicySet, Principal, PrincipalType};
use crate::inputs::authorization_details::{
    date_text, document_text, pages, OneOrMany, RawAttached, RawBoundary, RawInline, RawTag,
    RawVersion,
};
use crate::policy::PolicyType;

/// Extra input for [`Account::load`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Documents of managed policies the output references but does not list (for example AWS
    /// managed policies, from the managed-policy corpus): ARN to JSON text.
    pub managed_policy_documents: BTreeMap<String, String>,
    /// The credential report: each user's console password, MFA and access keys (joined on the
    /// ARN), and the root user's.
    pub credential_report: Option<crate::inputs::CredentialReport>,
}

fn data_error(entity: &str, field: &str, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::AccountData, format!("{entity}: {field}: {why}"))
}

fn compile_doc(
    v: &Value,
    ty: PolicyType,
    entity: &str,
    field: &str,
) -> Result<Arc<CompiledPolicy>> {
    let text = document_text(v).map_err(|why| data_error(entity, field, why))?;
    compile_text(&text, ty, "$").map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at {}", l.json_path))
            .unwrap_or_default();
        Error::new(e.code(), format!("{entity}: {field}: {}{at}", e.message()))
            .at(Location::path(field))
    })
}

fn required(v: Option<String>, entity: &str, field: &str) -> Result<String> {
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| data_error(entity, field, "is missing"))
}

fn inline(list: OneOrMany<RawInline>, entity: &str, field: &str) -> Result<Vec<InlinePolicy>> {
    list.into_vec()
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let name = p.policy_name.unwrap_or_else(|| format!("#{i}"));
            let here = format!("{field}[{name}].PolicyDocument");
            let doc = p
                .policy_document
                .ok_or_else(|| data_error(entity, &here, "is missing"))?;
            Ok(InlinePolicy {
                name,
                policy: compile_doc(&doc, PolicyType::Identity, entity, &here)?,
            })
        })
        .collect()
}

/// What an attachment without an ARN is called: it never resolves, so it is reported as a
/// dangling reference and holds the principal's Allows back (fail closed).
const UNNAMED_POLICY: &str = "(an attached policy without PolicyArn)";
const UNNAMED_BOUNDARY: &str = "(a permissions boundary without PermissionsBoundaryArn)";

fn attached(list: OneOrMany<RawAttached>) -> Vec<String> {
    list.into_vec()
        .into_iter()
        .map(|a| a.policy_arn.unwrap_or_else(|| UNNAMED_POLICY.to_string()))
        .collect()
}

fn boundary_arn(b: Option<RawBoundary>) -> Option<String> {
    b.map(|b| {
        b.permissions_boundary_arn
            .unwrap_or_else(|| UNNAMED_BOUNDARY.to_string())
    })
}

fn tags(list: OneOrMany<RawTag>) -> Vec<Tag> {
    list.into_vec()
        .into_iter()
        .map(|t| Tag {
            key: t.key,
            value: t.value,
        })
        .collect()
}

impl Account {
    /// Loads authorization details (JSON text; see the module docs for the accepted shapes).
    pub fn from_json_str(text: &str) -> Result<Account> {
        Account::load(text, &LoadOptions::default())
    }

    /// Loads authorization details with extra input (documents of referenced managed policies).
    pub fn load(text: &str, options: &LoadOptions) -> Result<Account> {
        let mut issues = Vec::new();
        let pages = pages(text)?;
        let (mut raw_users, mut raw_groups, mut raw_roles, mut raw_policies) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let last = pages.len().saturating_sub(1);
        for (i, p) in pages.into_iter().enumerate() {
            if i == last && p.is_truncated == Some(true) {
                issues.push(LoadIssue {
                    code: LoadIssueCode::Truncated,
                    entity: "output".into(),
                    field: "IsTruncated".into(),
                    message: format!(
                        "the last page says more follow (Marker {}): entities on later pages are missing",
                        p.marker.as_deref().unwrap_or("?")
                    ),
                });
            }
            raw_users.extend(p.user_detail_list);
            raw_groups.extend(p.group_detail_list);
            raw_roles.extend(p.role_detail_list);
            raw_policies.extend(p.policies);
        }

        let mut seen = std::collections::HashSet::new();
        let mut duplicate = |arn: &str, issues: &mut Vec<LoadIssue>| {
            let fresh = seen.insert(arn.to_string());
            if !fresh {
                issues.push(LoadIssue {
                    code: LoadIssueCode::Duplicate,
                    entity: arn.to_string(),
                    field: "Arn".into(),
                    message: format!(
                        "{arn} is listed more than once (pages merged); the first is kept"
                    ),
                });
            }
            fresh
        };

        // managed policies
        let mut policies: Vec<ManagedPolicy> = Vec::new();
        for (i, p) in raw_policies.into_iter().enumerate() {
            let entity = p
                .arn
                .clone()
                .or(p.policy_name.clone())
                .unwrap_or(format!("Policies[{i}]"));
            let arn = required(p.arn, &entity, "Arn")?;
            if !duplicate(&arn, &mut issues) {
                continue;
            }
            let versions = p.policy_version_list.into_vec();
            let marked: Vec<&RawVersion> = versions
                .iter()
                .filter(|v| v.is_default_version == Some(true))
                .collect();
            let by_id = versions
                .iter()
                .find(|v| v.version_id.is_some() && v.version_id == p.default_version_id);
            let mut ambiguous = false;
            let default = match (marked.as_slice(), by_id, &p.default_version_id) {
                ([one], _, None) => Some(*one),
                ([one], Some(v), Some(_)) if std::ptr::eq(*one, v) => Some(*one),
                ([], Some(v), _) => Some(v),
                ([], None, _) => None,
                _ => {
                    ambiguous = true;
                    issues.push(LoadIssue {
                        code: LoadIssueCode::AmbiguousDefault,
                        entity: arn.clone(),
                        field: "PolicyVersionList".into(),
                        message: format!("{arn}: IsDefaultVersion and DefaultVersionId do not name one version: its document is treated as unknown"),
                    });
                    None
                }
            };
            let policy = match default.and_then(|v| v.document.as_ref()) {
                Some(doc) => Some(compile_doc(
                    doc,
                    PolicyType::Identity,
                    &arn,
                    "PolicyVersionList[default].Document",
                )?),
                None => match options.managed_policy_documents.get(&arn) {
                    Some(text) => {
                        Some(compile_text(text, PolicyType::Identity, "$").map_err(|e| {
                            Error::new(
                                e.code(),
                                format!("{arn}: supplied document: {}", e.message()),
                            )
                        })?)
                    }
                    None if ambiguous => None,
                    None => {
                        issues.push(LoadIssue {
                            code: LoadIssueCode::MissingDocument,
                            entity: arn.clone(),
                            field: "PolicyVersionList".into(),
                            message: format!("{arn} is listed without its default version's document: an Allow for a principal that uses it is not trusted"),
                        });
                        None
                    }
                },
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

        // groups
        let mut groups = Vec::new();
        for (i, g) in raw_groups.into_iter().enumerate() {
            let entity = g
                .arn
                .clone()
                .or(g.group_name.clone())
                .unwrap_or(format!("GroupDetailList[{i}]"));
            let arn = required(g.arn, &entity, "Arn")?;
            if !duplicate(&arn, &mut issues) {
                continue;
            }
            groups.push(Group {
                name: required(g.group_name, &entity, "GroupName")?,
                id: g.group_id.unwrap_or_default(),
                path: g.path.unwrap_or_else(|| "/".into()),
                create_date: date_text(g.create_date),
                inline_policies: inline(g.group_policy_list, &arn, "GroupPolicyList")?,
                attached_policies: attached(g.attached_managed_policies),
                arn,
            });
        }

        // users
        let mut users = Vec::new();
        for (i, u) in raw_users.into_iter().enumerate() {
            let entity = u
                .arn
                .clone()
                .or(u.user_name.clone())
                .unwrap_or(format!("UserDetailList[{i}]"));
            let arn = required(u.arn, &entity, "Arn")?;
            if !duplicate(&arn, &mut issues) {
                continue;
            }
            users.push(User {
                name: required(u.user_name, &entity, "UserName")?,
                id: u.user_id.unwrap_or_default(),
                path: u.path.unwrap_or_else(|| "/".into()),
                create_date: date_text(u.create_date),
                tags: tags(u.tags),
                groups: u.group_list.into_vec(),
                inline_policies: inline(u.user_policy_list, &arn, "UserPolicyList")?,
                attached_policies: attached(u.attached_managed_policies),
                permissions_boundary: boundary_arn(u.permissions_boundary),
                credentials: None,
                arn,
            });
        }

        // roles
        let mut roles = Vec::new();
        for (i, r) in raw_roles.into_iter().enumerate() {
            let entity = r
                .arn
                .clone()
                .or(r.role_name.clone())
                .unwrap_or(format!("RoleDetailList[{i}]"));
            let arn = required(r.arn, &entity, "Arn")?;
            if !duplicate(&arn, &mut issues) {
                continue;
            }
            let trust_policy = match &r.assume_role_policy_document {
                Some(doc) => Some(compile_doc(
                    doc,
                    PolicyType::Trust,
                    &arn,
                    "AssumeRolePolicyDocument",
                )?),
                None => None,
            };
            roles.push(Role {
                name: required(r.role_name, &entity, "RoleName")?,
                id: r.role_id.unwrap_or_default(),
                path: r.path.unwrap_or_else(|| "/".into()),
                create_date: date_text(r.create_date),
                description: r.description,
                tags: tags(r.tags),
                trust_policy,
                inline_policies: inline(r.role_policy_list, &arn, "RolePolicyList")?,
                attached_policies: attached(r.attached_managed_policies),
                permissions_boundary: boundary_arn(r.permissions_boundary),
                instance_profiles: r
                    .instance_profile_list
                    .into_vec()
                    .into_iter()
                    .map(|p| InstanceProfile {
                        name: p.instance_profile_name.unwrap_or_default(),
                        arn: p.arn.unwrap_or_default(),
                        id: p.instance_profile_id.unwrap_or_default(),
                        path: p.path.unwrap_or_else(|| "/".into()),
                    })
                    .collect(),
                last_used: r.role_last_used.and_then(|l| {
                    let date = date_text(l.last_used_date);
                    (date.is_some() || l.region.is_some()).then_some(RoleLastUsed {
                        last_used_date: date,
                        region: l.region,
                    })
                }),
                max_session_duration: r.max_session_duration,
                arn,
            });
        }

        // the account: the first customer ARN that names one
        let arns = users
            .iter()
            .map(|u| &u.arn)
            .chain(roles.iter().map(|r| &r.arn))
            .chain(groups.iter().map(|g| &g.arn))
            .chain(policies.iter().filter(|p| !p.aws_managed).map(|p| &p.arn));
        let mut id = None;
        let mut partition = "aws".to_string();
        for a in arns {
            if let Some(parsed) = Arn::parse(a) {
                if parsed.account.len() == 12 && parsed.account.bytes().all(|b| b.is_ascii_digit())
                {
                    id = Some(parsed.account.to_string());
                    partition = parsed.partition.to_string();
                    break;
                }
            }
        }

        // referenced policies that are not listed: known by ARN, documents maybe supplied
        let referenced: Vec<(String, String, &'static str)> = users
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
            .collect();
        for (entity, arn, field) in referenced {
            if policies.iter().any(|p| p.arn == arn) {
                continue;
            }
            let aws_managed = arn.contains(":iam::aws:policy/");
            let policy = match options.managed_policy_documents.get(&arn) {
                Some(text) => Some(compile_text(text, PolicyType::Identity, "$").map_err(|e| {
                    Error::new(
                        e.code(),
                        format!("{arn}: supplied document: {}", e.message()),
                    )
                })?),
                None => None,
            };
            if policy.is_none() {
                issues.push(LoadIssue {
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
        policies.sort_by(|a, b| a.arn.cmp(&b.arn));

        // users' groups must exist
        for u in &users {
            for g in &u.groups {
                if !groups.iter().any(|x| &x.name == g) {
                    issues.push(LoadIssue {
                        code: LoadIssueCode::DanglingGroup,
                        entity: u.arn.clone(),
                        field: "GroupList".into(),
                        message: format!("{} is a member of group {g}, which the output does not list: the group's policies are unknown", u.arn),
                    });
                }
            }
        }

        let mut root_credentials = None;
        if let Some(report) = &options.credential_report {
            for row in &report.rows {
                if row.is_root {
                    root_credentials = Some(row.clone());
                } else if let Some(u) = users.iter_mut().find(|u| u.arn == row.arn) {
                    u.credentials = Some(row.clone());
                } else {
                    issues.push(LoadIssue {
                        code: LoadIssueCode::ReportUserUnknown,
                        entity: row.arn.clone(),
                        field: "credential report".into(),
                        message: format!("the credential report has a row for {}, which the authorization details do not list", row.arn),
                    });
                }
            }
        }
        let mut account = Account {
            root_credentials,
            id,
            partition,
            users,
            groups,
            roles,
            policies,
            issues,
            prepared: Vec::new(),
            by_key: HashMap::new(),
        };
        account.prepare();
        Ok(account)
    }

    /// Builds each principal's policy set, labels and filled-in context, and the lookup index.
    fn prepare(&mut self) {
        let by_arn: HashMap<&str, &ManagedPolicy> =
            self.policies.iter().map(|p| (p.arn.as_str(), p)).collect();
        let mut prepared = Vec::new();
        let mut unusable = Vec::new();
        let add_managed = |arns: &[String],
                           set: &mut PolicySet,
                           labels: &mut Vec<String>,
                           missing: &mut Vec<String>,
                           via: &str| {
            for a in arns {
                match by_arn.get(a.as_str()).and_then(|p| p.policy.as_ref()) {
                    Some(p) => {
                        set.identity.push(p.clone());
                        labels.push(format!("{a}{via}"));
                    }
                    None => missing.push(a.clone()),
                }
            }
        };
        for (index, u) in self.users.iter().enumerate() {
            if let Err(why) = check_arn(&u.arn, PrincipalType::User, &u.name, &u.path) {
                unusable.push((u.arn.clone(), why));
                continue;
            }
            let mut set = PolicySet::new();
            let mut labels = Vec::new();
            let mut missing = Vec::new();
            for p in &u.inline_policies {
                set.identity.push(p.policy.clone());
                labels.push(format!("{} inline policy {}", u.arn, p.name));
            }
            add_managed(
                &u.attached_policies,
                &mut set,
                &mut labels,
                &mut missing,
                "",
            );
            for gname in &u.groups {
                match self.groups.iter().find(|g| &g.name == gname) {
                    Some(g) => {
                        for p in &g.inline_policies {
                            set.identity.push(p.policy.clone());
                            labels.push(format!("{} inline policy {}", g.arn, p.name));
                        }
                        add_managed(
                            &g.attached_policies,
                            &mut set,
                            &mut labels,
                            &mut missing,
                            &format!(" (via group {})", g.name),
                        );
                    }
                    None => missing.push(format!("group {gname}")),
                }
            }
            let boundary_label = boundary(&u.permissions_boundary, &by_arn, &mut set, &mut missing);
            let mut context = vec![(
                "aws:username".to_string(),
                ContextValue::from_text(u.name.as_str()),
            )];
            if !u.id.is_empty() {
                context.push((
                    "aws:userid".to_string(),
                    ContextValue::from_text(u.id.as_str()),
                ));
            }
            tag_context(&u.tags, &mut context);
            prepared.push(Prepared {
                kind: PrincipalKind::User,
                index,
                arn: u.arn.clone(),
                name: u.name.clone(),
                set,
                identity_labels: labels,
                boundary_label,
                missing,
                context,
                account: Arn::parse(&u.arn).map(|a| a.account.to_string()),
            });
        }
        for (index, r) in self.roles.iter().enumerate() {
            if let Err(why) = check_arn(&r.arn, PrincipalType::RoleSession, &r.name, &r.path) {
                unusable.push((r.arn.clone(), why));
                continue;
            }
            let mut set = PolicySet::new();
            let mut labels = Vec::new();
            let mut missing = Vec::new();
            for p in &r.inline_policies {
                set.identity.push(p.policy.clone());
                labels.push(format!("{} inline policy {}", r.arn, p.name));
            }
            add_managed(
                &r.attached_policies,
                &mut set,
                &mut labels,
                &mut missing,
                "",
            );
            let boundary_label = boundary(&r.permissions_boundary, &by_arn, &mut set, &mut missing);
            let mut context = Vec::new();
            tag_context(&r.tags, &mut context);
            prepared.push(Prepared {
                kind: PrincipalKind::Role,
                index,
                arn: r.arn.clone(),
                name: r.name.clone(),
                set,
                identity_labels: labels,
                boundary_label,
                missing,
                context,
                account: Arn::parse(&r.arn).map(|a| a.account.to_string()),
            });
        }
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in prepared.iter().enumerate() {
            let kind = p.kind.as_str();
            let path = match p.kind {
                PrincipalKind::User => &self.users[p.index].path,
                PrincipalKind::Role => &self.roles[p.index].path,
            };
            let with_path = format!("{kind}{}{}", normalized_path(path), p.name);
            for key in [
                p.arn.clone(),
                format!("{kind}/{}", p.name),
                with_path,
                p.name.clone(),
            ] {
                let slot = by_key.entry(key).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
        }
        for (arn, why) in unusable {
            self.issues.push(LoadIssue {
                code: LoadIssueCode::UnusableArn,
                entity: arn,
                field: "Arn".into(),
                message: format!(
                    "{why}: this principal cannot make requests and is left out of every query"
                ),
            });
        }
        self.prepared = prepared;
        self.by_key = by_key;
    }
}

fn boundary(
    arn: &Option<String>,
    by_arn: &HashMap<&str, &ManagedPolicy>,
    set: &mut PolicySet,
    missing: &mut Vec<String>,
) -> Option<String> {
    let a = arn.as_ref()?;
    match by_arn.get(a.as_str()).and_then(|p| p.policy.as_ref()) {
        Some(p) => set.boundaries.push(p.clone()),
        // an unknown boundary may deny anything: no Allow can be trusted
        None => missing.push(a.clone()),
    }
    Some(a.clone())
}

fn tag_context(tags: &[Tag], context: &mut Vec<(String, ContextValue)>) {
    for t in tags {
        context.push((
            format!("aws:principaltag/{}", t.key.to_ascii_lowercase()),
            ContextValue::from_text(t.value.as_str()),
        ));
    }
}

/// A path as IAM writes it: `/`, or `/a/b/`.
fn normalized_path(path: &str) -> String {
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

/// Whether an entity's ARN is a user (or role) ARN of its own name and path: anything else (the
/// root ARN on a role entry, a session ARN, another name) would evaluate as someone else.
fn check_arn(
    arn: &str,
    kind: PrincipalType,
    name: &str,
    path: &str,
) -> std::result::Result<(), String> {
    let p = Principal::parse(arn).map_err(|e| e.message().to_string())?;
    let what = if kind == PrincipalType::User {
        "user"
    } else {
        "role"
    };
    let expected = format!("{what}{}{name}", normalized_path(path));
    let resource = Arn::parse(arn)
        .map(|a| a.resource.to_string())
        .unwrap_or_default();
    if p.kind != kind || p.has_session_arn || resource != expected {
        return Err(format!(
            "the ARN `{arn}` is not the {what} ARN of {name} (expected a resource part `{expected}`)"
        ));
    }
    Ok(())
}
