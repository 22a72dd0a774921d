//! The page's remote jobs, in the lazily loaded module (`ddviz-extra`): the sweeps the page's own
//! module does not carry ([`Scene::remote`]: the handwritten digits and the sample-wise view).
//! The page hands this module the job ([`start`]) and folds the trials sent back
//! (`window.ddvizTrialIn`, see `super::lazy`) as it folds its own workers' — its curves,
//! readout, tables and CSV are the same whoever computed them.
//!
//! Trials go to the module's worker two at a time, the next asked as each comes back, so that a
//! new scene never waits behind a queue of stale trials; without a worker (or once it failed)
//! the page's thread computes them, one per task. A digits job's trials are also folded by
//! `super::digits`, for the panels only the digits have.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::{digits, dom, extra_worker as worker};
use crate::engine::chain::Chain;

/// Trials asked of the worker at once.
const AHEAD: usize = 2;

/// The job being computed: its number, scene string and sweeps, the next trial to ask for and
/// how many there are.
struct Job {
    job: u64,
    query: String,
    chain: Option<Chain>,
    next: usize,
    total: usize,
    /// Whether the page's thread computes the rest (no worker, or it failed).
    alone: bool,
    /// Trials delivered (the lowest not yet, for a restart on the page's thread).
    delivered: Vec<bool>,
}

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    /// Whether the page's thread has a step scheduled (one chain of steps, whatever the job).
    static STEPPING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Schedules the page's thread's next step, unless one is scheduled.
fn schedule_step() {
    if !STEPPING.with(|s| s.replace(true)) {
        dom::after(0.0, step);
    }
}

/// The sweeps of a remote scene string (with the digits, once loaded).
fn chain_of(query: &str) -> Result<Chain, String> {
    super::loaded::scene_of(query).chain().map_err(|e| e.to_string())
}

/// The page's job `job` of a remote scene: its `trials` trials computed and sent back to the
/// page as they come, in any order (the page folds them in trial order). No trials: a job the
/// page computes itself, which ends the one computed here.
pub fn start(job: u64, query: &str, trials: usize) {
    // No trials: the page computes this scene itself; the job before it ends here.
    if trials == 0 {
        JOB.with(|j| *j.borrow_mut() = None);
        return digits::start(job, "");
    }
    let chain = match chain_of(query) {
        Ok(c) => Some(c),
        Err(e) => {
            dom::notice(&[e]);
            None
        }
    };
    digits::start(job, query);
    let alone = !worker::available();
    let total = chain.as_ref().map_or(0, |c| c.trials().min(trials));
    JOB.with(|j| *j.borrow_mut() = Some(Job { job, query: query.to_string(), chain, next: 0, total, alone, delivered: vec![false; total] }));
    if alone {
        schedule_step();
    } else {
        for _ in 0..AHEAD {
            ask();
        }
    }
}

/// Asks the worker for the next trial of the job.
fn ask() {
    let next = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| !job.alone && job.next < job.total)?;
        job.next += 1;
        Some((job.job, job.query.clone(), job.next - 1))
    });
    if let Some((gen, query, t)) = next {
        if !worker::post(gen, worker::REMOTE, &query, 0, t..t + 1) {
            failed();
        }
    }
}

/// A trial of job `gen` back from the worker: to the page, and the next one asked.
pub fn on_trial(gen: u64, flat: Vec<f64>) {
    if JOB.with(|j| j.borrow().as_ref().is_some_and(|job| job.job == gen)) {
        deliver(gen, flat);
        ask();
    }
}

/// The worker failed: the page's thread computes what is left (what was out with the worker
/// again: the page folds a trial once).
pub fn failed() {
    let start = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut()?;
        job.next = job.delivered.iter().position(|d| !d).unwrap_or(job.total);
        Some(!std::mem::replace(&mut job.alone, true))
    });
    if start == Some(true) {
        schedule_step();
    }
}

/// The page's thread computes the next trial of the job not delivered yet, then yields.
fn step() {
    STEPPING.with(|s| s.set(false));
    let out = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.alone)?;
        while job.next < job.total && job.delivered[job.next] {
            job.next += 1;
        }
        if job.next >= job.total {
            return None;
        }
        let flat = job.chain.as_ref()?.run_trial(job.next)?.to_flat();
        job.next += 1;
        Some((job.job, flat))
    });
    if let Some((gen, flat)) = out {
        deliver(gen, flat);
        schedule_step();
    }
}

/// Hands a trial to the page (`window.ddvizTrialIn`, set by the page's `super::lazy`), and to
/// the digits' own panels.
fn deliver(gen: u64, flat: Vec<f64>) {
    let fresh = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.job == gen)?;
        let t = crate::page::msg::flat_trial(&flat)?;
        let seen = job.delivered.get_mut(t)?;
        Some(!std::mem::replace(seen, true))
    });
    if fresh != Some(true) {
        return;
    }
    if let Some(f) = dom::window().and_then(|w| js_sys::Reflect::get(&w, &"ddvizTrialIn".into()).ok()).and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = f.call2(&JsValue::NULL, &(gen as f64).into(), &js_sys::Float64Array::from(&flat[..]));
    }
    digits::fold(gen, flat);
}

/// A scene string and its sweeps, kept in the worker for the next trial of the same scene.
type Kept = (String, Option<Chain>);

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// In the worker: drops the sweeps kept (a new table makes the same scene string another
/// scene).
pub fn forget() {
    KEPT.with(|k| *k.borrow_mut() = None);
}

/// In the worker: trial `t` of the remote scene `query`, in its flat form (empty if the scene
/// has no such trial). The sweeps are kept for the next trial of the same scene.
pub fn trial(query: &str, t: usize) -> Vec<f64> {
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        if k.as_ref().is_none_or(|(q, _)| q != query) {
            *k = Some((query.to_string(), chain_of(query).ok()));
        }
        k.as_ref().and_then(|(_, c)| c.as_ref()).and_then(|c| c.run_trial(t)).map(|o| o.to_flat()).unwrap_or_default()
    })
}
