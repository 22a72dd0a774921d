//! The current job: a sweep started (its trials given to the workers or the page) and its trials
//! folded in trial order as they arrive, with the progress shown and the curves redrawn.

use std::rc::Rc;

use super::msg::{Effect, Msg, TrialData, When};
use super::Model;

/// Partial curves are drawn only for sweeps that take longer than this (ms)…
const PARTIAL_AFTER_MS: f64 = 250.0;
/// …and at most this often: drawing costs the page time it would otherwise spend computing or
/// answering the pointer, and a fast sweep is better drawn once.
const PARTIAL_EVERY_MS: f64 = 100.0;
/// The progress display changes at most this often: each change costs the browser a frame, taken
/// from the workers (with a change after every trial the reference sweep took 7 % longer).
const PROGRESS_EVERY_MS: f64 = 100.0;
/// Flat trial buffers kept for reuse.
const SPARE_BUFFERS: usize = 4;

/// Brings the summaries drawn up to date with the trials folded (a sweep of the new job with
/// no trial in yet drops the old job's curve: with a comparison, its label is a new one).
pub(super) fn refresh(m: &mut Model) {
    m.results.resize(m.accs.len(), None);
    m.dirty.resize(m.accs.len(), false);
    for ((acc, r), dirty) in m.accs.iter().zip(m.results.iter_mut()).zip(m.dirty.iter_mut()) {
        if std::mem::take(dirty) {
            *r = Some(acc.result());
        } else if acc.trials() == 0 {
            *r = None;
        }
    }
}

pub(super) fn post(m: &Model, p: super::schedule::Post) -> Effect {
    Effect::Post { worker: p.worker, job: m.job, scene: m.job_query.clone(), trials: p.trials }
}

pub(super) fn recycle(m: &mut Model, data: TrialData) {
    if let TrialData::Flat(v) = data {
        if m.spare.len() < SPARE_BUFFERS {
            m.spare.push(v);
        }
    }
}

pub(super) fn progress(m: &mut Model, now: f64, ms: Option<f64>) -> Effect {
    m.progress_at = now;
    Effect::Progress { done: m.folder.next(), total: m.total, ms }
}

/// Starts computing the scene: the trials go to the workers as they are ready for them, and the
/// page computes trials itself, one per task, when there are no workers, or when none is ready
/// [`super::schedule::WORKER_GRACE_MS`] after the page started — the same trials, folded in the
/// same order, whoever runs them.
pub(super) fn request_sweep(m: &mut Model, now: f64, fx: &mut Vec<Effect>) {
    m.job += 1;
    m.sent_at = now;
    for d in m.folder.reset() {
        recycle(m, d);
    }
    m.queued.done = false;
    m.job_query = m.scene.to_query();
    // A remote scene (the digits, the sample-wise view): the lazily loaded module computes
    // its trials, the page folds them.
    let remote = m.scene.remote();
    m.accs = Vec::new();
    m.sweep = None;
    m.parts = Vec::new();
    let made = if remote {
        m.scene.remote_layout().map(|accs| {
            // Every compared value has the scene's trials.
            m.parts = vec![m.scene.trials; accs.len()];
            m.accs = accs;
            m.scene.trials * m.parts.len()
        })
    } else {
        m.scene.size_chain().map(|c| {
            m.accs = c.accumulators();
            let total = c.trials();
            m.sweep = Some(Rc::new(c));
            total
        })
    };
    let total = made.unwrap_or_else(|e| {
        fx.push(Effect::Notice(vec![e.to_string()]));
        0
    });
    m.dirty = vec![false; m.accs.len()];
    m.total = total;
    // The page's workers are given the job's trials (none of a remote job's: the empty lists
    // cancel an older job).
    for p in m.sched.start(if remote { 0 } else { total }) {
        fx.push(post(m, p));
    }
    // The second module computes a remote job; any other job ends the one it was computing.
    fx.push(Effect::Remote { job: m.job, scene: m.job_query.clone(), trials: if remote { total } else { 0 } });
    fx.push(progress(m, now, None));
    // The sweep's clock starts once the page's writes and the posts are done, as it always has.
    fx.push(Effect::Schedule(When::Now, Box::new(Msg::JobStarted(m.job))));
}

