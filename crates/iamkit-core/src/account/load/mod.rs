//! Building the account model from `aws iam get-account-authorization-details` output (read by
//! [`crate::inputs`]: one page, several pages concatenated or in a JSON array, policy documents as
//! objects, JSON text or URL-encoded text). Each kind of entity is built by its own module
//! (managed policies, groups, users, roles); this one runs them in that order, then joins the
//! references between them and the credential report, and prepares the principals.

mod groups;
mod policies;
mod prepare;
mod roles;
mod users;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::{
    Account, Group, InlinePolicy, LoadIssue, LoadIssueCode, ManagedPolicy, Role, Tag, User,
};
use crate::arn::Arn;
use crate::error::{Error, ErrorCode, Location, Result};
use crate::eval::compile::CompiledPolicy;
use crate::eval::compile_text;
use crate::inputs::authorization_details::{
    document_text, pages, OneOrMany, Page, RawAttached, RawBoundary, RawDoc, RawGroup, RawInline,
    RawPolicy, RawRole, RawTag, RawUser,
};
use crate::inputs::CredentialReport;
use crate::policy::PolicyType;

/// Extra input for [`Account::load`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Documents of managed policies the output references but does not list (for example AWS
    /// managed policies, from the managed-policy corpus): ARN to JSON text.
    pub managed_policy_documents: BTreeMap<String, String>,
    /// The credential report: each user's console password, MFA and access keys (joined on the
    /// ARN), and the root user's.
    pub credential_report: Option<CredentialReport>,
}

/// What every entity loader shares: the options, the issues found so far, and what cannot be
/// trusted: entities listed twice with different content, and documents that cannot be read
/// (by the ARN of the entity that holds them). Principals that depend on either are undecided.
struct Loader<'a> {
    options: &'a LoadOptions,
    issues: Vec<LoadIssue>,
    untrusted: Untrusted,
}

impl Loader<'_> {
    /// A managed policy's document supplied in the options, compiled; one that cannot be read is
    /// reported and treated as unknown.
    fn supplied_document(&mut self, arn: &str) -> Option<Arc<CompiledPolicy>> {
        let text = self.options.managed_policy_documents.get(arn)?;
        match compile_text(text, PolicyType::Identity, "$") {
            Ok(p) => Some(p),
            Err(e) => {
                self.unreadable(arn, "supplied document", &e);
                None
            }
        }
    }

    /// Compiles a document the entity `entity` holds in `field`; one that cannot be read is
    /// reported (`unreadableDocument`) and `None` (the caller records what depends on it).
    fn document(
        &mut self,
        v: &RawDoc,
        ty: PolicyType,
        entity: &str,
        field: &str,
    ) -> Option<Arc<CompiledPolicy>> {
        match compile_doc(v, ty, entity, field) {
            Ok(p) => Some(p),
            Err(e) => {
                self.unreadable(entity, field, &e);
                None
            }
        }
    }

    /// Reports a document that cannot be read.
    fn unreadable(&mut self, entity: &str, field: &str, e: &Error) {
        self.issues.push(LoadIssue {
            code: LoadIssueCode::UnreadableDocument,
            error: Some(e.code()),
            entity: entity.to_string(),
            field: field.to_string(),
            message: format!(
                "{}; this document is treated as unknown: answers for principals that use it are undecided",
                e.message()
            ),
        });
    }

    /// Inline policies; one whose document is missing or cannot be read is left out, reported and
    /// recorded against `entity`.
    fn inline(
        &mut self,
        list: OneOrMany<RawInline>,
        entity: &str,
        field: &str,
    ) -> Vec<InlinePolicy> {
        let mut out = Vec::new();
        for (i, p) in list.into_vec().into_iter().enumerate() {
            let name = p.policy_name.unwrap_or_else(|| format!("#{i}"));
            let here = format!("{field}[{name}].PolicyDocument");
            let policy = match p.policy_document {
                Some(doc) => self.document(&doc, PolicyType::Identity, entity, &here),
                None => {
                    self.unreadable(entity, &here, &data_error(entity, &here, "is missing"));
                    None
                }
            };
            match policy {
                Some(policy) => out.push(InlinePolicy { name, policy }),
                // the owner's (and, for a group, its members') answers depend on it
                None => self
                    .untrusted
                    .unreadable
                    .entry(entity.to_string())
                    .or_default()
                    .push(format!("{here} of {entity} (cannot be read)")),
            }
        }
        out
    }
}

