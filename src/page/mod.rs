//! The page's state and its transitions, as plain Rust: no web-sys, compiled and tested natively.
//!
//! The Elm architecture, as Elm and iced write it: one [`Model`] owns everything the page knows;
//! a [`Msg`] says what happened (a control moved, a size was selected, a trial arrived, a tour
//! step, a host message…); [`update`] changes the model and returns [`Effect`]s — plain data
//! saying what the page must do (post trials to a worker, redraw these panels, write this URL,
//! announce this text). The browser layer (`crate::web`, wasm only) turns DOM events into
//! messages and applies the effects in one place, after the model is released.
//!
//! - [`msg`]: the messages and the effects.
//! - [`update`](mod@update): the one update function.
//! - [`schedule`]: which worker computes which trial.
//! - `job`: the current sweep, started and its trials folded as they arrive.
//! - [`fold`]: trials folded in trial order, whatever order they arrive in.
//! - [`editor`]: your own points, edited on the fit panel.
//! - [`compare`](mod@compare): a comparison's caption, table and the curve under the pointer.
//! - [`text`]: captions, readout and text alternatives, computed from the numbers drawn.
//! - [`presets`]: the named scenes and the introduction tour.
//! - [`training`]: training over time — the time cursor, the map's work, words and tables (for
//!   the lazily loaded module that draws the training panels).

pub mod compare;
pub mod editor;
pub mod fold;
mod job;
pub mod msg;
pub mod presets;
pub mod schedule;
pub mod text;
pub mod training;
pub mod update;

#[cfg(test)]
mod tests;

use std::rc::Rc;

use std::borrow::Cow;

use crate::engine::chain::Chain;
use crate::engine::sweep::{Accumulator, SweepResult};
use crate::plot::Geom;
use crate::scene::{Platform, Scene};

pub use msg::{Effect, Frame, Msg, Panel, TrialData, When};
pub use update::update;

/// Everything the page knows.
pub struct Model {
    /// The scene shown (its URL is [`Scene::to_query`]).
    pub scene: Scene,
    /// The selected x of the sweep (model size, or n for a sample sweep).
    pub selected: usize,
    /// The current sweep's number: trials of an older job are ignored.
    pub job: u64,
    /// The current job's scene string, sent with its trials.
    pub job_query: String,
    /// The current job's sweeps (one, or one per compared value), for the trials the page
    /// computes itself and for which sweep a trial belongs to; `None` for a remote scene
    /// ([`Scene::remote`]), whose trials the lazily loaded module computes.
    pub sweep: Option<Rc<Chain>>,
    /// A remote job's trials per sweep (one per compared value, or one), for which sweep a
    /// trial belongs to; empty otherwise.
    pub parts: Vec<usize>,
    /// The sweeps being folded, one per compared value (one without a comparison).
    pub accs: Vec<Accumulator>,
    /// Trials in the current job.
    pub total: usize,
    /// The summaries drawn, one per sweep (refreshed from `accs` at the next frame after trials
    /// arrive; `None` for a sweep with no trial in yet).
    pub results: Vec<Option<SweepResult>>,
    /// Which sweeps hold trials their summary does not show yet.
    pub dirty: Vec<bool>,
    /// Trials of the current job in trial order.
    pub folder: fold::InOrder<TrialData>,
    /// Flat trial buffers folded already, for the next trials to be copied into (a trial can be
    /// megabytes; fresh memory costs a worker's trial time).
    pub spare: Vec<Vec<f64>>,
    /// Who computes which trial.
    pub sched: schedule::Scheduler,
    /// When the current job began (ms since navigation).
    pub sent_at: f64,
    /// When the curves were last redrawn with part of the trials.
    pub partial_at: f64,
    /// When the progress display last changed, and whether a later change is scheduled.
    pub progress_at: f64,
    /// Whether a later progress display is scheduled.
    pub progress_due: bool,
    /// Frames asked for and not yet drawn.
    pub queued: Queued,
    /// Whether the curves have been drawn once for a whole sweep.
    pub first_drawn: bool,
    /// Whether the fit panel shows the new (test) points.
    pub show_new: bool,
    /// Whether the fit panel shows three more trials' fits.
    pub show_others: bool,
    /// Whether the size plays through the sweep.
    pub playing: bool,
    /// How many times play was started (a step of an older start is ignored).
    pub play_gen: u64,
    /// The size a tour step is moving to; any other change of scene cancels the move.
    pub anim_target: Option<usize>,
    /// Where the curve panels were last drawn (device pixels), for the pointer.
    pub geom_u: Option<Geom>,
    /// Where the double-descent panel was last drawn.
    pub geom_dd: Option<Geom>,
    /// Your own points being edited.
    pub editor: editor::Editor,
    /// Whether reduced motion was asked for (the tour's moves and play jump instead).
    pub reduced_motion: bool,
    /// Whether the page runs in a frame (keys nobody wants go back to the host page).
    pub in_frame: bool,
}

