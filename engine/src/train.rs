//! Training over time: full-batch gradient descent on the sweep's loss, and gradient flow, its
//! continuous-time limit — in closed form from one SVD of the design, so step 10⁸ costs what
//! step 1 does.
//!
//! The loss is L(β) = (1/n)·‖y − Φβ‖² + λ·‖β‖² (the sweep's; λ is the ridge penalty, here weight
//! decay). Its Hessian is H = (2/n)·ΦᵀΦ + 2λ·I: with Φ = U·S·Vᵀ (thin, rank r), eigenvalue
//! hᵢ = 2sᵢ²/n + 2λ along vᵢ and 2λ on the null space of Φ. Gradient descent with step η,
//! β_{t+1} = β_t − η·∇L(β_t), converges to β̂ — the ridge fit for λ > 0; for λ = 0 the
//! minimum-norm fit plus the part of β₀ in the null space, which no gradient ever touches (the
//! interpolant nearest β₀) — and
//!
//! β_t = β̂ + Σᵢ (1 − η·hᵢ)ᵗ·vᵢvᵢᵀ(β₀ − β̂) + (1 − 2ηλ)ᵗ·P_null β₀.
//!
//! Gradient flow at time τ = η·t replaces (1 − η·h)ᵗ by e^(−h·τ). The step is a fraction `lr` of
//! the stable limit 2/L (L = max hᵢ), so every factor |1 − η·hᵢ| < 1. A factor is evaluated as
//! exp(t·log1p(−η·h)) (its sign apart, for η·h > 1), never by raising a rounded base to a large
//! power. Nothing forms ΦᵀΦ: the SVD is a Householder QR followed by the one-sided Jacobi of
//! [`crate::linalg`] on the small triangle ([`crate::linalg::svd_qr`]).

use std::sync::Arc;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ShapeBuilder};
use serde::{Deserialize, Serialize};

use super::error::{EngineError, Result};
use super::linalg::{rcond, svd_qr};
use super::problem::{check_count, check_real, limits, out_of_range, Problem, TestSet};
use super::rng::{normal, Stream};
use super::summary::{Accumulator, Extra};
use super::sweep::{Along, Sweep};
use super::trial::TrialOutput;

/// The most steps a training curve reaches.
pub const MAX_STEPS: u64 = 100_000_000;

/// How the model is trained: gradient descent with a step of `lr`·2/L (or gradient flow at the
/// same times τ = η·t), from β₀ of scale `init`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// The step as a fraction of the stable limit 2/L, in (0, 1).
    pub lr: f64,
    /// Gradient flow (the continuous-time limit) instead of discrete steps.
    pub flow: bool,
    /// Scale α of the initialization: β₀ has independent N(0, α²/p) coordinates (0: β₀ = 0).
    pub init: f64,
    /// Two-speed features: the slow coordinates' step κ² times the fast ones' (descent
    /// preconditioned by the coordinates' scales), so that both groups learn at one speed — the
    /// way Heckel & Yilmaz (2020) remove epoch-wise double descent. Weight decay then acts on the
    /// rescaled coordinates.
    pub equalize: bool,
}

impl Default for Training {
    fn default() -> Training {
        Training { lr: 0.5, flow: false, init: 0.0, equalize: false }
    }
}

impl Training {
    /// Rejects a step fraction outside (0, 1) or a negative or non-finite init scale.
    pub fn check(&self) -> Result<()> {
        if !(self.lr.is_finite() && self.lr > 0.0 && self.lr < 1.0) {
            return Err(out_of_range("lr", "a number greater than 0 and less than 1 (a fraction of the stable step 2/L)".into(), self.lr));
        }
        check_real("init", self.init, 0.0, 1e6)
    }
}

/// One trial's model under training: β_t at any step, from one SVD of its design.
#[derive(Debug, Clone)]
pub struct TrainPath {
    /// Right singular vectors kept (p × r).
    v: Arc<Array2<f64>>,
    /// U·S (n × r): the fitted values of coordinates c are (U·S)·c.
    us: Arc<Array2<f64>>,
    /// Hessian eigenvalues 2sᵢ²/n + 2λ along the kept directions.
    h: Vec<f64>,
    /// Coordinates of the limit β̂ along the kept directions.
    hat: Vec<f64>,
    /// Coordinates of β₀ along them.
    start: Vec<f64>,
    /// The part of β₀ outside them (the null space of Φ, up to the rank cutoff).
    null: Array1<f64>,
    /// 2λ: the null space's eigenvalue.
    h_null: f64,
    /// The kept singular values and the labels' coordinates uᵀy along them (for ridge fits at
    /// other penalties: the overlay).
    s: Vec<f64>,
    uty: Vec<f64>,
    /// Training points.
    n: usize,
    /// The step η.
    eta: f64,
    flow: bool,
}

impl TrainPath {
    /// The model trained on design `phi` (n × p) and labels `y` with penalty `ridge`, from
    /// `beta0` (p), as `training` says (its `init` is not used: `beta0` is the start).
    pub fn new(phi: ArrayView2<f64>, y: ArrayView1<f64>, beta0: ArrayView1<f64>, ridge: f64, training: &Training) -> Result<TrainPath> {
        let mut paths = TrainPath::outputs(phi, &[y], &[beta0], ridge, training)?;
        paths.pop().ok_or_else(|| EngineError::Shape("no labels".into()))
    }

