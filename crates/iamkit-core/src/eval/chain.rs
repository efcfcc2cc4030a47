//! AWS's decision chain: explicit deny, RCPs, SCPs, the resource-based policy, identity policies,
//! the permissions boundary and the session policy, with the same-account and cross-account rules.
//!
//! The chain is generic over a [`Trace`], so the fast path ([`NoTrace`]) records nothing and
//! allocates nothing, while [`Recorder`] collects the explanation.

use crate::policy::Effect;

use std::sync::Arc;

use super::compile::{CompiledPolicy, PrincipalMatch, Tri};

/// SCP or RCP levels, root first.
type Levels = Vec<Vec<Arc<CompiledPolicy>>>;
use super::request::{PrincipalType, Request};
use super::service_rules;
use super::{Decision, EvalStep, PolicySet};

/// Identifies a statement in a [`PolicySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef {
    /// The step (which kind of policy).
    pub step: EvalStep,
    /// The organization level for SCPs and RCPs.
    pub level: usize,
    /// The policy's index within its step (or level).
    pub policy: usize,
    /// The statement's index in the policy.
    pub statement: usize,
}

/// Receives what the chain finds.
pub trait Trace {
    /// Whether the chain should keep looking after the outcome is known (to explain it fully).
    const COLLECT: bool;
    /// A statement applied (`indeterminate`: its conditions could not be decided and it was
    /// treated fail-closed).
    fn statement(&mut self, at: StatementRef, effect: Effect, indeterminate: bool);
    /// A step's outcome.
    fn step(&mut self, step: EvalStep, outcome: StepOutcome);
}

/// What happened at one step of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// The step allowed (or had nothing to say against the request).
    Allow,
    /// The step denied implicitly (no matching Allow).
    ImplicitDeny,
    /// The step holds an applicable Deny.
    ExplicitDeny,
    /// The step does not apply to this request.
    NotApplicable,
    /// The step was not reached.
    Skipped,
}

/// A trace that records nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTrace;

impl Trace for NoTrace {
    const COLLECT: bool = false;
    #[inline]
    fn statement(&mut self, _: StatementRef, _: Effect, _: bool) {}
    #[inline]
    fn step(&mut self, _: EvalStep, _: StepOutcome) {}
}

/// A trace that records every applicable statement and every step outcome.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// Applicable statements.
    pub statements: Vec<(StatementRef, Effect, bool)>,
    /// Step outcomes, in chain order.
    pub steps: Vec<(EvalStep, StepOutcome)>,
}

impl Trace for Recorder {
    const COLLECT: bool = true;
    fn statement(&mut self, at: StatementRef, effect: Effect, indeterminate: bool) {
        self.statements.push((at, effect, indeterminate));
    }
    fn step(&mut self, step: EvalStep, outcome: StepOutcome) {
        self.steps.push((step, outcome));
    }
}

/// How the chain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// The step that denied (when not allowed).
    pub denied_by: Option<EvalStep>,
    /// What granted (when allowed): `identity`, `resource`, or `root`.
    pub granted_by: Option<EvalStep>,
}

struct Scan {
    /// An Allow applies.
    allow: bool,
    /// The strongest way an applicable Allow named the caller.
    via: Option<PrincipalMatch>,
    /// A Deny applies.
    deny: bool,
}

