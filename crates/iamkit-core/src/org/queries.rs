//! Queries over an organization, one member account at a time: its summary line, who can do
//! something (with roles of other accounts that trust it), and who can assume roles across
//! accounts.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::{AccountFolder, Organization};
use crate::account::{add_org_keys, AccountQuery, OrgKeys, Summary, WhoCan};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::eval::compile::CompiledPolicy;
use crate::eval::{Decision, MatchedStatement};
use crate::policy::PolicyType;

/// The organization as a whole: what `iamkit org summary` says before the accounts' lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrgSummary {
    /// The organization's id.
    pub organization_id: String,
    /// The management account, when named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_account: Option<String>,
    /// The member accounts listed.
    pub accounts: usize,
    /// SCPs are enabled in the root.
    pub scps_enabled: bool,
    /// RCPs are enabled in the root.
    pub rcps_enabled: bool,
    /// Folders under `accounts/` the organization does not list.
    pub unlisted_folders: Vec<String>,
    /// The accounts a call answers when none are named, in that order: every listed account
    /// that is `ACTIVE` or has a folder, then the unlisted folders.
    pub default_accounts: Vec<String>,
}

/// One member account's line of the organization summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrgAccountSummary {
    /// The account's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The management account.
    pub management: bool,
    /// The names from the root down to the account's parent (`Root/Workloads/Prod`).
    pub path: String,
    /// `aws:PrincipalOrgPaths` of its principals.
    pub org_path: String,
    /// The SCPs on its path, by level (root first, the account last).
    pub scps: Vec<Vec<String>>,
    /// The RCPs on its path, likewise.
    pub rcps: Vec<Vec<String>>,
    /// The inputs its folder does not hold.
    pub missing_inputs: Vec<&'static str>,
    /// The account's summary, when its folder holds authorization details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
}

/// A principal of one account allowed to assume a role of another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CrossAccountAssume {
    /// The principal's account.
    pub from_account: String,
    /// The principal.
    pub principal: String,
    /// The role's account.
    pub to_account: String,
    /// The role.
    pub role: String,
    /// The statements that allow it (its own policies' and the trust policy's).
    pub statements: Vec<MatchedStatement>,
}

/// A role whose trust policy names another account of the organization (or anyone).
#[derive(Debug, Clone)]
pub struct TrustingRole {
    account: String,
    arn: String,
    trust: Arc<CompiledPolicy>,
    /// The organization's accounts the trust policy names; `None`: anyone (`*`).
    trusted: Option<Vec<String>>,
    rcps: Vec<Vec<Arc<CompiledPolicy>>>,
    org_path: String,
}

/// Every role of the organization that other accounts may assume, by the account trusted: the
/// organization-wide index `iamkit org assume` builds in a first pass.
#[derive(Debug, Clone, Default)]
pub struct CrossIndex {
    roles: Vec<TrustingRole>,
    by_account: HashMap<String, Vec<usize>>,
    by_arn: HashMap<String, usize>,
    any: Vec<usize>,
}

impl CrossIndex {
    /// Indexes the roles found account by account ([`Organization::trusting_roles`]).
    pub fn new(roles: Vec<TrustingRole>) -> CrossIndex {
        let mut index = CrossIndex::default();
        for (i, r) in roles.iter().enumerate() {
            index.by_arn.insert(r.arn.clone(), i);
            match &r.trusted {
                None => index.any.push(i),
                Some(accounts) => accounts
                    .iter()
                    .for_each(|a| index.by_account.entry(a.clone()).or_default().push(i)),
            }
        }
        index.roles = roles;
        index
    }

    /// The roles of other accounts whose trust policies may name `account`.
    fn trusting<'s>(&'s self, account: &'s str) -> impl Iterator<Item = &'s TrustingRole> + 's {
        let mut ids: Vec<usize> = self
            .any
            .iter()
            .chain(self.by_account.get(account).into_iter().flatten())
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|i| &self.roles[i])
            .filter(move |r| r.account != account)
    }

    /// The indexed role with this ARN.
    fn role(&self, arn: &str) -> Option<&TrustingRole> {
        self.by_arn.get(arn).map(|&i| &self.roles[i])
    }

    /// The number of roles indexed.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Whether no role is indexed.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }
}

impl Organization {
    /// The organization as a whole.
    pub fn summary(&self) -> OrgSummary {
        OrgSummary {
            organization_id: self.id.clone(),
            management_account: self.management.clone(),
            accounts: self.members.len(),
            scps_enabled: self.scps_enabled,
            rcps_enabled: self.rcps_enabled,
            unlisted_folders: self.unlisted_folders(),
            default_accounts: self.account_ids(None),
        }
    }

    /// One member account's summary line.
    pub fn account_summary(&self, account: &str, folder: &AccountFolder) -> OrgAccountSummary {
        let m = self.member(account);
        OrgAccountSummary {
            name: m.and_then(|m| m.name.clone()),
            management: m.is_some_and(|m| m.management),
            path: m.map(|m| m.path_names.join("/")).unwrap_or_default(),
            org_path: folder
                .placement
                .as_ref()
                .map(|p| p.org_path.clone())
                .unwrap_or_default(),
            scps: self.attached_names(account, PolicyType::Scp),
            rcps: self.attached_names(account, PolicyType::Rcp),
            missing_inputs: folder.missing.clone(),
            summary: folder.data.account.as_ref().map(|a| a.summary()),
        }
    }

