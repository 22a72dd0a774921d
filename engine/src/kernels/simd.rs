//! The kernels written with WebAssembly SIMD instructions, two f64 lanes each, doing per lane
//! exactly the operations of the portable bodies in the same order (so the numbers are
//! bit-identical). Written out rather than left to the compiler's vectorizer, which the browser
//! build's size-optimized link does not run.

use super::{FastRot, Panels, LANES};
use core::arch::wasm32::*;

/// Lanes s[i], s[i + 1] (bounds-checked; one unaligned 16-byte load).
#[inline(always)]
fn load(s: &[f64], i: usize) -> v128 {
    let pair = &s[i..i + 2];
    // SAFETY: `pair` holds two f64 = 16 readable bytes; v128_load reads unaligned.
    unsafe { v128_load(pair.as_ptr() as *const v128) }
}

/// Writes lanes to s[i], s[i + 1] (bounds-checked; one unaligned 16-byte store).
#[inline(always)]
fn store(s: &mut [f64], i: usize, v: v128) {
    let pair = &mut s[i..i + 2];
    // SAFETY: `pair` holds two f64 = 16 writable bytes; v128_store writes unaligned.
    unsafe { v128_store(pair.as_mut_ptr() as *mut v128, v) }
}

/// [`super::dot`] two lanes at a time: lanes (0, 1) and (2, 3) of its four partial sums.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    // Lanes (0, 1) and (2, 3) of the portable body's four partial sums.
    let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
    let full = n / 4 * 4;
    let mut i = 0;
    while i < full {
        lo = f64x2_add(lo, f64x2_mul(load(a, i), load(b, i)));
        hi = f64x2_add(hi, f64x2_mul(load(a, i + 2), load(b, i + 2)));
        i += 4;
    }
    let mut tail = 0.0;
    for j in full..n {
        tail += a[j] * b[j];
    }
    let (a0, a1) = (f64x2_extract_lane::<0>(lo), f64x2_extract_lane::<1>(lo));
    let (a2, a3) = (f64x2_extract_lane::<0>(hi), f64x2_extract_lane::<1>(hi));
    ((a0 + a1) + (a2 + a3)) + tail
}

/// [`super::axpy`] two lanes at a time.
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    let n = x.len().min(y.len());
    let al = f64x2_splat(alpha);
    let mut i = 0;
    while i + 2 <= n {
        let v = f64x2_add(load(y, i), f64x2_mul(al, load(x, i)));
        store(y, i, v);
        i += 2;
    }
    for j in i..n {
        y[j] += alpha * x[j];
    }
}

/// [`super::mat_mat`]: whole 4 × 4 blocks of C in eight registers of two lanes, the ragged
/// edges by the portable block (the same operations per entry, in the same order), in the
/// same passes over A's columns.
pub fn mat_mat(a: &[f64], rows: usize, b: &[f64], c: &mut [f64]) {
    let Some((k, cols)) = super::mat_mat_dims(a, rows, b, c) else { return };
    c.fill(0.0);
    for k0 in (0..k).step_by(super::KC) {
        let k1 = (k0 + super::KC).min(k);
        for j0 in (0..cols).step_by(4) {
            let nj = (cols - j0).min(4);
            for i0 in (0..rows).step_by(4) {
                let ni = (rows - i0).min(4);
                if ni < 4 || nj < 4 {
                    super::mat_mat_block(a, rows, b, c, k, (k0, k1), (i0, ni, j0, nj));
                    continue;
                }
                let mut acc = [f64x2_splat(0.0); 8];
                for jj in 0..4 {
                    acc[2 * jj] = load(c, (j0 + jj) * rows + i0);
                    acc[2 * jj + 1] = load(c, (j0 + jj) * rows + i0 + 2);
                }
                let bs: [&[f64]; 4] = core::array::from_fn(|jj| &b[(j0 + jj) * k + k0..(j0 + jj) * k + k1]);
                for (kk, ak) in a[k0 * rows..k1 * rows].chunks_exact(rows).enumerate() {
                    let (lo, hi) = (load(ak, i0), load(ak, i0 + 2));
                    for jj in 0..4 {
                        let bj = f64x2_splat(bs[jj][kk]);
                        acc[2 * jj] = f64x2_add(acc[2 * jj], f64x2_mul(bj, lo));
                        acc[2 * jj + 1] = f64x2_add(acc[2 * jj + 1], f64x2_mul(bj, hi));
                    }
                }
                for jj in 0..4 {
                    store(c, (j0 + jj) * rows + i0, acc[2 * jj]);
                    store(c, (j0 + jj) * rows + i0 + 2, acc[2 * jj + 1]);
                }
            }
        }
    }
}

/// [`super::rotate`] two lanes at a time.
pub fn rotate(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    let n = x.len().min(y.len());
    let (cv, sv) = (f64x2_splat(c), f64x2_splat(s));
    let mut i = 0;
    while i + 2 <= n {
        let (xa, yb) = (load(x, i), load(y, i));
        store(x, i, f64x2_add(f64x2_mul(cv, xa), f64x2_mul(sv, yb)));
        store(y, i, f64x2_sub(f64x2_mul(cv, yb), f64x2_mul(sv, xa)));
        i += 2;
    }
    for j in i..n {
        let (xa, yb) = (x[j], y[j]);
        x[j] = c * xa + s * yb;
        y[j] = c * yb - s * xa;
    }
}

