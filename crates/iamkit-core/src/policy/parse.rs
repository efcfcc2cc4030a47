//! Reading a policy document: JSON text → [`Policy`] plus diagnostics, validated by the rules of
//! its [`PolicyType`].

use std::collections::HashSet;

use rustc_hash::FxHashSet;

use crate::arn::{check_resource_pattern, Arn, PARTITIONS};
use crate::error::{Diagnostic, ErrorCode, Location, Severity};
use crate::json::{self, Member, Node, SourceText, Value};
use crate::wildcard::{Glob, Syntax};

use super::condition::{
    parse_base64, parse_bool, parse_date, parse_ip_net, parse_number, Family, Operator,
};
use super::model::*;

/// Where a policy text sits, so diagnostics can point into the enclosing document.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The JSON path that replaces `$` (e.g. `$.policies.identity[0]`).
    pub path: &'a str,
    /// The enclosing text and the policy's byte offset in it (its positions are computed only
    /// for a diagnostic).
    pub enclosing: Option<(&'a SourceText<'a>, usize)>,
}

impl Default for Origin<'_> {
    fn default() -> Self {
        Origin {
            path: "$",
            enclosing: None,
        }
    }
}

/// A policy read from text, with what validation found.
#[derive(Debug, Clone)]
pub struct ParsedPolicy {
    /// The policy; `None` when the text is not a JSON object.
    pub policy: Option<Policy>,
    /// Errors and warnings, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedPolicy {
    /// Whether no diagnostic is an error.
    pub fn is_valid(&self) -> bool {
        self.policy.is_some() && self.first_error().is_none()
    }

    /// The first error-severity diagnostic.
    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    }
}

/// Reads and validates a policy document.
pub fn parse_policy(text: &str, ty: PolicyType) -> ParsedPolicy {
    parse_policy_at(text, ty, Origin::default())
}

/// Reads and validates a policy document that sits at `origin` in a larger document.
pub fn parse_policy_at(text: &str, ty: PolicyType, origin: Origin<'_>) -> ParsedPolicy {
    parse_policy_keeping_tree(text, ty, origin).0
}

/// [`parse_policy_at`] without its warnings: for compiling, which refuses a policy on its first
/// error and never shows a warning, so none is written out (nor its line and column found).
pub(crate) fn parse_policy_errors_only(
    text: &str,
    ty: PolicyType,
    origin: Origin<'_>,
) -> ParsedPolicy {
    read(text, ty, origin, false).0
}

/// [`parse_policy_at`], also giving the spanned JSON tree it read (`None` when the text is not
/// JSON), for callers that locate more findings in it.
pub(crate) fn parse_policy_keeping_tree<'t>(
    text: &'t str,
    ty: PolicyType,
    origin: Origin<'_>,
) -> (ParsedPolicy, Option<Node<'t>>) {
    read(text, ty, origin, true)
}

/// Reads a policy text, its warnings kept when `warnings` is set.
fn read<'t>(
    text: &'t str,
    ty: PolicyType,
    origin: Origin<'_>,
    warnings: bool,
) -> (ParsedPolicy, Option<Node<'t>>) {
    let (enclosing, base) = match origin.enclosing {
        Some((source, base)) => (Some(source), base),
        None => (None, 0),
    };
    let mut r = Reader {
        ty,
        diags: Vec::new(),
        enclosing,
        own: SourceText::new(text),
        base,
        variables: false,
        warnings,
    };
    let root = match json::parse(text) {
        Ok(n) => n,
        Err(e) => {
            r.push(
                ErrorCode::PolicyJson,
                Severity::Error,
                format!("the policy is not valid JSON: {}", e.message),
                origin.path.to_string(),
                e.offset,
            );
            return (r.finish(None), None);
        }
    };
    if warnings {
        r.check_size(text, &root, &JPath::Root(origin.path));
    }
    let policy = r.policy(&root, &JPath::Root(origin.path));
    (r.finish(policy), Some(root))
}

/// AWS's size quota for a policy type: the most characters a document may hold, whether white
/// space is counted, and where the quota is documented. `None` for resource-based policies, whose
/// quota is each service's own.
fn size_quota(ty: PolicyType) -> Option<(usize, bool, &'static str)> {
    match ty {
        // IAM does not count white space against its quotas
        PolicyType::Identity | PolicyType::Boundary => Some((
            6_144,
            false,
            "a managed policy (inline policies share 2,048 per user, 5,120 per group and 10,240 per role; IAM User Guide, IAM and AWS STS quotas)",
        )),
        PolicyType::Trust => Some((
            2_048,
            false,
            "a role trust policy by default (an account can raise it with Service Quotas; IAM User Guide, IAM and AWS STS quotas)",
        )),
        // Organizations keeps a document sent through the API or the CLI as it is, white space
        // included (its console removes the white space between elements first)
        PolicyType::Scp => Some((
            5_120,
            true,
            "a service control policy, white space included when sent through the API or the CLI (AWS Organizations User Guide, quotas)",
        )),
        PolicyType::Rcp => Some((
            5_120,
            true,
            "a resource control policy, white space included when sent through the API or the CLI (AWS Organizations User Guide, quotas)",
        )),
        PolicyType::Session => Some((
            2_048,
            true,
            "a session policy's plain text (AWS STS API Reference, AssumeRole: Policy)",
        )),
        PolicyType::VpcEndpoint => Some((
            20_480,
            true,
            "a VPC endpoint policy, white space included (AWS PrivateLink Guide, control access to VPC endpoints using endpoint policies)",
        )),
        _ => None,
    }
}

