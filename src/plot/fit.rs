//! The fit panel: what one model of the selected size does with the data.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{short, tick, Geom};
use super::chart::Chart;
use super::colors::{BLUE, INK, ORANGE, SKY, VERMILLION};
use super::legend::{self, Corner, Legend, Swatch};
use super::marker::Triangle;
use super::{err, Look, PlotError};
use crate::engine::sweep::FitView;

/// Splits a curve into the runs that stay inside [lo, hi], cutting each run where it crosses
/// the edge (so a wild interpolant leaves the panel instead of being flattened onto its edge).
fn clipped_runs(xs: &[f64], ys: &[f64], lo: f64, hi: f64) -> (Vec<Vec<(f64, f64)>>, bool) {
    let mut runs = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let mut clipped = false;
    let inside = |v: f64| v.is_finite() && v >= lo && v <= hi;
    for i in 0..xs.len().min(ys.len()) {
        let (x, y) = (xs[i], ys[i]);
        if inside(y) {
            if cur.is_empty() && i > 0 && ys[i - 1].is_finite() {
                // Entering: start on the edge.
                let edge = if ys[i - 1] > hi { hi } else { lo };
                let t = (edge - ys[i - 1]) / (y - ys[i - 1]);
                cur.push((xs[i - 1] + t * (x - xs[i - 1]), edge));
            }
            cur.push((x, y));
        } else {
            clipped = true;
            if !cur.is_empty() {
                if let Some(&(px, py)) = cur.last() {
                    if y.is_finite() {
                        let edge = if y > hi { hi } else { lo };
                        let t = (edge - py) / (y - py);
                        cur.push((px + t * (x - px), edge));
                    }
                }
                runs.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    (runs, clipped)
}

/// A chart with linear axes over `x` × `y`, its mesh and axis names drawn.
fn frame<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    names: (&str, &str),
    x_ticks: usize,
    look: Look,
    below: u32,
) -> Result<Chart<'a, DB>, PlotError> {
    let chart = Chart::new(root, super::chart::Layout { below, ..super::chart::Layout::panel(look, 10.0) }, x.0..x.1, y.0..y.1);
    let mesh = super::mesh::Mesh {
        x_labels: x_ticks,
        y_labels: 5,
        x_label: &|v| tick(v, x.1 - x.0),
        y_label: &|v| tick(v, y.1 - y.0),
        x_name: names.0,
        y_name: names.1,
    };
    super::mesh::draw(root, &chart, &mesh, look)?;
    Ok(chart)
}

/// The legend's name for the fresh points (held out of your own data, `own`).
fn new_name(own: bool) -> &'static str {
    if own {
        "held-out points (never seen)"
    } else {
        "new points (never seen)"
    }
}

/// The legend's name for the training points.
fn train_name(own: bool) -> &'static str {
    if own {
        "your training points"
    } else {
        "training points"
    }
}

/// Where the data falls in the fit panel's plotting area of `dims` pixels (from the top left)
/// for the y range `lo..hi`: the target's samples and the points. Not the fitted curve, which
/// changes with the size: the axes stay put while the size moves.
fn data_pixels(view: &FitView, show_new: bool, (lo, hi): (f64, f64), dims: (u32, u32)) -> Vec<(f64, f64)> {
    let (w, h) = (f64::from(dims.0), f64::from(dims.1));
    let mut out = Vec::new();
    let mut add = |xs: &[f64], ys: &[f64]| {
        for (x, y) in xs.iter().zip(ys) {
            if *y >= lo && *y <= hi {
                out.push(((x + 1.0) / 2.0 * w, (hi - y) / (hi - lo) * h));
            }
        }
    };
    add(&view.grid_x, &view.target);
    add(&view.train_x, &view.train_y);
    if show_new {
        add(&view.new_x, &view.new_y);
    }
    out
}

/// Where the fit panel's legend may go, in order of preference.
const CORNERS: [Corner; 4] = [Corner::UpperRight, Corner::UpperLeft, Corner::LowerRight, Corner::LowerLeft];

/// Draws the fit of one model: training points, the noiseless target, the fitted curve (and
/// fainter fits of other trials), optionally fresh test points the model never saw. For the
/// Gaussian family, whose inputs are D-dimensional, it draws the fitted coefficients β̂_j
/// against the true β*_j instead.
pub fn fit_panel<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, view: &FitView, show_new: bool, look: Look) -> Result<Option<Geom>, PlotError> {
    if !view.beta_star.is_empty() {
        return legend::with_band(|band| {
            root.fill(&WHITE).map_err(err)?;
            coefficients(root, view, look, band).map(|b| (None, b))
        });
    }
    legend::with_band(|band| fit_panel_in(root, view, show_new, look, band))
}

