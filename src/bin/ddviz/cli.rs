//! Argument parsing and the three commands.

use std::io::Write;

use clap::{Arg, ArgAction, ArgMatches, Command};
use ddviz::engine::features::Family;
use ddviz::engine::solve::Ridge;
use ddviz::parallel::run_parallel;
use ddviz::scene::{Kind, Platform, Scene, PARAMS};

/// A failure that ends the command: the one-line message for stderr.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

/// Output formats.
#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Json,
}

fn scene_args(cmd: Command) -> Command {
    let defaults = Scene::default();
    let mut cmd =
        cmd.arg(Arg::new("scene").long("scene").value_name("QUERY").help("the whole scene as one query string, as in the web app's URL (flags override it)"));
    // `data` is the --data flag's (a file of your own points, or `digits`).
    for p in PARAMS.iter().filter(|p| p.key != "data") {
        let default = defaults.get(p.key).unwrap_or_default();
        let help = format!("{}; {} [default: {}]", p.help, p.kind.allowed(Platform::Native), default);
        let value_name = match p.kind {
            Kind::Int { .. } => "INT",
            Kind::Real { .. } => "NUM",
            Kind::Choice(_) => "NAME",
            Kind::Set(_) => "LIST",
            Kind::Points { .. } => "PAIRS",
            Kind::Compare { .. } => "KEY:VALUES",
        };
        cmd = cmd.arg(Arg::new(p.key).long(p.key).value_name(value_name).allow_hyphen_values(true).help(help));
    }
    cmd
}

fn data_arg(cmd: Command) -> Command {
    cmd.arg(Arg::new("data").long("data").value_name("FILE").help(
        "your own points from a CSV file (x,y a line, x in [-1, 1]) instead of generated data; test error then \
         comes from held-out points (--holdout split or kfold, --folds k); or a table of your own (a header naming \
         several numeric columns and a label column: --label, default the last); or `digits`, the bundled \
         handwritten digits (data=digits in a scene)",
    ))
    .arg(Arg::new("label").long("label").value_name("COLUMN").help(
        "with --data FILE: the table's label column (a text label or a few whole numbers: classes; other numbers: a \
         regression) [default: the last column]",
    ))
}

fn format_arg(cmd: Command) -> Command {
    cmd.arg(Arg::new("format").long("format").value_name("FORMAT").help("output format: csv or json [default: csv]"))
}

