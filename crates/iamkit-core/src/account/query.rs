//! Queries on a loaded account: evaluate a request of one principal, who can do an action, who can
//! assume a role, the account's summary and its administrators.

use compact_str::CompactString;
use serde::Serialize;

use super::admin::{allows_everything, ProbeCache};
use super::{Account, LoadIssue, Prepared, PrincipalKind};
use crate::catalog::{AccessLevel, Catalog};
use crate::error::{Error, ErrorCode, Result};
use crate::eval::compile::CallerKey;
use crate::eval::{
    ContextValue, ContextValues, Decision, EvalStep, Explanation, MatchedStatement, PolicySet,
    Request,
};
use crate::policy::condition::BaseOp;
use crate::policy::{Effect, PrincipalValue, Statement};

/// What to ask of the account: an action on a resource, with context, plus the policies that do
/// not live in the account (SCP and RCP levels, a resource policy, a session policy).
#[derive(Debug, Clone, Default)]
pub struct AccountQuery {
    /// `service:Action`.
    pub action: String,
    /// An ARN or `*`.
    pub resource: String,
    /// The resource's account, when the ARN does not name it.
    pub resource_account: Option<String>,
    /// The resource is one resource even when it holds `*` or `?`, not a pattern.
    pub literal_resource: bool,
    /// Caller context: key, values, multivalued. It overrides the keys filled in from the
    /// principal.
    pub context: Vec<(CompactString, ContextValues, bool)>,
    /// SCPs, RCPs, a resource policy, a session policy, VPC endpoint policies (identity policies
    /// and boundaries come from the account).
    pub policies: PolicySet,
}

impl AccountQuery {
    /// A query for `action` on `resource`, with no context and no extra policies.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> AccountQuery {
        AccountQuery {
            action: action.into(),
            resource: resource.into(),
            ..AccountQuery::default()
        }
    }

    /// Adds a single-valued context key.
    pub fn context(mut self, key: &str, value: &str) -> AccountQuery {
        self.context.push((
            key.into(),
            smallvec::smallvec![ContextValue::from_text(value)],
            false,
        ));
        self
    }

    /// Sets the extra policies (refused later if they hold identity policies or boundaries).
    pub fn policies(mut self, set: PolicySet) -> AccountQuery {
        self.policies = set;
        self
    }
}

/// The answer for one principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountEvaluation {
    /// The principal's ARN.
    pub principal: String,
    /// The decision.
    pub decision: Decision,
    /// Why; statements name the account's policies (ARNs, or `<entity ARN> inline policy <name>`).
    pub explain: Explanation,
    /// Policies (or groups) of the principal whose documents are unknown. When any is unknown an
    /// Allow is not trusted: the decision becomes `implicitDeny` (fail closed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
}

/// One principal allowed by [`Account::who_can`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WhoCanEntry {
    /// The ARN.
    pub principal: String,
    /// `user` or `role`.
    pub kind: PrincipalKind,
    /// The name.
    pub name: String,
    /// The statements that allow it.
    pub statements: Vec<MatchedStatement>,
    /// When the query's resource is a pattern: one resource it covers that the principal may
    /// act on (the statements are about it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_witness: Option<String>,
}

/// The account's roles a pattern covers, with their trust policies (`roles`), indexed by the
/// callers their Allow statements for the action may name: `any` may name anyone, `by` the
/// callers of one key.
pub(crate) struct RoleIndex<'a> {
    roles: Vec<(&'a str, &'a std::sync::Arc<crate::eval::CompiledPolicy>)>,
    any: Vec<usize>,
    by: rustc_hash::FxHashMap<CallerKey<'a>, Vec<usize>>,
}

/// The answer of [`Account::who_can`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WhoCan {
    /// The action's access level, from the service catalog (when one was given and lists the
    /// action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessLevel>,
    /// Principals allowed, by ARN.
    pub allowed: Vec<WhoCanEntry>,
    /// Principals that would be allowed but have policies whose documents are unknown.
    pub undecided: Vec<String>,
}

/// A principal of the account allowed to assume a role.
pub type AssumeEntry = WhoCanEntry;

