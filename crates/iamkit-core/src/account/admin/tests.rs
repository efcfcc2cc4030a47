#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Administrator detection: the same answers as deciding every probe, and linear work on the
//! adversarial families (counted in statement matches).

use super::*;
use crate::eval::compile_text;
use crate::policy::PolicyType;

const ACCOUNT: &str = "123456789012";
const ALICE: &str = "arn:aws:iam::123456789012:user/alice";
const ROLE: &str = "arn:aws:sts::123456789012:assumed-role/ops/ops";

fn doc(statements: &[String]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// A policy set from identity documents and boundary documents; `None` when one is refused.
fn set_of(identity: &[String], boundaries: &[String]) -> Option<PolicySet> {
    let mut set = PolicySet::new();
    for d in identity {
        set.identity
            .push(compile_text(d, PolicyType::Identity, "$").ok()?);
    }
    for d in boundaries {
        set.boundaries
            .push(compile_text(d, PolicyType::Identity, "$").ok()?);
    }
    Some(set)
}

fn context() -> Vec<(String, ContextValue)> {
    vec![("aws:username".into(), ContextValue::from_text("alice"))]
}

fn context_of(arn: &str) -> Vec<(String, ContextValue)> {
    if arn == ALICE {
        context()
    } else {
        Vec::new()
    }
}

/// The answer and the steps it took.
fn fast(set: &PolicySet, arn: &str) -> (bool, u64) {
    let mut steps = 0;
    let answer = allows_everything(
        set,
        arn,
        Some(ACCOUNT),
        &context_of(arn),
        &mut ProbeCache::default(),
        &mut steps,
    );
    (answer, steps)
}

/// The answer and the steps, and the answer of deciding every probe.
fn both(set: &PolicySet, arn: &str) -> (bool, u64, bool) {
    let (answer, steps) = fast(set, arn);
    let slow = match probes(set, &mut ProbeCache::default(), &mut 0) {
        Some(p) => {
            let a: Vec<&str> = p.actions.iter().map(|a| &**a).collect();
            let r: Vec<&str> = p.resources.iter().map(|r| &*r.name).collect();
            by_probes(set, arn, Some(ACCOUNT), &context_of(arn), &a, &r, &mut 0)
        }
        None => false,
    };
    (answer, steps, slow)
}

/// `Allow *` on `*`, and `n` Deny statements whose condition never holds, each naming its own
/// action and resource.
fn conditional_denies(n: usize) -> PolicySet {
    let mut st = vec![r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.to_string()];
    for i in 0..n {
        st.push(format!(
            r#"{{"Effect":"Deny","Action":"s3:GetObject{i}","Resource":"arn:aws:s3:::bucket{i}/*","Condition":{{"StringEquals":{{"aws:username":"nobody{i}"}}}}}}"#
        ));
    }
    set_of(&[doc(&st)], &[]).unwrap()
}

#[test]
fn conditional_denies_are_linear() {
    let (answer, _, slow) = both(&conditional_denies(20), ALICE);
    assert!(answer && slow);
    let (small_ok, small) = fast(&conditional_denies(100), ALICE);
    let (large_ok, large) = fast(&conditional_denies(800), ALICE);
    assert!(small_ok && large_ok);
    // 8× the statements: at most ~8× the work (by probes it was 8³ = 512×)
    eprintln!("steps: {small} for 100, {large} for 800");
    assert!(large <= 9 * small, "{small} steps for 100, {large} for 800");
    assert!(large <= 8 * 801, "{large} steps for 801 statements");
}

#[test]
fn a_deny_that_holds_ends_it_early() {
    let mut set = conditional_denies(800);
    let deny = doc(&[
        r#"{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice"}}}"#
            .to_string(),
    ]);
    set.identity
        .push(compile_text(&deny, PolicyType::Identity, "$").unwrap());
    let (answer, steps) = fast(&set, ALICE);
    assert!(!answer);
    assert!(steps <= 8 * 802, "{steps}");
}

/// Allow statements that each grant one service on every resource: the probe service is granted
/// by none of them, so the answer is no after one pass.
#[test]
fn many_allows_are_linear() {
    let family = |n: usize| {
        let st: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"Effect":"Allow","Action":"svc{i}:*","NotResource":"arn:aws:s3:::b{i}/*"}}"#
                )
            })
            .collect();
        set_of(&[doc(&st)], &[]).unwrap()
    };
    let (small_ok, small, slow) = both(&family(50), ALICE);
    assert_eq!(small_ok, slow);
    let (_, large) = fast(&family(400), ALICE);
    eprintln!("steps: {small} for 50, {large} for 400");
    assert!(large <= 9 * small, "{small} steps for 50, {large} for 400");
}

/// A tiny deterministic generator (no dependency for one test).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next(xs.len())]
    }
}

