//! The reference sweep against the numpy loop a student would write, side by side in one run.
//!
//! `cargo bench --bench reference_sweep` (or `./dev bench`, which installs numpy first).
//! Reference: relu family, n = 100, sizes 1..400, 20 trials, 500 test points, ridge 0,
//! target sin(2πx), noise 0.2 — the defaults of `benches/numpy_sweep.py` (a copy of
//! `shared/bench/numpy_sweep.py`: `np.linalg.lstsq` for every size).

use std::process::Command;

mod common;

use common::median_ms;
use ddviz::engine::sweep::run_sequential;
use ddviz::parallel::run_parallel;
use ddviz::scene::{Platform, Scene};

const REFERENCE: &str = "family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500";

fn main() {
    let scene = Scene::from_query(REFERENCE, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let sweep = scene.sweep().unwrap_or_else(|e| panic!("{e}"));
    let sweep = sweep.as_ref();
    let threads = rayon::current_num_threads();
    let par = median_ms(|| drop(run_parallel(sweep)), 7);
    let seq = median_ms(|| drop(run_sequential(sweep)), 5);
    println!("ddviz reference sweep ({REFERENCE}):");
    println!("  ddviz, {threads} threads: {par:8.1} ms (median of 7)");
    println!("  ddviz, 1 thread:  {seq:8.1} ms (median of 5)");

    let default = Scene::default();
    let dsweep = default.sweep().unwrap_or_else(|e| panic!("{e}"));
    let dsweep = dsweep.as_ref();
    let dseq = median_ms(|| drop(run_sequential(dsweep)), 7);
    println!("  default scene (legendre, n = 30, sizes 1..600, 20 trials, 200 test), 1 thread: {dseq:.1} ms");

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/numpy_sweep.py");
    // numpy as installed (its BLAS on every core), then with one BLAS thread, which is faster
    // for these small matrices: the fair baseline is the better of the two.
    let mut best = f64::INFINITY;
    for (label, blas_threads) in [("numpy, default BLAS threads", None), ("numpy, OPENBLAS_NUM_THREADS=1", Some("1"))] {
        let mut cmd = Command::new("python3");
        cmd.args([script, "--n", "100", "--max-size", "400", "--trials", "20", "--test", "500", "--noise", "0.2", "--family", "relu"]);
        if let Some(t) = blas_threads {
            cmd.env("OPENBLAS_NUM_THREADS", t).env("OMP_NUM_THREADS", t);
        }
        match cmd.output() {
            Ok(o) if o.status.success() => {
                let err = String::from_utf8_lossy(&o.stderr);
                // "# numpy X: 20 trials x 400 sizes in S s"
                let Some(ms) = err.split_whitespace().rev().nth(1).and_then(|s| s.parse::<f64>().ok()).map(|s| s * 1e3) else {
                    println!("  {label}: could not read its timing from '{}'", err.trim());
                    continue;
                };
                best = best.min(ms);
                println!("  {label}: {ms:8.1} ms ({})", err.trim().trim_start_matches("# "));
            }
            Ok(o) => println!("  {label} failed: {} (install numpy: pip install numpy)", String::from_utf8_lossy(&o.stderr).trim()),
            Err(e) => println!("  {label} not run: python3 not found ({e})"),
        }
    }
    if best.is_finite() {
        println!("  speed-up over the faster numpy run: {:.0}x ({threads} threads), {:.0}x (1 thread)", best / par, best / seq);
    }
}