    /// The models of several outputs trained on one design `phi` (n × p): output j on labels
    /// `ys[j]` from `beta0s[j]` — one SVD of the design for all of them (the ten classes of the
    /// digits are never refitted one by one).
    pub fn outputs(phi: ArrayView2<f64>, ys: &[ArrayView1<f64>], beta0s: &[ArrayView1<f64>], ridge: f64, training: &Training) -> Result<Vec<TrainPath>> {
        training.check()?;
        super::solve::check_ridge(ridge)?;
        let (n, p) = phi.dim();
        if ys.len() != beta0s.len() || ys.iter().any(|y| y.len() != n) || beta0s.iter().any(|b| b.len() != p) {
            return Err(EngineError::Shape(format!("{} label sets and {} starts for a {n} × {p} design", ys.len(), beta0s.len())));
        }
        if n == 0 {
            return Err(EngineError::Insufficient("at least one training point is needed".into()));
        }
        if phi.iter().chain(ys.iter().flat_map(|y| y.iter())).chain(beta0s.iter().flat_map(|b| b.iter())).any(|v| !v.is_finite()) {
            return Err(EngineError::NonFinite("every feature, label and starting coefficient"));
        }
        let d = svd_qr(phi);
        let smax = d.s.iter().copied().fold(0.0, f64::max);
        let cut = rcond(n, p) * smax;
        let keep: Vec<usize> = (0..d.s.len()).filter(|&k| d.s[k] > cut && d.s[k] > 0.0).collect();
        let r = keep.len();
        let nf = n as f64;
        // Column-major: the steps' products take whole columns ([`mat_mat`]).
        let mut v = Array2::zeros((p, r).f());
        let mut us = Array2::zeros((n, r).f());
        let (mut h, mut sv) = (Vec::with_capacity(r), Vec::with_capacity(r));
        for (j, &k) in keep.iter().enumerate() {
            let s = d.s[k];
            v.column_mut(j).assign(&d.v.column(k));
            us.column_mut(j).assign(&(&d.u.column(k) * s));
            h.push(2.0 * s * s / nf + 2.0 * ridge);
            sv.push(s);
        }
        let l = h.iter().copied().fold(2.0 * ridge, f64::max);
        let eta = if l > 0.0 { training.lr * 2.0 / l } else { 1.0 };
        let (v, us) = (Arc::new(v), Arc::new(us));
        let paths = ys
            .iter()
            .zip(beta0s)
            .map(|(y, beta0)| {
                let (mut hat, mut start, mut uty) = (Vec::with_capacity(r), Vec::with_capacity(r), Vec::with_capacity(r));
                for &k in &keep {
                    let s = d.s[k];
                    // The ridge / minimum-norm coordinate s·(uᵀy)/(s² + nλ).
                    let c = d.u.column(k).dot(y);
                    hat.push(s * c / (s * s + nf * ridge));
                    uty.push(c);
                    start.push(d.v.column(k).dot(beta0));
                }
                let null = beta0 - &v.dot(&Array1::from(start.clone()));
                // V and U·S are the design's, shared by every output's path (not copied).
                TrainPath {
                    v: Arc::clone(&v),
                    us: Arc::clone(&us),
                    h: h.clone(),
                    hat,
                    start,
                    null,
                    h_null: 2.0 * ridge,
                    s: sv.clone(),
                    uty,
                    n,
                    eta,
                    flow: training.flow,
                }
            })
            .collect();
        Ok(paths)
    }

    /// The step η.
    pub fn eta(&self) -> f64 {
        self.eta
    }

    /// The numerical rank of the design.
    pub fn rank(&self) -> usize {
        self.h.len()
    }

    /// What is left after `t` steps of a direction of Hessian eigenvalue `h`: (1 − η·h)ᵗ, or
    /// e^(−h·η·t) for gradient flow. With `libm`'s exp and log, so it is bit-identical natively
    /// and in wasm (the platform's own differ in the last bit).
    pub fn factor(&self, h: f64, t: f64) -> f64 {
        step_factor(self.eta * h, t, self.flow)
    }

    /// The coordinates of β_t along the kept directions, and the null space's factor.
    fn coords(&self, t: f64) -> (Vec<f64>, f64) {
        let c = self.h.iter().zip(&self.hat).zip(&self.start).map(|((&h, &b), &s)| b + self.factor(h, t) * (s - b)).collect();
        (c, self.factor(self.h_null, t))
    }

    /// The coordinates of β_t along the kept directions and the null space's factor (for
    /// [`along`]).
    pub(crate) fn coords_at(&self, t: f64) -> (Vec<f64>, f64) {
        self.coords(t)
    }

    /// The kept right singular vectors V (p × r).
    pub(crate) fn v_view(&self) -> ndarray::ArrayView2<'_, f64> {
        self.v.view()
    }

    /// β_t, the coefficients after `t` steps (gradient flow: at time η·t).
    pub fn beta(&self, t: f64) -> Array1<f64> {
        let (c, g) = self.coords(t);
        self.v.dot(&Array1::from(c)) + &(&self.null * g)
    }

    /// The ridge fit (from β₀ = 0) with `extra` added to the path's penalty, as coordinates
    /// along the kept directions.
    fn ridge_coords(&self, extra: f64) -> Vec<f64> {
        let shift = self.n as f64 * (self.h_null / 2.0 + extra);
        self.s.iter().zip(&self.uty).map(|(s, c)| s * c / (s * s + shift)).collect()
    }

    /// The ridge fit that early stopping at step `t` is compared with (Ali, Kolter & Tibshirani
    /// 2019): penalty 1/(2τ) more, at the time τ = η·t (their gradient flow on half our loss
    /// runs at 2τ, and their bound compares it with ridge at 1/(2τ)).
    pub fn ridge_at(&self, t: f64) -> Array1<f64> {
        let tau = (self.eta * t).max(1e-300);
        self.v.dot(&Array1::from(self.ridge_coords(1.0 / (2.0 * tau))))
    }

    /// The coefficients training converges to (t → ∞).
    pub fn limit(&self) -> Array1<f64> {
        let g = if self.h_null > 0.0 { 0.0 } else { 1.0 };
        self.v.dot(&Array1::from(self.hat.clone())) + &(&self.null * g)
    }
}

/// Test error against training steps at one model size: every trial trained from its own β₀.
#[derive(Debug, Clone)]
pub struct TrainSweep {
    /// Report, at each step, the ridge fit early stopping is compared with
    /// ([`TrainPath::ridge_at`]) instead of the trained model.
    overlay: bool,
    /// Leave the asymptotic theory out of the summary ([`TrainSweep::without_theory`]).
    no_theory: bool,
    problem: Problem,
    size: usize,
    steps: Vec<usize>,
    trials: usize,
    test: TestSet,
    training: Training,
}

