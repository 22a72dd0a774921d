//! A sweep's summary: trials folded in trial order ([`Accumulator`]) into one row of quantiles,
//! means, bias² and variance per point of the x-axis ([`SweepRow`], [`SweepResult`]), and below
//! the threshold the same decomposition over the middle half of the trials ([`Middle`]).

use serde::{Deserialize, Serialize};

use super::grid::Axis;
use super::stats::{mean, quantile, RunningMoments};
use super::trial::{FlatTrial, TrialOutput};

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
    /// The middle half of the trials (below the threshold, where the predictions were kept).
    pub middle: Option<Middle>,
    /// The mean of the sweep's second number ([`SweepResult::extra`]: ‖β_t − β₀‖, or the
    /// classification error), where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_mean: Option<f64>,
    /// Its median.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_median: Option<f64>,
    /// Its first quartile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_q25: Option<f64>,
    /// Its third quartile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_q75: Option<f64>,
}

/// What a sweep's second number per point is ([`SweepRow::extra_median`] and the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Extra {
    /// None.
    #[default]
    None,
    /// ‖β_t − β₀‖, how far training moved the model from its start (training over time).
    Moved,
    /// The classification error: the share of held-out examples whose largest output is not
    /// their class.
    Class,
}

/// The trials between the quartiles of the test error (the ⌊T/4⌋ lowest and highest dropped;
/// all of them when T < 4): their mean test and train error — the interquartile mean — and the
/// bias² and variance of their predictions, which add up to that mean test error. A few trials
/// whose fit blows up between far-apart points dominate the mean over all trials; the middle half
/// leaves them out as the median does, and still has a decomposition (docs/numerics.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Middle {
    /// Mean test MSE of the middle trials.
    pub test_mse: f64,
    /// Mean training MSE of the same trials.
    pub train_mse: f64,
    /// Bias² of their mean prediction over the shared test points.
    pub bias2: f64,
    /// Variance of their predictions, averaged over the shared test points.
    pub variance: f64,
}

/// Predictions kept for the middle-half decomposition, at most this many numbers in all (32 MB);
/// a sweep that would keep more keeps none and reports no [`Middle`].
pub const MAX_KEPT: usize = 1 << 22;

/// What a summary's rows go along: model sizes, training points, or training steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Along {
    /// Model size p (a size sweep).
    Size,
    /// Training points n (a sample-wise sweep).
    Samples,
    /// Gradient-descent steps (training over time, [`crate::train`]).
    Steps,
}

impl Along {
    /// The x column's name in CSV: `size`, `n` or `step`.
    pub fn column(self) -> &'static str {
        match self {
            Along::Size => "size",
            Along::Samples => "n",
            Along::Steps => "step",
        }
    }
}

impl From<Axis> for Along {
    fn from(a: Axis) -> Along {
        match a {
            Axis::Size => Along::Size,
            Axis::Samples => Along::Samples,
        }
    }
}

/// A sweep's summary so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// What the x column is.
    pub axis: Along,
    /// Trials folded in.
    pub trials: usize,
    /// One row per x.
    pub rows: Vec<SweepRow>,
    /// What the rows' second number is, if they have one.
    #[serde(default, skip_serializing_if = "is_none")]
    pub extra: Extra,
}

fn is_none(e: &Extra) -> bool {
    *e == Extra::None
}

/// Folds trials, in order, into per-x summaries.
#[derive(Debug, Clone)]
pub struct Accumulator {
    axis: Along,
    xs: Vec<usize>,
    target: Vec<f64>,
    theory: Vec<(Option<f64>, Option<f64>)>,
    moments: Vec<RunningMoments>,
    train: Vec<Vec<f64>>,
    test: Vec<Vec<f64>>,
    norm: Vec<Vec<f64>>,
    /// The second number per point, for trials that report it, and what it is.
    extra: Vec<Vec<f64>>,
    extra_kind: Extra,
    rank_min: Vec<Option<usize>>,
    nonfinite: Vec<usize>,
    /// Every trial's predictions at the first `kept.len()` points, trial after trial.
    kept: Vec<Vec<f64>>,
    trials: usize,
}

