//! Amazon Resource Names: parsing, validation, and per-segment pattern matching as IAM does it.
//!
//! An ARN is `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; the resource part may itself hold
//! colons. In a pattern, `*` and `?` match within one segment, except that a `*` ending a segment
//! of a pattern with fewer than six segments may run past colon boundaries.

#[cfg(test)]
use crate::wildcard::{Glob, Syntax, VarIssue, VarResolver};

/// The partitions AWS defines.
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The resource types an IAM ARN may name: those the service catalog lists for `iam` (a test in
/// [`crate::catalog`] keeps this list a superset of the catalog's), plus `u2f` and `report`, which
/// older documents use. AWS adds types (`role-template` came in 2025), so a type not listed here is
/// a validation warning, never an error.
pub(crate) const IAM_RESOURCE_TYPES: [&str; 17] = [
    "access-report",
    "assumed-role",
    "delegation-request",
    "federated-user",
    "group",
    "instance-profile",
    "mfa",
    "oidc-provider",
    "policy",
    "report",
    "role",
    "role-template",
    "saml-provider",
    "server-certificate",
    "sms-mfa",
    "u2f",
    "user",
];

/// When `p` is an IAM ARN pattern whose resource names a type iamkit does not know, a sentence
/// saying so (a warning: AWS adds resource types every month).
pub(crate) fn unknown_iam_resource_type(p: &str) -> Option<String> {
    let parts = split_pattern(p);
    if parts.len() != 6 || parts[2] != "iam" {
        return None;
    }
    let res = parts[5];
    if res == "root" || res.starts_with(['*', '?', '$']) {
        return None;
    }
    let ty = res.split(['/', ':']).next().unwrap_or(res);
    if IAM_RESOURCE_TYPES.contains(&ty) || ty.contains(['*', '?', '$']) {
        return None;
    }
    Some(format!(
        "names the IAM resource type `{ty}`, which the service catalog does not list (known: {})",
        IAM_RESOURCE_TYPES.join(", ")
    ))
}

/// A parsed concrete ARN (borrowing the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, ...
    pub partition: &'a str,
    /// `s3`, `iam`, ...
    pub service: &'a str,
    /// Region, possibly empty.
    pub region: &'a str,
    /// Account id, possibly empty.
    pub account: &'a str,
    /// Everything after the fifth colon.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Parses `arn:partition:service:region:account:resource` (six parts, the last may hold
    /// colons). Returns `None` when the text has fewer parts or does not start with `arn:`.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        if !text.starts_with("arn:") {
            return None;
        }
        // the next four colons, by a plain byte loop (ARNs are short; `splitn` costs more here)
        let mut cuts = [3usize; 5];
        let mut n = 1;
        for (i, &b) in text.as_bytes().iter().enumerate().skip(4) {
            if b == b':' {
                cuts[n] = i;
                n += 1;
                if n == 5 {
                    break;
                }
            }
        }
        if n < 5 {
            return None;
        }
        let partition = &text[cuts[0] + 1..cuts[1]];
        let service = &text[cuts[1] + 1..cuts[2]];
        let region = &text[cuts[2] + 1..cuts[3]];
        let account = &text[cuts[3] + 1..cuts[4]];
        let resource = &text[cuts[4] + 1..];
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

/// Why a resource pattern is not a valid ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnProblem(pub String);

