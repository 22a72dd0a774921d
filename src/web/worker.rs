//! The Web Worker side: runs its share of a sweep's trials and sends each trial's output.
//!
//! Protocol. The page posts `{job, scene, trials: [t, …]}`; the worker runs those trials of the
//! scene's sweep (more trials of the same job are appended to its list; the sweep is built once
//! per job) and posts `{job, trial: Float64Array}` (the flat form of
//! [`crate::engine::sweep::TrialOutput::to_flat`], its buffer transferred) for each, or
//! `{job, error}`; the page sends each array back (`{back: Float64Array}`) once it has folded it
//! in, to be written again. Jobs posted while the worker's wasm is still starting wait in
//! `self.ddvizQueue`, where the bootstrap script keeps them. The page hands out trials a couple
//! at a time as workers return them (and to workers still starting, so they begin the moment
//! their wasm is up) and folds them in trial order — exactly as the native CLI does — so the
//! numbers are the same on every platform, with any number of workers. A new job replaces the
//! running one at the next yield (after each trial), so stale work stops as soon as a control
//! moves. Yielding goes through a MessageChannel, which (unlike `setTimeout(0)`) is not
//! throttled.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent, MessagePort};

use crate::engine::chain::Chain;
use crate::scene::{Platform, Scene};

/// The job being computed.
struct Job {
    id: f64,
    sweep: Chain,
    /// Trials still to run, in order.
    todo: std::collections::VecDeque<usize>,
}

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    static WAKE: RefCell<Option<MessagePort>> = const { RefCell::new(None) };
    /// Arrays the page has sent back once it folded them in, to be written again.
    static SPARE: RefCell<Vec<js_sys::Float64Array>> = const { RefCell::new(Vec::new()) };
}

/// An array of `len` numbers: a spare one of that length if the page sent one back, else a new
/// one (spares of another length, from an earlier scene, are dropped).
fn array(len: u32) -> js_sys::Float64Array {
    SPARE
        .with(|s| {
            let mut s = s.borrow_mut();
            s.retain(|a| a.length() == len);
            s.pop()
        })
        .unwrap_or_else(|| js_sys::Float64Array::new_with_length(len))
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

fn post_error(id: f64, msg: &str) {
    let obj = js_sys::Object::new();
    set(&obj, "job", &JsValue::from_f64(id));
    set(&obj, "error", &JsValue::from_str(msg));
    let _ = scope().post_message(&obj);
}

/// Builds the sweeps a scene asks for ([`Scene::size_chain`]: one, or one per compared value),
/// its error as the message to show.
pub fn build(scene: &Scene) -> Result<Chain, String> {
    scene.size_chain().map_err(|e| e.to_string())
}

fn wake() {
    WAKE.with(|w| {
        if let Some(port) = w.borrow().as_ref() {
            let _ = port.post_message(&JsValue::NULL);
        }
    });
}

/// Runs one trial, posts it, and yields.
fn step() {
    let more = JOB.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(job) = slot.as_mut() else { return false };
        if let Some(out) = job.todo.pop_front().and_then(|t| job.sweep.run_trial(t)) {
            // The flat form (TrialOutput::to_flat), written straight into the array that is sent:
            // the predictions (most of it: 1.6 MB a trial in the reference scene) are copied once.
            let head = out.flat_head();
            let (h, len) = (head.len() as u32, (head.len() + out.preds.len()) as u32);
            let arr = array(len);
            arr.subarray(0, h).copy_from(&head);
            arr.subarray(h, len).copy_from(&out.preds);
            let obj = js_sys::Object::new();
            set(&obj, "job", &JsValue::from_f64(job.id));
            set(&obj, "trial", &arr);
            let _ = scope().post_message_with_transfer(&obj, &js_sys::Array::of1(&arr.buffer()));
        }
        !job.todo.is_empty()
    });
    if more {
        wake();
    }
}

fn num(data: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64())
}

fn on_message(e: MessageEvent) {
    let data = e.data();
    if let Some(arr) = js_sys::Reflect::get(&data, &JsValue::from_str("back")).ok().and_then(|v| v.dyn_into::<js_sys::Float64Array>().ok()) {
        SPARE.with(|s| s.borrow_mut().push(arr));
        return;
    }
    // Not a job (the offline page's bootstrap also keeps the module the page sends).
    let Some(id) = num(&data, "job") else { return };
    let trials: Vec<usize> = js_sys::Reflect::get(&data, &JsValue::from_str("trials"))
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .map(|a| a.iter().filter_map(|v| v.as_f64()).map(|t| t as usize).collect())
        .unwrap_or_default();
    // More trials of the job already built.
    let appended = JOB.with(|cell| {
        let mut slot = cell.borrow_mut();
        match slot.as_mut() {
            Some(job) if job.id == id => {
                let idle = job.todo.is_empty();
                job.todo.extend(&trials);
                Some(idle)
            }
            _ => None,
        }
    });
    if let Some(idle) = appended {
        if idle && !trials.is_empty() {
            wake();
        }
        return;
    }
    // No trials: an older job ends (a remote scene's, say, whose table this worker never sees).
    if trials.is_empty() {
        JOB.with(|cell| cell.borrow_mut().take());
        return;
    }
    let query = js_sys::Reflect::get(&data, &JsValue::from_str("scene")).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let scene = match Scene::from_query(&query, Platform::Web) {
        Ok(s) => s,
        Err(err) => return post_error(id, &err.message),
    };
    match build(&scene) {
        Ok(sweep) => {
            let job = Job { id, sweep, todo: trials.into_iter().collect() };
            let busy = JOB.with(|cell| cell.borrow_mut().replace(job).is_some_and(|old| !old.todo.is_empty()));
            // A running job already has a wake-up queued; it will pick up the new job.
            if !busy {
                wake();
            }
        }
        Err(msg) => {
            JOB.with(|cell| cell.borrow_mut().take());
            post_error(id, &msg);
        }
    }
}

/// Starts the worker: listens for jobs and says it is ready.
pub fn start() {
    let Ok(channel) = MessageChannel::new() else { return };
    let tick = Closure::<dyn FnMut(MessageEvent)>::new(|_e: MessageEvent| step());
    channel.port1().set_onmessage(Some(tick.as_ref().unchecked_ref()));
    tick.forget();
    WAKE.with(|w| *w.borrow_mut() = Some(channel.port2()));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    // Jobs the page sent while the wasm was starting, kept by the bootstrap (www/index.html).
    if let Some(early) = js_sys::Reflect::get(&scope(), &"ddvizQueue".into()).ok().and_then(|v| v.dyn_into::<js_sys::Array>().ok()) {
        for e in early.iter() {
            if let Ok(e) = e.dyn_into::<MessageEvent>() {
                on_message(e);
            }
        }
        early.set_length(0);
    }
    let ready = js_sys::Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    let _ = scope().post_message(&ready);
}
