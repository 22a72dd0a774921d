//! A table of your own: several numeric feature columns and a label column, read from CSV text
//! with a header that names them. A label that is text, or whole numbers with at most
//! [`MAX_CLASSES`] distinct values, makes a classification (one-hot outputs, classification
//! error); any other numeric label a regression (squared error). The digits are a table too
//! ([`crate::images::Images::to_table`]).

use super::num::parse_f64;
use super::own::{looks_binary, RowError};

/// Most rows a table may have.
pub const MAX_ROWS: usize = 5000;
/// Most feature columns.
pub const MAX_FEATURES: usize = 200;
/// Most classes of a classification; a whole-number label with more distinct values is a
/// regression.
pub const MAX_CLASSES: usize = 20;
/// Fewest rows: 10 to train on and one held out.
pub const MIN_ROWS: usize = 11;

/// What the label column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Labels {
    /// Classes: each row's class number, and the classes' names in that order.
    Classes {
        /// Each row's class (an index into `names`).
        of: Vec<u16>,
        /// The classes, as the label column writes them.
        names: Vec<String>,
    },
    /// Numbers to predict.
    Values(Vec<f64>),
}

/// Rows of numeric features and a label each.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The feature columns' names.
    pub features: Vec<String>,
    /// The label column's name.
    pub label: String,
    /// The features, row after row (`rows · features.len()`).
    pub x: Vec<f64>,
    /// Rows.
    pub rows: usize,
    /// The labels.
    pub labels: Labels,
}

/// What a sweep needs to know of a table before its numbers are at hand: the page folds the
/// trials of a table its lazily loaded module read, knowing only this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Rows.
    pub rows: usize,
    /// Feature columns.
    pub columns: usize,
    /// Whether the label is a class.
    pub classes: bool,
}

/// Whether `text` is a table rather than points: its first line (past blank lines and `#`
/// comments) is a header of at least three columns, separated by commas, semicolons or tabs,
/// none of them a number, that does not name both `x` and `y` (points with other columns).
pub fn looks_like_table(text: &str) -> bool {
    let Some(head) = text.lines().map(|l| l.trim().trim_start_matches('\u{feff}')).find(|l| !l.is_empty() && !l.starts_with('#')) else { return false };
    let (mut fields, mut x, mut y) = (0, false, false);
    for f in head.split([',', ';', '\t']) {
        let f = f.trim().trim_matches('"');
        if parse_f64(f).is_some() {
            return false;
        }
        x |= f.eq_ignore_ascii_case("x");
        y |= f.eq_ignore_ascii_case("y");
        fields += 1;
    }
    fields >= 3 && !(x && y)
}

/// A table's separator: the first of comma, semicolon and tab its header uses.
fn separator(head: &str) -> char {
    [',', ';', '\t'].into_iter().find(|c| head.contains(*c)).unwrap_or(',')
}

/// A line's cells, trimmed and unquoted.
fn cells(line: &str, sep: char) -> Vec<String> {
    line.split(sep).map(|f| f.trim().trim_matches('"').trim().to_string()).collect()
}

/// The columns of the table in `text` that can be its label: every column when all of them
/// are numbers, else the one column that is not (the features must be numbers); none when
/// more than one column is not, or there is no header. Cells are split as [`parse_table`]
/// splits them; rows of another length are skipped.
pub fn label_choices(text: &str) -> Vec<String> {
    let mut lines = text.lines().map(|l| l.trim().trim_start_matches('\u{feff}')).filter(|l| !l.is_empty() && !l.starts_with('#'));
    let Some(head) = lines.next() else { return Vec::new() };
    let sep = separator(head);
    let names = cells(head, sep);
    let mut numeric = vec![true; names.len()];
    for l in lines.take(MAX_ROWS) {
        let fields = cells(l, sep);
        if fields.len() == names.len() {
            for (j, f) in fields.iter().enumerate() {
                numeric[j] &= parse_f64(f).is_some_and(f64::is_finite);
            }
        }
    }
    let text_columns: Vec<usize> = (0..names.len()).filter(|&j| !numeric[j]).collect();
    match text_columns.as_slice() {
        [] => names,
        [j] => vec![names[*j].clone()],
        _ => Vec::new(),
    }
}

