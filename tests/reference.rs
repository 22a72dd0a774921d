//! The engine's fits against an independent dense reference: nalgebra's SVD pseudo-inverse.

use ddviz::engine::features::{Family, FeatureMap};
use ddviz::engine::linalg::rcond;
use ddviz::engine::rng::{normal, stream, uniform_in};
use ddviz::engine::solve::{MinNormPath, Ridge};
use nalgebra::{DMatrix, DVector};
use ndarray::{s, Array1, Array2};

/// β = V·diag(σ/(σ² + nλ))·Uᵀy from nalgebra's SVD, cutting σ ≤ rcond·σ_max.
fn reference(phi: &Array2<f64>, y: &Array1<f64>, ridge: f64) -> DVector<f64> {
    reference_with_bound(phi, y, ridge).0
}

/// The reference solution and the first-order perturbation bound of least squares on the kept
/// singular values, δ·(κ + κ²·‖r‖/‖Aβ‖) (Golub & Van Loan, Theorem 5.3.1), for κ = σ_max/σ_min
/// and a relative perturbation δ = 2·rcond: both solvers drop components at the rank cutoff.
fn reference_with_bound(phi: &Array2<f64>, y: &Array1<f64>, ridge: f64) -> (DVector<f64>, f64) {
    let (n, p) = phi.dim();
    let a = DMatrix::from_fn(n, p, |i, j| phi[[i, j]]);
    let svd = a.clone().svd(true, true);
    let (u, vt) = (svd.u.unwrap_or_else(|| unreachable!()), svd.v_t.unwrap_or_else(|| unreachable!()));
    let smax = svd.singular_values.max();
    let yv = DVector::from_iterator(n, y.iter().copied());
    let mut beta = DVector::zeros(p);
    for k in 0..svd.singular_values.len() {
        let sk = svd.singular_values[k];
        if sk <= rcond(n, p) * smax {
            continue;
        }
        let coef = u.column(k).dot(&yv) * sk / (sk * sk + n as f64 * ridge);
        beta += vt.row(k).transpose() * coef;
    }
    let smin = svd.singular_values.iter().copied().filter(|&s| s > rcond(n, p) * smax).fold(f64::INFINITY, f64::min);
    let kappa = smax / smin;
    let fitted = &a * &beta;
    let tan = (&yv - &fitted).norm() / fitted.norm().max(f64::MIN_POSITIVE);
    (beta, 2.0 * rcond(n, p) * (kappa + kappa * kappa * tan))
}

fn gaussian_problem(n: usize, p: usize, m: usize, seed: u64) -> (Array2<f64>, Array1<f64>, Array2<f64>) {
    let mut rng = stream(seed, 0);
    let phi = Array2::from_shape_fn((n, p), |_| normal(&mut rng));
    let y = Array1::from_shape_fn(n, |_| normal(&mut rng));
    let test = Array2::from_shape_fn((m, p), |_| normal(&mut rng));
    (phi, y, test)
}

fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    let scale = want.iter().map(|v| v.abs()).fold(1.0, f64::max);
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!((a - b).abs() <= tol * scale, "{what}[{i}]: {a} vs {b} (scale {scale})");
    }
}

/// Runs the incremental path to every size and checks predictions, norm and train error
/// against the reference at each.
fn check_path(phi: &Array2<f64>, y: &Array1<f64>, test: &Array2<f64>, ridge: f64, tol: f64, label: &str) {
    let (_, pmax) = phi.dim();
    let m = test.nrows();
    let mut path = MinNormPath::new(&y.to_vec(), m, ridge, pmax).unwrap_or_else(|e| panic!("{e}"));
    for p in 1..=pmax {
        path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
        let pt = path.point();
        let (beta, bound) = reference_with_bound(&phi.slice(s![.., ..p]).to_owned(), y, ridge);
        let tol = tol.max(bound);
        let t = test.slice(s![.., ..p]);
        let want: Vec<f64> = (0..m).map(|i| (0..p).map(|j| t[[i, j]] * beta[j]).sum()).collect();
        assert_close(&format!("{label} p={p} prediction (path rank {:?})", pt.rank), &pt.test_pred, &want, tol);
        assert!((pt.norm - beta.norm()).abs() <= tol * beta.norm().max(1.0), "{label} p={p}: norm {} vs {}", pt.norm, beta.norm());
    }
}

