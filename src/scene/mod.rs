//! The one parameter table: every knob of a scene, its default, its range (natively and in
//! the browser) and its help text. It drives URL/CLI string ↔ [`Scene`] parsing,
//! serialization, validation messages and the web controls.
//!
//! A scene string is a URL query: `family=legendre&n=40&max-size=600`. Keys are spelled like
//! the CLI flags (`--max-size`). [`Scene::to_query`] writes only values that differ from the
//! defaults, so the default scene is the empty string.
//!
//! The module is laid out by concept: [`Scene`] and what the page shows (here), the table
//! itself (`table`: [`PARAMS`], [`Kind`], [`Value`], [`Param`], [`Change`]), scene strings
//! (`query`: parsing, serialization, [`ParamError`]), the rules between parameters (`check`),
//! comparisons (`compare`: [`Scene::compared`], its labels and rules) and the generated
//! parameter reference (`reference`).

use crate::engine::data::{Target, XDist};
use crate::engine::error::EngineError;
use crate::engine::features::Family;
use crate::engine::own::Eval;
use crate::engine::sweep::{Axis, Grid, Problem, SampleSweep, SizeSweep, Sweep};
use crate::engine::train::{step_grid, TrainSweep, Training};

/// Points of a training curve: log-spaced steps from 1 to `steps`.
pub const TRAIN_TIMES: usize = 200;

/// Times of each size's row of the size × time map.
pub const MAP_TIMES: usize = 100;

mod check;
mod compare;
mod query;
mod reference;
mod table;

pub use compare::compare_label;
pub use query::{pairs, points_short, points_text, ParamError};
pub use reference::{reference_markdown, REFERENCE_COMMAND};
pub use table::{param, Change, Compare, Kind, Param, Value, COMPARE_EXAMPLES, COMPARE_KEYS, COMPARE_MAX, MIN_RIDGE, PARAMS, TOUR_STEPS};

/// Where a scene runs: the browser keeps sweeps small enough to stay responsive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// The native CLI: limits generous enough for research use.
    Native,
    /// The browser.
    Web,
}

/// How the curves aggregate trials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    /// The median and quartiles (the typical trial).
    Median,
    /// The mean (dominated by rare blown-up trials near the threshold).
    Mean,
}

/// A complete scene: the problem, the sweep's extent and how it is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Data, features and fit.
    pub problem: Problem,
    /// Largest model size of a size sweep.
    pub max_size: usize,
    /// Trials averaged.
    pub trials: usize,
    /// Which sizes a sweep evaluates.
    pub grid: Grid,
    /// What the double-descent panel sweeps: model size or training points.
    pub axis: Axis,
    /// The selected model size (fit panel; the fixed size of a sample sweep).
    pub size: usize,
    /// How the model is trained over time (`lr`, `flow`, `init`; [`Scene::train_sweep`]).
    pub training: Training,
    /// The last gradient-descent step a training curve reaches.
    pub steps: u64,
    /// The training panel's time cursor: the step the fit panel shows the model at (0: none, the
    /// fit where training ends).
    pub time: u64,
    /// Whether the training panel also draws ridge at the penalty early stopping is compared with.
    pub overlay: bool,
    /// Aggregation drawn.
    pub agg: Agg,
    /// Whether error axes are logarithmic.
    pub log_y: bool,
    /// Whether the size axis shows p/n instead of p.
    pub ratio: bool,
    /// Whether the double-descent panel's x-axis is logarithmic.
    pub log_x: bool,
    /// Embed mode: no page chrome, fits any iframe.
    pub embed: bool,
    /// Which panels are shown (bits over [`PANELS`]).
    pub panels: u64,
    /// Which controls are shown (bits over [`CONTROL_KEYS`]).
    pub controls: u64,
    /// The presenter tour being stepped (0: none, 1: the introduction).
    pub tour: usize,
    /// The tour's step, from 1.
    pub step: usize,
    /// With a comparison, which compared value's fit, U panel and readout are shown (from 0;
    /// `pick=1` in a URL is the first).
    pub pick: usize,
    /// The look of the page (index into [`THEMES`]).
    pub theme: usize,
    /// A comparison: one sweep per value of one parameter (none: a single sweep).
    pub compare: Option<Compare>,
    /// Where the data comes from: generated (or your own points), or the handwritten digits.
    pub source: Source,
    /// The digits' images, once the host has loaded them (the CLI carries them; on the page the
    /// lazily loaded module fetches them): `data=digits` needs them to run its sweep.
    pub images: Option<std::sync::Arc<crate::engine::images::Images>>,
    /// A table of your own (`data=table`), once the host has read it (the CLI's `--data FILE`
    /// with several columns).
    pub table: Option<std::sync::Arc<crate::engine::table::Table>>,
    /// The shape of the table of `data=table` where only that is known: the page folds the
    /// trials of a table its lazily loaded module read ([`Scene::table_layout`]).
    pub table_shape: Option<crate::engine::table::Shape>,
}

