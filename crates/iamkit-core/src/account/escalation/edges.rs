//! Building the escalation graph: each principal's reach and upgrade edges, each decided by
//! evaluating the technique's requests with the actor's policies.
//!
//! Two things keep the work near-linear in large accounts:
//! - an actor is only tried on a technique when one of its Allow statements names each action the
//!   technique needs (a look at the compiled statements);
//! - the targets of one action are grouped by which of the actor's statements (for that action)
//!   admit their ARN, and one request per group is decided: nothing else in these requests depends
//!   on the target (the same principal, action and context; every target in the actor's account;
//!   no resource policy, or the same one), so the decision is the group's.
//!
//! Edges are compact (target, technique, certainty); the requests and statements that justify a
//! hop are worked out again, by full evaluation, only for the hops of the paths reported.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use compact_str::CompactString;
use smallvec::smallvec;

use super::techniques::{self, Entry, Model, Reach, Upgrade};
use super::{Certainty, Hop, HopRequest};
use crate::account::admin::{allows_everything, ProbeCache};
use crate::account::{Account, AccountQuery, Group, PrincipalKind, Role};
use crate::eval::{CompiledPolicy, ContextValue, Decision, PolicySet, Request};
use crate::inputs::Cell;
use crate::policy::{Effect, PolicyType, PrincipalValue};

/// An edge of the graph: what is needed to say which hop it is (the requests are worked out again
/// when the hop is reported).
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    /// The target's prepared index.
    pub(super) target: u32,
    /// The technique (an index into the table).
    pub(super) technique: u16,
    /// Whether it needs something the inputs do not show.
    pub(super) certainty: Certainty,
}

/// What a technique needs of one target, found or explained.
struct Found {
    requests: Vec<HopRequest>,
    via: Option<String>,
    certainty: Certainty,
    requires: Option<String>,
}

impl Found {
    fn exact(requests: Vec<HopRequest>) -> Found {
        Found {
            requests,
            via: None,
            certainty: Certainty::Exact,
            requires: None,
        }
    }
}

/// A request to try: action, resource, context keys.
type Try<'s> = (&'s str, &'s str, &'s [(&'s str, &'s str)]);

/// A user's identity policies with a group's added (what joining the group gives), labelled.
struct Joined {
    identity: Vec<Arc<CompiledPolicy>>,
    labels: Vec<String>,
}

/// The resources (of the account's universe) a statement's `Resource` element admits.
#[derive(Debug)]
enum Admits {
    /// Every resource.
    All,
    /// A bit per resource of the universe.
    Bits(Vec<u64>),
}

impl Admits {
    fn has(&self, r: u32) -> bool {
        match self {
            Admits::All => true,
            Admits::Bits(b) => b[(r / 64) as usize] >> (r % 64) & 1 == 1,
        }
    }
}

/// The decisions of one actor's requests of one action (with one context and resource policy),
/// by group of targets (see the module docs).
struct Groups {
    action: String,
    context: Vec<(String, String)>,
    trust: bool,
    set: PolicySet,
    /// What each statement that admits the action admits of the resources.
    admits: Vec<Arc<Admits>>,
    /// The decision of each group (the bits of the statements that admit its resources).
    decided: FxHashMap<u64, bool>,
}

