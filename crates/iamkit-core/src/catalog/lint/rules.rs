//! The linter's rules: each has its code and severity and looks at one statement, one of its
//! action patterns, one of its resources or one of its condition keys, through [`Facts`]
//! gathered once per statement. [`RULES`] is iterated in order; the order is the order of the
//! findings within a statement.

use super::{action_supports, join, key, key_matches, nearest, same_service, Seg};
use crate::catalog::{AccessLevel, Action, Catalog, ConditionKey, Service};
use crate::error::{LintCode, Severity};
use crate::policy::condition::SetOp;
use crate::policy::{ConditionBlock, Effect, Statement};
use crate::wildcard::intersects_resource;

/// One rule of the linter.
pub(super) struct Rule {
    /// The code its findings carry.
    pub(super) code: LintCode,
    /// Their severity.
    pub(super) severity: Severity,
    /// What it looks at, and the test.
    pub(super) check: Check,
}

/// What a rule looks at. Consecutive rules of one per-item kind run item by item; for action
/// patterns and condition keys the first rule that fires is the only finding for that item.
#[derive(Clone, Copy)]
pub(super) enum Check {
    /// The statement, once.
    Statement(for<'a> fn(&Facts<'a>) -> Option<Hit<'a>>),
    /// Each `Action` / `NotAction` pattern (its index).
    ActionPattern(for<'a> fn(&Facts<'a>, usize) -> Option<Hit<'a>>),
    /// Each `Resource` entry (its index; none for `NotResource`).
    Resource(for<'a> fn(&Facts<'a>, usize) -> Option<Hit<'a>>),
    /// Each condition key.
    ConditionKey(for<'a> fn(&Facts<'a>, &KeyFacts<'a>) -> Option<Hit<'a>>),
}

/// What a rule found: a message, the fix, and where (a JSON path from the policy's root).
pub(super) struct Hit<'a> {
    pub(super) message: String,
    pub(super) fix: &'static str,
    pub(super) path: Vec<Seg<'a>>,
}

/// Every rule, in the order its findings appear within a statement.
pub(super) static RULES: &[Rule] = &[
    Rule {
        code: LintCode::AllowNot,
        severity: Severity::Warning,
        check: Check::Statement(allow_not_principal),
    },
    Rule {
        code: LintCode::UnknownAction,
        severity: Severity::Warning,
        check: Check::ActionPattern(pattern_matches_nothing),
    },
    Rule {
        code: LintCode::UnknownService,
        severity: Severity::Warning,
        check: Check::ActionPattern(unknown_service),
    },
    Rule {
        code: LintCode::UnknownAction,
        severity: Severity::Warning,
        check: Check::ActionPattern(unknown_action),
    },
    Rule {
        code: LintCode::AllowNot,
        severity: Severity::Warning,
        check: Check::Statement(allow_not_action),
    },
    Rule {
        code: LintCode::AllowNot,
        severity: Severity::Warning,
        check: Check::Statement(allow_not_resource),
    },
    Rule {
        code: LintCode::Admin,
        severity: Severity::Warning,
        check: Check::Statement(admin),
    },
    Rule {
        code: LintCode::PermissionsManagementStar,
        severity: Severity::Warning,
        check: Check::Statement(permissions_management_star),
    },
    Rule {
        code: LintCode::PassRoleStar,
        severity: Severity::Warning,
        check: Check::Statement(pass_role_star),
    },
    Rule {
        code: LintCode::ResourceMismatch,
        severity: Severity::Warning,
        check: Check::Resource(resource_mismatch),
    },
    Rule {
        code: LintCode::UnknownConditionKey,
        severity: Severity::Warning,
        check: Check::ConditionKey(unknown_global_key),
    },
    Rule {
        code: LintCode::ConditionKeyNotApplicable,
        severity: Severity::Warning,
        check: Check::ConditionKey(key_not_applicable),
    },
    Rule {
        code: LintCode::SetOperatorMissing,
        severity: Severity::Warning,
        check: Check::ConditionKey(set_operator_missing),
    },
    Rule {
        code: LintCode::ForAllValuesSingleValued,
        severity: Severity::Warning,
        check: Check::ConditionKey(for_all_values_single_valued),
    },
    Rule {
        code: LintCode::VacuousCondition,
        severity: Severity::Warning,
        check: Check::ConditionKey(vacuous_for_all_values),
    },
    Rule {
        code: LintCode::VacuousCondition,
        severity: Severity::Warning,
        check: Check::ConditionKey(vacuous_if_exists),
    },
];

