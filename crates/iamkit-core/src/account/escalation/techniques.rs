//! The technique catalog: pathfinding.cloud's escalation paths (plus `iam:SetDefaultPolicyVersion`),
//! read from the table `scripts/gen-escalation-techniques.py` derives from it, and how iamkit
//! models each one.

use std::sync::OnceLock;

use serde::Serialize;

/// The derived table (Apache-2.0; its notice is kept in the file and in NOTICE).
const TABLE: &str = include_str!("../../../data/escalation-techniques.tsv");

/// A technique of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Technique {
    /// The catalog id (`iam-001`, `lambda-001`; `iamkit-001` for the one iamkit adds).
    pub id: String,
    /// The catalog's name: the permissions it uses (`iam:PassRole + lambda:CreateFunction + ...`).
    pub name: String,
    /// `self-escalation`, `principal-access`, `new-passrole` or `existing-passrole`.
    pub category: String,
    /// The permissions it requires.
    pub required: Vec<String>,
    /// The service principals a passed or used role must trust (`lambda.amazonaws.com`).
    pub services: Vec<String>,
    /// How iamkit models it: `upgrade` (makes a principal an administrator), `reach` (obtains a
    /// principal's permissions), `composite` (an upgrade then a reach, found as those two hops),
    /// or `notModeled`.
    pub model: &'static str,
    /// Why it is not modeled, or how it is.
    pub note: &'static str,
}

/// What a technique does in the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Model {
    /// Makes a principal an administrator by changing its permissions.
    Upgrade(Upgrade),
    /// Obtains another principal's permissions.
    Reach(Reach),
    /// Two modeled steps at once (`iam:AttachRolePolicy + sts:AssumeRole`): found as its parts.
    Composite,
    /// Not modeled (the reason is in the table's note).
    NotModeled,
}

/// The ways to change a principal's permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upgrade {
    /// `iam:PutUserPolicy` on the user.
    PutUserPolicy,
    /// `iam:AttachUserPolicy` on the user (with `iam:PolicyARN` an administrator policy).
    AttachUserPolicy,
    /// `iam:PutRolePolicy` on the role.
    PutRolePolicy,
    /// `iam:AttachRolePolicy` on the role.
    AttachRolePolicy,
    /// `iam:PutGroupPolicy` on a group of the user.
    PutGroupPolicy,
    /// `iam:AttachGroupPolicy` on a group of the user.
    AttachGroupPolicy,
    /// `iam:CreatePolicyVersion` on a customer managed policy the principal has.
    CreatePolicyVersion,
    /// `iam:SetDefaultPolicyVersion` on a customer managed policy with another version.
    SetDefaultPolicyVersion,
    /// `iam:AddUserToGroup` of the user to a group whose policies make it an administrator.
    AddUserToGroup,
}

/// The ways to obtain another principal's permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// `iam:CreateAccessKey` for the user.
    CreateAccessKey,
    /// `iam:CreateAccessKey` + `iam:DeleteAccessKey` for a user with two keys.
    RotateAccessKey,
    /// `iam:CreateLoginProfile` for a user without a console password.
    CreateLoginProfile,
    /// `iam:UpdateLoginProfile` for a user with a console password.
    UpdateLoginProfile,
    /// `sts:AssumeRole` of the role (its trust policy and the caller's policies).
    AssumeRole,
    /// `iam:UpdateAssumeRolePolicy` of the role, then `sts:AssumeRole`.
    UpdateAssumeRolePolicy,
    /// Pass the role to a new compute resource of a service the role trusts.
    NewPassRole,
    /// Use a running resource that already has the role (possible: IAM data does not list the
    /// resources; exact for those a resource inventory lists).
    ExistingPassRole,
}

