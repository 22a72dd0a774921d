//! The web app's entry point (wasm32 only): `trunk` builds this binary.

// Talc in place of Rust's default wasm allocator (dlmalloc): a smaller module and faster
// allocation. The page and each worker are single-threaded, each with its own memory.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    ddviz::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-web is the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