/// What is left after `t` steps of a direction whose step shrinks it by x = η·h: (1 − x)ᵗ, or
/// e^(−x·t) for gradient flow — as exp(t·log1p(−x)) (its sign apart, for x > 1), never by
/// raising a rounded base to a large power, with `libm` (the same bits natively and in wasm).
/// The one evaluation of it, for the trained paths and the theory ([`crate::theory`]).
pub fn step_factor(x: f64, t: f64, flow: bool) -> f64 {
    if t <= 0.0 || x <= 0.0 {
        return 1.0;
    }
    if flow {
        return libm::exp(-x * t);
    }
    if x < 1.0 {
        libm::exp(t * libm::log1p(-x))
    } else if x == 1.0 {
        0.0
    } else {
        // 1 − x is negative: its magnitude to the t, with the sign of (−1)^t.
        let m = libm::exp(t * libm::log(x - 1.0));
        if t.rem_euclid(2.0) == 1.0 {
            -m
        } else {
            m
        }
    }
}

/// `count` log-spaced whole steps from 1 to `max` (each once, in order).
pub fn step_grid(max: u64, count: usize) -> Vec<usize> {
    let max = max.clamp(1, MAX_STEPS) as f64;
    let count = count.max(2);
    let mut v: Vec<usize> = (0..count).map(|i| libm::round(libm::pow(max, i as f64 / (count - 1) as f64)) as usize).collect();
    v.dedup();
    v
}

impl TrainSweep {
    /// Training at model size `size` evaluated at `steps`, over `trials`.
    pub fn new(problem: Problem, size: usize, steps: Vec<usize>, trials: usize, training: Training) -> Result<TrainSweep> {
        problem.validate(size)?;
        training.check()?;
        check_count("trials", trials, 1, limits::TRIALS)?;
        check_count("size", size, 1, limits::SIZE)?;
        if steps.is_empty() || steps.iter().any(|&t| t == 0 || t as u64 > MAX_STEPS) || steps.windows(2).any(|w| w[0] >= w[1]) {
            return Err(out_of_range("steps", format!("increasing whole steps from 1 to {MAX_STEPS}"), format!("{} steps", steps.len())));
        }
        problem.check_points(steps.len())?;
        let test = problem.test_set(size);
        Ok(TrainSweep { overlay: false, no_theory: false, problem, size, steps, trials, test, training })
    }

    /// The same sweep reporting, at each step t, the ridge fit with penalty 1/(2ηt) more
    /// ([`TrainPath::ridge_at`]): the overlay early stopping is compared with.
    pub fn ridge_overlay(&self) -> TrainSweep {
        TrainSweep { overlay: true, ..self.clone() }
    }

    /// The asymptotic theory of the training curve ([`crate::theory::TrainingTheory`]): the
    /// gaussian family with isotropic coordinates (not two-speed), for the trained model (not the
    /// ridge overlay).
    pub fn theory(&self) -> Option<crate::theory::TrainingTheory> {
        let pr = &self.problem;
        if pr.family != super::features::Family::Gaussian || pr.two_speed() || self.overlay || self.no_theory {
            return None;
        }
        let (seen, unseen) = pr.signal_split(self.size);
        let gamma = self.size as f64 / pr.n as f64;
        let tr = &self.training;
        Some(crate::theory::TrainingTheory::new(gamma, pr.ridge, tr.lr, tr.flow, seen, unseen, pr.noise * pr.noise, tr.init * tr.init))
    }

    /// The same sweep without the theory in its summary: the size × time map, which does not
    /// draw it, skips its integrals at every size and step.
    pub fn without_theory(self) -> TrainSweep {
        TrainSweep { no_theory: true, ..self }
    }

    /// The model size trained.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The steps evaluated.
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// The columns' multipliers of equalized training ([`Training::equalize`]): κ on the slow
    /// coordinates, so descent on the rescaled coordinates moves both groups at one speed.
    fn equalizer(&self) -> Option<Array1<f64>> {
        let scales = self.problem.scales();
        (self.training.equalize && self.problem.two_speed()).then(|| Array1::from_shape_fn(self.size, |j| 1.0 / scales[j]))
    }

