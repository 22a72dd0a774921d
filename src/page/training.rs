//! Training over time on the page: the scene the training panels show, the time cursor, the
//! size × time map's plan of work, and the words and tables read off the training curves. Plain
//! Rust, tested natively; the lazily loaded module (`ddviz-extra`, `crate::web::training`)
//! computes and draws with it, and the page (`ddviz-web`) never links it.

use crate::engine::sweep::{Grid, SweepResult, SweepRow};
use crate::engine::train::{step_grid, TrainSweep};
use crate::plot::{axes_short as short, Geom};
use crate::scene::{Agg, Platform, Scene, MAP_TIMES, TRAIN_TIMES};

use super::text::html_table;

/// The most model sizes the map computes: a scene whose grid has more (the default's every size
/// up to 600) is mapped at log-spaced sizes instead, which the caption says.
pub const MAP_SIZES: usize = 80;

/// The scene the training panels show: `query`'s scene (as the page reads it) with the page's
/// selection `selected` as its size (a sample sweep: the fixed size, trained on `selected`
/// points, as the fit panel shows it).
pub fn scene_at(query: &str, selected: usize) -> Scene {
    at(Scene::from_query_lenient(query, Platform::Web).0, selected)
}

/// [`scene_at`] of a scene already read (the lazily loaded module reads a digits or table
/// scene with its data attached).
pub fn at(mut scene: Scene, selected: usize) -> Scene {
    let (problem, size) = scene.fit_problem(selected.max(1));
    scene.problem = problem;
    // As the fit panel: a size sweep's selection within its sizes; a sample sweep's fixed size.
    scene.size = if scene.axis == crate::engine::sweep::Axis::Size { size.clamp(1, scene.max_size.max(1)) } else { size.max(1) };
    scene
}

/// The scene the map is computed for: `scene` without what only moves along it (size, time
/// cursor, overlay), at log-spaced sizes when its grid has more than [`MAP_SIZES`].
pub fn map_scene(scene: &Scene) -> Scene {
    let mut s = scene.clone();
    let d = Scene::default();
    (s.size, s.time, s.overlay, s.pick) = (d.size, 0, false, 0);
    s.keep_look(&d);
    if s.grid.sizes(s.max_size, s.problem.train_n()).len() > MAP_SIZES {
        s.grid = Grid::Log;
    }
    s
}

/// Size number `index` of the map of `scene` (a map scene, [`map_scene`]): that size's training
/// at [`MAP_TIMES`] steps — the sweep [`Scene::map_sweeps`] has at that place.
pub fn map_sweep(scene: &Scene, index: usize) -> Option<TrainSweep> {
    let p = *scene.grid.sizes(scene.max_size, scene.problem.train_n()).get(index)?;
    TrainSweep::new(scene.problem.clone(), p, step_grid(scene.steps, MAP_TIMES), scene.trials, scene.training).ok().map(TrainSweep::without_theory)
}

/// The size sweep at the map's sizes, the map's row t → ∞ — where training at every size of the
/// map ends at the size sweep's fit ([`ends_at_sweep`] at the largest size); `None` elsewhere.
pub fn map_limit(scene: &Scene) -> Option<crate::engine::sweep::SizeSweep> {
    let mut largest = scene.clone();
    largest.size = scene.max_size;
    if !ends_at_sweep(&largest) {
        return None;
    }
    crate::engine::sweep::SizeSweep::new(scene.problem.clone(), scene.max_size, scene.grid, scene.trials).ok()
}

/// Whether a digits or table scene's map has the row t → ∞: training at its largest size ends at
/// the size sweep's fit ([`ends_at_sweep`]).
fn table_limit(scene: &Scene) -> bool {
    let mut largest = scene.clone();
    largest.size = scene.max_size;
    ends_at_sweep(&largest)
}

/// Whether the map of `scene` (a map scene) has the row t → ∞ (the size sweep at its sizes).
pub fn has_limit(scene: &Scene) -> bool {
    if scene.source != crate::scene::Source::Generated {
        return table_limit(scene);
    }
    map_limit(scene).is_some()
}

