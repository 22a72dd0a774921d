//! Ridge and minimum-norm least squares: a one-off fit and the incremental path over sizes.
//!
//! Both minimize (1/n)·‖y − Φβ‖² + ridge·‖β‖² (the scaling of the ridge theory); `ridge = 0`
//! is the minimum-norm least-squares fit: ordinary least squares below the interpolation
//! threshold, the minimum-ℓ2-norm interpolant above it.
//!
//! - [`Ridge::fit`] solves one model from a one-sided Jacobi SVD ([`crate::linalg`]): `ddviz
//!   fit`, and the tests' reference.
//! - [`MinNormPath`] grows orthogonal factorizations as features are appended, so a sweep over
//!   every size 1..P costs O((n² + n·m)·P) per trial instead of a fresh solve per size. It
//!   computes every sweep (over sizes, and at each n of a sample-wise sweep) and the fit panel.
//!   * `ridge = 0`: Φ = Q·R with Q (n × k) orthonormal, grown by Gram–Schmidt with
//!     re-orthogonalization ("twice is enough"), and R = QᵀΦ (k × p, full row rank k) kept as its
//!     LQ factorization R = L·W (L lower triangular k × k, W with orthonormal rows), grown by
//!     square-root-free Givens rotations (L kept as L̃·D^½, see [`MinNormPath`]'s `rotate_in`).
//!     Then Φ⁺ = Wᵀ·L⁻¹·Qᵀ, so β̂ = Wᵀ·L⁻¹·c with c = Qᵀy, ‖β̂‖ = ‖L⁻¹c‖,
//!     and the predictions at the test rows are T·(L⁻¹c) with T = Φ_test·Wᵀ (m × k), carried by
//!     the same rotations; W itself is never stored. Below the threshold each new feature adds a
//!     direction to Q (k = p: ordinary least squares); at and past it every feature lies in the
//!     span (k = n: the minimum-norm interpolant; Q is then a basis of ℝⁿ, and a feature's
//!     coordinates Qᵀφ take one pass). A feature whose component orthogonal to Q is
//!     at most [`rcond`]·‖φ‖ counts as lying in the span: this is how the numerical rank k is
//!     decided and reported, and it makes rank-deficient designs (duplicated features, ReLU
//!     kinks in the same gap between data points) give the pseudo-inverse solution.
//!   * `ridge > 0`: the LQ factorization of [√(n·ridge)·I | Φ], whose Gram matrix is the ridge
//!     kernel ΦΦᵀ + n·ridge·I, grown by the same rotations; α = (ΦΦᵀ + n·ridge·I)⁻¹y, predictions
//!     T·(L⁻¹y), fitted values y − n·ridge·α.
//!
//! Nothing forms ΦᵀΦ or ΦΦᵀ, so the condition number is never squared. The factorization does
//! not depend on the labels: a path carries several outputs at once (one-hot classes,
//! [`MinNormPath::with_outputs`]) on one factorization, each output's c = Qᵀy (or its own
//! right-hand side under ridge) solved against the same L.

use ndarray::{Array1, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::error::{EngineError, Result};
use super::kernels::{axpy, dot, fast_rotate, gram_schmidt_pass, FastRot, Panels};
use super::linalg::{rcond, solve_svd, svd};

/// Settings of a ridge / minimum-norm fit (`ridge = 0` is the minimum-norm fit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ridge {
    /// The penalty λ in (1/n)·‖y − Φβ‖² + λ·‖β‖²; must be finite and ≥ 0.
    pub ridge: f64,
}

/// A fitted linear model on some features.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedRidge {
    /// Coefficients β̂.
    pub coef: Array1<f64>,
    /// Numerical rank of the design matrix (singular values above the cutoff).
    pub rank: usize,
    /// Mean squared error on the training labels.
    pub train_mse: f64,
}

impl Ridge {
    /// The minimum-norm least-squares fit.
    pub fn min_norm() -> Ridge {
        Ridge { ridge: 0.0 }
    }

