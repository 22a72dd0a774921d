//! Double descent on the digits against the numpy loop a student would write, side by side.
//!
//! `cargo bench --bench digits` (or `./dev bench`). The scene: the bundled digits, random ReLU
//! features, n = 300 training and 500 held-out images a trial, every size from 1 to 1200, ten
//! one-hot outputs, 20 trials — `benches/numpy_digits.py`, which refits with `np.linalg.lstsq`
//! at every size (about 17 s a trial on one BLAS thread: it runs 2 trials, and its time per
//! trial is scaled to 20; its trials are the same work each). ddviz grows one factorization per
//! trial over every size, the ten outputs on it.

use std::process::Command;

mod common;

use common::median_ms;
use ddviz::engine::sweep::run_sequential;
use ddviz::parallel::run_parallel;
use ddviz::scene::{Platform, Scene};

const SCENE: &str = "data=digits&family=relu&n=300&test=500&max-size=1200&trials=20";
const NUMPY_TRIALS: usize = 2;

fn main() {
    let mut scene = Scene::from_query(SCENE, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    scene.images = Some(ddviz::engine::images::load(include_bytes!("../data/digits.bin")).unwrap_or_else(|e| panic!("{e}")));
    let sweep = scene.sweep().unwrap_or_else(|e| panic!("{e}"));
    let threads = rayon::current_num_threads();
    let par = median_ms(|| drop(run_parallel(sweep.as_ref())), 5);
    let seq = median_ms(|| drop(run_sequential(sweep.as_ref())), 3);
    println!("ddviz digits sweep ({SCENE}):");
    println!("  ddviz, {threads} threads: {par:8.1} ms (median of 5)");
    println!("  ddviz, 1 thread:  {seq:8.1} ms (median of 3)");
    let log = Scene::from_query(&format!("{SCENE}&grid=log"), Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let log = Scene { images: scene.images.clone(), ..log };
    let log_sweep = log.sweep().unwrap_or_else(|e| panic!("{e}"));
    let log_ms = median_ms(|| drop(run_parallel(log_sweep.as_ref())), 5);
    println!("  ddviz, {threads} threads, 60 log-spaced sizes (the page's grid): {log_ms:.1} ms (median of 5)");

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/numpy_digits.py");
    let mut cmd = Command::new("python3");
    cmd.args([script, "--n", "300", "--test", "500", "--max-size", "1200", "--trials", &NUMPY_TRIALS.to_string()]);
    // One BLAS thread: faster than the default for these small problems (as in reference_sweep).
    cmd.env("OPENBLAS_NUM_THREADS", "1").env("OMP_NUM_THREADS", "1");
    match cmd.output() {
        Ok(o) if o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            // "# numpy X: 2 trials x 1200 sizes in S s"
            match err.split_whitespace().rev().nth(1).and_then(|s| s.parse::<f64>().ok()).map(|s| s * 1e3 * 20.0 / NUMPY_TRIALS as f64) {
                Some(ms) => {
                    println!("  numpy, lstsq at every size, one BLAS thread, scaled to 20 trials: {ms:8.1} ms ({})", err.trim().trim_start_matches("# "));
                    println!("  speed-up: {:.0}x ({threads} threads), {:.0}x (1 thread)", ms / par, ms / seq);
                }
                None => println!("  numpy: could not read its timing from '{}'", err.trim()),
            }
        }
        Ok(o) => println!("  numpy failed: {} (install numpy: pip install numpy)", String::from_utf8_lossy(&o.stderr).trim()),
        Err(e) => println!("  numpy not run: python3 not found ({e})"),
    }
}
