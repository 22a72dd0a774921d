//! Summaries over trials: quantiles and a running mean / variance.

/// The `q`-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics (numpy's
/// default). Infinite values sort last; NaN is never passed in (the sweep maps it to +∞).
/// Returns NaN for an empty slice.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let v: Vec<f64> = argsort(values).into_iter().map(|i| values[i]).collect();
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    if lo == hi || v[lo] == v[hi] {
        return v[lo];
    }
    let w = pos - lo as f64;
    v[lo] + w * (v[hi] - v[lo])
}

/// The indices of `keys` in increasing order (`total_cmp`; ties in index order). Every sort in
/// ddviz goes through this one routine, a bottom-up merge sort: the standard library's sorts add
/// several KB of code to the browser's wasm per call site, this adds a few hundred bytes, and
/// the lists sorted here (trials, points) are short.
pub fn argsort(keys: &[f64]) -> Vec<usize> {
    let n = keys.len();
    let mut idx: Vec<usize> = (0..n).collect();
    let mut merged = idx.clone();
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut merged[lo..hi] {
                // Taking from the left run on ties keeps equal keys in index order.
                let left = j >= hi || (i < mid && keys[idx[i]].total_cmp(&keys[idx[j]]).is_le());
                if left {
                    *slot = idx[i];
                    i += 1;
                } else {
                    *slot = idx[j];
                    j += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut idx, &mut merged);
        width *= 2;
    }
    idx
}

/// The mean of a slice (NaN when empty; +∞ when any value is infinite).
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Welford's running mean and sum of squared deviations of many series at once (one per test
/// point and size), updated one trial at a time in trial order, so the result does not depend on
/// how trials were scheduled.
#[derive(Debug, Clone, Default)]
pub struct RunningMoments {
    count: usize,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl RunningMoments {
    /// Moments of `len` series.
    pub fn new(len: usize) -> RunningMoments {
        RunningMoments { count: 0, mean: vec![0.0; len], m2: vec![0.0; len] }
    }

    /// Adds one observation of every series.
    pub fn add(&mut self, values: &[f64]) {
        self.count += 1;
        let inv = 1.0 / self.count as f64;
        for ((m, s), &x) in self.mean.iter_mut().zip(self.m2.iter_mut()).zip(values) {
            let d = x - *m;
            *m += d * inv;
            *s += d * (x - *m);
        }
    }

    /// Observations so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The running means.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// Population variance of series `i` (0 before the first observation).
    pub fn variance(&self, i: usize) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.m2[i] / self.count as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear_interpolation() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(quantile(&v, 0.75), 3.25);
        assert_eq!(quantile(&[1.0, f64::INFINITY, 2.0], 0.5), 2.0);
    }

    #[test]
    fn argsort_orders_like_a_library_sort_with_ties_in_index_order() {
        // Lengths around the merge widths, keys with many ties, infinities and negative zero.
        let mut state = 0x2545_f491_u64;
        for n in 0..70 {
            let keys: Vec<f64> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    match state >> 60 {
                        0 => f64::INFINITY,
                        1 => f64::NEG_INFINITY,
                        2 => -0.0,
                        k => (k % 5) as f64 - 2.0,
                    }
                })
                .collect();
            let mut expected: Vec<usize> = (0..n).collect();
            expected.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(a.cmp(&b)));
            assert_eq!(argsort(&keys), expected, "keys {keys:?}");
        }
    }

    #[test]
    fn running_moments_equal_the_two_pass_formulas() {
        let rows = [[1.0, 10.0], [2.0, 10.0], [4.0, 13.0]];
        let mut r = RunningMoments::new(2);
        for row in &rows {
            r.add(row);
        }
        assert!((r.mean()[0] - 7.0 / 3.0).abs() < 1e-15);
        let var0 = rows.iter().map(|x| (x[0] - 7.0 / 3.0f64).powi(2)).sum::<f64>() / 3.0;
        assert!((r.variance(0) - var0).abs() < 1e-14);
        assert!((r.variance(1) - 2.0).abs() < 1e-14);
    }
}
