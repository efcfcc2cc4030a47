//! Credentials as IAM data shows them: access-key ids classified by prefix, and the temporary
//! credential document of the EC2 instance-metadata service (a role's credentials on an instance).

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::policy::condition::parse_date;

/// What an access-key id is, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AccessKeyKind {
    /// `AKIA`: a long-term key of an IAM user or the root user.
    LongTerm,
    /// `ASIA`: a temporary key from STS (a role session, a federation token, a session token).
    Temporary,
    /// Anything else.
    Unknown,
}

impl AccessKeyKind {
    /// Classifies an access-key id.
    pub fn classify(access_key_id: &str) -> AccessKeyKind {
        match access_key_id.get(..4) {
            Some("AKIA") => AccessKeyKind::LongTerm,
            Some("ASIA") => AccessKeyKind::Temporary,
            _ => AccessKeyKind::Unknown,
        }
    }
}

/// The instance-metadata credential document
/// (`/latest/meta-data/iam/security-credentials/ROLE`). The secret and the token are kept but never
/// printed by `Debug` nor serialized.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TemporaryCredentials {
    /// `Success` when the service could issue credentials.
    pub code: String,
    /// When the credentials were last refreshed.
    #[serde(default)]
    pub last_updated: Option<String>,
    /// `AWS-HMAC`.
    #[serde(rename = "Type", default)]
    pub kind: Option<String>,
    /// The access-key id (`ASIA...`).
    pub access_key_id: String,
    /// The secret key.
    pub secret_access_key: String,
    /// The session token.
    pub token: String,
    /// When the credentials expire.
    pub expiration: String,
}

impl std::fmt::Debug for TemporaryCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryCredentials")
            .field("code", &self.code)
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

/// What iamkit reports about a credential document (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CredentialsStatus {
    /// `Code`.
    pub code: String,
    /// `Type`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The access-key id.
    pub access_key_id: String,
    /// Its classification.
    pub key_kind: AccessKeyKind,
    /// `LastUpdated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// `Expiration`.
    pub expiration: String,
    /// Whether `Expiration` is at or before the instant asked about.
    pub expired: bool,
}

impl TemporaryCredentials {
    /// Parses the document (JSON text).
    pub fn from_json_str(text: &str) -> Result<TemporaryCredentials> {
        let c: TemporaryCredentials = crate::strict::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InputSchema,
                format!("not an instance-metadata credential document: {e}"),
            )
        })?;
        c.expiration_nanos()?;
        Ok(c)
    }

    fn expiration_nanos(&self) -> Result<i128> {
        parse_date(&self.expiration).ok_or_else(|| {
            Error::new(
                ErrorCode::InputSchema,
                format!("Expiration `{}` is not a date", self.expiration),
            )
        })
    }

    /// Whether the credentials have expired at `as_of` (an ISO 8601 date; expired at or after
    /// `Expiration`).
    pub fn is_expired_at(&self, as_of: &str) -> Result<bool> {
        let now = parse_date(as_of).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("`{as_of}` is not a date"),
            )
        })?;
        Ok(self.expiration_nanos()? <= now)
    }

    /// Whether the credentials have expired now.
    pub fn is_expired(&self) -> Result<bool> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        Ok(self.expiration_nanos()? <= now)
    }

    /// The report of this document at `as_of` (an ISO 8601 date; `None`: now).
    pub fn report(&self, as_of: Option<&str>) -> Result<CredentialsStatus> {
        Ok(CredentialsStatus {
            code: self.code.clone(),
            kind: self.kind.clone(),
            access_key_id: self.access_key_id.clone(),
            key_kind: AccessKeyKind::classify(&self.access_key_id),
            last_updated: self.last_updated.clone(),
            expiration: self.expiration.clone(),
            expired: match as_of {
                Some(t) => self.is_expired_at(t)?,
                None => self.is_expired()?,
            },
        })
    }
}