    /// Walks `path` along the sweep's steps (or, for the overlay, the matching ridge fits),
    /// calling `each` with the model's train error on (`phi`, `y`), its predictions at the rows
    /// of `test_phi`, ‖β_t‖ and ‖β_t − β₀‖ (`scale`: equalized training's multipliers).
    fn walk(
        &self,
        path: &TrainPath,
        phi: ArrayView2<f64>,
        y: &[f64],
        test_phi: ArrayView2<f64>,
        scale: Option<&Array1<f64>>,
        mut each: impl FnMut(&StepPoint<'_>),
    ) {
        let overlay = self.overlay;
        let coords =
            self.steps.iter().map(|&t| if overlay { (path.ridge_coords(1.0 / (2.0 * (path.eta * t as f64).max(1e-300))), 0.0) } else { path.coords(t as f64) });
        let tv = mat_mat(test_phi, path.v.view());
        let StepProducts { cs, gs, mut fitted_all, mut preds_all, f_null, t_null, null2 } = along(path, coords, phi, test_phi, &tv);
        let (m, n, r) = (test_phi.nrows(), phi.nrows(), path.rank());
        for (i, &g) in gs.iter().enumerate() {
            let (fitted, preds) = (&mut fitted_all[i * n..(i + 1) * n], &mut preds_all[i * m..(i + 1) * m]);
            // β₀ = 0 (the default) has no null-space part.
            if g != 0.0 && null2 > 0.0 {
                crate::kernels::axpy(g, &f_null, fitted);
                crate::kernels::axpy(g, &t_null, preds);
            }
            let c = Array1::from(cs[i * r..(i + 1) * r].to_vec());
            let train_mse = fitted.iter().zip(y).map(|(f, y)| (f - y) * (f - y)).sum::<f64>() / y.len().max(1) as f64;
            // β_t − β₀ = V·(c − start) + (g − 1)·β₀,null: its parts are orthogonal.
            let step: Array1<f64> = c.iter().zip(&path.start).map(|(a, b)| a - b).collect();
            let (norm2, moved2) = match scale {
                // The model's coefficients are the multipliers times the path's.
                Some(k) => (
                    (&(path.v.dot(&c) + &(&path.null * g)) * k).mapv(|v| v * v).sum(),
                    (&(path.v.dot(&step) + &(&path.null * (g - 1.0))) * k).mapv(|v| v * v).sum(),
                ),
                None => (c.dot(&c) + g * g * null2, step.dot(&step) + (g - 1.0) * (g - 1.0) * null2),
            };
            each(&StepPoint { train_mse, preds, norm2, moved: moved2.sqrt() });
        }
    }

    /// One trial on your own data: each held-out fold's model trained on the rest (as the size
    /// sweep fits it), its held-out error pooled over folds ([`crate::sweep::own_trial`]), and
    /// ‖β_t − β₀‖ averaged over folds like ‖β_t‖.
    fn own_trial(&self, trial: usize) -> TrialOutput {
        let pr = &self.problem;
        let k = self.steps.len();
        let beta0 = initial(pr.seed, trial, self.size, self.training.init);
        let moved = std::cell::RefCell::new((vec![0.0; k], 0usize));
        let mut out = crate::sweep::own_trial(pr, trial, &self.steps, self.size, |phi, y, held, sink| {
            let Ok(path) = TrainPath::new(phi.view(), ArrayView1::from(y), beta0.view(), pr.ridge, &self.training) else { return };
            let mut i = 0;
            self.walk(&path, phi.view(), y, held.view(), None, |at| {
                sink(i, at.train_mse, at.preds, at.norm2.sqrt(), Some(path.rank()));
                if let Some(d) = moved.borrow_mut().0.get_mut(i) {
                    *d += at.moved;
                }
                i += 1;
            });
            moved.borrow_mut().1 += 1;
        });
        let (sum, folds) = moved.into_inner();
        let complete = folds == pr.folds_of(trial).count();
        out.extra = sum.iter().zip(&out.norm).map(|(d, n)| if complete && n.is_finite() && d.is_finite() { d / folds as f64 } else { f64::INFINITY }).collect();
        out
    }

    /// Trial `trial`'s model under training (its design, labels and β₀ drawn from the seed), and
    /// the design it is trained on (rescaled when equalized: the model's coefficients are then
    /// the multipliers times the path's).
    fn trained(&self, trial: usize) -> Result<(TrainPath, Array2<f64>, Vec<f64>)> {
        let pr = &self.problem;
        let train = pr.train_set(trial, pr.train_n(), self.size);
        let mut beta0 = initial(pr.seed, trial, self.size, self.training.init);
        let mut phi = train.phi;
        if let Some(c) = self.equalizer() {
            phi *= &c;
            beta0 /= &c;
        }
        let path = TrainPath::new(phi.view(), ArrayView1::from(&train.y), beta0.view(), pr.ridge, &self.training)?;
        Ok((path, phi, train.y))
    }

    /// Trial `trial`'s model under training (its design, labels and β₀ drawn from the seed).
    pub fn path(&self, trial: usize) -> Result<TrainPath> {
        self.trained(trial).map(|(path, _, _)| path)
    }

    /// Trial `trial`'s model under training, factored once: [`Trained::at`] then gives it after
    /// any number of steps — the fit panel's model at the time cursor.
    pub fn trained_model(&self, trial: usize) -> Result<Trained> {
        let (path, phi, y) = self.trained(trial)?;
        Ok(Trained { path, phi, y, scale: self.equalizer() })
    }

    /// Trial `trial`'s model after `t` steps ([`Trained::at`]).
    pub fn model_at(&self, trial: usize, t: f64) -> Result<(Array1<f64>, f64)> {
        Ok(self.trained_model(trial)?.at(t))
    }
}

/// One trial's model under training ([`TrainSweep::trained_model`]): its path, the design it is
/// trained on and its labels.
pub struct Trained {
    path: TrainPath,
    phi: Array2<f64>,
    y: Vec<f64>,
    scale: Option<Array1<f64>>,
}

impl Trained {
    /// The model after `t` steps: its coefficients (undoing equalized training's rescaling) and
    /// its train error.
    pub fn at(&self, t: f64) -> (Array1<f64>, f64) {
        let beta = self.path.beta(t);
        let fitted = self.phi.dot(&beta);
        let train_mse = fitted.iter().zip(&self.y).map(|(f, y)| (f - y) * (f - y)).sum::<f64>() / self.y.len().max(1) as f64;
        let coef = match &self.scale {
            Some(c) => beta * c,
            None => beta,
        };
        (coef, train_mse)
    }
}

/// The model at one step of a training curve ([`TrainSweep`]'s walk).
struct StepPoint<'a> {
    /// Train error on the design it is trained on.
    train_mse: f64,
    /// Predictions at the test (or held-out) rows.
    preds: &'a [f64],
    /// ‖β_t‖².
    norm2: f64,
    /// ‖β_t − β₀‖.
    moved: f64,
}

/// A path's steps in products ([`along`]): every step's coordinates (r each) and null-space
/// factor, Φ·β_t and Φ_test·β_t without the null space's part (a column a step), and that
/// part's Φ·β₀,null, Φ_test·β₀,null and ‖β₀,null‖².
pub(crate) struct StepProducts {
    pub cs: Vec<f64>,
    pub gs: Vec<f64>,
    pub fitted_all: Vec<f64>,
    pub preds_all: Vec<f64>,
    pub f_null: Vec<f64>,
    pub t_null: Vec<f64>,
    pub null2: f64,
}

