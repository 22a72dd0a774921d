//! The training panels in the browser: the lazily loaded module `ddviz-extra` (src/bin/extra.rs)
//! runs this. The page (`ddviz-web`) hands it the scene and the selected size
//! ([`show`]); it computes the training curves at that size and the size × time map on the
//! page's thread in small slices, draws them with the same chart code as the CLI, and answers
//! the fit panel's question "what is the model at step t?" ([`fit_at`]). The time cursor, the
//! ridge overlay and play go back to the page as controls (`window.ddvizControl(key, value)`),
//! so they live in the page's one scene and its URL. The arithmetic and the words are
//! `crate::page::training`, tested natively.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, MouseEvent};

use super::extra_worker as worker;
use super::{backend, dom, draw};
use crate::engine::summary::Accumulator;
use crate::engine::sweep::{Sweep, SweepResult};
use crate::page::training::{self as tr, at};
use crate::plot::{map_panel, training_panel, Geom};
use crate::scene::Scene;

/// What the module knows: the page's last word, the curves computed from it, the map's job.
#[derive(Default)]
struct State {
    /// The page's scene string, selection and the size sweep's error there, as last given, and
    /// the number of the table read then (the same string may be of another table).
    given: (String, usize, f64),
    table: u32,
    /// The scene at the selected size.
    scene: Option<Scene>,
    /// The training curve and, with the overlay, ridge's; the scene string they are of.
    curve: Option<(String, SweepResult, Option<SweepResult>)>,
    /// Where the training panel was drawn (device pixels).
    geom: Option<Geom>,
    /// The training curve being computed, and the number of the last one asked for.
    job: Option<TrainJob>,
    gen: u64,
    /// Whether play runs, and its number (a step of an older play stops).
    playing: bool,
    play_gen: u64,
}

impl State {
    /// The scene and its training curve (and overlay), when the curve is this scene's (a newer
    /// one may still be computing: then nothing of the old one is shown, exported or read).
    fn current(&self) -> Option<(&Scene, &SweepResult, Option<&SweepResult>)> {
        let (scene, (key, r, o)) = (self.scene.as_ref()?, self.curve.as_ref()?);
        (*key == curve_key(scene)).then_some((scene, r, o.as_ref()))
    }
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// The module's start: its controls are wired once.
pub fn start() {
    console_error_panic_hook::set_once();
    // What the module's worker answers goes to the map's job, the training curve's and the
    // page's remote job.
    worker::set_handlers(worker::Handlers { map: super::map_job::on_row, train: on_trial, remote: super::remote::on_trial, failed: worker_failed_everywhere });
    let Some(doc) = dom::document() else { return };
    if let Some(c) = doc.get_element_by_id("training-canvas") {
        // Hover follows a mouse; a touch moves the pointer only while it presses.
        dom::on(&c, "pointermove", |e| pointer(&e, false));
        dom::on(&c, "pointerdown", |e| pointer(&e, true));
        dom::on(&c, "keydown", |e| key(&e));
    }
    if let Some(b) = doc.get_element_by_id("training-play") {
        dom::on(&b, "click", |_| play_toggle());
    }
    if let Some(b) = doc.get_element_by_id("training-overlay") {
        dom::on(&b, "change", |e| {
            let on = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
            control("overlay", if on { "1" } else { "0" });
        });
    }
    for (id, what) in [("training-svg", 0u8), ("training-csv", 1), ("map-svg", 2), ("map-csv", 3), ("training-png", 4), ("map-png", 5)] {
        if let Some(b) = doc.get_element_by_id(id) {
            dom::on(&b, "click", move |_| export(what));
        }
    }
    // The page opens and closes the tables (its "show as table" buttons); this fills them.
    for id in ["training-show-table", "map-show-table"] {
        if let Some(b) = doc.get_element_by_id(id) {
            dom::on(&b, "click", |_| tables());
        }
    }
    if let Some(w) = dom::window() {
        dom::on(&w, "resize", |_| dom::next_frame(redraw as fn()));
    }
}

/// Tells the page a control's new value (it validates it, writes the URL and calls [`show`]).
fn control(key: &str, value: &str) {
    let Some(w) = dom::window() else { return };
    if let Ok(f) = js_sys::Reflect::get(&w, &"ddvizControl".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = f.call2(&JsValue::NULL, &key.into(), &value.into());
    }
}

/// The page's scene string `query`, its selected size and the size sweep's error there (`end`,
/// NaN while unknown): the panels follow, computed after the page's next frame.
pub fn show(query: &str, selected: usize, end: f64) {
    let changed = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let given = (query.to_string(), selected, end);
        let table = super::loaded::generation();
        if s.given.0 == given.0 && s.given.1 == given.1 && (s.given.2 == end || (s.given.2.is_nan() && end.is_nan())) && s.table == table {
            return false;
        }
        (s.given, s.table) = (given, table);
        s.scene = Some(at(super::loaded::scene_of(query), selected));
        true
    });
    if changed {
        // After the page's frame: the fit panel's redraw never waits for the training curves.
        dom::next_frame(|| dom::after(0.0, update));
    }
}

