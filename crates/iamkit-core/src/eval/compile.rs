//! Policies compiled for evaluation: every pattern, number, date, CIDR and base64 value is read
//! once here, so matching a request parses and allocates nothing.

use std::sync::Arc;

use ipnet::IpNet;

use crate::arn::Arn;
use crate::policy::condition::{
    parse_base64, parse_bool, parse_date, parse_ip_net, parse_number, BaseOp, Family, Operator,
    SetOp,
};
use crate::policy::{Effect, Policy, PrincipalKind, PrincipalValue, Statement};
use crate::wildcard::{eq_ignore_case, Glob, Language, Syntax};

use super::patterns::{ActionPattern, Piece, ResourcePattern};
use super::request::{ContextValue, PrincipalType, Request};

/// Three-valued logic for conditions that cannot be decided (a request value of the wrong type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// Matches.
    True,
    /// Does not match.
    False,
    /// Cannot be decided.
    Unknown,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// How a resource-policy statement's principal names the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// Through the caller's account (account id or root ARN).
    Account,
    /// Through the role of a role session.
    Role,
    /// The caller itself (`*`, user, session, federated user, service, provider).
    Direct,
}

#[derive(Debug, Clone)]
enum AwsEntry {
    Star,
    /// A bare account id (any partition).
    Account(Box<str>),
    /// `arn:PARTITION:iam::ACCOUNT:root`.
    Root {
        partition: Box<str>,
        account: Box<str>,
    },
    /// A role ARN (its path is irrelevant: role names are unique in an account).
    Role {
        partition: Box<str>,
        account: Box<str>,
        name: Box<str>,
    },
    Exact(Box<str>),
}

#[derive(Debug, Clone, Default)]
struct CompiledPrincipal {
    negated: bool,
    star: bool,
    aws: Vec<AwsEntry>,
    services: Vec<Box<str>>,
    federated: Vec<Box<str>>,
}

#[derive(Debug, Clone)]
enum Values {
    Strings(Vec<Piece>),
    Numbers(Vec<f64>),
    Dates(Vec<i128>),
    Bools(Vec<bool>),
    Binaries(Vec<Vec<u8>>),
    Nets(Vec<IpNet>),
    Arns(Vec<ResourcePattern>),
}

#[derive(Debug, Clone)]
struct CompiledCondition {
    op: Operator,
    key: Box<str>,
    values: Values,
    /// Some value could not be read as the operator's type: the condition is undecidable.
    invalid: bool,
}

/// A statement ready to match requests.
#[derive(Debug, Clone)]
pub struct CompiledStatement {
    /// `Allow` or `Deny`.
    pub effect: Effect,
    actions: Option<(bool, Vec<Arc<ActionPattern>>)>,
    resources: Option<(bool, Vec<Arc<ResourcePattern>>)>,
    /// `NotResource` patterns holding policy variables: a variable without a value makes the
    /// statement undecidable rather than applying to every resource.
    not_resource_vars: Box<[Glob]>,
    /// Boxed: most statements have none, and a smaller statement keeps more of a policy's
    /// statements in one cache line when they are scanned for their effect.
    principal: Option<Box<CompiledPrincipal>>,
    conditions: Vec<CompiledCondition>,
}

/// A policy ready to match requests, with its source document.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// The statements, in document order.
    pub statements: Vec<CompiledStatement>,
    /// Whether some statement allows / denies: a scan for one effect skips a policy without it
    /// before reading its statements (most policies hold no Deny).
    has_allow: bool,
    has_deny: bool,
    /// The document.
    pub source: Policy,
}

impl CompiledPolicy {
    /// Compiles a validated policy.
    pub fn new(policy: Policy) -> CompiledPolicy {
        let vars = policy.variables_enabled();
        let statements = policy
            .statements
            .iter()
            .map(|s| compile_statement(s, vars))
            .collect::<Vec<_>>();
        let has = |e: Effect| statements.iter().any(|s| s.effect == e);
        CompiledPolicy {
            has_allow: has(Effect::Allow),
            has_deny: has(Effect::Deny),
            statements,
            source: policy,
        }
    }

