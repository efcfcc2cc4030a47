//! Administrator detection: whether a policy set allows `*` on `*` to a principal, by evaluation.
//!
//! The principal must be allowed a set of probe requests: an action of a service no
//! (non-universal) pattern reaches, and every action pattern the statements name (made concrete),
//! each on `*` and on every resource pattern a Deny or a `NotResource` names. Deciding every probe
//! request against every statement costs probe actions × probe resources × statements: cubic in
//! the policy size (one `Allow *` plus 1,000 conditional Denies took 21 s).
//!
//! Every probe request has the same principal, context and resource account; only the action and
//! the resource change. So each statement's principal and conditions are decided once (against one
//! representative probe), and its `Action` and `Resource` elements are matched against the probe
//! actions and the probe resources separately:
//!
//! - a probe is explicitly denied when a Deny statement whose principal and conditions do not rule
//!   it out admits one probe action and one probe resource (each Deny is matched once against the
//!   two lists, stopping at the first hit);
//! - a probe needs the resource-based policy (an STS action on a role, a KMS action on a key) when
//!   its action and resource say so, which only the two lists decide;
//! - every probe is allowed by the identity policies (and the boundary, if any) when, for each
//!   probe action, an applicable Allow admitting it admits every probe resource, or else the
//!   applicable Allows admitting it together admit every probe resource.
//!
//! The answer is that of deciding each probe with [`PolicySet::decide`] ([`by_probes`], kept for
//! the cases this does not cover: a principal of another kind, extra policy levels, no account).
//! With one `Allow *` statement the work is linear in the number of statements and patterns.

mod probes;

use crate::eval::compile::{CompiledPolicy, CompiledStatement, Tri};
use crate::eval::request::wildcard_only;
use crate::eval::{ContextValue, Decision, PolicySet, PrincipalType, Request};
use crate::policy::{Effect, Statement};
pub(crate) use probes::ProbeCache;
use probes::{concrete, probes, ACTION_STAR, RESOURCE_STAR};

/// Whether `set` allows `*` on `*` to the principal `arn` (see the module docs). `cache` holds
/// the probes of policies seen before; `steps` counts the statement matches made (action,
/// resource, principal-and-conditions), for tests.
pub(crate) fn allows_everything(
    set: &PolicySet,
    arn: &str,
    account: Option<&str>,
    context: &[(String, ContextValue)],
    cache: &mut ProbeCache,
    steps: &mut u64,
) -> bool {
    let Some(probes) = probes(set, cache, steps) else {
        return false;
    };
    let actions: Vec<&str> = probes.actions.iter().map(|a| &**a).collect();
    let resource_names: Vec<&str> = probes.resources.iter().map(|r| &*r.name).collect();
    let extra_levels = set.resource.is_some()
        || set.session.is_some()
        || !set.scps.is_empty()
        || !set.rcps.is_empty()
        || !set.vpc_endpoints.is_empty();
    let Some(account) = account.filter(|_| !extra_levels) else {
        return by_probes(set, arn, account, context, &actions, &resource_names, steps);
    };
    // the probes stay in the principal's account, whatever the ARN says
    let mut b = Request::builder(arn, probes.unreached.as_str(), "*")
        .resource_account(account)
        .literal_resource();
    for (k, v) in context {
        b = b.context_values(k, vec![v.clone()], false);
    }
    let Ok(rep) = b.build() else {
        // the principal is not well formed: every probe is skipped, as `by_probes` does
        return true;
    };
    if !matches!(
        rep.principal.kind,
        PrincipalType::User | PrincipalType::RoleSession
    ) {
        return by_probes(
            set,
            arn,
            Some(account),
            context,
            &actions,
            &resource_names,
            steps,
        );
    }
    // with no resource-based policy, a request that needs one is implicitly denied: one outside
    // the principal's account, an STS action on a role, a KMS action on a key
    if !rep.same_account() || !rep.principal.kind.has_account() {
        return false;
    }
    let service_is = |svc: &str| {
        actions.iter().any(|a| {
            a.get(..svc.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(svc))
        })
    };
    let (sts, kms) = (service_is("sts:"), service_is("kms:"));
    if probes
        .resources
        .iter()
        .any(|r| (sts && r.role) || (kms && r.key))
    {
        return false;
    }
    let mut probe = Probe {
        actions: &actions,
        untyped: Vec::new(),
        resources: &resource_names,
        service: probes.unreached.as_str(),
        rep: &rep,
        has_boundary: !set.boundaries.is_empty(),
    };
    let identity = probe.applicable(&set.identity, steps);
    let boundary = probe.applicable(&set.boundaries, steps);
    if identity
        .iter()
        .chain(boundary.iter())
        .any(|st| st.compiled.effect == Effect::Deny)
    {
        // looked up once per principal, and only when a Deny needs it
        probe.untyped = actions.iter().map(|a| wildcard_only(a)).collect();
    }
    // 1. a Deny that admits a probe action and a probe resource denies that probe
    let denied = identity
        .iter()
        .chain(boundary.iter())
        .filter(|st| st.compiled.effect == Effect::Deny)
        .any(|st| probe.hits(st, steps));
    if denied {
        return false;
    }
    // 2. every probe allowed by an identity Allow, and by a boundary Allow when there is a
    // boundary
    probe.covered(&identity, steps)
        && (set.boundaries.is_empty() || probe.covered(&boundary, steps))
}

