//! Building the escalation graph: each principal's reach and upgrade edges, each decided by
//! evaluating the technique's requests with the actor's policies. An actor is only tried on a
//! technique when one of its Allow statements names each action the technique needs (a cheap
//! look at the compiled statements), so the work grows with the principals that hold such
//! permissions, not with the square of the account.

use std::collections::HashMap;
use std::sync::Arc;

use compact_str::CompactString;
use smallvec::smallvec;

use super::techniques::{self, Model, Reach, Upgrade};
use super::{Certainty, EscalationGraph, EscalationOptions, Hop, HopRequest};
use crate::account::admin::{allows_everything, ProbeCache};
use crate::account::{Account, AccountQuery, Prepared, PrincipalKind};
use crate::error::Result;
use crate::eval::{CompiledPolicy, ContextValue, Decision, PolicySet};
use crate::inputs::{Cell, Instant};
use crate::policy::{Effect, PolicyType, PrincipalValue};

/// The account being analysed, with the lookups the techniques need.
struct Builder<'a> {
    account: &'a Account,
    q: AccountQuery,
    /// Prepared index of each user (by `users` index) and role (by `roles` index).
    user_node: Vec<Option<usize>>,
    role_node: Vec<Option<usize>>,
    /// Members (prepared indexes) of each group, by name.
    members: HashMap<&'a str, Vec<usize>>,
    /// Principals (prepared indexes) that have each managed policy, directly or by a group.
    holders: HashMap<&'a str, Vec<usize>>,
    admin_policy: String,
    cache: ProbeCache,
}

pub(super) fn build<'a>(
    account: &'a Account,
    options: &EscalationOptions,
) -> Result<EscalationGraph<'a>> {
    let as_of = options.as_of.unwrap_or_else(Instant::now);
    let mut q = options.query.clone();
    Account::check_extras(&q)?;
    let time = as_of.to_rfc3339();
    let epoch = (as_of.0.div_euclid(1_000_000_000)).to_string();
    for (key, value) in [
        ("aws:CurrentTime", time.as_str()),
        ("aws:TokenIssueTime", time.as_str()),
        ("aws:EpochTime", epoch.as_str()),
    ] {
        if !q
            .context
            .iter()
            .any(|(k, _, _)| k.eq_ignore_ascii_case(key))
        {
            q = q.context(key, value);
        }
    }
    let n = account.prepared.len();
    let mut user_node = vec![None; account.users.len()];
    let mut role_node = vec![None; account.roles.len()];
    for (i, p) in account.prepared.iter().enumerate() {
        match p.kind {
            PrincipalKind::User => user_node[p.index] = Some(i),
            PrincipalKind::Role => role_node[p.index] = Some(i),
        }
    }
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    let group_by_name: HashMap<&str, &crate::account::Group> = account
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g))
        .collect();
    for (u, user) in account.users.iter().enumerate() {
        let Some(node) = user_node[u] else { continue };
        for arn in &user.attached_policies {
            holders.entry(arn.as_str()).or_default().push(node);
        }
        for g in &user.groups {
            members.entry(g.as_str()).or_default().push(node);
            if let Some(group) = group_by_name.get(g.as_str()) {
                for arn in &group.attached_policies {
                    holders.entry(arn.as_str()).or_default().push(node);
                }
            }
        }
    }
    for (r, role) in account.roles.iter().enumerate() {
        let Some(node) = role_node[r] else { continue };
        for arn in &role.attached_policies {
            holders.entry(arn.as_str()).or_default().push(node);
        }
    }
    let mut b = Builder {
        account,
        admin_policy: format!(
            "arn:{}:iam::aws:policy/AdministratorAccess",
            account.partition
        ),
        q,
        user_node,
        role_node,
        members,
        holders,
        cache: ProbeCache::default(),
    };
    let admin: Vec<bool> = account
        .prepared
        .iter()
        .map(|p| Account::admin_with(p, &mut b.cache, &mut 0))
        .collect();
    let mut reach = vec![Vec::new(); n];
    let mut upgrade = vec![Vec::new(); n];
    let mut undecided = Vec::new();
    for (a, p) in account.prepared.iter().enumerate() {
        if !p.missing.is_empty() {
            undecided.push(p.arn.clone());
            continue;
        }
        if admin[a] || service_linked(&p.arn) {
            continue;
        }
        b.upgrades(a, &mut upgrade[a]);
        b.reaches(a, &mut reach[a]);
    }
    undecided.sort();
    Ok(EscalationGraph {
        account,
        as_of,
        admin,
        reach,
        upgrade,
        undecided,
    })
}

