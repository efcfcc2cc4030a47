//! The policy linter: on top of the validator, what the catalog knows. Unknown services (a
//! warning: AWS managed policies still name retired ones) and actions (a warning too, with the
//! likely name when it is a near miss), condition keys
//! no action of the statement sets, resource ARNs no action of the statement can act on, `Allow`
//! with `NotAction` / `NotResource`, `*:*`, Permissions management and `iam:PassRole` on `*`, set
//! operators that do not fit the key, and `IfExists` / `ForAllValues` conditions that hold when
//! the key is missing. Every finding has a stable code, a severity, a location and a fix.

use serde::Serialize;

use super::{AccessLevel, Action, Catalog, Service};
use crate::error::{FindingCode, LintCode, Location, Severity};
use crate::json::{LineIndex, Node, Value};
use crate::policy::condition::SetOp;
use crate::policy::parse::parse_policy_keeping_tree;
use crate::policy::{Effect, Origin, ParsedPolicy, PolicyType, Statement};
use crate::wildcard::intersects_resource;

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    /// The stable code (`IAM_LINT_*`, or the validator's `IAM_POLICY_*`).
    pub code: FindingCode,
    /// `error` or `warning`.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub location: Location,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The linter's answer for one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintReport {
    /// No error-severity finding.
    pub valid: bool,
    /// The validator's diagnostics, then the lint findings, in document order.
    pub findings: Vec<LintFinding>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn key(k: &str) -> Seg<'_> {
    Seg::Key(k)
}

/// The byte offset of the value at `path` (keys matched as written).
fn locate(root: &Node, path: &[Seg<'_>]) -> Option<usize> {
    let mut node = root;
    for seg in path {
        node = match (seg, &node.value) {
            (Seg::Key(k), Value::Object(members)) => &members.iter().find(|m| m.key == *k)?.value,
            (Seg::Index(i), Value::Array(items)) => items.get(*i)?,
            // a single value written without a list stands for index 0
            (Seg::Index(0), _) => node,
            _ => return None,
        };
    }
    Some(node.offset)
}

struct Ctx<'a> {
    catalog: &'a Catalog,
    text: &'a str,
    /// The spanned JSON tree the policy was read from.
    root: Option<&'a Node<'a>>,
    /// The line index, built when the first finding needs a location.
    index: std::cell::OnceCell<LineIndex<'a>>,
    statement_is_object: bool,
    out: Vec<LintFinding>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        code: LintCode,
        severity: Severity,
        message: String,
        fix: &str,
        path: Vec<Seg<'_>>,
    ) {
        let mut text = String::from("$");
        for s in &path {
            match s {
                Seg::Key(k) => crate::policy::parse::push_key(&mut text, k),
                Seg::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        let (line, column) = self
            .root
            .and_then(|r| locate(r, &path))
            .map(|o| {
                self.index
                    .get_or_init(|| LineIndex::new(self.text))
                    .position(o)
            })
            .unwrap_or((0, 0));
        self.out.push(LintFinding {
            code: code.into(),
            severity,
            message,
            location: Location::new(text, line, column),
            fix: Some(fix.to_string()),
        });
    }

    fn statement_path(&self, i: usize) -> Vec<Seg<'static>> {
        if self.statement_is_object {
            vec![key("Statement")]
        } else {
            vec![key("Statement"), Seg::Index(i)]
        }
    }
}

