use super::*;
use crate::eval::request::resource_policy_required;
use crate::eval::service_rules::rule_for;
use rustc_hash::FxHashMap;

const USER: &str = "arn:aws:iam::111122223333:user/alice";

fn set(identity: &[&str]) -> PolicySet {
    let mut s = PolicySet::new();
    for st in identity {
        s.add_identity(&format!(r#"{{"Version":"2012-10-17","Statement":[{st}]}}"#))
            .unwrap();
    }
    s
}

fn req(action: &str, resource: &str) -> Request {
    Request::builder(USER, action, resource).build().unwrap()
}

#[test]
fn a_pattern_is_allowed_when_some_resource_it_covers_is() {
    let s = set(&[
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*"}"#,
        r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/secret/*"}"#,
    ]);
    for (resource, allowed) in [
        ("*", true),
        ("arn:aws:s3:::logs/*", true),
        ("arn:aws:s3:::logs/secret/*", false),
        ("arn:aws:s3:::logs/secret/a?", false),
        ("arn:aws:s3:::logs/secre*", true),
        ("arn:aws:s3:::other/*", false),
        ("arn:aws:s3:::*/x", true),
        ("arn:aws:s3:*", true),
    ] {
        let r = req("s3:GetObject", resource);
        assert!(r.resource_is_pattern(), "{resource}");
        let found = search(&s, &r, true);
        assert_eq!(found.decision == Decision::Allowed, allowed, "{resource}");
        let w = found.witness.expect(resource);
        assert!(ResourcePattern::compile(resource, false).matches(&w.resource, &NoVars));
        assert_eq!(
            s.decide(&w) == Decision::Allowed,
            allowed,
            "{resource}: {}",
            w.resource
        );
    }
    // the covered resources that are allowed all sit in logs/ outside logs/secret/
    let w = search(&s, &req("s3:GetObject", "arn:aws:s3:::logs/secre*"), true)
        .witness
        .unwrap();
    assert!(!w.resource.starts_with("arn:aws:s3:::logs/secret/"));
    // denied: the example is the one explicitly denied (it got furthest)
    let found = search(&s, &req("s3:GetObject", "arn:aws:s3:::logs/secret/*"), true);
    assert_eq!(found.decision, Decision::ExplicitDeny);
}

#[test]
fn a_literal_star_stays_literal_where_aws_asks_for_it() {
    // an action with no resource type, and one the catalog does not list
    for action in ["s3:ListAllMyBuckets", "iamkitnone:DoThing"] {
        let r = req(action, "*");
        assert!(!r.resource_is_pattern(), "{action}");
    }
    #[cfg(feature = "embedded-catalog")]
    assert!(req("s3:GetObject", "*").resource_is_pattern());
    let probe = Request::builder(USER, "s3:GetObject", "*")
        .literal_resource()
        .build()
        .unwrap();
    assert!(!probe.resource_is_pattern());
    // a pattern must be an ARN pattern
    assert!(Request::builder(USER, "s3:GetObject", "logs/*")
        .build()
        .is_err());
}

#[test]
fn witnesses_stay_in_the_resource_account() {
    let s = set(&[
        r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:999999999999:*"}"#,
    ]);
    // the principal's account: the grant names another account's queues
    assert_eq!(
        s.decide(&req("sqs:SendMessage", "*")),
        Decision::ImplicitDeny
    );
    // the pattern's own account: cross-account, so the queue's policy must allow (none given)
    let r = req("sqs:SendMessage", "arn:aws:sqs:us-east-1:999999999999:*");
    assert_eq!(r.resource_account.as_deref(), Some("999999999999"));
    assert_ne!(s.decide(&r), Decision::Allowed);
    let own = set(&[
        r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:111122223333:q*"}"#,
    ]);
    let found = search(&own, &req("sqs:SendMessage", "*"), true);
    assert_eq!(found.decision, Decision::Allowed);
    let w = found.witness.unwrap().resource;
    assert!(
        w.starts_with("arn:aws:sqs:") && w.contains(":111122223333:q"),
        "{w}"
    );
}

#[test]
fn service_rules_and_trust_apply_to_the_resources_covered() {
    let admin = set(&[r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#]);
    // every covered policy is an AWS managed one: no account changes it
    let r = req("iam:DeletePolicy", "arn:aws:iam::aws:policy/*");
    assert_eq!(admin.decide(&r), Decision::ExplicitDeny);
    // an own policy is covered too
    let r = req("iam:DeletePolicy", "arn:aws:iam::*:policy/*");
    assert_eq!(admin.decide(&r), Decision::Allowed);
    // every service-linked role is protected; some other role is not
    let r = req(
        "iam:DeleteRole",
        "arn:aws:iam::111122223333:role/aws-service-role/*",
    );
    assert_eq!(admin.decide(&r), Decision::ExplicitDeny);
    let r = req("iam:DeleteRole", "arn:aws:iam::111122223333:role/*");
    assert_eq!(admin.decide(&r), Decision::Allowed);
    // assuming a role needs its trust policy: none is given for any role covered
    let r = req("sts:AssumeRole", "arn:aws:iam::111122223333:role/*");
    assert_eq!(admin.decide(&r), Decision::ImplicitDeny);
}

/// The shapes the search tells resources apart by decide everything the service rules and the
/// resource-policy rules read from a resource.
#[test]
fn the_resource_shapes_decide_the_rules() {
    let shapes: Vec<Language> = RESOURCE_SHAPES
        .iter()
        .map(|p| ResourcePattern::compile(p, false).language(&NoVars))
        .collect();
    let mut arns = Vec::new();
    for partition in ["aws", "aws-cn"] {
        for service in ["iam", "kms", "s3", "sts"] {
            for account in ["", "aws", "111122223333"] {
                for rest in [
                    "policy/p",
                    "policy/",
                    "role/r",
                    "role/aws-service-role/x",
                    "role/aws-reserved/sso.amazonaws.com/x",
                    "role/path/aws-service-role/x",
                    "key/k",
                    "alias/aws/s3",
                    "alias/mine",
                    "user/u",
                    "policy:x",
                ] {
                    arns.push(format!(
                        "arn:{partition}:{service}:us-east-1:{account}:{rest}"
                    ));
                    arns.push(format!("arn:{partition}:{service}::{account}:{rest}"));
                }
            }
        }
    }
    let actions = [
        "iam:DeletePolicy",
        "iam:DeleteRole",
        "iam:PutRolePolicy",
        "kms:DeleteAlias",
        "kms:Decrypt",
        "sts:AssumeRole",
        "iam:GetPolicy",
    ];
    let mut by_class: FxHashMap<Vec<bool>, Vec<String>> = FxHashMap::default();
    for arn in &arns {
        let class = shapes.iter().map(|l| l.matches(arn)).collect();
        by_class.entry(class).or_default().push(arn.clone());
    }
    for members in by_class.values() {
        let first = req("s3:GetObject", &members[0]);
        for m in members {
            for action in actions {
                let a = Request {
                    action: action.into(),
                    ..first.at_resource(&members[0])
                };
                let b = Request {
                    action: action.into(),
                    ..first.at_resource(m)
                };
                assert_eq!(
                    rule_for(&a),
                    rule_for(&b),
                    "{action} on {} and {m}",
                    members[0]
                );
                let flags = |r: &Request| {
                    resource_policy_required(action, crate::arn::Arn::parse(&r.resource).as_ref())
                };
                assert_eq!(flags(&a), flags(&b), "{action} on {} and {m}", members[0]);
                assert_eq!(
                    crate::eval::service_rules::aws_managed_policy(&a.resource),
                    crate::eval::service_rules::aws_managed_policy(&b.resource)
                );
            }
        }
    }
}

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn word(&mut self, alphabet: &[&str], max: usize) -> String {
        let n = (self.next() % (max as u64 + 1)) as usize;
        (0..n).map(|_| self.pick(alphabet)).collect()
    }
}

/// Against brute force: random identity policies, boundaries and denies over a small alphabet;
/// when the search says denied, no resource of a finite universe the pattern covers is allowed,
/// and when it says allowed, its witness is.
#[test]
fn the_search_agrees_with_every_resource_of_a_universe() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut universe = Vec::new();
    let keys = {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w| ["a", "b", "/"].map(|c| format!("{w}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    };
    // every object (s3:GetObject acts on objects: a bucket, then a key, neither empty)
    for k in keys
        .iter()
        .filter(|k| k.find('/').is_some_and(|i| i > 0 && i + 1 < k.len()))
    {
        universe.push(format!("arn:aws:s3:::{k}"));
        universe.push(format!("arn:aws:s3:::{k}:x"));
    }
    let piece = ["a", "b", "/", "*", "?", "a/", "b*"];
    let (mut allowed, mut denied) = (0, 0);
    for _ in 0..300 {
        let mut stmts = Vec::new();
        let mut boundary = Vec::new();
        for _ in 0..(1 + rng.next() % 3) {
            let effect = if rng.next() % 3 == 0 { "Deny" } else { "Allow" };
            let element = if rng.next() % 5 == 0 {
                "NotResource"
            } else {
                "Resource"
            };
            let p = format!("arn:aws:s3:::{}", rng.word(&piece, 3));
            stmts.push(format!(
                r#"{{"Effect":"{effect}","Action":"s3:GetObject","{element}":"{p}"}}"#
            ));
        }
        if rng.next() % 3 == 0 {
            let p = format!("arn:aws:s3:::{}", rng.word(&piece, 3));
            boundary.push(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"{p}"}}]}}"#
            ));
        }
        let mut s = set(&stmts.iter().map(String::as_str).collect::<Vec<_>>());
        for b in &boundary {
            s.add_boundary(b).unwrap();
        }
        let pattern = format!("arn:aws:s3:::{}*", rng.word(&piece, 2));
        let r = req("s3:GetObject", &pattern);
        let found = search(&s, &r, true);
        assert!(!found.undecided);
        let covered = ResourcePattern::compile(&pattern, false);
        if found.decision == Decision::Allowed {
            allowed += 1;
            let w = found.witness.unwrap();
            assert!(covered.matches(&w.resource, &NoVars));
            assert_eq!(s.decide(&w), Decision::Allowed);
        } else {
            denied += 1;
            for u in universe.iter().filter(|u| covered.matches(u, &NoVars)) {
                assert_ne!(
                    s.decide(&r.at_resource(u)),
                    Decision::Allowed,
                    "{pattern} denied, yet {u} is allowed by {stmts:?} {boundary:?}"
                );
            }
        }
    }
    assert!(
        allowed > 30 && denied > 30,
        "{allowed} allowed, {denied} denied"
    );
}

/// Hostile policies: many overlapping patterns make the product large; the search stops at its
/// bound and denies, saying it is undecided, after a bounded number of decisions.
#[test]
fn a_hostile_policy_is_undecided_within_the_bound() {
    let mut stmts = Vec::new();
    for i in 0..60 {
        let p = format!("arn:aws:s3:::*{}?*", "a?".repeat(i % 7 + 1));
        stmts.push(format!(
            r#"{{"Effect":"{}","Action":"s3:GetObject","Resource":"{p}{i}"}}"#,
            if i % 2 == 0 { "Deny" } else { "Allow" }
        ));
    }
    // one allowed resource exists only past everything the denies cover: an Allow the denies
    // always cover
    let s = set(&stmts.iter().map(String::as_str).collect::<Vec<_>>());
    let r = req("s3:GetObject", "*");
    let found = search_within(&s, &r, true, 2_000_000);
    if found.decision != Decision::Allowed {
        assert!(found.undecided || found.witness.is_some());
    } else {
        assert_eq!(s.decide(&found.witness.unwrap()), Decision::Allowed);
    }
    let found = search_within(&s, &r, true, 10);
    assert!(found.undecided);
    assert_eq!(found.decision, Decision::ImplicitDeny);
}
