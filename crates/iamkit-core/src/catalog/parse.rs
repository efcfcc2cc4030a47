//! Reading a catalog: the embedded compact form, or the normalized JSON
//! (`iamkit-service-reference/1`, what `scripts/gen-catalog.py --json` writes).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::{
    AccessLevel, Action, ActionResource, Catalog, CatalogSource, ConditionKey, ResourceType,
    Service,
};
use crate::error::{Error, ErrorCode, Result};

fn bad(line: usize, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::CatalogFormat,
        format!("catalog line {line}: {why}"),
    )
}

impl Catalog {
    /// Reads the compact form (see the module docs).
    pub fn from_compact(text: &str) -> Result<Catalog> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, "iamkit-catalog\t1")) => {}
            _ => {
                return Err(bad(
                    1,
                    "not an iamkit catalog (expected `iamkit-catalog 1`)",
                ))
            }
        }
        let mut source = None;
        let mut globals = Vec::new();
        let mut services: Vec<Service> = Vec::new();
        let mut key_names: Vec<Arc<str>> = Vec::new();
        for (i, line) in lines {
            let n = i + 1;
            // at most 5 fields; no allocation per line
            let mut f = [""; 5];
            let mut count = 0;
            for (slot, part) in f.iter_mut().zip(line.split('\t')) {
                *slot = part;
                count += 1;
            }
            let f = &f[..count];
            let field = |k: usize| {
                f.get(k)
                    .copied()
                    .ok_or_else(|| bad(n, format!("missing field {k}")))
            };
            let keys = |list: &str, names: &[Arc<str>]| -> Result<Vec<Arc<str>>> {
                list.split([',', ' '])
                    .filter(|k| !k.is_empty())
                    .map(|k| match k.strip_prefix('=') {
                        Some(name) => Ok(Arc::from(name)),
                        None => k
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| names.get(i).cloned())
                            .ok_or_else(|| bad(n, format!("condition key index `{k}`"))),
                    })
                    .collect()
            };
            match f[0] {
                "#" | "levels" => {}
                "source" => {
                    source = Some(CatalogSource {
                        package: field(1)?.to_string(),
                        version: field(2)?.to_string(),
                        data_updated_at: field(3)?.to_string(),
                        global_condition_keys_from: field(4)?.to_string(),
                    })
                }
                "g" => globals.push(ConditionKey {
                    name: Arc::from(field(1)?),
                    key_type: field(2)?.to_string(),
                    category: Some(field(3)?.to_string()).filter(|c| !c.is_empty()),
                }),
                "s" => {
                    key_names.clear();
                    services.push(Service {
                        prefix: field(1)?.to_string(),
                        name: field(2)?.to_string(),
                        category: field(3)?.to_string(),
                        rcp: field(4)? == "1",
                        actions: Vec::new(),
                        resource_types: Vec::new(),
                        condition_keys: Vec::new(),
                        lookup: Default::default(),
                    });
                }
                "k" | "r" | "a" => {
                    let svc = services
                        .last_mut()
                        .ok_or_else(|| bad(n, "a record before any service"))?;
                    match f[0] {
                        "k" => {
                            let name: Arc<str> = Arc::from(field(1)?);
                            key_names.push(name.clone());
                            svc.condition_keys.push(ConditionKey {
                                name,
                                key_type: field(2)?.to_string(),
                                category: None,
                            });
                        }
                        "r" => svc.resource_types.push(ResourceType {
                            name: Arc::from(field(1)?),
                            arn: field(2)?.to_string(),
                            arn_glob: String::new(),
                            condition_keys: keys(field(3)?, &key_names)?,
                        }),
                        _ => {
                            let level: usize = field(2)?
                                .parse()
                                .map_err(|_| bad(n, "access level index"))?;
                            let access = *AccessLevel::ALL
                                .get(level)
                                .ok_or_else(|| bad(n, "access level index"))?;
                            let mut resources = Vec::new();
                            for r in field(3)?.split(',').filter(|r| !r.is_empty()) {
                                let (required, r) = match r.strip_prefix('*') {
                                    Some(rest) => (true, rest),
                                    None => (false, r),
                                };
                                let (name, ks) = match r.split_once('(') {
                                    Some((name, rest)) => (
                                        name,
                                        rest.strip_suffix(')')
                                            .ok_or_else(|| bad(n, "unclosed `(`"))?,
                                    ),
                                    None => (r, ""),
                                };
                                // share the resource type's name when the service lists it
                                let name = svc
                                    .resource_types
                                    .iter()
                                    .find(|t| &*t.name == name)
                                    .map_or_else(|| Arc::from(name), |t| t.name.clone());
                                resources.push(ActionResource {
                                    name,
                                    required,
                                    condition_keys: keys(ks, &key_names)?,
                                });
                            }
                            svc.actions.push(Action {
                                name: field(1)?.to_string(),
                                access,
                                resources,
                                condition_keys: keys(field(4)?, &key_names)?,
                            });
                        }
                    }
                }
                other => return Err(bad(n, format!("unknown record `{other}`"))),
            }
        }
        let source = source.ok_or_else(|| bad(0, "no `source` record"))?;
        Ok(Catalog::index(services, source, globals))
    }

    /// Reads the normalized JSON (schema `iamkit-service-reference/1`), for example a newer
    /// catalog than the embedded one.
    pub fn from_json_str(text: &str) -> Result<Catalog> {
        let raw: RawCatalog = crate::strict::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::CatalogFormat,
                format!("not an iamkit-service-reference/1 catalog: {e}"),
            )
        })?;
        if raw.schema != "iamkit-service-reference/1" {
            return Err(Error::new(
                ErrorCode::CatalogFormat,
                format!("unknown catalog schema `{}`", raw.schema),
            ));
        }
        let mut services = Vec::with_capacity(raw.services.len());
        for (prefix, s) in raw.services {
            let mut actions = Vec::with_capacity(s.actions.len());
            for (name, a) in s.actions {
                let access = AccessLevel::parse(&a.access).ok_or_else(|| {
                    Error::new(
                        ErrorCode::CatalogFormat,
                        format!("{prefix}:{name}: unknown access level `{}`", a.access),
                    )
                })?;
                actions.push(Action {
                    name,
                    access,
                    resources: a
                        .resources
                        .into_iter()
                        .map(|r| ActionResource {
                            name: Arc::from(r.name),
                            required: r.required,
                            condition_keys: r.condition_keys.into_iter().map(Arc::from).collect(),
                        })
                        .collect(),
                    condition_keys: a.condition_keys.into_iter().map(Arc::from).collect(),
                });
            }
            services.push(Service {
                prefix,
                name: s.name,
                category: s.category,
                rcp: s.rcp,
                actions,
                resource_types: s
                    .resource_types
                    .into_iter()
                    .map(|(name, r)| ResourceType {
                        name: Arc::from(name),
                        arn: r.arn,
                        arn_glob: String::new(),
                        condition_keys: r.condition_keys.into_iter().map(Arc::from).collect(),
                    })
                    .collect(),
                condition_keys: s
                    .condition_keys
                    .into_iter()
                    .map(|(name, k)| ConditionKey {
                        name: Arc::from(name),
                        key_type: k.key_type,
                        category: None,
                    })
                    .collect(),
                lookup: Default::default(),
            });
        }
        let globals = raw
            .global_condition_keys
            .into_iter()
            .map(|(name, g)| ConditionKey {
                name: Arc::from(name),
                key_type: g.key_type,
                category: g.category,
            })
            .collect();
        Ok(Catalog::index(
            services,
            CatalogSource {
                package: raw.source.package,
                version: raw.source.version,
                data_updated_at: raw.source.data_updated_at,
                global_condition_keys_from: raw
                    .source
                    .global_condition_keys_from
                    .unwrap_or_default(),
            },
            globals,
        ))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    schema: String,
    source: RawSource,
    #[serde(default)]
    global_condition_keys: indexmap_like::Ordered<RawGlobal>,
    services: BTreeMap<String, RawService>,
}

