//! Double descent on real data in many dimensions: a [`Table`] — the handwritten digits
//! ([`crate::images::Images::to_table`]) or a table of your own — fitted by minimum-norm (or
//! ridge) least squares on random features of its columns; a classification's one-hot outputs
//! fitted on one factorization per size ([`crate::solve::MinNormPath::with_outputs`]) — the
//! experiment of Belkin, Hsu, Ma & Mandal (2019, PNAS, Fig. 2) on sets small enough for a
//! browser.
//!
//! Each trial draws its own `n` training rows and a held-out sample of `test` other rows it never
//! sees (a permutation of the whole table from the trial's data stream: the first `n` train, the
//! next `test` are held out). Columns are standardized with the training rows' own mean and
//! standard deviation — what a model may know; a column constant over them (the corners are
//! blank in most digits) becomes 0 everywhere. Features, nested in size like the 1-D families'
//! (feature j is the same whatever the size), from the trial's feature stream, with weights
//! w ~ N(0, I/d) over the d columns so that w·x is about N(0, 1):
//! - random ReLU features max(0, w·x + b), b ~ N(0, 1);
//! - random Fourier features √2·cos(w·x / bandwidth + b), b uniform in [0, 2π).
//!
//! Reported per size: the squared loss over the outputs (per row, Σ over outputs of
//! (output − one-hot)², averaged over rows; a regression's squared error, its labels centred by
//! the training rows' mean since the models have no intercept) on the training and the
//! held-out rows, ‖B̂‖ (Frobenius), the design's rank, and for classes the classification error
//! (the share of held-out rows whose largest output is not their class) as the summary's second
//! number ([`Extra::Class`]).

use std::sync::Arc;

use ndarray::{Array2, ShapeBuilder};

use super::error::Result;
use super::features::Family;
use super::grid::Grid;
use super::problem::{check_count, check_real, limits, out_of_range};
use super::rng::{normal, uniform, Stream};
use super::summary::{Accumulator, Along, Extra};
use super::sweep::{walk_path_outputs, Sweep};
use super::table::{Labels, Table};
use super::trial::TrialOutput;

/// What a table sweep computes: its table, features and split.
#[derive(Debug, Clone)]
pub struct Tabular {
    /// The table.
    pub table: Arc<Table>,
    /// Random ReLU or random Fourier features of the pixels.
    pub family: Family,
    /// The Fourier features' bandwidth.
    pub bandwidth: f64,
    /// Training rows per trial.
    pub n: usize,
    /// Held-out rows per trial.
    pub test: usize,
    /// The ridge penalty (0: minimum norm).
    pub ridge: f64,
    /// The seed of every trial's streams.
    pub seed: u64,
    /// k of k-fold cross-validation (0: a held-out split of `test` rows, which k-fold ignores).
    pub folds: usize,
}

/// A table sweep's settings apart from the table itself: what [`Layout::new`] checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Random ReLU or random Fourier features.
    pub family: Family,
    /// The Fourier features' bandwidth.
    pub bandwidth: f64,
    /// Training rows per trial.
    pub n: usize,
    /// Held-out rows per trial.
    pub test: usize,
    /// The ridge penalty (0: minimum norm).
    pub ridge: f64,
    /// k of k-fold cross-validation (0: a held-out split).
    pub folds: usize,
}

impl Plan {
    /// Rows a trial draws for k-fold cross-validation: the most m whose k folds of ⌊m/k⌋ rows
    /// each leave exactly n to train on (n·k/(k−1) when that is whole: then the folds cover
    /// every row drawn; else the rows past k·⌊m/k⌋ always train, as with your own points);
    /// `None` without k-fold.
    pub fn kfold_rows(&self) -> Option<usize> {
        let k = self.folds;
        (k >= 2).then(|| (self.n..).find(|m| m - m / k > self.n).map_or(self.n, |m| m - 1))
    }
}

impl Tabular {
    /// Its settings apart from the table.
    pub fn plan(&self) -> Plan {
        Plan { family: self.family, bandwidth: self.bandwidth, n: self.n, test: self.test, ridge: self.ridge, folds: self.folds }
    }
}

/// Test error against model size on a table (every size up to `max_size`, or a log grid), or
/// against the number of training rows at one size (the sample-wise view).
#[derive(Debug, Clone)]
pub struct TableSweep {
    settings: Tabular,
    /// Its points and what its trials report.
    layout: Layout,
}

/// A table sweep's points and what its trials report, known (and checked) before the table's
/// numbers are at hand: the page folds the digits' trials, which the lazily loaded module
/// computes, into [`Layout::accumulator`], knowing only the set's size
/// ([`crate::images::DIGITS_COUNT`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The points of the x-axis: sizes, or training rows.
    pub sizes: Vec<usize>,
    /// The sample-wise view's fixed size (`None`: a sweep over sizes).
    pub at_size: Option<usize>,
    /// Trials.
    pub trials: usize,
    /// Whether the label is a class (then the classification error is reported too).
    pub classes: bool,
}

