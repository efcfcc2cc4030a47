//! Context the analysis cannot know but an actor can supply: signing in with MFA, and sending
//! requests from a source address a policy asks for.
//!
//! Requests carry no MFA keys (see the module docs of `escalation`), so a statement that allows
//! only with MFA does not allow, and a Deny "unless MFA" denies. An actor that signs in with MFA
//! sends them, so an edge that exists only with them is reported as `possible`, requiring it.
//! Likewise requests carry no `aws:SourceIp`: a statement that allows only from a network
//! (`IpAddress`) does not allow, and a Deny "unless from it" (`NotIpAddress`) denies. An actor
//! on that network sends an address in it, so each network such a statement names (in the
//! actor's policies, its boundary, the SCPs and RCPs given, and the trust policies that may let
//! it in; at most [`MAX_ADDRESSES`] of them) gets a pass of its own with one address of it, and an
//! edge found only then is `possible`, requiring requests from that address. Each pass supplies
//! one thing alone (MFA, or one address), so what a hop requires is exactly what its requests
//! carried; a path that needs MFA and an address together is not found (left for later), nor are
//! the VPC keys (`aws:SourceVpc`, `aws:SourceVpce`, `aws:VpcSourceIp`: a request through an
//! endpoint carries them and no `aws:SourceIp`).
//!
//! A pass runs only where it could change an answer: for the techniques whose actions a
//! statement reading the key admits, and for assuming roles when a trust policy reads it. When
//! the caller gives an MFA key in the context, that answer stands and MFA is not assumed; when it
//! gives a network key (`aws:SourceIp` or a VPC key), no address is. Without MFA the requests
//! carry `aws:MultiFactorAuthPresent = false`, as AWS sends with temporary credentials.
//!
//! Not assumed (left for later): the administrator probes (who is one, and whether an upgrade
//! makes one) and what joining a group gives are decided without either, so a principal that is
//! an administrator only with MFA or from a network is not a goal of the search.

use super::{Builder, EdgeSet, Found, Model, Reach, Upgrade};
use crate::account::escalation::techniques;
use crate::account::escalation::Certainty;
use crate::eval::CompiledPolicy;
use crate::policy::condition::{parse_ip_net, BaseOp, SetOp};
use crate::policy::{Effect, Statement};

/// The keys an actor that signed in with MFA sends, at the analysis instant.
const MFA: [(&str, &str); 2] = [
    ("aws:MultiFactorAuthPresent", "true"),
    ("aws:MultiFactorAuthAge", "0"),
];

/// What a hop found only with [`MFA`] requires.
const REQUIRES_MFA: &str = "requests authenticated with MFA (aws:MultiFactorAuthPresent = true)";

/// The most networks tried per actor, each a pass (the first named, in the order of the module
/// docs).
pub(super) const MAX_ADDRESSES: usize = 4;

/// Whether a statement's conditions read a key that starts with `prefix` (lower case).
fn statement_reads(st: &Statement, prefix: &str) -> bool {
    st.condition.iter().any(|block| {
        block.entries.iter().any(|(key, _)| {
            key.get(..prefix.len())
                .is_some_and(|k| k.eq_ignore_ascii_case(prefix))
        })
    })
}

/// Whether a statement's conditions read an MFA key.
fn statement_reads_mfa(st: &Statement) -> bool {
    statement_reads(st, "aws:multifactorauth")
}

/// Whether a statement's conditions read `aws:SourceIp`.
fn statement_reads_ip(st: &Statement) -> bool {
    st.condition.iter().any(|block| {
        block
            .entries
            .iter()
            .any(|(key, _)| key.eq_ignore_ascii_case("aws:sourceip"))
    })
}

/// Whether a statement reads a key some pass supplies (MFA, `aws:SourceIp`): its answer for a
/// principal may differ from pass to pass. Every key a [`Supplied`] pass carries must be read
/// here (`open_trust` relies on it).
pub(super) fn reads_supplied_key(st: &Statement) -> bool {
    statement_reads_mfa(st) || statement_reads_ip(st)
}

/// Whether a policy's conditions read an MFA key.
pub(super) fn reads_mfa(policy: &CompiledPolicy) -> bool {
    policy.source.statements.iter().any(statement_reads_mfa)
}

