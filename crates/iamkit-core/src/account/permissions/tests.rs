#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Effective permissions: the Deny index changes no answer, and the work grows linearly on the
//! adversarial families (counted in Denies compared).

use super::*;

fn account_of(statements: &[String]) -> Option<Account> {
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let text = serde_json::json!({"UserDetailList": [{
        "UserName": "u", "UserId": "AIDAU", "Path": "/",
        "Arn": "arn:aws:iam::123456789012:user/u",
        "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc}],
    }]})
    .to_string();
    Account::from_json_str(&text).ok()
}

/// The answer and the steps, and the answer comparing every grant with every Deny.
fn both(statements: &[String]) -> (EffectivePermissions, u64, EffectivePermissions) {
    let account = account_of(statements).expect("a valid policy");
    let p = account.resolve("u").unwrap();
    let mut steps = 0;
    let fast = effective(&account, p, None, true, &mut steps);
    let slow = effective(&account, p, None, false, &mut 0);
    (fast, steps, slow)
}

/// `n` Allow `s3:*a*a…a{i}` and `n` Deny `s3:?a?a…a{i}` (`k` repetitions): each grant meets one
/// Deny.
fn pairs(n: usize, k: usize) -> Vec<String> {
    let mut st = Vec::new();
    for i in 0..n {
        st.push(format!(
            r#"{{"Effect":"Allow","Action":"s3:{}a{i}","Resource":"*"}}"#,
            "*a".repeat(k)
        ));
    }
    for i in 0..n {
        st.push(format!(
            r#"{{"Effect":"Deny","Action":"s3:{}a{i}","Resource":"*"}}"#,
            "?a".repeat(k)
        ));
    }
    st
}

/// `n` services, each with an Allow `svcN:Get*` and a Deny `svcN:GetSecret*`.
fn services(n: usize) -> Vec<String> {
    let mut st = Vec::new();
    for i in 0..n {
        st.push(format!(
            r#"{{"Effect":"Allow","Action":"svc{i}:Get*","Resource":"*"}}"#
        ));
        st.push(format!(
            r#"{{"Effect":"Deny","Action":"svc{i}:GetSecret*","Resource":"*"}}"#
        ));
    }
    st
}

#[test]
fn wildcard_pairs_are_linear() {
    let (fast, _, slow) = both(&pairs(20, 10));
    assert_eq!(fast, slow);
    assert!(fast.services[0].allowed[0]
        .limited_by
        .iter()
        .any(|l| l.contains("partly denied")));
    let (_, small, _) = both(&pairs(50, 10));
    let (_, large, _) = both(&pairs(400, 10));
    // compared with every Deny it was 400² = 160,000 Denies for 400 grants
    eprintln!("steps: {small} for 50, {large} for 400");
    assert!(large <= 10 * small, "{small} steps for 50, {large} for 400");
}

#[test]
fn services_are_linear() {
    let (fast, _, slow) = both(&services(20));
    assert_eq!(fast, slow);
    let (_, small, _) = both(&services(50));
    let (_, large, _) = both(&services(400));
    eprintln!("steps: {small} for 50, {large} for 400");
    assert!(large <= 10 * small, "{small} steps for 50, {large} for 400");
}

struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        xs[((self.0 >> 33) as usize) % xs.len()]
    }
}

#[test]
fn the_index_changes_no_answer() {
    const ACTIONS: &[&str] = &[
        r#""*""#,
        r#""s3:*""#,
        r#""S3:GetObject""#,
        r#"["s3:Get*","iam:*"]"#,
        r#""s3:Get?bject""#,
        r#""s3*""#,
        r#""*:Get*""#,
        r#""*:*Object""#,
        r#""iam:Pass*""#,
        r#""ec2:?un*""#,
        r#""s3:*Object""#,
    ];
    const RESOURCES: &[&str] = &[r#""*""#, r#""arn:aws:s3:::b/*""#, r#""arn:aws:s3:::b/k""#];
    const CONDITIONS: &[&str] = &[
        "",
        "",
        r#","Condition":{"Bool":{"aws:SecureTransport":"false"}}"#,
    ];
    let mut g = Lcg(7);
    let mut tried = 0;
    for _ in 0..300 {
        let st: Vec<String> = (0..6)
            .map(|_| {
                format!(
                    r#"{{"Effect":"{}","{}":{},"{}":{}{}}}"#,
                    g.pick(&["Allow", "Allow", "Deny"]),
                    g.pick(&["Action", "Action", "Action", "NotAction"]),
                    g.pick(ACTIONS),
                    g.pick(&["Resource", "Resource", "NotResource"]),
                    g.pick(RESOURCES),
                    g.pick(CONDITIONS),
                )
            })
            .collect();
        if account_of(&st).is_none() {
            continue;
        }
        let (fast, _, slow) = both(&st);
        assert_eq!(fast, slow, "{st:?}");
        tried += 1;
    }
    assert!(tried > 100, "{tried}");
}

/// Every grant overlaps every Deny (`s3:*a*a…` against `s3:*b*a…`, long patterns): the pairs
/// are quadratic and each comparison costs the patterns' lengths multiplied, so the work limit
/// stops it, and the entries say what was not compared instead of dropping anything.
#[test]
fn overlapping_long_patterns_stop_at_the_work_limit() {
    let long = |head: &str, i: usize| format!("s3:{}{i}*", head.repeat(150));
    let mut st = Vec::new();
    for i in 0..300 {
        st.push(format!(
            r#"{{"Effect":"Allow","Action":"{}","Resource":"*"}}"#,
            long("*a", i)
        ));
    }
    for i in 0..300 {
        st.push(format!(
            r#"{{"Effect":"Deny","Action":"{}","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#,
            long("*b", i)
        ));
    }
    let account = account_of(&st).expect("a valid policy");
    let p = account.resolve("u").unwrap();
    let answer = effective(&account, p, None, false, &mut 0);
    let entries: Vec<_> = answer.services.iter().flat_map(|s| &s.allowed).collect();
    assert_eq!(entries.len(), 300, "no grant is dropped");
    assert!(entries.iter().any(|e| e
        .limited_by
        .iter()
        .any(|n| n.starts_with("not compared with"))));
}