/// Scans one policy for applicable statements of `effect` (Deny also counts when indeterminate).
fn scan<T: Trace>(
    policy: &CompiledPolicy,
    req: &Request,
    has_boundary: bool,
    at: (EvalStep, usize, usize),
    effect: Effect,
    trace: &mut T,
) -> Scan {
    let mut out = Scan {
        allow: false,
        via: None,
        deny: false,
    };
    if !policy.has(effect) {
        return out;
    }
    for (i, st) in policy.statements.iter().enumerate() {
        if st.effect != effect {
            continue;
        }
        let mut m = st.matches(req, has_boundary);
        if matches!(at.0, EvalStep::Resource | EvalStep::VpcEndpoint)
            && effect == Effect::Allow
            && m.via.is_none()
        {
            // a resource or endpoint policy's Allow that does not name the caller does not apply
            // to it (validation requires a principal)
            m.applies = Tri::False;
        }
        let applies = match (effect, m.applies) {
            (_, Tri::True) => true,
            (Effect::Deny, Tri::Unknown) => true, // fail closed
            _ => false,
        };
        if !applies {
            continue;
        }
        trace.statement(
            StatementRef {
                step: at.0,
                level: at.1,
                policy: at.2,
                statement: i,
            },
            effect,
            m.applies == Tri::Unknown,
        );
        match effect {
            Effect::Deny => out.deny = true,
            Effect::Allow => {
                out.allow = true;
                if m.via > out.via {
                    out.via = m.via;
                }
            }
        }
        if !T::COLLECT
            && (effect == Effect::Deny || m.via == Some(PrincipalMatch::Direct) || m.via.is_none())
        {
            break;
        }
    }
    out
}

fn any_allow<T: Trace>(
    policies: &[Arc<CompiledPolicy>],
    req: &Request,
    has_boundary: bool,
    step: EvalStep,
    level: usize,
    trace: &mut T,
) -> bool {
    let mut found = false;
    for (i, p) in policies.iter().enumerate() {
        if scan(p, req, has_boundary, (step, level, i), Effect::Allow, trace).allow {
            found = true;
            if !T::COLLECT {
                break;
            }
        }
    }
    found
}

/// Whether every VPC endpoint policy holds an Allow naming the caller (traced as the step).
fn endpoints_allow<T: Trace>(
    set: &PolicySet,
    req: &Request,
    has_boundary: bool,
    trace: &mut T,
) -> bool {
    for (i, p) in set.vpc_endpoints.iter().enumerate() {
        let at = (EvalStep::VpcEndpoint, 0, i);
        if !scan(p, req, has_boundary, at, Effect::Allow, trace).allow {
            trace.step(EvalStep::VpcEndpoint, StepOutcome::ImplicitDeny);
            return false;
        }
    }
    trace.step(EvalStep::VpcEndpoint, StepOutcome::Allow);
    true
}

/// The VPC endpoint policies alone: a Deny in one denies, and each must allow; `None` when they
/// let the request through.
fn endpoints<T: Trace>(
    set: &PolicySet,
    req: &Request,
    has_boundary: bool,
    trace: &mut T,
) -> Option<Outcome> {
    let step = EvalStep::VpcEndpoint;
    let mut denied = false;
    for (i, p) in set.vpc_endpoints.iter().enumerate() {
        denied |= scan(p, req, has_boundary, (step, 0, i), Effect::Deny, trace).deny;
        if denied && !T::COLLECT {
            break;
        }
    }
    if denied {
        trace.step(step, StepOutcome::ExplicitDeny);
        return Some(Outcome {
            decision: Decision::ExplicitDeny,
            denied_by: Some(step),
            granted_by: None,
        });
    }
    if !endpoints_allow(set, req, has_boundary, trace) {
        return Some(Outcome {
            decision: Decision::ImplicitDeny,
            denied_by: Some(step),
            granted_by: None,
        });
    }
    None
}

/// Runs the chain.
pub fn decide<T: Trace>(set: &PolicySet, req: &Request, trace: &mut T) -> Outcome {
    decide_with(set, req, trace, true)
}

