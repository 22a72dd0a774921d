//! Double descent on the handwritten digits (`data=digits`), on median curves over 10 trials for
//! seeds 1–3: the classification error peaks at the interpolation threshold p = n and falls
//! below the classical optimum past it; the squared loss peaks there by far more than 10× its
//! classical minimum; ridge removes the peak.

use std::sync::Arc;

use ddviz::engine::images::Images;
use ddviz::engine::summary::Extra;
use ddviz::engine::sweep::SweepResult;
use ddviz::page::presets::DIGITS;
use ddviz::parallel::run_parallel;
use ddviz::scene::{Platform, Scene};

fn digits() -> Arc<Images> {
    ddviz::engine::images::load(include_bytes!("../data/digits.bin")).unwrap_or_else(|e| panic!("{e}"))
}

fn sweep(query: &str) -> SweepResult {
    let mut scene = Scene::from_query(query, Platform::Native).unwrap_or_else(|e| panic!("{query}: {e}"));
    scene.images = Some(digits());
    run_parallel(scene.sweep().unwrap_or_else(|e| panic!("{query}: {e}")).as_ref())
}

/// (x, classification error, squared loss) of each size, medians.
fn curve(r: &SweepResult) -> Vec<(usize, f64, f64)> {
    r.rows.iter().map(|row| (row.x, row.extra_median.unwrap_or(f64::NAN), row.test_mse_median)).collect()
}

const N: usize = 300;

#[test]
fn digits_classified_by_random_features_show_double_descent_for_seeds_1_to_3() {
    // The page's two presets (random ReLU and random Fourier features).
    for preset in &DIGITS[..2] {
        for seed in 1..=3 {
            let q = format!("{}&seed={seed}", preset.1);
            let r = sweep(&q);
            assert_eq!(r.extra, Extra::Class, "{q}: the classification error is the second number");
            let c = curve(&r);
            // The classical optimum: the lowest error at sizes under 0.7n.
            let (bi, best) = c
                .iter()
                .enumerate()
                .filter(|(_, p)| (p.0 as f64) < 0.7 * N as f64)
                .map(|(i, p)| (i, p.1))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, f64::NAN));
            // The peak past it (the smallest models, near chance, are the U's other arm) lies
            // within 0.85n–1.15n.
            let peak = c[bi..].iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or_else(|| panic!("{q}: no sizes"));
            assert!((0.85 * N as f64..=1.15 * N as f64).contains(&(peak.0 as f64)), "{q}: the classification error peaks at p = {} ({})", peak.0, peak.1);
            assert!(peak.1 > 3.0 * best, "{q}: a peak of {} over a best of {best}", peak.1);
            // Past 3n every size beats the classical optimum.
            for p in c.iter().filter(|p| p.0 >= 3 * N) {
                assert!(p.1 < best, "{q}: p = {}: {} is not below the best under 0.7n, {best}", p.0, p.1);
            }
            // The squared loss peaks at the threshold, at least 10× its classical minimum.
            let low = c.iter().filter(|p| (p.0 as f64) < 0.7 * N as f64).map(|p| p.2).fold(f64::INFINITY, f64::min);
            let top = c.iter().max_by(|a, b| a.2.total_cmp(&b.2)).unwrap_or_else(|| panic!("{q}: no sizes"));
            assert!(
                (0.85 * N as f64..=1.15 * N as f64).contains(&(top.0 as f64)) && top.2 >= 10.0 * low,
                "{q}: loss peak {} at p = {} against {low}",
                top.2,
                top.0
            );
        }
    }
}

#[test]
fn ridge_removes_the_peak_on_the_digits() {
    for seed in 1..=3 {
        // The page's preset.
        let q = format!("{}&seed={seed}", DIGITS[2].1);
        assert!(q.contains("ridge=0.01"));
        let c = curve(&sweep(&q));
        let best = c.iter().filter(|p| (p.0 as f64) < 0.7 * N as f64).map(|p| p.1).fold(f64::INFINITY, f64::min);
        for p in c.iter().filter(|p| (p.0 as f64) >= 0.7 * N as f64) {
            assert!(p.1 < 1.25 * best, "{q}: p = {}: {} against the best under 0.7n, {best}", p.0, p.1);
        }
    }
}

#[test]
fn more_digits_can_hurt_the_sample_wise_peak_at_n_equal_to_the_model_size() {
    // At p = 100 features, the classification error against training images: it falls, rises to
    // a peak where n = p (more data makes it worse there), then falls below its first minimum.
    let p = 100;
    for seed in 1..=3 {
        // The page's preset.
        let q = format!("{}&seed={seed}", DIGITS[3].1);
        assert!(q.contains(&format!("size={p}&n=400")));
        let r = sweep(&q);
        assert_eq!(r.axis, ddviz::engine::summary::Along::Samples);
        let c = curve(&r);
        let (bi, first) = c
            .iter()
            .enumerate()
            .filter(|(_, x)| (x.0 as f64) < 0.7 * p as f64)
            .map(|(i, x)| (i, x.1))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, f64::NAN));
        let peak = c[bi..].iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or_else(|| panic!("{q}: no points"));
        assert!(
            (0.85 * p as f64..=1.15 * p as f64).contains(&(peak.0 as f64)) && peak.1 > 2.0 * first,
            "{q}: peak {} at n = {}, first minimum {first}",
            peak.1,
            peak.0
        );
        let last = c.last().map_or(f64::NAN, |x| x.1);
        assert!(last < first, "{q}: {last} at n = 400 against {first}");
    }
}