    /// Fits β̂ to the design `phi` (n × p) and labels `y` (n).
    pub fn fit(&self, phi: ArrayView2<f64>, y: ArrayView1<f64>) -> Result<FittedRidge> {
        check_ridge(self.ridge)?;
        let (n, _p) = phi.dim();
        if y.len() != n {
            return Err(EngineError::Shape(format!("{} labels for {} rows", y.len(), n)));
        }
        if n == 0 {
            return Err(EngineError::Insufficient("at least one training point is needed".into()));
        }
        if phi.iter().chain(y.iter()).any(|v| !v.is_finite()) {
            return Err(EngineError::NonFinite("every feature and label"));
        }
        let d = svd(phi);
        let (coef, rank) = solve_svd(&d, y, self.ridge);
        let fitted = phi.dot(&coef);
        let train_mse = mse(fitted.iter().copied(), y.iter().copied());
        Ok(FittedRidge { coef, rank, train_mse })
    }
}

impl FittedRidge {
    /// Predictions on a design with the same columns.
    pub fn predict(&self, phi: ArrayView2<f64>) -> Array1<f64> {
        phi.dot(&self.coef)
    }

    /// ‖β̂‖₂.
    pub fn norm(&self) -> f64 {
        self.coef.dot(&self.coef).sqrt()
    }
}

/// Rejects a negative or non-finite penalty.
pub fn check_ridge(ridge: f64) -> Result<()> {
    if !(ridge.is_finite() && ridge >= 0.0) {
        return Err(EngineError::OutOfRange { name: "ridge", allowed: "a finite number ≥ 0".into(), got: ridge.to_string() });
    }
    Ok(())
}

/// Mean of squared differences.
pub fn mse(a: impl Iterator<Item = f64>, b: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut k) = (0.0, 0usize);
    for (x, y) in a.zip(b) {
        s += (x - y) * (x - y);
        k += 1;
    }
    if k == 0 {
        0.0
    } else {
        s / k as f64
    }
}

/// What the path reports for one model size.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPoint {
    /// Mean squared error on the training labels.
    pub train_mse: f64,
    /// Predictions at the test rows (m per output, output after output).
    pub test_pred: Vec<f64>,
    /// ‖β̂‖₂ (with several outputs, the Frobenius norm of their coefficients).
    pub norm: f64,
    /// Numerical rank of the design (`None` with ridge > 0, where it does not enter the fit).
    pub rank: Option<usize>,
}

/// The incremental ridge / minimum-norm solver over nested model sizes (see the module docs).
#[derive(Debug, Clone)]
pub struct MinNormPath {
    n: usize,
    m: usize,
    shift: f64,
    // The labels: r outputs of n each, output after output.
    y: Vec<f64>,
    r: usize,
    p: usize,
    // ridge = 0: Q (n × k, column-major) spans the columns so far, c = Qᵀy (r per direction,
    // direction after direction), and the fitted values Q·c (n per output; a column of Q never
    // changes once added, so they grow with it).
    q: Vec<f64>,
    c: Vec<f64>,
    fitted: Vec<f64>,
    // L (k × k lower triangular, stride n) and T (m × k), both kept column-scaled as L̃·D^½ and
    // T̃·D^½ (the fast rotations' form; D = diag(d), each dᵢ in [2⁻¹²⁸, 1] after an append);
    // k = rank (ridge = 0) or n (ridge > 0).
    k: usize,
    l: Vec<f64>,
    t: Panels,
    d: Vec<f64>,
    // The scale below which a column or the accumulator is scaled back up ([`SCALE_FLOOR`];
    // tests raise it to exercise the rescaling).
    floor: f64,
    // The largest feature norm so far (a lower bound on σ_max), the scale of the rank cutoff.
    scale: f64,
    // ridge > 0: the design's columns, to form β = Φᵀα.
    cols: Vec<f64>,
    // Scratch accumulators for the appended column, and the rotations of one append.
    acc: Vec<f64>,
    acc_t: Vec<f64>,
    rots: Vec<FastRot>,
}

impl MinNormPath {
    /// A path for `y` (n labels) with `m` test rows, to be grown to at most `max_size` features
    /// (`max_size` only sizes the buffers).
    pub fn new(y: &[f64], m: usize, ridge: f64, max_size: usize) -> Result<MinNormPath> {
        MinNormPath::with_outputs(y, 1, m, ridge, max_size)
    }