/// Where a scene's data comes from (the `data` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Generated 1-D points or the gaussian family's (or your own points, `points=`).
    Generated,
    /// The bundled handwritten digits ([`crate::engine::images`]).
    Digits,
    /// A table of your own: several numeric columns and a label ([`crate::engine::table`]).
    Table,
}

impl Source {
    /// Every source, in the order of the `data` row's choices.
    pub const ALL: [Source; 3] = [Source::Generated, Source::Digits, Source::Table];
}

/// The page themes: follow the system's light/dark setting, force one, or the large-type,
/// high-contrast projector theme.
pub const THEMES: &[&str] = &["auto", "light", "dark", "projector"];

/// The tours, in the order of [`Scene::tour`].
pub const TOURS: &[&str] = &["none", "intro"];

/// The panels, in the order of [`Scene::panels`]' bits: the three of the size sweep (shown by
/// default), then training over time and the size × time map (loaded when asked for).
pub const PANELS: &[&str] = &["fit", "u", "dd", "training", "map"];

/// The keys that are controls on the page, in the order of [`Scene::controls`]' bits: every
/// row of the table except the ones that say what the page shows.
pub const CONTROL_KEYS: &[&str] = &[
    "family",
    "target",
    "n",
    "noise",
    "ridge",
    "max-size",
    "trials",
    "seed",
    "smoothness",
    "bandwidth",
    "dim",
    "decay",
    "test",
    "x-dist",
    "points",
    "holdout",
    "folds",
    "compare",
    "grid",
    "axis",
    "size",
    "agg",
    "log-y",
    "log-x",
    "ratio",
    "theme",
];

impl Scene {
    /// Whether panel `name` is shown.
    pub fn shows_panel(&self, name: &str) -> bool {
        PANELS.iter().position(|p| *p == name).is_some_and(|i| self.panels & (1 << i) != 0)
    }

    /// Takes how `from` is shown on a page — embed mode, panels, controls, theme — keeping this
    /// scene's numbers (a tour step or a host message changes what it names, not the page).
    pub fn keep_look(&mut self, from: &Scene) {
        self.embed = from.embed;
        self.panels = from.panels;
        self.controls = from.controls;
        self.theme = from.theme;
    }

    /// Whether the control of `key` is shown.
    pub fn shows_control(&self, key: &str) -> bool {
        CONTROL_KEYS.iter().position(|p| *p == key).is_some_and(|i| self.controls & (1 << i) != 0)
    }
}

impl Default for Scene {
    fn default() -> Scene {
        Scene {
            problem: Problem {
                family: Family::Legendre,
                target: Target::Runge,
                x_dist: XDist::Uniform,
                n: 30,
                noise: 0.05,
                ridge: 0.0,
                smoothness: 1.0,
                bandwidth: 80.0,
                dim: 600,
                decay: 0.0,
                fast: 0,
                kappa: 1.0,
                test: 200,
                seed: 1,
                data: None,
                eval: Eval::Split,
                folds: 5,
            },
            max_size: 600,
            trials: 20,
            grid: Grid::Every,
            axis: Axis::Size,
            size: 12,
            agg: Agg::Median,
            log_y: true,
            ratio: false,
            log_x: true,
            embed: false,
            panels: 0b111,
            controls: (1 << CONTROL_KEYS.len()) - 1,
            tour: 0,
            step: 1,
            pick: 0,
            training: Training::default(),
            steps: 100_000,
            time: 0,
            overlay: false,
            theme: 0,
            compare: None,
            source: Source::Generated,
            images: None,
            table: None,
            table_shape: None,
        }
    }
}

impl Scene {
    /// The problem and model size the fit panel shows when `selected` is chosen on the sweep's
    /// x-axis: that size with every training point, or (sample sweeps) the fixed size fitted
    /// to the first `selected` points.
    pub fn fit_problem(&self, selected: usize) -> (Problem, usize) {
        let mut problem = self.problem.clone();
        let all = problem.train_n();
        match self.axis {
            Axis::Size => {
                problem.n = problem.n.max(all);
                (problem, selected)
            }
            Axis::Samples => {
                problem.n = selected.clamp(1, all.max(1));
                (problem, self.size)
            }
        }
    }

