//! Requests whose resource is a pattern (`*`, `arn:aws:s3:::logs/*`): is the action allowed on
//! some resource the pattern covers?
//!
//! A decision depends on the resource only through which resource patterns it matches: those of
//! the statements that could apply (their action, principal and conditions admit the request),
//! the shapes AWS's service rules and the resource-policy rules read ([`RESOURCE_SHAPES`]), and
//! the shape of a well-formed ARN in the request's resource account. So the resources the request
//! covers fall into finitely many classes, one per set of patterns matched, and every resource of
//! a class gets the same decision. [`explore`] walks the product of the patterns' automata and
//! hands over one resource per class the request's pattern reaches (the shortest); each is
//! decided by the ordinary chain, and the first one allowed is the witness. None allowed means
//! none of the covered resources is, exactly; the search is bounded, and past the bound the answer
//! is a deny that says it is undecided (fail closed).

use rustc_hash::FxHashMap;

use crate::arn::PARTITIONS;
use crate::wildcard::{explore, Explored, Language, NoVars};

use super::chain::{self, NoTrace};
use super::patterns::ResourcePattern;
use super::request::Request;
use super::service_rules::RESOURCE_SHAPES;
use super::{Decision, EvalStep, PolicySet};

/// The most work one search may do (words of automaton state computed): about a second on
/// hostile policies; ordinary ones need a few thousand.
pub(crate) const MAX_WORK: u64 = 40_000_000;

/// What the search found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Allowed when some covered resource is; else the deny of the resource decided on.
    pub decision: Decision,
    /// The resource decided on, as a request: an allowed one, else the denied one that got
    /// furthest through the chain; `None` when the pattern covers no well-formed resource in the
    /// account, or when the search stopped undecided.
    pub witness: Option<Request>,
    /// The bound was reached before any covered resource was found allowed.
    pub undecided: bool,
}

/// How far a denied resource got through the chain (the higher, the more telling an example).
fn progress(decision: Decision, denied_by: Option<EvalStep>) -> u8 {
    if decision == Decision::ExplicitDeny {
        return 9;
    }
    match denied_by {
        Some(EvalStep::Scp) => 1,
        Some(EvalStep::VpcEndpoint) => 2,
        Some(EvalStep::Resource) => 3,
        Some(EvalStep::Identity) => 4,
        Some(EvalStep::Boundary) => 5,
        Some(EvalStep::Session) => 6,
        _ => 0,
    }
}

/// The well-formed ARNs of `account` (or of no account) in `partition`:
/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, a service and a resource that are not empty.
fn arn_shapes(partition: &str, account: Option<&str>) -> Vec<Language> {
    let mut out = Vec::new();
    {
        for acct in std::iter::once("").chain(account) {
            let mut l = Language::default();
            l.lit("arn:");
            l.lit(partition);
            l.lit(":");
            l.one(false);
            l.star(false);
            l.lit(":");
            l.star(false);
            l.lit(":");
            l.lit(acct);
            l.lit(":");
            l.one(true);
            l.star(true);
            out.push(l);
        }
    }
    out
}

/// Decides `req` (its resource a pattern) over the resources its pattern covers; `rules`:
/// whether AWS's service rules apply (as in `chain::decide_with`).
pub(crate) fn search(set: &PolicySet, req: &Request, rules: bool) -> Found {
    search_within(set, req, rules, MAX_WORK)
}

/// Whether every covered resource is denied implicitly, known without a search (what the search
/// would answer too): the caller has an account and is not its root user, no resource-based
/// policy is given, no identity policy holds an Allow that could apply, no policy a Deny that
/// could, and no service rule names the action. Most principals of an account, asked about most
/// actions.
pub(crate) fn surely_implicit(set: &PolicySet, req: &Request) -> bool {
    let pr = &req.principal;
    if !pr.kind.has_account()
        || pr.kind == super::PrincipalType::Root
        || set.resource.is_some()
        || super::service_rules::names(&req.action)
    {
        return false;
    }
    let has_boundary = !set.boundaries.is_empty();
    let could_apply = |st: &super::compile::CompiledStatement, effect| {
        st.effect == effect
            && st.admits_action(&req.action)
            && st.matches_caller(req, has_boundary).applies != super::compile::Tri::False
    };
    let allows = set
        .identity
        .iter()
        .flat_map(|p| p.statements.iter())
        .any(|st| could_apply(st, crate::policy::Effect::Allow));
    let denies = set
        .identity
        .iter()
        .chain(set.boundaries.iter())
        .chain(set.session.iter())
        .chain(set.scps.iter().flatten())
        .chain(set.rcps.iter().flatten())
        .chain(set.vpc_endpoints.iter())
        .flat_map(|p| p.statements.iter())
        .any(|st| could_apply(st, crate::policy::Effect::Deny));
    !allows && !denies
}

