//! Privilege-escalation paths: who can become an administrator, hop by hop, each hop justified by
//! requests the evaluator decides `allowed` (never by matching action names).
//!
//! The analysis builds a graph over the account's principals once ([`Account::escalation_graph`]):
//! - a **reach** edge A → B means A can obtain B's permissions (create B's access key or console
//!   password, assume role B, rewrite B's trust policy and assume it, pass B to a new compute
//!   resource of a service B trusts, or, possibly, use a running resource that has B);
//! - an **upgrade** of T by A means A can make T an administrator (a policy put on or attached to T
//!   or T's group, a new default version of T's customer managed policy, T added to a group that
//!   makes it one).
//!
//! A principal escalates when, from what it reaches (itself included), it reaches an administrator,
//! or reaches some X that can upgrade some T it also reaches (found by a nearest-goal search when
//! X reaches T in one hop, else by a search over what the principal reaches, run only from
//! principals that reach an upgrader). Paths are shortest in hops, exact
//! edges first: a path that needs a possible edge (a running resource IAM data does not show, a
//! policy version whose document is not compared) is reported as `possible`, with what it
//! requires.
//!
//! Requests carry an analysis context: the principal's own keys (as every account query), and the
//! analysis instant as `aws:CurrentTime`, `aws:EpochTime` and `aws:TokenIssueTime` (the actor is
//! assumed to use temporary credentials issued at that instant, which an IAM user obtains with
//! `sts:GetSessionToken`). Keys the analysis cannot know (`aws:SourceIp`, the VPC keys) are
//! absent, so a statement that requires them does not allow. What an actor can supply is tried
//! as well where a statement reads it, one thing at a time: MFA, and an address of each network
//! an `aws:SourceIp` condition names; what that alone allows is `possible`, and the hop says what
//! it requires (see `edges::assumed`).

mod edges;
mod inventory;
mod techniques;
#[cfg(test)]
mod tests;

use edges::{Bits, Builder, Edge, EdgeSet};

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

use super::{Account, AccountQuery, PrincipalKind};
use crate::error::{Error, ErrorCode, Result};
use crate::eval::MatchedStatement;
use crate::inputs::Instant;

pub use inventory::{Inventory, InventoryResource};
pub use techniques::{techniques, Technique};

/// Options of the analysis.
#[derive(Debug, Clone, Default)]
pub struct EscalationOptions {
    /// The analysis instant (time keys); default: now.
    pub as_of: Option<Instant>,
    /// SCP and RCP levels that apply to the account (as in [`AccountQuery::policies`]).
    pub query: AccountQuery,
    /// Paths to this principal (an ARN, `user/NAME`, `role/NAME` or a unique name) instead of
    /// to an administrator: who can obtain its permissions, by reach hops alone.
    pub to: Option<String>,
    /// The running resources that have roles (functions, instances, stacks): techniques that
    /// take over an existing resource go through those listed, and only through those for the
    /// services it lists completely (see [`Inventory`]).
    pub resources: Option<Inventory>,
    /// How many threads build the graph; default: one below 2,000 principals, else one per core
    /// (at most 8). The answer does not depend on it.
    pub threads: Option<usize>,
}

/// Whether a hop (or a path) is certain from the inputs, or needs something they do not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Certainty {
    /// Every request is allowed and everything the technique needs exists.
    Exact,
    /// Allowed, if what `requires` says exists.
    Possible,
}

/// A request of a hop, decided `allowed`, with the statements that allowed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HopRequest {
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The context keys the technique sets (`iam:PassedToService`, `iam:PolicyARN`), and those
    /// the hop assumes (`aws:MultiFactorAuthPresent` for a hop that needs MFA, `aws:SourceIp` for
    /// one that needs a source address).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, String>,
    /// The Allow statements that allowed it (policies named as in account queries).
    pub statements: Vec<MatchedStatement>,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Hop {
    /// The principal acting (its permissions are used).
    pub source: String,
    /// For a reach: the principal whose permissions are obtained. For an upgrade: the principal
    /// made an administrator.
    pub target: String,
    /// `reach` or `upgrade`.
    pub kind: &'static str,
    /// The technique's catalog id.
    pub technique: String,
    /// The technique's name.
    pub technique_name: String,
    /// What the hop changes or uses (a policy, a group), when not `to` itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The requests, each allowed.
    pub requests: Vec<HopRequest>,
    /// `exact` or `possible`.
    pub certainty: Certainty,
    /// What a possible hop needs that the inputs do not show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
}

