//! A comparison on the page (`compare=noise:0.1,0.3`): the caption read off the compared
//! curves, the "show as table" view with one column per value, and which value a click on the
//! double-descent panel means.

use super::text::{html_table, shape, Shape, PEAK_RATIO};
use super::Model;
use crate::engine::features::Family;
use crate::engine::sweep::{Axis, SweepResult, SweepRow};
use crate::plot::axes_short as short;
use crate::scene::{Agg, Scene};

/// A peak counts as grown (or shrunk) between the first and last value past this factor.
const MOVES: f64 = 1.5;

fn test_of(row: &SweepRow, agg: Agg) -> f64 {
    match agg {
        Agg::Median => row.test_mse_median,
        Agg::Mean => row.test_mse_mean,
    }
}

/// The peak of a compared value's curve, if it has one: its highest error from half the
/// threshold on, where that is at least [`PEAK_RATIO`] times the lowest error of its U.
pub fn peak_of(sh: &Shape) -> Option<(usize, f64)> {
    let (_, low) = sh.u_min?;
    sh.peak.filter(|(_, v)| *v >= PEAK_RATIO * low)
}

/// "noise 0.1, noise 0.2 and noise 0.3".
fn listed(labels: &[&str]) -> String {
    match labels {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The double-descent panel's caption for a comparison, read off the curves drawn: `compared`
/// is [`Scene::compared`], `results` the sweeps in so far (in the same order).
pub fn caption(scene: &Scene, compared: &[(String, Scene)], results: &[Option<SweepResult>]) -> String {
    let Some(c) = &scene.compare else { return String::new() };
    let agg = if scene.agg == Agg::Median { "the median over trials" } else { "the mean over trials" };
    let sym = if scene.axis == Axis::Size { "p" } else { "n" };
    let mut t = format!(
        "One test-error curve for each value of {} ({agg}); everything else, the seed too, is the same. The thicker curve, with its band of the middle half of trials, is the value whose fit is shown.",
        c.key
    );
    let drawn: Vec<(&str, &Scene, &SweepResult)> = compared.iter().zip(results).filter_map(|((l, s), r)| Some((l.as_str(), s, r.as_ref()?))).collect();
    if drawn.len() < compared.len() {
        t.push_str(&format!(" Computing: {} of {} curves drawn so far.", drawn.len(), compared.len()));
        return t;
    }
    let shapes: Vec<Shape> = drawn.iter().map(|(_, s, r)| shape(s, r)).collect();
    let crosses = drawn.iter().all(|(_, s, _)| s.axis == Axis::Samples || s.max_size >= crate::plot::threshold(s));
    if crosses {
        let ends = (drawn.first().zip(shapes.first()), drawn.last().zip(shapes.last()));
        if let (Some(((l0, ..), s0)), Some(((l1, ..), s1))) = ends {
            match (peak_of(s0), peak_of(s1)) {
                (Some((x0, v0)), Some((x1, v1))) => {
                    let r = v1 / v0;
                    let at = format!("{} at {sym} = {x0} → {} at {sym} = {x1}", short(v0), short(v1));
                    if r >= MOVES {
                        t.push_str(&format!(" The peak grows {}× from {l0} to {l1} ({at}).", short(r)));
                    } else if r <= 1.0 / MOVES {
                        t.push_str(&format!(" The peak shrinks {}× from {l0} to {l1} ({at}).", short(1.0 / r)));
                    } else {
                        t.push_str(&format!(" The peak barely moves from {l0} to {l1} ({at})"));
                        if c.key == "noise" && scene.problem.family == Family::Gaussian {
                            t.push_str(": here the part of the target the model cannot see, not the label noise, makes the peak");
                        }
                        t.push('.');
                    }
                }
                (None, Some((x1, v1))) => {
                    t.push_str(&format!(" From {l0}, with no peak, to {l1}, with a peak of {} at {sym} = {x1}: the peak appears.", short(v1)));
                }
                (Some((x0, v0)), None) => {
                    t.push_str(&format!(" From {l0}, with a peak of {} at {sym} = {x0}, to {l1}, with none: the peak is gone.", short(v0)));
                }
                (None, None) => {}
            }
        }
        let flat: Vec<&str> = drawn.iter().zip(&shapes).filter(|(_, sh)| sh.u_min.is_some() && peak_of(sh).is_none()).map(|((l, ..), _)| *l).collect();
        let peaked = drawn.len() - flat.len();
        if !flat.is_empty() && peaked > 0 {
            t.push_str(&format!(
                " With {} there is no peak: from half the threshold on, test error stays below {}× the lowest error of the U.",
                listed(&flat),
                short(PEAK_RATIO)
            ));
        } else if peaked == 0 && !flat.is_empty() {
            t.push_str(&format!(" No curve has a peak: from half the threshold on, each stays below {}× the lowest error of its U.", short(PEAK_RATIO)));
        }
    }
    // Where each curve ends: the second descent's result.
    let ends: Vec<String> = drawn.iter().filter_map(|(l, _, r)| r.rows.last().map(|row| format!("{} ({l})", short(test_of(row, scene.agg))))).collect();
    if let Some(x) = drawn.first().and_then(|(_, _, r)| r.rows.last()).map(|row| row.x) {
        t.push_str(&format!(" At the largest size, {sym} = {x}: {}.", ends.join(", ")));
    }
    let lowest = drawn
        .iter()
        .flat_map(|(l, _, r)| r.rows.iter().map(move |row| (*l, row.x, test_of(row, scene.agg))))
        .filter(|(.., v)| v.is_finite())
        .min_by(|a, b| a.2.total_cmp(&b.2));
    if let Some((l, x, v)) = lowest {
        t.push_str(&format!(" Lowest test error of all: {} ({l}, {sym} = {x}).", short(v)));
    }
    t
}

/// The double-descent panel's "show as table" view of a comparison: the size, then each
/// value's test error (the statistic drawn) at that size, blank where its sweep has no row.
pub fn table(m: &Model) -> Option<String> {
    let compared = m.scene.compared();
    if compared.is_empty() {
        return None;
    }
    let agg = m.scene.agg;
    // Every size any sweep has, in order (inserted by hand: a sort would cost the page KBs).
    let mut xs: Vec<usize> = Vec::new();
    for x in m.results.iter().flatten().flat_map(|r| r.rows.iter().map(|row| row.x)) {
        let at = xs.partition_point(|v| *v < x);
        if xs.get(at) != Some(&x) {
            xs.insert(at, x);
        }
    }
    let sym = if m.scene.axis == Axis::Size { "p" } else { "n" };
    let mut head = vec![sym.to_string()];
    head.extend(compared.iter().map(|(l, _)| l.clone()));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let rows = xs.iter().map(|x| {
        let mut row = vec![x.to_string()];
        for r in m.results.iter().take(compared.len()) {
            let v = r.as_ref().and_then(|r| r.rows.iter().find(|row| row.x == *x)).map(|row| short(test_of(row, agg)));
            row.push(v.unwrap_or_default());
        }
        row
    });
    let what = if agg == Agg::Median { "median" } else { "mean" };
    Some(html_table(&format!("Test error ({what} over trials) of each compared value at every size"), &head, rows))
}

/// The compared value whose legend entry the pixel (`px`, `py`) on the double-descent panel is
/// on: the legend lists a heading, then each curve drawn in the comparison's order.
pub fn legend_entry_at(m: &Model, px: f64, py: f64) -> Option<usize> {
    let g = m.geom_dd?;
    let ((l, t, r, b), (top, line)) = (g.legend?, g.legend_rows?);
    if px < f64::from(l) || px > f64::from(r) || py < f64::from(t) || py > f64::from(b) || line <= 0 {
        return None;
    }
    let row = ((py - f64::from(top)) / f64::from(line)).floor();
    if row < 1.0 {
        return None;
    }
    let compared = m.scene.compared();
    let (curves, _) = m.drawn_curves(&compared);
    curves.get(row as usize - 1).map(|c| c.index)
}

/// The compared value whose curve passes within `tol` device pixels (vertically) of the pixel
/// (`px`, `py`) on the double-descent panel, the nearest if several; `None` off every curve.
pub fn curve_at(m: &Model, px: f64, py: f64, tol: f64) -> Option<usize> {
    let g = m.geom_dd?;
    if px < g.left as f64 || px > g.right as f64 || py < g.top as f64 || py > g.bottom as f64 {
        return None;
    }
    let (xu, _) = g.point_at(px, py);
    let compared = m.scene.compared();
    let agg = m.scene.agg;
    let mut best: Option<(usize, f64)> = None;
    for (i, ((_, s), r)) in compared.iter().zip(&m.results).enumerate() {
        let Some(r) = r else { continue };
        let n = s.problem.train_n() as f64;
        let unit = |x: usize| {
            let v = if m.scene.ratio && s.axis == Axis::Size { x as f64 / n } else { x as f64 };
            if g.log_x {
                v.max(1e-300).log10()
            } else {
                v
            }
        };
        let Some(row) = r.rows.iter().min_by(|a, b| (unit(a.x) - xu).abs().total_cmp(&(unit(b.x) - xu).abs())) else { continue };
        let v = test_of(row, agg);
        let yu = if m.scene.log_y { v.max(1e-300).log10() } else { v };
        if !yu.is_finite() {
            continue;
        }
        let (_, y) = g.pixel_of(xu, yu.clamp(g.y0.min(g.y1), g.y0.max(g.y1)));
        let d = (y - py).abs();
        if d <= tol && best.is_none_or(|(_, b)| d < b) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}