/// A user's identity policies with a group's added (what joining the group gives), labelled.
struct Joined {
    identity: Vec<Arc<CompiledPolicy>>,
    labels: Vec<String>,
}

/// Whether `arn` is a service-linked role: only its service can use it, so it is never an actor.
fn service_linked(arn: &str) -> bool {
    arn.contains(":role/aws-service-role/")
}

/// The first modeled technique of `model` (its id and name).
fn technique(model: Model) -> (&'static str, &'static str) {
    techniques::with(model)
        .next()
        .map(|e| (e.technique.id.as_str(), e.technique.name.as_str()))
        .unwrap_or(("", ""))
}

impl Builder<'_> {
    fn prepared(&self, i: usize) -> &Prepared {
        &self.account.prepared[i]
    }

    /// Whether `arn` is in the actor's account: IAM and the services act only on their caller's
    /// own account's users, groups, roles and policies.
    fn mine(&self, a: usize, arn: &str) -> bool {
        let account = self.prepared(a).account.as_deref();
        crate::arn::Arn::parse(arn).is_some_and(|x| Some(x.account) == account)
    }

    /// Whether some Allow statement of the actor's identity policies names `action` (a necessary
    /// condition for any request of it to be allowed).
    fn may(&self, a: usize, action: &str) -> bool {
        self.prepared(a).set.identity.iter().any(|policy| {
            policy
                .statements
                .iter()
                .any(|s| s.effect == Effect::Allow && s.admits_action(action))
        })
    }

    /// Evaluates one request of actor `a`; `Some` with the allowing statements when allowed.
    /// `trust` replaces the target role's trust policy (for a rewritten one).
    fn allow(
        &self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
    ) -> Option<HopRequest> {
        self.allow_in(a, None, action, resource, context, trust)
    }

    /// [`Builder::allow`], with the actor's identity policies replaced by `joined` (its own and
    /// a group's, labelled) when given.
    fn allow_in(
        &self,
        a: usize,
        joined: Option<&Joined>,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
    ) -> Option<HopRequest> {
        let p = self.prepared(a);
        let mut req = Account::request_for(p, action, resource, &self.q).ok()?;
        for (k, v) in context {
            req.context.set(
                k,
                smallvec![ContextValue::from_text(CompactString::from(*v))],
                false,
            );
        }
        let trust = trust.or_else(|| self.account.trust_for(action, resource, &self.q));
        let mut set: PolicySet = Account::set_for(p, &self.q.policies, trust);
        if let Some(j) = joined {
            set.identity.clone_from(&j.identity);
        }
        if set.decide(&req) != Decision::Allowed {
            return None;
        }
        let mut ev = set.evaluate(&req);
        Account::relabel(p, &mut ev.explain);
        if let Some(j) = joined {
            for st in &mut ev.explain.statements {
                let index = st
                    .policy
                    .strip_prefix("identity[")
                    .and_then(|r| r.strip_suffix(']'))
                    .and_then(|i| i.parse::<usize>().ok());
                if let Some(label) = index.and_then(|i| j.labels.get(i)) {
                    st.policy.clone_from(label);
                }
            }
        }
        Some(HopRequest {
            action: action.to_string(),
            resource: resource.to_string(),
            context: context
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            statements: ev
                .explain
                .statements
                .into_iter()
                .filter(|s| s.effect == Effect::Allow)
                .collect(),
        })
    }

    /// A hop of actor `a` to `to` by the first technique modeled as `model`: exact, with no
    /// `via` (set them on the result when needed).
    fn hop(&self, a: usize, to: usize, model: Model, requests: Vec<HopRequest>) -> Hop {
        let (id, name) = technique(model);
        Hop {
            source: self.prepared(a).arn.clone(),
            target: self.prepared(to).arn.clone(),
            kind: if matches!(model, Model::Upgrade(_)) {
                "upgrade"
            } else {
                "reach"
            },
            technique: id.to_string(),
            technique_name: name.to_string(),
            via: None,
            requests,
            certainty: Certainty::Exact,
            requires: None,
        }
    }

    /// Every principal the actor can make an administrator.
    fn upgrades(&mut self, a: usize, out: &mut Vec<(usize, Hop)>) {
        let admin_policy = self.admin_policy.clone();
        let attach_ctx = [("iam:PolicyARN", admin_policy.as_str())];
        // policies on users and roles
        for (action, up, ctx, kind) in [
            (
                "iam:PutUserPolicy",
                Upgrade::PutUserPolicy,
                &[][..],
                PrincipalKind::User,
            ),
            (
                "iam:AttachUserPolicy",
                Upgrade::AttachUserPolicy,
                &attach_ctx[..],
                PrincipalKind::User,
            ),
            (
                "iam:PutRolePolicy",
                Upgrade::PutRolePolicy,
                &[][..],
                PrincipalKind::Role,
            ),
            (
                "iam:AttachRolePolicy",
                Upgrade::AttachRolePolicy,
                &attach_ctx[..],
                PrincipalKind::Role,
            ),
        ] {
            if !self.may(a, action) {
                continue;
            }
            let nodes: Vec<usize> = match kind {
                PrincipalKind::User => self.user_node.iter().flatten().copied().collect(),
                PrincipalKind::Role => self.role_node.iter().flatten().copied().collect(),
            };
            for t in nodes {
                if out.iter().any(|(x, _)| *x == t) || !self.mine(a, &self.prepared(t).arn) {
                    continue;
                }
                let arn = self.prepared(t).arn.clone();
                if let Some(r) = self.allow(a, action, &arn, ctx, None) {
                    let hop = self.hop(a, t, Model::Upgrade(up), vec![r]);
                    out.push((t, hop));
                }
            }
        }
        // policies on groups: every member
        for (action, up, ctx) in [
            ("iam:PutGroupPolicy", Upgrade::PutGroupPolicy, &[][..]),
            (
                "iam:AttachGroupPolicy",
                Upgrade::AttachGroupPolicy,
                &attach_ctx[..],
            ),
        ] {
            if !self.may(a, action) {
                continue;
            }
            for g in &self.account.groups {
                let Some(members) = self.members.get(g.name.as_str()) else {
                    continue;
                };
                if !self.mine(a, &g.arn) {
                    continue;
                }
                if let Some(r) = self.allow(a, action, &g.arn, ctx, None) {
                    for &t in members {
                        if out.iter().any(|(x, _)| *x == t) {
                            continue;
                        }
                        let hop = Hop {
                            via: Some(g.arn.clone()),
                            ..self.hop(a, t, Model::Upgrade(up), vec![r.clone()])
                        };
                        out.push((t, hop));
                    }
                }
            }
        }
        // customer managed policies: every principal that has one
        for (action, up) in [
            ("iam:CreatePolicyVersion", Upgrade::CreatePolicyVersion),
            (
                "iam:SetDefaultPolicyVersion",
                Upgrade::SetDefaultPolicyVersion,
            ),
        ] {
            if !self.may(a, action) {
                continue;
            }
            for policy in &self.account.policies {
                if policy.aws_managed || !self.mine(a, &policy.arn) {
                    // AWS managed policies cannot be versioned by anyone
                    continue;
                }
                let Some(holders) = self.holders.get(policy.arn.as_str()) else {
                    continue;
                };
                let (certainty, requires) = match up {
                    Upgrade::SetDefaultPolicyVersion if policy.versions.len() < 2 => continue,
                    Upgrade::SetDefaultPolicyVersion => (
                        Certainty::Possible,
                        Some(format!(
                            "another version of {} that grants more than its default version",
                            policy.arn
                        )),
                    ),
                    _ => (Certainty::Exact, None),
                };
                if let Some(r) = self.allow(a, action, &policy.arn, &[], None) {
                    for &t in holders {
                        if out.iter().any(|(x, h)| *x == t && h.certainty <= certainty) {
                            continue;
                        }
                        let hop = Hop {
                            via: Some(policy.arn.clone()),
                            certainty,
                            requires: requires.clone(),
                            ..self.hop(a, t, Model::Upgrade(up), vec![r.clone()])
                        };
                        out.push((t, hop));
                    }
                }
            }
        }
        // joining a group whose policies make the actor an administrator, or let it make itself one
        let p = self.prepared(a);
        if p.kind == PrincipalKind::User && self.may(a, "iam:AddUserToGroup") {
            let mine = &self.account.users[p.index].groups;
            for g in &self.account.groups {
                if mine.contains(&g.name)
                    || out.iter().any(|(x, _)| *x == a)
                    || !self.mine(a, &g.arn)
                {
                    continue;
                }
                let Some(add) = self.allow(a, "iam:AddUserToGroup", &g.arn, &[], None) else {
                    continue;
                };
                let Some(joined) = self.joined(a, g) else {
                    continue;
                };
                let then = if self.joined_is_admin(a, &joined) {
                    Some(Vec::new())
                } else {
                    self.self_upgrade(a, &joined, g)
                };
                if let Some(then) = then {
                    let mut requests = vec![add];
                    requests.extend(then);
                    let hop = Hop {
                        via: Some(g.arn.clone()),
                        ..self.hop(a, a, Model::Upgrade(Upgrade::AddUserToGroup), requests)
                    };
                    out.push((a, hop));
                }
            }
        }
    }

    /// User `a`'s identity policies with group `g`'s added; `None` when a document of the group's
    /// is unknown.
    fn joined(&self, a: usize, g: &crate::account::Group) -> Option<Joined> {
        let p = &self.account.prepared[a];
        let mut identity = p.set.identity.clone();
        let mut labels = p.identity_labels.clone();
        for i in &g.inline_policies {
            identity.push(i.policy.clone());
            labels.push(format!("{} inline policy {}", g.arn, i.name));
        }
        for arn in &g.attached_policies {
            identity.push(self.account.policy(arn).and_then(|m| m.policy.clone())?);
            labels.push(arn.clone());
        }
        Some(Joined { identity, labels })
    }

    /// Whether user `a` with `joined` policies is an administrator.
    fn joined_is_admin(&mut self, a: usize, joined: &Joined) -> bool {
        let p = &self.account.prepared[a];
        let mut set = p.set.clone();
        set.identity.clone_from(&joined.identity);
        allows_everything(
            &set,
            &p.arn,
            p.account.as_deref(),
            &p.context,
            &mut self.cache,
            &mut 0,
        )
    }

    /// A request by which user `a`, with the `joined` policies of group `g`, makes itself an
    /// administrator: a policy put on or attached to itself or the group.
    fn self_upgrade(
        &self,
        a: usize,
        joined: &Joined,
        g: &crate::account::Group,
    ) -> Option<Vec<HopRequest>> {
        let arn = self.prepared(a).arn.as_str();
        let attach = [("iam:PolicyARN", self.admin_policy.as_str())];
        let found = [
            ("iam:PutUserPolicy", arn, &[][..]),
            ("iam:AttachUserPolicy", arn, &attach[..]),
            ("iam:PutGroupPolicy", g.arn.as_str(), &[][..]),
            ("iam:AttachGroupPolicy", g.arn.as_str(), &attach[..]),
        ]
        .into_iter()
        .find_map(|(action, resource, ctx)| {
            self.allow_in(a, Some(joined), action, resource, ctx, None)
        });
        found.map(|r| vec![r])
    }

    /// Every principal whose permissions the actor can obtain.
    fn reaches(&mut self, a: usize, out: &mut Vec<(usize, Hop)>) {
        self.user_reaches(a, out);
        self.role_reaches(a, out);
    }

    fn user_reaches(&self, a: usize, out: &mut Vec<(usize, Hop)>) {
        let may_key = self.may(a, "iam:CreateAccessKey");
        let may_create = self.may(a, "iam:CreateLoginProfile");
        let may_update = self.may(a, "iam:UpdateLoginProfile");
        if !(may_key || may_create || may_update) {
            return;
        }
        for (u, user) in self.account.users.iter().enumerate() {
            let Some(t) = self.user_node[u] else { continue };
            if t == a || !self.mine(a, &user.arn) {
                continue;
            }
            let creds = user.credentials.as_ref();
            if may_key {
                if let Some(r) = self.allow(a, "iam:CreateAccessKey", &user.arn, &[], None) {
                    let two_keys = creds.is_some_and(|c| {
                        c.access_keys.iter().all(|k| k.active == Cell::Value(true))
                    });
                    if !two_keys {
                        out.push((
                            t,
                            self.hop(a, t, Model::Reach(Reach::CreateAccessKey), vec![r]),
                        ));
                        continue;
                    }
                    if let Some(d) = self.allow(a, "iam:DeleteAccessKey", &user.arn, &[], None) {
                        out.push((
                            t,
                            self.hop(a, t, Model::Reach(Reach::RotateAccessKey), vec![d, r]),
                        ));
                        continue;
                    }
                }
            }
            // console passwords: which call works depends on whether the user has one
            let password = creds.map(|c| c.password_enabled == Cell::Value(true));
            let create = (may_create && password != Some(true))
                .then(|| self.allow(a, "iam:CreateLoginProfile", &user.arn, &[], None))
                .flatten();
            let update = (may_update && password != Some(false))
                .then(|| self.allow(a, "iam:UpdateLoginProfile", &user.arn, &[], None))
                .flatten();
            let pick = match (create, update, password) {
                (Some(c), _, Some(false)) => Some((Reach::CreateLoginProfile, c, None)),
                (_, Some(u), Some(true)) => Some((Reach::UpdateLoginProfile, u, None)),
                (Some(c), Some(_), None) => Some((Reach::CreateLoginProfile, c, None)),
                (Some(c), None, None) => Some((
                    Reach::CreateLoginProfile,
                    c,
                    Some(format!(
                        "{} has no console password (the credential report says whether)",
                        user.arn
                    )),
                )),
                (None, Some(u), None) => Some((
                    Reach::UpdateLoginProfile,
                    u,
                    Some(format!(
                        "{} has a console password (the credential report says whether)",
                        user.arn
                    )),
                )),
                _ => None,
            };
            if let Some((reach, r, requires)) = pick {
                let certainty = if requires.is_some() {
                    Certainty::Possible
                } else {
                    Certainty::Exact
                };
                out.push((
                    t,
                    Hop {
                        certainty,
                        requires,
                        ..self.hop(a, t, Model::Reach(reach), vec![r])
                    },
                ));
            }
        }
    }

    fn role_reaches(&mut self, a: usize, out: &mut Vec<(usize, Hop)>) {
        let may_assume = self.may(a, "sts:AssumeRole");
        let may_rewrite = self.may(a, "iam:UpdateAssumeRolePolicy");
        // the trust policy the actor would write: one that names it (in its own account, that
        // alone lets it assume the role)
        let rewritten = if may_rewrite { self.trusting(a) } else { None };
        let passrole = self.may(a, "iam:PassRole");
        // the service techniques whose other actions the actor is allowed on `*`
        let mut new_pass: Vec<(&'static techniques::Entry, Vec<HopRequest>)> = Vec::new();
        let mut existing: Vec<(&'static techniques::Entry, Vec<HopRequest>)> = Vec::new();
        for e in techniques::all() {
            let list = match e.model {
                Model::Reach(Reach::NewPassRole) if passrole => &mut new_pass,
                Model::Reach(Reach::ExistingPassRole) => &mut existing,
                _ => continue,
            };
            let others: Vec<&String> = e
                .technique
                .required
                .iter()
                .filter(|p| p.as_str() != "iam:PassRole")
                .collect();
            if !others.iter().all(|p| self.may(a, p)) {
                continue;
            }
            let requests: Option<Vec<HopRequest>> = others
                .iter()
                .map(|p| self.allow(a, p, "*", &[], None))
                .collect();
            if let Some(requests) = requests {
                list.push((e, requests));
            }
        }
        for (r, role) in self.account.roles.iter().enumerate() {
            let Some(t) = self.role_node[r] else { continue };
            if t == a {
                continue;
            }
            if (may_assume && self.trust_may_name(a, role)) || self.trust_names(a, role) {
                if let Some(req) = self.allow(a, "sts:AssumeRole", &role.arn, &[], None) {
                    out.push((
                        t,
                        self.hop(a, t, Model::Reach(Reach::AssumeRole), vec![req]),
                    ));
                    continue;
                }
            }
            if let Some(trust) = rewritten.as_ref().filter(|_| self.mine(a, &role.arn)) {
                let rewrite = self.allow(a, "iam:UpdateAssumeRolePolicy", &role.arn, &[], None);
                if let Some(w) = rewrite {
                    if let Some(req) = self.allow(a, "sts:AssumeRole", &role.arn, &[], Some(trust))
                    {
                        out.push((
                            t,
                            self.hop(
                                a,
                                t,
                                Model::Reach(Reach::UpdateAssumeRolePolicy),
                                vec![w, req],
                            ),
                        ));
                        continue;
                    }
                }
            }
            if (new_pass.is_empty() && existing.is_empty()) || !self.mine(a, &role.arn) {
                continue;
            }
            let trusted: Vec<String> = self
                .account
                .trusted_by(role)
                .into_iter()
                .filter(|e| e.kind == "service" && e.effect == Effect::Allow)
                .map(|e| e.value)
                .collect();
            if trusted.is_empty() {
                continue;
            }
            let mut found = None;
            for (e, requests) in &new_pass {
                let ec2 = e
                    .technique
                    .services
                    .iter()
                    .any(|s| s == "ec2.amazonaws.com");
                if ec2 && role.instance_profiles.is_empty() {
                    continue;
                }
                let Some(service) = e.technique.services.iter().find(|s| trusted.contains(s))
                else {
                    continue;
                };
                let ctx = [("iam:PassedToService", service.as_str())];
                if let Some(pass) = self.allow(a, "iam:PassRole", &role.arn, &ctx, None) {
                    let mut all = vec![pass];
                    all.extend(requests.iter().cloned());
                    found = Some((e, all, Certainty::Exact, None));
                    break;
                }
            }
            if found.is_none() {
                for (e, requests) in &existing {
                    let Some(service) = e.technique.services.iter().find(|s| trusted.contains(s))
                    else {
                        continue;
                    };
                    found = Some((
                        e,
                        requests.clone(),
                        Certainty::Possible,
                        Some(format!(
                            "an existing resource of {service} that runs with {} ({})",
                            role.arn, e.technique.name
                        )),
                    ));
                    break;
                }
            }
            if let Some((e, requests, certainty, requires)) = found {
                out.push((
                    t,
                    Hop {
                        source: self.prepared(a).arn.clone(),
                        target: role.arn.clone(),
                        kind: "reach",
                        technique: e.technique.id.clone(),
                        technique_name: e.technique.name.clone(),
                        via: None,
                        requests,
                        certainty,
                        requires,
                    },
                ));
            }
        }
    }

    /// A trust policy that names actor `a` (what it would write with `iam:UpdateAssumeRolePolicy`).
    fn trusting(&self, a: usize) -> Option<Arc<CompiledPolicy>> {
        let text = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": self.prepared(a).arn},
                "Action": "sts:AssumeRole",
            }],
        })
        .to_string();
        crate::eval::compile_text(&text, PolicyType::Trust, "$").ok()
    }

    /// Whether the role's trust policy names the actor's own ARN: in the role's account that alone
    /// lets the actor assume it, without an Allow of its own.
    fn trust_names(&self, a: usize, role: &crate::account::Role) -> bool {
        let Some(trust) = role.trust_policy.as_ref() else {
            return false;
        };
        let arn = self.prepared(a).arn.as_str();
        trust.source.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && s.principal.as_ref().is_some_and(|pr| {
                    !pr.negated
                        && matches!(&pr.value, PrincipalValue::Map(entries) if entries.iter().any(|(kind, values)| {
                            *kind == crate::policy::PrincipalKind::Aws
                                && values.items.iter().any(|v| v == arn)
                        }))
                })
        })
    }

    /// Whether the role's trust policy may let the actor in: it names the actor, its account, or
    /// anyone (`*`, `NotPrincipal`); a cheap look before evaluating.
    fn trust_may_name(&self, a: usize, role: &crate::account::Role) -> bool {
        let Some(trust) = role.trust_policy.as_ref() else {
            return false;
        };
        let p = self.prepared(a);
        let account = p.account.as_deref().unwrap_or("");
        trust.source.statements.iter().any(|s| {
            let Some(pr) = &s.principal else {
                return false;
            };
            if pr.negated {
                return true;
            }
            match &pr.value {
                PrincipalValue::Star => true,
                PrincipalValue::Map(entries) => entries.iter().any(|(kind, values)| {
                    *kind == crate::policy::PrincipalKind::Aws
                        && values.items.iter().any(|v| {
                            v == "*"
                                || v.contains(['*', '?'])
                                || v == &p.arn
                                || v == account
                                || v.ends_with(&format!(":{account}:root"))
                                || v.ends_with(&format!("/{}", p.name))
                        })
                }),
            }
        })
    }
}