/// A principal that can become an administrator, by its shortest path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    /// The principal's ARN.
    pub principal: String,
    /// `user` or `role`.
    pub kind: PrincipalKind,
    /// `exact` when every hop is.
    pub certainty: Certainty,
    /// The administrator it ends as: an administrator it reaches, or the principal an upgrade
    /// made one.
    pub target: String,
    /// The hops, in order.
    pub hops: Vec<Hop>,
}

impl Escalation {
    /// The path of principal `p` to `target`: exact when every hop is.
    fn of(p: &super::Prepared, target: String, hops: Vec<Hop>) -> Escalation {
        Escalation {
            principal: p.arn.clone(),
            kind: p.kind,
            certainty: hops
                .iter()
                .map(|h| h.certainty)
                .max()
                .unwrap_or(Certainty::Exact),
            target,
            hops,
        }
    }
}

/// The answer of [`Account::escalations`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Escalations {
    /// The analysis instant (RFC 3339).
    pub as_of: Instant,
    /// The principals that already are administrators.
    pub administrators: Vec<String>,
    /// Each other principal that can become one, by ARN (with [`EscalationOptions::to`]: each
    /// principal, not an administrator, that can obtain that principal's permissions).
    pub escalations: Vec<Escalation>,
    /// Principals whose paths may be missing: those with a policy whose document is unknown or
    /// cannot be trusted (not analysed as actors), and roles whose trust policy cannot be read
    /// (nobody is analysed as assuming them).
    pub undecided: Vec<String>,
}

/// The escalation graph of an account: built once, then asked (from any thread).
pub struct EscalationGraph<'a> {
    builder: Mutex<Builder<'a>>,
    /// The other threads' builders, which explain hops alongside it.
    helpers: Vec<Mutex<Builder<'a>>>,
    as_of: Instant,
    admin: Vec<bool>,
    /// Reach edges by source (prepared index), as sets of targets by technique.
    reach: Vec<Vec<EdgeSet>>,
    /// Upgrades by actor, the same way.
    upgrade: Vec<Vec<EdgeSet>>,
    /// The actors with an upgrade.
    upgraders: Bits,
    undecided: Vec<String>,
}

impl std::fmt::Debug for EscalationGraph<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EscalationGraph")
            .field("as_of", &self.as_of)
            .field("principals", &self.admin.len())
            .field(
                "reach_edges",
                &self.reach.iter().map(Vec::len).sum::<usize>(),
            )
            .field(
                "upgrades",
                &self.upgrade.iter().map(Vec::len).sum::<usize>(),
            )
            .finish_non_exhaustive()
    }
}

