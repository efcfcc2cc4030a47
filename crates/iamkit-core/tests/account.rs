//! The entity model: every case in `tests/cases/account`, the four authorization-details samples
//! in `../shared/data` (under `CI=true` a missing folder fails), and the managed-policy corpus as
//! the source of referenced AWS managed documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::collections::BTreeMap;

use iamkit_core::account::LoadOptions;
use iamkit_core::catalog::Catalog;
use iamkit_core::inputs::{AccessKeyKind, TemporaryCredentials};
use iamkit_core::{Account, AccountQuery, Decision};

mod common;
use common::shared;

fn managed_documents() -> BTreeMap<String, String> {
    let Some(dir) = shared("managed-policies") else {
        return BTreeMap::new();
    };
    std::fs::read_to_string(dir.join("managed-policies.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["arn"].as_str().unwrap().to_string(),
                v["document"].to_string(),
            )
        })
        .collect()
}

#[test]
fn every_sample_loads_and_answers_who_can_create_users() {
    let Some(dir) = shared("authorization-details") else {
        return;
    };
    let options = LoadOptions {
        managed_policy_documents: managed_documents(),
        ..LoadOptions::default()
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let account =
            Account::load(&text, &options).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen += 1;
        assert!(account.id().is_some(), "{}", path.display());
        let who = account
            .who_can(
                &AccountQuery::new("iam:CreateUser", "*"),
                Catalog::embedded_if_built(),
            )
            .unwrap();
        // every administrator can create users, and every answer is backed by an Allow statement
        for admin in account.administrators() {
            assert!(
                who.allowed.iter().any(|e| e.principal == admin),
                "{}: administrator {admin} cannot create users",
                path.display()
            );
        }
        for e in &who.allowed {
            assert!(
                !e.statements.is_empty(),
                "{}: {} has no statement",
                path.display(),
                e.principal
            );
            let ev = account
                .evaluate(&e.principal, &AccountQuery::new("iam:CreateUser", "*"))
                .unwrap();
            assert_eq!(ev.decision, Decision::Allowed);
        }
        // with AWS managed documents supplied, nothing is left undecided
        assert!(
            who.undecided.is_empty(),
            "{}: undecided {:?}",
            path.display(),
            who.undecided
        );
    }
    assert_eq!(seen, 4);
}

#[test]
fn access_keys_and_instance_credentials() {
    assert_eq!(
        AccessKeyKind::classify("AKIAIOSFODNN7EXAMPLE"),
        AccessKeyKind::LongTerm
    );
    assert_eq!(
        AccessKeyKind::classify("ASIAIOSFODNN7EXAMPLE"),
        AccessKeyKind::Temporary
    );
    assert_eq!(
        AccessKeyKind::classify("AIDAEXAMPLE"),
        AccessKeyKind::Unknown
    );
    let doc = r#"{"Code": "Success", "LastUpdated": "2026-11-23T08:00:00Z", "Type": "AWS-HMAC",
        "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s3cr3t", "Token": "tok",
        "Expiration": "2026-11-23T14:00:00Z"}"#;
    let c = TemporaryCredentials::from_json_str(doc).unwrap();
    assert!(
        c.is_expired_at("2026-11-23T14:00:00Z").unwrap(),
        "expired at the instant itself"
    );
    assert!(!c.is_expired_at("2026-11-23T13:59:59Z").unwrap());
    assert!(!format!("{c:?}").contains("s3cr3t"));
    let r = c.report(Some("2026-11-24T00:00:00Z")).unwrap();
    assert!(r.expired && r.key_kind == AccessKeyKind::Temporary);
    assert!(TemporaryCredentials::from_json_str(r#"{"Code": "Success"}"#).is_err());
    let bad_date = doc.replace("2026-11-23T14:00:00Z", "soon");
    assert!(TemporaryCredentials::from_json_str(&bad_date).is_err());
}
