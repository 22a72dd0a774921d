//! The table itself: one [`Param`] row per knob of a scene ([`PARAMS`]), with its key, label,
//! help, [`Kind`] (type and range, natively and in the browser), how it is read from and
//! written into a [`Scene`] (as a [`Value`]), and what a change of it asks of the page
//! ([`Change`]).

use super::{Agg, Scene, CONTROL_KEYS, PANELS, THEMES, TOURS};
use crate::engine::data::{Dataset, Target, XDist};
use crate::engine::features::Family;
use crate::engine::own::{self, Eval};
use crate::engine::sweep::{Axis, Grid};
use crate::engine::train::MAX_STEPS;

/// The help text of a row the page never shows (no control of the page's): left out of the
/// browser's build, where it would only cost bytes (the CLI's --help and docs/parameters.md have
/// it).
macro_rules! cli_help {
    ($text:literal) => {
        if cfg!(target_arch = "wasm32") {
            ""
        } else {
            $text
        }
    };
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
    /// A comparison: `KEY:V1,V2,…`, 2 to `max` values of one of `keys`, each checked by that
    /// key's own row; empty for none.
    Compare {
        /// The keys that can be compared.
        keys: &'static [&'static str],
        /// Most values.
        max: usize,
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
    /// For [`Kind::Compare`]: the comparison, none for a single sweep.
    Compare(Option<Compare>),
}

/// A comparison (`compare=noise:0,0.1,0.3`): one sweep per value of one parameter, the rest of
/// the scene shared (the seed too, so the same draws wherever the key allows).
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// The compared parameter's key (one of [`COMPARE_KEYS`]).
    pub key: &'static str,
    /// Its values, in the order given (the order of the legend), each valid for its row.
    pub values: Vec<Value>,
}

/// The keys `compare=` accepts: the problem's knobs whose change makes a different curve. Not
/// the seed, trials or test points (another draw or precision, not another scene), nor the
/// sweep's extent, your own data or anything of the view.
pub const COMPARE_KEYS: &[&str] = &["family", "target", "x-dist", "n", "noise", "ridge", "smoothness", "bandwidth", "dim", "decay"];

/// Comparisons the page's compare field offers (any other can be typed); each applies to the
/// default scene.
pub const COMPARE_EXAMPLES: &[&str] =
    &["noise:0,0.1,0.3", "ridge:0,0.000001,0.0001,0.01", "n:20,40,80", "family:legendre,relu,fourier", "smoothness:0,1,2,3", "target:sin,abs,step"];

/// The most values of one comparison.
pub const COMPARE_MAX: usize = 5;

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
    /// The training panel's time cursor or overlay: the fit panel and the training panels are
    /// redrawn.
    Time,
}

const FAMILIES: &[&str] = &["legendre", "relu", "fourier", "gaussian", "linear"];
const TARGETS: &[&str] = &["sin", "runge", "abs", "step", "cubic"];
const XDISTS: &[&str] = &["uniform", "chebyshev"];
const GRIDS: &[&str] = &["every", "log"];
const AXES: &[&str] = &["size", "samples"];
const AGGS: &[&str] = &["median", "mean"];
const BOOLS: &[&str] = &["0", "1"];
const EVALS: &[&str] = &["split", "kfold"];
const SOURCES: &[&str] = &["generated", "digits", "table"];

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

/// Steps of the introduction tour (`crate::page::presets::TOUR`; a test keeps the two equal).
pub const TOUR_STEPS: u64 = 11;

