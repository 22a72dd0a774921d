//! One-dimensional regression data: targets, input distributions and noisy training sets.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::rng::{normal, uniform};

/// The noiseless function the data comes from; test error is measured against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// sin(2πx).
    Sin,
    /// Runge's function 1/(1 + 25x²), the classic trap for interpolating polynomials.
    Runge,
    /// |x|, with a kink at 0.
    Abs,
    /// A unit step at 0: -1/2 left of it, +1/2 right of it.
    Step,
    /// x³ − x/2.
    Cubic,
}

impl Target {
    /// Every target, in the order controls list them.
    pub const ALL: [Target; 5] = [Target::Sin, Target::Runge, Target::Abs, Target::Step, Target::Cubic];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Target::Sin => "sin",
            Target::Runge => "runge",
            Target::Abs => "abs",
            Target::Step => "step",
            Target::Cubic => "cubic",
        }
    }

    /// The value at `x` (uses `libm`, so it is bit-identical natively and in wasm).
    pub fn eval(self, x: f64) -> f64 {
        match self {
            Target::Sin => libm::sin(2.0 * std::f64::consts::PI * x),
            Target::Runge => 1.0 / (1.0 + 25.0 * x * x),
            Target::Abs => x.abs(),
            Target::Step => {
                if x < 0.0 {
                    -0.5
                } else {
                    0.5
                }
            }
            Target::Cubic => x * x * x - 0.5 * x,
        }
    }
}

/// How training and test inputs are spread over [-1, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum XDist {
    /// Uniform on [-1, 1].
    Uniform,
    /// The Chebyshev (arcsine) distribution cos(πU): denser near ±1, where polynomials swing.
    Chebyshev,
}

impl XDist {
    /// Every distribution, in the order controls list them.
    pub const ALL: [XDist; 2] = [XDist::Uniform, XDist::Chebyshev];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            XDist::Uniform => "uniform",
            XDist::Chebyshev => "chebyshev",
        }
    }

    /// One draw.
    pub fn sample(self, rng: &mut impl Rng) -> f64 {
        let u = uniform(rng);
        match self {
            XDist::Uniform => 2.0 * u - 1.0,
            XDist::Chebyshev => libm::cos(std::f64::consts::PI * u),
        }
    }
}

/// A 1-D training set: inputs, noisy labels and the noiseless values behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Inputs in [-1, 1].
    pub x: Vec<f64>,
    /// Noisy labels.
    pub y: Vec<f64>,
}

impl Dataset {
    /// Draws `n` points from `dist` with labels `target(x) + noise·ε`, ε ~ N(0, 1); the first
    /// `k` points of a draw of `n` are the draw of `k`.
    pub fn draw(n: usize, target: Target, dist: XDist, noise: f64, rng: &mut impl Rng) -> Dataset {
        // Each point's input, then its noise: a draw of n points is a prefix of a draw of more.
        let mut x = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let xi = dist.sample(rng);
            x.push(xi);
            y.push(target.eval(xi) + noise * normal(rng));
        }
        Dataset { x, y }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn inputs_stay_inside_the_unit_interval_for_every_distribution() {
        for dist in XDist::ALL {
            let mut rng = stream(3, 0);
            let d = Dataset::draw(5000, Target::Sin, dist, 0.1, &mut rng);
            assert!(d.x.iter().all(|x| (-1.0..=1.0).contains(x)));
        }
    }

    #[test]
    fn noiseless_labels_equal_the_target() {
        let mut rng = stream(3, 0);
        let d = Dataset::draw(50, Target::Runge, XDist::Uniform, 0.0, &mut rng);
        for (x, y) in d.x.iter().zip(&d.y) {
            assert_eq!(*y, Target::Runge.eval(*x));
        }
    }
}
