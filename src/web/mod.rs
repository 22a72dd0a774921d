//! The browser layer (wasm32 only): thin wiring from the DOM to the engine and the charts.
//!
//! One wasm binary serves both threads: on the page, [`start`] builds the app ([`app`]); in the
//! Web Worker it creates (from the same JavaScript and wasm files), [`start`] runs sweeps
//! ([`worker`]) and streams partial results back, so dragging a slider never blocks the page.
//! The training panels, the handwritten digits and the sample-wise view are a second binary,
//! `ddviz-extra`, loaded only when a scene shows them: it runs [`training`], [`digits`] and
//! [`remote`] (the sweeps the page's own binary does not carry); the page reaches it through
//! `lazy`.

mod app;
mod backend;
mod controls;
mod data;
pub mod digits;
mod dom;
mod draw;
mod effects;
pub mod element;
pub mod extra_worker;
pub mod figure_export;
mod lazy;
pub mod loaded;
mod map_job;
pub mod remote;
mod runtime;
pub mod table;
pub mod tables;
pub mod training;
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
        // The app's own page (<ddviz-figure> elements are drawn by the ddviz-figure module).
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

/// What each wasm binary of the app (`ddviz-web`, `ddviz-extra`) defines at its top: Talc in
/// place of Rust's default wasm allocator (dlmalloc) — a smaller module and faster allocation;
/// each thread is single-threaded with its own memory — and the C symbols `pow` and `log`,
/// which the standard library's `powf` and `ln` (plotters' tick placement, the page's easing)
/// call and the compiler's builtins provide as weak symbols: defined here with the `libm` the
/// engine already links, one copy of each is in the wasm, not two (about 1 KB less, gzipped).
#[macro_export]
macro_rules! wasm_runtime {
    () => {
        #[global_allocator]
        static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

        #[unsafe(no_mangle)]
        extern "C" fn pow(x: f64, y: f64) -> f64 {
            libm::pow(x, y)
        }

        #[unsafe(no_mangle)]
        extern "C" fn log(x: f64) -> f64 {
            libm::log(x)
        }
    };
}
