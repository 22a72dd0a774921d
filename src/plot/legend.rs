//! Chart legends: a box of entries (a swatch and a name) in the corner of the plotting area
//! where it covers the least of the curves and points.
//!
//! Drawn here rather than with plotters' series labels: those build a default font from the
//! name "sans-serif" on every draw, which links Unicode case tables into the page's wasm
//! (about 5 KB gzipped) for no visible difference; this also scales the swatches with the
//! chart's look (they were fixed device pixels).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::Chart;
use super::colors::INK;
use super::triangle::Triangle;
use super::{err, Look, PlotError};

/// What an entry's swatch looks like.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    /// A short line in the series' style.
    Line(ShapeStyle),
    /// A short dashed line (two dashes), for a series drawn dashed.
    Dashed(ShapeStyle),
    /// A filled block, for a band.
    Block(RGBAColor),
    /// A filled dot.
    Dot(RGBColor),
    /// A filled triangle.
    Triangle(RGBColor),
}

/// A corner of the plotting area the legend may sit in.
#[derive(Clone, Copy)]
pub(super) enum Corner {
    /// Top left.
    UpperLeft,
    /// Top right.
    UpperRight,
    /// Bottom left.
    LowerLeft,
    /// Bottom right.
    LowerRight,
}

/// Whether a plotting area `width` device pixels wide is small (an embed, a phone): there a
/// smaller legend leaves more of the curves in view.
pub(super) fn small(look: Look, width: u32) -> bool {
    f64::from(width) < 280.0 * look.scale
}

/// A legend's sizes on a plotting area `width` device pixels wide.
struct Metrics {
    font: f64,
    line: i32,
    pad: i32,
    swatch: i32,
    gap: i32,
    edge: i32,
}

impl Metrics {
    fn new(look: Look, width: u32) -> Metrics {
        let small = small(look, width);
        let k = if small { 0.75 } else { 1.0 };
        let font = look.font(if small { 10.5 } else { 12.0 });
        let px = |v: f64| look.px(v * k) as i32;
        Metrics { font, line: (font * 1.3).round() as i32, pad: px(8.0), swatch: px(22.0), gap: px(8.0), edge: px(5.0) }
    }
}

impl Metrics {
    /// The entries' font.
    fn font_desc(&self) -> TextStyle<'static> {
        (FontFamily::SansSerif, self.font).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center))
    }

    /// The size of a legend box listing `names`, in device pixels.
    fn size<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, names: &[&str]) -> Result<(i32, i32), PlotError> {
        let font = self.font_desc();
        let mut text_w = 0;
        for name in names {
            text_w = text_w.max(area.estimate_text_size(name, &font).map_err(err)?.0 as i32);
        }
        Ok((self.pad + self.swatch + self.gap + text_w + self.pad, 2 * self.pad + self.line * names.len() as i32))
    }

    /// The upper left corner of a box of `size` in `corner` of an area of `dims` pixels.
    fn place(&self, corner: Corner, (w, h): (i32, i32), (aw, ah): (u32, u32)) -> (i32, i32) {
        let x = match corner {
            Corner::UpperLeft | Corner::LowerLeft => self.edge,
            Corner::UpperRight | Corner::LowerRight => aw as i32 - w - self.edge,
        };
        let y = match corner {
            Corner::UpperLeft | Corner::UpperRight => self.edge,
            Corner::LowerLeft | Corner::LowerRight => ah as i32 - h - self.edge,
        };
        // A legend wider than a tiny chart starts at its left edge.
        (x.max(0), y.max(0))
    }
}

/// The corners, among `corners` and in their order, where a legend listing `names` covers none
/// of `points` (pixels from the top left of a plotting area of `dims` pixels).
pub(super) fn free_corners<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[&str],
    look: Look,
    dims: (u32, u32),
    corners: &[Corner],
    points: &[(f64, f64)],
) -> Result<Vec<Corner>, PlotError> {
    let m = Metrics::new(look, dims.0);
    let (w, h) = m.size(root, names)?;
    let free = corners
        .iter()
        .copied()
        .filter(|c| {
            let (x, y) = m.place(*c, (w, h), dims);
            let (x0, y0, x1, y1) = (f64::from(x), f64::from(y), f64::from(x + w), f64::from(y + h));
            !points.iter().any(|&(px, py)| px >= x0 && px <= x1 && py >= y0 && py <= y1)
        })
        .collect();
    Ok(free)
}

