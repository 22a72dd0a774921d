//! The two error-curve panels: the textbook U and the double-descent curve.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{log_tick, short, Geom, YAxis};
use super::chart::{Chart, Layout};
use super::colors::{BLUE, GREEN, INK, PURPLE, SHADE, VERMILLION};
use super::legend::{Corner, Legend, Placed, Swatch};
use super::marker::Triangle;
use super::mesh::Mesh;
use super::{err, Look, PlotError};
use crate::engine::sweep::{Along, Axis, SweepResult, SweepRow};
use crate::scene::{Agg, Scene};

/// The x-axis of a sweep as the scene shows it.
pub(super) struct XAxis {
    /// p/n instead of p.
    ratio: bool,
    n: f64,
    axis: Along,
    /// Drawn as log10.
    pub(super) log: bool,
    /// A narrow chart (under 340 CSS pixels): short axis and threshold names.
    pub(super) compact: bool,
}

impl XAxis {
    pub(super) fn new<DB: DrawingBackend>(scene: &Scene, log: bool, root: &DrawingArea<DB, Shift>, look: Look) -> XAxis {
        let compact = (root.dim_in_pixel().0 as f64) < 340.0 * look.scale;
        XAxis { ratio: scene.ratio && scene.axis == Axis::Size, n: scene.problem.train_n() as f64, axis: scene.axis.into(), log, compact }
    }

    /// The log axis of training steps (the training panel).
    pub(super) fn steps<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, look: Look) -> XAxis {
        let compact = (root.dim_in_pixel().0 as f64) < 340.0 * look.scale;
        XAxis { ratio: false, n: 1.0, axis: Along::Steps, log: true, compact }
    }

    /// A sweep's x (size or n) in axis units.
    pub(super) fn of(&self, x: usize) -> f64 {
        let v = if self.ratio { x as f64 / self.n } else { x as f64 };
        if self.log {
            v.max(1e-300).log10()
        } else {
            v
        }
    }

    pub(super) fn label(&self, u: f64) -> String {
        // Steps span up to eight decades: written 10ᵏ, as a log error axis is.
        if self.axis == Along::Steps {
            return if (u - u.round()).abs() < 1e-6 { super::axes::pow10(u.round() as i32) } else { String::new() };
        }
        if self.log {
            log_tick(u)
        } else {
            short(u)
        }
    }

    pub(super) fn name(&self) -> String {
        let base = match (self.axis, self.ratio, self.compact) {
            (Along::Size, false, false) => "model size p (number of features)",
            (Along::Size, false, true) => "model size p",
            (Along::Size, true, false) => "p / n (features per training point)",
            (Along::Size, true, true) => "p / n",
            (Along::Samples, _, _) => "training points n",
            (Along::Steps, _, false) => "gradient-descent steps t",
            (Along::Steps, _, true) => "steps t",
        };
        match (self.log, self.compact) {
            (false, _) => base.to_string(),
            (true, false) => format!("{base}, log scale"),
            (true, true) => format!("{base} (log)"),
        }
    }

    /// A curve's legend entry: "test error (median)", or on a narrow chart "test error".
    pub(super) fn series(&self, what: &str, agg: Agg) -> String {
        if self.compact {
            what.to_string()
        } else {
            format!("{what} ({})", agg_name(agg))
        }
    }

    pub(super) fn symbol(&self) -> &'static str {
        match self.axis {
            Along::Size => "p",
            Along::Samples => "n",
            Along::Steps => "t",
        }
    }
}

/// The interpolation threshold on the sweep's own x scale (p = n, or n = p for a sample sweep).
pub fn threshold(scene: &Scene) -> usize {
    match scene.axis {
        Axis::Size => scene.problem.train_n(),
        Axis::Samples => scene.size,
    }
}

/// What the test curve measures: error on fresh points, or on held-out points of your own data.
pub(super) fn test_name(scene: &Scene) -> &'static str {
    if scene.problem.data.is_some() || scene.source != crate::scene::Source::Generated {
        "held-out error"
    } else {
        "test error"
    }
}

pub(super) fn test_of(row: &SweepRow, agg: Agg) -> f64 {
    match agg {
        Agg::Median => row.test_mse_median,
        Agg::Mean => row.test_mse_mean,
    }
}

