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

/// The digit grid's title: the model's size and training images, how many of the digits shown
/// it gets wrong, and its classification error over all of the trial's held-out images.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitsTitle {
    /// The model's size.
    pub size: usize,
    /// Training images.
    pub n: usize,
    /// The share of the trial's held-out images guessed wrong.
    pub wrong: f64,
    /// The trial's held-out images.
    pub test: usize,
    /// Per digit (0–9), of the trial's held-out images: how many were guessed wrong, of how many.
    pub per_digit: Vec<(usize, usize)>,
    /// The commonest mistake: (guess, true digit), and how often.
    pub confused: Option<((u16, u16), usize)>,
}

impl DigitsTitle {
    /// The title over the digits `shown`.
    pub fn text(&self, shown: &[DigitCell]) -> String {
        let wrong = shown.iter().filter(|c| c.guess != c.label).count();
        format!(
            "p = {} features, n = {} images: {wrong} of {} shown guessed wrong (trial 1: {:.0} % of its {} held out)",
            self.size,
            self.n,
            shown.len(),
            100.0 * self.wrong,
            self.test
        )
    }
}

/// Draws `cells` as a grid of small images, ink dark on white, the guess under each: a right
/// guess as its digit, a wrong one as "✗ guess (is label)" in red with a thick red frame round
/// the image — the cross, the words and the frame say it without the colour. As many of the
/// cells as fit at a readable size are drawn (at least 12), the first ones; `title` says what
/// they show and goes on top. Returns how many were drawn.
pub fn digit_grid<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    cells: &[DigitCell],
    title: &dyn Fn(&[DigitCell]) -> String,
    look: Look,
) -> Result<usize, PlotError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let font = (FontFamily::SansSerif, look.font(13.0)).into_font().color(&INK);
    let small = (FontFamily::SansSerif, look.font(12.0)).into_font();
    // The title on as many lines as the width needs, broken between words.
    let wrap = |text: &str| super::card::wrap(root, text, &font, w - look.px(12.0) as i32);
    let line_h = look.px(17.0) as i32;
    let title_h = look.px(9.0) as i32 + wrap(&title(cells))?.len() as i32 * line_h;
    // Columns no wider than the widest label allows; as many cells as keep each image at least
    // 30 px (at least 12 cells).
    let widest = cells
        .iter()
        .filter(|c| c.guess != c.label)
        .map(|c| root.estimate_text_size(&label(c), &small.clone().color(&VERMILLION)).map(|(w, _)| w as i32).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let max_cols = (w / (widest + look.px(8.0) as i32).max(1)).max(1);
    let text_h = look.px(18.0) as i32;
    let avail_h = (h - title_h).max(1);
    let mut count = cells.len() as i32;
    let (mut cols, mut side) = grid_shape(count, max_cols, w, avail_h, text_h);
    while side < look.px(30.0) as i32 && count > 12 {
        count -= 1;
        (cols, side) = grid_shape(count, max_cols, w, avail_h, text_h);
    }
    let shown = &cells[..count.max(0) as usize];
    for (i, line) in wrap(&title(shown))?.iter().enumerate() {
        root.draw(&Text::new(line.clone(), (look.px(6.0) as i32, look.px(6.0) as i32 + i as i32 * line_h), font.clone())).map_err(err)?;
    }
    if shown.is_empty() {
        return Ok(0);
    }
    let rows = (count + cols - 1) / cols;
    let cell_w = w / cols;
    let cell_h = avail_h / rows;
    let side = (cell_w - look.px(10.0) as i32).min(cell_h - text_h - look.px(6.0) as i32).max(8);
    for (k, c) in shown.iter().enumerate() {
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
        let (text, colour) = if right { (label(c), INK) } else { (label(c), VERMILLION) };
        let style = small.clone().color(&colour);
        let (tw, _) = root.estimate_text_size(&text, &style).map_err(err)?;
        root.draw(&Text::new(text, (x0 + side / 2 - tw as i32 / 2, y0 + side + look.px(3.0) as i32), style)).map_err(err)?;
    }
    Ok(shown.len())
}

/// The columns of a grid of `count` cells in `w` × `avail_h` pixels (at most `max_cols`, each
/// with a `text_h` label line) that make the images largest, and their side.
fn grid_shape(count: i32, max_cols: i32, w: i32, avail_h: i32, text_h: i32) -> (i32, i32) {
    let side = |cols: i32| (w / cols).min(avail_h / ((count + cols - 1) / cols).max(1) - text_h);
    let mut cols = 1;
    while cols < count.min(max_cols) && side(cols + 1) > side(cols) {
        cols += 1;
    }
    (cols, side(cols))
}

/// What is written under a digit: its guess, and for a wrong one "✗ guess (is label)".
fn label(c: &DigitCell) -> String {
    if c.guess == c.label {
        format!("{}", c.guess)
    } else {
        format!("✗ {} (is {})", c.guess, c.label)
    }
}

/// The classification error on held-out examples against model size (`result`: a digits sweep,
/// its second number the classification error): the median (or mean) with the middle half of
/// the trials shaded, and the threshold p = n dashed. Returns where the plotting area lies.
pub fn class_error_panel<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, result: &SweepResult, scene: &Scene, look: Look) -> Result<Geom, PlotError> {
    // Drawn again with a band under the chart when the legend finds no free corner.
    super::legend::with_band(|band| class_error_in(root, result, scene, look, band))
}

fn class_error_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    scene: &Scene,
    look: Look,
    below: u32,
) -> Result<(Geom, Option<u32>), PlotError> {
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
    let mut chart = frame(root, x0, x1, y, &xa, &["classification error (held out)", "classification error", "error"], look, below)?;
    let g = geom(&chart, x0, x1, xa.log);
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
        let (sym, other) = if scene.axis == crate::engine::sweep::Axis::Size { ("p", "n") } else { ("n", "p") };
        let name = if xa.compact { format!("threshold {sym} = {other}") } else { format!("interpolation threshold {sym} = {other}") };
        legend.add(name, Swatch::Dashed(style));
    }
    let pts: Vec<(f64, f64)> = rows.iter().filter_map(|r| Some((xa.of(r.x), y.place(value(r)?)?))).collect();
    let style = ShapeStyle::from(&BLUE).stroke_width(look.px(2.5));
    legend.avoid(&pts);
    chart.draw_series(LineSeries::new(pts, style)).map_err(err)?;
    legend.add(format!("classification error ({})", if agg == Agg::Median { "median" } else { "mean" }), Swatch::Line(style));
    let placed = legend.draw(&chart, look, &[Corner::UpperRight, Corner::UpperLeft, Corner::LowerRight, Corner::LowerLeft])?;
    Ok((on_plot(g, &placed), placed.band.filter(|_| below == 0)))
}
