//! The page: state, the worker, the three linked panels, the readout and the URL.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, HtmlElement, HtmlSelectElement, MessageEvent, MouseEvent, Worker};

use super::{controls, dom};
use crate::engine::sweep::{fit_view, fit_view_kept, Accumulator, Axis, FitPath, SweepResult, SweepRow, TrialOutput};
use crate::plot::{axes_short as short, dd_panel, fit_panel, u_panel, Geom, Look};
use crate::scene::{Agg, Platform, Scene};

/// Named scenes a lecturer can pick; each is also a URL (`?` + its query).
pub const PRESETS: &[(&str, &str)] = &[
    ("The textbook U", "max-size=27&log-x=0&size=9"),
    ("Past the threshold (default)", ""),
    ("Noise makes the peak", "noise=0.3"),
    ("Ridge removes the peak", "ridge=0.0001"),
    ("Smoothness decides the second descent", "smoothness=0"),
    ("The exact theory (gaussian)", "family=gaussian&n=40&dim=400&max-size=400&noise=0.5&trials=60&test=100&agg=mean&size=40"),
    ("Random ReLU features", "family=relu&target=sin&n=40&noise=0.1&max-size=800&size=40"),
    ("Sample-wise double descent", "axis=samples&size=30&n=120&log-x=0"),
];

/// The introduction tour: each step a scene string and a one-line caption. Steps that only move
/// the model size animate the size instead of recomputing.
pub const TOUR: &[(&str, &str)] = &[
    ("max-size=27&log-x=0&size=3", "A small model underfits: too smooth to follow the data. Test error is high."),
    ("max-size=27&log-x=0&size=9", "The best classical model: the bottom of the U."),
    ("max-size=27&log-x=0&size=20", "Approaching the threshold, the fit starts chasing the noise: variance rises."),
    ("size=30", "At p = n the model can just pass through every point: the wild interpolant, the peak."),
    ("size=600", "Far past the threshold, the minimum-norm interpolant calms down: the second descent, below the U."),
    ("noise=0.3&size=600", "More label noise makes the peak higher."),
    ("ridge=0.0001&size=30", "A little ridge regularization removes the peak."),
    ("smoothness=0&size=600", "Without the smoothness prior (s = 0) the second descent stays high: the implicit prior decides."),
];

struct App {
    scene: Scene,
    /// The summary drawn (refreshed from `acc` when trials arrive).
    result: Option<SweepResult>,
    job: f64,
    workers: Vec<Worker>,
    ready: Vec<bool>,
    /// Trials each worker has been given and not yet returned.
    outstanding: Vec<usize>,
    /// Trials of the current job not yet given to anyone.
    queue: std::collections::VecDeque<usize>,
    /// For each worker still starting, the trials it was given: whoever runs out of trials
    /// first (the page, or a worker that is ready) takes them over, so a worker that never
    /// starts cannot hold up the sweep. A worker that then runs one too sends the same numbers,
    /// and the copy is never folded.
    early: Vec<Vec<usize>>,
    /// The current job's sweep, for the trials the page computes itself (when no worker is up
    /// [`WORKER_GRACE_MS`] after the page started, or there are none).
    sweep: Option<std::rc::Rc<dyn crate::engine::sweep::Sweep>>,
    /// Whether the page's own trial loop is scheduled.
    stepping: bool,
    /// When the curves were last redrawn with part of the trials.
    partial_at: f64,
    /// When the progress display last changed, and whether a later change is scheduled.
    progress_at: f64,
    progress_due: bool,
    /// The current job's scene string, sent with its trials.
    job_query: String,
    /// The sweep being folded: trials arrive from the workers in any order and are added in
    /// trial order.
    acc: Option<Accumulator>,
    /// Trials that arrived ahead of their turn (a handful at most: a Vec keeps the page's code
    /// smaller than a BTreeMap would).
    buffer: Vec<Pending>,
    /// Where a worker's trial is copied to be folded in (kept: a trial can be megabytes).
    scratch: Vec<f64>,
    /// The fit panel's fits, kept from one draw to the next (see [`fit_view_kept`]).
    fits: Vec<FitPath>,
    next_trial: usize,
    total: usize,
    dirty: bool,
    geom_u: Option<Geom>,
    geom_dd: Option<Geom>,
    /// The selected x of the sweep (model size, or n for a sample sweep).
    selected: usize,
    show_new: bool,
    show_others: bool,
    playing: bool,
    redraw_queued: bool,
    /// Whether the queued redraw completes a sweep (then it marks the page drawn).
    done_pending: bool,
    fit_queued: bool,
    sent_at: f64,
    /// Until when the page leaves trials to workers that are still starting.
    grace_until: f64,
    first_drawn: bool,
    /// The size a tour step is moving to; any other change of scene cancels the move.
    anim_target: Option<usize>,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| a.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(f)))
}

fn body_data(key: &str, value: &str) {
    if let Some(b) = dom::document().and_then(|d| d.body()) {
        let _ = b.set_attribute(&format!("data-{key}"), value);
    }
}

/// Shows the dismissible notice with one line per message.
pub(super) fn notice(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    dom::set_text("notice-text", &lines.join(" · "));
    dom::set_hidden("notice", false);
}

/// Starts the app on the page.
pub fn start() {
    // When the page's wasm began to run, the first worker was ready, the sweep was done: kept on
    // <body> as data-*-at (ms since navigation), for the start-up measurements in the tests.
    body_data("started-at", &format!("{:.1}", dom::now()));
    let query = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (scene, errors) = Scene::from_query_lenient(&query, Platform::Web);
    notice(&errors.iter().map(|e| format!("{} — using the default instead.", e.message)).collect::<Vec<_>>());
    let selected = scene.size;
    let shown = scene.clone();
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            scene,
            result: None,
            job: 0.0,
            workers: Vec::new(),
            ready: Vec::new(),
            outstanding: Vec::new(),
            queue: std::collections::VecDeque::new(),
            early: Vec::new(),
            sweep: None,
            stepping: false,
            partial_at: 0.0,
            progress_at: 0.0,
            progress_due: false,
            job_query: String::new(),
            acc: None,
            buffer: Vec::new(),
            scratch: Vec::new(),
            fits: Vec::new(),
            next_trial: 0,
            total: 0,
            dirty: false,
            geom_u: None,
            geom_dd: None,
            selected,
            show_new: true,
            show_others: false,
            playing: false,
            redraw_queued: false,
            done_pending: false,
            fit_queued: false,
            sent_at: 0.0,
            grace_until: 0.0,
            first_drawn: false,
            anim_target: None,
        })
    });
    // The workers first: they can start their wasm while the page builds its controls.
    spawn_workers();
    controls::build(&shown);
    fill_presets();
    wire();
    super::data::wire();
    with(|a| {
        update_url(&a.scene);
        captions(&a.scene);
    });
    let tour_step = with(|a| (a.scene.tour != 0).then_some(a.scene.step)).flatten();
    if let Some(step) = tour_step {
        apply_query(&tour_query(step));
        return;
    }
    queue_fit();
    request_sweep();
}

fn fill_presets() {
    let Some(sel) = dom::by_id::<Element>("preset") else { return };
    for (i, (name, _)) in PRESETS.iter().enumerate() {
        if let Some(o) = dom::create("option", &[("value", &i.to_string())]) {
            o.set_text_content(Some(name));
            let _ = sel.append_child(&o);
        }
    }
}