    /// A path for `outputs` outputs at once (`y`: n labels of each, output after output), on one
    /// factorization: with one-hot labels, a classifier of `outputs` classes.
    pub fn with_outputs(y: &[f64], outputs: usize, m: usize, ridge: f64, max_size: usize) -> Result<MinNormPath> {
        check_ridge(ridge)?;
        let r = outputs.max(1);
        let n = y.len() / r;
        if n == 0 || y.len() != n * r {
            return Err(EngineError::Insufficient(format!("at least one training point is needed, with {r} labels each ({} labels given)", y.len())));
        }
        let shift = n as f64 * ridge;
        let k_max = n.min(max_size.max(1));
        let mut l = vec![0.0; n * n];
        let mut k = 0;
        if shift > 0.0 {
            for i in 0..n {
                l[i * n + i] = shift.sqrt();
            }
            k = n;
        }
        Ok(MinNormPath {
            n,
            m,
            shift,
            y: y.to_vec(),
            r,
            p: 0,
            q: Vec::with_capacity(if shift > 0.0 { 0 } else { n * k_max }),
            c: Vec::with_capacity(k_max * r),
            fitted: vec![0.0; n * r],
            k,
            l,
            t: Panels::zeros(m, n),
            d: vec![1.0; n],
            floor: SCALE_FLOOR,
            scale: 0.0,
            cols: Vec::new(),
            acc: vec![0.0; n + 1],
            acc_t: vec![0.0; m],
            rots: Vec::with_capacity(n),
        })
    }

    /// The current model size.
    pub fn size(&self) -> usize {
        self.p
    }

    /// Appends one feature: its column at the training points (n) and at the test rows (m).
    pub fn push(&mut self, col: &[f64], test_col: &[f64]) -> Result<()> {
        if col.len() != self.n || test_col.len() != self.m {
            return Err(EngineError::Shape(format!(
                "a feature column needs {} training and {} test values, got {} and {}",
                self.n,
                self.m,
                col.len(),
                test_col.len()
            )));
        }
        self.p += 1;
        self.acc_t.copy_from_slice(test_col);
        if self.shift > 0.0 {
            // Ridge: append φ to [√(nλ)·I | Φ] = L·W; all n columns of L are in use.
            self.acc[..self.n].copy_from_slice(col);
            self.cols.extend_from_slice(col);
            self.rotate_in(self.n, self.n);
            return Ok(());
        }
        let (n, k) = (self.n, self.k);
        if k == n {
            // Past the threshold Q is an orthonormal basis of ℝⁿ: φ = Q·h with h = Qᵀφ, and
            // there is no residual to re-orthogonalize (a quarter of Gram–Schmidt's work).
            for (j, hj) in self.acc[..k].iter_mut().enumerate() {
                *hj = dot(&self.q[j * n..(j + 1) * n], col);
            }
            self.rotate_in(k, k);
            return Ok(());
        }
        // Minimum norm: φ = Q·h + v with v ⟂ Q (two passes of Gram–Schmidt).
        let mut v = col.to_vec();
        let mut h = vec![0.0; k];
        for _ in 0..2 {
            gram_schmidt_pass(&self.q[..n * k], &mut v, &mut h);
        }
        let norm_in = dot(col, col).sqrt();
        self.scale = self.scale.max(norm_in);
        let rho = dot(&v, &v).sqrt();
        self.acc[..k].copy_from_slice(&h);
        if k < n && rho.is_finite() && rho > rcond(n, self.p) * self.scale {
            // A new direction: Q grows, and R = QᵀΦ gains the row [0 … 0 ρ]. The LQ factor of R
            // grows by one row and column: rotate [L | h; 0 | ρ] to lower triangular form.
            for vi in v.iter_mut() {
                *vi /= rho;
            }
            for (y, fitted) in self.y.chunks_exact(n).zip(self.fitted.chunks_exact_mut(n)) {
                let cj = dot(&v, y);
                self.c.push(cj);
                axpy(cj, &v, fitted);
            }
            self.q.extend_from_slice(&v);
            self.acc[k] = rho;
            self.rotate_in(k, k + 1);
            self.k += 1;
        } else {
            // In the span of Q (always so once k = n): append h to L and drop the direction
            // that ends up orthogonal to the row space.
            self.rotate_in(k, k);
        }
        Ok(())
    }

