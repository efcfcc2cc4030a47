//! A resource inventory: the running resources that have a role (Lambda functions, EC2 instances,
//! CloudFormation stacks, ...). IAM data does not list them, so without an inventory a technique
//! that takes over an existing resource is only `possible`; with one, it goes through the
//! resources listed (exact, unless what it changes must still be run: a function invoked, an
//! instance launched), and for a service the inventory lists completely (`complete`: every
//! account and region, every kind of resource of it the techniques use), only through those.
//!
//! An inventory is iamkit's own document, AWS API responses as the SDKs return them, or an array
//! of both:
//! - `{"complete": ["lambda"], "resources": [{"arn": ..., "role": ...}, {"arn": ...,
//!   "instanceProfile": ...}]}`;
//! - Lambda `ListFunctions` (`Functions`), EC2 `DescribeInstances` (`Reservations`),
//!   CloudFormation `DescribeStacks` (`Stacks`), CodeBuild `BatchGetProjects` (`projects`).
//!
//! A response never says its service is complete (it holds one region, maybe one page): only
//! `complete` does.

use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};

/// A resource that runs with a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryResource {
    /// The resource's ARN.
    pub arn: String,
    /// The role it runs with, by ARN.
    pub role: Option<String>,
    /// The instance profile it runs with (EC2), by ARN.
    pub instance_profile: Option<String>,
}

/// The resources an escalation analysis may use (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Services (ARN prefixes: `lambda`, `ec2`) whose resources are all listed.
    pub complete: Vec<String>,
    /// The resources.
    pub resources: Vec<InventoryResource>,
}

/// The AWS responses whose items each name a resource and its role: (the list's key, the ARN's
/// key, the role's key) for Lambda `ListFunctions`, CloudFormation `DescribeStacks` and CodeBuild
/// `BatchGetProjects`.
const LISTS: [(&str, &str, &str); 3] = [
    ("Functions", "FunctionArn", "Role"),
    ("Stacks", "StackId", "RoleARN"),
    ("projects", "arn", "serviceRole"),
];

/// The most resources one inventory may list.
const MAX_RESOURCES: usize = 1_000_000;