    /// Whether some statement has `effect`.
    pub(crate) fn has(&self, effect: Effect) -> bool {
        match effect {
            Effect::Allow => self.has_allow,
            Effect::Deny => self.has_deny,
        }
    }
}

fn compile_statement(s: &Statement, vars: bool) -> CompiledStatement {
    let actions = s.action.as_ref().map(|a| {
        (
            a.negated,
            a.values
                .items
                .iter()
                .map(|p| ActionPattern::shared(p))
                .collect(),
        )
    });
    let resources = s.resource.as_ref().map(|r| {
        (
            r.negated,
            r.values
                .items
                .iter()
                .map(|p| ResourcePattern::shared(p, vars))
                .collect(),
        )
    });
    let not_resource_vars = s
        .resource
        .as_ref()
        .filter(|r| r.negated)
        .map(|r| variable_globs(r.values.items.iter().map(|p| p.as_str()), vars))
        .unwrap_or_default();
    let principal = s.principal.as_ref().map(|p| {
        let mut c = CompiledPrincipal {
            negated: p.negated,
            ..Default::default()
        };
        match &p.value {
            PrincipalValue::Star => c.star = true,
            PrincipalValue::Map(entries) => {
                for (kind, vals) in entries {
                    for v in &vals.items {
                        match kind {
                            PrincipalKind::Aws => c.aws.push(aws_entry(v)),
                            PrincipalKind::Service => {
                                c.services.push(v.to_ascii_lowercase().into())
                            }
                            PrincipalKind::Federated => c.federated.push(v.as_str().into()),
                            PrincipalKind::CanonicalUser => {}
                        }
                    }
                }
            }
        }
        if c.aws.iter().any(|e| matches!(e, AwsEntry::Star)) {
            c.star = true;
        }
        Box::new(c)
    });
    let conditions = s
        .condition
        .iter()
        .flat_map(|block| {
            block.entries.iter().map(move |(key, vals)| {
                let values = compile_values(
                    block.operator.base,
                    vals.items.iter().map(|v| v.text.as_str()),
                    vars,
                );
                CompiledCondition {
                    op: block.operator,
                    key: key.to_ascii_lowercase().into(),
                    invalid: values.len() != vals.items.len(),
                    values,
                }
            })
        })
        .collect();
    CompiledStatement {
        effect: s.effect,
        actions,
        resources,
        not_resource_vars,
        principal,
        conditions,
    }
}

/// The `NotResource` patterns among `texts` that hold a policy variable (none when variables are
/// off).
fn variable_globs<'a>(texts: impl Iterator<Item = &'a str>, vars: bool) -> Box<[Glob]> {
    if !vars {
        return Box::default();
    }
    let syntax = Syntax {
        wildcards: true,
        variables: true,
    };
    texts
        .filter(|t| t.contains("${"))
        .map(|t| Glob::compile(t, syntax).0)
        .filter(Glob::has_variables)
        .collect()
}

fn aws_entry(v: &str) -> AwsEntry {
    if v == "*" {
        return AwsEntry::Star;
    }
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return AwsEntry::Account(v.into());
    }
    if let Some(a) = Arn::parse(v) {
        if a.service == "iam" && a.resource == "root" {
            return AwsEntry::Root {
                partition: a.partition.into(),
                account: a.account.into(),
            };
        }
        if a.service == "iam" && a.resource.starts_with("role/") {
            if let Some(name) = a.resource.rsplit('/').next() {
                return AwsEntry::Role {
                    partition: a.partition.into(),
                    account: a.account.into(),
                    name: name.into(),
                };
            }
        }
    }
    AwsEntry::Exact(v.into())
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Strings(v) => v.len(),
            Values::Numbers(v) => v.len(),
            Values::Dates(v) => v.len(),
            Values::Bools(v) => v.len(),
            Values::Binaries(v) => v.len(),
            Values::Nets(v) => v.len(),
            Values::Arns(v) => v.len(),
        }
    }
}