/// Takes over the workers, which run the same wasm. The script at the top of `www/index.html`
/// (or the single-file build's loader) starts them before the page's own wasm has loaded
/// (`window.ddvizWorkers`, their early messages in `window.ddvizInbox`): one place starts them.
/// Without any (no Worker in the browser, or refused), the page computes every trial itself.
fn spawn_workers() {
    let Some(win) = dom::window() else { return };
    let early = js_sys::Reflect::get(&win, &"ddvizWorkers".into()).ok().and_then(|v| v.dyn_into::<js_sys::Array>().ok());
    let workers: Vec<Worker> = early.map(|a| a.iter().filter_map(|w| w.dyn_into::<Worker>().ok()).collect()).unwrap_or_default();
    let offline = js_sys::Reflect::get(&win, &"ddvizOffline".into()).map(|v| v.is_truthy()).unwrap_or(false);
    if workers.is_empty() && !offline {
        notice(&["Could not start the background workers; computing on the page instead.".into()]);
    }
    // The page's compiled module, shared with the workers (no second fetch or compile).
    let module = wasm_bindgen::module();
    for w in &workers {
        let _ = w.post_message(&module);
        let onmsg = Closure::<dyn FnMut(MessageEvent)>::new(on_worker_message);
        w.set_onmessage(Some(onmsg.as_ref().unchecked_ref()));
        onmsg.forget();
        let onerr = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| worker_failed());
        w.set_onerror(Some(onerr.as_ref().unchecked_ref()));
        onerr.forget();
    }
    let n = workers.len();
    let grace_until = dom::now() + WORKER_GRACE_MS;
    with(|a| {
        a.grace_until = grace_until;
        a.workers = workers;
        a.ready = vec![false; n];
        a.outstanding = vec![0; n];
        a.early = vec![Vec::new(); n];
    });
    // Messages that arrived before the handlers were in place.
    if let Some(inbox) = js_sys::Reflect::get(&win, &"ddvizInbox".into()).ok().and_then(|v| v.dyn_into::<js_sys::Array>().ok()) {
        for e in inbox.iter() {
            if let Ok(m) = e.clone().dyn_into::<MessageEvent>() {
                on_worker_message(m);
            } else {
                worker_failed();
            }
        }
        inbox.set_length(0);
    }
}

fn worker_failed() {
    let had = with(|a| {
        let had = !a.workers.is_empty();
        a.workers.clear();
        a.ready.clear();
        a.outstanding.clear();
        a.early.clear();
        had
    })
    .unwrap_or(false);
    if had {
        notice(&["The background workers failed; computing on the page instead.".into()]);
        request_sweep();
    }
}

fn get(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn on_worker_message(e: MessageEvent) {
    let data = e.data();
    if get(&data, "ready").is_truthy() {
        let source = e.target();
        with(|a| {
            if let Some(i) = worker_index(a, source.as_ref()) {
                if !a.ready.iter().any(|r| *r) {
                    body_data("worker-ready-at", &format!("{:.1}", dom::now()));
                }
                a.ready[i] = true;
                if let Some(e) = a.early.get_mut(i) {
                    e.clear();
                }
                assign(a, i, false);
            }
        });
        return;
    }
    let id = get(&data, "job").as_f64().unwrap_or(-1.0);
    let current = with(|a| a.job).unwrap_or(-2.0);
    if id != current {
        return; // A stale job's last words.
    }
    if let Some(msg) = get(&data, "error").as_string() {
        notice(&[msg]);
        return;
    }
    // A trial in flat form (TrialOutput::to_flat: its index first), kept as it came; when its
    // turn comes it is copied into the page's one buffer and folded from there.
    let Ok(arr) = get(&data, "trial").dyn_into::<js_sys::Float64Array>() else { return };
    if arr.length() < 3 {
        return;
    }
    let source = e.target();
    let state = with(|a| {
        let from = worker_index(a, source.as_ref());
        if let Some(i) = from {
            a.outstanding[i] = a.outstanding[i].saturating_sub(1);
            assign(a, i, false);
        }
        let sender = from.and_then(|i| a.workers.get(i).cloned());
        fold(a, Pending::Sent(arr.get_index(0) as usize, arr, sender))
    })
    .flatten();
    finish_trial(state);
}

/// Which of the workers sent a message.
fn worker_index(a: &App, source: Option<&web_sys::EventTarget>) -> Option<usize> {
    a.workers.iter().position(|w| source.is_some_and(|s| js_sys::Object::is(s, w)))
}

/// Gives worker `i` trials from the queue, keeping two in hand (so it never waits for the page);
/// with `always`, posts even an empty list, which cancels whatever older job it still runs. A
/// worker still starting gets its trials too: they wait in its inbox (the bootstrap in
/// www/index.html keeps them), so it starts computing the moment its wasm is up, without a
/// round trip through the page.
fn assign(a: &mut App, i: usize, always: bool) {
    let want = 2usize.saturating_sub(a.outstanding.get(i).copied().unwrap_or(2));
    let ready = a.ready.get(i).copied().unwrap_or(false);
    let trials: Vec<usize> = (0..want).map_while(|_| a.queue.pop_front().or_else(|| if ready { take_early(a) } else { None })).collect();
    if trials.is_empty() && !always {
        return;
    }
    let Some(w) = a.workers.get(i) else { return };
    let obj = js_sys::Object::new();
    let list = js_sys::Array::new();
    for t in &trials {
        list.push(&JsValue::from_f64(*t as f64));
    }
    let _ = js_sys::Reflect::set(&obj, &"job".into(), &JsValue::from_f64(a.job));
    let _ = js_sys::Reflect::set(&obj, &"scene".into(), &JsValue::from_str(&a.job_query));
    let _ = js_sys::Reflect::set(&obj, &"trials".into(), &list);
    let _ = w.post_message(&obj);
    a.outstanding[i] += trials.len();
    if let (false, Some(e)) = (ready, a.early.get_mut(i)) {
        e.extend(&trials);
    }
}

/// Takes over a trial given to a worker that is still starting (the last it would run).
fn take_early(a: &mut App) -> Option<usize> {
    a.early.iter_mut().find_map(Vec::pop)
}

/// A trial's output waiting to be folded in: from a worker (its index, its flat form
/// ([`TrialOutput::to_flat`]), the worker), or computed on the page.
enum Pending {
    Sent(usize, js_sys::Float64Array, Option<Worker>),
    Own(TrialOutput),
}

impl Pending {
    fn trial(&self) -> usize {
        match self {
            Pending::Sent(t, ..) => *t,
            Pending::Own(o) => o.trial,
        }
    }
}

/// Folds one trial's output in trial order; returns (trials folded, total, ms since the job began),
/// or nothing for a trial already in.
fn fold(a: &mut App, out: Pending) -> Option<(usize, usize, f64)> {
    // A second copy of a trial (computed by the page and by a worker that started late).
    let trial = out.trial();
    if trial < a.next_trial || a.buffer.iter().any(|o| o.trial() == trial) {
        return None;
    }
    a.buffer.push(out);
    while let Some(i) = a.buffer.iter().position(|o| o.trial() == a.next_trial) {
        let o = a.buffer.swap_remove(i);
        if let Some(acc) = a.acc.as_mut() {
            match o {
                Pending::Sent(_, arr, sender) => {
                    a.scratch.resize(arr.length() as usize, 0.0);
                    arr.copy_to(&mut a.scratch);
                    // A malformed array (never sent by this page's workers) counts as folded, so
                    // that the trials after it still come in.
                    acc.add_flat(&a.scratch);
                    // The array goes back to its worker, which writes its next trial into it:
                    // in the reference scene, filling a new array (memory the system hands over
                    // page by page) took a worker 1.6 ms of its 12 ms trial, filling one it had
                    // before 0.2 ms (profiles of 10 sweeps, tests/browser/profile-workers.mjs).
                    if let Some(w) = sender {
                        let back = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&back, &"back".into(), &arr);
                        let _ = w.post_message_with_transfer(&back, &js_sys::Array::of1(&arr.buffer()));
                    }
                }
                Pending::Own(o) => acc.add(&o),
            }
        }
        a.next_trial += 1;
        a.dirty = true;
    }
    Some((a.next_trial, a.total, dom::now() - a.sent_at))
}

