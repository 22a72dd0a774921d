//! The page's words, tested against its numbers: captions claim only what the curves show, the
//! readout's parts add up, and every notice names its parameter and the value used.

use super::{deliver_all, model, send};
use crate::engine::sweep::run_sequential;
use crate::page::editor::Edit;
use crate::page::msg::{Effect, Frame, Msg};
use crate::page::presets::TOUR;
use crate::page::Model;

#[test]
fn hostile_values_get_a_message_naming_the_parameter_and_the_scene_stays_usable() {
    let notices = |q: &str| {
        let (scene, errors) = crate::scene::Scene::from_query_lenient(q, crate::scene::Platform::Web);
        (scene, errors.into_iter().map(|e| e.message).collect::<Vec<_>>())
    };
    let (s, e) = notices("ridge=1e-320");
    assert_eq!(s.problem.ridge, 0.0);
    assert!(e.iter().any(|m| m.starts_with("ridge must be 0 (the minimum-norm fit) or from 1e-12 to 1000")), "{e:?}");
    let (s, e) = notices("step=999&tour=intro");
    assert!(e.iter().any(|m| m == "step must be an integer from 1 to 11, got '999'"), "{e:?}");
    assert_eq!(s.step, 1);
    let (s, e) = notices("panels=");
    assert!(e.iter().any(|m| m.starts_with("panels must name at least one of fit, u, dd")), "{e:?}");
    assert!(s.shows_panel("dd"));
    let (s, e) = notices("noise=0.1&noise=0.3");
    assert_eq!(s.problem.noise, 0.3);
    assert!(e.iter().any(|m| m == "noise is given more than once; using the last value"), "{e:?}");
    let (_, e) = notices("points=0.1:0.2,0.3:abc,0.5:0.1");
    assert!(e.iter().any(|m| m.starts_with("points: pair 2 '0.3:abc'")), "{e:?}");
    let tiny = crate::plot::axes_short(1e-320);
    assert!(!tiny.contains("inf") && tiny.starts_with(|c: char| c.is_ascii_digit()), "no 'inf' for a finite number: {tiny}");
}

#[test]
fn a_thousand_points_in_a_link_are_kept_with_a_smaller_sweep_and_the_notice_says_what_was_used() {
    let pts: Vec<String> = (0..1000).map(|i| format!("{:.4}:{:.2}", -1.0 + 2.0 * i as f64 / 999.0, (i % 13) as f64 / 13.0)).collect();
    let (m, notes) = Model::new(&format!("points={}", pts.join(",")), 0, 0.0);
    assert_eq!(m.scene.problem.points(), 1000, "the points are kept");
    assert!(m.scene.max_size < 600 && m.scene.check(crate::scene::Platform::Web).is_empty());
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with(&format!("max-size lowered to {} so that your 1000 points fit", m.scene.max_size)), "{notes:?}");
    // A value that falls back says which value is used.
    let (_, notes) = Model::new("noise=-3&n=abc", 0, 0.0);
    assert!(notes.iter().any(|n| n.ends_with("— using the default, noise = 0.05 instead.")), "{notes:?}");
}

#[test]
fn points_all_at_one_x_are_taken_with_a_word_that_the_fit_is_degenerate() {
    let pts: Vec<String> = (0..20).map(|i| format!("0.5:{}", i as f64 / 20.0)).collect();
    let (m, notes) = Model::new(&format!("points={}", pts.join(",")), 0, 0.0);
    assert_eq!(m.scene.problem.points(), 20);
    assert!(notes.iter().any(|n| n.starts_with("points: all 20 points have x = 0.5")), "{notes:?}");
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    let text: String = (0..20).map(|i| format!("0.5,{i}\n")).collect();
    let fx = send(&mut m, Msg::Edit(Edit::Text(text)));
    let shown = fx.iter().rev().find_map(|e| if let Effect::DataErrors(l) = e { Some(l.clone()) } else { None });
    assert!(shown.is_some_and(|l| l.iter().any(|t| t.contains("the fit is degenerate"))), "{fx:?}");
}

