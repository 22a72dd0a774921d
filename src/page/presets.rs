//! The named scenes a lecturer can pick, and the introduction tour. Each is a scene string, so
//! each is also a link (`?` + its query).

/// Named scenes; each is also a URL (`?` + its query).
pub const PRESETS: &[(&str, &str)] = &[
    ("The textbook U", "max-size=27&log-x=0&size=7"),
    ("Past the threshold (default)", ""),
    ("Noise makes the peak", "family=relu&target=sin&n=40&max-size=400&compare=noise:0,0.1,0.3&size=40&pick=3"),
    ("Ridge removes the peak", "family=relu&target=sin&n=40&noise=0.1&max-size=400&compare=ridge:0,0.000001,0.0001,0.01&size=40&pick=3"),
    ("Smoothness decides the second descent", "compare=smoothness:0,1,2&size=600&pick=2"),
    ("Feature families compared", "compare=family:legendre,relu,fourier&size=600"),
    ("The exact theory (gaussian)", "family=gaussian&n=40&dim=400&max-size=400&noise=0.5&trials=60&test=100&agg=mean&size=40"),
    ("Random ReLU features", "family=relu&target=sin&n=40&noise=0.1&max-size=800&size=40"),
    ("Sample-wise double descent", "axis=samples&size=30&n=120&log-x=0"),
];

/// Training over time: scenes that show the training panel (and the size × time map), listed on
/// the page after [`PRESETS`] and by `ddviz presets`; each promise is tested on its median
/// curves for seeds 1–5.
pub const TRAINING: &[(&str, &str)] = &[
    ("Training ends at the minimum-norm fit", "size=600&steps=100000000&panels=fit,dd,training"),
    ("Early stopping works like ridge", "size=30&steps=100000000&overlay=1&panels=fit,dd,training"),
    ("Generalization comes late", "size=600&init=30&ridge=0.0000001&steps=100000000&panels=fit,dd,training"),
    ("Epoch-wise double descent", "family=gaussian&n=110&dim=100&max-size=100&noise=0&fast=90&kappa=100&size=100&steps=100000000&panels=fit,dd,training"),
    ("Early stopping removes the peak", "grid=log&steps=100000000&size=30&panels=dd,training,map"),
];

/// Real data: the handwritten digits (Belkin, Hsu, Ma & Mandal 2019, Fig. 2, on a set small
/// enough for a browser), listed on the page after [`TRAINING`] and by `ddviz presets`; each
/// promise is tested on its median curves for seeds 1–3 (tests/digits.rs).
pub const DIGITS: &[(&str, &str)] = &[
    ("Double descent on handwritten digits", "data=digits&family=relu&n=300&test=500&max-size=1200&grid=log&trials=10&size=300"),
    ("Handwritten digits, random Fourier features", "data=digits&family=fourier&bandwidth=1&n=300&test=500&max-size=1200&grid=log&trials=10&size=300"),
    ("Ridge removes the peak on real data", "data=digits&family=relu&n=300&test=500&max-size=1200&grid=log&trials=10&ridge=0.01&size=300"),
    ("More digits can hurt (sample-wise)", "data=digits&family=relu&axis=samples&size=100&n=400&test=500&grid=log&trials=10"),
];

/// Every named scene of the page's list: [`PRESETS`], [`TRAINING`], then [`DIGITS`].
pub fn all() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    PRESETS.iter().chain(TRAINING).chain(DIGITS)
}

use crate::scene::{Platform, Scene};

