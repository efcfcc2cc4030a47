//! Checks on the credential report (and, for the root user, the account summary and the virtual
//! MFA device list). Boundaries: "unused for N days or more" fails when the age is at least N days;
//! "rotated every N days or less" fails when the age is more than N days; ages are exact
//! (nanoseconds from `asOf`), not whole days.

use super::{age_seconds, days, days_up, ev, nothing, Check, Ctx, Ev, Evidence, Finding};
use super::{emit, Findings, Out, Status};
use crate::inputs::{Cell, CredentialReport, CredentialRow, Instant, DAY_NANOS};

const SLOTS: [&str; 2] = ["accessKey1", "accessKey2"];

fn report<'a>(ctx: &Ctx<'a>) -> Option<&'a CredentialReport> {
    ctx.inputs.credential_report
}

fn age(then: Instant, ctx: &Ctx<'_>) -> i128 {
    ctx.as_of.0 - then.0
}

pub(crate) fn root_access_keys(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    if let Some(root) = report(ctx).and_then(CredentialReport::root) {
        for (i, k) in root.access_keys.iter().enumerate() {
            if k.active == Cell::Value(true) {
                emit!(
                    out,
                    ctx,
                    check,
                    Status::Fail,
                    &root.arn,
                    Some(SLOTS[i]),
                    ev! {"active": true, "lastRotated": &k.last_rotated, "lastUsedDate": &k.last_used_date},
                    format!(
                        "the root user has an active access key {} (last used: {})",
                        i + 1,
                        cell_text(&k.last_used_date)
                    ),
                );
            }
        }
        if Findings::is_empty(out) {
            emit!(
                out,
                ctx,
                check,
                Status::Pass,
                &root.arn,
                None,
                ev! {"accessKey1Active": &root.access_keys[0].active, "accessKey2Active": &root.access_keys[1].active},
                "the root user has no active access key".into()
            );
        }
        return;
    }
    if let Some(n) = ctx
        .inputs
        .account_summary
        .and_then(|s| s.get("AccountAccessKeysPresent"))
    {
        let status = if n > 0 { Status::Fail } else { Status::Pass };
        return emit!(
            out,
            ctx,
            check,
            status,
            &ctx.account_arn,
            None,
            ev! {"AccountAccessKeysPresent": n},
            if n > 0 {
                format!("the account summary says the root user has access keys (AccountAccessKeysPresent = {n})")
            } else {
                "the account summary says the root user has no access keys (AccountAccessKeysPresent = 0)".into()
            }
        );
    }
    out.push(ctx.missing(
        check,
        if report(ctx).is_some() {
            "a credential report with a <root_account> row, or the account summary,"
        } else {
            "the credential report (or the account summary)"
        },
    ));
}

/// A cell as the reasons show it: a string or special value as itself, else its JSON text.
fn cell_text<'c, T>(c: &'c Cell<T>) -> String
where
    Ev: From<&'c Cell<T>>,
{
    match Ev::from(c) {
        Ev::Str(s) => s.into_owned(),
        Ev::Time(t) => t.to_rfc3339(),
        Ev::Bool(b) => b.to_string(),
        other => serde_json::to_string(&other).unwrap_or_else(|_| "?".into()),
    }
}

pub(crate) fn root_mfa(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    if let Some(root) = report(ctx).and_then(CredentialReport::root) {
        let ev = ev! {"mfaActive": &root.mfa_active, "passwordEnabled": &root.password_enabled};
        let (status, reason) = if root.mfa_active == Cell::Value(true) {
            (
                Status::Pass,
                "the root user has MFA (mfa_active = true)".to_string(),
            )
        } else if root.password_enabled == Cell::Value(false) {
            (Status::Pass, "the root user has no password (password_enabled = false), so it cannot sign in to the console".to_string())
        } else {
            (
                Status::Fail,
                format!(
                    "the root user has no MFA (mfa_active = {})",
                    cell_text(&root.mfa_active)
                ),
            )
        };
        return emit!(out, ctx, check, status, &root.arn, None, ev, reason);
    }
    if let Some(s) = ctx.inputs.account_summary {
        let mfa = s.get("AccountMFAEnabled");
        let pw = s.get("AccountPasswordPresent");
        if mfa.is_some() || pw.is_some() {
            let ok = mfa == Some(1) || pw == Some(0);
            return emit!(
                out,
                ctx,
                check,
                if ok { Status::Pass } else { Status::Fail },
                &ctx.account_arn,
                None,
                ev! {"AccountMFAEnabled": mfa, "AccountPasswordPresent": pw},
                {
                    let show = |v: Option<i64>| v.map_or("absent".to_string(), |n| n.to_string());
                    if mfa == Some(1) {
                        "the account summary says the root user has MFA (AccountMFAEnabled = 1)"
                            .to_string()
                    } else if ok {
                        "the account summary says the root user has no password (AccountPasswordPresent = 0)".to_string()
                    } else {
                        format!("the account summary says the root user has no MFA (AccountMFAEnabled = {}, AccountPasswordPresent = {})", show(mfa), show(pw))
                    }
                }
            );
        }
    }
    out.push(ctx.missing(check, "the credential report (or the account summary)"));
}

