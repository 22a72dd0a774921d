//! The page's words, computed from the scene and the numbers drawn: captions, the readout, the
//! charts' text alternatives, the tour bar and the "show as table" views. Pure functions, so
//! what they claim is tested like the numbers.

use super::presets::TOUR;
use super::Model;
use crate::engine::features::Family;
use crate::engine::sweep::{Axis, SweepResult, SweepRow};
use crate::plot::axes_short as short;
use crate::scene::{Agg, Scene};

/// The three captions under the panels.
#[derive(Debug, Clone, PartialEq)]
pub struct Captions {
    /// Under the fit panel.
    pub fit: String,
    /// Under the textbook U.
    pub u: String,
    /// Under the double-descent panel.
    pub dd: String,
}

/// What the curves show, read off the numbers drawn (the statistic drawn: median or mean).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The lowest test error below the threshold and its size.
    pub u_min: Option<(usize, f64)>,
    /// Where the U's minimum lies among the sizes below the threshold: at the first, the last,
    /// or between (a U).
    pub u_kind: UKind,
    /// The highest test error at or past half the threshold, and its size.
    pub peak: Option<(usize, f64)>,
    /// The error at the largest size.
    pub last: Option<(usize, f64)>,
}

/// Where the lowest error below the threshold lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UKind {
    /// At the smallest size: test error only rises.
    Rises,
    /// At the last size below the threshold: test error only falls.
    Falls,
    /// In between: the classical U.
    U,
    /// Too few sizes to tell.
    Unknown,
}

/// A peak counts when it is this many times the U's lowest error.
pub const PEAK_RATIO: f64 = 2.0;

/// Reads the shape of the curves drawn off a sweep's numbers.
pub fn shape(scene: &Scene, r: &SweepResult) -> Shape {
    shape_with(scene, r, crate::plot::u_minimum(r, scene))
}

/// Where the U panel's own test curve (the statistic it decomposes) is lowest, and so whether
/// it draws a U.
pub fn u_panel_shape(scene: &Scene, r: &SweepResult) -> (UKind, Option<(usize, f64)>) {
    let sh = shape_with(scene, r, crate::plot::u_panel_minimum(r, scene));
    (sh.u_kind, sh.u_min)
}

fn shape_with(scene: &Scene, r: &SweepResult, u_min: Option<(usize, f64)>) -> Shape {
    let val = |row: &SweepRow| if scene.agg == Agg::Median { row.test_mse_median } else { row.test_mse_mean };
    let t = crate::plot::threshold(scene);
    let below: Vec<usize> = r.rows.iter().filter(|row| scene.axis == Axis::Samples || row.x + 2 < t).map(|row| row.x).collect();
    let u_kind = match (u_min, below.first(), below.last()) {
        (Some((x, _)), Some(first), Some(last)) if below.len() >= 3 => {
            if x == *first {
                UKind::Rises
            } else if x == *last {
                UKind::Falls
            } else {
                UKind::U
            }
        }
        _ => UKind::Unknown,
    };
    let peak = r.rows.iter().filter(|row| 2 * row.x >= t).map(|row| (row.x, val(row))).filter(|(_, v)| !v.is_nan()).max_by(|a, b| a.1.total_cmp(&b.1));
    let last = r.rows.last().map(|row| (row.x, val(row)));
    Shape { u_min, u_kind, peak, last }
}