impl Inventory {
    /// Reads an inventory from JSON text.
    pub fn from_json(text: &str) -> Result<Inventory> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InputSchema,
                format!("the resource inventory is not JSON: {e}"),
            )
        })?;
        Inventory::from_value(&value, "$")
    }

    /// Reads an inventory from a JSON value (`path` names it in errors).
    pub fn from_value(value: &Value, path: &str) -> Result<Inventory> {
        let mut inv = Inventory::default();
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    inv.read(item, &format!("{path}[{i}]"))?;
                }
            }
            _ => inv.read(value, path)?,
        }
        if inv.resources.len() > MAX_RESOURCES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "the resource inventory lists {} resources; at most {MAX_RESOURCES}",
                    inv.resources.len()
                ),
            ));
        }
        inv.complete.sort();
        inv.complete.dedup();
        Ok(inv)
    }

    /// Whether every resource of `service` is listed.
    pub fn is_complete(&self, service: &str) -> bool {
        self.complete.iter().any(|s| s == service)
    }

    fn read(&mut self, value: &Value, path: &str) -> Result<()> {
        let Some(obj) = value.as_object() else {
            return Err(schema(path, "is not an object"));
        };
        const KNOWN: [&str; 6] = [
            "complete",
            "resources",
            "Functions",
            "Reservations",
            "Stacks",
            "projects",
        ];
        if !KNOWN.iter().any(|k| obj.contains_key(*k)) {
            return Err(schema(
                path,
                "has none of `resources`, `complete`, `Functions` (Lambda ListFunctions), \
                 `Reservations` (EC2 DescribeInstances), `Stacks` (CloudFormation DescribeStacks) \
                 or `projects` (CodeBuild BatchGetProjects)",
            ));
        }
        let own = obj.contains_key("resources") || obj.contains_key("complete");
        if own {
            // iamkit's own document is strict: a misspelt key is refused, not ignored
            if let Some(k) = obj.keys().find(|k| *k != "resources" && *k != "complete") {
                return Err(schema(
                    &format!("{path}.{k}"),
                    "is not a key of an inventory (`resources`, `complete`)",
                ));
            }
        }
        for (i, s) in array(obj, "complete", path)?.iter().enumerate() {
            let s = s
                .as_str()
                .filter(|s| !s.is_empty() && !s.contains([':', '*', '?']))
                .ok_or_else(|| {
                    schema(
                        &format!("{path}.complete[{i}]"),
                        "is not a service prefix (`lambda`, `ec2`)",
                    )
                })?;
            self.complete.push(s.to_ascii_lowercase());
        }
        for (i, r) in array(obj, "resources", path)?.iter().enumerate() {
            let at = format!("{path}.resources[{i}]");
            let Some(o) = r.as_object() else {
                return Err(schema(&at, "is not an object"));
            };
            if let Some(k) = o
                .keys()
                .find(|k| !["arn", "role", "instanceProfile"].contains(&k.as_str()))
            {
                return Err(schema(
                    &format!("{at}.{k}"),
                    "is not a key of a resource (`arn`, `role`, `instanceProfile`)",
                ));
            }
            let arn = arn_at(o.get("arn"), &format!("{at}.arn"))?
                .ok_or_else(|| schema(&format!("{at}.arn"), "is missing"))?;
            let role = arn_at(o.get("role"), &format!("{at}.role"))?;
            let profile = arn_at(o.get("instanceProfile"), &format!("{at}.instanceProfile"))?;
            self.push(arn, role, profile);
        }
        for (list, arn_key, role_key) in LISTS {
            for (i, item) in array(obj, list, path)?.iter().enumerate() {
                let at = format!("{path}.{list}[{i}]");
                // a deleted stack runs nothing
                if item.get("StackStatus").and_then(Value::as_str) == Some("DELETE_COMPLETE") {
                    continue;
                }
                let arn = arn_at(item.get(arn_key), &format!("{at}.{arn_key}"))?
                    .ok_or_else(|| schema(&format!("{at}.{arn_key}"), "is missing"))?;
                let role = arn_at(item.get(role_key), &format!("{at}.{role_key}"))?;
                self.push(arn, role, None);
            }
        }
        for (i, r) in array(obj, "Reservations", path)?.iter().enumerate() {
            let at = format!("{path}.Reservations[{i}]");
            let Some(r) = r.as_object() else {
                return Err(schema(&at, "is not an object"));
            };
            let owner = r
                .get("OwnerId")
                .and_then(Value::as_str)
                .filter(|o| o.len() == 12 && o.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| schema(&format!("{at}.OwnerId"), "is not an account id"))?;
            for (j, inst) in array(r, "Instances", &at)?.iter().enumerate() {
                let at = format!("{at}.Instances[{j}]");
                let state = inst.pointer("/State/Name").and_then(Value::as_str);
                if matches!(state, Some("terminated" | "shutting-down")) {
                    continue;
                }
                let profile = arn_at(
                    inst.pointer("/IamInstanceProfile/Arn"),
                    &format!("{at}.IamInstanceProfile.Arn"),
                )?;
                let Some(profile) = profile else { continue };
                let id = inst
                    .get("InstanceId")
                    .and_then(Value::as_str)
                    .filter(|i| i.starts_with("i-") && !i.contains(['/', ':', '*', '?']))
                    .ok_or_else(|| schema(&format!("{at}.InstanceId"), "is not an instance id"))?;
                let region = inst
                    .pointer("/Placement/AvailabilityZone")
                    .and_then(Value::as_str)
                    .and_then(region_of)
                    .ok_or_else(|| {
                        schema(
                            &format!("{at}.Placement.AvailabilityZone"),
                            "is not an availability zone",
                        )
                    })?;
                let partition = profile.split(':').nth(1).unwrap_or("aws").to_string();
                let arn = format!("arn:{partition}:ec2:{region}:{owner}:instance/{id}");
                self.push(arn, None, Some(profile));
            }
        }
        Ok(())
    }

    fn push(&mut self, arn: String, role: Option<String>, instance_profile: Option<String>) {
        if role.is_some() || instance_profile.is_some() {
            self.resources.push(InventoryResource {
                arn,
                role,
                instance_profile,
            });
        }
    }
}

