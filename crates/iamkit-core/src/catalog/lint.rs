//! The policy linter: on top of the validator, what the catalog knows. Unknown services (a
//! warning: AWS managed policies still name retired ones) and actions (a warning too, with the
//! likely name when it is a near miss), condition keys
//! no action of the statement sets, resource ARNs no action of the statement can act on, `Allow`
//! with `NotAction` / `NotResource`, `*:*`, Permissions management and `iam:PassRole` on `*`, set
//! operators that do not fit the key, and `IfExists` / `ForAllValues` conditions that hold when
//! the key is missing. Every finding has a stable code, a severity, a location and a fix.

use serde::Serialize;

use super::{AccessLevel, Action, Catalog, Service};
use crate::account::intersects_resource;
use crate::error::{Location, Severity};
use crate::json::{self, LineIndex, Node, Value};
use crate::policy::condition::SetOp;
use crate::policy::{parse_policy, Effect, PolicyType, Statement};

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    /// The stable code (`IAM_LINT_*`, or the validator's `IAM_POLICY_*`).
    pub code: String,
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

#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// The byte offset of the value at `path` (keys matched as written).
fn locate(root: &Node, path: &[Seg]) -> Option<usize> {
    let mut node = root;
    for seg in path {
        node = match (seg, &node.value) {
            (Seg::Key(k), Value::Object(members)) => &members.iter().find(|m| &m.key == k)?.value,
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
    /// The spanned JSON tree, parsed when the first finding needs a location.
    root: std::cell::OnceCell<Option<Node>>,
    index: LineIndex<'a>,
    statement_is_object: bool,
    out: Vec<LintFinding>,
}

impl Ctx<'_> {
    fn push(&mut self, code: &str, severity: Severity, message: String, fix: &str, path: Vec<Seg>) {
        let mut text = String::from("$");
        for s in &path {
            match s {
                Seg::Key(k) => {
                    text.push('.');
                    text.push_str(k);
                }
                Seg::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        let source = self.text;
        let (line, column) = self
            .root
            .get_or_init(|| json::parse(source).ok())
            .as_ref()
            .and_then(|r| locate(r, &path))
            .map(|o| self.index.position(o))
            .unwrap_or((0, 0));
        self.out.push(LintFinding {
            code: code.to_string(),
            severity,
            message,
            location: Location {
                json_path: text,
                line,
                column,
            },
            fix: Some(fix.to_string()),
        });
    }

    fn statement_path(&self, i: usize) -> Vec<Seg> {
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
        let parsed = parse_policy(text, ty);
        let mut findings: Vec<LintFinding> = parsed
            .diagnostics
            .iter()
            .map(|d| LintFinding {
                code: d.code.as_str().to_string(),
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
                root: std::cell::OnceCell::new(),
                index: LineIndex::new(text),
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
            for (i, s) in policy.statements.iter().enumerate() {
                lint_statement(&mut ctx, i, s, &denied);
            }
            findings.extend(ctx.out);
        }
        LintReport {
            valid: !findings.iter().any(|f| f.severity == Severity::Error),
            findings,
        }
    }
}

fn lint_statement(ctx: &mut Ctx<'_>, i: usize, s: &Statement, denied: &[(usize, usize)]) {
    let base = ctx.statement_path(i);
    let with = |extra: Vec<Seg>| -> Vec<Seg> {
        let mut p = base.clone();
        p.extend(extra);
        p
    };
    let allow = s.effect == Effect::Allow;
    if allow && s.principal.as_ref().is_some_and(|p| p.negated) {
        ctx.push("IAM_LINT_ALLOW_NOT", Severity::Warning,
            "`Allow` with `NotPrincipal` grants everyone not listed, anonymous callers included; AWS does not support it".into(),
            "name the principals to allow in `Principal`", with(vec![key("NotPrincipal")]));
    }
    let mut actions: Vec<(&Service, &Action)> = Vec::new();
    let mut any_service_wildcard = false;
    if let Some(list) = &s.action {
        let element = if list.negated { "NotAction" } else { "Action" };
        for (j, pattern) in list.values.items.iter().enumerate() {
            let path = with(vec![key(element), Seg::Index(j)]);
            if pattern == "*" {
                any_service_wildcard = true;
                continue;
            }
            let Some((svc, name)) = pattern.split_once(':') else {
                continue;
            };
            if svc.contains(['*', '?']) {
                any_service_wildcard = true;
                if ctx.catalog.matching(&[pattern.as_str()], false).is_empty() {
                    ctx.push(
                        "IAM_LINT_UNKNOWN_ACTION",
                        Severity::Warning,
                        format!("`{pattern}` matches no action of any service"),
                        "check the pattern: iamkit actions PATTERN lists what a pattern covers",
                        path,
                    );
                }
                continue;
            }
            let Some(service) = ctx.catalog.service(svc) else {
                ctx.push("IAM_LINT_UNKNOWN_SERVICE", Severity::Warning,
                    if list.negated {
                        format!("`{svc}` is not a service AWS lists (retired, or misspelled): `{pattern}` excludes nothing")
                    } else {
                        format!("`{svc}` is not a service AWS lists (retired, or misspelled): `{pattern}` grants nothing")
                    },
                    "remove the action, or correct the service prefix", path);
                continue;
            };
            let matched: Vec<&Action> = if name.contains(['*', '?']) {
                let g = crate::wildcard::Glob::wildcard(name);
                service
                    .actions
                    .iter()
                    .filter(|a| g.matches(&a.name, true, &crate::wildcard::NoVars))
                    .collect()
            } else {
                service.action(name).into_iter().collect()
            };
            if matched.is_empty() {
                // a warning: AWS's own managed policies name actions the reference does not list
                // (retired, or not yet documented); a near miss is named as the likely fix
                let near = if name.contains(['*', '?']) {
                    None
                } else {
                    nearest(service, name)
                };
                ctx.push("IAM_LINT_UNKNOWN_ACTION", Severity::Warning,
                    match near {
                        Some(n) => format!("`{pattern}` is not an action of {} ({svc}); did you mean `{svc}:{n}`?", service.name),
                        None => format!("`{pattern}` is not an action of {} ({svc}): retired, undocumented or misspelled, it grants nothing documented", service.name),
                    },
                    "correct the action name: iamkit actions 'SERVICE:*' lists the service's actions", path);
            }
            if !list.negated {
                actions.extend(matched.into_iter().map(|a| (service, a)));
            }
        }
        if allow && list.negated {
            ctx.push("IAM_LINT_ALLOW_NOT", Severity::Warning,
                "`Allow` with `NotAction` grants every action not listed, including ones AWS adds later".into(),
                "list the actions to allow in `Action` instead", with(vec![key("NotAction")]));
        }
    }
    let resources: Vec<&String> = match &s.resource {
        Some(r) if !r.negated => r.values.items.iter().collect(),
        _ => Vec::new(),
    };
    let star_resource = s
        .resource
        .as_ref()
        .is_some_and(|r| !r.negated && r.values.items.iter().any(|x| x == "*"));
    if allow && s.resource.as_ref().is_some_and(|r| r.negated) {
        ctx.push("IAM_LINT_ALLOW_NOT", Severity::Warning,
            "`Allow` with `NotResource` grants every resource not listed, in every service of the statement".into(),
            "list the resources to allow in `Resource` instead", with(vec![key("NotResource")]));
    }
    let negated_actions = s.action.as_ref().is_some_and(|l| l.negated);
    let all_actions = s.action.as_ref().is_some_and(|l| {
        if l.negated {
            // a NotAction that excludes no known action grants every action
            let p: Vec<&str> = l.values.items.iter().map(String::as_str).collect();
            ctx.catalog.matching(&p, false).is_empty()
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
            "IAM_LINT_ADMIN",
            Severity::Warning,
            "the statement allows every action on every resource (full administrator)".into(),
            "grant the actions and resources needed; keep full access for break-glass roles",
            with(vec![key(element)]),
        );
    }
    if allow && star_resource && !all_actions {
        let is_denied = |svc: &Service, a: &Action| {
            let si = ctx
                .catalog
                .services
                .iter()
                .position(|x| std::ptr::eq(x, svc));
            let ai = svc.action_index(&a.name);
            matches!((si, ai), (Some(si), Some(ai)) if denied.binary_search(&(si, ai)).is_ok())
        };
        let pm: Vec<String> = actions
            .iter()
            .filter(|(s, a)| a.access == AccessLevel::PermissionsManagement && !is_denied(s, a))
            .map(|(s, a)| format!("{}:{}", s.prefix, a.name))
            .collect();
        if !pm.is_empty() {
            let shown = pm.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            ctx.push(
                "IAM_LINT_PERMISSIONS_MANAGEMENT_STAR",
                Severity::Warning,
                format!(
                    "{} Permissions management action(s) allowed on `*` ({shown}{})",
                    pm.len(),
                    if pm.len() > 5 { ", ..." } else { "" }
                ),
                "name the resources these actions may change",
                with(vec![key("Resource")]),
            );
        }
        if actions
            .iter()
            .any(|(s, a)| s.prefix == "iam" && a.name == "PassRole")
        {
            ctx.push("IAM_LINT_PASSROLE_STAR", Severity::Warning,
                "`iam:PassRole` on `*` lets the principal hand any role to a service (privilege escalation)".into(),
                "name the roles in Resource, and limit the service with an iam:PassedToService condition", with(vec![key("Resource")]));
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
            .flat_map(|(svc, a)| {
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
                ctx.push("IAM_LINT_RESOURCE_MISMATCH", Severity::Warning,
                    format!("no action of the statement acts on `{r}`: it matches none of their resource types"),
                    "check the ARN against the actions' resource types (iamkit actions --format json shows them)",
                    with(vec![key("Resource"), Seg::Index(j)]));
            }
        }
    }
    // conditions
    for block in &s.condition {
        for (cond_key, _) in &block.entries {
            let key_name = cond_key.as_str();
            let path = with(vec![
                key("Condition"),
                key(&block.operator_name),
                key(cond_key),
            ]);
            let lower = key_name.to_ascii_lowercase();
            let global = ctx.catalog.global_condition_key(key_name);
            let key_type: Option<String> = if let Some(g) = global {
                Some(g.key_type.clone())
            } else if lower.starts_with("aws:") {
                ctx.push("IAM_LINT_UNKNOWN_CONDITION_KEY", Severity::Warning,
                    format!("`{key_name}` is not a global condition key AWS lists: the condition never sees a value"),
                    "check the key's spelling against the global condition keys", path);
                continue;
            } else {
                let svc = key_name.split(':').next().unwrap_or("");
                match ctx.catalog.service(svc) {
                    None => None,
                    Some(service) => {
                        let def = service
                            .condition_keys
                            .iter()
                            .find(|k| key_matches(&k.name, key_name));
                        if !negated_actions
                            && !any_service_wildcard
                            && !actions.is_empty()
                            && !actions.iter().any(|(s, a)| action_supports(s, a, key_name))
                        {
                            ctx.push("IAM_LINT_CONDITION_KEY_NOT_APPLICABLE", Severity::Warning,
                                format!("no action of the statement sets `{key_name}`: the condition is evaluated without it"),
                                "use a condition key the statement's actions support (iamkit actions --format json lists them)", path);
                            continue;
                        }
                        def.map(|d| d.key_type.clone())
                    }
                }
            };
            let Some(t) = key_type else { continue };
            let multi = t.starts_with("ArrayOf");
            let null = matches!(block.operator.base, crate::policy::condition::BaseOp::Null);
            if multi && block.operator.set == SetOp::None && !null {
                ctx.push("IAM_LINT_SET_OPERATOR_MISSING", Severity::Warning,
                    format!("`{key_name}` can hold several values ({t}): `{}` without ForAllValues: or ForAnyValue: is ambiguous", block.operator_name),
                    "prefix the operator with ForAnyValue: (some value) or ForAllValues: (every value)", path);
            } else if !multi && block.operator.set == SetOp::ForAllValues {
                ctx.push("IAM_LINT_FORALLVALUES_SINGLE_VALUED", Severity::Warning,
                    format!("`{key_name}` holds one value ({t}): ForAllValues: is true whenever the key is missing"),
                    "drop the ForAllValues: prefix", path);
            } else if allow && block.operator.set == SetOp::ForAllValues {
                ctx.push("IAM_LINT_VACUOUS_CONDITION", Severity::Warning,
                    format!("ForAllValues: on `{key_name}` in an Allow holds when the request has no `{key_name}` at all"),
                    "add a Null condition requiring the key (\"Null\": {\"KEY\": \"false\"})", path);
            } else if allow && block.operator.if_exists {
                ctx.push(
                    "IAM_LINT_VACUOUS_CONDITION",
                    Severity::Warning,
                    format!(
                        "`{}` in an Allow holds whenever the request lacks `{key_name}`",
                        block.operator_name
                    ),
                    "drop IfExists so that requests without the key are not allowed",
                    path,
                );
            }
        }
    }
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