/// A notice for a parameter that could not be used as given: its message and the value used
/// instead (the default, or another value the page chose).
pub fn note(scene: &Scene, e: &crate::scene::ParamError) -> String {
    // Messages that already say what is used (no substring search: it would cost the page KBs).
    if e.message.ends_with("using the last value") || e.message.starts_with("max-size lowered to") {
        return format!("{}.", e.message);
    }
    let used = match scene.get(&e.key) {
        Some(v) if e.key == "points" && v.is_empty() => "generated data".to_string(),
        Some(v) if v.is_empty() => format!("{} = none", e.key),
        Some(v) if scene.get(&e.key) == Scene::default().get(&e.key) => format!("the default, {} = {}", e.key, crate::scene::points_short(&v)),
        Some(v) => format!("{} = {}", e.key, crate::scene::points_short(&v)),
        None => "the default".into(),
    };
    format!("{} — using {used} instead.", e.message)
}

/// Frames asked for and not yet drawn.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    /// A redraw of the curves.
    pub curves: bool,
    /// Whether that redraw completes a sweep (then it marks the page drawn).
    pub done: bool,
    /// A redraw of the fit panel.
    pub fit: bool,
}

impl Model {
    /// The page's model for a URL query; the messages say which parameters fell back to their
    /// defaults. `workers` are the background workers started, `now` the time (ms since
    /// navigation): the page leaves trials to starting workers until `now + grace_ms`.
    pub fn new(query: &str, workers: usize, now: f64) -> (Model, Vec<String>) {
        let (scene, errors) = Scene::from_query_lenient(query, Platform::Web);
        let mut notes: Vec<String> = errors.iter().map(|e| note(&scene, e)).collect();
        notes.extend(text::data_warning(&scene));
        let model = Model {
            selected: scene.size,
            scene,
            job: 0,
            job_query: String::new(),
            sweep: None,
            parts: Vec::new(),
            accs: Vec::new(),
            total: 0,
            results: Vec::new(),
            dirty: Vec::new(),
            folder: fold::InOrder::default(),
            spare: Vec::new(),
            sched: schedule::Scheduler::new(workers, now + schedule::WORKER_GRACE_MS),
            sent_at: now,
            partial_at: 0.0,
            progress_at: 0.0,
            progress_due: false,
            queued: Queued::default(),
            first_drawn: false,
            show_new: true,
            show_others: false,
            playing: false,
            play_gen: 0,
            anim_target: None,
            geom_u: None,
            geom_dd: None,
            editor: editor::Editor::default(),
            reduced_motion: false,
            in_frame: false,
        };
        (model, notes)
    }

    /// The summary of the sweep shown in full (the compared value picked, [`Scene::pick`]),
    /// once it has trials.
    pub fn result(&self) -> Option<&SweepResult> {
        self.results.get(self.scene.pick)?.as_ref()
    }