impl Accumulator {
    /// An empty accumulator for the points `xs` of `axis`, with the noiseless `target` at the
    /// shared test rows and the theory values at each point; `keep` points from the first keep
    /// every trial's predictions for the middle-half decomposition (none if `trials` trials would
    /// keep more than [`MAX_KEPT`] numbers).
    pub(crate) fn new(axis: Along, xs: Vec<usize>, target: Vec<f64>, theory: Vec<(Option<f64>, Option<f64>)>, keep: usize, trials: usize) -> Accumulator {
        let k = xs.len();
        let m = target.len();
        let keep = keep.min(k);
        let keep = if keep.saturating_mul(m).saturating_mul(trials) <= MAX_KEPT { keep } else { 0 };
        Accumulator {
            axis,
            xs,
            target,
            theory,
            moments: (0..k).map(|_| RunningMoments::new(m)).collect(),
            train: vec![Vec::new(); k],
            test: vec![Vec::new(); k],
            norm: vec![Vec::new(); k],
            extra: vec![Vec::new(); k],
            extra_kind: Extra::None,
            rank_min: vec![None; k],
            nonfinite: vec![0; k],
            // Reserved whole: growing 167 vectors by doubling cost more than the folding itself.
            kept: (0..keep).map(|_| Vec::with_capacity(trials.saturating_mul(m))).collect(),
            trials: 0,
        }
    }

    /// Folds in one trial (call in trial order for reproducible numbers).
    pub fn add(&mut self, out: &TrialOutput) {
        self.fold(&out.train_mse, &out.test_mse, &out.norm, &out.extra, &|i| out.rank[i], &out.preds);
    }

    /// Folds in one trial in its flat form ([`TrialOutput::to_flat`]) without copying it into a
    /// [`TrialOutput`] first — the same numbers as [`Accumulator::add`]. Returns `false`, and
    /// folds nothing, if the array is malformed.
    pub fn add_flat(&mut self, v: &[f64]) -> bool {
        let Some(t) = FlatTrial::parse(v) else { return false };
        let k = t.count();
        if k > self.xs.len() || (k > 0 && t.rows() != self.target.len()) {
            return false;
        }
        self.fold(t.train_mse(), t.test_mse(), t.norm(), t.extra(), &|i| t.rank(i), t.preds());
        true
    }

    // One copy of the loop for both forms (the rank of size i comes through `rank`).
    fn fold(&mut self, train: &[f64], test: &[f64], norm: &[f64], extra: &[f64], rank: &dyn Fn(usize) -> Option<usize>, preds: &[f64]) {
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
            if let Some(&d) = extra.get(i) {
                self.extra[i].push(d);
            }
            if let Some(kept) = self.kept.get_mut(i) {
                kept.extend_from_slice(preds);
            }
            if let Some(r) = rank(i) {
                self.rank_min[i] = Some(self.rank_min[i].map_or(r, |q| q.min(r)));
            }
        }
    }

    /// The same accumulator, its trials' second number being `kind`.
    pub(crate) fn with_extra(self, kind: Extra) -> Accumulator {
        Accumulator { extra_kind: kind, ..self }
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
                    middle: self.middle(i),
                    extra_mean: (!self.extra[i].is_empty()).then(|| mean(&self.extra[i])),
                    extra_median: (!self.extra[i].is_empty()).then(|| quantile(&self.extra[i], 0.5)),
                    extra_q25: (!self.extra[i].is_empty()).then(|| quantile(&self.extra[i], 0.25)),
                    extra_q75: (!self.extra[i].is_empty()).then(|| quantile(&self.extra[i], 0.75)),
                }
            })
            .collect();
        SweepResult { axis: self.axis, trials: self.trials, rows, extra: self.extra_kind }
    }

    /// The middle half of the trials at point `i`, if its predictions were kept.
    fn middle(&self, i: usize) -> Option<Middle> {
        let kept = self.kept.get(i)?;
        let (test, train) = (&self.test[i], &self.train[i]);
        let m = self.target.len();
        let t = test.len();
        if t == 0 || m == 0 || kept.len() != t * m {
            return None;
        }
        // Trials ordered by test error (ties by trial), the quarter at each end dropped.
        let order = crate::stats::argsort(test);
        let cut = t / 4;
        let chosen = &order[cut..t - cut];
        let s = chosen.len() as f64;
        let mut fbar = vec![0.0; m];
        for &j in chosen {
            for (f, v) in fbar.iter_mut().zip(&kept[j * m..(j + 1) * m]) {
                *f += v / s;
            }
        }
        let bias2 = fbar.iter().zip(&self.target).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / m as f64;
        let variance =
            chosen.iter().map(|&j| kept[j * m..(j + 1) * m].iter().zip(&fbar).map(|(v, f)| (v - f) * (v - f)).sum::<f64>()).sum::<f64>() / (s * m as f64);
        Some(Middle {
            test_mse: chosen.iter().map(|&j| test[j]).sum::<f64>() / s,
            train_mse: chosen.iter().map(|&j| train[j]).sum::<f64>() / s,
            bias2,
            variance,
        })
    }
}