pub(crate) fn root_hardware_mfa(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(devices) = ctx.inputs.virtual_mfa_devices else {
        return out.push(ctx.missing(
            check,
            "the virtual MFA device list (aws iam list-virtual-mfa-devices)",
        ));
    };
    let summary = ctx.inputs.account_summary;
    let root_row = report(ctx).and_then(CredentialReport::root);
    let mfa_on = match (summary.and_then(|s| s.get("AccountMFAEnabled")), root_row) {
        (Some(n), _) => Some(n == 1),
        (None, Some(r)) => r.mfa_active.value().copied(),
        (None, None) => None,
    };
    let Some(mfa_on) = mfa_on else {
        return out.push(ctx.missing(
            check,
            "the account summary or a credential report with a <root_account> row",
        ));
    };
    let virtual_root: Vec<&str> = devices
        .iter()
        .filter(|d| {
            d.user_arn.as_deref().is_some_and(|a| a.ends_with(":root"))
                || d.serial_number.ends_with("root-account-mfa-device")
        })
        .map(|d| d.serial_number.as_str())
        .collect();
    let arn = root_row
        .map(|r| r.arn.clone())
        .unwrap_or_else(|| ctx.account_arn.clone());
    let ev = ev! {"mfaEnabled": mfa_on, "virtualDevicesOfRoot": virtual_root.clone(),
    "accountPasswordPresent": summary.and_then(|s| s.get("AccountPasswordPresent"))};
    let no_password = summary.and_then(|s| s.get("AccountPasswordPresent")) == Some(0)
        || root_row.is_some_and(|r| r.password_enabled == Cell::Value(false));
    let (status, reason) = if !mfa_on && no_password {
        (
            Status::Pass,
            "the root user has no password and no MFA device: it cannot sign in (CIS: pass unless a password is present)".to_string(),
        )
    } else if !mfa_on {
        (
            Status::Fail,
            "the root user has no MFA device at all".to_string(),
        )
    } else if !virtual_root.is_empty() {
        (
            Status::Fail,
            format!(
                "the root user's MFA is a virtual device ({})",
                virtual_root.join(", ")
            ),
        )
    } else {
        (
            Status::Pass,
            "the root user has MFA and no virtual MFA device is assigned to it".to_string(),
        )
    };
    emit!(out, ctx, check, status, &arn, None, ev, reason);
}

pub(crate) fn root_recent_use(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(r) = report(ctx) else {
        return out.push(ctx.missing(check, "the credential report"));
    };
    let Some(root) = r.root() else {
        return out.push(ctx.missing(check, "a credential report with a <root_account> row"));
    };
    let uses = [
        ("password", &root.password_last_used),
        ("accessKey1", &root.access_keys[0].last_used_date),
        ("accessKey2", &root.access_keys[1].last_used_date),
    ];
    let last = uses
        .iter()
        .filter_map(|(what, c)| c.value().map(|t| (*what, *t)))
        .max_by_key(|(_, t)| *t);
    let threshold = ctx.options.root_use_days;
    let mut ev = ev! {
        "passwordLastUsed": &root.password_last_used,
        "accessKey1LastUsedDate": &root.access_keys[0].last_used_date,
        "accessKey2LastUsedDate": &root.access_keys[1].last_used_date,
        "thresholdDays": threshold,
    };
    let (status, reason) = match last {
        None => (
            Status::Pass,
            "the root user has no recorded use".to_string(),
        ),
        Some((what, t)) => {
            let d = days(t, ctx.as_of);
            ev.set("lastUse", what);
            ev.set("ageDays", d);
            if age(t, ctx) < i128::from(threshold) * DAY_NANOS {
                (Status::Fail, format!("the root user's {what} was used {d} days ago, within the last {threshold} days"))
            } else {
                (Status::Pass, format!("the root user was last used {d} days ago ({what}), not within the last {threshold} days"))
            }
        }
    };
    emit!(out, ctx, check, status, &root.arn, None, ev, reason);
}