/// Keeps a JSON object's members in written order (serde_json is built with `preserve_order`).
mod indexmap_like {
    use serde::{Deserialize, Deserializer};

    pub struct Ordered<T>(pub Vec<(String, T)>);

    impl<T> Default for Ordered<T> {
        fn default() -> Self {
            Ordered(Vec::new())
        }
    }

    impl<T> IntoIterator for Ordered<T> {
        type Item = (String, T);
        type IntoIter = std::vec::IntoIter<(String, T)>;
        fn into_iter(self) -> Self::IntoIter {
            self.0.into_iter()
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let map: serde_json::Map<String, serde_json::Value> = Deserialize::deserialize(d)?;
            map.into_iter()
                .map(|(k, v)| {
                    T::deserialize(crate::strict::Strict(v))
                        .map(|t| (k, t))
                        .map_err(serde::de::Error::custom)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Ordered)
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSource {
    package: String,
    version: String,
    data_updated_at: String,
    #[serde(default)]
    global_condition_keys_from: Option<String>,
}

#[derive(Deserialize)]
struct RawGlobal {
    #[serde(rename = "type")]
    key_type: String,
    #[serde(default)]
    category: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawService {
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    rcp: bool,
    actions: BTreeMap<String, RawAction>,
    #[serde(default)]
    resource_types: BTreeMap<String, RawResourceType>,
    #[serde(default)]
    condition_keys: BTreeMap<String, RawKey>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAction {
    access: String,
    #[serde(default)]
    resources: Vec<RawActionResource>,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawActionResource {
    name: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResourceType {
    arn: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct RawKey {
    #[serde(rename = "type")]
    key_type: String,
}
