//! Matching is linear (or n log m) for every pattern, shown by counting steps on adversarial
//! families at two sizes, and agrees with a brute-force reference on random patterns.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use proptest::prelude::*;

use super::{fft, search, shift_and, steps, Case, Glob, NoVars};

/// The reference: dynamic programming over (pattern, text) positions, no variables.
fn reference(pattern: &str, text: &str, case: Case) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // can[j]: pattern[..i] matches text[..j]
    let mut can = vec![false; t.len() + 1];
    can[0] = true;
    for &pc in &p {
        let mut next = vec![false; t.len() + 1];
        match pc {
            '*' => {
                let mut any = false;
                for j in 0..=t.len() {
                    any |= can[j];
                    next[j] = any;
                }
            }
            _ => {
                for j in 1..=t.len() {
                    next[j] = can[j - 1] && (pc == '?' || case.key(pc) == case.key(t[j - 1]));
                }
            }
        }
        can = next;
    }
    can[t.len()]
}

/// Steps taken by `matches_case` (the linear path whatever the text's size), and its answer.
fn run(pattern: &str, text: &str, case: Case) -> (u64, bool) {
    let g = Glob::wildcard(pattern);
    steps::take();
    let hit = g.matches_linear(text, case, &NoVars);
    (steps::take(), hit)
}

/// Runs a family at size `n` and `8n` (`make(n)` gives pattern and text), checks the answer,
/// and that steps grow at most `growth` times; returns both counts.
fn family(
    name: &str,
    make: impl Fn(usize) -> (String, String),
    case: Case,
    n: usize,
    growth: f64,
) -> (u64, u64) {
    let (p1, t1) = make(n);
    let (p8, t8) = make(8 * n);
    let (s1, h1) = run(&p1, &t1, case);
    let (s8, h8) = run(&p8, &t8, case);
    assert!(!h1 && !h8, "{name}: the families never match");
    let size = (p8.chars().count() + t8.chars().count()) as u64;
    println!(
        "{name}: {s1} steps at n = {n}, {s8} at 8n ({:.1} per symbol)",
        s8 as f64 / size as f64
    );
    assert!(
        (s8 as f64) <= growth * s1 as f64,
        "{name}: {s1} steps at n, {s8} at 8n"
    );
    (s1, s8)
}

#[test]
fn question_runs_are_n_log_m() {
    // `arn:aws:s3:::*` + `?`×m + `b*` against the prefix and `a`×n (3 s at 60 kB before)
    let make = |n: usize| {
        (
            format!("arn:aws:s3:::*{}b*", "?".repeat(n / 3)),
            format!("arn:aws:s3:::{}", "a".repeat(n)),
        )
    };
    let (_, s8) = family("question run", make, Case::Sensitive, 15_000, 8.0 * 1.4);
    let n = 120_000f64;
    assert!((s8 as f64) < 40.0 * n * (n / 3.0).log2(), "{s8}");
}

#[test]
fn long_literals_are_linear() {
    let make = |n: usize| (format!("*{}b*", "a".repeat(n / 3)), "a".repeat(n));
    let (_, s8) = family("long literal", make, Case::Sensitive, 20_000, 9.0);
    assert!(s8 < 10 * 160_000 * 4 / 3, "{s8}");
    // resources: a long literal between two `*` of the last ARN segment
    let make = |n: usize| {
        (
            format!("arn:aws:s3:::b/*{}x*", "ab".repeat(n / 6)),
            format!("arn:aws:s3:::b/{}", "ab".repeat(n / 2)),
        )
    };
    family("resource literal", make, Case::Sensitive, 20_000, 9.0);
}

#[test]
fn case_folding_is_linear() {
    let make = |n: usize| {
        (
            format!("s3:*{}B*", "A".repeat(n / 3)),
            format!("s3:{}", "a".repeat(n)),
        )
    };
    family("folded literal", make, Case::Ascii, 20_000, 9.0);
    let make = |n: usize| (format!("*{}É*", "Ä".repeat(n / 3)), "ä".repeat(n));
    family("unicode folded literal", make, Case::Unicode, 20_000, 9.0);
    let make = |n: usize| (format!("*{}?É*", "Ä?".repeat(n / 6)), "ä".repeat(n));
    family(
        "unicode folded mixed",
        make,
        Case::Unicode,
        20_000,
        8.0 * 1.4,
    );
}

#[test]
fn many_stars_are_linear() {
    let make = |n: usize| (format!("{}*b*", "*a".repeat(n / 10)), "a".repeat(n));
    family("many stars", make, Case::Sensitive, 20_000, 9.0);
    let make = |n: usize| (format!("{}*b", "*a".repeat(n / 10)), "a".repeat(n));
    family("many stars, suffix", make, Case::Sensitive, 20_000, 9.0);
}

#[test]
fn mixed_segments_are_near_linear() {
    // short: Shift-And
    let make = |n: usize| (format!("*{}b*", "a?".repeat(30)), "a".repeat(n));
    family("mixed short", make, Case::Sensitive, 20_000, 9.0);
    // long: FFT
    let make = |n: usize| (format!("*{}b*", "a?".repeat(n / 6)), "a".repeat(n));
    family("mixed long", make, Case::Sensitive, 15_000, 8.0 * 1.4);
    // long, with a literal run that almost matches everywhere
    let make = |n: usize| (format!("*{}?b*", "a".repeat(n / 4)), "a".repeat(n));
    family("literal then ?", make, Case::Sensitive, 15_000, 8.0 * 1.4);
}

