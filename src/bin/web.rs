//! The web app's entry point (wasm32 only): `trunk` builds this binary.

// The allocator and the C math symbols (see `ddviz::wasm_runtime`).
#[cfg(target_arch = "wasm32")]
ddviz::wasm_runtime!();

#[cfg(target_arch = "wasm32")]
fn main() {
    ddviz::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-web is the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
