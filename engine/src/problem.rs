//! The problem a sweep runs: the data-generating process and the fit ([`Problem`]), its
//! validation against the engine's hard [`limits`], and each trial's draws from its own named
//! streams of the seed ([`crate::rng::Stream`]): the training set ([`TrainSet`]), the features
//! and the test set all trials share ([`TestSet`]).

use ndarray::{s, Array2, ShapeBuilder};
use serde::{Deserialize, Serialize};

use super::data::{Dataset, Target, XDist};
use super::error::{EngineError, Result};
use super::features::{gaussian_beta, Family, FeatureMap};
use super::own::{self, Eval, Folds};
use super::rng::{normal, DdRng, Stream};
use super::solve::check_ridge;
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
    /// Gaussian family, two-speed features: the first `fast` coordinates at scale 1 and the rest
    /// at scale 1/`kappa`, the teacher's weights on those scaled up by `kappa` so that both groups
    /// carry the signal they had (0: every coordinate at scale 1).
    pub fast: usize,
    /// The slow coordinates' scale is 1/κ (κ ≥ 1).
    pub kappa: f64,
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

/// An [`EngineError::OutOfRange`] naming the parameter, what it allows and what it got.
// Not inlined: the page's wasm carries one copy, not one per check.
#[inline(never)]
pub(crate) fn out_of_range(name: &'static str, allowed: String, got: impl ToString) -> EngineError {
    EngineError::OutOfRange { name, allowed, got: got.to_string() }
}

/// Checks that the count `v` of `name` lies in `lo..=hi`.
// Not inlined: the page's wasm carries one copy, not one per check.
#[inline(never)]
pub(crate) fn check_count(name: &'static str, v: usize, lo: usize, hi: usize) -> Result<()> {
    if v < lo || v > hi {
        return Err(out_of_range(name, format!("an integer from {lo} to {hi}"), v));
    }
    Ok(())
}