fn fit_panel_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &FitView,
    show_new: bool,
    look: Look,
    below: u32,
) -> Result<(Option<Geom>, Option<u32>), PlotError> {
    root.fill(&WHITE).map_err(err)?;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in view.train_y.iter().chain(&view.target).chain(if show_new { view.new_y.iter() } else { [].iter() }) {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        lo = -1.0;
        hi = 1.0;
    }
    let pad = 0.3 * (hi - lo);
    let (lo, mut hi) = (lo - pad, hi + pad);
    // The legend goes in a corner free of the data (of those, the one that covers the least of
    // the fitted curve). On a small chart, and where no corner is free (a target with humps at
    // both ends, like sin 2πx), room is made for it above the highest point instead, and it
    // goes in an upper corner (the plot's size as `frame` lays it out).
    let (w, h) = root.dim_in_pixel();
    let (plot_w, plot_h) = (w.saturating_sub(2 * look.px(10.0) + look.px(58.0)), h.saturating_sub(2 * look.px(10.0) + look.px(44.0)));
    // The fitted model's entry as wide as the largest size makes it, and counted even when the
    // fit leaves the panel (then it is not drawn): the decision, and so the axes, stay put while
    // the size moves.
    let mut names = Vec::with_capacity(4);
    if !view.target.is_empty() {
        names.push("noiseless target");
    }
    names.push("fitted model, p = 00000");
    if show_new && !view.new_x.is_empty() {
        names.push(new_name(view.own));
    }
    names.push(train_name(view.own));
    let mut corners = CORNERS.to_vec();
    if plot_h > 0 {
        let room = legend::small(look, plot_w) || {
            let points = data_pixels(view, show_new, (lo, hi), (plot_w, plot_h));
            let free = legend::free_corners(root, &names, look, (plot_w, plot_h), &CORNERS, &points)?;
            let none = free.is_empty();
            corners = free;
            none
        };
        if room {
            // The share of the height the legend takes, with a few pixels to spare.
            let reach = legend::reach(names.len(), look, plot_w);
            let f = (f64::from(reach + look.px(4.0) as i32) / f64::from(plot_h)).min(0.6);
            let top = hi - pad;
            hi = hi.max((top - f * lo) / (1.0 - f));
            corners = vec![Corner::UpperRight, Corner::UpperLeft];
        }
    }
    let mut chart = frame(root, (-1.0, 1.0), (lo, hi), ("input x", "output y"), 5, look, below)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let geom =
        Geom { left: xr.start, right: xr.end, top: yr.start, bottom: yr.end, x0: -1.0, x1: 1.0, log_x: false, y0: lo, y1: hi, legend: None, legend_rows: None };
    let mut legend = Legend::default();
    for other in &view.others {
        for run in clipped_runs(&view.grid_x, other, lo, hi).0 {
            legend.avoid(&run);
            chart.draw_series(LineSeries::new(run, ShapeStyle::from(&SKY.mix(0.55)).stroke_width(look.px(1.0)))).map_err(err)?;
        }
    }
    if !view.target.is_empty() {
        let target: Vec<(f64, f64)> = view.grid_x.iter().copied().zip(view.target.iter().copied()).collect();
        legend.avoid(&target);
        chart
            .draw_series(DashedLineSeries::new(target, look.px(6.0) as i32, look.px(4.0) as i32, ShapeStyle::from(&INK).stroke_width(look.px(1.5))))
            .map_err(err)?;
        legend.add("noiseless target", Swatch::Dashed(ShapeStyle::from(&INK).stroke_width(look.px(2.0))));
    }
    let (runs, clipped) = clipped_runs(&view.grid_x, &view.fitted, lo, hi);
    let fit_style = ShapeStyle::from(&VERMILLION).stroke_width(look.px(2.5));
    if !runs.is_empty() {
        let name = match view.step {
            // The page's time cursor: the model on its way, after that many steps.
            Some(t) => format!("model at step {t}, p = {}", view.size),
            None => format!("fitted model, p = {}", view.size),
        };
        legend.add(name, Swatch::Line(fit_style));
    }
    for run in runs {
        legend.avoid(&run);
        chart.draw_series(LineSeries::new(run, fit_style)).map_err(err)?;
    }
    if show_new && !view.new_x.is_empty() {
        chart.draw_series(view.new_x.iter().zip(&view.new_y).map(|(x, y)| Triangle::new((*x, *y), look.px(5.0) as i32, ORANGE))).map_err(err)?;
        legend.avoid_points(view.new_x.iter().copied().zip(view.new_y.iter().copied()));
        legend.add(new_name(view.own), Swatch::Triangle(ORANGE));
    }
    legend.avoid_points(view.train_x.iter().copied().zip(view.train_y.iter().copied()));
    chart.draw_series(view.train_x.iter().zip(&view.train_y).map(|(x, y)| Circle::new((*x, *y), look.px(4.0) as i32, BLUE.filled()))).map_err(err)?;
    legend.add(train_name(view.own), Swatch::Dot(BLUE));
    if clipped {
        // Said in the legend, which finds a place free of the data (a note on the plot ran over
        // the points).
        let max = view.fitted.iter().map(|v| v.abs()).fold(0.0, f64::max);
        legend.add(format!("the fit leaves the panel (|f| up to {})", short(max)), Swatch::Blank);
    }
    let placed = legend.draw(&chart, look, &corners)?;
    Ok((Some(geom), placed.band.filter(|_| below == 0)))
}

