//! Expanding action patterns (`s3:Get*`, `*:Describe*`, `NotAction` lists) to the actions the
//! catalog knows.

use serde::Serialize;

use super::{AccessLevel, Catalog};
use crate::wildcard::{Glob, NoVars};

/// One action a pattern covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
        self.matching(patterns, negated)
            .into_iter()
            .map(|(si, ai)| {
                let (s, a) = (&self.services[si], &self.services[si].actions[ai]);
                ActionMatch {
                    action: format!("{}:{}", s.prefix, a.name),
                    access: a.access,
                }
            })
            .collect()
    }

    /// (service index, action index) of every action matched (or, `negated`, not matched),
    /// sorted. Concrete service prefixes and action names are looked up, not scanned; only
    /// wildcard parts are matched against the catalog.
    pub(crate) fn matching(&self, patterns: &[&str], negated: bool) -> Vec<(usize, usize)> {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let has_wild = |s: &str| s.contains(['*', '?']);
        for p in patterns {
            let (svc, name) = match p.split_once(':') {
                Some(x) => x,
                None if *p == "*" => ("*", "*"),
                None => continue,
            };
            let services: Vec<usize> = if has_wild(svc) {
                let g = Glob::wildcard(svc);
                (0..self.services.len())
                    .filter(|i| g.matches(&self.services[*i].prefix, true, &NoVars))
                    .collect()
            } else {
                self.service_index(svc).into_iter().collect()
            };
            let mut found = Vec::new();
            for si in services {
                let s = &self.services[si];
                if name == "*" {
                    hits.extend((0..s.actions.len()).map(|ai| (si, ai)));
                } else {
                    found.clear();
                    s.matching_actions(name, &mut found);
                    hits.extend(found.iter().map(|ai| (si, *ai)));
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        if negated {
            self.complement(&hits)
        } else {
            hits
        }
    }

    /// Every action not in `hits` (sorted, without repeats), sorted.
    pub(crate) fn complement(&self, hits: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut k = 0;
        for (si, s) in self.services.iter().enumerate() {
            for ai in 0..s.actions.len() {
                if hits.get(k) == Some(&(si, ai)) {
                    k += 1;
                } else {
                    out.push((si, ai));
                }
            }
        }
        out
    }
}

#[cfg(all(test, feature = "embedded-catalog"))]
mod tests {
    use crate::catalog::Catalog;
    use crate::wildcard::{Glob, NoVars};

    /// The prefix-run search finds exactly what testing every action would.
    #[test]
    fn runs_match_a_full_scan() {
        let cat = Catalog::embedded();
        let patterns = [
            "Get*",
            "get*",
            "GET*",
            "Describe*",
            "*",
            "*Object*",
            "Get*Policy",
            "?et*",
            "List*s",
            "GetObject",
            "getobject",
            "Nope*",
            "",
            "G",
            "G*t*",
            "Put??*",
            "a*",
            "Z*",
            "Import\u{212A}ey*", // the Kelvin sign is not `k` (ASCII folding only)
            "\u{212A}*",
            "*\u{212A}ey*",
            "Get\u{e9}*",
        ];
        for s in &cat.services {
            for p in patterns {
                let g = Glob::wildcard(p);
                let want: Vec<usize> = (0..s.actions.len())
                    .filter(|i| g.matches(&s.actions[*i].name, true, &NoVars))
                    .collect();
                let mut got = Vec::new();
                s.matching_actions(p, &mut got);
                got.sort_unstable();
                got.dedup();
                assert_eq!(got, want, "{} {p}", s.prefix);
            }
        }
    }
}
