//! Your own data: points a user clicked, typed or uploaded, and how test error is estimated
//! without a known target — on held-out points, either one split or k-fold cross-validation,
//! with a fresh random split in every trial.
//!
//! The points of trial `t` are shuffled from that trial's data stream; with `folds = k` the
//! first ⌊N/k⌋ shuffled points are fold 1, the next ⌊N/k⌋ fold 2, and so on; the N mod k
//! points left over always train. So every fit sees the same number of training points,
//! N − ⌊N/k⌋, and the interpolation threshold sits at exactly that size.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::num::parse_f64;
use super::rng::uniform;

/// Inputs must lie in [−1, 1], where the feature families live.
pub const X_MAX: f64 = 1.0;
/// Labels must lie within ±`Y_MAX`.
pub const Y_MAX: f64 = 1000.0;
/// Fewest and most folds.
pub const FOLDS: (usize, usize) = (2, 10);

/// How test error is estimated on your own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Eval {
    /// One held-out split: 1 in k points held out, the rest train.
    Split,
    /// k-fold cross-validation: each of the k folds held out in turn, errors pooled.
    KFold,
}

impl Eval {
    /// Both, in the order controls list them.
    pub const ALL: [Eval; 2] = [Eval::Split, Eval::KFold];

    /// The name used in URLs, flags and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Eval::Split => "split",
            Eval::KFold => "kfold",
        }
    }

    /// A sentence saying how test error is measured with `points` points and `folds` folds.
    pub fn describe(self, points: usize, folds: usize) -> String {
        let held = points / folds.max(1);
        let train = points - held;
        match self {
            Eval::Split => format!(
                "Test error is measured on held-out points: {held} of your {points} points (1 in {folds}) are held out and the model is fitted to the other {train}; every trial draws a new split."
            ),
            Eval::KFold => format!(
                "Test error is {folds}-fold cross-validation: each fold of {held} points is held out in turn while the model is fitted to {train} points, and the held-out errors are pooled; every trial draws new folds."
            ),
        }
    }
}

/// Checks one point: finite, x in [−1, 1], y within ±[`Y_MAX`]. The message names the value.
pub fn check_point(x: f64, y: f64) -> std::result::Result<(), String> {
    if !(x.is_finite() && (-X_MAX..=X_MAX).contains(&x)) {
        return Err(format!("x = {x} is out of range: x must be a number from -1 to 1"));
    }
    if !(y.is_finite() && (-Y_MAX..=Y_MAX).contains(&y)) {
        return Err(format!("y = {y} is out of range: y must be a number from -{Y_MAX} to {Y_MAX}"));
    }
    Ok(())
}

/// A line of pasted or uploaded text that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line number, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The points read from a CSV text, and every line that could not be used.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// The good points, in the order of the text.
    pub points: Vec<(f64, f64)>,
    /// One entry per bad line (and one for the lines past the limit).
    pub errors: Vec<RowError>,
}

fn shorten(s: &str) -> String {
    let t: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        format!("{t}…")
    } else {
        t
    }
}

/// Reads `x,y` points, one a line: [`parse_columns`] with the columns x and y.
pub fn parse_csv(text: &str, max: usize) -> Parsed {
    let table = parse_columns(text, &["x", "y"], max);
    Parsed { points: table.rows.iter().map(|r| (r[0], r[1])).collect(), errors: table.errors }
}

/// Rows of numbers read from a CSV text, and every line that could not be used.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The good rows, in the order of the text: one number per column asked for, in that order.
    pub rows: Vec<Vec<f64>>,
    /// One entry per bad line (and one for the lines past the limit).
    pub errors: Vec<RowError>,
}

