//! The ddviz engine: pure-Rust numerics behind every number ddviz shows.
//!
//! It is its own crate (re-exported as `ddviz::engine`) so that the browser build can optimize it
//! for speed while the rest of the app is optimized for size; it has no web, plot or CLI
//! dependency and is tested natively.
//!
//! - [`chain`]: several sweeps run as one numbering of trials (a comparison).
//! - [`data`]: targets, input distributions and noisy training sets.
//! - [`images`]: the bundled handwritten digits (their file format and reader).
//! - [`table`]: a table of your own (several numeric columns and a label), read from CSV.
//! - [`tabular`]: double descent on a table (the digits, or yours): random features of its
//!   columns, a classification's outputs on one factorization.
//! - [`features`]: nested feature families (Legendre, random ReLU, random Fourier, Gaussian).
//! - [`kernels`]: the solvers' inner loops (bit-identical on every instruction set).
//! - [`own`]: your own points: CSV reading, held-out splits and k-fold cross-validation.
//! - [`linalg`]: small dense kernels (one-sided Jacobi SVD, triangular solves).
//! - [`num`]: reading numbers from text, the same natively and in wasm.
//! - [`solve`]: the one-off ridge / minimum-norm fit and the incremental path over model sizes.
//! - [`sweep`]: model-size and sample-size sweeps averaged over seeded trials (and every name
//!   below, re-exported).
//! - [`problem`]: the problem a sweep runs, its limits, and each trial's draws.
//! - [`grid`]: a sweep's x-axis and the points it evaluates.
//! - [`trial`]: one trial's output and its flat form (what a Web Worker sends).
//! - [`summary`]: trials folded, in order, into a sweep's rows.
//! - [`fit_view`]: the fit panel's model, grown by the sweep's solver.
//! - [`stats`]: quantiles and running means.
//! - [`train`]: training over time — gradient descent and gradient flow in closed form.
//! - [`theory`]: exact and asymptotic risk curves for the Gaussian family.
//! - [`rng`]: seeded, platform-independent random draws.

pub mod chain;
pub mod data;
pub mod error;
pub mod features;
pub mod fit_view;
pub mod grid;
pub mod images;
pub mod kernels;
pub mod linalg;
pub mod num;
pub mod own;
pub mod problem;
pub mod rng;
pub mod solve;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod table;
pub mod table_train;
pub mod tabular;
#[cfg(test)]
mod testing;
pub mod theory;
pub mod train;
pub mod trial;

pub use error::EngineError;
