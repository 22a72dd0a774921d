//! The Web Worker side: runs sweeps a few trials at a time and streams partial results.
//!
//! Protocol. The page posts `{job, scene}` (a scene string). The worker answers with
//! `{job, trials, total, ms, done, data}` messages, `data` a Float64Array in
//! [`SweepResult::to_flat`] form, or `{job, error}`. A new job replaces the running one at the
//! next yield (every ~25 ms), so stale work is dropped as soon as a control moves. Yielding goes
//! through a MessageChannel, which (unlike `setTimeout(0)`) is not throttled.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent, MessagePort};

use crate::engine::sweep::{Accumulator, Axis, SampleSweep, SizeSweep, Sweep, SweepResult};
use crate::scene::{Platform, Scene};

/// The job being computed.
struct Job {
    id: f64,
    sweep: Box<dyn Sweep>,
    acc: Accumulator,
    next: usize,
    started: f64,
}

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    static WAKE: RefCell<Option<MessagePort>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now() -> f64 {
    scope().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
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

fn post_result(job: &Job, result: &SweepResult) {
    let flat = result.to_flat();
    let arr = js_sys::Float64Array::from(&flat[..]);
    let obj = js_sys::Object::new();
    set(&obj, "job", &JsValue::from_f64(job.id));
    set(&obj, "trials", &JsValue::from_f64(job.next as f64));
    set(&obj, "total", &JsValue::from_f64(job.sweep.trials() as f64));
    set(&obj, "ms", &JsValue::from_f64(now() - job.started));
    set(&obj, "done", &JsValue::from_bool(job.next >= job.sweep.trials()));
    set(&obj, "data", &arr);
    let transfer = js_sys::Array::of1(&arr.buffer());
    let _ = scope().post_message_with_transfer(&obj, &transfer);
}

/// Builds the sweep a scene asks for.
pub fn build(scene: &Scene) -> Result<Box<dyn Sweep>, String> {
    match scene.axis {
        Axis::Size => SizeSweep::new(scene.problem.clone(), scene.max_size, scene.grid, scene.trials)
            .map(|s| Box::new(s) as Box<dyn Sweep>)
            .map_err(|e| e.to_string()),
        Axis::Samples => SampleSweep::new(scene.problem.clone(), scene.size, scene.grid, scene.trials)
            .map(|s| Box::new(s) as Box<dyn Sweep>)
            .map_err(|e| e.to_string()),
    }
}

fn wake() {
    WAKE.with(|w| {
        if let Some(port) = w.borrow().as_ref() {
            let _ = port.post_message(&JsValue::NULL);
        }
    });
}

/// Runs trials for about 25 ms, posts the partial result, and yields.
fn step() {
    let more = JOB.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(job) = slot.as_mut() else { return false };
        let t0 = now();
        while job.next < job.sweep.trials() {
            let out = job.sweep.run_trial(job.next);
            job.acc.add(&out);
            job.next += 1;
            if now() - t0 > 25.0 {
                break;
            }
        }
        let result = job.acc.result();
        post_result(job, &result);
        if job.next >= job.sweep.trials() {
            *slot = None;
            false
        } else {
            true
        }
    });
    if more {
        wake();
    }
}

fn on_message(e: MessageEvent) {
    let data = e.data();
    let id = js_sys::Reflect::get(&data, &JsValue::from_str("job")).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let query = js_sys::Reflect::get(&data, &JsValue::from_str("scene")).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let scene = match Scene::from_query(&query, Platform::Web) {
        Ok(s) => s,
        Err(err) => return post_error(id, &err.message),
    };
    match build(&scene) {
        Ok(sweep) => {
            let acc = sweep.accumulator();
            let busy = JOB.with(|cell| cell.borrow_mut().replace(Job { id, sweep, acc, next: 0, started: now() }).is_some());
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

/// Starts the worker: listens for jobs.
pub fn start() {
    let Ok(channel) = MessageChannel::new() else { return };
    let tick = Closure::<dyn FnMut(MessageEvent)>::new(|_e: MessageEvent| step());
    channel.port1().set_onmessage(Some(tick.as_ref().unchecked_ref()));
    tick.forget();
    WAKE.with(|w| *w.borrow_mut() = Some(channel.port2()));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    let ready = js_sys::Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    let _ = scope().post_message(&ready);
}
