//! Axis ranges and transforms shared by the charts.
//!
//! Log axes are drawn as linear axes of log10(value) with labels 10ᵏ, so one code path serves
//! both scales.

/// Where a chart's plotting area lies, to map a pointer position back to the x value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geom {
    /// Left edge of the plotting area, in pixels of the drawing area.
    pub left: i32,
    /// Right edge.
    pub right: i32,
    /// Top edge.
    pub top: i32,
    /// Bottom edge.
    pub bottom: i32,
    /// x value at the left edge.
    pub x0: f64,
    /// x value at the right edge.
    pub x1: f64,
    /// Whether x0, x1 are log10 of the values (a logarithmic x-axis).
    pub log_x: bool,
    /// y value at the bottom edge (linear y-axes; the fit panel).
    pub y0: f64,
    /// y value at the top edge.
    pub y1: f64,
    /// The legend's box on the plot (left, top, right, bottom, in pixels of the drawing area),
    /// if it is on the plot: the page keeps its size cursor out of it.
    pub legend: Option<(i32, i32, i32, i32)>,
    /// Where the legend's entries lie in its box: the first entry's top and the height of an
    /// entry (pixels of the drawing area), for the page to tell which entry a press is on.
    pub legend_rows: Option<(i32, i32)>,
}

impl Geom {
    /// The x value under pixel column `px` (clamped to the axis range).
    pub fn x_at(&self, px: f64) -> f64 {
        let w = (self.right - self.left).max(1) as f64;
        let t = ((px - self.left as f64) / w).clamp(0.0, 1.0);
        let u = self.x0 + t * (self.x1 - self.x0);
        if self.log_x {
            10f64.powf(u)
        } else {
            u
        }
    }

    /// The (x, y) data point under pixel (`px`, `py`) of a linear chart, unclamped.
    pub fn point_at(&self, px: f64, py: f64) -> (f64, f64) {
        let w = (self.right - self.left).max(1) as f64;
        let h = (self.bottom - self.top).max(1) as f64;
        let x = self.x0 + (px - self.left as f64) / w * (self.x1 - self.x0);
        let y = self.y1 - (py - self.top as f64) / h * (self.y1 - self.y0);
        (x, y)
    }

    /// The pixel of data point (x, y) on a linear chart.
    pub fn pixel_of(&self, x: f64, y: f64) -> (f64, f64) {
        let w = (self.right - self.left) as f64;
        let h = (self.bottom - self.top) as f64;
        (self.left as f64 + (x - self.x0) / (self.x1 - self.x0) * w, self.top as f64 + (self.y1 - y) / (self.y1 - self.y0) * h)
    }

    /// The pixel column of x value `x`.
    pub fn px_of(&self, x: f64) -> f64 {
        let u = if self.log_x { x.max(1e-300).log10() } else { x };
        let t = if self.x1 > self.x0 { (u - self.x0) / (self.x1 - self.x0) } else { 0.0 };
        self.left as f64 + t * (self.right - self.left) as f64
    }
}

/// A value axis: linear, or log10 of the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YAxis {
    /// Whether values are drawn as log10.
    pub log: bool,
    /// Bottom, in axis units (log10 for a log axis).
    pub lo: f64,
    /// Top, in axis units.
    pub hi: f64,
}

impl YAxis {
    /// Chooses a range for `values` (non-finite and, on a log axis, non-positive ones ignored).
    /// The top is capped at `cap` (in value units); values above it are drawn on the top edge.
    pub fn fit(values: &[f64], log: bool, cap: f64) -> YAxis {
        let usable: Vec<f64> = values.iter().copied().filter(|v| v.is_finite() && (!log || *v > 0.0)).collect();
        if usable.is_empty() {
            return if log { YAxis { log, lo: -3.0, hi: 0.0 } } else { YAxis { log, lo: 0.0, hi: 1.0 } };
        }
        let min = usable.iter().copied().fold(f64::INFINITY, f64::min);
        let max = usable.iter().copied().fold(f64::NEG_INFINITY, f64::max).min(if cap.is_finite() && cap > 0.0 { cap } else { f64::INFINITY });
        if log {
            let lo = min.max(1e-300).log10().floor();
            let mut hi = max.max(min).log10().ceil();
            if hi <= lo {
                hi = lo + 1.0;
            }
            YAxis { log, lo, hi }
        } else {
            let lo = min.min(0.0);
            let hi = if max > lo { max * 1.05 } else { lo + 1.0 };
            YAxis { log, lo, hi }
        }
    }