/// Reads rows of the numbers `columns` (each `x` or `y`), one row a line: the one reader of
/// points, for the page's pasted and uploaded text and for the CLI's files. Values may be
/// separated by commas, semicolons, tabs or spaces; blank lines and lines starting with `#` are
/// skipped, as is a first line without numbers (a header such as `x,y`). A header that names
/// every column picks them by name (in any order; other columns are ignored, but every line
/// must have as many values as the header); one that names some but not all is reported; one
/// that names none leaves the columns in order. Every other line that is not the numbers asked
/// for, each finite and in range (see [`check_point`]), is reported with its line number; good
/// lines are kept whatever the bad ones do, up to `max` rows (the lines past it are reported
/// once).
pub fn parse_columns(text: &str, columns: &[&str], max: usize) -> Table {
    let mut out = Table::default();
    let mut first_content = true;
    let mut over: Option<(usize, usize, usize)> = None;
    // Where each column is on a line, and how many values a line has.
    let mut picks: Vec<usize> = (0..columns.len()).collect();
    let mut width = columns.len();
    let mut named = false;
    if looks_binary(text) {
        out.errors.push(RowError { line: 1, message: format!("this is not a text file: expected lines of {} numbers", columns.join(",")) });
        return out;
    }
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line = i + 1;
        let t = raw.trim().trim_start_matches('\u{feff}');
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = t.split([',', ';', '\t', ' ']).map(str::trim).filter(|f| !f.is_empty()).collect();
        let header = first_content && fields.iter().all(|f| parse_f64(f).is_none());
        first_content = false;
        let bad = |message: String| RowError { line, message };
        if header {
            let at: Vec<Option<usize>> = columns.iter().map(|c| fields.iter().position(|f| f.eq_ignore_ascii_case(c))).collect();
            if at.iter().all(Option::is_some) {
                picks = at.into_iter().flatten().collect();
                width = fields.len();
                named = true;
            } else if let Some(k) = at.iter().position(Option::is_some).and_then(|_| at.iter().position(Option::is_none)) {
                out.errors.push(bad(format!("the header must name the column '{}' (expected {})", columns[k], columns.join(","))));
            }
            continue;
        }
        if fields.len() != width {
            let expected = if named && width != columns.len() {
                format!("{width} values as in the header")
            } else {
                format!("{} {}", count_words(width), columns.join(","))
            };
            out.errors.push(bad(format!("expected {expected}, got {} value{} in '{}'", fields.len(), if fields.len() == 1 { "" } else { "s" }, shorten(t))));
            continue;
        }
        let mut row = Vec::with_capacity(columns.len());
        for &j in &picks {
            match parse_f64(fields[j]) {
                Some(v) if v.is_finite() => row.push(v),
                Some(_) => {
                    out.errors.push(bad(format!("'{}' is too large a number", shorten(fields[j]))));
                    break;
                }
                None => {
                    out.errors.push(bad(format!("'{}' is not a number", shorten(fields[j]))));
                    break;
                }
            }
        }
        if row.len() < columns.len() {
            continue;
        }
        let value = |name: &str| columns.iter().position(|c| *c == name).map_or(0.0, |k| row[k]);
        if let Err(m) = check_point(value("x"), value("y")) {
            out.errors.push(bad(m));
            continue;
        }
        out.rows.push(row);
        if out.rows.len() >= max {
            // Enough: the rest is counted, not read (a pasted file of 100,000 lines must not
            // hold up the page).
            for (i, raw) in lines.by_ref() {
                let t = raw.trim();
                if !t.is_empty() && !t.starts_with('#') {
                    let o = over.get_or_insert((i + 1, i + 1, 0));
                    o.1 = i + 1;
                    o.2 += 1;
                }
            }
        }
    }
    if let Some((from, to, count)) = over {
        // In line order: after the bad lines before the first one left out.
        let at = out.errors.partition_point(|e| e.line < from);
        out.errors.insert(
            at,
            RowError {
                line: from,
                message: format!(
                    "too many points: at most {max} are used, so the {count} line{} from line {from} to {to} {} not read",
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "was" } else { "were" }
                ),
            },
        );
    }
    out
}

