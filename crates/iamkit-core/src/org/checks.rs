//! The organization's own checks, run per member account beside the account's audit: SCPs that
//! deny the root user and leaving the organization, and roles that trust accounts outside it.

use serde_json::json;

use super::{AccountFolder, Organization};
use crate::audit::{CheckMeta, Evidence, Finding, Resource, Risk, Status};
use crate::eval::{Decision, PolicySet, Request};
use crate::inputs::Instant;

/// One organization check: its stable id and what its findings say.
#[derive(Debug, Clone, Copy)]
pub struct OrgCheck {
    /// The stable id.
    pub id: &'static str,
    /// The title.
    pub title: &'static str,
    /// How serious a failure is.
    pub severity: Risk,
    /// What to do when it fails.
    pub remediation: &'static str,
    /// An AWS CLI command that does it.
    pub cli: Option<&'static str>,
}

/// Every organization check, in the order their findings come.
pub const ORG_CHECKS: [OrgCheck; 3] = [
    OrgCheck {
        id: "org-scp-denies-root",
        title: "SCPs deny the member account's root user",
        severity: Risk::Medium,
        remediation: "Attach to the account, or an OU above it, an SCP that denies every action to the root user (Deny `*` with a condition StringLike aws:PrincipalArn arn:aws:iam::*:root), and manage root access centrally.",
        cli: Some("aws organizations attach-policy --policy-id <deny-root-scp-id> --target-id <account-or-ou-id>"),
    },
    OrgCheck {
        id: "org-scp-denies-leave",
        title: "SCPs deny leaving the organization",
        severity: Risk::Medium,
        remediation: "Attach to the root or an OU above the account an SCP that denies organizations:LeaveOrganization, so that no one in the account can take it, and its guardrails, out of the organization.",
        cli: Some("aws organizations attach-policy --policy-id <deny-leave-scp-id> --target-id <root-or-ou-id>"),
    },
    OrgCheck {
        id: "org-trust-outside",
        title: "No role trusts an account outside the organization",
        severity: Risk::High,
        remediation: "Remove the outside account from the role's trust policy, or, if the partner is meant to assume the role, require sts:ExternalId and document the partner; for `*`, add a condition on aws:PrincipalOrgID.",
        cli: Some("aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json"),
    },
];

/// The actions the root user is probed with: an SCP that denies the root user denies them all.
const ROOT_PROBES: [&str; 3] = ["iam:CreateUser", "ec2:RunInstances", "s3:PutObject"];

fn finding(
    check: &OrgCheck,
    status: Status,
    arn: &str,
    evidence: serde_json::Value,
    reason: String,
    as_of: Instant,
) -> Finding {
    let meta = CheckMeta {
        id: check.id,
        title: check.title,
        severity: check.severity,
        remediation: check.remediation,
        cli: check.cli,
        compliance: &[],
    };
    let resource = Resource {
        arn: arn.to_string(),
        slot: None,
    };
    Finding::of(
        meta,
        status,
        resource,
        Evidence::from(evidence),
        reason,
        as_of,
    )
}

impl Organization {
    /// The organization checks' findings for one member account (loaded with
    /// [`Organization::load_account`]).
    pub fn org_findings(
        &self,
        account: &str,
        folder: &AccountFolder,
        as_of: Instant,
    ) -> Vec<Finding> {
        let root = format!("arn:aws:iam::{account}:root");
        let mut out = Vec::new();
        let Some(placement) = &folder.placement else {
            return out;
        };
        let scp_checks = [
            (&ORG_CHECKS[0], ROOT_PROBES.to_vec(), vec![root.clone()]),
            (
                &ORG_CHECKS[1],
                vec!["organizations:LeaveOrganization"],
                vec![
                    root.clone(),
                    format!("arn:aws:iam::{account}:role/iamkit-org-probe"),
                ],
            ),
        ];
        for (check, actions, principals) in scp_checks {
            if placement.management {
                out.push(finding(
                    check,
                    Status::NotEvaluated,
                    &root,
                    json!({"management": true}),
                    "not evaluated: SCPs do not apply to the management account".into(),
                    as_of,
                ));
                continue;
            }
            if placement.scps.is_empty() {
                out.push(finding(
                    check,
                    Status::Fail,
                    &root,
                    json!({"scpsEnabled": false}),
                    "SCPs are not enabled in the organization's root, so none can deny it".into(),
                    as_of,
                ));
                continue;
            }
            let set = PolicySet {
                scps: placement.scps.clone(),
                ..PolicySet::default()
            };
            let not_denied = principals.iter().find_map(|p| {
                actions.iter().find_map(|a| {
                    let req = Request::builder(p.as_str(), *a, "*")
                        .literal_resource()
                        .context("aws:PrincipalOrgID", &placement.org_id)
                        .context_values(
                            "aws:PrincipalOrgPaths",
                            smallvec::smallvec![crate::eval::ContextValue::from_text(
                                &placement.org_path
                            )],
                            true,
                        )
                        .build()
                        .ok()?;
                    let d = set.decide(&req);
                    (d != Decision::ExplicitDeny).then(|| (p.clone(), a.to_string(), d))
                })
            });
            out.push(match not_denied {
                None => finding(
                    check,
                    Status::Pass,
                    &root,
                    json!({"actions": actions, "principals": principals}),
                    format!(
                        "the account's SCPs deny {} to {}",
                        actions.join(", "),
                        principals.join(" and ")
                    ),
                    as_of,
                ),
                Some((p, a, d)) => finding(
                    check,
                    Status::Fail,
                    &root,
                    json!({"principal": p, "action": a, "decision": d.as_str()}),
                    format!(
                        "no SCP on the account's path denies `{a}` to `{p}` (the SCPs alone: {})",
                        d.as_str()
                    ),
                    as_of,
                ),
            });
        }
        out.extend(self.trust_outside(account, folder, as_of));
        out
    }

