//! A comparison on the page: one sweep per compared value through the same trial queue, each
//! folded to the bits of its own sweep, drawn as it completes; the value picked by click, key or
//! the radio buttons; its caption read off the curves.

use super::{deliver_all, model, send, url};
use crate::engine::sweep::run_sequential;
use crate::page::msg::{Effect, Frame, Msg, TrialData};
use crate::page::presets::PRESETS;

#[test]
fn each_compared_values_numbers_equal_its_own_sweep_to_the_bit_whatever_order_trials_arrive_in() {
    let mut m = model("trials=3&max-size=40&compare=noise:0,0.2,0.5", 0);
    send(&mut m, Msg::Start);
    assert_eq!(m.total, 9, "three sweeps of three trials: one queue");
    deliver_all(&mut m, |i| (i * 4 + 7) % 9);
    send(&mut m, Msg::Frame(Frame::Curves));
    let compared = m.scene.compared();
    assert_eq!(m.results.len(), 3);
    for ((label, scene), got) in compared.iter().zip(&m.results) {
        let want = run_sequential(scene.sweep().expect("a sweep").as_ref());
        assert_eq!(format!("{:?}", got.as_ref().map(|r| &r.rows)), format!("{:?}", Some(&want.rows)), "{label}: bit for bit");
    }
    // The page's CSV is the CLI's (`ddviz sweep --compare`): the same function of the same bits.
    let results: Vec<_> = m.results.iter().flatten().cloned().collect();
    let csv = crate::export::compare_csv(&m.scene, &results);
    assert!(csv.starts_with("compare,size,") && csv.contains("\nnoise=0.5,40,"), "{}", &csv[..80]);
}

#[test]
fn the_first_curve_is_drawn_as_soon_as_its_sweep_is_in_however_fast() {
    let mut m = model("trials=2&max-size=30&compare=ridge:0,0.01", 0);
    send(&mut m, Msg::Start);
    let sweep = m.sweep.clone().expect("a sweep");
    let job = m.job;
    let trial = |t: usize| Msg::Trial { job, worker: None, data: TrialData::Own(sweep.run_trial(t).expect("a trial")) };
    let fx = send(&mut m, trial(0));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Schedule(_, m) if matches!(**m, Msg::Frame(Frame::Curves)))), "half a sweep at once is not drawn");
    let fx = send(&mut m, trial(1));
    assert!(fx.iter().any(|e| matches!(e, Effect::Schedule(_, m) if matches!(**m, Msg::Frame(Frame::Curves)))), "the first value's sweep is in: {fx:?}");
    send(&mut m, Msg::Frame(Frame::Curves));
    assert!(m.results[0].is_some() && m.results[1].is_none(), "one curve now, the other to come");
    // A new comparison drops the old curves its values have no trial for yet.
    send(&mut m, Msg::Control { key: "compare", text: "noise:0,0.3".into() });
    send(&mut m, Msg::Frame(Frame::Curves));
    assert!(m.results.iter().all(Option::is_none), "no curve labelled with a value it is not of");
}