impl Layout {
    /// The layout of a sweep of `plan` over a table of `shape` = (rows, columns) (`classes`: of
    /// a class label): `grid` sizes up to `max_size` (at most the columns for `linear`), or with `at_size` the sample-wise view at that size
    /// (`max_size` is then that size); every setting checked and named with its range.
    pub fn new(plan: &Plan, shape: (usize, usize), classes: bool, max_size: usize, grid: Grid, trials: usize, at_size: Option<usize>) -> Result<Layout> {
        let settings = plan;
        if !matches!(settings.family, Family::Relu | Family::Fourier | Family::Linear) {
            return Err(out_of_range("family", "relu, fourier or linear with data=digits or a table".into(), settings.family.name()));
        }
        let (rows, columns) = shape;
        // The plain linear model has one feature a column (its threshold p = n is out of reach
        // when n exceeds them).
        check_count("n", settings.n, 10, rows.saturating_sub(1))?;
        match settings.kfold_rows() {
            // k-fold: each trial draws the rows its folds need (`test` is not used).
            Some(m) => {
                check_count("folds", settings.folds, 2, 10)?;
                if m > rows {
                    return Err(out_of_range(
                        "n",
                        format!("small enough that k-fold with {} folds needs at most the table's {rows} rows", settings.folds),
                        settings.n,
                    ));
                }
                if at_size.is_some() {
                    return Err(out_of_range("holdout", "split in the sample-wise view of a table".into(), "kfold"));
                }
            }
            None => check_count("test", settings.test, 1, rows - settings.n)?,
        }
        check_count("trials", trials, 1, limits::TRIALS)?;
        check_count("max-size", max_size, 1, if settings.family == Family::Linear { columns } else { 4000 })?;
        check_real("bandwidth", settings.bandwidth, 1e-3, 1e3)?;
        // Each trial's designs (training and held-out rows × features) within the per-trial bound.
        let rows_used = settings.kfold_rows().unwrap_or(settings.n + settings.test);
        if rows_used.saturating_mul(max_size) > limits::TRIAL_ENTRIES {
            return Err(out_of_range("max-size", format!("small enough that (n + test) · max-size stays under {}", limits::TRIAL_ENTRIES), max_size));
        }
        super::solve::check_ridge(settings.ridge)?;
        let sizes = match at_size {
            None => grid.sizes(max_size, settings.n),
            Some(p) => grid.sizes(settings.n, p),
        };
        Ok(Layout { sizes, at_size, trials, classes })
    }

    /// An empty accumulator for the sweep's trials (with the classification error for classes).
    pub fn accumulator(&self) -> Accumulator {
        let theory = vec![(None, None); self.sizes.len()];
        let along = if self.at_size.is_some() { Along::Samples } else { Along::Size };
        let acc = Accumulator::new(along, self.sizes.clone(), Vec::new(), theory, 0, self.trials);
        if self.classes {
            acc.with_extra(Extra::Class)
        } else {
            acc
        }
    }
}

impl TableSweep {
    /// A sweep of `grid` sizes up to `max_size` over `trials` trials; every setting checked and
    /// named with its range ([`Layout::new`]).
    pub fn new(settings: Tabular, max_size: usize, grid: Grid, trials: usize) -> Result<TableSweep> {
        let layout = Layout::new(&settings.plan(), (settings.table.rows, settings.table.dim()), settings.table.is_classes(), max_size, grid, trials, None)?;
        Ok(TableSweep { settings, layout })
    }

    /// The sample-wise view: test error against `grid` numbers of training rows up to `n`, at
    /// model size `size`. Each trial's first rows of its own training draw are the training set
    /// at each count (so more rows only add), its held-out rows stay the same.
    pub fn samples(settings: Tabular, size: usize, grid: Grid, trials: usize) -> Result<TableSweep> {
        let layout = Layout::new(&settings.plan(), (settings.table.rows, settings.table.dim()), settings.table.is_classes(), size, grid, trials, Some(size))?;
        Ok(TableSweep { settings, layout })
    }

    /// The sizes evaluated.
    pub fn sizes(&self) -> &[usize] {
        &self.layout.sizes
    }

    /// Trial `trial`'s split: its training and its held-out rows, by index (with k-fold, its
    /// first fold's: [`TableSweep::fold`]).
    pub fn split(&self, trial: usize) -> (Vec<usize>, Vec<usize>) {
        if self.settings.plan().kfold_rows().is_some() {
            return self.fold(trial, 0);
        }
        let mut order = self.drawn(trial, self.settings.n + self.settings.test);
        let held = order[self.settings.n.min(order.len())..].to_vec();
        order.truncate(self.settings.n);
        (order, held)
    }