/// How iamkit models the technique `id`, with a note for the documentation.
fn model_of(id: &str, category: &str) -> (Model, &'static str) {
    use Model::*;
    match id {
        "iam-001" => (
            Upgrade(self::Upgrade::CreatePolicyVersion),
            "a new default version of a customer managed policy the principal (or its group) has",
        ),
        "iamkit-001" => (
            Upgrade(self::Upgrade::SetDefaultPolicyVersion),
            "possible only when the policy has another version (its documents are not compared)",
        ),
        "iam-005" => (
            Upgrade(self::Upgrade::PutRolePolicy),
            "an inline policy on the role",
        ),
        "iam-007" => (
            Upgrade(self::Upgrade::PutUserPolicy),
            "an inline policy on the user",
        ),
        "iam-008" => (
            Upgrade(self::Upgrade::AttachUserPolicy),
            "AdministratorAccess attached to the user (iam:PolicyARN is set to it)",
        ),
        "iam-009" => (
            Upgrade(self::Upgrade::AttachRolePolicy),
            "AdministratorAccess attached to the role (iam:PolicyARN is set to it)",
        ),
        "iam-010" => (
            Upgrade(self::Upgrade::AttachGroupPolicy),
            "AdministratorAccess attached to a group of the user",
        ),
        "iam-011" => (
            Upgrade(self::Upgrade::PutGroupPolicy),
            "an inline policy on a group of the user",
        ),
        "iam-013" => (
            Upgrade(self::Upgrade::AddUserToGroup),
            "the user joins a group whose policies, with its own, make it an administrator",
        ),
        "iam-002" => (
            Reach(self::Reach::CreateAccessKey),
            "an access key for another user (with fewer than two keys, when the credential report says)",
        ),
        "iam-003" => (
            Reach(self::Reach::RotateAccessKey),
            "for a user with two access keys (from the credential report): delete one, create one",
        ),
        "iam-004" => (
            Reach(self::Reach::CreateLoginProfile),
            "a console password for a user without one",
        ),
        "iam-006" => (
            Reach(self::Reach::UpdateLoginProfile),
            "a new console password for a user with one",
        ),
        "iam-012" => (
            Reach(self::Reach::UpdateAssumeRolePolicy),
            "rewrite the role's trust policy, then assume it (the caller's policies must allow sts:AssumeRole on it)",
        ),
        "sts-001" => (
            Reach(self::Reach::AssumeRole),
            "assume the role: its trust policy and the caller's policies, boundaries and SCPs",
        ),
        "iam-014" | "iam-015" | "iam-016" | "iam-017" | "iam-018" | "iam-019" | "iam-020"
        | "iam-021" => (
            Composite,
            "found as its two steps: the change that makes the target an administrator, then the way to become it",
        ),
        "cloudformation-003" | "cloudformation-004" => (
            NotModeled,
            "the role passed is a StackSet administration role; the role that runs trusts that role, not a service, and which stack sets exist is not IAM data",
        ),
        "cloudformation-005" => (
            Reach(self::Reach::ExistingPassRole),
            "needs an existing stack whose service role is the role (change sets run with it): possible, or exact for a stack a resource inventory lists",
        ),
        "ec2instanceconnect-003" | "ec2-002" | "ec2-004" => (
            Reach(self::Reach::ExistingPassRole),
            "needs a running instance (or launch template) with the role's instance profile: possible, or exact for one a resource inventory lists",
        ),
        _ if category == "new-passrole" => (
            Reach(self::Reach::NewPassRole),
            "iam:PassRole on the role (iam:PassedToService set) and the service's actions; the role must trust the service",
        ),
        _ if category == "existing-passrole" => (
            Reach(self::Reach::ExistingPassRole),
            "needs an existing resource of the service that runs with the role: possible, or exact for one a resource inventory lists (its actions decided on that resource)",
        ),
        _ => (NotModeled, "not modeled"),
    }
}

