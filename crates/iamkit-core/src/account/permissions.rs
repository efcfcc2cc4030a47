//! Effective permissions of a principal: the action patterns its identity policies allow, on which
//! resources, net of its denies and its permissions boundary, grouped by service. Without the
//! service catalog this works on patterns: a Deny or boundary that covers a pattern removes or
//! narrows it; one that covers only part of it is named on the entry (`limitedBy`).

mod index;
#[cfg(test)]
mod tests;

use serde::Serialize;

use super::{Account, Prepared};
use crate::catalog::{AccessLevel, Catalog};
use crate::error::Result;
use crate::policy::{Effect, Statement};
use crate::wildcard::{covers, covers_resource, intersects, intersects_resource};
use index::DenyIndex;

/// One allowed (or removed) grant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PermissionEntry {
    /// Action patterns, as written (`s3:Get*`).
    pub actions: Vec<String>,
    /// `true` when the grant is every action except `actions` (`NotAction`).
    pub not_actions: bool,
    /// Resource patterns.
    pub resources: Vec<String>,
    /// `true` when the grant is every resource except `resources` (`NotResource`).
    pub not_resources: bool,
    /// The statement's `Condition` (JSON), `null` when unconditional.
    pub conditions: serde_json::Value,
    /// The policy that grants it.
    pub policy: String,
    /// The statement's index.
    pub statement: usize,
    /// The statement's Sid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// What limits part of it: Deny statements and boundary gaps, one sentence each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limited_by: Vec<String>,
    /// The access levels of the actions it grants, from the service catalog (empty when no catalog
    /// was given).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub access_levels: Vec<AccessLevel>,
}

/// The grants of one service.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServicePermissions {
    /// The service prefix (`s3`), or `*` for grants on every service.
    pub service: String,
    /// The grants.
    pub allowed: Vec<PermissionEntry>,
}

/// The answer of [`Account::effective_permissions`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EffectivePermissions {
    /// The principal's ARN.
    pub principal: String,
    /// Allowed `*` on `*` (by evaluation).
    pub administrator: bool,
    /// Grants by service, sorted by service.
    pub services: Vec<ServicePermissions>,
    /// Grants removed entirely by a Deny or the boundary, with the reason in `limitedBy`.
    pub removed: Vec<PermissionEntry>,
    /// Policies whose documents are unknown (the answer is partial).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
}

fn service_of(pattern: &str) -> String {
    match pattern.split_once(':') {
        Some((svc, _)) if !svc.contains(['*', '?']) => svc.to_ascii_lowercase(),
        _ => "*".to_string(),
    }
}

fn list(s: &Statement, action: bool) -> (Vec<String>, bool) {
    let el = if action { &s.action } else { &s.resource };
    match el {
        Some(l) => (l.values.items.clone(), l.negated),
        None => (vec!["*".into()], false),
    }
}

fn cite(label: &str, index: usize, s: &Statement) -> String {
    let sid = s
        .sid
        .as_deref()
        .map(|x| format!(" ({x})"))
        .unwrap_or_default();
    format!("statement {index}{sid} of {label}")
}

impl Account {
    /// The action patterns `principal` is allowed, on which resources, net of its Deny statements
    /// and its permissions boundary, grouped by service. With a `catalog`, each grant names the
    /// access levels of the actions it covers; without one they are left out.
    pub fn effective_permissions(
        &self,
        principal: &str,
        catalog: Option<&Catalog>,
    ) -> Result<EffectivePermissions> {
        let p = self.resolve(principal)?;
        Ok(effective(self, p, catalog, true, &mut 0))
    }
}

/// A Deny statement, with its lists read once.
struct Deny<'a> {
    /// `statement N (Sid) of POLICY`.
    cite: String,
    statement: &'a Statement,
    actions: (Vec<String>, bool),
    resources: (Vec<String>, bool),
}

