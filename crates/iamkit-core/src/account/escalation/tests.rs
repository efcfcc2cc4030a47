//! The escalation graph's work grows with the account, not with its square, on hostile families:
//! counted (decisions, probes, statements matched, candidates looked at), never timed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use super::EscalationOptions;
use crate::account::{Account, LoadOptions};
use crate::inputs::Instant;

const ACCOUNT: &str = "111122223333";

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

fn user(i: usize, statements: &str) -> String {
    format!(
        r#"{{"UserName":"u{i}","UserId":"AIDA{i:012}","Arn":"arn:aws:iam::{ACCOUNT}:user/u{i}","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
        doc(statements)
    )
}

fn account(users: &[String], groups: &[String], roles: &[String]) -> String {
    format!(
        r#"{{"UserDetailList":[{}],"GroupDetailList":[{}],"RoleDetailList":[{}],"Policies":[]}}"#,
        users.join(","),
        groups.join(","),
        roles.join(",")
    )
}

/// `n` users, each with one inline policy holding `statements`.
fn users_with(n: usize, statements: &str) -> Vec<String> {
    (0..n).map(|i| user(i, statements)).collect()
}

/// The work of building the graph of `text`, and how many principals escalate.
fn work(text: &str) -> (u64, usize) {
    let account = Account::load(text, &LoadOptions::default()).unwrap();
    // one builder: from 2,000 principals each thread's builder repeats its per-query caches
    // (at most MAX_THREADS times, a constant), which would blur the growth measured here
    let options = EscalationOptions {
        as_of: Instant::parse("2026-12-01T00:00:00Z"),
        threads: Some(1),
        ..EscalationOptions::default()
    };
    let graph = account.escalation_graph(&options).unwrap();
    let escalating = graph.escalations(None).escalations.len();
    let work = graph.builder.lock().unwrap().work;
    (work, escalating)
}

/// The work at `n` and at `4n` grows by at most 5 (4 is linear; 16 would be quadratic).
fn linear(family: impl Fn(usize) -> String, n: usize) -> (usize, usize) {
    let (small, e1) = work(&family(n));
    let (large, e4) = work(&family(4 * n));
    assert!(small > 0);
    assert!(
        large <= 5 * small,
        "work {small} at {n}, {large} at {}: not linear",
        4 * n
    );
    (e1, e4)
}

