//! Every conformance case, in this process, through the Rust API (the same stream every language
//! answers).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use iamkit_conformance::{
    cases_dir, read_corpus, run_in_process, samples_dir, shared_data_required,
};

#[test]
fn every_case_passes_in_rust() {
    let corpus = read_corpus(&cases_dir()).unwrap();
    let checked = run_in_process(&corpus, &samples_dir(), shared_data_required()).unwrap();
    println!("{}", checked.report("rust"));
    assert!(checked.ok(), "{}", checked.report("rust"));
}

#[test]
fn a_wrong_expectation_fails() {
    let dir = std::env::temp_dir().join(format!("iamkit-conformance-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("eval")).unwrap();
    let case = r#"{"name":"wrong on purpose","call":"evaluate","input":{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"policies":{"identity":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}},"expect":{"answer":{"decision":"implicitDeny"}}}"#;
    let error = case
        .replace("wrong on purpose", "an error where there is none")
        .replace(
            r#"{"answer":{"decision":"implicitDeny"}}"#,
            r#"{"error":{"code":"IAM_POLICY_JSON"}}"#,
        );
    let right = case
        .replace("wrong on purpose", "right")
        .replace("implicitDeny", "allowed");
    std::fs::write(
        dir.join("eval/x.jsonl"),
        format!("{case}\n{error}\n{right}\n"),
    )
    .unwrap();
    let corpus = read_corpus(&dir).unwrap();
    let checked = run_in_process(&corpus, &samples_dir(), false).unwrap();
    assert_eq!(checked.passed, 1);
    assert_eq!(checked.failed.len(), 2);
    assert!(!checked.ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_corpus_refuses_a_name_used_twice() {
    let dir = std::env::temp_dir().join(format!("iamkit-conformance-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = r#"{"name":"twice","call":"validate","input":{"policy":{}},"expect":{"answer":{"valid":false}}}"#;
    std::fs::write(dir.join("a.jsonl"), format!("{case}\n{case}\n")).unwrap();
    assert!(read_corpus(&dir).unwrap_err().contains("used twice"));
    std::fs::remove_dir_all(&dir).unwrap();
}
