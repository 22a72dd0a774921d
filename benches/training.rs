//! Training over time against the numpy loop a student would write, side by side in one run.
//!
//! `cargo bench --bench training` (or `./dev bench`). The scene: relu features, n = 100, model
//! size 400 (past the threshold), 20 trials, 500 test points, noise 0.2, target sin(2πx), gradient
//! descent from β₀ = 0 at half the stable step, train and test error at 200 log-spaced steps up to
//! 10⁵ — `benches/numpy_train.py`, which iterates the steps one by one (about 20 s). ddviz
//! computes the same curves in closed form from one SVD a trial (any step count costs the same:
//! the last ddviz line times 10⁸ steps).

use std::process::Command;

mod common;

use common::median_ms;
use ddviz::engine::sweep::run_sequential;
use ddviz::parallel::run_parallel;
use ddviz::scene::{Platform, Scene};

const SCENE: &str = "family=relu&target=sin&n=100&noise=0.2&max-size=400&size=400&trials=20&test=500&steps=100000";

fn main() {
    let scene = Scene::from_query(SCENE, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let sweep = scene.train_sweep().unwrap_or_else(|e| panic!("{e}"));
    let threads = rayon::current_num_threads();
    let par = median_ms(|| drop(run_parallel(&sweep)), 7);
    let seq = median_ms(|| drop(run_sequential(&sweep)), 5);
    println!("ddviz training curve ({SCENE}):");
    println!("  ddviz, {threads} threads: {par:8.1} ms (median of 7)");
    println!("  ddviz, 1 thread:  {seq:8.1} ms (median of 5)");
    let far = Scene::from_query(&format!("{SCENE}000"), Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let far = far.train_sweep().unwrap_or_else(|e| panic!("{e}"));
    let far_ms = median_ms(|| drop(run_sequential(&far)), 5);
    println!("  ddviz, 1 thread, up to 10⁸ steps: {far_ms:.1} ms (median of 5)");

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/numpy_train.py");
    let mut cmd = Command::new("python3");
    cmd.args([script, "--n", "100", "--size", "400", "--steps", "100000", "--trials", "20", "--test", "500", "--noise", "0.2"]);
    // One BLAS thread: faster than the default for these small products (as in reference_sweep).
    cmd.env("OPENBLAS_NUM_THREADS", "1").env("OMP_NUM_THREADS", "1");
    match cmd.output() {
        Ok(o) if o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            // "# numpy X: 20 trials x 100000 steps in S s"
            match err.split_whitespace().rev().nth(1).and_then(|s| s.parse::<f64>().ok()).map(|s| s * 1e3) {
                Some(ms) => {
                    println!("  numpy, step by step, one BLAS thread: {ms:8.1} ms ({})", err.trim().trim_start_matches("# "));
                    println!("  speed-up: {:.0}x ({threads} threads), {:.0}x (1 thread)", ms / par, ms / seq);
                }
                None => println!("  numpy: could not read its timing from '{}'", err.trim()),
            }
        }
        Ok(o) => println!("  numpy failed: {} (install numpy: pip install numpy)", String::from_utf8_lossy(&o.stderr).trim()),
        Err(e) => println!("  numpy not run: python3 not found ({e})"),
    }
}