/// What a scene's training curves measure and on what: "test error" on "points" (your own
/// points: "held-out error", as the chart's legend names it), or for the
/// digits and tables the held-out error on images or rows (their outputs' squared loss).
pub fn words(scene: &Scene) -> (&'static str, &'static str) {
    match scene.source {
        // Your own points: their error is on held-out points, as the chart's legend says.
        crate::scene::Source::Generated if scene.problem.data.is_some() => ("held-out error", "points"),
        crate::scene::Source::Generated => ("test error", "points"),
        crate::scene::Source::Digits => ("held-out error", "images"),
        crate::scene::Source::Table => ("held-out error", "rows"),
    }
}

/// Part `index` of the map of `scene` (a map scene): the training of size number `index`, or one
/// past the last size, the map's row t → ∞ ([`map_limit`]).
pub fn map_part(scene: &Scene, index: usize) -> Option<Box<dyn crate::engine::sweep::Sweep>> {
    let sizes = scene.grid.sizes(scene.max_size, scene.problem.train_n()).len();
    if scene.source != crate::scene::Source::Generated {
        // The digits or a table (with their data): every output trained at once; the row
        // t → ∞ is the table's size sweep. Of model sizes only.
        if scene.axis != crate::engine::sweep::Axis::Size {
            return None;
        }
        if index == sizes {
            return table_limit(scene).then(|| scene.table_sweep().ok().map(|s| Box::new(s) as Box<dyn crate::engine::sweep::Sweep>)).flatten();
        }
        return scene.table_map_sweeps().ok()?.into_iter().nth(index).map(|s| Box::new(s) as Box<dyn crate::engine::sweep::Sweep>);
    }
    if index == sizes {
        return map_limit(scene).map(|s| Box::new(s) as Box<dyn crate::engine::sweep::Sweep>);
    }
    map_sweep(scene, index).map(|s| Box::new(s) as Box<dyn crate::engine::sweep::Sweep>)
}

/// The training curve's value drawn for a row: median or mean, as the scene draws.
fn test_of(r: &SweepRow, agg: Agg) -> f64 {
    if agg == Agg::Median {
        r.test_mse_median
    } else {
        r.test_mse_mean
    }
}

fn train_of(r: &SweepRow, agg: Agg) -> f64 {
    if agg == Agg::Median {
        r.train_mse_median
    } else {
        r.train_mse_mean
    }
}

/// The step of the grid `steps` nearest to `step` on the log axis (the first, for 0).
pub fn snap(steps: &[usize], step: u64) -> Option<usize> {
    let l = (step.max(1) as f64).ln();
    steps.iter().copied().min_by(|a, b| ((*a as f64).ln() - l).abs().total_cmp(&((*b as f64).ln() - l).abs()))
}

/// The step under the pointer at device-pixel column `px` of the training panel drawn at `g`
/// (its x-axis log10 of the step), snapped to the grid `steps`.
pub fn step_at(g: &Geom, px: f64, steps: &[usize]) -> Option<usize> {
    let w = f64::from((g.right - g.left).max(1));
    let f = ((px - f64::from(g.left)) / w).clamp(0.0, 1.0);
    let v = 10f64.powf(g.x0 + f * (g.x1 - g.x0));
    snap(steps, v.round().max(1.0) as u64)
}

/// The step `delta` grid points from `step` (snapped first), kept on the grid.
pub fn step_by(steps: &[usize], step: u64, delta: i64) -> Option<usize> {
    let at = snap(steps, step)?;
    let i = steps.iter().position(|s| *s == at)? as i64;
    let j = (i + delta).clamp(0, steps.len() as i64 - 1) as usize;
    steps.get(j).copied()
}

/// The row of `result` at the grid step nearest `step`.
pub fn row_at(result: &SweepResult, step: u64) -> Option<&SweepRow> {
    let steps: Vec<usize> = result.rows.iter().map(|r| r.x).collect();
    let at = snap(&steps, step)?;
    result.rows.iter().find(|r| r.x == at)
}

/// The best stopping time: the step of the lowest test error drawn, and that error.
pub fn best(result: &SweepResult, agg: Agg) -> Option<(usize, f64)> {
    result.rows.iter().map(|r| (r.x, test_of(r, agg))).filter(|(_, v)| v.is_finite()).min_by(|a, b| a.1.total_cmp(&b.1))
}

