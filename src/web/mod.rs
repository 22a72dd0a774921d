//! The browser layer (wasm32 only): thin wiring from the DOM to the engine and the charts.

use wasm_bindgen::JsCast;

use crate::engine::sweep::{run_sequential, SizeSweep};
use crate::scene::{Platform, Scene};

/// Starts the app: parses the URL, runs the default sweep and shows a summary.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (scene, errors) = Scene::from_query_lenient(&query, Platform::Web);
    let text = match SizeSweep::new(scene.problem.clone(), scene.max_size, scene.grid, scene.trials) {
        Ok(sw) => {
            let r = run_sequential(&sw);
            let last = r.rows.last().map(|row| row.test_mse_median).unwrap_or(f64::NAN);
            format!("ddviz: {} sizes × {} trials; median test error at the largest size {last:.3e}", r.rows.len(), r.trials)
        }
        Err(e) => format!("ddviz: {e}"),
    };
    if let Some(el) = doc.get_element_by_id("status").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        el.set_inner_text(&format!("{text}{}", if errors.is_empty() { String::new() } else { format!(" ({} parameter notices)", errors.len()) }));
    }
}
