//! The training panel: train and test error against gradient-descent steps (log axis) at one
//! model size, with where training ends (the size sweep's fit at that size) as a level line and
//! the best stopping time marked, and for the gaussian family the asymptotic theory of the mean.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{Geom, YAxis};
use super::colors::{BLUE, GREEN, INK, PURPLE, VERMILLION};
use super::curves::{frame, geom, off_chart, on_plot, quartile_band, test_name, test_of, train_of, XAxis};
use super::legend::{Corner, Legend, Swatch};
use super::{err, Look, PlotError};
use crate::engine::sweep::SweepResult;
use crate::scene::{Agg, Scene};

/// Draws a training curve (`result`: rows along steps) of `scene`, and `end`, the error training
/// ends at (t → ∞: the size sweep's value at the scene's size), as a dashed level line, and
/// optionally `overlay`, ridge at the penalty early stopping is compared with
/// ([`crate::engine::train::TrainPath::ridge_at`]). Returns where the plotting area lies.
pub fn training_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    (end, overlay): (Option<f64>, Option<&SweepResult>),
    look: Look,
) -> Result<Geom, PlotError> {
    super::legend::with_band(|band| training_in(root, result, scene, (end, overlay), look, band))
}

fn training_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    (end, overlay): (Option<f64>, Option<&SweepResult>),
    look: Look,
    below: u32,
) -> Result<(Geom, Option<u32>), PlotError> {
    let xa = XAxis::steps(root, look);
    let rows = &result.rows;
    let agg = scene.agg;
    let test: Vec<f64> = rows.iter().map(|r| test_of(r, agg)).collect();
    let first = test.first().copied().unwrap_or(1.0);
    let best = rows.iter().map(|r| (r.x, test_of(r, agg))).filter(|(_, v)| v.is_finite()).min_by(|a, b| a.1.total_cmp(&b.1));
    // Room for the whole fall of the error, capped far above where it starts.
    let cap = if scene.log_y { first.abs().max(1e-12) * 1e4 } else { first * 3.0 };
    let mut all = test.clone();
    all.extend(rows.iter().map(|r| train_of(r, agg)).filter(|v| !scene.log_y || *v > first * 1e-8));
    all.extend(end);
    all.extend(rows.iter().filter_map(|r| r.theory).filter(|v| v.is_finite()));
    all.extend(overlay.iter().flat_map(|o| o.rows.iter().map(|r| test_of(r, agg))));
    if agg == Agg::Median {
        all.extend(rows.iter().map(|r| r.test_mse_q25));
    }
    let y = YAxis::fit(&all, scene.log_y, cap);
    let (x0, x1) = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if b.x > a.x => (xa.of(a.x), xa.of(b.x)),
        _ => (0.0, 1.0),
    };
    let names = if scene.log_y {
        &["mean squared error (log scale)", "squared error (log scale)", "error (log scale)"][..]
    } else {
        &["mean squared error", "squared error"][..]
    };
    let mut chart = frame(root, x0, x1, y, &xa, names, look, below)?;
    let g = geom(&chart, x0, x1, true);
    let mut legend = Legend::default();
    if agg == Agg::Median && quartile_band(&mut chart, rows, &xa, y, VERMILLION.mix(0.18), &mut legend)? {
        legend.add(
            if xa.compact { "middle half".to_string() } else { format!("{}, middle 50 % of trials", test_name(scene)) },
            Swatch::Block(VERMILLION.mix(0.25)),
        );
    }
    let pts = |f: &dyn Fn(&crate::engine::sweep::SweepRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter().filter_map(|r| y.place(f(r)).map(|v| (xa.of(r.x), v))).collect()
    };
    let train = pts(&|r| train_of(r, agg));
    let style = ShapeStyle::from(&BLUE).stroke_width(look.px(2.0));
    legend.avoid(&train);
    chart.draw_series(DashedLineSeries::new(train, look.px(9.0) as i32, look.px(3.0) as i32, style)).map_err(err)?;
    legend.add(xa.series("train error", agg), Swatch::Dashed(style));
    let what = if scene.problem.ridge > 0.0 { "the ridge fit" } else { "the minimum-norm fit" };
    match end.filter(|v| v.is_finite()) {
        // Where training ends: the fit the size sweep shows at this size.
        Some(v) if !y.above(v) => {
            let v = y.place(v).unwrap_or(y.lo);
            let level = vec![(x0, v), (x1, v)];
            let style = ShapeStyle::from(&INK).stroke_width(look.px(1.5));
            chart.draw_series(DashedLineSeries::new(level.clone(), look.px(5.0) as i32, look.px(4.0) as i32, style)).map_err(err)?;
            legend.avoid(&level);
            legend.add(if xa.compact { "t → ∞".to_string() } else { format!("t → ∞: {what} (the size sweep)") }, Swatch::Dashed(style));
        }
        // Far above the chart (at the threshold): said, not drawn along the top edge.
        Some(v) if xa.compact => legend.add(format!("t → ∞: {} (above the chart)", super::axes::short(v)), Swatch::Blank),
        Some(v) => legend.add(format!("t → ∞: {what}, {} (above the chart)", super::axes::short(v)), Swatch::Blank),
        None => {}
    }
    if let Some(o) = overlay {
        // Ridge at λ = 1/(2ηt): what early stopping at step t is within 1.69× of.
        let ridge: Vec<(f64, f64)> = o.rows.iter().filter_map(|r| y.place(test_of(r, agg)).map(|v| (xa.of(r.x), v))).collect();
        let style = ShapeStyle::from(&GREEN).stroke_width(look.px(2.0));
        legend.avoid(&ridge);
        chart.draw_series(DashedLineSeries::new(ridge, look.px(2.0) as i32, look.px(3.0) as i32, style)).map_err(err)?;
        let name = if xa.compact {
            "ridge, λ = 1/(2ηt)".to_string()
        } else {
            format!("ridge at λ = 1/(2ηt) ({})", if agg == Agg::Median { "median" } else { "mean" })
        };
        legend.add(name, Swatch::Dashed(style));
    }
    let test_pts = pts(&|r| test_of(r, agg));
    let style = ShapeStyle::from(&VERMILLION).stroke_width(look.px(2.5));
    legend.avoid(&test_pts);
    chart.draw_series(LineSeries::new(test_pts, style)).map_err(err)?;
    legend.add(xa.series(test_name(scene), agg), Swatch::Line(style));
    let theory: Vec<(f64, f64)> = rows.iter().filter_map(|r| r.theory.filter(|v| v.is_finite()).and_then(|v| y.place(v)).map(|v| (xa.of(r.x), v))).collect();
    if !theory.is_empty() {
        // The gaussian family's asymptotic theory of the expected (mean) error at every step,
        // dashed over the test error it follows (which shows between its dashes).
        let style = ShapeStyle::from(&PURPLE).stroke_width(look.px(2.0));
        legend.avoid(&theory);
        chart.draw_series(DashedLineSeries::new(theory, look.px(7.0) as i32, look.px(3.0) as i32, style)).map_err(err)?;
        legend.add(if xa.compact { "theory" } else { "asymptotic theory (expected, i.e. mean)" }.to_string(), Swatch::Dashed(style));
    }
    // The best time, where stopping there beats the end of the curve (not its last point).
    let last = rows.last().map_or(f64::NAN, |r| test_of(r, agg));
    let early = best.filter(|(t, v)| rows.last().is_some_and(|r| r.x != *t) && last > 1.1 * v && y.place(*v).is_some() && !y.above(*v));
    if let Some((t, v)) = early {
        let at = (xa.of(t), y.place(v).unwrap_or(y.lo));
        chart.draw_series(std::iter::once(Circle::new(at, look.px(5.0) as i32, ShapeStyle::from(&INK).stroke_width(look.px(2.0))))).map_err(err)?;
        legend.avoid_points([at]);
        legend.add(format!("best stopping time: t = {t}"), Swatch::Ring(INK));
    }
    let raw: Vec<(f64, f64, usize)> = rows.iter().map(|r| (xa.of(r.x), test_of(r, agg), r.x)).collect();
    off_chart(&mut chart, &raw, y, "t", look, x1, "")?;
    let placed = legend.draw(&chart, look, &[Corner::UpperRight, Corner::LowerLeft, Corner::UpperLeft, Corner::LowerRight])?;
    Ok((on_plot(g, &placed), placed.band.filter(|_| below == 0)))
}