    /// The roles of one account (loaded with [`Organization::load_account`]) that principals of
    /// other accounts of the organization may assume by their trust policies.
    pub fn trusting_roles(&self, account: &str, folder: &AccountFolder) -> Vec<TrustingRole> {
        let (Some(a), Some(placement)) = (&folder.data.account, &folder.placement) else {
            return Vec::new();
        };
        let rcps = if placement.management {
            Vec::new()
        } else {
            placement.rcps.clone()
        };
        let mut out = Vec::new();
        for role in a.roles() {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            let mut anyone = false;
            let mut accounts = Vec::new();
            for t in a.trusted_by(role) {
                if t.effect != crate::policy::Effect::Allow {
                    continue;
                }
                match (t.kind, t.account) {
                    ("anyone", _) => anyone = true,
                    ("account" | "principal", Some(x))
                        if x != account && self.member(&x).is_some() =>
                    {
                        accounts.push(x)
                    }
                    _ => {}
                }
            }
            accounts.sort();
            accounts.dedup();
            if !anyone && accounts.is_empty() {
                continue;
            }
            out.push(TrustingRole {
                account: account.to_string(),
                arn: role.arn.clone(),
                trust: trust.clone(),
                trusted: (!anyone).then_some(accounts),
                rcps: rcps.clone(),
                org_path: placement.org_path.clone(),
            });
        }
        out
    }

    /// Who in `account` can assume roles of other accounts (their trust policy and RCPs, this
    /// account's policies, boundaries and SCPs), by role then principal.
    pub fn cross_account_assume(
        &self,
        account: &str,
        folder: &AccountFolder,
        index: &CrossIndex,
    ) -> Result<Vec<CrossAccountAssume>> {
        let Some(a) = &folder.data.account else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for role in index.trusting(account) {
            let q = self.cross_query("sts:AssumeRole", &role.arn, role);
            for p in a.principals() {
                let ev = a.evaluate(&p.arn, &q)?;
                if ev.decision == Decision::Allowed {
                    out.push(CrossAccountAssume {
                        from_account: account.to_string(),
                        principal: p.arn.clone(),
                        to_account: role.account.clone(),
                        role: role.arn.clone(),
                        statements: ev.explain.statements,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The query for `action` on a role of another account: its trust policy as the resource
    /// policy, its account's RCPs and organization keys.
    fn cross_query(&self, action: &str, resource: &str, role: &TrustingRole) -> AccountQuery {
        let mut q = AccountQuery::new(action, resource);
        q.policies.resource = Some(role.trust.clone());
        q.policies.rcps = role.rcps.clone();
        add_org_keys(&mut q.context, &self.id, &role.org_path, OrgKeys::Resource);
        q
    }

    /// The account a query's resource belongs to: the ARN's own account segment, else
    /// `resourceAccount`; `None` for `*` and patterns that name none (each account's own
    /// resources). A single resource whose ARN names no account (an S3 object) needs
    /// `resourceAccount`: over a whole organization its owner cannot be guessed (fail closed).
    pub fn resource_owner(q: &AccountQuery) -> Result<Option<String>> {
        let named = q
            .resource
            .strip_prefix("arn:")
            .and_then(|rest| rest.split(':').nth(3))
            .filter(|a| !a.is_empty() && !a.contains(['*', '?']));
        if let Some(a) = named {
            return Ok(Some(a.to_string()));
        }
        if let Some(a) = &q.resource_account {
            return Ok(Some(a.clone()));
        }
        let single = q.literal_resource || !q.resource.contains(['*', '?']);
        if single && q.resource != "*" {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::InvalidArgument,
                format!(
                    "`{}` names no account: give resourceAccount, the account that holds it (over an organization its owner cannot be guessed)",
                    q.resource
                ),
            ));
        }
        Ok(None)
    }

    /// Who in `account` can do `q`'s action on its resource, with the account's SCPs. A resource
    /// of another account of the organization ([`Organization::resource_owner`]) is decided with
    /// that account's RCPs and organization keys, and an STS action on one of its roles with the
    /// role's trust policy as the resource policy (unless `q` gives one).
    pub fn who_can(
        &self,
        folder: &AccountFolder,
        q: &AccountQuery,
        index: Option<&CrossIndex>,
        catalog: Option<&Catalog>,
    ) -> Result<Option<WhoCan>> {
        let Some(a) = &folder.data.account else {
            return Ok(None);
        };
        let owner = Organization::resource_owner(q)?;
        let foreign = owner.filter(|o| a.id() != Some(o.as_str()));
        let Some(owner) = foreign else {
            return a.who_can(q, catalog).map(Some);
        };
        let Some(m) = self.member(&owner) else {
            // outside the organization: its RCPs and policies are not known here
            return a.who_can(q, catalog).map(Some);
        };
        let placement = self.placement(&m.id)?;
        let mut cq = q.clone();
        if !placement.management {
            cq.policies.rcps = placement
                .rcps
                .iter()
                .chain(&q.policies.rcps)
                .cloned()
                .collect();
        }
        add_org_keys(
            &mut cq.context,
            &placement.org_id,
            &placement.org_path,
            OrgKeys::Resource,
        );
        let sts = q.action.to_ascii_lowercase().starts_with("sts:");
        if sts && q.policies.resource.is_none() {
            if let Some(r) = index.and_then(|i| i.role(&q.resource)) {
                cq.policies.resource = Some(r.trust.clone());
            }
        }
        a.who_can(&cq, catalog).map(Some)
    }
}
