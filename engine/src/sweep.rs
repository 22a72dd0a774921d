//! Sweeps: test error against model size (and against the number of training points),
//! averaged over seeded trials.
//!
//! Every trial draws fresh training data and fresh random features from its own stream of the
//! seed (see [`crate::rng::Stream`]); the test inputs are drawn once per sweep and shared
//! by all trials, so that the bias²–variance decomposition compares the trials' predictions at
//! the same points:
//! - bias² = E_x[(f̄(x) − f*(x))²], with f̄ the mean prediction over trials;
//! - variance = E_x E_trial[(f(x) − f̄(x))²];
//!
//! Their sum is the mean test error over trials.
//!
//! For the Gaussian family the test error is the exact excess risk ‖β̂ − β*_T‖² + ‖β*_{T^c}‖²
//! (no test sample needed); its bias² and variance are estimated on `test` Gaussian inputs.
//!
//! A sweep is run one trial at a time ([`Sweep::run_trial`], pure and thread-safe) and folded
//! into an [`Accumulator`] in trial order, so the numbers do not depend on threads or on how
//! far a streaming run has got.
//!
//! The pieces live in their own modules and are re-exported here, so `sweep::…` names them all:
//! [`crate::problem`] (the problem, its limits and each trial's draws), [`crate::grid`] (the
//! x-axis and its points), [`crate::trial`] (one trial's output and its flat form),
//! [`crate::summary`] (folding trials into rows) and [`crate::fit_view`] (the fit panel's model).

use ndarray::{s, Array2, ArrayView2};

use super::error::Result;
use super::features::Family;
use super::problem::{check_count, TestSet};
use super::solve::{MinNormPath, PathPoint};

pub use super::fit_view::{fit_view, fit_view_kept, FitPath, FitView};
pub use super::grid::{Axis, Grid};
pub use super::problem::{limits, Problem, TrainSet};
pub use super::summary::{Accumulator, Along, SweepResult, SweepRow};
pub use super::trial::{FlatTrial, TrialOutput};

/// A sweep that can be run one trial at a time.
pub trait Sweep: Sync {
    /// How many trials the sweep runs.
    fn trials(&self) -> usize;
    /// Runs trial `trial` (pure: the same trial gives the same output on any thread).
    fn run_trial(&self, trial: usize) -> TrialOutput;
    /// An empty accumulator for this sweep's trials.
    fn accumulator(&self) -> Accumulator;
}

/// Test error against model size at fixed n.
#[derive(Debug, Clone)]
pub struct SizeSweep {
    problem: Problem,
    sizes: Vec<usize>,
    trials: usize,
    test: TestSet,
}

impl SizeSweep {
    /// A sweep over `grid` sizes up to `max_size`, averaged over `trials`.
    pub fn new(problem: Problem, max_size: usize, grid: Grid, trials: usize) -> Result<SizeSweep> {
        problem.validate(max_size)?;
        check_count("trials", trials, 1, limits::TRIALS)?;
        let sizes = grid.sizes(max_size, problem.train_n());
        problem.check_points(sizes.len())?;
        let test = problem.test_set(max_size);
        Ok(SizeSweep { problem, sizes, trials, test })
    }

    /// The sizes evaluated.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The problem swept.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// Records one solved point into a trial's output.
struct Recorder<'a> {
    out: TrialOutput,
    m: usize,
    target: &'a [f64],
    gaussian: bool,
}

impl<'a> Recorder<'a> {
    fn new(trial: usize, m: usize, points: usize, target: &'a [f64], gaussian: bool) -> Recorder<'a> {
        Recorder {
            out: TrialOutput {
                trial,
                train_mse: Vec::with_capacity(points),
                test_mse: Vec::with_capacity(points),
                norm: Vec::with_capacity(points),
                rank: Vec::with_capacity(points),
                extra: Vec::new(),
                preds: Vec::with_capacity(points * m),
            },
            m,
            target,
            gaussian,
        }
    }

    fn record(&mut self, train_mse: f64, preds: &[f64], norm: f64, rank: Option<usize>, exact: Option<f64>) {
        let m = self.m;
        let test_mse = if self.gaussian {
            exact.unwrap_or(f64::INFINITY)
        } else {
            preds[..m].iter().zip(self.target).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / m as f64
        };
        let clean = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
        self.out.train_mse.push(clean(train_mse));
        self.out.test_mse.push(clean(test_mse));
        self.out.norm.push(clean(norm));
        self.out.rank.push(rank);
        self.out.preds.extend_from_slice(&preds[..m]);
    }
}

impl Sweep for SizeSweep {
    fn trials(&self) -> usize {
        self.trials
    }