/// `n` with its thousands separated by commas, as AWS writes its quotas (`6,144`).
fn with_commas(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The characters of a JSON text, and those that are not white space (what IAM counts:
/// "non-whitespace characters", IAM API Reference, GetAccountSummary). Counted over bytes (a
/// character is a byte that does not continue one; white space is ASCII), which the compiler
/// vectorizes: validating many documents pays little for it.
fn sizes(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let all = b.iter().filter(|&&c| (c & 0xC0) != 0x80).count();
    let blank = b
        .iter()
        .filter(|&&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
        .count();
    (all, all - blank)
}

struct Reader<'a> {
    ty: PolicyType,
    diags: Vec<Diagnostic>,
    /// The enclosing document, if the policy sits in one.
    enclosing: Option<&'a SourceText<'a>>,
    /// The policy text itself (its line index is built for the first diagnostic).
    own: SourceText<'a>,
    base: usize,
    variables: bool,
    /// Whether warnings are kept (errors always are).
    warnings: bool,
}

/// A JSON path, written out only when a diagnostic needs it: a root (`$`, or where the policy
/// sits), a member of a path, or an item of a path.
#[derive(Clone, Copy)]
enum JPath<'a> {
    Root(&'a str),
    Key(&'a JPath<'a>, &'a str),
    Index(&'a JPath<'a>, usize),
}

impl<'a> JPath<'a> {
    /// The path of member `key`.
    fn key(&'a self, key: &'a str) -> JPath<'a> {
        JPath::Key(self, key)
    }

    /// The path of item `i`.
    fn index(&'a self, i: usize) -> JPath<'a> {
        JPath::Index(self, i)
    }
}

impl std::fmt::Display for JPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JPath::Root(r) => f.write_str(r),
            JPath::Key(p, k) => {
                p.fmt(f)?;
                write_key(f, k)
            }
            JPath::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

/// Appends a member to a JSON path: `.Key` for a plain name, `['ec2:InstanceType']` (with `\`
/// and `'` escaped) for any other.
pub(crate) fn push_key(path: &mut String, key: &str) {
    // writing to a String cannot fail
    let _ = write_key(path, key);
}

fn write_key(path: &mut impl std::fmt::Write, key: &str) -> std::fmt::Result {
    let simple = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if simple {
        path.write_char('.')?;
        path.write_str(key)
    } else {
        path.write_str("['")?;
        for c in key.chars() {
            if matches!(c, '\\' | '\'') {
                path.write_char('\\')?;
            }
            path.write_char(c)?;
        }
        path.write_str("']")
    }
}

/// The JSON path of one entry of a value that may be a list, written out only when a
/// diagnostic needs it.
#[derive(Clone, Copy)]
struct At<'p> {
    /// The value's path.
    base: &'p JPath<'p>,
    /// The entry's index, when the value is a list.
    index: Option<usize>,
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}[{i}]", self.base),
            None => self.base.fmt(f),
        }
    }
}