    /// Rotates the accumulator (`acc[..rows]`, with `acc_t`) into the first `cols` columns of L
    /// (and T); L has `rows` rows in use. When `cols < rows` the last column takes what is left.
    ///
    /// The rotations are square-root-free Givens rotations (Gentleman 1973): with each column
    /// stored as x̃ = x/√d and the accumulator as ã = a/√δ (δ = 1 at the start), the rotation
    /// that zeroes entry i of the accumulator against L's diagonal needs two multiplies per entry
    /// instead of four, and only the scales change, by cos² of the angle. When the accumulator's
    /// entry is the larger (cos² < ½; a few rotations in a thousand) the column and the
    /// accumulator are first exchanged, one of them negated — a right-angle rotation — so that
    /// no scale shrinks faster than halving; a scale below 2⁻¹²⁸ is brought back up by a power
    /// of two (exact). The same rotations, in the same order, carry T.
    fn rotate_in(&mut self, cols: usize, rows: usize) {
        let (n, m) = (self.n, self.m);
        self.rots.clear();
        let mut delta = 1.0;
        for i in 0..cols {
            let li = &mut self.l[i * n..i * n + rows];
            let (mut a, mut b) = (li[i], self.acc[i]);
            if b == 0.0 {
                continue;
            }
            let mut di = self.d[i];
            // tan² of the rotation's angle is δ·ν²/d with ν = b/a (no squares of a or b, which
            // could underflow or overflow; a = 0 or NaN give no number ≤ 1 and exchange).
            let mut nu = b / a;
            let in_order = delta * nu * nu / di <= 1.0;
            if !in_order {
                // Exchange: (x, ã) ← (ã, −x) with their scales; T's column only after the
                // rotations so far.
                for (x, y) in li[i..].iter_mut().zip(&mut self.acc[i..rows]) {
                    (*x, *y) = (*y, -*x);
                }
                self.t.rotate_rows(&mut self.acc_t, &self.rots);
                self.rots.clear();
                self.t.exchange(i, &mut self.acc_t);
                (a, b, di, delta) = (b, -a, delta, di);
                if b == 0.0 {
                    // L's diagonal was exactly 0: the exchange alone cleared the entry.
                    self.d[i] = di;
                    continue;
                }
                nu = b / a;
            }
            // x ← x + μ·ã, ã ← ã − ν·x: both scales times cos² = 1/(1 + μν).
            let mu = delta * nu / di;
            let g = 1.0 / (1.0 + mu * nu);
            self.d[i] = di * g;
            delta *= g;
            let rot = FastRot { col: i, mu, nu };
            fast_rotate(&mut li[i..], &mut self.acc[i..rows], rot);
            self.acc[i] = 0.0;
            self.rots.push(rot);
            if delta < self.floor {
                // The accumulator's scale got small (rare: after hundreds of rotations in one
                // append, or soon after an exchange handed it a small column scale): rotate T
                // so far, then scale both accumulators up.
                self.t.rotate_rows(&mut self.acc_t, &self.rots);
                self.rots.clear();
                for v in self.acc[i + 1..rows].iter_mut().chain(self.acc_t.iter_mut()) {
                    *v *= SCALE_ENTRIES;
                }
                delta *= SCALE_STEP;
            }
        }
        // The same rotations on T and the test accumulator, all at once, panel by panel.
        self.t.rotate_rows(&mut self.acc_t, &self.rots);
        if rows > cols {
            // The new last column of L and T: what is left of the accumulators.
            let j = cols;
            self.l[j * n + j] = self.acc[j];
            self.t.set_column(j, &self.acc_t[..m]);
            self.d[j] = delta;
        }
        // Columns whose scale got small: back up by a power of two (the stored entries grow as
        // their scale shrinks).
        for i in 0..rows.min(n) {
            if self.d[i] < self.floor {
                for v in &mut self.l[i * n + i..i * n + rows] {
                    *v *= SCALE_ENTRIES;
                }
                self.t.scale_column(i, SCALE_ENTRIES);
                self.d[i] *= SCALE_STEP;
            }
        }
    }