pub(super) fn train_of(row: &SweepRow, agg: Agg) -> f64 {
    match agg {
        Agg::Median => row.train_mse_median,
        Agg::Mean => row.train_mse_mean,
    }
}

pub(super) fn agg_name(agg: Agg) -> &'static str {
    match agg {
        Agg::Median => "median",
        Agg::Mean => "mean",
    }
}

/// The classical (U) minimum of the test curve: the best size clearly below the threshold.
pub fn u_minimum(result: &SweepResult, scene: &Scene) -> Option<(usize, f64)> {
    lowest_below(result, scene, &|r| test_of(r, scene.agg))
}

/// The lowest test error the U panel draws (its statistic: [`decomposition`]) and its size.
pub fn u_panel_minimum(result: &SweepResult, scene: &Scene) -> Option<(usize, f64)> {
    lowest_below(result, scene, &|r| decomposition(r, scene.agg).test)
}

fn lowest_below(result: &SweepResult, scene: &Scene, val: &dyn Fn(&SweepRow) -> f64) -> Option<(usize, f64)> {
    let t = threshold(scene);
    result
        .rows
        .iter()
        .filter(|r| scene.axis == Axis::Samples || r.x + 2 < t)
        .map(|r| (r.x, val(r)))
        .filter(|(_, v)| v.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// A test error with the bias² and variance that add up to it, and the train error of the
/// same trials: what the U panel draws and the readout writes beside them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decomposition {
    /// Mean test error of the trials decomposed.
    pub test: f64,
    /// Mean train error of the same trials.
    pub train: f64,
    /// Bias² of their mean prediction.
    pub bias2: f64,
    /// Variance of their predictions.
    pub variance: f64,
    /// Of the middle half of the trials (else of all of them).
    pub middle: bool,
}

/// The decomposition shown with the statistic `agg`: with the median, that of the middle half
/// of the trials where it was kept (below the threshold) — where it was not (your own data, or
/// a sweep too large to keep predictions), the medians with no bias² and variance (NaN), as
/// there is no decomposition of a median; with the mean, that of all trials.
pub fn decomposition(row: &SweepRow, agg: Agg) -> Decomposition {
    match (agg, row.middle) {
        (Agg::Median, Some(m)) => Decomposition { test: m.test_mse, train: m.train_mse, bias2: m.bias2, variance: m.variance, middle: true },
        (Agg::Median, None) => Decomposition { test: row.test_mse_median, train: row.train_mse_median, bias2: f64::NAN, variance: f64::NAN, middle: false },
        (Agg::Mean, _) => Decomposition { test: row.test_mse_mean, train: row.train_mse_mean, bias2: row.bias2, variance: row.variance, middle: false },
    }
}

/// Draws one curve (values placed on `y`, so values off the axis run along its edge).
fn line<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    pts: Vec<(f64, f64)>,
    style: ShapeStyle,
    dashed: Option<(i32, i32)>,
    (legend, label): (&mut Legend, &str),
) -> Result<(), PlotError> {
    if pts.is_empty() {
        return Ok(());
    }
    legend.avoid(&pts);
    match dashed {
        None => chart.draw_series(LineSeries::new(pts, style)).map_err(err)?,
        Some((on, off)) => chart.draw_series(DashedLineSeries::new(pts, on, off, style)).map_err(err)?,
    };
    // The swatch is drawn as the curve is: dashed or solid.
    legend.add(label, if dashed.is_some() { Swatch::Dashed(style) } else { Swatch::Line(style) });
    Ok(())
}

/// The error axis's title, longest first (a short plot takes a shorter one).
pub(super) fn y_names(scene: &Scene) -> &'static [&'static str] {
    if scene.log_y {
        &["mean squared error (log scale)", "squared error (log scale)", "error (log scale)"]
    } else {
        &["mean squared error", "squared error"]
    }
}

