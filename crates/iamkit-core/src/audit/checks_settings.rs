//! Checks on the password policy. No custom policy (`NoSuchEntity`) means AWS's default applies:
//! 8 characters, no reuse prevention, no expiry; the checks fail on it rather than error.

use serde_json::json;

use super::{Check, Ctx, Finding, Status};
use crate::inputs::{PasswordPolicy, PasswordPolicySetting};

fn policy(ctx: &Ctx<'_>, check: &'static Check) -> Result<(PasswordPolicy, bool), Vec<Finding>> {
    match ctx.inputs.password_policy {
        None => Err(vec![ctx.missing(
            check,
            "the password policy (aws iam get-account-password-policy)",
        )]),
        Some(s) => Ok((
            s.effective(),
            matches!(s, PasswordPolicySetting::AwsDefault),
        )),
    }
}

fn which(default: bool) -> &'static str {
    if default {
        "AWS's default password policy (no custom policy is set)"
    } else {
        "the password policy"
    }
}

pub(crate) fn min_length(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let (p, default) = match policy(ctx, check) {
        Ok(p) => p,
        Err(f) => return f,
    };
    let want = ctx.options.min_password_length;
    let got = p.minimum_password_length;
    let ok = got.is_some_and(|n| n >= want);
    vec![ctx.finding(
        check,
        if ok { Status::Pass } else { Status::Fail },
        &ctx.account_arn,
        None,
        json!({"MinimumPasswordLength": got, "threshold": want, "awsDefault": default}),
        match got {
            Some(n) if ok => format!(
                "{} requires {n} characters, at least {want}",
                which(default)
            ),
            Some(n) => format!(
                "{} requires {n} characters, fewer than {want}",
                which(default)
            ),
            None => format!(
                "{} sets no minimum length (fewer than {want})",
                which(default)
            ),
        },
    )]
}

pub(crate) fn reuse(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let (p, default) = match policy(ctx, check) {
        Ok(p) => p,
        Err(f) => return f,
    };
    let want = ctx.options.password_reuse;
    let got = p.password_reuse_prevention;
    let ok = got.is_some_and(|n| n >= want);
    vec![ctx.finding(
        check,
        if ok { Status::Pass } else { Status::Fail },
        &ctx.account_arn,
        None,
        json!({"PasswordReusePrevention": got, "threshold": want, "awsDefault": default}),
        match got {
            Some(n) if ok => format!(
                "{} prevents reuse of the last {n} passwords",
                which(default)
            ),
            Some(n) => format!(
                "{} prevents reuse of only the last {n} passwords (fewer than {want})",
                which(default)
            ),
            None => format!(
                "{} does not prevent password reuse (wanted {want})",
                which(default)
            ),
        },
    )]
}

pub(crate) fn expiry(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let (p, default) = match policy(ctx, check) {
        Ok(p) => p,
        Err(f) => return f,
    };
    let want = ctx.options.max_password_age;
    let got = p
        .max_password_age
        .filter(|n| *n > 0 && p.expire_passwords != Some(false));
    let ok = got.is_some_and(|n| n <= want);
    vec![ctx.finding(check, if ok { Status::Pass } else { Status::Fail }, &ctx.account_arn, None,
        json!({"MaxPasswordAge": p.max_password_age, "ExpirePasswords": p.expire_passwords, "threshold": want, "awsDefault": default}),
        match got {
            Some(n) if ok => format!("{} expires passwords after {n} days, {want} or less", which(default)),
            Some(n) => format!("{} expires passwords after {n} days, more than {want}", which(default)),
            None => format!("{} does not expire passwords (wanted {want} days or less)", which(default)),
        })]
}

pub(crate) fn complexity(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let (p, default) = match policy(ctx, check) {
        Ok(p) => p,
        Err(f) => return f,
    };
    let classes = [
        ("uppercase", p.require_uppercase_characters),
        ("lowercase", p.require_lowercase_characters),
        ("numbers", p.require_numbers),
        ("symbols", p.require_symbols),
    ];
    let missing: Vec<&str> = classes
        .iter()
        .filter(|(_, v)| *v != Some(true))
        .map(|(n, _)| *n)
        .collect();
    vec![ctx.finding(check, if missing.is_empty() { Status::Pass } else { Status::Fail }, &ctx.account_arn, None,
        json!({"RequireUppercaseCharacters": p.require_uppercase_characters, "RequireLowercaseCharacters": p.require_lowercase_characters,
               "RequireNumbers": p.require_numbers, "RequireSymbols": p.require_symbols, "missing": missing, "awsDefault": default}),
        if missing.is_empty() { format!("{} requires every character class", which(default)) }
        else { format!("{} does not require {}", which(default), missing.join(", ")) })]
}