/// Checks a resource pattern from a policy (`*`, or an ARN possibly with wildcards and
/// variables). Returns a description of the problem, if any.
pub fn check_resource_pattern(p: &str) -> Option<ArnProblem> {
    if p == "*" {
        return None;
    }
    let parts = split_pattern(p);
    let Some(&first) = parts.first() else {
        return Some(ArnProblem("is empty".into()));
    };
    if first != "arn" {
        if p.is_empty() {
            return Some(ArnProblem("is empty; use \"*\" or an ARN".into()));
        }
        return Some(ArnProblem(
            "must be \"*\" or an ARN (arn:partition:service:region:account:resource)".into(),
        ));
    }
    let ends_with_star = p.ends_with('*');
    if parts.len() < 6 && !ends_with_star {
        return Some(ArnProblem(format!(
            "has {} of the 6 ARN segments (arn:partition:service:region:account:resource)",
            parts.len()
        )));
    }
    let partition = parts.get(1).copied().unwrap_or("");
    if !is_wild(partition) && !PARTITIONS.contains(&partition) {
        return Some(ArnProblem(format!("has unknown partition `{partition}`")));
    }
    let service = parts.get(2).copied().unwrap_or("");
    if service.is_empty() {
        return Some(ArnProblem("has an empty service segment".into()));
    }
    if service.contains('*') || service.contains('?') {
        if parts.len() < 6 {
            // `arn:aws:*` style prefix patterns are accepted by IAM
            return None;
        }
        return Some(ArnProblem(
            "may not use wildcards in the service segment".into(),
        ));
    }
    let region = parts.get(3).copied().unwrap_or("");
    let account = parts.get(4).copied().unwrap_or("");
    if service == "iam" && !region.is_empty() && !is_wild(region) {
        return Some(ArnProblem("is an IAM ARN and may not name a region".into()));
    }
    if service == "s3" && !region.is_empty() && !is_wild(region) && account.is_empty() {
        return Some(ArnProblem(
            "is an S3 bucket or object ARN and may not name a region".into(),
        ));
    }
    None
}

fn is_wild(s: &str) -> bool {
    s.bytes().any(|c| c == b'*' || c == b'?') || crate::wildcard::holds_variable(s)
}

/// The parts of a pattern split at colons (at most six): a slice, kept without allocating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    parts: [&'a str; 6],
    len: usize,
}

impl<'a> std::ops::Deref for Parts<'a> {
    type Target = [&'a str];
    fn deref(&self) -> &[&'a str] {
        &self.parts[..self.len]
    }
}

/// Splits a pattern at colons into at most six parts, ignoring colons inside `${...}`.
pub(crate) fn split_pattern(p: &str) -> Parts<'_> {
    let mut parts = Parts {
        parts: [""; 6],
        len: 0,
    };
    let b = p.as_bytes();
    if memchr::memchr(b'$', b).is_none() {
        // no variable: every colon counts, up to the fifth (the rest is the last part); a byte
        // loop, as ARNs are short
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            if c == b':' {
                parts.parts[parts.len] = &p[start..i];
                parts.len += 1;
                start = i + 1;
                if parts.len == 5 {
                    break;
                }
            }
        }
        parts.parts[parts.len] = &p[start..];
        parts.len += 1;
        return parts;
    }
    let mut start = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            depth += 1;
            i += 2;
            continue;
        }
        if b[i] == b'}' && depth > 0 {
            depth -= 1;
        } else if b[i] == b':' && depth == 0 && parts.len < 5 {
            parts.parts[parts.len] = &p[start..i];
            parts.len += 1;
            start = i + 1;
        }
        i += 1;
    }
    parts.parts[parts.len] = &p[start..];
    parts.len += 1;
    parts
}

/// A compiled resource pattern: the rules of resource matching, one glob per segment. Evaluation
/// compiles the same rules with fast paths for the common shapes (`eval::patterns`), and is tested
/// against this.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// `*`: matches every resource.
    Any,
    /// Per-segment globs (up to six).
    Segments {
        /// One glob per segment.
        segs: Box<[Glob]>,
        /// Whether the last segment ends in `*` and may run past colons.
        open_end: bool,
    },
    /// A pattern that is not an ARN: matches only the identical text.
    Literal(Glob),
}

#[cfg(test)]
impl ArnPattern {
    /// Compiles a resource pattern.
    pub fn compile(p: &str, variables: bool) -> (ArnPattern, Vec<VarIssue>) {
        let syn = Syntax {
            wildcards: true,
            variables,
        };
        if p == "*" {
            return (ArnPattern::Any, Vec::new());
        }
        let parts = split_pattern(p);
        if parts.first() != Some(&"arn") {
            let (g, issues) = Glob::compile(p, syn);
            return (ArnPattern::Literal(g), issues);
        }
        let mut issues = Vec::new();
        let mut segs = Vec::with_capacity(parts.len());
        let mut offset = 0;
        for part in parts.iter() {
            let (g, is) = Glob::compile(part, syn);
            issues.extend(is.into_iter().map(|mut i| {
                i.offset += offset;
                i
            }));
            offset += part.len() + 1;
            segs.push(g);
        }
        let open_end = parts.len() < 6 && p.ends_with('*');
        (
            ArnPattern::Segments {
                segs: segs.into_boxed_slice(),
                open_end,
            },
            issues,
        )
    }

