//! Building the escalation graph: each principal's reach and upgrade edges, each decided by
//! evaluating the technique's requests with the actor's policies.
//!
//! Two things keep the work near-linear in large accounts:
//! - an actor is only tried on a technique when one of its Allow statements names each action the
//!   technique needs (a look at the compiled statements);
//! - the targets of one action are grouped by which of the actor's statements (for that action)
//!   admit their ARN, and one request per group is decided: nothing else in these requests depends
//!   on the target (the same principal, action and context; every target in the actor's account;
//!   no resource policy, or the same one), so the decision is the group's.
//!
//! Targets are numbered (every ARN a technique acts on, sorted), each statement's `Resource` is
//! turned once into the set of numbers it admits (shared by every actor that has the statement),
//! and an actor's candidates are split by those sets: one request is decided per part. Edges are
//! kept as sets of targets per technique; the requests and statements that justify a hop are
//! worked out again, by full evaluation, only for the hops of the paths reported.

mod admitting;
mod assumed;
mod open_trust;

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU8, Ordering};

use rustc_hash::FxHashMap;
use std::sync::Arc;

use compact_str::CompactString;
use smallvec::smallvec;

use super::inventory::Inventory;
use super::techniques::{self, Entry, Model, Reach, Upgrade, Uses};
use super::{Certainty, Hop, HopRequest};
use crate::account::admin::{allows_everything, ProbeCache};
use crate::account::{Account, AccountQuery, Group, PrincipalKind, Role};
use crate::eval::compile::Tri;
use crate::eval::service_rules::protected_role;
use crate::eval::{CompiledPolicy, ContextValue, Decision, PolicySet, Request};
use crate::inputs::Cell;
use crate::policy::{Effect, PolicyType, PrincipalValue};

/// An edge of the graph: what is needed to say which hop it is (the requests are worked out again
/// when the hop is reported).
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    /// The target's prepared index.
    pub(super) target: u32,
    /// The technique (an index into the table).
    pub(super) technique: u16,
}

/// What a technique needs of one target, found or explained.
struct Found {
    requests: Vec<HopRequest>,
    via: Option<String>,
    certainty: Certainty,
    requires: Option<String>,
}

impl Found {
    fn exact(requests: Vec<HopRequest>) -> Found {
        Found {
            requests,
            via: None,
            certainty: Certainty::Exact,
            requires: None,
        }
    }
}

/// A request to try: action, resource, context keys.
type Try<'s> = (&'s str, &'s str, &'s [(&'s str, &'s str)]);

/// A user's identity policies with a group's added (what joining the group gives), labelled.
struct Joined {
    identity: Vec<Arc<CompiledPolicy>>,
    labels: Vec<String>,
}

/// The resources (of the account's universe) a statement's `Resource` element admits.
#[derive(Debug)]
enum Admits {
    /// Every resource.
    All,
    /// None of them (a statement on another service's resources).
    Nothing,
    /// A bit per resource of the universe (some in, some out).
    Bits(Vec<u64>),
}

impl Admits {
    fn has(&self, r: u32) -> bool {
        match self {
            Admits::All => true,
            Admits::Nothing => false,
            Admits::Bits(b) => b[(r / 64) as usize] >> (r % 64) & 1 == 1,
        }
    }

    /// `bits` (a bit per resource of a universe of `len`), as the smallest variant that says
    /// the same.
    fn of(bits: Vec<u64>, len: usize) -> Admits {
        let full = |i: usize, w: u64| {
            let used = (len - i * 64).min(64);
            let mask = if used == 64 {
                u64::MAX
            } else {
                (1u64 << used) - 1
            };
            w & mask == mask
        };
        if bits.iter().all(|w| *w == 0) {
            Admits::Nothing
        } else if bits.iter().enumerate().all(|(i, w)| full(i, *w)) {
            Admits::All
        } else {
            Admits::Bits(bits)
        }
    }
}

/// What a `Resource` (`false`) or `NotResource` (`true`) element with these patterns admits.
type AdmitsOfText = (bool, Vec<String>, Arc<Admits>);

