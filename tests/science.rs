//! The curves students see: the Gaussian family against its exact theory, and the default
//! scene's textbook story across seeds.

use ddviz::engine::features::Family;
use ddviz::engine::sweep::{Grid, SweepResult};
use ddviz::parallel::run_parallel;
use ddviz::scene::{Platform, Scene};

fn gaussian_scene(n: usize, dim: usize, noise: f64, decay: f64, ridge: f64, trials: usize, seed: u64) -> Scene {
    let mut s = Scene::default();
    s.problem.family = Family::Gaussian;
    s.problem.n = n;
    s.problem.dim = dim;
    s.problem.noise = noise;
    s.problem.decay = decay;
    s.problem.ridge = ridge;
    s.problem.test = 1;
    s.problem.seed = seed;
    s.max_size = dim;
    s.trials = trials;
    s
}

fn sweep(s: &Scene, grid: Grid) -> SweepResult {
    let s = Scene { grid, ..s.clone() };
    run_parallel(s.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref())
}

#[test]
fn gaussian_simulated_mean_matches_the_exact_finite_n_theory() {
    // Belkin, Hsu & Xu, Theorem 1. Per-trial relative spread ≈ √(2/|p − n|); with 1000 trials
    // the standard error is ≤ 1.5 % for |p − n| ≥ 10; allow about 5 of them.
    for (seed, decay) in [(1u64, 0.0), (2, 1.0)] {
        let s = gaussian_scene(40, 160, 0.5, decay, 0.0, 1000, seed);
        let r = sweep(&s, Grid::Log);
        let mut checked = 0;
        for row in &r.rows {
            let gap = (row.x as i64 - 40).abs();
            let theory = row.theory.unwrap_or(f64::NAN);
            if gap >= 10 {
                let tol = if gap >= 30 { 0.03 } else { 0.07 };
                let rel = (row.test_mse_mean - theory).abs() / theory;
                assert!(rel < tol, "decay {decay} p={}: simulated {} vs theory {theory} ({:.1} %)", row.x, row.test_mse_mean, rel * 100.0);
                checked += 1;
            }
            if gap <= 1 {
                assert!(theory.is_infinite(), "theory must be infinite at p={}", row.x);
            }
        }
        assert!(checked > 30, "only {checked} sizes checked");
    }
}

#[test]
fn gaussian_ridge_simulation_is_close_to_the_asymptotic_ridge_risk() {
    // The asymptotic formula carries an O(1/n) finite-size error; n = 150 keeps it to a few %.
    let s = gaussian_scene(150, 450, 0.5, 0.0, 0.2, 200, 3);
    let r = sweep(&s, Grid::Log);
    for row in r.rows.iter().filter(|row| row.x >= 15) {
        let theory = row.theory.unwrap_or(f64::NAN);
        let rel = (row.test_mse_mean - theory).abs() / theory;
        assert!(rel < 0.05, "p={}: simulated {} vs theory {theory}", row.x, row.test_mse_mean);
        // Optimal ridge never loses to this penalty.
        assert!(row.theory_optimal_ridge.unwrap_or(f64::NAN) <= theory + 1e-12);
    }
}

/// The three facts of the default scene, read off one sweep.
fn check_textbook_story(r: &SweepResult, n: usize, seed: u64) {
    let curve =
        |median: bool| -> Vec<(usize, f64)> { r.rows.iter().map(|row| (row.x, if median { row.test_mse_median } else { row.test_mse_mean })).collect() };
    for median in [true, false] {
        let what = if median { "median" } else { "mean" };
        let c = curve(median);
        let below: Vec<&(usize, f64)> = c.iter().filter(|(p, _)| *p + 3 <= n).collect();
        let &&(p_min, u_min) = below.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or_else(|| unreachable!());
        // A U: the minimum is inside, with higher error on both sides of it.
        assert!(p_min > 1 && p_min + 3 < n, "seed {seed} {what}: U minimum at the edge (p={p_min})");
        assert!(c[0].1 > 2.0 * u_min, "seed {seed} {what}: no first descent");
        assert!(below.last().map_or(0.0, |x| x.1) > 2.0 * u_min, "seed {seed} {what}: no rise before the threshold");
        let peak = c.iter().filter(|(p, _)| p.abs_diff(n) <= 2).map(|x| x.1).fold(0.0, f64::max);
        let end = c.last().map_or(f64::NAN, |x| x.1);
        if median {
            assert!(peak >= 10.0 * u_min, "seed {seed}: median peak {peak} < 10 × U minimum {u_min}");
            assert!(end < u_min, "seed {seed}: median at the largest size {end} is not below the U minimum {u_min}");
        } else {
            assert!(peak >= 100.0 * end, "seed {seed}: mean falls only {peak} → {end}");
        }
    }
}

