//! Runs every conformance case in `tests/cases/` through the Rust API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::{Path, PathBuf};

use iamkit_core::wire::{run_case, run_policy_case, split_cases, PolicyCase};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(json_files(&p));
        } else if p.extension().is_some_and(|x| x == "json" || x == "jsonl") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn eval_cases() {
    let files = json_files(&cases_dir().join("eval"));
    assert!(!files.is_empty(), "tests/cases/eval is missing or empty");
    let mut total = 0;
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let raws = split_cases(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for (i, raw) in raws.iter().enumerate() {
            total += 1;
            let r = run_case(raw, &text, i);
            assert!(
                names.insert(r.name.clone()),
                "duplicate case name {:?}",
                r.name
            );
            if r.pass != Some(true) {
                failures.push(format!(
                    "{}: {}\n    got: {}",
                    f.file_name().unwrap().to_string_lossy(),
                    r.name,
                    serde_json::to_string(&r).unwrap()
                ));
            }
        }
    }
    assert!(total >= 250, "only {total} eval cases");
    assert!(
        failures.is_empty(),
        "{} of {total} eval cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{total} eval cases passed");
}

#[test]
fn policy_cases() {
    let files = json_files(&cases_dir().join("policy"));
    assert!(!files.is_empty(), "tests/cases/policy is missing or empty");
    let mut total = 0;
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let raws = split_cases(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for raw in raws {
            total += 1;
            let case: PolicyCase<'_> = serde_json::from_str(raw.get())
                .unwrap_or_else(|e| panic!("{}: bad case {}: {e}", f.display(), raw.get()));
            if let Err(msg) = run_policy_case(&case) {
                failures.push(format!("{}: {msg}", case.name));
            }
        }
    }
    assert!(total > 0);
    assert!(
        failures.is_empty(),
        "{} of {total} policy cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{total} policy cases passed");
}

#[test]
fn the_runner_reports_a_wrong_expectation() {
    let text = r#"{"name": "wrong on purpose",
      "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
      "policies": {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]},
      "expected": {"decision": "implicitDeny"}}"#;
    let raws = split_cases(text).unwrap();
    let r = run_case(raws[0], text, 0);
    assert_eq!(r.pass, Some(false));
    let bad_error = text.replace(
        r#"{"decision": "implicitDeny"}"#,
        r#"{"error": {"code": "IAM_POLICY_JSON"}}"#,
    );
    let raws = split_cases(&bad_error).unwrap();
    assert_eq!(run_case(raws[0], &bad_error, 0).pass, Some(false));
    let denied_by = text.replace(
        r#"{"decision": "implicitDeny"}"#,
        r#"{"decision": "allowed", "deniedBy": "scp"}"#,
    );
    let raws = split_cases(&denied_by).unwrap();
    assert_eq!(run_case(raws[0], &denied_by, 0).pass, Some(false));
}

#[test]
fn a_malformed_request_fails_only_its_own_batch_answer() {
    let set = iamkit_core::wire::policy_set_from_json_str(
        r#"{"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}"#,
    )
    .unwrap();
    let out = iamkit_core::wire::evaluate_batch_json_str(
        &set,
        r#"[{"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*"},
            {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*", "bogus": 1},
            {"principal": "nobody", "action": "s3:GetObject", "resource": "*"}]"#,
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["decision"], "allowed");
    assert_eq!(v[1]["error"]["code"], "IAM_INPUT_SCHEMA");
    assert_eq!(v[1]["error"]["location"]["jsonPath"], "$[1]");
    assert_eq!(v[2]["error"]["code"], "IAM_REQUEST_PRINCIPAL");
}

#[test]
fn the_rust_api_refuses_policies_that_do_not_validate() {
    let mut set = iamkit_core::PolicySet::new();
    let bad = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "flase"}}}}"#;
    let err = set.add_identity(bad).unwrap_err();
    assert_eq!(err.code(), iamkit_core::ErrorCode::PolicyConditionValue);
    let no_action =
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "*"}}"#;
    assert_eq!(
        set.add_identity(no_action).unwrap_err().code(),
        iamkit_core::ErrorCode::PolicyMissingElement
    );
    let no_principal = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#;
    assert!(set.set_resource(no_principal).is_err());
}

#[test]
fn the_reason_cites_the_statement_of_the_step_that_decided() {
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/fixture.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let set =
        iamkit_core::wire::policy_set_from_json_str(&fixture["policies"].to_string()).unwrap();
    let req = iamkit_core::wire::request_from_json_str(&fixture["request"].to_string()).unwrap();
    let ev = set.evaluate(&req);
    assert_eq!(ev.decision, iamkit_core::Decision::Allowed);
    // SCP statements also matched, but the identity policy granted
    assert!(
        ev.explain.reason.contains("(ReadData) of identity[0]"),
        "{}",
        ev.explain.reason
    );
}
