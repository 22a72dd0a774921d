//! The inner loops of the solvers: dot products, axpy, plane rotations, square-root-free
//! ("fast") rotations and a Gram–Schmidt pass.
//!
//! Each is written so that its result is fully determined by the code (a dot product keeps four
//! partial sums in a fixed order), never by the instruction set: on x86-64 with AVX2 the same
//! loops are compiled a second time for 4-wide vectors (the fused step of the Gram–Schmidt pass
//! written out with AVX2 intrinsics, in the same order) and chosen at run time, which changes
//! speed but not a single bit of the result (no fused multiply-add, no reassociation). So native
//! and wasm builds give identical numbers.
//!
//! Each kernel is written once as a portable body (`…_body`) and dispatched once, by
//! `kernel!`; the wasm SIMD versions live in `simd` (kernels/simd.rs).

/// Defines a kernel from its portable body and dispatches it: on x86-64 with AVX2 (checked at
/// run time) the body compiled a second time with AVX2 enabled (or, after `avx2:`, a body
/// written for it), in wasm with SIMD128 the version after `wasm:`, elsewhere the portable body.
macro_rules! kernel {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? = $body:ident, wasm: $wasm:path) => {
        kernel!($(#[$meta])* $vis fn $name($($arg: $ty),*) $(-> $ret)? = $body, avx2: $body, wasm: $wasm);
    };
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? = $body:ident, avx2: $avx2:path, wasm: $wasm:path) => {
        $(#[$meta])*
        #[inline]
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                #[target_feature(enable = "avx2")]
                #[allow(unused_unsafe)]
                unsafe fn avx2($($arg: $ty),*) $(-> $ret)? {
                    // SAFETY: only called where the CPU supports AVX2 (the bodies need nothing else).
                    unsafe { $avx2($($arg),*) }
                }
                // SAFETY: the CPU supports AVX2, checked just above.
                return unsafe { avx2($($arg),*) };
            }
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            return $wasm($($arg),*);
            #[allow(unreachable_code)]
            $body($($arg),*)
        }
    };
}

kernel! {
    /// Σ aᵢ·bᵢ over the common length, with four partial sums.
    pub fn dot(a: &[f64], b: &[f64]) -> f64 = dot_body, wasm: simd::dot
}

kernel! {
    /// y ← y + α·x over the common length.
    pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) = axpy_body, wasm: simd::axpy
}

kernel! {
    /// The plane rotation (x, y) ← (c·x + s·y, c·y − s·x), elementwise.
    pub fn rotate(x: &mut [f64], y: &mut [f64], c: f64, s: f64) = rotate_body, wasm: simd::rotate
}

kernel! {
    /// C = A·B for column-major A (`rows` × K: column k is `a[k·rows..(k+1)·rows]`), column-major
    /// B (K × `c.len() / rows`: column j is `b[j·K..(j+1)·K]`) and column-major C, each entry
    /// summed over k in order from 0 — the numbers of C's columns built by [`axpy`] of A's
    /// columns in order — but in 4 × 4 blocks of C held while k runs, so that A is read once per
    /// four columns of C and C once in all (Φ_test·V of training over time).
    pub fn mat_mat(a: &[f64], rows: usize, b: &[f64], c: &mut [f64]) = mat_mat_body, wasm: simd::mat_mat
}

/// K and the columns of C of a [`mat_mat`], or `None` if the lengths do not fit together.
#[inline(always)]
fn mat_mat_dims(a: &[f64], rows: usize, b: &[f64], c: &[f64]) -> Option<(usize, usize)> {
    let k = a.len().checked_div(rows)?;
    let cols = c.len() / rows;
    (k * rows == a.len() && cols * rows == c.len() && b.len() == k * cols).then_some((k, cols))
}

/// Columns of A per pass of a [`mat_mat`]: a pass's columns (200 × 64 × 8 bytes = 100 KB for
/// training's test design) stay in cache while every block of C takes them. Each block of C is
/// stored between passes and taken up again, which changes no number.
const KC: usize = 64;

