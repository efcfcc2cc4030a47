//! Privilege-escalation paths (issue 15) beyond the conformance cases: the answers do not depend on
//! names (the lab renamed gives the same paths), the technique table in docs/ is current, and the
//! work grows with the principals, not with their square, on a family of accounts built to be dense.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::collections::BTreeMap;

use iamkit_core::account::{techniques, EscalationOptions, Escalations};
use iamkit_core::inputs::Instant;
use iamkit_core::{Account, LoadOptions};

mod common;

fn escalations(text: &str) -> Escalations {
    let account = Account::load(text, &LoadOptions::default()).unwrap();
    let options = EscalationOptions {
        as_of: Instant::parse("2026-12-01T00:00:00Z"),
        ..EscalationOptions::default()
    };
    account.escalations(&options, None).unwrap()
}

/// The name prefixes that policies select by pattern (`arn:aws:iam::*:policy/fn2-*` selects names
/// starting `fn2-`): a name they select keeps its meaning only if it keeps the prefix.
fn selected_prefixes(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if s.starts_with("arn:") && s.contains('*') => {
            let tail = s.rsplit('/').next().unwrap_or("");
            let prefix = tail.split(['*', '?']).next().unwrap_or("");
            if !prefix.is_empty() && s.contains('/') {
                out.push(prefix.to_string());
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| selected_prefixes(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| selected_prefixes(x, out)),
        _ => {}
    }
}

/// Every user, group, role and policy name of the authorization details, each renamed to an
/// opaque one (in names and in every ARN and document that holds it), keeping the prefix a
/// policy's pattern selects it by.
fn renamed(text: &str) -> (String, BTreeMap<String, String>) {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut prefixes = Vec::new();
    selected_prefixes(&v, &mut prefixes);
    let mut names = Vec::new();
    for (list, key) in [
        ("UserDetailList", "UserName"),
        ("GroupDetailList", "GroupName"),
        ("RoleDetailList", "RoleName"),
        ("Policies", "PolicyName"),
    ] {
        for e in v[list].as_array().unwrap() {
            names.push(e[key].as_str().unwrap().to_string());
        }
    }
    // longest first, so a name that holds another is replaced whole
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    let mut out = text.to_string();
    let mut map = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        let keep = prefixes
            .iter()
            .filter(|p| n.starts_with(p.as_str()))
            .max_by_key(|p| p.len())
            .map_or("", String::as_str);
        let new = format!("{keep}x{i:04}q");
        out = out
            .replace(&format!("/{n}\""), &format!("/{new}\""))
            .replace(&format!("\"{n}\""), &format!("\"{new}\""));
        map.insert(n.clone(), new);
    }
    (out, map)
}

#[test]
fn the_lab_renamed_gives_the_same_paths() {
    let Some(dir) = common::shared("authorization-details") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("cloudsplaining-example.json")).unwrap();
    let before = escalations(&text);
    let (text2, map) = renamed(&text);
    assert_ne!(text, text2);
    let after = escalations(&text2);
    let rename = |arn: &str| {
        let (head, name) = arn.rsplit_once('/').unwrap();
        format!("{head}/{}", map.get(name).map_or(name, String::as_str))
    };
    let shape = |e: &Escalations, f: &dyn Fn(&str) -> String| {
        let mut v: Vec<Shape> = e
            .escalations
            .iter()
            .map(|x| {
                (
                    f(&x.principal),
                    format!("{:?}", x.certainty),
                    x.hops
                        .iter()
                        .map(|h| (h.technique.clone(), h.kind.to_string()))
                        .collect(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(before.escalations.len(), 65);
    let mut admins: Vec<String> = before.administrators.iter().map(|a| rename(a)).collect();
    admins.sort();
    assert_eq!(admins, after.administrators);
    // the same principals escalate, each with a path of the same techniques (a tie between two
    // equally short paths may be broken by name order, so only the techniques' kinds are compared
    // beyond the first hop)
    let b = shape(&before, &|a| rename(a));
    let a = shape(&after, &|a| a.to_string());
    assert_eq!(
        b.iter()
            .map(|x| (&x.0, &x.1, x.2.len()))
            .collect::<Vec<_>>(),
        a.iter()
            .map(|x| (&x.0, &x.1, x.2.len()))
            .collect::<Vec<_>>()
    );
}

/// A path's principal, certainty and hops (technique, kind).
type Shape = (String, String, Vec<(String, String)>);

/// The table of docs/escalation-techniques.md, from the catalog and iamkit's models.
fn table() -> String {
    let mut out = String::from(
        "| id | technique | category | modeled as | how, or why not |\n|---|---|---|---|---|\n",
    );
    for t in techniques() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            t.id,
            t.name.replace('|', "\\|"),
            t.category,
            t.model,
            t.note
        ));
    }
    out
}

#[test]
fn the_technique_table_in_docs_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/escalation-techniques.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (start, end) = ("<!-- techniques:start -->\n", "<!-- techniques:end -->");
    let want = table();
    let current = text
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(t, _)| t.to_string());
    if current.as_deref() == Some(want.as_str()) {
        return;
    }
    if std::env::var("IAMKIT_BLESS").is_ok() {
        let (head, tail) = match (text.split_once(start), text.split_once(end)) {
            (Some((h, _)), Some((_, t))) => (h.to_string(), t.to_string()),
            _ => (text.clone(), "\n".to_string()),
        };
        std::fs::write(&path, format!("{head}{start}{want}{end}{tail}")).unwrap();
        return;
    }
    panic!("docs/escalation-techniques.md is out of date: run IAMKIT_BLESS=1 cargo test -p iamkit-core --test escalations");
}

