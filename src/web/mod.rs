//! The browser layer (wasm32 only): thin wiring from the DOM to the engine and the charts.
//!
//! One wasm binary serves both threads: on the page, [`start`] builds the app ([`app`]); in the
//! Web Worker it creates (from the same JavaScript and wasm files), [`start`] runs sweeps
//! ([`worker`]) and streams partial results back, so dragging a slider never blocks the page.

mod app;
mod backend;
mod controls;
mod data;
mod dom;
mod draw;
mod effects;
pub mod element;
mod runtime;
mod worker;
mod workers;

use wasm_bindgen::JsCast;

/// Entry point of the `ddviz-web` binary: the app on a page, the sweep loop in a worker.
pub fn start() {
    let global = js_sys::global();
    if global.dyn_ref::<web_sys::DedicatedWorkerGlobalScope>().is_some() {
        console_error_panic_hook::set_once();
        worker::start();
    } else {
        install_panic_display();
        // The app's own page; a page that only hosts <ddviz-figure> elements calls
        // element::render_figure itself.
        if dom::by_id::<web_sys::Element>("panel-dd").is_some() {
            app::start();
        }
    }
}

/// A panic shows a message in the page (and the console), instead of a silently dead page.
fn install_panic_display() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        dom::show_fatal(&format!("ddviz stopped because of an internal error: {info}. Reload the page to start again."));
    }));
}