/// A step count with thousands separated: 12,345.
pub fn steps_text(step: usize) -> String {
    let digits = step.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What "step" means in the scene: gradient-descent steps, or gradient-flow time (η·t).
fn time_word(scene: &Scene) -> &'static str {
    if scene.training.flow {
        "time"
    } else {
        "step"
    }
}

/// The readout of the time cursor: step, train and test error, ‖β_t‖.
pub fn readout(scene: &Scene, result: &SweepResult, step: u64) -> Option<String> {
    let r = row_at(result, step)?;
    let agg = if scene.agg == Agg::Median { "median" } else { "mean" };
    let norm = if scene.agg == Agg::Median { r.norm_median } else { r.norm_mean };
    let mut text = format!(
        "{} {}: train error {}, test error {} ({agg}), ‖β_t‖ {}",
        time_word(scene),
        steps_text(r.x),
        short(train_of(r, scene.agg)),
        short(test_of(r, scene.agg)),
        short(norm)
    );
    // From a random start, how far training has moved the model (from zero it is ‖β_t‖).
    if let Some(d) = moved_of(r, scene) {
        text.push_str(&format!(", ‖β_t − β₀‖ {}", short(d)));
    }
    Some(text)
}

/// ‖β_t − β₀‖ as the scene aggregates, where training starts away from zero.
fn moved_of(r: &SweepRow, scene: &Scene) -> Option<f64> {
    if scene.training.init == 0.0 {
        return None;
    }
    if scene.agg == Agg::Median {
        r.extra_median
    } else {
        r.extra_mean
    }
}

/// Whether training ends at the fit the size sweep shows at this size: not past the threshold
/// without ridge when it starts away from zero (it ends at the interpolant nearest its start),
/// nor with two-speed features trained at one speed unless the fit is unique (no ridge, at most
/// n features: the penalty and the minimum norm then act on the rescaled coordinates).
/// Elsewhere the limit is unique (up to the threshold, or with ridge) or the minimum-norm fit.
pub fn ends_at_sweep(scene: &Scene) -> bool {
    // At p = n the interpolant is unique: any start ends there.
    let over = scene.size > scene.problem.train_n();
    let ridge = scene.problem.ridge > 0.0;
    if scene.training.equalize && scene.problem.two_speed() {
        // Weight decay, and the minimum norm, then act on the rescaled coordinates.
        return !over && !ridge;
    }
    !(over && !ridge && scene.training.init > 0.0)
}

/// The training panel's caption, from the numbers drawn: how test error moves from the first
/// step to its lowest and to the end, where training ends (`end`: the size sweep's error at
/// this size), and when train error reaches its floor.
pub fn caption(scene: &Scene, result: &SweepResult, end: Option<f64>) -> String {
    let agg = scene.agg;
    let rows = &result.rows;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return "Computing the training curves…".into();
    };
    let n = scene.problem.train_n();
    let p = scene.size;
    let (error, points) = words(scene);
    let how =
        if scene.training.flow { "gradient flow".to_string() } else { format!("gradient descent (step {} of the stable limit)", short(scene.training.lr)) };
    let start = if scene.training.init > 0.0 { format!("from a random start of scale {}", short(scene.training.init)) } else { "from zero".into() };
    let mut s = format!(
        "A model of p = {p} features trained on n = {n} {points} by {how}, {start}, over {} trials ({}). ",
        result.trials,
        if agg == Agg::Median { "median" } else { "mean" }
    );
    let (t0, tl) = (test_of(first, agg), test_of(last, agg));
    s += &format!(
        "{} {} {} at {} {} ",
        super::text::capitalized(error),
        if tl < t0 { "falls from" } else { "goes from" },
        short(t0),
        time_word(scene),
        steps_text(first.x)
    );
    // The chart circles the best time by the same rule (src/plot/training.rs).
    if let Some((bx, bv)) = best(result, agg).filter(|(bx, bv)| *bx != last.x && tl > 1.1 * bv) {
        s += &format!(
            "to its lowest, {} at {} {} (the best time to stop, marked), and ends at {} at {} {}",
            short(bv),
            time_word(scene),
            steps_text(bx),
            short(tl),
            time_word(scene),
            steps_text(last.x)
        );
        if tl >= 10.0 * bv {
            s += &format!(" — {}× higher: stopping early beats training to the end", short(tl / bv));
        }
        s += ". ";
    } else {
        s += &format!("to {} at {} {}, within 10 % of its lowest. ", short(tl), time_word(scene), steps_text(last.x));
    }
    // The limit as the chart's legend names it.
    let what = if scene.problem.ridge > 0.0 { "the ridge fit" } else { "the minimum-norm fit" };
    if let Some(e) = end.filter(|e| e.is_finite() && ends_at_sweep(scene)) {
        s += &format!("Trained forever it reaches {what}, with {error} {} — the double-descent curve at p = {p} (t → ∞ in the legend). ", short(e));
    }
    // The gaussian family's theory, drawn where it is finite: asymptotic, of the mean.
    if let Some(th) = last.theory.filter(|v| v.is_finite()) {
        s += &format!(
            "The purple dashed line is the asymptotic theory of the mean error (n and p large at p/n = {}): at {} {} it gives {}, the trials' mean is {}. ",
            short(p as f64 / n as f64),
            time_word(scene),
            steps_text(last.x),
            short(th),
            short(last.test_mse_mean)
        );
    }
    // When train error reaches its floor (zero, to rounding, once it interpolates).
    let floor = train_of(last, agg);
    let zero = floor <= 1e-12 * train_of(first, agg).abs();
    let reached = |r: &&SweepRow| if zero { train_of(r, agg) <= 1e-10 * train_of(first, agg).abs() } else { train_of(r, agg) <= floor * 1.05 };
    if let Some(r) = rows.iter().find(reached).filter(|r| r.x < last.x) {
        let level = if zero { "zero: the model passes through every training point".to_string() } else { format!("its floor, {}", short(floor)) };
        s += &format!("Train error reaches {level}, by {} {}.", time_word(scene), steps_text(r.x));
    }
    s.trim_end().to_string()
}