/// Common frame: the mesh, axis names and the geometry of the plotting area (`below`: the
/// height of a band kept under the chart for the legend).
#[allow(clippy::too_many_arguments)]
pub(super) fn frame<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, Shift>,
    x0: f64,
    x1: f64,
    y: YAxis,
    xa: &XAxis,
    y_names: &[&str],
    look: Look,
    below: u32,
) -> Result<Chart<'a, DB>, PlotError> {
    root.fill(&WHITE).map_err(err)?;
    // The y-axis title runs up the side of the plot: the first of `y_names` that fits its height.
    let desc_font = (FontFamily::SansSerif, look.font(13.0)).into_font().color(&INK);
    // Room above the plot for the "off the chart" note, clear of legends and curves.
    let layout = Layout { below, ..Layout::panel(look, 24.0) };
    let room = root.dim_in_pixel().1 as i64 - i64::from(layout.top + layout.margin + layout.x_band);
    let mut y_name = y_names.last().copied().unwrap_or_default();
    for name in y_names {
        if i64::from(root.estimate_text_size(name, &desc_font).map_err(err)?.0) <= room {
            y_name = name;
            break;
        }
    }
    let chart = Chart::new(root, layout, x0..x1, y.lo..y.hi);
    let x_name = xa.name();
    let mesh = Mesh { x_labels: 7, y_labels: y.ticks(), x_label: &|v| xa.label(v), y_label: &|a| y.label(a), x_name: &x_name, y_name };
    super::mesh::draw(root, &chart, &mesh, look)?;
    Ok(chart)
}

pub(super) fn geom<'a, DB: DrawingBackend + 'a>(chart: &Chart<'a, DB>, x0: f64, x1: f64, log_x: bool) -> Geom {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    Geom { left: xr.start, right: xr.end, top: yr.start, bottom: yr.end, x0, x1, log_x, y0: 0.0, y1: 1.0, legend: None, legend_rows: None }
}

/// `g` with the legend's box, where the legend went on the plot (not in a band under it).
pub(super) fn on_plot(g: Geom, placed: &Placed) -> Geom {
    let legend = placed.rect.filter(|_| !placed.below).map(|(l, t, r, b)| (l + g.left, t + g.top, r + g.left, b + g.top));
    let legend_rows = placed.rows.filter(|_| !placed.below).map(|(top, line)| (top + g.top, line));
    Geom { legend, legend_rows, ..g }
}

/// Draws markers on the top edge for values above the axis, and names the largest.
pub(super) fn off_chart<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    pts: &[(f64, f64, usize)],
    y: YAxis,
    sym: &str,
    look: Look,
    x1: f64,
    who: &str,
) -> Result<(), PlotError> {
    let above: Vec<&(f64, f64, usize)> = pts.iter().filter(|p| y.above(p.1)).collect();
    if above.is_empty() {
        return Ok(());
    }
    let step = (above.len() / 40).max(1);
    chart.draw_series(above.iter().step_by(step).map(|p| Triangle::new((p.0, y.hi), look.px(4.0) as i32, VERMILLION))).map_err(err)?;
    if let Some(top) = above.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
        let text = format!("▲ off the chart: up to {} at {sym} = {}{who}", short(top.1), top.2);
        // Above the plot, right-aligned: in the margin kept for it, never over a legend.
        let font = (FontFamily::SansSerif, look.font(12.0)).into_font().color(&VERMILLION).pos(Pos::new(HPos::Right, VPos::Bottom));
        chart.draw_series(std::iter::once(EmptyElement::at((x1, y.hi)) + Text::new(text, (0, -(look.px(6.0) as i32)), font))).map_err(err)?;
    }
    Ok(())
}

fn selected_line<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>, x: f64, y: YAxis, look: Look) -> Result<(), PlotError> {
    chart
        .draw_series(std::iter::once(PathElement::new(vec![(x, y.lo), (x, y.hi)], ShapeStyle::from(&RGBColor(0x77, 0x77, 0x77)).stroke_width(look.px(1.0)))))
        .map_err(err)?;
    Ok(())
}

/// The common end of both curve panels: the selection line, markers for values above the
/// axis, and the legend.
#[allow(clippy::too_many_arguments)]
fn finish<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    rows: &[&SweepRow],
    xa: &XAxis,
    y: YAxis,
    selected: usize,
    val: &dyn Fn(&SweepRow) -> f64,
    look: Look,
    (x0, x1): (f64, f64),
    (legend, corners): (&Legend, &[Corner]),
) -> Result<Placed, PlotError> {
    let sel = xa.of(selected);
    if sel >= x0 && sel <= x1 {
        selected_line(chart, sel, y, look)?;
    }
    let raw: Vec<(f64, f64, usize)> = rows.iter().map(|r| (xa.of(r.x), val(r), r.x)).collect();
    off_chart(chart, &raw, y, xa.symbol(), look, x1, "")?;
    legend.draw(chart, look, corners)
}

