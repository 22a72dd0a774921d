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
use super::marker::{Shape, Triangle};
use super::occupancy::{Occupancy, CELL};
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
    /// A ring, for a marked point.
    Ring(RGBColor),
    /// A line (dashed: on and off lengths in pixels) with a marker on it, for a compared curve.
    Marked(ShapeStyle, Option<(i32, i32)>, Shape),
    /// None: an entry that is a note.
    Blank,
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
    /// The small legend of a narrow chart (or of one too full for the normal one).
    fn small(look: Look) -> Metrics {
        Metrics::sized(look, true)
    }

    fn new(look: Look, width: u32) -> Metrics {
        Metrics::sized(look, small(look, width))
    }

    fn sized(look: Look, small: bool) -> Metrics {
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

/// Draws a panel with `draw(band)`: first with no band under it, then — where its legend found
/// no free place on the plot and asked for a band of that height — again with the band. The one
/// place the panels' second drawing is decided.
pub(super) fn with_band<T>(mut draw: impl FnMut(u32) -> Result<(T, Option<u32>), PlotError>) -> Result<T, PlotError> {
    match draw(0)? {
        (t, None) => Ok(t),
        (_, Some(band)) => draw(band).map(|(t, _)| t),
    }
}

/// Where a legend went: its box in the plotting area's pixels (below the plot when the chart
/// has a band for it), and, when no place on the plot was free, the height of the band under
/// the chart that would hold it instead.
pub(super) struct Placed {
    /// Left, top, right, bottom.
    pub rect: Option<(i32, i32, i32, i32)>,
    /// The band's height in device pixels, if the legend covers data where it went.
    pub band: Option<u32>,
    /// Drawn in the band under the chart (its rect is then not on the plot).
    pub below: bool,
    /// The first entry's top and an entry's height, in the plotting area's pixels (on the plot).
    pub rows: Option<(i32, i32)>,
}

/// The entries of one chart's legend, in the order they are listed, and what it should not cover.
#[derive(Default)]
pub(super) struct Legend {
    entries: Vec<(String, Swatch)>,
    /// Curves (and single points) in chart coordinates.
    paths: Vec<Vec<(f64, f64)>>,
    /// Filled bands: (x, one edge's y, the other's) along them, in chart coordinates.
    bands: Vec<Vec<(f64, f64, f64)>>,
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

    /// A filled band (its x, and its two edges' y there) the legend should rather not cover.
    pub(super) fn avoid_band(&mut self, band: Vec<(f64, f64, f64)>) {
        if !band.is_empty() {
            self.bands.push(band);
        }
    }

    /// Points the legend should rather not cover.
    pub(super) fn avoid_points(&mut self, points: impl IntoIterator<Item = (f64, f64)>) {
        self.paths.extend(points.into_iter().map(|p| vec![p]));
    }

    /// Draws the legend in the plotting area of `chart` where it covers none of the curves,
    /// points and labels: in the first of `corners` that is free, else at the free place
    /// nearest a corner (earlier corners preferred), else, smaller, the same again; only where
    /// no place is free, where it covers the least. Returns where it went (left, top, right,
    /// bottom in the plotting area's pixels), if anywhere.
    pub(super) fn draw<DB: DrawingBackend>(&self, chart: &Chart<'_, DB>, look: Look, corners: &[Corner]) -> Result<Placed, PlotError> {
        if self.entries.is_empty() {
            return Ok(Placed { rect: None, band: None, below: false, rows: None });
        }
        let area = chart.plotting_area().strip_coord_spec();
        let dims = area.dim_in_pixel();
        let names: Vec<&str> = self.entries.iter().map(|(n, _)| n.as_str()).collect();
        if let Some(band) = chart.band() {
            return self.draw_below(band, look, &names);
        }
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let to_px = |p: (f64, f64)| {
            let (x, y) = chart.backend_coord(&p);
            (f64::from(x - xr.start), f64::from(y - yr.start))
        };
        let mut paths: Vec<Vec<(f64, f64)>> = self.paths.iter().map(|p| p.iter().map(|q| to_px(*q)).collect()).collect();
        // A band is covered wherever a line from one edge to the other runs, every few pixels.
        for band in &self.bands {
            let px: Vec<((f64, f64), (f64, f64))> = band.iter().map(|&(x, a, b)| (to_px((x, a)), to_px((x, b)))).collect();
            for w in px.windows(2) {
                let ((a0, b0), (a1, b1)) = (w[0], w[1]);
                let steps = ((a1.0 - a0.0).abs() / (CELL / 2.0)).ceil().clamp(1.0, 4096.0) as usize;
                for k in 0..=steps {
                    let t = k as f64 / steps as f64;
                    let lerp = |p: (f64, f64), q: (f64, f64)| (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1));
                    paths.push(vec![lerp(a0, a1), lerp(b0, b1)]);
                }
            }
        }
        let taken = Occupancy::new(dims, &paths);
        // The legend's normal size, then (on a chart too full for it) the small one.
        let mut fallback: Option<(Metrics, (i32, i32), usize)> = None;
        for shrink in [false, true] {
            let m = if shrink { Metrics::small(look) } else { Metrics::new(look, dims.0) };
            let (w, h) = m.size(&area, &names)?;
            let mut best: Option<((i32, i32), f64)> = None;
            let mut least: Option<((i32, i32), usize)> = None;
            let spots: Vec<(i32, i32)> = corners.iter().map(|c| m.place(*c, (w, h), dims)).collect();
            let step = look.px(4.0).max(1) as usize;
            let (x_end, y_end) = ((dims.0 as i32 - w - m.edge).max(0), (dims.1 as i32 - h - m.edge).max(0));
            for y in (m.edge.min(y_end)..=y_end).step_by(step).chain(std::iter::once(y_end)) {
                for x in (m.edge.min(x_end)..=x_end).step_by(step).chain(std::iter::once(x_end)) {
                    let n = taken.count((x, y, x + w, y + h));
                    if least.is_none_or(|(_, l)| n < l) {
                        least = Some(((x, y), n));
                    }
                    if n > 0 {
                        continue;
                    }
                    // Distance to the nearest corner spot, earlier corners preferred.
                    let d = spots
                        .iter()
                        .enumerate()
                        .map(|(i, (cx, cy))| (f64::from(x - cx).powi(2) + f64::from(y - cy).powi(2)).sqrt() + 40.0 * look.scale * i as f64)
                        .fold(f64::INFINITY, f64::min);
                    if best.is_none_or(|(_, b)| d < b) {
                        best = Some(((x, y), d));
                    }
                }
            }
            // A free corner spot itself first (the scan's grid may step past it).
            if let Some(spot) = spots.iter().find(|(x, y)| taken.count((*x, *y, x + w, y + h)) == 0) {
                return self.paint(&area, &m, look, *spot, (w, h)).map(|r| Placed {
                    rect: Some(r),
                    band: None,
                    below: false,
                    rows: Some((spot.1 + m.pad, m.line)),
                });
            }
            if let Some((spot, _)) = best {
                return self.paint(&area, &m, look, spot, (w, h)).map(|r| Placed {
                    rect: Some(r),
                    band: None,
                    below: false,
                    rows: Some((spot.1 + m.pad, m.line)),
                });
            }
            if fallback.is_none() {
                if let Some((spot, n)) = least {
                    fallback = Some((m, spot, n));
                }
            }
        }
        let Some((m, spot, _)) = fallback else { return Ok(Placed { rect: None, band: None, below: false, rows: None }) };
        let size = m.size(&area, &names)?;
        let rect = self.paint(&area, &m, look, spot, size)?;
        let m = Metrics::small(look);
        let width = chart.band_width();
        let (_, rows, _) = Self::columns(&area, &m, &names, width, self.heading())?;
        Ok(Placed { rect: Some(rect), band: Some((2 * m.pad + m.line * rows as i32) as u32), below: false, rows: None })
    }

    /// How the entries go in a band under a plot `width` pixels wide: columns, rows and the
    /// column width. A first entry with no swatch (a heading, such as "test error (median):")
    /// takes a row of its own above the columns.
    fn columns<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        m: &Metrics,
        names: &[&str],
        width: u32,
        heading: bool,
    ) -> Result<(usize, usize, i32), PlotError> {
        let font = m.font_desc();
        let mut text_w = 0;
        for name in names.iter().skip(usize::from(heading)) {
            text_w = text_w.max(area.estimate_text_size(name, &font).map_err(err)?.0 as i32);
        }
        let rest = names.len() - usize::from(heading);
        let col = m.swatch + m.gap + text_w + m.pad;
        let cols = ((width as i32 - m.pad) / col.max(1)).clamp(1, rest.max(1) as i32) as usize;
        Ok((cols, rest.div_ceil(cols) + usize::from(heading), col))
    }

    /// Whether the first entry is a heading (no swatch).
    fn heading(&self) -> bool {
        matches!(self.entries.first(), Some((_, Swatch::Blank)))
    }

    /// Draws the entries in rows in `band`, the strip the chart's layout keeps under the plot
    /// (no box: nothing is under them).
    fn draw_below<DB: DrawingBackend>(&self, band: &DrawingArea<DB, Shift>, look: Look, names: &[&str]) -> Result<Placed, PlotError> {
        let (w, _) = band.dim_in_pixel();
        let m = Metrics::small(look);
        let heading = self.heading();
        let (cols, _, col) = Self::columns(band, &m, names, w, heading)?;
        let font = m.font_desc();
        let px = |v: f64| look.px(v) as i32;
        for (i, (name, kind)) in self.entries.iter().enumerate() {
            // The heading alone on the first row, the entries in columns under it.
            let (r, c) = match (heading, i) {
                (true, 0) => (0, 0),
                (true, _) => ((i - 1) / cols + 1, (i - 1) % cols),
                (false, _) => (i / cols, i % cols),
            };
            let cy = m.pad + m.line * r as i32 + m.line / 2;
            let sx = m.pad + col * c as i32;
            Self::swatch(band, *kind, (sx, cy), m.swatch, px)?;
            band.draw(&Text::new(name.as_str(), (sx + m.swatch + m.gap, cy), font.clone())).map_err(err)?;
        }
        Ok(Placed { rect: None, band: None, below: true, rows: None })
    }

    /// Draws the box and its entries with its top left corner at `(x, y)`.
    fn paint<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        m: &Metrics,
        look: Look,
        (x, y): (i32, i32),
        (w, h): (i32, i32),
    ) -> Result<(i32, i32, i32, i32), PlotError> {
        let font = m.font_desc();
        let px = |v: f64| look.px(v) as i32;
        let (pad, swatch, gap, line) = (m.pad, m.swatch, m.gap, m.line);
        area.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.mix(0.88).filled())).map_err(err)?;
        area.draw(&Rectangle::new([(x, y), (x + w, y + h)], ShapeStyle::from(&RGBColor(0xCC, 0xCC, 0xCC)))).map_err(err)?;
        for (i, (name, kind)) in self.entries.iter().enumerate() {
            let cy = y + pad + line * i as i32 + line / 2;
            let sx = x + pad;
            Self::swatch(area, *kind, (sx, cy), swatch, px)?;
            area.draw(&Text::new(name.as_str(), (sx + swatch + gap, cy), font.clone())).map_err(err)?;
        }
        Ok((x, y, x + w, y + h))
    }
}