/// The probe actions and resources (well formed, sorted), and one probe request that stands for
/// all of them in what does not depend on the action or the resource.
struct Probe<'a> {
    actions: &'a [&'a str],
    /// Per probe action, whether it has no resource type (filled when a Deny is checked).
    untyped: Vec<bool>,
    resources: &'a [&'a str],
    /// The action of a service no pattern reaches.
    service: &'a str,
    rep: &'a Request,
    has_boundary: bool,
}

/// A statement whose principal and conditions hold (or, for a Deny, cannot be decided).
struct Applicable<'p> {
    compiled: &'p CompiledStatement,
    source: &'p Statement,
    /// Its wording admits every action (`*`).
    every_action: bool,
    /// Its wording admits every resource (`*`).
    every_resource: bool,
}

impl Probe<'_> {
    /// The statements of `policies` whose principal and conditions do not rule the probes out:
    /// an Allow must apply (`True`), a Deny applies unless `False` (fail closed).
    fn applicable<'p>(
        &self,
        policies: &'p [std::sync::Arc<CompiledPolicy>],
        steps: &mut u64,
    ) -> Vec<Applicable<'p>> {
        let mut out = Vec::new();
        for pol in policies {
            for (s, src) in pol.statements.iter().zip(pol.source.statements.iter()) {
                *steps += 1;
                let applies = s.matches_caller(self.rep, self.has_boundary).applies;
                let keep = match s.effect {
                    Effect::Allow => applies == Tri::True,
                    Effect::Deny => applies != Tri::False,
                };
                if keep {
                    out.push(Applicable {
                        compiled: s,
                        source: src,
                        every_action: every(src, true),
                        every_resource: every(src, false),
                    });
                }
            }
        }
        out
    }

    fn admits_action(&self, s: &CompiledStatement, a: &str, steps: &mut u64) -> bool {
        *steps += 1;
        s.admits_action(a)
    }

    fn admits_resource(&self, s: &CompiledStatement, r: &str, steps: &mut u64) -> bool {
        *steps += 1;
        s.admits_resource(r, self.rep)
    }

    /// The probes among the statement's own patterns, made concrete (`action`: its actions,
    /// else its resources): the ones it is most likely to admit (or, negated, to refuse).
    fn own(&self, st: &Applicable<'_>, action: bool) -> Vec<String> {
        let (el, probes, star) = if action {
            (&st.source.action, self.actions, ACTION_STAR)
        } else {
            (&st.source.resource, self.resources, RESOURCE_STAR)
        };
        el.iter()
            .flat_map(|l| l.values.items.iter())
            .map(|p| concrete(p, star))
            .filter(|c| probes.binary_search(&c.as_str()).is_ok())
            .collect()
    }

    /// Whether `st` admits some probe action on some probe resource AWS would ask it on (its
    /// own patterns are tried first: a statement nearly always admits what it names). An action
    /// with no resource type is asked on `*` alone, so a statement naming only specific resources
    /// does not reach it.
    fn hits(&self, st: &Applicable<'_>, steps: &mut u64) -> bool {
        let s = st.compiled;
        let own = self.own(st, true);
        let is_untyped = |a: &str| {
            self.actions
                .binary_search(&a)
                .is_ok_and(|i| self.untyped.get(i).copied().unwrap_or(false))
        };
        let candidates = || {
            own.iter()
                .map(String::as_str)
                .chain(self.actions.iter().copied())
        };
        let typed = candidates().any(|a| !is_untyped(a) && self.admits_action(s, a, steps));
        if typed
            && (self
                .own(st, false)
                .iter()
                .any(|r| self.admits_resource(s, r, steps))
                || self
                    .resources
                    .iter()
                    .any(|r| self.admits_resource(s, r, steps)))
        {
            return true;
        }
        candidates().any(|a| is_untyped(a) && self.admits_action(s, a, steps))
            && self.admits_resource(s, "*", steps)
    }

    /// Whether `st` admits every probe resource (a `NotResource` statement's own patterns, the
    /// likeliest to be refused, are tried first).
    fn every_probe_resource(&self, st: &Applicable<'_>, steps: &mut u64) -> bool {
        let s = st.compiled;
        st.every_resource
            || (self
                .own(st, false)
                .iter()
                .all(|r| self.admits_resource(s, r, steps))
                && self
                    .resources
                    .iter()
                    .all(|r| self.admits_resource(s, r, steps)))
    }

    /// Whether the Allow statements among `statements` allow every probe action on every probe
    /// resource.
    fn covered(&self, statements: &[Applicable<'_>], steps: &mut u64) -> bool {
        // the Allows that admit every probe resource, those admitting every action first, then
        // those admitting the unreached service (`*`-like, or a `NotAction`)
        let mut full: Vec<(&CompiledStatement, (bool, bool))> = Vec::new();
        let mut partial: Vec<&CompiledStatement> = Vec::new();
        for st in statements
            .iter()
            .filter(|st| st.compiled.effect == Effect::Allow)
        {
            if self.every_probe_resource(st, steps) {
                let broad = st.every_action || self.admits_action(st.compiled, self.service, steps);
                full.push((st.compiled, (!st.every_action, !broad)));
            } else {
                partial.push(st.compiled);
            }
        }
        full.sort_by_key(|(_, order)| *order);
        // the unreached service first: only broad statements admit it, so most principals
        // stop there
        let rows = std::iter::once(self.service)
            .chain(self.actions.iter().copied().filter(|a| *a != self.service));
        for a in rows {
            let whole_row = full
                .iter()
                .any(|(s, (not_every, _))| !*not_every || self.admits_action(s, a, steps));
            if whole_row {
                continue;
            }
            // no single Allow: the ones admitting `a` must admit every resource between them
            let row: Vec<&CompiledStatement> = partial
                .iter()
                .copied()
                .filter(|s| self.admits_action(s, a, steps))
                .collect();
            let all = self
                .resources
                .iter()
                .all(|r| row.iter().any(|s| self.admits_resource(s, r, steps)));
            if !all {
                return false;
            }
        }
        true
    }
}