/// What one action pattern names.
pub(super) enum PatternFact<'a> {
    /// Some action, or nothing to judge (`*`, no service prefix).
    Known,
    /// A pattern with a wildcard service that matches no action of any service.
    MatchesNothing,
    /// A service prefix AWS does not list.
    UnknownService(&'a str),
    /// A known service none of whose actions the name matches; the likely name, if any.
    UnknownAction(&'a Service, Option<&'a str>),
}

/// What the rules read about one statement, gathered once.
pub(super) struct Facts<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) statement: &'a Statement,
    /// The statement's JSON path.
    pub(super) base: Vec<Seg<'static>>,
    pub(super) allow: bool,
    /// What each action pattern names, by index.
    pub(super) patterns: Vec<PatternFact<'a>>,
    /// (service, action) indices the statement's `Action` patterns with a service prefix name
    /// (none for `NotAction`), sorted.
    pub(super) actions: Vec<(usize, usize)>,
    /// Every action some pattern matches (without the negation), sorted.
    pub(super) union: Vec<(usize, usize)>,
    /// Some pattern is `*` or has a wildcard in its service prefix.
    pub(super) any_service_wildcard: bool,
    /// `NotAction`.
    pub(super) negated_actions: bool,
    /// The statement names every action (`*`, `*:*`, or a `NotAction` that excludes nothing
    /// known).
    pub(super) all_actions: bool,
    /// `Resource` (not `NotResource`) entries.
    pub(super) resources: Vec<&'a String>,
    /// `Resource` includes `*`.
    pub(super) star_resource: bool,
    /// Actions an unconditional Deny on every resource of the policy takes away, sorted.
    pub(super) denied: &'a [(usize, usize)],
    /// The ARN globs of the resource types the statement's actions act on, when the resource
    /// rule applies (named actions only, some resource other than `*`).
    pub(super) templates: Vec<&'a str>,
}

