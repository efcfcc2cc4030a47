//! Context the analysis cannot know but an actor can supply: signing in with MFA, and calling
//! from a network a policy names (`aws:SourceIp`, `aws:SourceVpc`, `aws:SourceVpce`,
//! `aws:VpcSourceIp`).
//!
//! Requests carry no such keys (see the module docs of `escalation`), so a statement that allows
//! only with them does not allow, and a Deny "unless from the corporate network" denies. An
//! actor that signs in with MFA, or calls from that network, sends them, so an edge that exists
//! only with them is reported as `possible`, requiring them.
//!
//! The second pass runs only where it could change an answer: for the techniques whose actions a
//! statement reading such a key admits (in the actor's policies, its boundary, or the SCPs and
//! RCPs given), and for assuming roles when a trust policy reads one. MFA keys take the values an
//! MFA sign-in gives; a network key takes the first value a statement names for it (a CIDR's
//! address, a pattern's wildcards filled in), so every edge the pass finds is decided by the
//! evaluator with the context the hop then states. When the caller's context gives a key, that
//! answer stands and the key is not chosen. Without MFA the requests carry
//! `aws:MultiFactorAuthPresent = false`, as AWS sends with temporary credentials.
//!
//! Not assumed (left for later): the administrator probes (who is one, and whether an upgrade
//! makes one) and what joining a group gives are decided without these keys, so a principal that
//! is an administrator only with MFA is not a goal of the search.

use super::{Builder, EdgeSet, Found, Model, Reach, Upgrade};
use crate::account::escalation::techniques;
use crate::account::escalation::Certainty;
use crate::eval::compile::CompiledStatement;
use crate::eval::CompiledPolicy;
use crate::policy::Statement;

/// The keys an actor that signed in with MFA sends, at the analysis instant.
pub(super) const MFA: [(&str, &str); 2] = [
    ("aws:MultiFactorAuthPresent", "true"),
    ("aws:MultiFactorAuthAge", "0"),
];

/// What a hop found only with [`MFA`] requires.
const REQUIRES_MFA: &str = "requests authenticated with MFA (aws:MultiFactorAuthPresent = true)";

/// The keys an actor sets by where it calls from (lowercase), as AWS spells them.
const NETWORK: [&str; 4] = [
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
];

/// Whether `key` is an MFA key.
fn is_mfa(key: &str) -> bool {
    key.get(..19)
        .is_some_and(|k| k.eq_ignore_ascii_case("aws:multifactorauth"))
}

/// The network key `key` names, as AWS spells it.
fn network(key: &str) -> Option<&'static str> {
    NETWORK.into_iter().find(|k| k.eq_ignore_ascii_case(key))
}

/// Whether a statement's conditions read a key an actor chooses.
fn statement_reads_chosen(st: &Statement) -> bool {
    st.condition.iter().any(|block| {
        block
            .entries
            .iter()
            .any(|(key, _)| is_mfa(key) || network(key).is_some())
    })
}

/// Whether a policy's conditions read a key an actor chooses.
pub(super) fn reads_chosen(policy: &CompiledPolicy) -> bool {
    policy.source.statements.iter().any(statement_reads_chosen)
}

/// A value of a network key that the condition's first value admits: a CIDR's address, a
/// pattern with its wildcards filled in.
fn network_value(operator: &str, value: &str) -> String {
    if operator.to_ascii_lowercase().contains("ipaddress") {
        return value.split('/').next().unwrap_or(value).to_string();
    }
    value.replace(['*', '?'], "0")
}

/// Every action technique `model` may request, beyond its catalog permissions.
fn also_requested(model: Model) -> &'static [&'static str] {
    match model {
        Model::Upgrade(Upgrade::CreatePolicyVersion) => &["iam:DeletePolicyVersion"],
        Model::Upgrade(Upgrade::AddUserToGroup) => &super::SELF_UPGRADES,
        Model::Reach(Reach::RotateAccessKey) => &["iam:DeleteAccessKey"],
        Model::Reach(Reach::UpdateAssumeRolePolicy) => &["sts:AssumeRole"],
        _ => &[],
    }
}

/// What a second pass for one actor sets and where: the techniques (by index) and the keys with
/// their values.
pub(super) struct Chosen {
    only: Vec<bool>,
    keys: Vec<(String, String)>,
}

impl Chosen {
    /// What a hop found with these keys requires.
    fn requires(&self) -> String {
        let mut parts = Vec::new();
        if self.keys.iter().any(|(k, _)| is_mfa(k)) {
            parts.push(REQUIRES_MFA.to_string());
        }
        for (k, v) in self.keys.iter().filter(|(k, _)| !is_mfa(k)) {
            parts.push(format!("requests from {k} = {v}"));
        }
        parts.join("; ")
    }
}

/// The keys and values statements `reading` choose (the first value named for each key), but
/// those the caller's context gives.
fn choose<'s>(
    reading: impl Iterator<Item = &'s Statement>,
    given: &dyn Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for st in reading {
        for block in &st.condition {
            for (key, values) in &block.entries {
                if given(key) {
                    continue;
                }
                if is_mfa(key) {
                    if !keys.iter().any(|(k, _)| is_mfa(k)) {
                        keys.extend(MFA.iter().map(|(k, v)| (k.to_string(), v.to_string())));
                    }
                } else if let Some(name) = network(key) {
                    let value = values.items.first().map(|v| v.text.as_str());
                    if let Some(value) = value.filter(|_| !keys.iter().any(|(k, _)| k == name)) {
                        keys.push((name.to_string(), network_value(&block.operator_name, value)));
                    }
                }
            }
        }
    }
    keys
}

