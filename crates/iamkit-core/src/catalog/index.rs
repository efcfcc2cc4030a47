//! What a service keeps for fast lookups, built on its first lookup (so that loading the catalog
//! stays quick): action indexes by hash of the lowercase name, and in case-insensitive order;
//! the lowercase names side by side in memory; each action's access level as one byte and, per
//! level, a bit per action.

use std::hash::Hasher;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHasher};

use super::{Action, Service};

/// A service's lookup structures, built once on first use. Derived from the actions alone, so
/// every two of them count as equal.
#[derive(Default, Clone)]
pub(crate) struct LazyIndex(OnceLock<ServiceIndex>);

impl std::fmt::Debug for LazyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LazyIndex")
    }
}

impl PartialEq for LazyIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for LazyIndex {}

/// The lookup structures of one service.
#[derive(Clone)]
pub(crate) struct ServiceIndex {
    /// Action indexes sorted by lowercase name (runs of names that share a start).
    by_order: Vec<u32>,
    /// Action indexes by [`folded_hash`] of the name (a hit is checked against the name).
    by_hash: FxHashMap<u64, u32>,
    /// The lowercase names, one after another, and where each ends.
    lower: String,
    ends: Vec<u32>,
    /// The length of the longest name, in bytes: a pattern that needs more characters matches
    /// nothing, without compiling it.
    longest: usize,
    /// Each action's access level, as its position in [`super::AccessLevel::ALL`].
    pub(crate) level_of: Vec<u8>,
    /// Per access level, a bit per action at that level.
    pub(crate) level_bits: [Vec<u64>; 5],
}

/// A hash of a name with ASCII letters lowercased, computed without allocating.
fn folded_hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    let mut buf = [0u8; 64];
    for chunk in name.as_bytes().chunks(buf.len()) {
        let part = &mut buf[..chunk.len()];
        part.copy_from_slice(chunk);
        part.make_ascii_lowercase();
        h.write(part);
    }
    h.finish()
}

/// Compares ASCII case-insensitively, as IAM compares action names.
fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ServiceIndex {
    fn build(actions: &[Action]) -> ServiceIndex {
        let mut lower = String::new();
        let mut ends = Vec::with_capacity(actions.len());
        for a in actions {
            lower.extend(a.name.chars().map(|c| c.to_ascii_lowercase()));
            ends.push(to_u32(lower.len()));
        }
        let mut ix = ServiceIndex {
            by_order: (0..to_u32(actions.len())).collect(),
            by_hash: FxHashMap::default(),
            lower,
            ends,
            longest: actions.iter().map(|a| a.name.len()).max().unwrap_or(0),
            level_of: actions.iter().map(|a| a.access.index()).collect(),
            level_bits: Default::default(),
        };
        let mut order = std::mem::take(&mut ix.by_order);
        order.sort_by(|a, b| ix.lower_name(*a).cmp(ix.lower_name(*b)));
        ix.by_order = order;
        ix.by_hash.reserve(actions.len());
        for (i, a) in actions.iter().enumerate() {
            // the first of two names with one hash keeps the entry; the search finds the other
            ix.by_hash.entry(folded_hash(&a.name)).or_insert(to_u32(i));
        }
        let words = actions.len().div_ceil(64);
        for bits in &mut ix.level_bits {
            bits.resize(words, 0);
        }
        for (i, l) in ix.level_of.iter().enumerate() {
            ix.level_bits[usize::from(*l)][i / 64] |= 1 << (i % 64);
        }
        ix
    }

    /// An action's name in lowercase.
    fn lower_name(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.lower.get(start..self.ends[i] as usize).unwrap_or("")
    }

    /// The index of the action named `name` (case-insensitive).
    fn find(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.by_hash.get(&folded_hash(name)) {
            if self.lower_name(i).eq_ignore_ascii_case(name) {
                return Some(i as usize);
            }
        }
        // not found, or another name with the same hash (never seen, but possible): search
        self.by_order
            .binary_search_by(|i| cmp_ignore_case(self.lower_name(*i), name))
            .ok()
            .map(|pos| self.by_order[pos] as usize)
    }

    /// See [`Service::matching_actions`].
    fn matching(&self, pattern: &str, out: &mut Vec<usize>) {
        if !pattern.is_ascii() {
            // a name with other characters than ASCII matches no action (only ASCII letters fold:
            // the Kelvin sign is not `k`) unless a wildcard takes them: scan the service, in the
            // same order.
            let g = crate::wildcard::Glob::wildcard(pattern);
            out.extend(
                self.by_order
                    .iter()
                    .filter(|i| g.matches(self.lower_name(**i), true, &crate::wildcard::NoVars))
                    .map(|i| *i as usize),
            );
            return;
        }
        let cut = pattern.find(['*', '?']).unwrap_or(pattern.len());
        if cut == pattern.len() {
            out.extend(self.find(pattern));
            return;
        }
        // every character but `*` takes one of the name (ASCII here: bytes are characters)
        if pattern.bytes().filter(|&b| b != b'*').count() > self.longest {
            return;
        }
        let prefix = &pattern[..cut];
        let start = self
            .by_order
            .partition_point(|i| cmp_ignore_case(self.lower_name(*i), prefix).is_lt());
        let run = &self.by_order[start..];
        let run = &run[..run.partition_point(|i| {
            let name = self.lower_name(*i).as_bytes();
            name.len() >= prefix.len()
                && name[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        })];
        if &pattern[cut..] == "*" {
            out.extend(run.iter().map(|i| *i as usize));
        } else {
            let g = crate::wildcard::Glob::wildcard(pattern);
            out.extend(
                run.iter()
                    .filter(|i| g.matches(self.lower_name(**i), true, &crate::wildcard::NoVars))
                    .map(|i| *i as usize),
            );
        }
    }
}

impl Service {
    /// The lookup structures (built on first use).
    pub(crate) fn index(&self) -> &ServiceIndex {
        self.lookup
            .0
            .get_or_init(|| ServiceIndex::build(&self.actions))
    }

    /// The index of an action in `actions` (case-insensitive).
    pub(crate) fn action_index(&self, name: &str) -> Option<usize> {
        self.index().find(name)
    }

    /// Appends to `out` the index of every action whose name matches `pattern` (IAM's
    /// matching: case-insensitive, `*` and `?`). Only the actions that share the pattern's
    /// literal start are tested: they are one run of the case-insensitive order.
    pub(crate) fn matching_actions(&self, pattern: &str, out: &mut Vec<usize>) {
        self.index().matching(pattern, out);
    }
}
