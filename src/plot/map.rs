//! The size × time map: test error over model size and training steps as a heatmap (the picture
//! of Nakkiran et al. 2019, "Deep double descent", Fig. 2, for a model whose answer is known),
//! with the threshold p = n dashed and each size's best stopping time drawn across it, and on top
//! the row where training ends (t → ∞: the size sweep) where it ends there; a colour bar beside
//! the plot reads the colours.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{pow10, Geom, YAxis};
use super::colors::INK;
use super::curves::{test_of, threshold, XAxis};
use super::{err, Look, PlotError};
use crate::engine::sweep::SweepResult;
use crate::scene::Scene;

/// Viridis at nine stops (perceptually even, readable in grey and by colour-blind readers).
const VIRIDIS: [(u8, u8, u8); 9] =
    [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141), (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)];

/// The colour of `t` in [0, 1] on the viridis scale.
fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 1.0 };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Draws the map of `rows`: each size's training curve (rows along steps), in size order, and
/// `limit`, the size sweep at the same sizes, as a strip on top (t → ∞), in the same colours.
/// Returns where the plotting area lies.
pub fn map_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[(usize, SweepResult)],
    limit: Option<&SweepResult>,
    scene: &Scene,
    look: Look,
) -> Result<Geom, PlotError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let bar_w = look.px(104.0).min(w / 3);
    let (whole, bar) = root.split_horizontally(w - bar_w);
    // The strip t → ∞ above the chart, a gap between them.
    let strip_h = if limit.is_some() { look.px(26.0) } else { 0 };
    let (strip, plot) = whole.split_vertically(strip_h);
    let xa = XAxis::new(scene, scene.log_x, &plot, look);
    let agg = scene.agg;
    let steps: Vec<usize> = rows.first().map(|(_, r)| r.rows.iter().map(|row| row.x).collect()).unwrap_or_default();
    let ty = |t: usize| (t.max(1) as f64).log10();
    // The colour scale: log10 of the error, from the lowest to 10⁴ times it at most (higher
    // errors take the top colour, and the bar says so).
    let ends = limit.map(|l| l.rows.as_slice()).unwrap_or_default();
    let values: Vec<f64> =
        rows.iter().flat_map(|(_, r)| r.rows.iter()).chain(ends).map(|row| test_of(row, agg)).filter(|v| v.is_finite() && *v > 0.0).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min).max(1e-300).log10().floor();
    let top = values.iter().copied().fold(0.0, f64::max).max(1e-300).log10().ceil();
    let hi = top.min(lo + 4.0).max(lo + 1.0);
    let shade = |v: f64| viridis(if v > 0.0 && v.is_finite() { (v.log10() - lo) / (hi - lo) } else { 1.0 });
    let (x0, x1) = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if b.0 > a.0 => (xa.of(a.0), xa.of(b.0)),
        _ => (0.0, 1.0),
    };
    let y = YAxis { log: true, lo: steps.first().map_or(0.0, |&t| ty(t)), hi: steps.last().map_or(1.0, |&t| ty(t)).max(0.5) };
    let names = ["gradient-descent steps t (log scale)", "steps t (log scale)", "steps t"];
    let mut chart = super::curves::frame(&plot, x0, x1, y, &xa, &names, look, 0)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let g = Geom { left: xr.start, right: xr.end, top: yr.start, bottom: yr.end, x0, x1, log_x: xa.log, y0: y.lo, y1: y.hi, legend: None, legend_rows: None };
    // Each cell reaches halfway to its neighbours.
    let edges = |c: &[f64]| -> Vec<(f64, f64)> {
        (0..c.len())
            .map(|i| {
                let left = if i == 0 { c[0] } else { (c[i - 1] + c[i]) / 2.0 };
                let right = if i + 1 == c.len() { c[i] } else { (c[i] + c[i + 1]) / 2.0 };
                (left, right)
            })
            .collect()
    };
    let xs = edges(&rows.iter().map(|(p, _)| xa.of(*p)).collect::<Vec<_>>());
    let ys = edges(&steps.iter().map(|&t| ty(t)).collect::<Vec<_>>());
    for ((_, r), (xl, xr)) in rows.iter().zip(&xs) {
        let cells = r.rows.iter().zip(&ys).map(|(row, (yl, yh))| Rectangle::new([(*xl, *yl), (*xr, *yh)], shade(test_of(row, agg)).filled()));
        chart.draw_series(cells).map_err(err)?;
    }
    // The threshold, and each size's best stopping time.
    let tx = xa.of(threshold(scene));
    if tx >= x0 && tx <= x1 {
        let style = ShapeStyle::from(&WHITE).stroke_width(look.px(1.5));
        chart.draw_series(DashedLineSeries::new(vec![(tx, y.lo), (tx, y.hi)], look.px(4.0) as i32, look.px(4.0) as i32, style)).map_err(err)?;
    }
    let best: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|(p, r)| {
            r.rows
                .iter()
                .filter(|row| test_of(row, agg).is_finite())
                .min_by(|a, b| test_of(a, agg).total_cmp(&test_of(b, agg)))
                .map(|row| (xa.of(*p), ty(row.x)))
        })
        .collect();
    chart.draw_series(LineSeries::new(best, ShapeStyle::from(&WHITE).stroke_width(look.px(3.5)))).map_err(err)?;
    if !ends.is_empty() {
        // t → ∞: each size's cell over the same columns, in the strip's own pixels.
        let base = strip.get_base_pixel();
        let px = |x: f64| chart.backend_coord(&(x, y.hi)).0 - base.0;
        let (top, bottom) = (look.px(2.0) as i32, strip_h as i32 - look.px(6.0) as i32);
        for ((p, _), (left, right)) in rows.iter().zip(&xs) {
            if let Some(row) = ends.iter().find(|r| r.x == *p) {
                strip.draw(&Rectangle::new([(px(*left), top), (px(*right), bottom)], shade(test_of(row, agg)).filled())).map_err(err)?;
            }
        }
        if tx >= x0 && tx <= x1 {
            let style = ShapeStyle::from(&WHITE).stroke_width(look.px(1.5));
            strip.draw(&PathElement::new(vec![(px(tx), top), (px(tx), bottom)], style)).map_err(err)?;
        }
        let font = (FontFamily::SansSerif, look.font(12.0)).into_font().color(&INK);
        let label = "t → ∞";
        let (tw, th) = strip.estimate_text_size(label, &font).map_err(err)?;
        let at = (xr.start - base.0 - tw as i32 - look.px(6.0) as i32, (top + bottom) / 2 - th as i32 / 2);
        strip.draw(&Text::new(label, at, font)).map_err(err)?;
    }
    // The bar over the upper part of the plot's height, the key of the two lines under it.
    let bar_bottom = yr.start + (yr.end - yr.start) * 3 / 5;
    colour_bar(&bar, (lo, hi), top > hi, look, (yr.start, bar_bottom), super::curves::test_name(scene))?;
    key(&bar, look, bar_bottom + look.px(28.0) as i32)?;
    Ok(g)
}

