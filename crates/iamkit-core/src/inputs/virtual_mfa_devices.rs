//! The virtual MFA device list (`aws iam list-virtual-mfa-devices`).

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};

/// One virtual MFA device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VirtualMfaDevice {
    /// The serial number (an ARN).
    pub serial_number: String,
    /// The ARN of the user it is assigned to (the root user's ARN ends in `:root`).
    pub user_arn: Option<String>,
}

/// Reads `aws iam list-virtual-mfa-devices` output.
pub fn parse_virtual_mfa_devices(text: &str) -> Result<Vec<VirtualMfaDevice>> {
    let v: Value = crate::strict::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::InputJson,
            format!("the virtual MFA device list is not JSON: {e}"),
        )
    })?;
    let list = v
        .get("VirtualMFADevices")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::AuditInput,
                "the virtual MFA device list has no `VirtualMFADevices` array",
            )
        })?;
    list.iter()
        .map(|d| {
            Ok(VirtualMfaDevice {
                serial_number: d
                    .get("SerialNumber")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::AuditInput,
                            "a virtual MFA device has no `SerialNumber`",
                        )
                    })?
                    .to_string(),
                user_arn: d
                    .get("User")
                    .and_then(|u| u.get("Arn"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
        })
        .collect()
}
