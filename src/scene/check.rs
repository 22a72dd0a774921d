//! The rules between parameters ([`Scene::check`]): what one value allows of another (sizes
//! within `max-size` and `dim`, enough of your own points for the folds) and, in the browser, a
//! bound on a sweep's work.

use super::query::ParamError;
use super::{Platform, Scene};
use crate::engine::features::Family;
use crate::engine::num::format_sci;
use crate::engine::own::Eval;
use crate::engine::sweep::Axis;

impl Scene {
    /// Rules that involve more than one parameter.
    pub fn check(&self, platform: Platform) -> Vec<ParamError> {
        let mut errs = Vec::new();
        let err = |key: &str, message: String| ParamError { key: key.to_string(), message };
        if self.problem.family == Family::Gaussian && self.max_size > self.problem.dim {
            errs.push(err("max-size", format!("max-size must be at most dim = {} for the gaussian family, got {}", self.problem.dim, self.max_size)));
        }
        if self.problem.ridge > 0.0 && self.problem.ridge < super::table::MIN_RIDGE {
            errs.push(err("ridge", format!("ridge must be 0 (the minimum-norm fit) or from 1e-12 to 1000, got {}", format_sci(self.problem.ridge, 2))));
        }
        if self.panels == 0 {
            errs.push(err("panels", format!("panels must name at least one of {}, got none", super::PANELS.join(", "))));
        }
        if self.problem.data.is_some() && self.problem.family == Family::Gaussian {
            errs.push(err("family", "family must be legendre, relu or fourier with your own data (points=…), got gaussian".into()));
        }
        if let Some(d) = &self.problem.data {
            let least = self.problem.folds.max(3);
            if d.x.len() < least {
                errs.push(err(
                    "points",
                    format!("points must number at least {least} with folds = {} (each fold holds out one), got {}", self.problem.folds, d.x.len()),
                ));
            }
        }
        let limit = if self.axis == Axis::Size { self.max_size } else { self.size.min(self.problem.dim.max(1)) };
        if self.size > self.max_size.max(limit) || (self.problem.family == Family::Gaussian && self.size > self.problem.dim) {
            errs.push(err("size", format!("size must be an integer from 1 to max-size = {}, got {}", self.max_size, self.size)));
        }
        let table = self.table.is_some() || self.table_shape.is_some();
        if platform == Platform::Web && self.source == super::Source::Table && !table {
            // A table is read from a file, never from the scene string (natively, the table is
            // given once the scene is read: `--data FILE.csv`).
            errs.push(err("data", "data=table needs a table: upload one under Your own data".into()));
        }
        if self.source == super::Source::Digits && self.problem.eval == Eval::KFold {
            errs.push(err("holdout", "holdout must be split with data=digits (their held-out images are a sample of their own), got kfold".into()));
        }
        if platform == Platform::Web && self.source != super::Source::Generated && self.compare.is_some() {
            errs.push(err("compare", "compare must be none with data=digits or a table here, got a comparison".into()));
        }
        // The digits' and a table's settings are checked before their numbers are loaded (a
        // table's by its shape), and generated data
        // refuse the plain linear model, by the engine's own checks, naming the parameter (the
        // page falls back on its default).
        let engine = match self.source {
            super::Source::Digits => self.table_layout().err(),
            super::Source::Table if table => self.table_layout().err(),
            super::Source::Generated if self.problem.family == Family::Linear => self.problem.validate(self.max_size).err(),
            _ => None,
        };
        if let Some(e) = engine {
            let key = if let crate::engine::EngineError::OutOfRange { name, .. } = &e { name } else { "data" };
            errs.push(err(key, e.to_string()));
        }
        if platform == Platform::Web {
            let (one, what) = self.web_work();
            // A comparison's sweeps all run: their sum must fit.
            let compared = self.compared();
            let work = if compared.is_empty() { one } else { compared.iter().map(|(_, s)| s.web_work().0).sum() };
            let what = if compared.is_empty() { what.to_string() } else { format!("{what}, summed over the compared values,") };
            if work > WEB_WORK {
                let key = if self.problem.data.is_some() { "points" } else { "trials" };
                let lower = if self.problem.data.is_some() { "use fewer points, or lower trials or max-size" } else { "lower trials or max-size" };
                errs.push(err(key, format!("trials × max-size × {what} must stay under 4e9 in the browser, got {}: {lower}", format_sci(work, 2))));
            }
        }
        let values = self.compare.as_ref().map_or(1, |c| c.values.len());
        if self.pick >= values {
            let message = match values {
                1 => format!("pick must be 1 without a comparison, got {}", self.pick + 1),
                _ => format!("pick must be an integer from 1 to {values} (the compared values), got {}", self.pick + 1),
            };
            errs.push(err("pick", message));
        }
        errs.extend(self.check_compare(platform, &errs));
        errs
    }