/// The account being analysed, with the lookups the techniques need.
pub(super) struct Builder<'a> {
    pub(super) account: &'a Account,
    q: AccountQuery,
    /// Prepared index of each user (by `users` index) and role (by `roles` index).
    user_node: Vec<Option<usize>>,
    role_node: Vec<Option<usize>>,
    /// Members (prepared indexes) of each group, by name.
    members: HashMap<&'a str, Vec<usize>>,
    /// Principals (prepared indexes) that have each managed policy, directly or by a group.
    holders: HashMap<&'a str, Vec<usize>>,
    /// The groups of each principal (prepared index; roles have none).
    groups_of_node: Vec<Vec<&'a Group>>,
    /// The managed policies each principal has, attached or by a group (prepared index).
    held: Vec<Vec<&'a crate::account::ManagedPolicy>>,
    /// The services each role's trust policy allows (by `roles` index).
    role_services: Vec<Vec<String>>,
    /// The account of each group and managed policy, by ARN.
    accounts: HashMap<&'a str, &'a str>,
    admin_policy: String,
    cache: ProbeCache,
    /// The grouped decisions of the current actor.
    groups: Vec<Groups>,
    groups_of: usize,
    /// Every ARN a technique acts on (principals, groups, managed policies) and `*`, numbered.
    universe: Vec<&'a str>,
    numbers: FxHashMap<&'a str, u32>,
    /// What each statement admits of the universe, by (policy, statement, actor for statements
    /// with policy variables).
    admits: FxHashMap<(usize, usize, usize), Arc<Admits>>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(account: &'a Account, q: AccountQuery) -> Builder<'a> {
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
        let group_by_name: HashMap<&str, &Group> = account
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
        let role_services = account
            .roles
            .iter()
            .map(|role| {
                account
                    .trusted_by(role)
                    .into_iter()
                    .filter(|x| x.kind == "service" && x.effect == Effect::Allow)
                    .map(|x| x.value)
                    .collect()
            })
            .collect();
        let accounts = account
            .groups
            .iter()
            .map(|g| g.arn.as_str())
            .chain(account.policies.iter().map(|p| p.arn.as_str()))
            .filter_map(|arn| Some((arn, crate::arn::Arn::parse(arn)?.account)))
            .collect();
        let policy_by_arn: HashMap<&str, &crate::account::ManagedPolicy> = account
            .policies
            .iter()
            .map(|p| (p.arn.as_str(), p))
            .collect();
        let mut groups_of_node = Vec::with_capacity(account.prepared.len());
        let mut held = Vec::with_capacity(account.prepared.len());
        for p in &account.prepared {
            let (groups, attached): (Vec<&Group>, &Vec<String>) = match p.kind {
                PrincipalKind::User => {
                    let u = &account.users[p.index];
                    let groups = u
                        .groups
                        .iter()
                        .filter_map(|g| group_by_name.get(g.as_str()).copied())
                        .collect();
                    (groups, &u.attached_policies)
                }
                PrincipalKind::Role => (Vec::new(), &account.roles[p.index].attached_policies),
            };
            let mut mine: Vec<&crate::account::ManagedPolicy> = attached
                .iter()
                .chain(groups.iter().flat_map(|g| g.attached_policies.iter()))
                .filter_map(|arn| policy_by_arn.get(arn.as_str()).copied())
                .collect();
            mine.sort_by(|x, y| x.arn.cmp(&y.arn));
            mine.dedup_by(|x, y| x.arn == y.arn);
            groups_of_node.push(groups);
            held.push(mine);
        }
        let mut universe: Vec<&str> = vec!["*"];
        universe.extend(account.prepared.iter().map(|p| p.arn.as_str()));
        universe.extend(account.groups.iter().map(|g| g.arn.as_str()));
        universe.extend(account.policies.iter().map(|p| p.arn.as_str()));
        universe.sort_unstable();
        universe.dedup();
        Builder {
            account,
            groups_of_node,
            held,
            role_services,
            accounts,
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
            groups: Vec::new(),
            groups_of: usize::MAX,
            numbers: universe
                .iter()
                .enumerate()
                .map(|(i, r)| (*r, i as u32))
                .collect(),
            universe,
            admits: FxHashMap::default(),
        }
    }

    /// Whether each principal is an administrator.
    pub(super) fn administrators(&mut self) -> Vec<bool> {
        self.account
            .prepared
            .iter()
            .map(|p| Account::admin_with(p, &mut self.cache, &mut 0))
            .collect()
    }

    fn arn(&self, i: usize) -> &'a str {
        self.account.prepared[i].arn.as_str()
    }

    /// Whether `arn` is in the actor's account: IAM and the services act only on their caller's
    /// own account's users, groups, roles and policies.
    fn mine(&self, a: usize, arn: &str) -> bool {
        let account = self.account.prepared[a].account.as_deref();
        match self.accounts.get(arn) {
            Some(x) => Some(*x) == account,
            None => crate::arn::Arn::parse(arn).is_some_and(|x| Some(x.account) == account),
        }
    }

    /// Whether principal `t` is in actor `a`'s account.
    fn mine_node(&self, a: usize, t: usize) -> bool {
        let p = &self.account.prepared;
        p[a].account.is_some() && p[a].account == p[t].account
    }

    /// Whether some Allow statement of the actor's identity policies names `action` (a necessary
    /// condition for any request of it to be allowed).
    fn may(&self, a: usize, action: &str) -> bool {
        self.account.prepared[a].set.identity.iter().any(|policy| {
            policy
                .statements
                .iter()
                .any(|s| s.effect == Effect::Allow && s.admits_action(action))
        })
    }

    /// The actor's request of `action` on `resource` with `context` added.
    fn request(
        &self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
    ) -> Option<Request> {
        let p = &self.account.prepared[a];
        let mut req = Account::request_for(p, action, resource, &self.q).ok()?;
        for (k, v) in context {
            req.context.set(
                k,
                smallvec![ContextValue::from_text(CompactString::from(*v))],
                false,
            );
        }
        Some(req)
    }

    /// Whether the actor's request is allowed; with `explain`, the allowing statements too.
    /// `trust` replaces the target role's trust policy (for a rewritten one). Without `explain`,
    /// decisions are shared by the targets of a group (see the module docs).
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
        joined: Option<&Joined>,
        explain: bool,
    ) -> Option<HopRequest> {
        // a role's own trust policy differs from role to role: those requests are not grouped
        let own_trust =
            trust.is_none() && self.account.trust_for(action, resource, &self.q).is_some();
        let grouped = !explain && joined.is_none() && !own_trust;
        let allowed = if grouped {
            self.grouped(a, action, resource, context, trust)?
        } else {
            let req = self.request(a, action, resource, context)?;
            let set = self.set(a, action, resource, trust, joined);
            if !explain {
                set.decide(&req) == Decision::Allowed
            } else {
                return self.explained(a, &set, &req, context, joined);
            }
        };
        // only whether: the hop's requests are explained when it is reported
        allowed.then(|| HopRequest {
            action: String::new(),
            resource: String::new(),
            context: Default::default(),
            statements: Vec::new(),
        })
    }

    fn set(
        &self,
        a: usize,
        action: &str,
        resource: &str,
        trust: Option<&Arc<CompiledPolicy>>,
        joined: Option<&Joined>,
    ) -> PolicySet {
        let p = &self.account.prepared[a];
        let trust = trust.or_else(|| self.account.trust_for(action, resource, &self.q));
        let mut set = Account::set_for(p, &self.q.policies, trust);
        if let Some(j) = joined {
            set.identity.clone_from(&j.identity);
        }
        set
    }

    fn explained(
        &self,
        a: usize,
        set: &PolicySet,
        req: &Request,
        context: &[(&str, &str)],
        joined: Option<&Joined>,
    ) -> Option<HopRequest> {
        if set.decide(req) != Decision::Allowed {
            return None;
        }
        let p = &self.account.prepared[a];
        let mut ev = set.evaluate(req);
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
            action: req.action.clone(),
            resource: req.resource.clone(),
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

    /// The decision for `resource`, shared by every resource the same statements admit.
    fn grouped(
        &mut self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
    ) -> Option<bool> {
        if self.groups_of != a {
            self.groups.clear();
            self.groups_of = a;
        }
        let same = |g: &Groups| {
            g.action == action
                && g.trust == trust.is_some()
                && g.context.len() == context.len()
                && g.context
                    .iter()
                    .zip(context)
                    .all(|(x, y)| x.0 == y.0 && x.1 == y.1)
        };
        let found = self.groups.iter().position(same);
        let at = match found {
            Some(at) => at,
            None => {
                let set = self.set(a, action, resource, trust, None);
                let probe = self.request(a, action, "*", context)?;
                let mut admits = Vec::new();
                for policies in levels(&set) {
                    for policy in policies {
                        for (j, st) in policy.statements.iter().enumerate() {
                            if st.admits_action(action) {
                                admits.push(self.admits(a, policy, j, &probe));
                            }
                        }
                    }
                }
                self.groups.push(Groups {
                    action: action.to_string(),
                    context: context
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    trust: trust.is_some(),
                    set,
                    admits,
                    decided: FxHashMap::default(),
                });
                self.groups.len() - 1
            }
        };
        let number = self.numbers.get(resource).copied();
        let g = &self.groups[at];
        let mask = match number {
            Some(r) if g.admits.len() <= 64 => Some(
                g.admits
                    .iter()
                    .enumerate()
                    .fold(0u64, |m, (i, x)| m | (u64::from(x.has(r)) << i)),
            ),
            _ => None,
        };
        if let Some(d) = mask.and_then(|m| g.decided.get(&m)) {
            return Some(*d);
        }
        let req = self.request(a, action, resource, context)?;
        let g = &mut self.groups[at];
        let d = g.set.decide(&req) == Decision::Allowed;
        if let Some(m) = mask {
            g.decided.insert(m, d);
        }
        Some(d)
    }

    /// What statement `j` of `policy` admits of the universe (shared by every actor, unless its
    /// resources hold policy variables, which `probe`'s context resolves).
    fn admits(
        &mut self,
        a: usize,
        policy: &Arc<CompiledPolicy>,
        j: usize,
        probe: &Request,
    ) -> Arc<Admits> {
        let written = policy
            .source
            .statements
            .get(j)
            .and_then(|s| s.resource.as_ref());
        let Some(written) = written else {
            return Arc::new(Admits::All);
        };
        if !written.negated && written.values.items.iter().any(|r| r == "*") {
            return Arc::new(Admits::All);
        }
        let variables = written
            .values
            .items
            .iter()
            .any(|r| crate::wildcard::holds_variable(r));
        let key = (
            Arc::as_ptr(policy) as usize,
            j,
            if variables { a } else { usize::MAX },
        );
        if let Some(x) = self.admits.get(&key) {
            return x.clone();
        }
        let st = &policy.statements[j];
        let mut bits = vec![0u64; self.universe.len().div_ceil(64)];
        for (i, r) in self.universe.iter().enumerate() {
            if st.admits_resource(r, probe) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        let x = Arc::new(Admits::Bits(bits));
        self.admits.insert(key, x.clone());
        x
    }

    /// Every edge of actor `a`: (upgrades, reaches).
    pub(super) fn edges(&mut self, a: usize) -> (Vec<Edge>, Vec<Edge>) {
        let mut upgrades = Vec::new();
        let mut reaches = Vec::new();
        // targets with an exact edge already, per kind
        let mut exact: [FxHashSet<usize>; 2] = Default::default();
        for (index, e) in techniques::all().iter().enumerate() {
            let targets: Vec<usize> = match e.model {
                Model::Upgrade(up) => {
                    if !self.may(a, up.action()) {
                        continue;
                    }
                    self.upgrade_targets(a, up)
                }
                Model::Reach(reach) => {
                    if !self.may_reach(a, reach, e) {
                        continue;
                    }
                    self.reach_targets(a, reach, e)
                }
                Model::Composite | Model::NotModeled => continue,
            };
            let kind = usize::from(matches!(e.model, Model::Reach(_)));
            for t in targets {
                if exact[kind].contains(&t) {
                    continue;
                }
                if let Some(found) = self.found(a, t, e, false) {
                    if found.certainty == Certainty::Exact {
                        exact[kind].insert(t);
                    }
                    let edge = Edge {
                        target: t as u32,
                        technique: index as u16,
                        certainty: found.certainty,
                    };
                    if matches!(e.model, Model::Upgrade(_)) {
                        upgrades.push(edge);
                    } else {
                        reaches.push(edge);
                    }
                }
            }
        }
        (upgrades, reaches)
    }

    /// Whether the actor holds the permissions a reach technique starts from.
    fn may_reach(&self, a: usize, reach: Reach, e: &Entry) -> bool {
        match reach {
            Reach::CreateAccessKey => self.may(a, "iam:CreateAccessKey"),
            Reach::RotateAccessKey => {
                self.may(a, "iam:CreateAccessKey") && self.may(a, "iam:DeleteAccessKey")
            }
            Reach::CreateLoginProfile => self.may(a, "iam:CreateLoginProfile"),
            Reach::UpdateLoginProfile => self.may(a, "iam:UpdateLoginProfile"),
            // a trust policy naming the actor lets it in without an Allow of its own
            Reach::AssumeRole => true,
            Reach::UpdateAssumeRolePolicy => self.may(a, "iam:UpdateAssumeRolePolicy"),
            Reach::NewPassRole | Reach::ExistingPassRole => {
                e.technique.required.iter().all(|p| self.may(a, p))
            }
        }
    }

    /// The principals an upgrade technique could apply to (in the actor's account).
    fn upgrade_targets(&self, a: usize, up: Upgrade) -> Vec<usize> {
        let users = || self.user_node.iter().flatten().copied();
        let roles = || self.role_node.iter().flatten().copied();
        let list: Vec<usize> = match up {
            Upgrade::PutUserPolicy | Upgrade::AttachUserPolicy => users().collect(),
            Upgrade::PutRolePolicy | Upgrade::AttachRolePolicy => roles().collect(),
            Upgrade::PutGroupPolicy | Upgrade::AttachGroupPolicy => {
                let mut v: Vec<usize> = self.members.values().flatten().copied().collect();
                v.sort_unstable();
                v.dedup();
                v
            }
            Upgrade::CreatePolicyVersion | Upgrade::SetDefaultPolicyVersion => {
                let mut v: Vec<usize> = self.holders.values().flatten().copied().collect();
                v.sort_unstable();
                v.dedup();
                v
            }
            Upgrade::AddUserToGroup => {
                if self.account.prepared[a].kind == PrincipalKind::User {
                    vec![a]
                } else {
                    Vec::new()
                }
            }
        };
        list.into_iter().filter(|&t| self.mine_node(a, t)).collect()
    }

    /// The principals a reach technique could lead to (not the actor itself).
    fn reach_targets(&self, a: usize, reach: Reach, e: &Entry) -> Vec<usize> {
        let nodes: Vec<usize> = match reach {
            Reach::CreateAccessKey
            | Reach::RotateAccessKey
            | Reach::CreateLoginProfile
            | Reach::UpdateLoginProfile => self.user_node.iter().flatten().copied().collect(),
            Reach::AssumeRole => {
                let may = self.may(a, "sts:AssumeRole");
                let names = TrustNames::of(&self.account.prepared[a]);
                self.role_node
                    .iter()
                    .enumerate()
                    .filter_map(|(r, n)| n.map(|n| (r, n)))
                    .filter(|&(r, _)| {
                        let role = &self.account.roles[r];
                        (may && names.may_name(self.trust_aws_values(role)))
                            || names.names(self.trust_aws_values(role))
                    })
                    .map(|(_, n)| n)
                    .collect()
            }
            Reach::UpdateAssumeRolePolicy => self.role_node.iter().flatten().copied().collect(),
            Reach::NewPassRole | Reach::ExistingPassRole => self
                .role_node
                .iter()
                .enumerate()
                .filter(|(r, _)| {
                    self.role_services[*r]
                        .iter()
                        .any(|s| e.technique.services.contains(s))
                })
                .filter_map(|(_, n)| *n)
                .collect(),
        };
        let cross_account = reach == Reach::AssumeRole;
        nodes
            .into_iter()
            .filter(|&t| t != a && (cross_account || self.mine_node(a, t)))
            .collect()
    }

    /// Whether technique `e` takes actor `a` to `t` (an upgrade of `t`, or a reach of it); with
    /// `explain`, the requests that justify it.
    fn found(&mut self, a: usize, t: usize, e: &'static Entry, explain: bool) -> Option<Found> {
        match e.model {
            Model::Upgrade(up) => self.upgrade(a, t, up, explain),
            Model::Reach(reach) => self.reach(a, t, reach, e, explain),
            Model::Composite | Model::NotModeled => None,
        }
    }

    /// The hop of `edge` from `a`, with its requests and statements (by full evaluation).
    pub(super) fn hop(&mut self, a: usize, edge: Edge) -> Hop {
        let e = &techniques::all()[edge.technique as usize];
        let t = edge.target as usize;
        let found = self.found(a, t, e, true).unwrap_or(Found {
            requests: Vec::new(),
            via: None,
            certainty: edge.certainty,
            requires: None,
        });
        Hop {
            source: self.arn(a).to_string(),
            target: self.arn(t).to_string(),
            kind: if matches!(e.model, Model::Upgrade(_)) {
                "upgrade"
            } else {
                "reach"
            },
            technique: e.technique.id.clone(),
            technique_name: e.technique.name.clone(),
            via: found.via,
            requests: found.requests,
            certainty: found.certainty,
            requires: found.requires,
        }
    }

    fn upgrade(&mut self, a: usize, t: usize, up: Upgrade, explain: bool) -> Option<Found> {
        let admin_policy = self.admin_policy.clone();
        let attach = [("iam:PolicyARN", admin_policy.as_str())];
        let ctx: &[(&str, &str)] = match up {
            Upgrade::AttachUserPolicy | Upgrade::AttachRolePolicy | Upgrade::AttachGroupPolicy => {
                &attach
            }
            _ => &[],
        };
        let action = up.action();
        match up {
            Upgrade::PutUserPolicy
            | Upgrade::AttachUserPolicy
            | Upgrade::PutRolePolicy
            | Upgrade::AttachRolePolicy => {
                let r = self.check(a, action, self.arn(t), ctx, None, None, explain)?;
                Some(Found::exact(vec![r]))
            }
            Upgrade::PutGroupPolicy | Upgrade::AttachGroupPolicy => {
                let p = &self.account.prepared[t];
                if p.kind != PrincipalKind::User {
                    return None;
                }
                let groups: Vec<&'a Group> = self.groups_of_node[t].clone();
                groups.into_iter().find_map(|g| {
                    let r = self.check(a, action, &g.arn, ctx, None, None, explain)?;
                    Some(Found {
                        via: Some(g.arn.clone()),
                        ..Found::exact(vec![r])
                    })
                })
            }
            Upgrade::CreatePolicyVersion | Upgrade::SetDefaultPolicyVersion => {
                let policies: Vec<&'a crate::account::ManagedPolicy> = self
                    .held_by(t)
                    .into_iter()
                    .filter(|p| !p.aws_managed)
                    .filter(|p| up == Upgrade::CreatePolicyVersion || p.versions.len() > 1)
                    .collect();
                policies.into_iter().find_map(|policy| {
                    let r = self.check(a, action, &policy.arn, &[], None, None, explain)?;
                    let possible = up == Upgrade::SetDefaultPolicyVersion;
                    Some(Found {
                        requests: vec![r],
                        via: Some(policy.arn.clone()),
                        certainty: if possible {
                            Certainty::Possible
                        } else {
                            Certainty::Exact
                        },
                        requires: possible.then(|| {
                            format!(
                                "another version of {} that grants more than its default version",
                                policy.arn
                            )
                        }),
                    })
                })
            }
            Upgrade::AddUserToGroup => {
                let p = &self.account.prepared[a];
                if t != a || p.kind != PrincipalKind::User {
                    return None;
                }
                let mine = &self.account.users[p.index].groups;
                let groups: Vec<&'a Group> = self
                    .account
                    .groups
                    .iter()
                    .filter(|g| !mine.contains(&g.name) && self.mine(a, &g.arn))
                    .collect();
                groups.into_iter().find_map(|g| {
                    let add = self.check(a, action, &g.arn, &[], None, None, explain)?;
                    let joined = self.joined(a, g)?;
                    let then = if self.joined_is_admin(a, &joined) {
                        Vec::new()
                    } else {
                        vec![self.self_upgrade(a, &joined, g, explain)?]
                    };
                    let mut requests = vec![add];
                    requests.extend(then);
                    Some(Found {
                        via: Some(g.arn.clone()),
                        ..Found::exact(requests)
                    })
                })
            }
        }
    }

    /// The customer and AWS managed policies principal `t` has (attached, or by a group), in its
    /// account.
    fn held_by(&self, t: usize) -> Vec<&'a crate::account::ManagedPolicy> {
        self.held[t]
            .iter()
            .copied()
            .filter(|p| self.mine(t, &p.arn))
            .collect()
    }

    /// User `a`'s identity policies with group `g`'s added; `None` when a document of the group's
    /// is unknown.
    fn joined(&self, a: usize, g: &Group) -> Option<Joined> {
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
        &mut self,
        a: usize,
        joined: &Joined,
        g: &Group,
        explain: bool,
    ) -> Option<HopRequest> {
        let arn = self.arn(a);
        let admin_policy = self.admin_policy.clone();
        let attach = [("iam:PolicyARN", admin_policy.as_str())];
        let tries: [Try<'_>; 4] = [
            ("iam:PutUserPolicy", arn, &[]),
            ("iam:AttachUserPolicy", arn, &attach),
            ("iam:PutGroupPolicy", g.arn.as_str(), &[]),
            ("iam:AttachGroupPolicy", g.arn.as_str(), &attach),
        ];
        let found = tries.into_iter().find_map(|(action, resource, ctx)| {
            self.check(a, action, resource, ctx, None, Some(joined), explain)
        });
        #[allow(clippy::let_and_return)] // `found` must end its borrow of `tries` first
        found
    }

    fn reach(
        &mut self,
        a: usize,
        t: usize,
        reach: Reach,
        e: &'static Entry,
        explain: bool,
    ) -> Option<Found> {
        let arn = self.arn(t);
        let p = &self.account.prepared[t];
        match reach {
            Reach::CreateAccessKey | Reach::RotateAccessKey => {
                let two_keys = self.account.users[p.index]
                    .credentials
                    .as_ref()
                    .is_some_and(|c| c.access_keys.iter().all(|k| k.active == Cell::Value(true)));
                if two_keys != (reach == Reach::RotateAccessKey) {
                    return None;
                }
                let mut requests = Vec::new();
                if two_keys {
                    requests.push(self.check(
                        a,
                        "iam:DeleteAccessKey",
                        arn,
                        &[],
                        None,
                        None,
                        explain,
                    )?);
                }
                requests.push(self.check(
                    a,
                    "iam:CreateAccessKey",
                    arn,
                    &[],
                    None,
                    None,
                    explain,
                )?);
                Some(Found::exact(requests))
            }
            Reach::CreateLoginProfile | Reach::UpdateLoginProfile => {
                // which call works depends on whether the user has a console password
                let user = &self.account.users[p.index];
                let password = user
                    .credentials
                    .as_ref()
                    .map(|c| c.password_enabled == Cell::Value(true));
                let create = reach == Reach::CreateLoginProfile;
                if password == Some(create) {
                    return None;
                }
                let r = self.check(a, reach_action(reach), arn, &[], None, None, explain)?;
                if password.is_some() {
                    return Some(Found::exact(vec![r]));
                }
                Some(Found {
                    certainty: Certainty::Possible,
                    requires: Some(format!(
                        "{arn} {} a console password (a credential report would say)",
                        if create { "has no" } else { "has" }
                    )),
                    ..Found::exact(vec![r])
                })
            }
            Reach::AssumeRole => {
                let r = self.check(a, "sts:AssumeRole", arn, &[], None, None, explain)?;
                Some(Found::exact(vec![r]))
            }
            Reach::UpdateAssumeRolePolicy => {
                let w = self.check(
                    a,
                    "iam:UpdateAssumeRolePolicy",
                    arn,
                    &[],
                    None,
                    None,
                    explain,
                )?;
                // the trust policy the actor would write names it: in its own account that alone
                // lets it assume the role
                let trust = self.trusting(a)?;
                let r = self.check(a, "sts:AssumeRole", arn, &[], Some(&trust), None, explain)?;
                Some(Found::exact(vec![w, r]))
            }
            Reach::NewPassRole | Reach::ExistingPassRole => {
                let role: &'a Role = &self.account.roles[p.index];
                let new = reach == Reach::NewPassRole;
                if new
                    && e.technique
                        .services
                        .iter()
                        .any(|s| s == "ec2.amazonaws.com")
                    && role.instance_profiles.is_empty()
                {
                    return None;
                }
                let trusted = &self.role_services[p.index];
                let service = e
                    .technique
                    .services
                    .iter()
                    .find(|s| trusted.contains(s))?
                    .clone();
                let mut requests = Vec::new();
                if new {
                    let ctx = [("iam:PassedToService", service.as_str())];
                    requests.push(self.check(a, "iam:PassRole", arn, &ctx, None, None, explain)?);
                }
                for action in e.technique.required.iter().filter(|p| *p != "iam:PassRole") {
                    requests.push(self.check(a, action, "*", &[], None, None, explain)?);
                }
                if new {
                    return Some(Found::exact(requests));
                }
                Some(Found {
                    certainty: Certainty::Possible,
                    requires: Some(format!(
                        "an existing resource of {service} that runs with {arn} ({})",
                        e.technique.name
                    )),
                    ..Found::exact(requests)
                })
            }
        }
    }

    /// A trust policy that names actor `a` (what it would write with `iam:UpdateAssumeRolePolicy`).
    fn trusting(&self, a: usize) -> Option<Arc<CompiledPolicy>> {
        let text = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": self.arn(a)},
                "Action": "sts:AssumeRole",
            }],
        })
        .to_string();
        crate::eval::compile_text(&text, PolicyType::Trust, "$").ok()
    }

    /// The `AWS` principals of the role's Allow trust statements (`*` for `"Principal": "*"`),
    /// each with whether it is a `NotPrincipal`.
    fn trust_aws_values<'r>(&self, role: &'r Role) -> impl Iterator<Item = (bool, &'r str)> + 'r {
        role.trust_policy
            .iter()
            .flat_map(|t| t.source.statements.iter())
            .filter(|s| s.effect == Effect::Allow)
            .filter_map(|s| s.principal.as_ref())
            .flat_map(|pr| {
                let values: Vec<&str> = match &pr.value {
                    PrincipalValue::Star => vec!["*"],
                    PrincipalValue::Map(entries) => entries
                        .iter()
                        .filter(|(kind, _)| *kind == crate::policy::PrincipalKind::Aws)
                        .flat_map(|(_, v)| v.items.iter().map(String::as_str))
                        .collect(),
                };
                values.into_iter().map(move |v| (pr.negated, v))
            })
    }
}