/// What the training curve depends on: the scene string without the time cursor (and the
/// table it is of).
fn curve_key(scene: &Scene) -> String {
    let mut k = scene.clone();
    k.time = 0;
    format!("{}|{}", k.to_query(), super::loaded::generation())
}

/// The digits' images or a table arrived: the panels are computed again for the page's last
/// word (a curve that could not be computed without them is computed now).
pub fn refresh() {
    let redo = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.given.0.is_empty() {
            return false;
        }
        let scene = at(super::loaded::scene_of(&s.given.0), s.given.1);
        s.scene = Some(scene);
        s.curve = None;
        s.job = None;
        true
    });
    if redo {
        dom::next_frame(|| dom::after(0.0, update));
    }
}

/// Computes what the scene asks for that is not computed yet, and draws.
fn update() {
    let Some(scene) = STATE.with(|s| s.borrow().scene.clone()) else { return };
    if scene.shows_panel("training") {
        let key = curve_key(&scene);
        // The curve drawn is this scene's, or being computed, or to be started.
        let (have, computing) = STATE.with(|s| {
            let s = s.borrow();
            (s.curve.as_ref().is_some_and(|c| c.0 == key), s.job.as_ref().is_some_and(|j| j.key == key))
        });
        if have {
            draw_training();
        } else if !computing {
            start_training(&scene, key);
        }
    }
    if scene.shows_panel("map") && super::map_job::start(&scene) {
        // A computed map only moves its size marker: while a training curve computes, that
        // waits for it (the page's thread computes half its trials, and the curve is what the
        // size change asked for).
        if STATE.with(|s| s.borrow().job.is_some()) {
            MAP_WAITS.with(|w| w.set(true));
        } else {
            super::map_job::draw();
        }
    }
}

/// A training curve being computed: the page computes the first half of the trials (of the
/// curve and, with the overlay, of ridge's) while the module's worker computes the second; each
/// trial is folded as soon as the trials before it are in (so only the summary is left once the
/// last arrives).
struct TrainJob {
    key: String,
    gen: u64,
    curve: Fold,
    overlay: Option<Fold>,
    started: f64,
}

impl TrainJob {
    /// Whether every trial is folded.
    fn done(&self) -> bool {
        self.curve.done() && self.overlay.as_ref().is_none_or(Fold::done)
    }
}

/// A sweep's trials folded in trial order as they come in (the CLI's order, so its numbers).
struct Fold {
    sweep: Box<dyn Sweep>,
    acc: Accumulator,
    /// Trials in and not folded yet (a later one waits for those before it), in flat form.
    waiting: Vec<Option<Vec<f64>>>,
    /// The next trial to fold.
    next: usize,
}

impl Fold {
    fn new(sweep: Box<dyn Sweep>) -> Fold {
        let acc = sweep.accumulator();
        Fold { waiting: vec![None; sweep.trials()], acc, sweep, next: 0 }
    }

    /// Computes trials `0..to` here (the page's share), folding each.
    fn compute(&mut self, to: usize) {
        while self.next < to.min(self.waiting.len()) {
            self.acc.add(&self.sweep.run_trial(self.next));
            self.next += 1;
        }
    }

    /// Trial `t` in flat form from the worker: folded with any that waited for it.
    fn put(&mut self, t: usize, flat: Vec<f64>) {
        if let Some(w) = self.waiting.get_mut(t).filter(|_| t >= self.next) {
            *w = Some(flat);
        }
        self.advance();
    }