impl<'a> Facts<'a> {
    pub(super) fn gather(
        catalog: &'a Catalog,
        base: Vec<Seg<'static>>,
        s: &'a Statement,
        denied: &'a [(usize, usize)],
    ) -> Facts<'a> {
        let mut patterns = Vec::new();
        let mut actions: Vec<(usize, usize)> = Vec::new();
        let mut union: Vec<(usize, usize)> = Vec::new();
        let mut any_service_wildcard = false;
        let mut found = Vec::new();
        if let Some(list) = &s.action {
            for pattern in &list.values.items {
                let fact =
                    if pattern == "*" {
                        any_service_wildcard = true;
                        union.extend(
                            catalog.services.iter().enumerate().flat_map(|(si, svc)| {
                                (0..svc.actions.len()).map(move |ai| (si, ai))
                            }),
                        );
                        PatternFact::Known
                    } else if let Some((svc, name)) = pattern.split_once(':') {
                        if svc.contains(['*', '?']) {
                            any_service_wildcard = true;
                            let hits = catalog.matching(&[pattern.as_str()], false);
                            let fact = if hits.is_empty() {
                                PatternFact::MatchesNothing
                            } else {
                                PatternFact::Known
                            };
                            union.extend(hits);
                            fact
                        } else if let Some(si) = catalog.service_index(svc) {
                            let service = &catalog.services[si];
                            let before = actions.len();
                            found.clear();
                            service.matching_actions(name, &mut found);
                            actions.extend(found.iter().map(|ai| (si, *ai)));
                            union.extend_from_slice(&actions[before..]);
                            let fact = if actions.len() == before {
                                // a warning: AWS's own managed policies name actions the reference
                                // does not list (retired, or not yet documented); a near miss is
                                // named as the likely fix
                                let near = if name.contains(['*', '?']) {
                                    None
                                } else {
                                    nearest(service, name)
                                };
                                PatternFact::UnknownAction(service, near)
                            } else {
                                PatternFact::Known
                            };
                            if list.negated {
                                actions.truncate(before);
                            }
                            fact
                        } else {
                            PatternFact::UnknownService(svc)
                        }
                    } else {
                        PatternFact::Known
                    };
                patterns.push(fact);
            }
        }
        actions.sort_unstable();
        actions.dedup();
        union.sort_unstable();
        union.dedup();
        let negated_actions = s.action.as_ref().is_some_and(|l| l.negated);
        let all_actions = s.action.as_ref().is_some_and(|l| {
            if l.negated {
                // a NotAction that excludes no known action grants every action
                union.is_empty()
            } else {
                l.values.items.iter().any(|p| p == "*" || p == "*:*")
            }
        });
        let resources: Vec<&String> = match &s.resource {
            Some(r) if !r.negated => r.values.items.iter().collect(),
            _ => Vec::new(),
        };
        let star_resource = s
            .resource
            .as_ref()
            .is_some_and(|r| !r.negated && r.values.items.iter().any(|x| x == "*"));
        let mut facts = Facts {
            catalog,
            statement: s,
            base,
            allow: s.effect == Effect::Allow,
            patterns,
            actions,
            union,
            any_service_wildcard,
            negated_actions,
            all_actions,
            resources,
            star_resource,
            denied,
            templates: Vec::new(),
        };
        if facts.names_actions() && facts.resources.iter().any(|r| *r != "*") {
            let mut templates: Vec<&str> = facts
                .actions
                .iter()
                .flat_map(|&(si, ai)| {
                    let svc = &catalog.services[si];
                    svc.actions[ai]
                        .resources
                        .iter()
                        .filter_map(|ar| svc.resource_type(&ar.name))
                        .map(|t| t.arn_glob.as_str())
                })
                .collect();
            templates.sort_unstable();
            templates.dedup();
            facts.templates = templates;
        }
        facts
    }

    /// The statement names its actions one service at a time (no `NotAction`, no service
    /// wildcard) and some are known: what they act on and which keys they set can be checked.
    fn names_actions(&self) -> bool {
        !self.negated_actions && !self.any_service_wildcard && !self.actions.is_empty()
    }

    fn action(&self, (si, ai): (usize, usize)) -> (&'a Service, &'a Action) {
        let svc = &self.catalog.services[si];
        (svc, &svc.actions[ai])
    }

    fn path(&self, extra: &[Seg<'static>]) -> Vec<Seg<'a>> {
        join(&self.base, extra)
    }

    /// The action element's name and the pattern at `j`.
    fn pattern(&self, j: usize) -> (&'static str, &'a str) {
        match &self.statement.action {
            Some(l) => (
                if l.negated { "NotAction" } else { "Action" },
                l.values.items.get(j).map_or("", String::as_str),
            ),
            None => ("Action", ""),
        }
    }
}

/// What the condition rules read about one key of one block.
pub(super) struct KeyFacts<'a> {
    pub(super) block: &'a ConditionBlock,
    pub(super) key: &'a str,
    /// Where the key is.
    pub(super) path: Vec<Seg<'a>>,
    /// An `aws:` key that is not a global condition key.
    pub(super) unknown_global: bool,
    /// A known service's key no action of the statement sets.
    pub(super) not_applicable: bool,
    /// The key's type (`String`, `ArrayOfString`, ...), when it is known and applies.
    pub(super) key_type: Option<&'a str>,
}

impl<'a> KeyFacts<'a> {
    pub(super) fn gather(
        facts: &Facts<'a>,
        block: &'a ConditionBlock,
        key: &'a str,
        path: Vec<Seg<'a>>,
    ) -> KeyFacts<'a> {
        let mut k = KeyFacts {
            block,
            key,
            path,
            unknown_global: false,
            not_applicable: false,
            key_type: None,
        };
        let global: Option<&ConditionKey> = facts.catalog.global_condition_key(key);
        if let Some(g) = global {
            k.key_type = Some(&g.key_type);
        } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            k.unknown_global = true;
        } else if let Some(service) = facts.catalog.service(key.split(':').next().unwrap_or("")) {
            if facts.names_actions()
                && !facts.actions.iter().any(|&x| {
                    let (s, a) = facts.action(x);
                    action_supports(s, a, key)
                })
            {
                k.not_applicable = true;
            } else {
                k.key_type = service
                    .condition_keys
                    .iter()
                    .find(|d| key_matches(&d.name, key))
                    .map(|d| d.key_type.as_str());
            }
        }
        k
    }

    fn multivalued(&self) -> bool {
        self.key_type.is_some_and(|t| t.starts_with("ArrayOf"))
    }
}

fn hit<'a>(message: String, fix: &'static str, path: Vec<Seg<'a>>) -> Option<Hit<'a>> {
    Some(Hit { message, fix, path })
}