/// [`search`] with a bound of `max_work`.
pub(crate) fn search_within(set: &PolicySet, req: &Request, rules: bool, max_work: u64) -> Found {
    let mut langs: Vec<Language> =
        vec![ResourcePattern::compile(&req.resource, false).language(&NoVars)];
    // an account's resources are in its partition: the principal's, else the pattern's own
    // when it names a known one, else `aws`
    let named = crate::arn::split_pattern(&req.resource)
        .get(1)
        .copied()
        .filter(|p| PARTITIONS.contains(p));
    let partition = req
        .principal
        .partition
        .as_deref()
        .or(named)
        .unwrap_or("aws");
    let shapes = arn_shapes(partition, req.resource_account.as_deref());
    let well_formed = 1..1 + shapes.len();
    langs.extend(shapes);
    langs.extend(
        RESOURCE_SHAPES
            .iter()
            .map(|p| ResourcePattern::compile(p, false).language(&NoVars)),
    );
    let first_statement = langs.len();
    // the resource patterns of every statement that could apply, each language once
    let mut known: FxHashMap<Language, ()> = langs.iter().map(|l| (l.clone(), ())).collect();
    let has_boundary = !set.boundaries.is_empty();
    let policies = set
        .identity
        .iter()
        .chain(set.resource.iter())
        .chain(set.boundaries.iter())
        .chain(set.session.iter())
        .chain(set.scps.iter().flatten())
        .chain(set.rcps.iter().flatten())
        .chain(set.vpc_endpoints.iter());
    for p in policies {
        for st in &p.statements {
            if !st.admits_action(&req.action)
                || st.matches_caller(req, has_boundary).applies == super::compile::Tri::False
            {
                continue;
            }
            for l in st.resource_languages(req).into_iter().flatten() {
                if known.insert(l.clone(), ()).is_none() {
                    langs.push(l);
                }
            }
        }
    }
    let mut best: Option<(u8, Request, Decision)> = None;
    let mut allowed: Option<Request> = None;
    let end = explore(&langs, max_work, |text, member| {
        if !member[well_formed.clone()].iter().any(|m| *m) {
            return false;
        }
        let w = req.at_resource(text);
        let out = chain::decide_with(set, &w, &mut NoTrace, rules);
        if out.decision == Decision::Allowed {
            allowed = Some(w);
            return true;
        }
        let rank = progress(out.decision, out.denied_by);
        if best.as_ref().is_none_or(|(r, _, _)| rank > *r) {
            best = Some((rank, w, out.decision));
        }
        false
    });
    let fill = |segment: usize| -> String {
        match segment {
            1 => partition.to_string(),
            2 => req
                .action
                .split(':')
                .next()
                .unwrap_or("x")
                .to_ascii_lowercase(),
            3 => "us-east-1".into(),
            4 => req.resource_account.clone().unwrap_or_default(),
            _ => "example".into(),
        }
    };
    if let Some(w) = allowed {
        return Found {
            decision: Decision::Allowed,
            witness: Some(readable(set, req, &langs, first_statement, &fill, w, rules)),
            undecided: false,
        };
    }
    if end == Explored::OverBudget {
        return Found {
            decision: Decision::ImplicitDeny,
            witness: None,
            undecided: true,
        };
    }
    match best {
        Some((_, w, decision)) => Found {
            decision,
            witness: Some(readable(set, req, &langs, first_statement, &fill, w, rules)),
            undecided: false,
        },
        None => Found {
            decision: Decision::ImplicitDeny,
            witness: None,
            undecided: false,
        },
    }
}

/// The most texts tried in place of a witness to find one that reads better.
const MAX_READABLE: usize = 32;

/// A witness a person reads more easily than the shortest text the search found (`arn:aws:-:::-`),
/// decided the same: one text of the policies' own patterns (`arn:aws:s3:::logs/example` for
/// `arn:aws:s3:::logs/*`), of the request's, or `arn:PARTITION:SERVICE::ACCOUNT:example`, the
/// first the request's pattern covers whose decision and deciding step are the witness's; else
/// the witness.
fn readable(
    set: &PolicySet,
    req: &Request,
    langs: &[Language],
    first_statement: usize,
    fill: &dyn Fn(usize) -> String,
    w: Request,
    rules: bool,
) -> Request {
    let want = chain::decide_with(set, &w, &mut NoTrace, rules);
    let generic = format!("arn:{}:{}::{}:example", fill(1), fill(2), fill(4));
    let candidates = langs[first_statement..]
        .iter()
        .chain(langs.first())
        .filter_map(|l| l.instance(fill))
        .chain(std::iter::once(generic))
        .take(MAX_READABLE);
    let account = req.resource_account.as_deref().unwrap_or("");
    for c in candidates {
        let well_formed = crate::arn::Arn::parse(&c).is_some_and(|a| {
            a.partition == fill(1)
                && (a.account.is_empty() || a.account == account)
                && !a.resource.is_empty()
                && !a.region.contains(':')
        });
        if c == w.resource || !well_formed || !langs[0].matches(&c) {
            continue;
        }
        let nice = req.at_resource(&c);
        let out = chain::decide_with(set, &nice, &mut NoTrace, rules);
        if out.decision == want.decision && out.denied_by == want.denied_by {
            return nice;
        }
    }
    w
}

#[cfg(test)]
mod tests;