/// Progress, the time when done, and a redraw after a trial was folded in.
fn finish_trial(state: Option<(usize, usize, f64)>) {
    let Some((done_trials, total, ms)) = state else { return };
    let done = done_trials >= total;
    if done {
        progress(done_trials as f64, total as f64, Some(ms));
        body_data("sweep-ms", &format!("{ms:.1}"));
    } else {
        progress_soon();
    }
    // Partial curves only for sweeps that take a while (past 250 ms), at most every 100 ms:
    // drawing them costs the page time it would otherwise spend computing or answering the
    // pointer, and a fast sweep is better drawn once.
    let now = dom::now();
    let draw = done
        || with(|a| {
            let due = now - a.sent_at > 250.0 && now - a.partial_at >= 100.0;
            if due {
                a.partial_at = now;
            }
            due
        })
        .unwrap_or(true);
    if draw {
        queue_redraw(done);
    }
}

/// Shows the trials folded so far, at most every 100 ms: each change of the display costs the
/// browser a frame (style, layout, paint and compositing, on the page's thread and the
/// browser's), and while a sweep runs that time is taken from the workers. With a change after
/// every trial (and the bar's width animated), recomputing the reference relu sweep took 7 %
/// longer (alternating runs on 2 cores: 238 ms against 221 ms).
fn progress_soon() {
    let now = dom::now();
    // Nothing if a change is already scheduled: it shows the count as it is then.
    let plan = with(|a| {
        (!a.progress_due).then(|| {
            let wait = a.progress_at + 100.0 - now;
            a.progress_due = wait > 0.0;
            (wait, a.next_trial, a.total)
        })
    })
    .flatten();
    match plan {
        Some((wait, _, _)) if wait > 0.0 => dom::after(wait, progress_later),
        Some((_, done, total)) => progress(done as f64, total as f64, None),
        None => {}
    }
}

/// The scheduled change of [`progress_soon`], unless the sweep is done by then (its time is
/// already shown).
fn progress_later() {
    let state = with(|a| {
        a.progress_due = false;
        (a.next_trial < a.total).then_some((a.next_trial, a.total))
    })
    .flatten();
    if let Some((done, total)) = state {
        progress(done as f64, total as f64, None);
    }
}

/// Shows the sweep's progress, or its time when done.
fn progress(trials: f64, total: f64, done_ms: Option<f64>) {
    with(|a| a.progress_at = dom::now());
    let frac = if total > 0.0 { (trials / total).clamp(0.0, 1.0) } else { 0.0 };
    if let Some(bar) = dom::by_id::<HtmlElement>("progress-bar") {
        // A transform, not the width: the compositor scales the bar without a layout or paint.
        let _ = bar.style().set_property("transform", &format!("scaleX({frac:.3})"));
    }
    if let Some(p) = dom::by_id::<Element>("progress") {
        let _ = p.set_attribute("aria-valuenow", &format!("{:.0}", frac * 100.0));
    }
    let text = match done_ms {
        Some(ms) => format!("{trials:.0} trials computed in {ms:.0} ms"),
        None if total > 0.0 => format!("computing… {trials:.0} of {total:.0} trials"),
        None => String::new(),
    };
    dom::set_text("progress-text", &text);
    body_data("state", if done_ms.is_some() { "done" } else { "computing" });
}

/// The scene's own points, or `None` with generated data.
pub(super) fn own_points() -> Option<Vec<(f64, f64)>> {
    with(|a| a.scene.problem.data.as_ref().map(|d| d.x.iter().copied().zip(d.y.iter().copied()).collect())).flatten()
}

/// Whether the points may be edited on the page (your own data, its control shown).
pub(super) fn editable() -> bool {
    with(|a| a.scene.problem.data.is_some() && a.scene.shows_control("points")).unwrap_or(false)
}

/// The training points the fit panel shows now with generated data (trial 0's draw), rounded
/// to four decimals: where "edit these points" starts from.
pub(super) fn generated_points() -> Vec<(f64, f64)> {
    let round = |v: f64| (v * 1e4).round() / 1e4;
    with(|a| {
        let t = a.scene.problem.train_set(0, a.scene.problem.n, 1);
        t.x.iter().zip(&t.y).map(|(x, y)| (round(*x), round(*y))).collect()
    })
    .unwrap_or_default()
}

/// Replaces the data: `Some(points)` for your own, `None` for generated data. With `commit`
/// the URL, controls and sweep follow; without (mid-drag) only the fit panel is redrawn.
/// A change the scene cannot take (too few points for the folds…) changes nothing and returns
/// the message.
pub(super) fn set_points(points: Option<Vec<(f64, f64)>>, commit: bool) -> Result<(), String> {
    let scene = with(|a| {
        let before = a.scene.clone();
        a.scene.problem.data = points.map(|p| crate::engine::data::Dataset { x: p.iter().map(|q| q.0).collect(), y: p.iter().map(|q| q.1).collect() });
        if a.scene.problem.data.is_some() && a.scene.problem.family == crate::engine::features::Family::Gaussian {
            a.scene.problem.family = crate::engine::features::Family::Legendre;
        }
        if let Some(e) = a.scene.check(Platform::Web).into_iter().next() {
            a.scene = before;
            return Err(e.message);
        }
        if commit {
            if a.scene.axis == Axis::Samples || before.problem.data.is_some() != a.scene.problem.data.is_some() {
                a.selected = a.scene.initial_selection();
            }
            update_url(&a.scene);
            captions(&a.scene);
        }
        Ok(a.scene.clone())
    })
    .unwrap_or_else(|| Err("the page is still starting".into()))?;
    queue_fit();
    if commit {
        controls::sync(&scene);
        super::data::sync_text(&scene, false);
        request_sweep();
    }
    Ok(())
}

/// Starts computing the scene: the trials go to the workers as they are ready for them, and the
/// page computes trials itself, one per task, when there are no workers, or when none is ready
/// [`WORKER_GRACE_MS`] after the page started (they are still loading, or never start) — the
/// same trials, folded in the same order, whoever runs them.
fn request_sweep() {
    let (step, total, wait) = with(|a| {
        a.job += 1.0;
        a.sent_at = dom::now();
        a.buffer.clear();
        a.next_trial = 0;
        a.done_pending = false;
        a.early.iter_mut().for_each(Vec::clear);
        a.job_query = a.scene.to_query();
        match super::worker::build(&a.scene) {
            Ok(sweep) => {
                a.total = sweep.trials();
                a.acc = Some(sweep.accumulator());
                a.queue = (0..a.total).collect();
                a.sweep = Some(std::rc::Rc::from(sweep));
            }
            Err(msg) => {
                notice(&[msg]);
                a.acc = None;
                a.sweep = None;
                a.total = 0;
                a.queue.clear();
            }
        }
        for i in 0..a.workers.len() {
            a.outstanding[i] = 0;
            assign(a, i, true);
        }
        let work = !a.queue.is_empty() || a.early.iter().any(|e| !e.is_empty());
        let wait = if a.workers.is_empty() { 0.0 } else { a.grace_until - a.sent_at };
        (work && !a.ready.iter().any(|r| *r) && !std::mem::replace(&mut a.stepping, true), a.total, wait)
    })
    .unwrap_or((false, 0, 0.0));
    progress(0.0, total as f64, None);
    if step {
        if wait > 0.0 {
            // Workers still starting: the page joins in only if none is up a while after the
            // page started (workers that never start hold up only the first sweep). Two workers
            // already use two cores, and a third thread only slows them down: the reference
            // scene's first sweep took a median 221 ms with the page computing from the start,
            // 209 ms without (20 alternating reloads, tests/browser/first-sweep.mjs).
            dom::after(wait, page_step);
        } else {
            later(page_step);
        }
    }
}

/// How long after the page starts it leaves sweeps to workers that are still starting before it
/// computes trials itself.
const WORKER_GRACE_MS: f64 = 250.0;

/// Runs `f` as a new task, after what the page has queued (a message, which unlike a timeout is
/// not clamped).
fn later(f: fn()) {
    if let Ok(ch) = web_sys::MessageChannel::new() {
        let next = Closure::once_into_js(f);
        ch.port1().set_onmessage(Some(next.unchecked_ref()));
        let _ = ch.port2().post_message(&JsValue::NULL);
    } else {
        with(|a| a.stepping = false);
    }
}