#[test]
fn picking_a_value_shows_its_fit_and_readout_and_writes_it_into_the_url() {
    let mut m = model("trials=2&max-size=40&compare=noise:0,0.3", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    let before = crate::page::text::readout(&m);
    let fx = send(&mut m, Msg::Choose(1));
    assert_eq!(url(&fx).as_deref(), Some("max-size=40&trials=2&compare=noise:0,0.3&pick=2"));
    assert!(fx.iter().any(|e| matches!(e, Effect::Consumed)), "a key that picks is the page's");
    assert!(m.queued.fit && m.queued.curves, "the fit and the curves are redrawn");
    let after = crate::page::text::readout(&m);
    assert_eq!((before.value.as_str(), after.value.as_str()), ("noise 0", "noise 0.3"), "the readout names the value");
    assert_ne!(before.values.map(|v| v[1].1), after.values.map(|v| v[1].1), "and shows its numbers");
    assert!(m.captions().fit.starts_with("noise 0.3 (the value shown): "));
    // A value the comparison does not have, or the one shown, changes nothing.
    assert!(send(&mut m, Msg::Choose(1)).is_empty());
    assert!(send(&mut m, Msg::Choose(4)).is_empty());
    // Another compared parameter starts at its first value.
    send(&mut m, Msg::Control { key: "compare", text: "ridge:0,0.001,0.1".into() });
    assert_eq!(m.scene.pick, 0);
}

#[test]
fn a_press_on_a_compared_curve_picks_that_value_and_a_press_between_curves_picks_none() {
    let mut m = model("family=relu&target=sin&n=40&max-size=400&trials=4&compare=noise:0,0.3", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    // Where the panel draws the curves: its geometry, as the canvas would report it.
    let compared = m.scene.compared();
    let (curves, chosen) = m.drawn_curves(&compared);
    let mut geom = None;
    crate::plot::svg(800, 480, |root| crate::plot::compare_panel(root, &curves, chosen, 0, crate::plot::Look::default()).map(|g| geom = Some(g)))
        .expect("drawn");
    let g = geom.expect("a geometry");
    m.geom_dd = Some(g);
    // At p = 300 the noisy curve lies far above the noiseless one.
    let at = |i: usize| {
        let row = m.results[i].as_ref().and_then(|r| r.rows.iter().find(|row| row.x == 300)).expect("p = 300");
        g.pixel_of((300f64).log10(), row.test_mse_median.log10())
    };
    let (p0, p1) = (at(0), at(1));
    assert!(p0.1 - p1.1 > 40.0, "{p0:?} {p1:?}");
    send(&mut m, Msg::PickCurve { px: p1.0, py: p1.1 + 3.0, tol: 10.0 });
    assert_eq!(m.scene.pick, 1);
    send(&mut m, Msg::PickCurve { px: p0.0, py: p0.1 - 3.0, tol: 10.0 });
    assert_eq!(m.scene.pick, 0);
    send(&mut m, Msg::PickCurve { px: p0.0, py: (p0.1 + p1.1) / 2.0, tol: 10.0 });
    assert_eq!(m.scene.pick, 0, "between the curves: nothing picked");
    // A press on a legend entry picks its value: the entries under the heading, in order.
    let ((l, _, r, _), (top, line)) = (g.legend.expect("a legend on the plot"), g.legend_rows.expect("its rows"));
    let x = f64::from(l + r) / 2.0;
    send(&mut m, Msg::PickCurve { px: x, py: f64::from(top + 2 * line) + f64::from(line) / 2.0, tol: 10.0 });
    assert_eq!(m.scene.pick, 1, "the second curve's entry");
    send(&mut m, Msg::PickCurve { px: x, py: f64::from(top + line) + f64::from(line) / 2.0, tol: 10.0 });
    assert_eq!(m.scene.pick, 0, "the first curve's entry");
    send(&mut m, Msg::PickCurve { px: x, py: f64::from(top) + 2.0, tol: 0.0 });
    assert_eq!(m.scene.pick, 0, "the heading picks nothing");
}

#[test]
fn the_comparison_caption_says_what_the_curves_show() {
    use crate::page::compare::caption;
    use crate::scene::{Platform, Scene};
    let curves = |q: &str| {
        let s = Scene::from_query(q, Platform::Web).expect("a scene");
        let compared = s.compared();
        let results: Vec<_> = compared.iter().map(|(_, c)| Some(run_sequential(c.sweep().expect("a sweep").as_ref()))).collect();
        (s, compared, results)
    };
    // Noise: the peak grows, by the ratio of the two peaks drawn.
    let (s, compared, results) = curves(PRESETS[2].1);
    let text = caption(&s, &compared, &results);
    let peak = |i: usize| crate::page::text::shape(&compared[i].1, results[i].as_ref().expect("a sweep")).peak.expect("a peak");
    let (p0, p1) = (peak(0), peak(2));
    assert!(
        crate::page::compare::peak_of(&crate::page::text::shape(&compared[0].1, results[0].as_ref().expect("a sweep"))).is_none() || text.contains("grows"),
        "{text}"
    );
    assert!(text.contains(&format!("{} at p = {}", crate::plot::axes_short(p1.1), p1.0)), "{text}");
    assert!(p1.1 >= 3.0 * p0.1);
    // Ridge: the largest penalty's curve has no peak, and the caption says so.
    let (s, compared, results) = curves(PRESETS[3].1);
    let text = caption(&s, &compared, &results);
    assert!(text.contains("the peak is gone") && text.contains("With ridge 1e-6, ridge 1e-4 and ridge 0.01 there is no peak"), "{text}");
    // Partly drawn: says how much.
    let partial = caption(&s, &compared, &[results[0].clone(), None, None, None]);
    assert!(partial.contains("Computing: 1 of 4 curves drawn so far.") && !partial.contains("peak"), "{partial}");
    // Gaussian features: the misspecification, not the noise, makes the peak, and the caption
    // says so only where the peak barely moves.
    let (s, compared, results) = curves("family=gaussian&n=40&dim=200&max-size=200&trials=8&test=50&compare=noise:0.02,0.3");
    let text = caption(&s, &compared, &results);
    let peak = |i: usize| crate::page::text::shape(&compared[i].1, results[i].as_ref().expect("a sweep")).peak.expect("a peak").1;
    let moves = peak(1) / peak(0);
    assert_eq!(text.contains("barely moves") && text.contains("not the label noise, makes the peak"), moves < 1.5 && moves > 1.0 / 1.5, "×{moves}: {text}");
}
