//! The web app's entry point (wasm32 only): `trunk` builds this binary.

// The allocator and the C math symbols (see `ddviz::wasm_runtime`).
#[cfg(target_arch = "wasm32")]
ddviz::wasm_runtime!();

#[cfg(target_arch = "wasm32")]
fn main() {
    ddviz::web::start();
}

/// Renders the scene string `scene` into `host`: the `<ddviz-figure>` element's drawing
/// ([`ddviz::web::element::render_figure`]). Exported here, not in the library, so that the
/// lazily loaded `ddviz-extra` module does not carry it.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn render_figure(host: web_sys::HtmlElement, scene: &str) -> Result<(), wasm_bindgen::JsValue> {
    ddviz::web::element::render_figure(host, scene)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-web is the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
