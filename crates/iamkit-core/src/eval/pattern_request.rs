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

use rustc_hash::FxHashSet;

use crate::arn::PARTITIONS;
use crate::wildcard::{explore, Explored, Language, NoVars};

use super::chain::{self, NoTrace};
use super::patterns::ResourcePattern;
use super::request::Request;
use super::service_rules::RESOURCE_SHAPES;
use super::{Decision, EvalStep, PolicySet};

/// The most work one search may do (symbols of the automata stepped): well under a second on
/// hostile policies; ordinary ones need a few hundred thousand.
pub(crate) const MAX_WORK: u64 = 200_000_000;

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

/// A resource type's ARN template (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) as a
/// language: the partition and account as given (any account when none is), a region not empty,
/// any other placeholder any text but the empty one (no colon before the resource part).
fn template_language(template: &str, partition: &str, account: Option<&str>) -> Language {
    let mut l = Language::default();
    let mut segment = 0;
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            let Some(end) = after.find('}') else {
                l.lit(rest);
                break;
            };
            match &after[..end] {
                "Partition" => l.lit(partition),
                "Account" if account.is_some() => l.lit(account.unwrap_or_default()),
                _ => {
                    l.one(segment >= 5);
                    l.star(segment >= 5);
                }
            }
            rest = &after[end + 1..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c == ':' {
            segment += 1;
        }
        l.lit(&rest[..c.len_utf8()]);
        rest = &rest[c.len_utf8()..];
    }
    l
}

/// A resource type's ARN template filled in readably: the partition, the account, `us-east-1`
/// and `example`.
fn template_instance(template: &str, partition: &str, account: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        out.push_str(match &after[..end] {
            "Partition" => partition,
            "Account" => account,
            "Region" => "us-east-1",
            _ => "example",
        });
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The well-formed ARNs of `account` (or of no account) in `partition`:
/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, a service and a resource that are not empty.
fn arn_shapes(partition: &str, account: Option<&str>) -> Vec<Language> {
    let mut out = Vec::new();
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
        st.effect == effect && st.could_apply(req, has_boundary)
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
    // the resources the action acts on: its resource types' ARNs when the catalog lists them,
    // else any well-formed ARN
    let templates: Vec<&str> = super::request::arn_formats(&req.action).collect();
    let shapes = if templates.is_empty() {
        arn_shapes(partition, req.resource_account.as_deref())
    } else {
        templates
            .iter()
            .map(|t| template_language(t, partition, req.resource_account.as_deref()))
            .collect()
    };
    let well_formed = 1..1 + shapes.len();
    langs.extend(shapes);
    langs.extend(
        RESOURCE_SHAPES
            .iter()
            .map(|p| ResourcePattern::compile(p, false).language(&NoVars)),
    );
    let first_statement = langs.len();
    // the resource patterns of every statement that could apply, each language once
    let mut known: FxHashSet<Language> = langs.iter().cloned().collect();
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
            if !st.could_apply(req, has_boundary) {
                continue;
            }
            for l in st.resource_languages(req).into_iter().flatten() {
                if known.insert(l.clone()) {
                    langs.push(l);
                }
            }
        }
    }
    let mut best: Option<(u8, Request, Decision)> = None;
    let mut allowed: Option<Request> = None;
    let end = explore(&langs, well_formed.clone(), max_work, |text, member| {
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
    let space = Space {
        langs: &langs,
        well_formed: well_formed.clone(),
        first_statement,
        templates: &templates,
    };
    if let Some(w) = allowed {
        return Found {
            decision: Decision::Allowed,
            witness: Some(readable(set, req, &space, &fill, w, rules)),
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
            witness: Some(readable(set, req, &space, &fill, w, rules)),
            undecided: false,
        },
        None => Found {
            decision: Decision::ImplicitDeny,
            witness: None,
            undecided: false,
        },
    }
}

/// The languages a search walked: the request's pattern first, then the well-formed resources'
/// shapes (`well_formed`), the service rules' shapes, and from `first_statement` on the
/// statements' patterns; `templates`, the action's resource types' ARN templates.
struct Space<'a> {
    langs: &'a [Language],
    well_formed: std::ops::Range<usize>,
    first_statement: usize,
    templates: &'a [&'a str],
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
    space: &Space<'_>,
    fill: &dyn Fn(usize) -> String,
    w: Request,
    rules: bool,
) -> Request {
    let Space {
        langs,
        well_formed,
        first_statement,
        templates,
    } = space;
    let first_statement = *first_statement;
    let want = chain::decide_with(set, &w, &mut NoTrace, rules);
    let account = req.resource_account.as_deref().unwrap_or("");
    let generic = format!("arn:{}:{}::{}:example", fill(1), fill(2), fill(4));
    let candidates = langs[first_statement..]
        .iter()
        .chain(langs.first())
        .filter_map(|l| l.instance(fill))
        .chain(
            templates
                .iter()
                .map(|t| template_instance(t, &fill(1), account)),
        )
        .chain(std::iter::once(generic))
        .take(MAX_READABLE);
    for c in candidates {
        if c == w.resource
            || crate::arn::Arn::parse(&c).is_none()
            || !langs[0].matches(&c)
            || !langs[well_formed.clone()].iter().any(|l| l.matches(&c))
        {
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