fn command() -> Command {
    Command::new("ddviz")
        .about("Double descent, computed: sweeps, fits and exact theory as CSV or JSON")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(data_arg(format_arg(scene_args(Command::new("sweep").about(
            "Test error against model size (axis=size) or training points (axis=samples), over trials.\n\
             CSV columns: size (or n),train_mse_mean,train_mse_median,test_mse_mean,test_mse_median,\
             test_mse_q25,test_mse_q75,norm_mean,bias2,variance,norm_median,rank_min,nonfinite,\
             test_mse_iqm,train_mse_iqm,bias2_iqm,variance_iqm\
             [,theory,theory_optimal_ridge for the gaussian family]. Test error is the MSE against the \
             noiseless target (gaussian: the exact excess risk); bias2 + variance = test_mse_mean; rank_min \
             is the smallest numerical rank over trials (empty with ridge > 0); nonfinite counts trials whose \
             numbers overflowed; the _iqm columns are the middle half of the trials by test error (below the \
             threshold: bias2_iqm + variance_iqm = test_mse_iqm). With your own data (--data or --points) test \
             error is the held-out MSE and the bias and variance columns are empty.",
        )))))
        .subcommand(format_arg(scene_args(
            Command::new("fit")
                .about(
                    "Fit one model of --size to training points (CSV with header x,y) and print x,prediction\n\
                     at the evaluation inputs (CSV with header x). Inputs must lie in [-1, 1]. Random\n\
                     features are trial 0's draw of --seed, as in the sweep.",
                )
                .arg(Arg::new("train").long("train").value_name("FILE").required(true).help("training CSV with header x,y"))
                .arg(Arg::new("eval").long("eval").value_name("FILE").required(true).help("evaluation CSV with header x")),
        )))
        .subcommand(format_arg(scene_args(Command::new("theory").about(
            "The gaussian family's theory curve at every size of the grid: the exact finite-n risk of the\n\
             minimum-norm fit (Belkin, Hsu & Xu, Theorem 1) or, with ridge > 0, the asymptotic ridge risk;\n\
             and the asymptotic risk at the optimal ridge penalty. CSV columns: size,ratio,theory,theory_optimal_ridge.",
        ))))
        .subcommand(data_arg(scene_args(
            Command::new("plot")
                .about(
                    "Draw the figure the web app shows for the same scene (same chart code) as SVG or PNG (2x): the\n\
                     fit panel, the textbook U, the double-descent curve, or all three side by side.",
                )
                .arg(
                    Arg::new("panel")
                        .long("panel")
                        .value_name("PANEL")
                        .help("fit, u, dd, all, training (train and test error against gradient-descent steps at --size) or map (test error over size × steps) [default: all]"),
                )
                .arg(Arg::new("out").long("out").value_name("FILE").help("where to write: FILE.svg, or FILE.png at twice the pixels [default: SVG on stdout]"))
                .arg(Arg::new("width").long("width").value_name("PX").help("width in pixels, 200 to 8000 [default: 500 a panel]"))
                .arg(Arg::new("height").long("height").value_name("PX").help("height in pixels, 150 to 8000 [default: 400]"))
        )))
        .subcommand(format_arg(scene_args(Command::new("train").about(
            "Training over time at the scene's --size: full-batch gradient descent on the sweep's loss\n\
             ((1/n)·‖y − Φβ‖² + ridge·‖β‖²) with a step of --lr times the stable limit 2/L (or gradient flow,\n\
             --flow 1, at the same times), from β₀ = 0 or a random start of scale --init, in closed form;\n\
             200 log-spaced steps from 1 to --steps. CSV: sweep's columns with step for size (bias2 and\n\
             variance across trials at each step; rank_min is the design's rank).",
        ).arg(
            Arg::new("ridge-overlay").long("ridge-overlay").action(ArgAction::SetTrue).help(
                "instead of the trained model, at each step t the ridge fit with penalty 1/(2ηt) more (τ = ηt): early stopping's risk is within 1.69× of it (Ali, Kolter & Tibshirani 2019)",
            ),
        ))))
        .subcommand(scene_args(Command::new("map").about(
            "The size × time map: training over time (as ddviz train) at every size of the scene's size sweep\n\
             (--grid log keeps it quick), 100 log-spaced steps from 1 to --steps each. CSV, one row per size and\n\
             step: size,step,train_mse_median,test_mse_median,test_mse_mean,test_mse_q25,test_mse_q75.",
        )))
        .subcommand(Command::new("presets").about(
            "List the presets, one per line: name, a tab, its scene string (for --scene): the page's scenes, then\n\
             those of training over time (for ddviz train)",
        ))
        .subcommand(Command::new("docs-params").hide(true).about("Print the parameter reference (docs/parameters.md) generated from the parameter table"))
        .arg(Arg::new("quiet").long("quiet").action(ArgAction::SetTrue).hide(true))
}

/// Runs the CLI; returns the exit code.
pub fn main() -> i32 {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    return 0;
                }
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    2
                }
                _ => {
                    let text = e.to_string();
                    let first = text.lines().next().unwrap_or("error: bad arguments");
                    eprintln!("ddviz: {}", first.trim_start_matches("error: "));
                    2
                }
            };
            return code;
        }
    };
    let result = match matches.subcommand() {
        Some(("sweep", m)) => sweep(m),
        Some(("fit", m)) => fit(m),
        Some(("theory", m)) => theory(m),
        Some(("plot", m)) => plot(m),
        Some(("train", m)) => train(m),
        Some(("map", m)) => map(m),
        Some(("presets", _)) => Ok(ddviz::page::presets::all().map(|(name, q)| format!("{name}\t{q}\n")).collect()),
        Some(("docs-params", _)) => Ok(ddviz::scene::reference_markdown()),
        _ => Err(Failure("a command is needed: sweep, fit, theory or plot".into())),
    };
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return 1;
            }
            0
        }
        Err(Failure(msg)) => {
            eprintln!("ddviz: {msg}");
            2
        }
    }
}