/// `n` users who may add themselves to any group, and `n` groups: most allow only S3, every
/// tenth allows everything under a condition that never holds, and one makes its members
/// administrators (so the search is not vacuous).
fn joining(n: usize) -> String {
    let users = users_with(
        n,
        r#"{"Effect":"Allow","Action":"iam:AddUserToGroup","Resource":"*"}"#,
    );
    let groups: Vec<String> = (0..n)
        .map(|g| {
            let st = if g == n - 1 {
                r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.to_string()
            } else if g % 10 == 0 {
                r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:ViaAWSService":"true"}}}"#.to_string()
            } else {
                format!(r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b{g}/*"}}"#)
            };
            format!(
                r#"{{"GroupName":"g{g}","GroupId":"AGPA{g:012}","Arn":"arn:aws:iam::{ACCOUNT}:group/g{g}","GroupPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
                doc(&st)
            )
        })
        .collect();
    account(&users, &groups, &[])
}

/// `n` users who may assume any role, and `4n` roles, each with its own trust policy naming one
/// user (with a condition of its own, so no two are alike).
fn trusting(n: usize) -> String {
    let users = users_with(
        n,
        r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
    );
    account(&users, &[], &roles_trusting_one_user(n, ""))
}

/// `4n` roles, role `r` trusting user `u{r % n}` only with a tag value of its own (which no user
/// has), and with `condition` (more condition entries, or nothing).
fn roles_trusting_one_user(n: usize, condition: &str) -> Vec<String> {
    (0..4 * n)
        .map(|r| {
            format!(
                r#"{{"RoleName":"r{r}","RoleId":"AROA{r:012}","Arn":"arn:aws:iam::{ACCOUNT}:role/r{r}","AssumeRolePolicyDocument":{}}}"#,
                doc(&format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/u{}"}},"Action":"sts:AssumeRole","Condition":{{{condition}"StringEquals":{{"aws:PrincipalTag/k":"v{r}"}}}}}}"#,
                    r % n
                ))
            )
        })
        .collect()
}

/// `n` users who may assume any role, and `4n` roles, each with its own trust policy letting in
/// the whole account under a condition of its own on the time (every other one never holds);
/// the first role is an administrator, so every user escalates through it.
fn trusting_the_account(n: usize) -> String {
    let users = users_with(
        n,
        r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
    );
    let roles: Vec<String> = (0..4 * n)
        .map(|r| {
            let year = if r % 2 == 0 { 2030 } else { 2020 };
            let policies = if r == 0 {
                format!(
                    r#","RolePolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]"#,
                    doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
                )
            } else {
                String::new()
            };
            format!(
                r#"{{"RoleName":"r{r}","RoleId":"AROA{r:012}","Arn":"arn:aws:iam::{ACCOUNT}:role/r{r}","AssumeRolePolicyDocument":{}{policies}}}"#,
                doc(&format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sts:AssumeRole","Condition":{{"DateLessThan":{{"aws:CurrentTime":"{year}-01-01T00:00:{:02}Z"}}}}}}"#,
                    r % 60
                )) .replace(":00:", &format!(":{:02}:", (r / 60) % 60))
            )
        })
        .collect();
    account(&users, &[], &roles)
}

/// [`trusting_the_account`], each trust policy asking instead for a network of its own (so it is
/// decided once per pass, not per actor): the first role's network is among the first tried, so
/// every user escalates through it, from that network.
fn trusting_the_account_from_networks(n: usize) -> String {
    let mut r = 0;
    let text = trusting_the_account(n);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let marker = r#""DateLessThan":{"aws:CurrentTime":""#;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find('"').unwrap();
        out.push_str(&format!(
            r#""IpAddress":{{"aws:SourceIp":"10.{}.{}.0/24""#,
            r / 256,
            r % 256
        ));
        rest = &after[end + 1..];
        r += 1;
    }
    out.push_str(rest);
    out
}

/// `n` users who may put a policy on any user or create any user's access key, each with a
/// Deny of its own that an upgrade does not remove (in a second inline policy named apart), and
/// one administrator.
fn upgrading(n: usize) -> String {
    let users: Vec<String> = (0..n)
        .map(|i| {
            if i == n - 1 {
                return user(i, r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
            }
            user(i, r#"{"Effect":"Allow","Action":["iam:PutUserPolicy","iam:CreateAccessKey"],"Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}"#)
        })
        .collect();
    account(&users, &[], &[])
}

#[test]
fn joining_groups_is_linear() {
    let (e1, e4) = linear(joining, 100);
    // every user joins the administrators' group
    assert_eq!((e1, e4), (100, 400));
}

#[test]
fn distinct_trust_policies_are_linear() {
    let (e1, e4) = linear(trusting, 100);
    // the conditions never hold: nobody gets in, and nobody escalates
    assert_eq!((e1, e4), (0, 0));
}

#[test]
fn trust_policies_open_to_the_account_are_linear() {
    let (e1, e4) = linear(trusting_the_account, 100);
    // every user reaches the administrator role (the roles have no policy to assume another)
    assert_eq!((e1, e4), (100, 400));
}

#[test]
fn trust_policies_open_to_the_account_from_networks_are_linear() {
    let (e1, e4) = linear(trusting_the_account_from_networks, 100);
    assert_eq!((e1, e4), (100, 400));
}

#[test]
fn upgrades_of_many_targets_are_linear() {
    let (e1, e4) = linear(upgrading, 100);
    // everyone reaches the administrator by its access key (an upgrade of the others undoes
    // nothing: their Deny is in the same inline policy, which a put replaces)
    assert_eq!((e1, e4), (99, 399));
}

/// `n` users, each allowed to put a policy on itself and to assume any role only with MFA (so
/// every actor runs the MFA pass), and `4n` roles, each trusting one user only with MFA: the
/// pass re-runs an actor's own techniques once, not work per actor and role.
fn signing_in_with_mfa(n: usize) -> String {
    let users = users_with(
        n,
        r#"{"Effect":"Allow","Action":["iam:PutUserPolicy","sts:AssumeRole"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
    );
    let mfa = r#""Bool":{"aws:MultiFactorAuthPresent":"true"},"#;
    account(&users, &[], &roles_trusting_one_user(n, mfa))
}

#[test]
fn the_mfa_pass_is_linear() {
    let (e1, e4) = linear(signing_in_with_mfa, 100);
    // every user makes itself an administrator with MFA (no trust lets it in: no user has the
    // tag a trust policy asks for)
    assert_eq!((e1, e4), (100, 400));
}

/// `n` users, each allowed to put a policy on itself and to assume any role only from one of
/// two networks (so every actor runs two address passes), and `4n` roles, each trusting one user
/// only from a network of its own: the passes re-run an actor's own techniques, not work per
/// actor and role.
fn from_a_network(n: usize) -> String {
    let users = users_with(
        n,
        r#"{"Effect":"Allow","Action":["iam:PutUserPolicy","sts:AssumeRole"],"Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}}"#,
    );
    let roles = roles_trusting_one_user(n, "")
        .into_iter()
        .enumerate()
        .map(|(r, role)| {
            role.replace(
                r#""Condition":{"#,
                &format!(
                    r#""Condition":{{"IpAddress":{{"aws:SourceIp":"10.{}.{}.0/24"}},"#,
                    r / 256,
                    r % 256
                ),
            )
        })
        .collect::<Vec<_>>();
    account(&users, &[], &roles)
}

#[test]
fn the_network_passes_are_linear() {
    let (e1, e4) = linear(from_a_network, 100);
    // every user makes itself an administrator from a network (no trust lets it in: no user has
    // the tag a trust policy asks for)
    assert_eq!((e1, e4), (100, 400));
}

/// A chain of `n` roles, each allowed to assume the one before, and one user who may put a
/// policy on a user nobody reaches (it upgrades that user, but cannot use it): nobody escalates,
/// and the search for joint paths (a reached principal upgrading another) only runs from
/// principals that reach the upgrader, not from every role of the chain.
fn chain(n: usize) -> String {
    let roles: Vec<String> = (0..n)
        .map(|r| {
            let trusted = format!("arn:aws:iam::{ACCOUNT}:role/c{}", r + 1);
            format!(
                r#"{{"RoleName":"c{r}","RoleId":"AROA{r:012}","Arn":"arn:aws:iam::{ACCOUNT}:role/c{r}","AssumeRolePolicyDocument":{},"RolePolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
                doc(&format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"{trusted}"}},"Action":"sts:AssumeRole"}}"#
                )),
                doc(r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#)
            )
        })
        .collect();
    let users = vec![
        user(
            0,
            r#"{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111122223333:user/u1"}"#,
        ),
        user(
            1,
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
        ),
    ];
    account(&users, &[], &roles)
}

#[test]
fn joint_paths_are_searched_only_near_an_upgrader() {
    let (e1, e4) = linear(chain, 50);
    assert_eq!((e1, e4), (0, 0));
}

/// A user who assumes a role that attaches a policy to the user: found although the role does
/// not reach the user.
#[test]
fn a_reached_principal_that_upgrades_the_actor_is_a_path() {
    let text = format!(
        r#"{{"UserDetailList":[{}],"GroupDetailList":[],"RoleDetailList":[{{"RoleName":"m","RoleId":"AROAM","Arn":"arn:aws:iam::{ACCOUNT}:role/m","AssumeRolePolicyDocument":{},"RolePolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}],"Policies":[]}}"#,
        user(
            0,
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#
        ),
        doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/u0"}},"Action":"sts:AssumeRole"}}"#
        )),
        doc(r#"{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"*"}"#),
    );
    let account = Account::load(&text, &LoadOptions::default()).unwrap();
    let e = account
        .escalations(&EscalationOptions::default(), Some("u0"))
        .unwrap();
    assert_eq!(e.escalations.len(), 1, "{e:#?}");
    let hops: Vec<(&str, &str)> = e.escalations[0]
        .hops
        .iter()
        .map(|h| (h.kind, h.technique.as_str()))
        .collect();
    assert_eq!(hops, [("reach", "sts-001"), ("upgrade", "iam-007")]);
}

/// `n` users in a group that may create anyone's access key, a user X who may put a policy on a
/// user V, and V: every member reaches X and V, X upgrades V (a joint path for each, found
/// without walking all that each member reaches).
fn keys_for_everyone(n: usize) -> String {
    let group = format!(
        r#"{{"GroupName":"g","GroupId":"AGPAG","Arn":"arn:aws:iam::{ACCOUNT}:group/g","GroupPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
        doc(r#"{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}"#)
    );
    let mut users: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"UserName":"u{i}","UserId":"AIDA{i:012}","Arn":"arn:aws:iam::{ACCOUNT}:user/u{i}","GroupList":["g"]}}"#
            )
        })
        .collect();
    users.push(format!(
        r#"{{"UserName":"x","UserId":"AIDAX","Arn":"arn:aws:iam::{ACCOUNT}:user/x","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
        doc(&format!(
            r#"{{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::{ACCOUNT}:user/v"}}"#
        ))
    ));
    users.push(format!(
        r#"{{"UserName":"v","UserId":"AIDAV","Arn":"arn:aws:iam::{ACCOUNT}:user/v"}}"#
    ));
    account(&users, &[group], &[])
}

#[test]
fn joint_paths_of_many_actors_are_linear() {
    let (e1, e4) = linear(keys_for_everyone, 100);
    // every member, and x (it reaches nobody, but upgrades v... which it cannot use): members only
    assert_eq!((e1, e4), (100, 400));
}

/// The way to the upgraded principal shares its start with the way to the upgrader: the shared
/// hops are not taken twice (a second login profile would fail).
#[test]
fn a_joint_path_takes_shared_hops_once() {
    let trust = |who: &str| {
        doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/{who}"}},"Action":"sts:AssumeRole"}}"#
        ))
    };
    let role = |name: &str, statements: &str| {
        format!(
            r#"{{"RoleName":"{name}","RoleId":"AROA{name}","Arn":"arn:aws:iam::{ACCOUNT}:role/{name}","AssumeRolePolicyDocument":{},"RolePolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
            trust("m"),
            doc(statements)
        )
    };
    let users = vec![
        user(
            0,
            &format!(
                r#"{{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::{ACCOUNT}:user/m"}}"#
            ),
        ),
        format!(
            r#"{{"UserName":"m","UserId":"AIDAM","Arn":"arn:aws:iam::{ACCOUNT}:user/m","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
            doc(r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#)
        ),
    ];
    let roles = vec![
        role(
            "x",
            &format!(
                r#"{{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::{ACCOUNT}:role/t"}}"#
            ),
        ),
        role(
            "t",
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
        ),
    ];
    let account =
        Account::load(&self::account(&users, &[], &roles), &LoadOptions::default()).unwrap();
    let e = account
        .escalations(&EscalationOptions::default(), Some("u0"))
        .unwrap();
    let hops: Vec<(String, &str, String)> = e.escalations[0]
        .hops
        .iter()
        .map(|h| {
            let short = |a: &str| a.rsplit(':').next().unwrap_or("").to_string();
            (short(&h.source), h.technique.as_str(), short(&h.target))
        })
        .collect();
    assert_eq!(
        hops,
        [
            ("user/u0".to_string(), "iam-002", "user/m".to_string()),
            ("user/m".to_string(), "sts-001", "role/x".to_string()),
            ("role/x".to_string(), "iam-005", "role/t".to_string()),
            ("user/m".to_string(), "sts-001", "role/t".to_string()),
        ]
    );
}

/// A group whose policy lets members attach AdministratorAccess (a condition on iam:PolicyARN,
/// a key of the request, not of anyone): joining it is a path.
#[test]
fn a_condition_on_a_request_key_is_not_decided_once_for_everyone() {
    let group = format!(
        r#"{{"GroupName":"attachers","GroupId":"AGPAA","Arn":"arn:aws:iam::{ACCOUNT}:group/attachers","GroupPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
        doc(
            r#"{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/AdministratorAccess"}}}"#
        )
    );
    let users = vec![user(
        0,
        r#"{"Effect":"Allow","Action":"iam:AddUserToGroup","Resource":"*"}"#,
    )];
    let account = Account::load(&account(&users, &[group], &[]), &LoadOptions::default()).unwrap();
    let e = account
        .escalations(&EscalationOptions::default(), None)
        .unwrap();
    assert_eq!(e.escalations.len(), 1, "{e:#?}");
    assert_eq!(e.escalations[0].hops[0].technique, "iam-013");
}

/// `n` users, `n` roles trusting Lambda (the last an administrator) and a resource inventory of
/// `n` functions, function `i` running with role `i`: user `i` may change and invoke function `i`,
/// every other user every function. Each user's grant admits other functions, so the targets of
/// one action differ from user to user.
fn functions(n: usize) -> (String, super::Inventory) {
    let fn_arn = |i: usize| format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:f{i}");
    let users: Vec<String> = (0..n)
        .map(|i| {
            let on = if i % 2 == 0 {
                fn_arn(i)
            } else {
                format!("arn:aws:lambda:*:{ACCOUNT}:function:*")
            };
            user(
                i,
                &format!(
                    r#"{{"Effect":"Allow","Action":["lambda:UpdateFunctionCode","lambda:InvokeFunction"],"Resource":"{on}"}}"#
                ),
            )
        })
        .collect();
    let roles: Vec<String> = (0..n)
        .map(|r| {
            let st = if r == n - 1 {
                r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.to_string()
            } else {
                format!(r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b{r}/*"}}"#)
            };
            format!(
                r#"{{"RoleName":"r{r}","RoleId":"AROA{r:012}","Arn":"arn:aws:iam::{ACCOUNT}:role/r{r}","AssumeRolePolicyDocument":{},"RolePolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
                doc(r#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}"#),
                doc(&st)
            )
        })
        .collect();
    let inventory = super::Inventory {
        complete: vec!["lambda".into()],
        resources: (0..n)
            .map(|i| super::InventoryResource {
                arn: fn_arn(i),
                role: Some(format!("arn:aws:iam::{ACCOUNT}:role/r{i}")),
                instance_profile: None,
            })
            .collect(),
    };
    (account(&users, &[], &roles), inventory)
}

#[test]
fn taking_over_listed_functions_is_linear_in_the_inventory() {
    let run = |n: usize| {
        let (text, inventory) = functions(n);
        let account = Account::load(&text, &LoadOptions::default()).unwrap();
        let options = EscalationOptions {
            as_of: Instant::parse("2026-12-01T00:00:00Z"),
            resources: Some(inventory),
            ..EscalationOptions::default()
        };
        let graph = account.escalation_graph(&options).unwrap();
        let answer = graph.escalations(None);
        let work = graph.builder.lock().unwrap().work;
        (work, answer)
    };
    let (small, a1) = run(100);
    let (large, a4) = run(400);
    assert!(
        large <= 5 * small,
        "work {small} at 100, {large} at 400: not linear"
    );
    // the users who may change every function (user n-1 among them, whose own function has the
    // administrator role) escalate through that function; the others change a function whose
    // role grants little
    for (n, a) in [(100, &a1), (400, &a4)] {
        assert_eq!(a.escalations.len(), n / 2, "at {n}");
        assert!(a
            .escalations
            .iter()
            .all(|e| e.certainty == super::Certainty::Exact
                && e.hops[0].via.as_deref()
                    == Some(
                        format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:f{}", n - 1).as_str()
                    )));
    }
}