#[test]
fn a_digits_scene_needs_its_images_and_the_page_names_what_it_refuses() {
    let scene = Scene::from_query("data=digits&family=relu&n=100", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let no_images = scene.sweep().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(no_images.contains("data=digits") && no_images.contains("not loaded"), "{no_images}");
    // The page opens the digits (its second module computes them), checked before the images
    // are loaded; it refuses a table it has not read and a comparison, naming them, and keeps
    // the rest of the scene.
    assert!(Scene::from_query("data=digits&family=relu", Platform::Web).is_ok());
    // Up to 1000 training images on the page (within its work budget: here the sample-wise view).
    assert!(Scene::from_query("data=digits&family=relu&axis=samples&size=100&n=1000&test=500&grid=log&trials=3", Platform::Web).is_ok());
    for (q, key) in [
        ("data=table&noise=0.3", "data"),
        ("data=digits&family=relu&compare=ridge:0,0.01&noise=0.3", "compare"),
        ("data=digits&family=relu&n=5&noise=0.3", "n"),
    ] {
        let (lenient, errors) = Scene::from_query_lenient(q, Platform::Web);
        assert!(lenient.problem.noise == 0.3 && errors.iter().any(|e| e.key == key), "{q}: {errors:?}");
    }
    for (q, name) in [
        ("data=digits&family=relu&n=5", "n must be"),
        ("data=digits&family=relu&n=1000&test=1000", "test must be"),
        ("data=digits&family=legendre", "family must be"),
        ("data=digits&family=gaussian", "family must be"),
    ] {
        // Named when the scene is read, before any image is loaded (the sweep names them too:
        // the engine's tests).
        let read = Scene::from_query(q, Platform::Native).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(read.contains(name), "{q}: {read}");
    }
}

#[test]
fn the_digit_grid_shows_held_out_digits_with_guesses_and_marks_the_wrong_ones_in_words() {
    let at = |size: usize| {
        let q = format!("data=digits&family=relu&n={N}&test=500&max-size=1200&grid=log&trials=4&size={size}");
        let mut scene = Scene::from_query(&q, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
        scene.images = Some(digits());
        let (cells, title) = ddviz::export::digit_cells(&scene, scene.size).unwrap_or_else(|e| panic!("{e}"));
        let title = title.text(&cells);
        let r = run_parallel(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
        let svg = ddviz::export::digits_svg(&scene, &r, ddviz::export::Panels::All, 1400, 560).unwrap_or_else(|e| panic!("{e}"));
        (cells, title, svg)
    };
    let (at_n, title_n, svg_n) = at(N);
    let (past, title_past, _) = at(4 * N);
    assert_eq!((at_n.len(), past.len()), (ddviz::export::DIGITS_SHOWN, ddviz::export::DIGITS_SHOWN));
    let wrong = |c: &[ddviz::plot::DigitCell]| c.iter().filter(|c| c.guess != c.label).count();
    // At the threshold the guesses fall apart; past it they recover.
    assert!(wrong(&at_n) > 3 * wrong(&past).max(1), "{} wrong at p = n, {} at 4n", wrong(&at_n), wrong(&past));
    assert!(title_n.contains(&format!("{} of 32 shown guessed wrong", wrong(&at_n))), "{title_n}");
    assert!(title_past.contains(&format!("{} of 32 shown guessed wrong", wrong(&past))), "{title_past}");
    // Every wrong guess says so in words ("✗ guess (is label)"), not by colour alone.
    assert_eq!(svg_n.matches("✗").count(), wrong(&at_n));
    for c in at_n.iter().filter(|c| c.guess != c.label) {
        assert!(svg_n.contains(&format!("✗ {} (is {})", c.guess, c.label)));
    }
    assert!(svg_n.contains("classification error") && svg_n.contains("interpolation threshold p = n"));
}

#[test]
fn a_table_of_your_own_the_wine_cultivars_shows_double_descent_too() {
    // The UCI wine table (178 wines, 13 measurements, 3 cultivars; tests/data/wine.csv), read as
    // a user's CSV: 80 training and 90 held-out wines a trial, random ReLU features.
    let table = ddviz::engine::table::parse_table(include_str!("data/wine.csv"), Some("class")).unwrap_or_else(|e| panic!("{e:?}"));
    for seed in 1..=3 {
        let q = format!("data=table&family=relu&n=80&test=90&max-size=400&grid=log&trials=20&seed={seed}");
        let mut scene = Scene::from_query(&q, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
        scene.table = Some(Arc::new(table.clone()));
        let r = run_parallel(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
        assert_eq!(r.extra, Extra::Class);
        let c = curve(&r);
        let best = c.iter().filter(|p| (p.0 as f64) < 0.7 * 80.0).map(|p| p.1).fold(f64::INFINITY, f64::min);
        let peak = c.iter().filter(|p| (p.0 as f64) >= 0.7 * 80.0).max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or_else(|| panic!("no sizes"));
        assert!((68..=92).contains(&peak.0) && peak.1 > 3.0 * best, "seed {seed}: peak {} at p = {}, best {best}", peak.1, peak.0);
        let end = c.last().map_or(f64::NAN, |p| p.1);
        assert!(end <= best, "seed {seed}: {end} at the largest size against {best}");
    }
}

#[test]
fn the_training_panels_level_line_is_the_size_sweeps_value_at_the_scenes_size() {
    // Where training ends on the digits (the figure's t → ∞ line): the size sweep's held-out
    // loss at the scene's size, to the bit, from a sweep that stops there; none where training
    // does not end at that fit (a random start past the threshold keeps its null-space part).
    let q = "data=digits&family=relu&n=60&test=100&max-size=200&grid=every&trials=2&size=150";
    let mut scene = Scene::from_query(q, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    scene.images = Some(digits());
    let sweep = run_parallel(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
    let want = sweep.rows.iter().find(|r| r.x == 150).map(|r| r.test_mse_median);
    let end = ddviz::export::table_training_end(&scene, run_parallel).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(end.map(f64::to_bits), want.map(f64::to_bits));
    scene.training.init = 1.0;
    assert_eq!(ddviz::export::table_training_end(&scene, run_parallel).ok(), Some(None));
}

#[test]
fn training_on_the_digits_at_the_threshold_is_best_stopped_early_and_past_it_ends_at_the_sweeps_fit() {
    let train = |q: &str| {
        let mut scene = Scene::from_query(q, Platform::Native).unwrap_or_else(|e| panic!("{q}: {e}"));
        scene.images = Some(digits());
        let r = run_parallel(&scene.table_train_sweep().unwrap_or_else(|e| panic!("{q}: {e}")));
        assert_eq!(r.extra, Extra::Class, "{q}");
        curve(&r)
    };
    // The first preset's scene at p = n = 300 (seeds 1–3, 10 trials): the classification error
    // falls to a minimum early, well below where 10⁸ steps leave it (still far from the
    // minimum-norm fit there: its smallest directions barely move).
    for seed in 1..=3 {
        let q = format!("{}&seed={seed}&size={N}&steps=100000000", DIGITS[0].1);
        let c = train(&q);
        let (best_step, best, _) = c.iter().copied().fold((0, f64::INFINITY, 0.0), |b, x| if x.1 < b.1 { x } else { b });
        let (_, end, _) = c[c.len() - 1];
        assert!(best < 0.7 * end, "{q}: best {best} at step {best_step}, end {end}");
        assert!(best_step < 100_000, "{q}: best at step {best_step}");
    }
    // Past it (p = 4n), 10⁸ steps reach the size sweep's minimum-norm fit: its loss and error.
    let q = format!("{}&size=1200&steps=100000000", DIGITS[0].1);
    let c = train(&q);
    let (_, end, end_loss) = c[c.len() - 1];
    let sizes = sweep(&q);
    let row = sizes.rows.iter().find(|r| r.x == 1200).unwrap_or_else(|| panic!("{q}: no size 1200"));
    assert!((end_loss - row.test_mse_median).abs() <= 1e-6 * row.test_mse_median, "{q}: {end_loss} vs {}", row.test_mse_median);
    assert_eq!(Some(end), row.extra_median, "{q}");
}

#[test]
fn the_plain_linear_model_on_the_pixels_descends_once_and_never_reaches_the_threshold() {
    // n = 300 images and at most 64 pixels: p = n is out of reach. Seeds 1–3, 10 trials: the
    // held-out loss falls with every pixel added (within noise) and the classification error
    // ends far below where it starts, with no peak.
    for seed in 1..=3 {
        let q = format!("data=digits&family=linear&n={N}&test=500&max-size=64&grid=every&trials=10&seed={seed}");
        let c = curve(&sweep(&q));
        assert_eq!(c.len(), 64, "{q}");
        for w in c.windows(2) {
            assert!(w[1].2 <= 1.05 * w[0].2, "{q}: the loss rises from {} at p = {} to {} at {}", w[0].2, w[0].0, w[1].2, w[1].0);
        }
        let (first, last) = (c[0].1, c[63].1);
        assert!(last < 0.15 && last < 0.2 * first, "{q}: {first} at p = 1, {last} at 64");
    }
    // Generated data and more sizes than pixels are refused, naming the parameter.
    let err = |q: &str| Scene::from_query(q, Platform::Native).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err("family=linear").contains("family"), "{}", err("family=linear"));
    let e = err("data=digits&family=linear&max-size=65");
    assert!(e.contains("max-size") && e.contains("64"), "{e}");
}
