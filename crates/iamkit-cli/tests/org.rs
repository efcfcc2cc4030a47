//! `iamkit org` on examples/demo-org (written by scripts/gen-demo-org.py): every account in id
//! order, each with its own SCPs and RCPs, broken accounts reported without stopping the others,
//! roles assumed across accounts, and organization data that cannot be read refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-org")
}

fn run(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamkit"))
        .arg("org")
        .args(args)
        .args(["--as-of", "2026-12-01T00:00:00Z"])
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A copy of the demo organization to break, one folder per test.
fn copy(name: &str) -> PathBuf {
    fn walk(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                walk(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("iamkit-org-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    walk(&demo(), &dir);
    dir
}

fn status(rows: &[Value], account: &str, check: &str) -> Vec<String> {
    rows.iter()
        .filter(|r| r["accountId"] == account && r["checkId"] == check)
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_summary_answers_every_account_in_id_order_and_names_the_broken_ones() {
    let d = demo();
    let (out, code) = run(&["summary", d.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(code, 3, "two accounts cannot be read: {out}");
    let rows = lines(&out);
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["accountId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444",
            "555555555555"
        ]
    );
    assert_eq!(rows[3]["error"]["code"], "IAM_INPUT_JSON");
    assert_eq!(rows[4]["error"]["code"], "IAM_ORG_DATA");
    let prod = &rows[1];
    assert_eq!(prod["path"], "Root/Workloads/Prod");
    assert_eq!(
        prod["orgPath"],
        "o-demo12345/r-demo/ou-demo-workloads/ou-demo-prod/"
    );
    assert_eq!(
        prod["scps"],
        serde_json::json!([
            ["FullAWSAccess"],
            ["FullAWSAccess", "DenyRootAndLeave"],
            ["FullAWSAccess"],
            ["FullAWSAccess"]
        ])
    );
    assert_eq!(
        prod["summary"]["administrators"],
        serde_json::json!(["arn:aws:iam::222222222222:role/deploy"])
    );
    assert_eq!(rows[0]["management"], true);
}

#[test]
fn the_audit_judges_each_account_by_its_own_scps_and_the_organizations_checks() {
    let d = demo();
    let (out, code) = run(&["audit", d.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(code, 3);
    let rows = lines(&out);
    assert!(rows.iter().all(|r| r["accountId"].is_string()));
    // DenyRootAndLeave sits on Workloads: prod is covered, the sandbox is not, and SCPs do not
    // apply to the management account
    assert_eq!(
        status(&rows, "222222222222", "org-scp-denies-root"),
        ["pass"]
    );
    assert_eq!(
        status(&rows, "222222222222", "org-scp-denies-leave"),
        ["pass"]
    );
    assert_eq!(
        status(&rows, "333333333333", "org-scp-denies-root"),
        ["fail"]
    );
    assert_eq!(
        status(&rows, "333333333333", "org-scp-denies-leave"),
        ["fail"]
    );
    assert_eq!(
        status(&rows, "111111111111", "org-scp-denies-root"),
        ["notEvaluated"]
    );
    // partner-audit trusts 999999999999, outside the organization; deploy trusts the sandbox
    let outside: Vec<&Value> = rows
        .iter()
        .filter(|r| r["checkId"] == "org-trust-outside" && r["status"] == "fail")
        .collect();
    assert_eq!(outside.len(), 2, "{outside:?}");
    assert_eq!(
        outside[0]["resource"]["arn"],
        "arn:aws:iam::222222222222:role/partner-audit"
    );
    // anyone of another organization is outside it; anyone of this one is not
    assert_eq!(
        outside[1]["resource"]["arn"],
        "arn:aws:iam::222222222222:role/spoofed-org"
    );
    assert_eq!(status(&rows, "333333333333", "org-trust-outside"), ["pass"]);
    // the sandbox's SCP denies iam:CreateUser, not iam:PutUserPolicy: dev can still make itself
    // an administrator of the account
    assert_eq!(
        status(&rows, "333333333333", "privilege-escalation"),
        ["fail"]
    );
    // one JSON document, the same findings
    let (doc, _) = run(&["audit", d.to_str().unwrap(), "--format", "json"]);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(doc["organization"]["organizationId"], "o-demo12345");
    let accounts = doc["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 5);
    let findings: usize = accounts
        .iter()
        .map(|a| a["audit"]["findings"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        findings,
        rows.iter().filter(|r| r.get("error").is_none()).count()
    );
    // --fail-on still reports the broken accounts first
    let (_, code) = run(&[
        "audit",
        d.to_str().unwrap(),
        "--format",
        "jsonl",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(code, 3);
}

#[test]
fn roles_are_assumed_across_accounts_by_their_trust_the_callers_policies_and_the_rcps() {
    let d = demo();
    let (out, _) = run(&["assume", d.to_str().unwrap(), "--format", "jsonl"]);
    let pairs: Vec<(String, String)> = lines(&out)
        .iter()
        .filter(|r| r.get("error").is_none())
        .map(|r| {
            (
                r["principal"].as_str().unwrap().into(),
                r["role"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pair = |p: &str, r: &str| (p.to_string(), r.to_string());
    assert_eq!(
        pairs,
        [
            // org-readers trusts anyone of this organization (aws:PrincipalOrgID)
            pair(
                "arn:aws:iam::111111111111:user/org-admin",
                "arn:aws:iam::222222222222:role/org-readers"
            ),
            pair(
                "arn:aws:iam::333333333333:user/dev",
                "arn:aws:iam::222222222222:role/deploy"
            )
        ]
    );
    let who = |extra: &[&str]| {
        let mut args = vec![
            "who-can",
            d.to_str().unwrap(),
            "--format",
            "jsonl",
            "--action",
            "sts:AssumeRole",
            "--resource",
            "arn:aws:iam::222222222222:role/deploy",
        ];
        args.extend_from_slice(extra);
        let (out, _) = run(&args);
        lines(&out)
            .iter()
            .filter_map(|r| r["principal"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_eq!(who(&[]), ["arn:aws:iam::333333333333:user/dev"]);
    // prod's RCP lets only the organization's callers assume its roles
    assert!(who(&["--context", "aws:PrincipalOrgID=o-other"]).is_empty());
}

#[test]
fn an_scp_denies_within_its_subtree_only() {
    let d = demo();
    let who = |resource: &str| {
        let (out, _) = run(&[
            "who-can",
            d.to_str().unwrap(),
            "--format",
            "jsonl",
            "--action",
            "iam:CreateUser",
            "--resource",
            resource,
        ]);
        lines(&out)
            .iter()
            .filter_map(|r| r["principal"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    // SandboxGuard denies iam:CreateUser to dev (iam:*); prod's deploy (Allow *) is not below it
    assert_eq!(
        who("arn:aws:iam::333333333333:user/x"),
        Vec::<String>::new()
    );
    let prod = who("arn:aws:iam::222222222222:user/x");
    assert_eq!(prod, ["arn:aws:iam::222222222222:role/deploy"]);
}

#[test]
fn organization_data_that_cannot_be_read_is_refused_or_confined_to_the_accounts_below_it() {
    // no list of roots: the tree is unknown, nothing is answered
    let d = copy("roots");
    std::fs::remove_file(d.join("organization/list-roots.json")).unwrap();
    let (out, code) = run(&["summary", d.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("IAM_ORG_DATA") && out.contains("list-roots.json"),
        "{out}"
    );
    // an SCP that cannot be read: the accounts below it are errors naming it, the others answer
    let d = copy("scp");
    std::fs::write(
        d.join("organization/describe-policy/p-sandboxguard.json"),
        r#"{"Policy": {"Content": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\"}]}"}}"#,
    )
    .unwrap();
    let (out, code) = run(&["summary", d.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(code, 3);
    let rows = lines(&out);
    let sandbox = rows
        .iter()
        .find(|r| r["accountId"] == "333333333333")
        .unwrap();
    assert_eq!(sandbox["error"]["code"], "IAM_ORG_DATA");
    assert!(sandbox["error"]["message"]
        .as_str()
        .unwrap()
        .contains("SandboxGuard"));
    assert!(rows
        .iter()
        .find(|r| r["accountId"] == "222222222222")
        .unwrap()["error"]
        .is_null());
    // a folder the organization does not list cannot be placed
    let d = copy("unlisted");
    std::fs::create_dir_all(d.join("accounts/999999999999")).unwrap();
    let (out, _) = run(&["summary", d.to_str().unwrap(), "--format", "jsonl"]);
    let rows = lines(&out);
    let unlisted = rows
        .iter()
        .find(|r| r["accountId"] == "999999999999")
        .unwrap();
    assert!(unlisted["error"]["message"]
        .as_str()
        .unwrap()
        .contains("does not list"));
    // authorization details of another account in an account's folder
    let d = copy("other");
    std::fs::copy(
        d.join("accounts/333333333333/authorization-details.json"),
        d.join("accounts/222222222222/authorization-details.json"),
    )
    .unwrap();
    let (out, _) = run(&["summary", d.to_str().unwrap(), "--format", "jsonl"]);
    let rows = lines(&out);
    let prod = rows
        .iter()
        .find(|r| r["accountId"] == "222222222222")
        .unwrap();
    assert!(prod["error"]["message"]
        .as_str()
        .unwrap()
        .contains("of account 333333333333"));
}