fn compile_values<'a>(base: BaseOp, vals: impl Iterator<Item = &'a str>, vars: bool) -> Values {
    let syn = Syntax {
        wildcards: matches!(base, BaseOp::StringLike | BaseOp::StringNotLike),
        variables: vars,
    };
    // as `positive_match` matches them
    let ignore_case = base.positive() == BaseOp::StringEqualsIgnoreCase;
    match base.family() {
        Family::String => {
            Values::Strings(vals.map(|v| Piece::compile(v, syn, ignore_case)).collect())
        }
        Family::Numeric => Values::Numbers(vals.filter_map(parse_number).collect()),
        Family::Date => Values::Dates(vals.filter_map(parse_date).collect()),
        Family::Bool | Family::Null => Values::Bools(vals.filter_map(parse_bool).collect()),
        Family::Binary => Values::Binaries(vals.filter_map(parse_base64).collect()),
        Family::Ip => Values::Nets(vals.filter_map(parse_ip_net).collect()),
        Family::Arn => Values::Arns(vals.map(|v| ResourcePattern::compile(v, vars)).collect()),
    }
}

/// The result of matching one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementMatch {
    /// Whether the statement applies (Unknown: its conditions could not be decided).
    pub applies: Tri,
    /// For statements with a principal: how the caller was named.
    pub via: Option<PrincipalMatch>,
}

impl CompiledStatement {
    /// Matches the statement against a request. `has_boundary` tells whether the caller has a
    /// permissions boundary (a `Deny` with `NotPrincipal` then always applies).
    pub fn matches(&self, req: &Request, has_boundary: bool) -> StatementMatch {
        if !self.admits_action(&req.action) || !self.admits_resource(&req.resource, req) {
            return StatementMatch {
                applies: Tri::False,
                via: None,
            };
        }
        self.matches_caller(req, has_boundary)
    }

    /// Whether the `Action` (or `NotAction`) element admits `action`.
    pub(crate) fn admits_action(&self, action: &str) -> bool {
        match &self.actions {
            Some((negated, pats)) => pats.iter().any(|g| g.matches(action)) != *negated,
            None => true,
        }
    }

    /// Whether the `Resource` (or `NotResource`) element admits `resource`, with `req`'s context
    /// for policy variables.
    pub(crate) fn admits_resource(&self, resource: &str, req: &Request) -> bool {
        match &self.resources {
            Some((negated, pats)) => {
                pats.iter().any(|p| p.matches(resource, &req.context)) != *negated
            }
            None => true,
        }
    }

    /// Whether the statement could apply to `req` on some resource: it admits the action, and
    /// its principal and conditions do not rule the caller out (an undecidable condition could).
    pub(crate) fn could_apply(&self, req: &Request, has_boundary: bool) -> bool {
        self.admits_action(&req.action)
            && self.matches_caller(req, has_boundary).applies != Tri::False
    }

    /// The resources each of the statement's `Resource` (or `NotResource`) patterns matches,
    /// with `req`'s context for policy variables; `None` when it has neither element.
    pub(crate) fn resource_languages(&self, req: &Request) -> Option<Vec<Language>> {
        self.resources
            .as_ref()
            .map(|(_, pats)| pats.iter().map(|p| p.language(&req.context)).collect())
    }

    /// Matches the parts of the statement that do not depend on the action or the resource:
    /// the principal and the conditions (what [`CompiledStatement::matches`] checks once the
    /// action and the resource are admitted).
    pub(crate) fn matches_caller(&self, req: &Request, has_boundary: bool) -> StatementMatch {
        let no = StatementMatch {
            applies: Tri::False,
            via: None,
        };
        let mut result = Tri::True;
        // checked once the resource is admitted; it depends on the context alone
        if self.resources.is_some()
            && self
                .not_resource_vars
                .iter()
                .any(|g| !g.variables_resolve(&req.context))
        {
            // AWS: a variable it cannot resolve "might cause the entire statement to be
            // invalid"; the resource is outside NotResource only because the unresolved
            // pattern matches nothing, so the statement is undecidable: an Allow does not
            // grant, a Deny applies (negated condition operators keep AWS's documented rule:
            // a variable without a value makes them hold)
            result = Tri::Unknown;
        }
        let Some(via) = self.principal_via(req, has_boundary) else {
            return no;
        };
        for c in &self.conditions {
            match eval_condition(c, req) {
                Tri::False => return no,
                Tri::Unknown => result = Tri::Unknown,
                Tri::True => {}
            }
        }
        StatementMatch {
            applies: result,
            via,
        }
    }
}

