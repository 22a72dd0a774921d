//! An upward filled triangle marker.
//!
//! plotters' `TriangleMarker` places its corners with `sin` and `cos`, which links a second
//! copy of them (and of the argument reduction behind them, 8 KB) into the page's wasm next to
//! the engine's `libm`; the corners of an upward triangle are fixed fractions of its size.

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// A filled triangle pointing up, its corners `r` pixels from `at`.
pub(super) struct Triangle<C> {
    at: C,
    r: i32,
    color: RGBAColor,
}

impl<C> Triangle<C> {
    /// A triangle at `at` (in chart coordinates) with corners `r` pixels from it.
    pub(super) fn new(at: C, r: i32, color: impl Color) -> Self {
        Triangle { at, r, color: color.to_rgba() }
    }
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Triangle<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Triangle<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(&self, mut points: I, backend: &mut DB, _: (u32, u32)) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = points.next() else { return Ok(()) };
        let r = f64::from(self.r);
        // cos 30° and sin 30° of the two lower corners.
        let (dx, dy) = ((r * 0.866_025_403_784_438_6).round() as i32, (r * 0.5).round() as i32);
        backend.fill_polygon([(x, y - self.r), (x + dx, y + dy), (x - dx, y + dy)], &self.color)
    }
}