/// The smallest ridge penalty above 0: below it the penalty changes nothing a double can hold,
/// except to break the numbers.
pub const MIN_RIDGE: f64 = 1e-12;

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
        kind: Kind::Int { min: 2, max: 5000, web_max: 1000 },
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
        help: "ridge penalty λ in (1/n)‖y − Φβ‖² + λ‖β‖²; 0 is the minimum-norm fit, and a penalty is at least 1e-12",
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
        key: "fast",
        label: "fast coordinates",
        help: cli_help!("gaussian, two-speed features: the first `fast` coordinates at scale 1, the rest at scale 1/kappa (their true weights κ times larger); 0 for none"),
        kind: Kind::Int { min: 0, max: crate::engine::sweep::limits::DIM as u64, web_max: 2000 },
        get: |s| Value::Int(s.problem.fast as u64),
        set: |s, v| s.problem.fast = int(v) as usize,
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "kappa",
        label: "slow scale κ",
        help: cli_help!("gaussian, two-speed features: the slow coordinates' scale is 1/κ"),
        kind: Kind::Real { min: 1.0, max: 10000.0, log: true },
        get: |s| Value::Real(s.problem.kappa),
        set: |s, v| s.problem.kappa = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((1.0, 1000.0)),
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
        key: "data",
        label: "data",
        help: cli_help!("generated points, the handwritten digits (1,797 images of 8 × 8 pixels, 10 classes), or a table of your own (--data FILE.csv --label COLUMN): random relu or fourier features of its columns, n training and test held-out rows per trial; the page opens the digits, and a table pasted or uploaded under Your own data (a link cannot carry the table)"),
        kind: Kind::Choice(SOURCES),
        get: |s| Value::Choice(super::Source::ALL.iter().position(|d| *d == s.source).unwrap_or(0)),
        set: |s, v| s.source = super::Source::ALL[choice(v).min(super::Source::ALL.len() - 1)],
        change: Change::Sweep,
        reselect: true,
        slider: None,
    },
    Param {
        key: "holdout",
        label: "test error from",
        help: "your own data or a table: a held-out split (1 in folds points; a table's test rows) or k-fold cross-validation",
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
        help: "your own data (1 in k points is held out) or a table's k-fold: k folds, each held out in turn",
        kind: Kind::Int { min: own::FOLDS.0 as u64, max: own::FOLDS.1 as u64, web_max: own::FOLDS.1 as u64 },
        get: |s| Value::Int(s.problem.folds as u64),
        set: |s, v| s.problem.folds = int(v) as usize,
        change: Change::Sweep,
        reselect: true,
        slider: Some((2.0, 10.0)),
    },
    Param {
        key: "compare",
        label: "compare",
        help: "one sweep per value of one parameter, drawn together (e.g. noise:0,0.1,0.3)",
        kind: Kind::Compare { keys: COMPARE_KEYS, max: COMPARE_MAX },
        get: |s| Value::Compare(s.compare.clone()),
        set: |s, v| {
            s.compare = match v {
                Value::Compare(c) => c,
                _ => None,
            }
        },
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "pick",
        label: "fit shown",
        help: cli_help!("with compare: which compared value's fit, textbook U and readout are shown (1: the first)"),
        kind: Kind::Int { min: 1, max: COMPARE_MAX as u64, web_max: COMPARE_MAX as u64 },
        get: |s| Value::Int(s.pick as u64 + 1),
        set: |s, v| s.pick = (int(v) as usize).saturating_sub(1),
        change: Change::Style,
        reselect: false,
        slider: None,
    },
    Param {
        key: "lr",
        label: "step size",
        help: cli_help!("training over time: the gradient-descent step as a fraction of the stable limit 2/L (L: the loss's largest curvature)"),
        kind: Kind::Real { min: 1e-6, max: 0.99, log: true },
        get: |s| Value::Real(s.training.lr),
        set: |s, v| s.training.lr = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((0.01, 0.99)),
    },
    Param {
        key: "flow",
        label: "gradient flow",
        help: cli_help!("training over time: gradient flow, the limit of small steps, at the same times (1), or gradient descent (0)"),
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.training.flow as usize),
        set: |s, v| s.training.flow = choice(v) == 1,
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "init",
        label: "init scale α",
        help: cli_help!("training over time: the scale of the random start β₀ (coordinates N(0, α²/p), drawn per trial from the seed); 0 starts at β₀ = 0"),
        kind: Kind::Real { min: 0.0, max: 1000.0, log: false },
        get: |s| Value::Real(s.training.init),
        set: |s, v| s.training.init = real(v),
        change: Change::Sweep,
        reselect: false,
        slider: Some((0.0, 10.0)),
    },
    Param {
        key: "equalize",
        label: "equal speeds",
        help: cli_help!("training over time, two-speed features: the slow coordinates' step κ² times the fast ones', so both learn at one speed (1), or one step for all (0)"),
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.training.equalize as usize),
        set: |s, v| s.training.equalize = choice(v) == 1,
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "steps",
        label: "training steps",
        help: cli_help!("training over time: the last step of the training curve"),
        kind: Kind::Int { min: 1, max: MAX_STEPS, web_max: MAX_STEPS },
        get: |s| Value::Int(s.steps),
        set: |s, v| s.steps = int(v),
        change: Change::Sweep,
        reselect: false,
        slider: None,
    },
    Param {
        key: "time",
        label: "time cursor",
        help: cli_help!("web: the training panel's time cursor: the fit panel shows the model after this many steps (0: none, where training ends)"),
        kind: Kind::Int { min: 0, max: MAX_STEPS, web_max: MAX_STEPS },
        get: |s| Value::Int(s.time),
        set: |s, v| s.time = int(v),
        change: Change::Time,
        reselect: false,
        slider: None,
    },
    Param {
        key: "overlay",
        label: "ridge overlay",
        help: cli_help!("training panel (page, ddviz plot --panel training): also ridge at λ = 1/(2ηt), which early stopping at step t is within 1.69× of (Ali, Kolter & Tibshirani 2019) (1) or not (0)"),
        kind: Kind::Choice(BOOLS),
        get: |s| Value::Choice(s.overlay as usize),
        set: |s, v| s.overlay = choice(v) == 1,
        change: Change::Time,
        reselect: false,
        slider: None,
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
        help: cli_help!("web: 1 drops the page chrome so the figure fits an iframe (with panels= and controls=)"),
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
        help: cli_help!("web: the panels shown, of fit, u, dd, training (train and test error against steps at the selected size) and map (test error over size × steps)"),
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
        help: cli_help!("web: the controls shown, by key (e.g. n,noise); empty for none"),
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
        help: cli_help!("web: a presenter tour stepped with space, arrows or a clicker (none or intro)"),
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
        help: cli_help!("web: the tour's step"),
        kind: Kind::Int { min: 1, max: TOUR_STEPS, web_max: TOUR_STEPS },
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

/// Looks up a row of the table by key.
pub fn param(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}