    /// The first `used` rows of trial `trial`'s own random order of the table (Fisher–Yates, as
    /// far as the rows used).
    fn drawn(&self, trial: usize, used: usize) -> Vec<usize> {
        let count = self.settings.table.rows;
        let mut rng = Stream::Data.rng(self.settings.seed, trial);
        let mut order: Vec<usize> = (0..count).collect();
        let used = used.min(count);
        for i in 0..used {
            let j = i + ((uniform(&mut rng) * (count - i) as f64) as usize).min(count - i - 1);
            order.swap(i, j);
        }
        order.truncate(used);
        order
    }

    /// With k-fold cross-validation, fold `f` of trial `trial`: the trial draws m rows
    /// ([`Plan::kfold_rows`]); fold f holds out its f-th block of ⌊m/k⌋ and trains on the other
    /// n rows, in the trial's order.
    pub fn fold(&self, trial: usize, f: usize) -> (Vec<usize>, Vec<usize>) {
        let m = self.settings.plan().kfold_rows().unwrap_or(self.settings.n);
        let order = self.drawn(trial, m);
        let h = m / self.settings.folds.max(1);
        let (a, b) = ((f * h).min(order.len()), ((f + 1) * h).min(order.len()));
        let held = order[a..b].to_vec();
        let train = order[..a].iter().chain(&order[b..]).copied().collect();
        (train, held)
    }

    /// The standardized columns of rows `idx` with the training rows' statistics.
    fn inputs(&self, idx: &[usize], mean: &[f64], sd: &[f64]) -> Vec<Vec<f64>> {
        let t = &self.settings.table;
        idx.iter().map(|&i| t.row(i).iter().zip(mean.iter().zip(sd)).map(|(&v, (m, s))| if *s > 0.0 { (v - m) / s } else { 0.0 }).collect()).collect()
    }

    /// The designs of trial `trial` (training n × p, held-out m × p, column-major) at `p`
    /// features, and the two sets' rows.
    pub fn designs(&self, trial: usize, p: usize) -> (Array2<f64>, Array2<f64>, Vec<usize>, Vec<usize>) {
        let (train, held) = self.split(trial);
        self.designs_of(trial, p, train, held)
    }

    /// The designs of trial `trial`'s features on the rows `train` and `held`, standardized with
    /// the statistics of `train`.
    fn designs_of(&self, trial: usize, p: usize, train: Vec<usize>, held: Vec<usize>) -> (Array2<f64>, Array2<f64>, Vec<usize>, Vec<usize>) {
        let t = &self.settings.table;
        let d = t.dim();
        // Each column's mean and standard deviation over the training rows.
        let nf = train.len() as f64;
        let mut mean = vec![0.0; d];
        for &i in &train {
            for (m, &v) in mean.iter_mut().zip(t.row(i)) {
                *m += v / nf;
            }
        }
        let mut sd = vec![0.0; d];
        for &i in &train {
            for ((s, &v), m) in sd.iter_mut().zip(t.row(i)).zip(&mean) {
                *s += (v - m) * (v - m) / nf;
            }
        }
        for s in &mut sd {
            *s = if *s > 1e-24 * (1.0 + s.abs()) { s.sqrt() } else { 0.0 };
        }
        let (xt, xh) = (self.inputs(&train, &mean, &sd), self.inputs(&held, &mean, &sd));
        let mut rng = Stream::Features.rng(self.settings.seed, trial);
        if self.settings.family == Family::Linear {
            // The columns in an order of the trial's own (Fisher–Yates over all of them, so the
            // first p are the same at every size), standardized: feature j is column order[j].
            let mut order: Vec<usize> = (0..d).collect();
            for i in 0..d {
                let j = i + ((uniform(&mut rng) * (d - i) as f64) as usize).min(d - i - 1);
                order.swap(i, j);
            }
            let p = p.min(d);
            let pick = |rows: &[Vec<f64>]| Array2::from_shape_fn((rows.len(), p).f(), |(i, j)| rows[i][order[j]]);
            return (pick(&xt), pick(&xh), train, held);
        }
        let scale = 1.0 / (d as f64).sqrt();
        let (mut phi, mut test) = (Array2::zeros((xt.len(), p).f()), Array2::zeros((xh.len(), p).f()));
        let fourier = self.settings.family == Family::Fourier;
        for j in 0..p {
            let w: Vec<f64> = (0..d).map(|_| normal(&mut rng) * scale).collect();
            let b = if fourier { 2.0 * std::f64::consts::PI * uniform(&mut rng) } else { normal(&mut rng) };
            let f = |x: &[f64]| {
                let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
                if fourier {
                    std::f64::consts::SQRT_2 * libm::cos(z / self.settings.bandwidth + b)
                } else {
                    (z + b).max(0.0)
                }
            };
            for (i, x) in xt.iter().enumerate() {
                phi[[i, j]] = f(x);
            }
            for (i, x) in xh.iter().enumerate() {
                test[[i, j]] = f(x);
            }
        }
        (phi, test, train, held)
    }