/// Something a trust policy names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TrustedEntity {
    /// `anyone`, `account`, `principal`, `service`, `federated`, `canonicalUser`.
    pub kind: &'static str,
    /// What the trust policy wrote.
    pub value: String,
    /// The account it belongs to, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Whether that account is this account.
    pub in_account: bool,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// The statement's actions (`sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`, ...).
    pub actions: Vec<String>,
    /// The statement's index.
    pub statement: usize,
    /// The statement's Sid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The statement's `Condition`, as JSON (`null` when none).
    pub conditions: serde_json::Value,
    /// The conditions require a specific `sts:ExternalId`.
    pub external_id: bool,
    /// The conditions require MFA (`aws:MultiFactorAuthPresent` true, or a maximum
    /// `aws:MultiFactorAuthAge`).
    pub mfa: bool,
    /// The conditions require the caller's organization (`aws:PrincipalOrgID`,
    /// `aws:PrincipalOrgPaths`).
    pub org: bool,
    /// The conditions require a source (`aws:SourceArn`, `aws:SourceAccount`, source org), the
    /// confused-deputy protection.
    pub source: bool,
}

/// The answer of [`Account::who_can_assume`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WhoCanAssume {
    /// The role's ARN.
    pub role: String,
    /// Principals of the account allowed by both the trust policy and their own policies to call
    /// `sts:AssumeRole`.
    pub principals: Vec<AssumeEntry>,
    /// Principals of the account that would be allowed but have unknown policy documents.
    pub undecided: Vec<String>,
    /// Everything the trust policy names, with its conditions.
    pub trusted: Vec<TrustedEntity>,
}

/// An overview of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The account id.
    pub account_id: Option<String>,
    /// The partition.
    pub partition: String,
    /// Number of users.
    pub users: usize,
    /// Number of groups.
    pub groups: usize,
    /// Number of roles.
    pub roles: usize,
    /// Customer managed policies listed.
    pub customer_policies: usize,
    /// AWS managed policies listed or referenced.
    pub aws_managed_policies: usize,
    /// Instance profiles.
    pub instance_profiles: usize,
    /// Principals allowed `*` on `*` (by evaluation), by ARN.
    pub administrators: Vec<String>,
    /// Problems found while loading.
    pub issues: Vec<LoadIssue>,
}

/// Actions a trust statement may grant.
fn assume_action(a: &str) -> bool {
    crate::wildcard::intersects(a, "sts:*")
}

/// Which guards a trust statement's conditions really require. A guard counts only when an
/// operator that requires the key ([`requires_key`](crate::policy::condition::Operator::requires_key): positive, without `IfExists`, not
/// `ForAllValues:`, not `Null`) pins the key to something: `StringEquals`/`StringLike` (or the
/// `Arn` family for sources) with a value other than `*`, `Bool` `true` for MFA,
/// `NumericLessThan[Equals]` for the MFA age. Bare `*` values do not require anything.
fn condition_flags(s: &Statement) -> (bool, bool, bool, bool) {
    let (mut external_id, mut mfa, mut org, mut source) = (false, false, false, false);
    for block in &s.condition {
        let op = block.operator;
        if !op.requires_key() {
            continue;
        }
        let string_like = matches!(
            op.base,
            BaseOp::StringEquals | BaseOp::StringEqualsIgnoreCase | BaseOp::StringLike
        );
        let arn_like = matches!(op.base, BaseOp::ArnEquals | BaseOp::ArnLike);
        for (key, values) in &block.entries {
            let vals: Vec<&str> = values.items.iter().map(|v| v.text.as_str()).collect();
            // a specific value: no wildcard at all (an ExternalId, org id or account like `o-*`
            // names no one in particular)
            let pinned = !vals.is_empty()
                && vals
                    .iter()
                    .all(|v| !v.is_empty() && !v.contains(['*', '?']));
            // a source ARN pattern may end in a wildcard, but must name something
            let arn_pinned = !vals.is_empty()
                && vals.iter().all(|v| {
                    let parts: Vec<&str> = v.splitn(6, ':').collect();
                    let fixed = |x: &str| !x.is_empty() && !x.contains(['*', '?']);
                    let account = parts.get(4).is_some_and(|a| fixed(a));
                    let resource = parts
                        .get(5)
                        .is_some_and(|r| r.chars().any(|c| c != '*' && c != '?'));
                    account || resource
                });
            match key.to_ascii_lowercase().as_str() {
                "sts:externalid" => external_id |= string_like && pinned,
                "aws:multifactorauthpresent" => {
                    mfa |= op.base == BaseOp::Bool
                        && vals.iter().all(|v| v.eq_ignore_ascii_case("true"));
                }
                "aws:multifactorauthage" => {
                    mfa |= matches!(
                        op.base,
                        BaseOp::NumericLessThan | BaseOp::NumericLessThanEquals
                    ) && pinned;
                }
                "aws:principalorgid" | "aws:principalorgpaths" => org |= string_like && pinned,
                "aws:sourcearn" => source |= (string_like || arn_like) && arn_pinned,
                "aws:sourceaccount" | "aws:sourceorgid" | "aws:sourceorgpaths" => {
                    source |= string_like && pinned;
                }
                _ => {}
            }
        }
    }
    (external_id, mfa, org, source)
}

