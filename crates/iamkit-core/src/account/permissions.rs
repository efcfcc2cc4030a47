//! Effective permissions of a principal: the action patterns its identity policies allow, on which
//! resources, net of its denies and its permissions boundary, grouped by service. Without the
//! service catalog this works on patterns: a Deny or boundary that covers a pattern removes or
//! narrows it; one that covers only part of it is named on the entry (`limitedBy`).

use serde::Serialize;

use super::{Account, Prepared};
use crate::error::Result;
use crate::policy::{Effect, Statement};

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
    /// The access levels of the actions it grants, from the service catalog (empty when the build
    /// has no embedded catalog).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub access_levels: Vec<crate::catalog::AccessLevel>,
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

/// Patterns longer than this (AWS caps ARNs at 2048 characters) are not compared exactly: they
/// count as overlapping and never as covering, which only ever reports less as removed.
const MAX_PATTERN: usize = 2048;

fn chars(s: &str, fold: bool) -> Vec<char> {
    if fold {
        s.to_ascii_lowercase().chars().collect()
    } else {
        s.chars().collect()
    }
}

/// Whether `general` matches every string `specific` matches (a sufficient test: `specific`'s
/// wildcards must be absorbed by `general`'s `*`). `fold`: compare ASCII case-insensitively (for
/// actions; resources are case-sensitive). Two rows of memory.
fn covers_with(general: &str, specific: &str, fold: bool) -> bool {
    if general.len() > MAX_PATTERN || specific.len() > MAX_PATTERN {
        return false;
    }
    let g = chars(general, fold);
    let s = chars(specific, fold);
    let m = s.len();
    // next[j]: g[i+1..] covers s[j..]; cur[j]: g[i..] covers s[j..]
    let mut next = vec![false; m + 1];
    next[m] = true;
    for i in (0..g.len()).rev() {
        let mut cur = vec![false; m + 1];
        for j in (0..=m).rev() {
            cur[j] = match g[i] {
                '*' => next[j] || (j < m && cur[j + 1]),
                '?' => j < m && s[j] != '*' && next[j + 1],
                c => j < m && s[j] == c && next[j + 1],
            };
        }
        next = cur;
    }
    next[0]
}

/// Whether some string matches both patterns. `fold` as in [`covers_with`].
fn intersects_with(a: &str, b: &str, fold: bool) -> bool {
    if a.len() > MAX_PATTERN || b.len() > MAX_PATTERN {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // bytes are characters here; borrowed as they are unless case must be folded
        if fold {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            overlap(a.as_bytes(), b.as_bytes(), b'*', b'?')
        } else {
            overlap(a.as_bytes(), b.as_bytes(), b'*', b'?')
        }
    } else {
        overlap(&chars(a, fold), &chars(b, fold), '*', '?')
    }
}

/// Whether some string matches both patterns, given as characters (`star` and `any` are the
/// wildcards).
///
/// The start of the string must fit both patterns' text before their first `*`, and its end
/// their text after their last `*`; [`literal_ends_differ`] checks that. When both patterns have
/// a `*` that is also enough: such a string is the longer start, then the inner pieces of one
/// pattern, then those of the other, then the longer end, each `*` taking up what lies between
/// its neighbours. When neither has a `*` the check compared every position. When only one has a
/// `*`, the other stands for strings of one length and is matched against it.
fn overlap<T: Copy + Eq>(a: &[T], b: &[T], star: T, any: T) -> bool {
    if literal_ends_differ(a, b, star, any) {
        return false;
    }
    match (a.contains(&star), b.contains(&star)) {
        (true, false) => glob_fits(a, b, star, any),
        (false, true) => glob_fits(b, a, star, any),
        _ => true,
    }
}