/// `path` at the steps whose coordinates `coords` gives, on its design `phi` and at the rows of
/// `test_phi` (with `tv` = Φ_test·V, which several outputs of one design share): Φ·β_t and
/// Φ_test·β_t as two matrix products — (Φ·V)·C and (Φ_test·V)·C, C the steps' coordinates.
pub(crate) fn along(
    path: &TrainPath,
    coords: impl Iterator<Item = (Vec<f64>, f64)>,
    phi: ArrayView2<f64>,
    test_phi: ArrayView2<f64>,
    tv: &[f64],
) -> StepProducts {
    let (mut cs, mut gs) = (Vec::new(), Vec::new());
    for (c, g) in coords {
        cs.extend_from_slice(&c);
        gs.push(g);
    }
    let (m, n) = (test_phi.nrows(), phi.nrows());
    let us: Vec<f64> = path.us.t().iter().copied().collect();
    let (mut fitted_all, mut preds_all) = (vec![0.0; n * gs.len()], vec![0.0; m * gs.len()]);
    crate::kernels::mat_mat(&us, n, &cs, &mut fitted_all);
    crate::kernels::mat_mat(tv, m, &cs, &mut preds_all);
    let t_null = mat_vec(test_phi, path.null.iter().copied());
    let f_null = mat_vec(phi, path.null.iter().copied());
    let null2 = path.null.dot(&path.null);
    StepProducts { cs, gs, fitted_all, preds_all, f_null, t_null, null2 }
}

