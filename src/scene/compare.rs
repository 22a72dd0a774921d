//! Comparisons (`compare=noise:0,0.1,0.3`): the scenes a comparison stands for, one per value of
//! the compared parameter ([`Scene::compared`]), with the label each is drawn and named with,
//! and the rules a comparison must keep ([`Scene::check_compare`]).

use std::borrow::Cow;

use super::query::ParamError;
use super::table::{param, Kind, Value};
use super::{Platform, Scene};
use crate::engine::chain::Chain;
use crate::engine::features::Family;
use crate::engine::num::format_sci;
use crate::engine::EngineError;

impl Scene {
    /// The scenes a comparison stands for, in its order: this scene with the compared key set to
    /// each value (and no comparison of its own), with its label (`noise 0.3`, `ridge 1e-4`,
    /// `family relu`). Empty without a comparison. Every other parameter, the seed too, is
    /// shared, so the sweeps draw the same data and features wherever the key allows.
    pub fn compared(&self) -> Vec<(String, Scene)> {
        let Some(c) = &self.compare else { return Vec::new() };
        let Some(p) = param(c.key) else { return Vec::new() };
        c.values
            .iter()
            .map(|v| {
                let mut s = self.clone();
                s.compare = None;
                s.pick = 0;
                (p.set)(&mut s, v.clone());
                (compare_label(c.key, v), s)
            })
            .collect()
    }

    /// The compared values' labels (`noise 0.1`, …), as [`Scene::compared`] names them, without
    /// building the scenes. Empty without a comparison.
    pub fn compared_labels(&self) -> Vec<String> {
        self.compare.as_ref().map_or_else(Vec::new, |c| c.values.iter().map(|v| compare_label(c.key, v)).collect())
    }

    /// The scene whose curves, fit and readout are shown in full: the compared value picked
    /// ([`Scene::pick`]; the last one past the end), or this scene itself without a comparison.
    pub fn shown(&self) -> Cow<'_, Scene> {
        let Some(c) = &self.compare else { return Cow::Borrowed(self) };
        let (Some(p), Some(v)) = (param(c.key), c.values.get(self.pick).or(c.values.last())) else { return Cow::Borrowed(self) };
        let mut s = self.clone();
        s.compare = None;
        s.pick = 0;
        (p.set)(&mut s, v.clone());
        Cow::Owned(s)
    }

    /// The trials this scene asks for: its sweep ([`Scene::sweep`]), or with a comparison each
    /// compared scene's sweep one after another.
    pub fn chain(&self) -> Result<Chain, EngineError> {
        self.chain_of(Scene::sweep)
    }

    /// The trials of a scene that the page's own module computes: size sweeps
    /// ([`Scene::size_sweep`]), one per compared value or one (an error for a
    /// [`Scene::remote`] scene).
    pub fn size_chain(&self) -> Result<Chain, EngineError> {
        self.chain_of(Scene::size_sweep)
    }

    /// The trials of generated data or your own points ([`Scene::generated_sweep`]), one sweep
    /// per compared value or one: the article element's.
    pub fn generated_chain(&self) -> Result<Chain, EngineError> {
        self.chain_of(Scene::generated_sweep)
    }

    fn chain_of(&self, sweep: fn(&Scene) -> Result<Box<dyn crate::engine::sweep::Sweep>, EngineError>) -> Result<Chain, EngineError> {
        if self.compare.is_none() {
            return Ok(Chain::new(vec![sweep(self)?]));
        }
        let parts = self.compared().iter().map(|(_, s)| sweep(s)).collect::<Result<Vec<_>, _>>()?;
        Ok(Chain::new(parts))
    }

    /// The compared value of each compared scene as a scene string writes it (`0.3`,
    /// `0.0001`, `relu`): the CSV's `compare` column is `key=` this.
    pub fn compared_texts(&self) -> Vec<String> {
        let Some(c) = &self.compare else { return Vec::new() };
        let Some(p) = param(c.key) else { return Vec::new() };
        c.values.iter().map(|v| p.format(v.clone())).collect()
    }

    /// The rules of a comparison beyond its own values: the compared key must change something
    /// in this scene, and each compared scene must keep every rule between parameters (an error
    /// this scene has too is not repeated). The message names `compare`.
    pub(super) fn check_compare(&self, platform: Platform, base: &[ParamError]) -> Option<ParamError> {
        let c = self.compare.as_ref()?;
        let err = |message: String| Some(ParamError { key: "compare".into(), message });
        let family = self.problem.family;
        let only = match c.key {
            "smoothness" => Some(Family::Legendre),
            "bandwidth" => Some(Family::Fourier),
            "dim" | "decay" => Some(Family::Gaussian),
            _ => None,
        };
        if let Some(f) = only.filter(|f| *f != family) {
            return err(format!("compare: {} changes only the {} family's curves, and this scene's family is {}", c.key, f.name(), family.name()));
        }
        if self.axis == crate::engine::sweep::Axis::Samples && c.key == "n" {
            return err("compare: n is the sample sweep's own axis (axis=samples); compare n with axis=size".into());
        }
        if family == Family::Gaussian && matches!(c.key, "target" | "x-dist") {
            return err(format!("compare: {} changes nothing in the gaussian family (its inputs are D-dimensional); use legendre, relu or fourier", c.key));
        }
        if self.problem.data.is_some() && matches!(c.key, "n" | "noise" | "target" | "x-dist") {
            return err(format!("compare: {} changes nothing with your own points; compare family, ridge, smoothness or bandwidth", c.key));
        }
        for (label, s) in self.compared() {
            if let Some(e) = s.check(platform).into_iter().find(|e| !base.contains(e)) {
                return err(format!("compare: with {label}: {}", e.message));
            }
        }
        None
    }
}

