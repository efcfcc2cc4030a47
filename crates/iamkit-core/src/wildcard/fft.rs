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
//! The sum for every s of a text block is one cross-correlation: three FFTs of size N ≥ 2m per
//! digit place, with the segment's transform made once. The text is taken in blocks of N
//! symbols, each giving N − m + 1 ≥ m + 1 alignments, so blocks before the first match cost
//! O(N log N) each for ≥ N/2 text symbols.
//!
//! Exactness: the FFT's rounding error on sums of at most 2^21 unit terms is far below the
//! margin (the error of a floating-point FFT convolution is about ε·log₂N·‖a‖·‖b‖ ≤
//! 1.1e-16 · 21 · 2^21 ≈ 5e-9 here, against a margin of 9.4e-6), so every true match passes
//! the threshold; each candidate that passes is then checked symbol by symbol before it is
//! accepted, so a rounding error can never make a non-match match.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use super::search::ANY;
use super::steps;

/// The base of the digits ranks are written in.
const K: u32 = 1024;

/// The first `s` in `from..` with `seg` at `text[s..s + seg.len()]` inside `..to`.
pub(super) fn find(seg: &[u32], text: &[u32], from: usize, to: usize) -> Option<usize> {
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
    let n_fft = (2 * m).next_power_of_two();
    let mut planner = FftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(n_fft);
    // one plan (its twiddle factors cost as much as a transform): the inverse transform is
    // conj(forward(conj(x))), and only its real part is read, which the outer conj keeps
    let mut scratch = vec![Complex::default(); forward.get_inplace_scratch_len()];
    let fft_cost = n_fft * (n_fft.trailing_zeros() as usize).max(1);
    let roots: Vec<Complex<f64>> = (0..K)
        .map(|d| Complex::from_polar(1.0, std::f64::consts::TAU * f64::from(d) / f64::from(K)))
        .collect();
    let unit = |digit: u32| roots.get(digit as usize).copied().unwrap_or_default();
    let digit = |r: u32, place: u32| (r / K.pow(place)) % K;

    // the conjugated transforms of the segment, one per digit place
    let mut seg_spectra = Vec::new();
    for place in 0..places {
        let mut buf = vec![Complex::default(); n_fft];
        for (slot, &c) in buf.iter_mut().zip(seg) {
            if let Some(&r) = rank.get(&c) {
                *slot = unit(digit(r, place));
            }
        }
        run(&forward, &mut buf, &mut scratch);
        steps::add(fft_cost);
        buf.iter_mut().for_each(|z| *z = z.conj());
        seg_spectra.push(buf);
    }

    let threshold = literals as f64 - (1.0 - (std::f64::consts::TAU / f64::from(K)).cos()) / 2.0;
    let scale = 1.0 / n_fft as f64;
    let per_block = n_fft - m + 1;
    let mut ranks = vec![0u32; n_fft];
    let mut buf = vec![Complex::default(); n_fft];
    let mut ok = vec![true; per_block];
    let mut start = from;
    while start + m <= to {
        // alignments start..start + count, reading text[start..start + count + m - 1]
        let count = per_block.min(to - m + 1 - start);
        let window = text.get(start..(start + count + m - 1).min(to))?;
        for (r, &c) in ranks
            .iter_mut()
            .zip(window.iter().chain(std::iter::repeat(&ANY)))
        {
            *r = if c == ANY { u32::MAX } else { rank_of(c) };
        }
        steps::add(n_fft);
        ok.iter_mut().for_each(|o| *o = true);
        for (place, spectrum) in (0..places).zip(&seg_spectra) {
            for (z, &r) in buf.iter_mut().zip(&ranks) {
                *z = if r == u32::MAX {
                    Complex::default()
                } else {
                    unit(digit(r, place))
                };
            }
            run(&forward, &mut buf, &mut scratch);
            buf.iter_mut()
                .zip(spectrum)
                .for_each(|(z, s)| *z = (*z * s).conj());
            run(&forward, &mut buf, &mut scratch);
            steps::add(2 * fft_cost + n_fft);
            for (o, z) in ok.iter_mut().zip(&buf).take(count) {
                *o = *o && z.re * scale > threshold;
            }
        }
        for s in (0..count).filter(|&s| ok[s]) {
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