    /// Its settings.
    pub fn settings(&self) -> &Tabular {
        &self.settings
    }

    /// The labels' classes, row by row, if the label is a class.
    pub fn classes(&self) -> Option<&[u16]> {
        match &self.settings.table.labels {
            Labels::Classes { of, .. } => Some(of),
            Labels::Values(_) => None,
        }
    }
}

/// One held-out row of a trial and what the model of some size makes of it
/// ([`TableSweep::guesses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess {
    /// The row's index in the table (the image's, for the digits).
    pub image: usize,
    /// Its class.
    pub label: u16,
    /// The model's largest output.
    pub guess: u16,
}

impl TableSweep {
    /// Trial `trial`'s model at the sweep's point `x` — of size `x`, or in the sample-wise view
    /// of the sweep's size on the trial's first `x` training rows — fitted as the sweep fits it,
    /// on the first `count` of the trial's held-out images (in the order the sweep scores them),
    /// and the classification error over all of them (the sweep's number at that point). `None`
    /// if `x` is out of range or the table is not of classes.
    pub fn guesses(&self, trial: usize, x: usize, count: usize) -> Option<(Vec<Guess>, f64)> {
        if x == 0 || x > self.layout.sizes.last().copied().unwrap_or(0) {
            return None;
        }
        let of = self.classes()?;
        let classes = self.settings.table.outputs();
        let (size, (phi, test, train, held)) = match self.layout.at_size {
            None => (x, self.designs(trial, x)),
            Some(p) => {
                let (train, held) = self.split(trial);
                (p, self.designs_of(trial, p, train[..x.min(train.len())].to_vec(), held))
            }
        };
        let held_labels: Vec<u16> = held.iter().map(|&i| of[i]).collect();
        let y = self.settings.table.targets(&train);
        let mut pred = None;
        walk_path_outputs(phi.view(), &y, classes, &test, self.settings.ridge, &[size], |_, pt| pred = Some(pt.test_pred.clone()));
        let pred = pred?;
        let m = held_labels.len();
        let (_, wrong) = scores(&pred, &held_labels, classes);
        let guesses = (0..m.min(count)).map(|i| Guess { image: held[i], label: held_labels[i], guess: guess(&pred, m, i, classes) as u16 }).collect();
        Some((guesses, wrong))
    }
}

/// Squared loss over the outputs (per image, averaged) and the classification error of
/// predictions `pred` (`classes` outputs of m each, output after output) against `labels`.
pub fn scores(pred: &[f64], labels: &[u16], classes: usize) -> (f64, f64) {
    let m = labels.len();
    if m == 0 || pred.len() != m * classes {
        return (f64::NAN, f64::NAN);
    }
    let (mut loss, mut wrong) = (0.0, 0usize);
    for (i, &l) in labels.iter().enumerate() {
        for o in 0..classes {
            let t = if usize::from(l) == o { 1.0 } else { 0.0 };
            loss += (pred[o * m + i] - t) * (pred[o * m + i] - t);
        }
        wrong += usize::from(guess(pred, m, i, classes) != usize::from(l));
    }
    (loss / m as f64, wrong as f64 / m as f64)
}

/// The class of row `i` of predictions `pred` (`classes` outputs of `m` each, output after
/// output): its largest output. Ties and NaN go to the first class — a model that cannot decide
/// is wrong unless that happens to be the class.
fn guess(pred: &[f64], m: usize, i: usize, classes: usize) -> usize {
    let mut best = (0usize, f64::NEG_INFINITY);
    for o in 0..classes {
        if pred[o * m + i] > best.1 {
            best = (o, pred[o * m + i]);
        }
    }
    best.0
}

impl Sweep for TableSweep {
    fn trials(&self) -> usize {
        self.layout.trials
    }