/// Whether text is not text: a NUL, or many replacement characters (bytes that were not UTF-8)
/// in its first kilobytes — an image or a spreadsheet uploaded as CSV.
pub fn looks_binary(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    let odd = head.chars().filter(|c| *c == '\u{0}' || *c == '\u{fffd}').count();
    head.contains('\u{0}') || odd * 50 > head.chars().count().max(1)
}

/// "one number", "two numbers", … for messages.
fn count_words(n: usize) -> String {
    match n {
        1 => "one number".into(),
        2 => "two numbers".into(),
        3 => "three numbers".into(),
        _ => format!("{n} numbers"),
    }
}

/// Writes points as CSV text (`x,y` header, one point a line), which [`parse_csv`] reads back.
pub fn to_csv(points: &[(f64, f64)]) -> String {
    let mut s = String::from("x,y\n");
    for (x, y) in points {
        s.push_str(&format!("{x},{y}\n"));
    }
    s
}

/// Points left after the held-out ones: N − ⌊N/k⌋.
pub fn train_count(points: usize, folds: usize) -> usize {
    points - points / folds.max(1)
}

/// One trial's random split of N points into folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folds {
    order: Vec<usize>,
    held: usize,
    count: usize,
}

impl Folds {
    /// Shuffles `points` indices into `folds` folds, of which one (`Split`) or all (`KFold`)
    /// are held out in turn. Point i gets the i-th uniform draw of `rng` as its sort key, so
    /// adding a point at the end (a click on the chart) moves at most a couple of others
    /// between folds instead of reshuffling them all.
    pub fn draw(points: usize, folds: usize, eval: Eval, rng: &mut impl Rng) -> Folds {
        let keys: Vec<f64> = (0..points).map(|_| uniform(rng)).collect();
        let order = crate::stats::argsort(&keys);
        let k = folds.max(1);
        Folds { order, held: points / k, count: if eval == Eval::Split { 1 } else { k } }
    }

    /// How many folds are held out in turn.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Fold `j`'s training indices (in shuffled order) and held-out indices.
    pub fn fold(&self, j: usize) -> (Vec<usize>, Vec<usize>) {
        let (a, b) = ((j * self.held).min(self.order.len()), ((j + 1) * self.held).min(self.order.len()));
        let held = self.order[a..b].to_vec();
        let train = self.order[..a].iter().chain(&self.order[b..]).copied().collect();
        (train, held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn every_bad_line_is_reported_and_good_lines_are_kept() {
        let text = "x,y\n0.5,1\n# a comment\n\nabc,2\n0.1;0.2\n1.5,0\n0.3\n-0.2\t-0.4\n0.1,nan\n0,1e9\n";
        let p = parse_csv(text, 100);
        assert_eq!(p.points, vec![(0.5, 1.0), (0.1, 0.2), (-0.2, -0.4)]);
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 7, 8, 10, 11]);
        assert_eq!(p.errors[0].to_string(), "line 5: 'abc' is not a number");
        assert!(p.errors[1].message.starts_with("x = 1.5 is out of range"), "{}", p.errors[1]);
        assert!(p.errors[2].message.starts_with("expected two numbers x,y, got 1 value"), "{}", p.errors[2]);
        assert_eq!(p.errors[3].message, "'nan' is not a number");
        assert!(p.errors[4].message.starts_with("y = 1000000000 is out of range"), "{}", p.errors[4]);
    }