#[test]
fn small_texts_cost_at_most_their_size_times_the_pattern() {
    for k in [100, 800] {
        let p = format!("{}*b*", "*a?".repeat(k));
        let t = "a".repeat(super::SMALL_TEXT);
        steps::take();
        assert!(!Glob::wildcard(&p).matches(&t, false, &NoVars));
        let s = steps::take();
        assert!(
            s <= 2 * (super::SMALL_TEXT as u64 + 1) * p.len() as u64,
            "{s}"
        );
    }
}

/// A match found early costs little, however long the text.
#[test]
fn an_early_match_stops_the_search() {
    let text = format!("{}{}", "ab".repeat(100), "xy".repeat(500_000));
    let (s, hit) = run(&format!("*{}*", "a?".repeat(100)), &text, Case::Sensitive);
    assert!(hit);
    assert!(s < 4_000_000, "{s}");
}

#[test]
fn kelvin_is_not_k_for_actions() {
    assert!(!Glob::wildcard("s3:\u{212A}ey*").matches("s3:keyx", true, &NoVars));
    assert!(Glob::wildcard("s3:KEY*").matches("s3:keyx", true, &NoVars));
    assert!(Glob::wildcard("s3:\u{212A}ey*").matches_case("s3:keyx", Case::Unicode, &NoVars));
    let long = "k".repeat(400);
    assert!(!Glob::wildcard("s3:*\u{212A}ey*").matches(&format!("s3:{long}eyx"), true, &NoVars));
    assert!(Glob::wildcard("s3:*KEY*").matches(&format!("s3:{long}eyx"), true, &NoVars));
}

/// The FFT search agrees with trying every place, on texts and segments where many places
/// almost match.
#[test]
fn fft_agrees_with_every_place() {
    let naive = |seg: &[u32], text: &[u32], from: usize, to: usize| {
        (from..=to.saturating_sub(seg.len())).find(|&s| {
            s + seg.len() <= to
                && seg
                    .iter()
                    .zip(&text[s..])
                    .all(|(&p, &t)| p == search::ANY || p == t)
        })
    };
    let mut x = 7u64;
    let mut rnd = move |k: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % k
    };
    for round in 0..60 {
        let alpha = 2 + rnd(3) as u32 + if round % 10 == 0 { 3000 } else { 0 };
        let m = 65 + rnd(200) as usize;
        let seg: Vec<u32> = (0..m)
            .map(|_| {
                if rnd(4) == 0 {
                    search::ANY
                } else {
                    97 + rnd(u64::from(alpha)) as u32
                }
            })
            .collect();
        let n = rnd(1500) as usize;
        let mut text: Vec<u32> = (0..n).map(|_| 97 + rnd(u64::from(alpha)) as u32).collect();
        if n > m && rnd(2) == 0 {
            let at = rnd((n - m) as u64) as usize;
            for (j, &c) in seg.iter().enumerate() {
                if c != search::ANY {
                    text[at + j] = c;
                }
            }
        }
        let from = rnd(50) as usize;
        let want = naive(&seg, &text, from, n);
        assert_eq!(fft::find(&seg, &text, from, n), want, "round {round}");
        // long segments are correlated in pieces, summed
        for piece in [1, 7, 64] {
            assert_eq!(
                fft::find_in_pieces(&seg, &text, from, n, piece),
                want,
                "round {round}, pieces of {piece}"
            );
        }
        if m <= shift_and::MAX_LEN {
            assert_eq!(
                shift_and::find(&seg, &text, from, n),
                naive(&seg, &text, from, n)
            );
        }
    }
}

fn glob_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![
            'a', 'b', 'A', 'k', 'K', '\u{212A}', 'é', 'É', 'İ', 'i',
        ]),
        0..14,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn glob_pattern() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![
            'a', 'b', 'A', 'k', 'K', '\u{212A}', 'é', 'É', 'İ', '*', '?', '*', '?',
        ]),
        0..10,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn any_case() -> impl Strategy<Value = Case> {
    prop::sample::select(vec![Case::Sensitive, Case::Ascii, Case::Unicode])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn both_paths_agree_with_the_reference(p in glob_pattern(), t in glob_text(), case in any_case()) {
        let g = Glob::wildcard(&p);
        let want = reference(&p, &t, case);
        prop_assert_eq!(g.matches_in_place(&t, case, &NoVars), want, "in place {:?} {:?} {:?}", p, t, case);
        prop_assert_eq!(g.matches_linear(&t, case, &NoVars), want, "linear {:?} {:?} {:?}", p, t, case);
        prop_assert_eq!(g.matches_case(&t, case, &NoVars), want);
    }

    /// Long segments (Shift-And past a few symbols, FFT past 64) against texts that hold one.
    #[test]
    fn long_segments_agree_with_the_reference(
        seg in "[ab?]{1,120}",
        head in "[ab]{0,40}",
        tail in "[ab]{0,40}",
        fill in "[ab]{120}",
        star_end in any::<bool>(),
    ) {
        let mut fill = fill.chars();
        let inst: String = seg.chars().map(|c| if c == '?' { fill.next().unwrap_or('a') } else { c }).collect();
        let p = format!("a*{seg}*{}", if star_end { "" } else { "b" });
        for t in [format!("a{head}{inst}{tail}b"), format!("a{head}{tail}b"), format!("{head}{inst}")] {
            let want = reference(&p, &t, Case::Sensitive);
            prop_assert_eq!(Glob::wildcard(&p).matches_linear(&t, Case::Sensitive, &NoVars), want, "{} {}", p, t);
        }
    }
}