/// Computes one trial on the page, if no worker is ready to, and schedules the next: from the
/// queue, then (last first) those waiting for a worker that is still starting.
fn page_step() {
    let job = with(|a| {
        if a.ready.iter().any(|r| *r) {
            a.stepping = false;
            return None;
        }
        let (Some(t), Some(sweep)) = (a.queue.pop_front().or_else(|| take_early(a)), a.sweep.clone()) else {
            a.stepping = false;
            return None;
        };
        Some((a.job, t, sweep))
    })
    .flatten();
    let Some((id, t, sweep)) = job else { return };
    let out = sweep.run_trial(t);
    let state = with(|a| (a.job == id).then(|| fold(a, Pending::Own(out))).flatten()).flatten();
    finish_trial(state);
    // Yield to the page between trials.
    later(page_step);
}

/// Redraws the curves at the next frame; with `done`, marks the sweep drawn after that redraw
/// (whichever frame is already queued draws the curves as they are by then).
fn queue_redraw(done: bool) {
    let queue = with(|a| {
        a.done_pending |= done;
        !std::mem::replace(&mut a.redraw_queued, true)
    })
    .unwrap_or(false);
    if queue {
        dom::next_frame(redraw_frame as fn());
    }
}

/// The frame [`queue_redraw`] asks for.
fn redraw_frame() {
    with(|a| a.redraw_queued = false);
    draw_curves();
    let (done, first) = with(|a| {
        let done = std::mem::take(&mut a.done_pending);
        (done, done && !std::mem::replace(&mut a.first_drawn, true))
    })
    .unwrap_or((false, false));
    if first {
        body_data("drawn-at", &format!("{:.1}", dom::now()));
    }
    if done {
        body_data("drawn", "1");
    }
}

fn queue_fit() {
    let queue = with(|a| !std::mem::replace(&mut a.fit_queued, true)).unwrap_or(false);
    if queue {
        dom::next_frame(fit_frame as fn());
    }
}

/// The frame [`queue_fit`] asks for.
fn fit_frame() {
    with(|a| a.fit_queued = false);
    draw_fit();
}

fn dpr() -> f64 {
    dom::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).clamp(1.0, 3.0)
}

/// How charts are drawn: the device pixel ratio, times 1.4 in the projector theme (larger type
/// and thicker lines, readable from the back of a lecture hall).
fn look(scene: &Scene) -> Look {
    let projector = crate::scene::THEMES.get(scene.theme) == Some(&"projector");
    Look { scale: dpr() * if projector { 1.4 } else { 1.0 } }
}

/// Sizes a canvas's pixel buffer to its CSS box times the device pixel ratio.
fn canvas(id: &str) -> Option<HtmlCanvasElement> {
    let c = dom::by_id::<HtmlCanvasElement>(id)?;
    let r = dpr();
    let w = ((c.client_width().max(200) as f64) * r).round() as u32;
    let h = ((c.client_height().max(150) as f64) * r).round() as u32;
    if c.width() != w || c.height() != h {
        c.set_width(w);
        c.set_height(h);
    }
    Some(c)
}

fn draw_curves() {
    with(|a| {
        if a.dirty {
            a.result = a.acc.as_ref().map(|acc| acc.result());
            a.dirty = false;
        }
        let Some(result) = a.result.as_ref() else { return };
        let look = look(&a.scene);
        let none = 0;
        if let Some(c) = canvas("u-canvas") {
            if let Some(area) = super::backend::canvas_area(c) {
                match u_panel(&area, result, &a.scene, none, look) {
                    Ok(g) => a.geom_u = Some(g),
                    Err(e) => notice(&[e.to_string()]),
                }
            }
        }
        if let Some(c) = canvas("dd-canvas") {
            if let Some(area) = super::backend::canvas_area(c) {
                match dd_panel(&area, result, &a.scene, none, look) {
                    Ok(g) => a.geom_dd = Some(g),
                    Err(e) => notice(&[e.to_string()]),
                }
            }
        }
        cursors(a);
        readout(a);
        chart_text(a);
    });
    tables();
}

fn draw_fit() {
    let t0 = dom::now();
    with(|a| {
        let (problem, size) = a.scene.fit_problem(a.selected);
        let size = if a.scene.axis == Axis::Size { size.clamp(1, a.scene.max_size.max(1)) } else { size };
        let others = if a.show_others { 3 } else { 0 };
        let look = look(&a.scene);
        // Kept fits: while the scene stays, a change of size pushes only a few features.
        let max = if a.scene.axis == Axis::Size { a.scene.max_size } else { size };
        let fitted = fit_view_kept(&problem, size, max, 0, 240, others, &mut a.fits);
        match fitted {
            Ok(view) => {
                if let Some(c) = canvas("fit-canvas") {
                    if let Some(area) = super::backend::canvas_area(c) {
                        match fit_panel(&area, &view, a.show_new, look) {
                            Ok(g) => super::data::set_geom(g, dpr()),
                            Err(e) => notice(&[e.to_string()]),
                        }
                    }
                }
                let gaussian = !view.beta_star.is_empty();
                let alt = if gaussian {
                    format!("Fitted coefficients of the model of size {} against the true coefficients.", view.size)
                } else {
                    format!(
                        "Fit of the model of size {} to {} {}training points: training error {}, fitted curve {} the panel.",
                        view.size,
                        view.train_x.len(),
                        if view.own { "of your " } else { "" },
                        short(view.train_mse),
                        if view.fitted.iter().all(|v| v.abs() < 1e3) { "stays inside" } else { "leaves" }
                    )
                };
                if let Some(c) = dom::by_id::<Element>("fit-canvas") {
                    let _ = c.set_attribute("aria-label", &alt);
                }
            }
            Err(e) => notice(&[e.to_string()]),
        }
        readout(a);
        cursors(a);
    });
    body_data("fit-ms", &format!("{:.2}", dom::now() - t0));
    if shown("fit-table") {
        tables();
    }
}

/// Places the selection cursors over the two curve panels.
fn cursors(a: &App) {
    let r = dpr();
    for (id, geom) in [("u-cursor", a.geom_u), ("dd-cursor", a.geom_dd)] {
        let Some(el) = dom::by_id::<HtmlElement>(id) else { continue };
        let Some(g) = geom else {
            el.set_hidden(true);
            continue;
        };
        let x = if a.scene.ratio && a.scene.axis == Axis::Size { a.selected as f64 / a.scene.problem.train_n() as f64 } else { a.selected as f64 };
        let px = g.px_of(x);
        let inside = px >= g.left as f64 - 0.5 && px <= g.right as f64 + 0.5;
        el.set_hidden(!inside);
        let st = el.style();
        let _ = st.set_property("left", &format!("{:.1}px", px / r));
        let _ = st.set_property("top", &format!("{:.1}px", g.top as f64 / r));
        let _ = st.set_property("height", &format!("{:.1}px", (g.bottom - g.top) as f64 / r));
    }
}

fn row_at(result: &SweepResult, x: usize) -> Option<&SweepRow> {
    let i = result.rows.partition_point(|r| r.x < x);
    match (result.rows.get(i), i.checked_sub(1).and_then(|j| result.rows.get(j))) {
        (Some(r), Some(l)) => Some(if r.x - x <= x - l.x { r } else { l }),
        (Some(r), None) => Some(r),
        (None, l) => l,
    }
}