/// The captions of a scene; with its sweep's numbers, each says only what they show.
pub fn captions(scene: &Scene, result: Option<&SweepResult>) -> Captions {
    let own = scene.problem.data.is_some();
    let gaussian = scene.problem.family == Family::Gaussian;
    let agg = if scene.agg == Agg::Median {
        "the median over trials (the band holds the middle half of them)"
    } else {
        "the mean over trials, which rare blown-up trials dominate near the threshold"
    };
    let err = if own { "held-out error" } else { "test error" };
    let shape = result.map(|r| shape(scene, r));
    let n = crate::plot::threshold(scene);
    let dd = match scene.axis {
        Axis::Size if scene.max_size < n => format!(
            "The sweep stops at p = {} before the interpolation threshold p = n = {n}: only the classical regime is drawn. Raise max size past {n} to see the threshold and beyond. Curves show {agg}.",
            scene.max_size
        ),
        Axis::Size => {
            let mut t = format!("The same sweep carried past the interpolation threshold p = n = {n} (dashed line), where the model can just fit every training point.");
            if let Some(sh) = &shape {
                t.push_str(&peak_sentence(sh, err, "p", scene.problem.ridge, ("the lowest error of the U", "the bottom of the U")));
            }
            t.push_str(&format!(" Shaded: the region of the textbook U. Curves show {agg}."));
            if gaussian {
                t.push_str(" The dashed black curve is the exact expected risk (a mean). Test error here is the excess risk, without the label noise σ², which train error includes: so train error can lie above it.");
            } else if scene.problem.family == Family::Relu && scene.problem.ridge == 0.0 && shape.as_ref().and_then(|s| s.peak).is_some_and(|(x, _)| x > n) {
                t.push_str(&format!(" With ReLU features, kinks in the same gap between two training points add nothing new: the model fits every training point only well past p = n, so {err} peaks to the right of the dashed line."));
            }
            t
        }
        Axis::Samples => {
            let mut t = format!("Sample-wise double descent: test error against the number of training points n at a fixed model size p = {n}.");
            if let Some(sh) = &shape {
                t.push_str(&peak_sentence(sh, err, "n", scene.problem.ridge, ("the lowest error before it", "the lowest error before the peak")));
            }
            t.push_str(&format!(" Curves show {agg}."));
            t
        }
    };
    // The U panel decomposes the middle half of the trials with the median (where it was kept),
    // all of them with the mean: its caption reads its own curve.
    let middle = result.is_some_and(|r| r.rows.iter().any(|row| crate::plot::decomposition(row, scene.agg).middle));
    let decomposition = if middle {
        "Drawn here: the middle half of the trials (the quarter with the lowest and the quarter with the highest test error left out), whose bias² and variance add up to their mean test error — the few trials that blow up between far-apart points would swamp a mean of all of them."
    } else {
        "Bias² and variance are computed across trials and add up to the mean test error drawn here."
    };
    let u_shape = result.map(|r| u_panel_shape(scene, r));
    let u = if own {
        let trend = match shape.as_ref().map(|s| s.u_kind) {
            Some(UKind::U) => "first falls and then rises — the classical U",
            Some(UKind::Rises) => "only rises with size: the smallest model is best here, there is no U",
            Some(UKind::Falls) => "falls all the way to the threshold: no rise before it",
            _ => "is drawn against size",
        };
        format!("Below the threshold: train error falls as the model grows while the error on held-out points {trend}. Bias² and variance need the noiseless target, which your own data does not have, so they are not shown.")
    } else if scene.axis == Axis::Samples {
        format!("Test error with its bias² and variance against the number of training points at the fixed model size. {decomposition}")
    } else {
        match u_shape {
            Some((UKind::U, Some((x, _)))) => format!("The textbook picture below the threshold: train error falls as the model grows; test error first falls and then rises, lowest at p = {x} — the classical U. {decomposition}"),
            Some((UKind::Rises, _)) if scene.problem.family == Family::Fourier => format!("Below the threshold: train error falls as the model grows. Random Fourier features of high frequency fit little with few features, so test error only rises here: the classical U wants smoother features (a lower bandwidth, which makes the interpolant explode past the threshold, or legendre). {decomposition}"),
            Some((UKind::Rises, _)) if gaussian => format!("Below the threshold test error only rises with size: each weak feature adds more variance than signal, so the smallest model is best and there is no classical U. {decomposition}"),
            Some((UKind::Rises, _)) => format!("Below the threshold test error only rises with size: the smallest model is best and there is no classical U here. {decomposition}"),
            Some((UKind::Falls, _)) => format!("Below the threshold test error falls all the way to the threshold: the model is still too small to overfit, so no U rises here. {decomposition}"),
            _ => format!("Below the threshold: train error falls as the model grows, and test error is drawn with its bias² and variance. {decomposition}"),
        }
    };
    // The time cursor of the training panel: the model drawn is the one on its way there.
    let how = if scene.training.flow { "gradient flow" } else { "gradient descent" };
    let at = (scene.time > 0 && scene.shows_panel("training"))
        .then(|| format!("after {} steps of {how} (the time cursor of panel 4; Esc there shows the end)", scene.time));
    let fit = if gaussian {
        let what = at.map_or("fitted at the selected size".into(), |a| format!("of the model {a}"));
        format!("Dashed black: the true coefficients β* of the inputs (the model sees only the first p of them). Vermillion dots: the coefficients β̂ {what}. Hover or drag along either error plot to choose the size.")
    } else {
        let model = at.map_or("the fitted model of the selected size".into(), |a| format!("the model {a}"));
        if own {
            format!("Blue dots: your training points. Orange triangles: the held-out points the model never saw; the error on them is the test error. Vermillion: {model}. Click the panel to add a point, drag one to move it, double-click (double-tap) or shift-click to delete it.")
        } else {
            format!("Blue dots: the training points. Dashed black: the noiseless target they come from. Vermillion: {model}. Orange triangles: fresh points the model never saw — a good model passes near them too. Hover or drag along either error plot to choose the size.")
        }
    };
    Captions { fit, u, dd }
}