impl Table {
    /// Its rows, feature columns and kind of label.
    pub fn shape(&self) -> Shape {
        Shape { rows: self.rows, columns: self.dim(), classes: self.is_classes() }
    }

    /// Feature columns (the input dimension).
    pub fn dim(&self) -> usize {
        self.features.len()
    }

    /// Row `i`'s features.
    pub fn row(&self, i: usize) -> &[f64] {
        let d = self.dim();
        &self.x[i * d..(i + 1) * d]
    }

    /// Whether its label is a class.
    pub fn is_classes(&self) -> bool {
        matches!(self.labels, Labels::Classes { .. })
    }

    /// How many outputs a model of it has: one per class, or one value.
    pub fn outputs(&self) -> usize {
        match &self.labels {
            Labels::Classes { names, .. } => names.len(),
            Labels::Values(_) => 1,
        }
    }

    /// The mean label over rows `idx`, for a regression (0 for classes): the models have no
    /// intercept, so a regression fits the labels less their training rows' mean
    /// ([`Table::centered`]) — else a label far from 0 (prices, years) would be mostly a
    /// constant to fit, and the curves would show that constant, not the data.
    pub fn label_mean(&self, idx: &[usize]) -> f64 {
        match &self.labels {
            Labels::Values(v) if !idx.is_empty() => idx.iter().map(|&r| v[r]).sum::<f64>() / idx.len() as f64,
            _ => 0.0,
        }
    }

    /// [`Table::targets`] of rows `idx` less `mean` ([`Table::label_mean`] of the training
    /// rows; classes' one-hot outputs are left as they are). Squared errors against these are
    /// the errors of the fit plus that mean against the labels themselves.
    pub fn centered(&self, idx: &[usize], mean: f64) -> Vec<f64> {
        let mut y = self.targets(idx);
        if !self.is_classes() {
            y.iter_mut().for_each(|v| *v -= mean);
        }
        y
    }

    /// The label outputs, output after output: one-hot classes, or the values.
    pub fn targets(&self, idx: &[usize]) -> Vec<f64> {
        let n = idx.len();
        match &self.labels {
            Labels::Classes { of, names } => {
                let mut y = vec![0.0; n * names.len()];
                for (i, &r) in idx.iter().enumerate() {
                    y[usize::from(of[r]) * n + i] = 1.0;
                }
                y
            }
            Labels::Values(v) => idx.iter().map(|&r| v[r]).collect(),
        }
    }
}

