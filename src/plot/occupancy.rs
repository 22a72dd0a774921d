//! Where a chart's curves, bands, points and labels pass, on a grid of cells: the legend's map
//! of the places it may take without covering data.

/// Which cells of a plotting area's pixels (in cells of [`CELL`] pixels) the curves, points and
/// labels pass through, summed so that any rectangle's count costs four lookups.
pub(super) struct Occupancy {
    cols: usize,
    rows: usize,
    /// (rows + 1) × (cols + 1) running sums.
    sums: Vec<u32>,
}

/// The side of an [`Occupancy`] cell, in device pixels.
pub(super) const CELL: f64 = 3.0;

impl Occupancy {
    pub(super) fn new((w, h): (u32, u32), paths: &[Vec<(f64, f64)>]) -> Occupancy {
        let cols = (f64::from(w) / CELL).ceil() as usize + 1;
        let rows = (f64::from(h) / CELL).ceil() as usize + 1;
        let mut hit = vec![0u32; cols * rows];
        let mut mark = |(x, y): (f64, f64)| {
            if x >= 0.0 && y >= 0.0 && x <= f64::from(w) && y <= f64::from(h) {
                hit[(y / CELL) as usize * cols + (x / CELL) as usize] = 1;
            }
        };
        for px in paths {
            if let [single] = px[..] {
                mark(single);
            }
            for s in px.windows(2) {
                let (a, b) = (s[0], s[1]);
                let steps = (((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt() / (CELL / 2.0)).ceil().clamp(1.0, 4096.0) as usize;
                for k in 0..=steps {
                    let t = k as f64 / steps as f64;
                    mark((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
        }
        let mut sums = vec![0u32; (cols + 1) * (rows + 1)];
        for r in 0..rows {
            for c in 0..cols {
                sums[(r + 1) * (cols + 1) + c + 1] =
                    hit[r * cols + c] + sums[r * (cols + 1) + c + 1] + sums[(r + 1) * (cols + 1) + c] - sums[r * (cols + 1) + c];
            }
        }
        Occupancy { cols, rows, sums }
    }

    /// Cells passed through inside the rectangle (left, top, right, bottom), in pixels.
    pub(super) fn count(&self, (l, t, r, b): (i32, i32, i32, i32)) -> usize {
        let cell = |v: i32, n: usize| ((f64::from(v.max(0)) / CELL) as usize).min(n);
        let (c0, c1) = (cell(l, self.cols), cell(r, self.cols - 1) + 1);
        let (r0, r1) = (cell(t, self.rows), cell(b, self.rows - 1) + 1);
        if c1 <= c0 || r1 <= r0 {
            return 0;
        }
        let at = |r: usize, c: usize| self.sums[r * (self.cols + 1) + c];
        (at(r1, c1) + at(r0, c0) - at(r0, c1) - at(r1, c0)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rectangle_counts_the_cells_a_path_passes_through_inside_it_and_no_others() {
        // A horizontal line at y = 10 from x = 0 to 60.
        let o = Occupancy::new((100, 50), &[vec![(0.0, 10.0), (60.0, 10.0)]]);
        assert!(o.count((0, 0, 30, 20)) > 0);
        assert_eq!(o.count((70, 0, 99, 49)), 0, "right of the line's end");
        assert_eq!(o.count((0, 20, 99, 49)), 0, "under the line");
    }
}
