//! What can happen on the page ([`Msg`]) and what the page must then do ([`Effect`]).
//!
//! Both are plain data: the update that turns one into the other is tested natively, and the
//! browser layer is left with turning events into messages and applying effects.

use std::rc::Rc;

use super::editor::Edit;
use crate::engine::chain::Chain;
use crate::engine::sweep::TrialOutput;
use crate::plot::Geom;

/// One trial's numbers as they arrive: from a worker in flat form
/// ([`TrialOutput::to_flat`]), or computed on the page.
#[derive(Debug, Clone)]
pub enum TrialData {
    /// A worker's trial, copied out of the array it sent.
    Flat(Vec<f64>),
    /// A trial the page computed itself.
    Own(TrialOutput),
}

/// The index of a trial in its flat form (`TrialOutput::to_flat`: the index first), if it has one.
pub fn flat_trial(v: &[f64]) -> Option<usize> {
    v.first().filter(|t| t.is_finite() && **t >= 0.0).map(|t| *t as usize)
}

impl TrialData {
    /// The trial's index.
    pub fn trial(&self) -> Option<usize> {
        match self {
            TrialData::Flat(v) => flat_trial(v),
            TrialData::Own(o) => Some(o.trial),
        }
    }
}

/// The two curve panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The textbook U.
    U,
    /// Double descent.
    Dd,
}

/// A frame asked for with [`When::Frame`]: what is drawn in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// The curve panels (with their cursors, readout and tables).
    Curves,
    /// The fit panel.
    Fit,
}

/// When a scheduled message is delivered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// At the next animation frame.
    Frame,
    /// After this many milliseconds.
    After(f64),
    /// As a new task, after what the page has queued (not clamped like a timeout).
    Task,
    /// Right after the effects being applied (in the same task).
    Now,
}

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Msg {
    /// The page is up: the first sweep starts (or the tour's step is shown).
    Start,
    /// Worker `i` has started its wasm.
    WorkerReady(usize),
    /// The workers failed: the page computes every trial itself from now on.
    WorkersFailed,
    /// A trial of job `job` arrived, from worker `worker` or the page.
    Trial {
        /// The job it belongs to.
        job: u64,
        /// The worker that sent it (`None`: the page).
        worker: Option<usize>,
        /// Its numbers.
        data: TrialData,
    },
    /// A worker could not run job `job`.
    WorkerError {
        /// The job.
        job: u64,
        /// Its message.
        message: String,
    },
    /// The page's turn to compute a trial, if no worker is ready to.
    PageStep,
    /// Time to show the progress of the sweep.
    ProgressTick,
    /// A frame asked for has come.
    Frame(Frame),
    /// The curve panels were drawn here (device pixels).
    CurvesDrawn {
        /// The U panel.
        u: Option<Geom>,
        /// The double-descent panel.
        dd: Option<Geom>,
    },
    /// The fit panel was drawn here (`None`: not a 1-D chart), at `scale` device pixels a CSS pixel.
    FitDrawn {
        /// Its plotting area.
        geom: Option<Geom>,
        /// Device pixels per CSS pixel.
        scale: f64,
    },
    /// A control moved: the parameter `key` now reads `text`.
    Control {
        /// The parameter.
        key: &'static str,
        /// Its value as text.
        text: String,
    },
    /// A whole new scene string (a preset, the browser's history).
    Query(String),
    /// A new random draw: every trial with this seed.
    NewDraw(u64),
    /// Set the ridge penalty to the optimal one of the exact theory.
    OptimalRidge,
    /// The pointer is over a curve panel at this device-pixel column.
    Hover {
        /// Which panel.
        panel: Panel,
        /// Device pixels from the canvas's left edge.
        px: f64,
    },
    /// Move the selection by this many rows of the sweep.
    StepSelection(i64),
    /// Show the fit, U panel and readout of compared value `i` (0-based).
    Choose(usize),
    /// A press on the double-descent panel at this device pixel: with a comparison, the
    /// compared value whose legend entry it is on, or whose curve passes within `tol` device
    /// pixels, is chosen.
    PickCurve {
        /// Device pixels from the canvas's left edge.
        px: f64,
        /// Device pixels from its top edge.
        py: f64,
        /// How near a curve counts, in device pixels.
        tol: f64,
    },
    /// The play button.
    TogglePlay,
    /// The next step of playing (of the play started `n`-th: an older one's steps are ignored).
    PlayTick(u64),
    /// Show the new points on the fit panel, or not.
    ShowNew(bool),
    /// Show three more trials' fits, or not.
    ShowOthers(bool),
    /// The tour's buttons: a step back (-1) or on (+1).
    TourBy(i64),
    /// A navigation key no control took (space, arrows, Page Up/Down, Backspace).
    Key(String),
    /// The next frame of the move to a tour step's size.
    AnimTick(usize),
    /// The lazily loaded module read a table of your own (pasted or uploaded under Your own
    /// data): the scene moves onto it ([`crate::scene::Scene::on_table`]).
    Table(crate::engine::table::Shape),
    /// The embedding page asks for a scene (`{type: "ddviz:scene"}`).
    HostScene(String),
    /// The embedding page asks for a tour step (`{type: "ddviz:step"}`).
    HostStep(usize),
    /// The embedding page selects a size (`{type: "ddviz:size"}`).
    HostSize(usize),
    /// The window was resized.
    Resize,
    /// The page is about to be printed: every panel is drawn now, as it is.
    Print,
    /// The user's reduced-motion setting, now.
    ReducedMotion(bool),
    /// Job `job`'s trials have been handed out: its clock starts (after the page's own writes,
    /// as its time is the sweep's) and the page decides when to join in.
    JobStarted(u64),
    /// Export what the page shows (the curves first brought up to date).
    Export(Export),
    /// Your own points were edited.
    Edit(Edit),
}

