//! Property tests: the minimum-norm and interpolation properties, and "no input panics".

use ddviz::engine::solve::{MinNormPath, Ridge};
use ddviz::engine::sweep::{fit_view, run_sequential};
use ddviz::scene::{Platform, Scene, PARAMS};
use nalgebra::DMatrix;
use ndarray::{Array1, Array2};
use proptest::prelude::*;

/// Parses a scene string and, if it is accepted, runs its sweep and its fit view: the test error
/// (median and mean) is never NaN, and nothing panics. Returns whether it checked anything (the
/// scene was accepted and its sweep ran): the properties below reject the cases it did not
/// check ([`prop_assume!`]), so each checks its full number of cases and fails ("Too many
/// global rejects") when its generator produces mostly scenes that are refused.
fn sweep_and_fit(q: &str) -> Result<bool, TestCaseError> {
    let Ok(scene) = Scene::from_query(q, Platform::Web) else { return Ok(false) };
    let result = scene.sweep().map(|s| run_sequential(s.as_ref()));
    if let Ok(r) = &result {
        for row in &r.rows {
            prop_assert!(!row.test_mse_mean.is_nan() && !row.test_mse_median.is_nan(), "{q}: {row:?}");
        }
    }
    let (problem, size) = scene.fit_problem(scene.initial_selection());
    let _ = fit_view(&problem, size, 0, 50, 2);
    Ok(result.is_ok())
}