fn scene_from(m: &ArgMatches) -> Result<Scene, Failure> {
    let mut scene = Scene::default();
    if let Some(q) = m.get_one::<String>("scene") {
        for (k, v) in ddviz::scene::pairs(q) {
            scene.set(&k, &v, Platform::Native).map_err(|e| Failure(format!("--scene: {e}")))?;
        }
    }
    for p in PARAMS.iter().filter(|p| p.key != "data") {
        if let Some(v) = m.get_one::<String>(p.key) {
            scene.set(p.key, v, Platform::Native).map_err(|e| Failure(format!("--{}", e.message)))?;
        }
    }
    let label = m.try_get_one::<String>("label").ok().flatten();
    if let Ok(Some(path)) = m.try_get_one::<String>("data").map(|p| p.filter(|p| p.as_str() != "digits")) {
        if let Some(table) = read_table(path, label.map(|s| s.as_str()))? {
            scene.set("data", "table", Platform::Native).map_err(|e| Failure(format!("--data: {e}")))?;
            scene.table = Some(std::sync::Arc::new(table));
            return finish_scene(scene);
        }
        let max = match ddviz::scene::param("points").map(|p| p.kind) {
            Some(Kind::Points { max, .. }) => max,
            _ => 0,
        };
        let points: Vec<(f64, f64)> = read_points("data", path, &["x", "y"], max)?.iter().map(|r| (r[0], r[1])).collect();
        scene.set("points", &ddviz::scene::points_text(&points), Platform::Native).map_err(|e| Failure(format!("--data {path}: {e}")))?;
    }
    if let Ok(Some(_)) = m.try_get_one::<String>("data").map(|p| p.filter(|p| p.as_str() == "digits")) {
        if label.is_some() {
            return Err(Failure("--label: the digits' label is their digit; --label names the label column of a table of your own (--data FILE.csv)".into()));
        }
        scene.set("data", "digits", Platform::Native).map_err(|e| Failure(format!("--data: {e}")))?;
    }
    if scene.source == ddviz::scene::Source::Digits {
        // The digits travel inside the binary (data/digits.bin, 117 KB; scripts/digits.py).
        scene.images = Some(ddviz::engine::images::load(include_bytes!("../../../data/digits.bin"))?);
    }
    finish_scene(scene)
}

/// The scene's last check.
fn finish_scene(scene: Scene) -> Result<Scene, Failure> {
    if let Some(e) = scene.check(Platform::Native).into_iter().next() {
        return Err(Failure(format!("--{}", e.message)));
    }
    Ok(scene)
}

/// A table of your own from `path` when it is one — `--label` given, or a header that does not
/// name both x and y — else `None`: a file of 1-D points (no header, or one naming x and y, other
/// columns ignored, as the points reader does). Every bad line is named.
fn read_table(path: &str, label: Option<&str>) -> Result<Option<ddviz::engine::table::Table>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("--data {path}: cannot read: {e}")))?;
    let head: Vec<String> = text
        .lines()
        .map(|l| l.trim().trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split([',', ';', '\t', ' ']).map(|f| f.trim().trim_matches('"').to_ascii_lowercase()).filter(|f| !f.is_empty()).collect())
        .unwrap_or_default();
    let no_header = head.iter().any(|h| ddviz::engine::num::parse_f64(h).is_some());
    let names_points = head.iter().any(|h| h == "x") && head.iter().any(|h| h == "y");
    if label.is_none() && (no_header || names_points || head.len() < 2) {
        return Ok(None);
    }
    match ddviz::engine::table::parse_table(&text, label) {
        Ok(t) => Ok(Some(t)),
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("{path}: {e}")).collect();
            match lines.as_slice() {
                [one] => Err(Failure(format!("--data: {one}"))),
                _ => Err(Failure(format!("--data: {} bad lines:\n  {}", lines.len(), lines.join("\n  ")))),
            }
        }
    }
}

/// The commands that do not take the digits or a table yet refuse them rather than run the 1-D
/// problem.
fn no_digits(scene: &Scene, command: &str) -> Result<(), Failure> {
    match scene.source {
        ddviz::scene::Source::Digits | ddviz::scene::Source::Table => Err(Failure(format!(
            "--data: {command} does not take the digits or a table yet; ddviz sweep computes their curves against size, ddviz train against steps"
        ))),
        ddviz::scene::Source::Generated => Ok(()),
    }
}