/// [`super::axpy_dot_body`] two lanes at a time: lanes (0, 1) and (2, 3) of its four partial
/// sums, as in [`dot`].
fn axpy_dot(alpha: f64, x: &[f64], y: &mut [f64], z: &[f64]) -> f64 {
    let n = x.len().min(y.len()).min(z.len());
    let al = f64x2_splat(alpha);
    let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
    let full = n / 4 * 4;
    let mut i = 0;
    while i < full {
        let y0 = f64x2_add(load(y, i), f64x2_mul(al, load(x, i)));
        let y1 = f64x2_add(load(y, i + 2), f64x2_mul(al, load(x, i + 2)));
        store(y, i, y0);
        store(y, i + 2, y1);
        lo = f64x2_add(lo, f64x2_mul(load(z, i), y0));
        hi = f64x2_add(hi, f64x2_mul(load(z, i + 2), y1));
        i += 4;
    }
    let mut tail = 0.0;
    for j in full..n {
        y[j] += alpha * x[j];
        tail += z[j] * y[j];
    }
    let (a0, a1) = (f64x2_extract_lane::<0>(lo), f64x2_extract_lane::<1>(lo));
    let (a2, a3) = (f64x2_extract_lane::<0>(hi), f64x2_extract_lane::<1>(hi));
    ((a0 + a1) + (a2 + a3)) + tail
}

/// [`super::gram_schmidt_pass`] with this module's `dot`, fused `axpy_dot` and `axpy`.
pub fn gram_schmidt_pass(q: &[f64], v: &mut [f64], h: &mut [f64]) {
    gram_schmidt_columns!(q, v, h, dot, axpy_dot, axpy)
}

const V: usize = LANES / 2;

/// [`super::Panels::rotate_rows`] two lanes at a time.
pub fn panels_rotate(t: &mut Panels, acc: &mut [f64], rots: &[FastRot]) {
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
        let mut buf = [0.0f64; LANES];
        buf[..live].copy_from_slice(&acc[j0..j0 + live]);
        let mut a = [f64x2_splat(0.0); V];
        for (l, v) in a.iter_mut().enumerate() {
            *v = load(&buf, 2 * l);
        }
        for &FastRot { col: i, mu, nu } in rots {
            let (mv, nv) = (f64x2_splat(mu), f64x2_splat(nu));
            let col = &mut panel[i * LANES..(i + 1) * LANES];
            for (l, av) in a.iter_mut().enumerate() {
                let x = load(col, 2 * l);
                store(col, 2 * l, f64x2_add(x, f64x2_mul(mv, *av)));
                *av = f64x2_sub(*av, f64x2_mul(nv, x));
            }
        }
        for (l, v) in a.iter().enumerate() {
            store(&mut buf, 2 * l, *v);
        }
        acc[j0..j0 + live].copy_from_slice(&buf[..live]);
    }
}

/// [`super::fast_rotate`] two lanes at a time.
pub fn fast_rotate(x: &mut [f64], a: &mut [f64], rot: FastRot) {
    let n = x.len().min(a.len());
    let (mv, nv) = (f64x2_splat(rot.mu), f64x2_splat(rot.nu));
    let mut i = 0;
    while i + 2 <= n {
        let (xo, ao) = (load(x, i), load(a, i));
        store(x, i, f64x2_add(xo, f64x2_mul(mv, ao)));
        store(a, i, f64x2_sub(ao, f64x2_mul(nv, xo)));
        i += 2;
    }
    if i < n {
        let xo = x[i];
        x[i] = xo + rot.mu * a[i];
        a[i] -= rot.nu * xo;
    }
}

/// [`super::Panels::gemv`] two lanes at a time.
pub fn panels_gemv(t: &Panels, z: &[f64], out: &mut [f64]) {
    let cols = t.cols;
    let k = z.len().min(cols);
    let rows = t.rows.min(out.len());
    for (p, panel) in t.data.chunks_exact(LANES * cols).enumerate() {
        let j0 = p * LANES;
        if j0 >= rows {
            break;
        }
        let mut a = [f64x2_splat(0.0); V];
        for (i, zi) in z.iter().enumerate().take(k) {
            let zv = f64x2_splat(*zi);
            let col = &panel[i * LANES..(i + 1) * LANES];
            for (l, av) in a.iter_mut().enumerate() {
                *av = f64x2_add(*av, f64x2_mul(zv, load(col, 2 * l)));
            }
        }
        let mut buf = [0.0f64; LANES];
        for (l, v) in a.iter().enumerate() {
            store(&mut buf, 2 * l, *v);
        }
        let live = (rows - j0).min(LANES);
        out[j0..j0 + live].copy_from_slice(&buf[..live]);
    }
}
