//! Groups: their inline and attached policies pass to their members.

use super::{attached, entity_name, required, Loader};
use crate::account::Group;
use crate::error::Result;
use crate::inputs::authorization_details::{date_text, RawGroup};

impl Loader<'_> {
    /// The groups the output lists, in input order.
    pub(super) fn groups(&mut self, raw: Vec<RawGroup>) -> Result<Vec<Group>> {
        let mut groups = Vec::new();
        for (i, g) in raw.into_iter().enumerate() {
            let entity = entity_name(&g.arn, &g.group_name, "GroupDetailList", i);
            let arn = required(g.arn, &entity, "Arn")?;
            groups.push(Group {
                name: required(g.group_name, &entity, "GroupName")?,
                id: g.group_id.unwrap_or_default(),
                path: g.path.unwrap_or_else(|| "/".into()),
                create_date: date_text(g.create_date),
                inline_policies: self.inline(g.group_policy_list, &arn, "GroupPolicyList"),
                attached_policies: attached(g.attached_managed_policies),
                arn,
            });
        }
        Ok(groups)
    }
}
