//! The training module's one background worker: the module itself in a Web Worker, started the
//! first time it is wanted from the module's own glue (`window.ddvizExtraJs`, set by the loader
//! in www/index.html) and handed the compiled wasm. It computes a whole map size ([`MAP`]: sent
//! back as its summary, `SweepResult::to_flat`) or trials of the training curve ([`TRAIN`]) or
//! of its ridge overlay ([`OVERLAY`]: each sent back as `TrialOutput::to_flat`, in the order
//! asked, and folded by the page in trial order), every array transferred, not copied, every
//! number the one thread's to the bit. Without it (the offline file opened from disk, where
//! the browser refuses module workers) the page computes alone; so it does from the moment the
//! worker fails — an error event, an empty answer, or 8 s of silence while it owes answers (a
//! browser may stop a worker without a word): what it had been asked is computed on the page.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::dom;
use crate::engine::sweep::Sweep;
use crate::page::training::{at, map_part};

/// Size number `index` of a map scene, all its trials (asked as trial 0 only).
pub const MAP: u8 = 0;
/// A trial of the training curve of a scene string at the size `index`.
pub const TRAIN: u8 = 1;
/// A trial of that curve's ridge overlay.
pub const OVERLAY: u8 = 2;
/// A trial of a remote scene's sweeps (`super::remote`: the digits, the sample-wise view).
pub const REMOTE: u8 = 3;

/// Where the worker's answers go (set by the module's start, so that this file needs none of
/// the jobs that use it).
#[derive(Clone, Copy)]
pub struct Handlers {
    /// A map size's summary: job, size number, flat summary.
    pub map: fn(u64, usize, &[f64]),
    /// A training trial: job, whether of the overlay, trial, flat trial.
    pub train: fn(u64, bool, usize, Vec<f64>),
    /// A remote job's trial: job, flat trial.
    pub remote: fn(u64, Vec<f64>),
    /// The worker failed.
    pub failed: fn(),
}

/// Says where the worker's answers go.
pub fn set_handlers(h: Handlers) {
    HANDLERS.with(|c| c.set(Some(h)));
}

thread_local! {
    static HANDLERS: std::cell::Cell<Option<Handlers>> = const { std::cell::Cell::new(None) };
    /// The worker, once asked for; `None` inside once it failed or could not start.
    static WORKER: RefCell<Option<Option<Worker>>> = const { RefCell::new(None) };
    /// Answers asked for and not yet in.
    static OUT: RefCell<usize> = const { RefCell::new(0) };
    /// When the worker last answered, or was asked with nothing out; and whether the watchdog
    /// is set.
    static HEARD: std::cell::Cell<(f64, bool)> = const { std::cell::Cell::new((0.0, false)) };
    /// The silence allowed for what is out now (the largest of the questions asked since the
    /// worker last had nothing to answer).
    static ALLOWED: std::cell::Cell<f64> = const { std::cell::Cell::new(SILENCE_MS) };
}

/// How long the worker may go without answering while it owes answers before it is taken for
/// dead (a browser may stop a worker without an error event): its work then goes to the page.
/// Its first answer waits for its module to compile; a trial takes well under a second on these
/// machines. A map size is all its trials at once (and the row t → ∞ a whole size sweep): the
/// silence allowed grows with the scene's trials ([`allowance`]).
const SILENCE_MS: f64 = 8000.0;

/// The silence allowed while a question of `kind` about `query` is out: [`SILENCE_MS`], and for
/// a map's part 100 ms more per trial past 20 (a default map size takes about 50 ms).
fn allowance(kind: u8, query: &str) -> f64 {
    if kind != MAP {
        return SILENCE_MS;
    }
    let trials = crate::scene::pairs(query).into_iter().find(|(k, _)| k == "trials").and_then(|(_, v)| v.parse::<f64>().ok()).unwrap_or(20.0);
    SILENCE_MS + 100.0 * (trials - 20.0).max(0.0)
}