fn statement(g: &mut Lcg) -> String {
    const ACTIONS: &[&str] = &[
        r#""*""#,
        r#""s3:*""#,
        r#""s3:GetObject""#,
        r#"["s3:Get*","iam:*"]"#,
        r#""iam:PassRole""#,
        r#""sts:AssumeRole""#,
        r#""kms:Decrypt""#,
        r#""ec2:?un*""#,
        r#"["*","s3:Put*"]"#,
        // no resource type: asked on `*` alone
        r#""iam:ListRoles""#,
        r#"["s3:ListAllMyBuckets","iam:List*"]"#,
    ];
    const RESOURCES: &[&str] = &[
        r#""*""#,
        r#""arn:aws:s3:::b/*""#,
        r#""arn:aws:iam::123456789012:role/x""#,
        r#""arn:aws:kms:us-east-1:123456789012:key/k""#,
        r#""arn:aws:s3:::${aws:username}/*""#,
        r#"["arn:aws:s3:::b/*","*"]"#,
    ];
    const CONDITIONS: &[&str] = &[
        "",
        "",
        "",
        r#","Condition":{"StringEquals":{"aws:username":"alice"}}"#,
        r#","Condition":{"StringEquals":{"aws:username":"bob"}}"#,
        r#","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
        r#","Condition":{"Null":{"aws:MultiFactorAuthPresent":"true"}}"#,
        r#","Condition":{"NumericLessThan":{"aws:username":"5"}}"#,
        r#","Condition":{"StringLike":{"aws:PrincipalArn":"*:role/*"}}"#,
    ];
    let effect = if g.next(3) == 0 { "Deny" } else { "Allow" };
    let action = if g.next(5) == 0 {
        "NotAction"
    } else {
        "Action"
    };
    let resource = if g.next(6) == 0 {
        "NotResource"
    } else {
        "Resource"
    };
    format!(
        r#"{{"Effect":"{effect}","{action}":{},"{resource}":{}{}}}"#,
        g.pick(ACTIONS),
        g.pick(RESOURCES),
        g.pick(CONDITIONS)
    )
}

#[test]
fn same_answers_as_deciding_every_probe() {
    let mut g = Lcg(13);
    let (mut tried, mut admins) = (0, 0);
    for _ in 0..1500 {
        let policy = |g: &mut Lcg| {
            let n = 1 + g.next(4);
            doc(&(0..n).map(|_| statement(g)).collect::<Vec<_>>())
        };
        let identity: Vec<String> = (0..1 + g.next(2)).map(|_| policy(&mut g)).collect();
        let boundaries: Vec<String> = (0..usize::from(g.next(4) == 0))
            .map(|_| policy(&mut g))
            .collect();
        let Some(set) = set_of(&identity, &boundaries) else {
            continue;
        };
        for arn in [ALICE, ROLE] {
            let (fast, _, slow) = both(&set, arn);
            assert_eq!(fast, slow, "{arn}\n{identity:?}\n{boundaries:?}");
            tried += 1;
            admins += usize::from(fast);
        }
    }
    assert!(
        tried > 1000 && admins > 50,
        "{tried} sets, {admins} administrators"
    );
}

#[test]
fn a_deny_on_specific_resources_takes_no_wildcard_only_action_away() {
    let all = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.to_string();
    let deny = |action: &str, resource: &str| {
        format!(r#"{{"Effect":"Deny","Action":"{action}","Resource":"{resource}"}}"#)
    };
    let role_x = "arn:aws:iam::123456789012:role/x";
    for (d, admin) in [
        (deny("iam:ListRoles", role_x), true),
        (deny("iam:ListRoles", "*"), false),
        (deny("iam:List*", role_x), false),
        (deny("s3:ListAllMyBuckets", "arn:aws:s3:::b"), true),
    ] {
        let set = set_of(&[doc(&[all.clone(), d.clone()])], &[]).unwrap();
        let (fast, _, slow) = both(&set, ALICE);
        assert_eq!((fast, slow), (admin, admin), "{d}");
    }
}

/// The generated account of `p` principals (see [`crate::account::sample`]).
fn large_account(p: usize) -> crate::account::Account {
    crate::account::Account::from_json_str(&crate::account::sample::generated_account(p)).unwrap()
}

#[test]
fn administrators_of_a_large_account_are_linear() {
    let small = large_account(1_500);
    let large = large_account(15_000);
    let (mut s, mut l) = (0, 0);
    let a = small.administrators_counted(&mut s);
    let b = large.administrators_counted(&mut l);
    eprintln!("steps: {s} for 1,500 principals, {l} for 15,000");
    assert!(!a.is_empty() && b.len() > a.len());
    assert!(
        l <= 11 * s,
        "{s} steps for 1,500 principals, {l} for 15,000"
    );
}

/// Every principal of the shared sample accounts: the same answer as deciding every probe.
#[test]
fn samples_give_the_same_answers() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/authorization-details"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: {dir} is missing");
        return;
    };
    let mut checked = 0;
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let Ok(account) = std::fs::read_to_string(&path)
            .map_err(|_| ())
            .and_then(|t| crate::account::Account::from_json_str(&t).map_err(|_| ()))
        else {
            continue;
        };
        for p in &account.prepared {
            let mut steps = 0;
            let fast = allows_everything(
                &p.set,
                &p.arn,
                p.account.as_deref(),
                &p.context,
                &mut ProbeCache::default(),
                &mut steps,
            );
            let slow = match probes(&p.set, &mut ProbeCache::default(), &mut 0) {
                Some(pr) => {
                    let a: Vec<&str> = pr.actions.iter().map(|a| &**a).collect();
                    let r: Vec<&str> = pr.resources.iter().map(|r| &*r.name).collect();
                    by_probes(
                        &p.set,
                        &p.arn,
                        p.account.as_deref(),
                        &p.context,
                        &a,
                        &r,
                        &mut 0,
                    )
                }
                None => false,
            };
            assert_eq!(fast, slow, "{} in {}", p.arn, path.display());
            checked += 1;
        }
    }
    eprintln!("{checked} sample principals checked");
}
