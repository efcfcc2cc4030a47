//! Whole organizations: the tree of roots, organizational units and accounts that AWS
//! Organizations returns, its SCPs and RCPs, and each member account's folder.
//!
//! An organization folder holds the AWS CLI's outputs, under the names of the commands that give
//! them (`scripts/collect-org.sh` fills it):
//!
//! ```text
//! ORG/organization/describe-organization.json
//! ORG/organization/list-roots.json
//! ORG/organization/list-organizational-units-for-parent/<parent-id>.json   (per root and OU)
//! ORG/organization/list-accounts-for-parent/<parent-id>.json               (per root and OU)
//! ORG/organization/list-policies/<SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY>.json
//! ORG/organization/describe-policy/<policy-id>.json
//! ORG/organization/list-targets-for-policy/<policy-id>.json
//! ORG/accounts/<account-id>/   (the layout `iamkit audit DIR` reads; any file may be missing)
//! ```
//!
//! [`Organization::open`] reads the tree and compiles the policies once (the organization-wide
//! index); each account is read on its own ([`Organization::load_account`]), so a caller holds
//! only the accounts it works on. Each account's SCP and RCP levels follow from its place in the
//! tree (root, each OU, the account) and apply to every query about it (see
//! [`crate::Account::with_placement`]).

mod aws;
pub mod checks;
mod folder;
mod queries;
mod run;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::account::Placement;
use crate::error::{Error, ErrorCode, Result};
use crate::eval::compile::CompiledPolicy;
use crate::policy::{Origin, PolicyType};

pub use folder::{AccountFolder, ACCOUNT_FILES};
pub use queries::{CrossAccountAssume, CrossIndex, OrgAccountSummary, OrgSummary, TrustingRole};
pub use run::{AccountAudit, AccountResult, OrgAnswer, OrgQuestion};

/// The deepest chain of organizational units read below a root (AWS allows five).
const MAX_OU_DEPTH: usize = 16;

/// A member account, as the organization lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// The 12-digit account id.
    pub id: String,
    /// The account's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its state (`ACTIVE`, `SUSPENDED`, ...), when listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The management account.
    pub management: bool,
    /// The ids from the root down to the account's parent.
    pub path: Vec<String>,
    /// The names along the same path (`Root`, `Workloads`, `Prod`), where listed.
    pub path_names: Vec<String>,
}

/// An SCP or RCP of the organization.
#[derive(Debug, Clone)]
struct OrgPolicy {
    name: String,
    kind: PolicyType,
    /// The compiled policy, or why it cannot be read.
    compiled: std::result::Result<Arc<CompiledPolicy>, Error>,
}

/// An organization: its tree and its compiled SCPs and RCPs. Accounts are read on demand.
#[derive(Debug, Clone)]
pub struct Organization {
    dir: PathBuf,
    id: String,
    management: Option<String>,
    members: Vec<Member>,
    by_id: HashMap<String, usize>,
    policies: HashMap<String, OrgPolicy>,
    /// Target id (root, OU, account) to the policies attached to it, in id order.
    attached: HashMap<String, Vec<String>>,
    scps_enabled: bool,
    rcps_enabled: bool,
    /// The roles other accounts may assume, read from every account the first time a question
    /// needs them.
    cross: std::sync::OnceLock<CrossIndex>,
    /// The account ids read so far (an account listed twice is refused).
    seen_accounts: HashSet<String>,
}

/// An organization data error naming the file.
fn org_error(file: &Path, message: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::OrgData, format!("{}: {message}", file.display()))
}

/// An id as AWS writes them (`o-...`, `r-...`, `ou-...`, `p-...`, 12 digits), safe as a file name.
fn check_id(id: &str, file: &Path) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(org_error(
            file,
            format!("`{id}` is not an AWS Organizations id"),
        ))
    }
}