/// Reads a table from CSV `text`: a header naming every column, then one row a line (values
/// separated by commas, semicolons or tabs, as the header is; blank lines and lines starting
/// with `#` skipped). The label is the column named `label` (any case), else the one column of text, else the last. Every line
/// that cannot be used is reported with its number and reason — a row of another length, a
/// feature that is not a number, too many rows — and so is a feature column that is the same in
/// every row, a label of one class only or of too many classes, and too many columns.
pub fn parse_table(text: &str, label: Option<&str>) -> Result<Table, Vec<RowError>> {
    let one = |line: usize, message: String| vec![RowError { line, message }];
    if looks_binary(text) {
        return Err(one(1, "this is not a text file: expected a CSV table with a header".into()));
    }
    let mut lines =
        text.lines().enumerate().map(|(i, l)| (i + 1, l.trim().trim_start_matches('\u{feff}'))).filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((head_line, head)) = lines.next() else { return Err(one(1, "the table is empty: expected a header naming the columns, then rows".into())) };
    let sep = separator(head);
    let split = |l: &str| cells(l, sep);
    let names = split(head);
    if names.len() < 2 || names.iter().any(|n| parse_f64(n).is_some()) {
        return Err(one(head_line, format!("the first line must be a header naming at least two columns (features, then a label), got '{}'", short(head))));
    }
    if let Some((i, n)) = names.iter().enumerate().find(|(i, n)| n.is_empty() || names[..*i].contains(n)) {
        return Err(one(
            head_line,
            if n.is_empty() { format!("column {} of the header has no name", i + 1) } else { format!("the header names the column '{n}' twice") },
        ));
    }
    if names.len() - 1 > MAX_FEATURES {
        return Err(one(head_line, format!("{} feature columns: at most {MAX_FEATURES}", names.len() - 1)));
    }
    let at = match label {
        Some(l) => names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(l))
            .ok_or_else(|| one(head_line, format!("label: no column named '{l}' (the header names {})", names.join(", "))))?,
        // The column named `label`, else the one column of text (the features must be numbers),
        // else the last.
        None => names.iter().position(|n| n.eq_ignore_ascii_case("label")).unwrap_or_else(|| match label_choices(text).as_slice() {
            [one] if names.len() > 1 => names.iter().position(|n| n == one).unwrap_or(names.len() - 1),
            _ => names.len() - 1,
        }),
    };
    let features: Vec<String> = names.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, n)| n.clone()).collect();
    let (mut x, mut raw_labels, mut errors, mut rows) = (Vec::new(), Vec::new(), Vec::new(), 0usize);
    let mut label_lines = Vec::new();
    for (line, l) in lines {
        if rows >= MAX_ROWS {
            errors.push(RowError { line, message: format!("too many rows: at most {MAX_ROWS} (this line and the rest are not read)") });
            break;
        }
        let fields = split(l);
        if fields.len() != names.len() {
            errors.push(RowError { line, message: format!("expected {} values as in the header, got {} in '{}'", names.len(), fields.len(), short(l)) });
            continue;
        }
        let mut row = Vec::with_capacity(features.len());
        let mut bad = None;
        for (j, f) in fields.iter().enumerate().filter(|(j, _)| *j != at) {
            match parse_f64(f).filter(|v| v.is_finite()) {
                Some(v) => row.push(v),
                None => {
                    bad = Some(format!("column '{}': '{}' is not a number", names[j], short(f)));
                    break;
                }
            }
        }
        if fields[at].is_empty() {
            bad = bad.or(Some(format!("column '{}' (the label) is empty", names[at])));
        }
        match bad {
            Some(message) => errors.push(RowError { line, message }),
            None => {
                x.extend(row);
                raw_labels.push(fields[at].clone());
                label_lines.push(line);
                rows += 1;
            }
        }
    }
    let d = features.len();
    // Feature columns that are the same in every row say nothing.
    if rows > 0 {
        for (j, name) in features.iter().enumerate() {
            let first = x[j];
            if (0..rows).all(|i| x[i * d + j] == first) {
                errors.push(RowError { line: head_line, message: format!("column '{name}' is the same in every row ({first}): it says nothing; remove it") });
            }
        }
    }
    if errors.is_empty() && rows < MIN_ROWS {
        errors.push(RowError { line: head_line, message: format!("{rows} rows: at least {MIN_ROWS}") });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    // A label column of numbers with a few cells that are not: those cells, line by line (a
    // missing value written NA or ?), rather than a classification with a class "NA".
    let numeric = raw_labels.iter().filter(|c| parse_f64(c).is_some_and(f64::is_finite)).count();
    if numeric * 2 > rows && numeric < rows {
        let bad = raw_labels.iter().zip(&label_lines).filter(|(c, _)| !parse_f64(c).is_some_and(f64::is_finite));
        return Err(bad
            .map(|(c, &line)| RowError {
                line,
                message: format!("column '{}' (the label): '{}' is not a number, as the other labels are", names[at], short(c)),
            })
            .collect());
    }
    let labels = labels_of(&raw_labels, &names[at]).map_err(|m| one(head_line, m))?;
    Ok(Table { features, label: names[at].clone(), x, rows, labels })
}

