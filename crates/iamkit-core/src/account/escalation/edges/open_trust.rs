//! Trust policies that let in their whole account alike: decided once per account, not once
//! per actor.
//!
//! A trust policy that names only its own account (the account id or its root ARN) delegates to
//! the identity side: any principal of the account whose own policies allow `sts:AssumeRole`
//! gets in, provided the trust policy's conditions hold. When those conditions cannot tell one
//! principal from another (no principal, resource, request or service key, no key an actor can
//! supply in a pass of its own (MFA, `aws:SourceIp`, see `assumed`), no policy
//! variable: [`depends_on_principal`]), whether the trust policy lets a principal of its account
//! in is one answer for all of them. It is decided once, with the account's neutral request:
//! trust policies that let nobody in are dropped, and the roles of those that let everyone in
//! are decided together, once per actor, with one of their trust policies standing for all
//! (each would give the same decision). An account with many distinct trust policies of this
//! kind then costs one decision per actor, not one per actor and trust policy.

use super::assumed::reads_supplied_key;
use super::depends_on_principal;
use crate::eval::compile::{PrincipalMatch, Tri};
use crate::eval::{CompiledPolicy, Request};
use crate::policy::{Effect, PrincipalKind, PrincipalValue, Statement};

/// Whether `trust` lets a principal of `account` in (its own policies allowing) the same way
/// for every such principal: `Some(true)` when it does for each, `Some(false)` when it does for
/// none, `None` when the answer may differ from principal to principal (then each is decided on
/// its own). `neutral` is the account's request from a principal nothing is known of.
pub(super) fn lets_in_alike(
    trust: &CompiledPolicy,
    account: &str,
    partition: &str,
    neutral: &Request,
) -> Option<bool> {
    let root = format!("arn:{partition}:iam::{account}:root");
    let alike = trust.source.statements.iter().all(|st| {
        !depends_on_principal(st)
            && !reads_supplied_key(st)
            && names_account_only(st, account, &root)
    });
    if !alike || trust.statements.len() != trust.source.statements.len() {
        return None;
    }
    let mut allows = false;
    for st in &trust.statements {
        if !st.admits_action("sts:AssumeRole") {
            continue;
        }
        let m = st.matches_caller(neutral, false);
        match (st.effect, m.applies) {
            // a Deny that applies, or may (fail closed), keeps everyone out
            (Effect::Deny, Tri::True | Tri::Unknown) => return Some(false),
            (Effect::Allow, Tri::True) => {
                // only the account is named: the identity side must allow too, for everyone
                if m.via != Some(PrincipalMatch::Account) {
                    return None;
                }
                allows = true;
            }
            _ => {}
        }
    }
    Some(allows)
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

    fn alike(statements: &str) -> Option<bool> {
        lets_in_alike(&trust(statements), ACCOUNT, "aws", &neutral())
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
            // a principal's key, an MFA key, a key of another service, a policy variable
            format!(
                r#"{{"Effect":"Allow",{ROOT},"Condition":{{"StringEquals":{{"aws:PrincipalTag/k":"v"}}}}}}"#
            ),
            format!(
                r#"{{"Effect":"Allow",{ROOT},"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}"#
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
    fn services_named_beside_the_account_never_match_a_principal() {
        let st = r#"{"Effect":"Allow","Principal":{"AWS":"111122223333","Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
        assert_eq!(alike(st), Some(true));
        let only = r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
        assert_eq!(alike(only), Some(false));
    }
}