impl CompiledStatement {
    /// Whether the statement's conditions read a key the request leaves out while none on the
    /// keys it gives is false: only then can a value of a missing key change whether it applies.
    pub(crate) fn hinges_on_missing(&self, req: &Request) -> bool {
        let mut missing = false;
        for c in &self.conditions {
            let absent = req.context.get(&c.key).is_none_or(|e| e.values.is_empty());
            if absent {
                missing = true;
            } else if eval_condition(c, req) == Tri::False {
                return false;
            }
        }
        missing
    }

    /// How the statement's `Principal` (or `NotPrincipal`) names the caller: `None` when it does
    /// not (the statement does not apply to the caller), `Some(None)` when the statement has no
    /// principal element.
    #[inline]
    pub(crate) fn principal_via(
        &self,
        req: &Request,
        has_boundary: bool,
    ) -> Option<Option<PrincipalMatch>> {
        let Some(p) = &self.principal else {
            return Some(None);
        };
        if p.negated {
            let exempt =
                all_identities_listed(p, req) && !(self.effect == Effect::Deny && has_boundary);
            return (!exempt).then_some(Some(PrincipalMatch::Direct));
        }
        principal_match(p, req).map(Some)
    }
}

fn account_listed(p: &CompiledPrincipal, partition: &str, account: &str) -> bool {
    p.aws.iter().any(|e| match e {
        AwsEntry::Account(a) => &**a == account,
        AwsEntry::Root {
            partition: pa,
            account: a,
        } => &**a == account && &**pa == partition,
        _ => false,
    })
}

fn exact_listed(p: &CompiledPrincipal, arn: &str) -> bool {
    p.aws
        .iter()
        .any(|e| matches!(e, AwsEntry::Exact(x) if &**x == arn))
}

fn role_listed(p: &CompiledPrincipal, partition: &str, account: &str, name: &str) -> bool {
    p.aws.iter().any(|e| {
        matches!(e, AwsEntry::Role { partition: pa, account: a, name: n }
            if &**a == account && &**n == name && &**pa == partition)
    })
}

fn service_listed(p: &CompiledPrincipal, name: &str) -> bool {
    p.services.iter().any(|s| eq_ignore_case(s, name))
}

fn provider_listed(p: &CompiledPrincipal, name: &str) -> bool {
    p.federated.iter().any(|s| eq_ignore_case(s, name))
}

/// How a positive `Principal` names the caller, if it does.
fn principal_match(p: &CompiledPrincipal, req: &Request) -> Option<PrincipalMatch> {
    if p.star {
        return Some(PrincipalMatch::Direct);
    }
    let pr = &req.principal;
    let account = pr.account.as_deref().unwrap_or("");
    let partition = pr.partition.as_deref().unwrap_or("");
    let mut best = None;
    let mut consider = |m: PrincipalMatch| {
        if best.is_none_or(|b| m > b) {
            best = Some(m);
        }
    };
    match pr.kind {
        PrincipalType::Root => {
            if account_listed(p, partition, account) {
                consider(PrincipalMatch::Direct);
            }
        }
        PrincipalType::User | PrincipalType::FederatedUser => {
            if exact_listed(p, &pr.text) {
                consider(PrincipalMatch::Direct);
            }
            if account_listed(p, partition, account) {
                consider(PrincipalMatch::Account);
            }
        }
        PrincipalType::RoleSession => {
            if pr.has_session_arn && exact_listed(p, &pr.text) {
                consider(PrincipalMatch::Direct);
            }
            if let Some(name) = &pr.role_name {
                if role_listed(p, partition, account, name) {
                    consider(PrincipalMatch::Role);
                }
            }
            if account_listed(p, partition, account) {
                consider(PrincipalMatch::Account);
            }
        }
        PrincipalType::Service => {
            if service_listed(p, &pr.text) {
                consider(PrincipalMatch::Direct);
            }
        }
        PrincipalType::IdentityProvider => {
            if provider_listed(p, &pr.text) {
                consider(PrincipalMatch::Direct);
            }
        }
        PrincipalType::Anonymous => {}
    }
    best
}

