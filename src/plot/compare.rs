//! The comparison panel: one test-error curve per compared value (`compare=noise:0.1,0.3`) on
//! the double-descent panel's axes, each told apart by colour, dash and marker, named in the
//! legend; the chosen value (whose fit the page shows) drawn thicker, with its quartile band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{Geom, YAxis};
use super::colors::{BLUE, GREEN, INK, ORANGE, PURPLE, SHADE, VERMILLION};
use super::curves::{dd_cap, frame, geom, off_chart, on_plot, quartile_band, test_name, test_of, threshold, y_names, XAxis};
use super::legend::{Corner, Legend, Swatch};
use super::marker::{Shape, Triangle};
use super::{err, Look, PlotError};
use crate::engine::sweep::SweepResult;
use crate::scene::{Agg, Scene};

/// One compared value's curve: its label (`noise 0.3`), its scene and its sweep's numbers.
#[derive(Clone, Copy)]
pub struct Compared<'a> {
    /// Its place in the comparison, which gives its colour, dash and marker ([`STYLES`]).
    pub index: usize,
    /// What the legend calls it.
    pub label: &'a str,
    /// The scene of that value (its own n, for the threshold and a p/n axis).
    pub scene: &'a Scene,
    /// Its sweep.
    pub result: &'a SweepResult,
}

/// How one compared curve is drawn.
#[derive(Debug, Clone, Copy)]
pub struct CurveStyle {
    /// Its colour.
    pub color: RGBColor,
    /// Its dash: on and off lengths in CSS pixels (none: solid).
    pub dash: Option<(f64, f64)>,
    /// Its marker's name (the page's choice of value shows the same shape).
    pub mark: &'static str,
}

/// How compared curve `i` is drawn: five styles, as a comparison has at most five values.
pub const STYLES: [CurveStyle; 5] = [
    CurveStyle { color: VERMILLION, dash: None, mark: "round" },
    CurveStyle { color: BLUE, dash: Some((9.0, 4.0)), mark: "square" },
    CurveStyle { color: GREEN, dash: Some((2.0, 3.0)), mark: "triangle" },
    CurveStyle { color: PURPLE, dash: Some((14.0, 4.0)), mark: "diamond" },
    CurveStyle { color: ORANGE, dash: Some((6.0, 3.0)), mark: "down-triangle" },
];

fn shape(i: usize) -> Shape {
    [Shape::Round, Shape::Square, Shape::Up, Shape::Diamond, Shape::Down][i % 5]
}

/// Markers along each curve.
const MARKS: usize = 7;

/// Draws the compared values' test errors (the statistic of the chosen value's scene: median
/// or mean) over the whole sweep, the threshold marked, the classical region of the chosen
/// value shaded and its quartile band (median). `chosen`: which of `curves` is the chosen value
/// (`None`: none of them, its sweep still to come; the first sets the axes). Returns where the
/// plotting area lies.
pub fn compare_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &[Compared<'_>],
    chosen: Option<usize>,
    selected: usize,
    look: Look,
) -> Result<Geom, PlotError> {
    super::legend::with_band(|band| compare_in(root, curves, chosen, selected, look, band))
}

