//! The size × time map's job in the training module: every size of the map trained over time,
//! shared between the page's thread (in slices of about 12 ms, yielding to the page between
//! them) and the module's worker (`super::extra_worker`), both taking the next size from one
//! queue — the worker one size at a time, so that a training curve asked for meanwhile waits for
//! one size at most, each sent back as its summary. Rows are drawn as they arrive, in size order;
//! last comes the row t → ∞ (the size sweep at the map's sizes), where training ends there. Without the worker
//! (the offline file opened from disk, or a worker that fails) the page's thread computes them all.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MessageEvent};

use super::extra_worker::{self as worker, MAP};
use super::{backend, dom, draw as page_draw};
use crate::engine::sweep::{Accumulator, Sweep, SweepResult};
use crate::page::training::{self as tr, map_part, map_scene};
use crate::plot::map_panel;
use crate::scene::Scene;

/// What the map panel draws: the map's scene, the rows computed so far (in size order) and how
/// many it will have.
pub struct MapView {
    /// The scene the map is computed for ([`map_scene`]).
    pub scene: Scene,
    /// Each size's training curve, sizes in order.
    pub rows: Vec<(usize, SweepResult)>,
    /// How many sizes the map has.
    pub sweeps: usize,
    /// The row t → ∞, once computed (the size sweep at the map's sizes).
    pub limit: Option<SweepResult>,
    /// Whether the map has that row (training ends at the size sweep's fit at every size).
    pub limited: bool,
}

impl MapView {
    /// Whether every row is in (the row t → ∞ included, where the map has one).
    pub fn complete(&self) -> bool {
        self.rows.len() == self.sweeps && (self.limit.is_some() || !self.limited)
    }
}

/// The job: its scene string, number, what is drawn; the queue of part numbers left (sizes, then
/// the row t → ∞), the one the page is computing (its sweep, accumulator, next trial and part
/// number) and the one the worker is.
struct Job {
    key: String,
    gen: u64,
    view: MapView,
    queue: Vec<usize>,
    current: Option<(Box<dyn Sweep>, Accumulator, usize, usize)>,
    out: Option<usize>,
    started: f64,
    drawn_at: f64,
}

impl Job {
    fn done(&self) -> bool {
        self.queue.is_empty() && self.current.is_none() && self.out.is_none()
    }
}

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    static GEN: RefCell<u64> = const { RefCell::new(0) };
}

/// Runs `f` on the map as computed so far, if there is one.
pub fn with<R>(f: impl FnOnce(&MapView) -> R) -> Option<R> {
    JOB.with(|j| j.borrow().as_ref().map(|j| f(&j.view)))
}

/// Starts the map of `scene` unless it is the one computed or being computed (then returns
/// true: the caller draws it as it is).
pub fn start(scene: &Scene) -> bool {
    let ms = map_scene(scene);
    // The same scene string may be of another table.
    let key = format!("{}|{}", ms.to_query(), super::loaded::generation());
    if JOB.with(|j| j.borrow().as_ref().is_some_and(|j| j.key == key)) {
        return true;
    }
    let sizes = ms.grid.sizes(ms.max_size, ms.problem.train_n()).len();
    // A scene with no map (your own points): said, and no job waits for rows that never come.
    if sizes == 0 || map_part(&ms, 0).is_none() {
        let why = match ms.source {
            crate::scene::Source::Generated => ms.map_sweeps().err().map(|e| e.to_string()),
            _ if ms.axis != crate::engine::sweep::Axis::Size => Some("the sample-wise view of the digits or a table has no map; use axis=size".into()),
            _ => ms.table_map_sweeps().err().map(|e| e.to_string()),
        };
        let why = why.unwrap_or_else(|| "the map has no sizes".to_string());
        JOB.with(|j| *j.borrow_mut() = None);
        dom::set_text("map-caption", &format!("No size × time map for this scene: {why}."));
        if let Some(area) = page_draw::canvas("map-canvas").and_then(backend::canvas_area) {
            let _ = area.fill(&plotters::style::WHITE);
        }
        return false;
    }
    let gen = GEN.with(|g| {
        *g.borrow_mut() += 1;
        *g.borrow()
    });
    // The page and the worker (if there is one) take sizes from the smallest up, then the row
    // t → ∞ (part number `sizes`).
    let limited = tr::has_limit(&ms);
    let queue: Vec<usize> = (0..sizes + usize::from(limited)).rev().collect();
    let view = MapView { scene: ms, rows: Vec::new(), sweeps: sizes, limit: None, limited };
    let job = Job { key, gen, view, queue, current: None, out: None, started: dom::now(), drawn_at: 0.0 };
    JOB.with(|j| *j.borrow_mut() = Some(job));
    dom::body_data("map", "computing");
    draw();
    if worker::available() {
        send_next(gen);
    }
    soon(gen);
    false
}