/// The textbook U: test and train error with bias² and variance, from size 1 up to just below
/// the threshold (for a sample sweep: over every n), all of one set of trials ([`decomposition`]:
/// the middle half with the median, all of them with the mean), so that bias² + variance is the
/// test error drawn. Returns where the plotting area lies.
pub fn u_panel<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, result: &SweepResult, scene: &Scene, selected: usize, look: Look) -> Result<Geom, PlotError> {
    u_panel_of(root, result, scene, selected, look, "")
}

/// [`u_panel`] of one compared value, named `who` (`noise 0.3`) at the top of its legend.
pub fn u_panel_of<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    selected: usize,
    look: Look,
    who: &str,
) -> Result<Geom, PlotError> {
    super::legend::with_band(|band| u_panel_in(root, result, scene, (selected, who), look, band))
}

fn u_panel_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    (selected, who): (usize, &str),
    look: Look,
    below: u32,
) -> Result<(Geom, Option<u32>), PlotError> {
    let xa = XAxis::new(scene, false, root, look);
    let t = threshold(scene);
    let rows: Vec<&SweepRow> = result.rows.iter().filter(|r| scene.axis == Axis::Samples || r.x < t).collect();
    let agg = scene.agg;
    let parts: Vec<Decomposition> = rows.iter().map(|r| decomposition(r, agg)).collect();
    let middle = parts.iter().any(|d| d.middle);
    let umin = u_panel_minimum(result, scene);
    let test: Vec<f64> = parts.iter().map(|d| d.test).collect();
    let first = test.first().copied().unwrap_or(1.0);
    let cap = match (scene.log_y, umin) {
        (true, Some((_, m))) => (m * 30.0).max(first * 3.0),
        (false, _) => first * 2.0,
        (true, None) => f64::INFINITY,
    };
    let mut all = test.clone();
    all.extend(parts.iter().map(|d| d.bias2));
    all.extend(parts.iter().map(|d| d.variance).filter(|v| !scene.log_y || *v > first * 1e-4));
    let y = YAxis::fit(&all, scene.log_y, cap);
    let (x0, x1) = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if b.x > a.x => (xa.of(a.x), xa.of(b.x)),
        (Some(a), _) => (xa.of(a.x) - 0.5, xa.of(a.x) + 0.5),
        _ => (0.0, 1.0),
    };
    let mut chart = frame(root, x0, x1, y, &xa, y_names(scene), look, below)?;
    let g = geom(&chart, x0, x1, xa.log);
    let mut legend = Legend::default();
    let pts = |f: &dyn Fn(&Decomposition) -> f64| -> Vec<(f64, f64)> {
        rows.iter().zip(&parts).filter_map(|(r, d)| y.place(f(d)).map(|v| (xa.of(r.x), v))).collect()
    };
    // The legend names the trials the curves are of: the middle half, or all (the mean).
    let of = |what: &str| -> String {
        match (middle, xa.compact) {
            (true, false) => format!("{what} (middle half of trials)"),
            (false, _) => xa.series(what, agg),
            (true, true) => what.to_string(),
        }
    };
    let w = look.px(2.0);
    legend.add(who, Swatch::Blank);
    line(&mut chart, pts(&|d| d.bias2), ShapeStyle::from(&GREEN).stroke_width(w), Some((look.px(6.0) as i32, look.px(4.0) as i32)), (&mut legend, "bias²"))?;
    line(
        &mut chart,
        pts(&|d| d.variance),
        ShapeStyle::from(&PURPLE).stroke_width(w),
        Some((look.px(2.0) as i32, look.px(3.0) as i32)),
        (&mut legend, "variance"),
    )?;
    line(
        &mut chart,
        pts(&|d| d.train),
        ShapeStyle::from(&BLUE).stroke_width(w),
        Some((look.px(9.0) as i32, look.px(3.0) as i32)),
        (&mut legend, &of("train error")),
    )?;
    line(&mut chart, pts(&|d| d.test), ShapeStyle::from(&VERMILLION).stroke_width(look.px(2.5)), None, (&mut legend, &of(test_name(scene))))?;
    if let Some((p, v)) = umin {
        if let Some(yv) = y.place(v) {
            let x = xa.of(p);
            chart.draw_series(std::iter::once(Circle::new((x, yv), look.px(5.0) as i32, ShapeStyle::from(&INK).stroke_width(look.px(2.0))))).map_err(err)?;
            // Named in the legend, which finds a place free of the curves (a label beside the
            // circle ran over them).
            legend.avoid_points([(x, yv)]);
            legend.add(format!("best classical size: {} = {p}", xa.symbol()), Swatch::Ring(INK));
        }
    }
    let placed = finish(
        &mut chart,
        &rows,
        &xa,
        y,
        selected,
        &|r| decomposition(r, agg).test,
        look,
        (x0, x1),
        (&legend, &[Corner::UpperLeft, Corner::UpperRight, Corner::LowerLeft, Corner::LowerRight]),
    )?;
    Ok((on_plot(g, &placed), placed.band.filter(|_| below == 0)))
}

