//! Training over time on a table — the handwritten digits, or a CSV of your own: at one model
//! size, each trial's model of the table's random features trained by gradient descent on all
//! its outputs at once (one-hot classes, or a value) from β₀ = 0 or a random start, in the
//! closed form of [`crate::train`]. One SVD of the trial's design serves every output
//! ([`TrainPath::outputs`]), and Φ_test·V is formed once for all of them. At each step: the
//! squared loss over the outputs on the training and the held-out rows, ‖β_t‖ (over every
//! output's coefficients) and, for classes, the classification error — the size sweep's numbers
//! ([`TableSweep`]) along steps instead of sizes.

use ndarray::{Array1, ArrayView1};

use super::error::{EngineError, Result};
use super::problem::{check_count, limits};
use super::rng::{normal, Stream};
use super::summary::{Accumulator, Extra};
use super::sweep::{Along, Sweep};
use super::tabular::{scores, TableSweep};
use super::train::{along, mat_mat, StepProducts, TrainPath, Training, MAX_STEPS};
use super::trial::TrialOutput;

/// Training over time on a table at one size ([`TableTrainSweep::new`]).
#[derive(Debug, Clone)]
pub struct TableTrainSweep {
    table: TableSweep,
    size: usize,
    steps: Vec<usize>,
    trials: usize,
    training: Training,
}

impl TableTrainSweep {
    /// The models of size `size` of `table`'s trials (its rows, features and penalty) trained
    /// over `steps` (increasing, from 1), `trials` trials; every setting checked and named.
    pub fn new(table: TableSweep, size: usize, steps: Vec<usize>, trials: usize, training: Training) -> Result<TableTrainSweep> {
        training.check()?;
        check_count("trials", trials, 1, limits::TRIALS)?;
        if table.settings().folds >= 2 {
            return Err(super::problem::out_of_range("holdout", "split for training over time".into(), "kfold"));
        }
        let largest = table.sizes().last().copied().unwrap_or(0);
        check_count("size", size, 1, largest)?;
        if steps.is_empty() || steps.iter().any(|&t| t == 0 || t as u64 > MAX_STEPS) || steps.windows(2).any(|w| w[0] >= w[1]) {
            return Err(EngineError::Shape(format!("steps: increasing whole steps from 1 to {MAX_STEPS}")));
        }
        Ok(TableTrainSweep { table, size, steps, trials, training })
    }

    /// The model size trained.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Trial `trial`'s starts, one per output: p × outputs independent N(0, α²/p) coordinates
    /// from its own stream of the seed (output 0's are [`crate::train::initial`]'s).
    fn starts(&self, trial: usize, outputs: usize) -> Vec<Array1<f64>> {
        let (p, init) = (self.size, self.training.init);
        if init == 0.0 {
            return vec![Array1::zeros(p); outputs];
        }
        let mut rng = Stream::Init.rng(self.table.settings().seed, trial);
        let sd = init / (p.max(1) as f64).sqrt();
        (0..outputs).map(|_| Array1::from_shape_fn(p, |_| sd * normal(&mut rng))).collect()
    }
}

impl Sweep for TableTrainSweep {
    fn trials(&self) -> usize {
        self.trials
    }

