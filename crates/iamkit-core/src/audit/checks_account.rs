//! Checks on the account's authorization details (through the entity model: administrators and
//! `*:*` policies are found by evaluation, not by the policy's wording).

use std::collections::BTreeSet;

use serde_json::json;

use super::{nothing, Check, Ctx, Finding, Status};
use crate::account::{Account, InlinePolicy};
use crate::eval::CompiledPolicy;
use crate::policy::Effect;
use crate::wildcard::{covers, covers_resource, intersects};

fn account<'a>(ctx: &Ctx<'a>, check: &'static Check) -> Result<&'a Account, Vec<Finding>> {
    ctx.inputs.account.ok_or_else(|| {
        vec![ctx.missing(
            check,
            "the authorization details (aws iam get-account-authorization-details)",
        )]
    })
}

/// Every inline policy: (entity ARN, policy).
fn inline_policies_of(a: &Account) -> Vec<(&str, &InlinePolicy)> {
    a.users()
        .iter()
        .flat_map(|u| u.inline_policies.iter().map(move |p| (u.arn.as_str(), p)))
        .chain(
            a.groups()
                .iter()
                .flat_map(|g| g.inline_policies.iter().map(move |p| (g.arn.as_str(), p))),
        )
        .chain(
            a.roles()
                .iter()
                .flat_map(|r| r.inline_policies.iter().map(move |p| (r.arn.as_str(), p))),
        )
        .collect()
}

/// Every attachment: (entity ARN, policy ARN).
fn attachments(a: &Account) -> Vec<(&str, &str)> {
    a.users()
        .iter()
        .flat_map(|u| {
            u.attached_policies
                .iter()
                .map(move |p| (u.arn.as_str(), p.as_str()))
        })
        .chain(a.groups().iter().flat_map(|g| {
            g.attached_policies
                .iter()
                .map(move |p| (g.arn.as_str(), p.as_str()))
        }))
        .chain(a.roles().iter().flat_map(|r| {
            r.attached_policies
                .iter()
                .map(move |p| (r.arn.as_str(), p.as_str()))
        }))
        .collect()
}

pub(crate) fn user_direct_policies(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out = Vec::new();
    for u in a.users() {
        for p in &u.attached_policies {
            out.push(ctx.finding(
                check,
                Status::Fail,
                &u.arn,
                Some(p),
                json!({"attachedPolicy": p}),
                format!("{} has {p} attached directly, not through a group", u.name),
            ));
        }
        for p in &u.inline_policies {
            out.push(ctx.finding(
                check,
                Status::Fail,
                &u.arn,
                Some(&p.name),
                json!({"inlinePolicy": p.name}),
                format!(
                    "{} has the inline policy {} of its own, not through a group",
                    u.name, p.name
                ),
            ));
        }
        if u.attached_policies.is_empty() && u.inline_policies.is_empty() {
            out.push(ctx.finding(
                check,
                Status::Pass,
                &u.arn,
                None,
                json!({}),
                format!("{} has no policy of its own", u.name),
            ));
        }
    }
    nothing(ctx, check, &mut out, "the account has no IAM user");
    out
}

pub(crate) fn admin_policies(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let attached: BTreeSet<&str> = attachments(a).into_iter().map(|(_, p)| p).collect();
    let mut out = Vec::new();
    for p in a.policies() {
        let in_use = attached.contains(p.arn.as_str()) || p.attachment_count.is_some_and(|n| n > 0);
        let Some(doc) = &p.policy else {
            if in_use {
                out.push(ctx.finding(
                    check,
                    Status::NotEvaluated,
                    &p.arn,
                    None,
                    json!({"missingDocument": p.arn}),
                    format!(
                        "{} is attached but its document is not known (supply it)",
                        p.arn
                    ),
                ));
            }
            continue;
        };
        if in_use && a.policy_allows_everything(doc) {
            out.push(ctx.finding(check, Status::Fail, &p.arn, None,
                json!({"attachedTo": attachments(a).into_iter().filter(|(_, x)| *x == p.arn).map(|(e, _)| e).collect::<Vec<_>>(), "awsManaged": p.aws_managed}),
                format!("{} is attached and allows every action on every resource", p.arn)));
        }
    }
    for (entity, p) in inline_policies_of(a) {
        if a.policy_allows_everything(&p.policy) {
            out.push(ctx.finding(
                check,
                Status::Fail,
                entity,
                Some(&p.name),
                json!({"inlinePolicy": p.name}),
                format!(
                    "the inline policy {} of {entity} allows every action on every resource",
                    p.name
                ),
            ));
        }
    }
    nothing(
        ctx,
        check,
        &mut out,
        "no attached or inline policy allows every action on every resource",
    );
    out
}