/// One block of C (rows `i0..i0 + ni`, columns `j0..j0 + nj`, at most 4 × 4) of a [`mat_mat`]
/// over A's columns `k0..k1`, entry by entry, from what C holds: the portable body's ragged
/// edges, and the vector versions'.
#[inline(always)]
fn mat_mat_block(a: &[f64], rows: usize, b: &[f64], c: &mut [f64], k: usize, (k0, k1): (usize, usize), (i0, ni, j0, nj): (usize, usize, usize, usize)) {
    let mut acc = [[0.0f64; 4]; 4];
    for (jj, accj) in acc.iter_mut().enumerate().take(nj) {
        accj[..ni].copy_from_slice(&c[(j0 + jj) * rows + i0..(j0 + jj) * rows + i0 + ni]);
    }
    for kk in k0..k1 {
        let ak = &a[kk * rows + i0..kk * rows + i0 + ni];
        for (jj, accj) in acc.iter_mut().enumerate().take(nj) {
            let bj = b[(j0 + jj) * k + kk];
            for (x, &av) in accj.iter_mut().zip(ak) {
                *x += bj * av;
            }
        }
    }
    for (jj, accj) in acc.iter().enumerate().take(nj) {
        c[(j0 + jj) * rows + i0..(j0 + jj) * rows + i0 + ni].copy_from_slice(&accj[..ni]);
    }
}

#[inline(always)]
fn mat_mat_body(a: &[f64], rows: usize, b: &[f64], c: &mut [f64]) {
    let Some((k, cols)) = mat_mat_dims(a, rows, b, c) else { return };
    c.fill(0.0);
    for k0 in (0..k).step_by(KC) {
        let k1 = (k0 + KC).min(k);
        for j0 in (0..cols).step_by(4) {
            let nj = (cols - j0).min(4);
            for i0 in (0..rows).step_by(4) {
                let ni = (rows - i0).min(4);
                if ni < 4 || nj < 4 {
                    mat_mat_block(a, rows, b, c, k, (k0, k1), (i0, ni, j0, nj));
                    continue;
                }
                // A whole block with fixed bounds, which the compiler keeps in vector registers.
                let mut acc = [[0.0f64; 4]; 4];
                for (jj, accj) in acc.iter_mut().enumerate() {
                    accj.copy_from_slice(&c[(j0 + jj) * rows + i0..(j0 + jj) * rows + i0 + 4]);
                }
                let bs: [&[f64]; 4] = std::array::from_fn(|jj| &b[(j0 + jj) * k + k0..(j0 + jj) * k + k1]);
                for (kk, ak) in a[k0 * rows..k1 * rows].chunks_exact(rows).enumerate() {
                    let ak: &[f64; 4] = match ak[i0..i0 + 4].try_into() {
                        Ok(x) => x,
                        Err(_) => return,
                    };
                    for jj in 0..4 {
                        let bj = bs[jj][kk];
                        for ii in 0..4 {
                            acc[jj][ii] += bj * ak[ii];
                        }
                    }
                }
                for (jj, accj) in acc.iter().enumerate() {
                    c[(j0 + jj) * rows + i0..(j0 + jj) * rows + i0 + 4].copy_from_slice(accj);
                }
            }
        }
    }
}

/// One square-root-free ("fast") Givens rotation of a pair of scaled columns (x, a):
/// x ← x + μ·a, a ← a − ν·x (with the old x) — two multiplies per entry where a plane rotation
/// takes four (Gentleman 1973; the solver keeps the scale factors, see [`crate::solve`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FastRot {
    /// The column x is (in a [`Panels`] matrix).
    pub col: usize,
    /// μ.
    pub mu: f64,
    /// ν.
    pub nu: f64,
}

kernel! {
    /// Applies `rot` to the pair (x, a) elementwise, over the common length.
    pub fn fast_rotate(x: &mut [f64], a: &mut [f64], rot: FastRot) = fast_rotate_body, wasm: simd::fast_rotate
}