/// A set of numbers (universe numbers, or prepared indexes), as bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    pub(super) fn new(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    pub(super) fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub(super) fn has(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// How many members.
    pub(super) fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub(super) fn or(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Removes `other`'s members.
    pub(super) fn minus(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    pub(super) fn and(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// The words that hold every member: from the first non-zero one to the last (empty for an
    /// empty set).
    fn span(&self) -> (usize, usize) {
        let lo = self.words.iter().position(|w| *w != 0);
        let hi = self.words.iter().rposition(|w| *w != 0);
        match (lo, hi) {
            (Some(lo), Some(hi)) => (lo, hi + 1),
            _ => (0, 0),
        }
    }

    pub(super) fn first(&self) -> Option<usize> {
        self.words
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
    }

    /// The first member also in `other`.
    pub(super) fn first_common(&self, other: &Bits) -> Option<usize> {
        self.words
            .iter()
            .zip(&other.words)
            .enumerate()
            .find(|(_, (a, b))| *a & *b != 0)
            .map(|(i, (a, b))| i * 64 + (a & b).trailing_zeros() as usize)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, w)| {
            let mut w = *w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }
}

/// Whether some bits of `words` are in `b`, and whether some are not.
fn meets(words: &[u64], b: &[u64]) -> (bool, bool) {
    let (mut inside, mut outside) = (false, false);
    for (w, m) in words.iter().zip(b) {
        inside |= w & m != 0;
        outside |= w & !m != 0;
        if inside && outside {
            break;
        }
    }
    (inside, outside)
}

/// Sets (`on`) or clears the bits `lo..hi` of `words`, a word at a time.
fn set_range(words: &mut [u64], lo: usize, hi: usize, on: bool) {
    let mut i = lo;
    while i < hi {
        let (w, b) = (i / 64, i % 64);
        let n = (hi - i).min(64 - b);
        let mask = if n == 64 {
            u64::MAX
        } else {
            ((1u64 << n) - 1) << b
        };
        if on {
            words[w] |= mask;
        } else {
            words[w] &= !mask;
        }
        i += n;
    }
}

/// The first bit set in `words`.
fn first_in(words: &[u64]) -> Option<usize> {
    let i = words.iter().position(|w| *w != 0)?;
    Some(i * 64 + words[i].trailing_zeros() as usize)
}

/// Answers worked out once per principal and shared by the builders of every thread: each is
/// a function of the principal alone once the administrators are known, so whichever builder
/// works one out first, the others take it.
#[derive(Debug)]
pub(super) struct Memo {
    /// [`Builder::upgradable`] and [`Builder::put_replacing`] of each principal: 0 not known yet,
    /// 1 no, 2 yes.
    upgradable: Vec<AtomicU8>,
    put_made: Vec<AtomicU8>,
}

impl Memo {
    fn new(n: usize) -> Memo {
        Memo {
            upgradable: (0..n).map(|_| AtomicU8::new(0)).collect(),
            put_made: (0..n).map(|_| AtomicU8::new(0)).collect(),
        }
    }

    fn get(of: &[AtomicU8], t: usize) -> Option<bool> {
        match of[t].load(Ordering::Relaxed) {
            0 => None,
            x => Some(x == 2),
        }
    }

    fn set(of: &[AtomicU8], t: usize, x: bool) {
        of[t].store(1 + u8::from(x), Ordering::Relaxed);
    }
}

/// The targets an actor reaches or upgrades by one technique (prepared indexes).
#[derive(Debug, Clone)]
pub(super) struct EdgeSet {
    pub(super) technique: u16,
    pub(super) certainty: Certainty,
    pub(super) targets: Arc<Bits>,
}

/// The decisions of one actor's requests of one action (with one context and resource policy),
/// by group of targets (see the module docs).
struct Groups {
    action: String,
    context: Vec<(String, String)>,
    /// The trust policy that replaces the role's (its address), or 0.
    trust: usize,
    set: Arc<PolicySet>,
    /// What each statement that admits the action admits of the resources.
    admits: Vec<Arc<Admits>>,
    /// The decision of each group (the bits of the statements that admit its resources).
    decided: FxHashMap<u64, bool>,
}

/// A request made for an actor, kept to be pointed at its next requests.
struct Template {
    actor: usize,
    context: Vec<(String, String)>,
    /// The request, unless it is in use.
    request: Option<Request>,
}

/// The context keys a pass supplies (see [`assumed`]).
type Supplies = Vec<(&'static str, String)>;

/// Roles decided together, with the trust policy that stands for all of theirs.
type OpenRoles<'a> = (&'a Arc<CompiledPolicy>, Bits);

/// A trust policy decided once per pass, its roles, and whether it reads `aws:SourceIp`.
type PerPassTrust<'a> = (&'a Arc<CompiledPolicy>, Bits, bool);

/// The account being analysed, with the lookups the techniques need.
pub(super) struct Builder<'a> {
    pub(super) account: &'a Account,
    q: AccountQuery,
    /// The groups of each principal (prepared index; roles have none).
    groups_of_node: Vec<Vec<&'a Group>>,
    /// The managed policies each principal has, attached or by a group (prepared index).
    held: Vec<Vec<&'a crate::account::ManagedPolicy>>,
    /// The roles whose trust policies say the same, each with one of those policies (universe
    /// sets, one per account).
    trust_groups: Vec<(&'a Arc<CompiledPolicy>, Vec<Bits>)>,
    /// The trust groups by the `AWS` principal values their Allow statements name (an ARN, an
    /// account id, under the account id too for a root ARN, and under the last segment of a
    /// path), and those open to more (`*`, patterns, `NotPrincipal`): an actor looks up only the
    /// groups that may let it in.
    trust_index: FxHashMap<&'a str, Vec<u32>>,
    trust_open: Vec<u32>,
    /// Per account, the roles whose trust policies let in every principal of the account alike
    /// (its own policies allowing), with one of those policies standing for all
    /// ([`open_trust`]); those roles are in no trust group.
    open_to_account: FxHashMap<&'a str, (&'a Arc<CompiledPolicy>, Bits)>,
    /// Per account, the roles whose trust policies let in every principal of the account alike
    /// in a pass, but read a key a pass supplies (MFA, `aws:SourceIp`; whether they read
    /// `aws:SourceIp`): decided once per account and the keys they read of those the pass
    /// supplies, and remembered by them (`open_in_pass`).
    open_per_pass: FxHashMap<&'a str, Vec<PerPassTrust<'a>>>,
    open_in_pass: FxHashMap<(&'a str, bool, Supplies), Option<OpenRoles<'a>>>,
    /// Each role's trust policy, by ARN.
    trusts: FxHashMap<&'a str, &'a Arc<CompiledPolicy>>,
    /// The services each role's trust policy allows (by `roles` index).
    role_services: Vec<Vec<String>>,
    /// The account of each group and managed policy, by ARN.
    accounts: FxHashMap<&'a str, &'a str>,
    admin_policy: String,
    cache: ProbeCache,
    /// The grouped decisions of the current actor: the first `live` (the others are kept for
    /// their allocations).
    groups: Vec<Groups>,
    live: usize,
    groups_of: usize,
    /// Every ARN a technique acts on (principals, groups, managed policies) and `*`, numbered.
    universe: Vec<&'a str>,
    numbers: FxHashMap<&'a str, u32>,
    /// What each statement admits of the universe, by (policy, statement, actor for statements
    /// with policy variables).
    admits: FxHashMap<(usize, usize, usize), Arc<Admits>>,
    /// The same by the statement's `Resource` (or `NotResource`) text, for those without policy
    /// variables: by the text's hash, each with the text (looked up without a copy).
    admits_text: FxHashMap<u64, Vec<AdmitsOfText>>,
    /// What a statement on every resource, and one on none of the universe, admits (shared).
    admits_all: Arc<Admits>,
    admits_nothing: Arc<Admits>,
    /// The prepared index of each universe number that is a principal.
    uni_node: Vec<Option<usize>>,
    /// Universe sets by account: users, roles, groups with members, customer policies with
    /// holders, those with more than one version, those with five, and the roles whose policies
    /// and trust an account principal may change (not a service-linked role, not one under
    /// `/aws-reserved/`: the evaluator's service rules).
    by_account: FxHashMap<&'a str, Arc<[Bits; 7]>>,
    /// The members (prepared indexes) of each group, and the holders of each policy, by universe
    /// number.
    behind: FxHashMap<u32, Bits>,
    /// Users with two active keys, a console password, none (universe sets).
    two_keys: Bits,
    password: Bits,
    no_password: Bits,
    /// Roles trusting each service, and roles with an instance profile (universe sets).
    trusting: FxHashMap<String, Bits>,
    profiled: Bits,
    /// Target sets already made, shared.
    shared: FxHashMap<Bits, Arc<Bits>>,
    /// Whether each principal is an administrator (set by [`Builder::set_administrators`]).
    admin: Vec<bool>,
    /// What [`Builder::upgradable`] and [`Builder::put_replacing`] say of each principal, shared
    /// by the builders of every thread, and the principal this builder asks about first.
    memo: Arc<Memo>,
    memo_from: usize,
    /// The principals whose [`Builder::upgradable`] is known, and those of them it holds for.
    up_known: Bits,
    up_bits: Bits,
    /// What [`Builder::made_by_version`] says of each customer policy asked about.
    policy_made: FxHashMap<u32, Arc<Bits>>,
    /// The same with a new version in place of a policy, by (principal, policy address).
    replacing: FxHashMap<(usize, usize), bool>,
    /// The policy an upgrade writes: everything allowed.
    allow_all: Arc<CompiledPolicy>,
    /// What each group's policies could give a member who joins ([`Gives`]), by `groups` index.
    group_gives: Vec<Gives>,
    /// The groups whose policies give something (universe set), every group of each account
    /// (universe sets), each group's number by name (the first of each name), and each group
    /// number's `groups` index.
    giving_groups: Bits,
    all_groups: FxHashMap<&'a str, Bits>,
    group_number: FxHashMap<&'a str, u32>,
    uni_group: FxHashMap<u32, usize>,
    /// The work done (decisions, probes, statements matched, candidates looked at): a counter for
    /// the tests that the work grows with the account, not with its square.
    pub(super) work: u64,
    /// A request from a user nothing is known of, by account (see [`Gives::of`]).
    neutral: FxHashMap<&'a str, Request>,
    /// The groups whose documents are unknown or cannot be trusted (universe set).
    unknown_groups: Bits,
    /// The actors whose answer is undecided: a group they may join has unknown documents.
    pub(super) undecided: Vec<usize>,
    /// The resource inventory, when one is given, with the services (ARN prefixes, lowercase) of
    /// its resources.
    inventory: Option<&'a Inventory>,
    inventory_services: Vec<String>,
    /// The roles each inventory resource runs with, and the resources each role runs, by universe
    /// number.
    resource_roles: FxHashMap<u32, Vec<u32>>,
    role_resources: FxHashMap<u32, Vec<u32>>,
    /// The inventory's resources of each kind a technique uses, by account (universe sets, made
    /// when first asked).
    kind_bits: FxHashMap<(&'a str, Uses), Bits>,
    /// The roles the resources of a set run with (universe sets, by resource set).
    roles_of: FxHashMap<Bits, Bits>,
    /// What [`Builder::targets`] made of broad sets, by technique and set.
    targets_of: FxHashMap<u16, FxHashMap<Bits, Arc<Bits>>>,
    /// Requests of the current actor, to be pointed at its next ones.
    templates: Vec<Template>,
    /// The universe set of `*` alone.
    star: Arc<Bits>,
    /// Context keys every request carries for now (see [`assumed`]), whether the current pass
    /// looks at assuming roles alone, whether some trust policy reads an MFA key, and whether
    /// the caller's context gives one.
    assumed: Vec<(&'static str, String)>,
    pass_only: Vec<bool>,
    trusts_read_mfa: bool,
    caller_mfa: bool,
    /// Whether some trust policy reads `aws:SourceIp`, and whether the caller's context gives
    /// a network key (then no source address is assumed).
    trusts_read_ip: bool,
    caller_network: bool,
    /// Which statements of each policy admit each action asked about.
    admitting: admitting::Admitting,
    /// The actor whose identity policies' vocabulary bits are known, and those bits (see
    /// [`Builder::may`]).
    may_bits: (usize, u128),
    /// The current actor's policy sets, by the address of the trust policy that replaces a
    /// role's (0: none).
    sets: Vec<(usize, Arc<PolicySet>)>,
}

/// The members from which a technique's universe set is worth remembering, and how many such sets
/// are remembered at most (each holds a bit per ARN of the account).
const BROAD: usize = 64;
const MAX_BROAD_SETS: usize = 4096;

/// What a list of policies could contribute to making a principal an administrator, by a look
/// at their statements (no evaluation): joining a group whose policies give neither, as a user
/// whose own give neither, cannot make the user one, so no probe is needed.
#[derive(Debug, Clone, Copy, Default)]
struct Gives {
    /// An Allow that may admit an action of any service (`NotAction`, or an action pattern that
    /// covers `*:*`): without one, no set allows everything.
    broad: bool,
    /// An Allow that admits putting or attaching a policy on a user or a group.
    upgrade: bool,
    /// A Deny.
    denies: bool,
}

impl Gives {
    /// What `policies` give. `neutral` is a request of the account's from a principal nothing
    /// is known of, at the analysis instant: an Allow whose conditions do not depend on the
    /// principal counts only if they hold for it (a condition that never holds gives nothing to
    /// anyone).
    fn of<'p>(
        policies: impl Iterator<Item = &'p Arc<CompiledPolicy>>,
        neutral: Option<&Request>,
    ) -> Gives {
        let mut g = Gives::default();
        for policy in policies {
            for (j, st) in policy.statements.iter().enumerate() {
                if st.effect != Effect::Allow {
                    g.denies = true;
                    continue;
                }
                let written = policy
                    .source
                    .statements
                    .get(j)
                    .and_then(|s| s.action.as_ref());
                // the administrator probe asks for an action of a service no other pattern
                // reaches: only a universal pattern (one covering `*:*`) or `NotAction` admits it
                let universal = written.is_none_or(|a| {
                    a.negated
                        || a.values.items.iter().any(|x| {
                            x.split(':').next().unwrap_or("").contains(['*', '?'])
                                && crate::wildcard::covers(x, "*:*")
                        })
                });
                let upgrade = SELF_UPGRADES.iter().any(|x| st.admits_action(x));
                if !universal && !upgrade {
                    continue;
                }
                let holds = match (neutral, policy.source.statements.get(j)) {
                    (Some(req), Some(w)) if !depends_on_principal(w) => {
                        st.matches_caller(req, false).applies == Tri::True
                    }
                    _ => true,
                };
                g.broad |= universal && holds;
                g.upgrade |= upgrade && holds;
            }
        }
        g
    }

    /// What a user's own policies (`self`) and a group's (`other`) give together; `denies` is the
    /// group's alone (the user's own are part of whether it is upgradable at all).
    fn or(self, other: Gives) -> Gives {
        Gives {
            broad: self.broad || other.broad,
            upgrade: self.upgrade || other.upgrade,
            denies: other.denies,
        }
    }
}

/// Whether a statement's conditions may depend on who asks or on the request (then whether it
/// holds is decided per principal and request, not once with a neutral request). Only global
/// `aws:` keys that are the same for every request of the analysis are decided once: not the
/// principal's (`aws:Principal…`, `aws:username`, `aws:userid`, `aws:SourceIdentity`), not the
/// resource's (`aws:Resource…`), not the request's (`aws:RequestTag…`, `aws:TagKeys`,
/// `aws:CalledVia…`), not a service's (`iam:PolicyARN`, `iam:PassedToService`, ...), and no
/// policy variable.
fn depends_on_principal(st: &crate::policy::Statement) -> bool {
    const PER_REQUEST: [&str; 9] = [
        "aws:principal",
        "aws:username",
        "aws:userid",
        "aws:sourceidentity",
        "aws:resource",
        "aws:requesttag",
        "aws:tagkeys",
        "aws:calledvia",
        "aws:requestedregion",
    ];
    if st.to_json().to_string().contains("${") {
        return true;
    }
    st.condition.iter().any(|block| {
        block.entries.iter().any(|(key, _)| {
            let key = key.to_ascii_lowercase();
            !key.starts_with("aws:") || PER_REQUEST.iter().any(|p| key.starts_with(p))
        })
    })
}

/// The actions [`Builder::may`] is asked about: every technique's, and those its model checks.
fn vocabulary() -> impl Iterator<Item = &'static str> {
    const CHECKED: [&str; 6] = [
        "iam:CreateAccessKey",
        "iam:DeleteAccessKey",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:UpdateAssumeRolePolicy",
        "sts:AssumeRole",
    ];
    let upgrades = techniques::all().iter().filter_map(|e| match e.model {
        Model::Upgrade(up) => Some(up.action()),
        _ => None,
    });
    let required = techniques::all()
        .iter()
        .flat_map(|e| e.technique.required.iter().map(String::as_str));
    CHECKED.into_iter().chain(upgrades).chain(required)
}

/// The actions by which a user that joined a group makes itself an administrator.
const SELF_UPGRADES: [&str; 4] = [
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
];

impl<'a> Builder<'a> {
    pub(super) fn new(
        account: &'a Account,
        q: AccountQuery,
        inventory: Option<&'a Inventory>,
        caller_mfa: bool,
        caller_network: bool,
    ) -> crate::error::Result<Builder<'a>> {
        let mut user_node = vec![None; account.users.len()];
        let mut role_node = vec![None; account.roles.len()];
        for (i, p) in account.prepared.iter().enumerate() {
            match p.kind {
                PrincipalKind::User => user_node[p.index] = Some(i),
                PrincipalKind::Role => role_node[p.index] = Some(i),
            }
        }
        let mut members: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut holders: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        // the first group of each name, as the account's principals are prepared
        let mut group_by_name: FxHashMap<&str, &Group> = FxHashMap::default();
        for g in &account.groups {
            group_by_name.entry(g.name.as_str()).or_insert(g);
        }
        for (u, user) in account.users.iter().enumerate() {
            let Some(node) = user_node[u] else { continue };
            for arn in &user.attached_policies {
                holders.entry(arn.as_str()).or_default().push(node);
            }
            for g in &user.groups {
                members.entry(g.as_str()).or_default().push(node);
                if let Some(group) = group_by_name.get(g.as_str()) {
                    for arn in &group.attached_policies {
                        holders.entry(arn.as_str()).or_default().push(node);
                    }
                }
            }
        }
        for (r, role) in account.roles.iter().enumerate() {
            let Some(node) = role_node[r] else { continue };
            for arn in &role.attached_policies {
                holders.entry(arn.as_str()).or_default().push(node);
            }
        }
        let role_services: Vec<Vec<String>> = account
            .roles
            .iter()
            .map(|role| {
                account
                    .trusted_by(role)
                    .into_iter()
                    .filter(|x| x.kind == "service" && x.effect == Effect::Allow)
                    .map(|x| x.value)
                    .collect()
            })
            .collect();
        let accounts: FxHashMap<&str, &str> = account
            .groups
            .iter()
            .map(|g| g.arn.as_str())
            .chain(account.policies.iter().map(|p| p.arn.as_str()))
            .filter_map(|arn| Some((arn, crate::arn::Arn::parse(arn)?.account)))
            .collect();
        let policy_by_arn: FxHashMap<&str, &crate::account::ManagedPolicy> = account
            .policies
            .iter()
            .map(|p| (p.arn.as_str(), p))
            .collect();
        let mut groups_of_node = Vec::with_capacity(account.prepared.len());
        let mut held = Vec::with_capacity(account.prepared.len());
        for p in &account.prepared {
            let (groups, attached): (Vec<&Group>, &Vec<String>) = match p.kind {
                PrincipalKind::User => {
                    let u = &account.users[p.index];
                    let groups = u
                        .groups
                        .iter()
                        .filter_map(|g| group_by_name.get(g.as_str()).copied())
                        .collect();
                    (groups, &u.attached_policies)
                }
                PrincipalKind::Role => (Vec::new(), &account.roles[p.index].attached_policies),
            };
            let mut mine: Vec<&crate::account::ManagedPolicy> = attached
                .iter()
                .chain(groups.iter().flat_map(|g| g.attached_policies.iter()))
                .filter_map(|arn| policy_by_arn.get(arn.as_str()).copied())
                .collect();
            mine.sort_by(|x, y| x.arn.cmp(&y.arn));
            mine.dedup_by(|x, y| x.arn == y.arn);
            groups_of_node.push(groups);
            held.push(mine);
        }
        let mut universe: Vec<&str> = vec!["*"];
        universe.extend(account.prepared.iter().map(|p| p.arn.as_str()));
        universe.extend(account.groups.iter().map(|g| g.arn.as_str()));
        universe.extend(account.policies.iter().map(|p| p.arn.as_str()));
        universe.extend(
            inventory
                .iter()
                .flat_map(|i| i.resources.iter().map(|r| r.arn.as_str())),
        );
        universe.sort_unstable();
        universe.dedup();
        let numbers: FxHashMap<&str, u32> = universe
            .iter()
            .enumerate()
            .map(|(i, r)| (*r, i as u32))
            .collect();
        let u = universe.len();
        let n = account.prepared.len();
        let num = |arn: &str| numbers.get(arn).map(|x| *x as usize);
        let mut uni_node = vec![None; u];
        let mut by_account: FxHashMap<&str, [Bits; 6]> = FxHashMap::default();
        let mut slot = |acct: &'a str, k: usize, arn: &str| {
            if let Some(r) = num(arn) {
                by_account
                    .entry(acct)
                    .or_insert_with(|| std::array::from_fn(|_| Bits::new(u)))[k]
                    .set(r);
            }
        };
        let (mut two_keys, mut password, mut no_password, mut profiled) =
            (Bits::new(u), Bits::new(u), Bits::new(u), Bits::new(u));
        let mut protected = Bits::new(u);
        let mut trusting: FxHashMap<String, Bits> = FxHashMap::default();
        for (i, p) in account.prepared.iter().enumerate() {
            let Some(r) = num(&p.arn) else { continue };
            uni_node[r] = Some(i);
            let acct = p.account.as_deref().unwrap_or("");
            match p.kind {
                PrincipalKind::User => {
                    slot(acct, 0, &p.arn);
                    if let Some(c) = &account.users[p.index].credentials {
                        if c.access_keys.iter().all(key_exists) {
                            two_keys.set(r);
                        }
                        if c.password_enabled == Cell::Value(true) {
                            password.set(r);
                        } else {
                            no_password.set(r);
                        }
                    }
                }
                PrincipalKind::Role => {
                    slot(acct, 1, &p.arn);
                    if protected_role(&p.arn) {
                        protected.set(r);
                    }
                    let role = &account.roles[p.index];
                    if !role.instance_profiles.is_empty() {
                        profiled.set(r);
                    }
                    for svc in &role_services[p.index] {
                        trusting
                            .entry(svc.clone())
                            .or_insert_with(|| Bits::new(u))
                            .set(r);
                    }
                }
            }
        }
        let mut behind: FxHashMap<u32, Bits> = FxHashMap::default();
        for g in &account.groups {
            let (Some(r), Some(m)) = (num(&g.arn), members.get(g.name.as_str())) else {
                continue;
            };
            let mut bits = Bits::new(n);
            m.iter().for_each(|&i| bits.set(i));
            behind.insert(r as u32, bits);
            if let Some(acct) = accounts.get(g.arn.as_str()) {
                slot(acct, 2, &g.arn);
            }
        }
        for p in account.policies.iter().filter(|p| !p.aws_managed) {
            let (Some(r), Some(h)) = (num(&p.arn), holders.get(p.arn.as_str())) else {
                continue;
            };
            let mut bits = Bits::new(n);
            h.iter().for_each(|&i| bits.set(i));
            behind.insert(r as u32, bits);
            if let Some(acct) = accounts.get(p.arn.as_str()) {
                slot(acct, 3, &p.arn);
                if p.versions.len() > 1 {
                    slot(acct, 4, &p.arn);
                }
                // IAM keeps at most five versions: a sixth needs one deleted first
                if p.versions.len() >= 5 {
                    slot(acct, 5, &p.arn);
                }
            }
        }
        // per account, a request from a user nothing is known of, at the analysis instant
        let neutral: FxHashMap<&str, Request> = by_account
            .keys()
            .filter_map(|acct| {
                let arn = format!("arn:{}:iam::{acct}:user/iamkit-neutral", account.partition);
                let mut b = Request::builder(arn.as_str(), "iamkitprobe:IamkitProbe", "*");
                for (k, v, multi) in &q.context {
                    b = b.context_values(k, v.clone(), *multi);
                }
                Some((*acct, b.build().ok()?))
            })
            .collect();
        let mut by_text: FxHashMap<String, (&Arc<CompiledPolicy>, Bits)> = FxHashMap::default();
        for role in &account.roles {
            let (Some(trust), Some(r)) =
                (role.trust_policy.as_ref(), numbers.get(role.arn.as_str()))
            else {
                continue;
            };
            by_text
                .entry(trust.source.to_json_string())
                .or_insert_with(|| (trust, Bits::new(u)))
                .1
                .set(*r as usize);
        }
        let mut by_text: Vec<(&Arc<CompiledPolicy>, Bits)> = by_text.into_values().collect();
        by_text.sort_by_key(|(_, b)| b.first());
        // trust policies that let in their whole account alike are decided once per account
        let trust_policies = || account.roles.iter().filter_map(|r| r.trust_policy.as_ref());
        let mut open_to_account: FxHashMap<&str, (&Arc<CompiledPolicy>, Bits)> =
            FxHashMap::default();
        let mut open_per_pass: FxHashMap<&str, Vec<PerPassTrust>> = FxHashMap::default();
        // the neutral request is in the account's partition: an account with principals of
        // another (a root ARN of one partition does not name the other's) is decided per actor
        let other_partition: rustc_hash::FxHashSet<&str> = account
            .prepared
            .iter()
            .filter(|p| p.arn.split(':').nth(1) != Some(account.partition.as_str()))
            .filter_map(|p| p.account.as_deref())
            .collect();
        by_text.retain(|(trust, roles)| {
            let mut accounts = by_account.iter().filter(|(_, sets)| {
                roles
                    .words
                    .iter()
                    .zip(&sets[1].words)
                    .any(|(r, s)| r & s != 0)
            });
            let (Some((acct, _)), None) = (accounts.next(), accounts.next()) else {
                return true;
            };
            let Some(req) = neutral
                .get(acct)
                .filter(|_| !other_partition.contains(acct))
            else {
                return true;
            };
            match open_trust::shape(trust, acct, &account.partition) {
                None => true,
                Some(open_trust::Open::PerPass) => {
                    let reads_ip = assumed::reads_ip(trust);
                    open_per_pass
                        .entry(acct)
                        .or_default()
                        .push((*trust, roles.clone(), reads_ip));
                    false
                }
                Some(open_trust::Open::Alike) => {
                    if open_trust::lets_in(trust, req) {
                        open_to_account
                            .entry(acct)
                            .or_insert_with(|| (trust, Bits::new(u)))
                            .1
                            .or(roles);
                    }
                    false
                }
            }
        });
        // one account at a time: whether the request crosses accounts changes the decision
        let trust_groups: Vec<(&Arc<CompiledPolicy>, Vec<Bits>)> = by_text
            .into_iter()
            .map(|(trust, roles)| {
                let per_account = by_account
                    .values()
                    .map(|sets| {
                        let mut b = roles.clone();
                        b.and(&sets[1]);
                        b
                    })
                    .filter(|b| !b.is_empty())
                    .collect();
                (trust, per_account)
            })
            .collect();
        let mut trust_index: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        let mut trust_open = Vec::new();
        for (g, (trust, _)) in trust_groups.iter().enumerate() {
            let g = g as u32;
            for (negated, v) in trust_values(trust) {
                if negated || v.contains(['*', '?']) {
                    trust_open.push(g);
                    continue;
                }
                let mut keys = vec![v];
                if let Some(rest) = v.strip_suffix(":root") {
                    keys.extend(rest.rsplit(':').next());
                }
                keys.extend(v.rsplit_once('/').map(|(_, name)| name));
                for k in keys {
                    trust_index.entry(k).or_default().push(g);
                }
            }
        }
        trust_open.dedup();
        let trusts = account
            .roles
            .iter()
            .filter_map(|r| Some((r.arn.as_str(), r.trust_policy.as_ref()?)))
            .collect();
        let group_gives: Vec<Gives> = account
            .groups
            .iter()
            .map(|g| {
                let attached: Vec<Arc<CompiledPolicy>> = g
                    .attached_policies
                    .iter()
                    .filter_map(|arn| account.policy(arn).and_then(|m| m.policy.clone()))
                    .collect();
                let acct = accounts.get(g.arn.as_str()).copied().unwrap_or("");
                Gives::of(
                    g.inline_policies
                        .iter()
                        .map(|i| &i.policy)
                        .chain(attached.iter()),
                    neutral.get(acct),
                )
            })
            .collect();
        let mut giving_groups = Bits::new(u);
        let mut unknown_groups = Bits::new(u);
        for g in &account.groups {
            let unknown = !account.untrusted.reasons(&g.arn).is_empty()
                || g.attached_policies.iter().any(|arn| {
                    !account.untrusted.reasons(arn).is_empty()
                        || account
                            .policy(arn)
                            .and_then(|m| m.policy.as_ref())
                            .is_none()
                });
            if let (true, Some(&r)) = (unknown, numbers.get(g.arn.as_str())) {
                unknown_groups.set(r as usize);
            }
        }
        let mut all_groups: FxHashMap<&str, Bits> = FxHashMap::default();
        let mut group_number: FxHashMap<&str, u32> = FxHashMap::default();
        let mut uni_group: FxHashMap<u32, usize> = FxHashMap::default();
        for (gi, (g, gives)) in account.groups.iter().zip(&group_gives).enumerate() {
            let Some(&r) = numbers.get(g.arn.as_str()) else {
                continue;
            };
            if group_number.contains_key(g.name.as_str()) {
                continue;
            }
            group_number.insert(g.name.as_str(), r);
            uni_group.insert(r, gi);
            if gives.broad || gives.upgrade {
                giving_groups.set(r as usize);
            }
            if let Some(acct) = accounts.get(g.arn.as_str()) {
                all_groups
                    .entry(acct)
                    .or_insert_with(|| Bits::new(u))
                    .set(r as usize);
            }
        }
        // the roles each resource runs with: its role, or the roles of its instance profile
        let mut by_profile: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        for role in &account.roles {
            let Some(&r) = numbers.get(role.arn.as_str()) else {
                continue;
            };
            for ip in &role.instance_profiles {
                by_profile.entry(ip.arn.as_str()).or_default().push(r);
            }
        }
        let mut resource_roles: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut role_resources: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut inventory_services = Vec::new();
        for res in inventory.iter().flat_map(|i| &i.resources) {
            let Some(&x) = numbers.get(res.arn.as_str()) else {
                continue;
            };
            if let Some(svc) = res.arn.split(':').nth(2) {
                inventory_services.push(svc.to_ascii_lowercase());
            }
            let mut roles: Vec<u32> = res
                .role
                .iter()
                .filter_map(|arn| numbers.get(arn.as_str()).copied())
                .collect();
            if let Some(ip) = &res.instance_profile {
                roles.extend(by_profile.get(ip.as_str()).into_iter().flatten());
            }
            for &r in &roles {
                role_resources.entry(r).or_default().push(x);
            }
            resource_roles.entry(x).or_default().extend(roles);
        }
        for list in role_resources
            .values_mut()
            .chain(resource_roles.values_mut())
        {
            list.sort_unstable();
            list.dedup();
        }
        inventory_services.sort();
        inventory_services.dedup();
        Ok(Builder {
            inventory,
            inventory_services,
            resource_roles,
            role_resources,
            kind_bits: FxHashMap::default(),
            roles_of: FxHashMap::default(),
            targets_of: FxHashMap::default(),
            templates: Vec::new(),
            admitting: admitting::Admitting::new(account, vocabulary()),
            may_bits: (usize::MAX, 0),
            sets: Vec::new(),
            assumed: Vec::new(),
            pass_only: Vec::new(),
            trusts_read_mfa: trust_policies().any(|t| assumed::reads_mfa(t)),
            caller_mfa,
            trusts_read_ip: trust_policies().any(|t| assumed::reads_ip(t)),
            caller_network,
            star: Arc::new({
                let mut b = Bits::new(u);
                if let Some(&r) = numbers.get("*") {
                    b.set(r as usize);
                }
                b
            }),
            account,
            giving_groups,
            all_groups,
            group_number,
            uni_group,
            work: 0,
            neutral,
            unknown_groups,
            undecided: Vec::new(),
            group_gives,
            trust_groups,
            trust_index,
            trust_open,
            open_to_account,
            open_per_pass,
            open_in_pass: FxHashMap::default(),
            trusts,
            uni_node,
            by_account: by_account
                .into_iter()
                .map(|(k, [users, roles, groups, policies, versioned, full])| {
                    let mut changeable = roles.clone();
                    changeable.minus(&protected);
                    let all = [users, roles, groups, policies, versioned, full, changeable];
                    (k, Arc::new(all))
                })
                .collect(),
            behind,
            two_keys,
            password,
            no_password,
            trusting,
            profiled,
            shared: FxHashMap::default(),
            admin: Vec::new(),
            memo: Arc::new(Memo::new(n)),
            memo_from: 0,
            up_known: Bits::new(n),
            up_bits: Bits::new(n),
            policy_made: FxHashMap::default(),
            replacing: FxHashMap::default(),
            allow_all: crate::eval::compile_text(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                PolicyType::Identity,
                "$",
            )?,
            groups_of_node,
            held,
            role_services,
            accounts,
            admin_policy: format!(
                "arn:{}:iam::aws:policy/AdministratorAccess",
                account.partition
            ),
            q,
            cache: ProbeCache::default(),
            groups: Vec::new(),
            live: 0,
            groups_of: usize::MAX,
            numbers,
            universe,
            admits: FxHashMap::default(),
            admits_text: FxHashMap::default(),
            admits_all: Arc::new(Admits::All),
            admits_nothing: Arc::new(Admits::Nothing),
        })
    }

    /// Whether each principal of stride `t` of `threads` is an administrator (under the SCPs and
    /// RCPs of the query, when given); a principal with an unknown document is not.
    pub(super) fn administrators_of(&mut self, t: usize, threads: usize) -> Vec<(usize, bool)> {
        (t..self.account.prepared.len())
            .step_by(threads)
            .map(|i| {
                let x = self.account.prepared[i].missing.is_empty() && self.admin_with(i, None);
                (i, x)
            })
            .collect()
    }

    /// Takes the administrators another builder of the same query worked out.
    pub(super) fn set_administrators(&mut self, admin: Vec<bool>) {
        self.admin = admin;
    }

    /// The answers this builder shares with those of other threads.
    pub(super) fn memo(&self) -> Arc<Memo> {
        self.memo.clone()
    }

    /// Shares `memo` (another builder's, of the same query and administrators), asking about
    /// principal `from` first.
    pub(super) fn share_memo(&mut self, memo: Arc<Memo>, from: usize) {
        self.memo = memo;
        self.memo_from = from;
    }

    /// Whether principal `t` allows everything with its own identity policies, or with
    /// `identity` instead, and its boundary. SCPs and RCPs limit each hop's requests, not who
    /// counts as an administrator (as for [`Account::is_administrator`]): an organization's
    /// guardrails bind every principal of an account, its administrators too.
    fn admin_with(&mut self, t: usize, identity: Option<Vec<Arc<CompiledPolicy>>>) -> bool {
        let p = &self.account.prepared[t];
        let mut set = Account::set_for(p, &self.q.policies, None);
        set.scps.clear();
        set.rcps.clear();
        if let Some(identity) = identity {
            set.identity = identity;
        }
        self.work += 1;
        allows_everything(
            &set,
            &p.arn,
            p.account.as_deref(),
            &p.context,
            &mut self.cache,
            &mut self.work,
        )
    }

    /// Whether an upgrade makes principal `t` an administrator: with a policy allowing everything
    /// added to its identity policies, its boundary and its Denies still apply. Not an
    /// administrator already, every document known, and not a service-linked role (it never
    /// acts). A role under `/aws-reserved/` may be upgraded through a customer managed policy it
    /// holds; the techniques that change a protected role itself leave it out of their targets.
    fn upgradable(&mut self, t: usize) -> bool {
        if let Some(x) = Memo::get(&self.memo.upgradable, t) {
            return x;
        }
        let p = &self.account.prepared[t];
        let x = !self.admin[t] && p.missing.is_empty() && !service_linked(&p.arn) && {
            let mut identity = p.set.identity.clone();
            identity.push(self.allow_all.clone());
            self.admin_with(t, Some(identity))
        };
        Memo::set(&self.memo.upgradable, t, x);
        x
    }

    /// Whether a new default version of `policy` (one of `t`'s), allowing everything, makes `t` an
    /// administrator: the version replaces the policy, its Denies too.
    fn upgradable_replacing(&mut self, t: usize, policy: Option<&Arc<CompiledPolicy>>) -> bool {
        if self.upgradable(t) {
            return true;
        }
        let Some(policy) = policy else { return false };
        let p = &self.account.prepared[t];
        let denies = policy.statements.iter().any(|s| s.effect == Effect::Deny);
        if self.admin[t] || !p.missing.is_empty() || service_linked(&p.arn) || !denies {
            return false;
        }
        let key = (t, Arc::as_ptr(policy) as usize);
        if let Some(x) = self.replacing.get(&key) {
            return *x;
        }
        let identity: Vec<Arc<CompiledPolicy>> = p
            .set
            .identity
            .iter()
            .filter(|x| !Arc::ptr_eq(x, policy))
            .cloned()
            .chain([self.allow_all.clone()])
            .collect();
        let x = self.admin_with(t, Some(identity));
        self.replacing.insert(key, x);
        x
    }

    fn arn(&self, i: usize) -> &'a str {
        self.account.prepared[i].arn.as_str()
    }

    /// The trust policy that decides an STS action on one of the account's roles, unless the
    /// query gave a resource policy ([`Account::trust_for`], by a lookup).
    fn trust_for(&self, action: &str, resource: &str) -> Option<&'a Arc<CompiledPolicy>> {
        let sts = action
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("sts:"));
        if !sts || self.q.policies.resource.is_some() {
            return None;
        }
        self.trusts.get(resource).copied()
    }

    /// Whether `arn` is in the actor's account: IAM and the services act only on their caller's
    /// own account's users, groups, roles and policies.
    fn mine(&self, a: usize, arn: &str) -> bool {
        let account = self.account.prepared[a].account.as_deref();
        match self.accounts.get(arn) {
            Some(x) => Some(*x) == account,
            None => crate::arn::Arn::parse(arn).is_some_and(|x| Some(x.account) == account),
        }
    }

    /// Whether some Allow statement of the actor's identity policies names `action` (a necessary
    /// condition for any request of it to be allowed).
    fn may(&mut self, a: usize, action: &str) -> bool {
        let identity = &self.account.prepared[a].set.identity;
        let Some(bit) = self.admitting.bit(action) else {
            return identity.iter().any(|policy| {
                let admitted = self.admitting.statements(policy, action);
                admitted
                    .iter()
                    .any(|j| policy.statements[*j as usize].effect == Effect::Allow)
            });
        };
        if self.may_bits.0 != a {
            let bits = identity
                .iter()
                .fold(0, |m, policy| m | self.admitting.allowed(policy));
            self.may_bits = (a, bits);
        }
        self.may_bits.1 & bit != 0
    }

    /// The actor's request of `action` on `resource` with `context` added: a request made for
    /// the actor before, pointed at them ([`Request::retarget`]), else a new one. Hand it back
    /// with [`Builder::reuse`] when done.
    fn request(
        &mut self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
    ) -> Option<Request> {
        let same = |t: &Template| {
            t.actor == a
                && t.context.len() == context.len()
                && t.context
                    .iter()
                    .zip(context)
                    .all(|(x, y)| x.0 == y.0 && x.1 == y.1)
        };
        if let Some(t) = self.templates.iter_mut().find(|t| same(t)) {
            if let Some(mut req) = t.request.take() {
                if req.retarget(action, resource) {
                    return Some(req);
                }
            }
        }
        let p = &self.account.prepared[a];
        // the steps ask about the resource named, `*` itself included
        let mut req = Account::request_with(p, action, resource, &self.q, true).ok()?;
        let assumed = self.assumed.iter().map(|(k, v)| (*k, v.as_str()));
        for (k, v) in context.iter().copied().chain(assumed) {
            req.context.set(
                k,
                smallvec![ContextValue::from_text(CompactString::from(v))],
                false,
            );
        }
        Some(req)
    }

    /// Keeps request `req` of actor `a` (made with `context`) for its next requests.
    fn reuse(&mut self, a: usize, context: &[(&str, &str)], req: Request) {
        if self.templates.first().is_some_and(|t| t.actor != a) {
            self.templates.clear();
        }
        let same = |t: &Template| {
            t.context.len() == context.len()
                && t.context
                    .iter()
                    .zip(context)
                    .all(|(x, y)| x.0 == y.0 && x.1 == y.1)
        };
        if let Some(t) = self.templates.iter_mut().find(|t| same(t)) {
            t.request = Some(req);
        } else if self.templates.len() < 8 {
            self.templates.push(Template {
                actor: a,
                context: context
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                request: Some(req),
            });
        }
    }

    /// Whether the actor's request is allowed; with `explain`, the allowing statements too.
    /// `trust` replaces the target role's trust policy (for a rewritten one). Without `explain`,
    /// decisions are shared by the targets of a group (see the module docs).
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
        joined: Option<&Joined>,
        explain: bool,
    ) -> Option<HopRequest> {
        // a role's own trust policy differs from role to role: those requests are not grouped
        let own_trust = trust.is_none() && self.trust_for(action, resource).is_some();
        let grouped = !explain && joined.is_none() && !own_trust;
        let allowed = if grouped {
            self.grouped(a, action, resource, context, trust)?
        } else {
            let req = self.request(a, action, resource, context)?;
            self.work += 1;
            let set = self.set(a, action, resource, trust, joined);
            if !explain {
                let d = set.decide(&req) == Decision::Allowed;
                self.reuse(a, context, req);
                d
            } else {
                return self.explained(a, &set, &req, context, joined);
            }
        };
        // only whether: the hop's requests are explained when it is reported
        allowed.then(|| HopRequest {
            action: String::new(),
            resource: String::new(),
            context: Default::default(),
            statements: Vec::new(),
        })
    }

    fn set(
        &self,
        a: usize,
        action: &str,
        resource: &str,
        trust: Option<&Arc<CompiledPolicy>>,
        joined: Option<&Joined>,
    ) -> PolicySet {
        let p = &self.account.prepared[a];
        let trust = trust.or_else(|| self.trust_for(action, resource));
        let mut set = Account::set_for(p, &self.q.policies, trust);
        if let Some(j) = joined {
            set.identity.clone_from(&j.identity);
        }
        set
    }

    fn explained(
        &self,
        a: usize,
        set: &PolicySet,
        req: &Request,
        context: &[(&str, &str)],
        joined: Option<&Joined>,
    ) -> Option<HopRequest> {
        if set.decide(req) != Decision::Allowed {
            return None;
        }
        let p = &self.account.prepared[a];
        let mut ev = set.explain(req);
        self.account.relabel(p, &mut ev.explain);
        // the resource policy of an STS request on a role is its trust policy
        if self.trust_for(&req.action, &req.resource).is_some() || req.action.starts_with("sts:") {
            for st in &mut ev.explain.statements {
                if st.policy == "resource" {
                    st.policy = format!("{} trust policy", req.resource);
                }
            }
        }
        if let Some(j) = joined {
            for st in &mut ev.explain.statements {
                let index = st
                    .policy
                    .strip_prefix("identity[")
                    .and_then(|r| r.strip_suffix(']'))
                    .and_then(|i| i.parse::<usize>().ok());
                if let Some(label) = index.and_then(|i| j.labels.get(i)) {
                    st.policy.clone_from(label);
                }
            }
        }
        Some(HopRequest {
            action: req.action.clone(),
            resource: req.resource.clone(),
            context: context
                .iter()
                .copied()
                .chain(self.assumed.iter().map(|(k, v)| (*k, v.as_str())))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            statements: ev
                .explain
                .statements
                .into_iter()
                .filter(|s| s.effect == Effect::Allow)
                .collect(),
        })
    }

    /// The decision for `resource`, shared by every resource the same statements admit.
    fn grouped(
        &mut self,
        a: usize,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
    ) -> Option<bool> {
        let at = self.groups_for(a, action, context, trust)?;
        let number = self.numbers.get(resource).copied();
        let g = &self.groups[at];
        let mask = match number {
            Some(r) if g.admits.len() <= 64 => Some(
                g.admits
                    .iter()
                    .enumerate()
                    .fold(0u64, |m, (i, x)| m | (u64::from(x.has(r)) << i)),
            ),
            _ => None,
        };
        if let Some(d) = mask.and_then(|m| g.decided.get(&m)) {
            return Some(*d);
        }
        let req = self.request(a, action, resource, context)?;
        self.work += 1;
        let g = &mut self.groups[at];
        let d = g.set.decide(&req) == Decision::Allowed;
        if let Some(m) = mask {
            g.decided.insert(m, d);
        }
        self.reuse(a, context, req);
        Some(d)
    }

    /// The index of the actor's grouped decisions of `action` with `context` (made when first
    /// asked; `None` when the actor's request cannot be built).
    fn groups_for(
        &mut self,
        a: usize,
        action: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
    ) -> Option<usize> {
        if self.groups_of != a {
            self.forget_groups();
            self.groups_of = a;
        }
        let same = |g: &Groups| {
            g.action == action
                && g.trust == trust.map_or(0, |t| Arc::as_ptr(t) as usize)
                && g.context.len() == context.len()
                && g.context
                    .iter()
                    .zip(context)
                    .all(|(x, y)| x.0 == y.0 && x.1 == y.1)
        };
        if let Some(at) = self.groups[..self.live].iter().position(same) {
            return Some(at);
        }
        // the resource only picks the trust policy of an STS action on a role, which `trust`
        // replaces when grouped; any resource of the universe does (one set per trust policy)
        let key = trust.map_or(0, |t| Arc::as_ptr(t) as usize);
        let set = match self.sets.iter().find(|(k, _)| *k == key) {
            Some((_, s)) => s.clone(),
            None => {
                let s = Arc::new(self.set(a, action, "*", trust, None));
                self.sets.push((key, s.clone()));
                s
            }
        };
        let probe = self.request(a, action, "*", context)?;
        let mut admits = match self.groups.get_mut(self.live) {
            Some(g) => std::mem::take(&mut g.admits),
            None => Vec::new(),
        };
        for policies in levels(&set) {
            for policy in policies {
                let admitted = self.admitting.statements(policy, action);
                for j in admitted {
                    admits.push(self.admits(a, policy, j as usize, &probe));
                }
            }
        }
        self.reuse(a, context, probe);
        let trust = trust.map_or(0, |t| Arc::as_ptr(t) as usize);
        if self.live == self.groups.len() {
            self.groups.push(Groups {
                action: String::new(),
                context: Vec::new(),
                trust,
                set,
                admits,
                decided: FxHashMap::default(),
            });
        } else {
            let g = &mut self.groups[self.live];
            (g.trust, g.set, g.admits) = (trust, set, admits);
        }
        // the kept entry's strings and map are filled again in place
        let g = &mut self.groups[self.live];
        g.action.clear();
        g.action.push_str(action);
        g.context.truncate(context.len());
        for (i, (k, v)) in context.iter().enumerate() {
            match g.context.get_mut(i) {
                Some(x) => {
                    x.0.clear();
                    x.0.push_str(k);
                    x.1.clear();
                    x.1.push_str(v);
                }
                None => g.context.push((k.to_string(), v.to_string())),
            }
        }
        self.live += 1;
        Some(self.live - 1)
    }

    /// Drops the current actor's grouped decisions and policy sets, keeping their allocations.
    pub(super) fn forget_groups(&mut self) {
        for g in &mut self.groups[..self.live] {
            g.admits.clear();
            g.decided.clear();
        }
        self.live = 0;
        self.sets.clear();
    }

    /// The resources of `candidates` (universe numbers) the actor's request of `action` is
    /// allowed on: the candidates split by what each statement admits, one request decided per
    /// part (see the module docs).
    fn allowed_in(
        &mut self,
        a: usize,
        action: &str,
        context: &[(&str, &str)],
        trust: Option<&Arc<CompiledPolicy>>,
        candidates: &Bits,
    ) -> Bits {
        let none = || Bits::new(candidates.len());
        if candidates.is_empty() {
            return none();
        }
        let Some(at) = self.groups_for(a, action, context, trust) else {
            return none();
        };
        // the candidates' words hold every member: parts are split within them alone
        let (lo, hi) = candidates.span();
        let words = &candidates.words[lo..hi];
        // the parts, when some statement splits the candidates (else they are one part)
        let mut parts: Vec<Vec<u64>> = Vec::new();
        for admits in &self.groups[at].admits {
            let Admits::Bits(b) = admits.as_ref() else {
                continue;
            };
            let b = &b[lo..hi];
            if parts.is_empty() {
                if meets(words, b) == (true, true) {
                    parts.push(words.iter().zip(b).map(|(w, m)| w & m).collect());
                    parts.push(words.iter().zip(b).map(|(w, m)| w & !m).collect());
                }
                continue;
            }
            // a part wholly inside or outside stays whole
            for i in 0..parts.len() {
                if meets(&parts[i], b) == (true, true) {
                    let outside = parts[i].iter().zip(b).map(|(w, m)| w & !m).collect();
                    parts[i].iter_mut().zip(b).for_each(|(w, m)| *w &= m);
                    parts.push(outside);
                }
            }
        }
        if parts.is_empty() {
            let Some(r) = candidates.first() else {
                return none();
            };
            return if self.decide_on(a, at, action, r, context) {
                candidates.clone()
            } else {
                none()
            };
        }
        let mut allowed = none();
        for part in parts {
            let Some(r) = first_in(&part) else { continue };
            if self.decide_on(a, at, action, lo * 64 + r, context) {
                allowed.words[lo..hi]
                    .iter_mut()
                    .zip(&part)
                    .for_each(|(w, p)| *w |= p);
            }
        }
        allowed
    }

    /// Whether the actor's request of `action` on `*` is allowed (what [`Builder::allowed_in`]
    /// says of the set of `*` alone, without making sets).
    fn allowed_on_star(&mut self, a: usize, action: &str) -> bool {
        let Some(star) = self.star.first() else {
            return false;
        };
        match self.groups_for(a, action, &[], None) {
            Some(at) => self.decide_on(a, at, action, star, &[]),
            None => false,
        }
    }

    /// Whether the actor's request of `action` on universe member `r` is allowed by the policy
    /// set of grouped decisions `at`.
    fn decide_on(
        &mut self,
        a: usize,
        at: usize,
        action: &str,
        r: usize,
        context: &[(&str, &str)],
    ) -> bool {
        let Some(req) = self.request(a, action, self.universe[r], context) else {
            return false;
        };
        self.work += 1;
        let ok = self.groups[at].set.decide(&req) == Decision::Allowed;
        self.reuse(a, context, req);
        ok
    }

    /// What statement `j` of `policy` admits of the universe (shared by every actor, unless its
    /// resources hold policy variables, which `probe`'s context resolves).
    fn admits(
        &mut self,
        a: usize,
        policy: &Arc<CompiledPolicy>,
        j: usize,
        probe: &Request,
    ) -> Arc<Admits> {
        let written = policy
            .source
            .statements
            .get(j)
            .and_then(|s| s.resource.as_ref());
        let Some(written) = written else {
            return self.admits_all.clone();
        };
        // what a statement without policy variables admits is the same for every actor
        let shared = (Arc::as_ptr(policy) as usize, j, usize::MAX);
        if let Some(x) = self.admits.get(&shared) {
            return x.clone();
        }
        let variables = written
            .values
            .items
            .iter()
            .any(|r| crate::wildcard::holds_variable(r));
        let key = if variables { (shared.0, j, a) } else { shared };
        if variables {
            if let Some(x) = self.admits.get(&key) {
                return x.clone();
            }
        }
        // patterns of a service other than IAM and the inventory's admit nothing of the universe
        // (IAM ARNs, the inventory's resources and `*`)
        let services = &self.inventory_services;
        let elsewhere = |r: &str| {
            let mut parts = r.splitn(4, ':');
            parts.next() == Some("arn")
                && parts.nth(1).is_some_and(|svc| {
                    !svc.is_empty()
                        && !svc.contains(['*', '?', '$'])
                        && !svc.eq_ignore_ascii_case("iam")
                        && !services.iter().any(|s| s.eq_ignore_ascii_case(svc))
                })
        };
        let whole = if !written.negated && written.values.items.iter().any(|r| r == "*") {
            Some(self.admits_all.clone())
        } else if written.values.items.iter().all(|r| elsewhere(r)) {
            Some(if written.negated {
                self.admits_all.clone()
            } else {
                self.admits_nothing.clone()
            })
        } else {
            None
        };
        if let Some(x) = whole {
            self.admits.insert(key, x.clone());
            return x;
        }
        // statements that name the same resources admit the same (inline policies repeat them
        // from principal to principal)
        let items = &written.values.items;
        let text = (!variables).then(|| {
            let mut h = rustc_hash::FxHasher::default();
            (written.negated, items).hash(&mut h);
            h.finish()
        });
        let known = text.and_then(|t| {
            self.admits_text
                .get(&t)?
                .iter()
                .find(|(n, v, _)| *n == written.negated && v == items)
                .map(|x| x.2.clone())
        });
        if let Some(x) = known {
            self.admits.insert(key, x.clone());
            return x;
        }
        let st = &policy.statements[j];
        let mut bits =
            vec![if written.negated { u64::MAX } else { 0 }; self.universe.len().div_ceil(64)];
        // only resources that begin with a pattern's literal text can match it: the universe is
        // sorted, so those are one range per pattern
        for pattern in &written.values.items {
            let literal = &pattern[..pattern.find(['*', '?', '$']).unwrap_or(pattern.len())];
            let lo = self.universe.partition_point(|r| *r < literal);
            let hi = lo + self.universe[lo..].partition_point(|r| r.starts_with(literal));
            if !variables && pattern.len() == literal.len() + 1 && pattern.ends_with('*') {
                // a literal text and one `*` at its end admits every resource that begins with
                // the text (a `*` crosses colons in an ARN's last part, and in an earlier one
                // when fewer than six parts are written)
                set_range(&mut bits, lo, hi, !written.negated);
                continue;
            }
            self.work += (hi - lo) as u64;
            for i in lo..hi {
                if st.admits_resource(self.universe[i], probe) {
                    bits[i / 64] |= 1 << (i % 64);
                } else {
                    bits[i / 64] &= !(1 << (i % 64));
                }
            }
        }
        let x = Arc::new(Admits::of(bits, self.universe.len()));
        self.admits.insert(key, x.clone());
        if let Some(t) = text {
            self.admits_text.entry(t).or_default().push((
                written.negated,
                items.to_vec(),
                x.clone(),
            ));
        }
        x
    }

    /// Every edge of actor `a`, as sets of targets by technique: (upgrades, reaches).
    pub(super) fn edges(&mut self, a: usize) -> (Vec<EdgeSet>, Vec<EdgeSet>) {
        let mut upgrades = Vec::new();
        let mut reaches = Vec::new();
        let n = self.account.prepared.len();
        let u = self.universe.len();
        let acct = self.account.prepared[a].account.as_deref().unwrap_or("");
        let Some(mine) = self.by_account.get(acct).cloned() else {
            return (upgrades, reaches);
        };
        let [users, roles, groups, policies, versioned, full, changeable] = &*mine;
        let me = self.numbers.get(self.arn(a)).map(|x| *x as usize);
        let others = |bits: &Bits| {
            let mut b = bits.clone();
            if let Some(r) = me {
                b.words[r / 64] &= !(1 << (r % 64));
            }
            b
        };
        let (other_users, other_roles) = (others(users), others(roles));
        let admin_policy = self.admin_policy.clone();
        let attach = [("iam:PolicyARN", admin_policy.as_str())];
        for (index, e) in techniques::all().iter().enumerate() {
            let technique = index as u16;
            if self.skipped(index) {
                continue;
            }
            // (universe targets, certainty, whether they are groups or policies standing for
            // their members or holders)
            let mut found: Vec<(Bits, Certainty, bool)> = Vec::new();
            match e.model {
                Model::Upgrade(up) => {
                    let action = up.action();
                    if !self.may(a, action) {
                        continue;
                    }
                    let ctx: &[(&str, &str)] = match up {
                        Upgrade::AttachUserPolicy
                        | Upgrade::AttachRolePolicy
                        | Upgrade::AttachGroupPolicy => &attach,
                        _ => &[],
                    };
                    match up {
                        Upgrade::PutUserPolicy | Upgrade::AttachUserPolicy => {
                            found.push((
                                self.allowed_in(a, action, ctx, None, users),
                                Certainty::Exact,
                                false,
                            ));
                        }
                        Upgrade::PutRolePolicy | Upgrade::AttachRolePolicy => {
                            // no account principal changes the policies of a role AWS protects
                            // (the evaluator refuses it): left out before the roles are decided
                            // together, so one of them never stands for the others
                            found.push((
                                self.allowed_in(a, action, ctx, None, changeable),
                                Certainty::Exact,
                                false,
                            ));
                        }
                        Upgrade::PutGroupPolicy | Upgrade::AttachGroupPolicy => {
                            found.push((
                                self.allowed_in(a, action, ctx, None, groups),
                                Certainty::Exact,
                                true,
                            ));
                        }
                        Upgrade::CreatePolicyVersion => {
                            let mut ok = self.allowed_in(a, action, ctx, None, policies);
                            // a policy with five versions needs one deleted first
                            let mut full_ok = ok.clone();
                            full_ok.and(full);
                            if !full_ok.is_empty() {
                                ok.minus(&full_ok);
                                let delete = self.allowed_in(
                                    a,
                                    "iam:DeletePolicyVersion",
                                    &[],
                                    None,
                                    &full_ok,
                                );
                                ok.or(&delete);
                            }
                            found.push((ok, Certainty::Exact, true));
                        }
                        Upgrade::SetDefaultPolicyVersion => {
                            found.push((
                                self.allowed_in(a, action, ctx, None, versioned),
                                Certainty::Possible,
                                true,
                            ));
                        }
                        Upgrade::AddUserToGroup => {
                            // a user that already makes itself an administrator gains no shorter
                            // path by joining a group
                            if upgrades.iter().any(|x: &EdgeSet| x.targets.has(a)) {
                                continue;
                            }
                            if self.found(a, a, e, false).is_some() {
                                let mut b = Bits::new(n);
                                b.set(a);
                                upgrades.push(EdgeSet {
                                    technique,
                                    certainty: Certainty::Exact,
                                    targets: self.share(b),
                                });
                            } else if self.may_join_unknown(a) {
                                // a group whose documents are unknown might make it one
                                self.undecided.push(a);
                            }
                            continue;
                        }
                    }
                }
                Model::Reach(reach) => {
                    if !self.may_reach(a, reach, e) {
                        continue;
                    }
                    match reach {
                        Reach::CreateAccessKey | Reach::RotateAccessKey => {
                            let mut cand = other_users.clone();
                            if reach == Reach::CreateAccessKey {
                                cand.words
                                    .iter_mut()
                                    .zip(&self.two_keys.words)
                                    .for_each(|(c, t)| *c &= !t);
                            } else {
                                cand.and(&self.two_keys);
                            }
                            let mut ok =
                                self.allowed_in(a, "iam:CreateAccessKey", &[], None, &cand);
                            if reach == Reach::RotateAccessKey {
                                let del =
                                    self.allowed_in(a, "iam:DeleteAccessKey", &[], None, &cand);
                                ok.and(&del);
                            }
                            found.push((ok, Certainty::Exact, false));
                        }
                        Reach::CreateLoginProfile | Reach::UpdateLoginProfile => {
                            let create = reach == Reach::CreateLoginProfile;
                            let ok =
                                self.allowed_in(a, reach_action(reach), &[], None, &other_users);
                            let (known, other) = if create {
                                (&self.no_password, &self.password)
                            } else {
                                (&self.password, &self.no_password)
                            };
                            let mut exact = ok.clone();
                            exact.and(known);
                            let mut unknown = ok;
                            for ((x, k), o) in
                                unknown.words.iter_mut().zip(&known.words).zip(&other.words)
                            {
                                *x &= !(k | o);
                            }
                            found.push((exact, Certainty::Exact, false));
                            found.push((unknown, Certainty::Possible, false));
                        }
                        Reach::AssumeRole => {
                            // roles whose trust policies say the same are decided together
                            let may = self.may(a, "sts:AssumeRole");
                            let names = TrustNames::of(&self.account.prepared[a]);
                            let mut all = Bits::new(u);
                            let candidates = self.trust_candidates(a, may);
                            self.work += candidates.len() as u64;
                            for g in candidates {
                                let (trust, roles) = &self.trust_groups[g as usize];
                                let values = || trust_values(trust);
                                if !(names.names(values()) || may && names.may_name(values())) {
                                    continue;
                                }
                                let (trust, roles) = (*trust, roles.clone());
                                for mut cand in roles {
                                    if let Some(r) = me {
                                        cand.words[r / 64] &= !(1 << (r % 64));
                                    }
                                    let ok = self.allowed_in(
                                        a,
                                        "sts:AssumeRole",
                                        &[],
                                        Some(trust),
                                        &cand,
                                    );
                                    all.or(&ok);
                                }
                            }
                            // the roles whose trust policies let in the whole account alike
                            let acct = self.account.prepared[a].account.as_deref();
                            if let Some((trust, mut cand)) =
                                acct.filter(|_| may).and_then(|x| self.open_roles(x))
                            {
                                if let Some(r) = me {
                                    cand.words[r / 64] &= !(1 << (r % 64));
                                }
                                self.work += 1;
                                let ok =
                                    self.allowed_in(a, "sts:AssumeRole", &[], Some(trust), &cand);
                                all.or(&ok);
                            }
                            found.push((all, Certainty::Exact, false));
                        }
                        Reach::UpdateAssumeRolePolicy => {
                            let Some(trust) = self.trusting(a) else {
                                continue;
                            };
                            // no account principal can rewrite the trust of a role AWS protects
                            let mut ok = self.allowed_in(
                                a,
                                "iam:UpdateAssumeRolePolicy",
                                &[],
                                None,
                                &others(changeable),
                            );
                            let assume =
                                self.allowed_in(a, "sts:AssumeRole", &[], Some(&trust), &ok);
                            ok.and(&assume);
                            found.push((ok, Certainty::Exact, false));
                        }
                        Reach::NewPassRole | Reach::ExistingPassRole => {
                            let new = reach == Reach::NewPassRole;
                            // with an inventory, the roles of the listed resources the actor may
                            // take over are exact; the rest possible, unless the inventory lists
                            // every resource of the service
                            let listed = self
                                .inventory
                                .filter(|_| !new)
                                .and_then(|_| techniques::uses(&e.technique.id));
                            let mut used = Bits::new(u);
                            let mut complete = false;
                            if let Some(uses) = listed {
                                used = self.used_roles(a, acct, e, uses, &other_roles);
                                complete =
                                    self.inventory.is_some_and(|i| i.is_complete(uses.service));
                                let certainty = if uses.then.is_some() {
                                    Certainty::Possible
                                } else {
                                    Certainty::Exact
                                };
                                found.push((used.clone(), certainty, false));
                            }
                            if !complete {
                                if let Some(all) = self.passable(a, e, new, &other_roles) {
                                    let mut all = all;
                                    all.minus(&used);
                                    let certainty = if new {
                                        Certainty::Exact
                                    } else {
                                        Certainty::Possible
                                    };
                                    found.push((all, certainty, false));
                                }
                            }
                        }
                    }
                }
                Model::Composite | Model::NotModeled => continue,
            }
            for (bits, certainty, behind) in found {
                if bits.is_empty() {
                    continue;
                }
                let targets = self.targets(technique, e, bits, behind, a);
                if targets.is_empty() {
                    continue;
                }
                let set = EdgeSet {
                    technique,
                    certainty,
                    targets,
                };
                if matches!(e.model, Model::Upgrade(_)) {
                    upgrades.push(set);
                } else {
                    reaches.push(set);
                }
            }
        }
        (upgrades, reaches)
    }

    /// The principals of `targets` that upgrade `up` (on the universe members `on`) makes
    /// administrators: for a new policy version, each holder with the version in place of the
    /// policy. Each principal (and each policy's holders) is worked out once for all actors; an
    /// actor's share is a few operations on bit sets.
    fn made_admin(&mut self, up: Upgrade, on: &Bits, targets: Bits) -> Bits {
        match up {
            Upgrade::PutUserPolicy | Upgrade::PutRolePolicy => {
                let mut made = self.upgradable_in(&targets);
                for t in targets.iter().filter(|t| !made.has(*t)).collect::<Vec<_>>() {
                    if self.put_replacing(t) {
                        made.set(t);
                    }
                }
                made
            }
            Upgrade::CreatePolicyVersion | Upgrade::SetDefaultPolicyVersion => {
                let mut made = Bits::new(targets.len());
                for r in on.iter() {
                    let r = r as u32;
                    let set = match self.policy_made.get(&r) {
                        Some(x) => x.clone(),
                        None => {
                            let x = Arc::new(self.made_by_version(r));
                            self.policy_made.insert(r, x.clone());
                            x
                        }
                    };
                    made.or(&set);
                }
                made
            }
            _ => self.upgradable_in(&targets),
        }
    }

    /// Whether a policy put on principal `t` under the name of one of its inline policies that
    /// holds a Deny (the put replaces it) makes `t` an administrator; worked out once per
    /// principal.
    fn put_replacing(&mut self, t: usize) -> bool {
        if let Some(x) = Memo::get(&self.memo.put_made, t) {
            return x;
        }
        let p = &self.account.prepared[t];
        let inline: Vec<Arc<CompiledPolicy>> = match p.kind {
            PrincipalKind::User => &self.account.users[p.index].inline_policies,
            PrincipalKind::Role => &self.account.roles[p.index].inline_policies,
        }
        .iter()
        .map(|i| i.policy.clone())
        .collect();
        let x = inline
            .iter()
            .any(|policy| self.upgradable_replacing(t, Some(policy)));
        Memo::set(&self.memo.put_made, t, x);
        x
    }

    /// The members of `targets` that [`Builder::upgradable`] says an upgrade makes
    /// administrators.
    fn upgradable_in(&mut self, targets: &Bits) -> Bits {
        let mut unknown = targets.clone();
        for (x, k) in unknown.words.iter_mut().zip(&self.up_known.words) {
            *x &= !k;
        }
        // builders of other threads start elsewhere, so that they seldom work out the same
        // principal at once (the answers are shared)
        let from = self.memo_from;
        let order = unknown.iter().filter(|t| *t >= from);
        for t in order.chain(unknown.iter().filter(|t| *t < from)) {
            if self.upgradable(t) {
                self.up_bits.set(t);
            }
            self.up_known.set(t);
        }
        let mut made = targets.clone();
        made.and(&self.up_bits);
        made
    }

    /// The holders of the customer policy numbered `r` that a new version of it, allowing
    /// everything, makes administrators.
    fn made_by_version(&mut self, r: u32) -> Bits {
        let n = self.account.prepared.len();
        let Some(holders) = self.behind.get(&r).cloned() else {
            return Bits::new(n);
        };
        let mut made = self.upgradable_in(&holders);
        let policy = self
            .account
            .policy(self.universe[r as usize])
            .and_then(|m| m.policy.clone());
        if policy
            .as_ref()
            .is_some_and(|p| p.statements.iter().any(|s| s.effect == Effect::Deny))
        {
            for t in holders.iter().filter(|t| !made.has(*t)).collect::<Vec<_>>() {
                if self.upgradable_replacing(t, policy.as_ref()) {
                    made.set(t);
                }
            }
        }
        made
    }

    /// The trust groups that may let actor `a` in (by the index): those naming its ARN, and,
    /// when its own policies may allow `sts:AssumeRole`, those naming its account, its name, or
    /// open to more; sorted, each once.
    fn trust_candidates(&self, a: usize, may: bool) -> Vec<u32> {
        let p = &self.account.prepared[a];
        let mut out: Vec<u32> = self
            .trust_index
            .get(p.arn.as_str())
            .cloned()
            .unwrap_or_default();
        if may {
            for key in [p.account.as_deref().unwrap_or(""), p.name.as_str()] {
                out.extend(self.trust_index.get(key).into_iter().flatten());
            }
            out.extend(&self.trust_open);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The roles of account `acct` whose trust policies let in every principal of it (its own
    /// policies allowing) in the current pass, with one of those policies standing for all
    /// ([`open_trust`]); `None` when there are none.
    fn open_roles(&mut self, acct: &'a str) -> Option<OpenRoles<'a>> {
        let mut out = self.open_to_account.get(acct).cloned();
        for reads_ip in [false, true] {
            if let Some((trust, roles)) = self.open_per_pass_roles(acct, reads_ip) {
                match &mut out {
                    Some((_, all)) => all.or(&roles),
                    None => out = Some((trust, roles)),
                }
            }
        }
        out
    }

    /// [`Builder::open_roles`] of the trust policies of [`Builder::open_per_pass`] that read
    /// `aws:SourceIp` or not, in the current pass.
    fn open_per_pass_roles(&mut self, acct: &'a str, reads_ip: bool) -> Option<OpenRoles<'a>> {
        let groups = self.open_per_pass.get(acct)?;
        let keys = assumed::keys_read(&self.assumed, reads_ip);
        let key = (acct, reads_ip, keys);
        if let Some(x) = self.open_in_pass.get(&key) {
            return x.clone();
        }
        let mut req = self.neutral.get(acct)?.clone();
        for (k, v) in &key.2 {
            req.context.set(
                k,
                smallvec![ContextValue::from_text(CompactString::from(v.as_str()))],
                false,
            );
        }
        let mut out: Option<OpenRoles<'a>> = None;
        for (trust, roles, ip) in groups {
            if *ip != reads_ip {
                continue;
            }
            self.work += 1;
            if open_trust::lets_in(trust, &req) {
                out.get_or_insert_with(|| (*trust, Bits::new(roles.len())))
                    .1
                    .or(roles);
            }
        }
        self.open_in_pass.insert(key, out.clone());
        out
    }

    /// The trust policies of [`Builder::open_per_pass`] of account `acct` that read
    /// `aws:SourceIp` and may let a principal in (an Allow names the account).
    pub(super) fn open_per_pass_trusts(
        &self,
        acct: &str,
    ) -> impl Iterator<Item = &'a Arc<CompiledPolicy>> + '_ {
        self.open_per_pass
            .get(acct)
            .into_iter()
            .flatten()
            .filter(|(t, _, ip)| *ip && trust_values(t).next().is_some())
            .map(|(t, _, _)| *t)
    }

    /// The principals (prepared set) technique `e` of actor `a` acting on the universe members
    /// `bits` reaches or makes administrators (`behind`: the members are groups or policies
    /// standing for their members or holders). Broad sets repeat from actor to actor: those are
    /// worked out once. A reach's set often is "every other role" (the actor left out): it is
    /// worked out with the actor in, and the actor taken out after, so that all actors share it.
    fn targets(
        &mut self,
        technique: u16,
        e: &Entry,
        mut bits: Bits,
        behind: bool,
        a: usize,
    ) -> Arc<Bits> {
        let broad = bits.count() >= BROAD;
        // each principal has one universe number, and a reach's targets are those numbers'
        // principals: with the actor's number added, the set is the same but for the actor (only
        // added among principals of its kind, where it was left out)
        let me = self.numbers.get(self.arn(a)).map(|x| *x as usize);
        let added = match me {
            Some(r)
                if broad
                    && !behind
                    && matches!(e.model, Model::Reach(_))
                    && self.uni_node[r] == Some(a)
                    && !bits.has(r)
                    && self.same_kind(a, &bits) =>
            {
                bits.set(r);
                true
            }
            _ => false,
        };
        let without_me = |x: &Arc<Bits>| {
            let mut t = Bits::clone(x);
            t.words[a / 64] &= !(1 << (a % 64));
            t
        };
        if broad {
            if let Some(x) = self.targets_of.get(&technique).and_then(|m| m.get(&bits)) {
                return if added {
                    let t = without_me(x);
                    self.share(t)
                } else {
                    x.clone()
                };
            }
        }
        let mut targets = Bits::new(self.account.prepared.len());
        for r in bits.iter() {
            if behind {
                if let Some(b) = self.behind.get(&(r as u32)) {
                    targets.or(b);
                }
            } else if let Some(t) = self.uni_node[r] {
                targets.set(t);
            }
        }
        if let Model::Upgrade(up) = e.model {
            targets = self.made_admin(up, &bits, targets);
        }
        let targets = self.share(targets);
        if broad && self.targets_of.values().map(|m| m.len()).sum::<usize>() < MAX_BROAD_SETS {
            self.targets_of
                .entry(technique)
                .or_default()
                .insert(bits, targets.clone());
        }
        if added {
            let t = without_me(&targets);
            self.share(t)
        } else {
            targets
        }
    }

    /// Whether the first member of `bits` (a universe set) is a principal of actor `a`'s kind.
    fn same_kind(&self, a: usize, bits: &Bits) -> bool {
        let kind = |t: usize| self.account.prepared[t].kind;
        bits.first()
            .and_then(|r| self.uni_node[r])
            .is_some_and(|t| kind(t) == kind(a))
    }

    /// The roles (universe set) a pass-role technique gives the actor: roles of `others` that
    /// trust one of its services and, for a new resource, that the actor may pass to it; `None`
    /// when the actor may not make the technique's other requests (on `*`).
    fn passable(&mut self, a: usize, e: &Entry, new: bool, others: &Bits) -> Option<Bits> {
        let u = self.universe.len();
        for p in e.technique.required.iter().filter(|p| *p != "iam:PassRole") {
            if !self.allowed_on_star(a, p) {
                return None;
            }
        }
        let ec2 = e
            .technique
            .services
            .iter()
            .any(|s| s == "ec2.amazonaws.com");
        let mut all = Bits::new(u);
        for service in &e.technique.services {
            let Some(mut cand) = self.trusting.get(service).cloned() else {
                continue;
            };
            cand.and(others);
            if new && ec2 {
                cand.and(&self.profiled);
            }
            if new {
                let ctx = [("iam:PassedToService", service.as_str())];
                cand = self.allowed_in(a, "iam:PassRole", &ctx, None, &cand);
            }
            all.or(&cand);
        }
        Some(all)
    }

    /// The inventory's resources of kind `uses` in account `acct` (universe set).
    fn kind(&mut self, acct: &'a str, uses: Uses) -> &Bits {
        let u = self.universe.len();
        let (universe, inventory) = (&self.universe, self.inventory);
        self.kind_bits.entry((acct, uses)).or_insert_with(|| {
            let mut bits = Bits::new(u);
            for res in inventory.iter().flat_map(|i| &i.resources) {
                let mut parts = res.arn.splitn(6, ':');
                let (service, account, rest) = (parts.nth(2), parts.nth(1), parts.next());
                if service == Some(uses.service)
                    && account == Some(acct)
                    && rest.is_some_and(|r| r.starts_with(uses.prefix))
                {
                    let at = universe.partition_point(|x| *x < res.arn.as_str());
                    bits.set(at);
                }
            }
            bits
        })
    }

    /// The roles of `others` (universe set) that listed resources of technique `e` run with and
    /// the actor may take over: its requests allowed on the resource (those that act on it) and
    /// on `*` (the others), the role trusting the technique's service.
    fn used_roles(
        &mut self,
        a: usize,
        acct: &'a str,
        e: &Entry,
        uses: Uses,
        others: &Bits,
    ) -> Bits {
        let u = self.universe.len();
        let mut res = self.kind(acct, uses).clone();
        for p in e.technique.required.iter().filter(|p| *p != "iam:PassRole") {
            if res.is_empty() {
                break;
            }
            if uses.on.contains(&p.as_str()) {
                res = self.allowed_in(a, p, &[], None, &res);
            } else if !self.allowed_on_star(a, p) {
                res = Bits::new(u);
            }
        }
        if res.is_empty() {
            return res;
        }
        // many actors take over the same resources: their roles are worked out once
        let roles = match self.roles_of.get(&res) {
            Some(r) => r.clone(),
            None => {
                let mut roles = Bits::new(u);
                for x in res.iter() {
                    self.work += 1;
                    for &r in self.resource_roles.get(&(x as u32)).into_iter().flatten() {
                        roles.set(r as usize);
                    }
                }
                if self.roles_of.len() < MAX_BROAD_SETS {
                    self.roles_of.insert(res, roles.clone());
                }
                roles
            }
        };
        let mut trusted = Bits::new(u);
        for service in &e.technique.services {
            if let Some(t) = self.trusting.get(service) {
                trusted.or(t);
            }
        }
        let mut roles = roles;
        roles.and(&trusted);
        roles.and(others);
        roles
    }

    /// `bits`, shared with an equal set made before (many actors reach the same principals).
    fn share(&mut self, bits: Bits) -> Arc<Bits> {
        self.shared
            .entry(bits)
            .or_insert_with_key(|b| Arc::new(b.clone()))
            .clone()
    }

    /// Whether the actor holds the permissions a reach technique starts from.
    fn may_reach(&mut self, a: usize, reach: Reach, e: &Entry) -> bool {
        match reach {
            Reach::CreateAccessKey => self.may(a, "iam:CreateAccessKey"),
            Reach::RotateAccessKey => {
                self.may(a, "iam:CreateAccessKey") && self.may(a, "iam:DeleteAccessKey")
            }
            Reach::CreateLoginProfile => self.may(a, "iam:CreateLoginProfile"),
            Reach::UpdateLoginProfile => self.may(a, "iam:UpdateLoginProfile"),
            // a trust policy naming the actor lets it in without an Allow of its own
            Reach::AssumeRole => true,
            Reach::UpdateAssumeRolePolicy => self.may(a, "iam:UpdateAssumeRolePolicy"),
            Reach::NewPassRole | Reach::ExistingPassRole => {
                e.technique.required.iter().all(|p| self.may(a, p))
            }
        }
    }

    /// Whether technique `e` takes actor `a` to `t` (an upgrade of `t`, or a reach of it); with
    /// `explain`, the requests that justify it.
    fn found(&mut self, a: usize, t: usize, e: &'static Entry, explain: bool) -> Option<Found> {
        match e.model {
            Model::Upgrade(up) => self.upgrade(a, t, up, explain),
            Model::Reach(reach) => self.reach(a, t, reach, e, explain),
            Model::Composite | Model::NotModeled => None,
        }
    }

    /// The hop of `edge` from `a`, with its requests and statements (by full evaluation).
    pub(super) fn hop(&mut self, a: usize, edge: Edge) -> Hop {
        let e = &techniques::all()[edge.technique as usize];
        let t = edge.target as usize;
        // the explanation decides the same requests as the edge did; were it ever to disagree,
        // the hop is not claimed as exact
        let found = self.found(a, t, e, true);
        let found = match found {
            Some(f) => Some(f),
            None => self.found_supplied(a, |b| b.found(a, t, e, true)),
        };
        let found = found.unwrap_or(Found {
            requests: Vec::new(),
            via: None,
            certainty: Certainty::Possible,
            requires: Some(
                "requests iamkit could not explain again (a defect: please report it)".into(),
            ),
        });
        Hop {
            source: self.arn(a).to_string(),
            target: self.arn(t).to_string(),
            kind: if matches!(e.model, Model::Upgrade(_)) {
                "upgrade"
            } else {
                "reach"
            },
            technique: e.technique.id.clone(),
            technique_name: e.technique.name.clone(),
            via: found.via,
            requests: found.requests,
            certainty: found.certainty,
            requires: found.requires,
        }
    }

    fn upgrade(&mut self, a: usize, t: usize, up: Upgrade, explain: bool) -> Option<Found> {
        let admin_policy = self.admin_policy.clone();
        let attach = [("iam:PolicyARN", admin_policy.as_str())];
        let ctx: &[(&str, &str)] = match up {
            Upgrade::AttachUserPolicy | Upgrade::AttachRolePolicy | Upgrade::AttachGroupPolicy => {
                &attach
            }
            _ => &[],
        };
        let action = up.action();
        match up {
            Upgrade::PutUserPolicy
            | Upgrade::AttachUserPolicy
            | Upgrade::PutRolePolicy
            | Upgrade::AttachRolePolicy => {
                let put = matches!(up, Upgrade::PutUserPolicy | Upgrade::PutRolePolicy);
                if !(self.upgradable(t) || put && self.put_replacing(t)) {
                    return None;
                }
                let r = self.check(a, action, self.arn(t), ctx, None, None, explain)?;
                Some(Found::exact(vec![r]))
            }
            Upgrade::PutGroupPolicy | Upgrade::AttachGroupPolicy => {
                let p = &self.account.prepared[t];
                if p.kind != PrincipalKind::User || !self.upgradable(t) {
                    return None;
                }
                let groups: Vec<&'a Group> = self.groups_of_node[t].clone();
                groups.into_iter().find_map(|g| {
                    let r = self.check(a, action, &g.arn, ctx, None, None, explain)?;
                    Some(Found {
                        via: Some(g.arn.clone()),
                        ..Found::exact(vec![r])
                    })
                })
            }
            Upgrade::CreatePolicyVersion | Upgrade::SetDefaultPolicyVersion => {
                let policies: Vec<&'a crate::account::ManagedPolicy> = self
                    .held_by(t)
                    .into_iter()
                    .filter(|p| !p.aws_managed)
                    .filter(|p| up == Upgrade::CreatePolicyVersion || p.versions.len() > 1)
                    .collect();
                policies.into_iter().find_map(|policy| {
                    if !self.upgradable_replacing(t, policy.policy.as_ref()) {
                        return None;
                    }
                    // IAM keeps at most five versions: a sixth needs one deleted first
                    let delete = if up == Upgrade::CreatePolicyVersion && policy.versions.len() >= 5
                    {
                        Some(self.check(
                            a,
                            "iam:DeletePolicyVersion",
                            &policy.arn,
                            &[],
                            None,
                            None,
                            explain,
                        )?)
                    } else {
                        None
                    };
                    let r = self.check(a, action, &policy.arn, &[], None, None, explain)?;
                    let possible = up == Upgrade::SetDefaultPolicyVersion;
                    Some(Found {
                        requests: delete.into_iter().chain([r]).collect(),
                        via: Some(policy.arn.clone()),
                        certainty: if possible {
                            Certainty::Possible
                        } else {
                            Certainty::Exact
                        },
                        requires: possible.then(|| {
                            format!(
                                "another version of {} that grants more than its default version",
                                policy.arn
                            )
                        }),
                    })
                })
            }
            Upgrade::AddUserToGroup => {
                let p = &self.account.prepared[a];
                if t != a || p.kind != PrincipalKind::User {
                    return None;
                }
                // joining adds Allows and maybe Denies: a user that would not be an
                // administrator with everything allowed (its boundary, its Denies) is not one
                // after joining either
                if !self.upgradable(a) {
                    return None;
                }
                let groups = self.join_candidates(a);
                groups.into_iter().find_map(|(g, gives)| {
                    let add = self.check(a, action, &g.arn, &[], None, None, explain)?;
                    let joined = self.joined(a, g)?;
                    let then = if gives.broad && self.admin_with(a, Some(joined.identity.clone())) {
                        Vec::new()
                    } else {
                        if !gives.upgrade {
                            return None;
                        }
                        // the member then writes itself a policy allowing everything (the
                        // request first: it is cheaper than the probe)
                        let request = self.self_upgrade(a, &joined, g, explain)?;
                        // the user is upgradable: only a Deny of the group's can stop it
                        if gives.denies {
                            let mut upgraded = joined.identity.clone();
                            upgraded.push(self.allow_all.clone());
                            if !self.admin_with(a, Some(upgraded)) {
                                return None;
                            }
                        }
                        vec![request]
                    };
                    let mut requests = vec![add];
                    requests.extend(then);
                    Some(Found {
                        via: Some(g.arn.clone()),
                        ..Found::exact(requests)
                    })
                })
            }
        }
    }

    /// The groups user `a` may join (`iam:AddUserToGroup` allowed, decided for the account's
    /// groups together) that could make it an administrator, with what they give together with
    /// its own policies: a group whose policies hold a universal Allow (or any group, when the
    /// user's own do), or a self-upgrade action, or one the user may itself put or attach a
    /// policy on. Each is then tried in turn; the work per user is in the groups it may join
    /// that could give it something, not in all the account's groups.
    fn join_candidates(&mut self, a: usize) -> Vec<(&'a Group, Gives)> {
        let p = &self.account.prepared[a];
        let acct = p.account.as_deref().unwrap_or("");
        let Some(all) = self.all_groups.get(acct).cloned() else {
            return Vec::new();
        };
        let mut cand = all;
        for g in &self.account.users[p.index].groups {
            if let Some(&x) = self.group_number.get(g.as_str()) {
                cand.words[x as usize / 64] &= !(1 << (x % 64));
            }
        }
        let neutral = self.neutral.get(acct).cloned();
        let own = Gives::of(p.set.identity.iter(), neutral.as_ref());
        let mut useful = if own.broad {
            cand.clone()
        } else {
            let mut b = self.giving_groups.clone();
            b.and(&cand);
            b
        };
        let admin_policy = self.admin_policy.clone();
        let attach = [("iam:PolicyARN", admin_policy.as_str())];
        let mut writable = Bits::new(cand.len());
        for (action, ctx) in [
            ("iam:PutGroupPolicy", &[][..]),
            ("iam:AttachGroupPolicy", &attach[..]),
        ] {
            if self.may(a, action) {
                let w = self.allowed_in(a, action, ctx, None, &cand);
                writable.or(&w);
            }
        }
        useful.or(&writable);
        useful.and(&cand);
        let joinable = self.allowed_in(a, "iam:AddUserToGroup", &[], None, &useful);
        let mut out = Vec::new();
        for r in joinable.iter() {
            self.work += 1;
            if let Some(&gi) = self.uni_group.get(&(r as u32)) {
                let g = &self.account.groups[gi];
                let mut gives = own.or(self.group_gives[gi]);
                // a group the user may write a policy on gives it a self-upgrade once joined
                gives.upgrade |= writable.has(r);
                out.push((g, gives));
            }
        }
        out
    }

    /// Whether user `a`, upgradable, may join a group of its account whose documents are unknown
    /// or cannot be trusted.
    fn may_join_unknown(&mut self, a: usize) -> bool {
        let p = &self.account.prepared[a];
        if p.kind != PrincipalKind::User || self.unknown_groups.is_empty() || !self.upgradable(a) {
            return false;
        }
        let acct = p.account.as_deref().unwrap_or("");
        let Some(mut cand) = self.all_groups.get(acct).cloned() else {
            return false;
        };
        cand.and(&self.unknown_groups);
        !self
            .allowed_in(a, "iam:AddUserToGroup", &[], None, &cand)
            .is_empty()
    }

    /// The customer and AWS managed policies principal `t` has (attached, or by a group), in its
    /// account.
    fn held_by(&self, t: usize) -> Vec<&'a crate::account::ManagedPolicy> {
        self.held[t]
            .iter()
            .copied()
            .filter(|p| self.mine(t, &p.arn))
            .collect()
    }

    /// User `a`'s identity policies with group `g`'s added; `None` when a document of the group's
    /// is unknown or cannot be trusted (unreadable, or the group or a policy listed twice with
    /// different content).
    fn joined(&self, a: usize, g: &Group) -> Option<Joined> {
        let untrusted = &self.account.untrusted;
        if !untrusted.reasons(&g.arn).is_empty()
            || g.attached_policies
                .iter()
                .any(|arn| !untrusted.reasons(arn).is_empty())
        {
            return None;
        }
        let p = &self.account.prepared[a];
        let mut identity = p.set.identity.clone();
        let mut labels = p.identity_labels.clone();
        for i in &g.inline_policies {
            identity.push(i.policy.clone());
            labels.push(format!("{} inline policy {}", g.arn, i.name));
        }
        for arn in &g.attached_policies {
            identity.push(self.account.policy(arn).and_then(|m| m.policy.clone())?);
            labels.push(arn.clone());
        }
        Some(Joined { identity, labels })
    }

    /// A request by which user `a`, with the `joined` policies of group `g`, makes itself an
    /// administrator: a policy put on or attached to itself or the group.
    fn self_upgrade(
        &mut self,
        a: usize,
        joined: &Joined,
        g: &Group,
        explain: bool,
    ) -> Option<HopRequest> {
        let arn = self.arn(a);
        let admin_policy = self.admin_policy.clone();
        let attach = [("iam:PolicyARN", admin_policy.as_str())];
        let tries: [Try<'_>; 4] = [
            ("iam:PutUserPolicy", arn, &[]),
            ("iam:AttachUserPolicy", arn, &attach),
            ("iam:PutGroupPolicy", g.arn.as_str(), &[]),
            ("iam:AttachGroupPolicy", g.arn.as_str(), &attach),
        ];
        let found = tries.into_iter().find_map(|(action, resource, ctx)| {
            self.check(a, action, resource, ctx, None, Some(joined), explain)
        });
        #[allow(clippy::let_and_return)] // `found` must end its borrow of `tries` first
        found
    }

    fn reach(
        &mut self,
        a: usize,
        t: usize,
        reach: Reach,
        e: &'static Entry,
        explain: bool,
    ) -> Option<Found> {
        let arn = self.arn(t);
        let p = &self.account.prepared[t];
        match reach {
            Reach::CreateAccessKey | Reach::RotateAccessKey => {
                let two_keys = self.account.users[p.index]
                    .credentials
                    .as_ref()
                    .is_some_and(|c| c.access_keys.iter().all(key_exists));
                if two_keys != (reach == Reach::RotateAccessKey) {
                    return None;
                }
                let mut requests = Vec::new();
                if two_keys {
                    requests.push(self.check(
                        a,
                        "iam:DeleteAccessKey",
                        arn,
                        &[],
                        None,
                        None,
                        explain,
                    )?);
                }
                requests.push(self.check(
                    a,
                    "iam:CreateAccessKey",
                    arn,
                    &[],
                    None,
                    None,
                    explain,
                )?);
                Some(Found::exact(requests))
            }
            Reach::CreateLoginProfile | Reach::UpdateLoginProfile => {
                // which call works depends on whether the user has a console password
                let user = &self.account.users[p.index];
                let password = user
                    .credentials
                    .as_ref()
                    .map(|c| c.password_enabled == Cell::Value(true));
                let create = reach == Reach::CreateLoginProfile;
                if password == Some(create) {
                    return None;
                }
                let r = self.check(a, reach_action(reach), arn, &[], None, None, explain)?;
                if password.is_some() {
                    return Some(Found::exact(vec![r]));
                }
                Some(Found {
                    certainty: Certainty::Possible,
                    requires: Some(format!(
                        "{arn} {} a console password (a credential report would say)",
                        if create { "has no" } else { "has" }
                    )),
                    ..Found::exact(vec![r])
                })
            }
            Reach::AssumeRole => {
                let r = self.check(a, "sts:AssumeRole", arn, &[], None, None, explain)?;
                Some(Found::exact(vec![r]))
            }
            Reach::UpdateAssumeRolePolicy => {
                let w = self.check(
                    a,
                    "iam:UpdateAssumeRolePolicy",
                    arn,
                    &[],
                    None,
                    None,
                    explain,
                )?;
                // the trust policy the actor would write names it: in its own account that alone
                // lets it assume the role
                let trust = self.trusting(a)?;
                let r = self.check(a, "sts:AssumeRole", arn, &[], Some(&trust), None, explain)?;
                Some(Found::exact(vec![w, r]))
            }
            Reach::NewPassRole | Reach::ExistingPassRole => {
                let role: &'a Role = &self.account.roles[p.index];
                let new = reach == Reach::NewPassRole;
                if new
                    && e.technique
                        .services
                        .iter()
                        .any(|s| s == "ec2.amazonaws.com")
                    && role.instance_profiles.is_empty()
                {
                    return None;
                }
                // the first service the role trusts that the actor may pass it to
                let trusted: Vec<String> = e
                    .technique
                    .services
                    .iter()
                    .filter(|s| self.role_services[p.index].contains(s))
                    .cloned()
                    .collect();
                let mut requests = Vec::new();
                let service = if new {
                    trusted.into_iter().find_map(|service| {
                        let ctx = [("iam:PassedToService", service.as_str())];
                        let r = self.check(a, "iam:PassRole", arn, &ctx, None, None, explain)?;
                        requests.push(r);
                        Some(service)
                    })?
                } else {
                    trusted.into_iter().next()?
                };
                if !new {
                    if let Some(found) = self.listed(a, t, e, explain) {
                        return found;
                    }
                }
                for action in e.technique.required.iter().filter(|p| *p != "iam:PassRole") {
                    requests.push(self.check(a, action, "*", &[], None, None, explain)?);
                }
                if new {
                    return Some(Found::exact(requests));
                }
                Some(Found {
                    certainty: Certainty::Possible,
                    requires: Some(format!(
                        "an existing resource of {service} that runs with {arn} ({})",
                        e.technique.name
                    )),
                    ..Found::exact(requests)
                })
            }
        }
    }

    /// With an inventory, how actor `a` takes over role `t` by a listed resource of technique `e`:
    /// `Some(Some(..))` through the first resource (by ARN) whose requests are allowed,
    /// `Some(None)` when none is and the inventory lists every resource of the service, `None`
    /// when the inventory leaves it possible.
    fn listed(
        &mut self,
        a: usize,
        t: usize,
        e: &'static Entry,
        explain: bool,
    ) -> Option<Option<Found>> {
        let inventory = self.inventory?;
        let uses = techniques::uses(&e.technique.id)?;
        let acct = self.account.prepared[a].account.as_deref().unwrap_or("");
        let role = *self.numbers.get(self.arn(t))?;
        let kind = self.kind(acct, uses).clone();
        let resources: Vec<u32> = self
            .role_resources
            .get(&role)
            .into_iter()
            .flatten()
            .copied()
            .filter(|x| kind.has(*x as usize))
            .collect();
        'resources: for x in resources {
            let arn = self.universe[x as usize];
            let mut requests = Vec::new();
            for action in e.technique.required.iter().filter(|p| *p != "iam:PassRole") {
                let on = if uses.on.contains(&action.as_str()) {
                    arn
                } else {
                    "*"
                };
                match self.check(a, action, on, &[], None, None, explain) {
                    Some(r) => requests.push(r),
                    None => continue 'resources,
                }
            }
            return Some(Some(Found {
                via: Some(arn.to_string()),
                certainty: if uses.then.is_some() {
                    Certainty::Possible
                } else {
                    Certainty::Exact
                },
                requires: uses.then.map(str::to_string),
                ..Found::exact(requests)
            }));
        }
        inventory.is_complete(uses.service).then_some(None)
    }

    /// A trust policy that names actor `a` (what it would write with `iam:UpdateAssumeRolePolicy`).
    fn trusting(&self, a: usize) -> Option<Arc<CompiledPolicy>> {
        let text = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": self.arn(a)},
                "Action": "sts:AssumeRole",
            }],
        })
        .to_string();
        crate::eval::compile_text(&text, PolicyType::Trust, "$").ok()
    }
}

