//! Nested feature families: a model of size `p` uses the first `p` features of one draw.
//!
//! - `legendre`: φ_k(x) = √(2k+1)·P_k(x)·(k+1)^(−s), k = 0, 1, … The weight (k+1)^(−s) is the
//!   implicit prior of the minimum-norm fit: with s = 0 (orthonormal basis) the interpolant
//!   weights every degree equally and stays wild past the threshold; with s ≈ 1 it prefers
//!   smooth functions and the second descent ends below the classical optimum.
//! - `relu`: φ_j(x) = max(0, σ_j·(x − t_j)) with knots t_j ~ U[−1, 1] and signs σ_j = ±1. The
//!   kinks fall inside the data range; the textbook draw w, b ~ N(0, 1) puts most kinks outside
//!   [−1, 1], where the features are nearly collinear.
//! - `fourier`: φ_j(x) = √2·cos(ω_j·x + b_j), ω_j ~ N(0, bandwidth²), b_j ~ U[0, 2π).
//! - `gaussian`: the "weak features" linear model; its inputs are D-dimensional and the
//!   features are the coordinates themselves (see [`crate::sweep`]).

use ndarray::{Array2, ShapeBuilder};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::rng::{normal, sign, uniform_in};

/// Which nested family of features a model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Weighted Legendre polynomials (deterministic).
    Legendre,
    /// Random ReLU features with kinks inside [−1, 1].
    Relu,
    /// Random Fourier features.
    Fourier,
    /// The D-dimensional Gaussian linear model with an exact theory.
    Gaussian,
    /// The plain linear model of a table's columns (the digits' pixels), standardized, in an
    /// order drawn per trial: size p takes the first p. Of `data=digits` or a table only.
    Linear,
}

impl Family {
    /// Every family, in the order controls list them.
    pub const ALL: [Family; 5] = [Family::Legendre, Family::Relu, Family::Fourier, Family::Gaussian, Family::Linear];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Family::Legendre => "legendre",
            Family::Relu => "relu",
            Family::Fourier => "fourier",
            Family::Gaussian => "gaussian",
            Family::Linear => "linear",
        }
    }

    /// Whether inputs are one-dimensional points in [−1, 1] (all but `gaussian` and `linear`).
    pub fn is_1d(self) -> bool {
        matches!(self, Family::Legendre | Family::Relu | Family::Fourier)
    }
}

/// One draw of a 1-D feature family, holding `size` features.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureMap {
    /// Weighted Legendre polynomials: `weights[k] = √(2k+1)·(k+1)^(−s)`.
    Legendre {
        /// Per-degree weights.
        weights: Vec<f64>,
    },
    /// ReLU features max(0, σ_j·(x − t_j)).
    Relu {
        /// Knots t_j.
        knots: Vec<f64>,
        /// Signs σ_j.
        signs: Vec<f64>,
    },
    /// Fourier features √2·cos(ω_j·x + b_j).
    Fourier {
        /// Frequencies ω_j.
        freqs: Vec<f64>,
        /// Phases b_j.
        phases: Vec<f64>,
    },
}

impl FeatureMap {
    /// Draws `size` features of a 1-D family. Returns `None` for the Gaussian family, whose
    /// features are coordinates of D-dimensional inputs instead, and for `linear`, a table's.
    pub fn draw(family: Family, size: usize, smoothness: f64, bandwidth: f64, rng: &mut impl Rng) -> Option<FeatureMap> {
        Some(match family {
            Family::Legendre => {
                FeatureMap::Legendre { weights: (0..size).map(|k| ((2 * k + 1) as f64).sqrt() * libm::pow((k + 1) as f64, -smoothness)).collect() }
            }
            Family::Relu => {
                let mut knots = Vec::with_capacity(size);
                let mut signs = Vec::with_capacity(size);
                for _ in 0..size {
                    knots.push(uniform_in(rng, -1.0, 1.0));
                    signs.push(sign(rng));
                }
                FeatureMap::Relu { knots, signs }
            }
            Family::Fourier => {
                let mut freqs = Vec::with_capacity(size);
                let mut phases = Vec::with_capacity(size);
                for _ in 0..size {
                    freqs.push(bandwidth * normal(rng));
                    phases.push(uniform_in(rng, 0.0, 2.0 * std::f64::consts::PI));
                }
                FeatureMap::Fourier { freqs, phases }
            }
            Family::Gaussian | Family::Linear => return None,
        })
    }

    /// How many features this draw holds.
    pub fn size(&self) -> usize {
        match self {
            FeatureMap::Legendre { weights } => weights.len(),
            FeatureMap::Relu { knots, .. } => knots.len(),
            FeatureMap::Fourier { freqs, .. } => freqs.len(),
        }
    }

