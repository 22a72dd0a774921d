//! The digits' panels: a grid of held-out digits with the model's guess under each (the fit
//! panel of a digits scene), and the classification error against model size.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{Geom, YAxis};
use super::colors::{BLUE, INK, VERMILLION};
use super::curves::{frame, geom, on_plot, threshold, XAxis};
use super::legend::{Corner, Legend, Swatch};
use super::{err, Look, PlotError};
use crate::engine::sweep::SweepResult;
use crate::scene::{Agg, Scene};

/// One held-out digit: its pixels (0–16, row by row, `width` across), its class and the model's
/// guess (its largest output).
#[derive(Debug, Clone, PartialEq)]
pub struct DigitCell {
    /// Pixels, 0 (blank) to 16 (ink).
    pub pixels: Vec<u8>,
    /// Pixels across.
    pub width: usize,
    /// The true class.
    pub label: u8,
    /// The model's guess.
    pub guess: u8,
}

/// Draws `cells` as a grid of small images, ink dark on white, the guess under each: a right
/// guess as its digit, a wrong one as "✗ guess (is label)" in red with a thick red frame round
/// the image — the cross, the words and the frame say it without the colour. `title` goes on
/// top.
pub fn digit_grid<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, cells: &[DigitCell], title: &str, look: Look) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let title_h = look.px(26.0) as i32;
    let font = (FontFamily::SansSerif, look.font(13.0)).into_font().color(&INK);
    root.draw(&Text::new(title.to_string(), (look.px(6.0) as i32, look.px(6.0) as i32), font.clone())).map_err(err)?;
    if cells.is_empty() {
        return Ok(());
    }
    // As many columns as keep each cell about square, its label line under it.
    let count = cells.len() as i32;
    let text_h = look.px(18.0) as i32;
    let avail_h = (h - title_h).max(1);
    let mut cols = 1;
    while cols < count {
        let rows = (count + cols - 1) / cols;
        let side = (w / cols).min(avail_h / rows - text_h);
        let next_rows = (count + cols) / (cols + 1);
        let next_side = (w / (cols + 1)).min(avail_h / next_rows - text_h);
        if next_side <= side {
            break;
        }
        cols += 1;
    }
    let rows = (count + cols - 1) / cols;
    let cell_w = w / cols;
    let cell_h = avail_h / rows;
    let side = (cell_w - look.px(10.0) as i32).min(cell_h - text_h - look.px(6.0) as i32).max(8);
    let small = (FontFamily::SansSerif, look.font(12.0)).into_font();
    for (k, c) in cells.iter().enumerate() {
        let (col, row) = (k as i32 % cols, k as i32 / cols);
        let x0 = col * cell_w + (cell_w - side) / 2;
        let y0 = title_h + row * cell_h + look.px(3.0) as i32;
        let px = c.width.max(1);
        let hgt = c.pixels.len() / px;
        for (i, &v) in c.pixels.iter().enumerate() {
            let (cx, cy) = ((i % px) as i32, (i / px) as i32);
            let (a, b) = (x0 + cx * side / px as i32, y0 + cy * side / hgt.max(1) as i32);
            let (a2, b2) = (x0 + (cx + 1) * side / px as i32, y0 + (cy + 1) * side / hgt.max(1) as i32);
            let g = 255 - (u32::from(v.min(16)) * 255 / 16) as u8;
            root.draw(&Rectangle::new([(a, b), (a2, b2)], RGBColor(g, g, g).filled())).map_err(err)?;
        }
        let right = c.guess == c.label;
        let frame_style =
            if right { ShapeStyle::from(&RGBColor(0xbb, 0xbb, 0xbb)).stroke_width(1) } else { ShapeStyle::from(&VERMILLION).stroke_width(look.px(3.0)) };
        root.draw(&Rectangle::new([(x0, y0), (x0 + side, y0 + side)], frame_style)).map_err(err)?;
        let (text, colour) = if right { (format!("{}", c.guess), INK) } else { (format!("✗ {} (is {})", c.guess, c.label), VERMILLION) };
        let style = small.clone().color(&colour);
        let (tw, _) = root.estimate_text_size(&text, &style).map_err(err)?;
        root.draw(&Text::new(text, (x0 + side / 2 - tw as i32 / 2, y0 + side + look.px(3.0) as i32), style)).map_err(err)?;
    }
    Ok(())
}

/// The classification error on held-out examples against model size (`result`: a digits sweep,
/// its second number the classification error): the median (or mean) with the middle half of
/// the trials shaded, and the threshold p = n dashed. Returns where the plotting area lies.
pub fn class_error_panel<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, result: &SweepResult, scene: &Scene, look: Look) -> Result<Geom, PlotError> {
    let xa = XAxis::new(scene, scene.log_x, root, look);
    let rows = &result.rows;
    let agg = scene.agg;
    let value = |r: &crate::engine::sweep::SweepRow| if agg == Agg::Median { r.extra_median } else { r.extra_mean };
    let top = rows.iter().flat_map(|r| [r.extra_q75, value(r)]).flatten().filter(|v| v.is_finite()).fold(0.0, f64::max);
    let y = YAxis { log: false, lo: 0.0, hi: if top > 0.5 { 1.0 } else { (top * 1.15).max(0.05) } };
    let (x0, x1) = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if b.x > a.x => (xa.of(a.x), xa.of(b.x)),
        _ => (0.0, 1.0),
    };
    let mut chart = frame(root, x0, x1, y, &xa, &["classification error (held out)", "classification error", "error"], look, 0)?;
    let g = geom(&chart, x0, x1, false);
    let mut legend = Legend::default();
    if agg == Agg::Median {
        let mut band: Vec<(f64, f64)> = rows.iter().filter_map(|r| Some((xa.of(r.x), y.place(r.extra_q75?)?))).collect();
        let lower: Vec<(f64, f64)> = rows.iter().rev().filter_map(|r| Some((xa.of(r.x), y.place(r.extra_q25?)?))).collect();
        legend.avoid(&band);
        legend.avoid(&lower);
        band.extend(lower);
        if band.len() > 2 {
            chart.draw_series(std::iter::once(Polygon::new(band, VERMILLION.mix(0.18).filled()))).map_err(err)?;
            legend.add("middle 50 % of trials".to_string(), Swatch::Block(VERMILLION.mix(0.25)));
        }
    }
    let tx = xa.of(threshold(scene));
    if tx >= x0 && tx <= x1 {
        let style = ShapeStyle::from(&INK).stroke_width(look.px(1.5));
        let line = vec![(tx, y.lo), (tx, y.hi)];
        legend.avoid(&line);
        chart.draw_series(DashedLineSeries::new(line, look.px(5.0) as i32, look.px(4.0) as i32, style)).map_err(err)?;
        legend.add("interpolation threshold p = n".to_string(), Swatch::Dashed(style));
    }
    let pts: Vec<(f64, f64)> = rows.iter().filter_map(|r| Some((xa.of(r.x), y.place(value(r)?)?))).collect();
    let style = ShapeStyle::from(&BLUE).stroke_width(look.px(2.5));
    legend.avoid(&pts);
    chart.draw_series(LineSeries::new(pts, style)).map_err(err)?;
    legend.add(format!("classification error ({})", if agg == Agg::Median { "median" } else { "mean" }), Swatch::Line(style));
    let placed = legend.draw(&chart, look, &[Corner::UpperRight, Corner::UpperLeft, Corner::LowerRight, Corner::LowerLeft])?;
    Ok(on_plot(g, &placed))
}