/// The top of the double-descent panel's error axis (values above it run along its edge): on a
/// log axis 10⁴ times the U's lowest error (or 100 times the first), on a linear one 3 times the
/// first error (or 5 times the U's lowest).
pub(super) fn dd_cap(result: &SweepResult, scene: &Scene) -> f64 {
    let first = result.rows.first().map_or(1.0, |r| test_of(r, scene.agg));
    match (scene.log_y, u_minimum(result, scene)) {
        (true, Some((_, m))) => (m * 1e4).max(first * 100.0),
        (true, None) => first.abs().max(1e-12) * 1e4,
        (false, Some((_, m))) => (first * 3.0).max(m * 5.0),
        (false, None) => first * 3.0,
    }
}

/// Shades the band between the quartiles of test error over trials (the legend keeps off it);
/// returns whether there was one to draw.
pub(super) fn quartile_band<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    rows: &[SweepRow],
    xa: &XAxis,
    y: YAxis,
    fill: RGBAColor,
    legend: &mut Legend,
) -> Result<bool, PlotError> {
    let mut poly: Vec<(f64, f64)> = rows.iter().filter_map(|r| y.place(r.test_mse_q75).map(|v| (xa.of(r.x), v))).collect();
    let lower: Vec<(f64, f64)> = rows.iter().rev().filter_map(|r| y.place(r.test_mse_q25).map(|v| (xa.of(r.x), v))).collect();
    legend.avoid(&poly);
    legend.avoid(&lower);
    legend.avoid_band(rows.iter().filter_map(|r| Some((xa.of(r.x), y.place(r.test_mse_q25)?, y.place(r.test_mse_q75)?))).collect());
    poly.extend(lower);
    if poly.len() <= 2 {
        return Ok(false);
    }
    chart.draw_series(std::iter::once(Polygon::new(poly, fill.filled()))).map_err(err)?;
    Ok(true)
}

/// The double-descent curve: the whole sweep, the threshold marked, the classical region
/// shaded, the quartile band (median) and the exact theory (Gaussian family).
pub fn dd_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    selected: usize,
    look: Look,
) -> Result<Geom, PlotError> {
    super::legend::with_band(|band| dd_panel_in(root, result, scene, selected, look, band))
}

