//! The fit panel's model ([`FitView`]): one trial's data and the curve fitted at one size, grown
//! by the sweep's own solver ([`FitPath`]), optionally with copies of the path kept so that a
//! redraw at another size costs only the features in between ([`fit_view_kept`]).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::data::Dataset;
use super::error::{EngineError, Result};
use super::features::Family;
use super::problem::{check_count, Problem, TrainSet};
use super::rng::Stream;
use super::solve::{MinNormPath, PathPoint};
use super::sweep::column;

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
    /// The training step this model is at (the page's time cursor), or `None`: where training
    /// ends, the fit itself.
    pub step: Option<u64>,
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
        let mut rng = Stream::NewPoints.rng(problem.seed, trial);
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
        step: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Target;
    use crate::grid::Grid;
    use crate::own::Eval;
    use crate::solve::Ridge;
    use crate::sweep::{SizeSweep, Sweep};
    use crate::testing::{legendre, own};
    use ndarray::Array1;

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
}