    /// The scene shown in full: the picked compared value's, or the scene itself
    /// ([`Scene::shown`]).
    pub fn shown(&self) -> Cow<'_, Scene> {
        self.scene.shown()
    }

    /// The compared values' labels (`noise 0.1`, …), empty without a comparison.
    pub fn labels(&self) -> Vec<String> {
        self.scene.compared_labels()
    }

    /// The compared values with numbers in (of [`Scene::compared`]'s `compared`), as the
    /// comparison panel draws them, and which of them is the chosen value (if its numbers are
    /// in yet).
    pub fn drawn_curves<'a>(&'a self, compared: &'a [(String, Scene)]) -> (Vec<crate::plot::Compared<'a>>, Option<usize>) {
        let curves: Vec<crate::plot::Compared<'a>> = compared
            .iter()
            .zip(&self.results)
            .enumerate()
            .filter_map(|(index, ((label, scene), r))| Some(crate::plot::Compared { index, label, scene, result: r.as_ref()? }))
            .collect();
        let chosen = curves.iter().position(|c| c.index == self.scene.pick);
        (curves, chosen)
    }

    /// The page's captions now: [`text::captions`] of the scene shown — with a comparison, of
    /// the value picked, named at the start of the fit and U captions, and the double-descent
    /// caption read off every compared curve ([`compare::caption`]).
    pub fn captions(&self) -> text::Captions {
        let shown = self.shown();
        let mut c = text::captions(&shown, self.result());
        if self.scene.compare.is_some() {
            let compared = self.scene.compared();
            if let Some((label, _)) = compared.get(self.scene.pick) {
                c.fit = format!("{label} (the value shown): {}", c.fit);
                c.u = format!("{label} (the value shown): {}", c.u);
            }
            c.dd = compare::caption(&self.scene, &compared, &self.results);
        }
        c
    }

    /// The "show as table" view of a curve panel ([`text::curves_table`]; `below`: the U
    /// panel's rows) — with a comparison, the double-descent panel's has a column per value
    /// ([`compare::table`]).
    pub fn curves_table(&self, below: bool) -> Option<String> {
        if !below && self.scene.compare.is_some() {
            return compare::table(self);
        }
        text::curves_table(self, below)
    }

    /// The row of the sweep nearest to `x`.
    pub fn row_at(&self, x: usize) -> Option<&crate::engine::sweep::SweepRow> {
        let rows = &self.result()?.rows;
        let i = rows.partition_point(|r| r.x < x);
        match (rows.get(i), i.checked_sub(1).and_then(|j| rows.get(j))) {
            (Some(r), Some(l)) => Some(if r.x - x <= x - l.x { r } else { l }),
            (Some(r), None) => Some(r),
            (None, l) => l,
        }
    }

    /// The scene's own points, or `None` with generated data.
    pub fn own_points(&self) -> Option<Vec<(f64, f64)>> {
        self.scene.problem.data.as_ref().map(|d| d.x.iter().copied().zip(d.y.iter().copied()).collect())
    }

    /// Whether the points may be edited on the page (your own data, its control shown).
    pub fn editable(&self) -> bool {
        self.scene.problem.data.is_some() && self.scene.shows_control("points")
    }

    /// The training points the fit panel shows with generated data (trial 0's draw), rounded to
    /// four decimals: where "edit these points" starts from.
    pub fn generated_points(&self) -> Vec<(f64, f64)> {
        let round = |v: f64| (v * 1e4).round() / 1e4;
        let t = self.scene.problem.train_set(0, self.scene.problem.n, 1);
        t.x.iter().zip(&t.y).map(|(x, y)| (round(*x), round(*y))).collect()
    }

    /// Redraws the curves at the next frame; with `done`, marks the sweep drawn after that redraw
    /// (whichever frame is already asked for draws the curves as they are by then).
    pub(crate) fn queue_redraw(&mut self, done: bool, fx: &mut Vec<Effect>) {
        self.queued.done |= done;
        if !std::mem::replace(&mut self.queued.curves, true) {
            fx.push(Effect::Schedule(When::Frame, Box::new(Msg::Frame(Frame::Curves))));
        }
    }

    /// Redraws the fit panel at the next frame.
    pub(crate) fn queue_fit(&mut self, fx: &mut Vec<Effect>) {
        if !std::mem::replace(&mut self.queued.fit, true) {
            fx.push(Effect::Schedule(When::Frame, Box::new(Msg::Frame(Frame::Fit))));
        }
    }

    /// The x of the selection on the curve panels' axis (p/n when the axis shows the ratio).
    pub fn selected_on_axis(&self) -> f64 {
        if self.scene.ratio && self.scene.axis == crate::engine::sweep::Axis::Size {
            self.selected as f64 / self.scene.problem.train_n() as f64
        } else {
            self.selected as f64
        }
    }
}
