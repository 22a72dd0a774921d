//! The page's second module (wasm32 only): `trunk` builds it beside the page's `ddviz-web`,
//! and the page loads it only when a scene shows the training or the map panel, the
//! handwritten digits or the sample-wise view (`window.ddvizTrain`, `window.ddvizRemote` in
//! www/index.html). It runs `ddviz::web::training`, `ddviz::web::remote` and
//! `ddviz::web::digits`.

// The allocator and the C math symbols (see `ddviz::wasm_runtime`).
#[cfg(target_arch = "wasm32")]
ddviz::wasm_runtime!();

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;

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

/// In the module's worker: trial `t` of `kind` (a map size, the training curve or its overlay,
/// a remote job's trial) in its flat form ([`ddviz::web::extra_worker::trial`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn trial(kind: u8, query: &str, index: usize, t: usize) -> Vec<f64> {
    // A remote job's trial ([`ddviz::web::remote::trial`]), or the training panels'.
    if kind == ddviz::web::extra_worker::REMOTE {
        return ddviz::web::remote::trial(query, t);
    }
    ddviz::web::extra_worker::trial(kind, query, index, t)
}

/// The digits file's bytes, fetched once by the page's loader ([`ddviz::web::digits::load`]);
/// in the module's worker, kept for its trials.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn load_digits(bytes: Vec<u8>) {
    if js_sys::global().dyn_ref::<web_sys::DedicatedWorkerGlobalScope>().is_some() {
        ddviz::web::digits::load_in_worker(&bytes);
    } else {
        // Training panels asked for before the digits were here are computed now.
        if ddviz::web::digits::load(&bytes) {
            ddviz::web::training::refresh();
        }
    }
}

/// A table pasted or uploaded on the page, read with the label column `label` (empty: the
/// column named `label`, else the one column of text, else the last) ([`ddviz::web::table::load`]); in the module's worker,
/// kept for its trials.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn load_table(text: &str, label: &str) {
    if js_sys::global().dyn_ref::<web_sys::DedicatedWorkerGlobalScope>().is_some() {
        ddviz::web::table::load_in_worker(text, label);
        // The same scene string may be of another table now.
        ddviz::web::remote::forget();
    } else {
        ddviz::web::table::load(text, Some(label).filter(|l| !l.is_empty()));
    }
}

/// The page's "show as table" views `ids` (u, dd, fit), from its scene string, selection and
/// summaries in their flat form ([`ddviz::web::tables::fill`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn tables(query: &str, selected: usize, results: js_sys::Array, ids: &str) {
    let flat: Vec<Vec<f64>> = results.iter().map(|a| js_sys::Float64Array::from(a).to_vec()).collect();
    ddviz::web::tables::fill(query, selected, &flat, ids);
}

/// The page's export button `kind` (svg, png or csv), from its scene string, selection and
/// summaries in their flat form ([`ddviz::web::figure_export::export`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn export_figure(kind: &str, query: &str, selected: usize, results: js_sys::Array) {
    let flat: Vec<Vec<f64>> = results.iter().map(|a| js_sys::Float64Array::from(a).to_vec()).collect();
    ddviz::web::figure_export::export(kind, query, selected, &flat);
}

/// The page's job `job` of a remote scene (the digits, the sample-wise view): its trials
/// computed and handed back to the page ([`ddviz::web::remote::start`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn remote(job: f64, query: &str, trials: usize) {
    ddviz::web::remote::start(job as u64, query, trials);
}

/// A digits scene's own panels at the selected size `size`: the digit grid and the
/// classification error ([`ddviz::web::digits::draw`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn grid(query: &str, size: usize) {
    ddviz::web::digits::draw(query, size);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-extra is part of the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