/// The `AWS` principals of a trust policy's Allow statements (`*` for `"Principal": "*"`), each
/// with whether it is a `NotPrincipal`.
fn trust_values(trust: &CompiledPolicy) -> impl Iterator<Item = (bool, &str)> {
    trust
        .source
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .filter_map(|s| s.principal.as_ref())
        .flat_map(|pr| {
            let values: Vec<&str> = match &pr.value {
                PrincipalValue::Star => vec!["*"],
                PrincipalValue::Map(entries) => entries
                    .iter()
                    .filter(|(kind, _)| *kind == crate::policy::PrincipalKind::Aws)
                    .flat_map(|(_, v)| v.items.iter().map(String::as_str))
                    .collect(),
            };
            values.into_iter().map(move |v| (pr.negated, v))
        })
}

/// What a trust policy's `AWS` principals must say to let an actor in, written out once per actor.
struct TrustNames<'p> {
    arn: &'p str,
    account: &'p str,
    root: String,
    name: String,
}

impl<'p> TrustNames<'p> {
    fn of(p: &'p crate::account::Prepared) -> TrustNames<'p> {
        let account = p.account.as_deref().unwrap_or("");
        TrustNames {
            arn: &p.arn,
            account,
            root: format!(":{account}:root"),
            name: format!("/{}", p.name),
        }
    }

    /// Whether the values name the actor's own ARN: in the role's account that alone lets the
    /// actor assume it, without an Allow of its own.
    fn names<'v>(&self, mut values: impl Iterator<Item = (bool, &'v str)>) -> bool {
        values.any(|(negated, v)| !negated && v == self.arn)
    }

    /// Whether the values may let the actor in: its ARN, its account, anyone (`*`, a pattern,
    /// `NotPrincipal`), or its name; a cheap look before evaluating.
    fn may_name<'v>(&self, mut values: impl Iterator<Item = (bool, &'v str)>) -> bool {
        values.any(|(negated, v)| {
            negated
                || v == "*"
                || v.contains(['*', '?'])
                || v == self.arn
                || v == self.account
                || v.ends_with(&self.root)
                || v.ends_with(&self.name)
        })
    }
}

