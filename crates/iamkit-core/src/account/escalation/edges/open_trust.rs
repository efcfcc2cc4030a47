//! Trust policies that let in their whole account alike: decided once per account, not once
//! per actor.
//!
//! A trust policy that names only its own account (the account id or its root ARN) delegates to
//! the identity side: any principal of the account whose own policies allow `sts:AssumeRole`
//! gets in, provided the trust policy's conditions hold. When those conditions cannot tell one
//! principal from another (no principal, resource, request or service key, no policy variable:
//! [`depends_on_principal`]), whether the trust policy lets a principal of its account in is one
//! answer for all of them. It is decided once, with the account's neutral request (once per pass
//! when the conditions read a key a pass supplies, MFA or `aws:SourceIp`, see `assumed`): trust
//! policies that let nobody in are left out, and the roles of those that let everyone in are
//! decided together, once per actor, with one of their trust policies standing for all (each
//! would give the same decision). An account with many distinct trust policies of this kind
//! then costs one decision per actor, not one per actor and trust policy.

use super::assumed::reads_supplied_key;
use super::depends_on_principal;
use crate::eval::compile::{PrincipalMatch, Tri};
use crate::eval::{CompiledPolicy, Request};
use crate::policy::{Effect, PrincipalKind, PrincipalValue, Statement};

/// The shape of a trust policy that names only `account` (its id or `root`) and whose
/// conditions cannot tell one principal of it from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Open {
    /// It reads no key a pass supplies: one answer for every request of the analysis.
    Alike,
    /// It reads a key a pass supplies (MFA, `aws:SourceIp`): one answer per pass.
    PerPass,
}

/// The [`Open`] shape of `trust` for principals of `account`, or `None` when its answer may
/// differ from principal to principal (then each is decided on its own).
pub(super) fn shape(trust: &CompiledPolicy, account: &str, partition: &str) -> Option<Open> {
    let root = format!("arn:{partition}:iam::{account}:root");
    let open = trust.statements.len() == trust.source.statements.len()
        && trust
            .source
            .statements
            .iter()
            .all(|st| !depends_on_principal(st) && names_account_only(st, account, &root));
    if !open {
        return None;
    }
    Some(if trust.source.statements.iter().any(reads_supplied_key) {
        Open::PerPass
    } else {
        Open::Alike
    })
}

/// Whether `trust`, of an [`Open`] shape, lets a principal of its account in (its own policies
/// allowing) with the context of `req`: the account's neutral request (a principal nothing is
/// known of), with what the pass supplies.
pub(super) fn lets_in(trust: &CompiledPolicy, req: &Request) -> bool {
    let mut allows = false;
    for st in &trust.statements {
        if !st.admits_action("sts:AssumeRole") {
            continue;
        }
        let m = st.matches_caller(req, false);
        match (st.effect, m.applies) {
            // a Deny that applies, or may (fail closed), keeps everyone out
            (Effect::Deny, Tri::True | Tri::Unknown) => return false,
            // only the account is named: the identity side must allow too, for everyone
            // (another way in is not this shape's, and is not counted)
            (Effect::Allow, Tri::True) => allows |= m.via == Some(PrincipalMatch::Account),
            _ => {}
        }
    }
    allows
}