/// The Gaussian family's "fit": fitted β̂_j against the true β*_j, j = 1..p.
/// The coefficients panel; `Some(band)` when its legend found no free place (draw again with it).
fn coefficients<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, view: &FitView, look: Look, below: u32) -> Result<Option<u32>, PlotError> {
    let p = view.beta_star.len();
    let bmax = view.beta_star.iter().map(|v| v.abs()).fold(0.0, f64::max).max(1e-12);
    // The axis holds every fitted coefficient (past the threshold they reach tens of times the
    // true ones): none is pinned to an edge. Only a coefficient that is not finite is.
    let cmax = view.coef.iter().map(|v| v.abs()).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let lim = (3.0 * bmax).max(1.15 * cmax);
    let (lo, hi) = (-lim, lim);
    let names = ("coefficient j (the model sees the first p coordinates)", "coefficient value");
    let mut chart = frame(root, (0.5, p as f64 + 0.5), (lo, hi), names, 6, look, below)?;
    let mut legend = Legend::default();
    let truth: Vec<(f64, f64)> = view.beta_star.iter().enumerate().map(|(j, b)| (j as f64 + 1.0, *b)).collect();
    legend.avoid(&truth);
    legend.avoid_points(view.coef.iter().enumerate().map(|(j, c)| (j as f64 + 1.0, c.clamp(lo, hi))));
    chart
        .draw_series(DashedLineSeries::new(truth, look.px(6.0) as i32, look.px(4.0) as i32, ShapeStyle::from(&INK).stroke_width(look.px(1.5))))
        .map_err(err)?;
    legend.add("true β*", Swatch::Dashed(ShapeStyle::from(&INK).stroke_width(look.px(2.0))));
    let r = look.px(if p > 150 { 2.0 } else { 3.5 }) as i32;
    let clipped = view.coef.iter().any(|c| !(lo..=hi).contains(c));
    chart.draw_series(view.coef.iter().enumerate().map(|(j, c)| Circle::new((j as f64 + 1.0, c.clamp(lo, hi)), r, VERMILLION.filled()))).map_err(err)?;
    legend.add(format!("fitted β̂, p = {}", view.size), Swatch::Dot(VERMILLION));
    if clipped {
        let max = view.coef.iter().map(|v| v.abs()).fold(0.0, f64::max);
        let font = (FontFamily::SansSerif, look.font(12.0)).into_font().color(&VERMILLION);
        chart.draw_series(std::iter::once(Text::new(format!("coefficients up to {} drawn on the edge", short(max)), (1.0, hi), font))).map_err(err)?;
    }
    let placed = legend.draw(&chart, look, &[Corner::LowerRight, Corner::UpperRight, Corner::LowerLeft, Corner::UpperLeft])?;
    Ok(placed.band.filter(|_| below == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_leaving_the_panel_is_cut_at_the_edges() {
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
        let ys = [0.0, 0.5, 10.0, 0.5, 0.0];
        let (runs, clipped) = clipped_runs(&xs, &ys, -1.0, 1.0);
        assert!(clipped);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].last().map(|p| p.1), Some(1.0));
        assert_eq!(runs[1].first().map(|p| p.1), Some(1.0));
    }
}
