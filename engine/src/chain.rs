//! Several sweeps run as one: the trials of a comparison (one sweep per compared value), numbered
//! one after another, so that workers and the page hand out, cancel and fold them exactly as they
//! do one sweep's. Trial `g` of the chain is trial `g − start(v)` of sweep `v`; its output keeps
//! the chain's number `g`, so trials still arrive in one order and each sweep's trials are folded
//! in its own trial order (the numbers equal each sweep run alone, to the bit).

use super::summary::Accumulator;
use super::sweep::Sweep;
use super::trial::TrialOutput;

/// Sweeps run one after another as one numbering of trials.
pub struct Chain {
    parts: Vec<Box<dyn Sweep>>,
    /// The chain's number of each part's first trial, and the total at the end.
    starts: Vec<usize>,
}

impl Chain {
    /// The sweeps `parts`, in order (one part: the sweep itself).
    pub fn new(parts: Vec<Box<dyn Sweep>>) -> Chain {
        let mut starts = Vec::with_capacity(parts.len() + 1);
        let mut total = 0;
        starts.push(0);
        for p in &parts {
            total += p.trials();
            starts.push(total);
        }
        Chain { parts, starts }
    }

    /// How many sweeps are chained.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Trials in all.
    pub fn trials(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// The chain's number of sweep `part`'s first trial (or the total, past the last part).
    pub fn start(&self, part: usize) -> usize {
        self.starts.get(part).copied().unwrap_or_else(|| self.trials())
    }

    /// Which sweep trial `g` belongs to and its number there; `None` past the end.
    pub fn locate(&self, g: usize) -> Option<(usize, usize)> {
        let part = self.starts.partition_point(|s| *s <= g).checked_sub(1)?;
        (part < self.parts.len()).then(|| (part, g - self.starts[part]))
    }

    /// Runs trial `g` (its output numbered `g`); `None` past the end.
    pub fn run_trial(&self, g: usize) -> Option<TrialOutput> {
        let (part, t) = self.locate(g)?;
        let mut out = self.parts[part].run_trial(t);
        out.trial = g;
        Some(out)
    }

    /// An empty accumulator for each sweep.
    pub fn accumulators(&self) -> Vec<Accumulator> {
        self.parts.iter().map(|p| p.accumulator()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Family;
    use crate::sweep::{run_sequential, Grid, Problem, SizeSweep};
    use crate::testing::legendre;

    fn sweep(noise: f64, trials: usize) -> Box<dyn Sweep> {
        let problem = Problem { family: Family::Relu, noise, seed: 3, ..legendre(12) };
        Box::new(SizeSweep::new(problem, 30, Grid::Every, trials).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn trials_are_numbered_one_sweep_after_another() {
        let chain = Chain::new(vec![sweep(0.1, 3), sweep(0.3, 2)]);
        assert_eq!((chain.len(), chain.trials(), chain.start(1), chain.start(2)), (2, 5, 3, 5));
        let located: Vec<_> = (0..6).map(|g| chain.locate(g)).collect();
        assert_eq!(located, [Some((0, 0)), Some((0, 1)), Some((0, 2)), Some((1, 0)), Some((1, 1)), None]);
        assert!(chain.run_trial(5).is_none());
        assert!(Chain::new(Vec::new()).locate(0).is_none());
    }

    #[test]
    fn each_sweep_of_a_chain_folds_to_the_bits_of_that_sweep_run_alone() {
        let chain = Chain::new(vec![sweep(0.1, 3), sweep(0.3, 4)]);
        let mut accs = chain.accumulators();
        for g in 0..chain.trials() {
            let out = chain.run_trial(g).unwrap_or_else(|| panic!("trial {g}"));
            assert_eq!(out.trial, g, "the output keeps the chain's number");
            let (part, _) = chain.locate(g).unwrap_or((0, 0));
            // Folded from the flat form, as the page folds a worker's trial.
            assert!(accs[part].add_flat(&out.to_flat()));
        }
        for (acc, alone) in accs.iter().zip([sweep(0.1, 3), sweep(0.3, 4)]) {
            let want = run_sequential(alone.as_ref());
            assert_eq!(format!("{:?}", acc.result()), format!("{want:?}"));
        }
    }
}