/// The U panel's numbers (the middle half of the trials, with the median) over the sizes its
/// chart shows: they add up to the test error drawn; bias² falls to the U's lowest point while
/// variance rises; and the U's right arm is variance (wherever the test error has risen to 3×
/// its lowest, variance is the larger part).
fn check_textbook_u(r: &SweepResult, scene: &Scene, seed: u64) {
    let parts: Vec<(usize, ddviz::plot::Decomposition)> =
        r.rows.iter().filter(|row| row.x < scene.problem.n).map(|row| (row.x, ddviz::plot::decomposition(row, scene.agg))).collect();
    assert!(parts.iter().all(|(_, d)| d.middle), "seed {seed}: the U panel decomposes the middle half of the trials");
    for (p, d) in &parts {
        assert!((d.bias2 + d.variance - d.test).abs() <= 1e-9 * d.test, "seed {seed}, p = {p}: {d:?} does not add up");
    }
    let (p_min, u_min) = ddviz::plot::u_panel_minimum(r, scene).unwrap_or_else(|| panic!("seed {seed}: no U minimum"));
    let first = parts[0].1;
    // The panel's error axis: up to the decade above 30 × its lowest test error (or 3 × its first).
    let top = 10f64.powf((30.0 * u_min).max(3.0 * first.test).log10().ceil());
    let shown: Vec<&(usize, ddviz::plot::Decomposition)> = parts.iter().take_while(|(_, d)| d.test <= top).collect();
    let last = shown.last().map(|x| x.1).unwrap_or(first);
    let at_min = parts.iter().find(|(p, _)| *p == p_min).map(|x| x.1).unwrap_or(first);
    assert!(p_min > 2 && last.test > 3.0 * u_min, "seed {seed}: no U on the chart (lowest at p = {p_min})");
    assert!(at_min.bias2 <= first.bias2 / 5.0, "seed {seed}: bias² falls only {} → {} by the U's lowest point p = {p_min}", first.bias2, at_min.bias2);
    assert!(
        at_min.variance > first.variance && last.variance >= 30.0 * first.variance,
        "seed {seed}: variance rises only {} → {} → {}",
        first.variance,
        at_min.variance,
        last.variance
    );
    for (p, d) in shown.iter().filter(|(p, d)| *p > p_min && d.test >= 3.0 * u_min) {
        assert!(d.variance > d.bias2, "seed {seed}, p = {p}: the U's right arm is not variance ({d:?})");
    }
}

#[test]
fn default_scene_tells_the_textbook_story_for_several_seeds() {
    for seed in 1..=6u64 {
        let mut s = Scene::from_query("", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        s.problem.seed = seed;
        let r = sweep(&s, s.grid);
        check_textbook_story(&r, s.problem.n, seed);
        check_textbook_u(&r, &s, seed);
    }
}

/// Random Fourier features at the default bandwidth (the default scene otherwise): the rank
/// reaches n at p = n, the test error peaks there and comes down below everything under the
/// threshold. (At bandwidth 10 the features were nearly collinear: the rank reached n only near
/// p = 126 and the median test error never came back down from 1e14.)
#[test]
fn fourier_features_at_the_default_bandwidth_peak_at_the_threshold_and_descend_again() {
    for seed in 1..=4u64 {
        let mut s = Scene::from_query("family=fourier", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        s.problem.seed = seed;
        let n = s.problem.n;
        let r = sweep(&s, s.grid);
        let at = |p: usize| r.rows.iter().find(|row| row.x == p).unwrap_or_else(|| panic!("no size {p}"));
        assert_eq!(at(n).rank_min, Some(n), "seed {seed}: rank at p = n");
        let (p_peak, peak) = r.rows.iter().map(|row| (row.x, row.test_mse_median)).fold((0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
        assert!(p_peak.abs_diff(n) <= 1, "seed {seed}: median peak at p = {p_peak}, not at n = {n}");
        let below = r.rows.iter().filter(|row| row.x < n).map(|row| row.test_mse_median).fold(f64::INFINITY, f64::min);
        let end = r.rows.last().map_or(f64::NAN, |row| row.test_mse_median);
        assert!(end < below, "seed {seed}: end {end} not below the best size under the threshold {below}");
        assert!(peak > 10.0 * end, "seed {seed}: peak {peak} hardly above the end {end}");
    }
}
