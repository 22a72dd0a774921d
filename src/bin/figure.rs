//! The `<ddviz-figure>` element's module (wasm32 only): `trunk` builds it beside the page's
//! `ddviz-web`, and scripts/single-file.mjs inlines it into `ddviz-element.js` for articles. It
//! has every chart (fit, U, double descent, training, map) and no app: neither the page nor the
//! training panels' module carries the element's code.

// The allocator and the C math symbols (see `ddviz::wasm_runtime`).
#[cfg(target_arch = "wasm32")]
ddviz::wasm_runtime!();

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
}

/// Renders the scene string `scene` into `host`: the `<ddviz-figure>` element's drawing
/// ([`ddviz::web::element::render_figure`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn render_figure(host: web_sys::HtmlElement, scene: &str) -> Result<(), wasm_bindgen::JsValue> {
    ddviz::web::element::render_figure(host, scene)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-figure is part of the browser build: run `./dev offline` (see README.md)");
    std::process::exit(2);
}
