//! The input documents IAM gives, parsed into types and nothing more: the credential report, the
//! account's password policy, account summary and virtual MFA device list, the EC2
//! instance-metadata credentials, and `get-account-authorization-details` output. The account
//! model (the `account` module) and the audit (`audit`) are built on top of them; this
//! module depends on neither.

mod account_summary;
pub(crate) mod authorization_details;
mod credential_report;
mod instance_credentials;
mod instant;
mod password_policy;
mod virtual_mfa_devices;

pub use account_summary::AccountSummaryMap;
pub use credential_report::{Cell, CertSlot, CredentialReport, CredentialRow, KeySlot};
pub use instance_credentials::{AccessKeyKind, CredentialsStatus, TemporaryCredentials};
pub use instant::{Instant, DAY_NANOS};
pub use password_policy::{PasswordPolicy, PasswordPolicySetting};
pub use virtual_mfa_devices::{parse_virtual_mfa_devices, VirtualMfaDevice};
