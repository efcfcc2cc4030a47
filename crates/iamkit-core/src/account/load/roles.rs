//! Roles: the trust policy, inline and attached policies, boundary, tags, instance profiles and
//! last use.

use super::{attached, boundary_arn, entity_name, required, tags, Loader};
use crate::account::{InstanceProfile, Role, RoleLastUsed};
use crate::error::Result;
use crate::inputs::authorization_details::{
    date_text, OneOrMany, RawInstanceProfile, RawLastUsed, RawRole,
};
use crate::policy::PolicyType;

impl Loader<'_> {
    /// The roles the output lists, in input order.
    pub(super) fn roles(&mut self, raw: Vec<RawRole>) -> Result<Vec<Role>> {
        let mut roles = Vec::new();
        for (i, r) in raw.into_iter().enumerate() {
            let entity = entity_name(&r.arn, &r.role_name, "RoleDetailList", i);
            let arn = required(r.arn, &entity, "Arn")?;
            let trust_policy = match &r.assume_role_policy_document {
                Some(doc) => {
                    let trust =
                        self.document(doc, PolicyType::Trust, &arn, "AssumeRolePolicyDocument");
                    if trust.is_none() {
                        self.untrusted.unreadable_trust.insert(arn.clone());
                    }
                    trust
                }
                None => None,
            };
            roles.push(Role {
                name: required(r.role_name, &entity, "RoleName")?,
                id: r.role_id.unwrap_or_default(),
                path: r.path.unwrap_or_else(|| "/".into()),
                create_date: date_text(r.create_date),
                description: r.description,
                tags: tags(r.tags),
                trust_policy,
                inline_policies: self.inline(r.role_policy_list, &arn, "RolePolicyList"),
                attached_policies: attached(r.attached_managed_policies),
                permissions_boundary: boundary_arn(r.permissions_boundary),
                instance_profiles: instance_profiles(r.instance_profile_list),
                last_used: last_used(r.role_last_used),
                max_session_duration: r.max_session_duration,
                arn,
            });
        }
        Ok(roles)
    }
}

fn instance_profiles(list: OneOrMany<RawInstanceProfile>) -> Vec<InstanceProfile> {
    list.into_vec()
        .into_iter()
        .map(|p| InstanceProfile {
            name: p.instance_profile_name.unwrap_or_default(),
            arn: p.arn.unwrap_or_default(),
            id: p.instance_profile_id.unwrap_or_default(),
            path: p.path.unwrap_or_else(|| "/".into()),
        })
        .collect()
}

/// `RoleLastUsed`, when it says anything (a date or a region).
fn last_used(raw: Option<RawLastUsed>) -> Option<RoleLastUsed> {
    raw.and_then(|l| {
        let date = date_text(l.last_used_date);
        (date.is_some() || l.region.is_some()).then_some(RoleLastUsed {
            last_used_date: date,
            region: l.region,
        })
    })
}