/// Checks that the number `v` of `name` is finite and lies in `lo..=hi`.
// Not inlined: the page's wasm carries one copy, not one per check.
#[inline(never)]
pub(crate) fn check_real(name: &'static str, v: f64, lo: f64, hi: f64) -> Result<()> {
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
        if self.family == Family::Linear {
            return Err(out_of_range("family", "legendre, relu, fourier or gaussian (linear is of data=digits or a table)".into(), "linear"));
        }
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
        check_real("kappa", self.kappa, 1.0, 1e4)?;
        if self.fast > 0 && self.family != Family::Gaussian {
            return Err(out_of_range("fast", "0 unless the family is gaussian (two-speed features are of its coordinates)".into(), self.fast));
        }
        if self.fast > self.dim {
            return Err(out_of_range("fast", format!("at most dim = {}", self.dim), self.fast));
        }
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
    pub(crate) fn test_rows(&self) -> usize {
        if self.data.is_some() {
            0
        } else {
            self.test
        }
    }

    /// Trial `trial`'s split of your own points into folds.
    pub fn folds_of(&self, trial: usize) -> Folds {
        let mut rng = Stream::Data.rng(self.seed, trial);
        Folds::draw(self.points(), self.folds, self.eval, &mut rng)
    }

    /// Checks that `points` evaluated sizes (or sample sizes) with `test` predictions each fit the
    /// per-trial memory bound.
    pub(crate) fn check_points(&self, points: usize) -> Result<()> {
        if points.saturating_mul(self.test_rows()) > limits::TRIAL_ENTRIES {
            return Err(out_of_range(
                "test",
                format!("small enough that test × the sizes evaluated ({points}) stays under {}; try grid=log", limits::TRIAL_ENTRIES),
                self.test,
            ));
        }
        Ok(())
    }

    /// Whether the gaussian family's features are two-speed (some coordinates at scale 1/κ).
    pub fn two_speed(&self) -> bool {
        self.family == Family::Gaussian && self.fast > 0 && self.fast < self.dim && self.kappa != 1.0
    }

    /// Each gaussian coordinate's scale: 1, or 1/κ past the first `fast` of two-speed features.
    pub fn scales(&self) -> Vec<f64> {
        let two = self.two_speed();
        (0..self.dim).map(|j| if two && j >= self.fast { 1.0 / self.kappa } else { 1.0 }).collect()
    }

    /// The Gaussian family's true coefficients in its features' coordinates: unit norm, the slow
    /// ones of two-speed features scaled up by κ (so a slow feature carries the signal its
    /// coordinate had).
    pub fn beta_star(&self) -> Vec<f64> {
        let mut b = gaussian_beta(self.dim, self.decay);
        for (v, s) in b.iter_mut().zip(self.scales()) {
            *v /= s;
        }
        b
    }

    /// The features of trial `trial` (1-D families; `None` for the Gaussian family).
    pub fn features(&self, trial: usize, size: usize) -> Option<FeatureMap> {
        let mut rng = Stream::Features.rng(self.seed, trial);
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
        let mut rng = Stream::Data.rng(self.seed, trial);
        match self.features(trial, size) {
            Some(f) => {
                let d = Dataset::draw(n, self.target, self.x_dist, self.noise, &mut rng);
                TrainSet { phi: f.design(&d.x, size), y: d.y, x: d.x }
            }
            None => {
                let beta = self.beta_star();
                let (x, y) = gaussian_rows(n, &beta, &self.scales(), self.noise, &mut rng);
                TrainSet { phi: x.slice(s![.., ..size]).to_owned(), y, x: Vec::new() }
            }
        }
    }

    /// The shared test set with the first `size` features.
    pub fn test_set(&self, size: usize) -> TestSet {
        if self.data.is_some() {
            return TestSet { phi: Array2::zeros((0, size).f()), target: Vec::new(), x: Vec::new() };
        }
        let mut rng = Stream::Test.rng(self.seed, 0);
        match self.features(0, size) {
            Some(f) => {
                let x: Vec<f64> = (0..self.test).map(|_| self.x_dist.sample(&mut rng)).collect();
                let target = x.iter().map(|&v| self.target.eval(v)).collect();
                TestSet { phi: f.design(&x, size), target, x }
            }
            None => {
                let beta = self.beta_star();
                let (x, target) = gaussian_rows(self.test, &beta, &self.scales(), 0.0, &mut rng);
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
    pub(crate) fn test_design<'a>(&self, shared: &'a TestSet, trial: usize, size: usize) -> std::borrow::Cow<'a, Array2<f64>> {
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
        // The theory is of isotropic coordinates: none for two-speed features.
        if self.family != Family::Gaussian || self.two_speed() {
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

/// `count` rows x = scales ⊙ z with z ~ N(0, I_D) (each row's D coordinates, then its noise) and
/// labels x·β + noise·ε.
fn gaussian_rows(count: usize, beta: &[f64], scales: &[f64], noise: f64, rng: &mut DdRng) -> (Array2<f64>, Vec<f64>) {
    let d = beta.len();
    let mut x = Array2::zeros((count, d).f());
    let mut y = Vec::with_capacity(count);
    for i in 0..count {
        let mut dot = 0.0;
        for (j, (b, s)) in beta.iter().zip(scales).enumerate() {
            let v = normal(rng) * s;
            x[[i, j]] = v;
            dot += v * b;
        }
        let eps = normal(rng);
        y.push(dot + noise * eps);
    }
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::own;

    #[test]
    fn two_speed_features_scale_the_slow_coordinates_and_keep_the_labels() {
        let iso = Problem { family: Family::Gaussian, dim: 50, noise: 0.1, ..crate::testing::legendre(20) };
        let two = Problem { fast: 30, kappa: 100.0, ..iso.clone() };
        assert!(two.two_speed() && !iso.two_speed());
        let (a, b) = (iso.train_set(3, 20, 50), two.train_set(3, 20, 50));
        for j in 0..50 {
            let s = if j < 30 { 1.0 } else { 0.01 };
            for i in 0..20 {
                assert!((b.phi[[i, j]] - s * a.phi[[i, j]]).abs() <= 1e-15 * a.phi[[i, j]].abs(), "x[{i},{j}]");
            }
        }
        // The slow weights are κ times larger, so every label is the same.
        for (ya, yb) in a.y.iter().zip(&b.y) {
            assert!((ya - yb).abs() <= 1e-12 * ya.abs().max(1.0), "{ya} vs {yb}");
        }
        assert!((two.beta_star()[40] / iso.beta_star()[40] - 100.0).abs() < 1e-9);
        assert_eq!(two.theory(20, 10), (None, None), "the theory is of isotropic coordinates");
        let msg = |p: Problem| p.validate(10).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(Problem { fast: 60, ..two.clone() }).starts_with("fast must be at most dim = 50"));
        assert!(msg(Problem { kappa: 0.5, ..two.clone() }).starts_with("kappa must be a number from 1 to 10000"));
        assert!(msg(Problem { family: Family::Relu, ..two }).starts_with("fast must be 0 unless the family is gaussian"));
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
}