/// One pass of modified Gram–Schmidt: for each column q_j of `q` (column-major, `v.len()` rows,
/// `h.len()` columns) in order, d = q_j·v, h_j += d, v ← v − d·q_j — exactly the numbers of
/// [`dot`] then [`axpy`] column after column, but each update of v is fused with the next
/// column's dot product (one walk over v per column instead of two, and one call per pass: in
/// the browser build the reference sweep got 4–13 % faster; natively it runs as fast as before).
#[inline]
pub fn gram_schmidt_pass(q: &[f64], v: &mut [f64], h: &mut [f64]) {
    if q.len() < v.len() * h.len() {
        return;
    }
    gram_schmidt(q, v, h)
}

kernel! {
    /// [`gram_schmidt_pass`] once its sizes are checked.
    fn gram_schmidt(q: &[f64], v: &mut [f64], h: &mut [f64]) = gram_schmidt_body, avx2: gram_schmidt_avx2_body, wasm: simd::gram_schmidt_pass
}

/// Rows per panel of a [`Panels`] matrix.
pub const LANES: usize = 16;

/// A tall matrix stored as panels of [`LANES`] rows: within a panel, the entries of a column
/// are contiguous, and the columns follow each other. Applying a sequence of rotations row by
/// row, or a matrix–vector product, then walks memory in order with independent lanes — the
/// shape vector units (AVX2, wasm SIMD) want — instead of striding across columns. Each row's
/// arithmetic is the same whatever the panel height, so the layout never changes a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Panels {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Panels {
    /// A zero matrix of `rows` × `cols`.
    pub fn zeros(rows: usize, cols: usize) -> Panels {
        let padded = rows.div_ceil(LANES) * LANES;
        Panels { rows, cols, data: vec![0.0; padded * cols] }
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn at(&self, j: usize, i: usize) -> usize {
        (j / LANES) * LANES * self.cols + i * LANES + j % LANES
    }

    /// Writes column `i` (`col.len()` = rows).
    pub fn set_column(&mut self, i: usize, col: &[f64]) {
        if i >= self.cols {
            return;
        }
        for (j, v) in col.iter().enumerate().take(self.rows) {
            let k = self.at(j, i);
            self.data[k] = *v;
        }
    }

    /// Entry (j, i).
    pub fn get(&self, j: usize, i: usize) -> f64 {
        if j < self.rows && i < self.cols {
            self.data[self.at(j, i)]
        } else {
            0.0
        }
    }

    /// Applies fast rotations to every row paired with `acc` (one entry per row): each
    /// [`FastRot`] in order, on column `col` and `acc` — the arithmetic of [`fast_rotate`] on
    /// that column and `acc`, rotation after rotation.
    pub fn rotate_rows(&mut self, acc: &mut [f64], rots: &[FastRot]) {
        panels_rotate(self, acc, rots)
    }

    /// Exchanges column `i` and `acc` (one entry per row), negating one: (T[j,i], acc[j]) ←
    /// (acc[j], −T[j,i]) — a rotation by a right angle.
    pub fn exchange(&mut self, i: usize, acc: &mut [f64]) {
        if i >= self.cols {
            return;
        }
        for (j, a) in acc.iter_mut().enumerate().take(self.rows) {
            let k = self.at(j, i);
            (self.data[k], *a) = (*a, -self.data[k]);
        }
    }

    /// Multiplies column `i` by `f`.
    pub fn scale_column(&mut self, i: usize, f: f64) {
        if i >= self.cols {
            return;
        }
        for j in 0..self.rows {
            let k = self.at(j, i);
            self.data[k] *= f;
        }
    }

    /// out[j] = Σ_i z[i]·T[j,i], summed in the order of i (as repeated [`axpy`] would).
    pub fn gemv(&self, z: &[f64], out: &mut [f64]) {
        panels_gemv(self, z, out)
    }
}

