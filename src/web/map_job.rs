//! The size × time map's job in the training module: every size of the map trained over time,
//! shared between the page's thread (in slices of about 12 ms, yielding to the page between
//! them) and one background worker running this same module (every other size, posted back as
//! that size's summary). Rows are drawn as they arrive, in size order. Without the worker (the
//! offline file opened from disk, or a worker that fails) the page's thread computes them all.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::dom;
use crate::engine::sweep::{Accumulator, Sweep, SweepResult};
use crate::engine::train::TrainSweep;
use crate::page::training::{map_scene, map_sweep};
use crate::scene::{Platform, Scene};

/// What the map panel draws: the map's scene, the rows computed so far (in size order) and how
/// many it will have.
pub struct MapView {
    /// The scene the map is computed for ([`map_scene`]).
    pub scene: Scene,
    /// Each size's training curve, sizes in order.
    pub rows: Vec<(usize, SweepResult)>,
    /// How many sizes the map has.
    pub sweeps: usize,
}

/// The job: its scene string, number, what is drawn, the page's queue of sizes and the one
/// it is computing (its sweep, accumulator and next trial), and the worker's sizes still out.
struct Job {
    key: String,
    gen: u64,
    view: MapView,
    queue: Vec<usize>,
    current: Option<(TrainSweep, Accumulator, usize)>,
    pending: Vec<usize>,
    started: f64,
    drawn_at: f64,
}

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    static GEN: RefCell<u64> = const { RefCell::new(0) };
    /// The worker, once started; `None` inside once it failed or could not start.
    static WORKER: RefCell<Option<Option<Worker>>> = const { RefCell::new(None) };
}

/// Runs `f` on the map as computed so far, if there is one.
pub fn with<R>(f: impl FnOnce(&MapView) -> R) -> Option<R> {
    JOB.with(|j| j.borrow().as_ref().map(|j| f(&j.view)))
}

/// Starts the map of `scene` unless it is the one computed or being computed (then returns
/// true: the caller draws it as it is).
pub fn start(scene: &Scene) -> bool {
    let ms = map_scene(scene);
    let key = ms.to_query();
    if JOB.with(|j| j.borrow().as_ref().is_some_and(|j| j.key == key)) {
        return true;
    }
    let sizes = ms.grid.sizes(ms.max_size, ms.problem.train_n()).len();
    let gen = GEN.with(|g| {
        *g.borrow_mut() += 1;
        *g.borrow()
    });
    // Every other size to the worker, if there is one.
    let worker = worker();
    let (mut queue, mut pending) = (Vec::new(), Vec::new());
    for i in 0..sizes {
        if worker.is_some() && i % 2 == 1 {
            pending.push(i);
        } else {
            queue.push(i);
        }
    }
    if let Some(w) = &worker {
        for &i in &pending {
            let msg = js_sys::Array::of3(&JsValue::from_f64(gen as f64), &JsValue::from_str(&key), &JsValue::from_f64(i as f64));
            if w.post_message(&msg).is_err() {
                return fail_worker_and_restart(scene);
            }
        }
    }
    queue.reverse();
    let view = MapView { scene: ms, rows: Vec::new(), sweeps: sizes };
    JOB.with(|j| *j.borrow_mut() = Some(Job { key, gen, view, queue, current: None, pending, started: dom::now(), drawn_at: 0.0 }));
    dom::body_data("map", "computing");
    super::training::draw_map();
    soon(gen);
    false
}

/// The worker failed: from now on the page computes maps alone; this one starts again.
fn fail_worker_and_restart(scene: &Scene) -> bool {
    WORKER.with(|w| *w.borrow_mut() = Some(None));
    JOB.with(|j| *j.borrow_mut() = None);
    start(scene)
}

