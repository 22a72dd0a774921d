//! `ddviz`: the native command-line tool. It runs the same engine as the web app and prints CSV
//! or JSON (`ddviz sweep`, `ddviz fit`, `ddviz theory`; `ddviz <command> --help`).
//!
//! Every flag comes from the scene table ([`ddviz::scene::PARAMS`]), so flags, URL keys and
//! validation messages are the same everywhere. Bad input prints one line naming the flag and
//! its allowed range on stderr, exits with code 2, and prints nothing on stdout.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