#[test]
fn incremental_path_matches_the_svd_pseudo_inverse_on_gaussian_designs() {
    for (seed, n) in [(1u64, 20usize), (2, 35), (3, 50)] {
        let (phi, y, test) = gaussian_problem(n, 2 * n + 5, 9, seed);
        check_path(&phi, &y, &test, 0.0, 1e-8, &format!("n={n}"));
    }
}

#[test]
fn incremental_ridge_path_matches_the_svd_ridge_solution() {
    for ridge in [1e-6, 1e-2, 1.0, 100.0] {
        let (phi, y, test) = gaussian_problem(25, 60, 7, 11);
        check_path(&phi, &y, &test, ridge, 1e-9, &format!("ridge={ridge}"));
    }
}

#[test]
fn one_off_fit_matches_the_reference_at_and_around_the_threshold() {
    let n = 40;
    for p in [n - 1, n, n + 1, 1, 2 * n] {
        for ridge in [0.0, 0.01] {
            let (phi, y, _) = gaussian_problem(n, p, 1, 100 + p as u64);
            let f = Ridge { ridge }.fit(phi.view(), y.view()).unwrap_or_else(|e| panic!("{e}"));
            let want = reference(&phi, &y, ridge);
            assert_close(&format!("p={p} ridge={ridge}"), f.coef.as_slice().unwrap_or(&[]), want.as_slice(), 1e-9);
        }
    }
}

#[test]
fn incremental_path_matches_the_reference_on_rank_deficient_relu_designs() {
    // ReLU features on 30 points: kinks in the same gap make columns exactly dependent.
    for seed in 0..100u64 {
        let mut rng = stream(seed, 7);
        let x: Vec<f64> = (0..30).map(|_| uniform_in(&mut rng, -1.0, 1.0)).collect();
        let xt: Vec<f64> = (0..25).map(|_| uniform_in(&mut rng, -1.0, 1.0)).collect();
        let y = Array1::from_shape_fn(30, |i| (3.0 * x[i]).sin() + 0.1 * normal(&mut rng));
        let f = FeatureMap::draw(Family::Relu, 90, 0.0, 1.0, &mut rng).unwrap_or_else(|| unreachable!());
        // nalgebra's SVD loses up to ~1e-3 on these exactly rank-deficient designs (seed 56),
        // hence the loose tolerance here and the tight comparison with the Jacobi SVD below.
        check_path(&f.design(&x, 90), &y, &f.design(&xt, 90), 0.0, 1e-2, &format!("relu seed {seed}"));
    }
}

#[test]
fn incremental_path_agrees_tightly_with_the_jacobi_svd_on_rank_deficient_relu_designs() {
    for seed in 0..100u64 {
        let mut rng = stream(seed, 7);
        let x: Vec<f64> = (0..30).map(|_| uniform_in(&mut rng, -1.0, 1.0)).collect();
        let xt: Vec<f64> = (0..25).map(|_| uniform_in(&mut rng, -1.0, 1.0)).collect();
        let y = Array1::from_shape_fn(30, |i| (3.0 * x[i]).sin() + 0.1 * normal(&mut rng));
        let f = FeatureMap::draw(Family::Relu, 90, 0.0, 1.0, &mut rng).unwrap_or_else(|| unreachable!());
        let (phi, test) = (f.design(&x, 90), f.design(&xt, 90));
        let mut path = MinNormPath::new(&y.to_vec(), 25, 0.0, 90).unwrap_or_else(|e| panic!("{e}"));
        for p in 1..=90 {
            path.push(&phi.column(p - 1).to_vec(), &test.column(p - 1).to_vec()).unwrap_or_else(|e| panic!("{e}"));
            let pt = path.point();
            let fit = Ridge::min_norm().fit(phi.slice(s![.., ..p]), y.view()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(pt.rank, Some(fit.rank), "seed {seed} p={p}");
            let want = fit.predict(test.slice(s![.., ..p]));
            assert_close(&format!("seed {seed} p={p}"), &pt.test_pred, want.as_slice().unwrap_or(&[]), 1e-6);
        }
    }
}
