//! The documents an input carries are read as strictly as the input itself: an array where an
//! object is expected is refused (never read by position) in authorization details, the password
//! policy, instance-metadata credentials and a catalog loaded at run time; the forms AWS writes
//! (a list given as one object, pages in an array) are still read.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use iamkit_core::account::LoadOptions;
use iamkit_core::catalog::Catalog;
use iamkit_core::inputs::{PasswordPolicySetting, TemporaryCredentials};
use iamkit_core::{Account, ErrorCode};

const ALICE: &str = r#"{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "GroupList": ["admins"], "UserPolicyList": [{"PolicyName": "all", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}"#;
const ADMINS: &str = r#"{"GroupName": "admins", "GroupId": "AGPAADMINS", "Arn": "arn:aws:iam::111122223333:group/admins"}"#;

fn load(text: &str) -> iamkit_core::Result<Account> {
    Account::load(text, &LoadOptions::default())
}

#[test]
fn authorization_details_refuse_arrays_for_objects() {
    let page = format!(r#"{{"UserDetailList": [{ALICE}], "GroupDetailList": [{ADMINS}]}}"#);
    assert_eq!(load(&page).unwrap().summary().users, 1);
    assert_eq!(
        load(&format!("[{page}, {page}]")).unwrap().summary().users,
        1
    );
    let refused = [
        // a page as an array, alone or in the list of pages
        format!("[[[{ALICE}]]]"),
        format!("[{page}, [[{ALICE}]]]"),
        // a user as an array (by position: Path, UserName, UserId, Arn)
        r#"{"UserDetailList": [["/", "alice", "AIDAALICE", "arn:aws:iam::111122223333:user/alice"]]}"#.to_string(),
        // an inline policy as an array, in a list and alone
        r#"{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "UserPolicyList": [["all", {}]]}]}"#.to_string(),
        r#"{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "UserPolicyList": ["all", {"Version": "2012-10-17", "Statement": []}]}]}"#.to_string(),
        // a boundary as an array
        r#"{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "PermissionsBoundary": ["arn:aws:iam::111122223333:policy/b"]}]}"#.to_string(),
    ];
    for text in &refused {
        let e = load(text).unwrap_err();
        assert_eq!(e.code(), ErrorCode::AccountData, "{text}: {e}");
        assert!(e.message().contains("invalid type"), "{e}");
    }
    // pages written one after another: each page strict too
    let e = load(&format!("{page}\n[[{ALICE}]]")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AccountData, "{e}");
}

/// The forms the AWS CLI documentation shows are still read: a list given as one object or one
/// string.
#[test]
fn a_list_given_as_one_element_is_still_read() {
    let page = r#"{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice",
        "GroupList": "admins",
        "UserPolicyList": {"PolicyName": "all", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
        "Tags": {"Key": "team", "Value": "ops"}}],
        "GroupDetailList": [{"GroupName": "admins", "GroupId": "AGPAADMINS", "Arn": "arn:aws:iam::111122223333:group/admins"}]}"#;
    let account = load(page).unwrap();
    let alice = &account.principals()[0];
    assert_eq!(alice.groups, ["admins"]);
    assert_eq!(alice.policies.len(), 1, "{:?}", alice.policies);
    assert!(account.is_administrator("alice").unwrap());
    // a list of the wrong element type is still an error
    let e = load(r#"{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "GroupList": [1]}]}"#).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AccountData, "{e}");
}

#[test]
fn the_password_policy_refuses_an_array() {
    let ok = PasswordPolicySetting::parse(r#"{"PasswordPolicy": {"MinimumPasswordLength": 14}}"#);
    assert!(matches!(ok, Ok(PasswordPolicySetting::Custom { .. })));
    for text in [
        r#"{"PasswordPolicy": [14, true, true, true, true, true, false, 90, 24, false]}"#,
        r#"[14, true]"#,
    ] {
        let e = PasswordPolicySetting::parse(text).unwrap_err();
        assert_eq!(e.code(), ErrorCode::AuditInput, "{text}: {e}");
    }
}

#[test]
fn instance_credentials_refuse_an_array() {
    let doc = r#"["Success", "2026-01-01T00:00:00Z", "AWS-HMAC", "ASIAEXAMPLE", "secret", "token", "2026-01-01T06:00:00Z"]"#;
    let e = TemporaryCredentials::from_json_str(doc).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InputSchema, "{e}");
}

#[test]
fn a_catalog_refuses_arrays_for_objects() {
    let catalog = |source: &str, globals: &str, action: &str| {
        format!(
            r#"{{"schema": "iamkit-service-reference/1", "source": {source}, "globalConditionKeys": {globals},
               "services": {{"s3": {{"name": "Amazon S3", "actions": {{"GetObject": {action}}}}}}}}}"#
        )
    };
    let source = r#"{"package": "p", "version": "1", "dataUpdatedAt": "2026-01-01"}"#;
    let globals = r#"{"aws:username": {"type": "String"}}"#;
    let action = r#"{"access": "Read", "resources": [{"name": "object", "required": true}]}"#;
    let c = Catalog::from_json_str(&catalog(source, globals, action)).unwrap();
    assert!(c.action("s3:getobject").is_some());
    for text in [
        catalog(r#"["p", "1", "2026-01-01"]"#, globals, action),
        catalog(source, r#"{"aws:username": ["String"]}"#, action),
        catalog(source, globals, r#"["Read", []]"#),
        catalog(
            source,
            globals,
            r#"{"access": "Read", "resources": [["object", true]]}"#,
        ),
    ] {
        let e = Catalog::from_json_str(&text).unwrap_err();
        assert_eq!(e.code(), ErrorCode::CatalogFormat, "{text}: {e}");
    }
}