/// A compared value's label, `key value`: numbers as a scene string writes them, except small
/// and large values of a logarithmic parameter, in exponent form (`ridge 1e-4`).
pub fn compare_label(key: &str, v: &Value) -> String {
    let Some(p) = param(key) else { return key.to_string() };
    let text = match (p.kind, v) {
        (Kind::Real { log: true, .. }, Value::Real(r)) if *r != 0.0 && (r.abs() < 1e-2 || r.abs() >= 1e4) => shortest_sci(*r),
        _ => p.format(v.clone()),
    };
    format!("{key} {text}")
}

/// `x` in the shortest scientific notation that reads back as `x` (`1e-4`, `2.5e-6`), as
/// `{:e}` writes it, without linking std's exponent printer into the page.
fn shortest_sci(x: f64) -> String {
    let mut text = format_sci(x, 15);
    for d in 0..=15 {
        let t = format_sci(x, d);
        if crate::engine::num::parse_f64(&t) == Some(x) {
            text = t;
            break;
        }
    }
    // "1.50e-4" → "1.5e-4", "1.e-4" → "1e-4".
    match text.split_once('e') {
        Some((m, e)) if m.contains('.') => format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.')),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(q: &str) -> Scene {
        Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    fn message(q: &str) -> String {
        Scene::from_query(q, Platform::Web).err().map(|e| format!("{}: {}", e.key, e.message)).unwrap_or_else(|| format!("{q} accepted"))
    }

    #[test]
    fn a_comparison_round_trips_through_the_url_in_its_canonical_spelling() {
        for q in [
            "compare=noise:0,0.1,0.3",
            "ridge=0.001&compare=ridge:0,1e-6,0.0001,0.01",
            "family=relu&target=sin&n=40&compare=family:relu,legendre,fourier",
            "compare=smoothness:0,1,2,3,4",
            "family=gaussian&n=40&dim=400&max-size=400&compare=decay:0,1.5",
        ] {
            let s = scene(q);
            let back = scene(&s.to_query());
            assert_eq!(back, s, "{q}");
            assert_eq!(back.to_query(), s.to_query());
        }
        // Written canonically: numbers in their shortest form, `=` and spaces read too.
        assert_eq!(scene("compare=ridge:0,1e-6,0.0001,0.01").to_query(), "compare=ridge:0,0.000001,0.0001,0.01");
        assert_eq!(scene("compare=noise%3D0.10,%200.3").to_query(), "compare=noise:0.1,0.3");
        assert_eq!(scene("compare=").compare, None);
        assert_eq!(Scene::default().get("compare").as_deref(), Some(""));
    }

    #[test]
    fn each_compared_scene_is_this_scene_with_the_key_set_to_one_value() {
        let base = scene("family=relu&target=sin&n=40&noise=0.2&max-size=400&compare=noise:0.1,0.3");
        let got = base.compared();
        assert_eq!(got.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), ["noise 0.1", "noise 0.3"]);
        for ((_, s), noise) in got.iter().zip([0.1, 0.3]) {
            let mut want = base.clone();
            want.compare = None;
            want.problem.noise = noise;
            assert_eq!(*s, want);
        }
        assert_eq!(base.compared_texts(), ["0.1", "0.3"]);
        let ridge = scene("compare=ridge:0,1e-4,0.5,1000");
        assert_eq!(ridge.compared().iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(), ["ridge 0", "ridge 1e-4", "ridge 0.5", "ridge 1000"]);
        assert_eq!(scene("compare=family:relu,fourier").compared()[1].1.problem.family, Family::Fourier);
        for x in [1e-6, 2.5e-5, 1.234e-3, 5e4, 1e-12, 7.77e-7] {
            assert_eq!(shortest_sci(x), format!("{x:e}"));
        }
        assert!(Scene::default().compared().is_empty());
    }

    #[test]
    fn every_comparison_the_page_suggests_applies_to_the_default_scene() {
        for ex in crate::scene::COMPARE_EXAMPLES {
            let s = scene(&format!("compare={ex}"));
            assert_eq!(s.compare.as_ref().map(|c| c.values.len()), Some(ex.split(',').count()), "{ex}");
            assert!(s.chain().is_ok(), "{ex}");
        }
    }

    #[test]
    fn every_bad_comparison_gets_a_message_naming_compare_and_what_is_wrong() {
        let cases = [
            (
                "compare=nosie:0,0.1",
                "compare: compare: unknown parameter 'nosie'; compare one of family, target, x-dist, n, noise, ridge, smoothness, bandwidth, dim, decay",
            ),
            (
                "compare=seed:1,2",
                "compare: compare: seed cannot be compared; compare one of family, target, x-dist, n, noise, ridge, smoothness, bandwidth, dim, decay",
            ),
            (
                "compare=theme:light,dark",
                "compare: compare: theme cannot be compared; compare one of family, target, x-dist, n, noise, ridge, smoothness, bandwidth, dim, decay",
            ),
            ("compare=noise:0.3", "compare: compare needs 2 to 5 values of noise, got one ('0.3')"),
            ("compare=noise:", "compare: compare needs 2 to 5 values of noise, got none"),
            ("compare=noise:0,0.1,0.2,0.3,0.4,0.5", "compare: compare takes at most 5 values of noise, got 6"),
            ("compare=noise:0,12", "compare: compare: noise must be a number from 0 to 10, got '12'"),
            ("compare=n:40,1500", "compare: compare: n must be an integer from 2 to 1000, got '1500'"),
            ("compare=family:relu,cnn", "compare: compare: family must be one of legendre, relu, fourier, gaussian, linear, got 'cnn'"),
            ("compare=noise:0.1,0.10", "compare: compare: noise 0.1 is given twice; give each value once"),
            ("compare=noise", "compare: compare must be a key and its values, KEY:V1,V2,… (e.g. noise:0,0.1,0.3), got 'noise'"),
            ("compare=ridge:0,1e-13", "compare: compare: with ridge 1e-13: ridge must be 0 (the minimum-norm fit) or from 1e-12 to 1000, got 1.00e-13"),
            ("compare=smoothness:0,1&family=relu", "compare: compare: smoothness changes only the legendre family's curves, and this scene's family is relu"),
            (
                "family=gaussian&compare=target:sin,abs",
                "compare: compare: target changes nothing in the gaussian family (its inputs are D-dimensional); use legendre, relu or fourier",
            ),
            (
                "points=0:0,0.5:1,-0.5:1,0.25:0,-0.25:0&compare=noise:0,0.1",
                "compare: compare: noise changes nothing with your own points; compare family, ridge, smoothness or bandwidth",
            ),
            (
                "dim=300&compare=family:legendre,gaussian",
                "compare: compare: with family gaussian: max-size must be at most dim = 300 for the gaussian family, got 600",
            ),
        ];
        for (q, want) in cases {
            assert_eq!(message(q), want, "{q}");
        }
        // In a link, a bad comparison falls back to none, with the message.
        let (s, errs) = Scene::from_query_lenient("noise=0.2&compare=seed:1,2", Platform::Web);
        assert_eq!((s.problem.noise, s.compare.is_none()), (0.2, true));
        assert_eq!(errs.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["compare"]);
    }
}