/// The map's caption, from the rows computed so far (`total`: the sizes it will have) and the
/// row t → ∞ (`limit`, the size sweep).
pub fn map_caption(scene: &Scene, rows: &[(usize, SweepResult)], limit: Option<&SweepResult>, total: usize) -> String {
    let agg = scene.agg;
    let n = scene.problem.train_n();
    let log = if scene.grid == Grid::Log { "log-spaced sizes" } else { "every size" };
    let mut s = format!(
        "{} ({}) over model size ({log}) and training steps, lighter is higher; the threshold p = {n} is dashed. ",
        super::text::capitalized(words(scene).0),
        if agg == Agg::Median { "median" } else { "mean" }
    );
    if rows.len() < total {
        s += &format!("Computing: {} of {total} sizes so far.", rows.len());
        return s;
    }
    // The peak at the threshold of the last step's row, against the row of each size's best time.
    let last = |r: &SweepResult| r.rows.last().map_or(f64::NAN, |row| test_of(row, agg));
    let best_of = |r: &SweepResult| best(r, agg).map_or(f64::NAN, |b| b.1);
    let near = rows.iter().filter(|(p, _)| 2 * p >= n && *p <= 2 * n);
    let peak_last = near.clone().map(|(_, r)| last(r)).fold(0.0, f64::max);
    let peak_best = near.map(|(_, r)| best_of(r)).fold(0.0, f64::max);
    let low = rows.iter().filter(|(p, _)| 2 * p < n).map(|(_, r)| last(r)).fold(f64::INFINITY, f64::min);
    if peak_last.is_finite() && low.is_finite() && peak_last > 3.0 * low {
        s += &format!(
            "At the last step (the heatmap's top row), the error peaks near the threshold at {} — {}× the best below it; stopped at each size's best time (the white line), the highest there is {}.",
            short(peak_last),
            short(peak_last / low),
            short(peak_best)
        );
        if peak_best < 2.0 * low {
            s += " Early stopping removes the peak.";
        }
    } else {
        s += "The white line marks each size's best time to stop.";
    }
    // The top strip: where training ends, the double-descent curve.
    let ends = limit.map(|l| l.rows.iter().filter(|r| 2 * r.x >= n && r.x <= 2 * n).map(|r| test_of(r, agg)).fold(0.0, f64::max));
    let below = limit.map(|l| l.rows.iter().filter(|r| 2 * r.x < n).map(|r| test_of(r, agg)).fold(f64::INFINITY, f64::min));
    match (ends.filter(|v| *v > 0.0), below) {
        // A peak only where it stands well above the sizes below it (as the last step's row).
        (Some(peak), Some(low)) if peak > 3.0 * low => {
            s += &format!(" The strip on top, t → ∞, is where training ends: the size sweep's fit at each size, peaking at {} near the threshold.", short(peak))
        }
        (Some(top), _) => {
            s += &format!(" The strip on top, t → ∞, is where training ends: the size sweep's fit at each size, at most {} near the threshold.", short(top))
        }
        _ => {}
    }
    s
}