fn allow_not_principal<'a>(f: &Facts<'a>) -> Option<Hit<'a>> {
    if !(f.allow && f.statement.principal.as_ref().is_some_and(|p| p.negated)) {
        return None;
    }
    hit(
        "`Allow` with `NotPrincipal` grants everyone not listed, anonymous callers included; AWS does not support it".into(),
        "name the principals to allow in `Principal`",
        f.path(&[key("NotPrincipal")]),
    )
}

fn pattern_matches_nothing<'a>(f: &Facts<'a>, j: usize) -> Option<Hit<'a>> {
    let PatternFact::MatchesNothing = f.patterns[j] else {
        return None;
    };
    let (element, pattern) = f.pattern(j);
    hit(
        format!("`{pattern}` matches no action of any service"),
        "check the pattern: iamkit actions PATTERN lists what a pattern covers",
        f.path(&[key(element), Seg::Index(j)]),
    )
}

fn unknown_service<'a>(f: &Facts<'a>, j: usize) -> Option<Hit<'a>> {
    let PatternFact::UnknownService(svc) = f.patterns[j] else {
        return None;
    };
    let (element, pattern) = f.pattern(j);
    hit(
        if f.negated_actions {
            format!("`{svc}` is not a service AWS lists (retired, or misspelled): `{pattern}` excludes nothing")
        } else {
            format!("`{svc}` is not a service AWS lists (retired, or misspelled): `{pattern}` grants nothing")
        },
        "remove the action, or correct the service prefix",
        f.path(&[key(element), Seg::Index(j)]),
    )
}

fn unknown_action<'a>(f: &Facts<'a>, j: usize) -> Option<Hit<'a>> {
    let PatternFact::UnknownAction(service, near) = f.patterns[j] else {
        return None;
    };
    let (element, pattern) = f.pattern(j);
    let svc = pattern.split_once(':').map_or("", |(s, _)| s);
    hit(
        match near {
            Some(n) => format!("`{pattern}` is not an action of {} ({svc}); did you mean `{svc}:{n}`?", service.name),
            None => format!("`{pattern}` is not an action of {} ({svc}): retired, undocumented or misspelled, it grants nothing documented", service.name),
        },
        "correct the action name: iamkit actions 'SERVICE:*' lists the service's actions",
        f.path(&[key(element), Seg::Index(j)]),
    )
}

fn allow_not_action<'a>(f: &Facts<'a>) -> Option<Hit<'a>> {
    if !(f.allow && f.negated_actions) {
        return None;
    }
    hit(
        "`Allow` with `NotAction` grants every action not listed, including ones AWS adds later"
            .into(),
        "list the actions to allow in `Action` instead",
        f.path(&[key("NotAction")]),
    )
}

fn allow_not_resource<'a>(f: &Facts<'a>) -> Option<Hit<'a>> {
    if !(f.allow && f.statement.resource.as_ref().is_some_and(|r| r.negated)) {
        return None;
    }
    hit(
        "`Allow` with `NotResource` grants every resource not listed, in every service of the statement".into(),
        "list the resources to allow in `Resource` instead",
        f.path(&[key("NotResource")]),
    )
}

fn admin<'a>(f: &Facts<'a>) -> Option<Hit<'a>> {
    if !(f.allow && f.all_actions && f.star_resource) {
        return None;
    }
    let element = if f.negated_actions {
        "NotAction"
    } else {
        "Action"
    };
    hit(
        "the statement allows every action on every resource (full administrator)".into(),
        "grant the actions and resources needed; keep full access for break-glass roles",
        f.path(&[key(element)]),
    )
}

fn permissions_management_star<'a>(f: &Facts<'a>) -> Option<Hit<'a>> {
    if !(f.allow && f.star_resource && !f.all_actions) {
        return None;
    }
    let pm_level = AccessLevel::PermissionsManagement.index();
    let mut pm = f.actions.iter().filter(|(si, ai)| {
        f.catalog.services[*si].index().level_of[*ai] == pm_level
            && f.denied.binary_search(&(*si, *ai)).is_err()
    });
    let shown: Vec<String> = pm
        .by_ref()
        .take(5)
        .map(|&x| {
            let (s, a) = f.action(x);
            format!("{}:{}", s.prefix, a.name)
        })
        .collect();
    let count = shown.len() + pm.count();
    if count == 0 {
        return None;
    }
    hit(
        format!(
            "{count} Permissions management action(s) allowed on `*` ({}{})",
            shown.join(", "),
            if count > 5 { ", ..." } else { "" }
        ),
        "name the resources these actions may change",
        f.path(&[key("Resource")]),
    )
}