    /// Folds the trials in from the next one on, as far as they are in.
    fn advance(&mut self) {
        while let Some(flat) = self.waiting.get_mut(self.next).and_then(Option::take) {
            // A trial that does not read back (it cannot happen) is computed here.
            if !self.acc.add_flat(&flat) {
                self.acc.add(&self.sweep.run_trial(self.next));
            }
            self.next += 1;
        }
    }

    /// The worker failed: the trials still missing are computed here.
    fn compute_missing(&mut self) {
        for t in self.next..self.waiting.len() {
            if self.waiting[t].is_none() {
                self.waiting[t] = Some(self.sweep.run_trial(t).to_flat());
            }
        }
        self.advance();
    }

    fn done(&self) -> bool {
        self.next >= self.waiting.len()
    }
}

/// Starts the training curve of `scene` (its key: the scene string without the time cursor).
fn start_training(scene: &Scene, key: String) {
    // The benchmark's clock starts before the sweep is built (its test design is part of it).
    let started = dom::now();
    let sweeps = match scene.source {
        // Its trials would hold out other rows than the sweep's (the split moves with n).
        crate::scene::Source::Digits | crate::scene::Source::Table if scene.axis == crate::engine::sweep::Axis::Samples => {
            Err(crate::engine::EngineError::Insufficient("the sample-wise view of the digits or a table has no training curve yet; use axis=size".into()))
        }
        // The digits or a table: every output trained at once (no ridge overlay for them yet).
        crate::scene::Source::Digits | crate::scene::Source::Table => scene.table_train_sweep().map(|s| (Box::new(s) as Box<dyn Sweep>, None)),
        crate::scene::Source::Generated => scene.train_sweep().map(|s| {
            let overlay = scene.overlay.then(|| Box::new(s.ridge_overlay()) as Box<dyn Sweep>);
            (Box::new(s) as Box<dyn Sweep>, overlay)
        }),
    };
    let (sweep, overlay) = match sweeps {
        Ok(s) => s,
        Err(e) => {
            // No curve for this scene: nothing of the last one stays on the panel.
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.curve = None;
                s.job = None;
            });
            if let Some(area) = draw::canvas("training-canvas").and_then(backend::canvas_area) {
                let _ = area.fill(&plotters::style::WHITE);
            }
            dom::set_hidden("training-cursor", true);
            dom::set_text("training-readout", "");
            dom::set_text("training-caption", &format!("No training curve for this scene: {e}."));
            return;
        }
    };
    let trials = sweep.trials();
    let gen = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.gen += 1;
        s.gen
    });
    // Half the trials to the worker (asked first, so it works while the page does).
    let (query, selected) = STATE.with(|s| (s.borrow().given.0.clone(), s.borrow().given.1));
    let mut half = trials;
    if trials >= 2 && worker::idle() {
        let h = trials / 2;
        let asked = worker::post(gen, worker::TRAIN, &query, selected, h..trials)
            && (overlay.is_none() || worker::post(gen, worker::OVERLAY, &query, selected, h..trials));
        if asked {
            half = h;
        }
    }
    let mut curve = Fold::new(sweep);
    curve.compute(half);
    let overlay = overlay.map(|o| {
        let mut f = Fold::new(o);
        f.compute(half);
        f
    });
    STATE.with(|s| s.borrow_mut().job = Some(TrainJob { key, gen, curve, overlay, started }));
    complete(gen);
}

/// A trial of job `gen` from the worker (of the overlay, or of the curve).
fn on_trial(gen: u64, overlay: bool, trial: usize, flat: Vec<f64>) {
    let mine = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let job = s.job.as_mut().filter(|j| j.gen == gen)?;
        let fold = if overlay { job.overlay.as_mut()? } else { &mut job.curve };
        fold.put(trial, flat);
        Some(())
    });
    if mine.is_some() {
        complete(gen);
    }
}

/// The worker failed: the map and the training curve go on without it.
fn worker_failed_everywhere() {
    super::map_job::worker_failed();
    super::remote::failed();
    worker_failed();
}

/// The worker failed: the page computes the trials it was waiting for.
fn worker_failed() {
    let gen = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let job = s.job.as_mut()?;
        job.curve.compute_missing();
        if let Some(o) = job.overlay.as_mut() {
            o.compute_missing();
        }
        Some(job.gen)
    });
    if let Some(gen) = gen {
        complete(gen);
    }
}

