//! The AWS Organizations outputs an organization folder holds, as the AWS CLI writes them (fields
//! iamkit does not read are ignored: AWS adds fields over time).

use serde::Deserialize;

/// `aws organizations describe-organization`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DescribeOrganization {
    pub organization: OrganizationInfo,
}

/// The organization.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct OrganizationInfo {
    pub id: String,
    #[serde(default)]
    pub master_account_id: Option<String>,
    #[serde(default)]
    pub feature_set: Option<String>,
}

/// `aws organizations list-roots`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListRoots {
    pub roots: Vec<RootInfo>,
}

/// A root, with the policy types enabled in it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RootInfo {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub policy_types: Vec<PolicyTypeStatus>,
}

/// A policy type and whether it is enabled.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyTypeStatus {
    #[serde(rename = "Type")]
    pub kind: String,
    pub status: String,
}

/// `aws organizations list-organizational-units-for-parent --parent-id ID`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListOus {
    pub organizational_units: Vec<OuInfo>,
}

/// An organizational unit.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct OuInfo {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `aws organizations list-accounts-for-parent --parent-id ID`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListAccounts {
    pub accounts: Vec<AccountInfo>,
}

/// A member account.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AccountInfo {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE` (the older field).
    #[serde(default)]
    pub status: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, `CLOSED`, ... (the newer field, when present).
    #[serde(default)]
    pub state: Option<String>,
}

/// `aws organizations list-policies --filter TYPE`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListPolicies {
    pub policies: Vec<PolicySummary>,
}

/// A policy's summary.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicySummary {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `aws organizations describe-policy --policy-id ID`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DescribePolicy {
    pub policy: PolicyWithContent,
}

/// A policy and its content (a JSON text).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyWithContent {
    pub content: String,
}

/// `aws organizations list-targets-for-policy --policy-id ID`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListTargets {
    pub targets: Vec<TargetInfo>,
}

/// A root, an OU or an account a policy is attached to.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct TargetInfo {
    pub target_id: String,
}