/// The effective permissions of `p`. `indexed`: compare each grant pattern only with the Denies
/// it may meet (else with every Deny, as tests check); `steps` counts the Denies compared and
/// the index's work, for tests.
fn effective(
    account: &Account,
    p: &Prepared,
    catalog: Option<&Catalog>,
    indexed: bool,
    steps: &mut u64,
) -> EffectivePermissions {
    let mut budget = WORK_LIMIT;
    let labeled: Vec<(&str, &crate::eval::CompiledPolicy)> = p
        .identity_labels
        .iter()
        .map(String::as_str)
        .zip(p.set.identity.iter().map(|a| &**a))
        .collect();
    let boundary_label = p
        .boundary_label
        .as_deref()
        .unwrap_or("the permissions boundary");
    let boundary: Vec<&Statement> = p
        .set
        .boundaries
        .iter()
        .flat_map(|b| b.source.statements.iter())
        .collect();
    let denies: Vec<Deny<'_>> = labeled
        .iter()
        .flat_map(|(label, pol)| {
            pol.source
                .statements
                .iter()
                .enumerate()
                .filter(|(_, s)| s.effect == Effect::Deny)
                .map(move |(i, s)| (cite(label, i, s), s))
        })
        .chain(p.set.boundaries.iter().flat_map(|b| {
            b.source
                .statements
                .iter()
                .enumerate()
                .filter(|(_, s)| s.effect == Effect::Deny)
                .map(move |(i, s)| (cite(boundary_label, i, s), s))
        }))
        .map(|(cite, statement)| Deny {
            cite,
            statement,
            actions: list(statement, true),
            resources: list(statement, false),
        })
        .collect();
    let mut deny_index = DenyIndex::default();
    for (i, d) in denies.iter().enumerate() {
        // a NotAction Deny is compared with every pattern
        deny_index.add(i, &d.actions.0, d.actions.1 || !indexed);
    }

    let mut services: std::collections::BTreeMap<String, Vec<PermissionEntry>> = Default::default();
    let mut removed = Vec::new();
    for (label, pol) in &labeled {
        for (index, s) in pol.source.statements.iter().enumerate() {
            if s.effect != Effect::Allow {
                continue;
            }
            let (actions, not_actions) = list(s, true);
            let (resources, not_resources) = list(s, false);
            let conditions = s.condition_json();
            // one entry per service named (NotAction grants are one entry under `*`)
            let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            if not_actions {
                groups.insert("*".into(), actions.clone());
            } else {
                for a in &actions {
                    groups.entry(service_of(a)).or_default().push(a.clone());
                }
            }
            for (service, acts) in groups {
                let mut entry = PermissionEntry {
                    actions: acts,
                    not_actions,
                    resources: resources.clone(),
                    not_resources,
                    conditions: conditions.clone(),
                    policy: (*label).to_string(),
                    statement: index,
                    sid: s.sid.clone(),
                    limited_by: Vec::new(),
                    access_levels: Vec::new(),
                };
                if !boundary.is_empty() && !apply_boundary(&mut entry, &boundary, boundary_label) {
                    removed.push(entry);
                    continue;
                }
                if !apply_denies(&mut entry, &denies, &deny_index, steps, &mut budget) {
                    removed.push(entry);
                    continue;
                }
                // an action with no resource type is granted only on `*` itself (or by a
                // `NotResource`): on named resources its level is not granted
                let on_star = entry.not_resources || entry.resources.iter().any(|r| r == "*");
                entry.access_levels =
                    levels_of(catalog, &entry.actions, entry.not_actions, on_star);
                services.entry(service).or_default().push(entry);
            }
        }
    }
    EffectivePermissions {
        principal: p.arn.clone(),
        administrator: account.admin(p),
        services: services
            .into_iter()
            .map(|(service, allowed)| ServicePermissions { service, allowed })
            .collect(),
        removed,
        incomplete: p.missing.clone(),
    }
}

/// Narrows `entry` to what the boundary allows; false when nothing is left.
fn apply_boundary(entry: &mut PermissionEntry, boundary: &[&Statement], label: &str) -> bool {
    if entry.not_actions {
        // a NotAction grant is kept whole; the boundary's Allow patterns bound it
        entry.limited_by.push(format!(
            "{label} bounds it to what its Allow statements name"
        ));
        return true;
    }
    let allowing: Vec<&Statement> = boundary
        .iter()
        .copied()
        .filter(|s| s.effect == Effect::Allow)
        .collect();
    let allows: Vec<(Vec<String>, bool)> = allowing.iter().map(|s| list(s, true)).collect();
    let mut kept = Vec::new();
    for a in &entry.actions {
        let covering = allows.iter().position(|(pats, neg)| {
            if *neg {
                !pats.iter().any(|x| intersects(x, a))
            } else {
                pats.iter().any(|b| covers(b, a))
            }
        });
        if let Some(i) = covering {
            // the boundary statement may still narrow the resources or add conditions
            let st = allowing[i];
            let (res, res_neg) = list(st, false);
            if res_neg || res.iter().any(|r| r != "*") {
                entry.limited_by.push(format!(
                    "{label} allows {a} only on {}{}",
                    if res_neg { "all but " } else { "" },
                    res.join(", ")
                ));
            }
            if !st.condition.is_empty() {
                entry
                    .limited_by
                    .push(format!("{label} allows {a} only when its conditions hold"));
            }
            kept.push(a.clone());
            continue;
        }
        let narrower: Vec<String> = allows
            .iter()
            .filter(|(_, neg)| !neg)
            .flat_map(|(pats, _)| pats.iter().filter(|b| covers(a, b)).cloned())
            .collect();
        if !narrower.is_empty() {
            entry.limited_by.push(format!(
                "{label} allows only {} of {a}",
                narrower.join(", ")
            ));
            kept.extend(narrower);
        } else if allows
            .iter()
            .any(|(pats, neg)| *neg || pats.iter().any(|b| intersects(a, b)))
        {
            entry
                .limited_by
                .push(format!("{label} allows only part of {a}"));
            kept.push(a.clone());
        } else {
            entry.limited_by.push(format!("{label} does not allow {a}"));
        }
    }
    kept.dedup();
    if kept.is_empty() {
        return false;
    }
    entry.actions = kept;
    true
}