impl Account {
    /// Builds the escalation graph (every principal's reach and upgrade edges).
    pub fn escalation_graph<'a>(
        &'a self,
        options: &'a EscalationOptions,
    ) -> Result<EscalationGraph<'a>> {
        let as_of = options.as_of.unwrap_or_else(Instant::now);
        Account::check_extras(&options.query)?;
        // every hop's resource is the account's: its RCPs apply with its SCPs
        let mut q = self.scoped_own(&options.query).into_owned();
        if q.policies.resource.is_some()
            || q.policies.session.is_some()
            || !q.policies.vpc_endpoints.is_empty()
            || q.resource_account.is_some()
        {
            return Err(Error::new(
                ErrorCode::InputSchema,
                "escalations take only SCPs and RCPs: each hop names its own resource, and a principal can call AWS without going through a VPC endpoint",
            ));
        }
        if !cfg!(feature = "embedded-catalog") {
            // every hop names a resource, and without the catalog no request may (fail closed)
            return Err(Error::new(
                ErrorCode::RequestResource,
                "escalation paths need the service catalog (cargo feature `embedded-catalog`): without it iamkit cannot tell which actions act on resources",
            ));
        }
        // the actor uses temporary credentials (below): without MFA, AWS sends
        // aws:MultiFactorAuthPresent = false (the MFA pass tries true, see `edges::assumed`)
        let caller_mfa = q.context.iter().any(|(k, _, _)| {
            k.get(..19)
                .is_some_and(|k| k.eq_ignore_ascii_case("aws:multifactorauth"))
        });
        if !caller_mfa {
            q = q.context("aws:MultiFactorAuthPresent", "false");
        }
        // a source address given, or a request through a VPC endpoint: no address is assumed
        let caller_network = q.context.iter().any(|(k, _, _)| {
            [
                "aws:sourceip",
                "aws:sourcevpc",
                "aws:sourcevpce",
                "aws:vpcsourceip",
            ]
            .iter()
            .any(|n| k.eq_ignore_ascii_case(n))
        });
        let time = as_of.to_rfc3339();
        let epoch = as_of.0.div_euclid(1_000_000_000).to_string();
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
        let inventory = options.resources.as_ref();
        let n = self.prepared.len();
        // each principal's administrator probe and edges are its own: a large account is shared
        // among threads, each with its own builder (the answers do not depend on how)
        let threads = match options.threads {
            Some(t) => t.clamp(1, MAX_THREADS),
            None if n >= PARALLEL_FROM => {
                std::thread::available_parallelism().map_or(1, |x| x.get().min(MAX_THREADS))
            }
            None => 1,
        };
        let mut admin = vec![false; n];
        let mut others = Vec::with_capacity(threads.saturating_sub(1));
        // every thread builds its own builder (the workers' while this one builds its own)
        let mut builder = std::thread::scope(|scope| -> Result<Builder<'_>> {
            let workers: Vec<_> = (1..threads)
                .map(|t| {
                    let q = q.clone();
                    scope.spawn(move || -> Result<_> {
                        let mut b = Builder::new(self, q, inventory, caller_mfa, caller_network)?;
                        let part = b.administrators_of(t, threads);
                        Ok((b, part))
                    })
                })
                .collect();
            let mut builder = Builder::new(self, q.clone(), inventory, caller_mfa, caller_network)?;
            for (i, x) in builder.administrators_of(0, threads) {
                admin[i] = x;
            }
            for w in workers {
                let (b, part) = joined(w.join())?;
                for (i, x) in part {
                    admin[i] = x;
                }
                others.push(b);
            }
            Ok(builder)
        })?;
        builder.set_administrators(admin.clone());
        let mut reach = vec![Vec::new(); n];
        let mut upgrade = vec![Vec::new(); n];
        let mut undecided = Vec::new();
        let mut actors = Vec::new();
        for (a, p) in self.prepared.iter().enumerate() {
            if !p.missing.is_empty() {
                undecided.push(p.arn.clone());
            } else if !admin[a] && !edges::service_linked(&p.arn) {
                actors.push(a);
            }
        }
        let run = |b: &mut Builder<'_>, t: usize| {
            let mut out = Vec::new();
            for &a in actors.iter().skip(t).step_by(threads) {
                let (mut up, mut re) = b.edges(a);
                b.add_supplied_edges(a, &mut up, &mut re);
                out.push((a, up, re));
            }
            out
        };
        let mut found = Vec::with_capacity(actors.len());
        let memo = builder.memo();
        let mut helpers = Vec::with_capacity(threads.saturating_sub(1));
        std::thread::scope(|scope| -> Result<()> {
            let workers: Vec<_> = others
                .into_iter()
                .enumerate()
                .map(|(i, mut b)| {
                    let admin = admin.clone();
                    b.share_memo(memo.clone(), (i + 1) * n / threads);
                    scope.spawn(move || {
                        b.set_administrators(admin);
                        let out = run(&mut b, i + 1);
                        (out, b)
                    })
                })
                .collect();
            found.extend(run(&mut builder, 0));
            for w in workers {
                let (out, mut b) = joined(w.join().map(Ok))?;
                found.extend(out);
                builder.undecided.append(&mut b.undecided);
                builder.work += std::mem::take(&mut b.work);
                helpers.push(Mutex::new(b));
            }
            Ok(())
        })?;
        for (a, up, re) in found {
            (upgrade[a], reach[a]) = (up, re);
        }
        // who can assume a role whose trust policy cannot be read is not known
        undecided.extend(
            self.roles
                .iter()
                .filter(|r| r.trust_policy.is_none() && !edges::service_linked(&r.arn))
                .map(|r| r.arn.clone()),
        );
        undecided.extend(
            builder
                .undecided
                .iter()
                .map(|&a| self.prepared[a].arn.clone()),
        );
        undecided.sort();
        undecided.dedup();
        let mut upgraders = Bits::new(n);
        (0..n)
            .filter(|x| !upgrade[*x].is_empty())
            .for_each(|x| upgraders.set(x));
        Ok(EscalationGraph {
            upgraders,
            builder: Mutex::new(builder),
            helpers,
            as_of,
            admin,
            reach,
            upgrade,
            undecided,
        })
    }

    /// Every principal that can become an administrator, with its shortest path (exact paths
    /// first); `principal` limits the answer to one.
    pub fn escalations(
        &self,
        options: &EscalationOptions,
        principal: Option<&str>,
    ) -> Result<Escalations> {
        let graph = self.escalation_graph(options)?;
        let only = principal.map(|p| self.resolve(p)).transpose()?;
        let only = only.map(|p| p.arn.as_str());
        match &options.to {
            None => Ok(graph.escalations(only)),
            Some(to) => {
                let to = self.resolve(to)?;
                let t = self
                    .prepared
                    .iter()
                    .position(|p| p.arn == to.arn)
                    .unwrap_or(usize::MAX);
                Ok(graph.search(only, Some(t)))
            }
        }
    }
}

