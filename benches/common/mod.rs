//! What the benchmarks share (a folder module, so that Cargo does not take it for a benchmark).

use std::time::Instant;

/// The median wall time of `reps` runs of `f`, in milliseconds.
pub fn median_ms(mut f: impl FnMut(), reps: usize) -> f64 {
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    t[t.len() / 2]
}