/// What a trust policy's `AWS` principals must say to let an actor in, written out once per actor.
struct TrustNames<'p> {
    arn: &'p str,
    account: &'p str,
    root: String,
    name: String,
}

impl<'p> TrustNames<'p> {
    fn of(p: &'p crate::account::Prepared) -> TrustNames<'p> {
        let account = p.account.as_deref().unwrap_or("");
        TrustNames {
            arn: &p.arn,
            account,
            root: format!(":{account}:root"),
            name: format!("/{}", p.name),
        }
    }

    /// Whether the values name the actor's own ARN: in the role's account that alone lets the
    /// actor assume it, without an Allow of its own.
    fn names<'v>(&self, mut values: impl Iterator<Item = (bool, &'v str)>) -> bool {
        values.any(|(negated, v)| !negated && v == self.arn)
    }

    /// Whether the values may let the actor in: its ARN, its account, anyone (`*`, a pattern,
    /// `NotPrincipal`), or its name; a cheap look before evaluating.
    fn may_name<'v>(&self, mut values: impl Iterator<Item = (bool, &'v str)>) -> bool {
        values.any(|(negated, v)| {
            negated
                || v == "*"
                || v.contains(['*', '?'])
                || v == self.arn
                || v == self.account
                || v.ends_with(&self.root)
                || v.ends_with(&self.name)
        })
    }
}

