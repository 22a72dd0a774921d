//! The page's side of the background workers: takes over the workers the bootstrap started,
//! turns their messages into [`Msg`]s and posts them trials.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::{dom, runtime};
use crate::page::{Msg, TrialData};

thread_local! {
    static WORKERS: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
}

/// Takes over the workers, which run the same wasm. The script at the top of `www/index.html`
/// (or the single-file build's loader) starts them before the page's own wasm has loaded
/// (`window.ddvizWorkers`, their early messages in `window.ddvizInbox`): one place starts them.
/// Returns how many there are, and whether the page is the offline build (which may have none).
pub fn take_over() -> (usize, bool) {
    let Some(win) = dom::window() else { return (0, false) };
    let early = js_sys::Reflect::get(&win, &"ddvizWorkers".into()).ok().and_then(|v| v.dyn_into::<js_sys::Array>().ok());
    let workers: Vec<Worker> = early.map(|a| a.iter().filter_map(|w| w.dyn_into::<Worker>().ok()).collect()).unwrap_or_default();
    let offline = js_sys::Reflect::get(&win, &"ddvizOffline".into()).map(|v| v.is_truthy()).unwrap_or(false);
    // The page's compiled module, shared with the workers (no second fetch or compile).
    let module = wasm_bindgen::module();
    for w in &workers {
        let _ = w.post_message(&module);
        dom::listen_worker(w, on_message, failed);
    }
    let n = workers.len();
    WORKERS.with(|ws| *ws.borrow_mut() = workers);
    (n, offline)
}

/// Messages that arrived before the handlers were in place.
pub fn read_inbox() {
    let Some(win) = dom::window() else { return };
    if let Some(inbox) = js_sys::Reflect::get(&win, &"ddvizInbox".into()).ok().and_then(|v| v.dyn_into::<js_sys::Array>().ok()) {
        for e in inbox.iter() {
            if let Ok(m) = e.clone().dyn_into::<MessageEvent>() {
                on_message(m);
            } else {
                failed();
            }
        }
        inbox.set_length(0);
    }
}

fn failed() {
    WORKERS.with(|ws| ws.borrow_mut().clear());
    runtime::dispatch(Msg::WorkersFailed);
}

fn get(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Which of the workers sent a message.
fn index_of(source: Option<&web_sys::EventTarget>) -> Option<usize> {
    WORKERS.with(|ws| ws.borrow().iter().position(|w| source.is_some_and(|s| js_sys::Object::is(s, w))))
}

fn on_message(e: MessageEvent) {
    let data = e.data();
    let source = e.target();
    if get(&data, "ready").is_truthy() {
        if let Some(i) = index_of(source.as_ref()) {
            runtime::dispatch(Msg::WorkerReady(i));
        }
        return;
    }
    let job = get(&data, "job").as_f64().unwrap_or(-1.0);
    if job < 0.0 {
        return;
    }
    let job = job as u64;
    if let Some(message) = get(&data, "error").as_string() {
        return runtime::dispatch(Msg::WorkerError { job, message });
    }
    // A trial in flat form (TrialOutput::to_flat: its index first), copied into a buffer the
    // page has folded before (fresh memory is slow to fill), and the array goes straight back
    // to its worker, which writes its next trial into it: in the reference scene, filling a new
    // array took a worker 1.6 ms of its 12 ms trial, one it had before 0.2 ms
    // (tests/browser/profile-workers.mjs).
    let Ok(arr) = get(&data, "trial").dyn_into::<js_sys::Float64Array>() else { return };
    if arr.length() < 3 {
        return;
    }
    let mut buf = runtime::take_spare().unwrap_or_default();
    buf.resize(arr.length() as usize, 0.0);
    arr.copy_to(&mut buf);
    let worker = index_of(source.as_ref());
    if let Some(w) = worker.and_then(|i| WORKERS.with(|ws| ws.borrow().get(i).cloned())) {
        let back = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&back, &"back".into(), &arr);
        let _ = w.post_message_with_transfer(&back, &js_sys::Array::of1(&arr.buffer()));
    }
    runtime::dispatch(Msg::Trial { job, worker, data: TrialData::Flat(buf) });
}

/// Posts trials of a job to worker `i` (an empty list cancels its older job).
pub fn post(i: usize, job: u64, scene: &str, trials: &[usize]) {
    let Some(w) = WORKERS.with(|ws| ws.borrow().get(i).cloned()) else { return };
    let obj = js_sys::Object::new();
    let list = js_sys::Array::new();
    for t in trials {
        list.push(&JsValue::from_f64(*t as f64));
    }
    let _ = js_sys::Reflect::set(&obj, &"job".into(), &JsValue::from_f64(job as f64));
    let _ = js_sys::Reflect::set(&obj, &"scene".into(), &JsValue::from_str(scene));
    let _ = js_sys::Reflect::set(&obj, &"trials".into(), &list);
    let _ = w.post_message(&obj);
}
