//! Which statements of a policy admit an action, remembered for the policies several principals
//! hold (managed policies, a group's): each actor is asked about the same few dozen actions, so
//! a shared statement's action patterns are matched once per action, not once per actor. The
//! same for which of the techniques' actions a policy's Allow statements name at all (whether an
//! actor may try a technique).

use std::sync::Arc;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::account::Account;
use crate::eval::CompiledPolicy;

/// The statement indexes of a policy that admit an action.
pub(super) type Admitted = SmallVec<[u32; 4]>;

/// The remembered answers (see the module docs).
#[derive(Debug, Default)]
pub(super) struct Admitting {
    /// The addresses of the identity policies two principals or more hold, each numbered: the
    /// account owns them for as long as the analysis runs, so an address names one policy
    /// throughout.
    shared: FxHashMap<usize, u32>,
    /// Each action asked about, numbered.
    actions: FxHashMap<Box<str>, u32>,
    /// By shared policy number, then action number: the statements that admit the action (a
    /// row per policy, so that one actor's questions about a policy stay in one place in
    /// memory rather than spread over a table of every policy and action).
    known: Vec<Vec<Option<Admitted>>>,
    /// The actions the techniques use (at most 128), each with its bit.
    vocabulary: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    /// By shared policy number: the bits of the vocabulary's actions an Allow statement of the
    /// policy admits.
    allowed: Vec<Option<u128>>,
}

impl Admitting {
    /// Nothing remembered yet, for the policies `account`'s principals share, and the actions
    /// of `vocabulary` (those after the 128th are left out).
    pub(super) fn new<'v>(
        account: &Account,
        vocabulary: impl IntoIterator<Item = &'v str>,
    ) -> Admitting {
        let mut words: Vec<Box<str>> = Vec::new();
        let mut numbered = FxHashMap::default();
        for action in vocabulary {
            if words.len() < 128 && !numbered.contains_key(action) {
                numbered.insert(action.into(), words.len() as u32);
                words.push(action.into());
            }
        }
        let mut held: FxHashMap<usize, u32> = FxHashMap::default();
        for p in &account.prepared {
            for policy in &p.set.identity {
                *held.entry(Arc::as_ptr(policy) as usize).or_default() += 1;
            }
        }
        let mut shared: Vec<usize> = held
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(k, _)| k)
            .collect();
        shared.sort_unstable();
        let mut a = Admitting {
            vocabulary: numbered,
            words,
            ..Admitting::default()
        };
        for at in shared {
            a.share(at);
        }
        a
    }

    /// Remembers the answers about the policy at address `at` (held by two principals or more).
    fn share(&mut self, at: usize) {
        let next = self.shared.len() as u32;
        if *self.shared.entry(at).or_insert(next) == next {
            self.known.push(Vec::new());
            self.allowed.push(None);
        }
    }

    /// The bit of `action` in the vocabulary, if it is there.
    pub(super) fn bit(&self, action: &str) -> Option<u128> {
        self.vocabulary.get(action).map(|i| 1u128 << i)
    }

    /// The bits of the vocabulary's actions that an Allow statement of `policy` admits.
    pub(super) fn allowed(&mut self, policy: &Arc<CompiledPolicy>) -> u128 {
        let of = |words: &[Box<str>]| {
            let mut bits = 0u128;
            for st in policy
                .statements
                .iter()
                .filter(|st| st.effect == crate::policy::Effect::Allow)
            {
                for (i, w) in words.iter().enumerate() {
                    if bits >> i & 1 == 0 && st.admits_action(w) {
                        bits |= 1 << i;
                    }
                }
            }
            bits
        };
        let Some(&at) = self.shared.get(&(Arc::as_ptr(policy) as usize)) else {
            return of(&self.words);
        };
        let words = &self.words;
        *self.allowed[at as usize].get_or_insert_with(|| of(words))
    }

    /// The statements of `policy` whose `Action` (or `NotAction`) admits `action`.
    pub(super) fn statements(&mut self, policy: &Arc<CompiledPolicy>, action: &str) -> Admitted {
        let of = |policy: &CompiledPolicy| -> Admitted {
            policy
                .statements
                .iter()
                .enumerate()
                .filter(|(_, st)| st.admits_action(action))
                .map(|(j, _)| j as u32)
                .collect()
        };
        let Some(&at) = self.shared.get(&(Arc::as_ptr(policy) as usize)) else {
            return of(policy);
        };
        let id = match self.actions.get(action) {
            Some(id) => *id as usize,
            None => {
                let id = self.actions.len();
                self.actions.insert(action.into(), id as u32);
                id
            }
        };
        let row = &mut self.known[at as usize];
        if row.len() <= id {
            row.resize(id + 1, None);
        }
        row[id].get_or_insert_with(|| of(policy)).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyType;

    fn policy(text: &str) -> Arc<CompiledPolicy> {
        crate::eval::compile_text(text, PolicyType::Identity, "$").expect("a valid policy")
    }

    #[test]
    fn the_statements_admitting_an_action_are_those_whose_patterns_match_it() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"iam:Put*","Resource":"*"},
                {"Effect":"Deny","NotAction":"iam:PutUserPolicy","Resource":"*"},
                {"Effect":"Allow","Action":["s3:*","IAM:putuserpolicy"],"Resource":"*"}]}"#,
        );
        for shared in [false, true] {
            let mut a = Admitting::default();
            if shared {
                a.share(Arc::as_ptr(&p) as usize);
            }
            for _ in 0..2 {
                assert_eq!(a.statements(&p, "iam:PutUserPolicy").as_slice(), &[0, 2]);
                assert_eq!(a.statements(&p, "iam:PutRolePolicy").as_slice(), &[0, 1]);
                assert_eq!(a.statements(&p, "s3:GetObject").as_slice(), &[1, 2]);
            }
            // only a shared policy's answers are remembered
            let known = a.known.iter().flatten().filter(|x| x.is_some()).count();
            assert_eq!(known, if shared { 3 } else { 0 });
        }
    }

    #[test]
    fn the_vocabulary_bits_are_those_an_allow_statement_admits() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"iam:Put*","Resource":"*"},
                {"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"},
                {"Effect":"Allow","NotAction":["iam:*"],"Resource":"*"}]}"#,
        );
        let account = Account::from_json_str(
            r#"{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}"#,
        )
        .expect("an empty account");
        let vocabulary = [
            "iam:PutUserPolicy",
            "sts:AssumeRole",
            "iam:PassRole",
            "lambda:CreateFunction",
        ];
        for shared in [false, true] {
            let mut a = Admitting::new(&account, vocabulary);
            if shared {
                a.share(Arc::as_ptr(&p) as usize);
            }
            let bit = |a: &Admitting, x| a.bit(x).expect("in the vocabulary");
            let allowed = a.allowed(&p);
            assert_ne!(allowed & bit(&a, "iam:PutUserPolicy"), 0);
            // a Deny names an action, it does not allow it; NotAction iam:* does (sts is not iam)
            assert_ne!(allowed & bit(&a, "sts:AssumeRole"), 0);
            assert_eq!(allowed & bit(&a, "iam:PassRole"), 0);
            assert_ne!(allowed & bit(&a, "lambda:CreateFunction"), 0);
            assert_eq!(a.bit("s3:GetObject"), None);
            assert_eq!(a.allowed(&p), allowed);
        }
    }
}
