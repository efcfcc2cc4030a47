//! The audit's inputs, read and owned.

use crate::account::Account;
use crate::error::Result;
use crate::inputs::{AccountSummaryMap, CredentialReport, PasswordPolicySetting, VirtualMfaDevice};

use super::{AuditInputs, AuditOptions};

/// The audit's inputs, read and owned: what [`crate::audit::Audit`] runs on. The CLI reads the
/// credential report on its own (see [`AuditData::read_credential_report`]), so that the report's
/// text is never copied into a JSON input.
#[derive(Debug, Clone, Default)]
pub struct AuditData {
    /// The credential report.
    pub credential_report: Option<CredentialReport>,
    /// The account.
    pub account: Option<Account>,
    /// The password policy.
    pub password_policy: Option<PasswordPolicySetting>,
    /// The account summary.
    pub account_summary: Option<AccountSummaryMap>,
    /// The virtual MFA devices.
    pub virtual_mfa_devices: Option<Vec<VirtualMfaDevice>>,
    /// Thresholds and the `asOf` instant.
    pub options: AuditOptions,
}

impl AuditData {
    /// Reads the credential report (CSV, or the `GetCredentialReport` envelope).
    pub fn read_credential_report(&mut self, text: &str) -> Result<()> {
        self.credential_report = Some(
            CredentialReport::parse(text)
                .map_err(|e| e.map_message(|m| format!("credentialReport: {m}")))?,
        );
        Ok(())
    }

    /// The inputs, as the audit takes them.
    pub fn inputs(&self) -> AuditInputs<'_> {
        AuditInputs {
            credential_report: self.credential_report.as_ref(),
            account: self.account.as_ref(),
            password_policy: self.password_policy.as_ref(),
            account_summary: self.account_summary.as_ref(),
            virtual_mfa_devices: self.virtual_mfa_devices.as_deref(),
        }
    }
}