/// Whether a statement's `AWS` principals name `account` alone (its id or `root`), written as
/// `Principal`. An Allow must name nothing else that could be an IAM principal; a Deny may also
/// name everyone (`*`), which is alike for all too. Other kinds (`Service`, `Federated`) never
/// match a user or a role.
fn names_account_only(st: &Statement, account: &str, root: &str) -> bool {
    let Some(p) = &st.principal else {
        return false;
    };
    if p.negated {
        return false;
    }
    let everyone_ok = st.effect == Effect::Deny;
    match &p.value {
        PrincipalValue::Star => everyone_ok,
        PrincipalValue::Map(entries) => entries
            .iter()
            .filter(|(kind, _)| *kind == PrincipalKind::Aws)
            .flat_map(|(_, values)| values.items.iter())
            .all(|v| v == account || v == root || (everyone_ok && v == "*")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::policy::{parse_policy, PolicyType};

    const ACCOUNT: &str = "111122223333";

    fn trust(statements: &str) -> CompiledPolicy {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let parsed = parse_policy(&text, PolicyType::Trust);
        assert!(parsed.is_valid(), "{:?}", parsed.diagnostics);
        CompiledPolicy::new(parsed.policy.unwrap())
    }

    fn neutral() -> Request {
        Request::builder(
            format!("arn:aws:iam::{ACCOUNT}:user/iamkit-neutral"),
            "iamkitprobe:IamkitProbe",
            "*",
        )
        .context("aws:CurrentTime", "2026-12-01T00:00:00Z")
        .build()
        .unwrap()
    }

    /// `None` when not open, else whether it lets the neutral principal in (`PerPass`: with
    /// no key supplied).
    fn alike(statements: &str) -> Option<bool> {
        let t = trust(statements);
        shape(&t, ACCOUNT, "aws").map(|_| lets_in(&t, &neutral()))
    }

    const ROOT: &str =
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole""#;

    #[test]
    fn the_account_with_a_condition_that_holds_or_not() {
        let holds = format!(
            r#"{{"Effect":"Allow",{ROOT},"Condition":{{"DateLessThan":{{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}}}}"#
        );
        let never = holds.replace("2030", "2020");
        assert_eq!(alike(&holds), Some(true));
        assert_eq!(alike(&never), Some(false));
        // the bare account id says the same
        let bare = holds.replace("arn:aws:iam::111122223333:root", ACCOUNT);
        assert_eq!(alike(&bare), Some(true));
    }

    #[test]
    fn a_deny_for_everyone_keeps_everyone_out() {
        let st = format!(
            r#"{{"Effect":"Allow",{ROOT}}},{{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}}"#
        );
        assert_eq!(alike(&st), Some(false));
        // a Deny of another action leaves the Allow
        let other = st.replace(
            r#""Deny","Principal":"*","Action":"sts:AssumeRole""#,
            r#""Deny","Principal":"*","Action":"sts:TagSession""#,
        );
        assert_eq!(alike(&other), Some(true));
    }

    #[test]
    fn what_may_differ_between_principals_is_not_alike() {
        for st in [
            // a principal's key, a key of another service, a policy variable
            format!(
                r#"{{"Effect":"Allow",{ROOT},"Condition":{{"StringEquals":{{"aws:PrincipalTag/k":"v"}}}}}}"#
            ),
            format!(
                r#"{{"Effect":"Allow",{ROOT},"Condition":{{"StringEquals":{{"sts:ExternalId":"x"}}}}}}"#
            ),
            format!(
                r#"{{"Effect":"Allow",{ROOT},"Condition":{{"StringEquals":{{"aws:SourceAccount":"${{aws:PrincipalAccount}}"}}}}}}"#
            ),
            // a user named, everyone allowed, another account
            r#"{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/u"]},"Action":"sts:AssumeRole"}"#.to_string(),
            r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#.to_string(),
            r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"}"#.to_string(),
        ] {
            assert_eq!(alike(&st), None, "{st}");
        }
    }

    #[test]
    fn a_key_a_pass_supplies_is_decided_per_pass() {
        let t = trust(&format!(
            r#"{{"Effect":"Allow",{ROOT},"Condition":{{"IpAddress":{{"aws:SourceIp":"10.0.0.0/8"}}}}}}"#
        ));
        assert_eq!(shape(&t, ACCOUNT, "aws"), Some(Open::PerPass));
        assert!(!lets_in(&t, &neutral()));
        let mut from = neutral();
        from.context.set(
            "aws:SourceIp",
            smallvec::smallvec![crate::eval::ContextValue::from_text("10.0.0.0")],
            false,
        );
        assert!(lets_in(&t, &from));
        let mfa = trust(&format!(
            r#"{{"Effect":"Allow",{ROOT},"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}"#
        ));
        assert_eq!(shape(&mfa, ACCOUNT, "aws"), Some(Open::PerPass));
        let plain = trust(&format!(r#"{{"Effect":"Allow",{ROOT}}}"#));
        assert_eq!(shape(&plain, ACCOUNT, "aws"), Some(Open::Alike));
    }

    #[test]
    fn services_named_beside_the_account_never_match_a_principal() {
        let st = r#"{"Effect":"Allow","Principal":{"AWS":"111122223333","Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
        assert_eq!(alike(st), Some(true));
        let only = r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
        assert_eq!(alike(only), Some(false));
    }
}