impl Account {
    /// Finds a principal by ARN, `user/NAME`, `role/NAME` or a name that only one user or role has.
    pub(crate) fn resolve(&self, key: &str) -> Result<&Prepared> {
        match self.by_key.get(key).map(Vec::as_slice) {
            Some([one]) => Ok(&self.prepared[*one]),
            Some(many) if many.len() > 1 => Err(Error::new(
                ErrorCode::AccountPrincipal,
                format!(
                    "`{key}` names more than one principal ({}): write user/{key} or role/{key}, or an ARN",
                    many.iter().map(|i| self.prepared[*i].arn.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
            _ => Err(Error::new(
                ErrorCode::AccountPrincipal,
                format!("the account has no user or role `{key}` (give an ARN, user/NAME, role/NAME or a name)"),
            )),
        }
    }

    pub(crate) fn check_extras(q: &AccountQuery) -> Result<()> {
        if !q.policies.identity.is_empty() || !q.policies.boundaries.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "identity policies and permissions boundaries come from the account: give only scps, rcps, resource, session and vpcEndpoint",
            ));
        }
        Ok(())
    }

    pub(crate) fn request_for(
        p: &Prepared,
        action: &str,
        resource: &str,
        q: &AccountQuery,
    ) -> Result<Request> {
        Account::request_with(p, action, resource, q, q.literal_resource)
    }

    /// [`Account::request_for`]; `literal`: the resource is one resource even when it holds `*`
    /// or `?` (iamkit's own probes).
    pub(crate) fn request_with(
        p: &Prepared,
        action: &str,
        resource: &str,
        q: &AccountQuery,
        literal: bool,
    ) -> Result<Request> {
        let mut b = Request::builder(p.arn.as_str(), action, resource);
        if literal {
            b = b.literal_resource();
        }
        if let Some(a) = &q.resource_account {
            b = b.resource_account(a.as_str());
        }
        for (k, v) in &p.context {
            b = b.context_values(k, smallvec::smallvec![v.clone()] as ContextValues, false);
        }
        for (k, v, multi) in &q.context {
            b = b.context_values(k, v.clone(), *multi);
        }
        b.build()
    }

    pub(crate) fn set_for(
        p: &Prepared,
        extra: &PolicySet,
        resource: Option<&std::sync::Arc<crate::eval::CompiledPolicy>>,
    ) -> PolicySet {
        PolicySet {
            identity: p.set.identity.clone(),
            boundaries: p.set.boundaries.clone(),
            resource: resource.cloned().or_else(|| extra.resource.clone()),
            session: extra.session.clone(),
            scps: extra.scps.clone(),
            rcps: extra.rcps.clone(),
            vpc_endpoints: extra.vpc_endpoints.clone(),
        }
    }

    /// The trust policy that decides an STS action on one of the account's roles, unless the
    /// caller gave a resource policy.
    pub(crate) fn trust_for(
        &self,
        action: &str,
        resource: &str,
        q: &AccountQuery,
    ) -> Option<&std::sync::Arc<crate::eval::CompiledPolicy>> {
        let sts = action
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("sts:"));
        if !sts || q.policies.resource.is_some() {
            return None;
        }
        self.roles
            .iter()
            .find(|r| r.arn == resource)
            .and_then(|r| r.trust_policy.as_ref())
    }