/// How far down from the top of a plotting area `width` device pixels wide a legend of `rows`
/// entries in an upper corner reaches, in device pixels.
pub(super) fn reach(rows: usize, look: Look, width: u32) -> i32 {
    let m = Metrics::new(look, width);
    m.edge + 2 * m.pad + m.line * rows as i32
}

/// A label on the chart: a point in chart coordinates, and pixel offsets from it of the two
/// ends of a line through the text.
type Label = ((f64, f64), (i32, i32), (i32, i32));

/// The entries of one chart's legend, in the order they are listed, and what it should not cover.
#[derive(Default)]
pub(super) struct Legend {
    entries: Vec<(String, Swatch)>,
    /// Curves (and single points) in chart coordinates.
    paths: Vec<Vec<(f64, f64)>>,
    /// Text on the chart.
    labels: Vec<Label>,
}

impl Legend {
    /// Adds an entry (an empty name adds nothing).
    pub(super) fn add(&mut self, name: impl Into<String>, swatch: Swatch) {
        let name = name.into();
        if !name.is_empty() {
            self.entries.push((name, swatch));
        }
    }

    /// A curve the legend should rather not cover.
    pub(super) fn avoid(&mut self, curve: &[(f64, f64)]) {
        if !curve.is_empty() {
            self.paths.push(curve.to_vec());
        }
    }

    /// Points the legend should rather not cover.
    pub(super) fn avoid_points(&mut self, points: impl IntoIterator<Item = (f64, f64)>) {
        self.paths.extend(points.into_iter().map(|p| vec![p]));
    }

    /// A label on the chart the legend should rather not cover: the line from `from` to `to`
    /// (pixel offsets from the point `at`, in chart coordinates) runs through its text.
    pub(super) fn avoid_label(&mut self, at: (f64, f64), from: (i32, i32), to: (i32, i32)) {
        self.labels.push((at, from, to));
    }