    fn run_trial(&self, trial: usize) -> TrialOutput {
        let p_max = self.sizes.last().copied().unwrap_or(1);
        let pr = &self.problem;
        if pr.data.is_some() {
            // The incremental path over every size, with the held-out rows as its test rows.
            return own_trial(pr, trial, &self.sizes, p_max, |train_phi, y, held_phi, sink| {
                walk_path(train_phi.view(), y, held_phi, pr.ridge, &self.sizes, |i, pt| sink(i, pt.train_mse, &pt.test_pred, pt.norm, pt.rank));
            });
        }
        let train = pr.train_set(trial, pr.n, p_max);
        let test_phi = pr.test_design(&self.test, trial, p_max);
        let m = pr.test;
        // The exact excess risk is of isotropic coordinates: two-speed features are scored on
        // the test points.
        let gaussian = pr.family == Family::Gaussian && !pr.two_speed();
        let beta = if gaussian { pr.beta_star() } else { Vec::new() };
        let mut rec = Recorder::new(trial, m, self.sizes.len(), &self.test.target, gaussian);
        let beta_total: f64 = beta.iter().map(|b| b * b).sum();
        walk_path(train.phi.view(), &train.y, &test_phi, pr.ridge, &self.sizes, |_, pt| {
            // ‖β̂ − β*_T‖² + κ² = ‖β̂‖² − 2·β̂·β*_T + ‖β*‖² (the extra test row holds β*).
            let exact = gaussian.then(|| (pt.norm * pt.norm - 2.0 * pt.test_pred[m] + beta_total).max(0.0));
            rec.record(pt.train_mse, &pt.test_pred, pt.norm, pt.rank, exact);
        });
        rec.out
    }

    fn accumulator(&self) -> Accumulator {
        let theory = self.sizes.iter().map(|&p| self.problem.theory(self.problem.n, p)).collect();
        // Predictions kept below the threshold, where the U panel draws its decomposition (your
        // own data has no target to decompose against).
        let below = if self.problem.data.is_some() { 0 } else { self.sizes.iter().filter(|&&p| p < self.problem.train_n()).count() };
        Accumulator::new(Along::Size, self.sizes.clone(), self.test.target.clone(), theory, below, self.trials)
    }
}

/// Test error against the number of training points at a fixed model size.
#[derive(Debug, Clone)]
pub struct SampleSweep {
    problem: Problem,
    size: usize,
    ns: Vec<usize>,
    trials: usize,
    test: TestSet,
}

impl SampleSweep {
    /// A sweep over `grid` sample sizes up to `problem.n`, at model size `size`.
    pub fn new(problem: Problem, size: usize, grid: Grid, trials: usize) -> Result<SampleSweep> {
        problem.validate(size)?;
        check_count("trials", trials, 1, limits::TRIALS)?;
        check_count("size", size, 1, limits::SIZE)?;
        let ns = grid.sizes(problem.train_n(), size);
        problem.check_points(ns.len())?;
        let test = problem.test_set(size);
        Ok(SampleSweep { problem, size, ns, trials, test })
    }

    /// The sample sizes evaluated.
    pub fn ns(&self) -> &[usize] {
        &self.ns
    }
}

impl Sweep for SampleSweep {
    fn trials(&self) -> usize {
        self.trials
    }

    fn run_trial(&self, trial: usize) -> TrialOutput {
        let pr = &self.problem;
        let p = self.size;
        // At each n, the sweep's solver grown to size p on the first n training points.
        if pr.data.is_some() {
            return own_trial(pr, trial, &self.ns, p, |train_phi, y, held_phi, sink| {
                for (i, &n) in self.ns.iter().enumerate() {
                    let n = n.min(y.len());
                    walk_path(train_phi.slice(s![..n, ..]), &y[..n], held_phi, pr.ridge, &[p], |_, pt| sink(i, pt.train_mse, &pt.test_pred, pt.norm, pt.rank));
                }
            });
        }
        let train = pr.train_set(trial, pr.n, p);
        let test_phi = pr.test_design(&self.test, trial, p);
        let m = pr.test;
        let gaussian = pr.family == Family::Gaussian;
        let beta_total: f64 = if gaussian { pr.beta_star().iter().map(|b| b * b).sum() } else { 0.0 };
        let mut rec = Recorder::new(trial, m, self.ns.len(), &self.test.target, gaussian);
        for &n in &self.ns {
            let mut done = false;
            walk_path(train.phi.slice(s![..n, ..]), &train.y[..n], &test_phi, pr.ridge, &[p], |_, pt| {
                // As in the size sweep: ‖β̂ − β*_T‖² + κ² from ‖β̂‖ and the extra test row β*.
                let exact = gaussian.then(|| (pt.norm * pt.norm - 2.0 * pt.test_pred[m] + beta_total).max(0.0));
                rec.record(pt.train_mse, &pt.test_pred, pt.norm, pt.rank, exact);
                done = true;
            });
            if !done {
                let inf = vec![f64::INFINITY; test_phi.nrows()];
                rec.record(f64::INFINITY, &inf, f64::INFINITY, None, Some(f64::INFINITY));
            }
        }
        rec.out
    }