pub(crate) fn root_certificates(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(r) = report(ctx) else {
        return out.push(ctx.missing(check, "the credential report"));
    };
    let Some(root) = r.root() else {
        return out.push(ctx.missing(check, "a credential report with a <root_account> row"));
    };
    for (i, c) in root.certs.iter().enumerate() {
        if c.active == Cell::Value(true) {
            emit!(
                out,
                ctx,
                check,
                Status::Fail,
                &root.arn,
                Some(["cert1", "cert2"][i]),
                ev! {"active": true, "lastRotated": &c.last_rotated},
                format!(
                    "the root user has an active signing certificate {} (last rotated: {})",
                    i + 1,
                    cell_text(&c.last_rotated)
                ),
            );
        }
    }
    if Findings::is_empty(out) {
        emit!(
            out,
            ctx,
            check,
            Status::Pass,
            &root.arn,
            None,
            ev! {},
            "the root user has no active signing certificate".into(),
        );
    }
}

/// Every user row; or, when the report is missing or empty, `None` and the `notEvaluated`
/// finding handed to `out`.
fn users<'a>(
    ctx: &Ctx<'a>,
    check: &'static Check,
    out: &mut Out<'_>,
) -> Option<Vec<&'a CredentialRow>> {
    match report(ctx) {
        Some(r) if r.rows.is_empty() => out.push(empty_report(ctx, check)),
        Some(r) => return Some(r.users().collect()),
        None => out.push(ctx.missing(check, "the credential report")),
    }
    None
}

/// A report without rows (AWS always writes the root user's): likely truncated, so nothing can
/// be judged from it.
fn empty_report(ctx: &Ctx<'_>, check: &'static Check) -> Finding {
    ctx.finding(
        check,
        Status::NotEvaluated,
        &ctx.account_arn,
        None,
        ev! {"notAssessable": "the credential report has no rows"},
        "not evaluated: the credential report has no rows (AWS always writes the root user's row; is it truncated?)".to_string(),
    )
}

pub(crate) fn console_mfa(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    for u in rows
        .iter()
        .filter(|u| u.password_enabled == Cell::Value(true))
    {
        let ok = u.mfa_active == Cell::Value(true);
        emit!(
            out,
            ctx,
            check,
            if ok { Status::Pass } else { Status::Fail },
            &u.arn,
            None,
            ev! {"passwordEnabled": true, "mfaActive": &u.mfa_active},
            if ok {
                format!("{} has a console password and MFA", u.user)
            } else {
                format!(
                    "{} has a console password and no MFA (mfa_active = {})",
                    u.user,
                    cell_text(&u.mfa_active)
                )
            },
        );
    }
    nothing(ctx, check, out, "no IAM user has a console password");
}

pub(crate) fn admin_without_mfa(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(account) = ctx.inputs.account else {
        return out.push(ctx.missing(check, "the authorization details"));
    };
    let Some(r) = report(ctx) else {
        return out.push(ctx.missing(check, "the credential report"));
    };
    for admin in account.administrators() {
        if !account.users().iter().any(|u| u.arn == admin) {
            continue;
        }
        let Some(row) = r.users().find(|row| row.arn == admin) else {
            emit!(
                out,
                ctx,
                check,
                Status::NotEvaluated,
                &admin,
                None,
                ev! {"administrator": true},
                "the administrator has no row in the credential report".into(),
            );
            continue;
        };
        let ev = ev! {"administrator": true, "passwordEnabled": &row.password_enabled, "mfaActive": &row.mfa_active};
        let (status, reason) = if row.password_enabled != Cell::Value(true) {
            (
                Status::Pass,
                format!("administrator {} has no console password", row.user),
            )
        } else if row.mfa_active == Cell::Value(true) {
            (Status::Pass, format!("administrator {} has MFA", row.user))
        } else {
            (
                Status::Fail,
                format!(
                    "administrator {} (allowed * on *) has a console password and no MFA",
                    row.user
                ),
            )
        };
        emit!(out, ctx, check, status, &admin, None, ev, reason);
    }
    for p in account
        .principals()
        .into_iter()
        .filter(|p| !p.incomplete.is_empty())
    {
        let Some(row) = r.users().find(|row| row.arn == p.arn) else {
            continue;
        };
        if row.password_enabled == Cell::Value(true) && row.mfa_active != Cell::Value(true) {
            emit!(out, ctx, check, Status::NotEvaluated, &p.arn, None,
                ev! {"incomplete": p.incomplete.clone(), "passwordEnabled": true, "mfaActive": &row.mfa_active},
                format!("{} has a console password and no MFA, and whether it is an administrator cannot be told: {} unknown", row.user, p.incomplete.join(", ")));
        }
    }
    nothing(ctx, check, out, "no IAM user is an administrator");
}