    /// Whether a trust statement's conditions pin the caller to this organization: every value
    /// they give `aws:PrincipalOrgID` is its id, every `aws:PrincipalOrgPaths` value starts with
    /// `ID/` (a condition naming another organization lets that one in).
    fn pins_own_org(&self, conditions: &serde_json::Value) -> bool {
        let prefix = format!("{}/", self.id);
        let mut seen = false;
        let ok = conditions
            .as_object()
            .into_iter()
            .flat_map(|ops| ops.values())
            .filter_map(|block| block.as_object())
            .flat_map(|block| block.iter())
            .all(|(key, values)| {
                let values: Vec<&str> = match values {
                    serde_json::Value::String(v) => vec![v.as_str()],
                    serde_json::Value::Array(vs) => vs.iter().filter_map(|v| v.as_str()).collect(),
                    _ => Vec::new(),
                };
                if key.eq_ignore_ascii_case("aws:PrincipalOrgID") {
                    seen = true;
                    !values.is_empty() && values.iter().all(|v| *v == self.id)
                } else if key.eq_ignore_ascii_case("aws:PrincipalOrgPaths") {
                    seen = true;
                    !values.is_empty() && values.iter().all(|v| v.starts_with(&prefix))
                } else {
                    true
                }
            });
        seen && ok
    }

    /// `org-trust-outside`: each role whose trust policy names an account outside the
    /// organization (or anyone, with no condition pinning the caller to this organization).
    fn trust_outside(&self, account: &str, folder: &AccountFolder, as_of: Instant) -> Vec<Finding> {
        let check = &ORG_CHECKS[2];
        let root = format!("arn:aws:iam::{account}:root");
        let Some(a) = &folder.data.account else {
            return vec![finding(
                check,
                Status::NotEvaluated,
                &root,
                json!({"missingInput": "authorizationDetails"}),
                "not evaluated: authorizationDetails was not supplied".into(),
                as_of,
            )];
        };
        let mut out = Vec::new();
        for role in a.roles() {
            let outside: Vec<String> = a
                .trusted_by(role)
                .into_iter()
                .filter(|t| t.effect == crate::policy::Effect::Allow)
                .filter(|t| match t.kind {
                    "anyone" => !(t.org && self.pins_own_org(&t.conditions)),
                    "account" | "principal" => t
                        .account
                        .as_deref()
                        .is_some_and(|x| self.member(x).is_none()),
                    _ => false,
                })
                .map(|t| t.value)
                .collect();
            if !outside.is_empty() {
                out.push(finding(
                    check,
                    Status::Fail,
                    &role.arn,
                    json!({"outside": outside}),
                    format!(
                        "the trust policy of `{}` names {} outside the organization {}",
                        role.arn,
                        outside
                            .iter()
                            .map(|o| format!("`{o}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        self.id
                    ),
                    as_of,
                ));
            }
        }
        if out.is_empty() {
            out.push(finding(
                check,
                Status::Pass,
                &root,
                json!({"roles": a.roles().len()}),
                format!(
                    "none of the account's {} roles trusts an account outside the organization",
                    a.roles().len()
                ),
                as_of,
            ));
        }
        out
    }
}