    #[test]
    fn points_past_the_limit_are_reported_once_and_left_out() {
        let text: String = (0..10).map(|i| format!("{},{}\n", i as f64 / 10.0, i)).collect();
        let p = parse_csv(&text, 7);
        assert_eq!(p.points.len(), 7);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].to_string(), "line 8: too many points: at most 7 are used, so the 3 lines from line 8 to 10 were not read");
    }

    #[test]
    fn reading_stops_at_the_limit_and_the_rest_is_one_line() {
        // 100,000 lines, bad ones among those past the limit: only the first 5 are read.
        let text: String =
            (0..100_000).map(|i| if i % 7 == 3 && i > 10 { "bad\n".to_string() } else { format!("{},{}\n", (i % 100) as f64 / 100.0, 1) }).collect();
        let p = parse_csv(&text, 5);
        assert_eq!(p.points.len(), 5);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors.first());
        assert_eq!(p.errors[0].to_string(), "line 6: too many points: at most 5 are used, so the 99995 lines from line 6 to 100000 were not read");
    }

    #[test]
    fn a_binary_file_is_refused_in_one_line_and_an_overflowing_number_is_named() {
        let png = "\u{fffd}PNG\r\n\u{1a}\n\u{0}\u{0}\u{0}\rIHDR\u{fffd}\u{fffd}";
        let p = parse_csv(png, 100);
        assert!(p.points.is_empty());
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].to_string(), "line 1: this is not a text file: expected lines of x,y numbers");
        let big = format!("0.5,1{}\n0.2,0.1\n", "0".repeat(400));
        let p = parse_csv(&big, 100);
        assert_eq!(p.points, vec![(0.2, 0.1)]);
        assert!(p.errors[0].message.ends_with("is too large a number"), "{}", p.errors[0]);
    }

    #[test]
    fn a_header_picks_its_columns_by_name_and_one_naming_only_some_is_reported() {
        let t = parse_columns("y,extra,x\n1,9,0.5\n2,abc,-0.5\n3,0\n", &["x", "y"], 10);
        assert_eq!(t.rows, vec![vec![0.5, 1.0], vec![-0.5, 2.0]]);
        assert_eq!(t.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(), ["line 4: expected 3 values as in the header, got 2 values in '3,0'"]);
        let t = parse_columns("y,b\n0.1,0.2\n", &["x", "y"], 10);
        assert_eq!(t.errors[0].to_string(), "line 1: the header must name the column 'x' (expected x,y)");
        let t = parse_columns("x\n0.5\n2\n0.1,0.2\n", &["x"], 10);
        assert_eq!(t.rows, vec![vec![0.5]]);
        let lines: Vec<String> = t.errors.iter().map(|e| e.to_string()).collect();
        assert!(lines[0].starts_with("line 3: x = 2 is out of range"), "{lines:?}");
        assert_eq!(lines[1], "line 4: expected one number x, got 2 values in '0.1,0.2'");
    }

    #[test]
    fn csv_written_reads_back_exactly() {
        let pts = vec![(0.123456789, -3.5), (-1.0, 1000.0), (1.0, 0.0)];
        assert_eq!(parse_csv(&to_csv(&pts), 10), Parsed { points: pts, errors: vec![] });
    }

    #[test]
    fn folds_partition_the_points_and_hold_out_equal_counts() {
        let f = Folds::draw(23, 5, Eval::KFold, &mut stream(4, 1));
        assert_eq!(f.count(), 5);
        let mut seen = [0; 23];
        for j in 0..5 {
            let (train, held) = f.fold(j);
            assert_eq!((train.len(), held.len()), (train_count(23, 5), 4));
            for i in held {
                seen[i] += 1;
            }
        }
        // Every point but the 3 left over is held out exactly once.
        assert_eq!(seen.iter().filter(|&&c| c == 1).count(), 20);
        assert_eq!(Folds::draw(23, 5, Eval::Split, &mut stream(4, 1)).count(), 1);
        assert_ne!(Folds::draw(23, 5, Eval::Split, &mut stream(4, 1)), Folds::draw(23, 5, Eval::Split, &mut stream(4, 2)));
    }

    #[test]
    fn adding_a_point_moves_at_most_two_others_in_or_out_of_the_held_out_set() {
        for n in 10..60 {
            let held = |n: usize| {
                let mut h = Folds::draw(n, 5, Eval::Split, &mut stream(2, 9)).fold(0).1;
                h.sort_unstable();
                h
            };
            let (before, after) = (held(n), held(n + 1));
            let moved = before.iter().filter(|i| !after.contains(i)).count() + after.iter().filter(|&&i| i < n && !before.contains(&i)).count();
            assert!(moved <= 2, "n = {n}: {before:?} → {after:?}");
        }
    }
}