/// Classes or values from the label column's cells.
fn labels_of(cells: &[String], name: &str) -> Result<Labels, String> {
    let numbers: Option<Vec<f64>> = cells.iter().map(|c| parse_f64(c).filter(|v| v.is_finite())).collect();
    // Numeric classes are the same class by value (1 and 1.0), text ones by their text.
    let same = |a: &str, b: &str| match (&numbers, parse_f64(a), parse_f64(b)) {
        (Some(_), Some(x), Some(y)) => x == y,
        _ => a == b,
    };
    let mut distinct: Vec<String> = Vec::new();
    for c in cells {
        if !distinct.iter().any(|d| same(d, c)) {
            distinct.push(c.clone());
            if distinct.len() > MAX_CLASSES && numbers.is_none() {
                return Err(format!("label '{name}': more than {MAX_CLASSES} different texts; a classification has at most {MAX_CLASSES} classes"));
            }
        }
    }
    if let Some(v) = &numbers {
        let whole = v.iter().all(|x| x.fract() == 0.0);
        if !(whole && distinct.len() <= MAX_CLASSES) {
            return Ok(Labels::Values(v.clone()));
        }
        // Whole numbers with few values: classes, in numeric order.
        distinct.sort_by(|a, b| parse_f64(a).unwrap_or(0.0).total_cmp(&parse_f64(b).unwrap_or(0.0)));
    } else {
        distinct.sort();
    }
    if distinct.len() < 2 {
        return Err(format!(
            "label '{name}': every row has the same label ({}); a classification needs at least two classes",
            distinct.first().map_or("", |s| s.as_str())
        ));
    }
    let of = cells.iter().map(|c| distinct.iter().position(|d| same(d, c)).unwrap_or(0) as u16).collect();
    Ok(Labels::Classes { of, names: distinct })
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(30).collect();
    if s.chars().count() > 30 {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse_table(text, None).err().map(|e| e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")).unwrap_or_default()
    }

    #[test]
    fn the_label_is_the_column_named_label_else_the_one_column_of_text_else_the_last() {
        let rows = (0..12).map(|i| format!("{},{},{}", if i % 2 == 0 { "setosa" } else { "virginica" }, i, i % 5)).collect::<Vec<_>>().join("\n");
        let t = parse_table(&format!("species,a,b\n{rows}\n"), None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((t.label.as_str(), t.features.len()), ("species", 2));
        let rows = (0..12).map(|i| format!("{},{},{}", i % 3, i, (i * 7) % 5)).collect::<Vec<_>>().join("\n");
        assert_eq!(parse_table(&format!("Label,a,b\n{rows}\n"), None).map(|t| t.label).ok().as_deref(), Some("Label"));
        assert_eq!(parse_table(&format!("a,b,c\n{rows}\n"), None).map(|t| t.label).ok().as_deref(), Some("c"));
    }

    #[test]
    fn a_label_is_any_column_of_numbers_or_else_the_one_column_of_text() {
        assert_eq!(label_choices("a,b,c\n1,2,3\n4,5,6\n"), ["a", "b", "c"]);
        assert_eq!(label_choices("a;kind;c\n1;x;3\n4;y;6\n"), ["kind"]);
        assert!(label_choices("a,kind,name\n1,x,p\n").is_empty());
        // A ragged row is skipped; a missing number makes a column text.
        assert_eq!(label_choices("a,b,c\n1,2\n1,NA,3\n"), ["b"]);
        assert!(label_choices("").is_empty());
    }

    #[test]
    fn a_header_of_three_named_columns_is_a_table_and_points_are_not() {
        assert!(looks_like_table("# wine\nalcohol,malic acid,class\n13.2,1.8,1\n"));
        assert!(looks_like_table("a;b;label\n1;2;3\n"));
        assert!(looks_like_table("a\tb\tlabel\n1\t2\tyes\n"));
        // Points: two columns, no header, numbers first, or a header naming x and y.
        assert!(!looks_like_table("x,y\n1,2\n"));
        assert!(!looks_like_table("1,2,3\n4,5,6\n"));
        assert!(!looks_like_table("x,y,weight\n1,2,3\n"));
        assert!(!looks_like_table("0.1 0.2\n"));
        assert!(!looks_like_table(""));
    }

    fn rows(k: usize, f: impl Fn(usize) -> String) -> String {
        (0..k).map(f).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn a_text_label_or_a_few_whole_numbers_are_classes_and_other_numbers_a_regression() {
        let text = format!("a,b,kind\n{}", rows(12, |i| format!("{i},{},{}", i * i, if i % 2 == 0 { "even" } else { "odd" })));
        let t = parse_table(&text, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((t.rows, t.dim(), t.outputs(), t.label.as_str()), (12, 2, 2, "kind"));
        assert_eq!(t.row(3), &[3.0, 9.0]);
        assert!(matches!(&t.labels, Labels::Classes { names, .. } if names == &["even", "odd"]));
        let y = t.targets(&[0, 1]);
        assert_eq!(y, vec![1.0, 0.0, 0.0, 1.0]);
        let num = format!("a;b;y\n{}", rows(12, |i| format!("{i};{};{}", i % 3, i % 4)));
        assert!(matches!(parse_table(&num, None).map(|t| t.labels), Ok(Labels::Classes { names, .. }) if names == ["0", "1", "2", "3"]));
        let reg = format!("a,b,y\n{}", rows(12, |i| format!("{i},{},{}.5", i % 3, i)));
        assert!(matches!(parse_table(&reg, None).map(|t| t.labels), Ok(Labels::Values(_))));
        // The label chosen by name, anywhere in the row.
        let t = parse_table(&format!("y,a,b\n{}", rows(12, |i| format!("{},{i},{}", i % 2, i * 3))), Some("Y")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((t.features.clone(), t.row(1)), (vec!["a".to_string(), "b".to_string()], &[1.0, 3.0][..]));
    }

    #[test]
    fn every_bad_line_is_named_with_its_number_and_reason() {
        let text = "a,b,y\n1,2,0\n3,x,1\n4,5\n\n# a comment\n6,7,\n";
        let e = err(text);
        assert!(e.contains("line 3: column 'b': 'x' is not a number"), "{e}");
        assert!(e.contains("line 4: expected 3 values as in the header, got 2"), "{e}");
        assert!(e.contains("line 7: column 'y' (the label) is empty"), "{e}");
        assert!(err("1,2,3\n4,5,6").contains("header"));
        assert!(err("a,a,y\n1,2,3").contains("twice"));
        assert!(err(&format!("a,b,y\n{}", rows(12, |i| format!("{i},5,{}", i % 2)))).contains("column 'b' is the same in every row"));
        assert!(err(&format!("a,b,y\n{}", rows(12, |i| format!("{i},{},same", i * 2)))).contains("at least two classes"));
        assert!(err(&format!("a,b,y\n{}", rows(30, |i| format!("{i},{},t{i}", i * 2)))).contains("at most 20"));
        assert!(err("a,b,y\n1,2,0\n2,3,1").contains("at least 11"));
        assert!(err(&format!("a,y\n{}", rows(MAX_ROWS + 3, |i| format!("{i},{}", i % 2)))).contains("too many rows: at most 5000"));
        assert!(parse_table("a,b,y\n1,2,3", Some("z")).err().is_some_and(|e| e[0].message.contains("label: no column named 'z'")));
        // A missing value in a numeric label column: that cell, by its line.
        let na = format!("a,b,y\n{}\n5,6,NA", rows(12, |i| format!("{i},{},{}.5", i * 2, i)));
        assert!(err(&na).contains("line 14: column 'y' (the label): 'NA' is not a number"), "{}", err(&na));
        // 1 and 1.0 are one class.
        let t =
            parse_table(&format!("a,b,y\n{}", rows(12, |i| format!("{i},{},{}", i * 2, ["1", "1.0", "2"][i % 3]))), None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.outputs(), 2);
        assert!(err("\u{0}\u{0}PNG").contains("not a text file"));
    }

    #[test]
    fn the_wine_table_reads_as_three_cultivars_of_thirteen_measurements() {
        let t = parse_table(include_str!("../../tests/data/wine.csv"), None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((t.rows, t.dim(), t.outputs(), t.label.as_str()), (178, 13, 3, "class"));
        assert_eq!(t.row(0)[12], 1065.0);
    }
}
