//! Where an account sits in an AWS Organization: the SCP and RCP levels that apply to every query
//! about it, and the organization keys (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
//! `aws:ResourceOrgID`, `aws:ResourceOrgPaths`) of its principals and resources.

use std::borrow::Cow;
use std::sync::Arc;

use crate::eval::compile::CompiledPolicy;
use crate::eval::ContextValue;

use super::{Account, AccountQuery};

/// An account's place in its organization, as [`crate::org::Organization`] derives it from the
/// tree of roots, organizational units and accounts.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The organization's id (`o-...`).
    pub org_id: String,
    /// The path of the account's parent: `o-.../r-.../ou-.../`, as `aws:PrincipalOrgPaths` holds it.
    pub org_path: String,
    /// The management account: SCPs do not limit its principals, nor RCPs its resources.
    pub management: bool,
    /// The SCP levels from the root down to the account (each level must allow); empty when the
    /// root has SCPs disabled.
    pub(crate) scps: Vec<Vec<Arc<CompiledPolicy>>>,
    /// The RCP levels, likewise.
    pub(crate) rcps: Vec<Vec<Arc<CompiledPolicy>>>,
    /// How explanations name each SCP (`SCP NAME (ID) on TARGET`), by level.
    pub(crate) scp_labels: Vec<Vec<String>>,
}

impl Placement {
    /// The number of SCP levels (0 when SCPs are disabled) and of RCP levels.
    pub fn levels(&self) -> (usize, usize) {
        (self.scps.len(), self.rcps.len())
    }
}

impl Account {
    /// The same account placed in an organization: from then on every query about it
    /// ([`Account::evaluate`], [`Account::who_can`], [`Account::who_can_assume`], escalations and
    /// the audit's escalation check) applies the placement's SCP levels to its principals, its RCP
    /// levels to its resources, and fills in the organization keys.
    pub fn with_placement(mut self, placement: Placement) -> Account {
        self.placement = Some(Arc::new(placement));
        self
    }

    /// The account's place in its organization, when it was given one.
    pub fn placement(&self) -> Option<&Placement> {
        self.placement.as_deref()
    }

    /// `q` with the placement's levels and keys added (the query's own levels come after, its
    /// own context keys win). RCPs and the resource keys are added when the resource is the
    /// account's: its ARN names the account, or names no account and `resourceAccount` is the
    /// account or not given.
    pub(crate) fn scoped<'q>(&self, q: &'q AccountQuery) -> Cow<'q, AccountQuery> {
        self.scoped_as(q, self.owns_resource(q))
    }

    /// [`Account::scoped`] for questions whose resources are the account's own, whatever `q`'s
    /// resource says (who can assume one of its roles, escalation paths).
    pub(crate) fn scoped_own<'q>(&self, q: &'q AccountQuery) -> Cow<'q, AccountQuery> {
        self.scoped_as(q, true)
    }

    fn scoped_as<'q>(&self, q: &'q AccountQuery, ours: bool) -> Cow<'q, AccountQuery> {
        let Some(pl) = &self.placement else {
            return Cow::Borrowed(q);
        };
        let mut s = q.clone();
        if !pl.management {
            // the placement's levels come first: explanations name them by their index
            s.policies.scps = pl.scps.iter().chain(&q.policies.scps).cloned().collect();
            if ours {
                s.policies.rcps = pl.rcps.iter().chain(&q.policies.rcps).cloned().collect();
            }
        }
        add_org_keys(&mut s.context, &pl.org_id, &pl.org_path, OrgKeys::Principal);
        if ours {
            add_org_keys(&mut s.context, &pl.org_id, &pl.org_path, OrgKeys::Resource);
        }
        Cow::Owned(s)
    }

    /// Whether the query's resource is in this account (see [`Account::scoped`]).
    fn owns_resource(&self, q: &AccountQuery) -> bool {
        let Some(id) = self.id.as_deref() else {
            return false;
        };
        let named = q
            .resource
            .strip_prefix("arn:")
            .and_then(|rest| rest.split(':').nth(3))
            .filter(|a| !a.is_empty() && !a.contains(['*', '?']));
        match named {
            Some(a) => a == id,
            None => q.resource_account.as_deref().is_none_or(|a| a == id),
        }
    }
}

impl Account {
    /// How an explanation names the SCP at `scps[level][index]`, when the placement put it there.
    pub(crate) fn scp_label(&self, policy: &str) -> Option<String> {
        let pl = self.placement.as_ref().filter(|pl| !pl.management)?;
        let (level, index) = policy
            .strip_prefix("scps[")?
            .strip_suffix(']')?
            .split_once("][")?;
        let (level, index) = (level.parse::<usize>().ok()?, index.parse::<usize>().ok()?);
        pl.scp_labels.get(level)?.get(index).cloned()
    }
}

/// Whose organization keys: the caller's (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`) or the
/// resource's (`aws:ResourceOrgID`, `aws:ResourceOrgPaths`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgKeys {
    Principal,
    Resource,
}

/// Adds the organization's id and `path` under the keys of `whose`, unless `context` already
/// holds them (context given by the caller wins).
pub(crate) fn add_org_keys(
    context: &mut Vec<(compact_str::CompactString, crate::eval::ContextValues, bool)>,
    org_id: &str,
    path: &str,
    whose: OrgKeys,
) {
    let (id_key, path_key) = match whose {
        OrgKeys::Principal => ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths"),
        OrgKeys::Resource => ("aws:ResourceOrgID", "aws:ResourceOrgPaths"),
    };
    for (k, v, multi) in [(id_key, org_id, false), (path_key, path, true)] {
        if !context.iter().any(|(c, _, _)| c.eq_ignore_ascii_case(k)) {
            context.push((
                k.into(),
                smallvec::smallvec![ContextValue::from_text(v)],
                multi,
            ));
        }
    }
}