impl Organization {
    /// Reads an organization folder's tree and policies (see the module documentation). A file
    /// the tree needs that is missing or unreadable is an `IAM_ORG_DATA` error; a policy whose
    /// document is missing or invalid is not: the accounts below it cannot be loaded (their
    /// error names it), the others can.
    pub fn open(dir: impl AsRef<Path>) -> Result<Organization> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.is_dir() {
            return Err(Error::new(
                ErrorCode::Io,
                format!("`{}` is not a folder", dir.display()),
            ));
        }
        let org_dir = dir.join("organization");
        let describe: aws::DescribeOrganization =
            folder::read_json(&org_dir.join("describe-organization.json"))?;
        let roots: aws::ListRoots = folder::read_json(&org_dir.join("list-roots.json"))?;
        let mut org = Organization {
            id: describe.organization.id,
            management: describe.organization.master_account_id,
            members: Vec::new(),
            by_id: HashMap::new(),
            policies: HashMap::new(),
            attached: HashMap::new(),
            scps_enabled: false,
            rcps_enabled: false,
            cross: std::sync::OnceLock::new(),
            seen_accounts: HashSet::new(),
            dir,
        };
        let all_features = describe
            .organization
            .feature_set
            .as_deref()
            .is_none_or(|f| f.eq_ignore_ascii_case("ALL"));
        let enabled = |root: &aws::RootInfo, kind: &str| {
            root.policy_types
                .iter()
                .any(|t| t.kind == kind && t.status.eq_ignore_ascii_case("ENABLED"))
        };
        let mut seen = HashSet::new();
        for root in &roots.roots {
            check_id(&root.id, &org_dir.join("list-roots.json"))?;
            org.scps_enabled |= all_features && enabled(root, "SERVICE_CONTROL_POLICY");
            org.rcps_enabled |= all_features && enabled(root, "RESOURCE_CONTROL_POLICY");
            let name = root.name.clone().unwrap_or_else(|| root.id.clone());
            org.walk(&org_dir, &root.id, vec![(root.id.clone(), name)], &mut seen)?;
        }
        org.members.sort_by(|a, b| a.id.cmp(&b.id));
        org.by_id = org
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        for (enabled, kind, filter) in [
            (org.scps_enabled, PolicyType::Scp, "SERVICE_CONTROL_POLICY"),
            (org.rcps_enabled, PolicyType::Rcp, "RESOURCE_CONTROL_POLICY"),
        ] {
            if enabled {
                org.read_policies(&org_dir, kind, filter)?;
            }
        }
        for list in org.attached.values_mut() {
            list.sort();
            list.dedup();
        }
        Ok(org)
    }

    /// Reads the OUs and accounts below `parent` (the ids and names from the root to it).
    fn walk(
        &mut self,
        org_dir: &Path,
        parent: &str,
        path: Vec<(String, String)>,
        seen: &mut HashSet<String>,
    ) -> Result<()> {
        let accounts_file = org_dir
            .join("list-accounts-for-parent")
            .join(format!("{parent}.json"));
        if !seen.insert(parent.to_string()) {
            return Err(org_error(
                &accounts_file,
                "the tree lists this parent twice",
            ));
        }
        if path.len() > MAX_OU_DEPTH + 1 {
            return Err(org_error(
                &accounts_file,
                "organizational units nest too deep",
            ));
        }
        let accounts: aws::ListAccounts = folder::read_json(&accounts_file)?;
        for a in accounts.accounts {
            check_id(&a.id, &accounts_file)?;
            if !self.seen_accounts.insert(a.id.clone()) {
                return Err(org_error(
                    &accounts_file,
                    format!("account {} is listed under two parents", a.id),
                ));
            }
            self.members.push(Member {
                management: self.management.as_deref() == Some(a.id.as_str()),
                id: a.id,
                name: a.name,
                state: a.state.or(a.status),
                path: path.iter().map(|(id, _)| id.clone()).collect(),
                path_names: path.iter().map(|(_, n)| n.clone()).collect(),
            });
        }
        let ous_file = org_dir
            .join("list-organizational-units-for-parent")
            .join(format!("{parent}.json"));
        let ous: aws::ListOus = folder::read_json(&ous_file)?;
        for ou in ous.organizational_units {
            check_id(&ou.id, &ous_file)?;
            let mut below = path.clone();
            below.push((ou.id.clone(), ou.name.unwrap_or_else(|| ou.id.clone())));
            self.walk(org_dir, &ou.id, below, seen)?;
        }
        Ok(())
    }

    /// Reads the policies of one type: each one's document and targets.
    fn read_policies(&mut self, org_dir: &Path, kind: PolicyType, filter: &str) -> Result<()> {
        let list_file = org_dir.join("list-policies").join(format!("{filter}.json"));
        let list: aws::ListPolicies = folder::read_json(&list_file)?;
        for p in list.policies {
            check_id(&p.id, &list_file)?;
            let doc_file = org_dir
                .join("describe-policy")
                .join(format!("{}.json", p.id));
            let compiled = folder::read_json::<aws::DescribePolicy>(&doc_file).and_then(|d| {
                let path = format!("{} $.Policy.Content", doc_file.display());
                crate::eval::compile_at(
                    &d.policy.content,
                    kind,
                    Origin {
                        path: &path,
                        enclosing: None,
                    },
                )
            });
            let targets_file = org_dir
                .join("list-targets-for-policy")
                .join(format!("{}.json", p.id));
            let targets: aws::ListTargets = folder::read_json(&targets_file)?;
            for t in targets.targets {
                check_id(&t.target_id, &targets_file)?;
                self.attached
                    .entry(t.target_id)
                    .or_default()
                    .push(p.id.clone());
            }
            let name = p.name.clone().unwrap_or_else(|| p.id.clone());
            self.policies.insert(
                p.id,
                OrgPolicy {
                    name,
                    kind,
                    compiled,
                },
            );
        }
        Ok(())
    }

    /// The organization's id (`o-...`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The management account's id, when the organization names it.
    pub fn management_account(&self) -> Option<&str> {
        self.management.as_deref()
    }

    /// The folder the organization was read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every member account, in id order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// A member account by id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.by_id.get(id).map(|&i| &self.members[i])
    }

    /// Whether SCPs (`scp`) and RCPs (`rcp`) are enabled in the root.
    pub fn policy_types_enabled(&self) -> (bool, bool) {
        (self.scps_enabled, self.rcps_enabled)
    }

    /// The ids of the folders under `accounts/` that the organization does not list (their data
    /// cannot be placed: no SCP or RCP is known to apply to them).
    pub fn unlisted_folders(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("accounts")) else {
            return Vec::new();
        };
        let mut out: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|id| !self.by_id.contains_key(id))
            .collect();
        out.sort();
        out
    }

    /// The account's place: its organization path and its SCP and RCP levels. An error when a
    /// policy on its path cannot be read (its levels are unknown: nothing about it is decided).
    pub fn placement(&self, account: &str) -> Result<Placement> {
        let m = self.member(account).ok_or_else(|| {
            Error::new(
                ErrorCode::OrgData,
                format!(
                    "the organization {} does not list account {account}",
                    self.id
                ),
            )
        })?;
        let levels = |kind: PolicyType, enabled: bool| -> Result<Vec<Vec<Arc<CompiledPolicy>>>> {
            if !enabled {
                return Ok(Vec::new());
            }
            self.levels(m, kind)
                .map(|level| {
                    level
                        .map(|(node, pid, p)| {
                            p.compiled.clone().map_err(|e| {
                                Error::new(
                                    ErrorCode::OrgData,
                                    format!(
                                        "{} {pid} ({}) attached to {node} cannot be read: {}",
                                        kind_name(kind),
                                        p.name,
                                        e.message()
                                    ),
                                )
                            })
                        })
                        .collect()
                })
                .collect()
        };
        let scp_labels = if self.scps_enabled {
            self.levels(m, PolicyType::Scp)
                .map(|level| {
                    level
                        .map(|(node, pid, p)| format!("SCP {} ({pid}) on {node}", p.name))
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Placement {
            scp_labels,
            org_id: self.id.clone(),
            org_path: format!("{}/{}/", self.id, m.path.join("/")),
            management: m.management,
            scps: levels(PolicyType::Scp, self.scps_enabled)?,
            rcps: levels(PolicyType::Rcp, self.rcps_enabled)?,
        })
    }

    /// The names of the SCPs (`scp`) or RCPs attached along an account's path, by level.
    pub fn attached_names(&self, account: &str, kind: PolicyType) -> Vec<Vec<String>> {
        let Some(m) = self.member(account) else {
            return Vec::new();
        };
        self.levels(m, kind)
            .map(|level| level.map(|(_, _, p)| p.name.clone()).collect())
            .collect()
    }

    /// The policies of `kind` attached at each level of an account's path (the root, each OU,
    /// the account), each with the node it is attached to and its id.
    fn levels<'s>(
        &'s self,
        m: &'s Member,
        kind: PolicyType,
    ) -> impl Iterator<Item = impl Iterator<Item = (&'s str, &'s str, &'s OrgPolicy)>> + 's {
        m.path
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(m.id.as_str()))
            .map(move |node| {
                self.attached
                    .get(node)
                    .into_iter()
                    .flatten()
                    .filter_map(move |pid| self.policies.get(pid).map(|p| (node, pid.as_str(), p)))
                    .filter(move |(_, _, p)| p.kind == kind)
            })
    }

    /// Reads one member account's folder and places its account (see [`AccountFolder`]).
    pub fn load_account(
        &self,
        id: &str,
        options: &crate::audit::AuditOptions,
    ) -> Result<AccountFolder> {
        let placement = self.placement(id)?;
        let dir = self.dir.join("accounts").join(id);
        let mut f = AccountFolder::read(&dir, options.clone())?;
        if let Some(a) = f.data.account.take() {
            if let Some(other) = a.id().filter(|a| *a != id) {
                return Err(Error::new(
                    ErrorCode::OrgData,
                    format!(
                        "{}: the authorization details are of account {other}, not {id}",
                        dir.display()
                    ),
                ));
            }
            f.data.account = Some(a.with_placement(placement.clone()));
        }
        f.placement = Some(placement);
        Ok(f)
    }
}

/// `SCP` or `RCP`.
fn kind_name(kind: PolicyType) -> &'static str {
    if kind == PolicyType::Rcp {
        "RCP"
    } else {
        "SCP"
    }
}