    fn accumulator(&self) -> Accumulator {
        let theory = self.ns.iter().map(|&n| self.problem.theory(n, self.size)).collect();
        // The U panel of a sample sweep draws every n.
        let keep = if self.problem.data.is_some() { 0 } else { self.ns.len() };
        Accumulator::new(Along::Samples, self.ns.clone(), self.test.target.clone(), theory, keep, self.trials)
    }
}

/// Grows the incremental path over the columns of `phi` (and `test_phi`, its rows the test
/// rows) up to the largest of `sizes` (increasing), calling `at(index, point)` at each size in
/// `sizes`. Stops early if the path cannot take a column (the sizes after it are not reported).
pub(crate) fn walk_path(phi: ArrayView2<f64>, y: &[f64], test_phi: &Array2<f64>, ridge: f64, sizes: &[usize], at: impl FnMut(usize, &PathPoint)) {
    walk_path_outputs(phi, y, 1, test_phi, ridge, sizes, at);
}

/// [`walk_path`] for `outputs` outputs at once (`y`: n labels of each, output after output;
/// the points' test predictions likewise), on one factorization.
pub(crate) fn walk_path_outputs(
    phi: ArrayView2<f64>,
    y: &[f64],
    outputs: usize,
    test_phi: &Array2<f64>,
    ridge: f64,
    sizes: &[usize],
    mut at: impl FnMut(usize, &PathPoint),
) {
    let p_max = sizes.last().copied().unwrap_or(0).min(phi.ncols()).min(test_phi.ncols());
    let Ok(mut path) = MinNormPath::with_outputs(y, outputs, test_phi.nrows(), ridge, p_max) else { return };
    let mut next = 0;
    for p in 1..=p_max {
        if path.push(&column(phi, p - 1), &column(test_phi.view(), p - 1)).is_err() {
            return;
        }
        if sizes.get(next) == Some(&p) {
            at(next, &path.point());
            next += 1;
        }
    }
}

/// Column `j` of `a`: borrowed where it is contiguous (the designs are column-major, and so are
/// their first rows), copied otherwise.
pub(crate) fn column(a: ArrayView2<'_, f64>, j: usize) -> std::borrow::Cow<'_, [f64]> {
    let col = a.index_axis_move(ndarray::Axis(1), j);
    match col.to_slice() {
        Some(c) => std::borrow::Cow::Borrowed(c),
        None => std::borrow::Cow::Owned(col.to_vec()),
    }
}

/// One trial on your own data: for each held-out fold, `fit` is given the fold's training
/// design (every feature the sweep needs), labels and held-out design, and reports each point
/// of the sweep through `sink(index, train_mse, held-out predictions, ‖β̂‖, rank)`. The folds'
/// squared held-out errors are pooled into the test error; train error and norm are averaged
/// over folds and the rank is the smallest. A point some fold did not report is +∞.
pub(crate) fn own_trial<F>(pr: &Problem, trial: usize, xs: &[usize], p: usize, fit: F) -> TrialOutput
where
    F: Fn(&Array2<f64>, &[f64], &Array2<f64>, &mut dyn FnMut(usize, f64, &[f64], f64, Option<usize>)),
{
    let k = xs.len();
    let mut out =
        TrialOutput { trial, train_mse: vec![0.0; k], test_mse: vec![0.0; k], norm: vec![0.0; k], rank: vec![None; k], extra: Vec::new(), preds: Vec::new() };
    let Some(data) = pr.data.as_ref() else { return out };
    let folds = pr.folds_of(trial);
    let Some(map) = pr.features(trial, p.max(1)) else { return out };
    let mut reported = vec![0usize; k];
    let mut held_total = 0usize;
    let mut ranks: Vec<Option<Option<usize>>> = vec![None; k];
    for j in 0..folds.count() {
        let (train, held) = folds.fold(j);
        let pick = |idx: &[usize], v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let (tx, ty, hx, hy) = (pick(&train, &data.x), pick(&train, &data.y), pick(&held, &data.x), pick(&held, &data.y));
        held_total += held.len();
        let (tphi, hphi) = (map.design(&tx, p.max(1)), map.design(&hx, p.max(1)));
        let mut sink = |i: usize, train_mse: f64, preds: &[f64], norm: f64, rank: Option<usize>| {
            if i >= k {
                return;
            }
            reported[i] += 1;
            out.train_mse[i] += train_mse;
            out.test_mse[i] += preds.iter().zip(&hy).map(|(a, b)| (a - b) * (a - b)).sum::<f64>();
            out.norm[i] += norm;
            ranks[i] = Some(match (ranks[i], rank) {
                (None, r) => r,
                (Some(Some(a)), Some(b)) => Some(a.min(b)),
                _ => None,
            });
        };
        fit(&tphi, &ty, &hphi, &mut sink);
    }
    let count = folds.count() as f64;
    let clean = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
    for i in 0..k {
        if reported[i] < folds.count() {
            (out.train_mse[i], out.test_mse[i], out.norm[i]) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
            continue;
        }
        out.train_mse[i] = clean(out.train_mse[i] / count);
        out.test_mse[i] = clean(out.test_mse[i] / held_total.max(1) as f64);
        out.norm[i] = clean(out.norm[i] / count);
        out.rank[i] = ranks[i].flatten();
    }
    out
}

/// Runs every trial of a sweep on this thread, in order.
pub fn run_sequential(sweep: &dyn Sweep) -> SweepResult {
    let mut acc = sweep.accumulator();
    for t in 0..sweep.trials() {
        acc.add(&sweep.run_trial(t));
    }
    acc.result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Target;
    use crate::own::Eval;
    use crate::solve::Ridge;
    use crate::testing::{legendre, own, own_reference, own_reference_n};
    use ndarray::Array1;

    #[test]
    fn kfold_error_on_your_own_data_matches_fold_by_fold_svd_fits() {
        for (eval, ridge) in [(Eval::KFold, 0.0), (Eval::Split, 0.0), (Eval::KFold, 1e-3)] {
            let pr = Problem { ridge, ..own(33, eval, 4) };
            assert_eq!(pr.train_n(), 33 - 8);
            let sw = SizeSweep::new(pr.clone(), 60, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
            for trial in 0..3 {
                let out = sw.run_trial(trial);
                for p in [3, 24, 25, 26, 60] {
                    let (train, test) = own_reference(&pr, trial, p);
                    let (a, b) = (out.train_mse[p - 1], out.test_mse[p - 1]);
                    assert!((a - train).abs() <= 1e-7 * train.max(1e-6), "{eval:?} λ={ridge} t={trial} p={p}: train {a} vs {train}");
                    assert!((b - test).abs() <= 1e-6 * test, "{eval:?} λ={ridge} t={trial} p={p}: test {b} vs {test}");
                }
            }
            // bias² and variance need a known target: absent, not made up.
            let r = run_sequential(&sw);
            assert!(r.rows.iter().all(|row| row.bias2.is_nan() && row.variance.is_nan() && row.test_mse_median.is_finite()));
        }
    }

    #[test]
    fn own_data_interpolates_from_the_training_split_size_on() {
        let pr = Problem { family: Family::Legendre, ..own(30, Eval::Split, 5) };
        let r = run_sequential(&SizeSweep::new(pr.clone(), 50, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}")));
        assert!(r.rows.iter().filter(|row| row.x >= pr.train_n()).all(|row| row.train_mse_median < 1e-12));
        assert!(r.rows[pr.train_n() - 3].train_mse_median > 1e-6);
        let samples = run_sequential(&SampleSweep::new(pr.clone(), 10, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(samples.rows.last().map(|row| row.x), Some(pr.train_n()));
        assert!(samples.rows.iter().all(|row| row.test_mse_median.is_finite()));
        let v = fit_view(&Problem { n: 10, ..pr.clone() }, 8, 0, 50, 1).unwrap_or_else(|e| panic!("{e}"));
        assert!(v.own && v.target.is_empty() && v.train_x.len() == 10 && v.new_x.len() == 6);
    }

    #[test]
    fn sample_wise_fits_match_the_svd_pseudo_inverse_fit_at_every_n() {
        let relu = Problem { family: Family::Relu, target: Target::Sin, noise: 0.2, ..legendre(40) };
        let gauss = Problem { family: Family::Gaussian, dim: 60, ..legendre(40) };
        for (pr, p) in
            [(relu.clone(), 15), (relu.clone(), 25), (Problem { ridge: 1e-3, ..relu }, 25), (gauss.clone(), 20), (Problem { ridge: 0.05, ..gauss }, 20)]
        {
            let sw = SampleSweep::new(pr.clone(), p, Grid::Every, 1).unwrap_or_else(|e| panic!("{e}"));
            let out = sw.run_trial(0);
            let train = pr.train_set(0, pr.n, p);
            let test_phi = pr.test_design(&sw.test, 0, p);
            let m = pr.test;
            let beta = pr.beta_star();
            for (i, &n) in sw.ns().iter().enumerate() {
                let f =
                    Ridge { ridge: pr.ridge }.fit(train.phi.slice(s![..n, ..]), Array1::from(train.y[..n].to_vec()).view()).unwrap_or_else(|e| panic!("{e}"));
                let want = f.predict(test_phi.view());
                let got = &out.preds[i * m..(i + 1) * m];
                let scale = 1.0 + want.iter().map(|x| x.abs()).fold(0.0, f64::max);
                for (a, b) in got.iter().zip(want.iter()) {
                    assert!((a - b).abs() < 1e-6 * scale, "{:?} p {p} n {n}: {a} vs {b}", pr.family);
                }
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * (1.0 + b.abs());
                assert!(close(out.train_mse[i], f.train_mse) && close(out.norm[i], f.norm()), "{:?} p {p} n {n}", pr.family);
                if pr.family == Family::Gaussian {
                    let (_, unseen) = pr.signal_split(p);
                    let exact: f64 = f.coef.iter().zip(&beta).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() + unseen;
                    assert!(close(out.test_mse[i], exact), "p {p} n {n}: {} vs {exact}", out.test_mse[i]);
                } else if pr.ridge == 0.0 {
                    assert_eq!(out.rank[i], Some(f.rank), "p {p} n {n}");
                }
            }
        }
    }

    #[test]
    fn sample_wise_errors_on_your_own_data_match_fold_by_fold_svd_fits_on_the_first_n_points() {
        for (eval, ridge) in [(Eval::Split, 0.0), (Eval::KFold, 0.0), (Eval::KFold, 1e-3)] {
            let pr = Problem { ridge, ..own(36, eval, 4) };
            for p in [6, 15] {
                let sw = SampleSweep::new(pr.clone(), p, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}"));
                for trial in 0..2 {
                    let out = sw.run_trial(trial);
                    for (i, &n) in sw.ns().iter().enumerate() {
                        let (train, test) = own_reference_n(&pr, trial, p, n);
                        let (a, b) = (out.train_mse[i], out.test_mse[i]);
                        assert!((a - train).abs() <= 1e-7 * train.max(1e-6), "{eval:?} λ={ridge} p={p} n={n}: train {a} vs {train}");
                        assert!((b - test).abs() <= 1e-7 * test, "{eval:?} λ={ridge} p={p} n={n}: test {b} vs {test}");
                    }
                }
            }
        }
    }

    #[test]
    fn sweeps_too_large_for_memory_are_refused_naming_the_parameter() {
        let p = Problem { test: 20_000, ..legendre(30) };
        let e = SizeSweep::new(p.clone(), 5_000, Grid::Every, 1).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("test must be small enough"), "{e}");
        assert!(SizeSweep::new(p, 5_000, Grid::Log, 1).is_ok());
        let big = Problem { n: 20_000, test: 500, ..legendre(30) };
        assert!(big.validate(10).err().map(|e| e.to_string()).unwrap_or_default().contains("n·(n + test)"));
    }

    #[test]
    fn train_error_vanishes_once_size_reaches_n() {
        let sw = SizeSweep::new(legendre(15), 40, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(&sw);
        for row in r.rows.iter().filter(|row| row.x >= 15) {
            assert!(row.train_mse_median < 1e-12, "{row:?}");
        }
        assert!(r.rows[5].train_mse_median > 1e-6);
    }
}