/// Whether a catalog key (a template such as `aws:RequestTag/${TagKey}` or
/// `s3:ExistingObjectTag/<key>`) covers a key as written in a policy.
pub(crate) fn key_matches(template: &str, key: &str) -> bool {
    let cut = template.find(['$', '<']).unwrap_or(template.len());
    if cut == template.len() {
        return template.eq_ignore_ascii_case(key);
    }
    let prefix = &template[..cut];
    key.len() > prefix.len()
        && key
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn action_supports(s: &Service, a: &Action, key: &str) -> bool {
    a.condition_keys.iter().any(|k| key_matches(k, key))
        || a.resources.iter().any(|r| {
            r.condition_keys.iter().any(|k| key_matches(k, key))
                || s.resource_type(&r.name)
                    .is_some_and(|t| t.condition_keys.iter().any(|k| key_matches(k, key)))
        })
}

/// The service's action closest to `name` (edit distance at most 2, ignoring case).
fn nearest<'a>(service: &'a Service, name: &str) -> Option<&'a str> {
    let target: Vec<u8> = name.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let mut best: Option<(usize, &str)> = None;
    for a in &service.actions {
        if a.name.len().abs_diff(name.len()) > 2 {
            continue;
        }
        let cand: Vec<u8> = a.name.bytes().map(|b| b.to_ascii_lowercase()).collect();
        let d = edit_distance(&target, &cand);
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, &a.name));
        }
    }
    best.map(|(_, n)| n)
}

fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A quick test before the exact one: two ARN patterns whose service segments are both free of
/// wildcards and differ cannot match the same ARN.
fn same_service(a: &str, b: &str) -> bool {
    match (a.split(':').nth(2), b.split(':').nth(2)) {
        (Some(x), Some(y)) if !x.contains(['*', '?']) && !y.contains(['*', '?']) => x == y,
        _ => true,
    }
}