    /// For an STS action on a pattern of roles (unless the caller gave a resource policy): the
    /// account's roles the pattern covers, each with its trust policy, which decides for it,
    /// indexed by the callers their trust policies may name.
    pub(crate) fn roles_covered(&self, req: &Request, q: &AccountQuery) -> Option<RoleIndex<'_>> {
        let sts = req
            .action
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("sts:"));
        if !req.resource_is_pattern() || !sts || q.policies.resource.is_some() {
            return None;
        }
        let pattern = crate::eval::compile::resource_pattern(&req.resource);
        let roles: Vec<(&str, &std::sync::Arc<crate::eval::CompiledPolicy>)> = self
            .roles
            .iter()
            .filter(|r| pattern(&r.arn))
            .filter_map(|r| Some((r.arn.as_str(), r.trust_policy.as_ref()?)))
            .collect();
        let mut index = RoleIndex {
            any: Vec::new(),
            by: rustc_hash::FxHashMap::default(),
            roles: Vec::new(),
        };
        for (i, (_, trust)) in roles.iter().enumerate() {
            for st in trust.statements.iter() {
                if st.effect != Effect::Allow || !st.admits_action(&req.action) {
                    continue;
                }
                for key in st.caller_keys() {
                    match key {
                        CallerKey::Any => index.any.push(i),
                        key => index.by.entry(key).or_default().push(i),
                    }
                }
            }
        }
        index.roles = roles;
        Some(index)
    }

    /// Decides a pattern request of an STS action over the roles it covers, each with its trust
    /// policy: the first allowed, with its policy set and request. A role whose trust policy has
    /// no Allow naming the caller for the action, or names only its account while the caller's
    /// own policies allow no such thing, is passed over without building a request: the chain
    /// would deny it (a trust request needs the trust policy to name the caller, and one naming
    /// the account needs the identity's Allow too).
    fn decide_over_roles(
        p: &Prepared,
        req: &Request,
        q: &AccountQuery,
        index: &RoleIndex<'_>,
    ) -> Option<(PolicySet, Request, Decision)> {
        use crate::eval::compile::PrincipalMatch;
        let has_boundary = !p.set.boundaries.is_empty();
        let could = |st: &crate::eval::compile::CompiledStatement| {
            st.effect == Effect::Allow && st.could_apply(req, has_boundary)
        };
        let identity_may = p
            .set
            .identity
            .iter()
            .flat_map(|pol| pol.statements.iter())
            .any(could);
        let pr = &req.principal;
        let account = pr.account.as_deref().unwrap_or("");
        let mut keys = vec![CallerKey::Exact(&pr.text), CallerKey::Account(account)];
        if let Some(name) = &pr.role_name {
            keys.push(CallerKey::Role(account, name));
        }
        let mut candidates: Vec<usize> = index.any.clone();
        for k in &keys {
            candidates.extend(index.by.get(k).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        for (arn, trust) in candidates.iter().map(|&i| &index.roles[i]) {
            let best = trust
                .statements
                .iter()
                .filter(|st| could(st))
                .filter_map(|st| st.principal_via(req, has_boundary).flatten())
                .max();
            // named through its account only, the caller's own Allow must reach this role
            let identity_reaches = || {
                p.set
                    .identity
                    .iter()
                    .flat_map(|pol| pol.statements.iter())
                    .any(|st| could(st) && st.admits_resource(arn, req))
            };
            match best {
                None => continue,
                Some(PrincipalMatch::Account) if !identity_may || !identity_reaches() => continue,
                Some(_) => {}
            }
            let set = Account::set_for(p, &q.policies, Some(trust));
            let w = req.at_resource(arn);
            let d = set.decide(&w);
            if d == Decision::Allowed {
                return Some((set, w, d));
            }
        }
        None
    }

    /// Renames `identity[i]` / `permissionBoundaries[0]` to the account's policy names.
    pub(crate) fn relabel(&self, p: &Prepared, explain: &mut Explanation) {
        for s in &mut explain.statements {
            let label = match s.step {
                EvalStep::Identity => s
                    .policy
                    .strip_prefix("identity[")
                    .and_then(|r| r.strip_suffix(']'))
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| p.identity_labels.get(i).cloned()),
                EvalStep::Boundary => p.boundary_label.clone(),
                EvalStep::Scp => self.scp_label(&s.policy),
                _ => None,
            };
            if let Some(label) = label {
                let cited = format!(" of {}", s.policy);
                if explain.reason.ends_with(&cited) || explain.reason.contains(&format!("{cited} "))
                {
                    explain.reason = explain.reason.replacen(&cited, &format!(" of {label}"), 1);
                }
                s.policy = label;
            }
        }
    }

    /// Evaluates for one prepared principal (an Allow that an unknown document could change is
    /// held back: fail closed).
    fn evaluate_prepared(
        &self,
        p: &Prepared,
        action: &str,
        resource: &str,
        q: &AccountQuery,
        trust: Option<&std::sync::Arc<crate::eval::CompiledPolicy>>,
    ) -> Result<AccountEvaluation> {
        let req = Account::request_for(p, action, resource, q)?;
        let over_roles = self
            .roles_covered(&req, q)
            .and_then(|index| Account::decide_over_roles(p, &req, q, &index));
        let mut ev = match over_roles {
            Some((set, w, d)) => set.present_pattern(&req, d, Some(w), false, true),
            // the other resources the pattern covers (and roles the account does not list, with
            // no trust policy known)
            None => {
                let trust = trust.or_else(|| self.trust_for(action, resource, q));
                Account::set_for(p, &q.policies, trust).evaluate(&req)
            }
        };
        self.relabel(p, &mut ev.explain);
        let mut decision = ev.decision;
        if decision == Decision::Allowed && !p.missing.is_empty() {
            decision = Decision::ImplicitDeny;
            ev.explain.reason = format!(
                "{} would be allowed, but the {} of {} {} unknown, so the answer is not trusted (supply {})",
                ev.explain.reason.split(" is allowed").next().unwrap_or("the request"),
                if p.missing.len() == 1 { "document" } else { "documents" },
                p.missing.join(", "),
                if p.missing.len() == 1 { "is" } else { "are" },
                if p.missing.len() == 1 { "it" } else { "them" },
            );
            ev.explain.granted_by = None;
            // with a document unknown, no context is known to change the answer either
            ev.explain.missing_context.clear();
        }
        Ok(AccountEvaluation {
            principal: p.arn.clone(),
            decision,
            explain: ev.explain,
            incomplete: p.missing.clone(),
        })
    }

    /// Evaluates a request of one principal of the account (`principal`: an ARN, `user/NAME`,
    /// `role/NAME` or a unique name) with its identity policies (inline, attached, and its groups')
    /// and its boundary, plus the query's extra policies. The keys that follow from the principal
    /// are filled in (`aws:username`, `aws:userid` for users; `aws:PrincipalTag/*`; and the ones
    /// every request gets: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`);
    /// the query's context overrides them. A role is evaluated as a session of the role.
    pub fn evaluate(&self, principal: &str, q: &AccountQuery) -> Result<AccountEvaluation> {
        Account::check_extras(q)?;
        let q = &*self.scoped(q);
        let p = self.resolve(principal)?;
        self.evaluate_prepared(p, &q.action, &q.resource, q, None)
    }

    /// Every user and role of the account allowed to do the query's action on its resource, each
    /// with the statements that allow it (the root user, always allowed unless an SCP denies, is
    /// not listed). With a `catalog`, the answer names the action's access level.
    pub fn who_can(&self, q: &AccountQuery, catalog: Option<&Catalog>) -> Result<WhoCan> {
        Account::check_extras(q)?;
        let q = &*self.scoped(q);
        // the request must be well formed whoever asks
        let check = Request::builder(
            "arn:aws:iam::000000000000:root",
            q.action.as_str(),
            q.resource.as_str(),
        );
        if q.literal_resource {
            check.literal_resource().build()?;
        } else {
            check.build()?;
        }
        let mut allowed = Vec::new();
        let mut undecided = Vec::new();
        // the same for every principal: looked up once, not once per principal
        let trust = self.trust_for(&q.action, &q.resource, q);
        let index = self
            .prepared
            .first()
            .and_then(|p| Account::request_for(p, &q.action, &q.resource, q).ok())
            .and_then(|req| self.roles_covered(&req, q));
        for p in &self.prepared {
            let req = Account::request_for(p, &q.action, &q.resource, q)?;
            let over_roles = index
                .as_ref()
                .and_then(|index| Account::decide_over_roles(p, &req, q, index));
            // a pattern's search, once: its answer explains itself
            let (set, decision, witness, found) = match over_roles {
                Some((set, w, d)) => (set, d, Some(w), None),
                None => {
                    let set = Account::set_for(p, &q.policies, trust);
                    let (d, found) = set.decide_explaining_patterns(&req);
                    (set, d, None, found)
                }
            };
            if !p.missing.is_empty() {
                // an unknown document may allow (or deny): only an explicit deny is certain (for
                // a pattern, it is certain of one covered resource, not of all)
                if decision != Decision::ExplicitDeny || req.resource_is_pattern() {
                    undecided.push(p.arn.clone());
                }
                continue;
            }
            if decision != Decision::Allowed {
                continue;
            }
            // the allowing statements only: who-can does not look for missing context
            let mut ev = match (witness, found) {
                (Some(w), _) => set.present_pattern(&req, decision, Some(w), false, false),
                (None, Some(ev)) => ev,
                (None, None) => set.explain(&req),
            };
            self.relabel(p, &mut ev.explain);
            allowed.push(WhoCanEntry {
                principal: p.arn.clone(),
                kind: p.kind,
                name: p.name.clone(),
                statements: ev
                    .explain
                    .statements
                    .into_iter()
                    .filter(|s| s.effect == Effect::Allow)
                    .collect(),
                resource_witness: ev.explain.resource_witness,
            });
        }
        allowed.sort_by(|a, b| a.principal.cmp(&b.principal));
        undecided.sort();
        Ok(WhoCan {
            access: access_level(catalog, &q.action),
            allowed,
            undecided,
        })
    }

    /// Who can become `role` (an ARN, `role/NAME` or its name): the account's principals allowed by
    /// both the trust policy and their own policies to call `sts:AssumeRole`, and everything the
    /// trust policy names (other accounts, services, identity providers, anyone) with the
    /// conditions that guard it. `q`'s action and resource are ignored; its extra SCPs apply.
    pub fn who_can_assume(&self, role: &str, q: &AccountQuery) -> Result<WhoCanAssume> {
        Account::check_extras(q)?;
        let q = &*self.scoped_own(q);
        let target = self.resolve(role)?;
        if target.kind != PrincipalKind::Role {
            return Err(Error::new(
                ErrorCode::AccountPrincipal,
                format!("`{role}` is a user, not a role"),
            ));
        }
        let r = &self.roles[target.index];
        let Some(trust) = r.trust_policy.as_ref() else {
            // a trust policy that cannot be read may trust anyone: nobody is decided
            let unreadable = self.untrusted.unreadable_trust.contains(&r.arn);
            let mut undecided: Vec<String> = if unreadable {
                self.prepared.iter().map(|p| p.arn.clone()).collect()
            } else {
                Vec::new()
            };
            undecided.sort();
            return Ok(WhoCanAssume {
                role: r.arn.clone(),
                principals: Vec::new(),
                undecided,
                trusted: Vec::new(),
            });
        };
        let mut principals = Vec::new();
        let mut undecided = Vec::new();
        for p in &self.prepared {
            let ev = self.evaluate_prepared(p, "sts:AssumeRole", &r.arn, q, Some(trust))?;
            if ev.decision == Decision::Allowed {
                principals.push(WhoCanEntry {
                    principal: p.arn.clone(),
                    kind: p.kind,
                    name: p.name.clone(),
                    statements: ev
                        .explain
                        .statements
                        .into_iter()
                        .filter(|s| s.effect == Effect::Allow)
                        .collect(),
                    resource_witness: None,
                });
            } else if !ev.incomplete.is_empty() && ev.decision != Decision::ExplicitDeny {
                undecided.push(p.arn.clone());
            }
        }
        principals.sort_by(|a, b| a.principal.cmp(&b.principal));
        undecided.sort();
        let trusted = trust
            .source
            .statements
            .iter()
            .enumerate()
            .flat_map(|(i, s)| self.trusted_entities(i, s))
            .collect();
        Ok(WhoCanAssume {
            role: r.arn.clone(),
            principals,
            undecided,
            trusted,
        })
    }

    /// Everything a role's trust policy names, with the conditions that guard it.
    pub fn trusted_by(&self, role: &super::Role) -> Vec<TrustedEntity> {
        role.trust_policy
            .as_ref()
            .map(|t| {
                t.source
                    .statements
                    .iter()
                    .enumerate()
                    .flat_map(|(i, s)| self.trusted_entities(i, s))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn trusted_entities(&self, index: usize, s: &Statement) -> Vec<TrustedEntity> {
        let actions: Vec<String> = s
            .action
            .as_ref()
            .map(|a| a.values.items.clone())
            .unwrap_or_default();
        let negated_actions = s.action.as_ref().is_some_and(|a| a.negated);
        if !negated_actions && !actions.iter().any(|a| assume_action(a)) {
            return Vec::new();
        }
        let Some(pr) = &s.principal else {
            return Vec::new();
        };
        if pr.negated {
            return Vec::new();
        }
        let conditions = s.condition_json();
        let (external_id, mfa, org, source) = condition_flags(s);
        let mine = self.id.as_deref();
        let entity = |kind: &'static str, value: &str, account: Option<String>| TrustedEntity {
            kind,
            value: value.to_string(),
            in_account: account.is_some() && account.as_deref() == mine,
            account,
            effect: s.effect,
            actions: actions.clone(),
            statement: index,
            sid: s.sid.clone(),
            conditions: conditions.clone(),
            external_id,
            mfa,
            org,
            source,
        };
        let mut out = Vec::new();
        match &pr.value {
            PrincipalValue::Star => out.push(entity("anyone", "*", None)),
            PrincipalValue::Map(entries) => {
                for (kind, values) in entries {
                    for v in &values.items {
                        out.push(match kind {
                            crate::policy::PrincipalKind::Aws if v == "*" => {
                                entity("anyone", v, None)
                            }
                            crate::policy::PrincipalKind::Aws => {
                                if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
                                    entity("account", v, Some(v.clone()))
                                } else {
                                    let arn = crate::arn::Arn::parse(v);
                                    let account = arn
                                        .as_ref()
                                        .map(|a| a.account.to_string())
                                        .filter(|a| !a.is_empty());
                                    let root = arn.is_some_and(|a| a.resource == "root");
                                    entity(if root { "account" } else { "principal" }, v, account)
                                }
                            }
                            crate::policy::PrincipalKind::Service => entity("service", v, None),
                            crate::policy::PrincipalKind::Federated => entity("federated", v, None),
                            crate::policy::PrincipalKind::CanonicalUser => {
                                entity("canonicalUser", v, None)
                            }
                        });
                    }
                }
            }
        }
        out
    }

    /// Whether a principal is an administrator, by evaluation: allowed `*` on `*`. It must be
    /// allowed an action of a service no policy names (which catches `*`, `*:*` and `NotAction`
    /// wording) and every action its own policies name (so a Deny or a `NotAction` exclusion of
    /// any of them makes it no administrator). Unknown policy documents make it none (unproven).
    pub fn is_administrator(&self, principal: &str) -> Result<bool> {
        Ok(self.admin(self.resolve(principal)?))
    }

    pub(crate) fn admin(&self, p: &Prepared) -> bool {
        Account::admin_with(p, &mut ProbeCache::default(), &mut 0)
    }

    /// [`Account::admin`], with the probes of policies seen before; `steps` counts the work.
    pub(crate) fn admin_with(p: &Prepared, cache: &mut ProbeCache, steps: &mut u64) -> bool {
        p.missing.is_empty()
            && allows_everything(
                &p.set,
                &p.arn,
                p.account.as_deref(),
                &p.context,
                cache,
                steps,
            )
    }

    /// Whether one identity policy, alone, allows `*` on `*` (by the same probes as
    /// [`Account::is_administrator`]), whatever its wording.
    pub fn policy_allows_everything(
        &self,
        policy: &std::sync::Arc<crate::eval::CompiledPolicy>,
    ) -> bool {
        let account = self
            .id
            .clone()
            .unwrap_or_else(|| "000000000000".to_string());
        let arn = format!("arn:{}:iam::{account}:user/iamkit-probe", self.partition);
        let set = PolicySet {
            identity: vec![policy.clone()],
            ..PolicySet::default()
        };
        allows_everything(
            &set,
            &arn,
            Some(&account),
            &[],
            &mut ProbeCache::default(),
            &mut 0,
        )
    }

    /// Every administrator (users and roles allowed `*` on `*`), by ARN.
    pub fn administrators(&self) -> Vec<String> {
        self.administrators_counted(&mut 0)
    }

    /// [`Account::administrators`]; `steps` counts the work (statement matches, policies looked
    /// up, probes gathered), for tests.
    pub(crate) fn administrators_counted(&self, steps: &mut u64) -> Vec<String> {
        // principals that share policies share their probes
        let mut cache = ProbeCache::default();
        let mut v: Vec<String> = self
            .prepared
            .iter()
            .filter(|p| Account::admin_with(p, &mut cache, steps))
            .map(|p| p.arn.clone())
            .collect();
        v.sort();
        v
    }

    /// Counts, administrators and load issues.
    pub fn summary(&self) -> Summary {
        Summary {
            account_id: self.id.clone(),
            partition: self.partition.clone(),
            users: self.users.len(),
            groups: self.groups.len(),
            roles: self.roles.len(),
            customer_policies: self.policies.iter().filter(|p| !p.aws_managed).count(),
            aws_managed_policies: self.policies.iter().filter(|p| p.aws_managed).count(),
            instance_profiles: self.roles.iter().map(|r| r.instance_profiles.len()).sum(),
            administrators: self.administrators(),
            issues: self.issues.clone(),
        }
    }
}

/// One principal of the account, as [`Account::principals`] lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PrincipalInfo {
    /// The ARN.
    pub arn: String,
    /// `user` or `role`.
    pub kind: PrincipalKind,
    /// The name.
    pub name: String,
    /// The unique id.
    pub id: String,
    /// Its identity policies (ARNs, or `<entity ARN> inline policy <name>`), groups' included.
    pub policies: Vec<String>,
    /// Its permissions boundary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Groups (users).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Instance profiles (roles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instance_profiles: Vec<String>,
    /// Policies whose documents are unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    /// A user's console password, MFA and access keys, from the credential report when one was
    /// supplied (`keyKinds` is not in the report: access-key ids are classified by
    /// `credentials`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<crate::inputs::CredentialRow>,
}