impl Legend {
    /// An entry's swatch, `size` pixels wide, from `(sx, cy)` (its left end, centred on `cy`).
    fn swatch<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        kind: Swatch,
        (sx, cy): (i32, i32),
        swatch: i32,
        px: impl Fn(f64) -> i32,
    ) -> Result<(), PlotError> {
        let mid = sx + swatch / 2;
        match kind {
            Swatch::Line(style) => area.draw(&PathElement::new(vec![(sx, cy), (sx + swatch, cy)], style)),
            Swatch::Dashed(style) => {
                let dash = (swatch * 2) / 5;
                area.draw(&PathElement::new(vec![(sx, cy), (sx + dash, cy)], style)).map_err(err)?;
                area.draw(&PathElement::new(vec![(sx + swatch - dash, cy), (sx + swatch, cy)], style))
            }
            Swatch::Block(c) => area.draw(&Rectangle::new([(sx, cy - px(5.0)), (sx + swatch, cy + px(5.0))], c.filled())),
            Swatch::Dot(c) => area.draw(&Circle::new((mid, cy), px(4.0), c.filled())),
            Swatch::Triangle(c) => area.draw(&Triangle::new((mid, cy), px(5.0), c)),
            Swatch::Ring(c) => area.draw(&Circle::new((mid, cy), px(5.0), ShapeStyle::from(&c).stroke_width(px(2.0).max(1) as u32))),
            Swatch::Marked(style, dash, shape) => {
                match dash {
                    None => area.draw(&PathElement::new(vec![(sx, cy), (sx + swatch, cy)], style)).map_err(err)?,
                    Some((on, off)) => {
                        let mut x = sx;
                        while x < sx + swatch {
                            area.draw(&PathElement::new(vec![(x, cy), ((x + on).min(sx + swatch), cy)], style)).map_err(err)?;
                            x += on + off.max(1);
                        }
                    }
                }
                area.draw(&Triangle::shaped((mid, cy), px(5.0), style.color, shape))
            }
            Swatch::Blank => Ok(()),
        }
        .map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::chart::Layout;

    const NO_MARGINS: Layout = Layout { top: 0, margin: 0, x_band: 0, y_band: 0, below: 0 };

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
    fn legend_goes_to_the_corner_the_curves_leave_free() {
        // A vertical curve near the left edge: the legend moves right; near the right edge, it
        // stays in the first choice, the left.
        assert!(legend_x(&draw_with_curve_at(0.05)) > 300.0);
        assert!(legend_x(&draw_with_curve_at(0.95)) < 300.0);
    }
}