/// What the export buttons write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// The figure as SVG.
    Svg,
    /// The figure as PNG, at twice the pixels.
    Png,
    /// The curves' numbers as CSV.
    Csv,
    /// The page's link, copied.
    Link,
}

/// Something the page must do. Effects are applied in order, after the model is released.
#[derive(Clone)]
pub enum Effect {
    /// Give worker `worker` these trials of job `job` (an empty list cancels an older job).
    Post {
        /// The worker.
        worker: usize,
        /// The job.
        job: u64,
        /// The job's scene string.
        scene: String,
        /// The trials.
        trials: Vec<usize>,
    },
    /// Have the lazily loaded module compute every trial of job `job` — a remote scene, whose
    /// sweep the page's own module does not carry — and deliver them as [`Msg::Trial`]; with
    /// no trials, stop the job it was computing (never loading it for that).
    Remote {
        /// The job.
        job: u64,
        /// The job's scene string.
        scene: String,
        /// How many trials.
        trials: usize,
    },
    /// Compute trial `trial` of job `job` on the page, then deliver it as [`Msg::Trial`].
    RunTrial {
        /// The job.
        job: u64,
        /// The trial.
        trial: usize,
        /// The sweep it belongs to.
        sweep: Rc<Chain>,
    },
    /// Deliver `msg` later.
    Schedule(When, Box<Msg>),
    /// Show the sweep's progress, or its time when done.
    Progress {
        /// Trials folded.
        done: usize,
        /// Trials in all.
        total: usize,
        /// The sweep's time when done.
        ms: Option<f64>,
    },
    /// Draw the curve panels from the model.
    DrawCurves,
    /// Draw the fit panel from the model.
    DrawFit,
    /// Mark the page drawn after a whole sweep (`first`: the first time since the page loaded).
    MarkDrawn {
        /// Whether this is the first sweep drawn.
        first: bool,
    },
    /// Record a `data-*` attribute on the page's body (for the measurements in the tests).
    BodyData(&'static str, String),
    /// Place the size cursors and fill the readout for the selection.
    Selection,
    /// The size control shows this size (a size chosen on a chart, by key or by the host page).
    SizeControl(usize),
    /// Rewrite the tour bar only (a tour step that only moves the size).
    TourBar,
    /// Replace the page's URL by this scene string.
    WriteUrl(String),
    /// Lay out the page for the scene and rewrite its captions and tour bar.
    Captions,
    /// Put the scene's values into the controls.
    SyncControls,
    /// Put the scene's points into the CSV text box (`force`: even while typing or showing errors).
    SyncText(bool),
    /// Show the dismissible notice, one line per message.
    Notice(Vec<String>),
    /// Say what just happened, for screen readers.
    Announce(String),
    /// List problems with your own data under its text box (empty: clear it).
    DataErrors(Vec<String>),
    /// Put this text into the CSV text box (the text as typed, bad lines and all).
    DataText(String),
    /// The event was the page's: the browser's default action is stopped (and a pointer
    /// captured).
    Consumed,
    /// The play button shows ▶ (false) or ❚❚ (true).
    PlayButton(bool),
    /// Answer the embedding page with the scene and the size (`{type: "ddviz:state"}`).
    ReplyToHost {
        /// The scene string.
        scene: String,
        /// The selected size.
        size: usize,
    },
    /// Pass a navigation key on to the embedding page and give it the focus.
    HandKeyToHost(String),
    /// Move the ring that marks the point chosen from the keyboard.
    PickRing,
    /// Focus the fit panel (editing points from the keyboard).
    FocusFit,
    /// Fill the open "show as table" views.
    Tables,
    /// Write the export file (or copy the link).
    Export(Export),
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::Post { worker, job, trials, .. } => write!(f, "Post {{ worker: {worker}, job: {job}, trials: {trials:?} }}"),
            Effect::Remote { job, trials, .. } => write!(f, "Remote {{ job: {job}, trials: {trials} }}"),
            Effect::RunTrial { job, trial, .. } => write!(f, "RunTrial {{ job: {job}, trial: {trial} }}"),
            Effect::Schedule(w, m) => write!(f, "Schedule({w:?}, {m:?})"),
            Effect::Progress { done, total, ms } => write!(f, "Progress {{ done: {done}, total: {total}, ms: {ms:?} }}"),
            Effect::DrawCurves => f.write_str("DrawCurves"),
            Effect::DrawFit => f.write_str("DrawFit"),
            Effect::MarkDrawn { first } => write!(f, "MarkDrawn {{ first: {first} }}"),
            Effect::BodyData(k, v) => write!(f, "BodyData({k}, {v})"),
            Effect::Selection => f.write_str("Selection"),
            Effect::SizeControl(x) => write!(f, "SizeControl({x})"),
            Effect::TourBar => f.write_str("TourBar"),
            Effect::WriteUrl(q) => write!(f, "WriteUrl({q:?})"),
            Effect::Captions => f.write_str("Captions"),
            Effect::SyncControls => f.write_str("SyncControls"),
            Effect::SyncText(force) => write!(f, "SyncText({force})"),
            Effect::Notice(l) => write!(f, "Notice({l:?})"),
            Effect::Announce(t) => write!(f, "Announce({t:?})"),
            Effect::DataErrors(l) => write!(f, "DataErrors({l:?})"),
            Effect::DataText(t) => write!(f, "DataText({t:?})"),
            Effect::Consumed => f.write_str("Consumed"),
            Effect::PlayButton(p) => write!(f, "PlayButton({p})"),
            Effect::ReplyToHost { scene, size } => write!(f, "ReplyToHost {{ scene: {scene:?}, size: {size} }}"),
            Effect::HandKeyToHost(k) => write!(f, "HandKeyToHost({k:?})"),
            Effect::PickRing => f.write_str("PickRing"),
            Effect::FocusFit => f.write_str("FocusFit"),
            Effect::Tables => f.write_str("Tables"),
            Effect::Export(e) => write!(f, "Export({e:?})"),
        }
    }
}