/// Whether `pattern` matches some string that `text` (no `*`; its `any` stands for one
/// character of any kind) matches: the usual wildcard match, a character fitting a `?` on
/// either side. Greedy, going back to the last `*` on a mismatch.
fn glob_fits<T: Copy + Eq>(pattern: &[T], text: &[T], star: T, any: T) -> bool {
    let fits = |p: T, t: T| p == any || t == any || p == t;
    let (mut p, mut t) = (0, 0);
    let mut back: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == star {
            back = Some((p, t));
            p += 1;
        } else if p < pattern.len() && fits(pattern[p], text[t]) {
            p += 1;
            t += 1;
        } else if let Some((bp, bt)) = back {
            // the last `*` takes one more character
            p = bp + 1;
            t = bt + 1;
            back = Some((bp, bt + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == star)
}

/// Whether two patterns already disagree before their first `*` or after their last one: a
/// literal character in each, at the same distance from the start (or the end), that differ. No
/// string matches both then.
fn literal_ends_differ<T: Copy + Eq>(a: &[T], b: &[T], star: T, any: T) -> bool {
    let clash = |x: T, y: T| x != any && y != any && x != y;
    for (x, y) in a.iter().zip(b) {
        if *x == star || *y == star {
            break;
        }
        if clash(*x, *y) {
            return true;
        }
    }
    if !a.contains(&star) && !b.contains(&star) {
        // no star: the lengths must agree too (the walk above compared every position)
        return a.len() != b.len();
    }
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if *x == star || *y == star {
            break;
        }
        if clash(*x, *y) {
            return true;
        }
    }
    false
}

/// [`covers_with`] for actions (case-insensitive).
pub(crate) fn covers(general: &str, specific: &str) -> bool {
    covers_with(general, specific, true)
}

/// [`intersects_with`] for actions (case-insensitive).
pub(crate) fn intersects(a: &str, b: &str) -> bool {
    intersects_with(a, b, true)
}

/// [`covers_with`] for resources (case-sensitive).
pub(crate) fn covers_resource(general: &str, specific: &str) -> bool {
    covers_with(general, specific, false)
}

/// [`intersects_with`] for resources (case-sensitive).
pub(crate) fn intersects_resource(a: &str, b: &str) -> bool {
    intersects_with(a, b, false)
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
    /// and its permissions boundary, grouped by service.
    pub fn effective_permissions(&self, principal: &str) -> Result<EffectivePermissions> {
        let p = self.resolve(principal)?;
        Ok(effective(self, p))
    }
}

fn effective(account: &Account, p: &Prepared) -> EffectivePermissions {
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
    let denies: Vec<(String, &Statement)> = labeled
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
        .collect();

    let mut services: std::collections::BTreeMap<String, Vec<PermissionEntry>> = Default::default();
    let mut removed = Vec::new();
    for (label, pol) in &labeled {
        for (index, s) in pol.source.statements.iter().enumerate() {
            if s.effect != Effect::Allow {
                continue;
            }
            let (actions, not_actions) = list(s, true);
            let (resources, not_resources) = list(s, false);
            let conditions = s
                .to_json()
                .get("Condition")
                .cloned()
                .unwrap_or(serde_json::Value::Null);
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
                if !apply_denies(&mut entry, &denies) {
                    removed.push(entry);
                    continue;
                }
                entry.access_levels = levels_of(&entry.actions, entry.not_actions);
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
/// left.
fn apply_denies(entry: &mut PermissionEntry, denies: &[(String, &Statement)]) -> bool {
    let mut kept = Vec::new();
    let patterns = entry.actions.clone();
    for a in &patterns {
        let mut gone = false;
        for (cite, d) in denies {
            let (dacts, dneg) = list(d, true);
            let (dres, dres_neg) = list(d, false);
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
    if kept.is_empty() {
        return false;
    }
    entry.actions = kept;
    true
}

/// The access levels of the actions the patterns cover (or, `negated`, do not).
#[cfg(feature = "embedded-catalog")]
fn levels_of(patterns: &[String], negated: bool) -> Vec<crate::catalog::AccessLevel> {
    let c = crate::catalog::Catalog::embedded();
    let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let mut levels: Vec<_> = c
        .matching(&refs, negated)
        .into_iter()
        .map(|(si, ai)| c.services[si].actions[ai].access)
        .collect();
    levels.sort_unstable();
    levels.dedup();
    levels
}

/// Without the embedded catalog, access levels are not known.
#[cfg(not(feature = "embedded-catalog"))]
fn levels_of(_patterns: &[String], _negated: bool) -> Vec<crate::catalog::AccessLevel> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::{covers, intersects};

    #[test]
    fn pattern_algebra() {
        assert!(covers("*", "s3:GetObject"));
        assert!(covers("s3:*", "s3:Get*"));
        assert!(covers("s3:Get*", "s3:GetObject"));
        assert!(!covers("s3:Get*", "s3:*"));
        assert!(covers("S3:get*", "s3:GetObject"));
        assert!(!covers("s3:?et*", "s3:*"));
        assert!(intersects("s3:Get*", "s3:*Object"));
        assert!(intersects("*", "iam:PassRole"));
        assert!(!intersects("s3:Get*", "s3:Put*"));
        assert!(!intersects("ec2:*", "s3:*"));
        assert!(intersects("s3:?etObject", "s3:G*"));
        // resources are case-sensitive, actions are not
        assert!(!super::covers_resource(
            "arn:aws:s3:::Secret/*",
            "arn:aws:s3:::secret/*"
        ));
        assert!(covers("S3:*", "s3:getobject"));
        // very long patterns are never said to cover, always said to overlap
        let long = "a".repeat(5000);
        assert!(!covers("*", &long));
        assert!(intersects(&long, "b"));
    }

    /// Whether some string over `alphabet` of length at most `max` matches both patterns (brute
    /// force, to check the quick test and the table against).
    fn brute(a: &str, b: &str, alphabet: &[char], max: usize) -> bool {
        let glob = |p: &str, s: &str| {
            crate::wildcard::Glob::wildcard(p).matches(s, false, &crate::wildcard::NoVars)
        };
        let mut words = vec![String::new()];
        for _ in 0..max {
            let next: Vec<String> = words
                .iter()
                .filter(|w| w.len() == words.last().map_or(0, String::len))
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(next);
        }
        words.iter().any(|w| glob(a, w) && glob(b, w))
    }

    #[test]
    fn overlap_agrees_with_brute_force() {
        // every pattern of up to 3 characters over a, b, * and ?; a witness, when there is one,
        // is at most 6 characters long
        let mut patterns = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = patterns
                .iter()
                .filter(|p| p.len() == patterns.last().map_or(0, String::len))
                .flat_map(|p| ["a", "b", "*", "?"].map(|c| format!("{p}{c}")))
                .collect();
            patterns.extend(longer);
        }
        patterns.extend(["a*b*a", "*ab?", "?*?", "ab*ba", "a?*?b"].map(String::from));
        for a in &patterns {
            for b in &patterns {
                assert_eq!(
                    super::intersects_resource(a, b),
                    brute(a, b, &['a', 'b'], 6),
                    "{a:?} and {b:?}"
                );
            }
        }
    }
}