/// Starts the worker (once): a module script that imports this module's glue
/// (`window.ddvizExtraJs`, set by the loader in www/index.html) and is handed the compiled
/// wasm, then answers each size with its summary as JSON ([`map_size`]).
fn worker() -> Option<Worker> {
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        return w;
    }
    let made = (|| {
        let win = dom::window()?;
        let js = js_sys::Reflect::get(&win, &"ddvizExtraJs".into()).ok()?.as_string()?;
        let src = format!(
            "import init, {{ map_size }} from {js:?};\nlet up = null;\nself.onmessage = (e) => {{\n  if (!up) {{ up = init({{ module_or_path: e.data }}); return; }}\n  const [gen, query, index] = e.data;\n  up.then(() => self.postMessage([gen, index, map_size(query, index)]));\n}};\n"
        );
        let parts = js_sys::Array::of1(&JsValue::from_str(&src));
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type("text/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let opts = web_sys::WorkerOptions::new();
        opts.set_type(web_sys::WorkerType::Module);
        let w = Worker::new_with_options(&url, &opts).ok()?;
        w.post_message(&wasm_bindgen::module()).ok()?;
        let onmsg = Closure::<dyn FnMut(MessageEvent)>::new(on_row);
        w.set_onmessage(Some(onmsg.as_ref().unchecked_ref()));
        onmsg.forget();
        let onerr = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| on_worker_error());
        w.set_onerror(Some(onerr.as_ref().unchecked_ref()));
        onerr.forget();
        Some(w)
    })();
    WORKER.with(|w| *w.borrow_mut() = Some(made.clone()));
    made
}

/// The worker's answer for one size: `[job, index, summary as JSON]`.
fn on_row(e: MessageEvent) {
    let data = e.data();
    let get = |i: u32| js_sys::Reflect::get(&data, &i.into()).ok();
    let (Some(gen), Some(index), Some(json)) = (get(0).and_then(|v| v.as_f64()), get(1).and_then(|v| v.as_f64()), get(2).and_then(|v| v.as_string())) else {
        return;
    };
    let (gen, index) = (gen as u64, index as usize);
    // JSON writes a non-finite number as null, which does not read back: such a size (a blown-up
    // fit) is computed again on the page. Every finite number reads back to the bit
    // (serde_json's float_roundtrip).
    let Ok(result) = serde_json::from_str::<SweepResult>(&json) else {
        let idle = JOB.with(|j| {
            let mut j = j.borrow_mut();
            let job = j.as_mut().filter(|job| job.gen == gen)?;
            job.pending.retain(|i| *i != index);
            let idle = job.queue.is_empty() && job.current.is_none();
            job.queue.push(index);
            Some(idle)
        });
        if idle == Some(true) {
            soon(gen);
        }
        return;
    };
    let done = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.gen == gen)?;
        job.pending.retain(|i| *i != index);
        let size = job.view.scene.grid.sizes(job.view.scene.max_size, job.view.scene.problem.train_n()).get(index).copied()?;
        insert(&mut job.view.rows, size, result);
        Some(job.pending.is_empty() && job.queue.is_empty() && job.current.is_none())
    });
    match done {
        Some(true) => finish(gen),
        Some(false) => draw_now(false),
        None => {}
    }
}

/// The worker failed: its sizes go back to the page's queue.
fn on_worker_error() {
    WORKER.with(|w| *w.borrow_mut() = Some(None));
    let gen = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut()?;
        let back = std::mem::take(&mut job.pending);
        job.queue.extend(back);
        Some(job.gen)
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
                if let Some(sweep) = map_sweep(&job.view.scene, i) {
                    let acc = sweep.accumulator();
                    job.current = Some((sweep, acc, 0));
                }
                continue;
            }
            let Some((sweep, acc, t)) = job.current.as_mut() else { break };
            acc.add(&sweep.run_trial(*t));
            *t += 1;
            if *t >= sweep.trials() {
                let row = (sweep.size(), acc.result());
                job.current = None;
                insert(&mut job.view.rows, row.0, row.1);
            }
        }
        let mine = job.queue.is_empty() && job.current.is_none();
        Some((mine, mine && job.pending.is_empty()))
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
        super::training::draw_map();
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

/// In the worker: the summary of size `index` of the map scene `query`, as JSON (empty if there
/// is no such size).
pub fn map_size(query: &str, index: usize) -> String {
    let (scene, _) = Scene::from_query_lenient(query, Platform::Web);
    map_sweep(&scene, index).map(|s| serde_json::to_string(&crate::engine::sweep::run_sequential(&s)).unwrap_or_default()).unwrap_or_default()
}
