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

/// An account of users given as (name, identity policy statements, boundary ARN), roles as
/// (name, trust policy, statements) and customer managed policies as (name, statements).
fn account(
    users: &[(&str, &str, Option<&str>)],
    roles: &[(&str, &str, &str)],
    policies: &[(&str, &str)],
) -> String {
    let doc = |st: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{st}]}}"#);
    let users: Vec<String> = users
        .iter()
        .map(|(name, st, boundary)| {
            let boundary = boundary.map_or(String::new(), |b| {
                format!(r#","PermissionsBoundary":{{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"{b}"}}"#)
            });
            format!(
                r#"{{"UserName":"{name}","UserId":"AIDA{name}","Arn":"arn:aws:iam::111122223333:user/{name}","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]{boundary}}}"#,
                doc(st)
            )
        })
        .collect();
    let roles: Vec<String> = roles
        .iter()
        .map(|(name, trust, st)| {
            format!(
                r#"{{"RoleName":"{name}","RoleId":"AROA{name}","Arn":"arn:aws:iam::111122223333:role/{name}","AssumeRolePolicyDocument":{trust},"RolePolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
                doc(st)
            )
        })
        .collect();
    let policies: Vec<String> = policies
        .iter()
        .map(|(name, st)| {
            format!(
                r#"{{"PolicyName":"{name}","Arn":"arn:aws:iam::111122223333:policy/{name}","DefaultVersionId":"v1","PolicyVersionList":[{{"VersionId":"v1","IsDefaultVersion":true,"Document":{}}}]}}"#,
                doc(st)
            )
        })
        .collect();
    format!(
        r#"{{"UserDetailList":[{}],"GroupDetailList":[],"RoleDetailList":[{}],"Policies":[{}]}}"#,
        users.join(","),
        roles.join(","),
        policies.join(",")
    )
}

const PUT_ON_BOB: &str = r#"{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111122223333:user/bob"}"#;
const PUT_ON_SELF: &str = r#"{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111122223333:user/alice"}"#;
const KEYS_OF_BOB: &str = r#"{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/bob"}"#;
const S3_ONLY: &str = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#;

