//! Small dense kernels: a one-sided Jacobi SVD and the pseudo-inverse / ridge solve built on it.
//!
//! One-sided (Hestenes) Jacobi orthogonalizes the columns of the matrix by plane rotations. It
//! works on the matrix itself, never on AᵀA, so it keeps the condition number unsquared and
//! computes small singular values to high relative accuracy — what the minimum-norm fit needs
//! at the interpolation threshold. It solves `ddviz fit`, and it is the independent dense
//! reference the tests hold the incremental solver ([`crate::solve::MinNormPath`], which
//! computes every sweep and the fit panel) to.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ShapeBuilder};

use super::kernels::{axpy, dot, rotate};

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

/// The thin SVD of `a` through a Householder QR first: the long side is reduced to a
/// k × k triangle R (k the short side) and the Jacobi sweeps run on R, whose columns are k long
/// instead of max(rows, cols) — the same accuracy (both steps are orthogonal; nothing forms
/// AᵀA), several times faster on a wide or tall matrix. Training over time uses it
/// ([`crate::train`]); [`svd`] stays the independent reference of the tests and `ddviz fit`.
pub fn svd_qr(a: ArrayView2<f64>) -> Svd {
    let (rows, cols) = a.dim();
    if cols > rows {
        let t = svd_qr(a.t());
        return Svd { u: t.v, s: t.s, v: t.u };
    }
    // Householder QR of the tall a (rows ≥ cols), column-major: reflectors v_k, R in place.
    let (m, n) = (rows, cols);
    let mut b: Vec<f64> = Vec::with_capacity(m * n);
    for j in 0..n {
        b.extend(a.column(j).iter());
    }
    let mut reflectors: Vec<Vec<f64>> = Vec::with_capacity(n);
    // The products run on the engine's kernels (SIMD in the browser, the same bits everywhere).
    for k in 0..n {
        let x = &b[k * m + k..(k + 1) * m];
        let norm = dot(x, x).sqrt();
        let mut v = x.to_vec();
        let alpha = if v[0] > 0.0 { -norm } else { norm };
        v[0] -= alpha;
        let vn = dot(&v, &v).sqrt();
        if vn > 0.0 && norm > 0.0 {
            v.iter_mut().for_each(|t| *t /= vn);
            for j in k..n {
                let col = &mut b[j * m + k..(j + 1) * m];
                let d = 2.0 * dot(col, &v);
                axpy(-d, &v, col);
            }
        } else {
            v.iter_mut().for_each(|t| *t = 0.0);
        }
        reflectors.push(v);
    }
    let r = Array2::from_shape_fn((n, n), |(i, j)| if i <= j { b[j * m + i] } else { 0.0 });
    let small = svd(r.view());
    // U = Q·U_R: U_R padded with zero rows, the reflectors applied last to first, on a
    // column-major buffer (each column one slice).
    let mut u = vec![0.0; m * n];
    for j in 0..n {
        for i in 0..n {
            u[j * m + i] = small.u[[i, j]];
        }
    }
    for (k, v) in reflectors.iter().enumerate().rev() {
        for j in 0..n {
            let col = &mut u[j * m + k..(j + 1) * m];
            let d = 2.0 * dot(col, v);
            if d != 0.0 {
                axpy(-d, v, col);
            }
        }
    }
    let u = Array2::from_shape_vec((m, n).f(), u).unwrap_or_else(|_| Array2::zeros((m, n).f()));
    Svd { u, s: small.s, v: small.v }
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
    fn the_qr_first_svd_reconstructs_the_matrix_and_agrees_with_the_plain_one() {
        for &(r, c) in &[(40, 7), (7, 40), (12, 12), (1, 5), (5, 1), (30, 200)] {
            let mut a = random(r, c, (r * 31 + c) as u64);
            // An ill-conditioned column: nearly a copy of another.
            if c > 2 && r > 2 {
                let near = &a.column(0).to_owned() + &(a.column(1).to_owned() * 1e-9);
                a.column_mut(2).assign(&near);
            }
            let d = svd_qr(a.view());
            let rec = d.u.dot(&Array2::from_diag(&d.s)).dot(&d.v.t());
            let err = (&rec - &a).iter().map(|x| x.abs()).fold(0.0, f64::max);
            assert!(err < 1e-12, "{r}x{c}: {err}");
            let sorted = |s: &Array1<f64>| {
                let mut v = s.to_vec();
                v.sort_by(|x, y| y.total_cmp(x));
                v
            };
            let (p, q) = (sorted(&d.s), sorted(&svd(a.view()).s));
            for (x, y) in p.iter().zip(&q) {
                assert!((x - y).abs() <= 1e-12 * q[0], "{r}x{c}: singular values {x} vs {y}");
            }
            // U and V have orthonormal columns.
            let k = d.s.len();
            let (uu, vv) = (d.u.t().dot(&d.u), d.v.t().dot(&d.v));
            let id = Array2::<f64>::eye(k);
            assert!((&uu - &id).iter().chain((&vv - &id).iter()).all(|x| x.abs() < 1e-12), "{r}x{c}: not orthonormal");
        }
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