/// Entities and documents whose content cannot be trusted, by ARN.
#[derive(Debug, Clone, Default)]
pub(crate) struct Untrusted {
    /// Entities listed more than once with different content.
    pub(crate) conflicting: HashSet<String>,
    /// Users, groups and roles holding inline policies that cannot be read: a description of
    /// each. (A managed policy that cannot be read has no document, which makes its users
    /// undecided already.)
    pub(crate) unreadable: HashMap<String, Vec<String>>,
    /// Roles whose trust policy cannot be read: who may assume them is undecided (their own
    /// permissions are not).
    pub(crate) unreadable_trust: HashSet<String>,
}

impl Untrusted {
    /// Why an Allow that depends on the entity `arn` cannot be trusted (empty when it can).
    pub(crate) fn reasons(&self, arn: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.conflicting.contains(arn) {
            out.push(format!("{arn} (listed twice with different content)"));
        }
        if let Some(r) = self.unreadable.get(arn) {
            out.extend(r.iter().cloned());
        }
        out
    }
}

/// Keeps the first listing of each ARN. A repeat identical to it is merged (reported as
/// `duplicate`); a repeat that differs makes the entity untrusted (`conflictingDuplicate`): no
/// copy is believed, and every principal that depends on it is undecided.
fn dedupe<T: PartialEq>(
    list: Vec<T>,
    arn: impl Fn(&T) -> Option<&String>,
    issues: &mut Vec<LoadIssue>,
    conflicting: &mut HashSet<String>,
) -> Vec<T> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<T> = Vec::with_capacity(list.len());
    for item in list {
        let Some(a) = arn(&item).cloned() else {
            kept.push(item);
            continue;
        };
        match first.get(&a) {
            None => {
                first.insert(a, kept.len());
                kept.push(item);
            }
            Some(&i) if kept[i] == item => issues.push(LoadIssue {
                code: LoadIssueCode::Duplicate,
                error: None,
                entity: a.clone(),
                field: "Arn".into(),
                message: format!("{a} is listed more than once with the same content: merged"),
            }),
            Some(_) => {
                issues.push(LoadIssue {
                    code: LoadIssueCode::ConflictingDuplicate,
                    error: None,
                    entity: a.clone(),
                    field: "Arn".into(),
                    message: format!("{a} is listed more than once with different content: no copy is trusted, and every principal that depends on it is undecided"),
                });
                conflicting.insert(a);
            }
        }
    }
    kept
}

/// Every page's entities, in page order.
#[derive(Default)]
struct Entities {
    users: Vec<RawUser>,
    groups: Vec<RawGroup>,
    roles: Vec<RawRole>,
    policies: Vec<RawPolicy>,
}

/// Merges the pages (a last page that says more follow is reported), then the repeated listings
/// (see [`dedupe`]).
fn merge(pages: Vec<Page>, issues: &mut Vec<LoadIssue>, untrusted: &mut Untrusted) -> Entities {
    let mut all = Entities::default();
    let last = pages.len().saturating_sub(1);
    for (i, p) in pages.into_iter().enumerate() {
        if i == last && p.is_truncated == Some(true) {
            issues.push(LoadIssue {
                code: LoadIssueCode::Truncated,
                error: None,
                entity: "output".into(),
                field: "IsTruncated".into(),
                message: format!(
                    "the last page says more follow (Marker {}): entities on later pages are missing",
                    p.marker.as_deref().unwrap_or("?")
                ),
            });
        }
        all.users.extend(p.user_detail_list);
        all.groups.extend(p.group_detail_list);
        all.roles.extend(p.role_detail_list);
        all.policies.extend(p.policies);
    }
    let c = &mut untrusted.conflicting;
    Entities {
        users: dedupe(all.users, |u| u.arn.as_ref(), issues, c),
        groups: dedupe(all.groups, |g| g.arn.as_ref(), issues, c),
        roles: dedupe(all.roles, |r| r.arn.as_ref(), issues, c),
        policies: dedupe(all.policies, |p| p.arn.as_ref(), issues, c),
    }
}

impl Account {
    /// Loads authorization details (JSON text; see the module docs for the accepted shapes).
    pub fn from_json_str(text: &str) -> Result<Account> {
        Account::load(text, &LoadOptions::default())
    }

