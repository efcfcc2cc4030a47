//! Preparing each principal for evaluation once the entities are loaded: its policy set (inline,
//! attached, its groups', the boundary), the labels that name each policy in answers, the context
//! keys that follow from it, and the lookup index by ARN and name.

use std::collections::HashMap;

use crate::account::{
    Account, Group, InlinePolicy, LoadIssue, LoadIssueCode, ManagedPolicy, Prepared, PrincipalKind,
    Role, Tag, User,
};
use crate::arn::Arn;
use crate::eval::{ContextValue, PolicySet, Principal, PrincipalType};

use super::Untrusted;

impl Account {
    /// Builds each principal's policy set, labels and filled-in context, and the lookup index.
    /// A principal whose ARN is not its own is left out and reported.
    pub(super) fn prepare(&mut self) {
        let by_arn: HashMap<&str, &ManagedPolicy> =
            self.policies.iter().map(|p| (p.arn.as_str(), p)).collect();
        let by_arn = Lookup {
            by_arn,
            untrusted: &self.untrusted,
        };
        // the first group of each name, as a search in list order finds it
        let mut groups: HashMap<&str, &Group> = HashMap::with_capacity(self.groups.len());
        for g in &self.groups {
            groups.entry(g.name.as_str()).or_insert(g);
        }
        let mut prepared = Vec::new();
        let mut unusable = Vec::new();
        for (index, u) in self.users.iter().enumerate() {
            match check_arn(&u.arn, PrincipalType::User, &u.name, &u.path) {
                Ok(()) => prepared.push(prepare_user(index, u, &by_arn, &groups)),
                Err(why) => unusable.push((u.arn.clone(), why)),
            }
        }
        for (index, r) in self.roles.iter().enumerate() {
            match check_arn(&r.arn, PrincipalType::RoleSession, &r.name, &r.path) {
                Ok(()) => prepared.push(prepare_role(index, r, &by_arn)),
                Err(why) => unusable.push((r.arn.clone(), why)),
            }
        }
        let by_key = self.index(&prepared);
        for (arn, why) in unusable {
            self.issues.push(LoadIssue {
                code: LoadIssueCode::UnusableArn,
                error: None,
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

    /// The lookup index: each principal by ARN, `kind/name`, `kind/path/name` and bare name.
    fn index(&self, prepared: &[Prepared]) -> HashMap<String, Vec<usize>> {
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
                // principals come in order: a repeat of `i` can only be the last entry
                if slot.last() != Some(&i) {
                    slot.push(i);
                }
            }
        }
        by_key
    }
}

/// A user: its inline and attached policies, then each group's (in `GroupList` order), its
/// boundary, and `aws:username`, `aws:userid` and its tags as context.
fn prepare_user(
    index: usize,
    u: &User,
    by_arn: &Lookup<'_>,
    groups: &HashMap<&str, &Group>,
) -> Prepared {
    let mut g = Gathered::new(by_arn);
    g.untrusted(&u.arn);
    g.inline(&u.arn, &u.inline_policies);
    g.managed(&u.attached_policies, "");
    for gname in &u.groups {
        match groups.get(gname.as_str()) {
            Some(group) => {
                g.untrusted(&group.arn);
                g.inline(&group.arn, &group.inline_policies);
                g.managed(
                    &group.attached_policies,
                    &format!(" (via group {})", group.name),
                );
            }
            None => g.missing.push(format!("group {gname}")),
        }
    }
    let boundary_label = g.boundary(&u.permissions_boundary);
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
    g.into_prepared(
        PrincipalKind::User,
        index,
        &u.arn,
        &u.name,
        boundary_label,
        context,
    )
}

/// A role: its inline and attached policies, its boundary, and its tags as context.
fn prepare_role(index: usize, r: &Role, by_arn: &Lookup<'_>) -> Prepared {
    let mut g = Gathered::new(by_arn);
    g.untrusted(&r.arn);
    g.inline(&r.arn, &r.inline_policies);
    g.managed(&r.attached_policies, "");
    let boundary_label = g.boundary(&r.permissions_boundary);
    let mut context = Vec::new();
    tag_context(&r.tags, &mut context);
    g.into_prepared(
        PrincipalKind::Role,
        index,
        &r.arn,
        &r.name,
        boundary_label,
        context,
    )
}

/// The managed policies by ARN, and what cannot be trusted.
pub(super) struct Lookup<'a> {
    by_arn: HashMap<&'a str, &'a ManagedPolicy>,
    untrusted: &'a Untrusted,
}

/// One principal's policies as they are gathered: the set, a label per identity policy, and the
/// policies whose documents are unknown.
struct Gathered<'a> {
    by_arn: &'a Lookup<'a>,
    set: PolicySet,
    labels: Vec<String>,
    missing: Vec<String>,
}

impl<'a> Gathered<'a> {
    fn new(by_arn: &'a Lookup<'a>) -> Self {
        Gathered {
            by_arn,
            set: PolicySet::new(),
            labels: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Records why the entity `arn` (the principal, a group, a policy) cannot be trusted.
    fn untrusted(&mut self, arn: &str) {
        self.missing.extend(self.by_arn.untrusted.reasons(arn));
    }

    /// Inline policies of the entity `owner` (an ARN).
    fn inline(&mut self, owner: &str, policies: &[InlinePolicy]) {
        for p in policies {
            self.set.identity.push(p.policy.clone());
            self.labels
                .push(format!("{owner} inline policy {}", p.name));
        }
    }

    /// The compiled document of the managed policy `arn`, when it is known; records why the
    /// policy cannot be trusted, if it cannot.
    fn known(&mut self, arn: &str) -> Option<std::sync::Arc<crate::eval::compile::CompiledPolicy>> {
        self.untrusted(arn);
        self.by_arn.by_arn.get(arn).and_then(|p| p.policy.clone())
    }

    /// Attached managed policies; `via` ends their labels (` (via group G)`).
    fn managed(&mut self, arns: &[String], via: &str) {
        for a in arns {
            match self.known(a) {
                Some(p) => {
                    self.set.identity.push(p);
                    self.labels.push(format!("{a}{via}"));
                }
                None => self.missing.push(a.clone()),
            }
        }
    }

    /// The permissions boundary; returns its label (its ARN).
    fn boundary(&mut self, arn: &Option<String>) -> Option<String> {
        let a = arn.as_ref()?;
        match self.known(a) {
            Some(p) => self.set.boundaries.push(p),
            // an unknown boundary may deny anything: no Allow can be trusted
            None => self.missing.push(a.clone()),
        }
        Some(a.clone())
    }

    fn into_prepared(
        self,
        kind: PrincipalKind,
        index: usize,
        arn: &str,
        name: &str,
        boundary_label: Option<String>,
        context: Vec<(String, ContextValue)>,
    ) -> Prepared {
        Prepared {
            kind,
            index,
            arn: arn.to_string(),
            name: name.to_string(),
            set: self.set,
            identity_labels: self.labels,
            boundary_label,
            missing: self.missing,
            context,
            account: Arn::parse(arn).map(|a| a.account.to_string()),
        }
    }
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