/// Whether a statement's `Action` (`action`) or `Resource` element admits everything by its
/// wording: absent, or naming `*`.
fn every(s: &Statement, action: bool) -> bool {
    let el = if action { &s.action } else { &s.resource };
    match el {
        Some(l) => !l.negated && l.values.items.iter().any(|p| p == "*"),
        None => true,
    }
}

/// Decides every probe request with [`PolicySet::decide`]: `actions` × `resources`, each decision
/// a pass over every statement (cubic; used only where the module's method does not apply, and
/// by tests to check it).
fn by_probes(
    set: &PolicySet,
    arn: &str,
    account: Option<&str>,
    context: &[(String, ContextValue)],
    actions: &[&str],
    resources: &[&str],
    steps: &mut u64,
) -> bool {
    let statements: u64 = set
        .identity
        .iter()
        .chain(set.boundaries.iter())
        .map(|p| p.statements.len() as u64)
        .sum();
    for action in actions {
        for resource in resources {
            // `*` itself, as AWS asks for actions with no resource type (not "some resource")
            let mut b = Request::builder(arn, *action, *resource).literal_resource();
            if let Some(a) = account {
                b = b.resource_account(a);
            }
            for (k, v) in context {
                b = b.context_values(k, vec![v.clone()], false);
            }
            let Ok(req) = b.build() else {
                if *resource != "*" && !cfg!(feature = "embedded-catalog") {
                    // without the catalog no request names a resource: nothing is proven
                    return false;
                }
                // a pattern that does not make a well-formed request (a variable, say), or an
                // action with no resource type on a specific resource (AWS never asks that)
                continue;
            };
            *steps += statements.max(1);
            // what the policies grant, as the answer without probes reads them: a request AWS
            // decides by a service rule whatever the policies say tells nothing of them
            if set.decide_by_policies(&req) != Decision::Allowed {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests;