fn readout(a: &App) {
    let sym = if a.scene.axis == Axis::Size { "p" } else { "n" };
    let n = a.scene.problem.train_n() as f64;
    dom::set_text("ro-x-name", sym);
    dom::set_text("ro-test-name", if a.scene.problem.data.is_some() { "held-out error" } else { "test error" });
    dom::set_text("ro-x", &a.selected.to_string());
    let ratio = match a.scene.axis {
        Axis::Size => a.selected as f64 / n,
        Axis::Samples => a.scene.size as f64 / a.selected.max(1) as f64,
    };
    dom::set_text("ro-ratio", &short(ratio));
    let Some(row) = a.result.as_ref().and_then(|r| row_at(r, a.selected)) else {
        for id in ["ro-train", "ro-test", "ro-bias2", "ro-variance", "ro-norm"] {
            dom::set_text(id, "…");
        }
        return;
    };
    let (train, test, norm) = match a.scene.agg {
        Agg::Median => (row.train_mse_median, row.test_mse_median, row.norm_median),
        Agg::Mean => (row.train_mse_mean, row.test_mse_mean, row.norm_mean),
    };
    for (id, v) in [("ro-train", train), ("ro-test", test), ("ro-bias2", row.bias2), ("ro-variance", row.variance), ("ro-norm", norm)] {
        dom::set_text(id, &short(v));
        // The full-precision value, for copying and for checks against the CLI.
        if let Some(el) = dom::by_id::<Element>(id) {
            let _ = el.set_attribute("data-value", &format!("{v}"));
        }
    }
    dom::set_text("ro-agg", if a.scene.agg == Agg::Median { "median" } else { "mean" });
}

/// Text alternatives of the curve panels, from the numbers drawn.
fn chart_text(a: &App) {
    let Some(r) = a.result.as_ref() else { return };
    let agg = a.scene.agg;
    let val = |row: &SweepRow| if agg == Agg::Median { row.test_mse_median } else { row.test_mse_mean };
    let umin = crate::plot::u_minimum(r, &a.scene);
    let peak = r.rows.iter().map(|row| (row.x, val(row))).filter(|(_, v)| !v.is_nan()).max_by(|x, y| x.1.total_cmp(&y.1));
    let last = r.rows.last().map(|row| (row.x, val(row)));
    let mut text = String::new();
    if let Some((p, v)) = umin {
        text.push_str(&format!("Lowest test error before the threshold: {} at size {p}. ", short(v)));
    }
    if let Some((p, v)) = peak {
        text.push_str(&format!("Highest: {} at {p}. ", short(v)));
    }
    if let Some((p, v)) = last {
        text.push_str(&format!("At the largest size {p}: {}.", short(v)));
    }
    for id in ["u-canvas", "dd-canvas"] {
        if let Some(c) = dom::by_id::<Element>(id) {
            let _ = c.set_attribute("aria-label", &text);
        }
    }
}

/// Embed mode and the panels= / controls= choices.
fn layout(scene: &Scene) {
    if let Some(body) = dom::document().and_then(|d| d.body()) {
        let _ = body.class_list().toggle_with_force("embed", scene.embed);
        let _ = body.set_attribute("data-theme", crate::scene::THEMES.get(scene.theme).copied().unwrap_or("auto"));
    }
    for (name, id) in [("fit", "panel-fit"), ("u", "panel-u"), ("dd", "panel-dd")] {
        dom::set_hidden(id, !scene.shows_panel(name));
    }
    let any_model = crate::scene::CONTROL_KEYS.iter().any(|k| !controls::VIEW_KEYS.contains(k) && scene.shows_control(k));
    let any_view = controls::VIEW_KEYS.iter().any(|k| scene.shows_control(k));
    dom::set_hidden("model-heading", !any_model);
    dom::set_hidden("view-heading", !any_view);
    dom::set_hidden("controls-area", !any_model && !any_view);
}

fn captions(scene: &Scene) {
    layout(scene);
    let own = scene.problem.data.is_some();
    super::data::describe(scene);
    tour_bar(scene);
    dom::set_hidden("optridge", scene.problem.family != crate::engine::features::Family::Gaussian);
    let agg = if scene.agg == Agg::Median {
        "the median over trials (the band holds the middle half of them)"
    } else {
        "the mean over trials, which rare blown-up trials dominate near the threshold"
    };
    let err = if own { "held-out error" } else { "test error" };
    let dd = match scene.axis {
        Axis::Size => {
            let family = match scene.problem.family {
                crate::engine::features::Family::Gaussian => " The dashed black curve is the exact expected risk (a mean). Test error here is the excess risk, without the label noise σ², which train error includes: so train error can lie above it.".to_string(),
                crate::engine::features::Family::Relu if scene.problem.ridge == 0.0 => format!(
                    " With ReLU features, kinks in the same gap between two training points add nothing new: the model fits every training point only where train error reaches zero, well past p = n, and {err} peaks to the right of the dashed line."
                ),
                _ => String::new(),
            };
            format!(
                "The same sweep carried past the interpolation threshold p = n = {} (dashed line): {err} peaks where the model can just fit every training point, then falls again — double descent. Shaded: the region of the textbook U. Curves show {agg}.{family}",
                scene.problem.train_n(),
            )
        }
        Axis::Samples => format!(
            "Sample-wise double descent: test error against the number of training points n at a fixed model size p = {}. More data can hurt: the peak sits at n = p. Curves show {agg}.",
            scene.size
        ),
    };
    dom::set_text("dd-caption", &dd);
    let fourier = scene.problem.family == crate::engine::features::Family::Fourier;
    let u = match (scene.axis, own) {
        (Axis::Size, false) if fourier => "Below the threshold: train error falls as the model grows. Random Fourier features of high frequency fit little with few features, so test error may only rise here: the classical U wants smoother features (a lower bandwidth, which makes the interpolant explode past the threshold, or legendre). bias² and variance add up to the mean test error.",
        (Axis::Size, false) => "The textbook picture below the threshold: train error falls as the model grows; test error first falls (less bias²) and then rises (more variance) — the classical U. bias² and variance are computed across trials and add up to the mean test error.",
        (Axis::Samples, false) => "Bias² and variance against the number of training points at the fixed model size; they add up to the mean test error.",
        (_, true) => "Below the threshold: train error falls as the model grows while the error on held-out points first falls and then rises — the classical U. Bias² and variance need the noiseless target, which your own data does not have, so they are not shown.",
    };
    dom::set_text("u-caption", u);
    let fit = if own {
        "Blue dots: your training points. Orange triangles: the held-out points the model never saw; the error on them is the test error. Red: the fitted model of the selected size. Click the panel to add a point, drag one to move it, double-click (double-tap) or shift-click to delete it."
    } else {
        "Blue dots: the training points. Dashed: the noiseless target they come from. Red: the fitted model of the selected size. Orange triangles: fresh points the model never saw — a good model passes near them too. Hover or drag along either error plot to choose the size."
    };
    dom::set_text("fit-caption", fit);
}

