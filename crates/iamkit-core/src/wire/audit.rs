//! The audit, the credential report and instance-metadata credentials.

use serde::{Deserialize, Serialize};

use super::{account::AccountOpenInput, Document};
pub use crate::audit::AuditData;
use crate::audit::{AuditOptions, AuditReport};
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

/// The answer of `credentialReport` on `{"report": text}`, without writing that input and reading
/// it back (the bindings' path for a report given as text): the same report, and, for a report the
/// parser refuses or one whose input would pass the input limit, the call's own error.
pub fn credential_report_of_text(text: &str) -> Result<CredentialReport> {
    if within_input_limit(text) {
        if let Ok(report) = CredentialReport::parse(text) {
            return Ok(report);
        }
    }
    let input = super::to_json(&CredentialReportText { report: text })?;
    match super::call("credentialReport", &input)? {
        super::Answer::Call(super::CallAnswer::CredentialReport(r)) => Ok(r),
        _ => Err(crate::error::Error::new(
            crate::error::ErrorCode::Internal,
            "the core answered another call",
        )),
    }
}

/// `{"report": text}`, written.
#[derive(Serialize)]
struct CredentialReportText<'a> {
    report: &'a str,
}

/// Whether `{"report": text}` as JSON is surely within the wire input's limit (otherwise the call
/// decides, refusing it if it is too large).
fn within_input_limit(text: &str) -> bool {
    const MAX: usize = crate::limits::MAX_INPUT_BYTES;
    // `{"report":""}` and room to spare; an escape is at most 6 bytes (`\u00XX`)
    let bound = |escapes: usize| text.len().saturating_add(escapes.saturating_mul(5)) + 64;
    bound(text.len()) <= MAX || {
        // counted 255 bytes at a time in a u8, which the compiler vectorizes
        let escapes: usize = text
            .as_bytes()
            .chunks(255)
            .map(|c| {
                let n = c.iter().fold(0u8, |n, &b| {
                    n.wrapping_add(u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\'))
                });
                usize::from(n)
            })
            .sum();
        bound(escapes) <= MAX
    }
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
    let data = AuditData::read(w)?;
    crate::audit::audit(data.inputs(), &data.options)
}

impl AuditData {
    /// Reads every input of an `audit` call (errors name the input they come from).
    pub fn read(w: AuditInput<'_>) -> Result<AuditData> {
        let mut data = AuditData {
            options: w.options,
            ..AuditData::default()
        };
        if let Some(r) = w.credential_report {
            data.read_credential_report(&r.text()?)?;
        }
        if let Some(details) = w.authorization_details {
            data.account = Some(
                super::account::open(AccountOpenInput {
                    details,
                    managed_policy_documents: w.managed_policy_documents.unwrap_or_default(),
                    credential_report: None,
                })
                .map_err(|e| named(e, "authorizationDetails"))?,
            );
        }
        if let Some(p) = w.password_policy {
            data.password_policy = Some(
                PasswordPolicySetting::parse(&p.text()?).map_err(|e| named(e, "passwordPolicy"))?,
            );
        }
        if let Some(s) = w.account_summary {
            data.account_summary =
                Some(AccountSummaryMap::parse(&s.text()?).map_err(|e| named(e, "accountSummary"))?);
        }
        if let Some(v) = w.virtual_mfa_devices {
            data.virtual_mfa_devices = Some(
                parse_virtual_mfa_devices(&v.text()?).map_err(|e| named(e, "virtualMfaDevices"))?,
            );
        }
        Ok(data)
    }

    /// Reads the input of an `audit` call from its JSON text.
    pub fn from_json(input: &str) -> Result<AuditData> {
        AuditData::read(super::read::<AuditInput<'_>>(input)?)
    }
}

#[cfg(test)]
mod tests {
    use super::credential_report_of_text;
    use crate::wire::{call_json, to_json};

    /// The answer and the errors of `credentialReport` on `{"report": text}`, whichever path.
    fn by_call(text: &str) -> Result<String, String> {
        call_json(
            "credentialReport",
            &to_json(&super::CredentialReportText { report: text }).unwrap_or_default(),
        )
        .map_err(|e| crate::wire::error_json(&e))
    }

    #[test]
    fn a_report_given_as_text_answers_as_the_call() {
        let good = crate::audit::sample_credential_report(20);
        let bad = good.replacen("2026", "20x6", 1);
        for text in [
            good.as_str(),
            bad.as_str(),
            "",
            "user,arn\n",
            "not a report",
        ] {
            let direct = credential_report_of_text(text)
                .map_err(|e| crate::wire::error_json(&e))
                .and_then(|r| to_json(&r).map_err(|e| crate::wire::error_json(&e)));
            assert_eq!(direct, by_call(text), "{:?}", &text[..text.len().min(40)]);
        }
    }
}