/// Runs the chain; `rules`: whether AWS's service rules decide first (without them, what the
/// policies alone say).
pub(crate) fn decide_with<T: Trace>(
    set: &PolicySet,
    req: &Request,
    trace: &mut T,
    rules: bool,
) -> Outcome {
    let pr = &req.principal;
    let has_boundary = !set.boundaries.is_empty();
    let scps_apply = pr.kind.has_account() && !pr.is_service_linked_role();
    let rcps_apply = !pr.is_service_linked_role();
    let deny = |step| Outcome {
        decision: Decision::ExplicitDeny,
        denied_by: Some(step),
        granted_by: None,
    };
    let implicit = |step| Outcome {
        decision: Decision::ImplicitDeny,
        denied_by: Some(step),
        granted_by: None,
    };

    // 0. a rule AWS applies whatever the policies say decides alone
    if let Some(rule) = service_rules::rule_for(req).filter(|_| rules) {
        let step = EvalStep::ServiceRule;
        if rule.allows && !set.vpc_endpoints.is_empty() {
            // AWS documents that no identity-based Deny blocks the call, not that an endpoint
            // policy cannot: the endpoint policies still filter it (fail closed)
            if let Some(out) = endpoints(set, req, has_boundary, trace) {
                return out;
            }
        }
        if rule.allows {
            trace.step(step, StepOutcome::Allow);
            return Outcome {
                decision: Decision::Allowed,
                denied_by: None,
                granted_by: Some(step),
            };
        }
        trace.step(step, StepOutcome::ExplicitDeny);
        return deny(step);
    }

    // 1. explicit deny anywhere
    let mut first_deny: Option<EvalStep> = None;
    {
        let mut note = |step: EvalStep, hit: bool, trace: &mut T| {
            if hit {
                trace.step(step, StepOutcome::ExplicitDeny);
                if first_deny.is_none() {
                    first_deny = Some(step);
                }
            }
        };
        let levels: [(EvalStep, &Levels, bool); 2] = [
            (EvalStep::Scp, &set.scps, scps_apply),
            (EvalStep::Rcp, &set.rcps, rcps_apply),
        ];
        for (step, lv, applies) in levels {
            if !applies {
                continue;
            }
            let mut hit = false;
            for (l, level) in lv.iter().enumerate() {
                for (i, p) in level.iter().enumerate() {
                    hit |= scan(p, req, has_boundary, (step, l, i), Effect::Deny, trace).deny;
                    if hit && !T::COLLECT {
                        return deny(step);
                    }
                }
            }
            note(step, hit, trace);
        }
        let singles: [(EvalStep, &[Arc<CompiledPolicy>]); 5] = [
            (EvalStep::VpcEndpoint, &set.vpc_endpoints),
            (EvalStep::Resource, set.resource.as_slice()),
            (EvalStep::Identity, &set.identity),
            (EvalStep::Boundary, &set.boundaries),
            (EvalStep::Session, set.session.as_slice()),
        ];
        for (step, policies) in singles {
            let mut hit = false;
            for (i, p) in policies.iter().enumerate() {
                hit |= scan(p, req, has_boundary, (step, 0, i), Effect::Deny, trace).deny;
                if hit && !T::COLLECT {
                    return deny(step);
                }
            }
            note(step, hit, trace);
        }
    }
    if let Some(step) = first_deny {
        return deny(step);
    }

    // 2. RCPs: RCPFullAWSAccess is attached at every level, so they never deny implicitly
    if !set.rcps.is_empty() {
        trace.step(
            EvalStep::Rcp,
            if rcps_apply {
                StepOutcome::Allow
            } else {
                StepOutcome::NotApplicable
            },
        );
    }

    // 3. SCPs: every level must allow
    if !set.scps.is_empty() {
        if scps_apply {
            for (l, level) in set.scps.iter().enumerate() {
                if !any_allow(level, req, has_boundary, EvalStep::Scp, l, trace) {
                    trace.step(EvalStep::Scp, StepOutcome::ImplicitDeny);
                    return implicit(EvalStep::Scp);
                }
            }
            trace.step(EvalStep::Scp, StepOutcome::Allow);
        } else {
            trace.step(EvalStep::Scp, StepOutcome::NotApplicable);
        }
    }

    // 3b. VPC endpoint policies: each endpoint the request passes through must allow it (for
    // every caller, the root user too: an endpoint policy filters, it grants nothing)
    if !set.vpc_endpoints.is_empty() && !endpoints_allow(set, req, has_boundary, trace) {
        return implicit(EvalStep::VpcEndpoint);
    }

    // 4. the resource-based policy
    // an AWS managed policy is AWS's, yet read with the caller's own permissions alone: no
    // resource-based policy is involved (its aws:ResourceAccount stays `aws`)
    let same_account = req.same_account()
        || (pr.kind.has_account() && service_rules::aws_managed_policy(&req.resource));
    let mut resource_via = None;
    if let Some(p) = &set.resource {
        let s = scan(
            p,
            req,
            has_boundary,
            (EvalStep::Resource, 0, 0),
            Effect::Allow,
            trace,
        );
        resource_via = s.via;
    }
    let has_identity = pr.kind.has_account();
    let resource_required =
        !same_account || req.is_trust_request || req.is_kms_key_request || !has_identity;
    let allowed = |granted| Outcome {
        decision: Decision::Allowed,
        denied_by: None,
        granted_by: Some(granted),
    };
    // a trust policy naming the caller directly still leaves the caller's permissions boundary
    // (and session policy) in force: AWS documents that the boundary must allow sts:AssumeRole
    let trust_direct = req.is_trust_request
        && has_identity
        && same_account
        && resource_via == Some(PrincipalMatch::Direct)
        && (has_boundary || set.session.is_some());
    if resource_via == Some(PrincipalMatch::Direct)
        && (same_account || !has_identity)
        && !trust_direct
    {
        trace.step(EvalStep::Resource, StepOutcome::Allow);
        return allowed(EvalStep::Resource);
    }
    if !has_identity || (resource_required && resource_via.is_none()) {
        trace.step(EvalStep::Resource, StepOutcome::ImplicitDeny);
        return implicit(EvalStep::Resource);
    }
    if set.resource.is_some() {
        trace.step(
            EvalStep::Resource,
            if resource_via.is_some() {
                StepOutcome::Allow
            } else {
                StepOutcome::NotApplicable
            },
        );
    }

    // 5. identity-based policies (the root user has full access to its own account)
    let mut granted = EvalStep::Identity;
    let identity_ok = if pr.kind == PrincipalType::Root {
        granted = EvalStep::Root;
        true
    } else {
        let by_identity = any_allow(
            &set.identity,
            req,
            has_boundary,
            EvalStep::Identity,
            0,
            trace,
        );
        if !by_identity
            && same_account
            && (resource_via == Some(PrincipalMatch::Role) || trust_direct)
        {
            granted = EvalStep::Resource;
            true
        } else {
            by_identity
        }
    };
    if !identity_ok {
        trace.step(EvalStep::Identity, StepOutcome::ImplicitDeny);
        return implicit(EvalStep::Identity);
    }
    trace.step(EvalStep::Identity, StepOutcome::Allow);

    // 6. permissions boundary
    if has_boundary {
        if !any_allow(
            &set.boundaries,
            req,
            has_boundary,
            EvalStep::Boundary,
            0,
            trace,
        ) {
            trace.step(EvalStep::Boundary, StepOutcome::ImplicitDeny);
            return implicit(EvalStep::Boundary);
        }
        trace.step(EvalStep::Boundary, StepOutcome::Allow);
    }

    // 7. session policy
    match &set.session {
        Some(p) => {
            if !any_allow(
                std::slice::from_ref(p),
                req,
                has_boundary,
                EvalStep::Session,
                0,
                trace,
            ) {
                trace.step(EvalStep::Session, StepOutcome::ImplicitDeny);
                return implicit(EvalStep::Session);
            }
            trace.step(EvalStep::Session, StepOutcome::Allow);
        }
        None if pr.kind == PrincipalType::FederatedUser => {
            trace.step(EvalStep::Session, StepOutcome::ImplicitDeny);
            return implicit(EvalStep::Session);
        }
        None => {}
    }
    allowed(granted)
}
