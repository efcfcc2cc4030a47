//! `iamkit account escalations`: the text reads as a chain a person can follow (who, how, which
//! statement allowed it), `--principal` answers for one principal, and `dot` is a Graphviz graph
//! with the administrators and the possible hops marked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::process::Command;

/// alice may create bob's access key; bob may put a policy on himself; carol may do nothing; a
/// role in a second account is an administrator.
const ACCOUNT: &str = r#"{"UserDetailList":[
 {"UserName":"alice","UserId":"AIDAALICE","Arn":"arn:aws:iam::111122223333:user/alice","UserPolicyList":[{"PolicyName":"keys","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/bob"}]}}]},
 {"UserName":"bob","UserId":"AIDABOB","Arn":"arn:aws:iam::111122223333:user/bob","UserPolicyList":[{"PolicyName":"self","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111122223333:user/bob"}]}}]},
 {"UserName":"carol","UserId":"AIDACAROL","Arn":"arn:aws:iam::111122223333:user/carol"}],
 "GroupDetailList":[],
 "RoleDetailList":[{"RoleName":"admin","RoleId":"AROAADMIN","Arn":"arn:aws:iam::444455556666:role/admin","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[]},"RolePolicyList":[{"PolicyName":"all","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}]}],
 "Policies":[]}"#;