impl Reader<'_> {
    /// The line and column of a byte offset.
    fn position(&self, offset: usize) -> (u32, u32) {
        match self.enclosing {
            Some(source) => source.position(offset),
            None => self.own.position(offset),
        }
    }

    fn finish(self, policy: Option<Policy>) -> ParsedPolicy {
        ParsedPolicy {
            policy,
            diagnostics: self.diags,
        }
    }

    fn push(
        &mut self,
        code: ErrorCode,
        severity: Severity,
        message: String,
        path: impl std::fmt::Display,
        offset: usize,
    ) {
        if severity == Severity::Warning && !self.warnings {
            return;
        }
        let (line, column) = self.position(self.base + offset);
        self.diags.push(Diagnostic {
            code,
            severity,
            message,
            location: Location::new(path.to_string(), line, column),
        });
    }

    fn error(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        path: &dyn std::fmt::Display,
        node: &Node,
    ) {
        self.push(code, Severity::Error, message.into(), path, node.offset);
    }

    fn warn(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        path: &dyn std::fmt::Display,
        node: &Node,
    ) {
        self.push(code, Severity::Warning, message.into(), path, node.offset);
    }

    fn severity_for_iam(&self) -> Severity {
        if self.ty.iam_hosted() {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// Reports repeated keys; returns the members with the last value of each key winning.
    fn members<'n, 't>(&mut self, members: &'n [Member<'t>], path: &JPath<'_>) -> Members<'n, 't> {
        // a policy's objects are small: looking back costs less than hashing
        const SMALL: usize = 16;
        let mut seen = FxHashSet::default();
        let mut repeated = |i: usize, m: &'n Member<'t>| {
            if members.len() <= SMALL {
                members[..i].iter().any(|o| o.key == m.key)
            } else {
                !seen.insert(&*m.key)
            }
        };
        if !members.iter().enumerate().any(|(i, m)| repeated(i, m)) {
            return Members::All(members);
        }
        let mut seen = FxHashSet::default();
        let mut out: Vec<&Member> = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            let repeated = if members.len() <= SMALL {
                members[..i].iter().any(|o| o.key == m.key)
            } else {
                !seen.insert(&*m.key)
            };
            if repeated {
                let p = path.key(&m.key);
                self.push(
                    ErrorCode::PolicyDuplicateKey,
                    Severity::Error,
                    format!("the key `{}` appears more than once in this object", m.key),
                    p,
                    m.key_offset,
                );
                out.retain(|o| o.key != m.key);
            }
            out.push(m);
        }
        Members::Kept(out)
    }

    fn policy(&mut self, root: &Node, path: &JPath<'_>) -> Option<Policy> {
        let Value::Object(members) = &root.value else {
            self.error(
                ErrorCode::PolicyJson,
                format!(
                    "a policy must be a JSON object, not {}",
                    root.value.type_name()
                ),
                path,
                root,
            );
            return None;
        };
        let members = self.members(members, path);
        let mut policy = Policy::default();
        let mut statement = None;
        let mut version_node = None;
        for m in members.iter() {
            let p = path.key(&m.key);
            match &*m.key {
                "Version" => {
                    version_node = Some(&m.value);
                    match &m.value.value {
                        Value::String(v) => policy.version = Some(v.to_string()),
                        other => self.error(
                            ErrorCode::PolicyType,
                            format!("`Version` must be a string, not {}", other.type_name()),
                            &p,
                            &m.value,
                        ),
                    }
                }
                "Id" => match &m.value.value {
                    Value::String(v) => policy.id = Some(v.to_string()),
                    other => self.error(
                        ErrorCode::PolicyType,
                        format!("`Id` must be a string, not {}", other.type_name()),
                        &p,
                        &m.value,
                    ),
                },
                "Statement" => statement = Some((&m.value, p)),
                other => self.error(
                    ErrorCode::PolicyUnknownElement,
                    format!("`{other}` is not a policy element (expected Version, Id, Statement)"),
                    &p,
                    &m.value,
                ),
            }
        }
        match (policy.version.as_deref(), version_node) {
            (Some("2012-10-17"), _) => self.variables = true,
            (Some("2008-10-17"), Some(n)) => self.warn(
                ErrorCode::PolicyVersionLegacy,
                "`Version` 2008-10-17 is the legacy policy language: policy variables are not substituted; use 2012-10-17",
                &path.key("Version"),
                n,
            ),
            (Some(v), Some(n)) => {
                let v = v.to_string();
                self.error(
                    ErrorCode::PolicyVersion,
                    format!("`Version` `{v}` is not a policy language version (use 2012-10-17)"),
                    &path.key("Version"),
                    n,
                );
            }
            _ => {
                if version_node.is_none() {
                    self.warn(
                        ErrorCode::PolicyVersionLegacy,
                        "the policy has no `Version`, so the legacy 2008-10-17 language applies and policy variables are not substituted; add \"Version\": \"2012-10-17\"",
                        path,
                        root,
                    );
                }
            }
        }
        match statement {
            None => self.error(
                ErrorCode::PolicyMissingElement,
                "the policy has no `Statement`",
                path,
                root,
            ),
            Some((node, p)) => match &node.value {
                Value::Object(_) => {
                    policy.statement_is_object = true;
                    if let Some(s) = self.statement(node, &p) {
                        policy.statements.push(s);
                    }
                }
                Value::Array(items) => {
                    policy.statements.reserve_exact(items.len());
                    if items.is_empty() {
                        self.warn(
                            ErrorCode::PolicyEmpty,
                            "the policy has no statements and grants nothing",
                            &p,
                            node,
                        );
                    }
                    for (i, it) in items.iter().enumerate() {
                        if let Some(s) = self.statement(it, &p.index(i)) {
                            policy.statements.push(s);
                        }
                    }
                }
                other => self.error(
                    ErrorCode::PolicyType,
                    format!(
                        "`Statement` must be an object or an array of objects, not {}",
                        other.type_name()
                    ),
                    &p,
                    node,
                ),
            },
        }
        self.check_duplicate_sids(&policy, path, root);
        Some(policy)
    }

    /// Warns when the document is larger than AWS's size quota for its type (see [`size_quota`]).
    fn check_size(&mut self, text: &str, root: &Node, path: &JPath<'_>) {
        let Some((quota, whitespace_counts, what)) = size_quota(self.ty) else {
            return;
        };
        // a quick bound first: most documents are far below their quota
        if text.len() <= quota {
            return;
        }
        // a policy given as a JSON value inside a larger input is measured as that input lays
        // it out, which is not the text sent to AWS: its white space is not counted then
        let whitespace_counts = whitespace_counts && self.enclosing.is_none();
        let (all, solid) = sizes(text);
        let counted = if whitespace_counts { all } else { solid };
        if counted <= quota {
            return;
        }
        let packed = crate::json::minify(text).chars().count();
        let packed_fits = packed <= quota;
        let (all, packed, solid, quota) = (
            with_commas(all),
            with_commas(packed),
            with_commas(solid),
            with_commas(quota),
        );
        let message = if whitespace_counts && packed_fits {
            format!(
                "the policy holds {all} characters, more than the {quota} AWS allows in {what}; without the white space between its elements it would hold {packed}"
            )
        } else if whitespace_counts {
            format!("the policy holds {all} characters, more than the {quota} AWS allows in {what}")
        } else {
            format!(
                "the policy holds {solid} characters besides white space, more than the {quota} AWS allows in {what}"
            )
        };
        self.warn(ErrorCode::PolicySize, message, path, root);
    }

    fn check_duplicate_sids(&mut self, policy: &Policy, path: &JPath<'_>, root: &Node) {
        let mut seen = HashSet::new();
        for (i, s) in policy.statements.iter().enumerate() {
            if let Some(sid) = s.sid.as_deref().filter(|s| !s.is_empty()) {
                if !seen.insert(sid) {
                    let sev = self.severity_for_iam();
                    if sev == Severity::Warning && !self.warnings {
                        continue;
                    }
                    let (line, column) = self.position(self.base + root.offset);
                    self.diags.push(Diagnostic {
                        code: ErrorCode::PolicyDuplicateSid,
                        severity: sev,
                        message: format!("the Sid `{sid}` is used by more than one statement; Sids must be unique in a policy"),
                        location: Location::new(
                            format!("{}.Sid", path.key("Statement").index(i)),
                            line,
                            column,
                        ),
                    });
                }
            }
        }
    }

    fn statement(&mut self, node: &Node, path: &JPath<'_>) -> Option<Statement> {
        let Value::Object(members) = &node.value else {
            self.error(
                ErrorCode::PolicyType,
                format!(
                    "a statement must be an object, not {}",
                    node.value.type_name()
                ),
                path,
                node,
            );
            return None;
        };
        let members = self.members(members, path);
        let get = |k: &str| members.iter().find(|m| m.key == k).map(|m| &m.value);
        for m in members.iter() {
            if !matches!(
                &*m.key,
                "Sid"
                    | "Effect"
                    | "Principal"
                    | "NotPrincipal"
                    | "Action"
                    | "NotAction"
                    | "Resource"
                    | "NotResource"
                    | "Condition"
            ) {
                self.error(
                    ErrorCode::PolicyUnknownElement,
                    format!("`{}` is not a statement element (expected Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition)", m.key),
                    &path.key(&m.key),
                    &m.value,
                );
            }
        }
        // Sid
        let mut sid = None;
        if let Some(n) = get("Sid") {
            let p = path.key("Sid");
            match &n.value {
                Value::String(s) => {
                    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        let sev = self.severity_for_iam();
                        self.push(
                            ErrorCode::PolicySid,
                            sev,
                            format!("the Sid `{s}` may contain only letters A-Z, a-z, digits 0-9 and `_`"),
                            p,
                            n.offset,
                        );
                    }
                    sid = Some(s.to_string());
                }
                other => self.error(
                    ErrorCode::PolicyType,
                    format!("`Sid` must be a string, not {}", other.type_name()),
                    &p,
                    n,
                ),
            }
        }
        // Effect
        let effect = match get("Effect") {
            None => {
                self.error(
                    ErrorCode::PolicyMissingElement,
                    "the statement has no `Effect`",
                    path,
                    node,
                );
                Effect::Deny
            }
            Some(n) => match &n.value {
                Value::String(s) if s == "Allow" => Effect::Allow,
                Value::String(s) if s == "Deny" => Effect::Deny,
                Value::String(s) => {
                    self.error(
                        ErrorCode::PolicyEffect,
                        format!("`Effect` must be exactly `Allow` or `Deny`, not `{s}`"),
                        &path.key("Effect"),
                        n,
                    );
                    Effect::Deny
                }
                other => {
                    self.error(
                        ErrorCode::PolicyType,
                        format!("`Effect` must be a string, not {}", other.type_name()),
                        &path.key("Effect"),
                        n,
                    );
                    Effect::Deny
                }
            },
        };
        let principal = self.principal_element(get("Principal"), get("NotPrincipal"), path, node);
        let action = self.list_element(get("Action"), get("NotAction"), "Action", path, node);
        let resource =
            self.list_element(get("Resource"), get("NotResource"), "Resource", path, node);
        let (condition, has_condition) = match get("Condition") {
            None => (Vec::new(), false),
            Some(n) => (self.condition(n, &path.key("Condition")), true),
        };
        Some(Statement {
            sid,
            effect,
            principal,
            action,
            resource,
            condition,
            has_condition,
        })
    }

    fn string_list(&mut self, n: &Node, path: &JPath<'_>, what: &str) -> Option<OneOrMany<String>> {
        match &n.value {
            Value::String(s) => Some(OneOrMany {
                items: vec![s.to_string()],
                single: true,
            }),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, it) in items.iter().enumerate() {
                    match &it.value {
                        Value::String(s) => out.push(s.to_string()),
                        other => self.error(
                            ErrorCode::PolicyType,
                            format!(
                                "each `{what}` entry must be a string, not {}",
                                other.type_name()
                            ),
                            &path.index(i),
                            it,
                        ),
                    }
                }
                Some(OneOrMany {
                    items: out,
                    single: false,
                })
            }
            other => {
                self.error(
                    ErrorCode::PolicyType,
                    format!(
                        "`{what}` must be a string or an array of strings, not {}",
                        other.type_name()
                    ),
                    path,
                    n,
                );
                None
            }
        }
    }

    fn check_whitespace(&mut self, s: &str, path: At<'_>, offset: usize) {
        if s.trim() != s {
            self.push(
                ErrorCode::PolicyWhitespace,
                Severity::Warning,
                format!("`{s}` has leading or trailing white space, so it matches only text with that white space"),
                path.to_string(),
                offset,
            );
        }
    }

    fn list_element(
        &mut self,
        pos: Option<&Node>,
        neg: Option<&Node>,
        name: &str,
        path: &JPath<'_>,
        stmt: &Node,
    ) -> Option<ListElement> {
        let is_resource = name == "Resource";
        let not_name = if is_resource {
            "NotResource"
        } else {
            "NotAction"
        };
        if pos.is_some() && neg.is_some() {
            self.error(
                ErrorCode::PolicyConflictingElements,
                format!("a statement may have `{name}` or `{not_name}`, not both"),
                &path.key(not_name),
                neg.unwrap_or(stmt),
            );
        }
        let (node, negated, elname) = match (pos, neg) {
            (Some(n), _) => (n, false, name),
            (None, Some(n)) => (n, true, not_name),
            (None, None) => {
                if is_resource {
                    match self.ty {
                        PolicyType::Trust => {}
                        PolicyType::Resource => self.warn(
                            ErrorCode::PolicyMissingElement,
                            "the statement has no `Resource`; most services require one (it then applies to the resource the policy is attached to)",
                            path,
                            stmt,
                        ),
                        _ => self.error(
                            ErrorCode::PolicyMissingElement,
                            format!("the statement has no `Resource` or `NotResource` ({} policies need one)", self.ty.as_str()),
                            path,
                            stmt,
                        ),
                    }
                } else {
                    self.error(
                        ErrorCode::PolicyMissingElement,
                        "the statement has no `Action` or `NotAction`",
                        path,
                        stmt,
                    );
                }
                return None;
            }
        };
        let p = path.key(elname);
        if is_resource && self.ty == PolicyType::Trust {
            self.error(
                ErrorCode::PolicyElementNotAllowed,
                format!("a trust policy may not have `{elname}` (the role is the resource)"),
                &p,
                node,
            );
        }
        let list = self.string_list(node, &p, elname)?;
        if list.items.is_empty() && !list.single {
            self.error(
                ErrorCode::PolicyMissingElement,
                format!("`{elname}` is an empty list"),
                &p,
                node,
            );
        }
        for (s, offset, index) in string_entries(node) {
            let ip = At { base: &p, index };
            self.check_whitespace(s, ip, offset);
            let t = s.trim();
            if is_resource {
                if let Some(problem) = check_resource_pattern(t) {
                    self.push(
                        ErrorCode::PolicyResource,
                        Severity::Error,
                        format!("the resource `{s}` {}", problem.0),
                        ip.to_string(),
                        offset,
                    );
                } else if let Some(why) = crate::arn::unknown_iam_resource_type(t) {
                    self.push(
                        ErrorCode::PolicyResource,
                        Severity::Warning,
                        format!("the resource `{s}` {why}"),
                        ip.to_string(),
                        offset,
                    );
                }
                self.check_variables(s, ip, offset);
            } else if let Some(problem) = check_action(t) {
                self.push(
                    ErrorCode::PolicyAction,
                    Severity::Error,
                    format!("the action `{s}` {problem}"),
                    ip.to_string(),
                    offset,
                );
            }
        }
        Some(ListElement {
            negated,
            values: list,
        })
    }

    fn check_variables(&mut self, s: &str, path: At<'_>, offset: usize) {
        if !crate::wildcard::holds_variable(s) {
            return;
        }
        if !self.variables {
            self.push(
                ErrorCode::PolicyVariable,
                Severity::Warning,
                format!("`{s}` holds a policy variable, but variables are substituted only with \"Version\": \"2012-10-17\"; here it is literal text"),
                path.to_string(),
                offset,
            );
            return;
        }
        let (_, issues) = Glob::compile(
            s,
            Syntax {
                wildcards: true,
                variables: true,
            },
        );
        for i in issues {
            self.push(
                ErrorCode::PolicyVariable,
                Severity::Warning,
                format!("`{s}`: {}", i.message),
                path.to_string(),
                offset,
            );
        }
    }

    /// `Principal` / `NotPrincipal`: which one is written, whether the policy type allows it, and
    /// its value.
    fn principal_element(
        &mut self,
        pos: Option<&Node>,
        neg: Option<&Node>,
        path: &JPath<'_>,
        stmt: &Node,
    ) -> Option<PrincipalElement> {
        if pos.is_some() && neg.is_some() {
            self.error(
                ErrorCode::PolicyConflictingElements,
                "a statement may have `Principal` or `NotPrincipal`, not both",
                &path.key("NotPrincipal"),
                neg.unwrap_or(stmt),
            );
        }
        let (node, negated, name) = match (pos, neg) {
            (Some(n), _) => (n, false, "Principal"),
            (None, Some(n)) => (n, true, "NotPrincipal"),
            (None, None) => {
                if self.ty.has_principal() {
                    self.error(
                        ErrorCode::PolicyMissingElement,
                        format!(
                            "the statement has no `Principal` ({} policies need one)",
                            self.ty.as_str()
                        ),
                        path,
                        stmt,
                    );
                }
                return None;
            }
        };
        let p = path.key(name);
        self.principal_allowed(node, negated, name, &p);
        let value = self.principal_value(node, name, &p);
        if self.ty == PolicyType::Rcp && value != PrincipalValue::Star {
            let only_star = matches!(&value, PrincipalValue::Map(e) if e.len() == 1 && e[0].0 == PrincipalKind::Aws && e[0].1.items == ["*"]);
            if !only_star {
                self.error(
                    ErrorCode::PolicyPrincipal,
                    "a resource control policy's `Principal` must be \"*\" (limit principals with conditions)",
                    &p,
                    node,
                );
            }
        }
        Some(PrincipalElement { negated, value })
    }

    /// Whether the policy type allows the element: identity-like policies have no principal,
    /// and neither RCPs nor role trust policies may have `NotPrincipal`.
    fn principal_allowed(&mut self, node: &Node, negated: bool, name: &str, p: &JPath<'_>) {
        if !self.ty.has_principal() {
            self.error(
                ErrorCode::PolicyElementNotAllowed,
                format!("{} policy may not have `{name}` (the principal is whoever the policy is attached to)", article(self.ty)),
                p,
                node,
            );
        }
        if self.ty == PolicyType::Rcp && negated {
            self.error(
                ErrorCode::PolicyElementNotAllowed,
                "a resource control policy may not have `NotPrincipal`",
                p,
                node,
            );
        }
        if self.ty == PolicyType::Trust && negated {
            // IAM User Guide, NotPrincipal: not usable in a role trust policy
            self.error(
                ErrorCode::PolicyElementNotAllowed,
                "a role trust policy may not have `NotPrincipal` (use `Principal`, or a Deny with an aws:PrincipalArn condition)",
                p,
                node,
            );
        }
    }

    /// The element's value: `"*"`, or an object of principal types to principals.
    fn principal_value(&mut self, node: &Node, name: &str, p: &JPath<'_>) -> PrincipalValue {
        match &node.value {
            Value::String(s) if s == "*" => PrincipalValue::Star,
            Value::String(s) => {
                self.error(
                    ErrorCode::PolicyPrincipal,
                    format!(
                        "`{name}` as a bare string may only be \"*\"; write {{\"AWS\": \"{s}\"}}"
                    ),
                    p,
                    node,
                );
                PrincipalValue::Map(Vec::new())
            }
            Value::Object(members) => {
                let members = self.members(members, p);
                if members.is_empty() {
                    self.error(
                        ErrorCode::PolicyPrincipal,
                        format!("`{name}` names no principal"),
                        p,
                        node,
                    );
                }
                let entries = members
                    .iter()
                    .filter_map(|m| self.principal_entry(m, name, p))
                    .collect();
                PrincipalValue::Map(entries)
            }
            other => {
                self.error(
                    ErrorCode::PolicyType,
                    format!(
                        "`{name}` must be \"*\" or an object, not {}",
                        other.type_name()
                    ),
                    p,
                    node,
                );
                PrincipalValue::Map(Vec::new())
            }
        }
    }

    /// One `"TYPE": principals` member: the type must be one IAM knows, and each principal must
    /// be well formed for it.
    fn principal_entry(
        &mut self,
        m: &Member<'_>,
        name: &str,
        p: &JPath<'_>,
    ) -> Option<(PrincipalKind, OneOrMany<String>)> {
        let mp = p.key(&m.key);
        let Some(kind) = PrincipalKind::parse(&m.key) else {
            self.error(
                ErrorCode::PolicyPrincipal,
                format!("`{}` is not a principal type (expected AWS, Service, Federated, CanonicalUser)", m.key),
                &mp,
                &m.value,
            );
            return None;
        };
        let list = self.string_list(&m.value, &mp, name)?;
        if list.items.is_empty() {
            self.error(
                ErrorCode::PolicyPrincipal,
                format!("`{name}.{}` is an empty list", m.key),
                &mp,
                &m.value,
            );
        }
        for (s, offset, index) in string_entries(&m.value) {
            let ip = At { base: &mp, index };
            self.check_whitespace(s, ip, offset);
            if let Some(problem) = check_principal(kind, s.trim()) {
                self.push(
                    ErrorCode::PolicyPrincipal,
                    Severity::Error,
                    format!("the {} principal `{s}` {problem}", kind.as_str()),
                    ip.to_string(),
                    offset,
                );
            }
        }
        Some((kind, list))
    }

    fn condition(&mut self, node: &Node, path: &JPath<'_>) -> Vec<ConditionBlock> {
        let Value::Object(members) = &node.value else {
            self.error(
                ErrorCode::PolicyType,
                format!(
                    "`Condition` must be an object, not {}",
                    node.value.type_name()
                ),
                path,
                node,
            );
            return Vec::new();
        };
        let members = self.members(members, path);
        let mut blocks = Vec::new();
        for m in members.iter() {
            let p = path.key(&m.key);
            let Some(op) = Operator::parse(&m.key) else {
                self.error(
                    ErrorCode::PolicyUnknownOperator,
                    format!("`{}` is not a condition operator", m.key),
                    &p,
                    &m.value,
                );
                continue;
            };
            let Value::Object(keys) = &m.value.value else {
                self.error(
                    ErrorCode::PolicyType,
                    format!(
                        "the `{}` block must be an object of condition keys, not {}",
                        m.key,
                        m.value.value.type_name()
                    ),
                    &p,
                    &m.value,
                );
                continue;
            };
            let keys = self.members(keys, &p);
            let mut entries = Vec::new();
            for k in keys.iter() {
                let kp = p.key(&k.key);
                if k.key.trim().is_empty() {
                    self.error(
                        ErrorCode::PolicyConditionValue,
                        "a condition key is empty",
                        &kp,
                        &k.value,
                    );
                }
                let values = self.condition_values(&k.value, &kp, op);
                entries.push((k.key.to_string(), values));
            }
            blocks.push(ConditionBlock {
                operator_name: m.key.to_string(),
                operator: op,
                entries,
            });
        }
        blocks
    }

    fn condition_values(
        &mut self,
        n: &Node,
        path: &JPath<'_>,
        op: Operator,
    ) -> OneOrMany<CondValue> {
        let mut out = OneOrMany {
            items: Vec::new(),
            single: true,
        };
        let scalars: Vec<(&Node, Option<usize>)> = match &n.value {
            Value::Array(items) => {
                out.single = false;
                items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| (it, Some(i)))
                    .collect()
            }
            _ => vec![(n, None)],
        };
        for (it, index) in scalars {
            let ip = At { base: path, index };
            let v = match &it.value {
                Value::String(s) => CondValue {
                    text: s.to_string(),
                    kind: CondValueKind::String,
                },
                Value::Number(s) => CondValue {
                    text: s.to_string(),
                    kind: CondValueKind::Number,
                },
                Value::Bool(b) => CondValue {
                    text: b.to_string(),
                    kind: CondValueKind::Bool,
                },
                other => {
                    self.error(
                        ErrorCode::PolicyType,
                        format!("a condition value must be a string, number or boolean (or a list of them), not {}", other.type_name()),
                        &ip,
                        it,
                    );
                    continue;
                }
            };
            self.check_condition_value(&v.text, op, ip, it);
            out.items.push(v);
        }
        out
    }

    fn check_condition_value(&mut self, v: &str, op: Operator, path: At<'_>, node: &Node) {
        let family = op.base.family();
        let ok = match family {
            Family::String | Family::Arn => {
                self.check_variables(v, path, node.offset);
                true
            }
            Family::Numeric => parse_number(v).is_some(),
            Family::Date => parse_date(v).is_some(),
            Family::Bool | Family::Null => parse_bool(v).is_some(),
            Family::Ip => parse_ip_net(v).is_some(),
            Family::Binary => parse_base64(v).is_some(),
        };
        if !ok {
            let expected = match family {
                Family::Numeric => "a number",
                Family::Date => "a date (ISO 8601, e.g. 2024-01-31T00:00:00Z, or epoch seconds)",
                Family::Bool | Family::Null => "`true` or `false`",
                Family::Ip => "an IP address or CIDR range",
                Family::Binary => "base64",
                Family::String | Family::Arn => "text",
            };
            self.error(
                ErrorCode::PolicyConditionValue,
                format!("`{}` needs {expected}, not `{v}`", op.canonical_name()),
                &path,
                node,
            );
        }
    }
}