/// Removes what unconditional Deny statements cover and names partial ones; false when nothing is
/// left. Each pattern is compared only with the Denies `index` says it may meet (the others
/// neither cover nor touch it), in statement order.
/// How much pattern comparison one principal's listing may do, in cells of the comparison tables
/// (a pattern of `n` characters against one of `m` costs about `n × m`): a few tens of
/// milliseconds. Comparing every Allow pattern with every Deny is quadratic in the policies, and
/// each comparison in the patterns' lengths, so hostile policies (hundreds of long wildcard
/// patterns that all overlap) would otherwise take seconds. Past the limit an entry is kept as
/// allowed and says how many Denies were not compared: the listing may overstate access, never
/// understate it.
const WORK_LIMIT: u64 = 20_000_000;

/// What comparing the pattern `a` and the entry's resources with a Deny's lists costs.
fn comparison_cost(a: &str, entry: &PermissionEntry, dacts: &[String], dres: &[String]) -> u64 {
    let len = |v: &[String]| v.iter().map(|x| x.len() as u64 + 1).sum::<u64>();
    (a.len() as u64 + 1) * len(dacts) + len(&entry.resources) * len(dres)
}

fn apply_denies(
    entry: &mut PermissionEntry,
    denies: &[Deny<'_>],
    index: &DenyIndex,
    steps: &mut u64,
    budget: &mut u64,
) -> bool {
    let mut kept = Vec::new();
    let mut not_compared = 0usize;
    let patterns = entry.actions.clone();
    for a in &patterns {
        let mut gone = false;
        let candidates = if entry.not_actions {
            (0..denies.len()).collect()
        } else {
            index.candidates(a, steps)
        };
        for i in candidates {
            *steps += 1;
            let Some(Deny {
                cite,
                statement: d,
                actions: (dacts, dneg),
                resources: (dres, dres_neg),
            }) = denies.get(i)
            else {
                continue;
            };
            let (dneg, dres_neg) = (*dneg, *dres_neg);
            let cost = comparison_cost(a, entry, dacts, dres);
            if cost > *budget {
                not_compared += 1;
                continue;
            }
            *budget -= cost;
            let covers_action = if entry.not_actions {
                !dneg && dacts.iter().any(|x| x == "*")
            } else if dneg {
                !dacts.iter().any(|x| intersects(x, a))
            } else {
                dacts.iter().any(|x| covers(x, a))
            };
            let touches_action = if entry.not_actions || dneg {
                true
            } else {
                dacts.iter().any(|x| intersects(x, a))
            };
            let covers_resources = !dres_neg
                && !entry.not_resources
                && entry
                    .resources
                    .iter()
                    .all(|r| dres.iter().any(|x| covers_resource(x, r)));
            let unconditional = d.condition.is_empty();
            if covers_action && covers_resources && unconditional {
                entry.limited_by.push(format!("denied by {cite}"));
                gone = true;
                break;
            }
            if touches_action {
                let resources_touch = dres_neg
                    || entry.not_resources
                    || entry
                        .resources
                        .iter()
                        .any(|r| dres.iter().any(|x| intersects_resource(x, r)));
                if resources_touch {
                    let note = format!(
                        "{} denied by {cite}{}",
                        if covers_action && covers_resources {
                            ""
                        } else {
                            "partly"
                        },
                        if unconditional {
                            ""
                        } else {
                            " when its conditions hold"
                        }
                    );
                    entry.limited_by.push(note.trim_start().to_string());
                }
            }
        }
        if !gone {
            kept.push(a.clone());
        }
    }
    if not_compared > 0 {
        entry.limited_by.push(format!(
            "not compared with {not_compared} Deny statement{} (too many long patterns for the work limit): may be narrower",
            if not_compared == 1 { "" } else { "s" }
        ));
    }
    if kept.is_empty() {
        return false;
    }
    entry.actions = kept;
    true
}

/// The access levels of the actions the patterns cover (or, `negated`, do not); none without a
/// catalog. `on_star`: the grant reaches `*` itself, so actions with no resource type count.
fn levels_of(
    catalog: Option<&Catalog>,
    patterns: &[String],
    negated: bool,
    on_star: bool,
) -> Vec<AccessLevel> {
    let Some(c) = catalog else {
        return Vec::new();
    };
    let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let mut levels: Vec<_> = c
        .matching(&refs, negated)
        .into_iter()
        .map(|(si, ai)| &c.services[si].actions[ai])
        .filter(|a| on_star || !a.resources.is_empty())
        .map(|a| a.access)
        .collect();
    levels.sort_unstable();
    levels.dedup();
    levels
}