/// Gives the worker its next size of job `gen`, if it is free and one is left.
fn send_next(gen: u64) {
    let ask = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.gen == gen && job.out.is_none())?;
        let i = job.queue.pop()?;
        job.out = Some(i);
        Some((job.view.scene.to_query(), i))
    });
    if let Some((key, i)) = ask {
        if !worker::post(gen, MAP, &key, i, 0..1) {
            worker_failed();
        }
    }
}

/// A size's summary from the worker: a row, and the worker gets the next size. One that does
/// not read back (it cannot happen) is computed on the page.
pub fn on_row(gen: u64, index: usize, flat: &[f64]) {
    let state = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.gen == gen && job.out == Some(index))?;
        job.out = None;
        let size = job.view.scene.grid.sizes(job.view.scene.max_size, job.view.scene.problem.train_n()).get(index).copied();
        match (SweepResult::from_flat(flat), size) {
            (Some(r), Some(p)) => insert(&mut job.view.rows, p, r),
            (Some(r), None) if index == job.view.sweeps => job.view.limit = Some(r),
            _ => {
                let idle = job.queue.is_empty() && job.current.is_none();
                job.queue.push(index);
                return Some((false, idle));
            }
        }
        Some((job.done(), false))
    });
    match state {
        Some((true, _)) => finish(gen),
        Some((false, idle)) => {
            send_next(gen);
            draw_now(false);
            if idle {
                soon(gen);
            }
        }
        None => {}
    }
}

/// The worker failed: the size it had goes back to the queue, which the page now empties.
pub fn worker_failed() {
    let gen = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut()?;
        let idle = job.queue.is_empty() && job.current.is_none();
        job.queue.extend(job.out.take());
        idle.then_some(job.gen)
    });
    if let Some(gen) = gen {
        soon(gen);
    }
}

/// Puts a size's row in size order.
fn insert(rows: &mut Vec<(usize, SweepResult)>, size: usize, result: SweepResult) {
    let at = rows.partition_point(|(p, _)| *p < size);
    rows.insert(at, (size, result));
}

/// Computes the page's share for about 12 ms, then yields.
fn slice(gen: u64) {
    let t0 = dom::now();
    let state = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.gen == gen)?;
        while dom::now() - t0 < 12.0 {
            if job.current.is_none() {
                let Some(i) = job.queue.pop() else { break };
                if let Some(sweep) = map_part(&job.view.scene, i) {
                    let acc = sweep.accumulator();
                    job.current = Some((sweep, acc, 0, i));
                }
                continue;
            }
            let Some((sweep, acc, t, i)) = job.current.as_mut() else { break };
            acc.add(&sweep.run_trial(*t));
            *t += 1;
            if *t >= sweep.trials() {
                let (result, i) = (acc.result(), *i);
                job.current = None;
                let size = job.view.scene.grid.sizes(job.view.scene.max_size, job.view.scene.problem.train_n()).get(i).copied();
                match size {
                    Some(p) => insert(&mut job.view.rows, p, result),
                    None => job.view.limit = Some(result),
                }
            }
        }
        let mine = job.queue.is_empty() && job.current.is_none();
        Some((mine, job.done()))
    });
    match state {
        Some((_, true)) => finish(gen),
        Some((mine, false)) => {
            draw_now(false);
            if !mine {
                soon(gen);
            }
        }
        None => {}
    }
}

