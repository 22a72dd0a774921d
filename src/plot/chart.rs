//! A chart's plotting area: linear f64 coordinates over the part of a panel left by its margins
//! and axis bands.
//!
//! What plotters' `ChartBuilder` and `ChartContext` give these charts, with the same layout and
//! method names, but without their general label-area machinery (a 3 × 3 grid split that sorts,
//! series annotations), 4.7 KB of the page gzipped.

use std::borrow::Borrow;
use std::marker::PhantomData;
use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;

use super::Look;

type Area<DB> = DrawingArea<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Where a chart's plotting area lies in its panel, in device pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    /// Space above the plot.
    pub top: u32,
    /// Space right of the plot and below the x band.
    pub margin: u32,
    /// Height of the band under the plot for the x labels and name.
    pub x_band: u32,
    /// Width of the band left of the plot for the y labels and name.
    pub y_band: u32,
    /// Height of a band under the x band for a legend that finds no free place on the plot.
    pub below: u32,
}

impl Layout {
    /// The panels' layout at `look`'s scale: `top` (unscaled pixels) above the plot, 10 on the
    /// other sides, and bands of 44 and 58 for the axes' labels and names.
    pub fn panel(look: Look, top: f64) -> Layout {
        Layout { top: look.px(top), margin: look.px(10.0), x_band: look.px(44.0), y_band: look.px(58.0), below: 0 }
    }
}

/// A plotting area with linear coordinates `x` × `y`.
pub(super) struct Chart<'a, DB: DrawingBackend> {
    area: Area<DB>,
    /// The band under the x band kept for a legend (`layout.below` high), the panel's width.
    band: Option<DrawingArea<DB, Shift>>,
    layout: Layout,
    _panel: PhantomData<&'a ()>,
}

impl<'a, DB: DrawingBackend> Chart<'a, DB> {
    /// The chart over `x` × `y` in `root`, laid out as `layout` says.
    pub fn new(root: &DrawingArea<DB, Shift>, layout: Layout, x: Range<f64>, y: Range<f64>) -> Chart<'a, DB> {
        let Layout { top, margin, x_band, y_band, below } = layout;
        let plot = root.margin(top, margin + x_band + below, margin + y_band, margin);
        // As plotters maps them: the last pixel row and column inclusive, y growing upwards.
        let (xs, ys) = plot.get_pixel_range();
        let pixels = (xs.start..xs.end - 1, ys.end - 1..ys.start);
        let (_, h) = root.dim_in_pixel();
        let band = (below > 0).then(|| root.margin(h.saturating_sub(margin + below), margin, margin, margin));
        Chart { area: plot.apply_coord_spec(Cartesian2d::new(x, y, pixels)), band, layout, _panel: PhantomData }
    }

    /// The width a legend band under the chart would have: the panel's, within its margins.
    pub fn band_width(&self) -> u32 {
        let (xs, _) = self.area.get_pixel_range();
        (xs.end - xs.start) as u32 + self.layout.y_band
    }

    /// The band kept under the chart for its legend, if any.
    pub fn band(&self) -> Option<&DrawingArea<DB, Shift>> {
        self.band.as_ref()
    }

    /// How the chart was laid out in its panel.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The plotting area, in chart coordinates.
    pub fn plotting_area(&self) -> &Area<DB> {
        &self.area
    }

    /// The backend pixel of a chart point.
    pub fn backend_coord(&self, at: &(f64, f64)) -> (i32, i32) {
        self.area.map_coordinate(at)
    }

    /// The x range.
    pub fn x_range(&self) -> Range<f64> {
        self.area.get_x_range()
    }

    /// The y range.
    pub fn y_range(&self) -> Range<f64> {
        self.area.get_y_range()
    }

    /// Draws every element of `series`, in chart coordinates.
    pub fn draw_series<E, R, S>(&mut self, series: S) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
    where
        for<'b> &'b E: PointCollection<'b, (f64, f64)>,
        E: Drawable<DB>,
        R: Borrow<E>,
        S: IntoIterator<Item = R>,
    {
        for element in series {
            self.area.draw(element.borrow())?;
        }
        Ok(())
    }
}
