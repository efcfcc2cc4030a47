//! Leftmost occurrence of a short segment (at most 64 symbols, `?` allowed) by Shift-And: one
//! bit per segment position, one table lookup and three word operations per text symbol, so
//! O(n + m) for any text and segment.

use rustc_hash::FxHashMap;

use super::search::ANY;
use super::steps;

/// The longest segment this matcher takes.
pub(super) const MAX_LEN: usize = 64;

/// The first `s` in `from..` with `seg` at `text[s..s + seg.len()]` inside `..to`.
pub(super) fn find(seg: &[u32], text: &[u32], from: usize, to: usize) -> Option<usize> {
    let m = seg.len();
    if m == 0 || m > MAX_LEN {
        return None;
    }
    let mut ascii = [0u64; 128];
    let mut other: FxHashMap<u32, u64> = FxHashMap::default();
    let mut any = 0u64;
    for (j, &c) in seg.iter().enumerate() {
        let bit = 1u64 << j;
        if c == ANY {
            any |= bit;
        } else if let Some(slot) = ascii.get_mut(c as usize) {
            *slot |= bit;
        } else {
            *other.entry(c).or_default() |= bit;
        }
    }
    steps::add(m);
    let last = 1u64 << (m - 1);
    let mut state = 0u64;
    let window = text.get(from..to)?;
    for (i, &c) in window.iter().enumerate() {
        let mask = match ascii.get(c as usize) {
            Some(b) => *b,
            None => other.get(&c).copied().unwrap_or(0),
        } | any;
        state = ((state << 1) | 1) & mask;
        if state & last != 0 {
            steps::add(i + 1);
            return Some(from + i + 1 - m);
        }
    }
    steps::add(window.len());
    None
}