/// The string entries of a value that may be a list, with their offsets and, in a list, their
/// indexes (what `Reader::string_list` keeps; other entries were reported there).
fn string_entries<'n>(n: &'n Node<'_>) -> impl Iterator<Item = (&'n str, usize, Option<usize>)> {
    let (one, list) = match &n.value {
        Value::String(s) => (Some((&**s, n.offset, None)), &[][..]),
        Value::Array(items) => (None, &items[..]),
        _ => (None, &[][..]),
    };
    one.into_iter().chain(
        list.iter()
            .enumerate()
            .filter_map(|(i, it)| match &it.value {
                Value::String(s) => Some((&**s, it.offset, Some(i))),
                _ => None,
            }),
    )
}

/// An object's members with the last value of each repeated key kept: the object's own members
/// when no key repeats (the common case, without allocating).
enum Members<'n, 't> {
    All(&'n [Member<'t>]),
    Kept(Vec<&'n Member<'t>>),
}

impl<'n, 't> Members<'n, 't> {
    fn iter(&self) -> impl Iterator<Item = &'n Member<'t>> + '_ {
        let (all, kept) = match self {
            Members::All(m) => (*m, &[][..]),
            Members::Kept(v) => (&[][..], &v[..]),
        };
        all.iter().chain(kept.iter().copied())
    }

    fn is_empty(&self) -> bool {
        match self {
            Members::All(m) => m.is_empty(),
            Members::Kept(v) => v.is_empty(),
        }
    }
}