/// For `NotPrincipal`: whether every identity of the caller is listed (then the statement does
/// not apply).
fn all_identities_listed(p: &CompiledPrincipal, req: &Request) -> bool {
    if p.star {
        return true;
    }
    let pr = &req.principal;
    let account = pr.account.as_deref().unwrap_or("");
    let partition = pr.partition.as_deref().unwrap_or("");
    match pr.kind {
        PrincipalType::Root => account_listed(p, partition, account),
        PrincipalType::User | PrincipalType::FederatedUser => {
            exact_listed(p, &pr.text) && account_listed(p, partition, account)
        }
        PrincipalType::RoleSession => {
            let role_ok = pr
                .role_name
                .as_deref()
                .is_some_and(|n| role_listed(p, partition, account, n));
            // a bare role ARN stands for a session whose ARN is unknown: it cannot be shown to be
            // listed, so the statement applies (fail closed)
            let session_ok = pr.has_session_arn && exact_listed(p, &pr.text);
            role_ok && session_ok && account_listed(p, partition, account)
        }
        PrincipalType::Service => service_listed(p, &pr.text),
        PrincipalType::IdentityProvider => provider_listed(p, &pr.text),
        PrincipalType::Anonymous => false,
    }
}

fn eval_condition(c: &CompiledCondition, req: &Request) -> Tri {
    if c.invalid {
        return Tri::Unknown;
    }
    let entry = req.context.get(&c.key);
    let vals: &[ContextValue] = entry.map(|e| e.values.as_slice()).unwrap_or(&[]);
    let present = !vals.is_empty();
    let base = c.op.base;
    if base == BaseOp::Null {
        let Values::Bools(want) = &c.values else {
            return Tri::Unknown;
        };
        return Tri::from_bool(want.iter().any(|&absent| absent != present));
    }
    let negated = base.negated();
    // the operator applied to one request value (negation included)
    let one = |v: &ContextValue| {
        let m = positive_match(c, v, req);
        if negated {
            m.not()
        } else {
            m
        }
    };
    match c.op.set {
        SetOp::None => {
            if !present {
                return Tri::from_bool(c.op.if_exists || negated);
            }
            let multi = entry.is_some_and(|e| e.multivalued) || vals.len() > 1;
            if !multi {
                return one(&vals[0]);
            }
            // a plain operator on a multivalued key: some value matches (positive), or no value
            // matches the positive form (negated)
            let any_positive = any(vals.iter().map(|v| positive_match(c, v, req)));
            if negated {
                any_positive.not()
            } else {
                any_positive
            }
        }
        SetOp::ForAnyValue => {
            if !present {
                return Tri::from_bool(c.op.if_exists);
            }
            any(vals.iter().map(one))
        }
        SetOp::ForAllValues => {
            if !present {
                return Tri::True;
            }
            all(vals.iter().map(one))
        }
    }
}

/// Decodes a request's base64 value into `buf` without allocating; `None` when it is not the
/// canonical padded standard encoding (AWS compares the encoded value byte for byte, so `aGVsbG8`
/// is not `aGVsbG8=`: an unpadded or otherwise non-canonical value is unknown, which fails
/// closed) or is too long.
fn decode_base64<'b>(text: &str, buf: &'b mut [u8; 512]) -> Option<&'b [u8]> {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    let n = STANDARD.decode_slice(text, buf).ok()?;
    buf.get(..n)
}

fn any(it: impl Iterator<Item = Tri>) -> Tri {
    let mut r = Tri::False;
    for t in it {
        match t {
            Tri::True => return Tri::True,
            Tri::Unknown => r = Tri::Unknown,
            Tri::False => {}
        }
    }
    r
}