pub(crate) fn unused_credentials(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    let threshold = ctx.options.unused_days;
    let limit = i128::from(threshold) * DAY_NANOS;
    for u in rows {
        if u.password_enabled == Cell::Value(true) {
            // CIS: last use, else (never used) the last change, else the creation
            let (basis, t) = match (&u.password_last_used, &u.password_last_changed) {
                (Cell::Value(t), _) => ("password_last_used", Some(*t)),
                (_, Cell::Value(t)) => ("password_last_changed", Some(*t)),
                _ => ("user_creation_time", u.user_creation_time.value().copied()),
            };
            out.emit(unused_status(t, ctx, limit), || {
                judge_unused(
                    ctx,
                    check,
                    u,
                    "password",
                    basis,
                    t,
                    limit,
                    threshold,
                    ev! {
                        "passwordLastUsed": &u.password_last_used,
                        "passwordLastChanged": &u.password_last_changed,
                    },
                )
            });
        }
        for (i, k) in u.access_keys.iter().enumerate() {
            if k.active != Cell::Value(true) {
                continue;
            }
            let (basis, t) = match (&k.last_used_date, &k.last_rotated) {
                (Cell::Value(t), _) => (
                    ["access_key_1_last_used_date", "access_key_2_last_used_date"][i],
                    Some(*t),
                ),
                (_, Cell::Value(t)) => (
                    ["access_key_1_last_rotated", "access_key_2_last_rotated"][i],
                    Some(*t),
                ),
                _ => ("user_creation_time", u.user_creation_time.value().copied()),
            };
            out.emit(unused_status(t, ctx, limit), || {
                judge_unused(
                    ctx,
                    check,
                    u,
                    SLOTS[i],
                    basis,
                    t,
                    limit,
                    threshold,
                    ev! {
                        "lastUsedDate": &k.last_used_date,
                        "lastRotated": &k.last_rotated,
                    },
                )
            });
        }
    }
    nothing(
        ctx,
        check,
        out,
        "no IAM user has a console password or an active access key",
    );
}

/// The status [`judge_unused`] gives.
fn unused_status(t: Option<Instant>, ctx: &Ctx<'_>, limit: i128) -> Status {
    match t {
        None => Status::NotEvaluated,
        Some(t) if t > ctx.as_of => Status::NotEvaluated,
        Some(t) if age(t, ctx) >= limit => Status::Fail,
        Some(_) => Status::Pass,
    }
}

#[allow(clippy::too_many_arguments)]
fn judge_unused(
    ctx: &Ctx<'_>,
    check: &'static Check,
    u: &CredentialRow,
    slot: &str,
    basis: &'static str,
    t: Option<Instant>,
    limit: i128,
    threshold: u32,
    mut ev: Evidence,
) -> Finding {
    ev.set("basis", basis);
    ev.set("thresholdDays", threshold);
    let what = if slot == "password" {
        "console password".to_string()
    } else {
        format!("access key {}", &slot[9..])
    };
    let Some(t) = t else {
        return ctx.finding(
            check,
            Status::NotEvaluated,
            &u.arn,
            Some(slot),
            ev,
            format!("{}'s {what} has no date to measure its use from", u.user),
        );
    };
    ev.set("basisValue", t);
    ev.set("ageSeconds", age_seconds(t, ctx.as_of));
    if t > ctx.as_of {
        ev.set("afterAsOf", true);
        return ctx.finding(
            check,
            Status::NotEvaluated,
            &u.arn,
            Some(slot),
            ev,
            format!(
                "{}'s {what}: {basis} ({}) is after asOf ({}): give the report's instant as asOf",
                u.user,
                t.to_rfc3339(),
                ctx.as_of.to_rfc3339()
            ),
        );
    }
    let d = days(t, ctx.as_of);
    ev.set("ageDays", d);
    let when = if basis.contains("last_used") {
        format!("was last used {d} days ago ({basis})")
    } else {
        format!("was never used; {basis} is {d} days ago")
    };
    if age(t, ctx) >= limit {
        ctx.finding(
            check,
            Status::Fail,
            &u.arn,
            Some(slot),
            ev,
            format!(
                "{}'s {what} {when}: unused for {threshold} days or more",
                u.user
            ),
        )
    } else {
        ctx.finding(
            check,
            Status::Pass,
            &u.arn,
            Some(slot),
            ev,
            format!("{}'s {what} {when}: under {threshold} days", u.user),
        )
    }
}

