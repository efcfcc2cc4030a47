//! Differential: random valid identity policies and requests. `decide` must equal
//! `evaluate(..).decision`, and both must equal a statement-by-statement reference evaluator
//! written here from the IAM documentation (explicit deny wins, then any allow, else implicit
//! deny; `*`/`?` globs, actions case-insensitive; a condition on a missing key does not hold).
//! In particular iamkit must never allow what the reference denies.
#![no_main]
use arbitrary::Arbitrary;
use iamkit_core::{Decision, PolicySet, Request};
use libfuzzer_sys::fuzz_target;

const ACTIONS: [&str; 9] = [
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "*",
    "s3:?etObject",
    "S3:getobject",
    "s3:PutObject",
    "ec2:*",
    "s3:*Object",
];
const RESOURCES: [&str; 8] = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::*",
    "arn:aws:s3:::b/k?",
    "arn:aws:s3:::c/*",
    "arn:aws:s3:::b/*k*",
    "arn:aws:s3:::b?/k",
];
const REQ_ACTIONS: [&str; 4] = ["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "s3:getobject"];
const REQ_RESOURCES: [&str; 5] = [
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::b/k2",
    "arn:aws:s3:::c/x",
    "arn:aws:s3:::bb/k",
    "arn:aws:s3:::b/",
];
const TAGS: [&str; 3] = ["red", "blue", "Red"];

#[derive(Debug, Arbitrary)]
enum Cond {
    None,
    /// `Bool aws:SecureTransport` = value.
    Secure(bool),
    /// `StringEquals example:tag` = TAGS[i].
    TagEquals(u8),
    /// `StringNotEquals example:tag` = TAGS[i].
    TagNotEquals(u8),
    /// `StringLike example:tag` = `r*`.
    TagLikeR,
}

#[derive(Debug, Arbitrary)]
struct Stmt {
    deny: bool,
    not_action: bool,
    actions: Vec<u8>,
    not_resource: bool,
    resources: Vec<u8>,
    cond: Cond,
}

#[derive(Debug, Arbitrary)]
struct Case {
    statements: Vec<Stmt>,
    action: u8,
    resource: u8,
    secure: Option<bool>,
    tag: Option<u8>,
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

/// `*` any run, `?` one character; `fold` compares ASCII case-insensitively.
fn glob(p: &[u8], t: &[u8], fold: bool) -> bool {
    let eq = |a: u8, b: u8| if fold { a.eq_ignore_ascii_case(&b) } else { a == b };
    match p.split_first() {
        None => t.is_empty(),
        Some((b'*', rest)) => (0..=t.len()).any(|i| glob(rest, &t[i..], fold)),
        Some((b'?', rest)) => !t.is_empty() && glob(rest, &t[1..], fold),
        Some((&c, rest)) => t.first().is_some_and(|&x| eq(c, x)) && glob(rest, &t[1..], fold),
    }
}

fn cond_json(c: &Cond) -> Option<serde_json::Value> {
    Some(match c {
        Cond::None => return None,
        Cond::Secure(v) => serde_json::json!({"Bool": {"aws:SecureTransport": v.to_string()}}),
        Cond::TagEquals(i) => serde_json::json!({"StringEquals": {"example:tag": pick(&TAGS, *i)}}),
        Cond::TagNotEquals(i) => {
            serde_json::json!({"StringNotEquals": {"example:tag": pick(&TAGS, *i)}})
        }
        Cond::TagLikeR => serde_json::json!({"StringLike": {"example:tag": "r*"}}),
    })
}

fn cond_holds(c: &Cond, case: &Case) -> bool {
    let tag = case.tag.map(|i| pick(&TAGS, i));
    match c {
        Cond::None => true,
        Cond::Secure(v) => case.secure == Some(*v),
        Cond::TagEquals(i) => tag == Some(pick(&TAGS, *i)),
        // a negated operator on a missing key holds
        Cond::TagNotEquals(i) => tag != Some(pick(&TAGS, *i)),
        Cond::TagLikeR => tag.is_some_and(|t| glob(b"r*", t.as_bytes(), false)),
    }
}

fuzz_target!(|case: Case| {
    if case.statements.is_empty() || case.statements.len() > 6 {
        return;
    }
    let action = pick(&REQ_ACTIONS, case.action);
    let resource = pick(&REQ_RESOURCES, case.resource);
    let mut statements = Vec::new();
    let (mut deny, mut allow) = (false, false);
    for s in &case.statements {
        if s.actions.is_empty() || s.resources.is_empty() {
            return;
        }
        let acts: Vec<&str> = s.actions.iter().take(3).map(|&i| pick(&ACTIONS, i)).collect();
        let ress: Vec<&str> = s.resources.iter().take(3).map(|&i| pick(&RESOURCES, i)).collect();
        let mut st = serde_json::json!({"Effect": if s.deny { "Deny" } else { "Allow" }});
        st[if s.not_action { "NotAction" } else { "Action" }] = serde_json::json!(acts);
        st[if s.not_resource { "NotResource" } else { "Resource" }] = serde_json::json!(ress);
        if let Some(c) = cond_json(&s.cond) {
            st["Condition"] = c;
        }
        statements.push(st);
        let a_hit = acts.iter().any(|p| glob(p.as_bytes(), action.as_bytes(), true));
        let r_hit = ress.iter().any(|p| glob(p.as_bytes(), resource.as_bytes(), false));
        if a_hit != s.not_action && r_hit != s.not_resource && cond_holds(&s.cond, &case) {
            if s.deny {
                deny = true;
            } else {
                allow = true;
            }
        }
    }
    let expected = if deny {
        Decision::ExplicitDeny
    } else if allow {
        Decision::Allowed
    } else {
        Decision::ImplicitDeny
    };
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    let mut set = PolicySet::new();
    set.add_identity(&policy).expect("generated policies are valid");
    let mut b = Request::builder("arn:aws:iam::111122223333:user/alice", action, resource);
    if let Some(v) = case.secure {
        b = b.context("aws:SecureTransport", v.to_string());
    }
    if let Some(t) = case.tag {
        b = b.context("example:tag", pick(&TAGS, t));
    }
    let req = b.build().expect("generated requests are valid");
    let decided = set.decide(&req);
    let evaluated = set.evaluate(&req).decision;
    assert_eq!(decided, evaluated, "decide and evaluate differ on {policy} / {action} {resource}");
    assert_eq!(
        decided, expected,
        "iamkit and the reference differ on {policy} / {action} {resource} {:?} {:?}",
        case.secure, case.tag
    );
});
