//! Who computes which trial: the background workers, each kept two trials ahead, and the page
//! itself when no worker is up.
//!
//! Trials wait in one queue. A worker still starting is given trials too: they wait in its inbox
//! (the bootstrap in www/index.html keeps them), so it computes the moment its wasm is up. Whoever
//! runs out of trials first — the page, or a worker that is ready — takes those over, so a worker
//! that never starts cannot hold up the sweep (a second copy of a trial is never folded).

use std::collections::VecDeque;

/// How long after the page starts it leaves sweeps to workers that are still starting before it
/// computes trials itself. Two workers already use two cores, and a third thread only slows
/// them down: the reference scene's first sweep took a median 221 ms with the page computing
/// from the start, 209 ms without (20 alternating reloads, tests/browser/first-sweep.mjs).
pub const WORKER_GRACE_MS: f64 = 250.0;

/// Trials a worker is given ahead, so it never waits for the page.
const AHEAD: usize = 2;

/// Trials to post to one worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The worker.
    pub worker: usize,
    /// The trials (an empty list cancels whatever older job the worker still runs).
    pub trials: Vec<usize>,
}

/// The state of the workers and the trials not yet given to anyone.
#[derive(Debug, Clone, Default)]
pub struct Scheduler {
    /// Whether each worker has started its wasm.
    ready: Vec<bool>,
    /// Trials each worker has been given and not yet returned.
    outstanding: Vec<usize>,
    /// Trials of the current job not yet given to anyone.
    queue: VecDeque<usize>,
    /// For each worker still starting, the trials it was given.
    early: Vec<Vec<usize>>,
    /// Until when the page leaves trials to workers that are still starting.
    pub grace_until: f64,
    /// Whether the page's own trial loop is scheduled.
    pub stepping: bool,
}

impl Scheduler {
    /// `workers` workers, none ready yet.
    pub fn new(workers: usize, grace_until: f64) -> Scheduler {
        Scheduler { ready: vec![false; workers], outstanding: vec![0; workers], early: vec![Vec::new(); workers], grace_until, ..Scheduler::default() }
    }

    /// How many workers there are.
    pub fn workers(&self) -> usize {
        self.ready.len()
    }

    /// Whether any worker is up.
    pub fn any_ready(&self) -> bool {
        self.ready.iter().any(|r| *r)
    }

    /// Whether trials of the current job wait for someone to compute them.
    pub fn has_work(&self) -> bool {
        !self.queue.is_empty() || self.early.iter().any(|e| !e.is_empty())
    }

    /// A new job of `total` trials: every worker is given its first ones (an empty list still
    /// goes out, to cancel the older job).
    pub fn start(&mut self, total: usize) -> Vec<Post> {
        self.queue = (0..total).collect();
        self.early.iter_mut().for_each(Vec::clear);
        self.outstanding.iter_mut().for_each(|o| *o = 0);
        (0..self.workers()).filter_map(|i| self.assign(i, true)).collect()
    }

    /// Worker `i` is up: it takes trials (its early ones are its own again).
    pub fn ready(&mut self, i: usize) -> Option<Post> {
        *self.ready.get_mut(i)? = true;
        if let Some(e) = self.early.get_mut(i) {
            e.clear();
        }
        self.assign(i, false)
    }

    /// Worker `i` returned a trial: it gets another, if any is left.
    pub fn returned(&mut self, i: usize) -> Option<Post> {
        let o = self.outstanding.get_mut(i)?;
        *o = o.saturating_sub(1);
        self.assign(i, false)
    }

    /// The workers failed: forget them. Returns whether there were any.
    pub fn fail(&mut self) -> bool {
        let had = !self.ready.is_empty();
        self.ready.clear();
        self.outstanding.clear();
        self.early.clear();
        had
    }

    /// The next trial for the page to compute, unless a worker is up: from the queue, then (last
    /// first) those waiting for a worker that is still starting.
    pub fn page_take(&mut self) -> Option<usize> {
        if self.any_ready() {
            return None;
        }
        self.queue.pop_front().or_else(|| self.take_early())
    }

    fn take_early(&mut self) -> Option<usize> {
        self.early.iter_mut().find_map(Vec::pop)
    }

    fn assign(&mut self, i: usize, always: bool) -> Option<Post> {
        let want = AHEAD.saturating_sub(self.outstanding.get(i).copied().unwrap_or(AHEAD));
        let ready = self.ready.get(i).copied().unwrap_or(false);
        let mut trials = Vec::new();
        while trials.len() < want {
            match self.queue.pop_front().or_else(|| if ready { self.take_early() } else { None }) {
                Some(t) => trials.push(t),
                None => break,
            }
        }
        if trials.is_empty() && !always {
            return None;
        }
        *self.outstanding.get_mut(i)? += trials.len();
        if let (false, Some(e)) = (ready, self.early.get_mut(i)) {
            e.extend(&trials);
        }
        Some(Post { worker: i, trials })
    }
}

#[cfg(test)]
mod tests {
    use super::{Post, Scheduler};

    #[test]
    fn each_worker_is_kept_two_trials_ahead() {
        let mut s = Scheduler::new(2, 0.0);
        let posts = s.start(5);
        assert_eq!(posts, vec![Post { worker: 0, trials: vec![0, 1] }, Post { worker: 1, trials: vec![2, 3] }]);
        assert_eq!(s.ready(0), None, "worker 0 already holds two trials");
        assert_eq!(s.ready(1), None);
        assert_eq!(s.returned(0), Some(Post { worker: 0, trials: vec![4] }));
        assert_eq!(s.returned(1), None, "nothing left to give");
        assert_eq!(s.returned(0), None);
    }

    #[test]
    fn a_new_job_cancels_the_old_one_with_an_empty_post_when_nothing_is_left() {
        let mut s = Scheduler::new(3, 0.0);
        let posts = s.start(2);
        assert_eq!(posts.len(), 3);
        assert_eq!(posts[2], Post { worker: 2, trials: vec![] });
    }

    #[test]
    fn a_ready_worker_takes_over_the_trials_of_a_worker_that_never_starts() {
        let mut s = Scheduler::new(2, 0.0);
        s.start(4);
        // Worker 1 never starts; worker 0 does, computes its two and then takes worker 1's.
        assert_eq!(s.ready(0), None);
        assert_eq!(s.returned(0), Some(Post { worker: 0, trials: vec![3] }));
        assert_eq!(s.returned(0), Some(Post { worker: 0, trials: vec![2] }));
        assert_eq!(s.returned(0), None);
        assert!(!s.has_work());
    }

    #[test]
    fn the_page_computes_only_while_no_worker_is_up() {
        let mut s = Scheduler::new(1, 0.0);
        s.start(3);
        assert_eq!(s.page_take(), Some(2), "the queue first");
        assert_eq!(s.page_take(), Some(1), "then the starting worker's, last first");
        s.ready(0);
        assert_eq!(s.page_take(), None, "a worker is up");
    }

    #[test]
    fn without_workers_the_page_computes_every_trial_in_order() {
        let mut s = Scheduler::new(2, 0.0);
        assert!(s.fail());
        assert!(s.start(3).is_empty());
        assert_eq!((s.page_take(), s.page_take(), s.page_take(), s.page_take()), (Some(0), Some(1), Some(2), None));
        assert!(!s.fail(), "no workers left to fail");
    }
}
