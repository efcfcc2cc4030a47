//! Honest missing context: the condition keys a decision read that the request did not supply,
//! and whether supplying them could change the decision.
//!
//! A key is *read* when a statement whose action, resource and principal match the request has a
//! condition on it, and no condition of the statement on a key the request gives is false (else
//! no value of the key could make the statement apply). For each such key the request leaves out, iamkit tries values: every value
//! the policies' conditions on the key name (a pattern made concrete), values just around and
//! outside them (a number one below and above, a date one second before and after, the first
//! address past a CIDR block), and a value they do not name. It tries each key alone, then, per
//! statement, every missing key that statement reads at once, set to values that satisfy its
//! conditions. A value that changes the decision is a witness, re-checked by deciding the request
//! with it; none found means no value tried changes it. The work is bounded (keys, values and
//! statements are capped), so a hostile policy cannot make an explanation expensive.

use std::collections::BTreeMap;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::policy::condition::{parse_date, parse_ip_net, parse_number, BaseOp, Family};
use crate::policy::{ConditionBlock, Statement};

use super::chain::{self, NoTrace};
use super::compile::{CompiledPolicy, CompiledStatement};
use super::request::{ContextValue, Request};
use super::{Decision, PolicySet};

/// The most missing keys examined, values tried per key, and statements probed jointly.
const MAX_KEYS: usize = 16;
const MAX_VALUES: usize = 16;
const MAX_JOINT: usize = 16;

/// A value no policy names, to try where the policies list values (an ARN for ARN operators).
const UNLISTED: &str = "iamkit-unlisted-value";
const UNLISTED_ARN: &str = "arn:aws:iamkit:us-east-1:000000000000:unlisted";

/// A condition key the decision read that the request left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MissingKey {
    /// The key, as the first policy that reads it writes it.
    pub key: String,
    /// Whether some value of it (alone or with the other missing keys a statement reads) changes
    /// the decision; `false`: no value tried does (see `tests/README.md`).
    pub could_change: bool,
    /// A context that changes the decision, and the decision with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<Witness>,
}

/// A context that changes a decision: the request with these keys added decides otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Witness {
    /// The keys to add and their values.
    pub context: BTreeMap<String, String>,
    /// The decision with them.
    pub decision: Decision,
}

/// One missing key with the values to try for it.
struct Probe {
    name: String,
    lower: String,
    values: Vec<String>,
}

/// The statements of the policies the chain consults for `req` that match it but for their
/// conditions, and whose conditions hinge on keys it leaves out (none on a key it gives is
/// false), compiled and as written.
fn matching<'a>(
    set: &'a PolicySet,
    req: &'a Request,
) -> impl Iterator<Item = (&'a CompiledStatement, &'a Statement)> {
    let has_boundary = !set.boundaries.is_empty();
    let pr = &req.principal;
    let scps = pr.kind.has_account() && !pr.is_service_linked_role();
    let rcps = !pr.is_service_linked_role();
    set.identity
        .iter()
        .chain(set.resource.iter())
        .chain(set.boundaries.iter())
        .chain(set.session.iter())
        .chain(set.scps.iter().flatten().filter(move |_| scps))
        .chain(set.rcps.iter().flatten().filter(move |_| rcps))
        .chain(set.vpc_endpoints.iter())
        .flat_map(move |p: &'a std::sync::Arc<CompiledPolicy>| {
            p.statements
                .iter()
                .zip(&p.source.statements)
                .filter(move |(c, _)| {
                    c.admits_action(&req.action)
                        && c.admits_resource(&req.resource, req)
                        && c.principal_via(req, has_boundary).is_some()
                        && c.hinges_on_missing(req)
                })
        })
}

/// Whether the request leaves `lower` (a lowercase key) out.
fn absent(req: &Request, lower: &str) -> bool {
    req.context.get(lower).is_none_or(|e| e.values.is_empty())
}

/// The missing keys the decision read, and whether supplying them could change it.
pub(crate) fn analyze(set: &PolicySet, req: &Request, decision: Decision) -> Vec<MissingKey> {
    analyze_counted(set, req, decision).0
}