    /// A sweep's work in the browser: about trials·P·n·(n + test) multiply-adds for the
    /// incremental path (with your own points, trials·P·points² per fold fitted), and what it is
    /// made of, for messages.
    pub(super) fn web_work(&self) -> (f64, &'static str) {
        let pr = &self.problem;
        match &pr.data {
            // A table's k-fold: a fit a fold, each on n rows with its held-out block.
            None if self.source == super::Source::Table && pr.eval == Eval::KFold => {
                let folds = pr.folds.max(1) as f64;
                (
                    self.trials as f64 * self.max_size as f64 * pr.n as f64 * folds * (pr.n as f64 + pr.n as f64 / (folds - 1.0).max(1.0)),
                    "n × (n + n/(k−1)) × k",
                )
            }
            None => (self.trials as f64 * self.max_size as f64 * pr.n as f64 * (pr.n + pr.test) as f64, "n × (n + test)"),
            Some(_) => {
                let fits = if pr.eval == Eval::KFold { pr.folds } else { 1 };
                (self.trials as f64 * self.max_size as f64 * (fits * pr.train_n() * pr.points()) as f64, "points² × (folds, for k-fold)")
            }
        }
    }

    /// With your own points (or a table) over the browser's work budget: keeps every point and
    /// lowers max-size (and the size with it) until the sweep fits, and says so. `None` when nothing had
    /// to change (or there is no own data: then [`Scene::check`] names the parameters to lower).
    pub fn fit_web_budget(&mut self) -> Option<ParamError> {
        let (work, _) = self.web_work();
        let table = self.source == super::Source::Table;
        if (self.problem.data.is_none() && !table) || work <= WEB_WORK {
            return None;
        }
        let per_size = work / self.max_size.max(1) as f64;
        let max = ((WEB_WORK / per_size).floor() as usize).max(1);
        if max >= self.max_size {
            return None;
        }
        self.max_size = max;
        self.size = self.size.min(max);
        if table {
            return Some(ParamError {
                key: "max-size".into(),
                message: format!("max-size lowered to {max} so that your table's sweep fits the browser's budget: lower trials for a larger max-size"),
            });
        }
        let n = self.problem.points();
        Some(ParamError {
            key: "max-size".into(),
            message: format!(
                "max-size lowered to {max} so that your {n} points fit the browser's budget (trials × max-size × points² under 4e9): lower trials for a larger max-size"
            ),
        })
    }
}

/// The most work one sweep may take in the browser (multiply-adds: a few seconds).
pub(super) const WEB_WORK: f64 = 4e9;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::points_text;

    #[test]
    fn your_own_points_round_trip_and_rule_out_what_they_cannot_do() {
        let q = "points=0.5:1,-0.5:0.25,0:0,0.25:-1,-1:2,1:0.5&holdout=kfold&folds=3";
        let s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.to_query(), q);
        assert_eq!(s.problem.points(), 6);
        assert_eq!(s.problem.train_n(), 4);
        assert_eq!(crate::plot::threshold(&s), 4);
        // The fit panel uses every training point of the split at the selected size.
        let (problem, size) = s.fit_problem(12);
        assert_eq!((problem.n >= 4, size), (true, 12));
        let (s2, errs) = Scene::from_query_lenient(&format!("{q}&family=gaussian"), Platform::Web);
        assert_eq!(errs.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["family"]);
        assert!(s2.problem.data.is_some() && s2.problem.family == Family::Legendre);
        let few = Scene::from_query("points=0.5:1,0:0&folds=5", Platform::Web).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(few, "points must number at least 5 with folds = 5 (each fold holds out one), got 2");
        let many = (0..1001).map(|i| format!("{}:0", i as f64 / 1001.0)).collect::<Vec<_>>().join(",");
        assert!(Scene::default().set("points", &many, Platform::Web).is_err());
        assert!(Scene::default().set("points", &many, Platform::Native).is_ok());
        assert_eq!(points_text(&[(0.5, 1.0), (-0.25, 2.0)]), "0.5:1,-0.25:2");
    }
}