fn compare_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &[Compared<'_>],
    chosen: Option<usize>,
    selected: usize,
    look: Look,
    below: u32,
) -> Result<(Geom, Option<u32>), PlotError> {
    let shown = chosen.filter(|c| *c < curves.len());
    let chosen = shown.unwrap_or(0);
    let Some(base) = curves.get(chosen) else { return Err(PlotError("no curves to compare".into())) };
    let scene = base.scene;
    let agg = scene.agg;
    let axes: Vec<XAxis> = curves.iter().map(|c| XAxis::new(c.scene, scene.log_x, root, look)).collect();
    let xa = &axes[chosen];
    // The y-axis holds every curve, each capped as the double-descent panel caps its own.
    let mut all = Vec::new();
    let mut cap: f64 = 0.0;
    for c in curves {
        cap = cap.max(dd_cap(c.result, c.scene));
        all.extend(c.result.rows.iter().map(|r| test_of(r, agg)));
    }
    if agg == Agg::Median {
        all.extend(base.result.rows.iter().map(|r| r.test_mse_q25));
    }
    let y = YAxis::fit(&all, scene.log_y, cap);
    let ends = curves.iter().zip(&axes).filter_map(|(c, a)| Some((a.of(c.result.rows.first()?.x), a.of(c.result.rows.last()?.x))));
    let (x0, x1) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
    let (x0, x1) = if x1 > x0 { (x0, x1) } else { (0.0, 1.0) };
    let mut chart = frame(root, x0, x1, y, xa, y_names(scene), look, below)?;
    // The y range too (axis units: log10 on a log axis), for the page to find the curve clicked.
    let g = Geom { y0: y.lo, y1: y.hi, ..geom(&chart, x0, x1, xa.log) };
    let mut legend = Legend::default();
    // The classical region of the chosen value, shaded as in the double-descent panel.
    let tx = xa.of(threshold(scene));
    if tx > x0 {
        chart.draw_series(std::iter::once(Rectangle::new([(x0, y.lo), (tx.min(x1), y.hi)], SHADE.mix(0.7).filled()))).map_err(err)?;
    }
    let color = STYLES[base.index % 5].color;
    let band = agg == Agg::Median && shown.is_some() && quartile_band(&mut chart, &base.result.rows, xa, y, color.mix(0.16), &mut legend)?;
    // The test statistic first, then one entry a value (in their order), the band, the threshold.
    let what =
        if xa.compact { test_name(scene).to_string() } else { format!("{} ({}):", test_name(scene), if agg == Agg::Median { "median" } else { "mean" }) };
    legend.add(what, Swatch::Blank);
    // The chosen curve last, over the others.
    let order: Vec<usize> = (0..curves.len()).filter(|i| *i != chosen).chain(std::iter::once(chosen)).collect();
    let is_shown = |i: usize| shown == Some(i);
    let mut swatches = vec![None; curves.len()];
    let mut above = Vec::new();
    for &i in &order {
        let (c, a) = (&curves[i], &axes[i]);
        let CurveStyle { color, dash, .. } = STYLES[c.index % 5];
        let w = look.px(if is_shown(i) { 3.0 } else { 2.0 });
        let style = ShapeStyle::from(&color).stroke_width(w);
        let rows = &c.result.rows;
        let pts: Vec<(f64, f64)> = rows.iter().filter_map(|r| y.place(test_of(r, agg)).map(|v| (a.of(r.x), v))).collect();
        above.extend(rows.iter().map(|r| (a.of(r.x), test_of(r, agg), r.x, i)));
        legend.avoid(&pts);
        let dash = dash.map(|(on, off)| (look.px(on) as i32, look.px(off) as i32));
        match dash {
            None => chart.draw_series(LineSeries::new(pts.clone(), style)).map_err(err)?,
            Some((on, off)) => chart.draw_series(DashedLineSeries::new(pts.clone(), on, off, style)).map_err(err)?,
        }
        // Markers at fixed places along the x-axis, staggered from curve to curve so that curves
        // lying on each other still show each one's marker.
        let mut marks = Vec::new();
        for k in 0..MARKS {
            let at = x0 + (x1 - x0) * (k as f64 + (i as f64 + 1.0) / (curves.len() as f64 + 1.0)) / MARKS as f64;
            let near = pts.iter().min_by(|p, q| (p.0 - at).abs().total_cmp(&(q.0 - at).abs()));
            if let Some(p) = near.filter(|p| y.place(p.1).is_some() && p.1 < y.hi) {
                marks.push(*p);
            }
        }
        let r = look.px(if is_shown(i) { 6.0 } else { 5.0 }) as i32;
        chart.draw_series(marks.iter().map(|p| Triangle::shaped(*p, r, color, shape(c.index)))).map_err(err)?;
        legend.avoid_points(marks);
        swatches[i] = Some(Swatch::Marked(style, dash, shape(c.index)));
    }
    for (i, (c, s)) in curves.iter().zip(swatches).enumerate() {
        let name = if is_shown(i) && curves.len() > 1 && !xa.compact { format!("{} (fit shown)", c.label) } else { c.label.to_string() };
        legend.add(name, s.unwrap_or(Swatch::Blank));
    }
    if band {
        let name = if xa.compact { format!("middle half, {}", base.label) } else { format!("middle 50 % of trials, {}", base.label) };
        legend.add(name, Swatch::Block(color.mix(0.25)));
    }
    // The thresholds: one dashed line where the values share p = n, one each where n differs.
    let mut txs: Vec<f64> = Vec::new();
    for (c, a) in curves.iter().zip(&axes) {
        let t = a.of(threshold(c.scene));
        if t >= x0 && t <= x1 && !txs.iter().any(|u| (u - t).abs() <= 1e-9 * (x1 - x0)) {
            txs.push(t);
        }
    }
    let style = ShapeStyle::from(&INK).stroke_width(look.px(1.5));
    for t in &txs {
        chart.draw_series(DashedLineSeries::new(vec![(*t, y.lo), (*t, y.hi)], look.px(4.0) as i32, look.px(4.0) as i32, style)).map_err(err)?;
        legend.avoid(&[(*t, y.lo), (*t, y.hi)]);
    }
    if !txs.is_empty() {
        let (sym, other) = if scene.axis == crate::engine::sweep::Axis::Size { ("p", "n") } else { ("n", "p") };
        let name = match (xa.compact, txs.len()) {
            (true, _) => format!("threshold {sym} = {other}"),
            (false, 1) => format!("interpolation threshold {sym} = {other}"),
            (false, _) => format!("interpolation thresholds {sym} = {other}"),
        };
        legend.add(name, Swatch::Dashed(ShapeStyle::from(&INK).stroke_width(look.px(2.0))));
    }
    let sel = xa.of(selected);
    if selected > 0 && sel >= x0 && sel <= x1 {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(sel, y.lo), (sel, y.hi)],
                ShapeStyle::from(&RGBColor(0x77, 0x77, 0x77)).stroke_width(look.px(1.0)),
            )))
            .map_err(err)?;
    }
    // Values above the axis: markers on its top edge, the largest named with its value's label.
    if let Some(top) = above.iter().filter(|p| y.above(p.1)).max_by(|a, b| a.1.total_cmp(&b.1)) {
        let raw: Vec<(f64, f64, usize)> = above.iter().map(|p| (p.0, p.1, p.2)).collect();
        off_chart(&mut chart, &raw, y, xa.symbol(), look, x1, &format!(" ({})", curves[top.3].label))?;
    }
    let placed = legend.draw(&chart, look, &[Corner::LowerLeft, Corner::UpperRight, Corner::LowerRight, Corner::UpperLeft])?;
    Ok((on_plot(g, &placed), placed.band.filter(|_| below == 0)))
}