    /// How much of the curves and points falls inside `rect` (left, top, right, bottom in the
    /// plotting area's pixels): curves are walked in steps of about 3 pixels.
    fn covered(paths: &[Vec<(f64, f64)>], rect: (f64, f64, f64, f64)) -> usize {
        let inside = |(x, y): (f64, f64)| x >= rect.0 && x <= rect.2 && y >= rect.1 && y <= rect.3;
        let mut n = 0;
        for px in paths {
            if let [single] = px[..] {
                n += usize::from(inside(single));
            }
            for w in px.windows(2) {
                let (a, b) = (w[0], w[1]);
                let len = ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).sqrt();
                let steps = (len / 3.0).ceil().clamp(1.0, 64.0) as usize;
                n += (0..steps)
                    .filter(|k| {
                        let t = *k as f64 / steps as f64;
                        inside((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                    })
                    .count();
            }
        }
        n
    }

    /// Draws the legend in the plotting area of `chart`, in whichever of `corners` covers the
    /// least of the curves and points (the first of them on a tie). Returns where it went
    /// (left, top, right, bottom in the plotting area's pixels), if anywhere.
    pub(super) fn draw<DB: DrawingBackend>(&self, chart: &Chart<'_, DB>, look: Look, corners: &[Corner]) -> Result<Option<(i32, i32, i32, i32)>, PlotError> {
        if self.entries.is_empty() {
            return Ok(None);
        }
        let area = chart.plotting_area().strip_coord_spec();
        let m = Metrics::new(look, area.dim_in_pixel().0);
        let font = m.font_desc();
        let px = |v: f64| look.px(v) as i32;
        let (pad, swatch, gap, line) = (m.pad, m.swatch, m.gap, m.line);
        let names: Vec<&str> = self.entries.iter().map(|(n, _)| n.as_str()).collect();
        let (w, h) = m.size(&area, &names)?;
        let place = |corner: Corner| m.place(corner, (w, h), area.dim_in_pixel());
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let to_px = |p: (f64, f64)| {
            let (x, y) = chart.backend_coord(&p);
            (f64::from(x - xr.start), f64::from(y - yr.start))
        };
        let mut paths: Vec<Vec<(f64, f64)>> = self.paths.iter().map(|p| p.iter().map(|q| to_px(*q)).collect()).collect();
        for (at, from, to) in &self.labels {
            let (x, y) = to_px(*at);
            let shift = |(dx, dy): (i32, i32)| (x + f64::from(dx), y + f64::from(dy));
            paths.push(vec![shift(*from), shift(*to)]);
        }
        let mut best: Option<((i32, i32), usize)> = None;
        for corner in corners {
            let (x, y) = place(*corner);
            let n = Self::covered(&paths, (f64::from(x), f64::from(y), f64::from(x + w), f64::from(y + h)));
            if best.is_none_or(|(_, m)| n < m) {
                best = Some(((x, y), n));
            }
        }
        let Some(((x, y), _)) = best else { return Ok(None) };
        area.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.mix(0.88).filled())).map_err(err)?;
        area.draw(&Rectangle::new([(x, y), (x + w, y + h)], ShapeStyle::from(&RGBColor(0xCC, 0xCC, 0xCC)))).map_err(err)?;
        for (i, (name, kind)) in self.entries.iter().enumerate() {
            let cy = y + pad + line * i as i32 + line / 2;
            let (sx, mid) = (x + pad, x + pad + swatch / 2);
            match *kind {
                Swatch::Line(style) => area.draw(&PathElement::new(vec![(sx, cy), (sx + swatch, cy)], style)),
                Swatch::Dashed(style) => {
                    let dash = (swatch * 2) / 5;
                    area.draw(&PathElement::new(vec![(sx, cy), (sx + dash, cy)], style)).map_err(err)?;
                    area.draw(&PathElement::new(vec![(sx + swatch - dash, cy), (sx + swatch, cy)], style))
                }
                Swatch::Block(c) => area.draw(&Rectangle::new([(sx, cy - px(5.0)), (sx + swatch, cy + px(5.0))], c.filled())),
                Swatch::Dot(c) => area.draw(&Circle::new((mid, cy), px(4.0), c.filled())),
                Swatch::Triangle(c) => area.draw(&Triangle::new((mid, cy), px(5.0), c)),
            }
            .map_err(err)?;
            area.draw(&Text::new(name.as_str(), (sx + swatch + gap, cy), font.clone())).map_err(err)?;
        }
        Ok(Some((x, y, x + w, y + h)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::chart::Layout;

    const NO_MARGINS: Layout = Layout { top: 0, margin: 0, x_band: 0, y_band: 0 };

    /// The x of the legend box (its first rectangle with a grey border) in an SVG.
    fn legend_x(svg: &str) -> f64 {
        let at = svg.find("stroke=\"#CCCCCC\"").unwrap_or_else(|| panic!("no legend in {svg}"));
        let tag = &svg[svg[..at].rfind("<rect").unwrap_or(0)..at];
        let x = tag.split("x=\"").nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse().ok());
        x.unwrap_or_else(|| panic!("no x in {tag}"))
    }

    fn draw_with_curve_at(x: f64) -> String {
        crate::plot::svg(600, 400, |root| {
            let mut chart = Chart::new(root, NO_MARGINS, 0.0..1.0, 0.0..1.0);
            let mut legend = Legend::default();
            let curve: Vec<(f64, f64)> = (0..=20).map(|i| (x, f64::from(i) / 20.0)).collect();
            legend.avoid(&curve);
            legend.add("a curve", Swatch::Line(ShapeStyle::from(&INK)));
            legend.draw(&chart, Look::default(), &[Corner::UpperLeft, Corner::UpperRight])?;
            chart.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>()).map_err(err)?;
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn legend_keeps_clear_of_a_label_written_on_the_chart() {
        let out = crate::plot::svg(600, 400, |root| {
            let chart = Chart::new(root, NO_MARGINS, 0.0..1.0, 0.0..1.0);
            let mut legend = Legend::default();
            // A 150-pixel label starting near the top left corner.
            legend.avoid_label((0.0, 1.0), (10, 20), (160, 20));
            legend.add("a curve", Swatch::Line(ShapeStyle::from(&INK)));
            legend.draw(&chart, Look::default(), &[Corner::UpperLeft, Corner::UpperRight]).map(|_| ())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(legend_x(&out) > 300.0);
    }

    #[test]
    fn legend_goes_to_the_corner_the_curves_leave_free() {
        // A vertical curve near the left edge: the legend moves right; near the right edge, it
        // stays in the first choice, the left.
        assert!(legend_x(&draw_with_curve_at(0.05)) > 300.0);
        assert!(legend_x(&draw_with_curve_at(0.95)) < 300.0);
    }
}
