//! The web app's entry point (wasm32 only): `trunk` builds this binary.

// Talc in place of Rust's default wasm allocator (dlmalloc): a smaller module and faster
// allocation. The page and each worker are single-threaded, each with its own memory.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// The standard library's `powf` and `ln` (plotters' tick placement, the page's easing) call the C
// symbols `pow` and `log`, which the compiler's builtins provide as weak symbols. Defining them
// here with the `libm` the engine already links means one copy of each in the wasm, not two:
// about 1 KB less, gzipped. Both are the same musl-derived routines.
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

#[cfg(target_arch = "wasm32")]
fn main() {
    ddviz::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ddviz-web is the browser build: run `./dev serve` (see README.md)");
    std::process::exit(2);
}
