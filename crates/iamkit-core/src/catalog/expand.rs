//! Expanding action patterns (`s3:Get*`, `*:Describe*`, `NotAction` lists) to the actions the
//! catalog knows.

use serde::Serialize;

use super::{AccessLevel, Catalog};
use crate::wildcard::{Glob, NoVars};

/// One action a pattern covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionMatch {
    /// `service:Action`, as the catalog writes it.
    pub action: String,
    /// Its access level.
    pub access: AccessLevel,
}

impl Catalog {
    /// Every action `pattern` matches (IAM's matching: case-insensitive, `*` and `?`), sorted by
    /// service then action. A pattern without `:` matches only when it is `*`.
    pub fn expand(&self, pattern: &str) -> Vec<ActionMatch> {
        self.expand_all(&[pattern], false)
    }

    /// Every action matched by any of `patterns`, or, with `negated` (`NotAction`), every action
    /// matched by none of them.
    pub fn expand_all(&self, patterns: &[&str], negated: bool) -> Vec<ActionMatch> {
        let compiled: Vec<(Option<Glob>, Glob)> = patterns
            .iter()
            .map(|p| match p.split_once(':') {
                Some((svc, name)) => (Some(Glob::wildcard(svc)), Glob::wildcard(name)),
                None => (
                    None,
                    Glob::wildcard(if *p == "*" { "*" } else { "\u{0}never" }),
                ),
            })
            .collect();
        let mut out = Vec::new();
        for s in &self.services {
            let services: Vec<&Glob> = compiled
                .iter()
                .filter(|(svc, _)| {
                    svc.as_ref()
                        .is_none_or(|g| g.matches(&s.prefix, true, &NoVars))
                })
                .map(|(_, name)| name)
                .collect();
            if services.is_empty() && !negated {
                continue;
            }
            for a in &s.actions {
                let hit = services.iter().any(|g| g.matches(&a.name, true, &NoVars));
                if hit != negated {
                    out.push(ActionMatch {
                        action: format!("{}:{}", s.prefix, a.name),
                        access: a.access,
                    });
                }
            }
        }
        out
    }
}