#[test]
fn every_caption_claims_only_what_its_curves_show() {
    use crate::page::presets::{tour_query, PRESETS};
    use crate::page::text::captions;
    use crate::scene::{Agg, Platform, Scene};
    let mut scenes: Vec<String> = PRESETS.iter().map(|(_, q)| q.to_string()).collect();
    scenes.extend((1..=TOUR.len()).map(tour_query));
    // Scenes built to have no peak, no threshold, no U.
    scenes.extend(["ridge=0.1".to_string(), "max-size=20".into(), "family=gaussian&n=40&dim=200&max-size=200&size=10&trials=10&test=50".into()]);
    for q in &scenes {
        let scene = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"));
        // The digits' words are their own (the next test).
        if scene.source != crate::scene::Source::Generated {
            continue;
        }
        let r = run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{q}: {e}")).as_ref());
        let c = captions(&scene, Some(&r));
        let val = |row: &crate::engine::sweep::SweepRow| if scene.agg == Agg::Median { row.test_mse_median } else { row.test_mse_mean };
        let t = crate::plot::threshold(&scene);
        let below: Vec<(usize, f64)> =
            r.rows.iter().filter(|row| scene.axis == crate::engine::sweep::Axis::Samples || row.x + 2 < t).map(|row| (row.x, val(row))).collect();
        let umin = below.iter().copied().filter(|(_, v)| v.is_finite()).min_by(|a, b| a.1.total_cmp(&b.1));
        let past: Vec<(usize, f64)> = r.rows.iter().filter(|row| 2 * row.x >= t).map(|row| (row.x, val(row))).collect();
        let peak = past.iter().copied().filter(|(_, v)| !v.is_nan()).max_by(|a, b| a.1.total_cmp(&b.1));
        let all = format!("{} {} {}", c.fit, c.u, c.dd);
        assert!(!all.contains("Red") && !all.contains("red:"), "{q}: a colour the figure does not draw: {all}");
        if c.dd.contains("peaks at") {
            let (px, pv) = peak.expect("a peak");
            assert!(c.dd.contains(&format!("at p = {px},")) || c.dd.contains(&format!("at n = {px},")), "{q}: {}", c.dd);
            assert!(pv >= 2.0 * umin.expect("a U").1, "{q}: a peak claimed where there is none: {}", c.dd);
        }
        if c.dd.contains("no peak") {
            assert!(peak.expect("values").1 < 2.0 * umin.expect("a U").1, "{q}: {}", c.dd);
        }
        if c.dd.contains("below the bottom of the U") {
            assert!(val(r.rows.last().expect("rows")) < umin.expect("a U").1, "{q}: {}", c.dd);
        }
        if scene.max_size < t && scene.axis == crate::engine::sweep::Axis::Size {
            assert!(c.dd.contains("stops at p =") && !c.dd.contains("peaks"), "{q}: {}", c.dd);
        }
        if c.u.contains("first falls and then rises") {
            let (x, _) = umin.expect("a U");
            assert!(below.first().is_some_and(|f| f.0 < x) && below.last().is_some_and(|l| l.0 > x), "{q}: {}", c.u);
        }
        if c.u.contains("only rises") {
            assert_eq!(umin.map(|u| u.0), below.first().map(|f| f.0), "{q}: {}", c.u);
        }
        if scene.problem.family == crate::engine::features::Family::Gaussian {
            assert!(c.fit.contains("coefficients") && !c.fit.contains("Blue dots"), "{q}: {}", c.fit);
        }
    }
    // The built scenes say what they are built to show.
    let say = |q: &str| {
        let scene = Scene::from_query(q, Platform::Web).expect("a scene");
        let r = run_sequential(scene.sweep().expect("a sweep").as_ref());
        captions(&scene, Some(&r))
    };
    assert!(say("max-size=20").dd.starts_with("The sweep stops at p = 20 before the interpolation threshold p = n = 30"));
    assert!(say("ridge=0.1").dd.contains("There is no peak at the threshold here (ridge λ = 0.1 keeps the fit tame)"), "{}", say("ridge=0.1").dd);
    assert!(say("").dd.contains("Test error peaks at p = "), "the default scene peaks: {}", say("").dd);
    assert!(say("family=fourier").u.contains("Random Fourier features of high frequency fit little"), "{}", say("family=fourier").u);
    assert!(say("family=relu").dd.contains("test error peaks to the right of the dashed line"), "{}", say("family=relu").dd);
}