/// The region of an availability zone (`us-east-1a`, `us-west-2-lax-1a`: `us-west-2`).
fn region_of(zone: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in zone.split('-') {
        if part.starts_with(|c: char| c.is_ascii_digit()) {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            parts.push(digits);
            return (parts.len() >= 3).then(|| parts.join("-"));
        }
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        parts.push(part.to_string());
    }
    None
}

fn array<'v>(
    obj: &'v serde_json::Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'v [Value]> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(schema(&format!("{path}.{key}"), "is not an array")),
    }
}

/// An ARN at `path`: absent, or a string that parses as an ARN with no wildcard.
fn arn_at(value: Option<&Value>, path: &str) -> Result<Option<String>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s))
            if crate::arn::Arn::parse(s).is_some() && !s.contains(['*', '?']) =>
        {
            Ok(Some(s.clone()))
        }
        Some(_) => Err(schema(path, "is not an ARN")),
    }
}

fn schema(path: &str, what: &str) -> Error {
    Error::new(
        ErrorCode::InputSchema,
        format!("resource inventory: `{path}` {what}"),
    )
    .at(crate::error::Location::path(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_name_their_region() {
        assert_eq!(region_of("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(region_of("us-west-2-lax-1a").as_deref(), Some("us-west-2"));
        assert_eq!(
            region_of("us-gov-west-1b").as_deref(),
            Some("us-gov-west-1")
        );
        assert_eq!(region_of("use1-az1"), None);
        assert_eq!(region_of(""), None);
    }

    #[test]
    fn aws_responses_and_the_own_document_read_alike() {
        let inv = Inventory::from_json(
            r#"[{"Functions": [{"FunctionName": "f", "FunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:f", "Role": "arn:aws:iam::111122223333:role/r"}], "NextMarker": null},
                {"Reservations": [{"OwnerId": "111122223333", "Instances": [
                  {"InstanceId": "i-1", "Placement": {"AvailabilityZone": "eu-west-1b"}, "IamInstanceProfile": {"Arn": "arn:aws:iam::111122223333:instance-profile/p"}},
                  {"InstanceId": "i-2", "State": {"Name": "terminated"}, "Placement": {"AvailabilityZone": "eu-west-1b"}, "IamInstanceProfile": {"Arn": "arn:aws:iam::111122223333:instance-profile/p"}},
                  {"InstanceId": "i-3", "Placement": {"AvailabilityZone": "eu-west-1b"}}]}]},
                {"complete": ["Lambda"], "resources": [{"arn": "arn:aws:codebuild:us-east-1:111122223333:project/p", "role": "arn:aws:iam::111122223333:role/r"}]}]"#,
        )
        .unwrap();
        let arns: Vec<&str> = inv.resources.iter().map(|r| r.arn.as_str()).collect();
        assert_eq!(
            arns,
            [
                "arn:aws:lambda:us-east-1:111122223333:function:f",
                "arn:aws:ec2:eu-west-1:111122223333:instance/i-1",
                "arn:aws:codebuild:us-east-1:111122223333:project/p",
            ]
        );
        assert!(inv.is_complete("lambda") && !inv.is_complete("ec2"));
    }

    #[test]
    fn wrong_shapes_are_refused_with_their_path() {
        for (text, path) in [
            (r#"{"resource": []}"#, "`$`"),
            (r#"{"resources": [], "complet": []}"#, "`$.complet`"),
            (r#"{"resources": [{"arn": "x"}]}"#, "`$.resources[0].arn`"),
            (
                r#"{"resources": [{"role": "arn:aws:iam::1:role/r"}]}"#,
                "`$.resources[0].arn`",
            ),
            (r#"{"Functions": {}}"#, "`$.Functions`"),
            (
                r#"[{"Functions": [{"FunctionArn": 3}]}]"#,
                "`$[0].Functions[0].FunctionArn`",
            ),
            (r#"{"complete": ["ec2:*"]}"#, "`$.complete[0]`"),
            (
                r#"{"Reservations": [{"Instances": []}]}"#,
                "`$.Reservations[0].OwnerId`",
            ),
            ("[1]", "`$[0]`"),
        ] {
            let e = Inventory::from_json(text).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InputSchema, "{text}");
            assert!(e.message().contains(path), "{text}: {}", e.message());
        }
    }
}