    /// Writes the first `out.len()` features at `x` into `out` (`out.len() ≤ self.size()`).
    pub fn row(&self, x: f64, out: &mut [f64]) {
        let p = out.len().min(self.size());
        match self {
            FeatureMap::Legendre { weights } => {
                // P_{k+1} = ((2k+1)·x·P_k − k·P_{k−1}) / (k+1), stable on [−1, 1].
                let (mut prev, mut cur) = (0.0, 1.0);
                for (k, o) in out.iter_mut().take(p).enumerate() {
                    *o = cur * weights[k];
                    let kf = k as f64;
                    let next = ((2.0 * kf + 1.0) * x * cur - kf * prev) / (kf + 1.0);
                    prev = cur;
                    cur = next;
                }
            }
            FeatureMap::Relu { knots, signs } => {
                for (j, o) in out.iter_mut().take(p).enumerate() {
                    // A comparison, not `f64::max`: in wasm that is a call to libm's `fmax`
                    // (6% of a relu sweep's time in the browser), and this gives +0 for a
                    // zero of either sign (and for NaN) on every platform.
                    let v = signs[j] * (x - knots[j]);
                    *o = if v > 0.0 { v } else { 0.0 };
                }
            }
            FeatureMap::Fourier { freqs, phases } => {
                for (j, o) in out.iter_mut().take(p).enumerate() {
                    *o = std::f64::consts::SQRT_2 * libm::cos(freqs[j] * x + phases[j]);
                }
            }
        }
    }

    /// The design matrix of the first `p` features at `xs`, column-major (`xs.len()` × `p`),
    /// so that each feature's column is contiguous.
    pub fn design(&self, xs: &[f64], p: usize) -> Array2<f64> {
        let p = p.min(self.size());
        let mut m = Array2::zeros((xs.len(), p).f());
        let mut row = vec![0.0; p];
        for (i, &x) in xs.iter().enumerate() {
            self.row(x, &mut row);
            for (j, v) in row.iter().enumerate() {
                m[[i, j]] = *v;
            }
        }
        m
    }
}

/// The Gaussian family's true coefficients: β*_j ∝ j^(−decay), j = 1..D, with ‖β*‖ = 1.
pub fn gaussian_beta(dim: usize, decay: f64) -> Vec<f64> {
    let raw: Vec<f64> = (1..=dim).map(|j| libm::pow(j as f64, -decay)).collect();
    let norm = raw.iter().map(|v| v * v).sum::<f64>().sqrt();
    raw.into_iter().map(|v| if norm > 0.0 { v / norm } else { 0.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn orthonormal_legendre_features_are_orthonormal_under_the_uniform_measure() {
        let f = FeatureMap::draw(Family::Legendre, 6, 0.0, 1.0, &mut stream(0, 0)).unwrap_or_else(|| unreachable!());
        // Gauss–Legendre-free check: a fine midpoint rule on [−1, 1] with density 1/2.
        let m = 20_000;
        let mut gram = [[0.0; 6]; 6];
        let mut row = [0.0; 6];
        for i in 0..m {
            let x = -1.0 + (i as f64 + 0.5) * 2.0 / m as f64;
            f.row(x, &mut row);
            for a in 0..6 {
                for b in 0..6 {
                    gram[a][b] += row[a] * row[b] / m as f64;
                }
            }
        }
        for (a, g) in gram.iter().enumerate() {
            for (b, v) in g.iter().enumerate() {
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((v - want).abs() < 1e-3, "gram[{a}][{b}] = {v}");
            }
        }
    }

    #[test]
    fn relu_kinks_fall_inside_the_data_range() {
        let f = FeatureMap::draw(Family::Relu, 500, 0.0, 1.0, &mut stream(1, 0)).unwrap_or_else(|| unreachable!());
        if let FeatureMap::Relu { knots, .. } = f {
            assert!(knots.iter().all(|t| (-1.0..=1.0).contains(t)));
        } else {
            unreachable!()
        }
    }

    #[test]
    fn nested_draws_share_their_first_features() {
        let a = FeatureMap::draw(Family::Fourier, 10, 0.0, 5.0, &mut stream(2, 0)).unwrap_or_else(|| unreachable!());
        let b = FeatureMap::draw(Family::Fourier, 20, 0.0, 5.0, &mut stream(2, 0)).unwrap_or_else(|| unreachable!());
        let (mut ra, mut rb) = ([0.0; 10], [0.0; 20]);
        a.row(0.3, &mut ra);
        b.row(0.3, &mut rb);
        assert_eq!(&ra[..], &rb[..10]);
    }

    #[test]
    fn relu_features_are_positive_zero_on_the_flat_side_and_at_the_kink() {
        let f = FeatureMap::Relu { knots: vec![0.25, 0.25, 0.25], signs: vec![1.0, -1.0, -1.0] };
        let mut out = [f64::NAN; 3];
        // At the kink σ·(x − t) is +0 or −0; the feature is +0 either way, on every platform.
        f.row(0.25, &mut out);
        assert_eq!(out.map(f64::to_bits), [0; 3]);
        f.row(0.75, &mut out);
        assert_eq!(out, [0.5, 0.0, 0.0]);
        assert_eq!(out[1].to_bits(), 0);
        f.row(f64::NAN, &mut out);
        assert_eq!(out.map(f64::to_bits), [0; 3]);
    }

    #[test]
    fn gaussian_beta_has_unit_norm_and_decays() {
        let b = gaussian_beta(50, 1.0);
        let n: f64 = b.iter().map(|v| v * v).sum();
        assert!((n - 1.0).abs() < 1e-12);
        assert!(b.windows(2).all(|w| w[0] > w[1]));
    }
}