/// Once every trial of job `gen` is folded: its summary kept and drawn (and the map, whose
/// redraw waited for it).
fn complete(gen: u64) {
    let done = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if !s.job.as_ref().is_some_and(|j| j.gen == gen && j.done()) {
            return None;
        }
        let job = s.job.take()?;
        let r = job.curve.acc.result();
        let o = job.overlay.map(|f| f.acc.result());
        s.curve = Some((job.key, r, o));
        Some(job.started)
    });
    if let Some(started) = done {
        draw_training();
        // From the page's frame to the curve drawn, for the benchmark (docs/performance.md).
        dom::body_data("training-ms", &format!("{:.1}", dom::now() - started));
        draw_map_later();
    }
}

thread_local! {
    /// Whether the map's redraw waits for a training curve (see [`update`]).
    static MAP_WAITS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Redraws the map if its redraw waited for the training curve.
fn draw_map_later() {
    if MAP_WAITS.with(|w| w.replace(false)) {
        super::map_job::draw();
    }
}

/// Draws the training panel, its cursor, caption, readout and open table.
fn draw_training() {
    let drawn = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let geom = draw_current(&s)?;
        s.geom = geom;
        Some(())
    });
    if drawn.is_some() {
        tables();
        dom::body_data("training", "drawn");
    }
}

/// Draws the current curve ([`State::current`]); `None` if there is none, else where the chart
/// landed (if it could be drawn).
fn draw_current(s: &State) -> Option<Option<Geom>> {
    let mut geom = None;
    {
        // Only the curve of the scene shown (a newer one may still be computing).
        let (scene, r, o) = s.current()?;
        let end = Some(s.given.2).filter(|e| e.is_finite() && tr::ends_at_sweep(scene));
        let area = draw::canvas("training-canvas").and_then(backend::canvas_area)?;
        match training_panel(&area, r, scene, (end, o), draw::look(scene)) {
            Ok(g) => {
                geom = Some(g);
                let caption = tr::caption(scene, r, end);
                dom::set_text("training-caption", &caption);
                let readout = if scene.time > 0 { tr::readout(scene, r, scene.time) } else { None };
                // The chart is a slider of the time cursor for assistive technology; the caption
                // describes it.
                if let Some(c) = dom::by_id::<Element>("training-canvas") {
                    let last = r.rows.last().map_or(1, |row| row.x);
                    let now = tr::row_at(r, scene.time).filter(|_| scene.time > 0).map_or(0, |row| row.x);
                    let text = readout.clone().unwrap_or_else(|| "no time chosen: the fit where training ends".into());
                    for (k, v) in
                        [("aria-valuemin", "0".to_string()), ("aria-valuemax", last.to_string()), ("aria-valuenow", now.to_string()), ("aria-valuetext", text)]
                    {
                        let _ = c.set_attribute(k, &v);
                    }
                }
                dom::set_text(
                    "training-readout",
                    &readout.unwrap_or_else(|| "Hover, drag or use the arrow keys on the chart to watch the model at a step.".into()),
                );
                // The exact numbers at the cursor (the CLI's to the bit), for scripts and tests.
                if let Some(el) = dom::by_id::<Element>("training-readout") {
                    let row = tr::row_at(r, scene.time).filter(|_| scene.time > 0);
                    let value = row.map(|row| format!("{} {} {} {}", row.x, row.train_mse_median, row.test_mse_median, row.norm_median)).unwrap_or_default();
                    let _ = el.set_attribute("data-value", &value);
                }
                cursor(&g, scene, r);
            }
            Err(e) => dom::set_text("training-caption", &e.to_string()),
        }
        if let Some(i) = dom::by_id::<HtmlInputElement>("training-overlay") {
            i.set_checked(scene.overlay);
        }
    }
    Some(geom)
}