    /// Matches a concrete resource (an ARN or `*`), case-sensitively.
    pub fn matches(&self, resource: &str, vars: &dyn VarResolver) -> bool {
        match self {
            ArnPattern::Any => true,
            ArnPattern::Literal(g) => g.matches(resource, false, vars),
            ArnPattern::Segments { segs, open_end } => {
                let last = segs.len() - 1;
                let mut rest = resource;
                for (i, g) in segs.iter().enumerate() {
                    if i == last {
                        if *open_end || i == 5 {
                            return g.matches(rest, false, vars);
                        }
                        // fewer than six segments and no open end: the resource must end here
                        return !rest.contains(':') && g.matches(rest, false, vars);
                    }
                    let Some(colon) = rest.find(':') else {
                        return false;
                    };
                    if !g.matches(&rest[..colon], false, vars) {
                        return false;
                    }
                    rest = &rest[colon + 1..];
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::NoVars;

    fn m(p: &str, r: &str) -> bool {
        ArnPattern::compile(p, true).0.matches(r, &NoVars)
    }

    #[test]
    fn parse() {
        let a = Arn::parse("arn:aws:logs:us-east-1:123:log-group:x:*").unwrap();
        assert_eq!(a.service, "logs");
        assert_eq!(a.resource, "log-group:x:*");
        assert!(Arn::parse("arn:aws:s3").is_none());
    }

    #[test]
    fn matching() {
        assert!(m("*", "arn:aws:s3:::b"));
        assert!(m("arn:aws:s3:::b/*", "arn:aws:s3:::b/k/x"));
        assert!(!m("arn:aws:s3:::b/*", "arn:aws:s3:::b"));
        assert!(m("arn:aws:s3:::*", "arn:aws:s3:::b/k"));
        assert!(m(
            "arn:aws:ec2:*:111:instance/*",
            "arn:aws:ec2:us-east-1:111:instance/i-1"
        ));
        assert!(!m(
            "arn:aws:ec2:*:111:instance/*",
            "arn:aws:ec2:us-east-1:222:instance/i-1"
        ));
        // a `*` within the region segment does not swallow the account
        assert!(!m(
            "arn:aws:ec2:us-*:instance/i-1",
            "arn:aws:ec2:us-east-1:111:instance/i-1"
        ));
        assert!(m("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:111:instance/i-1"));
        assert!(m(
            "arn:aws:logs:*:*:log-group:x:*",
            "arn:aws:logs:us-east-1:1:log-group:x:log-stream:y"
        ));
        assert!(!m("arn:aws:iam::1:user/Alice", "arn:aws:iam::1:user/alice"));
        assert!(!m("arn:aws:s3:::b", "*"));
    }

    #[test]
    fn splitting() {
        for (p, want) in [
            ("arn:aws:s3:::b/k", &["arn", "aws", "s3", "", "", "b/k"][..]),
            (
                "arn:aws:logs:r:1:log-group:x:*",
                &["arn", "aws", "logs", "r", "1", "log-group:x:*"],
            ),
            (
                "arn:${aws:partition}:s3:::${a:b}/x:y",
                &["arn", "${aws:partition}", "s3", "", "", "${a:b}/x:y"],
            ),
            ("arn:aws", &["arn", "aws"]),
            ("", &[""]),
            ("a}:b${:c}", &["a}", "b${:c}"]),
        ] {
            assert_eq!(&*split_pattern(p), want, "{p}");
        }
    }

    #[test]
    fn validation() {
        assert!(check_resource_pattern("arn:aws:s3:::b").is_none());
        assert!(check_resource_pattern("s3").is_some());
        assert!(check_resource_pattern("arn:aws").is_some());
        assert!(check_resource_pattern("arn:error:s3:::b").is_some());
        assert!(check_resource_pattern("arn:aws:iam:us-east-1::user/x").is_some());
        assert!(check_resource_pattern("arn:aws:s3:us-east-1::b").is_some());
        assert!(check_resource_pattern("arn:aws:s3:us-west-2:1:accesspoint/a").is_none());
        assert!(check_resource_pattern("arn:${aws:partition}:s3:::b/${aws:username}").is_none());
        assert!(check_resource_pattern("arn:aws:s3::b").is_some());
    }
}
