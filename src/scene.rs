//! The one parameter table: every knob of a scene, its default, its range (natively and in
//! the browser) and its help text. It drives URL/CLI string ↔ [`Scene`] parsing,
//! serialization, validation messages and the web controls.
//!
//! A scene string is a URL query: `family=legendre&n=40&max-size=600`. Keys are spelled like
//! the CLI flags (`--max-size`). [`Scene::to_query`] writes only values that differ from the
//! defaults, so the default scene is the empty string.

use crate::engine::data::{Dataset, Target, XDist};
use crate::engine::features::Family;
use crate::engine::num::{format_sci, parse_f64};
use crate::engine::own::{self, Eval};
use crate::engine::sweep::{Axis, Grid, Problem};

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
    /// The look of the page (index into [`THEMES`]).
    pub theme: usize,
}

/// The page themes: follow the system's light/dark setting, force one, or the large-type,
/// high-contrast projector theme.
pub const THEMES: &[&str] = &["auto", "light", "dark", "projector"];

/// The tours, in the order of [`Scene::tour`].
pub const TOURS: &[&str] = &["none", "intro"];

/// The panels, in the order of [`Scene::panels`]' bits.
pub const PANELS: &[&str] = &["fit", "u", "dd"];

/// The keys that are controls on the page, in the order of [`Scene::controls`]' bits: every
/// row of the table except the three that say what the page shows.
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
            panels: (1 << PANELS.len()) - 1,
            controls: (1 << CONTROL_KEYS.len()) - 1,
            tour: 0,
            step: 1,
            theme: 0,
        }
    }
}

/// A parameter's type and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max` (`web_max` in the browser).
    Int {
        /// Smallest value.
        min: u64,
        /// Largest value natively.
        max: u64,
        /// Largest value in the browser.
        web_max: u64,
    },
    /// A real number in `min..=max`; `log` asks controls for a logarithmic slider.
    Real {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Whether a slider should move logarithmically.
        log: bool,
    },
    /// One of a fixed set of names.
    Choice(&'static [&'static str]),
    /// Any subset of a fixed set of names, written comma-separated (`panels=fit,dd`).
    Set(&'static [&'static str]),
    /// Your own points, written `x:y` pairs separated by commas; empty for generated data.
    Points {
        /// Most points natively.
        max: usize,
        /// Most points in the browser.
        web_max: usize,
    },
}

/// A parsed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// For [`Kind::Int`].
    Int(u64),
    /// For [`Kind::Real`].
    Real(f64),
    /// For [`Kind::Choice`]: the index into its names.
    Choice(usize),
    /// For [`Kind::Set`]: bit i set when name i is in the set.
    Set(u64),
    /// For [`Kind::Points`]: the (x, y) points, none for generated data.
    Points(Vec<(f64, f64)>),
}

/// One row of the table.
pub struct Param {
    /// Key in URLs and scene strings; the CLI flag is `--key`.
    pub key: &'static str,
    /// Short label for controls.
    pub label: &'static str,
    /// One-line help.
    pub help: &'static str,
    /// Type and range.
    pub kind: Kind,
    /// Reads the value from a scene.
    pub get: fn(&Scene) -> Value,
    /// Writes a (range-checked) value into a scene.
    pub set: fn(&mut Scene, Value),
    /// What a change of this parameter asks of the page: a new sweep, a redraw, a layout.
    pub change: Change,
    /// Whether a change moves the selected size back to the scene's initial selection.
    pub reselect: bool,
    /// The range of the web control's slider, when it is one; a URL may ask for values beyond
    /// it, up to the kind's limits.
    pub slider: Option<(f64, f64)>,
}

/// What a change of a parameter asks of the page (the table's `change` column): the page's
/// update reads it instead of keeping its own lists of keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The numbers change: a new sweep (and a new fit).
    Sweep,
    /// Only how the curves are drawn changes: they are redrawn from the same numbers.
    View,
    /// The look of every chart changes (the theme): all panels are redrawn.
    Style,
    /// The model size: on a size sweep it only moves the selection; on a sample sweep it is the
    /// sweep's fixed size, so a new sweep.
    Size,
    /// What the page shows around the charts (embed, panels, controls, tour).
    Layout,
}

