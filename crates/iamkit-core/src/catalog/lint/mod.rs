//! The policy linter: on top of the validator, what the catalog knows. Unknown services (a
//! warning: AWS managed policies still name retired ones) and actions (a warning too, with the
//! likely name when it is a near miss), condition keys
//! no action of the statement sets, resource ARNs no action of the statement can act on, `Allow`
//! with `NotAction` / `NotResource`, `*:*`, Permissions management and `iam:PassRole` on `*`, set
//! operators that do not fit the key, and `IfExists` / `ForAllValues` conditions that hold when
//! the key is missing. Every finding has a stable code, a severity, a location and a fix.

mod rules;

use serde::Serialize;

use self::rules::{Check, Facts, Hit, KeyFacts, Rule, RULES};
use super::{Action, Catalog, Service};
use crate::error::{FindingCode, Location, Severity};
use crate::json::{LineIndex, Node, Value};
use crate::policy::parse::parse_policy_keeping_tree;
use crate::policy::{Effect, Origin, ParsedPolicy, PolicyType, Statement};

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    fn push(&mut self, rule: &Rule, hit: Hit<'_>) {
        let Hit { message, fix, path } = hit;
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
            code: rule.code.into(),
            severity: rule.severity,
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

/// Lints one statement: every rule of [`rules::RULES`], in order. Returns every action its
/// `Action` / `NotAction` patterns match (without the negation), sorted.
fn lint_statement(
    ctx: &mut Ctx<'_>,
    i: usize,
    s: &Statement,
    denied: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let facts = Facts::gather(ctx.catalog, ctx.statement_path(i), s, denied);
    let mut rest = RULES;
    while let Some(first) = rest.first() {
        // a run of rules of one per-item kind goes item by item
        let run = rest
            .iter()
            .take_while(|r| {
                std::mem::discriminant(&r.check) == std::mem::discriminant(&first.check)
            })
            .count();
        let (group, tail) = rest.split_at(run);
        rest = tail;
        match first.check {
            Check::Statement(_) => {
                for rule in group {
                    if let Check::Statement(check) = rule.check {
                        if let Some(hit) = check(&facts) {
                            ctx.push(rule, hit);
                        }
                    }
                }
            }
            Check::ActionPattern(_) => {
                for j in 0..facts.patterns.len() {
                    let first_hit = group.iter().find_map(|rule| match rule.check {
                        Check::ActionPattern(check) => check(&facts, j).map(|h| (rule, h)),
                        _ => None,
                    });
                    if let Some((rule, hit)) = first_hit {
                        ctx.push(rule, hit);
                    }
                }
            }
            Check::Resource(_) => {
                for j in 0..facts.resources.len() {
                    for rule in group {
                        if let Check::Resource(check) = rule.check {
                            if let Some(hit) = check(&facts, j) {
                                ctx.push(rule, hit);
                            }
                        }
                    }
                }
            }
            Check::ConditionKey(_) => {
                for block in &s.condition {
                    for (cond_key, _) in &block.entries {
                        let path = join(
                            &facts.base,
                            &[key("Condition"), key(&block.operator_name), key(cond_key)],
                        );
                        let k = KeyFacts::gather(&facts, block, cond_key, path);
                        let first_hit = group.iter().find_map(|rule| match rule.check {
                            Check::ConditionKey(check) => check(&facts, &k).map(|h| (rule, h)),
                            _ => None,
                        });
                        if let Some((rule, hit)) = first_hit {
                            ctx.push(rule, hit);
                        }
                    }
                }
            }
        }
    }
    facts.union
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