/// The introduction tour: each step a scene string and a one-line caption. Steps that only move
/// the model size animate the size instead of recomputing.
pub const TOUR: &[(&str, &str)] = &[
    ("max-size=27&log-x=0&size=3", "A small model underfits: too smooth to follow the data. Test error is high."),
    ("max-size=27&log-x=0&size=7", "The best classical model: the bottom of the U."),
    ("max-size=27&log-x=0&size=20", "Approaching the threshold, the fit starts chasing the noise: variance rises."),
    ("size=30", "At p = n the model can just pass through every point: the wild interpolant, the peak."),
    ("size=600", "Far past the threshold, the minimum-norm interpolant calms down: the second descent, below the U."),
    (
        "compare=noise:0.05,0.3&size=600&pick=2",
        "More label noise (σ = 0.3, dashed) lifts the whole curve: the bottom of the U is higher, and the second descent no longer gets below it.",
    ),
    ("compare=ridge:0,0.0001&size=30&pick=2", "A little ridge regularization (λ = 0.0001, dashed) removes the peak."),
    ("compare=smoothness:1,0&size=600&pick=2", "Without the smoothness prior (s = 0, dashed) the second descent stays high: the implicit prior decides."),
    (
        "size=30&steps=100000000&overlay=1&panels=training",
        "Training at the threshold, step by step: test error is lowest early (the circle) and climbs toward the peak after it — stopping early works like ridge (dotted). Hover the training panel to see the model at any step.",
    ),
    (
        "grid=log&steps=100000000&size=30&panels=training,map",
        "Every size at every training time: at the last step (the heatmap's top row) and where training ends (the strip t → ∞) the error peaks at the threshold; stopped at each size's best time (the white line) there is no peak.",
    ),
    // The digits preset ([`DIGITS`]), whose peak and second descent tests/digits.rs checks.
    (
        "data=digits&family=relu&n=300&test=500&max-size=1200&grid=log&trials=10&size=300",
        "Real data: handwritten digits, 300 training images. Guessing the digit, the model is worst where features equal images (p = n) and best far past it: drag along the curve to watch.",
    ),
];

/// The preset a scene shows, if any: its scene, whatever size is selected and however the page
/// is shown (embed mode, panels, controls, theme).
pub fn matching(scene: &Scene) -> Option<usize> {
    let strip = |s: &Scene| {
        let mut s = s.clone();
        s.size = 0;
        s.pick = 0;
        s.time = 0;
        s.keep_look(&Scene::default());
        s
    };
    let want = strip(scene);
    all().position(|(_, q)| Scene::from_query(q, Platform::Web).is_ok_and(|p| strip(&p) == want))
}