    /// After the x-axis was switched to training points: a fixed size at or past the largest n
    /// would leave the threshold n = p outside the sweep (no peak to see), so the size becomes
    /// half the largest n. Returns whether it changed.
    pub fn keep_threshold_inside(&mut self) -> bool {
        let all = self.problem.train_n();
        if self.axis != Axis::Samples || self.size < all {
            return false;
        }
        let half = (all / 2).max(1);
        let changed = self.size != half;
        self.size = half;
        changed
    }

    /// The selection a scene starts with: its size, or (sample sweeps) every training point.
    pub fn initial_selection(&self) -> usize {
        match self.axis {
            Axis::Size => self.size,
            Axis::Samples => self.problem.train_n(),
        }
    }

    /// Training over time at the scene's size ([`TrainSweep`]): its trials trained from their own
    /// β₀ by gradient descent (or flow), evaluated at [`TRAIN_TIMES`] log-spaced steps from 1 to
    /// `steps`.
    pub fn train_sweep(&self) -> Result<TrainSweep, EngineError> {
        TrainSweep::new(self.problem.clone(), self.size, step_grid(self.steps, TRAIN_TIMES), self.trials, self.training)
    }

    /// The size × time map: training over time ([`Scene::train_sweep`]) at every size of the
    /// scene's size sweep (its `grid` up to `max-size`), each at [`MAP_TIMES`] log-spaced steps,
    /// without the theory.
    pub fn map_sweeps(&self) -> Result<Vec<TrainSweep>, EngineError> {
        let sizes = self.grid.sizes(self.max_size, self.problem.train_n());
        let steps = step_grid(self.steps, MAP_TIMES);
        // The map draws no theory: its integrals are skipped.
        sizes.into_iter().map(|p| TrainSweep::new(self.problem.clone(), p, steps.clone(), self.trials, self.training).map(TrainSweep::without_theory)).collect()
    }

    /// The sweep of a `data=digits` or `data=table` scene: random `family` features of the
    /// table's columns (the digits' pixels), `n` training and `test` held-out rows per trial,
    /// sizes up to `max-size`.
    pub fn table_sweep(&self) -> Result<crate::engine::tabular::TableSweep, EngineError> {
        use crate::engine::tabular::TableSweep;
        let settings = self.tabular()?;
        match self.axis {
            Axis::Size => TableSweep::new(settings, self.max_size, self.grid, self.trials),
            // Training rows up to n at the scene's size.
            Axis::Samples => TableSweep::samples(settings, self.size, self.grid, self.trials),
        }
    }

    /// Training over time on a `data=digits` or `data=table` scene at its `size` (up to
    /// `max-size`): every output trained at once from one SVD a trial, at [`TRAIN_TIMES`]
    /// log-spaced steps from 1 to `steps` ([`crate::engine::table_train`]).
    pub fn table_train_sweep(&self) -> Result<crate::engine::table_train::TableTrainSweep, EngineError> {
        use crate::engine::tabular::TableSweep;
        let table = TableSweep::new(self.tabular()?, self.max_size, self.grid, 1)?;
        crate::engine::table_train::TableTrainSweep::new(table, self.size, step_grid(self.steps, TRAIN_TIMES), self.trials, self.training)
    }

    /// The size × time map of a `data=digits` or `data=table` scene: training over time
    /// ([`Scene::table_train_sweep`]) at every size of its size sweep, each at [`MAP_TIMES`]
    /// log-spaced steps; its row t → ∞ is that size sweep ([`Scene::table_sweep`]).
    pub fn table_map_sweeps(&self) -> Result<Vec<crate::engine::table_train::TableTrainSweep>, EngineError> {
        use crate::engine::table_train::TableTrainSweep;
        let table = crate::engine::tabular::TableSweep::new(self.tabular()?, self.max_size, self.grid, self.trials)?;
        let steps = step_grid(self.steps, MAP_TIMES);
        table.sizes().iter().map(|&p| TableTrainSweep::new(table.clone(), p, steps.clone(), self.trials, self.training)).collect()
    }

    /// k of a table's k-fold cross-validation (`holdout=kfold`; 0: a held-out split, and always
    /// for the digits, whose held-out images are a sample of their own).
    fn table_folds(&self) -> usize {
        if self.source == Source::Table && self.problem.eval == Eval::KFold {
            self.problem.folds
        } else {
            0
        }
    }

