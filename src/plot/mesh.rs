//! A chart's grid, axes, tick labels and axis names.
//!
//! The same picture as plotters' `configure_mesh().draw()`: light grid lines at up to ten times
//! as many round values as there are labels, bold lines, ticks and labels at the labelled values,
//! axis lines on the left and bottom, the x-axis name under the labels and the y-axis name up the
//! left edge. plotters' mesh code, generic over its coordinate and label types, was the largest
//! part of the charts in the browser's wasm (6.6 KB of the page, gzipped); this is a small part
//! of that, built from the same plotters elements.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::chart::Chart;
use super::colors::INK;
use super::{err, Look, PlotError};

/// What to write on a chart's axes.
pub(super) struct Mesh<'s> {
    /// At most this many labelled values on the x-axis.
    pub x_labels: usize,
    /// At most this many labelled values on the y-axis.
    pub y_labels: usize,
    /// The label of an x value.
    pub x_label: &'s dyn Fn(f64) -> String,
    /// The label of a y value.
    pub y_label: &'s dyn Fn(f64) -> String,
    /// The x-axis name.
    pub x_name: &'s str,
    /// The y-axis name.
    pub y_name: &'s str,
}

/// Draws `mesh` around `chart`, whose plotting area lies inside `root` (the axis names go at the
/// outer edges of the chart's label bands).
pub(super) fn draw<'a, DB: DrawingBackend + 'a>(root: &DrawingArea<DB, Shift>, chart: &Chart<'a, DB>, mesh: &Mesh, look: Look) -> Result<(), PlotError> {
    let (xs, ys) = (chart.x_range(), chart.y_range());
    let (bx, by) = root.get_base_pixel();
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (left, right, top, bottom) = (xr.start - bx, xr.end - bx, yr.start - by, yr.end - by);
    let px = |v: f64| chart.backend_coord(&(v, ys.start)).0 - bx;
    let py = |v: f64| chart.backend_coord(&(xs.start, v)).1 - by;
    let line = |a: (i32, i32), b: (i32, i32), style: ShapeStyle| root.draw(&PathElement::new(vec![a, b], style)).map_err(err);
    let light = ShapeStyle::from(&RGBColor(0xF2, 0xF2, 0xF2));
    let bold = ShapeStyle::from(&RGBColor(0xE2, 0xE2, 0xE2));
    let x_bold = nice_values(xs.start, xs.end, mesh.x_labels);
    let y_bold = nice_values(ys.start, ys.end, mesh.y_labels);
    for (x_values, y_values, style) in
        [(nice_values(xs.start, xs.end, mesh.x_labels * 10), nice_values(ys.start, ys.end, mesh.y_labels * 10), light), (x_bold.clone(), y_bold.clone(), bold)]
    {
        for v in x_values {
            line((px(v), top), (px(v), bottom - 1), style)?;
        }
        for v in y_values {
            line((left, py(v)), (right - 1, py(v)), style)?;
        }
    }
    let axis = ShapeStyle::from(&BLACK);
    line((left - 1, top), (left - 1, bottom - 1), axis)?;
    line((left, bottom), (right - 1, bottom), axis)?;
    // Ticks as plotters sizes them: 5 % of the plot's smaller side, at most 5 pixels; labels
    // twice that far from the axis.
    let tick = ((f64::from((right - left).min(bottom - top).max(0)) * 0.05) as i32).min(5);
    let gap = 2 * tick;
    let font = (FontFamily::SansSerif, look.font(12.0)).into_font().color(&INK);
    for v in x_bold {
        let x = px(v);
        if (left..right).contains(&x) {
            line((x, bottom), (x, bottom + tick), axis)?;
            root.draw_text(&(mesh.x_label)(v), &font.pos(Pos::new(HPos::Center, VPos::Top)), (x, bottom + gap)).map_err(err)?;
        }
    }
    for v in y_bold {
        let y = py(v);
        if (top..bottom).contains(&y) {
            line((left - 1 - tick, y), (left - 1, y), axis)?;
            root.draw_text(&(mesh.y_label)(v), &font.pos(Pos::new(HPos::Right, VPos::Center)), (left - gap, y)).map_err(err)?;
        }
    }
    let name = (FontFamily::SansSerif, look.font(13.0)).into_font().color(&INK);
    let layout = chart.layout();
    let (x_band, y_band) = (layout.x_band as i32, layout.y_band as i32);
    root.draw_text(mesh.x_name, &name.pos(Pos::new(HPos::Center, VPos::Bottom)), ((left + right) / 2, bottom + x_band)).map_err(err)?;
    let up = name.transform(FontTransform::Rotate270).pos(Pos::new(HPos::Center, VPos::Top));
    root.draw_text(mesh.y_name, &up, (left - y_band, (top + bottom) / 2)).map_err(err)
}