    fn run_trial(&self, trial: usize) -> TrialOutput {
        let k = self.steps.len();
        let table = &self.table.settings().table;
        let outputs = table.outputs();
        let classes = self.table.classes();
        let inf = f64::INFINITY;
        let mut out = TrialOutput::unfinished(trial, k, classes.is_some());
        let (phi, test, train, held) = self.table.designs(trial, self.size);
        let (n, m) = (train.len(), held.len());
        // Labels output after output (n each), as the size sweep fits them (a regression's less
        // the training rows' mean).
        let mean = table.label_mean(&train);
        let y = table.centered(&train, mean);
        let ys: Vec<ArrayView1<f64>> = y.chunks_exact(n.max(1)).map(ArrayView1::from).collect();
        let starts = self.starts(trial, outputs);
        let views: Vec<ArrayView1<f64>> = starts.iter().map(|b| b.view()).collect();
        let Ok(paths) = TrainPath::outputs(phi.view(), &ys, &views, self.table.settings().ridge, &self.training) else {
            // Inputs the sweep accepted cannot fail here; if they did, the trial says so with
            // infinite errors rather than a panic.
            return out;
        };
        let Some(first) = paths.first() else { return out };
        let tv = mat_mat(test.view(), first.v_view());
        let walked: Vec<StepProducts> =
            paths.iter().map(|path| along(path, self.steps.iter().map(|&t| path.coords_at(t as f64)), phi.view(), test.view(), &tv)).collect();
        let held_labels: Vec<u16> = classes.map(|of| held.iter().map(|&i| of[i]).collect()).unwrap_or_default();
        let held_values = table.centered(&held, mean);
        let r = first.rank();
        let clean = |v: f64| if v.is_finite() { v } else { inf };
        let mut pred = vec![0.0; outputs * m];
        for i in 0..k {
            let (mut train_loss, mut norm2) = (0.0, 0.0);
            for (j, w) in walked.iter().enumerate() {
                let g = w.gs[i];
                let fitted = &w.fitted_all[i * n..(i + 1) * n];
                let preds = &w.preds_all[i * m..(i + 1) * m];
                let (yj, c) = (&y[j * n..(j + 1) * n], &w.cs[i * r..(i + 1) * r]);
                // Φ·β_t = (its part along the kept directions) + g·Φ·β₀,null; likewise at the
                // held-out rows.
                train_loss += fitted.iter().zip(yj).zip(&w.f_null).map(|((f, y), z)| (f + g * z - y) * (f + g * z - y)).sum::<f64>();
                for ((o, p), z) in pred[j * m..(j + 1) * m].iter_mut().zip(preds).zip(&w.t_null) {
                    *o = p + g * z;
                }
                norm2 += c.iter().map(|v| v * v).sum::<f64>() + g * g * w.null2;
            }
            out.train_mse[i] = clean(train_loss / n.max(1) as f64);
            out.norm[i] = clean(norm2.sqrt());
            out.rank[i] = Some(r);
            if classes.is_some() {
                let (loss, wrong) = scores(&pred, &held_labels, outputs);
                out.test_mse[i] = clean(loss);
                out.extra[i] = if wrong.is_finite() { wrong } else { 1.0 };
            } else {
                let mf = held_values.len().max(1) as f64;
                out.test_mse[i] = clean(pred.iter().zip(&held_values).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / mf);
            }
        }
        out
    }