/// The captions of a digits scene's curve panels: the squared loss (double-descent panel) and
/// the classification error (in the U panel's place) read off the numbers drawn (the fit
/// panel's is [`digits_caption`]). The lazily loaded module writes them: the page's own module
/// carries none of the digits' words.
pub fn digits_captions(scene: &Scene, result: Option<&SweepResult>) -> Captions {
    let n = crate::plot::threshold(scene);
    let samples = scene.axis == Axis::Samples;
    let digits = scene.source != crate::scene::Source::Table;
    // A table's words: its rows, columns and classes (the digits': images, pixels and digits).
    let (rows, columns) = if digits { ("images", "pixels") } else { ("rows", "columns") };
    let outputs = if digits { 10 } else { scene.table.as_ref().map_or(1, |t| t.outputs()) };
    let classes = digits || scene.table.as_ref().is_some_and(|t| t.is_classes());
    // The plain linear model's features are the columns (pixels) themselves.
    let feats =
        if scene.problem.family == crate::engine::features::Family::Linear { format!("{columns} (the plain linear model)") } else { "random features".into() };
    let (sym, along, last) = if samples {
        ("n", format!("the number of training {rows} n at p = {n} {feats}"), scene.problem.n)
    } else {
        ("p", format!("the number of {feats} p, at n = {n} training {rows}"), scene.max_size)
    };
    let agg = if scene.agg == Agg::Median { "the median over trials, with the middle half of them shaded" } else { "the mean over trials" };
    // The threshold's dashed line is drawn only where the axis reaches it.
    let line = if n <= last {
        format!("dashed: the interpolation threshold {sym} = {n}")
    } else {
        format!("the interpolation threshold {sym} = {n} lies past the largest {sym} drawn, {last}: out of reach here")
    };
    let loss = if outputs > 1 { format!("Squared loss over the {outputs} outputs (one a class)") } else { "Squared error".into() };
    let loss = if digits { "Squared loss over the ten outputs".into() } else { loss };
    let mut dd = format!("{loss} on held-out {rows} against {along}; {line}.");
    if let Some(sh) = result.map(|r| shape(scene, r)) {
        dd.push_str(&peak_sentence(&sh, "held-out loss", sym, scene.problem.ridge, ("the lowest loss well before it", "that lowest loss")));
    }
    dd.push_str(&format!(" Curves show {agg}."));
    if !classes {
        // A table of numbers to predict: panel 2 is its classical regime.
        let at = if samples {
            format!("the numbers of training rows above the threshold n = p = {n}")
        } else {
            format!("the sizes below the threshold p = n = {n}")
        };
        let u = format!("The classical regime: held-out and training error at {at}, where a U can show. Curves show {agg}.");
        return Captions { fit: String::new(), u, dd };
    }
    let class = if digits { "digit" } else { "class" };
    let mut u = format!("Classification error: the share of held-out {rows} whose largest output is not their {class}, against {sym}.");
    let val = |row: &SweepRow| if scene.agg == Agg::Median { row.extra_median } else { row.extra_mean };
    if let Some(rows) = result.map(|r| &r.rows) {
        let best = |keep: &dyn Fn(usize) -> bool| rows.iter().filter(|r| keep(r.x)).filter_map(|r| Some((r.x, val(r)?))).min_by(|a, b| a.1.total_cmp(&b.1));
        // Near the threshold: from 0.7n (where "well before" ends) to 1.5n.
        let peak = rows.iter().filter(|r| 10 * r.x >= 7 * n && 2 * r.x <= 3 * n).filter_map(|r| Some((r.x, val(r)?))).max_by(|a, b| a.1.total_cmp(&b.1));
        let pct = |v: f64| format!("{:.0} %", 100.0 * v);
        if let (Some((bx, bv)), Some((px, pv))) = (best(&|x| 10 * x < 7 * n), peak) {
            u.push_str(&format!(" Lowest well before the threshold: {} at {sym} = {bx}; highest near it: {} at {sym} = {px}", pct(bv), pct(pv)));
            match rows.last().and_then(|r| Some((r.x, val(r)?))) {
                Some((lx, lv)) if lx > px => u.push_str(&format!("; at {sym} = {lx}: {}.", pct(lv))),
                _ => u.push('.'),
            }
        }
    }
    if digits {
        u.push_str(" Digits: E. Alpaydin and C. Kaynak, UCI (CC BY 4.0).");
    }
    Captions { fit: String::new(), u, dd }
}