fn format_of(m: &ArgMatches) -> Result<Format, Failure> {
    match m.get_one::<String>("format").map(|s| s.as_str()) {
        None | Some("csv") => Ok(Format::Csv),
        Some("json") => Ok(Format::Json),
        Some(other) => Err(Failure(format!("--format must be one of csv, json, got '{other}'"))),
    }
}

use ddviz::export::num;

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

fn sweep(m: &ArgMatches) -> Result<String, Failure> {
    let scene = scene_from(m)?;
    let format = format_of(m)?;
    if scene.compare.is_some() {
        return compared_sweep(&scene, format);
    }
    let result = run_parallel(scene.sweep()?.as_ref());
    write_result(&scene, &result, format, scene.problem.family == Family::Gaussian)
}

/// A sweep's or training curve's result as CSV (with the theory columns for `gaussian`) or as
/// JSON with its scene.
fn write_result(scene: &Scene, result: &ddviz::engine::sweep::SweepResult, format: Format, gaussian: bool) -> Result<String, Failure> {
    match format {
        Format::Csv => Ok(ddviz::export::sweep_csv(result, gaussian)),
        Format::Json => Ok(serde_json::to_string_pretty(&serde_json::json!({
            "scene": scene.to_query(),
            "result": result,
        }))? + "\n"),
    }
}

fn train(m: &ArgMatches) -> Result<String, Failure> {
    let scene = scene_from(m)?;
    no_compare(&scene, "train")?;
    let format = format_of(m)?;
    if scene.source != ddviz::scene::Source::Generated {
        // The digits or a table: every output trained at once; no ridge overlay (yet).
        if m.get_flag("ridge-overlay") {
            return Err(Failure("--ridge-overlay: not for the digits or a table yet".into()));
        }
        let result = run_parallel(&scene.table_train_sweep()?);
        return write_result(&scene, &result, format, false);
    }
    let sweep = scene.train_sweep()?;
    // --ridge-overlay: the ridge fits early stopping is compared with, in the same columns.
    let result = if m.get_flag("ridge-overlay") { run_parallel(&sweep.ridge_overlay()) } else { run_parallel(&sweep) };
    // The theory columns where the curve has a theory (the gaussian family's, asymptotic).
    let theory = result.rows.iter().any(|r| r.theory.is_some());
    write_result(&scene, &result, format, theory)
}

fn map(m: &ArgMatches) -> Result<String, Failure> {
    let scene = scene_from(m)?;
    no_compare(&scene, "map")?;
    if scene.source != ddviz::scene::Source::Generated {
        // The digits or a table: training at every size of the size sweep, whose own numbers
        // are the row t → ∞ (the minimum-norm or ridge fit training ends at).
        if scene.axis != ddviz::engine::sweep::Axis::Size {
            return Err(Failure("--axis: map is of model sizes (axis=size)".into()));
        }
        let maps = scene.table_map_sweeps()?.iter().map(|s| (s.size(), run_parallel(s))).collect::<Vec<_>>();
        // The row t → ∞ where training at the largest size ends at the size sweep's fit.
        let limit = if ddviz::page::training::has_limit(&scene) { Some(run_parallel(&scene.table_sweep()?)) } else { None };
        return Ok(ddviz::export::map_csv(&maps, limit.as_ref()));
    }
    let maps = scene.map_sweeps()?.iter().map(|s| (s.size(), run_parallel(s))).collect::<Vec<_>>();
    let limit = ddviz::page::training::map_limit(&scene).map(|s| run_parallel(&s));
    Ok(ddviz::export::map_csv(&maps, limit.as_ref()))
}

/// The scene's sweep, or one per compared value, one after the other (each on all cores).
fn run_all(scene: &Scene) -> Result<Vec<ddviz::engine::sweep::SweepResult>, Failure> {
    match scene.compare {
        None => Ok(vec![run_parallel(scene.sweep()?.as_ref())]),
        Some(_) => scene.compared().iter().map(|(_, s)| Ok(run_parallel(s.sweep()?.as_ref()))).collect(),
    }
}