fn update_url(scene: &Scene) {
    let q = scene.to_query();
    if let Some(w) = dom::window() {
        let path = w.location().pathname().unwrap_or_default();
        let url = if q.is_empty() { path } else { format!("{path}?{q}") };
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// Keeps a scene consistent after one control moved (the size stays within the sweep, the
/// Gaussian family's sizes within its dimension).
fn fix_up(scene: &mut Scene) {
    if scene.problem.family == crate::engine::features::Family::Gaussian && scene.max_size > scene.problem.dim {
        scene.max_size = scene.problem.dim;
    }
    if scene.axis == Axis::Size {
        scene.size = scene.size.clamp(1, scene.max_size.max(1));
    } else if scene.problem.family == crate::engine::features::Family::Gaussian {
        scene.size = scene.size.min(scene.problem.dim);
    }
}

/// A control moved: update the scene, the URL and everything that depends on it.
fn on_control(target: web_sys::EventTarget) {
    let outcome = with(|a| {
        let (key, text) = controls::read(&target, &a.scene)?;
        let before = a.scene.clone();
        if let Err(e) = a.scene.set(key, &text, Platform::Web) {
            return Some(Err(e.message));
        }
        fix_up(&mut a.scene);
        if key == "axis" {
            a.scene.keep_threshold_inside();
        }
        if let Some(e) = a.scene.check(Platform::Web).into_iter().next() {
            a.scene = before;
            return Some(Err(e.message));
        }
        let view_only = matches!(key, "agg" | "log-y" | "log-x" | "ratio" | "theme");
        // The theme changes the type of every chart, the fit panel's too.
        let restyle = key == "theme";
        let size_only = key == "size" && a.scene.axis == Axis::Size;
        if matches!(key, "size" | "axis" | "n" | "max-size" | "folds" | "holdout") {
            a.selected = a.scene.initial_selection();
        }
        update_url(&a.scene);
        captions(&a.scene);
        Some(Ok((view_only, size_only, restyle)))
    })
    .flatten();
    let scene = with(|a| a.scene.clone());
    if let Some(s) = scene.as_ref() {
        controls::sync(s);
    }
    match outcome {
        Some(Ok((true, _, restyle))) => {
            if restyle {
                queue_fit();
            }
            queue_redraw(false);
        }
        Some(Ok((_, true, _))) => {
            queue_fit();
            with(|a| {
                cursors(a);
                readout(a);
            });
        }
        Some(Ok(_)) => {
            queue_fit();
            request_sweep();
        }
        Some(Err(msg)) => notice(&[msg]),
        None => {}
    }
}

/// Selects the sweep's x under a pointer on one of the curve panels.
fn select_at(canvas_id: &str, offset_x: f64) {
    let changed = with(|a| {
        let geom = if canvas_id == "u-canvas" { a.geom_u } else { a.geom_dd };
        let g = geom?;
        let mut x = g.x_at(offset_x * dpr());
        if a.scene.ratio && a.scene.axis == Axis::Size {
            x *= a.scene.problem.train_n() as f64;
        }
        let target = x.round().max(1.0) as usize;
        let row = a.result.as_ref().and_then(|r| row_at(r, target)).map(|r| r.x)?;
        Some(select(a, row))
    })
    .flatten()
    .unwrap_or(false);
    if changed {
        queue_fit();
    }
}

/// Sets the selection; returns whether it changed.
fn select(a: &mut App, x: usize) -> bool {
    if a.selected == x {
        return false;
    }
    a.selected = x;
    if a.scene.axis == Axis::Size {
        a.scene.size = x;
        update_url(&a.scene);
        if let Some(i) = dom::by_id::<web_sys::HtmlInputElement>(&controls::control_id("size")) {
            i.set_value(&x.to_string());
            let _ = i.set_attribute("aria-valuetext", &format!("{x} features"));
        }
        dom::set_text("val-size", &x.to_string());
    }
    cursors(a);
    readout(a);
    true
}

/// Moves the selection by `steps` rows of the sweep.
fn step_selection(steps: i64) {
    let changed = with(|a| {
        let r = a.result.as_ref()?;
        let i = r.rows.partition_point(|row| row.x < a.selected) as i64;
        let j = (i + steps).clamp(0, r.rows.len() as i64 - 1) as usize;
        let x = r.rows.get(j)?.x;
        Some(select(a, x))
    })
    .flatten()
    .unwrap_or(false);
    if changed {
        queue_fit();
    }
}

fn play_tick() {
    let go_on = with(|a| {
        if !a.playing {
            return false;
        }
        let Some(r) = a.result.as_ref() else { return false };
        let i = r.rows.partition_point(|row| row.x < a.selected);
        let stride = if dom::reduced_motion() { (r.rows.len() / 12).max(1) } else { (r.rows.len() / 360).max(1) };
        let j = i + stride;
        match r.rows.get(j).map(|row| row.x) {
            Some(x) => {
                select(a, x);
                true
            }
            None => {
                a.playing = false;
                false
            }
        }
    })
    .unwrap_or(false);
    draw_fit();
    if go_on {
        if dom::reduced_motion() {
            dom::after(500.0, play_tick);
        } else {
            dom::next_frame(play_tick as fn());
        }
    } else {
        dom::set_text("play", "▶ Play");
    }
}

fn wire() {
    let Some(doc) = dom::document() else { return };
    for id in ["controls", "view-controls"] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "input", |e| {
                if let Some(t) = e.target() {
                    on_control(t);
                }
            });
            dom::on(&el, "change", |e| {
                if let Some(t) = e.target() {
                    on_control(t);
                }
            });
        }
    }
    if let Some(el) = doc.get_element_by_id("notice-close") {
        dom::on(&el, "click", |_| dom::set_hidden("notice", true));
    }
    if let Some(el) = doc.get_element_by_id("preset") {
        dom::on(&el, "change", |e| {
            let Some(sel) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) else { return };
            let Some((_, q)) = sel.value().parse::<usize>().ok().and_then(|i| PRESETS.get(i)) else { return };
            apply_query(q);
        });
    }
    if let Ok(buttons) = doc.query_selector_all("button.as-table") {
        for i in 0..buttons.length() {
            let Some(b) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            dom::on(&b, "click", move |e| {
                let Some(btn) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
                let panel = btn.get_attribute("data-panel").unwrap_or_default();
                let open = btn.get_attribute("aria-expanded").as_deref() != Some("true");
                let _ = btn.set_attribute("aria-expanded", if open { "true" } else { "false" });
                btn.set_text_content(Some(if open { "hide table" } else { "show as table" }));
                dom::set_hidden(&format!("{panel}-table"), !open);
                tables();
            });
        }
    }
    for (id, kind) in [("export-svg", 0), ("export-png", 1), ("export-csv", 2), ("export-link", 3)] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "click", move |_| export(kind));
        }
    }
    if let Some(el) = doc.get_element_by_id("optridge") {
        dom::on(&el, "click", |_| {
            let changed = with(|a| {
                let pr = &a.scene.problem;
                let p = a.scene.size.max(1);
                let (seen, unseen) = pr.signal_split(p);
                let lambda = crate::engine::theory::optimal_ridge(p as f64 / pr.n as f64, seen, unseen, pr.noise * pr.noise);
                // Three significant digits, within the table's range.
                let text = crate::engine::num::format_sci(lambda, 2);
                match a.scene.set("ridge", &text, Platform::Web) {
                    Ok(()) => {
                        update_url(&a.scene);
                        controls::sync(&a.scene);
                        Ok(())
                    }
                    Err(e) => Err(e.message),
                }
            });
            match changed {
                Some(Ok(())) => {
                    queue_fit();
                    request_sweep();
                }
                Some(Err(msg)) => notice(&[msg]),
                None => {}
            }
        });
    }
    if let Some(el) = doc.get_element_by_id("newdraw") {
        dom::on(&el, "click", |_| {
            let seed = (js_sys::Math::random() * 4_294_967_295.0).floor() as u64;
            with(|a| {
                a.scene.problem.seed = seed;
                update_url(&a.scene);
                controls::sync(&a.scene);
            });
            queue_fit();
            request_sweep();
        });
    }
    if let Some(el) = doc.get_element_by_id("play") {
        dom::on(&el, "click", |_| {
            let start = with(|a| {
                a.playing = !a.playing;
                if a.playing {
                    if let Some(first) = a.result.as_ref().and_then(|r| r.rows.first()).map(|r| r.x) {
                        if a.result.as_ref().and_then(|r| r.rows.last()).map(|r| r.x) == Some(a.selected) {
                            select(a, first);
                        }
                    }
                }
                a.playing
            })
            .unwrap_or(false);
            dom::set_text("play", if start { "❚❚ Pause" } else { "▶ Play" });
            if start {
                play_tick();
            }
        });
    }
    for (id, which) in [("show-new", 0), ("show-others", 1)] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "change", move |e| {
                let on = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false);
                with(|a| if which == 0 { a.show_new = on } else { a.show_others = on });
                queue_fit();
            });
        }
    }
    for id in ["u-canvas", "dd-canvas"] {
        let Some(el) = doc.get_element_by_id(id) else { continue };
        let owned = id.to_string();
        dom::on(&el, "pointermove", move |e| {
            let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
            let touch = js_sys::Reflect::get(&e, &"pointerType".into()).ok().and_then(|v| v.as_string()).is_some_and(|t| t != "mouse");
            if touch && m.buttons() == 0 {
                return;
            }
            select_at(&owned, m.offset_x() as f64);
        });
        let owned = id.to_string();
        dom::on(&el, "pointerdown", move |e| {
            if let Some(m) = e.dyn_ref::<MouseEvent>() {
                select_at(&owned, m.offset_x() as f64);
            }
        });
        dom::on(&el, "keydown", |e| {
            let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            let steps = match k.key().as_str() {
                "ArrowRight" | "ArrowUp" => 1,
                "ArrowLeft" | "ArrowDown" => -1,
                "PageUp" => 10,
                "PageDown" => -10,
                "Home" => -1_000_000,
                "End" => 1_000_000,
                _ => return,
            };
            e.prevent_default();
            step_selection(steps);
        });
    }
    dom::on(&doc, "keydown", |e| tour_key(&e));
    if let Some(w) = dom::window() {
        dom::on(&w, "message", |e| on_host_message(&e));
    }
    for (id, delta) in [("tour-prev", -1i64), ("tour-next", 1)] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "click", move |_| {
                if let Some(step) = with(|a| a.scene.step) {
                    go_to_step((step as i64 + delta).clamp(1, TOUR.len() as i64) as usize);
                }
            });
        }
    }
    if let Some(w) = dom::window() {
        dom::on(&w, "resize", |_| {
            queue_redraw(false);
            queue_fit();
        });
        dom::on(&w, "popstate", |_| {
            let q = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            apply_query(&q);
        });
    }
}