/// An ARN template as a glob: `${...}` placeholders become `*`.
pub(crate) fn template_glob(arn: &str) -> String {
    let mut out = String::with_capacity(arn.len());
    let mut rest = arn;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = match rest[start..].find('}') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

impl Catalog {
    /// Lints a policy (JSON text) of the given type: the validator's diagnostics plus the
    /// catalog's findings (see the module docs).
    pub fn lint(&self, text: &str, ty: PolicyType) -> LintReport {
        let (parsed, tree) = parse_policy_keeping_tree(text, ty, Origin::default());
        self.lint_parsed(text, &parsed, tree.as_ref()).0
    }

    /// [`Catalog::lint`] for a policy already parsed from `text` (`tree`: the JSON it was read
    /// from); also what each statement's `Action` / `NotAction` patterns match (see
    /// [`lint_statement`]), for the summary.
    pub(crate) fn lint_parsed(
        &self,
        text: &str,
        parsed: &ParsedPolicy,
        tree: Option<&Node>,
    ) -> (LintReport, Vec<Vec<(usize, usize)>>) {
        let mut matched = Vec::new();
        let mut findings: Vec<LintFinding> = parsed
            .diagnostics
            .iter()
            .map(|d| LintFinding {
                code: d.code.into(),
                severity: d.severity,
                message: d.message.clone(),
                location: d.location.clone(),
                fix: None,
            })
            .collect();
        if let Some(policy) = &parsed.policy {
            let mut ctx = Ctx {
                catalog: self,
                text,
                root: tree,
                index: std::cell::OnceCell::new(),
                statement_is_object: policy.statement_is_object,
                out: Vec::new(),
            };
            // actions an unconditional Deny on every resource takes away: no grant of them is
            // reported
            let mut denied: Vec<(usize, usize)> = policy
                .statements
                .iter()
                .filter(|s| s.effect == Effect::Deny && s.condition.is_empty())
                .filter(|s| {
                    s.resource
                        .as_ref()
                        .is_some_and(|r| !r.negated && r.values.items.iter().any(|x| x == "*"))
                })
                .filter_map(|s| s.action.as_ref())
                .flat_map(|l| {
                    let p: Vec<&str> = l.values.items.iter().map(String::as_str).collect();
                    self.matching(&p, l.negated)
                })
                .collect();
            denied.sort_unstable();
            denied.dedup();
            matched = policy
                .statements
                .iter()
                .enumerate()
                .map(|(i, s)| lint_statement(&mut ctx, i, s, &denied))
                .collect();
            findings.extend(ctx.out);
        }
        let report = LintReport {
            valid: !findings.iter().any(|f| f.severity == Severity::Error),
            findings,
        };
        (report, matched)
    }
}

/// `base` followed by `extra`.
fn join<'a>(base: &[Seg<'a>], extra: &[Seg<'a>]) -> Vec<Seg<'a>> {
    let mut p = Vec::with_capacity(base.len() + extra.len());
    p.extend_from_slice(base);
    p.extend_from_slice(extra);
    p
}

/// Lints one statement; returns every action its `Action` / `NotAction` patterns match
/// (without the negation), sorted.
fn lint_statement(
    ctx: &mut Ctx<'_>,
    i: usize,
    s: &Statement,
    denied: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let catalog = ctx.catalog;
    let base = ctx.statement_path(i);
    let allow = s.effect == Effect::Allow;
    if allow && s.principal.as_ref().is_some_and(|p| p.negated) {
        ctx.push(LintCode::AllowNot, Severity::Warning,
            "`Allow` with `NotPrincipal` grants everyone not listed, anonymous callers included; AWS does not support it".into(),
            "name the principals to allow in `Principal`", join(&base, &[key("NotPrincipal")]));
    }
    // (service index, action index) of the actions the statement's patterns with a service
    // prefix name (not `NotAction`), and of those every pattern matches
    let mut actions: Vec<(usize, usize)> = Vec::new();
    let mut union: Vec<(usize, usize)> = Vec::new();
    let mut any_service_wildcard = false;
    let mut found = Vec::new();
    if let Some(list) = &s.action {
        let element = if list.negated { "NotAction" } else { "Action" };
        for (j, pattern) in list.values.items.iter().enumerate() {
            let path = || join(&base, &[key(element), Seg::Index(j)]);
            if pattern == "*" {
                any_service_wildcard = true;
                union.extend(
                    catalog
                        .services
                        .iter()
                        .enumerate()
                        .flat_map(|(si, svc)| (0..svc.actions.len()).map(move |ai| (si, ai))),
                );
                continue;
            }
            let Some((svc, name)) = pattern.split_once(':') else {
                continue;
            };
            if svc.contains(['*', '?']) {
                any_service_wildcard = true;
                let hits = catalog.matching(&[pattern.as_str()], false);
                if hits.is_empty() {
                    ctx.push(
                        LintCode::UnknownAction,
                        Severity::Warning,
                        format!("`{pattern}` matches no action of any service"),
                        "check the pattern: iamkit actions PATTERN lists what a pattern covers",
                        path(),
                    );
                }
                union.extend(hits);
                continue;
            }
            let Some(si) = catalog.service_index(svc) else {
                ctx.push(LintCode::UnknownService, Severity::Warning,
                    if list.negated {
                        format!("`{svc}` is not a service AWS lists (retired, or misspelled): `{pattern}` excludes nothing")
                    } else {
                        format!("`{svc}` is not a service AWS lists (retired, or misspelled): `{pattern}` grants nothing")
                    },
                    "remove the action, or correct the service prefix", path());
                continue;
            };
            let service = &catalog.services[si];
            let before = actions.len();
            found.clear();
            service.matching_actions(name, &mut found);
            actions.extend(found.iter().map(|ai| (si, *ai)));
            if actions.len() == before {
                // a warning: AWS's own managed policies name actions the reference does not list
                // (retired, or not yet documented); a near miss is named as the likely fix
                let near = if name.contains(['*', '?']) {
                    None
                } else {
                    nearest(service, name)
                };
                ctx.push(LintCode::UnknownAction, Severity::Warning,
                    match near {
                        Some(n) => format!("`{pattern}` is not an action of {} ({svc}); did you mean `{svc}:{n}`?", service.name),
                        None => format!("`{pattern}` is not an action of {} ({svc}): retired, undocumented or misspelled, it grants nothing documented", service.name),
                    },
                    "correct the action name: iamkit actions 'SERVICE:*' lists the service's actions", path());
            }
            union.extend_from_slice(&actions[before..]);
            if list.negated {
                actions.truncate(before);
            }
        }
        if allow && list.negated {
            ctx.push(LintCode::AllowNot, Severity::Warning,
                "`Allow` with `NotAction` grants every action not listed, including ones AWS adds later".into(),
                "list the actions to allow in `Action` instead", join(&base, &[key("NotAction")]));
        }
    }
    actions.sort_unstable();
    actions.dedup();
    union.sort_unstable();
    union.dedup();
    let action = |&(si, ai): &(usize, usize)| {
        let svc = &catalog.services[si];
        (svc, &svc.actions[ai])
    };
    let resources: Vec<&String> = match &s.resource {
        Some(r) if !r.negated => r.values.items.iter().collect(),
        _ => Vec::new(),
    };
    let star_resource = s
        .resource
        .as_ref()
        .is_some_and(|r| !r.negated && r.values.items.iter().any(|x| x == "*"));
    if allow && s.resource.as_ref().is_some_and(|r| r.negated) {
        ctx.push(LintCode::AllowNot, Severity::Warning,
            "`Allow` with `NotResource` grants every resource not listed, in every service of the statement".into(),
            "list the resources to allow in `Resource` instead", join(&base, &[key("NotResource")]));
    }
    let negated_actions = s.action.as_ref().is_some_and(|l| l.negated);
    let all_actions = s.action.as_ref().is_some_and(|l| {
        if l.negated {
            // a NotAction that excludes no known action grants every action
            union.is_empty()
        } else {
            l.values.items.iter().any(|p| p == "*" || p == "*:*")
        }
    });
    if allow && all_actions && star_resource {
        let element = if negated_actions {
            "NotAction"
        } else {
            "Action"
        };
        ctx.push(
            LintCode::Admin,
            Severity::Warning,
            "the statement allows every action on every resource (full administrator)".into(),
            "grant the actions and resources needed; keep full access for break-glass roles",
            join(&base, &[key(element)]),
        );
    }
    if allow && star_resource && !all_actions {
        let pm_level = AccessLevel::PermissionsManagement.index();
        let mut pm = actions.iter().filter(|(si, ai)| {
            catalog.services[*si].index().level_of[*ai] == pm_level
                && denied.binary_search(&(*si, *ai)).is_err()
        });
        let shown: Vec<String> = pm
            .by_ref()
            .take(5)
            .map(|x| {
                let (s, a) = action(x);
                format!("{}:{}", s.prefix, a.name)
            })
            .collect();
        let count = shown.len() + pm.count();
        if count > 0 {
            ctx.push(
                LintCode::PermissionsManagementStar,
                Severity::Warning,
                format!(
                    "{count} Permissions management action(s) allowed on `*` ({}{})",
                    shown.join(", "),
                    if count > 5 { ", ..." } else { "" }
                ),
                "name the resources these actions may change",
                join(&base, &[key("Resource")]),
            );
        }
        if actions.iter().any(|x| {
            let (s, a) = action(x);
            s.prefix == "iam" && a.name == "PassRole"
        }) {
            ctx.push(LintCode::PassRoleStar, Severity::Warning,
                "`iam:PassRole` on `*` lets the principal hand any role to a service (privilege escalation)".into(),
                "name the roles in Resource, and limit the service with an iam:PassedToService condition", join(&base, &[key("Resource")]));
        }
    }
    // resource ARNs no action of the statement acts on (each resource type's ARN once)
    if !negated_actions
        && !any_service_wildcard
        && !actions.is_empty()
        && resources.iter().any(|r| *r != "*")
    {
        let mut templates: Vec<&str> = actions
            .iter()
            .flat_map(|x| {
                let (svc, a) = action(x);
                a.resources
                    .iter()
                    .filter_map(|ar| svc.resource_type(&ar.name))
                    .map(|t| t.arn_glob.as_str())
            })
            .collect();
        templates.sort_unstable();
        templates.dedup();
        for (j, r) in resources.iter().enumerate() {
            if *r == "*" || !r.starts_with("arn:") || r.contains("${") {
                continue;
            }
            let fits = templates
                .iter()
                .any(|t| same_service(t, r) && intersects_resource(t, r));
            if !fits {
                ctx.push(LintCode::ResourceMismatch, Severity::Warning,
                    format!("no action of the statement acts on `{r}`: it matches none of their resource types"),
                    "check the ARN against the actions' resource types (iamkit actions --format json shows them)",
                    join(&base, &[key("Resource"), Seg::Index(j)]));
            }
        }
    }
    // conditions
    for block in &s.condition {
        for (cond_key, _) in &block.entries {
            let key_name = cond_key.as_str();
            let path = || {
                join(
                    &base,
                    &[key("Condition"), key(&block.operator_name), key(cond_key)],
                )
            };
            let global = catalog.global_condition_key(key_name);
            let key_type: Option<&str> = if let Some(g) = global {
                Some(&g.key_type)
            } else if key_name
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
            {
                ctx.push(LintCode::UnknownConditionKey, Severity::Warning,
                    format!("`{key_name}` is not a global condition key AWS lists: the condition never sees a value"),
                    "check the key's spelling against the global condition keys", path());
                continue;
            } else {
                let svc = key_name.split(':').next().unwrap_or("");
                match catalog.service(svc) {
                    None => None,
                    Some(service) => {
                        let def = service
                            .condition_keys
                            .iter()
                            .find(|k| key_matches(&k.name, key_name));
                        if !negated_actions
                            && !any_service_wildcard
                            && !actions.is_empty()
                            && !actions.iter().any(|x| {
                                let (s, a) = action(x);
                                action_supports(s, a, key_name)
                            })
                        {
                            ctx.push(LintCode::ConditionKeyNotApplicable, Severity::Warning,
                                format!("no action of the statement sets `{key_name}`: the condition is evaluated without it"),
                                "use a condition key the statement's actions support (iamkit actions --format json lists them)", path());
                            continue;
                        }
                        def.map(|d| d.key_type.as_str())
                    }
                }
            };
            let Some(t) = key_type else { continue };
            let multi = t.starts_with("ArrayOf");
            let null = matches!(block.operator.base, crate::policy::condition::BaseOp::Null);
            if multi && block.operator.set == SetOp::None && !null {
                ctx.push(LintCode::SetOperatorMissing, Severity::Warning,
                    format!("`{key_name}` can hold several values ({t}): `{}` without ForAllValues: or ForAnyValue: is ambiguous", block.operator_name),
                    "prefix the operator with ForAnyValue: (some value) or ForAllValues: (every value)", path());
            } else if !multi && block.operator.set == SetOp::ForAllValues {
                ctx.push(LintCode::ForAllValuesSingleValued, Severity::Warning,
                    format!("`{key_name}` holds one value ({t}): ForAllValues: is true whenever the key is missing"),
                    "drop the ForAllValues: prefix", path());
            } else if allow && block.operator.set == SetOp::ForAllValues {
                ctx.push(LintCode::VacuousCondition, Severity::Warning,
                    format!("ForAllValues: on `{key_name}` in an Allow holds when the request has no `{key_name}` at all"),
                    "add a Null condition requiring the key (\"Null\": {\"KEY\": \"false\"})", path());
            } else if allow && block.operator.if_exists {
                ctx.push(
                    LintCode::VacuousCondition,
                    Severity::Warning,
                    format!(
                        "`{}` in an Allow holds whenever the request lacks `{key_name}`",
                        block.operator_name
                    ),
                    "drop IfExists so that requests without the key are not allowed",
                    path(),
                );
            }
        }
    }
    union
}

#[cfg(test)]
mod tests {
    use super::{key_matches, template_glob};

    #[test]
    fn templates() {
        assert!(key_matches(
            "aws:RequestTag/${TagKey}",
            "aws:RequestTag/team"
        ));
        assert!(!key_matches("aws:RequestTag/${TagKey}", "aws:RequestTag/"));
        assert!(key_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:existingobjecttag/x"
        ));
        assert!(key_matches("s3:prefix", "S3:Prefix"));
        assert_eq!(
            template_glob("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
            "arn:*:s3:::*/*"
        );
    }
}
