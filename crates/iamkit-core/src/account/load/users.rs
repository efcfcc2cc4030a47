//! Users: their inline and attached policies, groups, boundary and tags (their credential report
//! rows are joined later).

use super::{attached, boundary_arn, entity_name, required, tags, Loader};
use crate::account::User;
use crate::error::Result;
use crate::inputs::authorization_details::{date_text, RawUser};

impl Loader<'_> {
    /// The users the output lists, in input order.
    pub(super) fn users(&mut self, raw: Vec<RawUser>) -> Result<Vec<User>> {
        let mut users = Vec::new();
        for (i, u) in raw.into_iter().enumerate() {
            let entity = entity_name(&u.arn, &u.user_name, "UserDetailList", i);
            let arn = required(u.arn, &entity, "Arn")?;
            users.push(User {
                name: required(u.user_name, &entity, "UserName")?,
                id: u.user_id.unwrap_or_default(),
                path: u.path.unwrap_or_else(|| "/".into()),
                create_date: date_text(u.create_date),
                tags: tags(u.tags),
                groups: u.group_list.into_vec(),
                inline_policies: self.inline(u.user_policy_list, &arn, "UserPolicyList"),
                attached_policies: attached(u.attached_managed_policies),
                permissions_boundary: boundary_arn(u.permissions_boundary),
                credentials: None,
                arn,
            });
        }
        Ok(users)
    }
}