/// a·b, column-major (a.nrows() × b.ncols()), by the engine's [`crate::kernels::mat_mat`]: each
/// column the numbers of a [`mat_vec`] without its skipped zeros.
pub(crate) fn mat_mat(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Vec<f64> {
    // Both column-major and contiguous (a copy if not).
    fn flat(m: ArrayView2<'_, f64>) -> std::borrow::Cow<'_, [f64]> {
        let t = m.reversed_axes();
        match t.to_slice() {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(t.iter().copied().collect()),
        }
    }
    let mut out = vec![0.0; a.nrows() * b.ncols()];
    if a.ncols() == b.nrows() {
        crate::kernels::mat_mat(&flat(a), a.nrows(), &flat(b), &mut out);
    }
    out
}

/// a·x as Σ_k x_k·a[:,k] with the engine's axpy: the same order of operations, and so the same
/// bits, natively and in wasm (ndarray's matrix product picks FMA kernels by CPU natively).
fn mat_vec(a: ArrayView2<f64>, x: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut out = vec![0.0; a.nrows()];
    for (col, xk) in a.columns().into_iter().zip(x) {
        // Adding 0·a[:,k] changes nothing (the design is finite): β₀ = 0 costs nothing.
        if xk == 0.0 {
            continue;
        }
        match col.as_slice() {
            Some(c) => crate::kernels::axpy(xk, c, &mut out),
            None => crate::kernels::axpy(xk, &col.to_vec(), &mut out),
        }
    }
    out
}

/// Trial `trial`'s β₀: p independent N(0, α²/p) coordinates from its own stream of the seed.
pub fn initial(seed: u64, trial: usize, p: usize, init: f64) -> Array1<f64> {
    if init == 0.0 {
        return Array1::zeros(p);
    }
    let mut rng = Stream::Init.rng(seed, trial);
    let sd = init / (p.max(1) as f64).sqrt();
    Array1::from_shape_fn(p, |_| sd * normal(&mut rng))
}

impl Sweep for TrainSweep {
    fn trials(&self) -> usize {
        self.trials
    }

    fn run_trial(&self, trial: usize) -> TrialOutput {
        let pr = &self.problem;
        if pr.data.is_some() {
            return self.own_trial(trial);
        }
        let m = pr.test;
        let k = self.steps.len();
        let mut out = TrialOutput {
            trial,
            train_mse: Vec::with_capacity(k),
            test_mse: Vec::with_capacity(k),
            norm: Vec::with_capacity(k),
            rank: Vec::with_capacity(k),
            extra: Vec::with_capacity(k),
            preds: Vec::with_capacity(k * m),
        };
        let (path, train_phi, train_y) = match self.trained(trial) {
            Ok(p) => p,
            Err(_) => {
                // Inputs the sweep accepted cannot fail here; if they did, the trial says so with
                // infinite errors rather than a panic.
                for _ in 0..k {
                    out.train_mse.push(f64::INFINITY);
                    out.test_mse.push(f64::INFINITY);
                    out.norm.push(f64::INFINITY);
                    out.extra.push(f64::INFINITY);
                    out.rank.push(None);
                    out.preds.extend(std::iter::repeat_n(f64::NAN, m));
                }
                return out;
            }
        };
        let eq = self.equalizer();
        // The shared test design stays borrowed unless equalized training rescales it.
        let test_phi = match &eq {
            Some(c) => std::borrow::Cow::Owned(pr.test_design(&self.test, trial, self.size).into_owned() * c),
            None => pr.test_design(&self.test, trial, self.size),
        };
        // The exact excess risk is of isotropic coordinates (two-speed features: the test points).
        let gaussian = pr.family == super::features::Family::Gaussian && !pr.two_speed();
        let beta_total: f64 = if gaussian { pr.beta_star().iter().map(|b| b * b).sum() } else { 0.0 };
        let clean = |v: f64| if v.is_finite() { v } else { f64::INFINITY };
        self.walk(&path, train_phi.view(), &train_y, test_phi.view(), eq.as_ref(), |at| {
            let test_mse = if gaussian {
                // ‖β_t − β*_T‖² + κ² = ‖β_t‖² − 2·β_t·β*_T + ‖β*‖² (the extra test row holds β*).
                (at.norm2 - 2.0 * at.preds[m] + beta_total).max(0.0)
            } else {
                at.preds.iter().take(m).zip(&self.test.target).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / m as f64
            };
            out.train_mse.push(clean(at.train_mse));
            out.test_mse.push(clean(test_mse));
            out.norm.push(clean(at.norm2.sqrt()));
            out.extra.push(clean(at.moved));
            out.rank.push(Some(path.rank()));
            out.preds.extend(at.preds.iter().take(m));
        });
        out
    }

    fn accumulator(&self) -> Accumulator {
        let theory = match self.theory() {
            Some(th) => self.steps.iter().map(|&t| (Some(th.at(t as f64)), None)).collect(),
            None => vec![(None, None); self.steps.len()],
        };
        Accumulator::new(Along::Steps, self.steps.clone(), self.test.target.clone(), theory, self.steps.len(), self.trials).with_extra(Extra::Moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;
    use crate::solve::Ridge;

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let mut rng = stream(seed, 0);
        Array2::from_shape_fn((rows, cols), |_| normal(&mut rng))
    }

    /// Plain gradient descent, step by step: the reference.
    fn iterate(phi: &Array2<f64>, y: &Array1<f64>, beta0: &Array1<f64>, ridge: f64, eta: f64, steps: usize) -> Array1<f64> {
        let n = phi.nrows() as f64;
        let mut b = beta0.clone();
        for _ in 0..steps {
            let resid = y - &phi.dot(&b);
            let grad = phi.t().dot(&resid) * (-2.0 / n) + &(&b * (2.0 * ridge));
            b = &b - &(grad * eta);
        }
        b
    }

    fn rel(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
        let d = (a - b).mapv(|v| v * v).sum().sqrt();
        d / b.mapv(|v| v * v).sum().sqrt().max(1e-300)
    }

    #[test]
    fn the_closed_form_equals_gradient_descent_iterated_step_by_step() {
        for &(n, p) in &[(20, 8), (20, 20), (12, 40)] {
            for &ridge in &[0.0, 1e-3] {
                for &init in &[0.0, 2.0] {
                    let phi = random(n, p, (n * 100 + p) as u64);
                    let y = Array1::from_shape_fn(n, |i| (i as f64 * 0.7).sin());
                    let beta0 = initial(5, 0, p, init);
                    let path = TrainPath::new(phi.view(), y.view(), beta0.view(), ridge, &Training::default()).unwrap_or_else(|e| panic!("{e}"));
                    for &t in &[1usize, 10, 1000] {
                        let want = iterate(&phi, &y, &beta0, ridge, path.eta(), t);
                        let got = path.beta(t as f64);
                        let e = rel(&got, &want);
                        assert!(e < 1e-9, "n {n}, p {p}, ridge {ridge}, init {init}, t {t}: relative error {e}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_step_past_the_halfway_point_of_the_stable_range_still_matches_iteration() {
        // lr = 0.9: the stiffest directions flip sign every step (1 − η·h < 0).
        let (phi, y) = (random(15, 10, 3), Array1::from_shape_fn(15, |i| i as f64 / 15.0));
        let tr = Training { lr: 0.9, ..Training::default() };
        let path = TrainPath::new(phi.view(), y.view(), Array1::zeros(10).view(), 0.0, &tr).unwrap_or_else(|e| panic!("{e}"));
        for &t in &[1usize, 2, 7, 100] {
            let e = rel(&path.beta(t as f64), &iterate(&phi, &y, &Array1::zeros(10), 0.0, path.eta(), t));
            assert!(e < 1e-9, "t {t}: {e}");
        }
    }

    #[test]
    fn gradient_flow_is_the_limit_of_small_steps_at_the_same_time() {
        let (phi, y) = (random(10, 25, 7), Array1::from_shape_fn(10, |i| (i as f64).cos()));
        let flow = TrainPath::new(phi.view(), y.view(), Array1::zeros(25).view(), 0.0, &Training { lr: 0.5, flow: true, ..Training::default() })
            .unwrap_or_else(|e| panic!("{e}"));
        let tau = 3.0 * flow.eta();
        let target = flow.beta(3.0);
        let mut last = f64::INFINITY;
        for k in [10.0, 100.0, 1000.0] {
            let gd = TrainPath::new(phi.view(), y.view(), Array1::zeros(25).view(), 0.0, &Training { lr: 0.5 / k, ..Training::default() })
                .unwrap_or_else(|e| panic!("{e}"));
            let steps = (tau / gd.eta()).round();
            let e = rel(&gd.beta(steps), &target);
            assert!(e < last, "the error shrinks with the step: {e} after {last}");
            last = e;
        }
        assert!(last < 1e-3, "{last}");
    }

    #[test]
    fn training_ends_at_the_min_norm_fit_the_nearest_interpolant_or_the_ridge_fit() {
        let (phi, y) = (random(12, 30, 11), Array1::from_shape_fn(12, |i| (i as f64 * 1.3).sin()));
        let far = 1e8;
        // β₀ = 0, λ = 0: the minimum-norm fit (the SVD reference of `ddviz fit`).
        let path = TrainPath::new(phi.view(), y.view(), Array1::zeros(30).view(), 0.0, &Training::default()).unwrap_or_else(|e| panic!("{e}"));
        let mn = Ridge::min_norm().fit(phi.view(), y.view()).unwrap_or_else(|e| panic!("{e}")).coef;
        assert!(rel(&path.beta(far), &mn) < 1e-8, "{}", rel(&path.beta(far), &mn));
        assert!(rel(&path.limit(), &mn) < 1e-12);
        // β₀ ≠ 0: the interpolant nearest β₀, β₀ + Φ⁺(y − Φβ₀).
        let beta0 = initial(1, 0, 30, 3.0);
        let path = TrainPath::new(phi.view(), y.view(), beta0.view(), 0.0, &Training::default()).unwrap_or_else(|e| panic!("{e}"));
        let resid = &y - &phi.dot(&beta0);
        let nearest = &beta0 + &Ridge::min_norm().fit(phi.view(), resid.view()).unwrap_or_else(|e| panic!("{e}")).coef;
        assert!(rel(&path.beta(far), &nearest) < 1e-8);
        // λ > 0: the ridge fit, whatever the start.
        let path = TrainPath::new(phi.view(), y.view(), beta0.view(), 1e-2, &Training::default()).unwrap_or_else(|e| panic!("{e}"));
        let ridge = Ridge { ridge: 1e-2 }.fit(phi.view(), y.view()).unwrap_or_else(|e| panic!("{e}")).coef;
        assert!(rel(&path.beta(far), &ridge) < 1e-8);
    }

    #[test]
    fn the_model_at_a_step_is_the_one_whose_train_error_the_sweep_reports() {
        for training in [Training::default(), Training { init: 2.0, ..Training::default() }] {
            let steps = step_grid(10_000, 12);
            let sweep = TrainSweep::new(crate::testing::legendre(20), 30, steps.clone(), 2, training).unwrap_or_else(|e| panic!("{e}"));
            let out = sweep.run_trial(1);
            for (i, &t) in steps.iter().enumerate() {
                let (coef, train) = sweep.model_at(1, t as f64).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(coef.len(), 30);
                assert!((train - out.train_mse[i]).abs() <= 1e-9 * out.train_mse[i].max(1e-12), "step {t}: {train} vs {}", out.train_mse[i]);
                assert!((coef.dot(&coef).sqrt() - out.norm[i]).abs() <= 1e-9 * out.norm[i].max(1e-12));
            }
        }
    }

    #[test]
    fn how_far_training_moved_the_model_is_the_distance_from_its_own_start() {
        use crate::features::Family;
        let two = Problem { family: Family::Gaussian, dim: 40, fast: 25, kappa: 10.0, noise: 0.1, test: 30, ..crate::testing::legendre(30) };
        let cases = [
            (crate::testing::legendre(20), Training::default()),
            (crate::testing::legendre(20), Training { init: 2.0, ..Training::default() }),
            (two, Training { init: 1.0, equalize: true, ..Training::default() }),
        ];
        for (problem, training) in cases {
            let steps = step_grid(100_000, 12);
            let sweep = TrainSweep::new(problem.clone(), 30, steps.clone(), 2, training).unwrap_or_else(|e| panic!("{e}"));
            let out = sweep.run_trial(1);
            // The start, as the model's coefficients: the model at step 0.
            let (start, _) = sweep.model_at(1, 0.0).unwrap_or_else(|e| panic!("{e}"));
            let direct = initial(problem.seed, 1, 30, training.init);
            assert!(start.iter().zip(&direct).all(|(a, b)| (a - b).abs() <= 1e-12 * b.abs().max(1.0)), "the model at step 0 is not β₀");
            assert_eq!(out.extra.len(), steps.len());
            for (i, &t) in steps.iter().enumerate() {
                let (coef, _) = sweep.model_at(1, t as f64).unwrap_or_else(|e| panic!("{e}"));
                let d = (&coef - &start).mapv(|v| v * v).sum().sqrt();
                assert!((d - out.extra[i]).abs() <= 1e-9 * d.max(1e-12), "step {t}: {d} vs {}", out.extra[i]);
            }
            // From β₀ = 0 it is the norm itself.
            if training.init == 0.0 {
                assert!(out.extra.iter().zip(&out.norm).all(|(a, b)| (a - b).abs() <= 1e-12 * b.max(1e-12)));
            }
            // Through the worker's flat form and into the summary.
            let back = crate::trial::TrialOutput::from_flat(&out.to_flat()).unwrap_or_else(|| panic!("malformed"));
            assert_eq!(back.extra, out.extra);
            let r = crate::sweep::run_sequential(&sweep);
            assert!(r.rows.iter().all(|row| row.extra_median.is_some_and(f64::is_finite) && row.extra_mean.is_some()));
        }
    }

    #[test]
    fn a_hundred_million_steps_cost_what_one_does_and_stay_finite() {
        let (phi, y) = (random(30, 30, 2), Array1::from_shape_fn(30, |i| i as f64));
        let path = TrainPath::new(phi.view(), y.view(), Array1::zeros(30).view(), 0.0, &Training::default()).unwrap_or_else(|e| panic!("{e}"));
        for t in [1e6, 1e7, 1e8] {
            assert!(path.beta(t).iter().all(|v| v.is_finite()));
        }
        // A factor far below the smallest double underflows to 0, never to NaN.
        assert_eq!(path.factor(1.0 / path.eta() * 0.999, 1e8), 0.0);
    }

    #[test]
    fn equal_speeds_train_two_speed_features_as_if_every_coordinate_had_scale_one() {
        use crate::features::Family;
        let iso = Problem { family: Family::Gaussian, dim: 40, noise: 0.1, test: 50, ..crate::testing::legendre(30) };
        let two = Problem { fast: 25, kappa: 100.0, ..iso.clone() };
        let steps = step_grid(100_000, 20);
        let plain = TrainSweep::new(iso, 40, steps.clone(), 2, Training::default()).unwrap_or_else(|e| panic!("{e}"));
        let equal = TrainSweep::new(two.clone(), 40, steps.clone(), 2, Training { equalize: true, ..Training::default() }).unwrap_or_else(|e| panic!("{e}"));
        let slow = TrainSweep::new(two, 40, steps, 2, Training::default()).unwrap_or_else(|e| panic!("{e}"));
        let (a, b, c) = (plain.run_trial(1), equal.run_trial(1), slow.run_trial(1));
        for (i, ((x, y), z)) in a.train_mse.iter().zip(&b.train_mse).zip(&c.train_mse).enumerate() {
            assert!((x - y).abs() <= 1e-9 * x.abs().max(1e-12), "step {i}: {x} vs {y}");
            if i > 5 {
                assert!(z > &(2.0 * x), "step {i}: without equal speeds the slow coordinates lag ({z} vs {x})");
            }
        }
        for (x, y) in a.preds.iter().zip(&b.preds) {
            assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{x} vs {y}");
        }
    }

    #[test]
    fn early_stopping_is_within_1_69_of_ridge_at_the_matching_penalty_at_every_time() {
        // Ali, Kolter & Tibshirani (2019), Theorem 1: gradient flow's risk at time τ is at most
        // 1.6862 times ridge's at penalty 1/(2τ) (our loss is twice theirs), for any design;
        // checked on the gaussian family's mean test error (isotropic coordinates, so the excess
        // risk is the estimation risk plus the unseen part's κ², common to both), 300 trials.
        use crate::features::Family;
        for p in [20usize, 40, 80] {
            let pr = Problem { family: Family::Gaussian, dim: 120, noise: 0.5, test: 20, ..crate::testing::legendre(40) };
            let flow = Training { flow: true, ..Training::default() };
            let gf = TrainSweep::new(pr, p, step_grid(1_000_000, 40), 300, flow).unwrap_or_else(|e| panic!("{e}"));
            let (a, b) = (crate::sweep::run_sequential(&gf), crate::sweep::run_sequential(&gf.ridge_overlay()));
            let mut worst: f64 = 0.0;
            for (x, y) in a.rows.iter().zip(&b.rows) {
                worst = worst.max(x.test_mse_mean / y.test_mse_mean);
                assert!(x.test_mse_mean <= 1.6862 * y.test_mse_mean, "p = {p}, step {}: flow {} vs ridge {}", x.x, x.test_mse_mean, y.test_mse_mean);
            }
            assert!(worst > 1.0, "p = {p}: flow never above ridge ({worst}): the check sees nothing");
        }
    }

    #[test]
    fn the_asymptotic_training_theory_follows_the_mean_of_many_trials() {
        // Below and above the threshold, with and without weight decay, from zero and from a
        // random start, and with a step past half the stable range (its factors alternate in
        // sign); every step of the grid within 4 % (40 trials: 1–2 % apart; finite-n effects
        // about 1 % at this n, the step set by each trial's largest eigenvalue, not the law's edge).
        use crate::features::Family;
        let base = Problem { family: Family::Gaussian, dim: 600, noise: 0.5, test: 10, ..crate::testing::legendre(200) };
        for (p, ridge, init, lr) in [(100usize, 0.0, 0.0, 0.5), (400, 0.0, 1.0, 0.5), (100, 0.05, 1.0, 0.5), (400, 0.02, 0.0, 0.5), (300, 0.01, 0.5, 0.8)] {
            let pr = Problem { ridge, ..base.clone() };
            let sweep = TrainSweep::new(pr, p, step_grid(1_000_000, 25), 40, Training { init, lr, ..Training::default() }).unwrap_or_else(|e| panic!("{e}"));
            let r = crate::sweep::run_sequential(&sweep);
            for row in &r.rows {
                let th = row.theory.unwrap_or_else(|| panic!("no theory at step {}", row.x));
                assert!(
                    (row.test_mse_mean - th).abs() <= 0.04 * th,
                    "p = {p}, λ = {ridge}, α = {init}, lr = {lr}, step {}: mean {} vs theory {th}",
                    row.x,
                    row.test_mse_mean
                );
            }
        }
        // None for other families, two-speed features or the ridge overlay.
        let two = Problem { fast: 50, kappa: 10.0, ..base.clone() };
        let sw = |pr: Problem| TrainSweep::new(pr, 100, step_grid(100, 5), 2, Training::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(sw(two).theory().is_none() && sw(crate::testing::legendre(20)).theory().is_none() && sw(base).ridge_overlay().theory().is_none());
    }

    #[test]
    fn training_on_your_own_points_ends_at_the_size_sweeps_held_out_fit() {
        // Split and k-fold: every held-out fold trained on the rest, its error pooled as the size
        // sweep pools it; trained (nearly) forever with ridge, the sweep's ridge fit at that size.
        use crate::own::Eval;
        for eval in [Eval::Split, Eval::KFold] {
            let pr = Problem { ridge: 1e-3, ..crate::testing::own(40, eval, 4) };
            let size = 12;
            let sweep = TrainSweep::new(pr.clone(), size, step_grid(MAX_STEPS, 20), 3, Training::default()).unwrap_or_else(|e| panic!("{e}"));
            let sizes = crate::sweep::SizeSweep::new(pr, size, crate::grid::Grid::Every, 3).unwrap_or_else(|e| panic!("{e}"));
            for t in 0..3 {
                let (a, b) = (sweep.run_trial(t), sizes.run_trial(t));
                let (end, fit) = (a.test_mse.last().copied().unwrap_or(f64::NAN), b.test_mse[size - 1]);
                assert!((end - fit).abs() <= 1e-6 * fit, "{eval:?}, trial {t}: trained {end} vs fitted {fit}");
                let (tr, ft) = (a.train_mse.last().copied().unwrap_or(f64::NAN), b.train_mse[size - 1]);
                assert!((tr - ft).abs() <= 1e-6 * ft, "{eval:?}, trial {t}: train {tr} vs {ft}");
                // Held-out error falls from the start (β₀ = 0 predicts 0) as training fits the points.
                assert!(a.test_mse[0] > end && a.extra.iter().zip(&a.norm).all(|(d, n)| (d - n).abs() <= 1e-12 * n.max(1e-12)));
                assert!(a.preds.is_empty() && a.rank.iter().all(Option::is_some));
            }
        }
        // From a random start the distance moved is its own; the fit panel's model is fold 1's.
        let pr = crate::testing::own(30, Eval::KFold, 5);
        let sweep = TrainSweep::new(pr, 40, step_grid(1000, 8), 2, Training { init: 1.0, ..Training::default() }).unwrap_or_else(|e| panic!("{e}"));
        let out = sweep.run_trial(1);
        assert!(out.extra.iter().zip(&out.norm).any(|(d, n)| (d - n).abs() > 1e-6) && out.extra.iter().all(|d| d.is_finite()));
        assert!(sweep.model_at(1, 100.0).is_ok_and(|(c, e)| c.len() == 40 && e.is_finite()));
    }

    #[test]
    fn bad_settings_are_named_with_their_range_and_nothing_panics() {
        let msg = |tr: Training| tr.check().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(Training { lr: 1.0, ..Training::default() }).contains("lr"));
        assert!(msg(Training { lr: 0.0, ..Training::default() }).contains("lr"));
        assert!(msg(Training { lr: f64::NAN, ..Training::default() }).contains("lr"));
        assert!(msg(Training { init: f64::INFINITY, ..Training::default() }).contains("init"));
        assert!(msg(Training { init: -1.0, ..Training::default() }).contains("init"));
        let phi = Array2::<f64>::zeros((4, 3));
        let path = TrainPath::new(phi.view(), Array1::zeros(4).view(), Array1::zeros(3).view(), 0.0, &Training::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(path.beta(10.0).iter().all(|v| *v == 0.0), "a zero design: nothing moves");
        assert!(TrainPath::new(phi.view(), Array1::zeros(3).view(), Array1::zeros(3).view(), 0.0, &Training::default()).is_err());
        assert_eq!(step_grid(1, 5), vec![1]);
        assert_eq!(step_grid(1000, 4), vec![1, 10, 100, 1000]);
    }
}