fn pass_role_star<'a>(f: &Facts<'a>) -> Option<Hit<'a>> {
    if !(f.allow && f.star_resource && !f.all_actions) {
        return None;
    }
    let passes_role = f.actions.iter().any(|&x| {
        let (s, a) = f.action(x);
        s.prefix == "iam" && a.name == "PassRole"
    });
    if !passes_role {
        return None;
    }
    hit(
        "`iam:PassRole` on `*` lets the principal hand any role to a service (privilege escalation)".into(),
        "name the roles in Resource, and limit the service with an iam:PassedToService condition",
        f.path(&[key("Resource")]),
    )
}

/// A resource ARN no action of the statement acts on (each resource type's ARN once).
fn resource_mismatch<'a>(f: &Facts<'a>, j: usize) -> Option<Hit<'a>> {
    if !f.names_actions() || !f.resources.iter().any(|r| *r != "*") {
        return None;
    }
    let r = f.resources[j];
    if r == "*" || !r.starts_with("arn:") || r.contains("${") {
        return None;
    }
    let fits = f
        .templates
        .iter()
        .any(|t| same_service(t, r) && intersects_resource(t, r));
    if fits {
        return None;
    }
    hit(
        format!("no action of the statement acts on `{r}`: it matches none of their resource types"),
        "check the ARN against the actions' resource types (iamkit actions --format json shows them)",
        f.path(&[key("Resource"), Seg::Index(j)]),
    )
}

fn unknown_global_key<'a>(_: &Facts<'a>, k: &KeyFacts<'a>) -> Option<Hit<'a>> {
    if !k.unknown_global {
        return None;
    }
    hit(
        format!(
            "`{}` is not a global condition key AWS lists: the condition never sees a value",
            k.key
        ),
        "check the key's spelling against the global condition keys",
        k.path.clone(),
    )
}

fn key_not_applicable<'a>(_: &Facts<'a>, k: &KeyFacts<'a>) -> Option<Hit<'a>> {
    if !k.not_applicable {
        return None;
    }
    hit(
        format!(
            "no action of the statement sets `{}`: the condition is evaluated without it",
            k.key
        ),
        "use a condition key the statement's actions support (iamkit actions --format json lists them)",
        k.path.clone(),
    )
}

fn set_operator_missing<'a>(_: &Facts<'a>, k: &KeyFacts<'a>) -> Option<Hit<'a>> {
    let t = k.key_type?;
    let op = k.block.operator;
    if !(k.multivalued() && op.set_operator() == SetOp::None && !op.is_null()) {
        return None;
    }
    hit(
        format!("`{}` can hold several values ({t}): `{}` without ForAllValues: or ForAnyValue: is ambiguous", k.key, k.block.operator_name),
        "prefix the operator with ForAnyValue: (some value) or ForAllValues: (every value)",
        k.path.clone(),
    )
}

fn for_all_values_single_valued<'a>(_: &Facts<'a>, k: &KeyFacts<'a>) -> Option<Hit<'a>> {
    let t = k.key_type?;
    if k.multivalued() || k.block.operator.set_operator() != SetOp::ForAllValues {
        return None;
    }
    hit(
        format!(
            "`{}` holds one value ({t}): ForAllValues: is true whenever the key is missing",
            k.key
        ),
        "drop the ForAllValues: prefix",
        k.path.clone(),
    )
}

fn vacuous_for_all_values<'a>(f: &Facts<'a>, k: &KeyFacts<'a>) -> Option<Hit<'a>> {
    k.key_type?;
    if !(f.allow && k.block.operator.set_operator() == SetOp::ForAllValues) {
        return None;
    }
    hit(
        format!(
            "ForAllValues: on `{}` in an Allow holds when the request has no `{}` at all",
            k.key, k.key
        ),
        "add a Null condition requiring the key (\"Null\": {\"KEY\": \"false\"})",
        k.path.clone(),
    )
}

fn vacuous_if_exists<'a>(f: &Facts<'a>, k: &KeyFacts<'a>) -> Option<Hit<'a>> {
    k.key_type?;
    if !(f.allow && k.block.operator.is_if_exists()) {
        return None;
    }
    hit(
        format!(
            "`{}` in an Allow holds whenever the request lacks `{}`",
            k.block.operator_name, k.key
        ),
        "drop IfExists so that requests without the key are not allowed",
        k.path.clone(),
    )
}