#[test]
fn an_upgrade_that_the_targets_boundary_or_denies_undo_is_no_path() {
    // bob's boundary allows only S3: a policy put on him leaves him far from an administrator
    let bounded = account(
        &[
            ("alice", &format!("{PUT_ON_BOB},{KEYS_OF_BOB}"), None),
            (
                "bob",
                S3_ONLY,
                Some("arn:aws:iam::111122223333:policy/s3-only"),
            ),
        ],
        &[],
        &[("s3-only", S3_ONLY)],
    );
    let e = escalations(&bounded);
    assert!(e.escalations.is_empty(), "{:#?}", e.escalations);
    // alice's own boundary stops her upgrading herself
    let own = account(
        &[(
            "alice",
            PUT_ON_SELF,
            Some("arn:aws:iam::111122223333:policy/s3-only"),
        )],
        &[],
        &[("s3-only", &format!("{S3_ONLY},{PUT_ON_SELF}"))],
    );
    assert!(escalations(&own).escalations.is_empty());
    // a Deny in bob's inline policy is replaced by a policy put under its name...
    let inline = account(
        &[
            ("alice", &format!("{PUT_ON_BOB},{KEYS_OF_BOB}"), None),
            (
                "bob",
                r#"{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#,
                None,
            ),
        ],
        &[],
        &[],
    );
    assert_eq!(escalations(&inline).escalations.len(), 1);
    // ...but one in a managed policy attached to him stays after the upgrade
    let denied = account(
        &[
            ("alice", &format!("{PUT_ON_BOB},{KEYS_OF_BOB}"), None),
            ("bob", S3_ONLY, None),
        ],
        &[],
        &[("guard", r#"{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#)],
    )
    .replace(
        r#""UserId":"AIDAbob","#,
        r#""UserId":"AIDAbob","AttachedManagedPolicies":[{"PolicyName":"guard","PolicyArn":"arn:aws:iam::111122223333:policy/guard"}],"#,
    );
    assert!(escalations(&denied).escalations.is_empty());
    // without them, the same account escalates (the tests above are not vacuous)
    let open = account(
        &[
            ("alice", &format!("{PUT_ON_BOB},{KEYS_OF_BOB}"), None),
            ("bob", S3_ONLY, None),
        ],
        &[],
        &[],
    );
    let e = escalations(&open);
    assert_eq!(e.escalations.len(), 1);
    let techniques: Vec<&str> = e.escalations[0]
        .hops
        .iter()
        .map(|h| h.technique.as_str())
        .collect();
    // alice puts a policy on bob, then creates his access key
    assert_eq!(techniques, ["iam-007", "iam-002"]);
}

#[test]
fn a_new_policy_version_replaces_the_denies_it_held() {
    // bob holds one customer policy with a Deny; alice may version it: the version replaces
    // the Deny, so bob becomes an administrator and alice reaches him by his access key
    let mut text = account(
        &[
            (
                "alice",
                &format!(
                    r#"{KEYS_OF_BOB},{{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::111122223333:policy/guard"}}"#
                ),
                None,
            ),
            ("bob", S3_ONLY, None),
        ],
        &[],
        &[(
            "guard",
            r#"{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#,
        )],
    );
    text = text.replace(
        r#""UserId":"AIDAbob","#,
        r#""UserId":"AIDAbob","AttachedManagedPolicies":[{"PolicyName":"guard","PolicyArn":"arn:aws:iam::111122223333:policy/guard"}],"#,
    );
    let e = escalations(&text);
    assert_eq!(e.escalations.len(), 1, "{:#?}", e);
    let hop = &e.escalations[0].hops[0];
    assert_eq!(hop.technique, "iam-001");
    assert_eq!(
        hop.via.as_deref(),
        Some("arn:aws:iam::111122223333:policy/guard")
    );
}

#[test]
fn scps_cut_hops_not_administrators() {
    // an organization's guardrails bind every principal of the account, its administrators too:
    // an SCP denying one service (or every region but one) must not hide every path in the
    // account; it cuts the hops whose requests it denies
    let text = account(
        &[
            (
                "admin",
                r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
                None,
            ),
            (
                "alice",
                r#"{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}"#,
                None,
            ),
        ],
        &[],
        &[],
    );
    let account = Account::load(&text, &LoadOptions::default()).unwrap();
    let with_scp = |scp: &str| {
        let mut scps = iamkit_core::PolicySet::new();
        scps.add_scp_level(&[scp]).unwrap();
        let options = EscalationOptions {
            as_of: Instant::parse("2026-12-01T00:00:00Z"),
            query: iamkit_core::AccountQuery::default().policies(scps),
            ..EscalationOptions::default()
        };
        account.escalations(&options, None).unwrap()
    };
    let open = with_scp(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    assert_eq!(
        open.administrators,
        ["arn:aws:iam::111122223333:user/admin"]
    );
    assert_eq!(open.escalations.len(), 1);
    // a Deny of another service: the same administrator, the same path
    let other = with_scp(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#,
    );
    assert_eq!(other.administrators, open.administrators);
    assert_eq!(other.escalations.len(), 1);
    // a Deny of the hop's request: the administrator stays, the path is cut
    let cut = with_scp(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*"}]}"#,
    );
    assert_eq!(cut.administrators, open.administrators);
    assert!(cut.escalations.is_empty(), "{cut:#?}");
}

#[test]
fn a_pass_role_hop_uses_any_service_the_role_trusts() {
    // the role trusts only the second of data pipeline's services, and alice may pass it only
    // to that one
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"elasticmapreduce.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let alice = r#"{"Effect":"Allow","Action":["datapipeline:CreatePipeline","datapipeline:PutPipelineDefinition","datapipeline:ActivatePipeline"],"Resource":"*"},
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"elasticmapreduce.amazonaws.com"}}}"#;
    let text = account(
        &[("alice", alice, None)],
        &[(
            "emr",
            trust,
            r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
        )],
        &[],
    );
    let e = escalations(&text);
    assert_eq!(e.escalations.len(), 1, "{e:#?}");
    let hop = &e.escalations[0].hops[0];
    assert_eq!(hop.technique, "datapipeline-001");
    assert_eq!(
        hop.requests[0].context["iam:PassedToService"],
        "elasticmapreduce.amazonaws.com"
    );
}

#[test]
fn a_role_whose_trust_policy_cannot_be_read_is_undecided() {
    let text = account(
        &[(
            "alice",
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
            None,
        )],
        &[(
            "hidden",
            r#""not a policy""#,
            r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
        )],
        &[],
    );
    let e = escalations(&text);
    assert!(e.escalations.is_empty());
    assert_eq!(e.undecided, ["arn:aws:iam::111122223333:role/hidden"]);
}

