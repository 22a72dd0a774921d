//! Chart legends: a box of entries (a swatch and a name) in a corner of the plotting area.
//!
//! Drawn here rather than with plotters' series labels: those build a default font from the
//! name "sans-serif" on every draw, which links Unicode case tables into the page's wasm
//! (about 5 KB gzipped) for no visible difference; this also scales the swatches with the
//! chart's look (they were fixed device pixels).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::colors::INK;
use super::triangle::Triangle;
use super::{err, Look, PlotError};

/// What an entry's swatch looks like.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    /// A short line in the series' style.
    Line(ShapeStyle),
    /// A filled block, for a band.
    Block(RGBAColor),
    /// A filled dot.
    Dot(RGBColor),
    /// A filled triangle.
    Triangle(RGBColor),
}

/// The corner of the plotting area the legend sits in.
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

/// The entries of one chart's legend, in the order they are listed.
#[derive(Default)]
pub(super) struct Legend(Vec<(String, Swatch)>);

impl Legend {
    /// Adds an entry (an empty name adds nothing).
    pub(super) fn add(&mut self, name: impl Into<String>, swatch: Swatch) {
        let name = name.into();
        if !name.is_empty() {
            self.0.push((name, swatch));
        }
    }

    /// Draws the legend onto `area` (the plotting area, in its own pixels) in `corner`.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, look: Look, corner: Corner) -> Result<(), PlotError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let font = (FontFamily::SansSerif, look.font(12.0)).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        let px = |v: f64| look.px(v) as i32;
        let (pad, swatch, gap, edge) = (px(8.0), px(22.0), px(8.0), px(5.0));
        let line = (look.font(12.0) * 1.3).round() as i32;
        let mut text_w = 0;
        for (name, _) in &self.0 {
            text_w = text_w.max(area.estimate_text_size(name, &font).map_err(err)?.0 as i32);
        }
        let w = pad + swatch + gap + text_w + pad;
        let h = 2 * pad + line * self.0.len() as i32;
        let (aw, ah) = area.dim_in_pixel();
        let x = match corner {
            Corner::UpperLeft | Corner::LowerLeft => edge,
            Corner::UpperRight | Corner::LowerRight => aw as i32 - w - edge,
        };
        let y = match corner {
            Corner::UpperLeft | Corner::UpperRight => edge,
            Corner::LowerLeft | Corner::LowerRight => ah as i32 - h - edge,
        };
        area.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.mix(0.88).filled())).map_err(err)?;
        area.draw(&Rectangle::new([(x, y), (x + w, y + h)], ShapeStyle::from(&RGBColor(0xCC, 0xCC, 0xCC)))).map_err(err)?;
        for (i, (name, kind)) in self.0.iter().enumerate() {
            let cy = y + pad + line * i as i32 + line / 2;
            let (sx, mid) = (x + pad, x + pad + swatch / 2);
            match *kind {
                Swatch::Line(style) => area.draw(&PathElement::new(vec![(sx, cy), (sx + swatch, cy)], style)),
                Swatch::Block(c) => area.draw(&Rectangle::new([(sx, cy - px(5.0)), (sx + swatch, cy + px(5.0))], c.filled())),
                Swatch::Dot(c) => area.draw(&Circle::new((mid, cy), px(4.0), c.filled())),
                Swatch::Triangle(c) => area.draw(&Triangle::new((mid, cy), px(5.0), c)),
            }
            .map_err(err)?;
            area.draw(&Text::new(name.as_str(), (sx + swatch + gap, cy), font.clone())).map_err(err)?;
        }
        Ok(())
    }
}
