//! The `ddviz` command line, run as a user would.

use std::io::Write;
use std::process::{Command, Output};

fn ddviz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ddviz")).args(args).output().unwrap_or_else(|e| panic!("cannot run ddviz: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A bad invocation: exit code 2, one line on stderr containing `needle`, nothing on stdout.
fn assert_rejected(args: &[&str], needle: &str) {
    let o = ddviz(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "{args:?} printed to stdout: {}", stdout(&o));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: not one line: {err}");
    assert!(err.contains(needle), "{args:?}: '{err}' does not mention '{needle}'");
}

/// A scratch directory of one test, removed (with its files) when the test ends.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ddviz-cli-{}-{k}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        Scratch(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        let mut f = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        f.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn sweep_csv_has_the_documented_columns_and_one_row_per_size() {
    let o = ddviz(&["sweep", "--n", "20", "--max-size", "50", "--trials", "3", "--test", "50"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "size,train_mse_mean,train_mse_median,test_mse_mean,test_mse_median,test_mse_q25,test_mse_q75,norm_mean,bias2,variance,norm_median,rank_min,nonfinite,test_mse_iqm,train_mse_iqm,bias2_iqm,variance_iqm"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 50);
    assert!(rows[0].starts_with("1,") && rows[49].starts_with("50,"));
    // The middle half of the trials below the threshold p = n = 20 only.
    let iqm = |row: &str| row.split(',').nth(13).unwrap_or("").to_string();
    assert!(rows[..19].iter().all(|r| !iqm(r).is_empty()) && rows[19..].iter().all(|r| iqm(r).is_empty()), "{rows:?}");
}