/// A comparison: one sweep per compared scene, one after the other (each on all cores), with
/// the same seed; one CSV with a leading `compare` column, or one JSON document.
fn compared_sweep(scene: &Scene, format: Format) -> Result<String, Failure> {
    let compared = scene.compared();
    let results = run_all(scene)?;
    match format {
        Format::Csv => Ok(ddviz::export::compare_csv(scene, &results)),
        Format::Json => {
            let key = scene.compare.as_ref().map_or("", |c| c.key);
            let sweeps: Vec<_> = compared
                .iter()
                .zip(scene.compared_texts())
                .zip(&results)
                .map(|(((label, s), value), result)| serde_json::json!({"value": value, "label": label, "scene": s.to_query(), "result": result}))
                .collect();
            Ok(serde_json::to_string_pretty(&serde_json::json!({"scene": scene.to_query(), "compare": key, "sweeps": sweeps}))? + "\n")
        }
    }
}

/// The commands that do not draw or compute comparisons yet refuse one rather than ignore it.
fn no_compare(scene: &Scene, command: &str) -> Result<(), Failure> {
    match scene.compare {
        Some(_) => Err(Failure(format!("--compare: {command} does not take a comparison yet; ddviz sweep --compare writes its numbers"))),
        None => Ok(()),
    }
}

fn theory(m: &ArgMatches) -> Result<String, Failure> {
    let mut scene = scene_from(m)?;
    no_compare(&scene, "theory")?;
    no_digits(&scene, "theory")?;
    let asked = m.get_one::<String>("family").is_some() || m.get_one::<String>("scene").is_some_and(|s| s.contains("family="));
    if asked && scene.problem.family != Family::Gaussian {
        return Err(Failure("--family must be gaussian for theory: only the gaussian family has an exact theory".into()));
    }
    scene.problem.family = Family::Gaussian;
    if let Some(e) = scene.check(Platform::Native).into_iter().next() {
        return Err(Failure(format!("--{}", e.message)));
    }
    if scene.problem.data.is_some() {
        return Err(Failure("--points: the theory is for the gaussian family's generated data, not your own points".into()));
    }
    let n = scene.problem.n;
    let sizes = scene.grid.sizes(scene.max_size, n);
    let rows: Vec<(usize, f64, Option<f64>, Option<f64>)> = sizes
        .iter()
        .map(|&p| {
            let (t, o) = scene.problem.theory(n, p);
            (p, p as f64 / n as f64, t, o)
        })
        .collect();
    match format_of(m)? {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["size", "ratio", "theory", "theory_optimal_ridge"])?;
            for (p, r, t, o) in rows {
                w.write_record([p.to_string(), num(r), opt(t), opt(o)])?;
            }
            Ok(String::from_utf8(w.into_inner().map_err(|e| Failure(e.to_string()))?)?)
        }
        Format::Json => {
            let v: Vec<_> = rows.into_iter().map(|(p, r, t, o)| serde_json::json!({"size": p, "ratio": r, "theory": t, "theory_optimal_ridge": o})).collect();
            Ok(serde_json::to_string_pretty(&serde_json::json!({"scene": scene.to_query(), "rows": v}))? + "\n")
        }
    }
}

/// Most rows of a `ddviz fit` file.
const FIT_ROWS: usize = 100_000;

/// Reads the file `path` given to `--flag`: rows of the numbers `columns` (`x`, `y`), at most
/// `max`, with the reader the page uses for pasted and uploaded points
/// ([`ddviz::engine::own::parse_columns`]). Every bad line is reported, each as `path: line k:
/// what is wrong` (one line for one bad line, else a count and then a line for each); a file
/// without a data row is an error too.
fn read_points(flag: &str, path: &str, columns: &[&str], max: usize) -> Result<Vec<Vec<f64>>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("--{flag} {path}: cannot read: {e}")))?;
    let table = ddviz::engine::own::parse_columns(&text, columns, max);
    let lines: Vec<String> = table.errors.iter().map(|e| format!("{path}: {e}")).collect();
    match lines.as_slice() {
        [] if table.rows.is_empty() => Err(Failure(format!("--{flag} {path}: no data rows"))),
        [] => Ok(table.rows),
        [one] => Err(Failure(format!("--{flag}: {one}"))),
        _ => Err(Failure(format!("--{flag}: {} bad lines:\n  {}", lines.len(), lines.join("\n  ")))),
    }
}