#[test]
fn the_digits_captions_claim_only_what_their_curves_show() {
    // The digits presets' captions (written by the second module), read against the numbers
    // drawn: the peak, the lowest error before it and the end, in the words used.
    use crate::page::presets::DIGITS;
    use crate::page::text::{digits_caption, digits_captions, digits_table};
    use crate::scene::{Platform, Scene};
    let images = crate::engine::images::load(include_bytes!("../../../data/digits.bin")).expect("the digits");
    for (name, q) in DIGITS {
        let mut scene = Scene::from_query(&q.replace("trials=10", "trials=3"), Platform::Web).unwrap_or_else(|e| panic!("{name}: {e}"));
        scene.images = Some(images.clone());
        let r = run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{name}: {e}")).as_ref());
        let c = digits_captions(&scene, Some(&r));
        let class = |x: usize| r.rows.iter().find(|row| row.x == x).and_then(|row| row.extra_median).unwrap_or(f64::NAN);
        let pct = |v: f64| format!("{:.0} %", 100.0 * v);
        let n = crate::plot::threshold(&scene);
        let sym = if scene.axis == crate::engine::sweep::Axis::Samples { "n" } else { "p" };
        // The highest classification error from n/2 on, where it is said to be.
        let (px, pv) = r
            .rows
            .iter()
            .filter(|row| 10 * row.x >= 7 * n && 2 * row.x <= 3 * n)
            .filter_map(|row| Some((row.x, row.extra_median?)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("a peak");
        assert!(c.u.contains(&format!("highest near it: {} at {sym} = {px}", pct(pv))), "{name}: {}", c.u);
        assert!((pv - class(px)).abs() < 1e-12);
        if scene.problem.ridge == 0.0 {
            assert!((0.85 * n as f64..=1.15 * n as f64).contains(&(px as f64)), "{name}: the peak at {px}");
            assert!(c.dd.contains("double descent"), "{name}: {}", c.dd);
        } else {
            assert!(c.dd.contains("no peak"), "{name}: {}", c.dd);
        }
        assert!(c.u.contains("CC BY 4.0") && c.fit.is_empty());
        // The table lists every point drawn.
        assert_eq!(digits_table(&scene, &r).matches("<tr>").count(), r.rows.len() + 1);
    }
    // The plain linear model on the pixels: at most 64 features for n = 300 images, so the
    // threshold is out of reach, and no line or peak is claimed.
    let mut scene = Scene::from_query("data=digits&family=linear&n=300&test=500&max-size=64&grid=every&trials=3", Platform::Web).expect("a scene");
    scene.images = Some(images.clone());
    let r = run_sequential(scene.sweep().expect("a sweep").as_ref());
    let c = digits_captions(&scene, Some(&r));
    assert!(c.dd.contains("pixels (the plain linear model)") && c.dd.contains("p = 300 lies past the largest p drawn, 64: out of reach here"), "{}", c.dd);
    assert!(!c.dd.contains("dashed") && !c.dd.contains("peaks") && !c.u.contains("highest near it"), "{} {}", c.dd, c.u);
    // The grid's caption, from the first trial's guesses at the threshold: its counts per digit
    // and its commonest mistake are those of the guesses themselves.
    let mut scene = Scene::from_query(DIGITS[0].1, Platform::Web).expect("a scene");
    scene.images = Some(images.clone());
    let (cells, title) = crate::export::digit_cells(&scene, scene.size).expect("the grid");
    let (guesses, share) = scene.table_sweep().expect("the sweep").guesses(0, scene.size, usize::MAX).expect("the guesses");
    assert_eq!(title.per_digit.iter().map(|d| d.1).sum::<usize>(), scene.problem.test);
    assert_eq!(title.per_digit.iter().map(|d| d.0).sum::<usize>() as f64 / scene.problem.test as f64, share);
    let ((g, l), c) = title.confused.expect("a mistake at the threshold");
    assert_eq!(guesses.iter().filter(|x| (x.guess, x.label) == (g, l)).count(), c);
    for d in 0..10u16 {
        let (w, n) = title.per_digit[usize::from(d)];
        assert_eq!((w, n), (guesses.iter().filter(|x| x.label == d && x.guess != d).count(), guesses.iter().filter(|x| x.label == d).count()));
    }
    let t = digits_caption(&scene, 24, 5, Some((0.31, 7)), &title);
    assert!(
        t.starts_with("24 held-out digits") && t.contains("p = 300 trained on n = 300 images under each: 5 wrong") && t.contains("Over the 7 trials in, 31 %"),
        "{t}"
    );
    assert!(t.contains(&format!("the commonest mistake: {l} taken for {g}, {c} times")), "{t}");
    let (w0, n0) = title.per_digit[0];
    assert!(t.contains(&format!("0: {:.0} %", 100.0 * w0 as f64 / n0 as f64)), "{t}");
    assert_eq!(cells.len(), crate::export::DIGITS_SHOWN);
}

#[test]
fn the_readouts_bias_and_variance_add_up_to_the_mean_test_error_shown_beside_them() {
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    let rows: Vec<usize> = m.result().map(|r| r.rows.iter().filter(|row| row.nonfinite == 0).map(|row| row.x).collect()).unwrap_or_default();
    assert!(rows.len() > 500, "most sizes have every trial finite");
    for x in rows {
        m.selected = x;
        let ro = crate::page::text::readout(&m);
        let v = ro.values.expect("values");
        let get = |id: &str| v.iter().find(|(k, _)| *k == id).map(|(_, v)| *v).expect("a value");
        let (mean, b2, var) = (get("ro-mean"), get("ro-bias2"), get("ro-variance"));
        assert!((mean - (b2 + var)).abs() <= 1e-9 * mean.abs().max(1e-300), "p = {x}: {mean} vs {b2} + {var}");
        assert!(ro.decomposed);
    }
    let own = model("points=-0.5:0.1,0:0.2,0.5:0.3,0.7:0.1,-0.8:0.4,0.2:0.2,0.9:0.3,-0.2:0.1,0.4:0.5,-0.6:0.2", 0);
    assert!(!crate::page::text::readout(&own).decomposed, "no noiseless target: no bias² or variance shown");
    assert_eq!(crate::page::text::readout(&m).relation, "=");
    let gaussian = model("family=gaussian&n=40&dim=200&max-size=200&size=40", 0);
    assert_eq!(crate::page::text::readout(&gaussian).relation, "≈", "exact risk against sampled bias² and variance");
}

#[test]
fn a_clamped_value_is_named_with_the_value_used_not_the_default() {
    let (m, notes) = Model::new("family=gaussian&dim=50&max-size=100&size=10", 0, 0.0);
    assert_eq!(m.scene.max_size, 50);
    assert!(notes.iter().any(|n| n.starts_with("max-size must be at most dim = 50") && n.ends_with("— using max-size = 50 instead.")), "{notes:?}");
}

#[test]
fn a_tables_captions_and_card_speak_of_its_rows_columns_and_classes() {
    // The wine table: three classes, so three outputs and the classification error; its alcohol
    // column as the label: a number to predict, so panel 2 is its classical regime.
    use crate::page::text::{digits_captions, digits_table};
    use crate::scene::{Platform, Scene};
    let text = include_str!("../../../tests/data/wine.csv");
    // Without its class: thirteen columns of numbers, any of them a label.
    let numbers: String = text.lines().map(|l| format!("{}\n", &l[..l.rfind(',').unwrap_or(0)])).collect();
    for (text, label, classes) in [(text, None, true), (numbers.as_str(), Some("alcohol"), false)] {
        let table = std::sync::Arc::new(crate::engine::table::parse_table(text, label).expect("the wine table"));
        let mut scene = Scene::from_query("data=table&family=relu&n=60&test=100&max-size=200&grid=log&trials=3", Platform::Native).expect("a scene");
        scene.table = Some(table);
        let r = run_sequential(scene.sweep().expect("a sweep").as_ref());
        let c = digits_captions(&scene, Some(&r));
        for words in [&c.u, &c.dd] {
            assert!(!words.contains("digit") && !words.contains("image") && !words.contains("Alpaydin"), "{words}");
        }
        assert!(c.dd.contains("at n = 60 training rows"), "{}", c.dd);
        let card = crate::export::table_card(&scene, 60, Some((0.5, 3))).expect("the card").join(" ");
        let columns = if classes { 13 } else { 12 };
        assert!(card.starts_with(&format!("Your table: 178 rows of {columns} feature columns.")), "{card}");
        assert!(card.contains("trains on 60 random rows and holds out 100 others"), "{card}");
        if classes {
            assert!(c.dd.starts_with("Squared loss over the 3 outputs (one a class) on held-out rows"), "{}", c.dd);
            assert!(c.u.starts_with("Classification error: the share of held-out rows whose largest output is not their class"), "{}", c.u);
            assert!(card.contains("one of 3 classes: class_0, class_1, class_2"), "{card}");
            // The counts by class are trial 1's guesses at p = 60 over its 100 held-out rows.
            let (guesses, share) = scene.table_sweep().expect("the sweep").guesses(0, 60, usize::MAX).expect("guesses");
            let wrong = guesses.iter().filter(|g| g.guess != g.label).count();
            assert_eq!(wrong as f64 / 100.0, share);
            assert!(card.contains(&format!("{wrong} of its 100 held-out rows guessed wrong")), "{card}");
            let per: usize = (0..3).map(|k| guesses.iter().filter(|g| g.label == k && g.guess != k).count()).sum();
            assert_eq!(per, wrong);
            assert_eq!(digits_table(&scene, &r).matches("<tr>").count(), r.rows.len() + 1);
        } else {
            assert!(c.dd.starts_with("Squared error on held-out rows"), "{}", c.dd);
            assert!(c.u.starts_with("The classical regime: held-out and training error at the sizes below the threshold p = n = 60"), "{}", c.u);
            assert!(card.contains("'alcohol' is a number to predict") && card.contains("held-out squared error 5.00e-1 over the 3 trials in"), "{card}");
            let below = r.rows.iter().filter(|row| row.x < 60).count();
            assert_eq!(digits_table(&scene, &r).matches("<tr>").count(), below + 1);
        }
    }
}

#[test]
fn the_training_captions_of_the_digits_speak_of_images_and_the_held_out_error() {
    use crate::page::training::{caption, map_caption};
    use crate::scene::{Platform, Scene};
    let images = crate::engine::images::load(include_bytes!("../../../data/digits.bin")).expect("the digits");
    let mut scene = Scene::from_query("data=digits&family=relu&n=40&test=60&max-size=80&grid=log&trials=2&size=40&steps=1000", Platform::Web).expect("a scene");
    scene.images = Some(images);
    let r = run_sequential(&scene.table_train_sweep().expect("a training curve"));
    let c = caption(&scene, &r, None);
    assert!(c.contains("trained on n = 40 images") && c.contains("Held-out error ") && !c.contains("test error"), "{c}");
    let m = map_caption(&scene, &[], None, 3);
    assert!(m.starts_with("Held-out error (median) over model size"), "{m}");
}