    /// The settings of a table scene's sweeps, with its table (or the digits).
    fn tabular(&self) -> Result<crate::engine::tabular::Tabular, EngineError> {
        use crate::engine::tabular::Tabular;
        let table = match self.source {
            Source::Digits => self.images.as_ref().map(|im| std::sync::Arc::new(im.to_table())),
            Source::Table => self.table.clone(),
            Source::Generated => None,
        };
        let Some(table) = table else {
            let what = if self.source == Source::Table {
                "data=table: no table is loaded (ddviz sweep --data FILE.csv --label COLUMN reads one)"
            } else {
                "data=digits: the digits are not loaded here (the command line carries them; the page loads them with its training module)"
            };
            return Err(EngineError::Insufficient(what.into()));
        };
        let pr = &self.problem;
        Ok(Tabular { table, family: pr.family, bandwidth: pr.bandwidth, n: pr.n, test: pr.test, ridge: pr.ridge, seed: pr.seed, folds: self.table_folds() })
    }

    /// This scene on a table of `shape` that the page's lazily loaded module read: the table in
    /// place of the scene's data, and what the table cannot take moved to what it can — a 1-D or
    /// gaussian family becomes random ReLU features; `n` is kept from 10 up to two thirds of the
    /// rows, else half of them; every other row is held out (at most 2000); `max-size` reaches
    /// past 3n, all within the browser's work budget (fewer held-out rows, then smaller sizes) (the plain linear model: at most the columns); no comparison. The rest (ridge,
    /// trials, grid, view) stays.
    pub fn on_table(&self, shape: crate::engine::table::Shape) -> Scene {
        let mut s = self.clone();
        (s.source, s.table, s.table_shape, s.compare, s.pick) = (Source::Table, None, Some(shape), None, 0);
        s.problem.data = None;
        let pr = &mut s.problem;
        if !matches!(pr.family, Family::Relu | Family::Fourier | Family::Linear) {
            pr.family = Family::Relu;
        }
        if pr.n < 10 || pr.n * 3 > shape.rows * 2 {
            pr.n = (shape.rows / 2).clamp(10, 400);
        }
        pr.test = (shape.rows - pr.n).min(2000);
        s.max_size = if pr.family == Family::Linear { s.max_size.min(shape.columns) } else { s.max_size.max(3 * pr.n) };
        // Within the browser's work budget: fewer held-out rows first (at least 500, or all
        // there are), then smaller sizes.
        if s.web_work().0 > check::WEB_WORK {
            s.problem.test = s.problem.test.min(500);
        }
        // The page shows the scene's values; the notice would only repeat them.
        let _ = s.fit_web_budget();
        s.size = s.size.min(s.max_size);
        s
    }

    /// The layout of a `data=digits` or `data=table` scene's sweep — its points and what its
    /// trials report — checked like [`Scene::table_sweep`], known for the digits before their
    /// images are loaded ([`crate::engine::images::DIGITS_COUNT`]): the page folds the trials
    /// that the lazily loaded module computes into its accumulator.
    pub fn table_layout(&self) -> Result<crate::engine::tabular::Layout, EngineError> {
        use crate::engine::tabular::{Layout, Plan};
        let (shape, classes) = match (self.source, self.table.as_ref().map(|t| t.shape()).or(self.table_shape)) {
            (Source::Table, Some(t)) => ((t.rows, t.columns), t.classes),
            (Source::Table, None) => return Err(EngineError::Insufficient("data=table: no table is loaded".into())),
            _ => ((crate::engine::images::DIGITS_COUNT, crate::engine::images::DIGITS_PIXELS), true),
        };
        let pr = &self.problem;
        let plan = Plan { family: pr.family, bandwidth: pr.bandwidth, n: pr.n, test: pr.test, ridge: pr.ridge, folds: self.table_folds() };
        match self.axis {
            Axis::Size => Layout::new(&plan, shape, classes, self.max_size, self.grid, self.trials, None),
            Axis::Samples => Layout::new(&plan, shape, classes, self.size, self.grid, self.trials, Some(self.size)),
        }
    }

    /// The sweep this scene asks for: model sizes up to `max-size` at `n` points (`axis=size`),
    /// or training points up to `n` at the fixed `size` (`axis=samples`), of generated data,
    /// your own points, the digits or a table. The one place that turns a scene into a sweep, for
    /// the CLI, the lazily loaded module and the tests (the page's own module runs only
    /// [`Scene::size_sweep`]). A comparison is not in it: its sweeps, one per compared value, are
    /// [`Scene::chain`].
    pub fn sweep(&self) -> Result<Box<dyn Sweep>, EngineError> {
        if self.source != Source::Generated {
            return self.table_sweep().map(|s| Box::new(s) as Box<dyn Sweep>);
        }
        self.generated_sweep()
    }

