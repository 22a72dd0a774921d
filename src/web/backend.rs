//! One drawing backend type for the browser: a canvas, or an SVG string (the page's SVG export).
//! Every chart function is generic over its backend; giving the page a single type means each
//! chart is compiled once into the wasm instead of once per backend (about 40 KB less).

use plotters::backend::SVGBackend;
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

/// A canvas or an SVG string.
pub enum PageBackend<'a> {
    /// Draws onto a `<canvas>`; its 2-D context also measures text.
    Canvas(CanvasBackend, CanvasRenderingContext2d),
    /// Writes SVG into a string.
    Svg(SVGBackend<'a>),
}

/// Either backend's error, as text.
#[derive(Debug)]
pub struct BackendError(String);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BackendError {}

// A canvas error's text (it names what the browser refused). An SVG string cannot fail to be
// written, and formatting its error type (std::io::Error) would pull every I/O error message
// into the wasm, so that one gets a fixed text.
fn canvas_err<E: std::error::Error + Send + Sync>(e: DrawingErrorKind<E>) -> DrawingErrorKind<BackendError> {
    match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(BackendError(e.to_string())),
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    }
}

fn svg_err<E: std::error::Error + Send + Sync>(e: DrawingErrorKind<E>) -> DrawingErrorKind<BackendError> {
    match e {
        DrawingErrorKind::DrawingError(_) => DrawingErrorKind::DrawingError(BackendError("the SVG could not be written".into())),
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    }
}

type R<T> = Result<T, DrawingErrorKind<BackendError>>;

// Each method hands the call to the backend inside.
macro_rules! both {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            PageBackend::Canvas($b, _) => $call.map_err(canvas_err),
            PageBackend::Svg($b) => $call.map_err(svg_err),
        }
    };
}

impl DrawingBackend for PageBackend<'_> {
    type ErrorType = BackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            PageBackend::Canvas(b, _) => b.get_size(),
            PageBackend::Svg(b) => b.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> R<()> {
        both!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> R<()> {
        both!(self, b => b.present())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> R<()> {
        both!(self, b => b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> R<()> {
        both!(self, b => b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(&mut self, upper_left: BackendCoord, bottom_right: BackendCoord, style: &S, fill: bool) -> R<()> {
        both!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> R<()> {
        both!(self, b => b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> R<()> {
        both!(self, b => b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> R<()> {
        both!(self, b => b.fill_polygon(vert, style))
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> R<()> {
        both!(self, b => b.draw_text(text, style, pos))
    }

    fn estimate_text_size<T: BackendTextStyle>(&self, text: &str, style: &T) -> R<(u32, u32)> {
        match self {
            PageBackend::Canvas(_, ctx) => Ok(measure(ctx, text, style)),
            // The SVG export measures in a canvas of its own.
            PageBackend::Svg(_) => Ok(scratch().map_or((0, 0), |ctx| measure(&ctx, text, style))),
        }
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> R<()> {
        both!(self, b => b.blit_bitmap(pos, size, src))
    }
}

/// A text's size as the page would lay it out: its advance width in the canvas, and the page's
/// line height (1.5 times the font size, style.css) — what plotters' own measure gives for the
/// one-line labels of the charts in the page's fonts (the charts and the SVG export came out
/// the same to the byte in four scenes). That measure adds a `<span>` to the document and reads
/// its size back: a forced layout of the whole page for every label. Measuring in the canvas
/// made the fit panel's redraw 4.0 → 3.1 ms (median), and without the span code the page is
/// 1.3 KB (gzipped) smaller.
fn measure<T: BackendTextStyle>(ctx: &CanvasRenderingContext2d, text: &str, style: &T) -> (u32, u32) {
    if text.is_empty() {
        return (0, 0);
    }
    // The font exactly as plotters-canvas sets it to draw.
    ctx.set_font(&format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str()));
    let width = ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
    (width.round() as u32, (style.size() * 1.5).round() as u32)
}

/// A 2-D context of a canvas outside the page, for measuring the SVG export's text (a new one
/// for each label: an export measures about a hundred, and keeping one would cost more code).
fn scratch() -> Option<CanvasRenderingContext2d> {
    let canvas = web_sys::window()?.document()?.create_element("canvas").ok()?;
    canvas.dyn_into::<web_sys::HtmlCanvasElement>().ok()?.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// A drawing area on a canvas (sized by the caller), or `None` if it has no 2-D context.
pub fn canvas_area(c: web_sys::HtmlCanvasElement) -> Option<DrawingArea<PageBackend<'static>, plotters::coord::Shift>> {
    let ctx = c.get_context("2d").ok().flatten()?.dyn_into::<CanvasRenderingContext2d>().ok()?;
    CanvasBackend::with_canvas_object(c).map(|b| PageBackend::Canvas(b, ctx).into_drawing_area())
}

/// Draws with `draw` into an SVG document of `width` × `height` pixels.
pub fn svg_string(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<PageBackend<'_>, plotters::coord::Shift>) -> Result<(), crate::plot::PlotError>,
) -> Result<String, crate::plot::PlotError> {
    let mut out = String::new();
    {
        let root = PageBackend::Svg(SVGBackend::with_string(&mut out, (width, height))).into_drawing_area();
        draw(&root)?;
        root.present().map_err(|e| crate::plot::PlotError(e.to_string()))?;
    }
    Ok(out)
}