/// Replaces the whole scene by a scene string (presets, history).
fn apply_query(q: &str) {
    let (scene, errors) = Scene::from_query_lenient(q, Platform::Web);
    notice(&errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>());
    with(|a| {
        a.anim_target = None;
        a.selected = scene.initial_selection();
        a.scene = scene;
        update_url(&a.scene);
        captions(&a.scene);
        controls::sync(&a.scene);
    });
    queue_fit();
    request_sweep();
}

/// Offers `bytes` (a Blob's parts) as a download named `name`.
fn download(parts: &js_sys::Array, mime: &str, name: &str) {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_blob_sequence_and_options(parts, &bag) else { return };
    download_blob(&blob, name);
}

fn download_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Some(a) = dom::create("a", &[("href", &url), ("download", name)]).and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    dom::set_text("export-status", &format!("saved {name}"));
}

/// The figure's file name: ddviz plus the scene string, made file-safe.
fn file_stem(scene: &Scene) -> String {
    let q = scene.to_query();
    let safe: String = q.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).take(120).collect();
    if safe.is_empty() {
        "ddviz".into()
    } else {
        format!("ddviz_{safe}")
    }
}

/// Exports what the page shows: 0 SVG, 1 PNG at twice the pixels, 2 CSV, 3 the link.
fn export(kind: u8) {
    let Some((scene, result)) = with(|a| {
        if a.dirty {
            a.result = a.acc.as_ref().map(|acc| acc.result());
            a.dirty = false;
        }
        (a.scene.clone(), a.result.clone())
    }) else {
        return;
    };
    if kind == 3 {
        let url = dom::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        if let Some(w) = dom::window() {
            let _ = w.navigator().clipboard().write_text(&url);
        }
        dom::set_text("export-status", &format!("link copied: {url}"));
        return;
    }
    let Some(result) = result else {
        dom::set_text("export-status", "the sweep is still computing");
        return;
    };
    let stem = file_stem(&scene);
    if kind == 2 {
        let csv = crate::export::sweep_csv(&result, scene.problem.family == crate::engine::features::Family::Gaussian);
        download(&js_sys::Array::of1(&JsValue::from_str(&csv)), "text/csv", &format!("{stem}.csv"));
        return;
    }
    let (problem, size) = scene.fit_problem(with(|a| a.selected).unwrap_or(scene.initial_selection()));
    let fit = match fit_view(&problem, size, 0, 240, 0) {
        Ok(f) => f,
        Err(e) => return notice(&[e.to_string()]),
    };
    let mut shown = scene.clone();
    shown.size = size;
    let (w, h) = (1500u32, 400u32);
    if kind == 0 {
        let svg = super::backend::svg_string(w, h, |root| crate::export::draw_figure(root, &shown, &result, &fit, crate::export::Panels::All, Look::default()));
        match svg {
            Ok(svg) => download(&js_sys::Array::of1(&JsValue::from_str(&svg)), "image/svg+xml", &format!("{stem}.svg")),
            Err(e) => notice(&[e.to_string()]),
        }
        return;
    }
    // PNG: the same drawing on an offscreen canvas at twice the pixels.
    let Some(canvas) = dom::create("canvas", &[]).and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) else { return };
    canvas.set_width(2 * w);
    canvas.set_height(2 * h);
    let Some(area) = super::backend::canvas_area(canvas.clone()) else { return };
    if let Err(e) = crate::export::draw_figure(&area, &shown, &result, &fit, crate::export::Panels::All, Look { scale: 2.0 }) {
        return notice(&[e.to_string()]);
    }
    let name = format!("{stem}.png");
    let cb = Closure::once_into_js(move |blob: JsValue| {
        if let Ok(b) = blob.dyn_into::<web_sys::Blob>() {
            download_blob(&b, &name);
        }
    });
    let _ = canvas.to_blob(cb.unchecked_ref());
}

/// Shows the tour bar with the step's caption when a tour is on.
fn tour_bar(scene: &Scene) {
    dom::set_hidden("tour", scene.tour == 0);
    if scene.tour == 0 {
        return;
    }
    let step = scene.step.clamp(1, TOUR.len());
    dom::set_text("tour-count", &format!("step {step} of {}", TOUR.len()));
    dom::set_text("tour-caption", TOUR[step - 1].1);
}

/// The whole scene string of tour step `step` (from 1).
fn tour_query(step: usize) -> String {
    let step = step.clamp(1, TOUR.len());
    let base = TOUR[step - 1].0;
    format!("{base}{}tour=intro&step={step}", if base.is_empty() { "" } else { "&" })
}

/// Goes to a tour step: a new scene, or — when only the size differs — a smooth move of the size.
fn go_to_step(step: usize) {
    let (next, _) = Scene::from_query_lenient(&tour_query(step), Platform::Web);
    let same = with(|a| {
        let (mut x, mut y) = (a.scene.clone(), next.clone());
        x.size = 0;
        y.size = 0;
        x.step = 0;
        y.step = 0;
        x == y && a.result.is_some()
    })
    .unwrap_or(false);
    if !same {
        apply_query(&tour_query(step));
        return;
    }
    let target = next.size;
    with(|a| {
        a.scene.step = next.step;
        a.anim_target = Some(target);
        update_url(&a.scene);
        tour_bar(&a.scene);
    });
    animate_to(target);
}

/// Moves the selected size to `target` over a few frames (at once with reduced motion).
fn animate_to(target: usize) {
    let done = with(|a| {
        if a.anim_target != Some(target) {
            return true; // Cancelled by a newer change.
        }
        let cur = a.selected as f64;
        let goal = target as f64;
        let next = if dom::reduced_motion() || (goal - cur).abs() < 1.5 {
            target
        } else if a.scene.log_x && cur > 0.0 && goal > 0.0 {
            // Even steps on the log axis the panel draws.
            (cur * (goal / cur).powf(0.2)).round() as usize
        } else {
            (cur + (goal - cur) * 0.2).round() as usize
        };
        let x = a.result.as_ref().and_then(|r| row_at(r, next)).map(|r| r.x).unwrap_or(next);
        select(a, if x == a.selected { target } else { x });
        if a.selected == target {
            a.anim_target = None;
        }
        a.selected == target
    })
    .unwrap_or(true);
    draw_fit();
    if !done {
        dom::next_frame(move || animate_to(target));
    }
}

