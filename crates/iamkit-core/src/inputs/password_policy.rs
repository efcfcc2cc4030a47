//! The account's password policy (`aws iam get-account-password-policy`), including the
//! `NoSuchEntity` answer, which means AWS's defaults apply.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};

/// The account's password policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    /// Minimum length.
    #[serde(default)]
    pub minimum_password_length: Option<u32>,
    /// Requires a symbol.
    #[serde(default)]
    pub require_symbols: Option<bool>,
    /// Requires a number.
    #[serde(default)]
    pub require_numbers: Option<bool>,
    /// Requires an uppercase letter.
    #[serde(default)]
    pub require_uppercase_characters: Option<bool>,
    /// Requires a lowercase letter.
    #[serde(default)]
    pub require_lowercase_characters: Option<bool>,
    /// Users may change their own password.
    #[serde(default)]
    pub allow_users_to_change_password: Option<bool>,
    /// Passwords expire.
    #[serde(default)]
    pub expire_passwords: Option<bool>,
    /// Days a password is valid.
    #[serde(default)]
    pub max_password_age: Option<u32>,
    /// How many earlier passwords cannot be reused.
    #[serde(default)]
    pub password_reuse_prevention: Option<u32>,
    /// Expired passwords need an administrator reset.
    #[serde(default)]
    pub hard_expiry: Option<bool>,
}

/// What the account has as a password policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PasswordPolicySetting {
    /// A custom policy.
    Custom {
        /// The policy.
        policy: PasswordPolicy,
    },
    /// No custom policy (`NoSuchEntity`): AWS's default applies (8 to 128 characters, three of
    /// four character classes, no expiry, no reuse prevention).
    AwsDefault,
}

impl PasswordPolicySetting {
    /// The policy in force (AWS's default written as a policy).
    pub fn effective(&self) -> PasswordPolicy {
        match self {
            PasswordPolicySetting::Custom { policy } => policy.clone(),
            PasswordPolicySetting::AwsDefault => PasswordPolicy {
                minimum_password_length: Some(8),
                allow_users_to_change_password: Some(true),
                expire_passwords: Some(false),
                ..PasswordPolicy::default()
            },
        }
    }

    /// Reads `{"PasswordPolicy": {...}}` (or the bare object), the `NoSuchEntity` error (as JSON
    /// `{"Error": {"Code": "NoSuchEntity"}}`, or the AWS CLI's error text), or a test recording
    /// wrapping either in `{"status_code", "data"}`.
    pub fn parse(text: &str) -> Result<PasswordPolicySetting> {
        let t = text.trim();
        if !t.starts_with('{') {
            if t.contains("NoSuchEntity") {
                return Ok(PasswordPolicySetting::AwsDefault);
            }
            return Err(Error::new(
                ErrorCode::AuditInput,
                "the password policy is neither JSON nor a NoSuchEntity error",
            ));
        }
        let v: Value = crate::strict::from_str(t).map_err(|e| {
            Error::new(
                ErrorCode::InputJson,
                format!("the password policy is not JSON: {e}"),
            )
        })?;
        let v = v
            .get("data")
            .filter(|_| v.get("status_code").is_some())
            .unwrap_or(&v);
        let code = v
            .get("Error")
            .and_then(|e| e.get("Code"))
            .and_then(Value::as_str);
        if let Some(code) = code {
            return if code == "NoSuchEntity" {
                Ok(PasswordPolicySetting::AwsDefault)
            } else {
                Err(Error::new(
                    ErrorCode::AuditInput,
                    format!("the password policy call failed with `{code}`"),
                ))
            };
        }
        let body = v.get("PasswordPolicy").unwrap_or(v);
        let policy: PasswordPolicy = crate::strict::from_value(body).map_err(|e| {
            Error::new(
                ErrorCode::AuditInput,
                format!("the password policy has an unexpected shape: {e}"),
            )
        })?;
        Ok(PasswordPolicySetting::Custom { policy })
    }
}