pub(crate) fn administrators(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out: Vec<Finding> = a
        .administrators()
        .into_iter()
        .map(|arn| ctx.finding(check, Status::Fail, &arn, None, json!({"administrator": true}),
            format!("{arn} is allowed every action on every resource (by evaluation of its policies)")))
        .collect();
    for p in a
        .principals()
        .into_iter()
        .filter(|p| !p.incomplete.is_empty())
    {
        out.push(ctx.finding(
            check,
            Status::NotEvaluated,
            &p.arn,
            None,
            json!({"incomplete": p.incomplete}),
            format!(
                "whether {} is an administrator cannot be told: {} unknown",
                p.arn,
                p.incomplete.join(", ")
            ),
        ));
    }
    nothing(
        ctx,
        check,
        &mut out,
        "no user or role is allowed every action on every resource",
    );
    out
}

pub(crate) fn inline_policies(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out: Vec<Finding> = inline_policies_of(a)
        .into_iter()
        .map(|(entity, p)| ctx.finding(check, Status::Fail, entity, Some(&p.name), json!({"inlinePolicy": p.name}),
            format!("{entity} has the inline policy {}: a managed policy can be reviewed, versioned and reused", p.name)))
        .collect();
    nothing(
        ctx,
        check,
        &mut out,
        "no user, group or role has an inline policy",
    );
    out
}

/// Statement indexes that allow sts:AssumeRole on every role.
fn assumes_any(p: &CompiledPolicy, partition: &str) -> Vec<usize> {
    let every_role = format!("arn:{partition}:iam::*:role/*");
    p.source
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect == Effect::Allow)
        .filter(|(_, s)| match &s.action {
            Some(l) if l.negated => !l
                .values
                .items
                .iter()
                .any(|x| intersects(x, "sts:AssumeRole")),
            Some(l) => l.values.items.iter().any(|x| covers(x, "sts:AssumeRole")),
            None => false,
        })
        .filter(|(_, s)| match &s.resource {
            Some(l) if l.negated => true,
            Some(l) => l
                .values
                .items
                .iter()
                .any(|r| covers_resource(r, &every_role)),
            None => false,
        })
        .map(|(i, _)| i)
        .collect()
}

pub(crate) fn assume_any_role(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let attached: BTreeSet<&str> = attachments(a).into_iter().map(|(_, p)| p).collect();
    let mut out = Vec::new();
    for p in a.policies().iter().filter(|p| !p.aws_managed) {
        let Some(doc) = &p.policy else { continue };
        let stmts = assumes_any(doc, a.partition());
        if !stmts.is_empty() {
            out.push(ctx.finding(
                check,
                Status::Fail,
                &p.arn,
                None,
                json!({"statements": stmts, "attached": attached.contains(p.arn.as_str())}),
                format!(
                    "{} allows sts:AssumeRole on every role (statement {})",
                    p.arn, stmts[0]
                ),
            ));
        }
    }
    for (entity, p) in inline_policies_of(a) {
        let stmts = assumes_any(&p.policy, a.partition());
        if !stmts.is_empty() {
            out.push(ctx.finding(check, Status::Fail, entity, Some(&p.name), json!({"statements": stmts}),
                format!("the inline policy {} of {entity} allows sts:AssumeRole on every role (statement {})", p.name, stmts[0])));
        }
    }
    nothing(
        ctx,
        check,
        &mut out,
        "no customer managed or inline policy allows sts:AssumeRole on every role",
    );
    out
}