/// Checks an action pattern; returns what is wrong with it.
pub fn check_action(a: &str) -> Option<String> {
    if a == "*" {
        return None;
    }
    if a.is_empty() {
        return Some("is empty; use `service:Action` or `*`".into());
    }
    // byte loops: actions are short, and a searcher costs more to set up than to run
    let b = a.as_bytes();
    let Some(colon) = b.iter().position(|&c| c == b':') else {
        return Some("must be prefixed by a service, as in `s3:GetObject`".into());
    };
    if b[colon + 1..].contains(&b':') {
        return Some("may contain only one colon".into());
    }
    let prefix = &a[..colon];
    if prefix.is_empty()
        || !prefix
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'*' | b'?'))
    {
        return Some(format!("has an invalid service prefix `{prefix}`"));
    }
    None
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn check_principal(kind: PrincipalKind, s: &str) -> Option<String> {
    match kind {
        PrincipalKind::Aws => {
            if s == "*" || is_account_id(s) {
                return None;
            }
            // unique ids that IAM shows for deleted principals (AIDA..., AROA...)
            if s.len() >= 16
                && s.starts_with('A')
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return None;
            }
            let Some(arn) = Arn::parse(s) else {
                return Some("must be \"*\", a 12-digit account id, or an IAM or STS ARN".into());
            };
            if !PARTITIONS.contains(&arn.partition) {
                return Some(format!("has unknown partition `{}`", arn.partition));
            }
            if arn.service != "iam" && arn.service != "sts" {
                return Some("must be an IAM or STS ARN".into());
            }
            if s.contains('*') || s.contains('?') {
                return Some("may not use wildcards (only \"*\" alone names everyone)".into());
            }
            None
        }
        PrincipalKind::Service => {
            if s != "*" && is_dns_name(s) {
                None
            } else {
                Some("must be a service principal name such as `ec2.amazonaws.com`".into())
            }
        }
        PrincipalKind::Federated => {
            if s == "*" || is_dns_name(s) || Arn::parse(s).is_some_and(|a| a.service == "iam") {
                None
            } else {
                Some("must be an identity provider ARN or a provider name such as `cognito-identity.amazonaws.com`".into())
            }
        }
        PrincipalKind::CanonicalUser => {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
                None
            } else {
                Some("must be a canonical user id".into())
            }
        }
    }
}