/// Job `job`'s trials are out: its clock starts now, and the page computes trials itself when
/// there are no workers, or when none is up [`super::schedule::WORKER_GRACE_MS`] after the page
/// started (they are still loading, or never start: workers that never start hold up only the
/// first sweep).
pub(super) fn job_started(m: &mut Model, job: u64, now: f64, fx: &mut Vec<Effect>) {
    if job != m.job {
        return;
    }
    m.sent_at = now;
    let wait = if m.sched.workers() == 0 { 0.0 } else { m.sched.grace_until - now };
    if m.sched.has_work() && !m.sched.any_ready() && !std::mem::replace(&mut m.sched.stepping, true) {
        let when = if wait > 0.0 { When::After(wait) } else { When::Task };
        fx.push(Effect::Schedule(when, Box::new(Msg::PageStep)));
    }
}

/// A trial arrived: folded in trial order, with progress, the time when done and a redraw.
pub(super) fn trial(m: &mut Model, job: u64, worker: Option<usize>, data: TrialData, now: f64, fx: &mut Vec<Effect>) {
    if job != m.job {
        // A stale job's last words.
        return recycle(m, data);
    }
    // The worker is given its next trials whatever it sent.
    if let Some(p) = worker.and_then(|i| m.sched.returned(i)) {
        fx.push(post(m, p));
    }
    let Some(t) = data.trial() else { return };
    let due = match m.folder.push(t, data) {
        Ok(due) => due,
        Err(copy) => return recycle(m, copy),
    };
    // A compared value's sweep completed by these trials: its curve is drawn at once.
    let mut completed = false;
    let ms = now - m.sent_at;
    for d in due {
        let g = d.trial().unwrap_or(usize::MAX);
        // Which sweep the trial is of (of a remote job, from its parts' trials).
        let part = match &m.sweep {
            Some(c) => c.locate(g).map(|(part, _)| part),
            None => m
                .parts
                .iter()
                .scan(0, |end, t| {
                    *end += t;
                    Some(*end)
                })
                .position(|end| g < end),
        };
        if let Some((acc, dirty)) = part.and_then(|i| Some((m.accs.get_mut(i)?, m.dirty.get_mut(i)?))) {
            match &d {
                // A malformed array (never sent by this page's workers) counts as folded, so
                // that the trials after it still come in.
                TrialData::Flat(v) => {
                    acc.add_flat(v);
                }
                TrialData::Own(o) => acc.add(o),
            }
            *dirty = true;
        }
        let whole = part.filter(|&i| m.sweep.as_ref().map_or_else(|| m.parts.iter().take(i + 1).sum::<usize>(), |c| c.start(i + 1)) == g + 1);
        if whole == Some(0) && m.accs.len() > 1 {
            // When the first compared curve could be drawn, for measurements (performance.md).
            fx.push(Effect::BodyData("first-curve-ms", format!("{ms:.1}")));
        }
        completed |= whole.is_some();
        recycle(m, d);
    }
    let done = m.folder.next() >= m.total;
    if done {
        fx.push(progress(m, now, Some(ms)));
        fx.push(Effect::BodyData("sweep-ms", format!("{ms:.1}")));
    } else if !m.progress_due {
        let wait = m.progress_at + PROGRESS_EVERY_MS - now;
        if wait > 0.0 {
            m.progress_due = true;
            fx.push(Effect::Schedule(When::After(wait), Box::new(Msg::ProgressTick)));
        } else {
            fx.push(progress(m, now, None));
        }
    }
    let partial = ms > PARTIAL_AFTER_MS && now - m.partial_at >= PARTIAL_EVERY_MS;
    if partial && !done {
        m.partial_at = now;
    }
    if done || partial || completed {
        m.queue_redraw(done, fx);
    }
}
