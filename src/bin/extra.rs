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

/// In the map's worker: the summary of size `index` of the map scene `query`, as JSON
/// ([`ddviz::web::map_job::map_size`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn map_size(query: &str, index: usize) -> String {
    ddviz::web::map_job::map_size(query, index)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-extra is part of the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