fn article(ty: PolicyType) -> String {
    let name = ty.as_str();
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, ty: PolicyType) -> Vec<&'static str> {
        parse_policy(text, ty)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn a_simple_policy_is_valid() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            PolicyType::Identity,
        );
        assert!(p.is_valid(), "{:?}", p.diagnostics);
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn errors_have_codes_and_locations() {
        let text = "{\"Version\":\"2012-10-17\",\n \"Statement\":[{\"Effect\":\"Allow\",\n  \"Action\":\"s3:*\", \"Resource\":\"*\",\n  \"Condition\":{\"NumericEquals\":{\"k\":\"abc\"}}}]}";
        let p = parse_policy(text, PolicyType::Identity);
        let d = p.first_error().unwrap();
        assert_eq!(d.code, ErrorCode::PolicyConditionValue);
        assert_eq!(
            d.location.json_path,
            "$.Statement[0].Condition.NumericEquals.k"
        );
        assert_eq!((d.location.line, d.location.column), (Some(4), Some(37)));
    }

    #[test]
    fn per_type_rules() {
        let with_principal = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#;
        assert_eq!(
            codes(with_principal, PolicyType::Identity),
            ["IAM_POLICY_ELEMENT_NOT_ALLOWED"]
        );
        assert!(codes(with_principal, PolicyType::Resource).is_empty());
        let no_principal = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
        assert_eq!(
            codes(no_principal, PolicyType::Resource),
            ["IAM_POLICY_MISSING_ELEMENT"]
        );
        let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}"#;
        assert_eq!(
            codes(trust, PolicyType::Trust),
            ["IAM_POLICY_ELEMENT_NOT_ALLOWED"]
        );
    }

    #[test]
    fn duplicate_keys_and_conflicts() {
        let t = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","NotAction":"x:y","Resource":"*"}}"#;
        let c = codes(t, PolicyType::Identity);
        assert!(c.contains(&"IAM_POLICY_DUPLICATE_KEY"));
        assert!(c.contains(&"IAM_POLICY_CONFLICTING_ELEMENTS"));
    }

    #[test]
    fn actions() {
        assert!(check_action("s3:GetObject").is_none());
        assert!(check_action("s3:*").is_none());
        assert!(check_action("invalid").is_some());
        assert!(check_action("s3:List:Bucket").is_some());
        assert!(check_action("a a:List").is_some());
        assert!(check_action("").is_some());
    }
}