/// A dense account: `n` users, each allowed iam:CreateAccessKey on every user and sts:AssumeRole
/// on every role; `n` roles trusting the account; one administrator user at the end.
fn dense(n: usize) -> String {
    let user = |i: usize, admin: bool| {
        let doc = if admin {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.to_string()
        } else {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateAccessKey","sts:AssumeRole"],"Resource":"*"}]}"#.to_string()
        };
        format!(
            r#"{{"UserName":"u{i}","UserId":"AIDA{i:017}","Arn":"arn:aws:iam::111122223333:user/u{i}","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":{doc}}}]}}"#
        )
    };
    let role = |i: usize| {
        format!(
            r#"{{"RoleName":"r{i}","RoleId":"AROA{i:017}","Arn":"arn:aws:iam::111122223333:role/r{i}","AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"sts:AssumeRole"}}]}}}}"#
        )
    };
    let users: Vec<String> = (0..n).map(|i| user(i, i == n - 1)).collect();
    let roles: Vec<String> = (0..n).map(role).collect();
    format!(
        r#"{{"UserDetailList":[{}],"GroupDetailList":[],"RoleDetailList":[{}],"Policies":[]}}"#,
        users.join(","),
        roles.join(",")
    )
}

#[test]
fn a_dense_account_escalates_everyone_through_one_hop() {
    let e = escalations(&dense(40));
    assert_eq!(e.administrators.len(), 1);
    // every other user creates the administrator's access key; roles can do nothing
    assert_eq!(e.escalations.len(), 39);
    assert!(e
        .escalations
        .iter()
        .all(|x| x.hops.len() == 1 && x.hops[0].technique == "iam-002"));
}

#[test]
fn roles_with_the_same_trust_in_two_accounts_are_decided_apart() {
    // both roles trust alice by ARN; in her own account that alone lets her in, in the other
    // account her own policies must allow sts:AssumeRole too, and they allow nothing
    let role = |account: &str| {
        format!(
            r#"{{"RoleName":"admin","RoleId":"AROA{account}","Arn":"arn:aws:iam::{account}:role/admin",
            "AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",
            "Principal":{{"AWS":"arn:aws:iam::111122223333:user/alice"}},"Action":"sts:AssumeRole"}}]}},
            "AttachedManagedPolicies":[{{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}]}}"#
        )
    };
    let text = format!(
        r#"{{"UserDetailList":[{{"UserName":"alice","UserId":"AIDAALICE","Arn":"arn:aws:iam::111122223333:user/alice"}}],
        "GroupDetailList":[],"RoleDetailList":[{},{}],
        "Policies":[{{"PolicyName":"AdministratorAccess","Arn":"arn:aws:iam::aws:policy/AdministratorAccess","DefaultVersionId":"v1",
        "PolicyVersionList":[{{"VersionId":"v1","IsDefaultVersion":true,"Document":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}}]}}}}]}}]}}"#,
        role("444455556666"),
        role("111122223333"),
    );
    let e = escalations(&text);
    assert_eq!(e.escalations.len(), 1);
    let hops = &e.escalations[0].hops;
    assert_eq!(hops.len(), 1);
    assert_eq!(hops[0].technique, "sts-001");
    assert_eq!(hops[0].target, "arn:aws:iam::111122223333:role/admin");
}