kernel! {
    /// [`Panels::rotate_rows`].
    fn panels_rotate(t: &mut Panels, acc: &mut [f64], rots: &[FastRot]) = panels_rotate_body, wasm: simd::panels_rotate
}

kernel! {
    /// [`Panels::gemv`].
    fn panels_gemv(t: &Panels, z: &[f64], out: &mut [f64]) = panels_gemv_body, wasm: simd::panels_gemv
}

// The panel walk is written out in each kernel (here and in `simd`) rather than shared through a
// closure-taking helper: a closure is compiled without the AVX2 of the function that calls it,
// which made the native sweep 1.5× slower.
#[inline(always)]
fn panels_rotate_body(t: &mut Panels, acc: &mut [f64], rots: &[FastRot]) {
    let cols = t.cols;
    if rots.iter().any(|r| r.col >= cols) {
        return;
    }
    let rows = t.rows.min(acc.len());
    for (p, panel) in t.data.chunks_exact_mut(LANES * cols).enumerate() {
        let j0 = p * LANES;
        if j0 >= rows {
            break;
        }
        let live = (rows - j0).min(LANES);
        let mut a = [0.0f64; LANES];
        a[..live].copy_from_slice(&acc[j0..j0 + live]);
        for &FastRot { col: i, mu, nu } in rots {
            let col = &mut panel[i * LANES..(i + 1) * LANES];
            for l in 0..LANES {
                let x = col[l];
                col[l] = x + mu * a[l];
                a[l] -= nu * x;
            }
        }
        acc[j0..j0 + live].copy_from_slice(&a[..live]);
    }
}

#[inline(always)]
fn panels_gemv_body(t: &Panels, z: &[f64], out: &mut [f64]) {
    let cols = t.cols;
    let k = z.len().min(cols);
    let rows = t.rows.min(out.len());
    for (p, panel) in t.data.chunks_exact(LANES * cols).enumerate() {
        let j0 = p * LANES;
        if j0 >= rows {
            break;
        }
        let mut a = [0.0f64; LANES];
        for (i, zi) in z.iter().enumerate().take(k) {
            let col = &panel[i * LANES..(i + 1) * LANES];
            for l in 0..LANES {
                a[l] += zi * col[l];
            }
        }
        let live = (rows - j0).min(LANES);
        out[j0..j0 + live].copy_from_slice(&a[..live]);
    }
}