/// The service principal a role must trust to be the role of an existing resource the technique
/// uses (the catalog names it only for new resources).
fn used_service(id: &str) -> &'static [&'static str] {
    let service = id.split('-').next().unwrap_or("");
    match service {
        "apprunner" => &["tasks.apprunner.amazonaws.com"],
        "bedrock" => &["bedrock-agentcore.amazonaws.com"],
        "cloudformation" => &["cloudformation.amazonaws.com"],
        "codebuild" => &["codebuild.amazonaws.com"],
        "ec2" | "ec2instanceconnect" | "ssm" => &["ec2.amazonaws.com"],
        "glue" => &["glue.amazonaws.com"],
        "lambda" => &["lambda.amazonaws.com"],
        "sagemaker" => &["sagemaker.amazonaws.com"],
        _ => &[],
    }
}

/// The kind of existing resource a technique takes over, when an inventory lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Uses {
    /// The service of the resource's ARN (`lambda`).
    pub(crate) service: &'static str,
    /// How the resource part of its ARN begins (`function:`).
    pub(crate) prefix: &'static str,
    /// The technique's actions that act on it (the others are requested on `*`).
    pub(crate) on: &'static [&'static str],
    /// What must still happen for the role to act, which no inventory shows (the hop stays
    /// possible): a function invoked, an instance launched.
    pub(crate) then: Option<&'static str>,
}

/// The existing resource technique `id` takes over (see [`Uses`]).
pub(crate) fn uses(id: &str) -> Option<Uses> {
    let (service, prefix, on): (_, _, &'static [&'static str]) = match id {
        "apprunner-002" => ("apprunner", "service/", &["apprunner:UpdateService"]),
        "bedrock-002" => (
            "bedrock-agentcore",
            "code-interpreter-custom/",
            &[
                "bedrock-agentcore:StartCodeInterpreterSession",
                "bedrock-agentcore:InvokeCodeInterpreter",
            ],
        ),
        "cloudformation-002" => ("cloudformation", "stack/", &["cloudformation:UpdateStack"]),
        "cloudformation-005" => (
            "cloudformation",
            "stack/",
            &[
                "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet",
            ],
        ),
        "codebuild-002" => ("codebuild", "project/", &["codebuild:StartBuild"]),
        "codebuild-003" => ("codebuild", "project/", &["codebuild:StartBuildBatch"]),
        "ec2-002" => (
            "ec2",
            "instance/",
            &[
                "ec2:ModifyInstanceAttribute",
                "ec2:StopInstances",
                "ec2:StartInstances",
            ],
        ),
        "ec2-004" => (
            "ec2",
            "launch-template/",
            &[
                "ec2:CreateLaunchTemplateVersion",
                "ec2:ModifyLaunchTemplate",
            ],
        ),
        "ec2instanceconnect-003" => (
            "ec2",
            "instance/",
            &["ec2-instance-connect:SendSSHPublicKey"],
        ),
        "glue-002" => ("glue", "devEndpoint/", &["glue:UpdateDevEndpoint"]),
        "lambda-003" => ("lambda", "function:", &["lambda:UpdateFunctionCode"]),
        "lambda-004" => (
            "lambda",
            "function:",
            &["lambda:UpdateFunctionCode", "lambda:InvokeFunction"],
        ),
        "lambda-005" => (
            "lambda",
            "function:",
            &["lambda:UpdateFunctionCode", "lambda:AddPermission"],
        ),
        "sagemaker-004" => (
            "sagemaker",
            "notebook-instance/",
            &["sagemaker:CreatePresignedNotebookInstanceUrl"],
        ),
        "sagemaker-005" => (
            "sagemaker",
            "notebook-instance/",
            &[
                "sagemaker:StopNotebookInstance",
                "sagemaker:UpdateNotebookInstance",
                "sagemaker:StartNotebookInstance",
            ],
        ),
        "ssm-001" => ("ec2", "instance/", &["ssm:StartSession"]),
        "ssm-002" => ("ec2", "instance/", &["ssm:SendCommand"]),
        _ => return None,
    };
    let then = match id {
        "lambda-003" => {
            Some("the function invoked after its code changes (by a trigger or a caller)")
        }
        "ec2-004" => Some("an instance launched from the template's new version"),
        _ => None,
    };
    Some(Uses {
        service,
        prefix,
        on,
        then,
    })
}