/// The digit grid's caption: what it shows of the model at the selected point (`title`: its
/// size and training images), the classification error there over the trials in so far (`at`:
/// the value and how many trials, as the classification error panel draws it), and of the first
/// trial's held-out images the share guessed wrong per digit and the commonest mistake.
pub fn digits_caption(scene: &Scene, shown: usize, wrong: usize, at: Option<(f64, usize)>, title: &crate::plot::DigitsTitle) -> String {
    let over = at.map(|(v, k)| format!(" Over the {k} trials in, {:.0} % of the held-out images are guessed wrong here.", 100.0 * v)).unwrap_or_default();
    let per: Vec<String> =
        title.per_digit.iter().enumerate().filter(|(_, d)| d.1 > 0).map(|(k, d)| format!("{k}: {:.0} %", 100.0 * d.0 as f64 / d.1 as f64)).collect();
    let worst = title.confused.map(|((g, l), c)| format!("; the commonest mistake: {l} taken for {g}, {c} times")).unwrap_or_default();
    let other = if scene.axis == Axis::Samples { "numbers of training images" } else { "sizes" };
    format!(
        "{shown} held-out digits of the first trial, with the guess of the model of size p = {} trained on n = {} images under each: {wrong} wrong, framed in red and marked ✗ with the true digit.{over} Wrong per digit, of the first trial's {} held-out images: {}{worst}. Move along the curves to see the guesses at other {other}.",
        title.size,
        title.n,
        title.test,
        per.join(", ")
    )
}

/// Whether point `x` of a scene's sweep is in its classical regime, the part panel 2 shows of a
/// table of numbers: sizes below the threshold p = n, or in the sample-wise view numbers of
/// training rows above it (n > p).
pub fn classical(scene: &Scene, x: usize) -> bool {
    let t = crate::plot::threshold(scene);
    if scene.axis == Axis::Samples {
        x > t
    } else {
        x < t
    }
}

