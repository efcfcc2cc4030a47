//! A step counter for the linear-time tests: the matchers add the work of their hot loops here
//! (symbols scanned, FFT butterflies, characters compared). Outside tests it compiles to nothing.

#[cfg(test)]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` steps (tests only).
#[inline]
pub(super) fn add(n: usize) {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get().saturating_add(n as u64)));
    #[cfg(not(test))]
    let _ = n;
}

/// The steps counted on this thread since the last call.
#[cfg(test)]
pub(super) fn take() -> u64 {
    STEPS.with(|s| s.replace(0))
}
