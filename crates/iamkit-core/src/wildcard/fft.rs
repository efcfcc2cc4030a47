//! Leftmost occurrence of a long segment with `?` (don't-care) positions, in O((p + m) log m)
//! for a match at offset p (O(n log m) when there is none), by FFT cross-correlation.
//!
//! Why not something simpler: a literal search cannot skip `?`; Shift-And costs n·m/64 past 64
//! symbols; counting occurrences of the literal pieces (Aho–Corasick) costs n·k for k pieces
//! (`a?a?a?…`). Matching with don't-cares in near-linear time is done by convolution (Fischer and
//! Paterson; Clifford and Clifford), which is what this is.
//!
//! The segment's literal characters get ranks 1..=σ (a text character not in the segment gets 0,
//! so it differs from every literal), and each rank is written in base K = 1024 digits. For each
//! digit place d, a literal at segment position j with digit p and a text symbol with digit t
//! contribute cos(2π(t − p)/K), the real part of conj(ω^p)·ω^t (ω = e^{2πi/K}); a `?` contributes
//! 0. For an alignment s the sum over j is at most L (the number of literals) and equals L
//! exactly when every digit agrees; any disagreement takes at least 1 − cos(2π/K) ≈ 1.9e-5 off.
//! The sum for every s of a text block is one cross-correlation: two forward FFTs of size
//! N = 2^⌈log₂ 2m⌉ per digit place (the inverse is a conjugated forward transform), with the
//! segment's transform made once. The text is taken in blocks, each giving N − m + 1 ≥ m + 1
//! alignments, so blocks before the first match cost O(N log N) each for ≥ N/2 text symbols
//! (a text with fewer alignments than m takes one smaller transform). A segment longer than
//! [`MAX_PIECE`] is correlated piece by piece and the sums added, which bounds memory.
//!
//! Exactness: the FFT's rounding error is far below the margin (the error of a floating-point
//! FFT correlation is about ε·log₂N·‖a‖·‖b‖ ≤ 1.1e-16 · 20 · 2^20 ≈ 2.3e-9 for a piece of unit
//! terms with N ≤ 2^20; a segment within the 64 MB input limit has at most 128 pieces, 3e-7 in
//! all, against a margin of 9.4e-6), so every true match passes the threshold; each candidate that passes is then checked symbol by symbol before it is
//! accepted, so a rounding error can never make a non-match match.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use super::search::ANY;
use super::steps;

/// The base of the digits ranks are written in.
const K: u32 = 1024;

/// Segments longer than this are correlated in pieces of this length (summed), so a transform
/// never exceeds 2^20 points (16 MB) whatever the input: past it, time grows with n·m/2^19
/// rather than memory with m.
const MAX_PIECE: usize = 1 << 19;

/// The first `s` in `from..` with `seg` at `text[s..s + seg.len()]` inside `..to`.
pub(super) fn find(seg: &[u32], text: &[u32], from: usize, to: usize) -> Option<usize> {
    find_in_pieces(seg, text, from, to, MAX_PIECE)
}

/// The first of `alignments` places from `from` where `seg` matches `text`, each tried at the
/// segment's literals only (the caller bounds literals x alignments).
fn direct(seg: &[u32], text: &[u32], from: usize, alignments: usize) -> Option<usize> {
    let literals: Vec<(usize, u32)> = seg
        .iter()
        .enumerate()
        .filter(|(_, &c)| c != ANY)
        .map(|(i, &c)| (i, c))
        .collect();
    for at in from..from + alignments {
        let mut tried = 0;
        let hit = literals.iter().all(|&(i, c)| {
            tried += 1;
            text.get(at + i) == Some(&c)
        });
        steps::add(tried);
        if hit {
            return Some(at);
        }
    }
    None
}