/// What the two white lines are: each size's best stopping time, and the threshold p = n.
fn key<DB: DrawingBackend>(bar: &DrawingArea<DB, Shift>, look: Look, y: i32) -> Result<(), PlotError> {
    let font = (FontFamily::SansSerif, look.font(11.0)).into_font().color(&INK);
    let (x, chip, line) = (look.px(6.0) as i32, look.px(22.0) as i32, look.px(18.0) as i32);
    let dark = viridis(0.0);
    for (i, (name, dashed)) in [("best time", false), ("p = n", true)].iter().enumerate() {
        let cy = y + line * i as i32 * 2;
        bar.draw(&Rectangle::new([(x, cy - line / 2), (x + chip, cy + line / 2)], dark.filled())).map_err(err)?;
        let style = ShapeStyle::from(&WHITE).stroke_width(look.px(if *dashed { 1.5 } else { 3.0 }));
        if *dashed {
            let d = chip / 5;
            bar.draw(&PathElement::new(vec![(x + 2, cy), (x + 2 + d, cy)], style)).map_err(err)?;
            bar.draw(&PathElement::new(vec![(x + chip - 2 - d, cy), (x + chip - 2, cy)], style)).map_err(err)?;
        } else {
            bar.draw(&PathElement::new(vec![(x + 2, cy), (x + chip - 2, cy)], style)).map_err(err)?;
        }
        bar.draw(&Text::new(*name, (x + chip + look.px(5.0) as i32, cy - look.px(6.0) as i32), font.clone())).map_err(err)?;
    }
    Ok(())
}

/// The colour bar from `lo` to `hi` (log10 of the error) between pixel rows `top` and `bottom`,
/// labelled at each power of ten, "≥" at the top where errors run higher, and named `what`.
fn colour_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    (lo, hi): (f64, f64),
    capped: bool,
    look: Look,
    (top, bottom): (i32, i32),
    what: &str,
) -> Result<(), PlotError> {
    let x = look.px(10.0) as i32;
    let wbar = look.px(14.0) as i32;
    let rows = (bottom - top).max(1);
    for k in 0..rows {
        let t = 1.0 - f64::from(k) / f64::from(rows);
        bar.draw(&Rectangle::new([(x, top + k), (x + wbar, top + k + 1)], viridis(t).filled())).map_err(err)?;
    }
    let font = (FontFamily::SansSerif, look.font(11.0)).into_font().color(&INK);
    let mut e = lo;
    while e <= hi + 1e-9 {
        let yk = bottom - ((e - lo) / (hi - lo) * f64::from(rows)).round() as i32;
        let label = if capped && (e - hi).abs() < 1e-9 { format!("≥ {}", pow10(e as i32)) } else { pow10(e as i32) };
        bar.draw(&Text::new(label, (x + wbar + look.px(4.0) as i32, yk - look.px(6.0) as i32), font.clone())).map_err(err)?;
        e += 1.0;
    }
    let name = (FontFamily::SansSerif, look.font(11.0)).into_font().color(&INK);
    bar.draw(&Text::new(what, (x - look.px(4.0) as i32, top - look.px(16.0) as i32), name)).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::viridis;

    #[test]
    fn the_colour_scale_runs_from_dark_purple_to_yellow_and_holds_anything() {
        assert_eq!(viridis(0.0), plotters::style::RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), plotters::style::RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), viridis(1.0), "a value that cannot be placed takes the top");
        assert_eq!(viridis(-3.0), viridis(0.0));
    }
}
