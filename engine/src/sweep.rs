//! Sweeps: test error against model size (and against the number of training points),
//! averaged over seeded trials.
//!
//! Every trial draws fresh training data and fresh random features from its own stream of the
//! seed (see [`crate::rng::stream`]); the test inputs are drawn once per sweep and shared
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

use ndarray::{s, Array2, ArrayView2, ShapeBuilder};
use serde::{Deserialize, Serialize};

use super::data::{Dataset, Target, XDist};
use super::error::{EngineError, Result};
use super::features::{gaussian_beta, Family, FeatureMap};
use super::own::{self, Eval, Folds};
use super::rng::{normal, stream, DdRng};
use super::solve::{check_ridge, MinNormPath, PathPoint};
use super::stats::{mean, quantile, RunningMoments};
use super::theory;

/// Hard limits of the engine itself (the scene layer sets tighter ones per platform).
pub mod limits {
    /// Most training points.
    pub const N: usize = 20_000;
    /// Most features (model size).
    pub const SIZE: usize = 100_000;
    /// Most test points.
    pub const TEST: usize = 100_000;
    /// Most trials.
    pub const TRIALS: usize = 1_000_000;
    /// Most dimensions of the Gaussian family.
    pub const DIM: usize = 100_000;
    /// Most entries of one design matrix (training or test), to bound memory.
    pub const ENTRIES: usize = 200_000_000;
    /// Most numbers one trial keeps at once (its factorizations, n·(n + test); its predictions,
    /// evaluated sizes × test), so a few trials in parallel stay within a few GiB.
    pub const TRIAL_ENTRIES: usize = 50_000_000;
}

/// Which model sizes a size sweep evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grid {
    /// Every size 1..=max.
    Every,
    /// About 60 log-spaced sizes, always including the interpolation threshold.
    Log,
}

impl Grid {
    /// Both grids, in the order controls list them.
    pub const ALL: [Grid; 2] = [Grid::Every, Grid::Log];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Grid::Every => "every",
            Grid::Log => "log",
        }
    }

    /// The sizes in 1..=max, with `keep` added to the log grid when it is in range.
    pub fn sizes(self, max: usize, keep: usize) -> Vec<usize> {
        match self {
            Grid::Every => (1..=max).collect(),
            Grid::Log => {
                let mut v: Vec<usize> = (0..60).map(|i| libm::round(libm::pow(max as f64, i as f64 / 59.0)) as usize).map(|p| p.clamp(1, max.max(1))).collect();
                // Already in order (pow grows with i): put keep in its place, max at the end.
                if (1..=max).contains(&keep) {
                    let at = v.partition_point(|&p| p < keep);
                    v.insert(at, keep);
                }
                v.push(max);
                v.dedup();
                v
            }
        }
    }
}

/// What is swept along the x-axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// Model size p at fixed n (model-wise double descent).
    Size,
    /// Training points n at fixed p (sample-wise double descent).
    Samples,
}

impl Axis {
    /// Both axes.
    pub const ALL: [Axis; 2] = [Axis::Size, Axis::Samples];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Axis::Size => "size",
            Axis::Samples => "samples",
        }
    }
}

/// The data-generating problem and the fit, without the sweep's extent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Feature family.
    pub family: Family,
    /// Noiseless target (1-D families).
    pub target: Target,
    /// Input distribution (1-D families).
    pub x_dist: XDist,
    /// Training points of generated data. With your own data ([`Problem::data`]) sweeps use
    /// every training point of each split and [`fit_view`] the first `n` of them (see
    /// [`Problem::train_n`]).
    pub n: usize,
    /// Standard deviation of the label noise.
    pub noise: f64,
    /// Ridge penalty λ in (1/n)·‖y − Φβ‖² + λ‖β‖² (0: minimum norm).
    pub ridge: f64,
    /// Legendre smoothness exponent s.
    pub smoothness: f64,
    /// Fourier frequency standard deviation.
    pub bandwidth: f64,
    /// Gaussian family: input dimension D.
    pub dim: usize,
    /// Gaussian family: β*_j ∝ j^(−decay).
    pub decay: f64,
    /// Test points.
    pub test: usize,
    /// Seed of every draw.
    pub seed: u64,
    /// Your own points instead of generated data (1-D families): no target is known, so test
    /// error comes from held-out points.
    pub data: Option<Dataset>,
    /// With your own data: one held-out split or k-fold cross-validation.
    pub eval: Eval,
    /// With your own data: 1 in `folds` points is held out (per fold).
    pub folds: usize,
}

/// The stream of trial `t`'s features, data and the sweep's shared test set.
const FEATURE_STREAM: u64 = 0;
const DATA_STREAM: u64 = 1;
const TEST_STREAM: u64 = u64::MAX;

fn trial_stream(seed: u64, trial: usize, which: u64) -> DdRng {
    stream(seed, (trial as u64).wrapping_mul(4).wrapping_add(which))
}

fn out_of_range(name: &'static str, allowed: String, got: impl ToString) -> EngineError {
    EngineError::OutOfRange { name, allowed, got: got.to_string() }
}

fn check_count(name: &'static str, v: usize, lo: usize, hi: usize) -> Result<()> {
    if v < lo || v > hi {
        return Err(out_of_range(name, format!("an integer from {lo} to {hi}"), v));
    }
    Ok(())
}

fn check_real(name: &'static str, v: f64, lo: f64, hi: f64) -> Result<()> {
    if !(v.is_finite() && v >= lo && v <= hi) {
        return Err(out_of_range(name, format!("a number from {lo} to {hi}"), v));
    }
    Ok(())
}

/// Training data of one trial: the design (n × p, column-major), labels, and 1-D inputs.
#[derive(Debug, Clone)]
pub struct TrainSet {
    /// Design matrix.
    pub phi: Array2<f64>,
    /// Noisy labels.
    pub y: Vec<f64>,
    /// The 1-D inputs (empty for the Gaussian family).
    pub x: Vec<f64>,
}

/// The shared test set: the design of `m` test rows (plus, for the Gaussian family, one extra
/// row holding β* to read off β̂·β*_T) and the noiseless targets of the `m` rows.
#[derive(Debug, Clone)]
pub struct TestSet {
    /// Test design, (m [+ 1]) × p, column-major.
    pub phi: Array2<f64>,
    /// Noiseless targets at the m test rows.
    pub target: Vec<f64>,
    /// The 1-D test inputs (empty for the Gaussian family).
    pub x: Vec<f64>,
}

