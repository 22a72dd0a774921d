//! Fixtures the unit tests of the sweep modules share: a small Legendre problem, your own
//! points, the fold-by-fold SVD reference their held-out errors are checked against, and a
//! small table of toy images.

use ndarray::Array1;

use crate::data::{Dataset, Target, XDist};
use crate::features::Family;
use crate::own::Eval;
use crate::problem::Problem;
use crate::rng::stream;
use crate::solve::Ridge;

pub fn legendre(n: usize) -> Problem {
    Problem {
        family: Family::Legendre,
        target: Target::Runge,
        x_dist: XDist::Uniform,
        n,
        noise: 0.05,
        ridge: 0.0,
        smoothness: 1.0,
        bandwidth: 10.0,
        dim: 100,
        decay: 0.0,
        fast: 0,
        kappa: 1.0,
        test: 200,
        seed: 1,
        data: None,
        eval: Eval::Split,
        folds: 5,
    }
}

pub fn own(points: usize, eval: Eval, folds: usize) -> Problem {
    let mut rng = stream(9, 3);
    let d = Dataset::draw(points, Target::Sin, XDist::Uniform, 0.1, &mut rng);
    Problem { family: Family::Relu, data: Some(d), eval, folds, ..legendre(points) }
}

/// The reference: trial `t`'s folds fitted one by one with the SVD pseudo-inverse fit.
pub fn own_reference(pr: &Problem, trial: usize, p: usize) -> (f64, f64) {
    own_reference_n(pr, trial, p, usize::MAX)
}

/// [`own_reference`] with each fold's model fitted to its first `n` training points.
pub fn own_reference_n(pr: &Problem, trial: usize, p: usize, n: usize) -> (f64, f64) {
    let d = pr.data.as_ref().unwrap_or_else(|| panic!("no data"));
    let folds = pr.folds_of(trial);
    let map = pr.features(trial, p).unwrap_or_else(|| panic!("1-D"));
    let (mut sse, mut held_total, mut train) = (0.0, 0, 0.0);
    for j in 0..folds.count() {
        let (tr, he) = folds.fold(j);
        let tr = &tr[..n.min(tr.len())];
        let tx: Vec<f64> = tr.iter().map(|&i| d.x[i]).collect();
        let ty: Vec<f64> = tr.iter().map(|&i| d.y[i]).collect();
        let hx: Vec<f64> = he.iter().map(|&i| d.x[i]).collect();
        let f = Ridge { ridge: pr.ridge }.fit(map.design(&tx, p).view(), Array1::from(ty).view()).unwrap_or_else(|e| panic!("{e}"));
        let pred = f.predict(map.design(&hx, p).view());
        sse += he.iter().zip(pred.iter()).map(|(&i, v)| (v - d.y[i]).powi(2)).sum::<f64>();
        held_total += he.len();
        train += f.train_mse;
    }
    (train / folds.count() as f64, sse / held_total as f64)
}

/// `count` toy 4 × 4 images of ten classes (each class its own pattern of bright pixels, with
/// noise), as a table.
pub fn toy_images(count: usize) -> std::sync::Arc<crate::table::Table> {
    let mut rng = stream(3, 0);
    let (w, h) = (4usize, 4usize);
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for i in 0..count {
        let c = (i % 10) as u8;
        for j in 0..w * h {
            let on = (j * 7 + usize::from(c) * 3) % 5 < 2;
            let v = if on { 12.0 } else { 2.0 } + 3.0 * crate::rng::normal(&mut rng);
            pixels.push(v.clamp(0.0, 16.0) as u8);
        }
        labels.push(c);
    }
    std::sync::Arc::new(crate::images::Images { count, width: w, height: h, pixels, labels, max_pixel: 16, classes: 10 }.to_table())
}