/// The policy levels of a set, in a fixed order, for statement addresses.
fn levels(set: &PolicySet) -> Vec<&[Arc<CompiledPolicy>]> {
    let mut v: Vec<&[Arc<CompiledPolicy>]> = vec![&set.identity, &set.boundaries];
    v.extend(set.scps.iter().map(Vec::as_slice));
    v.extend(set.rcps.iter().map(Vec::as_slice));
    v.push(set.resource.as_slice());
    v.push(set.session.as_slice());
    v
}

fn reach_action(reach: Reach) -> &'static str {
    match reach {
        Reach::CreateLoginProfile => "iam:CreateLoginProfile",
        _ => "iam:UpdateLoginProfile",
    }
}

impl Upgrade {
    /// The IAM action of the upgrade.
    pub(crate) fn action(self) -> &'static str {
        match self {
            Upgrade::PutUserPolicy => "iam:PutUserPolicy",
            Upgrade::AttachUserPolicy => "iam:AttachUserPolicy",
            Upgrade::PutRolePolicy => "iam:PutRolePolicy",
            Upgrade::AttachRolePolicy => "iam:AttachRolePolicy",
            Upgrade::PutGroupPolicy => "iam:PutGroupPolicy",
            Upgrade::AttachGroupPolicy => "iam:AttachGroupPolicy",
            Upgrade::CreatePolicyVersion => "iam:CreatePolicyVersion",
            Upgrade::SetDefaultPolicyVersion => "iam:SetDefaultPolicyVersion",
            Upgrade::AddUserToGroup => "iam:AddUserToGroup",
        }
    }
}

/// Whether `arn` is a service-linked role: only its service can use it, so it is never an actor.
pub(super) fn service_linked(arn: &str) -> bool {
    arn.contains(":role/aws-service-role/")
}
