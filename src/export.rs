//! Exports shared by the CLI and the page: the sweep as CSV, and whole figures as SVG.

use plotters::prelude::*;

use crate::engine::features::Family;
use crate::engine::summary::Extra;
use crate::engine::sweep::{Axis, FitView, SweepResult, SweepRow};
use crate::plot::{compare_panel, dd_panel, fit_panel, svg, u_panel_of, Compared, Look, PlotError};
use crate::scene::Scene;

/// A number as CSV writes it: Rust's shortest round-tripping form, `inf`, `-inf` or `nan`.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{v}")
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// The sweep as CSV: a header row, then one row per size (or n). Columns:
/// `size,train_mse_mean,train_mse_median,test_mse_mean,test_mse_median,test_mse_q25,test_mse_q75,
/// norm_mean,bias2,variance,norm_median,rank_min,nonfinite,test_mse_iqm,train_mse_iqm,bias2_iqm,
/// variance_iqm`, for the gaussian family `theory,theory_optimal_ridge`, for training over time
/// `dist_from_init_mean,dist_from_init_median` (‖β_t − β₀‖), and for classes
/// `class_err_mean,class_err_median,class_err_q25,class_err_q75`. Every field is a
/// number (or empty), so nothing needs quoting; bias² and variance are empty when unknown (your
/// own data has no known target), the `_iqm` columns (the middle half of the trials) wherever
/// they are not computed (at and past the threshold).
pub fn sweep_csv(result: &SweepResult, gaussian: bool) -> String {
    let mut out = String::new();
    out.push_str(result.axis.column());
    out.push_str(
        ",train_mse_mean,train_mse_median,test_mse_mean,test_mse_median,test_mse_q25,test_mse_q75,norm_mean,bias2,variance,norm_median,rank_min,nonfinite,test_mse_iqm,train_mse_iqm,bias2_iqm,variance_iqm",
    );
    if gaussian {
        out.push_str(",theory,theory_optimal_ridge");
    }
    let extra = result.extra;
    match extra {
        Extra::Moved => out.push_str(",dist_from_init_mean,dist_from_init_median"),
        Extra::Class => out.push_str(",class_err_mean,class_err_median,class_err_q25,class_err_q75"),
        Extra::None => {}
    }
    out.push('\n');
    for r in &result.rows {
        let SweepRow {
            x,
            train_mse_mean,
            train_mse_median,
            test_mse_mean,
            test_mse_median,
            test_mse_q25,
            test_mse_q75,
            norm_mean,
            norm_median,
            bias2,
            variance,
            rank_min,
            nonfinite,
            theory,
            theory_optimal_ridge,
            middle,
            extra_mean,
            extra_median,
            extra_q25,
            extra_q75,
        } = r;
        let mut fields = vec![
            x.to_string(),
            num(*train_mse_mean),
            num(*train_mse_median),
            num(*test_mse_mean),
            num(*test_mse_median),
            num(*test_mse_q25),
            num(*test_mse_q75),
            num(*norm_mean),
            opt(Some(*bias2).filter(|v| !v.is_nan())),
            opt(Some(*variance).filter(|v| !v.is_nan())),
            num(*norm_median),
            rank_min.map(|k| k.to_string()).unwrap_or_default(),
            nonfinite.to_string(),
            opt(middle.map(|m| m.test_mse)),
            opt(middle.map(|m| m.train_mse)),
            opt(middle.map(|m| m.bias2).filter(|v| !v.is_nan())),
            opt(middle.map(|m| m.variance).filter(|v| !v.is_nan())),
        ];
        if gaussian {
            fields.push(opt(*theory));
            fields.push(opt(*theory_optimal_ridge));
        }
        match extra {
            Extra::Moved => fields.extend([opt(*extra_mean), opt(*extra_median)]),
            Extra::Class => fields.extend([opt(*extra_mean), opt(*extra_median), opt(*extra_q25), opt(*extra_q75)]),
            Extra::None => {}
        }
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// A comparison's sweeps as one CSV (`ddviz sweep --compare`, and later the page's export of a
/// comparison): `results` holds one sweep per compared scene of `scene`, in the comparison's
/// order ([`Scene::compared`]). A leading column `compare` names the compared value as a scene
/// string writes it, `key=value` (`noise=0.3`); the rest of each row is exactly
/// [`sweep_csv`]'s, so each value's block is the bytes of `ddviz sweep` of its own scene. The
/// theory columns are there when any compared scene is of the gaussian family (a comparison of
/// families with gaussian: empty in the other families' rows). Without a comparison, the
/// single sweep's CSV with an empty `compare` column.
pub fn compare_csv(scene: &Scene, results: &[SweepResult]) -> String {
    let compared = scene.compared();
    let key = scene.compare.as_ref().map_or("", |c| c.key);
    let texts = scene.compared_texts();
    let gaussian =
        if compared.is_empty() { scene.problem.family == Family::Gaussian } else { compared.iter().any(|(_, s)| s.problem.family == Family::Gaussian) };
    let mut out = String::new();
    for (i, result) in results.iter().enumerate() {
        let cell = texts.get(i).map(|t| format!("{key}={t}")).unwrap_or_default();
        let csv = sweep_csv(result, gaussian);
        let mut lines = csv.lines();
        let header = lines.next().unwrap_or("");
        if i == 0 {
            out.push_str("compare,");
            out.push_str(header);
            out.push('\n');
        }
        for line in lines {
            out.push_str(&cell);
            out.push(',');
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Which panels a figure holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panels {
    /// The fit panel.
    Fit,
    /// The textbook U.
    U,
    /// The double-descent curve.
    Dd,
    /// All three, side by side.
    All,
}

impl Panels {
    /// Parses `fit`, `u`, `dd` or `all`.
    pub fn parse(s: &str) -> Option<Panels> {
        match s {
            "fit" => Some(Panels::Fit),
            "u" => Some(Panels::U),
            "dd" => Some(Panels::Dd),
            "all" => Some(Panels::All),
            _ => None,
        }
    }
}

/// Draws the chosen panels of a scene side by side onto any backend, as the page shows them
/// (selected size `scene.size`; for a sample sweep the fit uses all n points). `results` holds
/// the scene's sweep, or with a comparison one sweep per compared value: the double-descent
/// panel then draws them all, and the U panel and the fit (`fit`, which the caller computes for
/// [`Scene::shown`]) the picked value's ([`Scene::pick`]).
pub fn draw_figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    scene: &Scene,
    results: &[SweepResult],
    fit: &FitView,
    panels: Panels,
    look: Look,
) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(|e| PlotError(e.to_string()))?;
    let chosen = scene.pick;
    let shown = scene.shown();
    let selected = match shown.axis {
        Axis::Size => shown.size,
        Axis::Samples => shown.problem.train_n(),
    };
    let compared = scene.compared();
    let Some(result) = results.get(chosen).or(results.first()) else { return Err(PlotError("no sweep to draw".into())) };
    let who = compared.get(chosen).map(|(l, _)| l.as_str()).unwrap_or_default();
    let u = |area: &DrawingArea<DB, plotters::coord::Shift>| u_panel_of(area, result, &shown, selected, look, who).map(|_| ());
    let dd = |area: &DrawingArea<DB, plotters::coord::Shift>| {
        if compared.is_empty() {
            return dd_panel(area, result, scene, selected, look).map(|_| ());
        }
        let curves: Vec<Compared<'_>> =
            compared.iter().zip(results).enumerate().map(|(index, ((label, scene), result))| Compared { index, label, scene, result }).collect();
        compare_panel(area, &curves, Some(chosen.min(curves.len().saturating_sub(1))), selected, look).map(|_| ())
    };
    match panels {
        Panels::Fit => fit_panel(root, fit, true, look).map(|_| ()),
        Panels::U => u(root),
        Panels::Dd => dd(root),
        Panels::All => {
            let areas = root.split_evenly((1, 3));
            fit_panel(&areas[0], fit, true, look)?;
            u(&areas[1])?;
            dd(&areas[2])
        }
    }
}

/// Where training ends on the training panel: the size sweep's error (median or mean, as the
/// scene draws it) at the scene's size — read from `results` (the scene's own sweep) when it has
/// that size, else from a log-grid size sweep up to it, computed by `run`. `None` where training
/// does not end at the size sweep's fit ([`crate::page::training::ends_at_sweep`]).
pub fn training_end(
    scene: &Scene,
    results: &[SweepResult],
    run: impl Fn(&dyn crate::engine::sweep::Sweep) -> SweepResult,
) -> Result<Option<f64>, crate::engine::EngineError> {
    if !crate::page::training::ends_at_sweep(scene) {
        return Ok(None);
    }
    let value = |r: &SweepResult| {
        let row = r.rows.iter().find(|row| row.x == scene.size)?;
        Some(if scene.agg == crate::scene::Agg::Median { row.test_mse_median } else { row.test_mse_mean })
    };
    let own = (scene.compare.is_none() && scene.axis == Axis::Size).then(|| results.first().and_then(value)).flatten();
    if own.is_some() {
        return Ok(own);
    }
    let sweep = crate::engine::sweep::SizeSweep::new(scene.problem.clone(), scene.size, crate::engine::sweep::Grid::Log, scene.trials)?;
    Ok(value(&run(&sweep)))
}

/// Where training on a digits or table scene ends, at its size: the size sweep's held-out loss
/// there (the minimum-norm or ridge fit), or `None` where training does not end at that fit
/// ([`crate::page::training::ends_at_sweep`]). `run` runs the sweep to the scene's size.
pub fn table_training_end(scene: &Scene, run: impl Fn(&dyn crate::engine::sweep::Sweep) -> SweepResult) -> Result<Option<f64>, crate::engine::EngineError> {
    if !crate::page::training::ends_at_sweep(scene) {
        return Ok(None);
    }
    let mut to = scene.clone();
    (to.max_size, to.grid, to.axis) = (scene.size, crate::engine::sweep::Grid::Log, Axis::Size);
    let r = run(&to.table_sweep()?);
    let row = r.rows.iter().find(|row| row.x == scene.size);
    Ok(row.map(|row| if scene.agg == crate::scene::Agg::Median { row.test_mse_median } else { row.test_mse_mean }))
}

/// The size × time map as CSV: one row per size and step (sizes in order, each size's steps in
/// order) with `size,step,train_mse_median,test_mse_median,test_mse_mean,test_mse_q25,test_mse_q75`;
/// `maps` are each size's training curve (rows along steps), and `limit` the size sweep at the
/// same sizes, where training ends: each size's last row, with the step `inf`.
pub fn map_csv(maps: &[(usize, SweepResult)], limit: Option<&SweepResult>) -> String {
    let mut out = String::from("size,step,train_mse_median,test_mse_median,test_mse_mean,test_mse_q25,test_mse_q75\n");
    let mut line = |p: usize, step: &str, row: &SweepRow| {
        out.push_str(&format!(
            "{p},{step},{},{},{},{},{}\n",
            num(row.train_mse_median),
            num(row.test_mse_median),
            num(row.test_mse_mean),
            num(row.test_mse_q25),
            num(row.test_mse_q75)
        ));
    };
    for (p, r) in maps {
        for row in &r.rows {
            line(*p, &row.x.to_string(), row);
        }
        if let Some(row) = limit.and_then(|l| l.rows.iter().find(|row| row.x == *p)) {
            line(*p, "inf", row);
        }
    }
    out
}

/// The size × time map ([`crate::plot::map_panel`]) as an SVG document.
pub fn map_svg(scene: &Scene, maps: &[(usize, SweepResult)], limit: Option<&SweepResult>, width: u32, height: u32) -> Result<String, PlotError> {
    svg(width, height, |root| crate::plot::map_panel(root, maps, limit, scene, Look::default()).map(|_| ()))
}

/// The training panel ([`crate::plot::training_panel`]) of a training curve as an SVG document:
/// `end` is where training ends, the size sweep's error at the scene's size; `overlay` the ridge
/// fits early stopping is compared with.
pub fn training_svg(
    scene: &Scene,
    result: &SweepResult,
    (end, overlay): (Option<f64>, Option<&SweepResult>),
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    svg(width, height, |root| crate::plot::training_panel(root, result, scene, (end, overlay), Look::default()).map(|_| ()))
}

/// Held-out digits the digit grid shows ([`crate::plot::digit_grid`]).
pub const DIGITS_SHOWN: usize = 32;

/// The digit grid of a digits scene: trial 0's model at the sweep's point `x` (a size, or in the
/// sample-wise view a number of training images) on the first [`DIGITS_SHOWN`] of its held-out
/// images, and a title that says how many it gets wrong (of those shown and of all it holds
/// out: the sweep's number there), per digit too.
pub fn digit_cells(scene: &Scene, x: usize) -> Result<(Vec<crate::plot::DigitCell>, crate::plot::DigitsTitle), crate::engine::EngineError> {
    let sweep = scene.table_sweep()?;
    let Some(images) = scene.images.as_ref() else { return Err(crate::engine::EngineError::Insufficient("data=digits: the digits are not loaded".into())) };
    // Every held-out image's guess (for the count per digit), the first ones drawn.
    let samples = scene.axis == crate::engine::sweep::Axis::Samples;
    let (guesses, wrong) = sweep.guesses(0, x, usize::MAX).ok_or_else(|| crate::engine::EngineError::OutOfRange {
        name: if samples { "n" } else { "size" },
        allowed: if samples { format!("1 to n = {}", scene.problem.n) } else { format!("1 to max-size = {}", scene.max_size) },
        got: x.to_string(),
    })?;
    let mut per_digit = vec![(0usize, 0usize); images.classes];
    let mut mistakes = std::collections::BTreeMap::new();
    for g in &guesses {
        if let Some(d) = per_digit.get_mut(usize::from(g.label)) {
            d.1 += 1;
            if g.guess != g.label {
                d.0 += 1;
                *mistakes.entry((g.guess, g.label)).or_insert(0usize) += 1;
            }
        }
    }
    // The commonest mistake (the first of equals, in the order of guess and digit).
    let confused = mistakes.into_iter().fold(None, |best: Option<((u16, u16), usize)>, (k, c)| if best.is_none_or(|b| c > b.1) { Some((k, c)) } else { best });
    let cells: Vec<crate::plot::DigitCell> = guesses
        .iter()
        .take(DIGITS_SHOWN)
        .map(|g| crate::plot::DigitCell { pixels: images.image(g.image).to_vec(), width: images.width, label: g.label as u8, guess: g.guess as u8 })
        .collect();
    // The model's size and training images at the point shown.
    let (size, n) = if samples { (scene.size, x) } else { (x, scene.problem.n) };
    Ok((cells, crate::plot::DigitsTitle { size, n, wrong, test: scene.problem.test, per_digit, confused }))
}

/// The fit panel of a table of your own at the sweep's point `x` (a size, or in the sample-wise
/// view a number of training rows), as lines of text: what the table is, what each trial takes
/// of it, and — for a class label — how trial 1's model there guesses its held-out rows, class by
/// class (for numbers to predict, `at`: the held-out error there and the trials it is over).
pub fn table_card(scene: &Scene, x: usize, at: Option<(f64, usize)>) -> Result<Vec<String>, crate::engine::EngineError> {
    let sweep = scene.table_sweep()?;
    let t = &sweep.settings().table;
    let pr = &scene.problem;
    let samples = scene.axis == crate::engine::sweep::Axis::Samples;
    let mut lines = vec![format!("Your table: {} rows of {} feature columns.", t.rows, t.dim())];
    lines.push(match &t.labels {
        crate::engine::table::Labels::Classes { names, .. } => format!("Its label '{}' is one of {} classes: {}.", t.label, names.len(), names.join(", ")),
        crate::engine::table::Labels::Values(_) => format!("Its label '{}' is a number to predict.", t.label),
    });
    let kfold = sweep.settings().plan().kfold_rows();
    lines.push(match kfold {
        Some(m) => format!(
            "Each trial draws {m} random rows and holds out each of its {k} folds of {} rows in turn, training on the other {}; the columns are standardized with the training rows' mean and spread.",
            m / pr.folds.max(1),
            pr.n,
            k = pr.folds
        ),
        None => format!("Each trial trains on {} random rows and holds out {} others; the columns are standardized with the training rows' mean and spread.", pr.n, pr.test),
    });
    let model = if samples { format!("size p = {} on n = {x} training rows", scene.size) } else { format!("size p = {x}") };
    let model = if kfold.is_some() { format!("{model}, its first fold") } else { model };
    match (&t.labels, sweep.guesses(0, x, usize::MAX)) {
        (crate::engine::table::Labels::Classes { names, .. }, Some((guesses, _))) => {
            let wrong = guesses.iter().filter(|g| g.guess != g.label).count();
            lines.push(format!("Trial 1's model of {model}: {wrong} of its {} held-out rows guessed wrong.", guesses.len()));
            let per: Vec<String> = names
                .iter()
                .enumerate()
                .filter_map(|(k, name)| {
                    let of: Vec<_> = guesses.iter().filter(|g| usize::from(g.label) == k).collect();
                    (!of.is_empty()).then(|| format!("{name}: {} of {} wrong", of.iter().filter(|g| g.guess != g.label).count(), of.len()))
                })
                .collect();
            lines.push(format!("By class: {}.", per.join("; ")));
        }
        _ => {
            if let Some((v, k)) = at {
                lines.push(format!("At {model}: held-out squared error {} over the {k} trials in.", crate::engine::num::format_sci(v, 2)));
            }
        }
    }
    lines.push("Move along the curves to see other sizes.".into());
    Ok(lines)
}

/// A digits or table scene's figure as SVG: the digit grid (`Panels::Fit`, the digits), the
/// classification error against size (`Panels::Dd`, from `result`; a regression table's squared
/// error on the double-descent panel), or both side by side (`Panels::All`, the digits).
pub fn digits_svg(scene: &Scene, result: &SweepResult, panels: Panels, width: u32, height: u32) -> Result<String, PlotError> {
    let look = Look::default();
    if scene.source == crate::scene::Source::Table {
        return match panels {
            Panels::Dd if result.extra == Extra::Class => svg(width, height, |root| crate::plot::class_error_panel(root, result, scene, look).map(|_| ())),
            Panels::Dd => svg(width, height, |root| dd_panel(root, result, scene, scene.size, look).map(|_| ())),
            _ => Err(PlotError("--panel: a table of your own has the dd panel only (its error against size)".into())),
        };
    }
    // The grid at the selected size, or of the sample-wise view at its largest n.
    let x = if scene.axis == crate::engine::sweep::Axis::Samples { scene.problem.n } else { scene.size };
    let grid = || digit_cells(scene, x).map_err(|e| PlotError(e.to_string()));
    match panels {
        Panels::Fit => {
            let (cells, title) = grid()?;
            svg(width, height, |root| crate::plot::digit_grid(root, &cells, &|s| title.text(s), look).map(|_| ()))
        }
        Panels::Dd => svg(width, height, |root| crate::plot::class_error_panel(root, result, scene, look).map(|_| ())),
        Panels::All => {
            let (cells, title) = grid()?;
            svg(width, height, |root| {
                let areas = root.split_evenly((1, 2));
                crate::plot::digit_grid(&areas[0], &cells, &|s| title.text(s), look)?;
                crate::plot::class_error_panel(&areas[1], result, scene, look).map(|_| ())
            })
        }
        Panels::U => Err(PlotError("--panel u: the digits have no U panel yet (fit, dd or all)".into())),
    }
}

/// The page's figure of a digits or table scene, as its export buttons write it: for the digits
/// the digit grid at the scene's size, the classification error and the squared loss side by
/// side; for a table of classes its classification error and squared loss; for a table of
/// numbers its squared error against size.
pub fn draw_table_figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    scene: &Scene,
    result: &SweepResult,
    look: Look,
) -> Result<(), PlotError> {
    let classes = result.extra == Extra::Class;
    if scene.source == crate::scene::Source::Digits {
        let x = if scene.axis == crate::engine::sweep::Axis::Samples { scene.problem.n } else { scene.size };
        let (cells, title) = digit_cells(scene, x).map_err(|e| PlotError(e.to_string()))?;
        let areas = root.split_evenly((1, 3));
        crate::plot::digit_grid(&areas[0], &cells, &|s| title.text(s), look)?;
        crate::plot::class_error_panel(&areas[1], result, scene, look)?;
        return dd_panel(&areas[2], result, scene, scene.size, look).map(|_| ());
    }
    if classes {
        let areas = root.split_evenly((1, 2));
        crate::plot::class_error_panel(&areas[0], result, scene, look)?;
        return dd_panel(&areas[1], result, scene, scene.size, look).map(|_| ());
    }
    dd_panel(root, result, scene, scene.size, look).map(|_| ())
}

/// The figure as an SVG document of `width` × `height` pixels ([`draw_figure`]).
pub fn figure_svg(scene: &Scene, results: &[SweepResult], fit: &FitView, panels: Panels, width: u32, height: u32) -> Result<String, PlotError> {
    svg(width, height, |root| draw_figure(root, scene, results, fit, panels, Look::default()))
}
