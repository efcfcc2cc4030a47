//! The account summary (`aws iam get-account-summary`): the `SummaryMap` counts.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};

/// `aws iam get-account-summary`: the `SummaryMap` counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountSummaryMap(pub BTreeMap<String, i64>);

impl AccountSummaryMap {
    /// Reads `{"SummaryMap": {...}}` (or the bare map).
    pub fn parse(text: &str) -> Result<AccountSummaryMap> {
        let v: Value = crate::strict::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InputJson,
                format!("the account summary is not JSON: {e}"),
            )
        })?;
        let v = v
            .get("data")
            .filter(|_| v.get("status_code").is_some())
            .unwrap_or(&v);
        let map = v
            .get("SummaryMap")
            .unwrap_or(v)
            .as_object()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::AuditInput,
                    "the account summary has no `SummaryMap` object",
                )
            })?;
        let mut out = BTreeMap::new();
        for (k, val) in map {
            let n = val.as_i64().ok_or_else(|| {
                Error::new(
                    ErrorCode::AuditInput,
                    format!("the account summary's `{k}` is not a whole number"),
                )
            })?;
            out.insert(k.clone(), n);
        }
        Ok(AccountSummaryMap(out))
    }

    /// A count, when present.
    pub fn get(&self, key: &str) -> Option<i64> {
        self.0.get(key).copied()
    }
}