    fn accumulator(&self) -> Accumulator {
        let acc = Accumulator::new(Along::Steps, self.steps.clone(), Vec::new(), vec![(None, None); self.steps.len()], 0, self.trials);
        if self.table.classes().is_some() {
            acc.with_extra(Extra::Class)
        } else {
            acc
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Family;
    use crate::grid::Grid;
    use crate::tabular::Tabular;
    use crate::testing::toy_images;
    use crate::train::step_grid;

    fn table(n: usize, ridge: f64) -> TableSweep {
        let settings = Tabular { table: toy_images(200), family: Family::Relu, bandwidth: 1.0, n, test: 60, ridge, seed: 1, folds: 0 };
        TableSweep::new(settings, 120, Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"))
    }

    fn training(init: f64) -> Training {
        Training { lr: 0.5, flow: false, init, ..Training::default() }
    }

    #[test]
    fn training_over_time_takes_a_held_out_split_not_k_fold() {
        let settings = Tabular { table: toy_images(200), family: Family::Relu, bandwidth: 1.0, n: 40, test: 60, ridge: 0.0, seed: 1, folds: 5 };
        let sweep = TableSweep::new(settings, 60, crate::grid::Grid::Every, 2).unwrap_or_else(|e| panic!("{e}"));
        let e = TableTrainSweep::new(sweep, 40, vec![1, 10], 2, training(0.0)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("holdout"), "{e}");
    }

    #[test]
    fn one_factorization_trains_every_output_as_its_own_path_would() {
        let sw = table(40, 0.0);
        let (phi, _, train, _) = sw.designs(0, 70);
        let y = sw.settings().table.targets(&train);
        let ys: Vec<ArrayView1<f64>> = y.chunks_exact(train.len()).map(ArrayView1::from).collect();
        let starts: Vec<Array1<f64>> = (0..ys.len()).map(|j| Array1::from_shape_fn(70, |i| ((i * 7 + j) as f64).sin() * 0.1)).collect();
        let views: Vec<ArrayView1<f64>> = starts.iter().map(|b| b.view()).collect();
        let tr = training(0.0);
        let all = TrainPath::outputs(phi.view(), &ys, &views, 0.01, &tr).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.len(), 10);
        for (j, path) in all.iter().enumerate() {
            let alone = TrainPath::new(phi.view(), ys[j], views[j], 0.01, &tr).unwrap_or_else(|e| panic!("{e}"));
            for t in [1.0, 30.0, 1e4] {
                assert_eq!(path.beta(t), alone.beta(t), "output {j} at step {t}");
            }
        }
    }

    #[test]
    fn training_on_a_table_ends_at_the_size_sweeps_fit() {
        // Minimum norm past the threshold (p = 70 > n = 40) and ridge below it: after 10⁸ steps
        // every trial's model is the sweep's, so are its held-out loss and classification error.
        for (ridge, size) in [(0.0, 70), (0.01, 25)] {
            let sw = table(40, ridge);
            let sweep = crate::sweep::run_sequential(&sw);
            let row = sweep.rows.iter().find(|r| r.x == size).unwrap_or_else(|| panic!("no size {size}"));
            let tt = TableTrainSweep::new(table(40, ridge), size, vec![1, 100, 100_000_000], 3, training(0.0)).unwrap_or_else(|e| panic!("{e}"));
            let end = crate::sweep::run_sequential(&tt);
            let last = end.rows.last().unwrap_or_else(|| unreachable!());
            let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-12);
            assert!(rel(last.test_mse_median, row.test_mse_median) < 1e-8, "λ = {ridge}: {} vs {}", last.test_mse_median, row.test_mse_median);
            assert!(rel(last.train_mse_median, row.train_mse_median) < 1e-6 || row.train_mse_median < 1e-12);
            let (a, b) = (last.extra_median, row.extra_median);
            assert_eq!(a, b, "λ = {ridge}: the classification error");
            // After one step the model is near its start, zero, whose loss is 1 per image (the
            // one-hot label's 1 missed).
            assert!((end.rows[0].test_mse_median - 1.0).abs() < 0.5, "{}", end.rows[0].test_mse_median);
        }
    }

    #[test]
    fn bad_table_training_settings_are_refused_by_name() {
        let err = |size, steps: Vec<usize>, tr| TableTrainSweep::new(table(40, 0.0), size, steps, 3, tr).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(0, step_grid(100, 10), training(0.0)).contains("size"));
        assert!(err(121, step_grid(100, 10), training(0.0)).contains("size"));
        assert!(err(50, vec![], training(0.0)).contains("steps"));
        assert!(err(50, step_grid(100, 10), Training { lr: 1.5, ..training(0.0) }).contains("lr"));
        assert!(err(50, step_grid(100, 10), training(f64::NAN)).contains("init"));
    }

    #[test]
    fn a_random_start_is_drawn_per_output_and_trial_and_repeats_with_the_seed() {
        let tt = TableTrainSweep::new(table(40, 0.0), 50, step_grid(1000, 20), 2, training(3.0)).unwrap_or_else(|e| panic!("{e}"));
        let (a, b) = (tt.starts(0, 10), tt.starts(0, 10));
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert_ne!(tt.starts(1, 10)[0], a[0]);
        assert_eq!(a[0], crate::train::initial(1, 0, 50, 3.0));
        let out = tt.run_trial(0);
        assert!(out.test_mse.iter().chain(&out.train_mse).chain(&out.norm).all(|v| v.is_finite()));
    }
}