    /// Loads authorization details with extra input (documents of referenced managed policies).
    pub fn load(text: &str, options: &LoadOptions) -> Result<Account> {
        let pages = pages(text)?;
        let mut loader = Loader {
            options,
            issues: Vec::new(),
            untrusted: Untrusted::default(),
        };
        let raw = merge(pages, &mut loader.issues, &mut loader.untrusted);
        let mut policies = loader.managed_policies(raw.policies)?;
        let groups = loader.groups(raw.groups)?;
        let mut users = loader.users(raw.users)?;
        let roles = loader.roles(raw.roles)?;
        let (id, partition) = account_of(&users, &groups, &roles, &policies);
        loader.referenced_policies(&users, &groups, &roles, &mut policies);
        policies.sort_by(|a, b| a.arn.cmp(&b.arn));
        dangling_groups(&users, &groups, &mut loader.issues);
        let root_credentials = join_credential_report(options, &mut users, &mut loader.issues);
        let mut account = Account {
            root_credentials,
            id,
            partition,
            users,
            groups,
            roles,
            policies,
            issues: loader.issues,
            untrusted: loader.untrusted,
            prepared: Vec::new(),
            by_key: HashMap::new(),
            placement: None,
        };
        account.prepare();
        Ok(account)
    }
}

/// The account id and partition: those of the first customer ARN that names a 12-digit account
/// (`aws` and no id when none does).
fn account_of(
    users: &[User],
    groups: &[Group],
    roles: &[Role],
    policies: &[ManagedPolicy],
) -> (Option<String>, String) {
    let arns = users
        .iter()
        .map(|u| &u.arn)
        .chain(roles.iter().map(|r| &r.arn))
        .chain(groups.iter().map(|g| &g.arn))
        .chain(policies.iter().filter(|p| !p.aws_managed).map(|p| &p.arn));
    for a in arns {
        if let Some(parsed) = Arn::parse(a) {
            if parsed.account.len() == 12 && parsed.account.bytes().all(|b| b.is_ascii_digit()) {
                return (
                    Some(parsed.account.to_string()),
                    parsed.partition.to_string(),
                );
            }
        }
    }
    (None, "aws".to_string())
}

/// Users' groups must exist.
fn dangling_groups(users: &[User], groups: &[Group], issues: &mut Vec<LoadIssue>) {
    let names: HashSet<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    for u in users {
        for g in &u.groups {
            if !names.contains(g.as_str()) {
                issues.push(LoadIssue {
                    code: LoadIssueCode::DanglingGroup,
                    error: None,
                    entity: u.arn.clone(),
                    field: "GroupList".into(),
                    message: format!("{} is a member of group {g}, which the output does not list: the group's policies are unknown", u.arn),
                });
            }
        }
    }
}

/// Gives each user its row of the credential report (joined on the ARN); returns the root
/// user's row. A row for a user the output does not list is reported.
fn join_credential_report(
    options: &LoadOptions,
    users: &mut [User],
    issues: &mut Vec<LoadIssue>,
) -> Option<crate::inputs::CredentialRow> {
    let report = options.credential_report.as_ref()?;
    // the first user of each ARN (users are listed once each)
    let mut by_arn: HashMap<String, usize> = HashMap::with_capacity(users.len());
    for (i, u) in users.iter().enumerate() {
        by_arn.entry(u.arn.clone()).or_insert(i);
    }
    let mut root = None;
    for row in &report.rows {
        if row.is_root {
            root = Some(row.clone());
        } else if let Some(u) = by_arn.get(&row.arn).and_then(|&i| users.get_mut(i)) {
            u.credentials = Some(row.clone());
        } else {
            issues.push(LoadIssue {
                code: LoadIssueCode::ReportUserUnknown,
                error: None,
                entity: row.arn.clone(),
                field: "credential report".into(),
                message: format!("the credential report has a row for {}, which the authorization details do not list", row.arn),
            });
        }
    }
    root
}

fn data_error(entity: &str, field: &str, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::AccountData, format!("{entity}: {field}: {why}"))
}

fn compile_doc(
    v: &RawDoc,
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

/// The entity's name for messages before its ARN is known: the ARN, else the name, else its
/// place in the list (`UserDetailList[3]`).
fn entity_name(arn: &Option<String>, name: &Option<String>, list: &str, i: usize) -> String {
    arn.clone()
        .or(name.clone())
        .unwrap_or(format!("{list}[{i}]"))
}

fn required(v: Option<String>, entity: &str, field: &str) -> Result<String> {
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| data_error(entity, field, "is missing"))
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
