//! The page's behaviour, tested natively: messages in, effects and the model out. The page's
//! words — captions, notices, the readout — are tested in `words.rs`.

mod compare;
mod words;

use super::editor::Edit;
use super::msg::{Effect, Frame, Msg, Panel, TrialData, When};
use super::presets::TOUR;
use super::{update, Model};
use crate::engine::sweep::run_sequential;
use crate::plot::Geom;

/// A model of `query` with `workers` workers, none ready, at time 0.
pub(super) fn model(query: &str, workers: usize) -> Model {
    let (m, notes) = Model::new(query, workers, 0.0);
    assert!(notes.is_empty(), "{notes:?}");
    m
}

/// Sends `msg` at time 0, as the runtime does: messages the effects ask for right away
/// ([`When::Now`]) are taken after it, and all the effects come back in order.
pub(super) fn send(m: &mut Model, msg: Msg) -> Vec<Effect> {
    send_at(m, msg, 0.0)
}

/// [`send`] at time `now` (ms since navigation).
pub(super) fn send_at(m: &mut Model, msg: Msg, now: f64) -> Vec<Effect> {
    let mut queue = std::collections::VecDeque::from([msg]);
    let mut all = Vec::new();
    while let Some(msg) = queue.pop_front() {
        for e in update(m, msg, now) {
            if let Effect::Schedule(When::Now, next) = &e {
                queue.push_back((**next).clone());
            }
            all.push(e);
        }
    }
    all
}

/// Whether the effects start a new sweep (a post to a worker, or the page computing).
pub(super) fn starts_sweep(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Post { .. } | Effect::Progress { done: 0, ms: None, .. }))
}

pub(super) fn schedules(fx: &[Effect], want: &Msg) -> bool {
    let want = format!("{want:?}");
    fx.iter().any(|e| matches!(e, Effect::Schedule(_, m) if format!("{m:?}") == want))
}

pub(super) fn url(fx: &[Effect]) -> Option<String> {
    fx.iter().rev().find_map(|e| if let Effect::WriteUrl(q) = e { Some(q.clone()) } else { None })
}

/// Runs every trial of the current job on the page, delivering them in `order`.
pub(super) fn deliver_all(m: &mut Model, order: impl Fn(usize) -> usize) {
    let sweep = m.sweep.clone().expect("a sweep");
    let job = m.job;
    let n = sweep.trials();
    for i in 0..n {
        let out = sweep.run_trial(order(i) % n).expect("a trial");
        send(m, Msg::Trial { job, worker: None, data: TrialData::Flat(out.to_flat()) });
    }
}

#[test]
fn the_page_starts_with_one_sweep_and_one_fit() {
    let mut m = model("", 2);
    let fx = send(&mut m, Msg::Start);
    assert_eq!(fx.iter().filter(|e| matches!(e, Effect::Post { .. })).count(), 2, "{fx:?}");
    assert!(schedules(&fx, &Msg::Frame(Frame::Fit)));
    assert_eq!(url(&fx), Some(String::new()), "the default scene is the empty query");
}

#[test]
fn changing_the_noise_restarts_the_sweep_and_keeps_the_selected_size() {
    let mut m = model("size=20", 0);
    send(&mut m, Msg::Start);
    let job = m.job;
    let fx = send(&mut m, Msg::Control { key: "noise", text: "0.3".into() });
    assert!(starts_sweep(&fx));
    assert_eq!(m.job, job + 1);
    assert_eq!(m.selected, 20);
    assert_eq!(url(&fx).as_deref(), Some("noise=0.3&size=20"));
}

#[test]
fn a_view_only_change_redraws_the_curves_without_a_new_sweep() {
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    send(&mut m, Msg::Frame(Frame::Fit));
    let job = m.job;
    for (key, text) in [("agg", "mean"), ("log-y", "0"), ("log-x", "0"), ("ratio", "1"), ("theme", "dark")] {
        let fx = send(&mut m, Msg::Control { key, text: text.into() });
        assert_eq!(m.job, job, "{key} started a sweep");
        assert!(!starts_sweep(&fx), "{key}");
        assert!(schedules(&fx, &Msg::Frame(Frame::Curves)), "{key} asked for no redraw of the curves");
        // Only the theme changes the fit panel's look.
        assert_eq!(schedules(&fx, &Msg::Frame(Frame::Fit)), key == "theme", "{key}");
        send(&mut m, Msg::Frame(Frame::Curves));
        send(&mut m, Msg::Frame(Frame::Fit));
    }
}

#[test]
fn the_size_on_a_size_sweep_moves_the_selection_and_on_a_sample_sweep_restarts_it() {
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    let job = m.job;
    let fx = send(&mut m, Msg::Control { key: "size", text: "40".into() });
    assert_eq!((m.job, m.selected), (job, 40));
    assert!(fx.iter().any(|e| matches!(e, Effect::Selection)));
    let mut s = model("axis=samples&size=30&n=120", 0);
    send(&mut s, Msg::Start);
    let job = s.job;
    send(&mut s, Msg::Control { key: "size", text: "20".into() });
    assert_eq!(s.job, job + 1, "the fixed size of a sample sweep is part of the sweep");
}

#[test]
fn a_value_the_scene_cannot_take_shows_a_notice_and_changes_nothing() {
    let mut m = model("family=gaussian&dim=50&max-size=50&n=20", 0);
    send(&mut m, Msg::Start);
    let before = m.scene.clone();
    let fx = send(&mut m, Msg::Control { key: "n", text: "100000".into() });
    assert_eq!(m.scene, before);
    assert!(fx.iter().any(|e| matches!(e, Effect::Notice(l) if l.iter().any(|s| s.contains('n')))), "{fx:?}");
    assert!(fx.iter().any(|e| matches!(e, Effect::SyncControls)), "the control goes back to the scene's value");
}