pub(crate) fn key_rotation(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    let threshold = ctx.options.rotation_days;
    let limit = i128::from(threshold) * DAY_NANOS;
    for u in rows {
        for (i, k) in u.access_keys.iter().enumerate() {
            if k.active != Cell::Value(true) {
                continue;
            }
            let status = match k.last_rotated.value() {
                None => Status::NotEvaluated,
                Some(t) if *t > ctx.as_of => Status::NotEvaluated,
                Some(t) if age(*t, ctx) > limit => Status::Fail,
                Some(_) => Status::Pass,
            };
            out.emit(status, || rotation(ctx, check, u, i, threshold, limit));
        }
    }
    nothing(ctx, check, out, "no IAM user has an active access key");
}

/// The key-rotation finding of access key `i` of `u` (active).
fn rotation(
    ctx: &Ctx<'_>,
    check: &'static Check,
    u: &CredentialRow,
    i: usize,
    threshold: u32,
    limit: i128,
) -> Finding {
    let k = &u.access_keys[i];
    let mut ev = ev! {"lastRotated": &k.last_rotated, "thresholdDays": threshold};
    let Some(t) = k.last_rotated.value().copied() else {
        return ctx.finding(
            check,
            Status::NotEvaluated,
            &u.arn,
            Some(SLOTS[i]),
            ev,
            format!(
                "{}'s active access key {} has no last_rotated date",
                u.user,
                i + 1
            ),
        );
    };
    ev.set("ageSeconds", age_seconds(t, ctx.as_of));
    if t > ctx.as_of {
        ev.set("afterAsOf", true);
        return ctx.finding(
            check,
            Status::NotEvaluated,
            &u.arn,
            Some(SLOTS[i]),
            ev,
            format!(
                "{}'s access key {} was rotated at {}, after asOf ({})",
                u.user,
                i + 1,
                t.to_rfc3339(),
                ctx.as_of.to_rfc3339()
            ),
        );
    }
    let d = days_up(t, ctx.as_of);
    ev.set("ageDays", d);
    if age(t, ctx) > limit {
        ctx.finding(
            check,
            Status::Fail,
            &u.arn,
            Some(SLOTS[i]),
            ev,
            format!(
                "{}'s access key {} is {d} days old, more than {threshold} days",
                u.user,
                i + 1
            ),
        )
    } else {
        ctx.finding(
            check,
            Status::Pass,
            &u.arn,
            Some(SLOTS[i]),
            ev,
            format!(
                "{}'s access key {} is {d} days old, {threshold} days or less",
                u.user,
                i + 1
            ),
        )
    }
}

pub(crate) fn two_active_keys(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    for u in rows {
        let active = u
            .access_keys
            .iter()
            .filter(|k| k.active == Cell::Value(true))
            .count();
        if active == 0 {
            continue;
        }
        emit!(
            out,
            ctx,
            check,
            if active == 2 {
                Status::Fail
            } else {
                Status::Pass
            },
            &u.arn,
            None,
            ev! {"activeKeys": active},
            if active == 2 {
                format!("{} has two active access keys", u.user)
            } else {
                format!("{} has one active access key", u.user)
            },
        );
    }
    nothing(ctx, check, out, "no IAM user has an active access key");
}