fn fit(m: &ArgMatches) -> Result<String, Failure> {
    let scene = scene_from(m)?;
    no_compare(&scene, "fit")?;
    no_digits(&scene, "fit")?;
    let format = format_of(m)?;
    if !scene.problem.family.is_1d() {
        return Err(Failure("--family must be legendre, relu or fourier for fit (inputs are 1-D points)".into()));
    }
    let train = read_points("train", m.get_one::<String>("train").map(|s| s.as_str()).unwrap_or(""), &["x", "y"], FIT_ROWS)?;
    let eval = read_points("eval", m.get_one::<String>("eval").map(|s| s.as_str()).unwrap_or(""), &["x"], FIT_ROWS)?;
    let size = scene.size;
    let features = scene.problem.features(0, size).ok_or_else(|| Failure("--family must be a 1-D family".into()))?;
    let xs: Vec<f64> = train.iter().map(|r| r[0]).collect();
    let ys: Vec<f64> = train.iter().map(|r| r[1]).collect();
    let ex: Vec<f64> = eval.iter().map(|r| r[0]).collect();
    for (what, rows) in [("training", xs.len()), ("evaluation", ex.len())] {
        if rows.saturating_mul(size) > 50_000_000 {
            return Err(Failure(format!("--size must be small enough that size × {what} rows stays under 5e7, got {size} × {rows}")));
        }
    }
    let fitted = Ridge { ridge: scene.problem.ridge }.fit(features.design(&xs, size).view(), ndarray::Array1::from(ys).view())?;
    let pred = fitted.predict(features.design(&ex, size).view());
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["x", "prediction"])?;
            for (x, p) in ex.iter().zip(pred.iter()) {
                w.write_record([num(*x), num(*p)])?;
            }
            Ok(String::from_utf8(w.into_inner().map_err(|e| Failure(e.to_string()))?)?)
        }
        Format::Json => {
            let pts: Vec<_> = ex.iter().zip(pred.iter()).map(|(x, p)| serde_json::json!({"x": x, "prediction": p})).collect();
            Ok(serde_json::to_string_pretty(&serde_json::json!({
                "scene": scene.to_query(),
                "size": size,
                "rank": fitted.rank,
                "train_mse": fitted.train_mse,
                "norm": fitted.norm(),
                "points": pts,
            }))? + "\n")
        }
    }
}

fn pixels(m: &ArgMatches, key: &str, default: u32) -> Result<u32, Failure> {
    match m.get_one::<String>(key) {
        None => Ok(default),
        Some(t) => t
            .parse::<u32>()
            .ok()
            .filter(|v| (if key == "width" { 200 } else { 150 }..=8000).contains(v))
            .ok_or_else(|| Failure(format!("--{key} must be an integer from {} to 8000, got '{t}'", if key == "width" { 200 } else { 150 }))),
    }
}