/// The policy levels of a set, in a fixed order, for statement addresses.
fn levels(set: &PolicySet) -> impl Iterator<Item = &[Arc<CompiledPolicy>]> {
    [set.identity.as_slice(), set.boundaries.as_slice()]
        .into_iter()
        .chain(set.scps.iter().map(Vec::as_slice))
        .chain(set.rcps.iter().map(Vec::as_slice))
        .chain([set.resource.as_slice(), set.session.as_slice()])
}

fn reach_action(reach: Reach) -> &'static str {
    match reach {
        Reach::CreateLoginProfile => "iam:CreateLoginProfile",
        _ => "iam:UpdateLoginProfile",
    }
}

impl Upgrade {
    /// The IAM action of the upgrade.
    pub(crate) fn action(self) -> &'static str {
        match self {
            Upgrade::PutUserPolicy => "iam:PutUserPolicy",
            Upgrade::AttachUserPolicy => "iam:AttachUserPolicy",
            Upgrade::PutRolePolicy => "iam:PutRolePolicy",
            Upgrade::AttachRolePolicy => "iam:AttachRolePolicy",
            Upgrade::PutGroupPolicy => "iam:PutGroupPolicy",
            Upgrade::AttachGroupPolicy => "iam:AttachGroupPolicy",
            Upgrade::CreatePolicyVersion => "iam:CreatePolicyVersion",
            Upgrade::SetDefaultPolicyVersion => "iam:SetDefaultPolicyVersion",
            Upgrade::AddUserToGroup => "iam:AddUserToGroup",
        }
    }
}

