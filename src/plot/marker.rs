//! Filled point markers: an upward triangle (values above the axis) and the shapes that tell
//! compared curves apart without colour.
//!
//! plotters' `TriangleMarker` places its corners with `sin` and `cos`, which links a second
//! copy of them (and of the argument reduction behind them, 8 KB) into the page's wasm next to
//! the engine's `libm`; every corner here is a fixed fraction of the marker's size.

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// A marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// A triangle pointing up.
    Up,
    /// A round dot (an octagon).
    Round,
    /// A square.
    Square,
    /// A diamond.
    Diamond,
    /// A triangle pointing down.
    Down,
}

/// A filled marker of `shape` at `at`, its corners about `r` pixels from it.
pub(super) struct Triangle<C> {
    at: C,
    r: i32,
    color: RGBAColor,
    shape: Shape,
}

impl<C> Triangle<C> {
    /// A triangle pointing up at `at` (in chart coordinates) with corners `r` pixels from it.
    pub(super) fn new(at: C, r: i32, color: impl Color) -> Self {
        Triangle { at, r, color: color.to_rgba(), shape: Shape::Up }
    }

    /// A marker of `shape` at `at`, about `r` pixels across each way.
    pub(super) fn shaped(at: C, r: i32, color: impl Color, shape: Shape) -> Self {
        Triangle { at, r, color: color.to_rgba(), shape }
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
        let at = |f: f64| (r * f).round() as i32;
        // cos 30° and sin 30° of a triangle's two other corners; cos 22.5° and sin 22.5° of an
        // octagon's; a square's half side that gives it the area of the others.
        let (c30, s30, c22, s22, half) = (at(0.866_025_403_784_438_6), at(0.5), at(0.923_879_532_511_286_7), at(0.382_683_432_365_089_8), at(0.75));
        let k = self.r;
        match self.shape {
            Shape::Up => backend.fill_polygon([(x, y - k), (x + c30, y + s30), (x - c30, y + s30)], &self.color),
            Shape::Down => backend.fill_polygon([(x, y + k), (x + c30, y - s30), (x - c30, y - s30)], &self.color),
            Shape::Square => backend.fill_polygon([(x - half, y - half), (x + half, y - half), (x + half, y + half), (x - half, y + half)], &self.color),
            Shape::Diamond => backend.fill_polygon([(x, y - k), (x + k, y), (x, y + k), (x - k, y)], &self.color),
            Shape::Round => backend.fill_polygon(
                [
                    (x + c22, y - s22),
                    (x + s22, y - c22),
                    (x - s22, y - c22),
                    (x - c22, y - s22),
                    (x - c22, y + s22),
                    (x - s22, y + c22),
                    (x + s22, y + c22),
                    (x + c22, y + s22),
                ],
                &self.color,
            ),
        }
    }
}
