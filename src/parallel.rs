//! Native only: sweeps across trials on all cores with rayon.

use rayon::prelude::*;

use crate::engine::sweep::{Sweep, SweepResult};

/// Runs a sweep's trials in parallel, a chunk at a time, and folds them in trial order, so the
/// numbers are the same whatever the number of threads (and equal to
/// [`crate::engine::sweep::run_sequential`]).
pub fn run_parallel(sweep: &dyn Sweep) -> SweepResult {
    let mut acc = sweep.accumulator();
    let chunk = 4 * rayon::current_num_threads().max(1);
    let trials = sweep.trials();
    let mut start = 0;
    while start < trials {
        let end = (start + chunk).min(trials);
        let outs: Vec<_> = (start..end).into_par_iter().map(|t| sweep.run_trial(t)).collect();
        for o in &outs {
            acc.add(o);
        }
        start = end;
    }
    acc.result()
}