pub(crate) fn trust_open(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out = Vec::new();
    for r in a.roles() {
        let mut open = false;
        for t in a.trusted_by(r) {
            let outside =
                t.kind == "anyone" || (matches!(t.kind, "account" | "principal") && !t.in_account);
            if t.effect != Effect::Allow || !outside {
                continue;
            }
            open = true;
            let guarded = t.external_id || t.mfa || t.org;
            let ev = json!({"trusted": t.value, "kind": t.kind, "statement": t.statement, "conditions": t.conditions,
                            "externalId": t.external_id, "mfa": t.mfa, "org": t.org});
            out.push(if guarded {
                ctx.finding(
                    check,
                    Status::Pass,
                    &r.arn,
                    Some(&t.value),
                    ev,
                    format!(
                        "{} trusts {} with a condition ({})",
                        r.name,
                        t.value,
                        [
                            (t.external_id, "sts:ExternalId"),
                            (t.mfa, "MFA"),
                            (t.org, "organization")
                        ]
                        .iter()
                        .filter(|(b, _)| *b)
                        .map(|(_, n)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                    ),
                )
            } else {
                ctx.finding(
                    check,
                    Status::Fail,
                    &r.arn,
                    Some(&t.value),
                    ev,
                    format!(
                        "{} trusts {} ({}) with no sts:ExternalId, MFA or organization condition",
                        r.name,
                        t.value,
                        if t.kind == "anyone" {
                            "anyone"
                        } else {
                            "another account"
                        }
                    ),
                )
            });
        }
        let _ = open;
    }
    nothing(
        ctx,
        check,
        &mut out,
        "no role trusts anyone or another account",
    );
    out
}

pub(crate) fn trust_confused_deputy(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out = Vec::new();
    for r in a
        .roles()
        .iter()
        .filter(|r| !r.path.starts_with("/aws-service-role/"))
    {
        // EC2 instance roles are used by the customer's own instances: no other party can make
        // EC2 pass the role, so the confused-deputy conditions do not apply
        for t in a.trusted_by(r).into_iter().filter(|t| {
            t.kind == "service"
                && t.effect == Effect::Allow
                && !t.value.eq_ignore_ascii_case("ec2.amazonaws.com")
        }) {
            let ev =
                json!({"service": t.value, "statement": t.statement, "conditions": t.conditions});
            out.push(if t.source {
                ctx.finding(
                    check,
                    Status::Pass,
                    &r.arn,
                    Some(&t.value),
                    ev,
                    format!(
                        "{} trusts {} only for a named source (aws:SourceArn / aws:SourceAccount)",
                        r.name, t.value
                    ),
                )
            } else {
                ctx.finding(
                    check,
                    Status::Fail,
                    &r.arn,
                    Some(&t.value),
                    ev,
                    format!(
                        "{} trusts {} with no aws:SourceArn or aws:SourceAccount condition",
                        r.name, t.value
                    ),
                )
            });
        }
    }
    nothing(
        ctx,
        check,
        &mut out,
        "no customer role trusts a service principal",
    );
    out
}

pub(crate) fn cloudshell_full_access(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out: Vec<Finding> = attachments(a)
        .into_iter()
        .filter(|(_, p)| p.ends_with(":iam::aws:policy/AWSCloudShellFullAccess"))
        .map(|(entity, p)| {
            ctx.finding(
                check,
                Status::Fail,
                entity,
                Some(p),
                json!({"attachedPolicy": p}),
                format!("{entity} has AWSCloudShellFullAccess attached"),
            )
        })
        .collect();
    nothing(
        ctx,
        check,
        &mut out,
        "AWSCloudShellFullAccess is attached to no user, group or role",
    );
    out
}

pub(crate) fn support_role(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let roles: Vec<&str> = a
        .roles()
        .iter()
        .filter(|r| {
            r.attached_policies
                .iter()
                .any(|p| p.ends_with(":iam::aws:policy/AWSSupportAccess"))
        })
        .map(|r| r.arn.as_str())
        .collect();
    vec![if roles.is_empty() {
        ctx.finding(
            check,
            Status::Fail,
            &ctx.account_arn,
            None,
            json!({"supportRoles": roles}),
            "no role has AWSSupportAccess attached".into(),
        )
    } else {
        ctx.finding(
            check,
            Status::Pass,
            roles[0],
            None,
            json!({"supportRoles": roles}),
            format!("{} role(s) have AWSSupportAccess attached", roles.len()),
        )
    }]
}

pub(crate) fn ec2_role_without_profile(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let mut out = Vec::new();
    for r in a.roles() {
        let ec2 = a.trusted_by(r).iter().any(|t| {
            t.kind == "service"
                && t.effect == Effect::Allow
                && t.value.eq_ignore_ascii_case("ec2.amazonaws.com")
        });
        if !ec2 {
            continue;
        }
        let profiles: Vec<&str> = r.instance_profiles.iter().map(|p| p.arn.as_str()).collect();
        out.push(if profiles.is_empty() {
            ctx.finding(
                check,
                Status::Fail,
                &r.arn,
                None,
                json!({"instanceProfiles": profiles}),
                format!(
                    "{} trusts ec2.amazonaws.com but no instance profile holds it",
                    r.name
                ),
            )
        } else {
            ctx.finding(
                check,
                Status::Pass,
                &r.arn,
                None,
                json!({"instanceProfiles": profiles}),
                format!(
                    "{} is held by {} instance profile(s)",
                    r.name,
                    profiles.len()
                ),
            )
        });
    }
    nothing(ctx, check, &mut out, "no role trusts ec2.amazonaws.com");
    out
}

/// Each principal that is not an administrator but can make itself one, with its shortest path
/// as evidence ([`Account::escalations`], at the audit's instant), and the permission whose
/// removal cuts that path named in the reason.
pub(crate) fn privilege_escalation(ctx: &Ctx<'_>, check: &'static Check) -> Vec<Finding> {
    let a = match account(ctx, check) {
        Ok(a) => a,
        Err(f) => return f,
    };
    let options = crate::account::EscalationOptions {
        as_of: Some(ctx.as_of),
        ..Default::default()
    };
    let answer = match a.escalations(&options, None) {
        Ok(x) => x,
        Err(e) => {
            return vec![ctx.finding(
                check,
                Status::NotEvaluated,
                &ctx.account_arn,
                None,
                json!({"error": e.code()}),
                format!("not evaluated: {e}"),
            )]
        }
    };
    let mut out = Vec::new();
    for e in &answer.escalations {
        let chain: Vec<String> = e
            .hops
            .iter()
            .map(|h| {
                let verb = if h.kind == "upgrade" {
                    "makes an administrator of"
                } else {
                    "becomes"
                };
                format!("{} {verb} {} by {}", h.source, h.target, h.technique_name)
            })
            .collect();
        let cut = e
            .hops
            .first()
            .and_then(|h| h.requests.first())
            .map(|r| {
                let by: Vec<String> = r
                    .statements
                    .iter()
                    .map(|s| match &s.sid {
                        Some(sid) => format!("{} statement {} ({sid})", s.policy, s.statement),
                        None => format!("{} statement {}", s.policy, s.statement),
                    })
                    .collect();
                format!(
                    "; to cut it, remove {} on {} from {}",
                    r.action,
                    r.resource,
                    by.join(" and ")
                )
            })
            .unwrap_or_default();
        let how = match e.certainty {
            crate::account::Certainty::Exact => "can",
            crate::account::Certainty::Possible => "may be able to",
        };
        out.push(ctx.finding(
            check,
            Status::Fail,
            &e.principal,
            None,
            json!({
                "certainty": e.certainty,
                "target": e.target,
                "hops": e.hops,
            }),
            format!(
                "{} {how} become an administrator in {} hop{}: {}{cut}",
                e.principal,
                e.hops.len(),
                if e.hops.len() == 1 { "" } else { "s" },
                chain.join(", then "),
            ),
        ));
    }
    for arn in &answer.undecided {
        out.push(ctx.finding(
            check,
            Status::NotEvaluated,
            arn,
            None,
            json!({"undecided": true}),
            format!("whether paths start at or lead through {arn} cannot be told: a policy or trust policy of it cannot be read"),
        ));
    }
    nothing(
        ctx,
        check,
        &mut out,
        "no principal can make itself an administrator by the modeled techniques",
    );
    out
}