    /// The solution at the current size.
    pub fn point(&self) -> PathPoint {
        let (n, m, k, r) = (self.n, self.m, self.k, self.r);
        let mut test_pred = vec![0.0; m * r];
        let (mut norm2, mut resid2) = (0.0, 0.0);
        for o in 0..r {
            // w = L̃⁻¹·rhs by forward substitution, column-oriented; rhs = Qᵀy or y (ridge).
            // With L = L̃·D^½: z = L⁻¹·rhs = D^-½·w, and the predictions T·z = T̃·w.
            let mut w = if self.shift > 0.0 { self.y[o * n..(o + 1) * n].to_vec() } else { self.c.iter().skip(o).step_by(r).copied().collect() };
            for i in 0..k {
                let li = &self.l[i * n..i * n + k];
                w[i] /= li[i];
                let wi = w[i];
                axpy(-wi, &li[i + 1..k], &mut w[i + 1..k]);
            }
            self.t.gemv(&w[..k], &mut test_pred[o * m..(o + 1) * m]);
            if self.shift == 0.0 {
                // ‖β̂‖ = ‖z‖ (W has orthonormal rows).
                norm2 += w[..k].iter().zip(&self.d).map(|(wi, di)| wi * wi / di).sum::<f64>();
                continue;
            }
            // Ridge: α = L⁻ᵀz = L̃⁻ᵀ·D^-½·z = L̃⁻ᵀ·(w/d) by back substitution; fitted values
            // y − n·λ·α.
            let mut alpha = w;
            for (a, di) in alpha.iter_mut().zip(&self.d) {
                *a /= di;
            }
            for i in (0..n).rev() {
                let li = &self.l[i * n..(i + 1) * n];
                let s = dot(&li[i + 1..], &alpha[i + 1..]);
                alpha[i] = (alpha[i] - s) / li[i];
            }
            // ‖β‖ from β = Φᵀα itself: ‖z‖² − n·λ·‖α‖² would cancel when the residual is large.
            norm2 += self.cols.chunks_exact(n).map(|c| dot(c, &alpha).powi(2)).sum::<f64>();
            resid2 += alpha.iter().map(|a| (self.shift * a).powi(2)).sum::<f64>();
        }
        if self.shift == 0.0 {
            // Fitted values Q·c: the projection of y on the column space.
            return PathPoint { train_mse: mse(self.fitted.iter().copied(), self.y.iter().copied()), test_pred, norm: norm2.sqrt(), rank: Some(k) };
        }
        PathPoint { train_mse: resid2 / (n * r) as f64, test_pred, norm: norm2.sqrt(), rank: None }
    }
}