/// Numbers a row takes in [`SweepResult::to_flat`].
const ROW_FLAT: usize = 27;

impl SweepResult {
    /// The summary as one flat array (for passing from a Web Worker to the page, every number
    /// to the bit): `[axis, trials, rows, then per row x, the ten error and norm columns,
    /// rank_min (−1: none), nonfinite, theory and optimal-ridge theory (each a flag and a
    /// value), the middle half (a flag and four values), the second number (a flag, mean, median
    /// and quartiles)]`, and last what that number is (0 none, 1 ‖β_t − β₀‖, 2 classification
    /// error).
    pub fn to_flat(&self) -> Vec<f64> {
        let axis = match self.axis {
            Along::Size => 0.0,
            Along::Samples => 1.0,
            Along::Steps => 2.0,
        };
        let mut v = Vec::with_capacity(3 + ROW_FLAT * self.rows.len());
        v.extend_from_slice(&[axis, self.trials as f64, self.rows.len() as f64]);
        let opt = |o: Option<f64>| [o.map_or(0.0, |_| 1.0), o.unwrap_or(0.0)];
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
            ]);
            v.extend_from_slice(&opt(r.theory));
            v.extend_from_slice(&opt(r.theory_optimal_ridge));
            let m = r.middle.map_or([0.0; 4], |m| [m.test_mse, m.train_mse, m.bias2, m.variance]);
            v.push(r.middle.map_or(0.0, |_| 1.0));
            v.extend_from_slice(&m);
            match (r.extra_mean, r.extra_median, r.extra_q25, r.extra_q75) {
                (Some(a), Some(b), Some(c), Some(d)) => v.extend_from_slice(&[1.0, a, b, c, d]),
                _ => v.extend_from_slice(&[0.0; 5]),
            }
        }
        v.push(match self.extra {
            Extra::None => 0.0,
            Extra::Moved => 1.0,
            Extra::Class => 2.0,
        });
        v
    }

    /// Reads [`SweepResult::to_flat`] back; `None` if the array is malformed.
    pub fn from_flat(v: &[f64]) -> Option<SweepResult> {
        let count = |x: f64| (x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64).then_some(x as usize);
        let axis = match *v.first()? {
            0.0 => Along::Size,
            1.0 => Along::Samples,
            2.0 => Along::Steps,
            _ => return None,
        };
        let (trials, n) = (count(*v.get(1)?)?, count(*v.get(2)?)?);
        let (kind, body) = v.get(3..)?.split_last()?;
        if body.len() != n.checked_mul(ROW_FLAT)? {
            return None;
        }
        let extra = match *kind {
            0.0 => Extra::None,
            1.0 => Extra::Moved,
            2.0 => Extra::Class,
            _ => return None,
        };
        let rows = body
            .chunks_exact(ROW_FLAT)
            .map(|c| {
                let opt = |flag: f64, value: f64| (flag == 1.0).then_some(value);
                Some(SweepRow {
                    x: count(c[0])?,
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
                    rank_min: if c[11] == -1.0 { None } else { Some(count(c[11])?) },
                    nonfinite: count(c[12])?,
                    theory: opt(c[13], c[14]),
                    theory_optimal_ridge: opt(c[15], c[16]),
                    middle: (c[17] == 1.0).then_some(Middle { test_mse: c[18], train_mse: c[19], bias2: c[20], variance: c[21] }),
                    extra_mean: opt(c[22], c[23]),
                    extra_median: opt(c[22], c[24]),
                    extra_q25: opt(c[22], c[25]),
                    extra_q75: opt(c[22], c[26]),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(SweepResult { axis, trials, rows, extra })
    }
}

#[cfg(test)]
mod tests {
    use crate::features::Family;
    use crate::grid::Grid;
    use crate::problem::Problem;
    use crate::sweep::{run_sequential, SizeSweep, Sweep};
    use crate::testing::legendre;

    #[test]
    fn a_summary_reads_back_from_its_flat_form_to_the_bit() {
        // Below the threshold (a middle half), the gaussian family's theory, and training steps.
        let legendre_sweep = run_sequential(&SizeSweep::new(legendre(20), 30, Grid::Every, 6).unwrap_or_else(|e| panic!("{e}")));
        let gaussian = Problem { family: Family::Gaussian, dim: 40, test: 50, ..legendre(20) };
        let gaussian_sweep = run_sequential(&SizeSweep::new(gaussian, 40, Grid::Every, 4).unwrap_or_else(|e| panic!("{e}")));
        let steps = crate::train::step_grid(1000, 12);
        let train = crate::train::TrainSweep::new(legendre(20), 30, steps, 3, crate::train::Training::default()).unwrap_or_else(|e| panic!("{e}"));
        for r in [legendre_sweep, gaussian_sweep, run_sequential(&train)] {
            let flat = r.to_flat();
            let back = super::SweepResult::from_flat(&flat).unwrap_or_else(|| panic!("{r:?}"));
            // Bit for bit, NaN included: the flat forms are the same bits.
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&back.to_flat()), bits(&flat));
            assert_eq!(back.rows.len(), r.rows.len());
            assert_eq!((back.axis, back.trials), (r.axis, r.trials));
            assert!(r.rows.iter().zip(&back.rows).all(|(a, b)| a.middle.is_some() == b.middle.is_some() && a.theory.is_some() == b.theory.is_some()));
            // Cut short, or with a bad count: refused.
            assert!(super::SweepResult::from_flat(&flat[..flat.len() - 1]).is_none());
            let mut bad = flat.clone();
            bad[2] = 0.5;
            assert!(super::SweepResult::from_flat(&bad).is_none());
        }
        assert!(super::SweepResult::from_flat(&[]).is_none());
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
    fn the_middle_half_of_the_trials_adds_up_and_leaves_out_the_trials_that_blow_up() {
        // Uniform inputs: below the threshold a few trials blow up between far-apart points.
        let sw = SizeSweep::new(Problem { noise: 0.05, ..legendre(30) }, 60, Grid::Every, 20).unwrap_or_else(|e| panic!("{e}"));
        let outs: Vec<_> = (0..20).map(|t| sw.run_trial(t)).collect();
        let mut acc = sw.accumulator();
        outs.iter().for_each(|o| acc.add(o));
        let r = acc.result();
        for (i, row) in r.rows.iter().enumerate() {
            let Some(mid) = row.middle else {
                assert!(row.x >= 30, "no middle half at p = {} below the threshold", row.x);
                continue;
            };
            assert!(row.x < 30, "a middle half kept at p = {} (at or past the threshold)", row.x);
            // An independent count: the ten trials ranked 6th to 15th by test error.
            let mut errs: Vec<f64> = outs.iter().map(|o| o.test_mse[i]).collect();
            errs.sort_by(f64::total_cmp);
            let iqm = errs[5..15].iter().sum::<f64>() / 10.0;
            assert!((mid.test_mse - iqm).abs() <= 1e-12 * iqm, "p = {}: {} vs {iqm}", row.x, mid.test_mse);
            assert!((mid.bias2 + mid.variance - mid.test_mse).abs() <= 1e-9 * mid.test_mse, "p = {}: {mid:?}", row.x);
            assert!(mid.test_mse >= row.test_mse_q25 && mid.test_mse <= row.test_mse_q75, "p = {}: {mid:?} outside the quartiles", row.x);
        }
    }

    #[test]
    fn a_sweep_too_large_to_keep_its_predictions_has_no_middle_half() {
        let sw = SizeSweep::new(Problem { test: 5000, ..legendre(30) }, 40, Grid::Every, 40).unwrap_or_else(|e| panic!("{e}"));
        let mut acc = sw.accumulator();
        acc.add(&sw.run_trial(0));
        assert!(acc.result().rows.iter().all(|r| r.middle.is_none()));
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
}
