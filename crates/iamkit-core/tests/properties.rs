//! Property tests: the parser never panics, parse → serialize → parse is the identity, an added
//! Deny never turns a denial into an allow, no policy at all allows nothing but the root user, and
//! the linear-time wildcard matcher agrees with a naive reference.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use iamkit_core::internals::{Glob, NoVars};
use iamkit_core::policy::parse_policy;
use iamkit_core::{Decision, PolicySet, PolicyType, Request};
use proptest::prelude::*;
use serde_json::{json, Value};

fn any_policy_type() -> impl Strategy<Value = PolicyType> {
    prop::sample::select(PolicyType::ALL.to_vec())
}

/// JSON built from policy words, so the fuzzing reaches deep into the validator.
fn policy_like_json() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "Version",
        "2012-10-17",
        "2008-10-17",
        "Statement",
        "Effect",
        "Allow",
        "Deny",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Sid",
        "AWS",
        "Service",
        "StringEquals",
        "ForAnyValue:StringLike",
        "NumericLessThan",
        "Null",
        "IpAddress",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "ArnLike",
        "*",
        "s3:*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::${aws:username}",
        "${",
        "aws:SourceIp",
        "10.0.0.0/8",
        "true",
        "1",
        "x",
        "",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        words.clone().prop_map(|w| Value::String(w.to_string())),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((words.clone(), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn statement(effect: &'static str, with_principal: bool) -> impl Strategy<Value = Value> {
    let action = prop::sample::select(vec![
        "s3:GetObject",
        "s3:*",
        "s3:Get*",
        "*",
        "ec2:Describe*",
        "iam:PassRole",
        "s3:?etObject",
    ]);
    let resource = prop::sample::select(vec![
        "*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b",
        "arn:aws:s3:::*",
        "arn:aws:ec2:*:111122223333:instance/*",
        "arn:aws:s3:::b/${aws:username}/*",
    ]);
    let condition = prop::sample::select(vec![
        json!(null),
        json!({"StringEquals": {"aws:username": "alice"}}),
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
        json!({"ForAnyValue:StringLike": {"aws:TagKeys": "team*"}}),
        json!({"NumericLessThan": {"s3:max-keys": "5"}}),
        json!({"StringNotEqualsIfExists": {"aws:PrincipalTag/team": "red"}}),
        json!({"Null": {"aws:TokenIssueTime": "true"}}),
    ]);
    let principal = prop::sample::select(vec![
        json!("*"),
        json!({"AWS": "111122223333"}),
        json!({"AWS": "arn:aws:iam::111122223333:user/alice"}),
        json!({"AWS": "arn:aws:iam::111122223333:role/Dev"}),
        json!({"Service": "ec2.amazonaws.com"}),
        json!({"AWS": "444455556666"}),
    ]);
    (
        prop::collection::vec(action, 1..3),
        any::<bool>(),
        prop::collection::vec(resource, 1..3),
        any::<bool>(),
        condition,
        principal,
    )
        .prop_map(move |(a, not_a, r, not_r, c, p)| {
            let mut s = serde_json::Map::new();
            s.insert("Effect".into(), json!(effect));
            if with_principal {
                s.insert("Principal".into(), p);
            }
            s.insert(if not_a { "NotAction" } else { "Action" }.into(), json!(a));
            s.insert(
                if not_r { "NotResource" } else { "Resource" }.into(),
                json!(r),
            );
            if !c.is_null() {
                s.insert("Condition".into(), c);
            }
            Value::Object(s)
        })
}

fn policy(with_principal: bool) -> impl Strategy<Value = Value> {
    let st = prop_oneof![
        statement("Allow", with_principal),
        statement("Deny", with_principal)
    ];
    prop::collection::vec(st, 0..4)
        .prop_map(|sts| json!({"Version": "2012-10-17", "Statement": sts}))
}

fn request() -> impl Strategy<Value = Request> {
    let principal = prop::sample::select(vec![
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/bob",
        "arn:aws:iam::444455556666:user/eve",
        "arn:aws:iam::111122223333:root",
        "arn:aws:sts::111122223333:assumed-role/Dev/s",
        "arn:aws:sts::111122223333:federated-user/fed",
        "ec2.amazonaws.com",
        "anonymous",
    ]);
    let action = prop::sample::select(vec![
        "s3:GetObject",
        "ec2:DescribeInstances",
        "ec2:TerminateInstances",
        "iam:PassRole",
    ]);
    let resource = prop::sample::select(vec![
        "arn:aws:s3:::b/k",
        "arn:aws:s3:::b/alice/k",
        "arn:aws:s3:::b",
        "*",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    ]);
    (
        principal,
        action,
        resource,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(p, a, r, tls, ip, tags)| {
            // AWS authorizes an action with no resource type on `*` alone
            let r = if a == "ec2:DescribeInstances" { "*" } else { r };
            let mut b = Request::builder(p, a, r);
            if tls {
                b = b.context("aws:SecureTransport", "true");
            }
            if ip {
                b = b.context("aws:SourceIp", "10.1.2.3");
            }
            if tags {
                b = b.context_list("aws:TagKeys", ["team", "env"]);
            }
            b.build().unwrap()
        })
}

fn compile(identity: &[Value], resource: Option<&Value>, boundary: Option<&Value>) -> PolicySet {
    let mut set = PolicySet::new();
    for p in identity {
        set.add_identity(&p.to_string()).unwrap();
    }
    if let Some(r) = resource {
        set.set_resource(&r.to_string()).unwrap();
    }
    if let Some(b) = boundary {
        set.add_boundary(&b.to_string()).unwrap();
    }
    set
}

/// A naive (exponential) wildcard matcher: the reference.
fn reference_match(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => (0..=t.len()).any(|i| reference_match(&p[1..], &t[i..])),
        Some('?') => !t.is_empty() && reference_match(&p[1..], &t[1..]),
        Some(c) => t.first() == Some(c) && reference_match(&p[1..], &t[1..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_text(text in ".{0,200}", ty in any_policy_type()) {
        let _ = parse_policy(&text, ty);
    }

    #[test]
    fn parser_never_panics_on_policy_like_json(v in policy_like_json(), ty in any_policy_type()) {
        let text = v.to_string();
        let parsed = parse_policy(&text, ty);
        if let Some(p) = parsed.policy {
            let _ = p.to_json_string();
        }
    }

    #[test]
    fn round_trip(p in policy(false)) {
        let first = parse_policy(&p.to_string(), PolicyType::Identity).policy.unwrap();
        let again = parse_policy(&first.to_json_string(), PolicyType::Identity).policy.unwrap();
        prop_assert_eq!(first, again);
    }

    #[test]
    fn an_added_deny_never_allows(
        identity in prop::collection::vec(policy(false), 0..3),
        resource in prop::option::of(policy(true)),
        boundary in prop::option::of(policy(false)),
        deny in statement("Deny", false),
        req in request(),
    ) {
        let before = compile(&identity, resource.as_ref(), boundary.as_ref()).decide(&req);
        let mut more = identity.clone();
        more.push(json!({"Version": "2012-10-17", "Statement": [deny]}));
        let after = compile(&more, resource.as_ref(), boundary.as_ref()).decide(&req);
        if before != Decision::Allowed {
            prop_assert_ne!(after, Decision::Allowed);
        }
        // and the explaining path agrees with the fast path
        let set = compile(&more, resource.as_ref(), boundary.as_ref());
        prop_assert_eq!(set.evaluate(&req).decision, after);
    }

    #[test]
    fn no_policy_allows_nothing_but_root(req in request()) {
        let d = PolicySet::new().decide(&req);
        let root_at_home = req.principal.text.ends_with(":root") && req.same_account();
        prop_assert_eq!(d == Decision::Allowed, root_at_home);
    }

    #[test]
    fn wildcard_agrees_with_reference(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
        let want = reference_match(&p.chars().collect::<Vec<_>>(), &t.chars().collect::<Vec<_>>());
        prop_assert_eq!(Glob::wildcard(&p).matches(&t, false, &NoVars), want, "pattern {} text {}", p, t);
    }
}