/// [`analyze`], and how many times it decided the request (each decision one pass over the
/// policies: the work is that many passes, a number bounded whatever the policies hold).
fn analyze_counted(set: &PolicySet, req: &Request, decision: Decision) -> (Vec<MissingKey>, usize) {
    let mut decided = 0;
    // most requests read no missing key that matters: found without allocating
    if matching(set, req).next().is_none() {
        return (Vec::new(), decided);
    }
    let mut probes: Vec<Probe> = Vec::new();
    let mut joint: Vec<&Statement> = Vec::new();
    for (_, st) in matching(set, req) {
        let mut missing_here = 0;
        for block in &st.condition {
            for (key, vals) in &block.entries {
                let lower = key.to_ascii_lowercase();
                if !absent(req, &lower) {
                    continue;
                }
                missing_here += 1;
                let at = match probes.iter().position(|p| p.lower == lower) {
                    Some(i) => i,
                    None if probes.len() < MAX_KEYS => {
                        probes.push(Probe {
                            name: key.clone(),
                            lower,
                            values: Vec::new(),
                        });
                        probes.len() - 1
                    }
                    None => continue,
                };
                let values = &mut probes[at].values;
                for v in vals.items.iter().flat_map(|v| around(block, &v.text)) {
                    if values.len() >= MAX_VALUES {
                        break;
                    }
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
        }
        if missing_here > 1 && joint.len() < MAX_JOINT {
            joint.push(st);
        }
    }
    let mut out: Vec<MissingKey> = probes
        .iter()
        .map(|p| MissingKey {
            key: p.name.clone(),
            could_change: false,
            witness: None,
        })
        .collect();
    if out.is_empty() {
        return (out, decided);
    }
    let mut trial = req.clone();
    // each key alone
    for (p, m) in probes.iter().zip(out.iter_mut()) {
        let mut values = p.values.clone();
        values.push(UNLISTED.into());
        values.push(UNLISTED_ARN.into());
        for v in values {
            trial.context.set(
                &p.lower,
                smallvec::smallvec![ContextValue::from_text(v.as_str())],
                false,
            );
            let d = chain::decide(set, &trial, &mut NoTrace).decision;
            decided += 1;
            if changes(d, decision) {
                m.could_change = true;
                m.witness = Some(Witness {
                    context: BTreeMap::from([(p.name.clone(), v)]),
                    decision: d,
                });
                break;
            }
        }
        trial.context.remove(&p.lower);
    }
    // every missing key a statement reads, at once, set to satisfy its conditions
    for st in joint {
        if out.iter().all(|m| m.could_change) {
            break;
        }
        // only the keys examined (at most MAX_KEYS), each once whatever its letter case
        let mut context = BTreeMap::new();
        for block in &st.condition {
            for (key, vals) in &block.entries {
                let lower = key.to_ascii_lowercase();
                let Some(p) = probes.iter().find(|p| p.lower == lower) else {
                    continue;
                };
                if context.contains_key(&p.name) {
                    continue;
                }
                if let Some(v) = vals.items.first().and_then(|v| satisfying(block, &v.text)) {
                    context.insert(p.name.clone(), v);
                }
            }
        }
        for (k, v) in &context {
            trial.context.set(
                &k.to_ascii_lowercase(),
                smallvec::smallvec![ContextValue::from_text(v.as_str())],
                false,
            );
        }
        let d = chain::decide(set, &trial, &mut NoTrace).decision;
        decided += 1;
        for k in context.keys() {
            trial.context.remove(&k.to_ascii_lowercase());
        }
        if !changes(d, decision) {
            continue;
        }
        for m in out.iter_mut().filter(|m| !m.could_change) {
            if context.keys().any(|k| k.eq_ignore_ascii_case(&m.key)) {
                m.could_change = true;
                m.witness = Some(Witness {
                    context: context.clone(),
                    decision: d,
                });
            }
        }
    }
    (out, decided)
}

/// Whether `d` differs from `decision` where it matters: allowed or not (an implicit deny that
/// becomes an explicit one is still a deny).
fn changes(d: Decision, decision: Decision) -> bool {
    (d == Decision::Allowed) != (decision == Decision::Allowed)
}

/// The values to try for a condition value `text` of `block`'s operator: the value made
/// concrete, and values just around and outside it.
fn around(block: &ConditionBlock, text: &str) -> Vec<String> {
    let base = block.operator.base;
    let like = matches!(
        base.positive(),
        BaseOp::StringLike | BaseOp::ArnLike | BaseOp::ArnEquals
    );
    match base.family() {
        Family::String | Family::Arn if like => concrete(text).into_iter().collect(),
        Family::String | Family::Arn => vec![text.to_string()],
        Family::Numeric => parse_number(text)
            .map(|n| [n, n - 1.0, n + 1.0].iter().map(|x| number(*x)).collect())
            .unwrap_or_default(),
        Family::Date => parse_date(text)
            .map(|d| {
                [d, d - 1_000_000_000, d + 1_000_000_000]
                    .iter()
                    .filter_map(|x| date(*x))
                    .collect()
            })
            .unwrap_or_default(),
        Family::Bool => {
            let want = text.to_ascii_lowercase();
            let other = if want == "true" { "false" } else { "true" };
            vec![want, other.into()]
        }
        Family::Binary => vec![text.to_string()],
        Family::Ip => parse_ip_net(text)
            .map(|net| {
                [Some(net.network()), past(&net)]
                    .into_iter()
                    .flatten()
                    .map(|a| a.to_string())
                    .collect()
            })
            .unwrap_or_default(),
        // any value makes the key present
        Family::Null => vec![UNLISTED.into()],
    }
}

/// A value that satisfies `block`'s operator for its value `text` (`None`: the key should stay
/// missing, for `Null: true`).
fn satisfying(block: &ConditionBlock, text: &str) -> Option<String> {
    let base = block.operator.base;
    if base == BaseOp::Null {
        return (!text.eq_ignore_ascii_case("true")).then(|| UNLISTED.to_string());
    }
    if base.negated() && base.family() == Family::String {
        return Some(UNLISTED.into());
    }
    if base.negated() && base.family() == Family::Arn {
        return Some(UNLISTED_ARN.into());
    }
    let vals = around(block, text);
    let pick = match base {
        BaseOp::NumericLessThan | BaseOp::DateLessThan => 1,
        BaseOp::NumericGreaterThan | BaseOp::DateGreaterThan => 2,
        BaseOp::NumericNotEquals | BaseOp::DateNotEquals => 2,
        BaseOp::NotIpAddress => 1,
        _ => 0,
    };
    vals.get(pick).or(vals.first()).cloned()
}

/// A text that a string or ARN pattern matches: `*` and `?` as `x` (an ARN segment stays
/// non-empty); `None` for a pattern holding a policy variable (its value depends on other keys).
fn concrete(pattern: &str) -> Option<String> {
    if pattern.contains("${") {
        return None;
    }
    Some(
        pattern
            .chars()
            .map(|c| if matches!(c, '*' | '?') { 'x' } else { c })
            .collect(),
    )
}

/// A number as a condition value (`12`, not `12.0`).
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// A date (nanoseconds since the epoch) as ISO 8601.
fn date(nanos: i128) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// The first address after a CIDR block, when there is one.
fn past(net: &IpNet) -> Option<std::net::IpAddr> {
    match net {
        IpNet::V4(n) => u32::from(n.broadcast())
            .checked_add(1)
            .map(|a| std::net::IpAddr::V4(a.into())),
        IpNet::V6(n) => u128::from(n.broadcast())
            .checked_add(1)
            .map(|a| std::net::IpAddr::V6(a.into())),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// One Allow reading `n` missing keys (each with `n` values), and `n` such statements.
    fn hostile(n: usize) -> (PolicySet, Request) {
        let values: Vec<String> = (0..n).map(|i| format!("\"v{i}\"")).collect();
        let block: Vec<String> = (0..n)
            .map(|k| format!("\"aws:RequestTag/k{k}\":[{}]", values.join(",")))
            .collect();
        let st = format!(
            r#"{{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}"#,
            block.join(",")
        );
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            vec![st; n].join(",")
        );
        let mut set = PolicySet::new();
        set.add_identity(&doc).unwrap();
        let req = Request::builder(
            "arn:aws:iam::111122223333:user/alice",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        )
        .build()
        .unwrap();
        (set, req)
    }

    #[test]
    fn the_decisions_tried_are_bounded_whatever_the_policies_hold() {
        let bound = MAX_KEYS * (MAX_VALUES + 2) + MAX_JOINT;
        for n in [2, 8, 32, 128] {
            let (set, req) = hostile(n);
            let decision = set.decide(&req);
            let (missing, decided) = analyze_counted(&set, &req, decision);
            assert!(decided <= bound, "n = {n}: {decided} decisions");
            assert_eq!(missing.len(), n.min(MAX_KEYS), "n = {n}");
            for m in &missing {
                // past the cap the statement's other keys stay missing: no witness, said so
                assert_eq!(m.could_change, n <= MAX_KEYS, "n = {n}");
                if let Some(w) = &m.witness {
                    assert!(w.context.len() <= MAX_KEYS);
                    assert_eq!(w.decision, Decision::Allowed);
                }
            }
        }
    }

    #[test]
    fn every_witness_decides_as_it_says() {
        let (set, req) = hostile(5);
        let decision = set.decide(&req);
        for m in analyze(&set, &req, decision) {
            let w = m.witness.unwrap();
            let mut b = Request::builder(
                "arn:aws:iam::111122223333:user/alice",
                "s3:GetObject",
                "arn:aws:s3:::b/k",
            );
            for (k, v) in &w.context {
                b = b.context(k, v.as_str());
            }
            assert_eq!(set.decide(&b.build().unwrap()), w.decision);
        }
    }

    #[test]
    fn nothing_missing_decides_nothing() {
        let mut set = PolicySet::new();
        set.add_identity(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#)
            .unwrap();
        let req = Request::builder("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*")
            .context("aws:SecureTransport", "true")
            .build()
            .unwrap();
        assert_eq!(
            analyze_counted(&set, &req, Decision::Allowed),
            (Vec::new(), 0)
        );
    }
}