fn matrix(n: usize, p: usize, vals: &[f64]) -> Array2<f64> {
    Array2::from_shape_fn((n, p), |(i, j)| vals[(i * p + j) % vals.len()])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn min_norm_solution_lies_in_the_row_space(
        n in 1usize..10, p in 1usize..14,
        vals in prop::collection::vec(-3.0f64..3.0, 200),
        ys in prop::collection::vec(-3.0f64..3.0, 10),
    ) {
        let phi = matrix(n, p, &vals);
        let y = Array1::from_shape_fn(n, |i| ys[i]);
        let f = Ridge::min_norm().fit(phi.view(), y.view()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // β ∈ row space ⇔ β = Φᵀw for some w: the least-squares residual of Φᵀw ≈ β vanishes.
        let a = DMatrix::from_fn(p, n, |i, j| phi[[j, i]]);
        let b = nalgebra::DVector::from_iterator(p, f.coef.iter().copied());
        let w = a.clone().svd(true, true).solve(&b, 1e-10).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let resid = (&a * w - &b).norm();
        prop_assert!(resid <= 1e-7 * (1.0 + b.norm()), "residual {resid}, ‖β‖ {}", b.norm());
    }

    #[test]
    fn min_norm_fit_interpolates_generic_data_when_features_reach_points(
        n in 1usize..12, extra in 0usize..10, seed in 0u64..1000,
    ) {
        use ddviz::engine::rng::{normal, stream};
        let p = n + extra;
        let mut rng = stream(seed, 0);
        let phi = Array2::from_shape_fn((n, p), |_| normal(&mut rng));
        let y = Array1::from_shape_fn(n, |_| normal(&mut rng));
        let f = Ridge::min_norm().fit(phi.view(), y.view()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(f.train_mse < 1e-18 * (1.0 + y.dot(&y)), "one-off fit: {}", f.train_mse);
        let mut path = MinNormPath::new(&y.to_vec(), 1, 0.0, p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for j in 0..p {
            path.push(&phi.column(j).to_vec(), &[0.0]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let pt = path.point();
        prop_assert!(pt.train_mse < 1e-18 * (1.0 + y.dot(&y)), "path: {}", pt.train_mse);
        prop_assert!((pt.norm - f.norm()).abs() <= 1e-6 * (1.0 + f.norm()));
    }

    #[test]
    fn any_scene_string_parses_without_panicking(q in ".{0,200}") {
        let (scene, _errors) = Scene::from_query_lenient(&q, Platform::Web);
        prop_assert!(scene.check(Platform::Web).is_empty());
        let _ = Scene::from_query(&q, Platform::Native);
    }

    #[test]
    fn any_value_of_any_parameter_is_accepted_or_named_in_the_error(
        idx in 0usize..PARAMS.len(), v in "(\\PC{0,12}|-?[0-9]{1,25}(\\.[0-9]{0,5})?(e-?[0-9]{1,3})?)",
    ) {
        let key = PARAMS[idx].key;
        let mut s = Scene::default();
        match s.set(key, &v, Platform::Web) {
            Ok(()) => prop_assert!(s.get(key).is_some()),
            Err(e) => prop_assert!(e.message.starts_with(key), "{}", e.message),
        }
    }

    #[test]
    fn any_accepted_scene_sweeps_without_panicking(
        family in 0usize..4, target in 0usize..5, xdist in 0usize..2, grid in 0usize..2, axis in 0usize..2,
        n in 2usize..25, max_size in 1usize..50, trials in 1usize..4, test in 1usize..20, dim in 1usize..60,
        noise in prop_oneof![Just(0.0), 0.0f64..10.0], ridge in prop_oneof![Just(0.0), 0.0f64..1000.0, 1e-12f64..1e-6],
        smoothness in 0.0f64..4.0, bandwidth in 0.1f64..200.0, decay in 0.0f64..4.0, size in 1usize..50, seed in 0u64..1000,
    ) {
        let q = format!(
            "family={}&target={}&x-dist={}&grid={}&axis={}&n={n}&max-size={max_size}&trials={trials}&test={test}&dim={dim}&noise={noise}&ridge={ridge}&smoothness={smoothness}&bandwidth={bandwidth}&decay={decay}&size={size}&seed={seed}",
            ["legendre", "relu", "fourier", "gaussian"][family], ["sin", "runge", "abs", "step", "cubic"][target],
            ["uniform", "chebyshev"][xdist], ["every", "log"][grid], ["size", "samples"][axis],
        );
        prop_assume!(sweep_and_fit(&q)?, "refused: {}", q);
    }

    #[test]
    fn any_accepted_training_scene_trains_without_panicking_or_nan(
        family in 0usize..4, n in 2usize..25, size in 1usize..40, dim in 1usize..60, trials in 1usize..3, test in 1usize..20,
        noise in prop_oneof![Just(0.0), 0.0f64..10.0], ridge in prop_oneof![Just(0.0), 0.0f64..1000.0, 1e-12f64..1e-6],
        lr in prop_oneof![Just(0.99), 1e-6f64..0.99], flow in 0usize..2, init in prop_oneof![Just(0.0), 0.0f64..1000.0],
        steps in prop_oneof![Just(1u64), Just(100_000_000u64), 1u64..100_000_000], fast in 0.0f64..=1.0, kappa in 1.0f64..10000.0,
        equalize in 0usize..2, compare in 0usize..3,
    ) {
        // Training over time, two-speed features (the gaussian family's) and comparisons.
        let gaussian = family == 3;
        let size = if gaussian { size.min(dim) } else { size };
        let fast = if gaussian { (fast * dim as f64) as usize } else { 0 };
        let q = format!(
            "family={}&n={n}&size={size}&max-size={size}&dim={dim}&trials={trials}&test={test}&noise={noise}&ridge={ridge}&lr={lr}&flow={flow}&init={init}&steps={steps}&fast={fast}&kappa={kappa}&equalize={equalize}{}",
            ["legendre", "relu", "fourier", "gaussian"][family],
            ["", "&compare=noise:0,0.5", "&compare=ridge:0,0.001"][compare],
        );
        let scene = Scene::from_query(&q, Platform::Native);
        prop_assert!(scene.is_ok(), "{q}: {scene:?}");
        let Ok(scene) = scene else { return Ok(()) };
        if let Ok(chain) = scene.chain() {
            let mut accs = chain.accumulators();
            for g in 0..chain.trials() {
                if let (Some(out), Some((part, _))) = (chain.run_trial(g), chain.locate(g)) {
                    accs[part].add(&out);
                }
            }
        }
        let train = scene.train_sweep();
        prop_assert!(train.is_ok(), "{q}: {:?}", train.as_ref().err());
        let Ok(train) = train else { return Ok(()) };
        for sweep in [train.clone(), train.ridge_overlay()] {
            let r = run_sequential(&sweep);
            for row in &r.rows {
                prop_assert!(!row.test_mse_median.is_nan() && !row.train_mse_median.is_nan() && !row.norm_median.is_nan(), "{q}: {row:?}");
            }
        }
    }

    #[test]
    fn any_set_of_your_own_points_sweeps_without_panicking(
        pts in prop::collection::vec((prop_oneof![Just(0.0), Just(-1.0), Just(1.0), -1.0f64..1.0], prop_oneof![Just(0.0), Just(1000.0), -5.0f64..5.0]), 0..30),
        family in 0usize..3, kfold in any::<bool>(), folds in 2usize..11, axis in 0usize..2,
        max_size in 1usize..50, trials in 1usize..4, ridge in prop_oneof![Just(0.0), 0.0f64..10.0], size in 1usize..50,
    ) {
        let pairs: Vec<String> = pts.iter().map(|(x, y)| format!("{x}:{y}")).collect();
        let q = format!(
            "family={}&points={}&holdout={}&folds={folds}&axis={}&max-size={max_size}&trials={trials}&ridge={ridge}&size={size}",
            ["legendre", "relu", "fourier"][family], pairs.join(","), if kfold { "kfold" } else { "split" }, ["size", "samples"][axis],
        );
        prop_assume!(sweep_and_fit(&q)?, "refused: {}", q);
    }

    #[test]
    fn fits_of_arbitrary_numbers_return_a_value_or_an_error(
        n in 0usize..6, p in 0usize..6,
        vals in prop::collection::vec(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(1e300), Just(0.0), -1e6f64..1e6], 36),
        ridge in prop_oneof![Just(-1.0), Just(f64::NAN), Just(0.0), 0.0f64..10.0],
    ) {
        let phi = if n * p == 0 { Array2::zeros((n, p)) } else { matrix(n, p, &vals) };
        let y = Array1::from_shape_fn(n, |i| vals[i]);
        let _ = Ridge { ridge }.fit(phi.view(), y.view());
        if let Ok(mut path) = MinNormPath::new(&y.to_vec(), 2, ridge, p) {
            for j in 0..p {
                let _ = path.push(&phi.column(j).to_vec(), &[1.0, -1.0]);
                let _ = path.point();
            }
            let _ = path.push(&[1.0; 3], &[1.0]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, .. ProptestConfig::default() })]

    /// The one number parser (URL, CLI, CSV; natively and in wasm) rounds exactly as std does.
    #[test]
    fn number_parser_rounds_every_decimal_exactly_like_std(
        sign in prop::sample::select(vec!["", "-", "+"]),
        int in "[0-9]{0,22}",
        frac in prop::option::of("[0-9]{0,30}"),
        exp in prop::option::of(-340i32..320),
    ) {
        let mut s = format!("{sign}{int}");
        if let Some(f) = &frac {
            s.push('.');
            s.push_str(f);
        }
        if let Some(e) = exp {
            s.push_str(&format!("e{e}"));
        }
        let ours = ddviz::engine::num::parse_f64(&s).map(f64::to_bits);
        let std = if int.is_empty() && frac.as_deref().unwrap_or("").is_empty() { None } else { s.parse::<f64>().ok().map(f64::to_bits) };
        prop_assert_eq!(ours, std, "{}", s);
    }

    /// The hard cases of rounding: the exact halfway point between two neighbouring doubles
    /// (a tie, rounded to even), and just above and below it; subnormals as often as not.
    #[test]
    fn number_parser_rounds_halfway_points_like_std(bits in prop_oneof![0u64..1 << 53, 0u64..0x7FEF_FFFF_FFFF_FFFF], digits in 16usize..40) {
        let (x, next) = (f64::from_bits(bits), f64::from_bits(bits + 1));
        let mid = halfway(&format!("{x:.1100}"), &format!("{next:.1100}"));
        let mid = mid.trim_end_matches('0');
        let below = &mid[..mid.len() - 1];
        let above = format!("{mid}1");
        let short = format!("{x:.digits$e}");
        for s in [mid, below, above.as_str(), short.as_str()] {
            prop_assert_eq!(ddviz::engine::num::parse_f64(s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits), "{}", s);
        }
    }
}

/// The exact midpoint of two non-negative decimals written with the same number of fraction
/// digits (as `{:.N}` writes them).
fn halfway(a: &str, b: &str) -> String {
    let (ai, af) = a.split_once('.').unwrap_or((a, ""));
    let (bi, bf) = b.split_once('.').unwrap_or((b, ""));
    let w = ai.len().max(bi.len());
    let digits = |i: &str, f: &str| -> Vec<u32> { format!("{i:0>w$}{f}").bytes().map(|c| u32::from(c - b'0')).collect() };
    let (x, y) = (digits(ai, af), digits(bi, bf));
    // Sum, then halve from the most significant digit; an odd sum ends in 5.
    let mut sum = vec![0u32; x.len() + 1];
    let mut carry = 0;
    for k in (0..x.len()).rev() {
        let d = x[k] + y[k] + carry;
        sum[k + 1] = d % 10;
        carry = d / 10;
    }
    sum[0] = carry;
    let mut out = String::new();
    let mut rem = 0;
    for (k, d) in sum.iter().enumerate() {
        let v = rem * 10 + d;
        out.push(char::from(b'0' + (v / 2) as u8));
        rem = v % 2;
        if k == w {
            out.push('.');
        }
    }
    if !out.contains('.') {
        out.push('.');
    }
    if rem == 1 {
        out.push('5');
    }
    out
}

#[test]
fn halfway_is_the_exact_midpoint() {
    assert_eq!(halfway("1.00", "2.00").trim_end_matches('0'), "01.5");
    assert_eq!(halfway("9.95", "10.05"), "010.00");
    assert_eq!(halfway("0.1", "0.2"), "00.15");
}

/// A generator of refused scenes only makes its property fail instead of passing unchecked.
#[test]
fn a_property_whose_scenes_are_all_refused_fails() {
    use proptest::test_runner::{TestError, TestRunner};
    let mut runner = TestRunner::new(ProptestConfig { cases: 8, ..ProptestConfig::default() });
    let outcome = runner.run(&(2usize..5), |n| {
        prop_assume!(sweep_and_fit(&format!("n={n}&max-size=0"))?);
        Ok(())
    });
    assert!(matches!(outcome, Err(TestError::Abort(_))), "{outcome:?}");
}