#[inline(always)]
fn dot_body(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let mut ca = a.chunks_exact(4);
    let mut cb = b.chunks_exact(4);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for j in 0..4 {
            acc[j] += x[j] * y[j];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        tail += x * y;
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + tail
}

#[inline(always)]
fn axpy_body(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

#[inline(always)]
fn rotate_body(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    for (a, b) in x.iter_mut().zip(y.iter_mut()) {
        let (xa, yb) = (*a, *b);
        *a = c * xa + s * yb;
        *b = c * yb - s * xa;
    }
}

#[inline(always)]
fn fast_rotate_body(x: &mut [f64], a: &mut [f64], rot: FastRot) {
    let FastRot { mu, nu, .. } = rot;
    for (xi, ai) in x.iter_mut().zip(a.iter_mut()) {
        let xo = *xi;
        *xi = xo + mu * *ai;
        *ai -= nu * xo;
    }
}

/// y ← y + α·x, then returns z·y (the updated y) with [`dot_body`]'s partial sums and order.
#[inline(always)]
fn axpy_dot_body(alpha: f64, x: &[f64], y: &mut [f64], z: &[f64]) -> f64 {
    let n = x.len().min(y.len()).min(z.len());
    let (x, y, z) = (&x[..n], &mut y[..n], &z[..n]);
    let full = n / 4 * 4;
    let mut acc = [0.0f64; 4];
    for ((xc, yc), zc) in x[..full].chunks_exact(4).zip(y[..full].chunks_exact_mut(4)).zip(z[..full].chunks_exact(4)) {
        for j in 0..4 {
            yc[j] += alpha * xc[j];
            acc[j] += zc[j] * yc[j];
        }
    }
    let mut tail = 0.0;
    for i in full..n {
        y[i] += alpha * x[i];
        tail += z[i] * y[i];
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + tail
}

/// The column loop of [`gram_schmidt_pass`], written once for the three instruction sets with
/// their own `dot`, fused `axpy_dot` and `axpy` (a macro, not a function taking closures: a
/// closure is compiled without the AVX2 of the function that calls it).
macro_rules! gram_schmidt_columns {
    ($q:expr, $v:expr, $h:expr, $dot:path, $axpy_dot:path, $axpy:path) => {{
        let (q, v, h): (&[f64], &mut [f64], &mut [f64]) = ($q, $v, $h);
        let n = v.len();
        let k = h.len();
        if k > 0 {
            let mut d = $dot(&q[..n], v);
            for j in 0..k {
                h[j] += d;
                let qj = &q[j * n..(j + 1) * n];
                if j + 1 < k {
                    d = $axpy_dot(-d, qj, v, &q[(j + 1) * n..(j + 2) * n]);
                } else {
                    $axpy(-d, qj, v);
                }
            }
        }
    }};
}

#[inline(always)]
fn gram_schmidt_body(q: &[f64], v: &mut [f64], h: &mut [f64]) {
    gram_schmidt_columns!(q, v, h, dot_body, axpy_dot_body, axpy_body)
}

// The compiler's vectorizer turns the fused loop into 2-lane code with shuffles (slower than
// separate dot and axpy calls), so AVX2 gets it written out: lanes 0..4 of the four partial sums.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn axpy_dot_avx2(alpha: f64, x: &[f64], y: &mut [f64], z: &[f64]) -> f64 {
    use std::arch::x86_64::*;
    let n = x.len().min(y.len()).min(z.len());
    let full = n / 4 * 4;
    let al = _mm256_set1_pd(alpha);
    let mut acc = _mm256_setzero_pd();
    let mut i = 0;
    while i < full {
        // SAFETY: i + 4 ≤ full ≤ the length of x, y and z; loadu/storeu need no alignment.
        let yv = _mm256_add_pd(_mm256_loadu_pd(y.as_ptr().add(i)), _mm256_mul_pd(al, _mm256_loadu_pd(x.as_ptr().add(i))));
        _mm256_storeu_pd(y.as_mut_ptr().add(i), yv);
        acc = _mm256_add_pd(acc, _mm256_mul_pd(_mm256_loadu_pd(z.as_ptr().add(i)), yv));
        i += 4;
    }
    let mut tail = 0.0;
    for j in full..n {
        y[j] += alpha * x[j];
        tail += z[j] * y[j];
    }
    let mut a = [0.0f64; 4];
    _mm256_storeu_pd(a.as_mut_ptr(), acc);
    ((a[0] + a[1]) + (a[2] + a[3])) + tail
}

/// The Gram–Schmidt pass with the fused step written out for AVX2 (only called with AVX2).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn gram_schmidt_avx2_body(q: &[f64], v: &mut [f64], h: &mut [f64]) {
    gram_schmidt_columns!(q, v, h, dot_body, axpy_dot_avx2, axpy_body)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_and_portable_kernels_agree_to_the_bit() {
        let a: Vec<f64> = (0..103).map(|i| ((i * 37 % 101) as f64).sin() * 1e3).collect();
        let b: Vec<f64> = (0..103).map(|i| ((i * 53 % 97) as f64).cos() / 7.0).collect();
        assert_eq!(dot(&a, &b).to_bits(), dot_body(&a, &b).to_bits());
        let (mut x1, mut y1, mut x2, mut y2) = (a.clone(), b.clone(), a.clone(), b.clone());
        rotate(&mut x1, &mut y1, 0.6, 0.8);
        rotate_body(&mut x2, &mut y2, 0.6, 0.8);
        assert_eq!(x1, x2);
        assert_eq!(y1, y2);
        axpy(1.7, &a, &mut x1);
        axpy_body(1.7, &a, &mut x2);
        assert_eq!(x1, x2);
    }

    #[test]
    fn mat_mat_equals_axpy_of_columns_in_order_to_the_bit() {
        for (rows, k, cols) in [(1, 1, 1), (4, 3, 4), (7, 5, 9), (200, 30, 30), (13, 600, 3), (2, 0, 5)] {
            let a: Vec<f64> = (0..rows * k).map(|i| ((i * 37 % 101) as f64).sin() * 1e3).collect();
            let b: Vec<f64> = (0..k * cols).map(|i| ((i * 53 % 97) as f64).cos() / 7.0).collect();
            let mut want = vec![0.0; rows * cols];
            for j in 0..cols {
                for kk in 0..k {
                    axpy_body(b[j * k + kk], &a[kk * rows..(kk + 1) * rows], &mut want[j * rows..(j + 1) * rows]);
                }
            }
            let (mut got, mut portable) = (vec![f64::NAN; rows * cols], vec![f64::NAN; rows * cols]);
            mat_mat(&a, rows, &b, &mut got);
            mat_mat_body(&a, rows, &b, &mut portable);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "{rows} × {k} × {cols}");
            assert_eq!(bits(&portable), bits(&want), "{rows} × {k} × {cols}");
        }
    }

    #[test]
    fn gram_schmidt_pass_equals_dot_then_axpy_column_by_column_to_the_bit() {
        for n in [1, 3, 4, 7, 30, 101] {
            let k = 6;
            let q: Vec<f64> = (0..n * k).map(|i| ((i * 29 % 23) as f64).sin() / (1.0 + (i % 5) as f64)).collect();
            let v0: Vec<f64> = (0..n).map(|i| ((i * 13 % 11) as f64).cos() * 1e2).collect();
            let (mut v1, mut h1) = (v0.clone(), vec![0.5; k]);
            gram_schmidt_pass(&q, &mut v1, &mut h1);
            gram_schmidt_pass(&q, &mut v1, &mut h1);
            // The portable body too (the dispatcher runs the AVX2 version where there is one).
            let (mut v3, mut h3) = (v0.clone(), vec![0.5; k]);
            gram_schmidt_body(&q, &mut v3, &mut h3);
            gram_schmidt_body(&q, &mut v3, &mut h3);
            let (mut v2, mut h2) = (v0.clone(), vec![0.5; k]);
            for _ in 0..2 {
                for (j, hj) in h2.iter_mut().enumerate() {
                    let qj = &q[j * n..(j + 1) * n];
                    let d = dot_body(qj, &v2);
                    *hj += d;
                    axpy_body(-d, qj, &mut v2);
                }
            }
            assert_eq!(v1.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), v2.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "n {n}");
            assert_eq!(h1.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), h2.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "n {n}");
            assert_eq!(v3.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), v2.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "portable, n {n}");
            assert_eq!(h3.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), h2.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "portable, n {n}");
        }
        // A q too short for v and h is left alone.
        let (mut v, mut h) = (vec![1.0; 3], vec![0.0; 2]);
        gram_schmidt_pass(&[1.0; 5], &mut v, &mut h);
        assert_eq!((v, h), (vec![1.0; 3], vec![0.0; 2]));
    }

    #[test]
    fn fast_rotations_are_plane_rotations_of_the_scaled_columns() {
        // Columns x = √dx·x̃ and a = √da·ã; μ = da·ã₀/(dx·x̃₀), ν = ã₀/x̃₀ must give the plane
        // rotation that zeroes a₀, with both scales times 1/(1 + μν).
        let (dx, da) = (0.5, 0.8);
        for (x0, a0) in [(2.0, 0.7), (0.3, 1.9)] {
            let xt = vec![x0, -1.0, 0.25];
            let at = vec![a0, 0.5, 3.0];
            let (xs, as_): (Vec<f64>, Vec<f64>) = (xt.iter().map(|v| v * f64::sqrt(dx)).collect(), at.iter().map(|v| v * f64::sqrt(da)).collect());
            let r = (xs[0] * xs[0] + as_[0] * as_[0]).sqrt();
            let (c, s) = (xs[0] / r, as_[0] / r);
            let (mut x1, mut a1) = (xs.clone(), as_.clone());
            rotate(&mut x1, &mut a1, c, s);
            let (mut x2, mut a2) = (xt.clone(), at.clone());
            let (mu, nu) = (da * a0 / (dx * x0), a0 / x0);
            let g = 1.0 / (1.0 + mu * nu);
            fast_rotate(&mut x2, &mut a2, FastRot { col: 0, mu, nu });
            let (sx, sa) = (dx * g, da * g);
            for j in 0..3 {
                assert!((x2[j] * sx.sqrt() - x1[j]).abs() < 1e-14, "{x0} x[{j}]");
                assert!((a2[j] * sa.sqrt() - a1[j]).abs() < 1e-14, "{x0} a[{j}]");
            }
        }
    }

    #[test]
    fn panel_rotations_and_products_equal_column_kernels_to_the_bit() {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for m in [1, 2, 11, 16, 35] {
            let k = 5;
            let t0: Vec<f64> = (0..m * k).map(|i| ((i * 31 % 17) as f64).sin()).collect();
            let acc0: Vec<f64> = (0..m).map(|i| (i as f64).cos() * 3.0).collect();
            let rot = |col, mu, nu| FastRot { col, mu, nu };
            let rots = [rot(0, 0.6, 0.8), rot(2, 0.28, 0.96), rot(0, 0.5, -2.0), rot(3, -0.8, 0.6), rot(4, 1.0, 0.0)];
            let mut p = Panels::zeros(m, k);
            for i in 0..k {
                p.set_column(i, &t0[i * m..(i + 1) * m]);
            }
            let mut a1 = acc0.clone();
            p.rotate_rows(&mut a1, &rots);
            let (mut t2, mut a2) = (t0.clone(), acc0.clone());
            let (mut t3, mut a3) = (t0.clone(), acc0.clone());
            for &rot in &rots {
                let i = rot.col;
                fast_rotate(&mut t2[i * m..(i + 1) * m], &mut a2, rot);
                // The portable body too (the dispatcher runs the AVX2 version where there is one).
                fast_rotate_body(&mut t3[i * m..(i + 1) * m], &mut a3, rot);
            }
            assert_eq!(bits(&t2), bits(&t3), "m {m}");
            assert_eq!(bits(&a2), bits(&a3), "m {m}");
            for i in 0..k {
                for j in 0..m {
                    assert_eq!(p.get(j, i).to_bits(), t2[i * m + j].to_bits(), "m {m}");
                }
            }
            assert_eq!(bits(&a1), bits(&a2), "m {m}");
            let mut a5 = acc0.clone();
            let mut p4 = Panels::zeros(m, k);
            for i in 0..k {
                p4.set_column(i, &t0[i * m..(i + 1) * m]);
            }
            panels_rotate_body(&mut p4, &mut a5, &rots);
            assert_eq!(bits(&p4.data), bits(&p.data), "portable panels, m {m}");
            assert_eq!(bits(&a5), bits(&a1), "portable panels, m {m}");
            let z = [0.5, -1.5, 2.0, 0.25, 3.0];
            let mut o1 = vec![0.0; m];
            p.gemv(&z, &mut o1);
            let mut o2 = vec![0.0; m];
            for (i, zi) in z.iter().enumerate() {
                axpy(*zi, &t2[i * m..(i + 1) * m], &mut o2);
            }
            assert_eq!(bits(&o1), bits(&o2), "m {m}");
            // A rotation naming a column past the end leaves everything alone.
            let mut a6 = acc0.clone();
            p.rotate_rows(&mut a6, &[rot(k, 1.0, 1.0)]);
            assert_eq!(a6, acc0);
        }
    }
}