/// Places the time cursor's line over the training panel (hidden without a time).
fn cursor(g: &Geom, scene: &Scene, r: &SweepResult) {
    let Some(el) = dom::by_id::<HtmlElement>("training-cursor") else { return };
    let step = tr::row_at(r, scene.time).map(|row| row.x).filter(|_| scene.time > 0);
    let Some(step) = step else {
        el.set_hidden(true);
        return;
    };
    let scale = draw::dpr();
    let f = ((step as f64).log10() - g.x0) / (g.x1 - g.x0).max(1e-12);
    let x = (f64::from(g.left) + f * f64::from(g.right - g.left)) / scale;
    let style = el.style();
    let _ = style.set_property("left", &format!("{x:.1}px"));
    let _ = style.set_property("top", &format!("{:.1}px", f64::from(g.top) / scale));
    let _ = style.set_property("height", &format!("{:.1}px", f64::from(g.bottom - g.top) / scale));
    el.set_hidden(false);
}

/// The pointer over the training panel: moving it (or pressing) sets the time cursor.
fn pointer(e: &web_sys::Event, press: bool) {
    // While play runs, only a press takes the cursor back.
    if !press && STATE.with(|s| s.borrow().playing) {
        return;
    }
    let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
    let px = f64::from(m.offset_x()) * draw::dpr();
    let step = STATE.with(|s| {
        let s = s.borrow();
        let (g, (_, r, _)) = (s.geom?, s.current()?);
        let steps: Vec<usize> = r.rows.iter().map(|row| row.x).collect();
        tr::step_at(&g, px, &steps)
    });
    if let Some(step) = step {
        if press {
            stop_play();
        }
        control("time", &step.to_string());
    }
}

/// Keys on the focused training panel: arrows move the time cursor along the grid (Page keys
/// ten points), Home and End to the ends, Escape clears it.
fn key(e: &web_sys::Event) {
    let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
    if k.key() == "Escape" {
        stop_play();
        control("time", "0");
        return;
    }
    let Some(delta) = dom::step_key(&k.key()) else { return };
    e.prevent_default();
    stop_play();
    let step = STATE.with(|s| {
        let s = s.borrow();
        let (scene, r, _) = s.current()?;
        let steps: Vec<usize> = r.rows.iter().map(|row| row.x).collect();
        // Without a cursor, the first key places it: from the first step rightwards, from the
        // last leftwards (End: the last step, Home: the first).
        match (scene.time, delta > 0) {
            (0, true) => tr::step_by(&steps, 1, delta - 1),
            (0, false) => tr::step_by(&steps, u64::MAX, delta + 1),
            (t, _) => tr::step_by(&steps, t, delta),
        }
    });
    if let Some(step) = step {
        control("time", &step.to_string());
    }
}

/// ▶ plays training from its first step to its last (about five seconds), or stops.
fn play_toggle() {
    let start = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.play_gen += 1;
        s.playing = !s.playing;
        s.playing.then_some(s.play_gen)
    });
    set_play_label();
    if let Some(g) = start {
        if dom::reduced_motion() {
            // Reduced motion: straight to the end.
            let last = STATE.with(|s| s.borrow().current().and_then(|c| c.1.rows.last().map(|r| r.x)));
            stop_play();
            if let Some(last) = last {
                control("time", &last.to_string());
            }
            return;
        }
        play_step(g, 0);
    }
}

fn stop_play() {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.playing = false;
        s.play_gen += 1;
    });
    set_play_label();
}

fn set_play_label() {
    let playing = STATE.with(|s| s.borrow().playing);
    dom::set_text("training-play", if playing { "■ Stop" } else { "▶ Play training" });
}

/// One frame of play: grid point `i` (every other point: 100 frames).
fn play_step(gen: u64, i: usize) {
    let step = STATE.with(|s| {
        let s = s.borrow();
        if !s.playing || s.play_gen != gen {
            return None;
        }
        s.current().map(|c| c.1.rows.get(i).map(|r| r.x))
    });
    match step {
        None => {}
        Some(Some(step)) => {
            control("time", &step.to_string());
            dom::after(40.0, move || play_step(gen, i + 2));
        }
        Some(None) => stop_play(),
    }
}

/// Redraws both panels as they are (a resize, a theme).
fn redraw() {
    let training = STATE.with(|s| s.borrow().curve.is_some());
    let map = super::map_job::with(|_| ()).is_some();
    if training {
        draw_training();
    }
    if map {
        super::map_job::draw();
    }
}