/// The classification error panel's "show as table" view: its numbers at every point (for a
/// table of numbers to predict, panel 2's classical regime: its held-out error below the
/// threshold).
pub fn digits_table(scene: &Scene, r: &SweepResult) -> String {
    let x = if scene.axis == Axis::Samples { "n" } else { "p" };
    if r.extra != crate::engine::summary::Extra::Class {
        let head = [x, "median held-out error", "lower quartile", "upper quartile", "mean", "median training error"];
        let rows = r.rows.iter().filter(|row| classical(scene, row.x));
        return html_table(
            "Errors below the threshold",
            &head,
            rows.map(|row| {
                vec![
                    row.x.to_string(),
                    short(row.test_mse_median),
                    short(row.test_mse_q25),
                    short(row.test_mse_q75),
                    short(row.test_mse_mean),
                    short(row.train_mse_median),
                ]
            }),
        );
    }
    let pct = |v: Option<f64>| v.map(|v| format!("{:.1}", 100.0 * v)).unwrap_or_default();
    let head = [x, "median classification error (%)", "lower quartile", "upper quartile", "mean"];
    html_table(
        "Classification error on held-out images",
        &head,
        r.rows.iter().map(|row| vec![row.x.to_string(), pct(row.extra_median), pct(row.extra_q25), pct(row.extra_q75), pct(row.extra_mean)]),
    )
}

/// What the double-descent curve does at and past the threshold, from its numbers; `low` names
/// the lowest error before the threshold, and its bottom.
fn peak_sentence(sh: &Shape, err: &str, sym: &str, ridge: f64, low: (&str, &str)) -> String {
    let (Some((px, pv)), Some((_, uv))) = (sh.peak, sh.u_min) else { return String::new() };
    if !(pv.is_finite() || pv.is_infinite()) || uv <= 0.0 {
        return String::new();
    }
    let ratio = pv / uv;
    if ratio < PEAK_RATIO {
        let why = if ridge > 0.0 { format!(" (ridge λ = {} keeps the fit tame)", short(ridge)) } else { String::new() };
        return format!(" There is no peak at the threshold here{why}: {err} stays within {}× {}.", short(ratio.max(1.0)), low.0);
    }
    let mut t = format!(" {} peaks at {sym} = {px}, {}× {}", capitalized(err), short(ratio), low.0);
    match sh.last {
        Some((lx, lv)) if lx > px && lv < pv / PEAK_RATIO => {
            let versus = if lv < uv { "below" } else { "above" };
            t.push_str(&format!(", then falls again — double descent — to {} at {sym} = {lx}, {versus} {}.", short(lv), low.1));
        }
        Some((lx, _)) if lx > px => t.push_str(&format!(", and stays high up to {sym} = {lx}.")),
        _ => t.push('.'),
    }
    t
}

/// `s` with its first letter in capitals (ASCII only: Unicode's case tables would add 14 KB to
/// the page for words that are all ASCII).
pub(crate) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect()).unwrap_or_default()
}

/// Which data is in use and how test error is measured.
pub fn data_mode(scene: &Scene) -> String {
    match &scene.problem.data {
        Some(d) => scene.problem.eval.describe(d.x.len(), scene.problem.folds),
        None => format!(
            "Generated data: {} noisy points from the target, and test error on {} fresh points. Press “Edit these points” on the fit panel, paste a CSV or upload one to use your own.",
            scene.problem.n, scene.problem.test
        ),
    }
}

/// The tour bar's count and caption, when a tour is on.
pub fn tour_bar(scene: &Scene) -> Option<(String, &'static str)> {
    if scene.tour == 0 {
        return None;
    }
    let step = scene.step.clamp(1, TOUR.len());
    Some((format!("step {step} of {}", TOUR.len()), TOUR[step - 1].1))
}

