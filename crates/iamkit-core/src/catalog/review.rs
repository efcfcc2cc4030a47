//! A policy's lint report and summary from one reading: the text is parsed once, and the
//! actions each statement's patterns match are looked up once, for both.

use serde::Serialize;

use super::{Catalog, LintReport, PolicySummary};
use crate::policy::parse::parse_policy_keeping_tree;
use crate::policy::{Origin, PolicyType};

/// What [`Catalog::review`] finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PolicyReview {
    /// The linter's report (as [`Catalog::lint`] gives it).
    pub lint: LintReport,
    /// The summary (as [`Catalog::summarize`] gives it); `None` when the policy has an error,
    /// which the report names.
    pub summary: Option<PolicySummary>,
}

impl Catalog {
    /// Lints and summarizes a policy (JSON text) of the given type: the same answers as
    /// [`Catalog::lint`] and [`Catalog::summarize`], for about the cost of one of them.
    pub fn review(&self, text: &str, ty: PolicyType) -> PolicyReview {
        let (parsed, tree) = parse_policy_keeping_tree(text, ty, Origin::default());
        let (lint, matched) = self.lint_parsed(text, &parsed, tree.as_ref());
        let summary = self.summarize_parsed(&parsed, Some(&matched)).ok();
        PolicyReview { lint, summary }
    }
}