#[test]
fn gaussian_sweep_adds_the_theory_columns_and_log_grid_thins_the_sizes() {
    let o = ddviz(&["sweep", "--family", "gaussian", "--dim", "300", "--max-size", "300", "--trials", "2", "--grid", "log"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().next().unwrap_or("").ends_with(",theory,theory_optimal_ridge"));
    let n = out.lines().count() - 1;
    assert!((30..=70).contains(&n), "{n} rows");
}

#[test]
fn scene_string_and_flags_give_the_same_numbers_and_flags_override_it() {
    let a = ddviz(&["sweep", "--scene", "family=relu&n=25&max-size=40&trials=2&seed=9"]);
    let b = ddviz(&["sweep", "--family", "relu", "--n", "25", "--max-size", "40", "--trials", "2", "--seed", "9"]);
    let c = ddviz(&["sweep", "--scene", "family=relu&n=25&max-size=40&trials=2&seed=3", "--seed", "9"]);
    assert!(a.status.success() && b.status.success() && c.status.success());
    assert_eq!(stdout(&a), stdout(&b));
    assert_eq!(stdout(&a), stdout(&c));
}

#[test]
fn json_output_parses_and_carries_the_scene() {
    let o = ddviz(&["sweep", "--n", "10", "--max-size", "20", "--trials", "2", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["scene"], "n=10&max-size=20&trials=2");
    assert_eq!(v["result"]["rows"].as_array().map(|a| a.len()), Some(20));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let run = |threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_ddviz"))
            .args(["sweep", "--family", "fourier", "--trials", "11", "--max-size", "80"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        stdout(&o)
    };
    assert_eq!(run("1"), run("3"));
}

#[test]
fn sample_wise_sweep_has_an_n_column() {
    let o = ddviz(&["sweep", "--axis", "samples", "--size", "15", "--n", "40", "--trials", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("n,train_mse_mean,"));
    assert_eq!(out.lines().count(), 41);
}

#[test]
fn bad_flags_and_values_are_rejected_with_one_line_naming_them() {
    assert_rejected(&["sweep", "--n", "0"], "n must be an integer from 2 to 5000, got '0'");
    assert_rejected(&["sweep", "--n", "abc"], "n must be");
    assert_rejected(&["sweep", "--noise", "-1"], "noise must be a number from 0 to 10");
    assert_rejected(&["sweep", "--noise", "NaN"], "noise must be");
    assert_rejected(&["sweep", "--ridge", "inf"], "ridge must be");
    assert_rejected(&["sweep", "--family", "spline"], "family must be one of legendre, relu, fourier, gaussian");
    assert_rejected(&["sweep", "--max-size", "99999999999999999999"], "max-size must be");
    assert_rejected(&["sweep", "--family", "gaussian", "--dim", "50"], "max-size must be at most dim = 50");
    assert_rejected(&["sweep", "--frobnicate", "1"], "--frobnicate");
    assert_rejected(&["sweep", "--scene", "n=1"], "n must be");
    assert_rejected(&["sweep", "--scene", "wat=1"], "unknown parameter 'wat'");
    assert_rejected(&["sweep", "--format", "xml"], "--format must be one of csv, json");
    assert_rejected(&["theory", "--family", "relu"], "gaussian");
    assert_rejected(&["nonsense"], "nonsense");
}

#[test]
fn theory_prints_the_exact_curve() {
    let o = ddviz(&["theory", "--n", "20", "--dim", "60", "--max-size", "60", "--noise", "0.5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "size,ratio,theory,theory_optimal_ridge");
    assert_eq!(lines.len(), 61);
    assert!(lines[20].starts_with("20,1,inf,"), "{}", lines[20]);
}

#[test]
fn fit_reads_csv_files_and_predicts_at_the_evaluation_points() {
    let tmp = Scratch::new();
    let train = tmp.file("train.csv", "x,y\n-0.9,0.1\n-0.3,0.5\n0.2,0.9\n0.8,0.2\n");
    let eval = tmp.file("eval.csv", "x\n-0.5\n0\n0.5\n");
    let o = ddviz(&["fit", "--train", &train, "--eval", &eval, "--size", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "x,prediction");
    assert_eq!(lines.len(), 4);
    // With size ≥ n the fit interpolates its training points.
    let same = tmp.file("same.csv", "x\n-0.9\n0.8\n");
    let o = ddviz(&["fit", "--train", &train, "--eval", &same, "--size", "10", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let p0 = v["points"][0]["prediction"].as_f64().unwrap_or(f64::NAN);
    let p1 = v["points"][1]["prediction"].as_f64().unwrap_or(f64::NAN);
    assert!((p0 - 0.1).abs() < 1e-9 && (p1 - 0.2).abs() < 1e-9, "{p0} {p1}");
}

#[test]
fn fit_rejects_bad_rows_naming_the_line() {
    let tmp = Scratch::new();
    let eval = tmp.file("eval2.csv", "x\n0\n");
    let cases = [
        // The messages of the reader the page and `sweep --data` use (ddviz_engine::own::parse_columns).
        ("nan.csv", "x,y\n0.1,0.2\n0.3,abc\n", "line 3: 'abc' is not a number"),
        ("range.csv", "x,y\n0.1,0.2\n1.5,0\n", "line 3: x = 1.5 is out of range: x must be a number from -1 to 1"),
        ("short.csv", "x,y\n0.1,0.2\n0.4\n", "line 3: expected two numbers x,y, got 1 value"),
        ("header.csv", "y,b\n0.1,0.2\n", "line 1: the header must name the column 'x'"),
        ("empty.csv", "x,y\n", "no data rows"),
    ];
    for (name, text, needle) in cases {
        let f = tmp.file(name, text);
        assert_rejected(&["fit", "--train", &f, "--eval", &eval], needle);
    }
    assert_rejected(&["fit", "--train", "/nonexistent/ddviz.csv", "--eval", &eval], "cannot read");
    let f = tmp.file("ok.csv", "x,y\n0.1,0.2\n");
    assert_rejected(&["fit", "--train", &f, "--eval", &eval, "--family", "gaussian"], "--family must be legendre, relu or fourier");
}

#[test]
fn every_command_has_help() {
    for cmd in ["sweep", "fit", "theory"] {
        let o = ddviz(&[cmd, "--help"]);
        assert!(o.status.success());
        let out = stdout(&o);
        assert!(out.contains("--max-size") && out.contains("--x-dist") && out.contains("--format"), "{cmd}");
    }
}

#[test]
fn plot_writes_the_page_figure_as_svg_and_rejects_other_formats() {
    let tmp = Scratch::new();
    let out = tmp.path("fig.svg");
    let o = ddviz(&["plot", "--trials", "4", "--out", &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let svg = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for part in ["fitted model, p = 12", "best classical size", "interpolation threshold p = n", "test error (median)"] {
        assert!(svg.contains(part), "missing {part}");
    }
    let one = ddviz(&["plot", "--panel", "dd", "--trials", "2", "--width", "640"]);
    let text = stdout(&one);
    assert!(text.contains("width=\"640\"") && text.contains("interpolation threshold") && !text.contains("fitted model"));
    let png = tmp.path("fig.png");
    let o = ddviz(&["plot", "--trials", "2", "--panel", "fit", "--out", &png]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&png).unwrap_or_default();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    assert_eq!(width, 1000, "500 px at 2x");
    assert_rejected(&["plot", "--out", "fig.jpg"], "--out must name an .svg or .png file");
    assert_rejected(&["plot", "--panel", "all3"], "--panel must be one of fit, u, dd, training, map, all");
    assert_rejected(&["plot", "--width", "10"], "--width must be an integer from 200 to 8000");
}

#[test]
fn sweep_runs_on_your_own_csv_and_equals_the_same_points_given_in_the_scene() {
    let tmp = Scratch::new();
    let rows: String = (0..24).map(|i| format!("{},{}\n", -1.0 + i as f64 / 12.0, (i % 5) as f64 / 4.0)).collect();
    let path = tmp.file("own.csv", &format!("x,y\n{rows}"));
    let args = ["sweep", "--data", &path, "--family", "relu", "--max-size", "40", "--trials", "4", "--holdout", "kfold", "--folds", "4"];
    let o = ddviz(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 41);
    // Held-out error is there; bias² and variance (which need a known target) are empty.
    let row: Vec<&str> = out.lines().nth(18).unwrap_or_default().split(',').collect();
    let head: Vec<&str> = out.lines().next().unwrap_or_default().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).map(|i| row[i]).unwrap_or("missing");
    assert!(col("test_mse_median").parse::<f64>().is_ok_and(|v| v.is_finite() && v > 0.0), "{row:?}");
    assert_eq!((col("bias2"), col("variance")), ("", ""));
    let pairs: Vec<String> = (0..24).map(|i| format!("{}:{}", -1.0 + i as f64 / 12.0, (i % 5) as f64 / 4.0)).collect();
    let scene = format!("family=relu&max-size=40&trials=4&holdout=kfold&folds=4&points={}", pairs.join(","));
    let same = ddviz(&["sweep", "--scene", &scene]);
    assert_eq!(stdout(&same), out);
}

#[test]
fn bad_rows_of_your_own_csv_are_each_named_by_line() {
    let tmp = Scratch::new();
    let path = tmp.file("bad.csv", "x,y\n0.1,0.2\nabc,1\n0.3,0.1\n2,0\n0.5\n0.2,0.3\n0.4,0.3\n");
    let o = ddviz(&["sweep", "--data", &path, "--max-size", "10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.starts_with("ddviz: --data: 3 bad lines:"), "{err}");
    for needle in ["line 3: 'abc' is not a number", "line 5: x = 2 is out of range", "line 6: expected two numbers x,y, got 1 value"] {
        assert!(err.contains(needle), "{err} lacks {needle}");
    }
    assert_rejected(&["sweep", "--points", "0:1,0.5:2", "--max-size", "10"], "points must number at least 5 with folds = 5");
    assert_rejected(
        &["sweep", "--points", "0:1,0.5:2,0.1:0,0.2:0,0.3:1", "--family", "gaussian", "--dim", "10", "--max-size", "10"],
        "--family must be legendre, relu or fourier with your own data",
    );
}

#[test]
fn fit_and_sweep_read_the_same_bad_file_with_the_same_error_lines() {
    let tmp = Scratch::new();
    let eval = tmp.file("eval3.csv", "x\n0\n");
    let many = tmp.file("many.csv", "x,y\n0.1,0.2\nabc,1\n0.3,0.1\n2,0\n0.5\n0.2,3000\n0.4,0.3\n");
    let one = tmp.file("one.csv", "x,y\n0.1,0.2\n0.3,0.1\n0.2,nan\n0.4,0.3\n0.5,0.3\n0.6,0.3\n");
    for (path, count) in [(&many, 4), (&one, 1)] {
        let fit = ddviz(&["fit", "--train", path, "--eval", &eval]);
        let sweep = ddviz(&["sweep", "--data", path, "--max-size", "10"]);
        for o in [&fit, &sweep] {
            assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
            assert!(o.stdout.is_empty());
        }
        let (a, b) = (stderr(&fit), stderr(&sweep));
        // The flag differs (--train, --data); every line naming the file is the same.
        let named = |err: &str| err.lines().map(|l| l.split_once(path.as_str()).map_or(String::new(), |(_, rest)| rest.to_string())).collect::<Vec<_>>();
        assert_eq!(named(&a), named(&b), "{a}\n{b}");
        assert_eq!(a.lines().count(), if count == 1 { 1 } else { count + 1 }, "{a}");
        if count > 1 {
            assert!(a.starts_with(&format!("ddviz: --train: {count} bad lines:")) && b.starts_with(&format!("ddviz: --data: {count} bad lines:")), "{a}\n{b}");
        }
    }
    let fit = stderr(&ddviz(&["fit", "--train", &many, "--eval", &eval]));
    for needle in
        ["line 3: 'abc' is not a number", "line 5: x = 2 is out of range", "line 6: expected two numbers x,y, got 1 value", "line 7: y = 3000 is out of range"]
    {
        assert!(fit.contains(needle), "{fit} lacks {needle}");
    }
    assert!(stderr(&ddviz(&["sweep", "--data", &one])).starts_with(&format!("ddviz: --data: {one}: line 4: 'nan' is not a number")));
}

#[test]
fn the_parameter_reference_is_printed_by_a_hidden_command() {
    let o = ddviz(&["docs-params"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), ddviz::scene::reference_markdown());
    assert!(!stdout(&ddviz(&["--help"])).contains("docs-params"));
}

/// The rows of `ddviz sweep` for `args`, header first.
fn sweep_lines(args: &[&str]) -> Vec<String> {
    let o = ddviz(&[&["sweep"], args].concat());
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn a_compared_sweep_is_one_block_per_value_each_the_bytes_of_its_own_sweep() {
    let base = ["--family", "relu", "--target", "sin", "--n", "12", "--max-size", "30", "--trials", "3", "--test", "40"];
    let compared = sweep_lines(&[&base[..], &["--compare", "noise=0,0.1,0.3"]].concat());
    // The same comparison from a scene string is the same bytes.
    let from_scene = sweep_lines(&[&base[..], &["--scene", "compare=noise:0,0.1,0.3"]].concat());
    assert_eq!(compared, from_scene);
    let mut rest = compared.iter();
    let header = rest.next().cloned().unwrap_or_default();
    let mut blocks = 0;
    for v in ["0", "0.1", "0.3"] {
        let single = sweep_lines(&[&base[..], &["--noise", v]].concat());
        assert_eq!(header, format!("compare,{}", single[0]));
        for row in &single[1..] {
            assert_eq!(rest.next(), Some(&format!("noise={v},{row}")), "noise {v}");
        }
        blocks += 1;
    }
    assert_eq!((blocks, rest.next()), (3, None));
}

#[test]
fn a_comparison_of_families_with_gaussian_keeps_the_theory_columns_empty_for_the_others() {
    let base = ["--n", "12", "--max-size", "30", "--dim", "30", "--trials", "2", "--test", "40"];
    let compared = sweep_lines(&[&base[..], &["--compare", "family:relu,gaussian"]].concat());
    let relu = sweep_lines(&[&base[..], &["--family", "relu"]].concat());
    let gaussian = sweep_lines(&[&base[..], &["--family", "gaussian"]].concat());
    assert_eq!(compared[0], format!("compare,{}", gaussian[0]));
    let want: Vec<String> =
        relu[1..].iter().map(|r| format!("family=relu,{r},,")).chain(gaussian[1..].iter().map(|r| format!("family=gaussian,{r}"))).collect();
    assert_eq!(compared[1..], want[..]);
}

#[test]
fn a_compared_sweep_as_json_holds_one_labelled_sweep_per_value() {
    let o = ddviz(&["sweep", "--n", "10", "--max-size", "12", "--trials", "2", "--compare", "ridge:0,1e-4", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["compare"], "ridge");
    assert_eq!(v["scene"], "n=10&max-size=12&trials=2&compare=ridge:0,0.0001");
    let sweeps = v["sweeps"].as_array().cloned().unwrap_or_default();
    let got: Vec<(String, String, String)> = sweeps
        .iter()
        .map(|s| (s["value"].as_str().unwrap_or("").into(), s["label"].as_str().unwrap_or("").into(), s["scene"].as_str().unwrap_or("").into()))
        .collect();
    assert_eq!(
        got,
        [
            ("0".into(), "ridge 0".into(), "n=10&max-size=12&trials=2".into()),
            ("0.0001".into(), "ridge 1e-4".into(), "n=10&ridge=0.0001&max-size=12&trials=2".into())
        ]
    );
    assert!(sweeps.iter().all(|s| s["result"]["rows"].as_array().map(|r| r.len()) == Some(12)));
}

#[test]
fn every_bad_comparison_is_rejected_in_one_line_naming_compare() {
    let which = "compare one of family, target, x-dist, n, noise, ridge, smoothness, bandwidth, dim, decay";
    for (args, needle) in [
        (vec!["--compare", "nosie=0,0.1"], format!("ddviz: --compare: unknown parameter 'nosie'; {which}")),
        (vec!["--compare", "seed=1,2"], format!("ddviz: --compare: seed cannot be compared; {which}")),
        (vec!["--compare", "noise=0.3"], "ddviz: --compare needs 2 to 5 values of noise, got one ('0.3')".into()),
        (vec!["--compare", "noise=0,0.1,0.2,0.3,0.4,0.5"], "ddviz: --compare takes at most 5 values of noise, got 6".into()),
        (vec!["--compare", "noise=0,12"], "ddviz: --compare: noise must be a number from 0 to 10, got '12'".into()),
        (vec!["--compare", "noise=0.1,0.10"], "ddviz: --compare: noise 0.1 is given twice; give each value once".into()),
        (
            vec!["--compare", "ridge=0,1e-13"],
            "ddviz: --compare: with ridge 1e-13: ridge must be 0 (the minimum-norm fit) or from 1e-12 to 1000, got 1.00e-13".into(),
        ),
        (vec!["--scene", "compare=seed:1,2"], format!("ddviz: --scene: compare: seed cannot be compared; {which}")),
    ] {
        let args: Vec<&str> = ["sweep"].into_iter().chain(args.iter().copied()).collect();
        assert_rejected(&args, &needle);
    }
    // The CLI's limits are its own: n up to 5000 natively.
    assert_rejected(&["sweep", "--compare", "n=40,6000"], "ddviz: --compare: n must be an integer from 2 to 5000, got '6000'");
}

#[test]
fn train_writes_the_training_curve_by_step_ending_at_the_sweeps_minimum_norm_fit() {
    let o = ddviz(&["train", "--scene", "size=600&trials=3&steps=100000000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("step,train_mse_mean,train_mse_median,test_mse_mean,test_mse_median,"), "{}", lines[0]);
    // Up to 200 log-spaced steps, each once (the first few round to the same whole step).
    let steps: Vec<u64> = lines[1..].iter().filter_map(|l| l.split(',').next()?.parse().ok()).collect();
    assert!((150..=200).contains(&steps.len()) && steps.windows(2).all(|w| w[0] < w[1]), "{} steps", steps.len());
    assert_eq!((steps[0], steps[steps.len() - 1]), (1, 100_000_000));
    let last = lines[lines.len() - 1];
    // The last step is the size sweep's minimum-norm fit at p = 600 (p > n = 30: it interpolates).
    let col = |line: &str, i: usize| line.split(',').nth(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    let sweep = stdout(&ddviz(&["sweep", "--scene", "trials=3"]));
    let at600 = sweep.lines().find(|l| l.starts_with("600,")).unwrap_or_default();
    let (end, want) = (col(last, 4), col(at600, 4));
    assert!((end / want - 1.0).abs() < 1e-6, "training ends at {end}, the sweep has {want}");
    assert!(col(last, 2) < 1e-12, "it interpolates");
    // The training panel: the same curve drawn, with its best time and where training ends.
    let fig = stdout(&ddviz(&["plot", "--panel", "training", "--scene", "size=30&trials=3&steps=1000000"]));
    assert!(
        fig.starts_with("<svg") && fig.contains("best stopping time: t = ") && fig.contains("t → ∞: the minimum-norm fit"),
        "{}",
        &fig[..fig.len().min(300)]
    );
    // The ridge overlay: the same columns, the fits early stopping is compared with.
    let ridge = stdout(&ddviz(&["train", "--ridge-overlay", "--scene", "size=30&trials=3&steps=1000000"]));
    assert!(ridge.starts_with("step,") && ridge.lines().count() == stdout(&ddviz(&["train", "--scene", "size=30&trials=3&steps=1000000"])).lines().count());
    let fig = stdout(&ddviz(&["plot", "--panel", "training", "--overlay", "1", "--scene", "size=30&trials=3&steps=1000000"]));
    assert!(fig.contains("ridge at λ = 1/(2ηt) (median)"));
    assert_rejected(&["plot", "--panel", "loss"], "--panel must be one of fit, u, dd, training, map, all, got 'loss'");
    assert_rejected(&["train", "--lr", "1"], "--lr must be a number from 0.000001 to 0.99, got '1'");
    assert_rejected(&["train", "--steps", "0"], "--steps must be an integer from 1 to 100000000, got '0'");
    assert_rejected(&["train", "--init", "nan"], "--init must be a number from 0 to 1000");
    assert_rejected(&["train", "--compare", "noise=0,0.1"], "--compare: train does not take a comparison yet");
}

#[test]
fn map_writes_every_size_and_step_of_the_size_by_time_map() {
    let o = ddviz(&["map", "--scene", "grid=log&max-size=60&trials=2&steps=1000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("size,step,train_mse_median,test_mse_median,test_mse_mean,test_mse_q25,test_mse_q75"));
    let fields: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let rows: Vec<(usize, &str)> = fields.iter().map(|f| (f[0].parse().unwrap_or(0), f[1])).collect();
    let sizes: std::collections::BTreeSet<usize> = rows.iter().map(|r| r.0).collect();
    assert!(sizes.contains(&1) && sizes.contains(&60) && sizes.contains(&30), "{sizes:?}");
    let per = rows.len() / sizes.len();
    assert_eq!(rows.len(), per * sizes.len(), "every size has the same steps");
    // Each size's steps from 1 to the last, then where training ends (t → ∞): the size sweep's
    // numbers at that size, to the bit.
    assert_eq!((rows[0].1, rows[per - 2].1, rows[per - 1].1), ("1", "1000", "inf"));
    let sweep = stdout(&ddviz(&["sweep", "--scene", "grid=log&max-size=60&trials=2"]));
    for f in fields.iter().filter(|f| f[1] == "inf") {
        let row = sweep.lines().find(|l| l.split(',').next() == Some(f[0])).unwrap_or_else(|| panic!("size {} not in the sweep", f[0]));
        // The sweep's test_mse_median is its 5th column, the map's its 4th.
        assert_eq!(row.split(',').nth(4), Some(f[3]), "p = {}", f[0]);
    }
    assert_eq!(fields.iter().filter(|f| f[1] == "inf").count(), sizes.len());
    let svg = stdout(&ddviz(&["plot", "--panel", "map", "--scene", "grid=log&max-size=60&trials=2&steps=1000"]));
    assert!(svg.contains("best time") && svg.contains("p = n") && svg.contains("t → ∞"));
}

#[test]
fn presets_lists_every_preset_as_a_name_and_a_scene_string_that_runs() {
    let out = stdout(&ddviz(&["presets"]));
    let rows: Vec<(&str, &str)> = out.lines().map(|l| l.split_once('\t').unwrap_or_else(|| panic!("no tab in {l}"))).collect();
    assert_eq!(rows.len(), ddviz::page::presets::all().count());
    assert!(rows.iter().any(|(n, s)| *n == "Double descent on handwritten digits" && s.contains("data=digits")));
    assert!(rows.iter().any(|(n, s)| *n == "Noise makes the peak" && s.contains("compare=noise")));
    assert!(rows.iter().any(|(n, _)| *n == "Generalization comes late"));
    for (name, scene) in rows {
        let parsed = ddviz::scene::Scene::from_query(scene, ddviz::scene::Platform::Native);
        assert!(parsed.is_ok(), "{name}: {parsed:?}");
    }
}

#[test]
fn a_compared_plot_draws_every_value_on_the_double_descent_panel_and_the_picked_one_elsewhere() {
    let base = ["plot", "--compare", "noise=0,0.3", "--trials", "4", "--max-size", "60"];
    let o = ddviz(&[&base[..], &["--pick", "2"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = stdout(&o);
    // The double-descent panel names each value, the picked one as the fit shown; the U panel
    // and the fit are of the picked value.
    for part in [">\nnoise 0\n<", ">\nnoise 0.3 (fit shown)\n<", "middle 50 % of trials, noise 0.3", ">\nnoise 0.3\n<"] {
        assert!(svg.contains(part), "no {part}");
    }
    // The picked value's fit: the same as a plot of that value alone.
    let alone = stdout(&ddviz(&["plot", "--noise", "0.3", "--trials", "4", "--max-size", "60", "--panel", "fit"]));
    let fit = stdout(&ddviz(&[&base[..], &["--pick", "2", "--panel", "fit"]].concat()));
    assert_eq!(fit, alone);
    assert_rejected(&[&base[..], &["--pick", "3"]].concat(), "--pick must be an integer from 1 to 2 (the compared values), got 3");
}

#[test]
fn fit_and_theory_refuse_a_comparison_rather_than_ignore_it() {
    assert_rejected(&["theory", "--family", "gaussian", "--compare", "noise=0,0.3"], "ddviz: --compare: theory does not take a comparison yet");
}

#[test]
fn the_digits_sweep_training_and_figure_run_from_the_command_line_and_the_rest_say_not_yet() {
    let dir = Scratch::new();
    let o = ddviz(&["sweep", "--data", "digits", "--family", "relu", "--n", "100", "--test", "200", "--max-size", "300", "--grid", "log", "--trials", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().next().is_some_and(|h| h.ends_with(",class_err_mean,class_err_median,class_err_q25,class_err_q75")), "{out}");
    let png = dir.path("digits.png");
    let o = ddviz(&[
        "plot",
        "--data",
        "digits",
        "--family",
        "relu",
        "--n",
        "100",
        "--test",
        "200",
        "--max-size",
        "300",
        "--grid",
        "log",
        "--trials",
        "2",
        "--size",
        "100",
        "--out",
        &png,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(&std::fs::read(&png).unwrap_or_default()[1..4], b"PNG");
    let scene = "data=digits&family=relu";
    // Training over time on the digits: the loss and the classification error along the steps.
    let o = ddviz(&["train", "--scene", "data=digits&family=relu&n=100&test=200&size=100&trials=2&steps=1000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().next().is_some_and(|h| h.starts_with("step,") && h.ends_with(",class_err_q75")), "{out}");
    assert!(out.lines().last().is_some_and(|l| l.starts_with("1000,")), "{out}");
    let o = ddviz(&["train", "--scene", scene, "--ridge-overlay"]);
    assert!(stderr(&o).contains("--ridge-overlay: not for the digits or a table yet"), "{}", stderr(&o));
    // The size × time map of the digits: every size of the sweep trained over time, and its row
    // t → ∞ the sweep's own numbers, to the bit.
    let q = "data=digits&family=relu&n=100&test=200&max-size=150&grid=log&trials=2&steps=1000";
    let o = ddviz(&["map", "--scene", q]);
    assert!(o.status.success(), "{}", stderr(&o));
    let map = stdout(&o);
    let sweep = stdout(&ddviz(&["sweep", "--scene", q]));
    let head: Vec<&str> = sweep.lines().next().unwrap_or_default().split(',').collect();
    let col = head.iter().position(|h| *h == "test_mse_median").unwrap_or(usize::MAX);
    let mut limits = 0;
    for line in sweep.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let want = format!("{},inf,", cells[0]);
        let got = map.lines().find(|l| l.starts_with(&want)).unwrap_or_else(|| panic!("no row t → ∞ at size {}: {map}", cells[0]));
        assert_eq!(got.split(',').nth(3), cells.get(col).copied(), "size {}", cells[0]);
        limits += 1;
    }
    assert!(limits > 10 && map.lines().filter(|l| l.starts_with("150,")).count() > 50, "{map}");
    // Their figures: the held-out loss against steps, with where training ends (the sweep's
    // value at the size, past the threshold: the minimum-norm fit), and the map.
    let q = "data=digits&family=relu&n=100&test=200&size=300&trials=2&steps=100000";
    let fig = stdout(&ddviz(&["plot", "--panel", "training", "--scene", q]));
    assert!(fig.starts_with("<svg") && fig.contains("held-out error") && fig.contains("t → ∞: the minimum-norm fit"), "{fig}");
    let svg = stdout(&ddviz(&["plot", "--panel", "map", "--scene", "data=digits&family=relu&n=40&test=60&max-size=80&grid=log&trials=2&steps=1000"]));
    assert!(svg.starts_with("<svg") && svg.contains("held-out error") && svg.contains("p = n"), "{svg}");
    let o = ddviz(&["plot", "--panel", "training", "--overlay", "1", "--scene", q]);
    assert!(stderr(&o).contains("--overlay: the ridge overlay is not for the digits or a table yet"), "{}", stderr(&o));
    // --label is a table's; the digits' label is their digit.
    assert!(stderr(&ddviz(&["sweep", "--data", "digits", "--label", "class", "--family", "relu"])).contains("--label: the digits' label is their digit"));
    // The family is named when it cannot take the digits.
    assert!(stderr(&ddviz(&["sweep", "--data", "digits"])).contains("family must be relu, fourier or linear with data=digits"));
}

#[test]
fn a_table_of_your_own_runs_with_its_label_and_its_bad_lines_are_each_named() {
    let wine = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wine.csv");
    // The same wine scene for the sweep and the figure.
    let scene = "family=relu&n=80&test=90&max-size=200&grid=log&trials=3";
    let o = ddviz(&["sweep", "--data", wine, "--label", "class", "--scene", scene]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).lines().next().is_some_and(|h| h.ends_with("class_err_q75")));
    let dir = Scratch::new();
    let bad = dir.path("bad.csv");
    std::fs::write(&bad, "a,b,kind\n1,2,x\n3,oops,y\n4,5\n").unwrap_or_else(|e| panic!("{e}"));
    let o = ddviz(&["sweep", "--data", &bad, "--family", "relu"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("line 3: column 'b': 'oops' is not a number") && e.contains("line 4: expected 3 values as in the header, got 2"), "{e}");
    // Its figure: the classification error against size.
    let svg = stdout(&ddviz(&["plot", "--data", wine, "--panel", "dd", "--scene", scene]));
    assert!(svg.contains("classification error") && svg.contains("interpolation threshold p = n"), "{}", &svg[..svg.len().min(300)]);
    let o = ddviz(&["plot", "--data", wine, "--panel", "fit", "--family", "relu", "--n", "80", "--test", "90"]);
    assert!(stderr(&o).contains("the dd panel only"), "{}", stderr(&o));
    let o = ddviz(&["sweep", "--data", wine, "--label", "colour", "--family", "relu"]);
    assert!(stderr(&o).contains("label: no column named 'colour'"), "{}", stderr(&o));
    // k-fold cross-validation of the table (its `test` unused); the digits take a split only.
    let kfold = stdout(&ddviz(&["sweep", "--data", wine, "--scene", "family=relu&n=80&max-size=200&grid=log&trials=2&holdout=kfold&folds=5"]));
    let split = stdout(&ddviz(&["sweep", "--data", wine, "--scene", "family=relu&n=80&test=90&max-size=200&grid=log&trials=2"]));
    assert!(kfold.lines().count() == split.lines().count() && kfold != split, "{kfold}");
    let o = ddviz(&["sweep", "--data", wine, "--scene", "family=relu&n=170&holdout=kfold&folds=5"]);
    assert!(stderr(&o).contains("k-fold with 5 folds needs at most the table's 178 rows"), "{}", stderr(&o));
    let o = ddviz(&["sweep", "--data", "digits", "--scene", "family=relu&holdout=kfold"]);
    assert!(stderr(&o).contains("holdout must be split with data=digits"), "{}", stderr(&o));
}