/// Fills the open "show as table" views.
pub(super) fn tables() {
    let open = |id: &str| dom::by_id::<Element>(id).is_some_and(|t| !t.has_attribute("hidden"));
    STATE.with(|s| {
        let s = s.borrow();
        if open("training-table") {
            if let Some((scene, r, _)) = s.current() {
                if let Some(t) = dom::by_id::<Element>("training-table") {
                    t.set_inner_html(&tr::table(scene, r));
                }
            }
        }
    });
    super::map_job::table();
}

/// Exports: the training panel as SVG (0), PNG (4) or its curve as CSV (1), the map as SVG (2),
/// PNG (5) or CSV (3).
fn export(what: u8) {
    let stem = STATE.with(|s| s.borrow().scene.as_ref().map(crate::page::text::file_stem)).unwrap_or_else(|| "ddviz".into());
    let png = crate::plot::Look { scale: 2.0 };
    // PNG: the panel at twice the pixels of its SVG (what 4 and 5 ask for).
    if what == 4 {
        let Some((scene, r, o, end)) = STATE.with(|s| {
            let s = s.borrow();
            let (scene, r, o) = s.current().map(|(a, b, c)| (a.clone(), b.clone(), c.cloned()))?;
            let end = Some(s.given.2).filter(|e| e.is_finite() && tr::ends_at_sweep(&scene));
            Some((scene, r, o, end))
        }) else {
            return;
        };
        super::effects::download_png(800, 600, format!("{stem}-training.png"), |area| training_panel(area, &r, &scene, (end, o.as_ref()), png).map(|_| ()));
        return;
    }
    if what == 5 {
        let Some((rows, limit, scene)) = super::map_job::with(|m| m.complete().then(|| (m.rows.clone(), m.limit.clone(), m.scene.clone()))).flatten() else {
            return;
        };
        super::effects::download_png(800, 600, format!("{stem}-map.png"), |area| map_panel(area, &rows, limit.as_ref(), &scene, png).map(|_| ()));
        return;
    }
    let file = STATE.with(|s| {
        let s = s.borrow();
        let stem = s.scene.as_ref().map(crate::page::text::file_stem).unwrap_or_else(|| "ddviz".into());
        match what {
            0 | 1 => {
                let (scene, r, o) = s.current()?;
                let end = Some(s.given.2).filter(|e| e.is_finite() && tr::ends_at_sweep(scene));
                if what == 1 {
                    return Some((crate::export::sweep_csv(r, r.rows.iter().any(|row| row.theory.is_some())), "text/csv", format!("{stem}-training.csv")));
                }
                let svg = backend::svg_string(800, 600, |root| training_panel(root, r, scene, (end, o), crate::plot::Look::default()).map(|_| ())).ok()?;
                Some((svg, "image/svg+xml", format!("{stem}-training.svg")))
            }
            _ => super::map_job::with(|m| {
                if !m.complete() {
                    return None;
                }
                if what == 3 {
                    return Some((crate::export::map_csv(&m.rows, m.limit.as_ref()), "text/csv", format!("{stem}-map.csv")));
                }
                let svg = backend::svg_string(800, 600, |root| map_panel(root, &m.rows, m.limit.as_ref(), &m.scene, crate::plot::Look::default()).map(|_| ()))
                    .ok()?;
                Some((svg, "image/svg+xml", format!("{stem}-map.svg")))
            })
            .flatten(),
        }
    });
    if let Some((text, mime, name)) = file {
        let parts = js_sys::Array::of1(&JsValue::from_str(&text));
        super::effects::download(&parts, mime, &name);
    }
}

/// The fit panel's model at step `step` of the page's scene `query` at `selected`, on `grid_x`:
/// `[step, train error, values…]` ([`crate::page::training::TimeModel`]), or `None`. The factored
/// model is kept while the scene (but for its time cursor), the size and the grid stay, so each
/// step of hover or play costs a few products.
pub fn fit_at(query: &str, selected: usize, step: u64, grid_x: &[f64]) -> Option<Vec<f64>> {
    type Kept = ((String, usize, usize), Option<tr::TimeModel>);
    thread_local! {
        static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
    }
    let scene = tr::scene_at(query, selected);
    let key = (curve_key(&scene), selected, grid_x.len());
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        if k.as_ref().is_none_or(|(have, _)| *have != key) {
            *k = Some((key, tr::TimeModel::new(&scene, grid_x)));
        }
        k.as_ref()?.1.as_ref()?.at(step)
    })
}