/// The readout of the selection: names and values (the values `None` until the sweep has a row).
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    /// "p" or "n".
    pub x_name: &'static str,
    /// "test error" or "held-out error".
    pub test_name: &'static str,
    /// The selected x.
    pub x: usize,
    /// p/n of the selection.
    pub ratio: String,
    /// "median" or "mean".
    pub agg: &'static str,
    /// (element id, value) of train error, test error, bias², variance, norm and the mean test
    /// error (which bias² and variance add up to).
    pub values: Option<[(&'static str, f64); 6]>,
    /// Whether bias² and variance can be shown (the noiseless target is known).
    pub decomposed: bool,
    /// How the mean test error and bias² + variance compare: "=" where both come from the same
    /// test points, "≈" for the gaussian family, whose test error is the exact risk and whose
    /// bias² and variance are estimated on sampled test inputs.
    pub relation: &'static str,
    /// Which trials the decomposition is of: "middle half of trials:" (with the median, below
    /// the threshold) or "mean" (all of them).
    pub decomposed_name: &'static str,
    /// The compared value shown (`noise 0.3`), empty without a comparison.
    pub value: String,
}

/// The readout of the model's selection.
pub fn readout(m: &Model) -> Readout {
    let shown = m.shown();
    let scene: &Scene = &shown;
    let n = scene.problem.train_n() as f64;
    let ratio = match scene.axis {
        Axis::Size => m.selected as f64 / n,
        Axis::Samples => scene.size as f64 / m.selected.max(1) as f64,
    };
    let row = m.row_at(m.selected);
    // The decomposition the U panel draws (the middle half with the median), else the mean's.
    let parts = row.map(|row| match crate::plot::decomposition(row, scene.agg) {
        d if d.middle => d,
        _ => crate::plot::decomposition(row, Agg::Mean),
    });
    let values = row.zip(parts).map(|(row, d)| {
        let (train, test, norm) = match scene.agg {
            Agg::Median => (row.train_mse_median, row.test_mse_median, row.norm_median),
            Agg::Mean => (row.train_mse_mean, row.test_mse_mean, row.norm_mean),
        };
        [("ro-train", train), ("ro-test", test), ("ro-bias2", d.bias2), ("ro-variance", d.variance), ("ro-norm", norm), ("ro-mean", d.test)]
    });
    Readout {
        x_name: if scene.axis == Axis::Size { "p" } else { "n" },
        test_name: if scene.problem.data.is_some() || scene.source != crate::scene::Source::Generated { "held-out error" } else { "test error" },
        x: m.selected,
        ratio: short(ratio),
        agg: if scene.agg == Agg::Median { "median" } else { "mean" },
        values,
        decomposed: scene.problem.data.is_none() && scene.source == crate::scene::Source::Generated,
        relation: if scene.problem.family == Family::Gaussian { "≈" } else { "=" },
        decomposed_name: if parts.is_some_and(|d| d.middle) { "middle half of trials:" } else { "mean" },
        value: m.labels().get(m.scene.pick).cloned().unwrap_or_default(),
    }
}

/// The curve panels' text alternative, from the numbers drawn.
pub fn curves_alt(m: &Model) -> Option<String> {
    let r = m.result()?;
    let shown = m.shown();
    let agg = shown.agg;
    let val = |row: &SweepRow| if agg == Agg::Median { row.test_mse_median } else { row.test_mse_mean };
    let umin = crate::plot::u_minimum(r, &shown);
    let peak = r.rows.iter().map(|row| (row.x, val(row))).filter(|(_, v)| !v.is_nan()).max_by(|x, y| x.1.total_cmp(&y.1));
    let last = r.rows.last().map(|row| (row.x, val(row)));
    let mut text = String::new();
    if let Some((p, v)) = umin {
        text.push_str(&format!("Lowest test error before the threshold: {} at size {p}. ", short(v)));
    }
    if let Some((p, v)) = peak {
        text.push_str(&format!("Highest: {} at {p}. ", short(v)));
    }
    if let Some((p, v)) = last {
        text.push_str(&format!("At the largest size {p}: {}.", short(v)));
    }
    Some(text)
}

/// The fit panel's text alternative.
pub fn fit_alt(view: &crate::engine::sweep::FitView) -> String {
    if !view.beta_star.is_empty() {
        return format!("Fitted coefficients of the model of size {} against the true coefficients.", view.size);
    }
    let at = view.step.map(|t| format!(" after {t} steps of training")).unwrap_or_default();
    format!(
        "Fit of the model of size {}{at} to {} {}training points: training error {}, fitted curve {} the panel.",
        view.size,
        view.train_x.len(),
        if view.own { "of your " } else { "" },
        short(view.train_mse),
        if view.fitted.iter().all(|v| v.abs() < 1e3) { "stays inside" } else { "leaves" }
    )
}

/// An HTML table of numbers (every cell a number or a short label, so nothing needs escaping).
pub fn html_table(caption: &str, head: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut h = format!("<table><caption class=\"sr\">{caption}</caption><thead><tr>");
    for c in head {
        h.push_str(&format!("<th scope=\"col\">{c}</th>"));
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            h.push_str(&format!("<td>{c}</td>"));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

/// The "show as table" view of a curve panel: `below` keeps only the rows below the threshold
/// (the U panel of a size sweep).
pub fn curves_table(m: &Model, below: bool) -> Option<String> {
    let r = m.result()?;
    let shown = m.shown();
    let scene: &Scene = &shown;
    let sym = if scene.axis == Axis::Size { "p" } else { "n" };
    let agg = if scene.agg == Agg::Median { "median" } else { "mean" };
    let t = crate::plot::threshold(scene);
    let row = |x: &SweepRow| {
        let (train, test) = match scene.agg {
            Agg::Median => (x.train_mse_median, x.test_mse_median),
            Agg::Mean => (x.train_mse_mean, x.test_mse_mean),
        };
        vec![
            x.x.to_string(),
            short(train),
            short(test),
            short(x.test_mse_q25),
            short(x.test_mse_q75),
            short(x.test_mse_mean),
            short(x.bias2),
            short(x.variance),
        ]
    };
    let (train_h, test_h) =
        if scene.agg == Agg::Median { ("train error (median)", "test error (median)") } else { ("train error (mean)", "test error (mean)") };
    let head = [sym, train_h, test_h, "test q25", "test q75", "mean test error", "bias²", "variance"];
    Some(if below {
        let rows = r.rows.iter().filter(|x| scene.axis == Axis::Samples || x.x < t).map(row);
        html_table(&format!("Errors below the threshold ({agg} over trials; bias² + variance = the mean test error)"), &head, rows)
    } else {
        html_table(&format!("Errors at every size ({agg} over trials; bias² + variance = the mean test error)"), &head, r.rows.iter().map(row))
    })
}

/// The "show as table" view of the fit panel.
pub fn fit_table(m: &Model) -> Option<String> {
    let (problem, size) = m.shown().fit_problem(m.selected);
    let v = crate::engine::sweep::fit_view(&problem, size, 0, 41, 0).ok()?;
    Some(if v.beta_star.is_empty() {
        let rows = v.grid_x.iter().zip(&v.target).zip(&v.fitted).map(|((x, t), f)| vec![short(*x), short(*t), short(*f)]);
        html_table(&format!("Fitted model of size {size} against the target"), &["x", "target", "fitted"], rows)
    } else {
        let rows = v.beta_star.iter().zip(&v.coef).enumerate().map(|(j, (b, c))| vec![(j + 1).to_string(), short(*b), short(*c)]);
        html_table(&format!("Coefficients of the model of size {size}"), &["j", "true β*", "fitted β̂"], rows)
    })
}

/// The figure's file name: ddviz plus the scene string, made file-safe.
pub fn file_stem(scene: &Scene) -> String {
    let q = scene.to_query();
    let safe: String = q.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).take(120).collect();
    if safe.is_empty() {
        "ddviz".into()
    } else {
        format!("ddviz_{safe}")
    }
}

/// The progress line: the sweep's progress, or its time when done.
pub fn progress(done: usize, total: usize, ms: Option<f64>) -> String {
    match ms {
        Some(ms) => format!("{done} trials computed in {ms:.0} ms"),
        None if total > 0 => format!("computing… {done} of {total} trials"),
        None => String::new(),
    }
}

/// A warning about your own points that are allowed but say little: all at one x (every model
/// fits them with a constant there, and the held-out error is of that one x).
pub fn data_warning(scene: &Scene) -> Option<String> {
    let d = scene.problem.data.as_ref()?;
    let first = *d.x.first()?;
    (d.x.len() > 1 && d.x.iter().all(|x| *x == first)).then(|| {
        format!(
            "points: all {} points have x = {}, so every model is fitted at one x: the fit is degenerate — spread the points along x",
            d.x.len(),
            short(first)
        )
    })
}