/// What a worker thread gave back (a panic in one is an internal error, never a crash).
fn joined<T>(r: std::thread::Result<Result<T>>) -> Result<T> {
    r.map_err(|_| Error::new(ErrorCode::Internal, "an escalation worker thread failed"))?
}

/// From how many principals the analysis is shared among threads, and among how many at most.
const PARALLEL_FROM: usize = 2_000;
/// The number of paths from which their hops are explained on every thread the graph was built
/// on (when it was built on several).
const EXPLAINED_APART_FROM: usize = 32;
const MAX_THREADS: usize = 8;

/// The work the joint-path search may do, per principal of the account (bit-set words).
const JOINT_BUDGET_PER_PRINCIPAL: u64 = 4096;

/// The joint-path search ran out of its budget.
#[derive(Debug)]
struct Exhausted;

/// A principal's way towards its goal: the certainty of the pass that found it, and its next hop
/// (none for a goal).
type Next = (Certainty, Option<(usize, Edge)>);

/// How a principal ends a path: an administrator already, or the actor of an upgrade (of itself,
/// or of a principal it then reaches).
#[derive(Debug, Clone)]
enum Goal {
    /// An administrator (or the principal the paths lead to).
    Reached,
    Upgrade {
        edge: Edge,
        then: Vec<(usize, Edge)>,
    },
}

/// A path the search found: (actor, target, each hop's source and edge), to be explained.
type Path = (usize, usize, Vec<(usize, Edge)>);

impl<'a> EscalationGraph<'a> {
    /// The administrators, and every other principal's shortest path (or only `principal`'s).
    pub fn escalations(&self, principal: Option<&str>) -> Escalations {
        self.search(principal, None)
    }

