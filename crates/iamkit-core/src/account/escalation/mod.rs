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
//! or reaches some X that can upgrade some T it also reaches. Paths are shortest in hops, exact
//! edges first: a path that needs a possible edge (a running resource IAM data does not show, a
//! policy version whose document is not compared) is reported as `possible`, with what it
//! requires.
//!
//! Requests carry an analysis context: the principal's own keys (as every account query), and the
//! analysis instant as `aws:CurrentTime`, `aws:EpochTime` and `aws:TokenIssueTime` (the actor is
//! assumed to use temporary credentials issued at that instant, which an IAM user obtains with
//! `sts:GetSessionToken`). Keys the analysis cannot know (`aws:SourceIp`, MFA) are absent, so a
//! statement that requires them does not allow.

mod edges;
mod techniques;

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::{Account, AccountQuery, PrincipalKind};
use crate::error::Result;
use crate::eval::MatchedStatement;
use crate::inputs::Instant;

pub use techniques::{techniques, Technique};

/// Options of the analysis.
#[derive(Debug, Clone, Default)]
pub struct EscalationOptions {
    /// The analysis instant (time keys); default: now.
    pub as_of: Option<Instant>,
    /// SCP and RCP levels that apply to the account (as in [`AccountQuery::policies`]).
    pub query: AccountQuery,
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
    /// The context keys the technique sets (`iam:PassedToService`, `iam:PolicyARN`).
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

/// The answer of [`Account::escalations`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Escalations {
    /// The analysis instant (RFC 3339).
    pub as_of: Instant,
    /// The principals that already are administrators.
    pub administrators: Vec<String>,
    /// Each other principal that can become one, by ARN.
    pub escalations: Vec<Escalation>,
    /// Principals left undecided: policies whose documents are unknown.
    pub undecided: Vec<String>,
}

/// The escalation graph of an account: built once, then asked.
#[derive(Debug)]
pub struct EscalationGraph<'a> {
    account: &'a Account,
    as_of: Instant,
    admin: Vec<bool>,
    /// Reach edges by source (prepared index), each hop's target a prepared index.
    reach: Vec<Vec<(usize, Hop)>>,
    /// Upgrades by actor: (target prepared index, hop).
    upgrade: Vec<Vec<(usize, Hop)>>,
    undecided: Vec<String>,
}

impl Account {
    /// Builds the escalation graph (every principal's reach and upgrade edges).
    pub fn escalation_graph(&self, options: &EscalationOptions) -> Result<EscalationGraph<'_>> {
        edges::build(self, options)
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
        Ok(graph.escalations(only.map(|p| p.arn.as_str())))
    }
}

impl EscalationGraph<'_> {
    /// The administrators, and every other principal's shortest path (or only `principal`'s).
    pub fn escalations(&self, principal: Option<&str>) -> Escalations {
        let prepared = &self.account.prepared;
        let mut escalations = Vec::new();
        for (a, p) in prepared.iter().enumerate() {
            if self.admin[a] || principal.is_some_and(|only| only != p.arn) {
                continue;
            }
            let found = self
                .path_from(a, Certainty::Exact)
                .or_else(|| self.path_from(a, Certainty::Possible));
            if let Some(e) = found {
                escalations.push(e);
            }
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
            undecided: self.undecided.clone(),
        }
    }

    /// The shortest path from `a` using hops of at most `certainty`: a breadth-first search over
    /// reach edges that stops at the first principal that is an administrator or can upgrade a
    /// principal already reached.
    fn path_from(&self, a: usize, certainty: Certainty) -> Option<Escalation> {
        let n = self.admin.len();
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; n];
        let mut seen = vec![false; n];
        seen[a] = true;
        let mut order = vec![a];
        let mut queue = VecDeque::from([a]);
        // the goal: (node reached, Some((upgraded target, upgrade index)) or None for an admin)
        let mut goal: Option<(usize, Option<(usize, usize)>)> = None;
        while let Some(x) = queue.pop_front() {
            if self.admin[x] {
                goal = Some((x, None));
                break;
            }
            // an upgrade of a principal reached so far (itself included)
            let up = self.upgrade[x]
                .iter()
                .enumerate()
                .find(|(_, (t, h))| h.certainty <= certainty && seen[*t]);
            if let Some((k, (t, _))) = up {
                goal = Some((x, Some((*t, k))));
                break;
            }
            for (k, (y, h)) in self.reach[x].iter().enumerate() {
                if h.certainty <= certainty && !seen[*y] {
                    seen[*y] = true;
                    parent[*y] = Some((x, k));
                    order.push(*y);
                    queue.push_back(*y);
                }
            }
        }
        let (x, up) = match goal {
            Some(g) => g,
            None => {
                // an upgrade of a principal reached later in the search
                let reached: Vec<bool> = seen;
                let found = order.iter().find_map(|&x| {
                    self.upgrade[x]
                        .iter()
                        .enumerate()
                        .find(|(_, (t, h))| h.certainty <= certainty && reached[*t])
                        .map(|(k, (t, _))| (x, Some((*t, k))))
                })?;
                found
            }
        };
        let chain = |mut to: usize| {
            let mut hops = Vec::new();
            while let Some((from, k)) = parent[to] {
                hops.push(self.reach[from][k].1.clone());
                to = from;
            }
            hops.reverse();
            hops
        };
        let mut hops = chain(x);
        let target = match up {
            None => self.account.prepared[x].arn.clone(),
            Some((t, k)) => {
                hops.push(self.upgrade[x][k].1.clone());
                let reached =
                    |h: &Hop| h.kind == "reach" && h.target == self.account.prepared[t].arn;
                if t != x && !hops.iter().any(reached) {
                    hops.extend(chain(t));
                }
                self.account.prepared[t].arn.clone()
            }
        };
        let p = &self.account.prepared[a];
        Some(Escalation {
            principal: p.arn.clone(),
            kind: p.kind,
            certainty: hops
                .iter()
                .map(|h| h.certainty)
                .max()
                .unwrap_or(Certainty::Exact),
            target,
            hops,
        })
    }
}