fn all(it: impl Iterator<Item = Tri>) -> Tri {
    let mut r = Tri::True;
    for t in it {
        match t {
            Tri::False => return Tri::False,
            Tri::Unknown => r = Tri::Unknown,
            Tri::True => {}
        }
    }
    r
}

/// The positive form of the operator (values ORed) against one request value.
fn positive_match(c: &CompiledCondition, v: &ContextValue, req: &Request) -> Tri {
    use BaseOp::*;
    let base = c.op.base.positive();
    match &c.values {
        Values::Strings(globs) => {
            let ci = base == StringEqualsIgnoreCase;
            Tri::from_bool(globs.iter().any(|g| g.matches(&v.text, ci, &req.context)))
        }
        Values::Numbers(ns) => match v.num() {
            None => Tri::Unknown,
            Some(x) => Tri::from_bool(ns.iter().any(|&n| match base {
                NumericEquals => x == n,
                NumericLessThan => x < n,
                NumericLessThanEquals => x <= n,
                NumericGreaterThan => x > n,
                NumericGreaterThanEquals => x >= n,
                _ => false,
            })),
        },
        Values::Dates(ds) => match v.date() {
            None => Tri::Unknown,
            Some(x) => Tri::from_bool(ds.iter().any(|&d| match base {
                DateEquals => x == d,
                DateLessThan => x < d,
                DateLessThanEquals => x <= d,
                DateGreaterThan => x > d,
                DateGreaterThanEquals => x >= d,
                _ => false,
            })),
        },
        Values::Bools(bs) => match v.boolean() {
            None => Tri::Unknown,
            Some(x) => Tri::from_bool(bs.contains(&x)),
        },
        Values::Binaries(bs) => match decode_base64(&v.text, &mut [0u8; 512]) {
            None => Tri::Unknown,
            Some(x) => Tri::from_bool(bs.iter().any(|b| b.as_slice() == x)),
        },
        Values::Nets(nets) => match v.ip() {
            None => Tri::Unknown,
            Some(ip) => Tri::from_bool(nets.iter().any(|n| n.contains(&ip))),
        },
        Values::Arns(pats) => {
            if Arn::parse(&v.text).is_none() {
                return Tri::Unknown;
            }
            Tri::from_bool(pats.iter().any(|p| p.matches(&v.text, &req.context)))
        }
    }
}

/// A matcher for the resources a resource pattern (as a request or a policy writes one, without
/// policy variables) covers.
pub(crate) fn resource_pattern(p: &str) -> impl Fn(&str) -> bool {
    let compiled = ResourcePattern::compile(p, false);
    move |r| compiled.matches(r, &crate::wildcard::NoVars)
}

/// A way a statement's `Principal` can name an account's user or role session, as a key to look
/// callers up by (partitions left out: a lookup only narrows what the chain then decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CallerKey<'a> {
    /// Any caller may be named (`*`, `NotPrincipal`, no `Principal`).
    Any,
    /// This ARN (a user, or a session's own ARN).
    Exact(&'a str),
    /// Sessions of this role: account, then name.
    Role(&'a str, &'a str),
    /// Every caller of this account.
    Account(&'a str),
}

impl CompiledStatement {
    /// The keys of the callers the statement's `Principal` may name: a caller none of whose keys
    /// is listed is not named (services and identity providers name no user or role session).
    pub(crate) fn caller_keys(&self) -> Vec<CallerKey<'_>> {
        let Some(p) = &self.principal else {
            return vec![CallerKey::Any];
        };
        if p.negated || p.star {
            return vec![CallerKey::Any];
        }
        p.aws
            .iter()
            .map(|e| match e {
                AwsEntry::Star => CallerKey::Any,
                AwsEntry::Account(a) | AwsEntry::Root { account: a, .. } => CallerKey::Account(a),
                AwsEntry::Role { account, name, .. } => CallerKey::Role(account, name),
                AwsEntry::Exact(x) => CallerKey::Exact(x),
            })
            .collect()
    }
}