fn run(args: &[&str]) -> (String, i32) {
    // one file per call: the tests run in parallel
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("iamkit-escalations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("account-{call}.json"));
    std::fs::write(&file, ACCOUNT).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamkit"));
    cmd.args(["account", "escalations", file.to_str().unwrap()]);
    if !args.contains(&"--as-of") {
        cmd.args(["--as-of", "2026-12-01T00:00:00Z"]);
    }
    let out = cmd.args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn the_text_is_a_chain_with_the_statements_behind_each_request() {
    let (text, code) = run(&[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with(
            "as of 2026-12-01T00:00:00Z: 1 administrator; 2 other principals can become one"
        ),
        "{text}"
    );
    // two accounts in the answer: principals are named with their account
    assert!(
        text.contains("administrator arn:aws:iam::444455556666:role/admin"),
        "{text}"
    );
    assert!(text.contains("user arn:aws:iam::111122223333:user/alice -> administrator (exact, 2 hops; ends as 111122223333:user/bob)"), "{text}");
    assert!(text.contains("  1. 111122223333:user/alice becomes 111122223333:user/bob by iam:CreateAccessKey (iam-002)"), "{text}");
    assert!(text.contains("  2. 111122223333:user/bob makes an administrator of 111122223333:user/bob by iam:PutUserPolicy (iam-007)"), "{text}");
    assert!(text.contains("iam:CreateAccessKey on arn:aws:iam::111122223333:user/bob: allowed by arn:aws:iam::111122223333:user/alice inline policy keys statement 0"), "{text}");
    assert!(!text.contains("user/carol"), "{text}");
}

#[test]
fn one_principal_is_answered_for_itself() {
    let (text, _) = run(&["--principal", "carol"]);
    assert!(
        text.contains("the principal asked about cannot become one"),
        "{text}"
    );
    let (text, _) = run(&["--principal", "user/alice", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["escalations"].as_array().unwrap().len(), 1);
    assert_eq!(v["escalations"][0]["hops"][1]["kind"], "upgrade");
}

#[test]
fn dot_is_a_graph_of_the_paths() {
    let (dot, code) = run(&["--format", "dot"]);
    assert_eq!(code, 0);
    assert!(dot.starts_with("digraph escalations {"), "{dot}");
    assert!(dot.trim_end().ends_with('}'));
    assert!(dot.contains(r#""arn:aws:iam::111122223333:user/alice" -> "arn:aws:iam::111122223333:user/bob" [label="iam:CreateAccessKey (iam-002)"];"#), "{dot}");
    assert!(
        dot.contains(
            r#""arn:aws:iam::111122223333:user/bob" -> "administrator" [label="upgraded"];"#
        ),
        "{dot}"
    );
    assert!(!dot.contains("carol"));
}

#[test]
fn a_bad_instant_is_a_coded_error() {
    let (text, code) = run(&["--as-of", "yesterday"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("INVALID_ARGUMENT") || text.contains("asOf"),
        "{text}"
    );
}

#[test]
fn to_a_principal_lists_who_can_obtain_its_permissions() {
    let (text, code) = run(&["--to", "user/bob"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("1 other principal can reach user/bob"),
        "{text}"
    );
    assert!(text.contains("user arn:aws:iam::111122223333:user/alice -> target (exact, 1 hop; ends as 111122223333:user/bob)"), "{text}");
    let (dot, _) = run(&["--to", "user/bob", "--format", "dot"]);
    assert!(!dot.contains("\"administrator\""), "{dot}");
    assert!(
        dot.contains(
            r#""arn:aws:iam::111122223333:user/bob" [label="111122223333:user/bob", style=filled"#
        ),
        "{dot}"
    );
    // `administrator` is the default goal
    let (admin, _) = run(&["--to", "administrator"]);
    assert_eq!(admin, run(&[]).0);
}

#[test]
fn resources_files_make_taking_over_a_listed_function_exact() {
    // dev may change the code of one function and invoke it; it runs with an administrator role
    let account = r#"{"UserDetailList":[
 {"UserName":"dev","UserId":"AIDADEV","Arn":"arn:aws:iam::111122223333:user/dev","UserPolicyList":[{"PolicyName":"code","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:UpdateFunctionCode","lambda:InvokeFunction"],"Resource":"arn:aws:lambda:eu-west-1:111122223333:function:deploy"}]}}]}],
 "GroupDetailList":[],
 "RoleDetailList":[{"RoleName":"ops","RoleId":"AROAOPS","Arn":"arn:aws:iam::111122223333:role/ops","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[{"PolicyName":"all","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}]}],
 "Policies":[]}"#;
    let dir = std::env::temp_dir().join(format!("iamkit-escalations-res-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let f = dir.join(name);
        std::fs::write(&f, text).unwrap();
        f.to_str().unwrap().to_string()
    };
    let acct = write("account.json", account);
    // `aws lambda list-functions` output, and iamkit's document saying it is every function
    let functions = write(
        "functions.json",
        r#"{"Functions":[{"FunctionName":"deploy","FunctionArn":"arn:aws:lambda:eu-west-1:111122223333:function:deploy","Role":"arn:aws:iam::111122223333:role/ops","Runtime":"python3.12"}]}"#,
    );
    let complete = write("complete.json", r#"{"complete":["lambda"]}"#);
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_iamkit"))
            .args([
                "account",
                "escalations",
                &acct,
                "--as-of",
                "2026-12-01T00:00:00Z",
            ])
            .args(extra)
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            out.status.code().unwrap(),
        )
    };
    let (text, code) = run(&["--resources", &functions, "--resources", &complete]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("user arn:aws:iam::111122223333:user/dev -> administrator (exact, 1 hop"),
        "{text}"
    );
    assert!(
        text.contains("by lambda:UpdateFunctionCode + lambda:InvokeFunction (lambda-004) via arn:aws:lambda:eu-west-1:111122223333:function:deploy"),
        "{text}"
    );
    // without the inventory the grant names no resource iamkit knows of
    let (bare, _) = run(&[]);
    assert!(!bare.contains("user/dev ->"), "{bare}");
    // every function listed, none of them dev's: no path
    let (none, _) = run(&["--resources", &complete]);
    assert!(!none.contains("user/dev ->"), "{none}");
    let bad = write("bad.json", r#"{"Functions":{}}"#);
    let (err, code) = run(&["--resources", &bad]);
    assert_ne!(code, 0);
    assert!(
        err.contains("IAM_INPUT_SCHEMA") && err.contains("Functions"),
        "{err}"
    );
}