/// Checks, while answers are owed, that the worker still answers; ends it if it has been silent
/// for [`SILENCE_MS`].
fn watch() {
    let (heard, _) = HEARD.with(|h| h.get());
    let owed = OUT.with(|o| *o.borrow()) > 0;
    if !owed || WORKER.with(|w| !matches!(*w.borrow(), Some(Some(_)))) {
        HEARD.with(|h| h.set((heard, false)));
        return;
    }
    if dom::now() - heard >= ALLOWED.with(|a| a.get()) {
        HEARD.with(|h| h.set((heard, false)));
        return failed();
    }
    dom::after(SILENCE_MS / 4.0, watch);
}

/// Whether the worker is there (starting it the first time).
pub fn available() -> bool {
    worker().is_some()
}

/// Whether the worker is there and has nothing left to answer: a training curve is split with
/// it only then, so a drag across sizes never queues stale trials in it.
pub fn idle() -> bool {
    available() && OUT.with(|o| *o.borrow() == 0)
}

/// Asks the worker for trials `from..to` of `kind` (job `gen`, scene string `query`, size or
/// size number `index`); false if there is no worker.
pub fn post(gen: u64, kind: u8, query: &str, index: usize, trials: std::ops::Range<usize>) -> bool {
    let Some(w) = worker() else { return false };
    let msg = js_sys::Array::new();
    for v in [gen as f64, f64::from(kind)] {
        msg.push(&JsValue::from_f64(v));
    }
    msg.push(&JsValue::from_str(query));
    for v in [index, trials.start, trials.end] {
        msg.push(&JsValue::from_f64(v as f64));
    }
    let sent = w.post_message(&msg).is_ok();
    if sent {
        let was = OUT.with(|o| {
            let mut o = o.borrow_mut();
            let was = *o;
            *o += trials.len();
            was
        });
        // The silence is counted from the first question owed, and from each answer.
        let allow = allowance(kind, query);
        ALLOWED.with(|a| a.set(if was == 0 { allow } else { a.get().max(allow) }));
        let (heard, watching) = HEARD.with(|h| h.get());
        HEARD.with(|h| h.set((if was == 0 { dom::now() } else { heard }, true)));
        if !watching {
            dom::after(SILENCE_MS / 4.0, watch);
        }
    }
    sent
}

/// Hands the worker the digits' bytes (once: it keeps them), before any digits trial is asked.
pub fn send_digits(bytes: &[u8]) {
    if let Some(w) = worker() {
        let _ = w.post_message(&js_sys::Uint8Array::from(bytes));
    }
}

/// Hands the worker a table's text and its label column (it reads and keeps it), before any
/// trial of it is asked.
pub fn send_table(text: &str, label: &str) {
    if let Some(w) = worker() {
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"table".into(), &text.into());
        let _ = js_sys::Reflect::set(&msg, &"label".into(), &label.into());
        let _ = w.post_message(&msg);
    }
}

fn worker() -> Option<Worker> {
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        return w;
    }
    let made = (|| {
        let win = dom::window()?;
        let js = js_sys::Reflect::get(&win, &"ddvizExtraJs".into()).ok()?.as_string()?;
        // The first message is the compiled module; each later one asks for trials, answered one
        // message a trial, in order — an empty one where the worker failed, which ends the
        // worker (the page computes what it had asked: no job waits for it).
        let src = format!(
            "import init, {{ trial, load_digits, load_table }} from {js:?};\nlet up = null;\nself.onmessage = (e) => {{\n  if (!up) {{ up = init({{ module_or_path: e.data }}); return; }}\n  if (e.data instanceof Uint8Array) {{ up.then(() => load_digits(e.data)); return; }}\n  if (e.data.table !== undefined) {{ up.then(() => load_table(e.data.table, e.data.label)); return; }}\n  const [gen, kind, query, index, from, to] = e.data;\n  let t = from;\n  up.then(() => {{ for (; t < to; t++) {{ const a = trial(kind, query, index, t); self.postMessage([gen, kind, index, t, a], [a.buffer]); }} }}).catch(() => {{ self.postMessage([gen, kind, index, t, new Float64Array(0)]); }});\n}};\n"
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
        dom::listen_worker(&w, on_message, failed);
        Some(w)
    })();
    WORKER.with(|w| *w.borrow_mut() = Some(made.clone()));
    made
}