    /// The sweep of generated data or your own points (an error for the digits or a table): what
    /// the article element (`<ddviz-figure>`) computes, so that its wasm carries no table sweep.
    pub fn generated_sweep(&self) -> Result<Box<dyn Sweep>, EngineError> {
        if self.source != Source::Generated {
            return Err(EngineError::Insufficient("data: only generated data or your own points here".into()));
        }
        match self.axis {
            Axis::Size => self.size_sweep(),
            Axis::Samples => Ok(Box::new(SampleSweep::new(self.problem.clone(), self.size, self.grid, self.trials)?)),
        }
    }

    /// The size sweep of generated data or your own points: the only sweep the page's own
    /// module and its workers compute (an error for the others, [`Scene::remote`]), so that its
    /// wasm carries no other.
    pub fn size_sweep(&self) -> Result<Box<dyn Sweep>, EngineError> {
        if self.remote() {
            return Err(EngineError::Insufficient("this sweep is computed by the page's second module".into()));
        }
        Ok(Box::new(SizeSweep::new(self.problem.clone(), self.max_size, self.grid, self.trials)?))
    }

    /// Whether the page leaves this scene's trials to its lazily loaded module: the digits (or a
    /// table) and the sample-wise view. The page folds them all the same, into
    /// [`Scene::remote_layout`]'s accumulators.
    pub fn remote(&self) -> bool {
        self.source != Source::Generated || self.axis == Axis::Samples
    }

    /// What the page folds a remote scene's trials into: one accumulator per compared value (or
    /// one) of [`Scene::trials`] trials each — known, and checked, without building the sweeps
    /// that compute them.
    pub fn remote_layout(&self) -> Result<Vec<crate::engine::sweep::Accumulator>, EngineError> {
        let one = |s: &Scene| {
            if s.source != Source::Generated {
                return s.table_layout().map(|l| l.accumulator());
            }
            Ok(SampleSweep::new(s.problem.clone(), s.size, s.grid, s.trials)?.accumulator())
        };
        let compared = self.compared();
        if compared.is_empty() {
            return Ok(vec![one(self)?]);
        }
        compared.iter().map(|(_, s)| one(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sweep::run_sequential;

    #[test]
    fn control_keys_are_every_row_but_the_page_layout_ones() {
        let keys: Vec<&str> = PARAMS
            .iter()
            .map(|p| p.key)
            .filter(|k| {
                !["embed", "panels", "controls", "tour", "step", "pick", "fast", "kappa", "lr", "flow", "init", "equalize", "steps", "time", "overlay", "data"]
                    .contains(k)
            })
            .collect();
        assert_eq!(keys, CONTROL_KEYS);
        let s = Scene::from_query("embed=1&panels=fit,dd&controls=n,noise", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.embed && s.shows_panel("fit") && !s.shows_panel("u") && s.shows_panel("dd"));
        assert!(s.shows_control("n") && s.shows_control("noise") && !s.shows_control("family"));
        assert_eq!(s.to_query(), "embed=1&panels=fit,dd&controls=n,noise");
        assert_eq!(Scene::from_query("controls=", Platform::Web).map(|s| s.controls), Ok(0));
    }

    #[test]
    fn switching_to_training_points_keeps_the_threshold_inside_the_sweep() {
        // The gaussian preset selects p = n = 40: as a sample sweep its threshold would be the
        // last point.
        let mut s = Scene::from_query("family=gaussian&n=40&dim=400&max-size=400&size=40&axis=samples", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.keep_threshold_inside());
        assert_eq!(s.size, 20);
        assert!(!s.keep_threshold_inside(), "already inside");
        // Far past the threshold (p = 600 > n = 30), and a size already inside, left alone.
        let mut far = Scene::from_query("size=600&axis=samples", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert!(far.keep_threshold_inside());
        assert_eq!(far.size, 15);
        let mut inside = Scene::from_query("size=12&axis=samples", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert!(!inside.keep_threshold_inside());
        assert_eq!(inside.size, 12);
        // A size sweep is never touched.
        let mut sizes = Scene::from_query("size=600", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert!(!sizes.keep_threshold_inside());
    }

    #[test]
    fn a_scene_sweeps_along_its_own_axis() {
        let size = Scene::from_query("n=10&max-size=25&trials=2", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(size.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
        assert_eq!((r.axis, r.rows.len(), r.trials), (crate::engine::sweep::Along::Size, 25, 2));
        let samples = Scene::from_query("axis=samples&size=8&n=20&trials=1", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
        let r = run_sequential(samples.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
        assert_eq!((r.axis, r.rows.len()), (crate::engine::sweep::Along::Samples, 20));
        let mut bad = size.clone();
        bad.problem.test = 0;
        assert!(bad.sweep().is_err());
    }
}
