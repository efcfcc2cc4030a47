//! A policy summary, as the IAM console shows one: for each service, the access levels a policy
//! grants (and denies), how many of the level's actions, on which resources, under which
//! conditions. `NotAction` and `NotResource` are honoured (every action, or resource, except those
//! listed).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{AccessLevel, Catalog};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{parse_policy, Effect, PolicyType};

/// One access level of one service, for one effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelSummary {
    /// The level.
    pub level: AccessLevel,
    /// How many of the level's actions the policy covers.
    pub actions: usize,
    /// How many actions the service has at this level.
    pub total: usize,
    /// The resources (`*`, ARN patterns, or `all but ...` for `NotResource`).
    pub resources: Vec<String>,
    /// The condition keys that limit it (empty: unconditional for some statement).
    pub condition_keys: Vec<String>,
    /// Whether every contributing statement has conditions.
    pub conditional: bool,
}

/// One service's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    /// The prefix.
    pub service: String,
    /// The service's name.
    pub name: String,
    /// `Full access`, or `Limited: Read, List` (what `Allow` grants), or `None` (only denies).
    pub access: String,
    /// What `Allow` statements grant, level by level.
    pub allow: Vec<LevelSummary>,
    /// What `Deny` statements take away, level by level.
    pub deny: Vec<LevelSummary>,
}

/// A policy's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    /// Services, sorted by prefix.
    pub services: Vec<ServiceSummary>,
    /// Service prefixes the policy names that the catalog does not know.
    pub unknown_services: Vec<String>,
}

/// What the statements of one effect give one service: the actions (a bit per action) and, per
/// access level, the resources and condition keys of the statements that touched it.
struct Acc {
    bits: Vec<u64>,
    levels: [LevelAcc; 5],
}

#[derive(Default)]
struct LevelAcc {
    touched: bool,
    resources: BTreeSet<String>,
    keys: BTreeSet<String>,
    unconditional: bool,
}

fn level_index(l: AccessLevel) -> usize {
    AccessLevel::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

impl Catalog {
    /// Summarizes a policy (JSON text) of the given type; a policy that does not validate is
    /// refused with its first error.
    pub fn summarize(&self, text: &str, ty: PolicyType) -> Result<PolicySummary> {
        let parsed = parse_policy(text, ty);
        if let Some(d) = parsed.first_error() {
            return Err(d.to_error());
        }
        let policy = parsed
            .policy
            .ok_or_else(|| Error::new(ErrorCode::PolicyJson, "the policy is not a JSON object"))?;
        // (effect, service) -> accumulated
        let mut acc: BTreeMap<(bool, usize), Acc> = BTreeMap::new();
        let mut unknown = BTreeSet::new();
        for s in &policy.statements {
            let Some(list) = &s.action else { continue };
            let patterns: Vec<&str> = list.values.items.iter().map(String::as_str).collect();
            for p in &patterns {
                if let Some((svc, _)) = p.split_once(':') {
                    if !svc.contains(['*', '?']) && self.service(svc).is_none() {
                        unknown.insert(svc.to_ascii_lowercase());
                    }
                }
            }
            let resources: Vec<String> = match &s.resource {
                None => vec!["*".into()],
                Some(r) if r.negated => r
                    .values
                    .items
                    .iter()
                    .map(|x| format!("all but {x}"))
                    .collect(),
                Some(r) => r.values.items.clone(),
            };
            let keys: Vec<String> = s
                .condition
                .iter()
                .flat_map(|b| b.entries.iter().map(|(k, _)| k.clone()))
                .collect();
            let deny = s.effect == Effect::Deny;
            // set the actions' bits, and note the (service, level) pairs this statement touches
            let mut touched: Vec<(usize, usize)> = Vec::new();
            for (si, ai) in self.matching(&patterns, list.negated) {
                let service = &self.services[si];
                let e = acc.entry((deny, si)).or_insert_with(|| Acc {
                    bits: vec![0; service.actions.len().div_ceil(64)],
                    levels: Default::default(),
                });
                e.bits[ai / 64] |= 1 << (ai % 64);
                let li = level_index(service.actions[ai].access);
                if touched.last() != Some(&(si, li)) {
                    touched.push((si, li));
                }
            }
            touched.sort_unstable();
            touched.dedup();
            for (si, li) in touched {
                if let Some(e) = acc.get_mut(&(deny, si)) {
                    let l = &mut e.levels[li];
                    l.touched = true;
                    l.resources.extend(resources.iter().cloned());
                    l.keys.extend(keys.iter().cloned());
                    l.unconditional |= keys.is_empty();
                }
            }
        }
        let mut by_service: BTreeMap<usize, (Vec<LevelSummary>, Vec<LevelSummary>)> =
            BTreeMap::new();
        for ((deny, si), a) in acc {
            let service = &self.services[si];
            let mut counts = [0usize; 5];
            let mut totals = [0usize; 5];
            for (ai, action) in service.actions.iter().enumerate() {
                let li = level_index(action.access);
                totals[li] += 1;
                if a.bits[ai / 64] & (1 << (ai % 64)) != 0 {
                    counts[li] += 1;
                }
            }
            let slot = by_service.entry(si).or_default();
            for (li, l) in a.levels.into_iter().enumerate() {
                if !l.touched {
                    continue;
                }
                let summary = LevelSummary {
                    level: AccessLevel::ALL[li],
                    actions: counts[li],
                    total: totals[li],
                    resources: l.resources.into_iter().collect(),
                    condition_keys: l.keys.into_iter().collect(),
                    conditional: !l.unconditional,
                };
                if deny {
                    slot.1.push(summary);
                } else {
                    slot.0.push(summary);
                }
            }
        }
        let services = by_service
            .into_iter()
            .map(|(si, (allow, deny))| {
                let s = &self.services[si];
                let full = !allow.is_empty()
                    && allow.iter().map(|l| l.actions).sum::<usize>() == s.actions.len()
                    && allow
                        .iter()
                        .all(|l| l.resources.iter().any(|r| r == "*") && !l.conditional)
                    && deny.is_empty();
                let access = if allow.is_empty() {
                    "None".to_string()
                } else if full {
                    "Full access".to_string()
                } else {
                    format!(
                        "Limited: {}",
                        allow
                            .iter()
                            .map(|l| l.level.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                ServiceSummary {
                    service: s.prefix.clone(),
                    name: s.name.clone(),
                    access,
                    allow,
                    deny,
                }
            })
            .collect();
        Ok(PolicySummary {
            services,
            unknown_services: unknown.into_iter().collect(),
        })
    }
}
