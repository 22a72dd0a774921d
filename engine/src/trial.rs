//! One trial's output ([`TrialOutput`]) and its flat form, the array a Web Worker sends the
//! page: `[trial, k, m, train_mse…, test_mse…, norm…, rank… (−1: none), extra… (where the
//! sweep has a second number), preds…]`, written by [`TrialOutput::to_flat`] and read by one reader,
//! [`FlatTrial`] (which tells the two forms apart by their length: k·m predictions and 4·k or
//! 5·k numbers before them).

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
    /// The sweep's second number per x, where it has one ([`crate::summary::Extra`]): ‖β − β₀‖,
    /// how far training moved the model from its start ([`crate::train::TrainSweep`]), or the
    /// classification error ([`crate::tabular::TableSweep`]); empty elsewhere.
    pub extra: Vec<f64>,
    /// Predictions at the m shared test rows, x-major (x index · m + row).
    pub preds: Vec<f64>,
}

impl TrialOutput {
    /// A table trial's output before anything is computed (a trial that fails stays so): every
    /// error, norm and `extra` (the classification error, if `classes`) infinite, at `k` points.
    pub fn unfinished(trial: usize, k: usize, classes: bool) -> TrialOutput {
        let inf = f64::INFINITY;
        TrialOutput {
            trial,
            train_mse: vec![inf; k],
            test_mse: vec![inf; k],
            norm: vec![inf; k],
            rank: vec![None; k],
            extra: if classes { vec![inf; k] } else { Vec::new() },
            preds: Vec::new(),
        }
    }

    /// The output as one flat array (for passing from a Web Worker to the page):
    /// `[trial, count, m, train_mse…, test_mse…, norm…, rank… (−1: none), extra…, preds…]`.
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
        if self.extra.len() == k && k > 0 {
            v.extend_from_slice(&self.extra);
        }
        v
    }

    /// Reads [`TrialOutput::to_flat`] back; `None` if the array is malformed.
    pub fn from_flat(v: &[f64]) -> Option<TrialOutput> {
        let t = FlatTrial::parse(v)?;
        Some(TrialOutput {
            trial: t.trial,
            train_mse: t.train_mse().to_vec(),
            test_mse: t.test_mse().to_vec(),
            norm: t.norm().to_vec(),
            rank: (0..t.count()).map(|i| t.rank(i)).collect(),
            extra: t.extra().to_vec(),
            preds: t.preds().to_vec(),
        })
    }
}

/// One trial in its flat form ([`TrialOutput::to_flat`]), checked and read in place: the one
/// reader of the format, for [`TrialOutput::from_flat`] and [`crate::summary::Accumulator::add_flat`].
#[derive(Debug, Clone, Copy)]
pub struct FlatTrial<'a> {
    /// Which trial.
    pub trial: usize,
    /// Points of the x-axis (k).
    k: usize,
    /// Shared test rows (m).
    m: usize,
    /// Everything after the three header numbers: 4·k numbers (5·k with `extra`), then k·m
    /// predictions.
    body: &'a [f64],
    /// Whether the sweep's second number is there.
    extra: bool,
}

impl<'a> FlatTrial<'a> {
    /// Reads the header and checks the length; `None` if the array is malformed (a header
    /// number that is not a whole number from 0 to 2³² − 1, or a body of another length).
    pub fn parse(v: &'a [f64]) -> Option<FlatTrial<'a>> {
        let count = |x: f64| (x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64).then_some(x as usize);
        let (trial, k, m) = (count(*v.first()?)?, count(*v.get(1)?)?, count(*v.get(2)?)?);
        let body = v.get(3..)?;
        let preds = k.checked_mul(m)?;
        let extra = match body.len().checked_sub(preds) {
            Some(n) if Some(n) == k.checked_mul(4) => false,
            Some(n) if Some(n) == k.checked_mul(5) && k > 0 => true,
            _ => return None,
        };
        Some(FlatTrial { trial, k, m, body, extra })
    }

    /// Points of the x-axis.
    pub fn count(&self) -> usize {
        self.k
    }

    /// Shared test rows (predictions per point).
    pub fn rows(&self) -> usize {
        self.m
    }

    fn part(&self, i: usize) -> &'a [f64] {
        &self.body[i * self.k..(i + 1) * self.k]
    }

    /// Training MSE per point.
    pub fn train_mse(&self) -> &'a [f64] {
        self.part(0)
    }

    /// Test MSE per point.
    pub fn test_mse(&self) -> &'a [f64] {
        self.part(1)
    }

    /// ‖β̂‖ per point.
    pub fn norm(&self) -> &'a [f64] {
        self.part(2)
    }

    /// The rank at point `i` (written −1 when there is none).
    pub fn rank(&self, i: usize) -> Option<usize> {
        let r = self.part(3)[i];
        (r >= 0.0).then_some(r as usize)
    }

    /// The second number per point (empty: not reported).
    pub fn extra(&self) -> &'a [f64] {
        if self.extra {
            self.part(4)
        } else {
            &[]
        }
    }

    /// The predictions, x-major (x index · m + row).
    pub fn preds(&self) -> &'a [f64] {
        &self.body[if self.extra { 5 } else { 4 } * self.k..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Family;
    use crate::grid::Grid;
    use crate::problem::Problem;
    use crate::sweep::{run_sequential, SizeSweep, Sweep};
    use crate::testing::legendre;

    #[test]
    fn a_trial_read_back_equals_the_trial_written_including_infinities_and_missing_values() {
        let p = Problem { family: Family::Gaussian, dim: 30, ..legendre(10) };
        let sw = SizeSweep::new(p, 30, Grid::Every, 2).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(&sw);
        assert!(r.rows.iter().any(|row| row.theory == Some(f64::INFINITY)));
        let out = sw.run_trial(1);
        let back = TrialOutput::from_flat(&out.to_flat()).unwrap_or_else(|| panic!("malformed"));
        assert_eq!(format!("{back:?}"), format!("{out:?}"));
        assert!(TrialOutput::from_flat(&[1.0, 2.0, 3.0, 4.0]).is_none());
    }
}
