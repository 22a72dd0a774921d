//! Seeded random draws that give the same numbers natively and in wasm.
//!
//! ChaCha8 is platform-independent; the transformations to uniform and normal draws below use
//! only IEEE-exact operations and `libm`, never the platform's math library, so a seed gives
//! bit-identical data on every target.

use chacha20::ChaCha8Rng;
use rand::{Rng, SeedableRng};

/// The generator used everywhere in ddviz.
pub type DdRng = ChaCha8Rng;

/// Independent streams of one seed, so that every trial (and the shared test set) has its own
/// generator whatever the order or thread the trials run on.
pub fn stream(seed: u64, stream: u64) -> DdRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// The named streams of a seed: each trial draws its features, its training data and the fit
/// panel's new points from streams of its own, and a sweep's shared test set from one more, so
/// no draw depends on the order or thread the trials run on. Trial `t`'s streams are numbered
/// 4t, 4t + 1 and 4t + 2; the test set's is 2⁶⁴ − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Trial `t`'s random features (stream 4t).
    Features,
    /// Trial `t`'s training data, and with your own points its split into folds (stream 4t + 1).
    Data,
    /// Trial `t`'s fresh noisy points that the fit panel shows beside its model (stream 4t + 2).
    NewPoints,
    /// The test set every trial of a sweep shares (stream 2⁶⁴ − 1, whatever the trial).
    Test,
    /// Trial `t`'s starting coefficients β₀ when training over time (stream 4t + 3).
    Init,
}

impl Stream {
    /// The stream's number for trial `trial` (the same for every trial for [`Stream::Test`]).
    pub fn number(self, trial: usize) -> u64 {
        let base = (trial as u64).wrapping_mul(4);
        match self {
            Stream::Features => base,
            Stream::Data => base.wrapping_add(1),
            Stream::NewPoints => base.wrapping_add(2),
            Stream::Test => u64::MAX,
            Stream::Init => base.wrapping_add(3),
        }
    }

    /// The generator of this stream of `seed` for trial `trial`.
    pub fn rng(self, seed: u64, trial: usize) -> DdRng {
        stream(seed, self.number(trial))
    }
}

/// A uniform draw on [0, 1) with 53 random bits.
pub fn uniform(rng: &mut impl Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform draw on [lo, hi).
pub fn uniform_in(rng: &mut impl Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * uniform(rng)
}

/// A standard normal draw (Marsaglia's polar method, with `libm::log`).
pub fn normal(rng: &mut impl Rng) -> f64 {
    loop {
        let u = 2.0 * uniform(rng) - 1.0;
        let v = 2.0 * uniform(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * libm::log(s) / s).sqrt();
        }
    }
}

/// A fair coin: `1.0` or `-1.0`.
pub fn sign(rng: &mut impl Rng) -> f64 {
    if rng.next_u32() & 1 == 0 {
        1.0
    } else {
        -1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_equal_rand_chachas_chacha8_draw_for_draw() {
        // Mixed 32- and 64-bit draws, so that 64-bit draws straddle the 4-block buffer's end.
        for seed in [0, 1, 7, 42, u64::MAX] {
            for s in [0, 1, 3, 1 << 40, u64::MAX] {
                let mut ours = stream(seed, s);
                let mut reference = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                reference.set_stream(s);
                for i in 0..700 {
                    if i % 3 == 0 {
                        assert_eq!(ours.next_u32(), reference.next_u32(), "seed {seed} stream {s} draw {i}");
                    } else {
                        assert_eq!(ours.next_u64(), reference.next_u64(), "seed {seed} stream {s} draw {i}");
                    }
                }
            }
        }
    }

    #[test]
    fn normal_draws_have_unit_variance_and_zero_mean() {
        let mut rng = stream(7, 0);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "var {var}");
    }

    #[test]
    fn named_streams_keep_the_numbers_every_output_was_drawn_from() {
        let numbers: Vec<u64> = [Stream::Features, Stream::Data, Stream::NewPoints, Stream::Test, Stream::Init].iter().map(|s| s.number(3)).collect();
        assert_eq!(numbers, [12, 13, 14, u64::MAX, 15]);
        assert_eq!(Stream::Test.number(0), Stream::Test.number(7));
        assert_eq!(Stream::Data.rng(5, 2).next_u64(), stream(5, 9).next_u64());
    }

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let a: Vec<u64> = (0..4).map(|_| stream(1, 0).next_u64()).collect();
        assert!(a.iter().all(|&x| x == a[0]));
        assert_ne!(stream(1, 0).next_u64(), stream(1, 1).next_u64());
        assert_ne!(stream(1, 0).next_u64(), stream(2, 0).next_u64());
    }
}
