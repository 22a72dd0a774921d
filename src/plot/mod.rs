//! Charts, generic over plotters' `DrawingBackend`: the same function draws onto a browser
//! canvas and into an SVG string (see `ddviz::plot::svg` natively).
//!
//! - [`fit_panel`]: training points, the noiseless target, the fitted curve of one model size
//!   (and, for the Gaussian family, fitted against true coefficients).
//! - [`u_panel`]: the textbook U — test and train error, bias² and variance up to the threshold.
//! - [`dd_panel`]: the whole sweep past the threshold on a log error axis, with the threshold
//!   marked, the classical region shaded, a quartile band and (Gaussian) the exact theory.
//! - [`training_panel`]: train and test error against gradient-descent steps at one size.
//! - [`map_panel`]: the size × time map of test error, with each size's best stopping time.
//! - [`compare_panel`]: a comparison's test-error curves (one per compared value) on those axes.
//! - [`digit_grid`] and [`class_error_panel`]: the digits' held-out images with the model's
//!   guesses, and their classification error against model size.
//!
//! Values too large for the axis are not hidden: they are drawn as markers on the top edge and
//! the largest is written next to them. Colours are the Okabe–Ito colour-blind-safe palette, and
//! every curve also differs in dash or marker, so colour never carries meaning alone.

mod axes;
mod card;
mod chart;
mod compare;
mod curves;
mod digits;
mod fit;
mod legend;
mod map;
mod marker;
mod mesh;
mod occupancy;
mod training;

pub use axes::short as axes_short;
pub use axes::Geom;
pub use card::text_card;
pub use compare::{compare_panel, Compared, CurveStyle, STYLES};
pub use curves::{dd_panel, decomposition, threshold, u_minimum, u_panel, u_panel_minimum, u_panel_of, Decomposition};
pub use digits::{class_error_panel, digit_grid, DigitCell, DigitsTitle};
pub use fit::fit_panel;
pub use map::map_panel;
pub use training::training_panel;

use plotters::style::RGBColor;

/// Okabe–Ito palette.
pub mod colors {
    use super::RGBColor;
    /// Orange.
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    /// Sky blue.
    pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    /// Bluish green.
    pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    /// Blue.
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    /// Vermillion.
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    /// Reddish purple.
    pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// Near-black for text and the target.
    pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
    /// Light grey for shading.
    pub const SHADE: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
}

/// How a chart is drawn: `scale` multiplies font sizes and line widths (the device pixel ratio on
/// a canvas, 1 for SVG).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// Pixel scale.
    pub scale: f64,
}

impl Default for Look {
    fn default() -> Look {
        Look { scale: 1.0 }
    }
}

impl Look {
    /// A length in device pixels.
    pub fn px(&self, v: f64) -> u32 {
        (v * self.scale).round().max(1.0) as u32
    }

    /// A font size in device pixels.
    pub fn font(&self, v: f64) -> f64 {
        v * self.scale
    }
}

/// A chart that could not be drawn (the backend's error, as text).
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chart: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

fn err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError(e.to_string())
}

/// Renders a chart function into an SVG string of `width` × `height` pixels (native use:
/// figures for papers and slides, and structural tests).
pub fn svg<F>(width: u32, height: u32, draw: F) -> Result<String, PlotError>
where
    F: FnOnce(&plotters::drawing::DrawingArea<plotters::backend::SVGBackend, plotters::coord::Shift>) -> Result<(), PlotError>,
{
    use plotters::prelude::*;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(without_redrawn(out))
}

/// An SVG without what a panel drew before drawing itself again (a curve panel draws twice when
/// its legend needs a band under the chart): a canvas or bitmap paints the second drawing over
/// the first, while an SVG would keep both, the first hidden under the second's background.
/// Everything from a panel's background up to the same background drawn again goes.
fn without_redrawn(mut svg: String) -> String {
    // Byte searches by hand: `str::find` with a `&str` pattern links a substring searcher into
    // the page's wasm (performance.md).
    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len().max(1)).position(|w| w == needle)
    }
    let mut from = 0;
    while let Some(at) = find(&svg.as_bytes()[from..], b"<rect ").map(|i| i + from) {
        let end = find(&svg.as_bytes()[at..], b"/>").map_or(svg.len(), |i| at + i + 2);
        let tag = svg.as_bytes()[at..end].to_vec();
        let background = [&b"fill=\"#FFFFFF\""[..], b"opacity=\"1\"", b"stroke=\"none\""].iter().all(|p| find(&tag, p).is_some());
        match find(&svg.as_bytes()[end..], &tag).filter(|_| background) {
            Some(again) => svg.replace_range(at..end + again, ""),
            None => from = end,
        }
    }
    svg
}