fn plot(m: &ArgMatches) -> Result<String, Failure> {
    use ddviz::export::{figure_svg, Panels};
    let scene = scene_from(m)?;
    let panel_text = m.get_one::<String>("panel").map(|s| s.as_str()).unwrap_or("all");
    let training = panel_text == "training";
    let map = panel_text == "map";
    let panels = match Panels::parse(panel_text) {
        Some(p) => p,
        None if training || map => Panels::Dd,
        None => return Err(Failure(format!("--panel must be one of fit, u, dd, training, map, all, got '{panel_text}'"))),
    };
    let out = m.get_one::<String>("out");
    let png = match out.map(|p| p.to_ascii_lowercase()) {
        Some(p) if p.ends_with(".png") => true,
        Some(p) if p.ends_with(".svg") => false,
        Some(_) => return Err(Failure(format!("--out must name an .svg or .png file, got '{}'", out.map(|s| s.as_str()).unwrap_or("")))),
        None => false,
    };
    let width = pixels(m, "width", if panels == Panels::All && !training && !map { 1500 } else { 500 })?;
    let height = pixels(m, "height", 400)?;
    if scene.source != ddviz::scene::Source::Generated {
        no_compare(&scene, "plot --data digits")?;
        // Training over time: every output trained at once, the held-out loss against steps
        // (and where training ends, the size sweep's fit at the scene's size), or the map.
        if map {
            if scene.axis != ddviz::engine::sweep::Axis::Size {
                return Err(Failure("--axis: the map is of model sizes (axis=size)".into()));
            }
            let maps = scene.table_map_sweeps()?.iter().map(|s| (s.size(), run_parallel(s))).collect::<Vec<_>>();
            let limit = if ddviz::page::training::has_limit(&scene) { Some(run_parallel(&scene.table_sweep()?)) } else { None };
            return write_figure(out, png, ddviz::export::map_svg(&scene, &maps, limit.as_ref(), width, height)?);
        }
        if training {
            if scene.overlay {
                return Err(Failure("--overlay: the ridge overlay is not for the digits or a table yet".into()));
            }
            let result = run_parallel(&scene.table_train_sweep()?);
            let end = ddviz::export::table_training_end(&scene, run_parallel)?;
            return write_figure(out, png, ddviz::export::training_svg(&scene, &result, (end, None), width, height)?);
        }
        // The digit grid (fit), the classification error (dd), or both (all).
        let result = run_parallel(scene.sweep()?.as_ref());
        // A table's figure is its error against size: that is what plain `plot` draws.
        let panels = if scene.source == ddviz::scene::Source::Table && m.get_one::<String>("panel").is_none() { Panels::Dd } else { panels };
        let svg = ddviz::export::digits_svg(&scene, &result, panels, width, height)?;
        return write_figure(out, png, svg);
    }
    if map {
        no_compare(&scene, "plot --panel map")?;
        let maps = scene.map_sweeps()?.iter().map(|s| (s.size(), run_parallel(s))).collect::<Vec<_>>();
        let limit = ddviz::page::training::map_limit(&scene).map(|s| run_parallel(&s));
        let svg = ddviz::export::map_svg(&scene, &maps, limit.as_ref(), width, height)?;
        return write_figure(out, png, svg);
    }
    if training {
        no_compare(&scene, "plot --panel training")?;
        let sweep = scene.train_sweep()?;
        let result = run_parallel(&sweep);
        // Where training ends, drawn only where it is the size sweep's fit.
        let end = ddviz::export::training_end(&scene, &[], run_parallel)?;
        let overlay = scene.overlay.then(|| run_parallel(&sweep.ridge_overlay()));
        let svg = ddviz::export::training_svg(&scene, &result, (end, overlay.as_ref()), width, height)?;
        return write_figure(out, png, svg);
    }
    // One sweep, or one per compared value (the fit and the U panel: the value picked, `--pick`).
    let results = run_all(&scene)?;
    let shown = scene.shown();
    let (problem, size) = shown.fit_problem(shown.initial_selection());
    let fit = ddviz::engine::sweep::fit_view(&problem, size, 0, 240, 0)?;
    let svg = figure_svg(&scene, &results, &fit, panels, width, height)?;
    write_figure(out, png, svg)
}

/// Writes an SVG figure to `out` (as PNG at twice the pixels for a .png), or returns it.
fn write_figure(out: Option<&String>, png: bool, svg: String) -> Result<String, Failure> {
    match out {
        Some(path) => {
            let bytes = if png { svg_to_png(&svg, 2.0)? } else { svg.into_bytes() };
            std::fs::write(path, bytes).map_err(|e| Failure(format!("{path}: cannot write: {e}")))?;
            Ok(String::new())
        }
        None => Ok(svg),
    }
}

/// Renders the SVG figure to PNG at `scale` times its pixel size (2: for slides), with the
/// system's fonts (DejaVu Sans preferred for the charts' sans-serif text).
fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, Failure> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    {
        let db = opt.fontdb_mut();
        db.load_system_fonts();
        if db.is_empty() {
            return Err(Failure("PNG output needs a font on this system (for example: apt-get install fonts-dejavu-core); SVG output does not".into()));
        }
        db.set_sans_serif_family("DejaVu Sans");
    }
    opt.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| Failure(format!("internal SVG error: {e}")))?;
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| Failure(format!("cannot make a {w}×{h} image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| Failure(format!("PNG encoding failed: {e}")))
}
