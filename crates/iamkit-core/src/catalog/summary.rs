//! A policy summary, as the IAM console shows one: for each service, the access levels a policy
//! grants (and denies), how many of the level's actions, on which resources, under which
//! conditions. `NotAction` and `NotResource` are honoured (every action, or resource, except those
//! listed).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{AccessLevel, Catalog};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{parse_policy, Effect, ParsedPolicy, PolicyType};

/// One access level of one service, for one effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    /// Services, sorted by prefix.
    pub services: Vec<ServiceSummary>,
    /// Service prefixes the policy names that the catalog does not know.
    pub unknown_services: Vec<String>,
}

/// What the statements of one effect give one service: the actions (a bit per action) and, per
/// access level, the resources and condition keys of the statements that touched it (borrowed
/// from the policy; `NotResource` entries written out as `all but ...`).
struct Acc<'p> {
    bits: Vec<u64>,
    levels: [LevelAcc<'p>; 5],
}

#[derive(Default)]
struct LevelAcc<'p> {
    touched: bool,
    resources: BTreeSet<Cow<'p, str>>,
    keys: BTreeSet<&'p str>,
    unconditional: bool,
}

impl Catalog {
    /// Summarizes a policy (JSON text) of the given type; a policy that does not validate is
    /// refused with its first error.
    pub fn summarize(&self, text: &str, ty: PolicyType) -> Result<PolicySummary> {
        self.summarize_parsed(&parse_policy(text, ty), None)
    }

    /// [`Catalog::summarize`] for a policy already parsed. `matched`, when known, holds for
    /// each statement every action its `Action` / `NotAction` patterns match (without the
    /// negation), sorted, as the linter finds them.
    pub(crate) fn summarize_parsed(
        &self,
        parsed: &ParsedPolicy,
        matched: Option<&[Vec<(usize, usize)>]>,
    ) -> Result<PolicySummary> {
        if let Some(d) = parsed.first_error() {
            return Err(d.to_error());
        }
        let policy = parsed
            .policy
            .as_ref()
            .ok_or_else(|| Error::new(ErrorCode::PolicyJson, "the policy is not a JSON object"))?;
        // (effect, service) -> accumulated
        let mut acc: BTreeMap<(bool, usize), Acc<'_>> = BTreeMap::new();
        let mut unknown = BTreeSet::new();
        for (i, s) in policy.statements.iter().enumerate() {
            let Some(list) = &s.action else { continue };
            let patterns: Vec<&str> = list.values.items.iter().map(String::as_str).collect();
            for p in &patterns {
                if let Some((svc, _)) = p.split_once(':') {
                    if !svc.contains(['*', '?']) && self.service_index(svc).is_none() {
                        unknown.insert(svc.to_ascii_lowercase());
                    }
                }
            }
            let resources: Vec<Cow<'_, str>> = match &s.resource {
                None => vec![Cow::Borrowed("*")],
                Some(r) if r.negated => r
                    .values
                    .items
                    .iter()
                    .map(|x| Cow::Owned(format!("all but {x}")))
                    .collect(),
                Some(r) => r
                    .values
                    .items
                    .iter()
                    .map(|x| Cow::Borrowed(x.as_str()))
                    .collect(),
            };
            let keys: Vec<&str> = s
                .condition
                .iter()
                .flat_map(|b| b.entries.iter().map(|(k, _)| k.as_str()))
                .collect();
            let deny = s.effect == Effect::Deny;
            let matched: Cow<'_, [(usize, usize)]> = match matched.and_then(|m| m.get(i)) {
                Some(hits) if list.negated => Cow::Owned(self.complement(hits)),
                Some(hits) => Cow::Borrowed(hits),
                None => Cow::Owned(self.matching(&patterns, list.negated)),
            };
            // one run of `matched` per service: set the actions' bits, then note the levels
            for run in matched.chunk_by(|a, b| a.0 == b.0) {
                let si = run[0].0;
                let service = &self.services[si];
                let e = acc.entry((deny, si)).or_insert_with(|| Acc {
                    bits: vec![0; service.actions.len().div_ceil(64)],
                    levels: Default::default(),
                });
                let mut levels = [false; 5];
                let level_of = &service.index().level_of;
                for &(_, ai) in run {
                    e.bits[ai / 64] |= 1 << (ai % 64);
                    levels[usize::from(level_of[ai])] = true;
                }
                for (l, _) in e.levels.iter_mut().zip(levels).filter(|(_, hit)| *hit) {
                    l.touched = true;
                    l.resources.extend(resources.iter().cloned());
                    l.keys.extend(keys.iter().copied());
                    l.unconditional |= keys.is_empty();
                }
            }
        }
        let mut by_service: BTreeMap<usize, (Vec<LevelSummary>, Vec<LevelSummary>)> =
            BTreeMap::new();
        for ((deny, si), a) in acc {
            let service = &self.services[si];
            let level_bits = &service.index().level_bits;
            let count = |li: usize, of: &[u64]| -> usize {
                level_bits[li]
                    .iter()
                    .zip(of)
                    .map(|(l, b)| (l & b).count_ones() as usize)
                    .sum()
            };
            let counts: [usize; 5] = std::array::from_fn(|li| count(li, &a.bits));
            let totals: [usize; 5] = std::array::from_fn(|li| {
                level_bits[li].iter().map(|w| w.count_ones() as usize).sum()
            });
            let slot = by_service.entry(si).or_default();
            for (li, l) in a.levels.into_iter().enumerate() {
                if !l.touched {
                    continue;
                }
                let summary = LevelSummary {
                    level: AccessLevel::ALL[li],
                    actions: counts[li],
                    total: totals[li],
                    resources: l.resources.into_iter().map(Cow::into_owned).collect(),
                    condition_keys: l.keys.into_iter().map(str::to_string).collect(),
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