    /// Every principal's shortest path to an administrator, or, with `to`, to that principal
    /// (prepared index) by reach hops (an administrator, who can do anything, is listed as
    /// one, not given a path).
    fn search(&self, principal: Option<&str>, to: Option<usize>) -> Escalations {
        let mut builder = self.builder.lock().unwrap_or_else(|e| e.into_inner());
        let account = builder.account;
        let prepared = &account.prepared;
        let n = prepared.len();
        // the next hop of each principal towards its nearest goal, exact edges first: a search
        // from the goals over reversed edges, layer by layer (a principal already on an exact
        // path keeps its distance in the possible pass)
        let mut next: Vec<Option<Next>> = vec![None; n];
        let mut dist = vec![usize::MAX; n];
        let mut goals: Vec<Option<Goal>> = vec![None; n];
        for level in [Certainty::Exact, Certainty::Possible] {
            for x in 0..n {
                if next[x].is_none() {
                    let goal = match to {
                        None => self.goal(x, level),
                        Some(t) => (x == t).then_some(Goal::Reached),
                    };
                    if let Some(g) = goal {
                        goals[x] = Some(g);
                        next[x] = Some((level, None));
                        dist[x] = 0;
                    }
                }
            }
            let mut d = 0;
            loop {
                let mut frontier = Bits::new(n);
                let mut further = false;
                for (x, &dx) in dist.iter().enumerate() {
                    if dx == d {
                        frontier.set(x);
                    } else if dx != usize::MAX && dx > d {
                        further = true;
                    }
                }
                let mut found = false;
                if !frontier.is_empty() {
                    for x in 0..n {
                        if next[x].is_some() || self.admin[x] {
                            continue;
                        }
                        let hop = [Certainty::Exact, Certainty::Possible]
                            .into_iter()
                            .filter(|c| *c <= level)
                            .find_map(|c| {
                                self.reach[x]
                                    .iter()
                                    .filter(|e| e.certainty == c)
                                    .find_map(|e| {
                                        e.targets.first_common(&frontier).map(|y| {
                                            (
                                                y,
                                                Edge {
                                                    target: y as u32,
                                                    technique: e.technique,
                                                },
                                            )
                                        })
                                    })
                            });
                        if let Some(h) = hop {
                            next[x] = Some((level, Some(h)));
                            dist[x] = d + 1;
                            found = true;
                        }
                    }
                }
                if !found && !further {
                    break;
                }
                d += 1;
            }
        }
        let mut escalations = Vec::new();
        // (actor, target, hops to explain) of each path the search found
        let mut paths: Vec<Path> = Vec::new();
        // the joint search is bounded by the account's size: a principal it has no budget left
        // for is undecided, never silently left out
        let mut budget = JOINT_BUDGET_PER_PRINCIPAL * n as u64;
        let mut undecided = self.undecided.clone();
        let near_upgrader = if to.is_none() {
            self.near_upgraders(&mut builder, &mut budget)
        } else {
            Bits::new(n)
        };
        for (a, p) in prepared.iter().enumerate() {
            if self.admin[a] || principal.is_some_and(|only| only != p.arn) || to == Some(a) {
                continue;
            }
            let Some(_) = next[a] else {
                // what the search cannot see: a principal the actor reaches upgrades another it
                // reaches (or the actor itself), neither of them next to the other
                if near_upgrader.has(a) {
                    let found = match self.joint(a, &mut builder, &mut budget) {
                        Ok(found) => found,
                        Err(Exhausted) => {
                            undecided.push(p.arn.clone());
                            None
                        }
                    };
                    if let Some((target, hops)) = found {
                        escalations.push(Escalation::of(p, target, hops));
                    }
                }
                continue;
            };
            let mut hops = Vec::new();
            let mut x = a;
            while let Some((_, Some((y, edge)))) = next[x] {
                hops.push((x, edge));
                x = y;
            }
            let target = match &goals[x] {
                Some(Goal::Upgrade { edge, then }) => {
                    hops.push((x, *edge));
                    hops.extend(then.iter().copied());
                    edge.target as usize
                }
                _ => x,
            };
            paths.push((a, target, hops));
        }
        // the hops of the paths found, explained on every thread (each hop alone)
        let mut helpers: Vec<_> = self
            .helpers
            .iter()
            .map(|h| h.lock().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let mut builders: Vec<&mut Builder<'a>> = std::iter::once(&mut *builder)
            .chain(helpers.iter_mut().map(|h| &mut **h))
            .collect();
        let threads = if paths.len() < EXPLAINED_APART_FROM {
            1
        } else {
            builders.len()
        };
        let explain = |b: &mut Builder<'a>, t: usize| -> Vec<Escalation> {
            paths
                .iter()
                .skip(t)
                .step_by(threads)
                .map(|(a, target, hops)| {
                    let hops = hops.iter().map(|(x, e)| b.hop(*x, *e)).collect();
                    Escalation::of(&prepared[*a], prepared[*target].arn.clone(), hops)
                })
                .collect()
        };
        if threads == 1 {
            escalations.extend(explain(&mut *builders[0], 0));
        } else {
            let rest = builders.split_off(1);
            debug_assert_eq!(rest.len() + 1, threads);
            std::thread::scope(|scope| {
                let workers: Vec<_> = rest
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| scope.spawn(move || explain(b, i + 1)))
                    .collect();
                escalations.extend(explain(&mut *builders[0], 0));
                for w in workers {
                    // a worker that panicked is a bug: its panic goes on here
                    escalations.extend(w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
                }
            });
        }
        escalations.sort_by(|x, y| x.principal.cmp(&y.principal));
        let mut administrators: Vec<String> = prepared
            .iter()
            .enumerate()
            .filter(|(i, _)| self.admin[*i])
            .map(|(_, p)| p.arn.clone())
            .collect();
        administrators.sort();
        Escalations {
            as_of: self.as_of,
            administrators,
            escalations,
            undecided: {
                undecided.sort();
                undecided.dedup();
                undecided
            },
        }
    }