#[test]
fn a_stale_sweeps_trial_is_ignored() {
    let mut m = model("trials=3&max-size=40", 0);
    send(&mut m, Msg::Start);
    let old = m.sweep.clone().expect("a sweep");
    let old_job = m.job;
    send(&mut m, Msg::Control { key: "noise", text: "0.2".into() });
    let fx = send(&mut m, Msg::Trial { job: old_job, worker: None, data: TrialData::Own(old.run_trial(0).expect("a trial")) });
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(m.folder.next(), 0);
    assert_eq!(m.accs.iter().map(|a| a.trials()).collect::<Vec<_>>(), [0]);
}

#[test]
fn trials_folded_out_of_order_give_the_numbers_of_a_sweep_run_in_order() {
    let mut m = model("trials=5&max-size=60", 0);
    send(&mut m, Msg::Start);
    let want = run_sequential(m.scene.sweep().expect("a sweep").as_ref());
    deliver_all(&mut m, |i| (i * 3 + 2) % 5);
    let fx = send(&mut m, Msg::Frame(Frame::Curves));
    let got = m.result().expect("a result");
    assert_eq!(format!("{:?}", got.rows), format!("{:?}", want.rows), "bit for bit");
    assert!(fx.iter().any(|e| matches!(e, Effect::MarkDrawn { first: true })), "{fx:?}");
}