impl Problem {
    /// Checks every parameter against the engine's hard limits, for a model of `max_size`.
    pub fn validate(&self, max_size: usize) -> Result<()> {
        if let Some(d) = &self.data {
            self.validate_own(d)?;
        }
        check_count("n", self.n, 1, limits::N)?;
        check_count("test", self.test, 1, limits::TEST)?;
        check_count("max-size", max_size, 1, limits::SIZE)?;
        check_real("noise", self.noise, 0.0, 1e6)?;
        check_ridge(self.ridge)?;
        check_real("ridge", self.ridge, 0.0, 1e12)?;
        check_real("smoothness", self.smoothness, 0.0, 100.0)?;
        check_real("bandwidth", self.bandwidth, 1e-6, 1e6)?;
        check_real("decay", self.decay, 0.0, 100.0)?;
        if self.family == Family::Gaussian {
            check_count("dim", self.dim, 1, limits::DIM)?;
            if max_size > self.dim {
                return Err(out_of_range("max-size", format!("at most dim = {} for the gaussian family", self.dim), max_size));
            }
        }
        let width = if self.family == Family::Gaussian { self.dim.max(max_size) } else { max_size };
        if self.n.saturating_mul(width) > limits::ENTRIES || (self.test + 1).saturating_mul(width) > limits::ENTRIES {
            return Err(out_of_range("max-size", format!("small enough that n·max-size and test·max-size stay under {}", limits::ENTRIES), max_size));
        }
        let (n, test) = if self.data.is_some() { (self.train_n(), self.points() - self.train_n()) } else { (self.n, self.test) };
        if n.saturating_mul(n.saturating_add(test)) > limits::TRIAL_ENTRIES {
            return Err(out_of_range("test", format!("small enough that n·(n + test) stays under {}", limits::TRIAL_ENTRIES), self.test));
        }
        Ok(())
    }

    /// Checks your own data: a 1-D family, folds in range, enough points and each in range.
    fn validate_own(&self, d: &Dataset) -> Result<()> {
        if self.family == Family::Gaussian {
            return Err(out_of_range("family", "legendre, relu or fourier with your own data (its points are 1-D)".into(), "gaussian"));
        }
        check_count("folds", self.folds, own::FOLDS.0, own::FOLDS.1)?;
        let len = d.x.len();
        if d.y.len() != len {
            return Err(EngineError::Shape(format!("points: {len} inputs but {} labels", d.y.len())));
        }
        if len < self.folds.max(3) || len > limits::N {
            return Err(out_of_range(
                "points",
                format!("between {} and {} points (each fold holds out at least one)", self.folds.max(3), limits::N),
                format!("{len} points"),
            ));
        }
        for (i, (x, y)) in d.x.iter().zip(&d.y).enumerate() {
            own::check_point(*x, *y).map_err(|m| out_of_range("points", format!("within range; point {} has {m}", i + 1), format!("({x}, {y})")))?;
        }
        Ok(())
    }

    /// How many points there are: `n` for generated data, all of your own points otherwise.
    pub fn points(&self) -> usize {
        self.data.as_ref().map_or(self.n, |d| d.x.len())
    }

    /// Training points of one fit: `n`, or with your own data the points left after holding
    /// out one fold (the interpolation threshold).
    pub fn train_n(&self) -> usize {
        match &self.data {
            Some(d) => own::train_count(d.x.len(), self.folds),
            None => self.n,
        }
    }

    /// Rows of the shared test set (none with your own data: its test points are held out).
    fn test_rows(&self) -> usize {
        if self.data.is_some() {
            0
        } else {
            self.test
        }
    }

    /// Trial `trial`'s split of your own points into folds.
    pub fn folds_of(&self, trial: usize) -> Folds {
        let mut rng = trial_stream(self.seed, trial, DATA_STREAM);
        Folds::draw(self.points(), self.folds, self.eval, &mut rng)
    }

    /// Checks that `points` evaluated sizes (or sample sizes) with `test` predictions each fit the
    /// per-trial memory bound.
    fn check_points(&self, points: usize) -> Result<()> {
        if points.saturating_mul(self.test_rows()) > limits::TRIAL_ENTRIES {
            return Err(out_of_range(
                "test",
                format!("small enough that test × the sizes evaluated ({points}) stays under {}; try grid=log", limits::TRIAL_ENTRIES),
                self.test,
            ));
        }
        Ok(())
    }

    /// The Gaussian family's true coefficients (unit norm).
    pub fn beta_star(&self) -> Vec<f64> {
        gaussian_beta(self.dim, self.decay)
    }

    /// The features of trial `trial` (1-D families; `None` for the Gaussian family).
    pub fn features(&self, trial: usize, size: usize) -> Option<FeatureMap> {
        let mut rng = trial_stream(self.seed, trial, FEATURE_STREAM);
        FeatureMap::draw(self.family, size, self.smoothness, self.bandwidth, &mut rng)
    }

    /// The training set of trial `trial`: `n` points and the first `size` features.
    pub fn train_set(&self, trial: usize, n: usize, size: usize) -> TrainSet {
        if let Some(d) = &self.data {
            // Your own data: the first n training points of fold 1 of this trial's split.
            let (train, _) = self.folds_of(trial).fold(0);
            let idx = &train[..n.min(train.len())];
            let x: Vec<f64> = idx.iter().map(|&i| d.x[i]).collect();
            let y = idx.iter().map(|&i| d.y[i]).collect();
            let phi = self.features(trial, size).map_or_else(|| Array2::zeros((x.len(), size).f()), |f| f.design(&x, size));
            return TrainSet { phi, y, x };
        }
        let mut rng = trial_stream(self.seed, trial, DATA_STREAM);
        match self.features(trial, size) {
            Some(f) => {
                let d = Dataset::draw(n, self.target, self.x_dist, self.noise, &mut rng);
                TrainSet { phi: f.design(&d.x, size), y: d.y, x: d.x }
            }
            None => {
                let beta = self.beta_star();
                let (x, y) = gaussian_rows(n, &beta, self.noise, &mut rng);
                TrainSet { phi: x.slice(s![.., ..size]).to_owned(), y, x: Vec::new() }
            }
        }
    }