    fn run_trial(&self, trial: usize) -> TrialOutput {
        // k-fold (of the size sweep only: Layout::new refuses it in the sample-wise view).
        if self.settings.folds >= 2 {
            return self.kfold_trial(trial);
        }
        let k = self.layout.sizes.len();
        let table = &self.settings.table;
        let outputs = table.outputs();
        let inf = f64::INFINITY;
        let classes = self.classes();
        let mut out = TrialOutput::unfinished(trial, k, classes.is_some());
        let (train, held) = self.split(trial);
        let held_labels: Vec<u16> = classes.map(|of| held.iter().map(|&i| of[i]).collect()).unwrap_or_default();
        let held_values = table.targets(&held);
        let clean = |v: f64| if v.is_finite() { v } else { inf };
        // `mean`: what a regression's labels were centred by (the fit's training rows' mean).
        let mut record = |i: usize, pt: &crate::solve::PathPoint, mean: f64| {
            // The path's train error is per label entry: times the outputs, per row.
            out.train_mse[i] = clean(pt.train_mse * outputs as f64);
            out.norm[i] = clean(pt.norm);
            out.rank[i] = pt.rank;
            if classes.is_some() {
                let (loss, wrong) = scores(&pt.test_pred, &held_labels, outputs);
                out.test_mse[i] = clean(loss);
                out.extra[i] = if wrong.is_finite() { wrong } else { 1.0 };
            } else {
                let m = held_values.len().max(1) as f64;
                out.test_mse[i] = clean(pt.test_pred.iter().zip(&held_values).map(|(a, b)| (a + mean - b) * (a + mean - b)).sum::<f64>() / m);
            }
        };
        match self.layout.at_size {
            // Every size on one path over the trial's training rows.
            None => {
                let p_max = self.layout.sizes.last().copied().unwrap_or(1);
                let (phi, test, train, _) = self.designs_of(trial, p_max, train, held);
                let mean = table.label_mean(&train);
                let y = table.centered(&train, mean);
                walk_path_outputs(phi.view(), &y, outputs, &test, self.settings.ridge, &self.layout.sizes, |i, pt| record(i, pt, mean));
            }

            // The first n training rows at each n, standardized with their own statistics.
            Some(p) => {
                for (i, &n) in self.layout.sizes.iter().enumerate() {
                    let rows = train[..n.min(train.len())].to_vec();
                    let (phi, test, rows, _) = self.designs_of(trial, p, rows, held.clone());
                    let mean = table.label_mean(&rows);
                    let y = table.centered(&rows, mean);
                    walk_path_outputs(phi.view(), &y, outputs, &test, self.settings.ridge, &[p], |_, pt| record(i, pt, mean));
                }
            }
        }
        out
    }

    fn accumulator(&self) -> Accumulator {
        self.layout.accumulator()
    }
}

