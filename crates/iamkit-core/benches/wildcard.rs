//! Wildcard matching on adversarial families at about 600 kB of text: `?` runs, long literal
//! middle segments (case-sensitive and ASCII-folded, as actions are), many short segments and
//! mixed `?`/literal segments (short: bit-parallel; long: FFT). Every family does not match, so
//! the whole text is searched.
//!
//! `WILDCARD_ONCE=1 cargo bench -p iamkit-core --bench wildcard` times each family once instead
//! (a quick before/after figure; wall time, so noisy); `WILDCARD_ONCE=NAME` only the families
//! whose name holds NAME.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // benches may fail loudly

use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use iamkit_core::internals::{Glob, NoVars};

const N: usize = 600_000;

/// (name, pattern, text, ignore_case)
fn families() -> Vec<(&'static str, String, String, bool)> {
    let a = "a".repeat(N);
    vec![
        (
            "question_run",
            format!("arn:aws:s3:::*{}b*", "?".repeat(20_000)),
            format!("arn:aws:s3:::{a}"),
            false,
        ),
        (
            "long_literal",
            format!("*{}b*", "a".repeat(20_000)),
            a.clone(),
            false,
        ),
        (
            "long_literal_folded",
            format!("s3:*{}B*", "A".repeat(20_000)),
            format!("s3:{a}"),
            true,
        ),
        (
            "many_stars",
            format!("{}*b*", "*a".repeat(2_000)),
            a.clone(),
            false,
        ),
        (
            "mixed_short",
            format!("*{}b*", "a?".repeat(30)),
            a.clone(),
            false,
        ),
        (
            "mixed_long",
            format!("*{}b*", "a?".repeat(10_000)),
            a.clone(),
            false,
        ),
        (
            "unicode_mixed_long",
            format!("*{}é*", "ä?".repeat(10_000)),
            "ä".repeat(N / 2),
            false,
        ),
        (
            "huge_mixed_segment",
            format!("*{}b*", "a?".repeat(150_000)),
            "a".repeat(900_000),
            false,
        ),
        (
            "wide_alphabet_mixed",
            format!("*{}?x*", wide(3_000)),
            wide(N / 3),
            false,
        ),
    ]
}

/// `k` characters cycling through 2,000 CJK ideographs (more than one FFT digit place).
fn wide(k: usize) -> String {
    (0..k)
        .map(|i| char::from_u32(0x4E00 + (i % 2_000) as u32).unwrap_or('a'))
        .collect()
}

fn main() {
    let fams = families();
    if let Some(only) = std::env::var_os("WILDCARD_ONCE") {
        // `WILDCARD_ONCE=1`: every family; any other value: the families whose name holds it
        let only = only.to_string_lossy().into_owned();
        for (name, p, t, ci) in fams.iter().filter(|f| only == "1" || f.0.contains(&only)) {
            let g = Glob::wildcard(p);
            let start = Instant::now();
            let hit = g.matches(t, *ci, &NoVars);
            println!("{name}: {:?} (matched: {hit})", start.elapsed());
        }
        return;
    }
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    let mut g = c.benchmark_group("wildcard_600kB");
    for (name, p, t, ci) in &fams {
        let glob = Glob::wildcard(p);
        g.bench_function(*name, |b| {
            b.iter(|| black_box(glob.matches(black_box(t), *ci, &NoVars)))
        });
    }
    g.finish();
    c.final_summary();
}