/// 2⁻¹²⁸: a scale below this is multiplied by [`SCALE_STEP`] (see [`MinNormPath::rotate_in`]).
const SCALE_FLOOR: f64 = f64::from_bits((1023 - 128) << 52);
/// 2¹²⁸, the power of two a small scale is multiplied by, while its entries take [`SCALE_ENTRIES`].
const SCALE_STEP: f64 = f64::from_bits((1023 + 128) << 52);
/// 2⁻⁶⁴ = 1/√[`SCALE_STEP`].
const SCALE_ENTRIES: f64 = f64::from_bits((1023 - 64) << 52);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, stream};
    use ndarray::{s, Array2};

    fn problem(n: usize, p: usize, m: usize, seed: u64) -> (Array2<f64>, Array1<f64>, Array2<f64>) {
        let mut rng = stream(seed, 0);
        let phi = Array2::from_shape_fn((n, p), |_| normal(&mut rng));
        let y = Array1::from_shape_fn(n, |_| normal(&mut rng));
        let test = Array2::from_shape_fn((m, p), |_| normal(&mut rng));
        (phi, y, test)
    }

    #[test]
    fn min_norm_fit_interpolates_when_features_exceed_points() {
        let (phi, y, _) = problem(10, 25, 1, 1);
        let f = Ridge::min_norm().fit(phi.view(), y.view()).unwrap_or_else(|e| panic!("{e}"));
        assert!(f.train_mse < 1e-24, "{}", f.train_mse);
        assert_eq!(f.rank, 10);
    }

    /// Grows the path over every column and compares it with the one-off SVD fit at each size.
    fn check_against_one_off_fits(phi: &Array2<f64>, y: &Array1<f64>, test: &Array2<f64>, ridge: f64) {
        let (pmax, m) = (phi.ncols(), test.nrows());
        let mut path = MinNormPath::new(y.as_slice().unwrap_or(&[]), m, ridge, pmax).unwrap_or_else(|e| panic!("{e}"));
        for p in 1..=pmax {
            path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
            let pt = path.point();
            let f = Ridge { ridge }.fit(phi.slice(s![.., ..p]), y.view()).unwrap_or_else(|e| panic!("{e}"));
            let pred = f.predict(test.slice(s![.., ..p]));
            let scale = 1.0 + pred.iter().map(|v| v.abs()).fold(0.0, f64::max);
            for (a, b) in pt.test_pred.iter().zip(pred.iter()) {
                assert!((a - b).abs() < 1e-9 * scale, "ridge {ridge} p {p}: {a} vs {b}");
            }
            assert!((pt.norm - f.norm()).abs() < 1e-9 * (1.0 + f.norm()), "ridge {ridge} p {p}");
            assert!((pt.train_mse - f.train_mse).abs() < 1e-9 * (1.0 + f.train_mse), "ridge {ridge} p {p}");
        }
    }

    #[test]
    fn a_path_of_several_outputs_equals_each_outputs_svd_fit_below_at_and_above_the_threshold() {
        // Three outputs on one factorization, against a dense SVD pseudo-inverse (or ridge) fit of
        // each output alone, at every size from 1 to 2n: 1e-8 relative.
        for &ridge in &[0.0, 1e-3, 0.3] {
            let (n, pmax, m, r) = (15, 30, 6, 3);
            let (phi, _, test) = problem(n, pmax, m, 11);
            let mut rng = stream(12, 0);
            let ys: Vec<Array1<f64>> = (0..r).map(|_| Array1::from_shape_fn(n, |_| normal(&mut rng))).collect();
            let flat: Vec<f64> = ys.iter().flat_map(|y| y.iter().copied()).collect();
            let mut path = MinNormPath::with_outputs(&flat, r, m, ridge, pmax).unwrap_or_else(|e| panic!("{e}"));
            for p in 1..=pmax {
                path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
                let pt = path.point();
                assert_eq!(pt.test_pred.len(), m * r);
                let (mut norm2, mut train) = (0.0, 0.0);
                for (o, y) in ys.iter().enumerate() {
                    let f = Ridge { ridge }.fit(phi.slice(s![.., ..p]), y.view()).unwrap_or_else(|e| panic!("{e}"));
                    let pred = f.predict(test.slice(s![.., ..p]));
                    let scale = pred.iter().map(|v| v.abs()).fold(1e-300, f64::max);
                    for (a, b) in pt.test_pred[o * m..(o + 1) * m].iter().zip(pred.iter()) {
                        assert!((a - b).abs() <= 1e-8 * scale, "ridge {ridge}, p {p}, output {o}: {a} vs {b}");
                    }
                    norm2 += f.norm() * f.norm();
                    train += f.train_mse / r as f64;
                }
                assert!((pt.norm - norm2.sqrt()).abs() <= 1e-8 * norm2.sqrt(), "ridge {ridge}, p {p}: norm {} vs {}", pt.norm, norm2.sqrt());
                assert!((pt.train_mse - train).abs() <= 1e-8 * train.max(1e-12) + 1e-20, "ridge {ridge}, p {p}: train {} vs {train}", pt.train_mse);
            }
        }
        // A label count that is not a whole number of outputs is refused.
        assert!(MinNormPath::with_outputs(&[1.0, 2.0, 3.0], 2, 1, 0.0, 4).is_err());
    }

    #[test]
    fn path_matches_the_one_off_fit_at_every_size() {
        for &ridge in &[0.0, 1e-3, 0.5] {
            let (phi, y, test) = problem(12, 30, 7, 5);
            check_against_one_off_fits(&phi, &y, &test, ridge);
        }
    }

    #[test]
    fn path_matches_the_one_off_fit_when_each_feature_outweighs_the_last() {
        // Columns scaled by 3^j: a new feature's coordinates outweigh L's diagonal, so the
        // rotations exchange column and accumulator first.
        for &ridge in &[0.0, 1e-3] {
            let (mut phi, y, mut test) = problem(8, 20, 4, 3);
            for j in 0..phi.ncols() {
                let f = 3f64.powi(j as i32);
                phi.column_mut(j).mapv_inplace(|v| v * f);
                test.column_mut(j).mapv_inplace(|v| v * f);
            }
            check_against_one_off_fits(&phi, &y, &test, ridge);
            // The exchanges keep every scale from shrinking by more than half a rotation (without
            // them the smallest here falls to 1e-20).
            let mut path = MinNormPath::new(y.as_slice().unwrap_or(&[]), test.nrows(), ridge, phi.ncols()).unwrap_or_else(|e| panic!("{e}"));
            for p in 1..=phi.ncols() {
                path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
                let least = path.d[..path.k].iter().copied().fold(1.0, f64::min);
                assert!(least >= 1e-6, "ridge {ridge} p {p}: a scale of {least}");
            }
        }
    }

    #[test]
    fn rescaled_columns_and_accumulators_give_the_same_path() {
        // With the floor raised, columns and accumulators are scaled back up all the time (in a
        // sweep hardly ever): the numbers must not notice, to the bit.
        for &ridge in &[0.0, 1e-2] {
            let (n, pmax, m) = (9, 40, 5);
            let (phi, y, test) = problem(n, pmax, m, 11);
            let mut plain = MinNormPath::new(y.as_slice().unwrap_or(&[]), m, ridge, pmax).unwrap_or_else(|e| panic!("{e}"));
            let mut scaled = plain.clone();
            scaled.floor = 0.9;
            for p in 1..=pmax {
                for path in [&mut plain, &mut scaled] {
                    path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
                }
                // Scaling by powers of two is exact: the same bits.
                let (a, b) = (plain.point(), scaled.point());
                let bits = |pt: &PathPoint| (pt.test_pred.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), pt.norm.to_bits(), pt.train_mse.to_bits());
                assert_eq!(bits(&a), bits(&b), "ridge {ridge} p {p}");
            }
            assert!(scaled.d[..n].iter().any(|d| *d > 1.0), "ridge {ridge}: nothing was rescaled");
        }
    }

    #[test]
    fn path_gives_the_pseudo_inverse_solution_for_a_duplicated_feature() {
        let (mut phi, y, test) = problem(8, 12, 3, 9);
        for dup in [2, 9] {
            let c0 = phi.column(0).to_owned();
            phi.column_mut(dup).assign(&c0);
        }
        let mut path = MinNormPath::new(y.as_slice().unwrap_or(&[]), 3, 0.0, 12).unwrap_or_else(|e| panic!("{e}"));
        for p in 1..=12 {
            path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
            let pt = path.point();
            let f = Ridge::min_norm().fit(phi.slice(s![.., ..p]), y.view()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(pt.rank, Some(f.rank), "p {p}");
            let pred = f.predict(test.slice(s![.., ..p]));
            for (a, b) in pt.test_pred.iter().zip(pred.iter()) {
                assert!((a - b).abs() < 1e-9 * (1.0 + b.abs()), "p {p}: {a} vs {b}");
            }
            assert!((pt.norm - f.norm()).abs() < 1e-9 * (1.0 + f.norm()), "p {p}");
        }
    }

    #[test]
    fn negative_ridge_is_rejected_with_its_name() {
        let (phi, y, _) = problem(3, 2, 1, 2);
        let e = Ridge { ridge: -1.0 }.fit(phi.view(), y.view()).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("ridge"));
    }
}