    /// The principals that reach (or are) a principal with an upgrade: layer by layer back from
    /// those, a principal joining when one of its reach edges meets the last layer (edges stay
    /// bit sets: the graph is never spelled out edge by edge).
    ///
    /// Out of budget, every principal not yet classified counts as near (its joint search,
    /// bounded too, then decides or leaves it undecided).
    fn near_upgraders(&self, builder: &mut Builder<'_>, budget: &mut u64) -> Bits {
        let n = self.admin.len();
        let mut near = Bits::new(n);
        let mut frontier = Bits::new(n);
        for x in (0..n).filter(|x| !self.upgrade[*x].is_empty()) {
            near.set(x);
            frontier.set(x);
        }
        let words = n.div_ceil(64) as u64;
        while !frontier.is_empty() {
            let mut layer = Bits::new(n);
            for x in 0..n {
                if near.has(x) || self.admin[x] {
                    continue;
                }
                let cost = 1 + self.reach[x].len() as u64 * words;
                if *budget < cost {
                    for y in (0..n).filter(|y| !self.admin[*y]) {
                        near.set(y);
                    }
                    return near;
                }
                *budget -= cost;
                builder.work += 1 + self.reach[x].len() as u64;
                if self.reach[x]
                    .iter()
                    .any(|e| e.targets.first_common(&frontier).is_some())
                {
                    layer.set(x);
                }
            }
            for x in layer.iter() {
                near.set(x);
            }
            frontier = layer;
        }
        near
    }