/// The training panel's "show as table" view: every step of the curve.
pub fn table(scene: &Scene, result: &SweepResult) -> String {
    let agg = if scene.agg == Agg::Median { "median" } else { "mean" };
    let mut head = vec![time_word(scene), "train error", "test error", "test q25", "test q75", "‖β_t‖"];
    if scene.training.init > 0.0 {
        head.push("‖β_t − β₀‖");
    }
    let theory = result.rows.iter().any(|r| r.theory.is_some());
    if theory {
        head.push("theory (mean)");
    }
    let rows = result.rows.iter().map(|r| {
        let norm = if scene.agg == Agg::Median { r.norm_median } else { r.norm_mean };
        let mut row =
            vec![r.x.to_string(), short(train_of(r, scene.agg)), short(test_of(r, scene.agg)), short(r.test_mse_q25), short(r.test_mse_q75), short(norm)];
        if scene.training.init > 0.0 {
            row.push(moved_of(r, scene).map(short).unwrap_or_default());
        }
        if theory {
            row.push(r.theory.map(short).unwrap_or_default());
        }
        row
    });
    html_table(&format!("Training at p = {} ({agg} over {} trials)", scene.size, result.trials), &head, rows)
}

/// The map's "show as table" view: per size, the best time to stop and its error, the error at
/// the last step, and where training ends (`limit`, the strip t → ∞) where the map has it.
pub fn map_table(scene: &Scene, rows: &[(usize, SweepResult)], limit: Option<&SweepResult>) -> String {
    let agg = if scene.agg == Agg::Median { "median" } else { "mean" };
    let body = rows.iter().map(|(p, r)| {
        let (bx, bv) = best(r, scene.agg).unwrap_or((0, f64::NAN));
        let last = r.rows.last().map_or(f64::NAN, |row| test_of(row, scene.agg));
        let mut cells = vec![p.to_string(), steps_text(bx), short(bv), short(last)];
        if let Some(l) = limit {
            cells.push(l.rows.iter().find(|row| row.x == *p).map(|row| short(test_of(row, scene.agg))).unwrap_or_default());
        }
        cells
    });
    let mut head = vec!["p", "best step", "test error there", "test error at the last step"];
    if limit.is_some() {
        head.push("t → ∞ (the size sweep)");
    }
    html_table(
        &format!("Test error over size and training steps ({agg} over trials): each size's best time, its last step and where training ends"),
        &head,
        body,
    )
}

/// The fit panel's model under training at one size: trial 0 factored once, and the features
/// at the fit panel's grid, so that each step of the time cursor costs a few products.
pub struct TimeModel {
    model: crate::engine::train::Trained,
    design: Option<ndarray::Array2<f64>>,
    steps: Vec<usize>,
}

impl TimeModel {
    /// Trial 0 of `scene` at its size, for the fit panel's grid `grid_x` (none: the gaussian
    /// family's coefficients).
    pub fn new(scene: &Scene, grid_x: &[f64]) -> Option<TimeModel> {
        let pr = &scene.problem;
        let sweep = TrainSweep::new(pr.clone(), scene.size, vec![1], 1, scene.training).ok()?;
        let model = sweep.trained_model(0).ok()?;
        let design = pr.features(0, scene.size).filter(|_| !grid_x.is_empty()).map(|map| map.design(grid_x, scene.size));
        Some(TimeModel { model, design, steps: step_grid(scene.steps, TRAIN_TIMES) })
    }