/// The whole scene string of tour step `step` (from 1; clamped to the tour).
pub fn tour_query(step: usize) -> String {
    let step = step.clamp(1, TOUR.len());
    let base = TOUR[step - 1].0;
    format!("{base}{}tour=intro&step={step}", if base.is_empty() { "" } else { "&" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_and_tour_step_is_a_valid_scene() {
        for (name, q) in all() {
            let s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(s.check(Platform::Web).is_empty(), "{name}");
        }
        for step in 1..=TOUR.len() {
            let s = Scene::from_query(&tour_query(step), Platform::Web).unwrap_or_else(|e| panic!("step {step}: {e}"));
            assert_eq!((s.tour, s.step), (1, step));
        }
        assert_eq!(tour_query(99), tour_query(TOUR.len()), "steps past the end are the last");
    }

    #[test]
    fn the_tour_step_and_preset_of_the_best_classical_model_select_the_bottom_of_the_u_panel() {
        for q in [tour_query(2), PRESETS[0].1.to_string()] {
            let s = Scene::from_query(&q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"));
            let r = crate::engine::sweep::run_sequential(s.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
            assert_eq!(crate::plot::u_panel_minimum(&r, &s).map(|m| m.0), Some(s.size), "{q}: the U panel's lowest point is not the size selected");
        }
    }

    /// The median curves of each compared value of a scene string (one without a comparison).
    fn compared_curves(q: &str) -> Vec<(Scene, crate::engine::sweep::SweepResult)> {
        let s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"));
        let chain = s.chain().unwrap_or_else(|e| panic!("{e}"));
        let mut accs = chain.accumulators();
        for g in 0..chain.trials() {
            if let (Some(out), Some((part, _))) = (chain.run_trial(g), chain.locate(g)) {
                accs[part].add(&out);
            }
        }
        let scenes: Vec<Scene> = if s.compare.is_some() { s.compared().into_iter().map(|(_, c)| c).collect() } else { vec![s] };
        scenes.into_iter().zip(accs.iter().map(|a| a.result())).collect()
    }

    #[test]
    fn the_noise_step_of_the_tour_shows_what_its_caption_says() {
        // Noise 0.3 against 0.05 on one chart: a higher bottom of the U, and an end above it (the
        // peak itself is off the chart for both, so the caption does not speak of it).
        let curves = compared_curves(&tour_query(6));
        let ends: Vec<(f64, f64)> = curves
            .iter()
            .map(|(s, r)| (crate::plot::u_minimum(r, s).map_or(f64::NAN, |m| m.1), r.rows.last().map_or(f64::NAN, |row| row.test_mse_median)))
            .collect();
        let [(u5, _), (u6, end6)] = ends[..] else { panic!("two curves") };
        assert!(TOUR[5].1.contains("bottom of the U is higher") && TOUR[5].1.contains("no longer gets below it"));
        assert!(u6 > 2.0 * u5, "the U's bottom {u5} → {u6}");
        assert!(end6 > u6, "the end {end6} is below the U's bottom {u6}");
    }

    #[test]
    fn the_ridge_and_smoothness_steps_of_the_tour_show_what_their_captions_say() {
        // Ridge: the dashed curve (λ = 1e-4) has no peak, the other one does.
        let peaks: Vec<bool> =
            compared_curves(&tour_query(7)).iter().map(|(s, r)| crate::page::compare::peak_of(&crate::page::text::shape(s, r)).is_some()).collect();
        assert_eq!(peaks, [true, false], "{}", TOUR[6].1);
        // Smoothness: without the prior (the dashed curve) the second descent ends higher.
        let ends: Vec<f64> = compared_curves(&tour_query(8)).iter().map(|(_, r)| r.rows.last().map_or(f64::NAN, |row| row.test_mse_median)).collect();
        assert!(ends[1] > 10.0 * ends[0], "{ends:?}: {}", TOUR[7].1);
    }

    #[test]
    fn each_comparison_preset_keeps_its_promise_on_its_median_curves_for_seeds_1_to_3() {
        let peak = |s: &Scene, r: &crate::engine::sweep::SweepResult| crate::page::text::shape(s, r).peak.map_or(f64::NAN, |p| p.1);
        for seed in 1..=3 {
            // Noise: the peak grows at least 3× from the least noise to the most.
            let noise = compared_curves(&format!("{}&seed={seed}", PRESETS[2].1));
            let (first, last) = (&noise[0], &noise[noise.len() - 1]);
            let grows = peak(&last.0, &last.1) / peak(&first.0, &first.1);
            assert!(grows >= 3.0, "seed {seed}: the noise preset's peak grows only {grows}×");
            // Ridge: the largest λ has no peak above twice its U's lowest error; no penalty has
            // one, at least 3× the largest λ's highest error.
            let ridge = compared_curves(&format!("{}&seed={seed}", PRESETS[3].1));
            let (none, most) = (&ridge[0], &ridge[ridge.len() - 1]);
            let sh = crate::page::text::shape(&most.0, &most.1);
            let (low, high) = (sh.u_min.map_or(f64::NAN, |u| u.1), peak(&most.0, &most.1));
            assert!(high < 2.0 * low, "seed {seed}: the largest ridge peaks at {high}, its U at {low}");
            assert!(peak(&none.0, &none.1) >= 3.0 * high, "seed {seed}: without ridge the peak is only {}", peak(&none.0, &none.1));
        }
    }

    /// The median training curve of a scene string: (step, train error, test error) per point.
    fn training_curve(q: &str) -> Vec<(usize, f64, f64)> {
        let s = Scene::from_query(q, Platform::Native).unwrap_or_else(|e| panic!("{q}: {e}"));
        let r = crate::engine::sweep::run_sequential(&s.train_sweep().unwrap_or_else(|e| panic!("{q}: {e}")));
        r.rows.iter().map(|row| (row.x, row.train_mse_median, row.test_mse_median)).collect()
    }

    #[test]
    fn each_training_preset_keeps_its_promise_on_its_median_curves_for_seeds_1_to_5() {
        for seed in 1..=5 {
            // Training ends at the minimum-norm fit: test error at the last step within 1 % of the
            // size sweep's at that size.
            let q = format!("{}&seed={seed}", TRAINING[0].1);
            let curve = training_curve(&q);
            let s = Scene::from_query(&q, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
            let sweep = crate::engine::sweep::run_sequential(s.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
            let want = sweep.rows.iter().find(|r| r.x == s.size).map_or(f64::NAN, |r| r.test_mse_median);
            let end = curve.last().map_or(f64::NAN, |c| c.2);
            assert!((end / want - 1.0).abs() < 0.01, "seed {seed}: training ends at {end}, the minimum-norm fit has {want}");
            // Early stopping: at the threshold, test error has a minimum in time at least 10×
            // below its value at the last step.
            let curve = training_curve(&format!("{}&seed={seed}", TRAINING[1].1));
            let low = curve.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
            let end = curve.last().map_or(f64::NAN, |c| c.2);
            assert!(end >= 10.0 * low, "seed {seed}: the best time's error {low} is not 10× below the end's {end}");
            // …and ridge at λ = 1/(2ηt) tracks it: at every step the median errors lie within
            // 1.69× above and 2.2× below each other (measured: 0.47–1.58 for seeds 1–5).
            let s = Scene::from_query(&format!("{}&seed={seed}", TRAINING[1].1), Platform::Native).unwrap_or_else(|e| panic!("{e}"));
            let ridge = crate::engine::sweep::run_sequential(&s.train_sweep().unwrap_or_else(|e| panic!("{e}")).ridge_overlay());
            for (c, r) in curve.iter().zip(&ridge.rows) {
                let k = c.2 / r.test_mse_median;
                assert!((1.0 / 2.2..=1.69).contains(&k), "seed {seed}, step {}: early stopping {} against ridge {}", c.0, c.2, r.test_mse_median);
            }
            // Generalization comes late: train error falls below 1e-6 (it memorizes: the noise
            // variance is 0.0025) by step t₁ while test error is still 10× above its end, and
            // comes within 2× of its end only at t₂ ≥ 100·t₁.
            let curve = training_curve(&format!("{}&seed={seed}", TRAINING[2].1));
            let end = curve.last().map_or(f64::NAN, |c| c.2);
            let (t1, test1) = curve.iter().find(|c| c.1 <= 1e-6).map(|c| (c.0, c.2)).unwrap_or((usize::MAX, f64::NAN));
            let t2 = curve.iter().find(|c| c.2 <= 2.0 * end).map_or(0, |c| c.0);
            assert!(test1 >= 10.0 * end, "seed {seed}: test error {test1} at t₁ = {t1} is not 10× its end {end}");
            assert!(t2 >= 100 * t1, "seed {seed}: generalization at t₂ = {t2}, memorized at t₁ = {t1}");
            // Epoch-wise double descent: test error falls, rises at least 1.3× above its lowest
            // so far, then falls below that; with equal speeds, one descent.
            let rise = |q: &str| {
                let curve = training_curve(q);
                // Rises counted above rounding: once the error is 1e-10 of where it began, it is 0.
                let floor = 1e-10 * curve.first().map_or(1.0, |c| c.2);
                let (mut low, mut best, mut low_then) = (f64::INFINITY, 0.0, f64::NAN);
                for c in &curve {
                    if low > floor && c.2 / low > best {
                        (best, low_then) = (c.2 / low, low);
                    }
                    low = low.min(c.2);
                }
                (best, low_then, curve.last().map_or(f64::NAN, |c| c.2))
            };
            let (bump, low, end) = rise(&format!("{}&seed={seed}", TRAINING[3].1));
            assert!(bump >= 1.3 && end < low, "seed {seed}: the rise is {bump}× its minimum {low}, the end {end}");
            let (bump, _, _) = rise(&format!("{}&equalize=1&seed={seed}", TRAINING[3].1));
            assert!(bump < 1.05, "seed {seed}: with equal speeds the error still rises {bump}×");
            // Early stopping removes the peak: on the size × time map, the error at each size's
            // best time has no peak — from half the threshold on it stays below twice the lowest
            // of the sizes below it — while the last step's row (on its way to the minimum-norm
            // fits) peaks at least 100× above its own lowest there.
            let s = Scene::from_query(&format!("{}&seed={seed}", TRAINING[4].1), Platform::Native).unwrap_or_else(|e| panic!("{e}"));
            let n = s.problem.train_n();
            let rows: Vec<(usize, f64, f64)> = s
                .map_sweeps()
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(|t| {
                    let r = crate::engine::sweep::run_sequential(t);
                    let best = r.rows.iter().map(|row| row.test_mse_median).fold(f64::INFINITY, f64::min);
                    (t.size(), best, r.rows.last().map_or(f64::NAN, |row| row.test_mse_median))
                })
                .collect();
            let low = |f: &dyn Fn(&(usize, f64, f64)) -> f64| rows.iter().filter(|r| r.0 + 2 < n).map(f).fold(f64::INFINITY, f64::min);
            let high = |f: &dyn Fn(&(usize, f64, f64)) -> f64| rows.iter().filter(|r| 2 * r.0 >= n).map(f).fold(0.0, f64::max);
            let (best_low, best_high) = (low(&|r| r.1), high(&|r| r.1));
            assert!(best_high < 2.0 * best_low, "seed {seed}: stopped at its best time, the error still peaks at {best_high} (U: {best_low})");
            let (last_low, last_high) = (low(&|r| r.2), high(&|r| r.2));
            assert!(last_high >= 100.0 * last_low, "seed {seed}: the last step's row peaks only at {last_high} (U: {last_low})");
        }
    }

    #[test]
    fn the_tours_training_steps_are_training_presets_whose_promises_their_captions_repeat() {
        // Steps 9 and 10 show the early-stopping and the map presets (their promises are tested
        // above for seeds 1-5): the captions claim what those tests check.
        let bare = |q: &str| {
            let mut s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"));
            s.keep_look(&Scene::default());
            (s.tour, s.step) = (0, 1);
            s
        };
        let (nine, ten) = (8, 9);
        assert_eq!(bare(TOUR[nine].0), bare(TRAINING[1].1));
        assert!(TOUR[nine].1.contains("lowest early") && TOUR[nine].1.contains("works like ridge"));
        assert_eq!(bare(TOUR[ten].0), bare(TRAINING[4].1));
        assert!(TOUR[ten].1.contains("there is no peak"));
    }

    #[test]
    fn a_scene_opened_from_a_presets_link_shows_that_preset_and_the_tour_has_as_many_steps_as_the_table_allows() {
        for (i, (name, q)) in all().enumerate() {
            let mut s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(matching(&s), Some(i), "{name}");
            s.size = 3;
            s.time = 50;
            s.embed = true;
            assert_eq!(matching(&s), Some(i), "{name}, another size, embedded");
        }
        assert_eq!(matching(&Scene::from_query("noise=0.21", Platform::Web).expect("a scene")), None);
        assert_eq!(TOUR.len() as u64, crate::scene::TOUR_STEPS);
    }
}