impl Account {
    /// Every user and role, in input order (users first).
    pub fn principals(&self) -> Vec<PrincipalInfo> {
        self.prepared.iter().map(|p| self.info(p)).collect()
    }

    /// One principal (an ARN, `user/NAME`, `role/NAME` or a name only one user or role has), with
    /// its policies, boundary, groups and credentials, as [`Account::principals`] lists it.
    pub fn principal(&self, principal: &str) -> Result<PrincipalInfo> {
        Ok(self.info(self.resolve(principal)?))
    }

    fn info(&self, p: &Prepared) -> PrincipalInfo {
        let (id, groups, profiles, credentials) = match p.kind {
            PrincipalKind::User => {
                let u = &self.users[p.index];
                (
                    u.id.clone(),
                    u.groups.clone(),
                    Vec::new(),
                    u.credentials.clone(),
                )
            }
            PrincipalKind::Role => {
                let r = &self.roles[p.index];
                (
                    r.id.clone(),
                    Vec::new(),
                    r.instance_profiles.iter().map(|i| i.arn.clone()).collect(),
                    None,
                )
            }
        };
        PrincipalInfo {
            arn: p.arn.clone(),
            kind: p.kind,
            name: p.name.clone(),
            id,
            policies: p.identity_labels.clone(),
            permissions_boundary: p.boundary_label.clone(),
            groups,
            instance_profiles: profiles,
            incomplete: p.missing.clone(),
            credentials,
        }
    }
}

/// An action's access level, when a catalog is given and lists the action.
fn access_level(catalog: Option<&Catalog>, action: &str) -> Option<AccessLevel> {
    catalog?.action(action).map(|(_, a)| a.access)
}