    /// A value in axis units, clamped into the range (`None` for non-finite or, on a log axis,
    /// non-positive values that cannot be placed).
    pub fn place(&self, v: f64) -> Option<f64> {
        if v.is_nan() {
            return None;
        }
        let a = if self.log {
            if v <= 0.0 {
                return Some(self.lo);
            }
            if v.is_infinite() {
                return Some(self.hi);
            }
            v.log10()
        } else if v.is_infinite() {
            if v > 0.0 {
                self.hi
            } else {
                self.lo
            }
        } else {
            v
        };
        Some(a.clamp(self.lo, self.hi))
    }

    /// Whether a value lies above the top of the axis.
    pub fn above(&self, v: f64) -> bool {
        if v.is_nan() {
            return false;
        }
        if self.log {
            v > 0.0 && (v.is_infinite() || v.log10() > self.hi + 1e-9)
        } else {
            v > self.hi
        }
    }

    /// How many tick labels to ask for.
    pub fn ticks(&self) -> usize {
        if self.log {
            let decades = (self.hi - self.lo).round() as usize;
            // Every decade up to 8, then every other one.
            if decades <= 8 {
                decades + 1
            } else {
                decades / 2 + 1
            }
        } else {
            6
        }
    }

    /// The label of a tick at axis value `a`.
    pub fn label(&self, a: f64) -> String {
        if self.log {
            if (a - a.round()).abs() > 1e-6 {
                return String::new();
            }
            pow10(a.round() as i32)
        } else {
            tick(a, self.hi - self.lo)
        }
    }
}

/// 10 to an integer power, written 10ᵏ (1, 10 and 0.1 written out).
pub fn pow10(k: i32) -> String {
    match k {
        0 => "1".into(),
        1 => "10".into(),
        -1 => "0.1".into(),
        _ => {
            const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
            let mut s = String::from("10");
            if k < 0 {
                s.push('⁻');
            }
            for d in k.unsigned_abs().to_string().chars() {
                s.push(SUP[d.to_digit(10).unwrap_or(0) as usize]);
            }
            s
        }
    }
}

/// A tick label of a log10 axis value: 10^u to one significant digit (1, 3, 10, 30, …).
pub fn log_tick(u: f64) -> String {
    let v = 10f64.powf(u);
    let e = v.log10().floor();
    let m = (v / 10f64.powf(e)).round() * 10f64.powf(e);
    short(m)
}

/// A tick label of a linear axis spanning `span`: a tick at zero can come out as ±1e-17, and
/// is written 0.
pub fn tick(v: f64, span: f64) -> String {
    short(if v.abs() < 1e-9 * span { 0.0 } else { v })
}

/// A compact number for labels and readouts: 3 significant digits, exponent form outside
/// 1e-3..1e4.
pub fn short(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return if v.is_nan() {
            "–".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = v.abs();
    if (1e-3..1e4).contains(&a) {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let e = a.log10().floor() as i32;
        // 10^e underflows to 0 below 1e-308: scale up first there.
        let m = if e < -300 { (v * 1e300) / 10f64.powi(e + 300) } else { v / 10f64.powi(e) };
        format!("{m:.2}e{e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_caps_the_range_and_marks_values_above_it() {
        let ax = YAxis::fit(&[1e-3, 0.02, 5.0, 1e21], true, 100.0);
        assert_eq!((ax.lo, ax.hi), (-3.0, 2.0));
        assert!(ax.above(1e21) && !ax.above(5.0));
        assert_eq!(ax.place(1e21), Some(2.0));
        assert_eq!(ax.place(0.0), Some(-3.0));
    }

    #[test]
    fn labels_are_short_and_readable() {
        assert_eq!(pow10(-3), "10⁻³");
        assert_eq!(pow10(12), "10¹²");
        assert_eq!(short(0.0078812), "0.00788");
        assert_eq!(short(1.6e21), "1.60e21");
        assert_eq!(short(12.5), "12.5");
        assert_eq!(short(f64::INFINITY), "∞");
    }

    #[test]
    fn geometry_maps_pixels_back_to_values() {
        let g = Geom { left: 100, right: 300, top: 0, bottom: 10, x0: 1.0, x1: 601.0, log_x: false, y0: -2.0, y1: 2.0, legend: None, legend_rows: None };
        assert_eq!(g.point_at(200.0, 5.0), (301.0, 0.0));
        assert_eq!(g.pixel_of(301.0, 2.0), (200.0, 0.0));
        assert_eq!(g.x_at(100.0), 1.0);
        assert_eq!(g.x_at(200.0), 301.0);
        assert_eq!(g.x_at(1000.0), 601.0);
        assert_eq!(g.px_of(301.0), 200.0);
        let l = Geom { log_x: true, x0: 0.0, x1: 2.0, ..g };
        assert!((l.x_at(200.0) - 10.0).abs() < 1e-9);
        assert!((l.px_of(100.0) - 300.0).abs() < 1e-9);
    }
}