const FAMILIES: &[&str] = &["legendre", "relu", "fourier", "gaussian"];
const TARGETS: &[&str] = &["sin", "runge", "abs", "step", "cubic"];
const XDISTS: &[&str] = &["uniform", "chebyshev"];
const GRIDS: &[&str] = &["every", "log"];
const AXES: &[&str] = &["size", "samples"];
const AGGS: &[&str] = &["median", "mean"];
const BOOLS: &[&str] = &["0", "1"];
const EVALS: &[&str] = &["split", "kfold"];

fn int(v: Value) -> u64 {
    match v {
        Value::Int(i) => i,
        _ => 0,
    }
}
fn real(v: Value) -> f64 {
    match v {
        Value::Real(r) => r,
        _ => 0.0,
    }
}
fn set(v: Value) -> u64 {
    match v {
        Value::Set(b) => b,
        _ => 0,
    }
}
fn choice(v: Value) -> usize {
    match v {
        Value::Choice(c) => c,
        _ => 0,
    }
}
fn points(v: Value) -> Option<Dataset> {
    match v {
        Value::Points(p) if !p.is_empty() => Some(Dataset { x: p.iter().map(|q| q.0).collect(), y: p.iter().map(|q| q.1).collect() }),
        _ => None,
    }
}

/// The table. Order is the order of controls and of `--help`.
pub static PARAMS: &[Param] = &[
    Param {
        key: "family",
        label: "features",
        help: "feature family",
        kind: Kind::Choice(FAMILIES),
        get: |s| Value::Choice(Family::ALL.iter().position(|f| *f == s.problem.family).unwrap_or(0)),
        set: |s, v| s.problem.family = Family::ALL[choice(v).min(Family::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "target",
        label: "target",
        help: "noiseless target (sin is sin 2πx, runge is 1/(1+25x²))",
        kind: Kind::Choice(TARGETS),
        get: |s| Value::Choice(Target::ALL.iter().position(|f| *f == s.problem.target).unwrap_or(0)),
        set: |s, v| s.problem.target = Target::ALL[choice(v).min(Target::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "n",
        label: "training points n",
        help: "training points (the largest n of a sample sweep)",
        kind: Kind::Int { min: 2, max: 5000, web_max: 400 },
        get: |s| Value::Int(s.problem.n as u64),
        set: |s, v| s.problem.n = int(v) as usize,
        change: Change::Sweep,
        reselect: true,
        slider: Some((4.0, 200.0)),
    },
    Param {
        key: "noise",
        label: "noise σ",
        help: "standard deviation of the label noise",
        kind: Kind::Real { min: 0.0, max: 10.0, log: false },
        get: |s| Value::Real(s.problem.noise),
        set: |s, v| s.problem.noise = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((0.0, 1.0)),
    },
    Param {
        key: "ridge",
        label: "ridge λ",
        help: "ridge penalty λ in (1/n)‖y − Φβ‖² + λ‖β‖²; 0 is the minimum-norm fit",
        kind: Kind::Real { min: 0.0, max: 1e3, log: true },
        get: |s| Value::Real(s.problem.ridge),
        set: |s, v| s.problem.ridge = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((1e-6, 10.0)),
    },
    Param {
        key: "max-size",
        label: "max size",
        help: "largest model size (number of features) of the sweep",
        kind: Kind::Int { min: 1, max: 20_000, web_max: 2000 },
        get: |s| Value::Int(s.max_size as u64),
        set: |s, v| s.max_size = int(v) as usize,
        change: Change::Sweep,
        reselect: true,
        slider: Some((5.0, 1000.0)),
    },
    Param {
        key: "trials",
        label: "trials",
        help: "independent trials averaged (fresh data, noise and features each)",
        kind: Kind::Int { min: 1, max: 100_000, web_max: 200 },
        get: |s| Value::Int(s.trials as u64),
        set: |s, v| s.trials = int(v) as usize,
        change: Change::Sweep,
        reselect: false,
        slider: Some((1.0, 100.0)),
    },
    Param {
        key: "seed",
        label: "seed",
        help: "seed of every random draw",
        kind: Kind::Int { min: 0, max: u32::MAX as u64, web_max: u32::MAX as u64 },
        get: |s| Value::Int(s.problem.seed),
        set: |s, v| s.problem.seed = int(v),
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "smoothness",
        label: "smoothness s",
        help: "legendre: weight (k+1)^(−s) on degree k, the min-norm fit's implicit prior",
        kind: Kind::Real { min: 0.0, max: 4.0, log: false },
        get: |s| Value::Real(s.problem.smoothness),
        set: |s, v| s.problem.smoothness = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((0.0, 3.0)),
    },
    Param {
        key: "bandwidth",
        label: "bandwidth",
        help: "fourier: standard deviation of the random frequencies; about 2–3 × n (lower: nearly collinear features)",
        kind: Kind::Real { min: 0.1, max: 2000.0, log: true },
        get: |s| Value::Real(s.problem.bandwidth),
        set: |s, v| s.problem.bandwidth = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((0.5, 1000.0)),
    },
    Param {
        key: "dim",
        label: "dimension D",
        help: "gaussian: input dimension D (max-size must not exceed it)",
        kind: Kind::Int { min: 1, max: 20_000, web_max: 2000 },
        get: |s| Value::Int(s.problem.dim as u64),
        set: |s, v| s.problem.dim = int(v) as usize,
        change: Change::Sweep,
        reselect: false,
        slider: Some((10.0, 1000.0)),
    },
    Param {
        key: "decay",
        label: "decay",
        help: "gaussian: true coefficients β*_j ∝ j^(−decay)",
        kind: Kind::Real { min: 0.0, max: 4.0, log: false },
        get: |s| Value::Real(s.problem.decay),
        set: |s, v| s.problem.decay = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((0.0, 3.0)),
    },
    Param {
        key: "test",
        label: "test points",
        help: "test points shared by all trials",
        kind: Kind::Int { min: 1, max: 100_000, web_max: 2000 },
        get: |s| Value::Int(s.problem.test as u64),
        set: |s, v| s.problem.test = int(v) as usize,
        change: Change::Sweep,
        reselect: false,
        slider: Some((50.0, 1000.0)),
    },
    Param {
        key: "x-dist",
        label: "inputs",
        help: "input distribution on [−1, 1]",
        kind: Kind::Choice(XDISTS),
        get: |s| Value::Choice(XDist::ALL.iter().position(|f| *f == s.problem.x_dist).unwrap_or(0)),
        set: |s, v| s.problem.x_dist = XDist::ALL[choice(v).min(XDist::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "points",
        label: "your own data",
        help: "your own points instead of generated data, as x:y pairs (x in [-1, 1]); test error then comes from held-out points",
        kind: Kind::Points { max: 5000, web_max: 1000 },
        get: |s| Value::Points(s.problem.data.as_ref().map(|d| d.x.iter().copied().zip(d.y.iter().copied()).collect()).unwrap_or_default()),
        set: |s, v| s.problem.data = points(v),
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "holdout",
        label: "test error from",
        help: "your own data: a held-out split (1 in folds points) or k-fold cross-validation",
        kind: Kind::Choice(EVALS),
        get: |s| Value::Choice(Eval::ALL.iter().position(|e| *e == s.problem.eval).unwrap_or(0)),
        set: |s, v| s.problem.eval = Eval::ALL[choice(v).min(Eval::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: true,
        slider: None,
    },
    Param {
        key: "folds",
        label: "folds k",
        help: "your own data: 1 in k points is held out (each fold, for k-fold)",
        kind: Kind::Int { min: own::FOLDS.0 as u64, max: own::FOLDS.1 as u64, web_max: own::FOLDS.1 as u64 },
        get: |s| Value::Int(s.problem.folds as u64),
        set: |s, v| s.problem.folds = int(v) as usize,
        change: Change::Sweep,
        reselect: true,
        slider: Some((2.0, 10.0)),
    },
    Param {
        key: "grid",
        label: "grid",
        help: "sizes evaluated: every size, or about 60 log-spaced ones",
        kind: Kind::Choice(GRIDS),
        get: |s| Value::Choice(Grid::ALL.iter().position(|f| *f == s.grid).unwrap_or(0)),
        set: |s, v| s.grid = Grid::ALL[choice(v).min(Grid::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "axis",
        label: "x-axis",
        help: "sweep model size, or training points 1..n at the fixed size (samples)",
        kind: Kind::Choice(AXES),
        get: |s| Value::Choice(Axis::ALL.iter().position(|f| *f == s.axis).unwrap_or(0)),
        set: |s, v| s.axis = Axis::ALL[choice(v).min(Axis::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: true,
        slider: None,
    },
    Param {
        key: "size",
        label: "model size",
        help: "selected model size: the fit shown, and the fixed size of a sample sweep",
        kind: Kind::Int { min: 1, max: 20_000, web_max: 2000 },
        get: |s| Value::Int(s.size as u64),
        set: |s, v| s.size = int(v) as usize,
        change: Change::Size,
        reselect: true,
        slider: Some((1.0, 1000.0)),
    },
    Param {
        key: "agg",
        label: "aggregate",
        help: "web: curves drawn, median with quartiles or mean",
        kind: Kind::Choice(AGGS),
        get: |s| Value::Choice(if s.agg == Agg::Median { 0 } else { 1 }),
        set: |s, v| s.agg = if choice(v) == 0 { Agg::Median } else { Agg::Mean },
        change: Change::View,
        reselect: false,
        slider: None,
    },
    Param {
        key: "log-y",
        label: "log error axis",
        help: "web: logarithmic error axis (1) or linear (0)",
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.log_y as usize),
        set: |s, v| s.log_y = choice(v) == 1,
        change: Change::View,
        reselect: false,
        slider: None,
    },
    Param {
        key: "log-x",
        label: "log size axis",
        help: "web: logarithmic x-axis on the double-descent panel (1) or linear (0)",
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.log_x as usize),
        set: |s, v| s.log_x = choice(v) == 1,
        change: Change::View,
        reselect: false,
        slider: None,
    },
    Param {
        key: "ratio",
        label: "x as p/n",
        help: "web: size axis as p/n (1) or p (0)",
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.ratio as usize),
        set: |s, v| s.ratio = choice(v) == 1,
        change: Change::View,
        reselect: false,
        slider: None,
    },
    Param {
        key: "embed",
        label: "embed",
        help: "web: 1 drops the page chrome so the figure fits an iframe (with panels= and controls=)",
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.embed as usize),
        set: |s, v| s.embed = choice(v) == 1,
        change: Change::Layout,
        reselect: false,
        slider: None,
    },
    Param {
        key: "panels",
        label: "panels",
        help: "web: the panels shown, of fit, u, dd",
        kind: Kind::Set(PANELS),
        get: |s| Value::Set(s.panels),
        set: |s, v| s.panels = set(v),
        change: Change::Layout,
        reselect: false,
        slider: None,
    },
    Param {
        key: "controls",
        label: "controls",
        help: "web: the controls shown, by key (e.g. n,noise); empty for none",
        kind: Kind::Set(CONTROL_KEYS),
        get: |s| Value::Set(s.controls),
        set: |s, v| s.controls = set(v),
        change: Change::Layout,
        reselect: false,
        slider: None,
    },
    Param {
        key: "tour",
        label: "tour",
        help: "web: a presenter tour stepped with space, arrows or a clicker (none or intro)",
        kind: Kind::Choice(TOURS),
        get: |s| Value::Choice(s.tour),
        set: |s, v| s.tour = choice(v).min(TOURS.len() - 1),
        change: Change::Layout,
        reselect: false,
        slider: None,
    },
    Param {
        key: "step",
        label: "tour step",
        help: "web: the tour's step",
        kind: Kind::Int { min: 1, max: 20, web_max: 20 },
        get: |s| Value::Int(s.step as u64),
        set: |s, v| s.step = int(v) as usize,
        change: Change::Layout,
        reselect: false,
        slider: None,
    },
    Param {
        key: "theme",
        label: "theme",
        help: "web: auto (follows the system's light or dark mode), light, dark, or projector (large type, high contrast)",
        kind: Kind::Choice(THEMES),
        get: |s| Value::Choice(s.theme),
        set: |s, v| s.theme = choice(v).min(THEMES.len() - 1),
        change: Change::Style,
        reselect: false,
        slider: None,
    },
];

/// A parameter that could not be used, with a message naming it and its allowed range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The key as written.
    pub key: String,
    /// A one-line message for the user.
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

/// Looks up a row of the table by key.
pub fn param(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}

impl Kind {
    /// The allowed values in words, for messages and help.
    pub fn allowed(&self, platform: Platform) -> String {
        match *self {
            Kind::Int { min, max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                format!("an integer from {min} to {hi}")
            }
            Kind::Real { min, max, .. } => format!("a number from {} to {}", fmt_real(min), fmt_real(max)),
            Kind::Choice(names) => format!("one of {}", names.join(", ")),
            Kind::Set(names) => format!("a comma-separated list of {}", names.join(", ")),
            Kind::Points { max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                format!("up to {hi} x:y pairs separated by commas, x from -1 to 1 and y from -{0} to {0}", own::Y_MAX)
            }
        }
    }
}

impl Param {
    /// Parses and range-checks `text` for this parameter.
    pub fn parse(&self, text: &str, platform: Platform) -> Result<Value, ParamError> {
        let t = text.trim();
        let bad = || ParamError { key: self.key.to_string(), message: format!("{} must be {}, got '{}'", self.key, self.kind.allowed(platform), clip(text)) };
        match self.kind {
            Kind::Int { min, max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                let v: u64 = t.parse().map_err(|_| bad())?;
                if v < min || v > hi {
                    return Err(bad());
                }
                Ok(Value::Int(v))
            }
            Kind::Real { min, max, .. } => {
                let v = parse_f64(t).ok_or_else(bad)?;
                if !v.is_finite() || v < min || v > max {
                    return Err(bad());
                }
                Ok(Value::Real(v))
            }
            Kind::Choice(names) => {
                let lower = t.to_ascii_lowercase();
                names.iter().position(|n| *n == lower).map(Value::Choice).ok_or_else(bad)
            }
            Kind::Set(names) => {
                let mut bits = 0u64;
                for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let i = names.iter().position(|n| n.eq_ignore_ascii_case(part)).ok_or_else(bad)?;
                    bits |= 1 << i;
                }
                Ok(Value::Set(bits))
            }
            Kind::Points { max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                let mut pts = Vec::new();
                for pair in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let (x, y) = pair.split_once(':').ok_or_else(bad)?;
                    let (x, y) = (parse_f64(x.trim()).ok_or_else(bad)?, parse_f64(y.trim()).ok_or_else(bad)?);
                    own::check_point(x, y).map_err(|_| bad())?;
                    pts.push((x, y));
                }
                if pts.len() > hi {
                    return Err(bad());
                }
                Ok(Value::Points(pts))
            }
        }
    }

    /// Formats a value of this parameter as it is written in a scene string.
    pub fn format(&self, v: Value) -> String {
        match (self.kind, v) {
            (_, Value::Int(i)) => i.to_string(),
            (_, Value::Real(r)) => fmt_real(r),
            (Kind::Choice(names), Value::Choice(c)) => names.get(c).copied().unwrap_or("").to_string(),
            (_, Value::Choice(c)) => c.to_string(),
            (Kind::Set(names), Value::Set(bits)) => {
                names.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, n)| *n).collect::<Vec<_>>().join(",")
            }
            (_, Value::Set(bits)) => bits.to_string(),
            (_, Value::Points(pts)) => pts.iter().map(|(x, y)| format!("{x}:{y}")).collect::<Vec<_>>().join(","),
        }
    }
}

/// Shortest round-tripping text of a number.
fn fmt_real(r: f64) -> String {
    format!("{r}")
}

/// A user's text, shortened for a message.
fn clip(text: &str) -> String {
    let t: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// Decodes `%XX` escapes and `+` of a URL query component (invalid escapes stay as written).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Scene {
    /// Sets one parameter from text; the error names it and its allowed range.
    pub fn set(&mut self, key: &str, text: &str, platform: Platform) -> Result<(), ParamError> {
        let p = param(key).ok_or_else(|| ParamError { key: key.to_string(), message: format!("unknown parameter '{}'", clip(key)) })?;
        let v = p.parse(text, platform)?;
        (p.set)(self, v);
        Ok(())
    }

    /// Reads one parameter as text.
    pub fn get(&self, key: &str) -> Option<String> {
        param(key).map(|p| p.format((p.get)(self)))
    }

    /// Parses a scene string leniently: unknown keys are ignored, a bad value keeps the default
    /// and is reported, then cross-parameter rules are checked (see [`Scene::check`]).
    pub fn from_query_lenient(query: &str, platform: Platform) -> (Scene, Vec<ParamError>) {
        let mut scene = Scene::default();
        let mut errors = Vec::new();
        for (k, v) in pairs(query) {
            if param(&k).is_none() {
                continue;
            }
            if let Err(e) = scene.set(&k, &v, platform) {
                errors.push(e);
            }
        }
        for e in scene.check(platform) {
            // Fall back to the default of the parameter named, so the scene stays usable.
            if let Some(p) = param(&e.key) {
                (p.set)(&mut scene, (p.get)(&Scene::default()));
            }
            errors.push(e);
        }
        // A fallback may itself break a rule (the default size above a small max-size, the
        // default max-size above a small dim): bring the size axis within range, else start over.
        if !scene.check(platform).is_empty() {
            if scene.problem.family == Family::Gaussian {
                scene.max_size = scene.max_size.min(scene.problem.dim);
            }
            scene.size = scene.size.clamp(1, scene.max_size.max(1));
        }
        if !scene.check(platform).is_empty() {
            scene = Scene::default();
        }
        (scene, errors)
    }

    /// Parses a scene string strictly: unknown keys and bad values are errors.
    pub fn from_query(query: &str, platform: Platform) -> Result<Scene, ParamError> {
        let mut scene = Scene::default();
        scene.apply_query(query, platform)?;
        Ok(scene)
    }

    /// Applies a scene string on top of this scene, strictly, then checks the cross rules.
    pub fn apply_query(&mut self, query: &str, platform: Platform) -> Result<(), ParamError> {
        for (k, v) in pairs(query) {
            self.set(&k, &v, platform)?;
        }
        match self.check(platform).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Rules that involve more than one parameter.
    pub fn check(&self, platform: Platform) -> Vec<ParamError> {
        let mut errs = Vec::new();
        let err = |key: &str, message: String| ParamError { key: key.to_string(), message };
        if self.problem.family == Family::Gaussian && self.max_size > self.problem.dim {
            errs.push(err("max-size", format!("max-size must be at most dim = {} for the gaussian family, got {}", self.problem.dim, self.max_size)));
        }
        if self.problem.data.is_some() && self.problem.family == Family::Gaussian {
            errs.push(err("family", "family must be legendre, relu or fourier with your own data (points=…), got gaussian".into()));
        }
        if let Some(d) = &self.problem.data {
            let least = self.problem.folds.max(3);
            if d.x.len() < least {
                errs.push(err(
                    "points",
                    format!("points must number at least {least} with folds = {} (each fold holds out one), got {}", self.problem.folds, d.x.len()),
                ));
            }
        }
        let limit = if self.axis == Axis::Size { self.max_size } else { self.size.min(self.problem.dim.max(1)) };
        if self.size > self.max_size.max(limit) || (self.problem.family == Family::Gaussian && self.size > self.problem.dim) {
            errs.push(err("size", format!("size must be an integer from 1 to max-size = {}, got {}", self.max_size, self.size)));
        }
        if platform == Platform::Web {
            // Keep one sweep within a few seconds in the browser: about trials·P·n·(n + test)
            // multiply-adds for the incremental path.
            let pr = &self.problem;
            let (work, what) = match &pr.data {
                None => (self.trials as f64 * self.max_size as f64 * pr.n as f64 * (pr.n + pr.test) as f64, "n × (n + test)"),
                Some(_) => {
                    let fits = if pr.eval == Eval::KFold { pr.folds } else { 1 };
                    (self.trials as f64 * self.max_size as f64 * (fits * pr.train_n() * pr.points()) as f64, "points² × (folds, for k-fold)")
                }
            };
            if work > 4e9 {
                errs.push(err(
                    "trials",
                    format!("trials × max-size × {what} must stay under 4e9 in the browser, got {}: lower trials or max-size", format_sci(work, 2)),
                ));
            }
        }
        errs
    }

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

    /// The scene string: every parameter that differs from the default, in table order.
    pub fn to_query(&self) -> String {
        let d = Scene::default();
        PARAMS.iter().filter(|p| (p.get)(self) != (p.get)(&d)).map(|p| format!("{}={}", p.key, p.format((p.get)(self)))).collect::<Vec<_>>().join("&")
    }
}

/// Points as the value of `points=` (x:y pairs separated by commas).
pub fn points_text(points: &[(f64, f64)]) -> String {
    PARAMS.iter().find(|p| p.key == "points").map(|p| p.format(Value::Points(points.to_vec()))).unwrap_or_default()
}

/// The `key=value` pairs of a query (a leading `?` or `#` is skipped; empty parts ignored).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    let q = query.trim().trim_start_matches(['?', '#']);
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(kv), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scene_serializes_to_the_empty_string() {
        assert_eq!(Scene::default().to_query(), "");
    }

    #[test]
    fn scenes_round_trip_through_their_query_strings() {
        let queries = [
            "family=relu&target=sin&n=100&noise=0.2&max-size=400&test=250",
            "family=gaussian&n=40&ridge=0.01&max-size=200&dim=200&decay=1.5&agg=mean&log-y=0",
            "family=fourier&seed=4294967295&bandwidth=12.5&x-dist=chebyshev&grid=log&log-x=0&ratio=1",
            "n=90&trials=3&smoothness=0&axis=samples&size=25",
        ];
        for q in queries {
            let s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(s.to_query(), q, "canonical order and spelling");
            assert_eq!(Scene::from_query(&s.to_query(), Platform::Web), Ok(s));
        }
        // Every parameter at a non-default value survives the trip.
        for p in PARAMS {
            let mut s = Scene::default();
            let v = match p.kind {
                Kind::Int { min, .. } => Value::Int(min + 1),
                Kind::Real { min, max, .. } => Value::Real(min + (max - min) / 3.0),
                Kind::Choice(names) => Value::Choice(names.len() - 1),
                Kind::Set(_) => Value::Set(0b101),
                Kind::Points { .. } => Value::Points(vec![(0.5, -0.25), (0.125, 3.0), (-1.0, 1000.0), (1.0 / 3.0, 0.1), (0.0, 0.0), (-0.7, -2.5e-7)]),
            };
            (p.set)(&mut s, v);
            let back = Scene::from_query_lenient(&s.to_query(), Platform::Native).0;
            assert_eq!((p.get)(&back), (p.get)(&s), "{}", p.key);
        }
    }

    #[test]
    fn every_parameter_rejects_bad_values_with_its_name_and_range() {
        for p in PARAMS {
            let bad: &[&str] = match p.kind {
                Kind::Int { .. } => &["abc", "-1", "1.5", "99999999999999999999", ""],
                Kind::Real { .. } => &["abc", "NaN", "inf", "-1e9", "1e300", ""],
                Kind::Choice(_) => &["nope", "", "2"],
                Kind::Set(_) => &["nope", "fit,nope", "1"],
                Kind::Points { .. } => &["abc", "0.5", "2:0", "0:nan", "0.1:0.2:0.3", "0:1e9"],
            };
            for v in bad {
                let e = Scene::default().set(p.key, v, Platform::Web).err().unwrap_or_else(|| panic!("{}={v} accepted", p.key));
                let want = format!("{} must be {}, got '{v}'", p.key, p.kind.allowed(Platform::Web));
                assert_eq!(e.message, want);
                assert_eq!(e.key, p.key);
            }
        }
        // The browser's limits are tighter than the CLI's.
        assert!(Scene::default().set("n", "5000", Platform::Native).is_ok());
        let e = Scene::default().set("n", "5000", Platform::Web).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("n must be an integer from 2 to 400, got '5000'"));
    }

    #[test]
    fn lenient_parsing_ignores_unknown_keys_and_keeps_defaults_for_bad_values() {
        let (s, errs) = Scene::from_query_lenient("?wat=1&n=abc&noise=0.3&max-size=99999", Platform::Web);
        assert_eq!(s.problem.noise, 0.3);
        assert_eq!(s.problem.n, Scene::default().problem.n);
        assert_eq!(s.max_size, Scene::default().max_size);
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["n", "max-size"]);
    }

    #[test]
    fn control_keys_are_every_row_but_the_page_layout_ones() {
        let keys: Vec<&str> = PARAMS.iter().map(|p| p.key).filter(|k| !["embed", "panels", "controls", "tour", "step"].contains(k)).collect();
        assert_eq!(keys, CONTROL_KEYS);
        let s = Scene::from_query("embed=1&panels=fit,dd&controls=n,noise", Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.embed && s.shows_panel("fit") && !s.shows_panel("u") && s.shows_panel("dd"));
        assert!(s.shows_control("n") && s.shows_control("noise") && !s.shows_control("family"));
        assert_eq!(s.to_query(), "embed=1&panels=fit,dd&controls=n,noise");
        assert_eq!(Scene::from_query("controls=", Platform::Web).map(|s| s.controls), Ok(0));
    }

    #[test]
    fn your_own_points_round_trip_and_rule_out_what_they_cannot_do() {
        let q = "points=0.5:1,-0.5:0.25,0:0,0.25:-1,-1:2,1:0.5&holdout=kfold&folds=3";
        let s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.to_query(), q);
        assert_eq!(s.problem.points(), 6);
        assert_eq!(s.problem.train_n(), 4);
        assert_eq!(crate::plot::threshold(&s), 4);
        // The fit panel uses every training point of the split at the selected size.
        let (problem, size) = s.fit_problem(12);
        assert_eq!((problem.n >= 4, size), (true, 12));
        let (s2, errs) = Scene::from_query_lenient(&format!("{q}&family=gaussian"), Platform::Web);
        assert_eq!(errs.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["family"]);
        assert!(s2.problem.data.is_some() && s2.problem.family == Family::Legendre);
        let few = Scene::from_query("points=0.5:1,0:0&folds=5", Platform::Web).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(few, "points must number at least 5 with folds = 5 (each fold holds out one), got 2");
        let many = (0..1001).map(|i| format!("{}:0", i as f64 / 1001.0)).collect::<Vec<_>>().join(",");
        assert!(Scene::default().set("points", &many, Platform::Web).is_err());
        assert!(Scene::default().set("points", &many, Platform::Native).is_ok());
        assert_eq!(points_text(&[(0.5, 1.0), (-0.25, 2.0)]), "0.5:1,-0.25:2");
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
    fn percent_escapes_decode_and_bad_ones_stay() {
        assert_eq!(percent_decode("a%20b+c%zz%"), "a b c%zz%");
    }
}
