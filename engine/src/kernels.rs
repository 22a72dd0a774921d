//! The inner loops of the solvers: dot products, axpy and plane rotations.
//!
//! Each is written so that its result is fully determined by the code (a dot product keeps four
//! partial sums in a fixed order), never by the instruction set: on x86-64 with AVX2 the same
//! loops are compiled a second time for 4-wide vectors and chosen at run time, which changes
//! speed but not a single bit of the result (no fused multiply-add, no reassociation). So native
//! and wasm builds give identical numbers.

/// Σ aᵢ·bᵢ over the common length, with four partial sums.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { dot_avx2(a, b) };
    }
    dot_body(a, b)
}

/// y ← y + α·x over the common length.
#[inline]
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { axpy_avx2(alpha, x, y) };
    }
    axpy_body(alpha, x, y)
}

/// The plane rotation (x, y) ← (c·x + s·y, c·y − s·x), elementwise.
#[inline]
pub fn rotate(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { rotate_avx2(x, y, c, s) };
    }
    rotate_body(x, y, c, s)
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

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_avx2(a: &[f64], b: &[f64]) -> f64 {
    dot_body(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn axpy_avx2(alpha: f64, x: &[f64], y: &mut [f64]) {
    axpy_body(alpha, x, y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn rotate_avx2(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    rotate_body(x, y, c, s)
}

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
}