/// At most `max` round values (multiples of 1, 2 or 5 times a power of ten) from `lo` to `hi`,
/// chosen as plotters chooses its key points.
pub(super) fn nice_values(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let (lo, hi) = (lo.min(hi), hi.max(lo));
    if max == 0 || !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    if (hi - lo).abs() < f64::EPSILON {
        return vec![lo];
    }
    // The remainder of a by b, as plotters computes it (a near-b remainder counts as 0).
    let rem = |a: f64, b: f64| {
        let r = a - (a / b).floor() * b;
        if (r - b).abs() < f64::EPSILON {
            0.0
        } else {
            r
        }
    };
    let mut scale = 10f64.powf((hi - lo).log10().floor());
    let mut granularity = scale / 10.0;
    if 1 + ((hi - lo) / scale).floor() as usize > max {
        scale *= 10.0;
        granularity *= 10.0;
    }
    // Refine the step (÷2, ÷5, ÷10) while the values still number at most `max`. Bounded: on a
    // span tiny against its values the count can stop growing in floating point (plotters'
    // own loop would then never end).
    'refine: for _ in 0..40 {
        let old = scale;
        for div in [2.0, 5.0, 10.0] {
            let step = old / div;
            let mut first = lo - rem(lo, step);
            if first < lo {
                first += step;
            }
            let last = hi - rem(hi, step);
            if (1.0 + (last - first) / step).round() as usize > max {
                break 'refine;
            }
            scale = step;
        }
        scale = old / 10.0;
        granularity /= 10.0;
    }
    let mut first = lo - rem(lo, scale);
    if first < lo {
        first += scale;
    }
    let base = (first / granularity).floor() * granularity;
    let mut offset = first - base;
    let last = hi - rem(hi, scale);
    let mut values = Vec::new();
    while last - offset - base >= -f64::EPSILON && values.len() < max {
        if (offset / granularity).round() * granularity < 0.0 {
            offset += granularity;
        }
        values.push(offset + base);
        offset += scale;
    }
    values
}

#[cfg(test)]
mod tests {
    use super::nice_values;

    #[test]
    fn nice_values_are_round_steps_inside_the_range() {
        assert_eq!(nice_values(0.0, 10.0, 6), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_values(-1.0, 1.0, 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(nice_values(-5.0, 2.0, 8), vec![-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(nice_values(3.0, 3.0, 4), vec![3.0]);
        assert!(nice_values(0.0, 1.0, 0).is_empty());
        // A span tiny against its values: a few values or none, but an answer.
        for (lo, hi) in [(1e6, 1e6 + 1e-9), (1e15, 1e15 + 0.5), (-3e300, -3e300 + 1e285)] {
            assert!(nice_values(lo, hi, 70).len() <= 70, "{lo}..{hi}");
        }
        for (lo, hi, max) in [(0.3, 1234.5, 7), (-2.7, 0.4, 6), (1e-3, 2e-3, 5), (0.0, 600.0, 70)] {
            let v = nice_values(lo, hi, max);
            assert!(!v.is_empty() && v.len() <= max, "{lo}..{hi}: {v:?}");
            assert!(v.iter().all(|x| (lo - 1e-9..=hi + 1e-9).contains(x)), "{lo}..{hi}: {v:?}");
        }
    }
}