    /// The shared test set with the first `size` features.
    pub fn test_set(&self, size: usize) -> TestSet {
        if self.data.is_some() {
            return TestSet { phi: Array2::zeros((0, size).f()), target: Vec::new(), x: Vec::new() };
        }
        let mut rng = stream(self.seed, TEST_STREAM);
        match self.features(0, size) {
            Some(f) => {
                let x: Vec<f64> = (0..self.test).map(|_| self.x_dist.sample(&mut rng)).collect();
                let target = x.iter().map(|&v| self.target.eval(v)).collect();
                TestSet { phi: f.design(&x, size), target, x }
            }
            None => {
                let beta = self.beta_star();
                let (x, target) = gaussian_rows(self.test, &beta, 0.0, &mut rng);
                let mut phi = Array2::zeros((self.test + 1, size).f());
                phi.slice_mut(s![..self.test, ..]).assign(&x.slice(s![.., ..size]));
                for j in 0..size {
                    phi[[self.test, j]] = beta[j];
                }
                TestSet { phi, target, x: Vec::new() }
            }
        }
    }

    /// The test design of trial `trial`: the shared test inputs through that trial's features.
    /// Families whose features do not depend on the trial (Legendre; the Gaussian coordinates)
    /// borrow the shared design instead of rebuilding it.
    fn test_design<'a>(&self, shared: &'a TestSet, trial: usize, size: usize) -> std::borrow::Cow<'a, Array2<f64>> {
        use std::borrow::Cow;
        match self.family {
            Family::Legendre | Family::Gaussian if shared.phi.ncols() == size => Cow::Borrowed(&shared.phi),
            _ => match self.features(trial, size) {
                Some(f) => Cow::Owned(f.design(&shared.x, size)),
                None => Cow::Owned(shared.phi.slice(s![.., ..size]).to_owned()),
            },
        }
    }

    /// ‖β*_T‖² and κ² = ‖β*_{T^c}‖² for the model of size p (Gaussian family).
    pub fn signal_split(&self, p: usize) -> (f64, f64) {
        let beta = self.beta_star();
        let seen: f64 = beta.iter().take(p).map(|b| b * b).sum();
        let unseen: f64 = beta.iter().skip(p).map(|b| b * b).sum();
        (seen, unseen)
    }

    /// The theory curve at n points and size p (Gaussian family): the exact finite-n risk of the
    /// minimum-norm fit (ridge = 0) or the asymptotic ridge risk; and the optimal-ridge risk.
    pub fn theory(&self, n: usize, p: usize) -> (Option<f64>, Option<f64>) {
        if self.family != Family::Gaussian {
            return (None, None);
        }
        let (seen, unseen) = self.signal_split(p);
        let s2 = self.noise * self.noise;
        let gamma = p as f64 / n as f64;
        let main =
            if self.ridge == 0.0 { theory::min_norm_exact(n, p, seen, unseen, s2) } else { theory::ridge_asymptotic(gamma, self.ridge, seen, unseen, s2) };
        (Some(main), Some(theory::optimal_ridge_risk(gamma, seen, unseen, s2)))
    }
}

/// `count` rows x ~ N(0, I_D) (each row's D coordinates, then its noise) with labels x·β + noise·ε.
fn gaussian_rows(count: usize, beta: &[f64], noise: f64, rng: &mut DdRng) -> (Array2<f64>, Vec<f64>) {
    let d = beta.len();
    let mut x = Array2::zeros((count, d).f());
    let mut y = Vec::with_capacity(count);
    for i in 0..count {
        let mut dot = 0.0;
        for (j, b) in beta.iter().enumerate() {
            let v = normal(rng);
            x[[i, j]] = v;
            dot += v * b;
        }
        let eps = normal(rng);
        y.push(dot + noise * eps);
    }
    (x, y)
}

/// One trial's numbers at every point of the sweep's x-axis.
#[derive(Debug, Clone)]
pub struct TrialOutput {
    /// Which trial.
    pub trial: usize,
    /// Training MSE per x.
    pub train_mse: Vec<f64>,
    /// Test MSE (Gaussian: exact excess risk) per x.
    pub test_mse: Vec<f64>,
    /// ‖β̂‖ per x.
    pub norm: Vec<f64>,
    /// Numerical rank per x (`None` with ridge > 0 on the incremental path).
    pub rank: Vec<Option<usize>>,
    /// Predictions at the m shared test rows, x-major (x index · m + row).
    pub preds: Vec<f64>,
}

impl TrialOutput {
    /// The output as one flat array (for passing from a Web Worker to the page):
    /// `[trial, count, m, train_mse…, test_mse…, norm…, rank… (−1: none), preds…]`.
    pub fn to_flat(&self) -> Vec<f64> {
        let mut v = self.flat_head();
        v.extend_from_slice(&self.preds);
        v
    }

    /// [`TrialOutput::to_flat`] without the predictions (which follow it): a worker copies the
    /// two parts straight into the array it sends, without building the whole array first.
    pub fn flat_head(&self) -> Vec<f64> {
        let k = self.test_mse.len();
        let m = self.preds.len().checked_div(k).unwrap_or(0);
        let mut v = Vec::with_capacity(3 + 4 * k);
        v.extend_from_slice(&[self.trial as f64, k as f64, m as f64]);
        v.extend_from_slice(&self.train_mse);
        v.extend_from_slice(&self.test_mse);
        v.extend_from_slice(&self.norm);
        v.extend(self.rank.iter().map(|r| r.map_or(-1.0, |x| x as f64)));
        v
    }

    /// Reads [`TrialOutput::to_flat`] back; `None` if the array is malformed.
    pub fn from_flat(v: &[f64]) -> Option<TrialOutput> {
        let (trial, k, m) = (*v.first()? as usize, *v.get(1)? as usize, *v.get(2)? as usize);
        let body = v.get(3..)?;
        if body.len() != k.checked_mul(4)?.checked_add(k.checked_mul(m)?)? {
            return None;
        }
        let part = |i: usize| body[i * k..(i + 1) * k].to_vec();
        Some(TrialOutput {
            trial,
            train_mse: part(0),
            test_mse: part(1),
            norm: part(2),
            rank: part(3).into_iter().map(|r| if r < 0.0 { None } else { Some(r as usize) }).collect(),
            preds: body[4 * k..].to_vec(),
        })
    }
}

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
        let gaussian = pr.family == Family::Gaussian;
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
        Accumulator::new(Axis::Size, self.sizes.clone(), self.test.target.clone(), theory)
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
        Accumulator::new(Axis::Samples, self.ns.clone(), self.test.target.clone(), theory)
    }
}