/// Draws the rows so far: the first at once, then at most every 150 ms (or `force`).
fn draw_now(force: bool) {
    let now = dom::now();
    let due = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut()?;
        if job.view.rows.is_empty() || !(force || job.drawn_at == 0.0 || now - job.drawn_at > 150.0) {
            return None;
        }
        if job.drawn_at == 0.0 {
            // When the first rows were drawn, for the benchmark (docs/performance.md).
            dom::body_data("map-first-ms", &format!("{:.0}", now - job.started));
        }
        job.drawn_at = now;
        Some(())
    });
    if due.is_some() {
        draw();
    }
}

/// The map is complete: drawn, and its time noted for the benchmark.
fn finish(gen: u64) {
    draw_now(true);
    if let Some(started) = JOB.with(|j| j.borrow().as_ref().filter(|job| job.gen == gen).map(|job| job.started)) {
        dom::body_data("map-ms", &format!("{:.0}", dom::now() - started));
        dom::body_data("map", "done");
    }
}

/// Runs the next slice of job `gen` as soon as the page has had its turn: a message to
/// ourselves, not a 0 ms timeout, which browsers stretch to 4 ms after a few in a row (a quarter
/// of the map's time, in slices of 12 ms).
fn soon(gen: u64) {
    thread_local! {
        static PORT: Option<web_sys::MessagePort> = {
            let channel = web_sys::MessageChannel::new().ok();
            channel.map(|c| {
                let run = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
                    if let Some(gen) = e.data().as_f64() {
                        slice(gen as u64);
                    }
                });
                c.port1().set_onmessage(Some(run.as_ref().unchecked_ref()));
                run.forget();
                c.port2()
            })
        };
    }
    let sent = PORT.with(|p| p.as_ref().is_some_and(|p| p.post_message(&JsValue::from_f64(gen as f64)).is_ok()));
    if !sent {
        dom::after(0.0, move || slice(gen));
    }
}

/// Draws the map's rows computed so far, its caption and open table.
pub fn draw() {
    with(|m| {
        if m.rows.is_empty() {
            dom::set_text("map-caption", &tr::map_caption(&m.scene, &m.rows, m.limit.as_ref(), m.sweeps));
            return;
        }
        let Some(area) = page_draw::canvas("map-canvas").and_then(backend::canvas_area) else { return };
        if let Err(e) = map_panel(&area, &m.rows, m.limit.as_ref(), &m.scene, page_draw::look(&m.scene)) {
            dom::set_text("map-caption", &e.to_string());
            return;
        }
        let caption = tr::map_caption(&m.scene, &m.rows, m.limit.as_ref(), m.sweeps);
        dom::set_text("map-caption", &caption);
        if let Some(c) = dom::by_id::<Element>("map-canvas") {
            let _ = c.set_attribute("aria-label", &caption);
        }
        dom::body_data("map-rows", &m.rows.len().to_string());
        // Its exports wait for the whole map.
        for id in ["map-svg", "map-png", "map-csv"] {
            if let Some(b) = dom::by_id::<web_sys::HtmlButtonElement>(id) {
                b.set_disabled(!m.complete());
            }
        }
    });
    table();
}

/// Fills the map's "show as table" view, if it is open.
pub fn table() {
    let open = dom::by_id::<Element>("map-table").is_some_and(|t| !t.has_attribute("hidden"));
    if open {
        with(|m| {
            if let Some(t) = dom::by_id::<Element>("map-table") {
                t.set_inner_html(&tr::map_table(&m.scene, &m.rows, m.limit.as_ref()));
            }
        });
    }
}
