//! The training panels' module (wasm32 only): `trunk` builds it beside the page's `ddviz-web`,
//! and the page loads it only when a scene shows the training or the map panel
//! (`window.ddvizTrain` in www/index.html). It runs `ddviz::web::training`.

// The allocator and the C math symbols (see `ddviz::wasm_runtime`).
#[cfg(target_arch = "wasm32")]
ddviz::wasm_runtime!();

#[cfg(target_arch = "wasm32")]
fn main() {
    ddviz::web::training::start();
}

/// The page's scene string, its selected size and the size sweep's error there (NaN: unknown):
/// the training panels follow ([`ddviz::web::training::show`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn show(query: &str, selected: usize, end: f64) {
    ddviz::web::training::show(query, selected, end);
}

/// The fit panel's model at step `step`: `[train error, values at grid_x…]`, or `undefined`
/// ([`ddviz::web::training::fit_at`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn fit_at(query: &str, selected: usize, step: f64, grid_x: Vec<f64>) -> Option<Vec<f64>> {
    ddviz::web::training::fit_at(query, selected, step as u64, &grid_x)
}

/// In the module's worker: trial `t` of `kind` (a map size, the training curve or its overlay)
/// in its flat form ([`ddviz::web::extra_worker::trial`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn trial(kind: u8, query: &str, index: usize, t: usize) -> Vec<f64> {
    ddviz::web::extra_worker::trial(kind, query, index, t)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-extra is part of the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