    /// A path of actor `a` that the nearest-goal search does not find: `a` reaches some X (or is
    /// X) that upgrades some T that `a` also reaches (or is), by two paths from `a`. A search
    /// over what `a` reaches, nearest first; its hops and the principal made an administrator.
    fn joint(
        &self,
        a: usize,
        builder: &mut Builder<'_>,
        budget: &mut u64,
    ) -> Result<Option<(String, Vec<Hop>)>, Exhausted> {
        let n = self.admin.len();
        let words = n.div_ceil(64) as u64;
        let mut seen = Bits::new(n);
        seen.set(a);
        let mut order = vec![a];
        let mut parent: rustc_hash::FxHashMap<usize, (usize, Edge)> = Default::default();
        // first what `a` reaches in one hop (the common case: it reaches both the upgrader and
        // the principal upgraded), then, only if that finds nothing, everything it reaches
        let mut direct = Bits::new(n);
        direct.set(a);
        for e in &self.reach[a] {
            direct.or(&e.targets);
        }
        let mut candidates = direct.clone();
        candidates.and(&self.upgraders);
        builder.work += 1;
        let near = candidates.iter().find_map(|x| {
            self.upgrade[x].iter().find_map(|up| {
                builder.work += 1;
                up.targets
                    .first_common(&direct)
                    .map(|t| (x, up.technique, t))
            })
        });
        if let Some((x, up, t)) = near {
            // one hop from `a` to each of them (none when it is `a`)
            let hop_to = |y: usize| {
                self.reach[a]
                    .iter()
                    .find(|e| y != a && e.targets.has(y))
                    .map(|e| Edge {
                        target: y as u32,
                        technique: e.technique,
                    })
            };
            let mut hops = Vec::new();
            if let Some(e) = hop_to(x) {
                hops.push(builder.hop(a, e));
            }
            hops.push(builder.hop(
                x,
                Edge {
                    target: t as u32,
                    technique: up,
                },
            ));
            if t != x {
                if let Some(e) = hop_to(t) {
                    hops.push(builder.hop(a, e));
                }
            }
            return Ok(Some((builder.account.prepared[t].arn.clone(), hops)));
        }
        let mut i = 0;
        while i < order.len() {
            let x = order[i];
            i += 1;
            for e in &self.reach[x] {
                // a word at a time: only the principals not seen before are visited
                if *budget < words {
                    return Err(Exhausted);
                }
                *budget -= words;
                builder.work += 1;
                let mut fresh = (*e.targets).clone();
                fresh.minus(&seen);
                for y in fresh.iter() {
                    seen.set(y);
                    order.push(y);
                    parent.insert(
                        y,
                        (
                            x,
                            Edge {
                                target: y as u32,
                                technique: e.technique,
                            },
                        ),
                    );
                }
            }
        }
        let Some((x, up, t)) = order.iter().find_map(|&x| {
            self.upgrade[x]
                .iter()
                .find_map(|up| up.targets.first_common(&seen).map(|t| (x, up.technique, t)))
        }) else {
            return Ok(None);
        };
        // the principals on the way from `a` to `y`, each with the hop that reached it
        let path = |y: usize| {
            let mut steps = Vec::new();
            let mut z = y;
            while let Some((from, edge)) = parent.get(&z) {
                steps.push((*from, *edge));
                z = *from;
            }
            steps.reverse();
            steps
        };
        let to_x = path(x);
        let mut hops: Vec<Hop> = to_x.iter().map(|(f, e)| builder.hop(*f, *e)).collect();
        hops.push(builder.hop(
            x,
            Edge {
                target: t as u32,
                technique: up,
            },
        ));
        // the way to `t` shares its start with the way to `x` (one search tree): `a` already
        // holds every principal on the way to `x`, so only the hops after the last of those
        // are taken again (a second access key or login profile would fail)
        let held: Vec<usize> = std::iter::once(a)
            .chain(to_x.iter().map(|(_, e)| e.target as usize))
            .collect();
        let to_t = path(t);
        let from = to_t
            .iter()
            .rposition(|(f, _)| held.contains(f))
            .unwrap_or(0);
        if !held.contains(&t) {
            hops.extend(to_t[from..].iter().map(|(f, e)| builder.hop(*f, *e)));
        }
        Ok(Some((builder.account.prepared[t].arn.clone(), hops)))
    }

    /// Whether `x` ends a path with edges of at most `level`: an administrator, a principal that
    /// can make itself one, or one that can make a principal it reaches in one hop one.
    fn goal(&self, x: usize, level: Certainty) -> Option<Goal> {
        if self.admin[x] {
            return Some(Goal::Reached);
        }
        let edge = |e: &EdgeSet, t: usize| Edge {
            target: t as u32,
            technique: e.technique,
        };
        let ups: Vec<&EdgeSet> = self.upgrade[x]
            .iter()
            .filter(|e| e.certainty <= level)
            .collect();
        if let Some(up) = ups.iter().find(|e| e.targets.has(x)) {
            return Some(Goal::Upgrade {
                edge: edge(up, x),
                then: Vec::new(),
            });
        }
        for up in &ups {
            for r in self.reach[x].iter().filter(|e| e.certainty <= level) {
                if let Some(t) = up.targets.first_common(&r.targets) {
                    return Some(Goal::Upgrade {
                        edge: edge(up, t),
                        then: vec![(x, edge(r, t))],
                    });
                }
            }
        }
        None
    }
}
