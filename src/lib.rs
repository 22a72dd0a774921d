//! # ddviz — double descent, computed live
//!
//! Classical statistics says test error against model size is a **U**; modern models keep
//! improving past the point where they fit the training data exactly. ddviz shows the whole
//! curve — the U, the peak at the interpolation threshold (parameters ≈ training points) and the
//! second descent — computed live from a seeded simulation.
//!
//! The crate is laid out by job:
//! - [`engine`]: pure numerics (data, feature families, minimum-norm / ridge solvers, sweeps,
//!   exact theory). No web, plot or CLI imports, so it is tested natively and small in wasm.
//! - [`scene`]: the one parameter table. It drives URL/CLI parsing, serialization, validation
//!   and the controls.
//! - [`export`]: the sweep as CSV and figures as SVG, shared by the CLI and the page.
//! - [`page`]: the page's state and its transitions (messages in, effects out), plain Rust
//!   tested natively; the browser layer only turns events into messages and applies effects.
//! - [`plot`]: charts generic over plotters' `DrawingBackend` (canvas in the browser, SVG natively).
//! - `web` (wasm32 only): the thin browser layer.

pub use ddviz_engine as engine;
pub mod export;
pub mod page;
pub mod plot;
pub mod scene;

#[cfg(not(target_arch = "wasm32"))]
pub mod parallel;

#[cfg(target_arch = "wasm32")]
pub mod web;