#[test]
fn the_page_is_marked_drawn_after_a_whole_sweep_and_first_drawn_only_once() {
    let mut m = model("trials=2&max-size=30", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    assert!(m.queued.done, "the last trial asks for the done redraw");
    assert!(matches!(send(&mut m, Msg::Frame(Frame::Curves)).last(), Some(Effect::MarkDrawn { first: true })));
    send(&mut m, Msg::Control { key: "noise", text: "0.1".into() });
    deliver_all(&mut m, |i| i);
    assert!(matches!(send(&mut m, Msg::Frame(Frame::Curves)).last(), Some(Effect::MarkDrawn { first: false })));
}

#[test]
fn the_first_sweep_is_left_to_starting_workers_until_the_grace_ends() {
    let mut m = model("trials=3&max-size=30", 1);
    let fx = send(&mut m, Msg::Start);
    let page_step = fx.iter().find_map(|e| if let Effect::Schedule(w, msg) = e { matches!(**msg, Msg::PageStep).then_some(*w) } else { None });
    assert_eq!(page_step, Some(When::After(super::schedule::WORKER_GRACE_MS)));
    // A worker comes up before then: the page's turn finds it and computes nothing.
    send(&mut m, Msg::WorkerReady(0));
    let fx = send(&mut m, Msg::PageStep);
    assert!(fx.is_empty(), "{fx:?}");
}

#[test]
fn failed_workers_leave_every_trial_to_the_page_with_a_notice() {
    let mut m = model("trials=2&max-size=30", 2);
    send(&mut m, Msg::Start);
    let fx = send(&mut m, Msg::WorkersFailed);
    assert!(fx.iter().any(|e| matches!(e, Effect::Notice(_))));
    // The page's turn, already scheduled for when the grace ends, finds no worker to leave it to.
    assert!(m.sched.stepping);
    let fx = send(&mut m, Msg::PageStep);
    assert!(fx.iter().any(|e| matches!(e, Effect::RunTrial { trial: 0, .. })), "{fx:?}");
}

#[test]
fn hovering_a_curve_selects_the_nearest_size_and_writes_it_to_the_url() {
    let mut m = model("trials=1&max-size=100&log-x=0", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    send(&mut m, Msg::Frame(Frame::Fit));
    let geom = Geom { left: 0, right: 100, top: 0, bottom: 100, x0: 0.0, x1: 100.0, log_x: false, y0: 0.0, y1: 1.0, legend: None, legend_rows: None };
    send(&mut m, Msg::CurvesDrawn { u: None, dd: Some(geom) });
    let fx = send(&mut m, Msg::Hover { panel: Panel::Dd, px: 42.4 });
    assert_eq!(m.selected, 42);
    assert_eq!(url(&fx).as_deref(), Some("max-size=100&trials=1&size=42&log-x=0"));
    assert!(schedules(&fx, &Msg::Frame(Frame::Fit)));
}

#[test]
fn a_host_size_message_selects_the_nearest_row_and_answers_with_the_state() {
    let mut m = model("trials=1&max-size=100&grid=log", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    let rows: Vec<usize> = m.result().map(|r| r.rows.iter().map(|r| r.x).collect()).unwrap_or_default();
    // A size between two rows of the log grid, nearer the lower one.
    let (lo, hi) = rows.windows(2).map(|w| (w[0], w[1])).find(|(a, b)| b - a >= 3).expect("a gap in the log grid");
    let fx = send(&mut m, Msg::HostSize(lo + 1));
    assert_eq!(m.selected, lo, "between {lo} and {hi}");
    assert!(matches!(fx.last(), Some(Effect::ReplyToHost { size, .. }) if *size == lo));
    assert!(fx.iter().any(|e| matches!(e, Effect::SizeControl(x) if *x == lo)));
}

#[test]
fn host_scene_and_step_messages_answer_with_the_new_state() {
    let mut m = model("", 0);
    m.in_frame = true;
    let reply = |fx: &[Effect]| fx.iter().find_map(|e| if let Effect::ReplyToHost { scene, size } = e { Some((scene.clone(), *size)) } else { None });
    let fx = send(&mut m, Msg::HostScene("noise=0.2".into()));
    assert_eq!(reply(&fx), Some(("noise=0.2".to_string(), 12)));
    let fx = send(&mut m, Msg::HostStep(3));
    assert!(reply(&fx).is_some_and(|(scene, size)| scene.ends_with("tour=intro&step=3") && size == 20), "{fx:?}");
}

#[test]
fn a_tour_key_steps_the_tour_and_stops_at_its_ends() {
    let mut m = model("tour=intro&step=1", 0);
    let fx = send(&mut m, Msg::Start);
    assert_eq!(url(&fx).as_deref(), Some("max-size=27&size=3&log-x=0&tour=intro"), "a tour in the URL starts at its step");
    let fx = send(&mut m, Msg::Key("ArrowLeft".into()));
    assert!(fx.is_empty(), "a page of its own keeps a key past the tour's start: {fx:?}");
    assert_eq!(m.scene.step, 1);
    for _ in 0..20 {
        send(&mut m, Msg::Key("PageDown".into()));
    }
    assert_eq!(m.scene.step, TOUR.len());
    assert!(send(&mut m, Msg::Key("x".into())).is_empty(), "other keys are not the tour's");
}

#[test]
fn a_tour_step_that_only_moves_the_size_animates_it_and_a_new_scene_cancels_the_move() {
    let mut m = model("tour=intro&step=1", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    let job = m.job;
    let fx = send(&mut m, Msg::Key(" ".into()));
    assert_eq!((m.job, m.scene.step, m.anim_target), (job, 2, Some(7)), "no new sweep: the size moves to step 2's");
    assert!(fx.iter().any(|e| matches!(e, Effect::TourBar)) && !fx.iter().any(|e| matches!(e, Effect::Captions)));
    let mut frames = 0;
    while m.selected != 7 {
        assert!(schedules(&send(&mut m, Msg::AnimTick(7)), &Msg::AnimTick(7)) || m.selected == 7);
        frames += 1;
        assert!(frames < 20, "the move never ends");
    }
    assert!(frames >= 2, "the size moved in one jump");
    assert_eq!((m.anim_target, m.scene.size), (None, 7));
    // A move cut short by another scene stops.
    send(&mut m, Msg::Key(" ".into()));
    assert_eq!(m.anim_target, Some(20));
    send(&mut m, Msg::Query("noise=0.2".into()));
    let fx = send(&mut m, Msg::AnimTick(20));
    assert!(!schedules(&fx, &Msg::AnimTick(20)));
    assert_eq!(m.scene.size, 12);
}

#[test]
fn with_no_tour_a_navigation_key_in_a_frame_goes_to_the_host_page() {
    let mut m = model("", 0);
    m.in_frame = true;
    let fx = send(&mut m, Msg::Key("ArrowRight".into()));
    assert!(matches!(fx.as_slice(), [Effect::Consumed, Effect::HandKeyToHost(k)] if k == "ArrowRight"));
    assert!(send(&mut m, Msg::Key("x".into())).is_empty());
    m.in_frame = false;
    assert!(send(&mut m, Msg::Key("ArrowRight".into())).is_empty(), "a page of its own keeps its keys");
}

#[test]
fn an_added_point_moves_the_held_out_split_by_at_most_two_points() {
    let pts: Vec<String> = (0..20).map(|i| format!("{:.2}:{:.2}", -0.95 + 0.1 * i as f64, (i % 7) as f64 * 0.1)).collect();
    let mut m = model(&format!("points={}", pts.join(",")), 0);
    send(&mut m, Msg::Start);
    let held = |m: &Model| -> Vec<(u64, u64)> {
        let d = m.scene.problem.data.as_ref().expect("own data");
        let (_, held) = m.scene.problem.folds_of(0).fold(0);
        held.iter().map(|&i| (d.x[i].to_bits(), d.y[i].to_bits())).collect()
    };
    let before = held(&m);
    m.editor.geom =
        Some(Geom { left: 0, right: 200, top: 0, bottom: 200, x0: -1.0, x1: 1.0, log_x: false, y0: -2.0, y1: 2.0, legend: None, legend_rows: None });
    m.editor.scale = 1.0;
    let fx = send(&mut m, Msg::Edit(Edit::Press { px: 101.0, py: 7.0, shift: false, now: 0.0 }));
    assert!(starts_sweep(&fx), "an added point is committed");
    assert_eq!(m.own_points().map(|p| p.len()), Some(21));
    let after = held(&m);
    let moved = before.iter().filter(|p| !after.contains(p)).count() + after.iter().filter(|p| !before.contains(p)).count();
    assert!(moved <= 2, "{moved} points changed sides");
}

#[test]
fn the_pick_ring_follows_a_redraw_of_the_fit_panel() {
    let mut m = model("points=-0.5:0.1,0:0.2,0.5:0.3,0.7:0.1,-0.8:0.4,0.2:0.2,0.9:0.3,-0.2:0.1,0.4:0.5,-0.6:0.2", 0);
    send(&mut m, Msg::Start);
    let geom = Geom { left: 0, right: 100, top: 0, bottom: 100, x0: -1.0, x1: 1.0, log_x: false, y0: -1.0, y1: 1.0, legend: None, legend_rows: None };
    send(&mut m, Msg::FitDrawn { geom: Some(geom), scale: 1.0 });
    send(&mut m, Msg::Edit(Edit::Key { key: "]".into(), shift: false }));
    assert_eq!(m.editor.picked, Some(4), "the leftmost point");
    let fx = send(&mut m, Msg::FitDrawn { geom: Some(geom), scale: 2.0 });
    assert!(fx.iter().any(|e| matches!(e, Effect::PickRing)));
    let (x, y) = m.editor.ring(m.own_points().as_deref()).expect("a ring");
    assert!((x - 5.0).abs() < 1e-9 && (y - 15.0).abs() < 1e-9, "CSS pixels at the new scale: {x}, {y}");
}

#[test]
fn the_tables_change_column_sorts_every_control_into_view_or_sweep() {
    use crate::scene::{param, Change, CONTROL_KEYS};
    for key in CONTROL_KEYS {
        let p = param(key).expect("a row");
        let view = matches!(key, &"agg" | &"log-y" | &"log-x" | &"ratio" | &"theme");
        assert_eq!(matches!(p.change, Change::View | Change::Style), view, "{key}");
    }
}

#[test]
fn the_progress_display_changes_at_most_every_100_ms_and_partial_curves_only_for_long_sweeps() {
    let mut m = model("trials=5&max-size=30", 1);
    send(&mut m, Msg::Start);
    send(&mut m, Msg::WorkerReady(0));
    let sweep = m.sweep.clone().expect("a sweep");
    let job = m.job;
    let trial = |t: usize| Msg::Trial { job, worker: Some(0), data: TrialData::Flat(sweep.run_trial(t).expect("a trial").to_flat()) };
    let progress = |fx: &[Effect]| fx.iter().any(|e| matches!(e, Effect::Progress { .. }));
    let fx = send_at(&mut m, trial(0), 10.0);
    assert!(!progress(&fx) && schedules(&fx, &Msg::ProgressTick), "too soon after the last change: later");
    assert!(fx.iter().any(|e| matches!(e, Effect::Post { worker: 0, .. })), "the worker gets its next trial");
    let fx = send_at(&mut m, trial(1), 20.0);
    assert!(!progress(&fx) && !schedules(&fx, &Msg::ProgressTick), "a change is already scheduled");
    let fx = send_at(&mut m, Msg::ProgressTick, 100.0);
    assert!(matches!(fx.as_slice(), [Effect::Progress { done: 2, total: 5, ms: None }]), "{fx:?}");
    let fx = send_at(&mut m, trial(2), 240.0);
    assert!(progress(&fx) && !m.queued.curves, "no partial curves in a sweep's first 250 ms");
    send_at(&mut m, trial(3), 300.0);
    assert!(m.queued.curves, "partial curves after 250 ms");
    let fx = send_at(&mut m, trial(4), 320.0);
    assert!(fx.iter().any(|e| matches!(e, Effect::Progress { done: 5, ms: Some(ms), .. } if *ms == 320.0)), "{fx:?}");
    assert!(fx.iter().any(|e| matches!(e, Effect::BodyData("sweep-ms", v) if v == "320.0")));
    assert!(m.queued.done);
}

#[test]
fn the_sweeps_clock_starts_when_its_trials_are_out() {
    let mut m = model("trials=2&max-size=30", 0);
    let fx = send_at(&mut m, Msg::Start, 50.0);
    assert!(schedules(&fx, &Msg::JobStarted(m.job)));
    assert_eq!(m.sent_at, 50.0);
    let old = m.job - 1;
    send_at(&mut m, Msg::JobStarted(old), 70.0);
    assert_eq!(m.sent_at, 50.0, "an older job's start is ignored");
}

#[test]
fn a_second_copy_of_a_trial_changes_nothing_and_its_buffer_is_kept_for_reuse() {
    let mut m = model("trials=3&max-size=30", 0);
    send(&mut m, Msg::Start);
    let out = m.sweep.clone().expect("a sweep").run_trial(0).expect("a trial");
    let job = m.job;
    send(&mut m, Msg::Trial { job, worker: None, data: TrialData::Own(out.clone()) });
    let spare = m.spare.len();
    let fx = send(&mut m, Msg::Trial { job, worker: None, data: TrialData::Flat(out.to_flat()) });
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!((m.folder.next(), m.spare.len()), (1, spare + 1));
}

#[test]
fn a_workers_error_is_shown_only_for_the_current_job() {
    let mut m = model("", 1);
    send(&mut m, Msg::Start);
    let job = m.job;
    assert!(send(&mut m, Msg::WorkerError { job: job - 1, message: "old".into() }).is_empty());
    let fx = send(&mut m, Msg::WorkerError { job, message: "bad".into() });
    assert!(matches!(fx.as_slice(), [Effect::Notice(l)] if l == &["bad".to_string()]));
}

#[test]
fn the_tables_reselect_column_names_the_parameters_that_move_the_selection() {
    use crate::scene::PARAMS;
    let reselect: Vec<&str> = PARAMS.iter().filter(|p| p.reselect).map(|p| p.key).collect();
    assert_eq!(reselect, ["n", "max-size", "data", "holdout", "folds", "axis", "size"]);
}

#[test]
fn an_export_brings_the_curves_up_to_date_first() {
    let mut m = model("trials=2&max-size=30", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    assert!(m.dirty.iter().any(|d| *d) && m.result().is_none());
    let fx = send(&mut m, Msg::Export(super::msg::Export::Csv));
    assert!(matches!(fx.as_slice(), [Effect::Export(super::msg::Export::Csv)]));
    assert_eq!(m.result().map(|r| r.trials), Some(2));
}

#[test]
fn a_new_draw_and_the_optimal_ridge_restart_the_sweep_with_the_scene_in_the_url() {
    let mut m = model("family=gaussian&n=40&dim=200&max-size=200&noise=0.5&size=40", 0);
    send(&mut m, Msg::Start);
    let fx = send(&mut m, Msg::NewDraw(77));
    assert!(starts_sweep(&fx) && url(&fx).is_some_and(|q| q.contains("seed=77")));
    let fx = send(&mut m, Msg::OptimalRidge);
    assert!(starts_sweep(&fx), "{fx:?}");
    assert!(m.scene.problem.ridge > 0.0);
}

#[test]
fn moving_the_selection_with_no_curves_yet_does_nothing() {
    let mut m = model("", 0);
    assert!(send(&mut m, Msg::StepSelection(1)).is_empty());
    m.results = vec![Some(crate::engine::sweep::SweepResult { axis: crate::engine::sweep::Along::Size, trials: 0, rows: vec![], extra: Default::default() })];
    assert!(send(&mut m, Msg::StepSelection(-1)).is_empty(), "no rows: no panic");
}

#[test]
fn playing_again_before_the_last_step_came_runs_one_chain_of_steps() {
    let mut m = model("trials=1&max-size=60", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    let first = send(&mut m, Msg::TogglePlay);
    assert!(schedules(&first, &Msg::PlayTick(1)));
    send(&mut m, Msg::TogglePlay);
    let again = send(&mut m, Msg::TogglePlay);
    assert!(schedules(&again, &Msg::PlayTick(2)));
    let at = m.selected;
    assert!(send(&mut m, Msg::PlayTick(1)).is_empty(), "the first chain's step is ignored");
    assert_eq!(m.selected, at);
    assert!(schedules(&send(&mut m, Msg::PlayTick(2)), &Msg::PlayTick(2)));
    assert!(m.selected > at);
}

fn own_model() -> Model {
    let mut m = model("points=-0.5:0.1,0:0.2,0.5:0.3,0.7:0.1,-0.8:0.4,0.2:0.2,0.9:0.3,-0.2:0.1,0.4:0.5,-0.6:0.2", 0);
    send(&mut m, Msg::Start);
    send(&mut m, Msg::Frame(Frame::Fit));
    let geom = Geom { left: 0, right: 100, top: 0, bottom: 100, x0: -1.0, x1: 1.0, log_x: false, y0: -1.0, y1: 1.0, legend: None, legend_rows: None };
    send(&mut m, Msg::FitDrawn { geom: Some(geom), scale: 1.0 });
    m
}

#[test]
fn dragging_a_point_redraws_only_the_fit_until_it_is_let_go() {
    let mut m = own_model();
    let job = m.job;
    // The point at (0, 0.2) sits at pixel (50, 40).
    let fx = send(&mut m, Msg::Edit(Edit::Press { px: 50.0, py: 40.0, shift: false, now: 0.0 }));
    assert!(matches!(fx.as_slice(), [Effect::Consumed, Effect::PickRing]), "{fx:?}");
    let fx = send(&mut m, Msg::Edit(Edit::Move { px: 55.0, py: 40.0 }));
    assert!(url(&fx).is_none() && schedules(&fx, &Msg::Frame(Frame::Fit)) && m.job == job, "{fx:?}");
    let fx = send(&mut m, Msg::Edit(Edit::Release));
    assert!(starts_sweep(&fx) && url(&fx).is_some_and(|q| q.contains("0.1:0.2")), "{fx:?}");
}

#[test]
fn a_drag_ends_when_another_scene_takes_the_points_away() {
    let mut m = own_model();
    send(&mut m, Msg::Edit(Edit::Press { px: 50.0, py: 40.0, shift: false, now: 0.0 }));
    assert_eq!(m.editor.drag, Some(1));
    send(&mut m, Msg::Query("noise=0.1".into()));
    assert_eq!((m.editor.drag, m.editor.picked), (None, None));
    assert!(send(&mut m, Msg::Edit(Edit::Release)).is_empty());
}

#[test]
fn a_point_the_scene_cannot_take_is_announced_and_listed() {
    let mut m = own_model();
    // Deleting down to too few points for the folds is refused.
    let mut refused = None;
    for _ in 0..10 {
        send(&mut m, Msg::Edit(Edit::Key { key: "]".into(), shift: false }));
        let fx = send(&mut m, Msg::Edit(Edit::Key { key: "Delete".into(), shift: false }));
        if fx.iter().any(|e| matches!(e, Effect::DataErrors(l) if !l.is_empty())) {
            refused = Some(fx);
            break;
        }
    }
    let fx = refused.expect("a deletion is refused before no point is left");
    assert!(fx.iter().any(|e| matches!(e, Effect::Announce(_))), "{fx:?}");
    assert!(!starts_sweep(&fx));
}

#[test]
fn editing_the_generated_points_clears_the_error_list_before_the_text_box_is_filled() {
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    let fx = send(&mut m, Msg::Edit(Edit::Start));
    let errors = fx.iter().position(|e| matches!(e, Effect::DataErrors(l) if l.is_empty()));
    let text = fx.iter().position(|e| matches!(e, Effect::SyncText(false)));
    assert!(errors.is_some() && text.is_some() && errors < text, "{fx:?}");
    assert!(m.editable() && fx.iter().any(|e| matches!(e, Effect::FocusFit)));
    assert_eq!(m.own_points().map(|p| p.len()), Some(30));
}

#[test]
fn the_editor_ignores_pointer_and_keys_when_the_data_is_generated() {
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    assert!(send(&mut m, Msg::Edit(Edit::Key { key: "+".into(), shift: false })).is_empty());
    assert!(send(&mut m, Msg::Edit(Edit::Press { px: 1.0, py: 1.0, shift: false, now: 0.0 })).is_empty());
}

#[test]
fn past_either_end_of_the_tour_a_clickers_key_goes_to_the_deck() {
    let mut m = model("embed=1&tour=intro&step=1", 0);
    m.in_frame = true;
    send(&mut m, Msg::Start);
    let fx = send(&mut m, Msg::Key("PageUp".into()));
    assert!(matches!(fx.as_slice(), [Effect::Consumed, Effect::HandKeyToHost(k)] if k == "PageUp"), "{fx:?}");
    assert_eq!(m.scene.step, 1);
    send(&mut m, Msg::HostStep(TOUR.len()));
    for key in [" ", "ArrowRight", "PageDown"] {
        let fx = send(&mut m, Msg::Key(key.into()));
        assert!(matches!(fx.as_slice(), [Effect::Consumed, Effect::HandKeyToHost(k)] if k == key), "{key}: {fx:?}");
    }
    assert_eq!(m.scene.step, TOUR.len());
    let fx = send(&mut m, Msg::Key("ArrowLeft".into()));
    assert!(!fx.iter().any(|e| matches!(e, Effect::HandKeyToHost(_))));
    assert_eq!(m.scene.step, TOUR.len() - 1, "inside the tour the key steps it back");
}

#[test]
fn a_tour_in_an_embedded_figure_keeps_embed_mode_panels_controls_and_theme_at_every_step() {
    let look = "embed=1&panels=fit,dd&controls=noise&theme=dark";
    let mut m = model(&format!("{look}&tour=intro"), 0);
    m.in_frame = true;
    let fx = send(&mut m, Msg::Start);
    assert_eq!(url(&fx).as_deref(), Some("max-size=27&size=3&log-x=0&embed=1&panels=fit,dd&controls=noise&tour=intro&theme=dark"));
    for step in 1..=TOUR.len() {
        send(&mut m, Msg::HostStep(step));
        assert!(m.scene.embed && m.scene.theme == 2 && m.scene.shows_panel("dd") && !m.scene.shows_panel("u"), "step {step}");
        assert!(m.scene.shows_control("noise") && !m.scene.shows_control("n"), "step {step}");
        // The training steps add the training panel; the others do not keep it.
        assert_eq!(m.scene.shows_panel("training"), (9..=10).contains(&step), "step {step}");
        // The digits' step is the second module's to compute.
        if m.sweep.is_none() {
            continue;
        }
        deliver_all(&mut m, |i| i);
        send(&mut m, Msg::Frame(Frame::Curves));
    }
    // Back from the training steps to one without them (step 8).
    send(&mut m, Msg::HostStep(8));
    assert!(!m.scene.shows_panel("training") && !m.scene.shows_panel("map") && m.scene.shows_panel("fit"));
}

#[test]
fn a_host_scene_message_changes_what_it_names_and_keeps_everything_else() {
    let mut m = model("embed=1&panels=dd&controls=n,noise&theme=dark&n=40", 0);
    m.in_frame = true;
    send(&mut m, Msg::Start);
    send(&mut m, Msg::HostScene("noise=0.2".into()));
    assert_eq!(m.scene.to_query(), "n=40&noise=0.2&embed=1&panels=dd&controls=n,noise&theme=dark");
    let fx = send(&mut m, Msg::HostScene("noise=99&ridge=0.01".into()));
    assert!(fx.iter().any(|e| matches!(e, Effect::Notice(l) if l.iter().any(|t| t.contains("noise")))), "{fx:?}");
    assert_eq!((m.scene.problem.noise, m.scene.problem.ridge), (0.2, 0.01), "a bad value keeps the value shown");
}

#[test]
fn the_reply_to_a_tour_step_reports_the_size_the_figure_settles_at() {
    let mut m = model("tour=intro&step=3", 0);
    m.in_frame = true;
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    send(&mut m, Msg::Frame(Frame::Curves));
    // Step 2 only moves the size (20 -> 9): the figure animates, the reply says 9 at once.
    let fx = send(&mut m, Msg::HostStep(2));
    assert_ne!(m.selected, 9, "the move takes frames");
    let reply = fx.iter().find_map(|e| if let Effect::ReplyToHost { scene, size } = e { Some((scene.clone(), *size)) } else { None });
    assert_eq!(reply, Some(("max-size=27&size=7&log-x=0&tour=intro&step=2".to_string(), 7)));
}

#[test]
fn printing_draws_every_panel_asked_for_without_waiting_for_a_frame() {
    let mut m = model("trials=2&max-size=30", 0);
    send(&mut m, Msg::Start);
    deliver_all(&mut m, |i| i);
    assert!(m.queued.curves && m.queued.fit, "redraws asked for, their frames not come");
    let fx = send(&mut m, Msg::Print);
    assert!(fx.iter().any(|e| matches!(e, Effect::DrawFit)) && fx.iter().any(|e| matches!(e, Effect::DrawCurves)), "{fx:?}");
    assert!(fx.iter().any(|e| matches!(e, Effect::MarkDrawn { first: true })));
    assert!(!m.queued.curves && !m.queued.fit && m.result().is_some());
}

#[test]
fn every_deck_key_does_on_the_deck_what_it_does_there() {
    use super::update::deck_method;
    let cases = [
        ("ArrowRight", "right"),
        ("ArrowLeft", "left"),
        ("ArrowDown", "next"),
        (" ", "next"),
        ("PageDown", "next"),
        ("ArrowUp", "prev"),
        ("Shift+ ", "prev"),
        ("PageUp", "prev"),
        ("b", "togglePause"),
        (".", "togglePause"),
    ];
    for (key, method) in cases {
        assert_eq!(deck_method(key), Some(method), "{key:?}");
    }
    assert_eq!(deck_method("x"), None);
    // In a frame with no tour, each goes to the deck; with a tour, blackout still does.
    let mut m = model("", 0);
    m.in_frame = true;
    for (key, _) in cases {
        let fx = send(&mut m, Msg::Key(key.into()));
        assert!(matches!(fx.as_slice(), [Effect::Consumed, Effect::HandKeyToHost(k)] if k == key), "{key:?}: {fx:?}");
    }
    let mut t = model("tour=intro&step=3", 0);
    t.in_frame = true;
    send(&mut t, Msg::Start);
    assert!(matches!(send(&mut t, Msg::Key("b".into())).as_slice(), [Effect::Consumed, Effect::HandKeyToHost(_)]));
    send(&mut t, Msg::Key("Shift+ ".into()));
    assert_eq!(t.scene.step, 2, "Shift+space steps the tour back");
}

#[test]
fn a_remote_scene_goes_to_the_second_module_and_its_trials_fold_as_the_workers_would() {
    // The digits and the sample-wise view (here compared across two noise levels): the page's
    // own module carries no sweep for them. The workers only hear of an older job's end; the
    // second module is asked for every trial, and the trials, arriving out of order, fold to
    // the sweep's own summary, one per compared value.
    let images = crate::engine::images::load(include_bytes!("../../../data/digits.bin")).expect("the digits");
    for q in ["data=digits&family=relu&n=40&test=60&max-size=80&grid=log&trials=3", "axis=samples&size=20&n=40&trials=3&compare=noise:0.1,0.3"] {
        let mut m = model(q, 2);
        let fx = send(&mut m, Msg::Start);
        assert!(fx.iter().all(|e| !matches!(e, Effect::Post { trials, .. } if !trials.is_empty())), "{q}: {fx:?}");
        let asked = fx.iter().find_map(|e| if let Effect::Remote { job, trials, scene } = e { Some((*job, *trials, scene.clone())) } else { None });
        let (job, total, scene) = asked.unwrap_or_else(|| panic!("{q}: no remote job in {fx:?}"));
        assert_eq!((job, scene.as_str()), (m.job, m.job_query.as_str()));
        assert!(m.sweep.is_none());
        // What the second module runs: the whole chain, the digits loaded.
        let mut s = crate::scene::Scene::from_query(&scene, crate::scene::Platform::Web).expect("a scene");
        s.images = Some(images.clone());
        let chain = s.chain().expect("its sweeps");
        assert_eq!(chain.trials(), total);
        for g in (0..total).rev() {
            let out = chain.run_trial(g).expect("a trial");
            send(&mut m, Msg::Trial { job, worker: None, data: TrialData::Flat(out.to_flat()) });
        }
        let want: Vec<Vec<u64>> = chain
            .accumulators()
            .into_iter()
            .enumerate()
            .map(|(i, mut acc)| {
                for g in chain.start(i)..chain.start(i + 1) {
                    acc.add(&chain.run_trial(g).expect("a trial"));
                }
                acc.result().to_flat().iter().map(|v| v.to_bits()).collect()
            })
            .collect();
        // The summaries drawn at the next frame.
        send(&mut m, Msg::Frame(Frame::Curves));
        let drawn: Vec<Vec<u64>> = m.results.iter().map(|r| r.as_ref().expect("a summary").to_flat().iter().map(|v| v.to_bits()).collect()).collect();
        assert_eq!(drawn, want, "{q}");
        assert_eq!(m.folder.next(), total);
        // A scene the page computes itself ends the module's job: no trials for it.
        let fx = send(&mut m, Msg::Control { key: "axis", text: "size".into() });
        let fx = if m.scene.source == crate::scene::Source::Generated { fx } else { send(&mut m, Msg::Control { key: "data", text: "generated".into() }) };
        assert!(fx.iter().any(|e| matches!(e, Effect::Remote { trials: 0, .. })), "{q}: {fx:?}");
        assert!(m.sweep.is_some(), "{q}");
    }
}

#[test]
fn a_table_read_by_the_second_module_moves_the_scene_onto_it_and_its_trials_fold_to_the_sweeps_summary() {
    // The wine table as the module reads it; the page knows only its shape. The scene keeps
    // what the table can take and moves the rest (a family for many inputs, every other row
    // held out); the module computes its trials, the page folds them.
    use crate::scene::{Platform, Scene, Source};
    let table = std::sync::Arc::new(crate::engine::table::parse_table(include_str!("../../../tests/data/wine.csv"), None).expect("the wine table"));
    let mut m = model("trials=3&max-size=60&n=40&family=legendre&panels=fit,dd,training&noise=0.2", 2);
    send(&mut m, Msg::Start);
    let fx = send(&mut m, Msg::Table(table.shape()));
    assert_eq!((m.scene.source, m.scene.table_shape), (Source::Table, Some(table.shape())));
    assert_eq!((m.scene.problem.family, m.scene.problem.n, m.scene.problem.test, m.scene.max_size), (crate::engine::features::Family::Relu, 40, 138, 120));
    assert!(m.scene.shows_panel("training") && m.scene.shows_panel("dd") && m.scene.problem.noise == 0.2);
    assert!(m.scene.to_query().contains("data=table"));
    assert!(fx.iter().any(|e| matches!(e, Effect::DataErrors(l) if l.is_empty())), "{fx:?}");
    let (job, total, scene) =
        fx.iter().find_map(|e| if let Effect::Remote { job, trials, scene } = e { Some((*job, *trials, scene.clone())) } else { None }).expect("a remote job");
    assert!(m.sweep.is_none() && total == 3);
    // What the module runs: the scene string on a base that carries the table.
    let base = Scene { table: Some(table.clone()), ..Scene::default() };
    let (s, errors) = base.with_query_lenient(&scene, Platform::Web);
    assert!(errors.is_empty() && s.source == Source::Table, "{errors:?}");
    let chain = s.chain().expect("its sweep");
    for t in (0..total).rev() {
        send(&mut m, Msg::Trial { job, worker: None, data: TrialData::Flat(chain.run_trial(t).expect("a trial").to_flat()) });
    }
    send(&mut m, Msg::Frame(Frame::Curves));
    let want = run_sequential(s.sweep().expect("the sweep").as_ref());
    assert_eq!(m.result().map(|r| r.to_flat().iter().map(|v| v.to_bits()).collect::<Vec<_>>()), Some(want.to_flat().iter().map(|v| v.to_bits()).collect()));
    // k-fold cross-validation of the table: a remote job of the same layout, its trials the
    // module's k-fold sweep's.
    let fx = send(&mut m, Msg::Control { key: "holdout", text: "kfold".into() });
    assert!(fx.iter().any(|e| matches!(e, Effect::Remote { trials: 3, .. })), "{fx:?}");
    let (s, errors) = base.with_query_lenient(&m.job_query, Platform::Web);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(s.table_sweep().expect("the sweep").settings().folds, 5);
    send(&mut m, Msg::Control { key: "holdout", text: "split".into() });
    // A control keeps the table; "Back to generated data" leaves it, and the page computes again.
    send(&mut m, Msg::Control { key: "n", text: "50".into() });
    assert_eq!((m.scene.source, m.scene.problem.n), (Source::Table, 50));
    send(&mut m, Msg::Edit(Edit::Generated));
    assert_eq!((m.scene.source, m.scene.table_shape), (Source::Generated, None));
    assert!(m.sweep.is_some());
    // A scene string cannot carry a table: the page falls back, saying how to give one.
    let (s, errors) = Scene::from_query_lenient("data=table&noise=0.3", Platform::Web);
    assert!(s.source == Source::Generated && s.problem.noise == 0.3, "{s:?}");
    assert!(errors.iter().any(|e| e.key == "data" && e.message.contains("upload one under Your own data")), "{errors:?}");
}

#[test]
fn a_small_table_gets_a_split_it_can_hold_and_the_plain_linear_model_no_more_features_than_columns() {
    // The digits preset with the plain linear model chosen: at most their 64 pixels.
    let mut d = model(crate::page::presets::DIGITS[0].1, 0);
    send(&mut d, Msg::Start);
    send(&mut d, Msg::Control { key: "family", text: "linear".into() });
    assert_eq!((d.scene.problem.family, d.scene.max_size), (crate::engine::features::Family::Linear, 64));
    use crate::engine::table::Shape;
    use crate::scene::{Platform, Scene};
    let small = Shape { rows: 20, columns: 4, classes: false };
    let s = Scene::default().on_table(small);
    assert_eq!((s.problem.n, s.problem.test, s.max_size), (10, 10, 600));
    assert!(s.check(Platform::Web).is_empty(), "{:?}", s.check(Platform::Web));
    let (linear, _) = Scene::from_query_lenient("family=relu&n=40&max-size=300", Platform::Web);
    let mut linear = linear;
    linear.problem.family = crate::engine::features::Family::Linear;
    let s = linear.on_table(Shape { rows: 178, columns: 13, classes: true });
    assert_eq!((s.problem.n, s.max_size), (40, 13));
    assert!(s.size <= 13);
    assert!(s.check(Platform::Web).is_empty(), "{:?}", s.check(Platform::Web));
    // A large table from the digits preset fits the browser's work budget: fewer held-out rows,
    // then smaller sizes.
    let (digits, _) = Scene::from_query_lenient(crate::page::presets::DIGITS[0].1, Platform::Web);
    let s = digits.on_table(Shape { rows: 5000, columns: 30, classes: true });
    assert!(s.check(Platform::Web).is_empty(), "{:?}", s.check(Platform::Web));
    assert!(s.problem.test <= 500 && s.max_size >= s.problem.n, "{} {} {}", s.problem.n, s.problem.test, s.max_size);
    // Leaving a table of the plain linear model for generated data takes random features.
    let mut m = model("", 0);
    send(&mut m, Msg::Start);
    send(&mut m, Msg::Table(Shape { rows: 178, columns: 13, classes: true }));
    // Choosing the plain linear model brings max-size down to the table's columns.
    send(&mut m, Msg::Control { key: "family", text: "linear".into() });
    assert_eq!((m.scene.problem.family, m.scene.max_size), (crate::engine::features::Family::Linear, 13));
    send(&mut m, Msg::Edit(Edit::Generated));
    assert_eq!((m.scene.source, m.scene.problem.family), (crate::scene::Source::Generated, crate::engine::features::Family::Relu));
}
