//! What a sweep's x-axis is ([`Axis`]: model size or training points) and which of its points
//! are evaluated ([`Grid`]: every size, or about 60 log-spaced ones).

use serde::{Deserialize, Serialize};

/// Which model sizes a size sweep evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grid {
    /// Every size 1..=max.
    Every,
    /// About 60 log-spaced sizes, always including the interpolation threshold.
    Log,
}

impl Grid {
    /// Both grids, in the order controls list them.
    pub const ALL: [Grid; 2] = [Grid::Every, Grid::Log];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Grid::Every => "every",
            Grid::Log => "log",
        }
    }

    /// The sizes in 1..=max, with `keep` added to the log grid when it is in range.
    pub fn sizes(self, max: usize, keep: usize) -> Vec<usize> {
        match self {
            Grid::Every => (1..=max).collect(),
            Grid::Log => {
                let mut v: Vec<usize> = (0..60).map(|i| libm::round(libm::pow(max as f64, i as f64 / 59.0)) as usize).map(|p| p.clamp(1, max.max(1))).collect();
                // Already in order (pow grows with i): put keep in its place, max at the end.
                if (1..=max).contains(&keep) {
                    let at = v.partition_point(|&p| p < keep);
                    v.insert(at, keep);
                }
                v.push(max);
                v.dedup();
                v
            }
        }
    }
}

/// What is swept along the x-axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// Model size p at fixed n (model-wise double descent).
    Size,
    /// Training points n at fixed p (sample-wise double descent).
    Samples,
}

impl Axis {
    /// Both axes.
    pub const ALL: [Axis; 2] = [Axis::Size, Axis::Samples];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Axis::Size => "size",
            Axis::Samples => "samples",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_grid_keeps_the_threshold_and_the_largest_size() {
        let g = Grid::Log.sizes(600, 30);
        assert!(g.contains(&30) && g.contains(&1) && g.contains(&600));
        assert!(g.windows(2).all(|w| w[0] < w[1]));
    }
}
