//! One account's folder (the layout `iamkit audit DIR` reads) and the files of an organization
//! folder, read within the file size limit.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::account::{Account, LoadOptions, Placement};
use crate::audit::{AuditData, AuditOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::inputs::{
    parse_virtual_mfa_devices, AccountSummaryMap, CredentialReport, PasswordPolicySetting,
};

/// The inputs an account folder may hold, each with the file names tried in order: the audit's
/// input name first (`credentialReport`, ...).
pub const ACCOUNT_FILES: [(&str, &[&str]); 5] = [
    (
        "credentialReport",
        &["credential-report.json", "credential-report.csv"],
    ),
    ("authorizationDetails", &["authorization-details.json"]),
    ("passwordPolicy", &["password-policy.json"]),
    ("accountSummary", &["account-summary.json"]),
    ("virtualMfaDevices", &["virtual-mfa-devices.json"]),
];

/// Reads a regular file as text, refusing one over [`crate::limits::MAX_FILE_BYTES`] (counted
/// while reading: a FIFO or a device reports no size) and one that is not UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    use std::io::Read as _;
    let name = format!("`{}`", path.display());
    let file = std::fs::File::open(path).map_err(|e| io_error(&name, &e))?;
    let meta = file.metadata().map_err(|e| io_error(&name, &e))?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorCode::OrgData,
            format!("{name} is not a regular file"),
        ));
    }
    let max = crate::limits::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(&name, &e))?;
    if bytes.len() > max {
        return Err(crate::limits::too_large(&name, None, max));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::new(ErrorCode::OrgData, format!("{name} is not UTF-8 text")))
}

fn io_error(name: &str, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::new(ErrorCode::OrgData, format!("{name} is missing"))
    } else {
        Error::new(ErrorCode::Io, format!("cannot read {name}: {e}"))
    }
}

/// Reads a JSON file of an organization folder into its shape (`IAM_ORG_DATA` naming the file
/// when it is missing or of another shape).
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorCode::OrgData,
            format!("`{}`: not the AWS CLI's output: {e}", path.display()),
        )
    })
}

/// One account's folder, read: the audit's inputs (the account placed in its organization), and
/// the inputs that were missing.
#[derive(Debug, Clone)]
pub struct AccountFolder {
    /// The folder.
    pub dir: PathBuf,
    /// The inputs read.
    pub data: AuditData,
    /// The inputs the folder does not hold (`credentialReport`, ...): their checks are
    /// `notEvaluated`.
    pub missing: Vec<&'static str>,
    /// The account's place in its organization.
    pub placement: Option<Placement>,
}

impl AccountFolder {
    /// Reads a folder in the layout of [`ACCOUNT_FILES`]; errors name the file.
    pub fn read(dir: &Path, options: AuditOptions) -> Result<AccountFolder> {
        if !dir.is_dir() {
            return Err(Error::new(
                ErrorCode::OrgData,
                format!("`{}`: the account has no folder", dir.display()),
            ));
        }
        // scripts/collect-org.sh leaves this file where it could not read the account
        let failed = dir.join("collect-error.txt");
        if failed.is_file() {
            let why = read_text(&failed).unwrap_or_default();
            let why = why
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no reason given");
            return Err(Error::new(
                ErrorCode::OrgData,
                format!(
                    "`{}`: the account could not be collected: {}",
                    dir.display(),
                    why.trim()
                ),
            ));
        }
        let mut data = AuditData {
            options,
            ..AuditData::default()
        };
        let mut missing = Vec::new();
        for (input, names) in ACCOUNT_FILES {
            let Some(path) = names.iter().map(|n| dir.join(n)).find(|p| p.is_file()) else {
                missing.push(input);
                continue;
            };
            let text = read_text(&path)?;
            let named = |e: Error| e.map_message(|m| format!("`{}`: {m}", path.display()));
            match input {
                "credentialReport" => {
                    data.credential_report = Some(CredentialReport::parse(&text).map_err(named)?)
                }
                "authorizationDetails" => {
                    data.account =
                        Some(Account::load(&text, &LoadOptions::default()).map_err(named)?)
                }
                "passwordPolicy" => {
                    data.password_policy = Some(PasswordPolicySetting::parse(&text).map_err(named)?)
                }
                "accountSummary" => {
                    data.account_summary = Some(AccountSummaryMap::parse(&text).map_err(named)?)
                }
                _ => {
                    data.virtual_mfa_devices =
                        Some(parse_virtual_mfa_devices(&text).map_err(named)?)
                }
            }
        }
        Ok(AccountFolder {
            dir: dir.to_path_buf(),
            data,
            missing,
            placement: None,
        })
    }
}
