//! The audit, the credential report and instance-metadata credentials.

use serde::Deserialize;

use super::{account::AccountOpenInput, Document};
use crate::audit::{AuditInputs, AuditOptions, AuditReport};
use crate::error::{Error, Result};
use crate::inputs::{
    parse_virtual_mfa_devices, AccountSummaryMap, CredentialReport, PasswordPolicySetting,
};
use crate::inputs::{CredentialsStatus, TemporaryCredentials};

/// The input of `credentials`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CredentialsInput<'a> {
    /// The instance-metadata credential document (`{Code, LastUpdated, Type, AccessKeyId,
    /// SecretAccessKey, Token, Expiration}`), as an object or its JSON text.
    #[serde(borrow)]
    pub document: Document<'a>,
    /// The instant `expired` is judged at (ISO 8601); default now.
    #[serde(default)]
    pub as_of: Option<String>,
}

pub(super) fn credentials(_: (), i: CredentialsInput<'_>, _: &str) -> Result<CredentialsStatus> {
    TemporaryCredentials::from_json_str(&i.document.text()?)?.report(i.as_of.as_deref())
}

/// The input of `credentialReport`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CredentialReportInput<'a> {
    /// The report: its CSV text, or the `GetCredentialReport` envelope (`Content` in base64 or
    /// plain CSV) as an object or its JSON text.
    #[serde(borrow)]
    pub report: Document<'a>,
}

pub(super) fn credential_report(
    _: (),
    i: CredentialReportInput<'_>,
    _: &str,
) -> Result<CredentialReport> {
    CredentialReport::parse(&i.report.text()?)
}

/// The input of `audit`: the documents IAM gives, each optional (a check without its input is
/// `notEvaluated`), as objects or as text.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditInput<'a> {
    /// The credential report: CSV text, or the `GetCredentialReport` envelope.
    #[serde(default, borrow)]
    pub credential_report: Option<Document<'a>>,
    /// `aws iam get-account-authorization-details` output.
    #[serde(default, borrow)]
    pub authorization_details: Option<Document<'a>>,
    /// Documents of managed policies the authorization details reference but do not list.
    #[serde(default, borrow)]
    pub managed_policy_documents: Option<std::collections::BTreeMap<String, Document<'a>>>,
    /// `aws iam get-account-password-policy` output, or the `NoSuchEntity` error
    /// (`{"Error": {"Code": "NoSuchEntity"}}`) when the account has none.
    #[serde(default, borrow)]
    pub password_policy: Option<Document<'a>>,
    /// `aws iam get-account-summary` output.
    #[serde(default, borrow)]
    pub account_summary: Option<Document<'a>>,
    /// `aws iam list-virtual-mfa-devices` output.
    #[serde(default, borrow)]
    pub virtual_mfa_devices: Option<Document<'a>>,
    /// Thresholds and the `asOf` instant.
    #[serde(default)]
    pub options: AuditOptions,
}

/// The same error, its message prefixed with the input it came from.
fn named(e: Error, input: &str) -> Error {
    e.map_message(|m| format!("{input}: {m}"))
}

pub(super) fn audit(_: (), w: AuditInput<'_>, _: &str) -> Result<AuditReport> {
    let report = match w.credential_report {
        Some(r) => {
            Some(CredentialReport::parse(&r.text()?).map_err(|e| named(e, "credentialReport"))?)
        }
        None => None,
    };
    let account = match w.authorization_details {
        Some(details) => Some(
            super::account::open(AccountOpenInput {
                details,
                managed_policy_documents: w.managed_policy_documents.unwrap_or_default(),
                credential_report: None,
            })
            .map_err(|e| named(e, "authorizationDetails"))?,
        ),
        None => None,
    };
    let policy = match w.password_policy {
        Some(p) => {
            Some(PasswordPolicySetting::parse(&p.text()?).map_err(|e| named(e, "passwordPolicy"))?)
        }
        None => None,
    };
    let summary = match w.account_summary {
        Some(s) => {
            Some(AccountSummaryMap::parse(&s.text()?).map_err(|e| named(e, "accountSummary"))?)
        }
        None => None,
    };
    let devices = match w.virtual_mfa_devices {
        Some(v) => {
            Some(parse_virtual_mfa_devices(&v.text()?).map_err(|e| named(e, "virtualMfaDevices"))?)
        }
        None => None,
    };
    crate::audit::audit(
        AuditInputs {
            credential_report: report.as_ref(),
            account: account.as_ref(),
            password_policy: policy.as_ref(),
            account_summary: summary.as_ref(),
            virtual_mfa_devices: devices.as_deref(),
        },
        &w.options,
    )
}
