//! The probe requests of administrator detection, gathered policy by policy: an action of a
//! service no (non-universal) pattern reaches, every action pattern named (made concrete), and
//! `*` plus every resource pattern a Deny or a `NotResource` names (made concrete). What a policy
//! adds depends on the policy alone, so a [`ProbeCache`] computes it once for all the principals
//! that share the policy (the wildcard work on its patterns is the costly part).

use std::collections::HashMap;
use std::sync::Arc;

use crate::eval::compile::CompiledPolicy;
use crate::eval::request::{check_action, check_resource, resource_policy_required};
use crate::eval::PolicySet;
use crate::policy::Effect;

/// The services tried, in order, for the probe of a service no pattern reaches.
const SERVICES: [&str; 5] = [
    "iamkitprobe",
    "zqxjprobe",
    "vkwqprobe",
    "xjzvprobe",
    "qqzzprobe",
];

/// What a probe action's `*` becomes.
pub(super) const ACTION_STAR: &str = "IamkitProbe";
/// What a probe resource's `*` becomes.
pub(super) const RESOURCE_STAR: &str = "iamkitprobe";

/// A pattern made concrete for a probe: each `*` becomes `star`, each `?` an `x`.
pub(super) fn concrete(pattern: &str, star: &str) -> String {
    pattern.replace('*', star).replace('?', "x")
}

/// A probe resource, with what decides whether a request on it needs a resource-based policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ProbeResource {
    /// The resource (an ARN or `*`), shared by the probes of every set holding its policy.
    pub(super) name: Arc<str>,
    /// An STS action on it is a trust request (an IAM role).
    pub(super) role: bool,
    /// A KMS action on it is a key request (a KMS key).
    pub(super) key: bool,
}

/// What one policy adds to the probes.
#[derive(Debug, Default)]
struct PolicyProbes {
    /// Bit `i` is set when a non-universal action pattern reaches `SERVICES[i]`.
    reached: u8,
    /// Its action patterns made concrete that make well-formed request actions (shared by the
    /// probes of every set holding the policy).
    actions: Vec<Arc<str>>,
    /// Its Deny and `NotResource` resource patterns (but `*`) made concrete that make
    /// well-formed request resources.
    resources: Vec<ProbeResource>,
}

fn of_policy(pol: &CompiledPolicy) -> PolicyProbes {
    let mut out = PolicyProbes::default();
    for s in &pol.source.statements {
        if let Some(l) = &s.action {
            for pat in &l.values.items {
                // a pattern whose service is literal (`s3:…`) covers no other service's actions
                // and reaches a probe service only when it names it: decided without the
                // wildcard algebra, which costs in the length of the pattern
                let service = pat
                    .split_once(':')
                    .map(|(svc, _)| svc)
                    .filter(|svc| !svc.contains(['*', '?']));
                let universal = service.is_none() && crate::wildcard::covers(pat, "*:*");
                if !universal {
                    for (i, svc) in SERVICES.iter().enumerate() {
                        if service.is_some_and(|named| !named.eq_ignore_ascii_case(svc)) {
                            continue;
                        }
                        let probe = format!("{svc}:{ACTION_STAR}");
                        if crate::wildcard::intersects(pat, &probe) {
                            out.reached |= 1 << i;
                        }
                    }
                }
                if pat.contains(':') {
                    let a = concrete(pat, ACTION_STAR);
                    // a pattern that does not make a well-formed request is no probe
                    if check_action(&a).is_ok() {
                        out.actions.push(a.into());
                    }
                }
            }
        }
        if let Some(l) = &s.resource {
            if l.negated || s.effect == Effect::Deny {
                for pat in l.values.items.iter().filter(|p| *p != "*") {
                    if let Some(r) = probe_resource(concrete(pat, RESOURCE_STAR)) {
                        out.resources.push(r);
                    }
                }
            }
        }
    }
    out
}

/// A probe resource, unless it does not make a well-formed request (a variable, say).
fn probe_resource(name: String) -> Option<ProbeResource> {
    let arn = check_resource(&name).ok()?;
    let (role, _) = resource_policy_required("sts:x", arn.as_ref());
    let (_, key) = resource_policy_required("kms:x", arn.as_ref());
    Some(ProbeResource {
        name: name.into(),
        role,
        key,
    })
}

/// The probes of each policy already seen, by policy identity. Principals that share managed or
/// group policies share their probes.
#[derive(Debug, Default)]
pub(crate) struct ProbeCache {
    /// Keyed by the policy's address; the `Arc` keeps the address from being reused.
    by_policy: HashMap<usize, (Arc<CompiledPolicy>, PolicyProbes)>,
}

/// The probe requests of one policy set.
#[derive(Debug)]
pub(super) struct Probes {
    /// The actions, sorted, deduplicated, well formed.
    pub(super) actions: Vec<Arc<str>>,
    /// The resources, sorted, deduplicated, well formed.
    pub(super) resources: Vec<ProbeResource>,
    /// The action of a service no pattern reaches (one of `actions`).
    pub(super) unreached: String,
}

/// The probe requests of `set`'s policies (identity policies and boundaries, and the SCPs, RCPs,
/// resource, session and VPC endpoint policies when given: a Deny there names what it denies), or `None` when
/// every probe service is reached by some pattern (then no principal is proven an
/// administrator). `steps` counts the policies looked up, the patterns of those not seen before
/// and the probes gathered.
pub(super) fn probes(set: &PolicySet, cache: &mut ProbeCache, steps: &mut u64) -> Option<Probes> {
    let policies = || {
        set.identity
            .iter()
            .chain(set.boundaries.iter())
            .chain(set.scps.iter().flatten())
            .chain(set.rcps.iter().flatten())
            .chain(set.resource.iter())
            .chain(set.session.iter())
            .chain(set.vpc_endpoints.iter())
    };
    for pol in policies() {
        let key = Arc::as_ptr(pol) as usize;
        *steps += 1;
        cache.by_policy.entry(key).or_insert_with(|| {
            *steps += pol.statements.len() as u64;
            (pol.clone(), of_policy(pol))
        });
    }
    let parts: Vec<&PolicyProbes> = policies()
        .filter_map(|pol| cache.by_policy.get(&(Arc::as_ptr(pol) as usize)))
        .map(|(_, p)| p)
        .collect();
    let reached = parts.iter().fold(0u8, |m, p| m | p.reached);
    let service = (0..SERVICES.len())
        .find(|i| reached & (1 << i) == 0)
        .map(|i| SERVICES[i])?;
    let unreached = format!("{service}:{ACTION_STAR}");
    let mut actions: Vec<Arc<str>> = vec![unreached.as_str().into()];
    actions.extend(parts.iter().flat_map(|p| p.actions.iter().cloned()));
    let mut resources = vec![ProbeResource {
        name: "*".into(),
        role: false,
        key: false,
    }];
    resources.extend(parts.iter().flat_map(|p| p.resources.iter().cloned()));
    actions.sort();
    actions.dedup();
    resources.sort();
    resources.dedup();
    *steps += (actions.len() + resources.len()) as u64;
    Some(Probes {
        actions,
        resources,
        unreached,
    })
}