/// One technique with its model.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) technique: Technique,
    pub(crate) model: Model,
}

/// Every technique, in the table's order.
pub(crate) fn all() -> &'static [Entry] {
    static ALL: OnceLock<Vec<Entry>> = OnceLock::new();
    ALL.get_or_init(|| parse(TABLE))
}

fn parse(table: &str) -> Vec<Entry> {
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let [id, name, category, required, services] = cols[..] else {
                return None;
            };
            let (model, note) = model_of(id, category);
            let mut services = list(services);
            if services.is_empty() && model == Model::Reach(Reach::ExistingPassRole) {
                services = used_service(id).iter().map(|s| s.to_string()).collect();
            }
            Some(Entry {
                technique: Technique {
                    id: id.to_string(),
                    name: name.to_string(),
                    category: category.to_string(),
                    required: list(required),
                    services,
                    model: match model {
                        Model::Upgrade(_) => "upgrade",
                        Model::Reach(_) => "reach",
                        Model::Composite => "composite",
                        Model::NotModeled => "notModeled",
                    },
                    note,
                },
                model,
            })
        })
        .collect()
}

/// Every technique of the catalog, with how iamkit models it (for documentation and answers).
pub fn techniques() -> Vec<Technique> {
    all().iter().map(|e| e.technique.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_existing_resource_technique_names_the_resource_it_takes_over() {
        for e in all() {
            let existing = e.model == Model::Reach(Reach::ExistingPassRole);
            let Some(uses) = uses(&e.technique.id) else {
                assert!(!existing, "{} names no resource", e.technique.id);
                continue;
            };
            assert!(existing, "{}", e.technique.id);
            for action in uses.on {
                assert!(
                    e.technique.required.iter().any(|r| r == action),
                    "{}: {action} is not one of its actions",
                    e.technique.id
                );
            }
        }
    }

    #[cfg(feature = "embedded-catalog")]
    #[test]
    fn the_actions_said_to_act_on_a_resource_do_per_the_catalog() {
        let catalog = crate::catalog::Catalog::embedded();
        for e in all() {
            let Some(uses) = uses(&e.technique.id) else {
                continue;
            };
            // an App Runner service's ARN ends in its name and id
            let arns = ["example", "example/0123"].map(|tail| {
                format!(
                    "arn:aws:{}:us-east-1:111122223333:{}{tail}",
                    uses.service, uses.prefix
                )
            });
            for action in uses.on {
                let (service, a) = catalog.action(action).expect(action);
                let acts = a.resources.iter().any(|r| {
                    service.resource_type(&r.name).is_some_and(|t| {
                        arns.iter()
                            .any(|arn| crate::wildcard::covers_resource(&t.arn_glob, arn))
                    })
                });
                assert!(acts, "{action} does not act on {}", arns[0]);
            }
        }
    }

    #[test]
    fn the_table_holds_every_technique_once() {
        let all = all();
        assert_eq!(all.len(), 66, "65 from pathfinding.cloud and iamkit-001");
        let mut ids: Vec<&str> = all.iter().map(|e| e.technique.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 66);
        assert!(all.iter().all(|e| !e.technique.required.is_empty()));
    }

    #[test]
    fn every_passrole_technique_names_the_service_its_role_trusts() {
        for e in all() {
            if matches!(
                e.model,
                Model::Reach(Reach::NewPassRole | Reach::ExistingPassRole)
            ) {
                assert!(
                    !e.technique.services.is_empty(),
                    "{} names no service",
                    e.technique.id
                );
                assert_eq!(
                    e.technique.required.iter().any(|p| p == "iam:PassRole"),
                    e.model == Model::Reach(Reach::NewPassRole),
                    "{}: a new resource is passed the role, an existing one has it",
                    e.technique.id
                );
            }
        }
    }
}