/// Grows the incremental path over the columns of `phi` (and `test_phi`, its rows the test
/// rows) up to the largest of `sizes` (increasing), calling `at(index, point)` at each size in
/// `sizes`. Stops early if the path cannot take a column (the sizes after it are not reported).
fn walk_path(phi: ArrayView2<f64>, y: &[f64], test_phi: &Array2<f64>, ridge: f64, sizes: &[usize], mut at: impl FnMut(usize, &PathPoint)) {
    let p_max = sizes.last().copied().unwrap_or(0).min(phi.ncols()).min(test_phi.ncols());
    let Ok(mut path) = MinNormPath::new(y, test_phi.nrows(), ridge, p_max) else { return };
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
fn column(a: ArrayView2<'_, f64>, j: usize) -> std::borrow::Cow<'_, [f64]> {
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
fn own_trial<F>(pr: &Problem, trial: usize, xs: &[usize], p: usize, fit: F) -> TrialOutput
where
    F: Fn(&Array2<f64>, &[f64], &Array2<f64>, &mut dyn FnMut(usize, f64, &[f64], f64, Option<usize>)),
{
    let k = xs.len();
    let mut out = TrialOutput { trial, train_mse: vec![0.0; k], test_mse: vec![0.0; k], norm: vec![0.0; k], rank: vec![None; k], preds: Vec::new() };
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

/// One row of a sweep's result (CSV columns, in this order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    /// Model size (size sweep) or training points (sample sweep).
    pub x: usize,
    /// Mean training MSE over trials.
    pub train_mse_mean: f64,
    /// Median training MSE.
    pub train_mse_median: f64,
    /// Mean test MSE (+∞ if any trial's is infinite).
    pub test_mse_mean: f64,
    /// Median test MSE.
    pub test_mse_median: f64,
    /// First quartile of the test MSE.
    pub test_mse_q25: f64,
    /// Third quartile of the test MSE.
    pub test_mse_q75: f64,
    /// Mean ‖β̂‖.
    pub norm_mean: f64,
    /// Median ‖β̂‖.
    pub norm_median: f64,
    /// Bias² over the shared test points.
    pub bias2: f64,
    /// Variance over trials, averaged over the shared test points.
    pub variance: f64,
    /// Smallest numerical rank over trials (`None` with ridge > 0).
    pub rank_min: Option<usize>,
    /// Trials whose numbers were not finite (left out of bias² and variance).
    pub nonfinite: usize,
    /// Theory curve (Gaussian family).
    pub theory: Option<f64>,
    /// Asymptotic risk at the optimal ridge penalty (Gaussian family).
    pub theory_optimal_ridge: Option<f64>,
}

/// A sweep's summary so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// What the x column is.
    pub axis: Axis,
    /// Trials folded in.
    pub trials: usize,
    /// One row per x.
    pub rows: Vec<SweepRow>,
}

/// Numbers per row in [`SweepResult::to_flat`].
const FLAT_ROW: usize = 15;

impl SweepResult {
    /// The result as one flat array of numbers (for passing between a Web Worker and the page
    /// without JSON, which cannot carry ∞ or NaN): `[axis, trials, rows, then 15 numbers a
    /// row]`, with −1 for a missing rank and NaN for a missing theory value.
    pub fn to_flat(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(3 + FLAT_ROW * self.rows.len());
        v.push(if self.axis == Axis::Size { 0.0 } else { 1.0 });
        v.push(self.trials as f64);
        v.push(self.rows.len() as f64);
        for r in &self.rows {
            v.extend_from_slice(&[
                r.x as f64,
                r.train_mse_mean,
                r.train_mse_median,
                r.test_mse_mean,
                r.test_mse_median,
                r.test_mse_q25,
                r.test_mse_q75,
                r.norm_mean,
                r.norm_median,
                r.bias2,
                r.variance,
                r.rank_min.map_or(-1.0, |k| k as f64),
                r.nonfinite as f64,
                r.theory.unwrap_or(f64::NAN),
                r.theory_optimal_ridge.unwrap_or(f64::NAN),
            ]);
        }
        v
    }

    /// Reads [`SweepResult::to_flat`] back; `None` if the array is malformed.
    pub fn from_flat(v: &[f64]) -> Option<SweepResult> {
        let axis = match v.first()? {
            a if *a == 0.0 => Axis::Size,
            a if *a == 1.0 => Axis::Samples,
            _ => return None,
        };
        let trials = *v.get(1)? as usize;
        let count = *v.get(2)? as usize;
        let body = v.get(3..)?;
        if body.len() != count.checked_mul(FLAT_ROW)? {
            return None;
        }
        let opt = |x: f64| if x.is_nan() { None } else { Some(x) };
        let rows = body
            .chunks_exact(FLAT_ROW)
            .map(|c| SweepRow {
                x: c[0] as usize,
                train_mse_mean: c[1],
                train_mse_median: c[2],
                test_mse_mean: c[3],
                test_mse_median: c[4],
                test_mse_q25: c[5],
                test_mse_q75: c[6],
                norm_mean: c[7],
                norm_median: c[8],
                bias2: c[9],
                variance: c[10],
                rank_min: if c[11] < 0.0 { None } else { Some(c[11] as usize) },
                nonfinite: c[12] as usize,
                theory: opt(c[13]),
                theory_optimal_ridge: opt(c[14]),
            })
            .collect();
        Some(SweepResult { axis, trials, rows })
    }
}

/// Folds trials, in order, into per-x summaries.
#[derive(Debug, Clone)]
pub struct Accumulator {
    axis: Axis,
    xs: Vec<usize>,
    target: Vec<f64>,
    theory: Vec<(Option<f64>, Option<f64>)>,
    moments: Vec<RunningMoments>,
    train: Vec<Vec<f64>>,
    test: Vec<Vec<f64>>,
    norm: Vec<Vec<f64>>,
    rank_min: Vec<Option<usize>>,
    nonfinite: Vec<usize>,
    trials: usize,
}

impl Accumulator {
    fn new(axis: Axis, xs: Vec<usize>, target: Vec<f64>, theory: Vec<(Option<f64>, Option<f64>)>) -> Accumulator {
        let k = xs.len();
        let m = target.len();
        Accumulator {
            axis,
            xs,
            target,
            theory,
            moments: (0..k).map(|_| RunningMoments::new(m)).collect(),
            train: vec![Vec::new(); k],
            test: vec![Vec::new(); k],
            norm: vec![Vec::new(); k],
            rank_min: vec![None; k],
            nonfinite: vec![0; k],
            trials: 0,
        }
    }

    /// Folds in one trial (call in trial order for reproducible numbers).
    pub fn add(&mut self, out: &TrialOutput) {
        self.fold(&out.train_mse, &out.test_mse, &out.norm, &|i| out.rank[i], &out.preds);
    }

    /// Folds in one trial in its flat form ([`TrialOutput::to_flat`]) without copying it into a
    /// [`TrialOutput`] first — the same numbers as [`Accumulator::add`]. Returns `false`, and
    /// folds nothing, if the array is malformed.
    pub fn add_flat(&mut self, v: &[f64]) -> bool {
        let count = |x: f64| (x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64).then_some(x as usize);
        let (Some(k), Some(m)) = (v.get(1).copied().and_then(count), v.get(2).copied().and_then(count)) else { return false };
        if k > self.xs.len() {
            return false;
        }
        let body = v.get(3..).unwrap_or(&[]);
        let sized = k.checked_mul(4).zip(k.checked_mul(m)).and_then(|(a, b)| a.checked_add(b));
        if sized != Some(body.len()) || (k > 0 && m != self.target.len()) {
            return false;
        }
        let part = |i: usize| &body[i * k..(i + 1) * k];
        let ranks = part(3);
        self.fold(part(0), part(1), part(2), &|i| (ranks[i] >= 0.0).then_some(ranks[i] as usize), &body[4 * k..]);
        true
    }

    // One copy of the loop for both forms (the rank of size i comes through `rank`).
    fn fold(&mut self, train: &[f64], test: &[f64], norm: &[f64], rank: &dyn Fn(usize) -> Option<usize>, preds: &[f64]) {
        self.trials += 1;
        let m = self.target.len();
        for i in 0..test.len().min(self.xs.len()) {
            let preds = &preds[i * m..(i + 1) * m];
            let finite = test[i].is_finite() && train[i].is_finite() && preds.iter().all(|v| v.is_finite());
            if finite {
                self.moments[i].add(preds);
            } else {
                self.nonfinite[i] += 1;
            }
            self.train[i].push(train[i]);
            self.test[i].push(test[i]);
            self.norm[i].push(norm[i]);
            if let Some(r) = rank(i) {
                self.rank_min[i] = Some(self.rank_min[i].map_or(r, |q| q.min(r)));
            }
        }
    }

    /// Trials folded in so far.
    pub fn trials(&self) -> usize {
        self.trials
    }

    /// The summary so far.
    pub fn result(&self) -> SweepResult {
        let m = self.target.len();
        let rows = (0..self.xs.len())
            .map(|i| {
                let mom = &self.moments[i];
                let (mut bias2, mut variance) = (f64::NAN, f64::NAN);
                if mom.count() > 0 {
                    let fbar = mom.mean();
                    bias2 = fbar.iter().zip(&self.target).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / m as f64;
                    variance = (0..m).map(|j| mom.variance(j)).sum::<f64>() / m as f64;
                }
                SweepRow {
                    x: self.xs[i],
                    train_mse_mean: mean(&self.train[i]),
                    train_mse_median: quantile(&self.train[i], 0.5),
                    test_mse_mean: mean(&self.test[i]),
                    test_mse_median: quantile(&self.test[i], 0.5),
                    test_mse_q25: quantile(&self.test[i], 0.25),
                    test_mse_q75: quantile(&self.test[i], 0.75),
                    norm_mean: mean(&self.norm[i]),
                    norm_median: quantile(&self.norm[i], 0.5),
                    bias2,
                    variance,
                    rank_min: self.rank_min[i],
                    nonfinite: self.nonfinite[i],
                    theory: self.theory[i].0,
                    theory_optimal_ridge: self.theory[i].1,
                }
            })
            .collect();
        SweepResult { axis: self.axis, trials: self.trials, rows }
    }
}

/// Runs every trial of a sweep on this thread, in order.
pub fn run_sequential(sweep: &dyn Sweep) -> SweepResult {
    let mut acc = sweep.accumulator();
    for t in 0..sweep.trials() {
        acc.add(&sweep.run_trial(t));
    }
    acc.result()
}

/// The fit panel's picture of one model: trial `trial`'s data and fitted curve at `size`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitView {
    /// Model size.
    pub size: usize,
    /// Training inputs (1-D families).
    pub train_x: Vec<f64>,
    /// Training labels.
    pub train_y: Vec<f64>,
    /// Fresh noisy points the model never saw (1-D families): inputs.
    pub new_x: Vec<f64>,
    /// Fresh noisy points: labels.
    pub new_y: Vec<f64>,
    /// Evaluation grid on [−1, 1].
    pub grid_x: Vec<f64>,
    /// Noiseless target on the grid.
    pub target: Vec<f64>,
    /// Fitted curve on the grid.
    pub fitted: Vec<f64>,
    /// Other trials' fitted curves on the grid (none for the Gaussian family).
    pub others: Vec<Vec<f64>>,
    /// Fitted coefficients β̂ (Gaussian family), else empty.
    pub coef: Vec<f64>,
    /// True coefficients β*_T (Gaussian family), else empty.
    pub beta_star: Vec<f64>,
    /// Whether the data is your own: `new_x`/`new_y` are then the held-out points of this
    /// trial's split, and there is no noiseless target.
    pub own: bool,
    /// Training MSE of this fit.
    pub train_mse: f64,
    /// Numerical rank of the design as the solver decided it (`None` with ridge > 0).
    pub rank: Option<usize>,
}

/// Fits trial `trial`'s model of `size` and evaluates it on `grid` points across [−1, 1], with
/// `others` further trials' curves for context. With your own data the model is fitted to the
/// first `problem.n` points of the trial's training split (all of them when `n` ≥
/// [`Problem::train_n`]) and the new points are the split's held-out points.
pub fn fit_view(problem: &Problem, size: usize, trial: usize, grid: usize, others: usize) -> Result<FitView> {
    fit_view_paths(problem, size, size, trial, grid, others, &mut Vec::new(), false)
}

/// One trial's fits at every size up to a largest, grown the way a sweep grows its path: the
/// fit panel's model is fitted by the sweep's own solver, so the fit shown is the one whose
/// errors the curves plot, with the same rank decisions. Its test rows are the panel's grid, or
/// for the Gaussian family the unit vectors, whose predictions are β̂ itself (one buffer with a
/// single 1 moved along: m·n numbers of the solver's memory, never m²). Kept for redraws, the
/// path is copied every `step` features, and a change of size restarts from the nearest copy at
/// or below it (or from scratch) when that is closer than the path as it stands: a few features
/// a frame while the pointer moves along the curves, instead of the whole model — and the
/// numbers are those of a fit grown from scratch, to the bit.
pub struct FitPath {
    problem: Problem,
    trial: usize,
    grid: usize,
    train: TrainSet,
    rows: Option<Array2<f64>>,
    unit: Vec<f64>,
    m: usize,
    ridge: f64,
    step: usize,
    keep: usize,
    // The path at sizes step, 2·step, … (at most `keep` of them, none at the largest size).
    marks: Vec<MinNormPath>,
    now: MinNormPath,
}

impl FitPath {
    /// The fits of trial `trial` at sizes up to `max`, at `grid_x` (1-D families) or at the unit
    /// vectors (Gaussian); with `kept`, copies of the path are kept for later sizes (at most 8,
    /// at most about 8 MB, besides the design itself), without it none.
    pub fn new(problem: &Problem, trial: usize, grid_x: &[f64], max: usize, kept: bool) -> Result<FitPath> {
        let train = problem.train_set(trial, problem.n, max);
        if train.phi.iter().chain(&train.y).any(|v| !v.is_finite()) {
            return Err(EngineError::NonFinite("every feature and label"));
        }
        let rows = problem.features(trial, max).map(|map| map.design(grid_x, max));
        let m = rows.as_ref().map_or(max, |r| r.nrows());
        let now = MinNormPath::new(&train.y, m, problem.ridge, max)?;
        // A copy holds L (n²), T (m·n), Q (up to n²) and, with ridge > 0, every pushed column.
        let n = train.y.len();
        let bytes = 8 * (m * n + 2 * n * n + n + if problem.ridge > 0.0 { max * n } else { 0 });
        let keep = if kept { ((8 << 20) / bytes.max(1)).min(8) } else { 0 };
        let step = max.div_ceil(keep + 1).max(16);
        let unit = vec![0.0; if rows.is_some() { 0 } else { m }];
        Ok(FitPath { problem: problem.clone(), trial, grid: grid_x.len(), train, rows, unit, m, ridge: problem.ridge, step, keep, marks: Vec::new(), now })
    }

    /// The largest size.
    fn max(&self) -> usize {
        self.train.phi.ncols()
    }

    /// The fit of `size` features (at most the largest).
    pub fn point(&mut self, size: usize) -> Result<PathPoint> {
        let size = size.min(self.max());
        // The nearest copy at or below `size` (0: none), if closer than the path as it stands.
        let mark = (size / self.step).min(self.marks.len());
        if size < self.now.size() || mark * self.step > self.now.size() {
            self.now = match mark {
                0 => MinNormPath::new(&self.train.y, self.m, self.ridge, self.max())?,
                k => self.marks[k - 1].clone(),
            };
        }
        while self.now.size() < size {
            let j = self.now.size();
            let col = column(self.train.phi.view(), j);
            match &self.rows {
                Some(rows) => self.now.push(&col, &column(rows.view(), j))?,
                None => {
                    self.unit[j] = 1.0;
                    let pushed = self.now.push(&col, &self.unit);
                    self.unit[j] = 0.0;
                    pushed?;
                }
            }
            let s = j + 1;
            if s % self.step == 0 && s / self.step == self.marks.len() + 1 && self.marks.len() < self.keep && s < self.max() {
                self.marks.push(self.now.clone());
            }
        }
        Ok(self.now.point())
    }
}

/// [`fit_view`] with the fits kept in `paths` (those of trials `trial`, `trial` + 1, …, filled
/// in as needed) for any size up to `max` (the sweep's largest; a larger `size` raises it):
/// while only the size changes, a redraw costs only the features between the nearest kept copy
/// and the new size. Kept fits of another problem, trial, grid or a smaller largest size are
/// dropped and fitted anew.
pub fn fit_view_kept(problem: &Problem, size: usize, max: usize, trial: usize, grid: usize, others: usize, paths: &mut Vec<FitPath>) -> Result<FitView> {
    fit_view_paths(problem, size, max, trial, grid, others, paths, true)
}

#[allow(clippy::too_many_arguments)]
fn fit_view_paths(
    problem: &Problem,
    size: usize,
    max: usize,
    trial: usize,
    grid: usize,
    others: usize,
    paths: &mut Vec<FitPath>,
    kept: bool,
) -> Result<FitView> {
    let max = max.max(size);
    problem.validate(max)?;
    check_count("size", size, 1, max)?;
    check_count("grid points", grid, 2, 100_000)?;
    let grid_x: Vec<f64> = (0..grid).map(|i| -1.0 + 2.0 * i as f64 / (grid - 1) as f64).collect();
    let gaussian = problem.family == Family::Gaussian;
    // Other trials' curves: none for the Gaussian family, which draws coefficients.
    let count = 1 + if gaussian { 0 } else { others };
    let fits = paths.iter().enumerate().position(|(k, p)| p.problem != *problem || p.trial != trial + k || p.grid != grid || p.max() < max);
    if let Some(k) = fits {
        paths.truncate(k);
    }
    while paths.len() < count {
        paths.push(FitPath::new(problem, trial + paths.len(), &grid_x, max, kept)?);
    }
    let mut points = Vec::with_capacity(count);
    for path in &mut paths[..count] {
        points.push(path.point(size)?);
    }
    let mut points = points.into_iter();
    let fit = points.next().ok_or_else(|| EngineError::Insufficient("a fit is needed".into()))?;
    let other_curves: Vec<Vec<f64>> = points.map(|p| p.test_pred).collect();
    let (fitted, coef) = if gaussian { (Vec::new(), fit.test_pred[..size].to_vec()) } else { (fit.test_pred, Vec::new()) };
    let train = &paths[0].train;
    let own = problem.data.as_ref();
    let (new_x, new_y) = if let Some(d) = own {
        let (_, held) = problem.folds_of(trial).fold(0);
        (held.iter().map(|&i| d.x[i]).collect(), held.iter().map(|&i| d.y[i]).collect())
    } else if gaussian {
        (Vec::new(), Vec::new())
    } else {
        let mut rng = trial_stream(problem.seed, trial, 2);
        let d = Dataset::draw(problem.n, problem.target, problem.x_dist, problem.noise, &mut rng);
        (d.x, d.y)
    };
    Ok(FitView {
        size,
        train_x: train.x.clone(),
        train_y: train.y.clone(),
        new_x,
        new_y,
        target: if gaussian || own.is_some() { Vec::new() } else { grid_x.iter().map(|&x| problem.target.eval(x)).collect() },
        grid_x: if gaussian { Vec::new() } else { grid_x },
        fitted,
        others: other_curves,
        coef,
        beta_star: if gaussian { problem.beta_star()[..size].to_vec() } else { Vec::new() },
        own: own.is_some(),
        train_mse: fit.train_mse,
        rank: fit.rank,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;
    use crate::solve::Ridge;
    use ndarray::Array1;

    fn legendre(n: usize) -> Problem {
        Problem {
            family: Family::Legendre,
            target: Target::Runge,
            x_dist: XDist::Uniform,
            n,
            noise: 0.05,
            ridge: 0.0,
            smoothness: 1.0,
            bandwidth: 10.0,
            dim: 100,
            decay: 0.0,
            test: 200,
            seed: 1,
            data: None,
            eval: Eval::Split,
            folds: 5,
        }
    }

    fn own(points: usize, eval: Eval, folds: usize) -> Problem {
        let mut rng = stream(9, 3);
        let d = Dataset::draw(points, Target::Sin, XDist::Uniform, 0.1, &mut rng);
        Problem { family: Family::Relu, data: Some(d), eval, folds, ..legendre(points) }
    }

    /// The reference: trial `t`'s folds fitted one by one with the SVD pseudo-inverse fit.
    fn own_reference(pr: &Problem, trial: usize, p: usize) -> (f64, f64) {
        own_reference_n(pr, trial, p, usize::MAX)
    }

    /// [`own_reference`] with each fold's model fitted to its first `n` training points.
    fn own_reference_n(pr: &Problem, trial: usize, p: usize, n: usize) -> (f64, f64) {
        let d = pr.data.as_ref().unwrap_or_else(|| panic!("no data"));
        let folds = pr.folds_of(trial);
        let map = pr.features(trial, p).unwrap_or_else(|| panic!("1-D"));
        let (mut sse, mut held_total, mut train) = (0.0, 0, 0.0);
        for j in 0..folds.count() {
            let (tr, he) = folds.fold(j);
            let tr = &tr[..n.min(tr.len())];
            let tx: Vec<f64> = tr.iter().map(|&i| d.x[i]).collect();
            let ty: Vec<f64> = tr.iter().map(|&i| d.y[i]).collect();
            let hx: Vec<f64> = he.iter().map(|&i| d.x[i]).collect();
            let f = Ridge { ridge: pr.ridge }.fit(map.design(&tx, p).view(), Array1::from(ty).view()).unwrap_or_else(|e| panic!("{e}"));
            let pred = f.predict(map.design(&hx, p).view());
            sse += he.iter().zip(pred.iter()).map(|(&i, v)| (v - d.y[i]).powi(2)).sum::<f64>();
            held_total += he.len();
            train += f.train_mse;
        }
        (train / folds.count() as f64, sse / held_total as f64)
    }

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
    fn own_data_refuses_what_it_cannot_do_naming_the_parameter() {
        let msg = |p: Problem| p.validate(10).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(Problem { family: Family::Gaussian, ..own(20, Eval::Split, 4) }).starts_with("family must be legendre, relu or fourier"));
        assert!(msg(own(3, Eval::KFold, 4)).starts_with("points must be between 4 and"));
        assert!(msg(own(20, Eval::KFold, 11)).starts_with("folds must be an integer from 2 to 10"));
        let mut bad = own(20, Eval::Split, 4);
        if let Some(d) = bad.data.as_mut() {
            d.x[3] = 2.0;
        }
        assert!(msg(bad).contains("point 4 has x = 2 is out of range"));
    }

    #[test]
    fn mean_test_error_equals_bias_squared_plus_variance() {
        let sw = SizeSweep::new(legendre(20), 30, Grid::Every, 8).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(&sw);
        for row in &r.rows {
            let sum = row.bias2 + row.variance;
            assert!((sum - row.test_mse_mean).abs() <= 1e-9 * row.test_mse_mean.max(1e-12), "{row:?}");
        }
    }

    #[test]
    fn flat_form_round_trips_including_infinities_and_missing_values() {
        let p = Problem { family: Family::Gaussian, dim: 30, ..legendre(10) };
        let sw = SizeSweep::new(p, 30, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(&sw);
        assert!(r.rows.iter().any(|row| row.theory == Some(f64::INFINITY)));
        let back = SweepResult::from_flat(&r.to_flat()).unwrap_or_else(|| panic!("malformed"));
        assert_eq!(format!("{back:?}"), format!("{r:?}"));
        assert!(SweepResult::from_flat(&[0.0, 1.0, 2.0, 3.0]).is_none());
        let out = sw.run_trial(1);
        let back = TrialOutput::from_flat(&out.to_flat()).unwrap_or_else(|| panic!("malformed"));
        assert_eq!(format!("{back:?}"), format!("{out:?}"));
        assert!(TrialOutput::from_flat(&[1.0, 2.0, 3.0, 4.0]).is_none());
    }

    #[test]
    fn the_fit_panel_shows_the_svd_pseudo_inverse_fit_below_at_and_past_the_threshold() {
        let relu = Problem { family: Family::Relu, target: Target::Sin, noise: 0.2, ..legendre(30) };
        let cases = [
            (legendre(20), vec![1, 5, 19, 20, 21, 60]),
            (relu.clone(), vec![10, 29, 30, 31, 120]),
            (Problem { ridge: 1e-3, ..relu }, vec![10, 30, 120]),
            (Problem { family: Family::Fourier, bandwidth: 20.0, ..legendre(25) }, vec![12, 25, 26, 80]),
            (Problem { family: Family::Gaussian, dim: 80, ..legendre(20) }, vec![5, 19, 20, 21, 80]),
            (own(40, Eval::Split, 5), vec![8, 31, 32, 33, 90]),
        ];
        let mut worst: f64 = 0.0;
        for (pr, sizes) in cases {
            for size in sizes {
                let v = fit_view(&pr, size, 0, 50, 1).unwrap_or_else(|e| panic!("{e}"));
                // The independent reference: an SVD of the same design, evaluated at the same rows.
                let train = pr.train_set(0, pr.n, size);
                let f = Ridge { ridge: pr.ridge }.fit(train.phi.view(), Array1::from(train.y.clone()).view()).unwrap_or_else(|e| panic!("{e}"));
                let (got, want) = match pr.features(0, size) {
                    Some(map) => (&v.fitted, f.predict(map.design(&v.grid_x, size).view()).to_vec()),
                    None => (&v.coef, f.coef.to_vec()),
                };
                assert_eq!(got.len(), want.len());
                let scale = 1.0 + want.iter().map(|x| x.abs()).fold(0.0, f64::max);
                let err = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max) / scale;
                worst = worst.max(err);
                assert!(err < 1e-6, "{:?} size {size}: off by {err:e} of the scale", pr.family);
                assert!((v.train_mse - f.train_mse).abs() <= 1e-7 * (1.0 + f.train_mse), "{:?} size {size}", pr.family);
                if pr.ridge == 0.0 {
                    assert_eq!(v.rank, Some(f.rank), "{:?} size {size}", pr.family);
                }
                assert_eq!(v.others.len(), if pr.family == Family::Gaussian { 0 } else { 1 });
            }
        }
        eprintln!("largest difference from the SVD fit: {worst:e} of the scale");
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
    fn kept_fits_give_the_numbers_of_fits_from_scratch_whichever_way_the_size_moves() {
        let relu = Problem { family: Family::Relu, target: Target::Sin, noise: 0.2, ..legendre(30) };
        // (problem, largest size, grid, other trials); the last has copies of 3.8 MB, so only
        // two are kept, 34 features apart (not dividing the largest size).
        let cases = [
            (relu.clone(), 120, 60, 2),
            (Problem { ridge: 1e-3, ..relu.clone() }, 90, 60, 2),
            (Problem { family: Family::Gaussian, dim: 120, ..legendre(20) }, 100, 60, 3),
            (own(40, Eval::KFold, 4), 80, 60, 1),
            (Problem { n: 200, ..relu.clone() }, 100, 2000, 0),
        ];
        for (pr, max, grid, others) in cases {
            let mut kept = Vec::new();
            // Up, down across kept copies, to the largest, back to 1, up past copies, steps of one.
            for size in [5, 40, 17, 16, 15, max, 1, 33, 34, 35, 32, 64, 63, max - 1, 20, 70, 69, 3, 99.min(max)] {
                let a = fit_view_kept(&pr, size, max, 0, grid, others, &mut kept).unwrap_or_else(|e| panic!("{e}"));
                let b = fit_view(&pr, size, 0, grid, others).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{:?} size {size}", pr.family);
                for path in &kept {
                    assert!(path.marks.len() <= path.keep && path.keep <= 8);
                    for (i, mark) in path.marks.iter().enumerate() {
                        assert_eq!(mark.size(), (i + 1) * path.step);
                        assert!(mark.size() < path.max());
                    }
                }
            }
            if grid == 2000 {
                assert_eq!((kept[0].keep, kept[0].step), (2, 34));
            }
            // Another trial, grid, largest size, number of other trials or problem on the same
            // kept fits.
            let reseeded = Problem { seed: 2, ..pr.clone() };
            for (pr, size, mx, trial, g, o) in [
                (&pr, 20, max, 1, grid, others),
                (&pr, 20, max, 1, 50, others),
                (&pr, 30, max + 10, 1, 50, others),
                (&pr, 25, max + 10, 1, 50, others + 1),
                (&pr, 24, max + 10, 1, 50, 0),
                (&reseeded, 24, max + 10, 1, 50, others),
            ] {
                let a = fit_view_kept(pr, size, mx, trial, g, o, &mut kept).unwrap_or_else(|e| panic!("{e}"));
                let b = fit_view(pr, size, trial, g, o).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{:?} size {size} trial {trial} grid {g}", pr.family);
            }
        }
        assert!(fit_view(&relu, 0, 0, 60, 0).is_err());
    }

    #[test]
    fn the_fit_panel_shows_the_model_whose_errors_the_sweep_plots() {
        // Where the design is numerically rank deficient (low-frequency Fourier features, nearly
        // collinear), which directions count is the solver's decision: the fit shown must be
        // the sweep's own model, with its training error and rank, at every size.
        let fourier = Problem { family: Family::Fourier, bandwidth: 5.0, ..legendre(25) };
        let relu = Problem { family: Family::Relu, target: Target::Sin, ..legendre(30) };
        for pr in [fourier, relu, Problem { ridge: 1e-2, ..legendre(20) }] {
            let sw = SizeSweep::new(pr.clone(), 60, Grid::Every, 1).unwrap_or_else(|e| panic!("{e}"));
            let out = sw.run_trial(0);
            for (i, &size) in sw.sizes().iter().enumerate() {
                let v = fit_view(&pr, size, 0, 30, 0).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(v.train_mse.to_bits(), out.train_mse[i].to_bits(), "{:?} size {size}", pr.family);
                assert_eq!(v.rank, out.rank[i], "{:?} size {size}", pr.family);
            }
        }
    }

    #[test]
    fn folding_the_flat_form_gives_the_same_numbers_as_folding_the_trial() {
        for p in [Problem { family: Family::Gaussian, dim: 30, ..legendre(10) }, Problem { noise: 0.5, ..legendre(12) }] {
            let sw = SizeSweep::new(p, 30, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
            let (mut a, mut b) = (sw.accumulator(), sw.accumulator());
            for t in 0..3 {
                let out = sw.run_trial(t);
                a.add(&out);
                assert!(b.add_flat(&out.to_flat()));
            }
            assert_eq!(format!("{:?}", a.result()), format!("{:?}", b.result()));
        }
    }

    #[test]
    fn a_malformed_flat_trial_is_refused_and_changes_nothing() {
        let sw = SizeSweep::new(legendre(10), 12, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}"));
        let mut acc = sw.accumulator();
        let good = sw.run_trial(0).to_flat();
        let mut wrong_m = good.clone();
        wrong_m[2] += 1.0;
        let mut too_many = good.clone();
        too_many[1] = 13.0;
        // Headers the body agrees with, but not the sweep: one test point fewer (folding it would
        // read past the end) or more, and more sizes than the sweep has.
        let (k, m) = (good[1] as usize, good[2] as usize);
        let sized = |k: usize, m: usize| [vec![0.0, k as f64, m as f64], vec![0.5; 4 * k + k * m]].concat();
        for bad in [
            vec![],
            vec![0.0, 1.0],
            good[..good.len() - 1].to_vec(),
            wrong_m,
            too_many,
            vec![0.0, f64::NAN, 2.0],
            vec![0.0, 1.5, 2.0],
            vec![0.0, 1e30, 1e30],
            sized(k, m - 1),
            sized(k, m + 1),
            sized(k + 1, m),
        ] {
            assert!(!acc.add_flat(&bad), "{:?}", &bad[..bad.len().min(4)]);
        }
        assert_eq!(acc.trials(), 0);
        assert!(acc.add_flat(&good));
        assert_eq!(acc.trials(), 1);
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
    fn log_grid_keeps_the_threshold_and_the_largest_size() {
        let g = Grid::Log.sizes(600, 30);
        assert!(g.contains(&30) && g.contains(&1) && g.contains(&600));
        assert!(g.windows(2).all(|w| w[0] < w[1]));
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
