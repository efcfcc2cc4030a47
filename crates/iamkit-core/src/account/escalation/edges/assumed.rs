//! Context the analysis cannot know but an actor can supply: signing in with MFA.
//!
//! Requests carry no MFA keys (see the module docs of `escalation`), so a statement that allows
//! only with MFA does not allow, and a Deny "unless MFA" denies. An actor that signs in with MFA
//! sends them, so an edge that exists only with them is reported as `possible`, requiring it.
//! The second pass runs only where it could change an answer: for the techniques whose actions a
//! statement reading an MFA key admits (in the actor's policies, its boundary, or the SCPs and
//! RCPs given), and for assuming the roles whose trust policies read one. When the caller gives
//! an MFA key in the context, that answer stands and nothing is assumed. Without MFA the
//! requests carry `aws:MultiFactorAuthPresent = false`, as AWS sends with temporary credentials.
//!
//! Not assumed (left for later): the administrator probes (who is one, and whether an upgrade
//! makes one) and what joining a group gives are decided without MFA, so a principal that is an
//! administrator only with MFA is not a goal of the search.

use super::{Builder, EdgeSet, Found, Model, Reach, Upgrade};
use crate::account::escalation::techniques;
use crate::account::escalation::Certainty;
use crate::eval::CompiledPolicy;

/// The keys an actor that signed in with MFA sends, at the analysis instant.
pub(super) const MFA: [(&str, &str); 2] = [
    ("aws:MultiFactorAuthPresent", "true"),
    ("aws:MultiFactorAuthAge", "0"),
];

/// What a hop found only with [`MFA`] requires.
const REQUIRES: &str = "requests authenticated with MFA (aws:MultiFactorAuthPresent = true)";

/// Whether a statement's conditions read an MFA key.
fn statement_reads_mfa(st: &crate::policy::Statement) -> bool {
    st.condition.iter().any(|block| {
        block.entries.iter().any(|(key, _)| {
            key.get(..19)
                .is_some_and(|k| k.eq_ignore_ascii_case("aws:multifactorauth"))
        })
    })
}

/// Whether a policy's conditions read an MFA key.
pub(super) fn reads_mfa(policy: &CompiledPolicy) -> bool {
    policy.source.statements.iter().any(statement_reads_mfa)
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

impl Builder<'_> {
    /// The techniques (by index) whose requests by actor `a` signing in with MFA could decide
    /// otherwise: an action of theirs is admitted by a statement that reads an MFA key, or they
    /// assume roles and a trust policy reads one. Empty when none could.
    fn mfa_techniques(&self, a: usize) -> Vec<bool> {
        if self.caller_mfa {
            return Vec::new();
        }
        let p = &self.account.prepared[a];
        let extra = &self.q.policies;
        let reading: Vec<&crate::eval::compile::CompiledStatement> = p
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
                    .filter(|(_, st)| statement_reads_mfa(st))
                    .map(|(c, _)| c)
            })
            .collect();
        if reading.is_empty() && !self.trusts_read_mfa {
            return Vec::new();
        }
        let only: Vec<bool> = techniques::all()
            .iter()
            .map(|e| {
                let assumes = matches!(
                    e.model,
                    Model::Reach(Reach::AssumeRole | Reach::UpdateAssumeRolePolicy)
                );
                (assumes && self.trusts_read_mfa)
                    || e.technique
                        .required
                        .iter()
                        .map(String::as_str)
                        .chain(also_requested(e.model).iter().copied())
                        .any(|action| reading.iter().any(|st| st.admits_action(action)))
            })
            .collect();
        if only.iter().any(|x| *x) {
            only
        } else {
            Vec::new()
        }
    }

    /// Makes the requests that follow carry [`MFA`] for the techniques of `only` (all when
    /// empty), or nothing (`None`); the current actor's grouped decisions and requests are
    /// dropped either way.
    fn assuming(&mut self, only: Option<Vec<bool>>) {
        self.assumed = if only.is_some() { &MFA } else { &[] };
        self.mfa_only = only.unwrap_or_default();
        self.forget_groups();
        self.templates.clear();
        self.groups_of = usize::MAX;
    }

    /// Whether technique `index` is left out of the current pass.
    pub(super) fn skipped(&self, index: usize) -> bool {
        !self.mfa_only.is_empty() && !self.mfa_only[index]
    }

    /// Adds to actor `a`'s edges those that exist only when it signs in with MFA, as possible.
    pub(in crate::account::escalation) fn add_mfa_edges(
        &mut self,
        a: usize,
        upgrades: &mut Vec<EdgeSet>,
        reaches: &mut Vec<EdgeSet>,
    ) {
        let only = self.mfa_techniques(a);
        if only.is_empty() {
            return;
        }
        self.assuming(Some(only));
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

    /// `found` again with [`MFA`], for a hop that the requests without it do not make.
    pub(super) fn found_with_mfa(
        &mut self,
        a: usize,
        find: impl FnOnce(&mut Self) -> Option<Found>,
    ) -> Option<Found> {
        if self.mfa_techniques(a).is_empty() {
            return None;
        }
        self.assuming(Some(Vec::new()));
        let found = find(self);
        self.assuming(None);
        let found = found?;
        let requires = match found.requires {
            Some(r) => format!("{r}; {REQUIRES}"),
            None => REQUIRES.to_string(),
        };
        Some(Found {
            certainty: Certainty::Possible,
            requires: Some(requires),
            ..found
        })
    }
}