/// One trial back: `[job, kind, index, trial, flat trial]`.
fn on_message(e: MessageEvent) {
    HEARD.with(|h| h.set((dom::now(), h.get().1)));
    OUT.with(|o| {
        let mut o = o.borrow_mut();
        *o = o.saturating_sub(1);
    });
    let data = e.data();
    let get = |i: u32| js_sys::Reflect::get(&data, &i.into()).ok();
    let num = |i: u32| get(i).and_then(|v| v.as_f64());
    let (Some(gen), Some(kind), Some(index), Some(trial)) = (num(0), num(1), num(2), num(3)) else { return };
    let flat = get(4).and_then(|v| v.dyn_into::<js_sys::Float64Array>().ok()).map(|a| a.to_vec()).unwrap_or_default();
    // An empty answer: the worker failed (a panic in it leaves it unusable).
    if flat.is_empty() {
        return failed();
    }
    let (gen, index, trial) = (gen as u64, index as usize, trial as usize);
    let Some(h) = HANDLERS.with(|c| c.get()) else { return };
    if kind == f64::from(MAP) {
        (h.map)(gen, index, &flat);
    } else if kind == f64::from(REMOTE) {
        (h.remote)(gen, flat);
    } else {
        (h.train)(gen, kind == f64::from(OVERLAY), trial, flat);
    }
}

/// The worker failed: from now on the page computes alone, starting with what it had asked.
fn failed() {
    if let Some(Some(w)) = WORKER.with(|w| w.borrow_mut().replace(None)) {
        w.terminate();
    }
    OUT.with(|o| *o.borrow_mut() = 0);
    if let Some(h) = HANDLERS.with(|c| c.get()) {
        (h.failed)();
    }
}

/// In the worker: trial `t` of `kind` for `query` and `index` in its flat form — for [`MAP`], the
/// size's whole summary — or empty if the scene has no such sweep. The sweep is kept for the
/// next trial of the same question.
pub fn trial(kind: u8, query: &str, index: usize, t: usize) -> Vec<f64> {
    // The same scene string may be of another table: its number is part of the key.
    type Kept = ((u8, String, usize, u32), Option<Box<dyn Sweep>>);
    thread_local! {
        static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
    }
    let key = (kind, query.to_string(), index, super::loaded::generation());
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        if k.as_ref().is_none_or(|(have, _)| *have != key) {
            // The scene with the digits' images or the table this worker was given.
            let scene = super::loaded::scene_of(query);
            let sweep = match kind {
                MAP => map_part(&scene, index),
                _ if scene.source != crate::scene::Source::Generated => {
                    // Every output trained at once; no ridge overlay for them.
                    let s = if kind == OVERLAY { None } else { at(scene, index).table_train_sweep().ok() };
                    s.map(|s| Box::new(s) as Box<dyn Sweep>)
                }
                _ => {
                    let s = at(scene, index).train_sweep().ok();
                    let s = if kind == OVERLAY { s.map(|s| s.ridge_overlay()) } else { s };
                    s.map(|s| Box::new(s) as Box<dyn Sweep>)
                }
            };
            *k = Some((key, sweep));
        }
        let sweep = k.as_ref().and_then(|(_, s)| s.as_deref());
        match sweep {
            Some(s) if kind == MAP => crate::engine::sweep::run_sequential(s).to_flat(),
            Some(s) if t < s.trials() => s.run_trial(t).to_flat(),
            _ => Vec::new(),
        }
    })
}