impl Builder<'_> {
    /// The second pass for actor `a`: the techniques (by index) whose requests could be decided
    /// otherwise with keys it chooses (an action of theirs is admitted by a statement that reads
    /// one, or they assume roles and a trust policy reads one), and those keys. `None` when
    /// none could.
    fn chosen(&self, a: usize) -> Option<Chosen> {
        let p = &self.account.prepared[a];
        let extra = &self.q.policies;
        // the analysis itself puts aws:MultiFactorAuthPresent = false in the context: whether the
        // caller gave an MFA key was noted before
        let given = |key: &str| {
            if is_mfa(key) {
                self.caller_mfa
            } else {
                self.q
                    .context
                    .iter()
                    .any(|(k, _, _)| k.eq_ignore_ascii_case(key))
            }
        };
        let reads = |st: &Statement| {
            st.condition.iter().any(|block| {
                block
                    .entries
                    .iter()
                    .any(|(key, _)| (is_mfa(key) || network(key).is_some()) && !given(key))
            })
        };
        let reading: Vec<(&CompiledStatement, &Statement)> = p
            .set
            .identity
            .iter()
            .chain(&p.set.boundaries)
            .chain(extra.scps.iter().flatten())
            .chain(extra.rcps.iter().flatten())
            .flat_map(|x| {
                x.statements
                    .iter()
                    .zip(&x.source.statements)
                    .filter(|(_, st)| reads(st))
            })
            .collect();
        let trusts: Vec<&Statement> = self
            .trust_reading
            .iter()
            .copied()
            .filter(|st| reads(st))
            .collect();
        if reading.is_empty() && trusts.is_empty() {
            return None;
        }
        let mut assume = false;
        let only: Vec<bool> = techniques::all()
            .iter()
            .map(|e| {
                // a rewritten trust policy is the actor's own: only the role's own trust counts
                let assumes = matches!(e.model, Model::Reach(Reach::AssumeRole));
                let by_trust = assumes && !trusts.is_empty();
                assume |= by_trust;
                by_trust
                    || e.technique
                        .required
                        .iter()
                        .map(String::as_str)
                        .chain(also_requested(e.model).iter().copied())
                        .any(|action| reading.iter().any(|(st, _)| st.admits_action(action)))
            })
            .collect();
        if !only.iter().any(|x| *x) {
            return None;
        }
        let from_trusts = trusts.into_iter().filter(|_| assume);
        let keys = choose(reading.iter().map(|(_, st)| *st).chain(from_trusts), &given);
        (!keys.is_empty()).then_some(Chosen { only, keys })
    }

    /// Makes the requests that follow carry `chosen`'s keys for its techniques (all when
    /// `every`), or nothing (`None`); the current actor's grouped decisions and requests are
    /// dropped either way.
    fn assuming(&mut self, chosen: Option<(Chosen, bool)>) {
        match chosen {
            Some((c, every)) => {
                self.assumed = c.keys;
                self.mfa_only = if every { Vec::new() } else { c.only };
            }
            None => {
                self.assumed = Vec::new();
                self.mfa_only = Vec::new();
            }
        }
        self.forget_groups();
        self.templates.clear();
        self.groups_of = usize::MAX;
    }

    /// Whether technique `index` is left out of the current pass.
    pub(super) fn skipped(&self, index: usize) -> bool {
        !self.mfa_only.is_empty() && !self.mfa_only[index]
    }

    /// Adds to actor `a`'s edges those that exist only when it supplies keys it chooses (signs
    /// in with MFA, calls from a named network), as possible.
    pub(in crate::account::escalation) fn add_mfa_edges(
        &mut self,
        a: usize,
        upgrades: &mut Vec<EdgeSet>,
        reaches: &mut Vec<EdgeSet>,
    ) {
        let Some(chosen) = self.chosen(a) else {
            return;
        };
        self.assuming(Some((chosen, false)));
        let (more_up, more_reach) = self.edges(a);
        self.assuming(None);
        for (base, more) in [(upgrades, more_up), (reaches, more_reach)] {
            for set in more {
                let mut only = (*set.targets).clone();
                for b in base.iter().filter(|b| b.technique == set.technique) {
                    only.minus(&b.targets);
                }
                if !only.is_empty() {
                    let targets = self.share(only);
                    base.push(EdgeSet {
                        technique: set.technique,
                        certainty: Certainty::Possible,
                        targets,
                    });
                }
            }
        }
    }

    /// `found` again with the keys the actor chooses, for a hop that the requests without them
    /// do not make: with each kind of key alone first (MFA, or one network key), so that the hop
    /// requires no more than it needs, else with all of them.
    pub(super) fn found_with_mfa(
        &mut self,
        a: usize,
        find: impl Fn(&mut Self) -> Option<Found>,
    ) -> Option<Found> {
        let chosen = self.chosen(a)?;
        let mut kinds: Vec<Vec<(String, String)>> = Vec::new();
        for (k, v) in &chosen.keys {
            match kinds.iter_mut().find(|x| is_mfa(&x[0].0) && is_mfa(k)) {
                Some(mfa) => mfa.push((k.clone(), v.clone())),
                None => kinds.push(vec![(k.clone(), v.clone())]),
            }
        }
        if kinds.len() > 1 {
            kinds.push(chosen.keys.clone());
        }
        for keys in kinds {
            let attempt = Chosen {
                only: Vec::new(),
                keys,
            };
            let requires = attempt.requires();
            self.assuming(Some((attempt, true)));
            let found = find(self);
            self.assuming(None);
            if let Some(found) = found {
                let requires = match found.requires {
                    Some(r) => format!("{r}; {requires}"),
                    None => requires,
                };
                return Some(Found {
                    certainty: Certainty::Possible,
                    requires: Some(requires),
                    ..found
                });
            }
        }
        None
    }
}
