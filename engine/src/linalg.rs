//! Small dense kernels: a one-sided Jacobi SVD and the pseudo-inverse / ridge solve built on it.
//!
//! One-sided (Hestenes) Jacobi orthogonalizes the columns of the matrix by plane rotations. It
//! works on the matrix itself, never on AᵀA, so it keeps the condition number unsquared and
//! computes small singular values to high relative accuracy — what the minimum-norm fit needs
//! at the interpolation threshold. It solves `ddviz fit`, and it is the independent dense
//! reference the tests hold the incremental solver ([`crate::solve::MinNormPath`], which
//! computes every sweep and the fit panel) to.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ShapeBuilder};

use super::kernels::rotate;

/// The relative cutoff that decides the numerical rank of the minimum-norm fit:
/// `50 · ε · max(rows, cols)`. The SVD treats singular values at most `rcond · σ_max` as zero;
/// the incremental path treats a feature whose component orthogonal to the previous ones is at
/// most `rcond · max_j ‖φ_j‖` (a lower bound on σ_max) as lying in their span.
///
/// It is 50× numpy's `lstsq` default (`ε · max(rows, cols)`): features that are exactly
/// dependent on the training points (ReLU kinks in the same gap between two points, all-zero
/// columns, nearly collinear low-frequency Fourier features) leave rounding residuals up to
/// about 1e-13 of their norm after Gram–Schmidt with n = 100, just above numpy's cutoff, while
/// genuinely new directions — even Legendre degree n − 1 at the interpolation threshold, about
/// 1e-8 — stay far above it. The cutoff caps how high the peak at p ≈ n can be drawn.
pub fn rcond(rows: usize, cols: usize) -> f64 {
    50.0 * f64::EPSILON * rows.max(cols).max(1) as f64
}

/// A thin singular value decomposition A = U·diag(s)·Vᵀ.
#[derive(Debug, Clone)]
pub struct Svd {
    /// Left singular vectors, rows × k (k = min(rows, cols)).
    pub u: Array2<f64>,
    /// Singular values (not sorted).
    pub s: Array1<f64>,
    /// Right singular vectors, cols × k.
    pub v: Array2<f64>,
}

/// Computes the thin SVD of `a` by one-sided Jacobi rotations.
pub fn svd(a: ArrayView2<f64>) -> Svd {
    let (rows, cols) = a.dim();
    if cols > rows {
        // A = (Aᵀ)ᵀ: the SVD of the tall transpose, with the roles of U and V swapped.
        let t = svd(a.t());
        return Svd { u: t.v, s: t.s, v: t.u };
    }
    // Work column-major on plain buffers so that each column is one contiguous slice.
    let mut g: Vec<f64> = Vec::with_capacity(rows * cols);
    for j in 0..cols {
        g.extend(a.column(j).iter());
    }
    let mut v = vec![0.0; cols * cols];
    for j in 0..cols {
        v[j * cols + j] = 1.0;
    }
    let tol = f64::EPSILON;
    for _sweep in 0..80 {
        let mut rotated = false;
        for i in 0..cols {
            for j in (i + 1)..cols {
                let (gi, gj) = two_columns(&mut g, rows, i, j);
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                for k in 0..rows {
                    alpha += gi[k] * gi[k];
                    beta += gj[k] * gj[k];
                    gamma += gi[k] * gj[k];
                }
                if gamma == 0.0 || gamma.abs() <= tol * (alpha * beta).sqrt() || !gamma.is_finite() {
                    continue;
                }
                rotated = true;
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = if zeta.abs() > 1e150 { 0.5 / zeta } else { zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt()) };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                // (gi, gj) ← (c·gi − s·gj, s·gi + c·gj).
                rotate(gi, gj, c, -s);
                let (vi, vj) = two_columns(&mut v, cols, i, j);
                rotate(vi, vj, c, -s);
            }
        }
        if !rotated {
            break;
        }
    }
    let mut u = Array2::zeros((rows, cols).f());
    let mut s = Array1::zeros(cols);
    for j in 0..cols {
        let col = &g[j * rows..(j + 1) * rows];
        let norm = col.iter().map(|x| x * x).sum::<f64>().sqrt();
        s[j] = norm;
        if norm > 0.0 {
            for k in 0..rows {
                u[[k, j]] = col[k] / norm;
            }
        }
    }
    let v = Array2::from_shape_vec((cols, cols).f(), v).unwrap_or_else(|_| Array2::zeros((cols, cols).f()));
    Svd { u, s, v }
}

/// Two distinct columns `i < j` of a column-major buffer with `rows` rows, mutably.
fn two_columns(buf: &mut [f64], rows: usize, i: usize, j: usize) -> (&mut [f64], &mut [f64]) {
    let (left, right) = buf.split_at_mut(j * rows);
    (&mut left[i * rows..(i + 1) * rows], &mut right[..rows])
}

/// The ridge / minimum-norm solution from an SVD of the design matrix.
///
/// Minimizes (1/n)·‖y − Aβ‖² + ridge·‖β‖² (n = rows): β = V·diag(σ/(σ² + n·ridge))·Uᵀy, with
/// singular values below the [`rcond`] cutoff treated as zero. With `ridge = 0` this is the
/// pseudo-inverse solution A⁺y. Returns the coefficients and the numerical rank.
pub fn solve_svd(svd: &Svd, y: ArrayView1<f64>, ridge: f64) -> (Array1<f64>, usize) {
    let rows = svd.u.nrows();
    let cols = svd.v.nrows();
    let smax = svd.s.iter().cloned().fold(0.0, f64::max);
    let cut = rcond(rows, cols) * smax;
    let shift = rows as f64 * ridge;
    let mut beta = Array1::zeros(cols);
    let mut rank = 0;
    for k in 0..svd.s.len() {
        let sk = svd.s[k];
        if sk <= cut || sk == 0.0 {
            continue;
        }
        rank += 1;
        let uty = svd.u.column(k).dot(&y);
        let coef = uty * sk / (sk * sk + shift);
        beta.scaled_add(coef, &svd.v.column(k));
    }
    (beta, rank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, stream};

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let mut rng = stream(seed, 0);
        Array2::from_shape_fn((rows, cols), |_| normal(&mut rng))
    }

    #[test]
    fn svd_reconstructs_the_matrix_for_tall_and_wide_shapes() {
        for &(r, c) in &[(7, 3), (3, 7), (5, 5), (1, 4), (4, 1)] {
            let a = random(r, c, (r * 10 + c) as u64);
            let d = svd(a.view());
            let mut rec = Array2::<f64>::zeros((r, c));
            for k in 0..d.s.len() {
                for i in 0..r {
                    for j in 0..c {
                        rec[[i, j]] += d.u[[i, k]] * d.s[k] * d.v[[j, k]];
                    }
                }
            }
            let err = (&rec - &a).iter().map(|x| x.abs()).fold(0.0, f64::max);
            assert!(err < 1e-12, "{r}x{c}: {err}");
        }
    }
}