/// Keys that step a tour (space, arrows, PageUp/PageDown — what clickers send), unless a control
/// has focus: then the key is the control's.
fn tour_key(e: &web_sys::Event) {
    let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
    if k.alt_key() || k.ctrl_key() || k.meta_key() {
        return;
    }
    let tag = e.target().and_then(|t| t.dyn_into::<Element>().ok()).map(|el| el.tag_name().to_ascii_lowercase()).unwrap_or_default();
    if matches!(tag.as_str(), "input" | "select" | "textarea" | "button" | "canvas") {
        return;
    }
    let on = with(|a| (a.scene.tour != 0).then_some(a.scene.step)).flatten();
    let Some(step) = on else {
        hand_key_to_host(k);
        return;
    };
    let next = match k.key().as_str() {
        " " | "ArrowRight" | "PageDown" | "ArrowDown" => step + 1,
        "ArrowLeft" | "PageUp" | "ArrowUp" | "Backspace" => step.saturating_sub(1),
        _ => return,
    };
    e.prevent_default();
    go_to_step(next.clamp(1, TOUR.len()));
}

/// In a frame (a slide, an article), a navigation key that no control of ours wants belongs to
/// the page around us: focus goes back to it, so the next keys reach it directly, and this key
/// is passed on as `{type: "ddviz:key", key}` and in reveal.js's postMessage form
/// (`{"method": "right"}` …), so the deck moves on the very key pressed inside the figure.
fn hand_key_to_host(k: &web_sys::KeyboardEvent) {
    let Some(w) = dom::window() else { return };
    let Some(parent) = w.parent().ok().flatten() else { return };
    if js_sys::Object::is(&parent, &w) {
        return;
    }
    let key = k.key();
    let method = match key.as_str() {
        "ArrowRight" => "right",
        "ArrowLeft" => "left",
        "ArrowUp" => "up",
        "ArrowDown" => "down",
        " " | "PageDown" => "next",
        "PageUp" => "prev",
        _ => return,
    };
    k.prevent_default();
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"ddviz:key".into());
    let _ = js_sys::Reflect::set(&msg, &"key".into(), &JsValue::from_str(&key));
    let _ = parent.post_message(&msg, "*");
    let _ = parent.post_message(&JsValue::from_str(&format!("{{\"method\":\"{method}\",\"args\":[]}}")), "*");
    if let Some(active) = dom::document().and_then(|d| d.active_element()).and_then(|a| a.dyn_into::<HtmlElement>().ok()) {
        let _ = active.blur();
    }
    let _ = parent.focus();
}

/// An HTML table of numbers (every cell a number or a short label, so nothing needs escaping).
fn html_table(caption: &str, head: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut h = format!("<table><caption class=\"sr\">{caption}</caption><thead><tr>");
    for c in head {
        h.push_str(&format!("<th scope=\"col\">{c}</th>"));
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            h.push_str(&format!("<td>{c}</td>"));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

fn shown(id: &str) -> bool {
    dom::by_id::<HtmlElement>(id).is_some_and(|e| !e.hidden())
}

/// Fills the "show as table" views that are open with the numbers the charts draw.
fn tables() {
    with(|a| {
        let sym = if a.scene.axis == Axis::Size { "p" } else { "n" };
        let agg = if a.scene.agg == Agg::Median { "median" } else { "mean" };
        if let Some(r) = a.result.as_ref() {
            let t = crate::plot::threshold(&a.scene);
            let row = |x: &SweepRow| {
                let (train, test) = match a.scene.agg {
                    Agg::Median => (x.train_mse_median, x.test_mse_median),
                    Agg::Mean => (x.train_mse_mean, x.test_mse_mean),
                };
                vec![x.x.to_string(), short(train), short(test), short(x.test_mse_q25), short(x.test_mse_q75), short(x.bias2), short(x.variance)]
            };
            let head = [sym, "train error", "test error", "test q25", "test q75", "bias²", "variance"];
            if shown("u-table") {
                let rows = r.rows.iter().filter(|x| a.scene.axis == Axis::Samples || x.x < t).map(row);
                let html = html_table(&format!("Errors below the threshold ({agg} over trials)"), &head, rows);
                if let Some(el) = dom::by_id::<Element>("u-table") {
                    el.set_inner_html(&html);
                }
            }
            if shown("dd-table") {
                let html = html_table(&format!("Errors at every size ({agg} over trials)"), &head, r.rows.iter().map(row));
                if let Some(el) = dom::by_id::<Element>("dd-table") {
                    el.set_inner_html(&html);
                }
            }
        }
        if shown("fit-table") {
            let (problem, size) = a.scene.fit_problem(a.selected);
            if let Ok(v) = fit_view(&problem, size, 0, 41, 0) {
                let html = if v.beta_star.is_empty() {
                    let rows = v.grid_x.iter().zip(&v.target).zip(&v.fitted).map(|((x, t), f)| vec![short(*x), short(*t), short(*f)]);
                    html_table(&format!("Fitted model of size {size} against the target"), &["x", "target", "fitted"], rows)
                } else {
                    let rows = v.beta_star.iter().zip(&v.coef).enumerate().map(|(j, (b, c))| vec![(j + 1).to_string(), short(*b), short(*c)]);
                    html_table(&format!("Coefficients of the model of size {size}"), &["j", "true β*", "fitted β̂"], rows)
                };
                if let Some(el) = dom::by_id::<Element>("fit-table") {
                    el.set_inner_html(&html);
                }
            }
        }
    });
}

/// The postMessage API for a page that embeds ddviz in an iframe (a slide deck, an article):
/// `{type: "ddviz:scene", scene: "n=40&noise=0.2"}` sets the scene, `{type: "ddviz:step", step: 3}`
/// goes to a tour step (starting the tour if needed), `{type: "ddviz:size", size: 30}` selects a
/// size. Only messages from the embedding page (the parent window) are taken. Each answer is
/// `{type: "ddviz:state", scene, size}` posted back to it.
fn on_host_message(e: &web_sys::Event) {
    let Some(m) = e.dyn_ref::<MessageEvent>() else { return };
    let Some(w) = dom::window() else { return };
    let parent = w.parent().ok().flatten();
    let from_parent = match (m.source(), parent.as_ref()) {
        (Some(src), Some(p)) => js_sys::Object::is(&src, p) && !js_sys::Object::is(p, &w),
        _ => false,
    };
    if !from_parent {
        return;
    }
    let data = m.data();
    let kind = get(&data, "type").as_string().unwrap_or_default();
    match kind.as_str() {
        "ddviz:scene" => {
            let q = get(&data, "scene").as_string().unwrap_or_default();
            apply_query(&q);
        }
        "ddviz:step" => {
            let step = get(&data, "step").as_f64().unwrap_or(1.0).max(1.0) as usize;
            let on = with(|a| a.scene.tour != 0).unwrap_or(false);
            if on {
                go_to_step(step.min(TOUR.len()));
            } else {
                apply_query(&tour_query(step));
            }
        }
        "ddviz:size" => {
            let size = get(&data, "size").as_f64().unwrap_or(1.0).max(1.0) as usize;
            let changed = with(|a| {
                let x = a.result.as_ref().and_then(|r| row_at(r, size)).map(|r| r.x).unwrap_or(size);
                select(a, x)
            })
            .unwrap_or(false);
            if changed {
                queue_fit();
            }
        }
        _ => return,
    }
    if let Some(p) = parent {
        let state = js_sys::Object::new();
        let scene = with(|a| (a.scene.to_query(), a.selected)).unwrap_or_default();
        let _ = js_sys::Reflect::set(&state, &"type".into(), &"ddviz:state".into());
        let _ = js_sys::Reflect::set(&state, &"scene".into(), &JsValue::from_str(&scene.0));
        let _ = js_sys::Reflect::set(&state, &"size".into(), &JsValue::from_f64(scene.1 as f64));
        let _ = p.post_message(&state, "*");
    }
}