pub(crate) fn setup_keys_unused(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    for u in rows
        .iter()
        .filter(|u| u.password_enabled == Cell::Value(true))
    {
        let mut any = false;
        for (i, k) in u.access_keys.iter().enumerate() {
            if k.active == Cell::Value(true) && k.last_used_date.value().is_none() {
                any = true;
                let created_after = match (k.last_rotated.value(), u.user_creation_time.value()) {
                    (Some(k), Some(c)) => Some(((k.0 - c.0) / 1_000_000_000) as i64),
                    _ => None,
                };
                emit!(
                    out,
                    ctx,
                    check,
                    Status::Fail,
                    &u.arn,
                    Some(SLOTS[i]),
                    ev! {"passwordEnabled": true, "lastUsedDate": &k.last_used_date, "lastRotated": &k.last_rotated, "userCreationTime": &u.user_creation_time, "secondsAfterUserCreation": created_after},
                    format!(
                        "{} has a console password and an active access key {} that was never used",
                        u.user,
                        i + 1
                    )
                );
            }
        }
        if !any {
            emit!(
                out,
                ctx,
                check,
                Status::Pass,
                &u.arn,
                None,
                ev! {"passwordEnabled": true},
                format!("{} holds no active access key that was never used", u.user),
            );
        }
    }
    nothing(ctx, check, out, "no IAM user has a console password");
}

pub(crate) fn console_user_with_keys(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    for u in rows
        .iter()
        .filter(|u| u.password_enabled == Cell::Value(true))
    {
        let active: Vec<usize> = (0..2)
            .filter(|i| u.access_keys[*i].active == Cell::Value(true))
            .map(|i| i + 1)
            .collect();
        emit!(
            out,
            ctx,
            check,
            if active.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            },
            &u.arn,
            None,
            ev! {"passwordEnabled": true, "activeKeys": active.clone()},
            if active.is_empty() {
                format!("{} uses the console and holds no active access key", u.user)
            } else {
                format!(
                    "{} has a console password and {} active access key(s)",
                    u.user,
                    active.len()
                )
            },
        );
    }
    nothing(ctx, check, out, "no IAM user has a console password");
}

pub(crate) fn inactive_keys(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    for u in rows {
        let mut any = false;
        for (i, k) in u.access_keys.iter().enumerate() {
            if k.active == Cell::Value(false) && k.last_rotated.value().is_some() {
                any = true;
                emit!(
                    out,
                    ctx,
                    check,
                    Status::Fail,
                    &u.arn,
                    Some(SLOTS[i]),
                    ev! {"active": false, "lastRotated": &k.last_rotated},
                    format!(
                        "{} has an inactive access key {} (created {})",
                        u.user,
                        i + 1,
                        cell_text(&k.last_rotated)
                    ),
                );
            }
        }
        if !any && u.access_keys.iter().any(|k| k.active == Cell::Value(true)) {
            emit!(
                out,
                ctx,
                check,
                Status::Pass,
                &u.arn,
                None,
                ev! {},
                format!("{} has no inactive access key", u.user),
            );
        }
    }
    nothing(ctx, check, out, "no IAM user has an inactive access key");
}

pub(crate) fn keys_for_workloads(ctx: &Ctx<'_>, check: &'static Check, out: &mut Out<'_>) {
    let Some(rows) = users(ctx, check, out) else {
        return;
    };
    let threshold = ctx.options.unused_days;
    for u in rows
        .iter()
        .filter(|u| u.password_enabled == Cell::Value(false))
    {
        for (i, k) in u.access_keys.iter().enumerate() {
            if k.active != Cell::Value(true) {
                continue;
            }
            let Some(t) = k.last_used_date.value().copied() else {
                continue;
            };
            let d = days(t, ctx.as_of);
            let in_use = age(t, ctx) < i128::from(threshold) * DAY_NANOS;
            let status = if in_use { Status::Fail } else { Status::Pass };
            out.emit(status, || {
                let ev = ev! {
                    "passwordEnabled": false,
                    "lastUsedDate": t,
                    "lastUsedService": &k.last_used_service,
                    "lastUsedRegion": &k.last_used_region,
                    "ageDays": d,
                    "ageSeconds": age_seconds(t, ctx.as_of),
                    "thresholdDays": threshold,
                };
                let reason = if in_use {
                    format!(
                        "{} is a programmatic user whose long-term access key {} is in use ({} {d} days ago): a role would serve",
                        u.user,
                        i + 1,
                        cell_text(&k.last_used_service)
                    )
                } else {
                    format!(
                        "{}'s access key {} was last used {d} days ago, {threshold} days or more: not in regular use",
                        u.user,
                        i + 1
                    )
                };
                ctx.finding(check, status, &u.arn, Some(SLOTS[i]), ev, reason)
            });
        }
    }
    nothing(
        ctx,
        check,
        out,
        "no programmatic IAM user uses a long-term access key",
    );
}