fn dd_panel_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    selected: usize,
    look: Look,
    below: u32,
) -> Result<(Geom, Option<u32>), PlotError> {
    let xa = XAxis::new(scene, scene.log_x, root, look);
    let t = threshold(scene);
    let rows = &result.rows;
    let agg = scene.agg;
    let test: Vec<f64> = rows.iter().map(|r| test_of(r, agg)).collect();
    let first = test.first().copied().unwrap_or(1.0);
    let cap = dd_cap(result, scene);
    let mut all = test.clone();
    all.extend(rows.iter().map(|r| train_of(r, agg)).filter(|v| !scene.log_y || *v > first * 1e-6));
    if agg == Agg::Median {
        all.extend(rows.iter().map(|r| r.test_mse_q25));
    }
    all.extend(rows.iter().filter_map(|r| r.theory));
    let y = YAxis::fit(&all, scene.log_y, cap);
    let (x0, x1) = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if b.x > a.x => (xa.of(a.x), xa.of(b.x)),
        _ => (0.0, 1.0),
    };
    let mut chart = frame(root, x0, x1, y, &xa, y_names(scene), look, below)?;
    let g = geom(&chart, x0, x1, xa.log);
    let mut legend = Legend::default();
    // The classical region, shaded as in the U panel.
    let tx = xa.of(t);
    if tx > x0 {
        chart.draw_series(std::iter::once(Rectangle::new([(x0, y.lo), (tx.min(x1), y.hi)], SHADE.mix(0.7).filled()))).map_err(err)?;
    }
    if agg == Agg::Median && quartile_band(&mut chart, rows, &xa, y, VERMILLION.mix(0.18), &mut legend)? {
        let name = if xa.compact { "middle half".to_string() } else { format!("{}, middle 50 % of trials", test_name(scene)) };
        legend.add(name, Swatch::Block(VERMILLION.mix(0.25)));
    }
    let pts = |f: &dyn Fn(&SweepRow) -> f64| -> Vec<(f64, f64)> { rows.iter().filter_map(|r| y.place(f(r)).map(|v| (xa.of(r.x), v))).collect() };
    let w = look.px(2.0);
    line(
        &mut chart,
        pts(&|r| train_of(r, agg)),
        ShapeStyle::from(&BLUE).stroke_width(w),
        Some((look.px(9.0) as i32, look.px(3.0) as i32)),
        (&mut legend, &xa.series("train error", agg)),
    )?;
    if rows.iter().any(|r| r.theory.is_some()) {
        // The theory is infinite next to the threshold: draw it in pieces around the gap, the
        // first piece named in the legend.
        let mut segs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for r in rows {
            match r.theory.filter(|v| v.is_finite()).and_then(|v| y.place(v)) {
                Some(v) => segs.last_mut().into_iter().for_each(|s| s.push((xa.of(r.x), v))),
                None => segs.push(Vec::new()),
            }
        }
        let name = if xa.compact { "exact theory" } else { "exact theory (expected, i.e. mean)" };
        let dash = Some((look.px(5.0) as i32, look.px(4.0) as i32));
        for (i, seg) in segs.into_iter().enumerate() {
            line(&mut chart, seg, ShapeStyle::from(&INK).stroke_width(w), dash, (&mut legend, if i == 0 { name } else { "" }))?;
        }
    }
    if rows.iter().any(|r| r.theory_optimal_ridge.is_some()) {
        // What the optimal ridge penalty λ* = (κ² + σ²)·γ/‖β*_T‖² would give at each size: no peak.
        let opt: Vec<(f64, f64)> = rows.iter().filter_map(|r| r.theory_optimal_ridge.and_then(|v| y.place(v)).map(|v| (xa.of(r.x), v))).collect();
        line(
            &mut chart,
            opt,
            ShapeStyle::from(&GREEN).stroke_width(w),
            Some((look.px(2.0) as i32, look.px(3.0) as i32)),
            (&mut legend, "optimal ridge (theory)"),
        )?;
    }
    line(
        &mut chart,
        pts(&|r| test_of(r, agg)),
        ShapeStyle::from(&VERMILLION).stroke_width(look.px(2.5)),
        None,
        (&mut legend, &xa.series(test_name(scene), agg)),
    )?;
    // The threshold: dashed, and named in the legend, which finds a place free of the curves
    // (a name written up along the line ran over the band and curves crossing it).
    if tx >= x0 && tx <= x1 {
        let style = ShapeStyle::from(&INK).stroke_width(look.px(1.5));
        let (sym, other) = if scene.axis == Axis::Size { ("p", "n") } else { ("n", "p") };
        chart.draw_series(DashedLineSeries::new(vec![(tx, y.lo), (tx, y.hi)], look.px(4.0) as i32, look.px(4.0) as i32, style)).map_err(err)?;
        legend.avoid(&[(tx, y.lo), (tx, y.hi)]);
        let name = if xa.compact { format!("threshold {sym} = {other}") } else { format!("interpolation threshold {sym} = {other}") };
        legend.add(name, Swatch::Dashed(ShapeStyle::from(&INK).stroke_width(look.px(2.0))));
    }
    let rows: Vec<&SweepRow> = rows.iter().collect();
    let taken = finish(
        &mut chart,
        &rows,
        &xa,
        y,
        selected,
        &|r| test_of(r, agg),
        look,
        (x0, x1),
        (&legend, &[Corner::LowerLeft, Corner::UpperRight, Corner::LowerRight, Corner::UpperLeft]),
    )?;
    Ok((on_plot(g, &taken), taken.band.filter(|_| below == 0)))
}