impl TableSweep {
    /// Trial `trial` with k-fold cross-validation: each fold's path over its n training rows,
    /// its errors on its held-out block, averaged over the folds (the norm too; the rank is the
    /// smallest).
    fn kfold_trial(&self, trial: usize) -> TrialOutput {
        let k = self.layout.sizes.len();
        let table = &self.settings.table;
        let outputs = table.outputs();
        let classes = self.classes();
        let folds = self.settings.folds.max(1);
        let mut out = TrialOutput::unfinished(trial, k, classes.is_some());
        let (mut train_mse, mut test_mse, mut norm, mut wrong) = (vec![0.0; k], vec![0.0; k], vec![0.0; k], vec![0.0; k]);
        let mut rank: Vec<Option<usize>> = vec![None; k];
        let p_max = self.layout.sizes.last().copied().unwrap_or(1);
        for f in 0..folds {
            let (train, held) = self.fold(trial, f);
            let held_labels: Vec<u16> = classes.map(|of| held.iter().map(|&i| of[i]).collect()).unwrap_or_default();
            let held_values = table.targets(&held);
            let (phi, test, train, _) = self.designs_of(trial, p_max, train, held);
            let mean = table.label_mean(&train);
            let y = table.centered(&train, mean);
            walk_path_outputs(phi.view(), &y, outputs, &test, self.settings.ridge, &self.layout.sizes, |i, pt| {
                train_mse[i] += pt.train_mse * outputs as f64;
                norm[i] += pt.norm;
                rank[i] = match (rank[i], pt.rank) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                if classes.is_some() {
                    let (loss, w) = scores(&pt.test_pred, &held_labels, outputs);
                    test_mse[i] += loss;
                    wrong[i] += if w.is_finite() { w } else { 1.0 };
                } else {
                    let m = held_values.len().max(1) as f64;
                    test_mse[i] += pt.test_pred.iter().zip(&held_values).map(|(a, b)| (a + mean - b) * (a + mean - b)).sum::<f64>() / m;
                }
            });
        }
        let clean = |v: f64| if v.is_finite() { v / folds as f64 } else { f64::INFINITY };
        for i in 0..k {
            out.train_mse[i] = clean(train_mse[i]);
            out.test_mse[i] = clean(test_mse[i]);
            out.norm[i] = clean(norm[i]);
            out.rank[i] = rank[i];
            if classes.is_some() {
                out.extra[i] = clean(wrong[i]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::run_sequential;

    /// A small made-up image set as a table: class c's images are noisy copies of a pattern of
    /// its own.
    fn toy(count: usize) -> Arc<Table> {
        crate::testing::toy_images(count)
    }

    fn tabular(table: Arc<Table>, n: usize, test: usize) -> Tabular {
        Tabular { table, family: Family::Relu, bandwidth: 1.0, n, test, ridge: 0.0, seed: 1, folds: 0 }
    }

    #[test]
    fn the_plain_linear_model_takes_the_standardized_columns_in_an_order_of_each_trials_own() {
        let settings = Tabular { family: Family::Linear, ..tabular(toy(200), 50, 60) };
        let sw = TableSweep::new(settings.clone(), 16, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}"));
        let (small, small_test, train, _) = sw.designs(0, 5);
        let (all, all_test, _, _) = sw.designs(0, 16);
        // Nested: size 5 is the first 5 columns of size 16; and the 16 are every column once.
        assert_eq!(small, all.slice(ndarray::s![.., ..5]));
        assert_eq!(small_test, all_test.slice(ndarray::s![.., ..5]));
        let t = &settings.table;
        let mut seen = Vec::new();
        for col in all.columns() {
            // Standardized over the training rows (a constant column is all zeros).
            let mean = col.sum() / col.len() as f64;
            let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / col.len() as f64;
            assert!(mean.abs() < 1e-12 && ((var - 1.0).abs() < 1e-9 || var == 0.0), "mean {mean}, variance {var}");
            // Which column of the table it is: the one it is an affine image of.
            let which = (0..t.dim()).find(|&c| {
                let raw: Vec<f64> = train.iter().map(|&i| t.row(i)[c]).collect();
                let (m, sd) = (
                    raw.iter().sum::<f64>() / raw.len() as f64,
                    (raw.iter().map(|v| v * v).sum::<f64>() / raw.len() as f64 - (raw.iter().sum::<f64>() / raw.len() as f64).powi(2)).max(0.0).sqrt(),
                );
                sd > 0.0 && raw.iter().zip(col.iter()).all(|(r, v)| ((r - m) / sd - v).abs() < 1e-9)
            });
            seen.push(which.unwrap_or_else(|| panic!("a column that is no standardized column of the table")));
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 16, "each column once");
        // More than the columns is refused, naming max-size and the columns.
        let err = TableSweep::new(Tabular { family: Family::Linear, ..tabular(toy(200), 50, 60) }, 17, Grid::Every, 2)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("max-size") && err.contains("16"), "{err}");
    }

    #[test]
    fn each_trial_trains_and_tests_on_images_it_draws_and_never_on_the_same_one_twice() {
        let sw = TableSweep::new(tabular(toy(200), 50, 60), 80, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
        let (a, b) = sw.split(0);
        assert_eq!((a.len(), b.len()), (50, 60));
        let all: std::collections::BTreeSet<usize> = a.iter().chain(&b).copied().collect();
        assert_eq!(all.len(), 110, "an image both trained on and held out");
        assert_ne!(sw.split(1).0, a, "every trial draws its own images");
        assert_eq!(sw.split(0), (a, b), "and the same ones again for the same seed");
    }

    #[test]
    fn the_sweep_interpolates_past_the_threshold_and_scores_what_it_predicts() {
        // A classification: ten one-hot outputs.
        let sw = TableSweep::new(tabular(toy(200), 40, 60), 80, Grid::Every, 4).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(&sw);
        assert_eq!(r.extra, Extra::Class);
        for row in &r.rows {
            // Well past the threshold (at it, a nearly dependent feature can leave a residual).
            if row.x >= 60 {
                assert!(row.train_mse_median < 1e-18, "p = {}: train {}", row.x, row.train_mse_median);
            }
            let e = row.extra_median.unwrap_or(f64::NAN);
            assert!((0.0..=1.0).contains(&e), "p = {}: class error {e}", row.x);
        }
        // The scores of one trial at one size, recomputed from a dense fit of the ten outputs.
        let (phi, test, train, held) = sw.designs(2, 25);
        let y = sw.settings.table.targets(&train);
        let hl: Vec<u16> = held.iter().map(|&i| sw.classes().map_or(0, |of| of[i])).collect();
        let mut pred = vec![0.0; 10 * hl.len()];
        for o in 0..10 {
            let f = crate::solve::Ridge::min_norm().fit(phi.view(), ndarray::ArrayView1::from(&y[o * 40..(o + 1) * 40])).unwrap_or_else(|e| panic!("{e}"));
            pred[o * hl.len()..(o + 1) * hl.len()].copy_from_slice(f.predict(test.view()).as_slice().unwrap_or(&[]));
        }
        let (loss, wrong) = scores(&pred, &hl, 10);
        let out = sw.run_trial(2);
        assert!((out.test_mse[24] - loss).abs() <= 1e-8 * loss, "{} vs {loss}", out.test_mse[24]);
        assert_eq!(out.extra[24], wrong);
    }

    #[test]
    fn the_guesses_shown_are_the_held_out_images_the_sweep_scores() {
        let sw = TableSweep::new(tabular(toy(200), 40, 60), 80, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
        let out = sw.run_trial(1);
        for size in [10, 40, 80] {
            let (g, wrong) = sw.guesses(1, size, 24).unwrap_or_else(|| panic!("no guesses at {size}"));
            assert_eq!(g.len(), 24);
            // The same error the sweep reports at that size, to the bit; the images held out.
            assert_eq!(wrong.to_bits(), out.extra[size - 1].to_bits(), "p = {size}");
            let (_, held) = sw.split(1);
            assert!(g.iter().zip(&held).all(|(g, &h)| g.image == h && Some(g.label) == sw.classes().map(|of| of[h])));
        }
        assert!(sw.guesses(1, 81, 5).is_none() && sw.guesses(1, 0, 5).is_none());
        // The sample-wise view: at n training rows, the model of the sweep's size on them.
        let sw = TableSweep::samples(tabular(toy(200), 40, 60), 20, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
        let out = sw.run_trial(1);
        for n in [10, 20, 40] {
            let (_, wrong) = sw.guesses(1, n, 24).unwrap_or_else(|| panic!("no guesses at n = {n}"));
            let i = sw.sizes().iter().position(|&x| x == n).unwrap_or_else(|| panic!("n = {n} not swept"));
            assert_eq!(wrong.to_bits(), out.extra[i].to_bits(), "n = {n}");
        }
        assert!(sw.guesses(1, 41, 5).is_none());
    }

    #[test]
    fn a_regression_table_reports_its_squared_error_and_no_classification_error() {
        // y = a + 2b + noise over 60 rows: one output, the held-out squared error.
        let mut rng = crate::rng::stream(5, 0);
        let rows: Vec<String> = (0..60).map(|i| format!("{},{},{}", i % 7, i % 5, (i % 7) as f64 + 2.0 * (i % 5) as f64 + 0.3 * normal(&mut rng))).collect();
        let table = crate::table::parse_table(&format!("a,b,y\n{}", rows.join("\n")), None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(table.outputs(), 1);
        let sw = TableSweep::new(tabular(Arc::new(table), 30, 20), 60, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(&sw);
        assert_eq!(r.extra, Extra::None);
        assert!(r.rows.iter().all(|row| row.extra_median.is_none() && row.test_mse_median.is_finite()));
        assert!(sw.guesses(0, 10, 5).is_none());
    }

    #[test]
    fn a_regressions_errors_do_not_change_when_its_labels_move_by_a_constant() {
        // The models have no intercept: the labels are fitted less their training rows' mean,
        // so y and y + 1000 (a price in other units, a year) give the same curves — to rounding.
        let mut rng = crate::rng::stream(8, 0);
        let rows: Vec<(usize, usize, f64)> = (0..60).map(|i| (i % 7, i % 5, (i % 7) as f64 - 0.5 * (i % 5) as f64 + 0.3 * normal(&mut rng))).collect();
        let sweep = |shift: f64, at: Option<usize>| {
            let text: Vec<String> = rows.iter().map(|(a, b, y)| format!("{a},{b},{}", y + shift)).collect();
            let table = crate::table::parse_table(&format!("a,b,y\n{}", text.join("\n")), None).unwrap_or_else(|e| panic!("{e:?}"));
            let sw = match at {
                None => TableSweep::new(tabular(Arc::new(table), 30, 20), 50, Grid::Every, 2),
                Some(p) => TableSweep::samples(tabular(Arc::new(table), 30, 20), p, Grid::Every, 2),
            };
            run_sequential(&sw.unwrap_or_else(|e| panic!("{e}")))
        };
        for at in [None, Some(12)] {
            let (a, b) = (sweep(0.0, at), sweep(1000.0, at));
            for (x, y) in a.rows.iter().zip(&b.rows) {
                for (u, v) in [(x.test_mse_mean, y.test_mse_mean), (x.train_mse_mean, y.train_mse_mean)] {
                    assert!((u - v).abs() <= 1e-6 * u.abs().max(1e-3), "{at:?}, p = {}: {u} against {v}", x.x);
                }
            }
            // Near the labels' own spread, not 1000².
            assert!(b.rows[0].test_mse_median < 50.0, "{}", b.rows[0].test_mse_median);
        }
    }

    #[test]
    fn k_fold_holds_out_each_fold_in_turn_and_averages_dense_fits_of_every_fold() {
        // Five folds at n = 40: each trial draws 50 rows, each fold holds out 10 of them and
        // trains on the other 40; the trial's errors are the mean over the folds of minimum-norm
        // fits (dense, per output), its classification error too.
        let sw = TableSweep::new(Tabular { folds: 5, ..tabular(toy(200), 40, 60) }, 60, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
        let mut seen = Vec::new();
        for f in 0..5 {
            let (train, held) = sw.fold(1, f);
            assert_eq!((train.len(), held.len()), (40, 10));
            assert!(held.iter().all(|i| !train.contains(i)));
            seen.extend(held);
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 50, "the folds partition the trial's rows");
        let out = sw.run_trial(1);
        let (mut loss, mut wrong) = (0.0, 0.0);
        for f in 0..5 {
            let (train, held) = sw.fold(1, f);
            let (phi, test, train, held) = sw.designs_of(1, 25, train, held);
            let y = sw.settings.table.targets(&train);
            let hl: Vec<u16> = held.iter().map(|&i| sw.classes().map_or(0, |of| of[i])).collect();
            let mut pred = vec![0.0; 10 * hl.len()];
            for o in 0..10 {
                let fit =
                    crate::solve::Ridge::min_norm().fit(phi.view(), ndarray::ArrayView1::from(&y[o * 40..(o + 1) * 40])).unwrap_or_else(|e| panic!("{e}"));
                pred[o * hl.len()..(o + 1) * hl.len()].copy_from_slice(fit.predict(test.view()).as_slice().unwrap_or(&[]));
            }
            let (l, w) = scores(&pred, &hl, 10);
            loss += l / 5.0;
            wrong += w / 5.0;
        }
        assert!((out.test_mse[24] - loss).abs() <= 1e-8 * loss, "{} vs {loss}", out.test_mse[24]);
        assert!((out.extra[24] - wrong).abs() <= 1e-12, "{} vs {wrong}", out.extra[24]);
        // Too few rows for the folds, the sample-wise view and training over time are named.
        let few = TableSweep::new(Tabular { folds: 5, ..tabular(toy(45), 40, 4) }, 60, Grid::Every, 3).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(few.contains("n must be") && few.contains("45 rows"), "{few}");
        let at = TableSweep::samples(Tabular { folds: 5, ..tabular(toy(200), 40, 60) }, 20, Grid::Every, 3).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(at.contains("holdout"), "{at}");
    }

    #[test]
    fn scores_count_a_wrong_largest_output_and_sum_the_squares() {
        // Two images, three classes: image 0 (class 1) right, image 1 (class 2) wrong.
        let pred = [0.1, 0.9, /* class 1 */ 0.8, 0.0, /* class 2 */ 0.1, 0.3];
        let (loss, wrong) = scores(&pred, &[1, 2], 3);
        let want = ((0.1f64).powi(2) + (0.8f64 - 1.0).powi(2) + 0.1f64.powi(2) + 0.9f64.powi(2) + 0.0 + (0.3f64 - 1.0).powi(2)) / 2.0;
        assert!((loss - want).abs() < 1e-15 && wrong == 0.5, "{loss} {wrong}");
        assert!(scores(&[1.0], &[0, 1], 3).0.is_nan());
    }

    #[test]
    fn the_layout_alone_folds_trials_as_the_sweep_does() {
        // The page knows a table's layout before its numbers: the same points, trials and
        // second number, so trials computed elsewhere fold to the sweep's own summary.
        for at in [None, Some(30)] {
            let t = tabular(toy(120), 40, 30);
            let sweep = match at {
                None => TableSweep::new(t.clone(), 60, Grid::Log, 3),
                Some(p) => TableSweep::samples(t.clone(), p, Grid::Every, 3),
            }
            .unwrap_or_else(|e| panic!("{e}"));
            let layout = Layout::new(&t.plan(), (120, 16), true, at.unwrap_or(60), if at.is_some() { Grid::Every } else { Grid::Log }, 3, at)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(layout.sizes, sweep.sizes());
            let mut acc = layout.accumulator();
            for trial in 0..3 {
                acc.add_flat(&sweep.run_trial(trial).to_flat());
            }
            // NaN (no bias² without a target) is not equal to itself: compared bit for bit.
            let bits = |r: crate::summary::SweepResult| r.to_flat().iter().map(|v| v.to_bits()).collect::<Vec<u64>>();
            assert_eq!(bits(acc.result()), bits(run_sequential(&sweep)));
        }
        // A layout is checked like the sweep.
        assert!(Layout::new(&tabular(toy(100), 50, 20).plan(), (100, 16), true, 10, Grid::Every, 2, None).is_ok());
        assert!(Layout::new(&tabular(toy(100), 50, 60).plan(), (100, 16), true, 10, Grid::Every, 2, None).is_err());
    }

    #[test]
    fn bad_settings_are_named_with_their_range() {
        let msg = |d: Tabular, max: usize| TableSweep::new(d, max, Grid::Every, 2).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(tabular(toy(100), 5, 20), 10).contains("n must be"));
        assert!(msg(tabular(toy(100), 50, 60), 10).contains("test must be"));
        assert!(msg(Tabular { family: Family::Legendre, ..tabular(toy(100), 50, 20) }, 10).contains("family"));
        assert!(msg(Tabular { bandwidth: 0.0, ..tabular(toy(100), 50, 20) }, 10).contains("bandwidth"));
        assert!(msg(Tabular { ridge: -1.0, ..tabular(toy(100), 50, 20) }, 10).contains("ridge"));
    }
}