/// The keys of `assumed` a statement that `reads_ip` or not can read: all of them, or the MFA
/// keys alone.
pub(super) fn keys_read(
    assumed: &[(&'static str, String)],
    reads_ip: bool,
) -> Vec<(&'static str, String)> {
    assumed
        .iter()
        .filter(|(k, _)| reads_ip || MFA.iter().any(|(m, _)| m == k))
        .cloned()
        .collect()
}

/// Whether a policy's conditions read `aws:SourceIp`.
pub(super) fn reads_ip(policy: &CompiledPolicy) -> bool {
    policy.source.statements.iter().any(statement_reads_ip)
}

/// The networks (as written) a statement lets requests come from: those of an Allow's
/// `IpAddress` on `aws:SourceIp`, and of a Deny's `NotIpAddress` (or `NotIpAddressIfExists`),
/// each with one address in it (its first).
fn networks(st: &Statement) -> impl Iterator<Item = (String, String)> + '_ {
    // an Allow's IpAddressIfExists already holds without an address: nothing to try
    let (wanted, if_exists_ok) = match st.effect {
        Effect::Allow => (BaseOp::IpAddress, false),
        Effect::Deny => (BaseOp::NotIpAddress, true),
    };
    st.condition
        .iter()
        .filter(move |b| {
            b.operator.base == wanted
                && b.operator.set == SetOp::None
                && (if_exists_ok || !b.operator.if_exists)
        })
        .flat_map(|b| b.entries.iter())
        .filter(|(key, _)| key.eq_ignore_ascii_case("aws:sourceip"))
        .flat_map(|(_, values)| values.items.iter())
        .filter_map(|v| {
            let net = parse_ip_net(&v.text)?;
            Some((net.network().to_string(), v.text.clone()))
        })
}

/// One pass: the context its requests carry, what a hop found only in it requires, and the
/// techniques (by index) it runs (all when empty).
pub(super) struct Supplied {
    keys: Vec<(&'static str, String)>,
    requires: String,
    only: Vec<bool>,
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
    /// The statements of actor `a`'s policies, its boundary, and the SCPs and RCPs given, with
    /// their compiled forms.
    fn own_statements(
        &self,
        a: usize,
    ) -> Vec<(&crate::eval::compile::CompiledStatement, &Statement)> {
        let p = &self.account.prepared[a];
        let extra = &self.q.policies;
        p.set
            .identity
            .iter()
            .chain(&p.set.boundaries)
            .chain(extra.scps.iter().flatten())
            .chain(extra.rcps.iter().flatten())
            .flat_map(|x| x.statements.iter().zip(&x.source.statements))
            .collect()
    }

    /// The techniques (by index) whose requests by actor `a` could decide otherwise with a key
    /// that `reads` tells a statement reads: an action of theirs is admitted by such a
    /// statement, or they assume roles and `trusts` (a trust policy reads the key). Empty when
    /// none could.
    fn techniques_reading(
        &self,
        a: usize,
        reads: fn(&Statement) -> bool,
        trusts: bool,
    ) -> Vec<bool> {
        let reading: Vec<&crate::eval::compile::CompiledStatement> = self
            .own_statements(a)
            .into_iter()
            .filter(|(_, st)| reads(st))
            .map(|(c, _)| c)
            .collect();
        if reading.is_empty() && !trusts {
            return Vec::new();
        }
        let only: Vec<bool> = techniques::all()
            .iter()
            .map(|e| {
                let assumes = matches!(
                    e.model,
                    Model::Reach(Reach::AssumeRole | Reach::UpdateAssumeRolePolicy)
                );
                (assumes && trusts)
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

    /// The passes for actor `a`, in order: MFA, then one per network (see the module docs);
    /// none where none could change an answer.
    fn passes(&mut self, a: usize) -> Vec<Supplied> {
        let mut out = Vec::new();
        if !self.caller_mfa {
            let only = self.techniques_reading(a, statement_reads_mfa, self.trusts_read_mfa);
            if !only.is_empty() {
                out.push(Supplied {
                    keys: MFA.iter().map(|(k, v)| (*k, v.to_string())).collect(),
                    requires: REQUIRES_MFA.to_string(),
                    only,
                });
            }
        }
        if self.caller_network {
            return out;
        }
        let only = self.techniques_reading(a, statement_reads_ip, self.trusts_read_ip);
        if only.is_empty() {
            return out;
        }
        // the trust policies that may let the actor in, as the assume-role reach looks them up
        let may = self.may(a, "sts:AssumeRole");
        let p = &self.account.prepared[a];
        let names = super::TrustNames::of(p);
        let mut trusts: Vec<&CompiledPolicy> = self
            .trust_candidates(a, may)
            .into_iter()
            .map(|g| self.trust_groups[g as usize].0.as_ref())
            .filter(|t| {
                let values = || super::trust_values(t);
                names.names(values()) || may && names.may_name(values())
            })
            .collect();
        if may {
            let acct = p.account.as_deref().unwrap_or("");
            trusts.extend(self.open_per_pass_trusts(acct).map(|t| t.as_ref()));
        }
        let own = self.own_statements(a);
        let statements = own
            .iter()
            .map(|(_, st)| *st)
            .chain(trusts.iter().flat_map(|t| t.source.statements.iter()));
        let mut nets: Vec<(String, String)> = Vec::new();
        'statements: for st in statements {
            for net in networks(st) {
                if nets.len() == MAX_ADDRESSES {
                    break 'statements;
                }
                if !nets.iter().any(|n| n.0 == net.0) {
                    nets.push(net);
                }
            }
        }
        for (address, network) in nets {
            out.push(Supplied {
                keys: vec![("aws:SourceIp", address.clone())],
                requires: format!(
                    "requests from aws:SourceIp = {address} (the first address of {network}, a network a condition names)"
                ),
                only: only.clone(),
            });
        }
        out
    }

    /// Makes the requests that follow carry `pass`'s keys for its techniques, or nothing
    /// (`None`); the current actor's grouped decisions and requests are dropped either way.
    fn assuming(&mut self, pass: Option<&Supplied>) {
        match pass {
            Some(p) => {
                self.assumed.clone_from(&p.keys);
                self.pass_only.clone_from(&p.only);
            }
            None => {
                self.assumed.clear();
                self.pass_only.clear();
            }
        }
        self.forget_groups();
        self.templates.clear();
        self.groups_of = usize::MAX;
    }

    /// Whether technique `index` is left out of the current pass.
    pub(super) fn skipped(&self, index: usize) -> bool {
        !self.pass_only.is_empty() && !self.pass_only[index]
    }

    /// Adds to actor `a`'s edges those that exist only with what it can supply (MFA, a source
    /// address), as possible; each pass adds only what the earlier ones and the plain requests
    /// did not find.
    pub(in crate::account::escalation) fn add_supplied_edges(
        &mut self,
        a: usize,
        upgrades: &mut Vec<EdgeSet>,
        reaches: &mut Vec<EdgeSet>,
    ) {
        for pass in self.passes(a) {
            self.assuming(Some(&pass));
            let (more_up, more_reach) = self.edges(a);
            self.assuming(None);
            // a user that already makes itself an administrator for certain gains no shorter
            // path by joining a group (a pass that leaves out that upgrade would not know)
            let upgraded = upgrades
                .iter()
                .any(|x| x.certainty == Certainty::Exact && x.targets.has(a));
            for (base, more) in [(&mut *upgrades, more_up), (&mut *reaches, more_reach)] {
                for set in more {
                    let joins = matches!(
                        techniques::all()[set.technique as usize].model,
                        Model::Upgrade(Upgrade::AddUserToGroup)
                    );
                    if joins && upgraded {
                        continue;
                    }
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
    }

    /// `find` again with what actor `a` can supply, pass by pass in the order of
    /// [`Builder::add_supplied_edges`], for a hop that the plain requests do not make: the first
    /// pass that makes it, and what it requires.
    pub(super) fn found_supplied(
        &mut self,
        a: usize,
        mut find: impl FnMut(&mut Self) -> Option<Found>,
    ) -> Option<Found> {
        for mut pass in self.passes(a) {
            pass.only.clear(); // the hop's technique, whichever it is
            self.assuming(Some(&pass));
            let found = find(self);
            self.assuming(None);
            let Some(found) = found else { continue };
            let requires = match found.requires {
                Some(r) => format!("{r}; {}", pass.requires),
                None => pass.requires,
            };
            return Some(Found {
                certainty: Certainty::Possible,
                requires: Some(requires),
                ..found
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::policy::{parse_policy, PolicyType};

    fn statement(condition: &str) -> Statement {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{condition}}}]}}"#
        );
        parse_policy(&text, PolicyType::Identity)
            .policy
            .unwrap()
            .statements
            .remove(0)
    }

    #[test]
    fn every_key_a_pass_supplies_is_one_that_counts_as_supplied() {
        // open_trust settles only trust policies that read none of them
        let ip = ("aws:SourceIp", "203.0.113.0".to_string());
        let keys = MFA.iter().map(|(k, v)| (*k, v.to_string())).chain([ip]);
        for (key, value) in keys {
            let st = statement(&format!(r#"{{"StringEquals":{{"{key}":"{value}"}}}}"#));
            assert!(reads_supplied_key(&st), "{key}");
        }
        assert!(!reads_supplied_key(&statement(
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#
        )));
    }

    #[test]
    fn networks_come_from_an_allows_ipaddress_and_a_denys_notipaddress() {
        let nets = |c: &str| networks(&statement(c)).collect::<Vec<_>>();
        assert_eq!(
            nets(r#"{"IpAddress":{"aws:SourceIp":["10.1.2.0/24","2001:db8::/32"]}}"#),
            [
                ("10.1.2.0".to_string(), "10.1.2.0/24".to_string()),
                ("2001:db8::".to_string(), "2001:db8::/32".to_string())
            ]
        );
        // an Allow's NotIpAddress, a set operator, another key, text that is no network
        assert!(nets(r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#).is_empty());
        assert!(nets(r#"{"ForAnyValue:IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#).is_empty());
        assert!(nets(r#"{"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}"#).is_empty());
        assert!(nets(r#"{"IpAddress":{"aws:SourceIp":"corp"}}"#).is_empty());
    }
}