/// [`find`], correlating `seg` in pieces of at most `max_piece` symbols.
pub(super) fn find_in_pieces(
    seg: &[u32],
    text: &[u32],
    from: usize,
    to: usize,
    max_piece: usize,
) -> Option<usize> {
    let m = seg.len();
    let to = to.min(text.len());
    if m == 0 || from > to || to - from < m {
        return None;
    }
    // ranks of the segment's literals
    let mut rank: FxHashMap<u32, u32> = FxHashMap::default();
    for &c in seg {
        if c != ANY {
            let next = u32::try_from(rank.len() + 1).unwrap_or(u32::MAX);
            rank.entry(c).or_insert(next);
        }
    }
    let literals = seg.iter().filter(|&&c| c != ANY).count();
    steps::add(m);
    if literals == 0 {
        return Some(from);
    }
    let mut places = 1u32;
    let mut span = u64::from(K);
    // ranks of ASCII characters by table (the usual text), others by the map
    let mut ascii_rank = [0u32; 128];
    for (c, r) in &rank {
        if let Some(slot) = ascii_rank.get_mut(*c as usize) {
            *slot = *r;
        }
    }
    let rank_of = |c: u32| match ascii_rank.get(c as usize) {
        Some(r) => *r,
        None => rank.get(&c).copied().unwrap_or(0),
    };
    while span <= rank.len() as u64 {
        places += 1;
        span *= u64::from(K);
    }
    let piece_len = m.min(max_piece.max(1));
    // (offset, piece) for each piece holding a literal
    let pieces: Vec<(usize, &[u32])> = seg
        .chunks(piece_len)
        .enumerate()
        .map(|(i, p)| (i * piece_len, p))
        .filter(|(_, p)| p.iter().any(|&c| c != ANY))
        .collect();
    // room for a piece and as many alignments (fewer when the text has fewer)
    let alignments = to - from - m + 1;
    let n_fft = (piece_len + alignments.min(piece_len)).next_power_of_two();
    let fft_cost = n_fft * (n_fft.trailing_zeros() as usize).max(1);
    // few literals among many `?` (a long run of `?` then one letter): trying each alignment at
    // the literals' offsets costs at most literals x alignments, which is taken only when that
    // is below one transform's cost (so the bound of the transforms still holds), and spares
    // planning them
    if literals.saturating_mul(alignments) <= fft_cost {
        return direct(seg, text, from, alignments);
    }
    let mut planner = FftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(n_fft);
    // one plan (its twiddle factors cost as much as a transform): the inverse transform is
    // conj(forward(conj(x))), and only its real part is read, which the outer conj keeps
    let mut scratch = vec![Complex::default(); forward.get_inplace_scratch_len()];
    let roots: Vec<Complex<f64>> = (0..K)
        .map(|d| Complex::from_polar(1.0, std::f64::consts::TAU * f64::from(d) / f64::from(K)))
        .collect();
    let unit = |digit: u32| roots.get(digit as usize).copied().unwrap_or_default();
    let digit = |r: u32, place: u32| (r / K.pow(place)) % K;
    // the conjugated transform of a piece of the segment for one digit place
    let spectrum =
        |piece: &[u32], place: u32, out: &mut [Complex<f64>], scratch: &mut [Complex<f64>]| {
            out.iter_mut().for_each(|z| *z = Complex::default());
            for (slot, &c) in out.iter_mut().zip(piece) {
                if let Some(&r) = rank.get(&c) {
                    *slot = unit(digit(r, place));
                }
            }
            run(&forward, out, scratch);
            steps::add(fft_cost);
            out.iter_mut().for_each(|z| *z = z.conj());
        };
    // with one piece (every segment up to MAX_PIECE) its transforms are made once
    let mut cached = Vec::new();
    if let [(_, piece)] = pieces.as_slice() {
        for place in 0..places {
            let mut out = vec![Complex::default(); n_fft];
            spectrum(piece, place, &mut out, &mut scratch);
            cached.push(out);
        }
    }

    let threshold = literals as f64 - (1.0 - (std::f64::consts::TAU / f64::from(K)).cos()) / 2.0;
    let scale = 1.0 / n_fft as f64;
    let per_block = n_fft - piece_len + 1;
    let mut ranks = vec![0u32; n_fft];
    let mut buf = vec![Complex::default(); n_fft];
    let mut spec = if cached.is_empty() {
        vec![Complex::default(); n_fft]
    } else {
        Vec::new()
    };
    let places_n = places as usize;
    let mut sums = vec![0f64; per_block * places_n];
    let mut start = from;
    while start + m <= to {
        // alignments start..start + count
        let count = per_block.min(to - m + 1 - start);
        sums.iter_mut().for_each(|x| *x = 0.0);
        for (offset, piece) in &pieces {
            // the piece at `offset` reads text[start + offset..][..count + piece.len() - 1]
            let at = start + offset;
            let window = text.get(at..(at + count + piece.len() - 1).min(to))?;
            for (r, &c) in ranks
                .iter_mut()
                .zip(window.iter().chain(std::iter::repeat(&ANY)))
            {
                *r = if c == ANY { u32::MAX } else { rank_of(c) };
            }
            steps::add(n_fft);
            for place in 0..places {
                let spectrum_now: &[Complex<f64>] = match cached.get(place as usize) {
                    Some(s) => s,
                    None => {
                        spectrum(piece, place, &mut spec, &mut scratch);
                        &spec
                    }
                };
                for (z, &r) in buf.iter_mut().zip(&ranks) {
                    *z = if r == u32::MAX {
                        Complex::default()
                    } else {
                        unit(digit(r, place))
                    };
                }
                run(&forward, &mut buf, &mut scratch);
                buf.iter_mut()
                    .zip(spectrum_now)
                    .for_each(|(z, s)| *z = (*z * s).conj());
                run(&forward, &mut buf, &mut scratch);
                steps::add(2 * fft_cost + n_fft);
                let row = (place as usize) * per_block;
                for (x, z) in sums.iter_mut().skip(row).zip(&buf).take(count) {
                    *x += z.re * scale;
                }
            }
        }
        let passes = |s: usize| {
            (0..places_n).all(|p| sums.get(p * per_block + s).is_some_and(|x| *x > threshold))
        };
        for s in (0..count).filter(|&s| passes(s)) {
            let at = start + s;
            steps::add(m);
            let exact = text
                .get(at..at + m)
                .is_some_and(|w| w.iter().zip(seg).all(|(&t, &p)| p == ANY || p == t));
            if exact {
                return Some(at);
            }
        }
        start += count;
    }
    None
}

fn run(fft: &Arc<dyn Fft<f64>>, buf: &mut [Complex<f64>], scratch: &mut [Complex<f64>]) {
    fft.process_with_scratch(buf, scratch);
}