    /// The model at the time cursor `step`, taken to the nearest step of the training curve's
    /// grid (the one the readout and the cursor show): `[step, train error, values…]` — its
    /// predictions at the grid or its coefficients — which the page draws in place of the fit
    /// where training ends.
    pub fn at(&self, step: u64) -> Option<Vec<f64>> {
        let step = snap(&self.steps, step)?;
        let (coef, train) = self.model.at(step as f64);
        let mut out = vec![step as f64, train];
        match &self.design {
            Some(d) => out.extend(d.dot(&coef)),
            None => out.extend(coef.iter()),
        }
        out.iter().all(|v| v.is_finite()).then_some(out)
    }
}

/// The fit panel's model at the time cursor `step` ([`TimeModel::at`]), factored afresh.
pub fn fit_at(scene: &Scene, step: u64, grid_x: &[f64]) -> Option<Vec<f64>> {
    TimeModel::new(scene, grid_x)?.at(step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sweep::{fit_view, run_sequential};

    #[test]
    fn the_cursor_snaps_to_the_grid_and_steps_along_it() {
        let steps = crate::engine::train::step_grid(100_000, 20);
        assert_eq!(snap(&steps, 0), Some(1));
        assert_eq!(snap(&steps, 10_000_000), steps.last().copied());
        let mid = steps[9];
        assert_eq!(step_by(&steps, mid as u64, 1), Some(steps[10]));
        assert_eq!(step_by(&steps, mid as u64, -100), Some(1));
        assert_eq!(step_by(&steps, mid as u64, 1_000), steps.last().copied());
        let g = Geom { left: 100, right: 600, top: 0, bottom: 100, x0: 0.0, x1: 5.0, log_x: true, y0: 0.0, y1: 1.0, legend: None, legend_rows: None };
        assert_eq!(step_at(&g, 100.0, &steps), Some(1));
        assert_eq!(step_at(&g, 700.0, &steps), steps.last().copied());
        // Half way along a log axis of 10⁰…10⁵: about 316.
        let s = step_at(&g, 350.0, &steps).unwrap_or(0);
        assert!((200..=500).contains(&s), "{s}");
        assert_eq!(steps_text(1_234_567), "1,234,567");
        assert_eq!(steps_text(999), "999");
    }

    #[test]
    fn the_model_at_the_last_step_is_the_fit_the_fit_panel_shows_where_training_ends() {
        let s = scene_at("size=600", 600);
        let view = fit_view(&s.problem, 600, 0, 60, 0).unwrap_or_else(|e| panic!("{e}"));
        // The cursor past the curve's last step is taken to it: 10⁸ steps, the fit itself.
        let s = scene_at("size=600&steps=100000000", 600);
        let at = fit_at(&s, crate::engine::train::MAX_STEPS + 5, &view.grid_x).unwrap_or_default();
        assert_eq!(at.len(), view.grid_x.len() + 2);
        assert_eq!(at[0], 1e8);
        let scale = view.fitted.iter().map(|v| v.abs()).fold(0.0, f64::max);
        for (a, b) in at[2..].iter().zip(&view.fitted) {
            assert!((a - b).abs() <= 1e-6 * scale, "{a} vs {b}");
        }
        assert!(at[1] < 1e-12, "train error at the end of an over-parameterized fit: {}", at[1]);
        // At step 1 from zero the model is still nearly flat; a step between grid points is
        // taken to the nearest one, as the readout does.
        let first = fit_at(&s, 1, &view.grid_x).unwrap_or_default();
        assert_eq!(first[0], 1.0);
        let flat = first[2..].iter().map(|v| v.abs()).fold(0.0, f64::max);
        assert!(flat < 0.5 * scale, "{flat} vs {scale}");
        let grid = crate::engine::train::step_grid(s.steps, crate::scene::TRAIN_TIMES);
        let odd = grid[100] + 1;
        assert_eq!(fit_at(&s, odd as u64, &view.grid_x).map(|v| v[0]), Some(grid[100] as f64));
        // The gaussian family: the coefficients.
        let g = scene_at("family=gaussian&n=40&dim=100&max-size=100&size=60", 60);
        assert_eq!(fit_at(&g, 100, &[]).map(|v| v.len()), Some(62));
    }

    #[test]
    fn the_training_captions_and_table_say_what_the_curves_show() {
        // Early stopping near the threshold: the caption names the best time, its error and how
        // much higher the end is — the same numbers the curve has.
        let s = scene_at("size=30&steps=100000000", 30);
        let r = run_sequential(&s.train_sweep().unwrap_or_else(|e| panic!("{e}")));
        let (bx, bv) = best(&r, s.agg).unwrap_or((0, f64::NAN));
        let c = caption(&s, &r, Some(2.5));
        assert!(c.contains(&format!("to its lowest, {} at step {}", short(bv), steps_text(bx))), "{c}");
        assert!(c.contains("stopping early beats training to the end"), "{c}");
        assert!(c.contains("the minimum-norm fit, with test error 2.5"), "{c}");
        // Your own points: the held-out error, the word of the chart's legend.
        let own = scene_at("points=-0.9:0.1,-0.5:0.4,-0.2:0.9,0.1:0.3,0.4:-0.2,0.7:0.5,0.9:0.1,-0.7:0.2&size=4&trials=2&steps=1000", 4);
        let ro = run_sequential(&own.train_sweep().unwrap_or_else(|e| panic!("{e}")));
        let co = caption(&own, &ro, None);
        assert!(co.contains("Held-out error ") && !co.contains("Test error"), "{co}");
        // Started away from zero without ridge past the threshold, training ends elsewhere: no
        // dashed line is claimed.
        let away = scene_at("size=600&init=3&steps=1000", 600);
        assert!(!ends_at_sweep(&away) && ends_at_sweep(&scene_at("size=600&init=3&ridge=0.01", 600)) && ends_at_sweep(&scene_at("size=10&init=3", 10)));
        let r2 = run_sequential(&away.train_sweep().unwrap_or_else(|e| panic!("{e}")));
        assert!(!caption(&away, &r2, Some(2.5)).contains("Trained forever"));
        // Two-speed features at one speed: the sweep's fit only where it is unique.
        let two = "family=gaussian&n=110&dim=100&max-size=100&noise=0&fast=90&kappa=100&equalize=1";
        assert!(ends_at_sweep(&scene_at(two, 100)) && !ends_at_sweep(&scene_at(&format!("{two}&ridge=0.01"), 100)));
        let ro = readout(&s, &r, bx as u64).unwrap_or_default();
        assert!(ro.starts_with(&format!("step {}: train error", steps_text(bx))) && ro.contains(&short(bv)), "{ro}");
        let t = table(&s, &r);
        assert_eq!(t.matches("<tr>").count(), r.rows.len() + 1, "{t}");
        assert!(!ro.contains("β₀") && !t.contains("β₀"), "from zero, ‖β_t − β₀‖ is ‖β_t‖: not said twice");
        // From a random start, how far training moved the model: in the readout and the table.
        let grok = scene_at("size=600&init=3&ridge=0.001&steps=1000&trials=4", 600);
        let r3 = run_sequential(&grok.train_sweep().unwrap_or_else(|e| panic!("{e}")));
        let last = r3.rows.last().map_or(0, |row| row.x);
        let moved = r3.rows.last().and_then(|row| row.extra_median).unwrap_or(f64::NAN);
        assert!(readout(&grok, &r3, last as u64).unwrap_or_default().ends_with(&format!("‖β_t − β₀‖ {}", short(moved))));
        let t3 = table(&grok, &r3);
        assert!(t3.contains("<th scope=\"col\">‖β_t − β₀‖</th>"), "{t3}");
        assert!(t3.contains(&format!("<td>{}</td></tr>", short(moved))), "{t3}");
        // The gaussian family's asymptotic theory: named in the caption with the numbers drawn,
        // and a column of the table.
        let g = scene_at("family=gaussian&n=100&dim=300&max-size=300&noise=0.5&trials=10&steps=10000", 200);
        let rg = run_sequential(&g.train_sweep().unwrap_or_else(|e| panic!("{e}")));
        let lg = rg.rows.last().unwrap_or_else(|| panic!("no rows"));
        let cg = caption(&g, &rg, None);
        let said = format!("it gives {}, the trials' mean is {}", short(lg.theory.unwrap_or(f64::NAN)), short(lg.test_mse_mean));
        assert!(cg.contains("asymptotic theory of the mean error (n and p large at p/n = 2)") && cg.contains(&said), "{cg}");
        assert!(table(&g, &rg).contains("theory (mean)") && !t3.contains("theory"));
        // A best time is claimed only when it is at least 10 % below the end; an interpolating
        // model's train error reaches zero.
        for q in ["size=600&steps=100000000", "size=10&steps=1000", "size=600&init=30&ridge=0.0000001&steps=100000000"] {
            let s = scene_at(q, Scene::from_query(q, Platform::Web).map_or(1, |s| s.size));
            let r = run_sequential(&s.train_sweep().unwrap_or_else(|e| panic!("{e}")));
            let c = caption(&s, &r, None);
            let (_, bv) = best(&r, s.agg).unwrap_or((0, f64::NAN));
            let end = r.rows.last().map_or(f64::NAN, |row| row.test_mse_median);
            assert_eq!(c.contains("best time"), bv < 0.9 * end, "{q}: {c}");
            let zero = r.rows.last().is_some_and(|row| row.train_mse_median < 1e-12 * r.rows[0].train_mse_median);
            assert_eq!(c.contains("Train error reaches zero"), zero, "{q}: {c}");
        }
    }

    #[test]
    fn the_map_is_computed_at_log_spaced_sizes_when_the_grid_has_too_many() {
        let s = map_scene(&scene_at("size=40&time=1000&overlay=1", 40));
        assert_eq!(s.grid, Grid::Log);
        assert_eq!((s.time, s.overlay, s.size), (0, false, Scene::default().size));
        assert!(s.map_sweeps().map(|m| m.len()).unwrap_or(0) <= MAP_SIZES);
        // The same scene at another size and time is the same map.
        assert_eq!(map_scene(&scene_at("size=300&time=7", 300)).to_query(), s.to_query());
        let few = map_scene(&scene_at("max-size=60", 10));
        assert_eq!(few.grid, Grid::Every);
        // Each size of the map, one at a time, is the sweep the CLI's map has there.
        let sweeps = few.map_sweeps().unwrap_or_default();
        for i in [0, 7, sweeps.len() - 1] {
            let one = map_sweep(&few, i).map(|s| (s.size(), s.steps().to_vec()));
            assert_eq!(one, Some((sweeps[i].size(), sweeps[i].steps().to_vec())));
        }
        assert!(map_sweep(&few, sweeps.len()).is_none());
        // One part past the sizes is the row t → ∞: the size sweep at the map's sizes.
        let limit = map_part(&few, sweeps.len()).unwrap_or_else(|| panic!("no row t → ∞"));
        assert_eq!(limit.accumulator().result().rows.iter().map(|r| r.x).collect::<Vec<_>>(), sweeps.iter().map(|s| s.size()).collect::<Vec<_>>());
        assert!(map_part(&few, sweeps.len() + 1).is_none());
        let small = map_scene(&scene_at("max-size=40&trials=3&steps=1000", 10));
        let rows: Vec<(usize, SweepResult)> = small.map_sweeps().unwrap_or_default().iter().map(|s| (s.size(), run_sequential(s))).collect();
        let lim = map_limit(&small).map(|s| run_sequential(&s));
        let peak = lim.as_ref().map_or(0.0, |l| l.rows.iter().filter(|r| 2 * r.x >= 30 && r.x <= 60).map(|r| r.test_mse_median).fold(0.0, f64::max));
        let c = map_caption(&small, &rows, lim.as_ref(), rows.len());
        assert!(
            c.contains(&format!(
                "The strip on top, t → ∞, is where training ends: the size sweep's fit at each size, peaking at {} near the threshold.",
                short(peak)
            )),
            "{c}"
        );
        assert!(!map_caption(&small, &rows, None, rows.len()).contains("t → ∞"));
        // The table lists the strip's numbers beside the rows'.
        let table = map_table(&small, &rows, lim.as_ref());
        assert!(
            table.contains("t → ∞ (the size sweep)")
                && table.contains(&format!("<td>{}</td></tr>", short(lim.as_ref().and_then(|l| l.rows.last()).map_or(f64::NAN, |r| r.test_mse_median)))),
            "{table}"
        );
        assert!(!map_table(&small, &rows, None).contains("t → ∞"));
        // The caption says which sizes the map has.
        assert!(map_caption(&few, &[], None, sweeps.len()).contains("over model size (every size)"));
        assert!(map_caption(&s, &[], None, 49).contains("over model size (log-spaced sizes)"));
    }
}