#[test]
fn every_reported_hop_is_explained_by_allowed_requests() {
    let Some(dir) = common::shared("authorization-details") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("cloudsplaining-example.json")).unwrap();
    let e = escalations(&text);
    assert!(!e.escalations.is_empty());
    for x in &e.escalations {
        for hop in &x.hops {
            assert!(!hop.requests.is_empty(), "{} {hop:#?}", x.principal);
            assert!(
                hop.requests.iter().all(|r| !r.statements.is_empty()),
                "{hop:#?}"
            );
            assert_eq!(
                hop.certainty == iamkit_core::account::Certainty::Possible,
                hop.requires.is_some(),
                "{hop:#?}"
            );
        }
    }
    for x in &escalations(&dense(30)).escalations {
        assert!(x.hops.iter().all(|h| !h.requests.is_empty()));
    }
}

#[test]
fn a_sixth_policy_version_needs_one_deleted_first() {
    // bob holds `team`, which has five versions: alice may create versions of it, and delete
    // them only in the second account
    let versions: Vec<String> = (1..=5)
        .map(|v| {
            format!(
                r#"{{"VersionId":"v{v}","IsDefaultVersion":{},"Document":{{"Version":"2012-10-17","Statement":[{S3_ONLY}]}}}}"#,
                v == 5
            )
        })
        .collect();
    let text = |alice: &str| {
        account(&[("alice", alice, None), ("bob", S3_ONLY, None)], &[], &[])
            .replace(
                r#""UserId":"AIDAbob","#,
                r#""UserId":"AIDAbob","AttachedManagedPolicies":[{"PolicyName":"team","PolicyArn":"arn:aws:iam::111122223333:policy/team"}],"#,
            )
            .replace(
                r#""Policies":[]"#,
                &format!(
                    r#""Policies":[{{"PolicyName":"team","Arn":"arn:aws:iam::111122223333:policy/team","DefaultVersionId":"v5","PolicyVersionList":[{}]}}]"#,
                    versions.join(",")
                ),
            )
    };
    let create = format!(
        r#"{KEYS_OF_BOB},{{"Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::111122223333:policy/team"}}"#
    );
    assert!(escalations(&text(&create)).escalations.is_empty());
    let delete = format!(
        r#"{create},{{"Effect":"Allow","Action":"iam:DeletePolicyVersion","Resource":"*"}}"#
    );
    let e = escalations(&text(&delete));
    assert_eq!(e.escalations.len(), 1, "{e:#?}");
    let actions: Vec<&str> = e.escalations[0].hops[0]
        .requests
        .iter()
        .map(|r| r.action.as_str())
        .collect();
    assert_eq!(
        actions,
        ["iam:DeletePolicyVersion", "iam:CreatePolicyVersion"]
    );
}

#[test]
fn a_user_who_may_join_a_group_of_unknown_documents_is_undecided() {
    let text = account(
        &[(
            "alice",
            r#"{"Effect":"Allow","Action":"iam:AddUserToGroup","Resource":"*"}"#,
            None,
        )],
        &[],
        &[],
    )
    .replace(
        r#""GroupDetailList":[]"#,
        r#""GroupDetailList":[{"GroupName":"Admins","GroupId":"AGPAADMINS","Arn":"arn:aws:iam::111122223333:group/Admins","AttachedManagedPolicies":[{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}]}]"#,
    );
    let e = escalations(&text);
    assert!(e.escalations.is_empty());
    assert_eq!(e.undecided, ["arn:aws:iam::111122223333:user/alice"]);
}

#[test]
fn the_answer_does_not_depend_on_how_many_threads_build_the_graph() {
    // a generated account (groups, boundaries, trusts), a dense one and the lab
    let mut texts = vec![iamkit_core::internals::generated_account(300), dense(60)];
    if let Some(dir) = common::shared("authorization-details") {
        texts.push(std::fs::read_to_string(dir.join("cloudsplaining-example.json")).unwrap());
    }
    let mut paths = 0;
    for text in texts {
        let account = Account::load(&text, &LoadOptions::default()).unwrap();
        let answer = |threads: usize| {
            let options = EscalationOptions {
                as_of: Instant::parse("2026-12-01T00:00:00Z"),
                threads: Some(threads),
                ..EscalationOptions::default()
            };
            serde_json::to_string(&account.escalations(&options, None).unwrap()).unwrap()
        };
        let one = answer(1);
        assert_eq!(one, answer(2));
        assert_eq!(one, answer(3));
        paths += one.matches("\"hops\"").count();
    }
    assert!(paths > 50, "{paths}");
}