/// Whether a credential report's key slot holds a key (active, or inactive with a creation
/// date): inactive keys count towards IAM's limit of two per user too.
fn key_exists(k: &crate::inputs::KeySlot) -> bool {
    k.active == Cell::Value(true) || matches!(k.last_rotated, Cell::Value(_))
}

/// Whether `arn` is a service-linked role: only its service can use it, so it is never an actor.
pub(super) fn service_linked(arn: &str) -> bool {
    arn.contains(":role/aws-service-role/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_bits_is_set_and_cleared_a_word_at_a_time() {
        for (lo, hi) in [
            (0, 0),
            (0, 1),
            (3, 64),
            (0, 64),
            (63, 65),
            (5, 200),
            (64, 128),
        ] {
            let mut on = vec![0u64; 4];
            set_range(&mut on, lo, hi, true);
            let mut off = vec![u64::MAX; 4];
            set_range(&mut off, lo, hi, false);
            for i in 0..256 {
                let inside = (lo..hi).contains(&i);
                assert_eq!(on[i / 64] >> (i % 64) & 1 == 1, inside, "{lo}..{hi} at {i}");
                assert_eq!(
                    off[i / 64] >> (i % 64) & 1 == 0,
                    inside,
                    "{lo}..{hi} at {i}"
                );
            }
        }
    }
}
