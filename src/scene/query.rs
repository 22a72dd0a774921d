//! Scene strings: parsing and range-checking one value ([`Param::parse`]), writing it back
//! ([`Param::format`]), the allowed values in words ([`Kind::allowed`]), whole query strings
//! ([`Scene::from_query`], [`Scene::to_query`], [`pairs`]) with URL percent-decoding, and the
//! error that names a parameter and its range ([`ParamError`]).

use super::table::{param, Kind, Param, Value, PARAMS};
use super::{Platform, Scene};
use crate::engine::features::Family;
use crate::engine::num::parse_f64;
use crate::engine::own;

/// A parameter that could not be used, with a message naming it and its allowed range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The key as written.
    pub key: String,
    /// A one-line message for the user.
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

impl Kind {
    /// The allowed values in words, for messages and help.
    pub fn allowed(&self, platform: Platform) -> String {
        match *self {
            Kind::Int { min, max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                format!("an integer from {min} to {hi}")
            }
            Kind::Real { min, max, .. } => format!("a number from {} to {}", fmt_real(min), fmt_real(max)),
            Kind::Choice(names) => format!("one of {}", names.join(", ")),
            Kind::Set(names) => format!("a comma-separated list of {}", names.join(", ")),
            Kind::Points { max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                format!("up to {hi} x:y pairs separated by commas, x from -1 to 1 and y from -{0} to {0}", own::Y_MAX)
            }
            Kind::Compare { keys, max } => {
                format!("KEY:V1,V2,… with 2 to {max} different values of one of {}, each allowed for that key; empty for none", keys.join(", "))
            }
        }
    }
}

impl Param {
    /// Parses and range-checks `text` for this parameter.
    pub fn parse(&self, text: &str, platform: Platform) -> Result<Value, ParamError> {
        let t = text.trim();
        let bad = || ParamError { key: self.key.to_string(), message: format!("{} must be {}, got '{}'", self.key, self.kind.allowed(platform), clip(text)) };
        match self.kind {
            Kind::Int { min, max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                let v: u64 = t.parse().map_err(|_| bad())?;
                if v < min || v > hi {
                    return Err(bad());
                }
                Ok(Value::Int(v))
            }
            Kind::Real { min, max, .. } => {
                let v = parse_f64(t).ok_or_else(bad)?;
                if !v.is_finite() || v < min || v > max {
                    return Err(bad());
                }
                Ok(Value::Real(v))
            }
            Kind::Choice(names) => {
                let lower = t.to_ascii_lowercase();
                names.iter().position(|n| *n == lower).map(Value::Choice).ok_or_else(bad)
            }
            Kind::Set(names) => {
                let mut bits = 0u64;
                for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let i = names.iter().position(|n| n.eq_ignore_ascii_case(part)).ok_or_else(bad)?;
                    bits |= 1 << i;
                }
                Ok(Value::Set(bits))
            }
            Kind::Points { max, web_max } => {
                let hi = if platform == Platform::Web { web_max } else { max };
                let mut pts = Vec::new();
                for (i, pair) in t.split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
                    // Name the pair that is wrong, not the whole list.
                    let bad_pair = |why: String| ParamError {
                        key: self.key.to_string(),
                        message: format!("points: pair {} '{}' {why}; write x:y pairs separated by commas", i + 1, clip(pair)),
                    };
                    let (x, y) = pair.split_once(':').ok_or_else(|| bad_pair("has no ':' between x and y".into()))?;
                    let number = |v: &str| parse_f64(v.trim()).filter(|v| v.is_finite());
                    let (x, y) = match (number(x), number(y)) {
                        (Some(x), Some(y)) => (x, y),
                        _ => return Err(bad_pair("is not two numbers".into())),
                    };
                    own::check_point(x, y).map_err(bad_pair)?;
                    pts.push((x, y));
                }
                if pts.len() > hi {
                    return Err(bad());
                }
                Ok(Value::Points(pts))
            }
            Kind::Compare { keys, max } => self.parse_compare(t, keys, max, platform),
        }
    }

    /// Parses a comparison, `KEY:V1,V2,…` (or `KEY=V1,…`, as the CLI's `--compare noise=0,0.1`
    /// reads): a comparable key and 2 to `max` different values, each parsed by that key's own
    /// row. Every message starts with `compare` and says what is wrong.
    fn parse_compare(&self, t: &str, keys: &[&'static str], max: usize, platform: Platform) -> Result<Value, ParamError> {
        if t.is_empty() {
            return Ok(Value::Compare(None));
        }
        let err = |message: String| ParamError { key: self.key.to_string(), message };
        let which = keys.join(", ");
        let Some((k, rest)) = t.split_once([':', '=']) else {
            return Err(err(format!("compare must be a key and its values, KEY:V1,V2,… (e.g. noise:0,0.1,0.3), got '{}'", clip(t))));
        };
        let k = k.trim();
        let Some(p) = param(k) else {
            return Err(err(format!("compare: unknown parameter '{}'; compare one of {which}", clip(k))));
        };
        let Some(key) = keys.iter().copied().find(|c| *c == p.key) else {
            return Err(err(format!("compare: {k} cannot be compared; compare one of {which}")));
        };
        let parts: Vec<&str> = if rest.trim().is_empty() { Vec::new() } else { rest.split(',').map(str::trim).collect() };
        match parts.len() {
            0 => return Err(err(format!("compare needs 2 to {max} values of {key}, got none"))),
            1 => return Err(err(format!("compare needs 2 to {max} values of {key}, got one ('{}')", clip(parts[0])))),
            n if n > max => return Err(err(format!("compare takes at most {max} values of {key}, got {n}"))),
            _ => {}
        }
        let mut values = Vec::with_capacity(parts.len());
        for part in parts {
            let v = p.parse(part, platform).map_err(|e| err(format!("compare: {}", e.message)))?;
            if values.contains(&v) {
                return Err(err(format!("compare: {key} {} is given twice; give each value once", p.format(v))));
            }
            values.push(v);
        }
        Ok(Value::Compare(Some(super::table::Compare { key, values })))
    }

    /// Formats a value of this parameter as it is written in a scene string.
    pub fn format(&self, v: Value) -> String {
        match (self.kind, v) {
            (_, Value::Int(i)) => i.to_string(),
            (_, Value::Real(r)) => fmt_real(r),
            (Kind::Choice(names), Value::Choice(c)) => names.get(c).copied().unwrap_or("").to_string(),
            (_, Value::Choice(c)) => c.to_string(),
            (Kind::Set(names), Value::Set(bits)) => {
                names.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, n)| *n).collect::<Vec<_>>().join(",")
            }
            (_, Value::Set(bits)) => bits.to_string(),
            (_, Value::Points(pts)) => pts.iter().map(|(x, y)| format!("{x}:{y}")).collect::<Vec<_>>().join(","),
            (_, Value::Compare(None)) => String::new(),
            (_, Value::Compare(Some(c))) => match param(c.key) {
                Some(p) => format!("{}:{}", c.key, c.values.iter().map(|v| p.format(v.clone())).collect::<Vec<_>>().join(",")),
                None => String::new(),
            },
        }
    }
}

/// Shortest round-tripping text of a number.
fn fmt_real(r: f64) -> String {
    format!("{r}")
}

/// A user's text, shortened for a message.
fn clip(text: &str) -> String {
    let t: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// Decodes `%XX` escapes and `+` of a URL query component (invalid escapes stay as written).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Scene {
    /// Sets one parameter from text; the error names it and its allowed range.
    pub fn set(&mut self, key: &str, text: &str, platform: Platform) -> Result<(), ParamError> {
        let p = param(key).ok_or_else(|| ParamError { key: key.to_string(), message: format!("unknown parameter '{}'", clip(key)) })?;
        let v = p.parse(text, platform)?;
        (p.set)(self, v);
        Ok(())
    }

    /// Reads one parameter as text.
    pub fn get(&self, key: &str) -> Option<String> {
        param(key).map(|p| p.format((p.get)(self)))
    }

    /// Parses a scene string leniently: unknown keys are ignored, a bad value keeps the default
    /// and is reported, then cross-parameter rules are checked (see [`Scene::check`]).
    pub fn from_query_lenient(query: &str, platform: Platform) -> (Scene, Vec<ParamError>) {
        Scene::default().with_query_lenient(query, platform)
    }

    /// This scene with a scene string applied on top: the keys it names change, everything else
    /// stays (what the embedding page's `ddviz:scene` message does). Leniently: a bad value keeps
    /// this scene's value, with an error naming it.
    pub fn with_query_lenient(&self, query: &str, platform: Platform) -> (Scene, Vec<ParamError>) {
        let base = self;
        let mut scene = base.clone();
        let mut errors = Vec::new();
        let all = pairs(query);
        for (i, (k, v)) in all.iter().enumerate() {
            if param(k).is_none() {
                continue;
            }
            if all[i + 1..].iter().any(|(later, _)| later == k) {
                // A key given twice: the last one counts, and the page says so.
                errors.push(ParamError { key: k.clone(), message: format!("{k} is given more than once; using the last value") });
                continue;
            }
            let (k, v) = (k.as_str(), v.as_str());
            if let Err(e) = scene.set(k, v, platform) {
                errors.push(e);
            }
        }
        if platform == Platform::Web {
            // Your own points are kept: a sweep too large for them gets a smaller max-size.
            errors.extend(scene.fit_web_budget());
        }
        for e in scene.check(platform) {
            // Fall back to the base's value of the parameter named, so the scene stays usable.
            if let Some(p) = param(&e.key) {
                (p.set)(&mut scene, (p.get)(base));
            }
            errors.push(e);
        }
        // A fallback may itself break a rule (the default size above a small max-size, the
        // default max-size above a small dim): bring the size axis within range, else start over.
        if !scene.check(platform).is_empty() {
            if scene.problem.family == Family::Gaussian {
                scene.max_size = scene.max_size.min(scene.problem.dim);
            }
            scene.size = scene.size.clamp(1, scene.max_size.max(1));
        }
        if !scene.check(platform).is_empty() {
            scene = base.clone();
        }
        (scene, errors)
    }

    /// Parses a scene string strictly: unknown keys and bad values are errors.
    pub fn from_query(query: &str, platform: Platform) -> Result<Scene, ParamError> {
        let mut scene = Scene::default();
        scene.apply_query(query, platform)?;
        Ok(scene)
    }

    /// Applies a scene string on top of this scene, strictly, then checks the cross rules.
    pub fn apply_query(&mut self, query: &str, platform: Platform) -> Result<(), ParamError> {
        for (k, v) in pairs(query) {
            self.set(&k, &v, platform)?;
        }
        match self.check(platform).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The scene string: every parameter that differs from the default, in table order.
    pub fn to_query(&self) -> String {
        let d = Scene::default();
        PARAMS.iter().filter(|p| (p.get)(self) != (p.get)(&d)).map(|p| format!("{}={}", p.key, p.format((p.get)(self)))).collect::<Vec<_>>().join("&")
    }
}

/// A value shortened for a message (a long list of points is not repeated whole).
pub fn points_short(v: &str) -> String {
    clip(v)
}

/// Points as the value of `points=` (x:y pairs separated by commas).
pub fn points_text(points: &[(f64, f64)]) -> String {
    PARAMS.iter().find(|p| p.key == "points").map(|p| p.format(Value::Points(points.to_vec()))).unwrap_or_default()
}

/// The `key=value` pairs of a query (a leading `?` or `#` is skipped; empty parts ignored).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    let q = query.trim().trim_start_matches(['?', '#']);
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(kv), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scene_serializes_to_the_empty_string() {
        assert_eq!(Scene::default().to_query(), "");
    }

    #[test]
    fn scenes_round_trip_through_their_query_strings() {
        let queries = [
            "family=relu&target=sin&n=100&noise=0.2&max-size=400&test=250",
            "family=gaussian&n=40&ridge=0.01&max-size=200&dim=200&decay=1.5&agg=mean&log-y=0",
            "family=fourier&seed=4294967295&bandwidth=12.5&x-dist=chebyshev&grid=log&log-x=0&ratio=1",
            "n=90&trials=3&smoothness=0&axis=samples&size=25",
        ];
        for q in queries {
            let s = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(s.to_query(), q, "canonical order and spelling");
            assert_eq!(Scene::from_query(&s.to_query(), Platform::Web), Ok(s));
        }
        // Every parameter at a non-default value survives the trip.
        for p in PARAMS {
            let mut s = Scene::default();
            let v = match p.kind {
                Kind::Int { min, .. } => Value::Int(min + 1),
                Kind::Real { min, max, .. } => Value::Real(min + (max - min) / 3.0),
                // The last family, linear, is of data=digits or a table only: the one before it.
                // A table is read from a file, never from the string: the digits, before it.
                Kind::Choice(names) => Value::Choice(names.len() - if p.key == "family" || p.key == "data" { 2 } else { 1 }),
                Kind::Set(_) => Value::Set(0b101),
                Kind::Points { .. } => Value::Points(vec![(0.5, -0.25), (0.125, 3.0), (-1.0, 1000.0), (1.0 / 3.0, 0.1), (0.0, 0.0), (-0.7, -2.5e-7)]),
                Kind::Compare { .. } => Value::Compare(Some(super::super::Compare { key: "noise", values: vec![Value::Real(0.0), Value::Real(1.0 / 3.0)] })),
            };
            (p.set)(&mut s, v);
            // The digits take random features.
            if p.key == "data" {
                s.problem.family = crate::engine::features::Family::Relu;
            }
            // The value shown of a comparison needs a comparison.
            if p.key == "pick" {
                s.compare = Some(super::super::Compare { key: "noise", values: vec![Value::Real(0.0), Value::Real(0.2)] });
            }
            let back = Scene::from_query_lenient(&s.to_query(), Platform::Native).0;
            assert_eq!((p.get)(&back), (p.get)(&s), "{}", p.key);
        }
    }

    #[test]
    fn every_parameter_rejects_bad_values_with_its_name_and_range() {
        for p in PARAMS {
            let bad: &[&str] = match p.kind {
                Kind::Int { .. } => &["abc", "-1", "1.5", "99999999999999999999", ""],
                Kind::Real { .. } => &["abc", "NaN", "inf", "-1e9", "1e300", ""],
                Kind::Choice(_) => &["nope", "", "2"],
                Kind::Set(_) => &["nope", "fit,nope", "1"],
                Kind::Points { .. } => &["abc", "0.5", "2:0", "0:nan", "0.1:0.2:0.3", "0:1e9"],
                Kind::Compare { .. } => &["abc", "seed:1,2", "noise:1", "noise:1,1", "noise:1,99"],
            };
            for v in bad {
                let e = Scene::default().set(p.key, v, Platform::Web).err().unwrap_or_else(|| panic!("{}={v} accepted", p.key));
                if let Kind::Points { .. } = p.kind {
                    // Points name the pair that is wrong, and how to write one.
                    assert!(e.message.starts_with(&format!("points: pair 1 '{v}' ")), "{}", e.message);
                    assert!(e.message.ends_with("write x:y pairs separated by commas"), "{}", e.message);
                } else if let Kind::Compare { .. } = p.kind {
                    // A comparison says what is wrong with it (its own tests: `compare.rs`).
                    assert!(e.message.starts_with("compare"), "{}", e.message);
                } else {
                    let want = format!("{} must be {}, got '{v}'", p.key, p.kind.allowed(Platform::Web));
                    assert_eq!(e.message, want);
                }
                assert_eq!(e.key, p.key);
            }
        }
        // The browser's limits are tighter than the CLI's.
        assert!(Scene::default().set("n", "5000", Platform::Native).is_ok());
        let e = Scene::default().set("n", "5000", Platform::Web).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("n must be an integer from 2 to 1000, got '5000'"));
    }

    #[test]
    fn lenient_parsing_ignores_unknown_keys_and_keeps_defaults_for_bad_values() {
        let (s, errs) = Scene::from_query_lenient("?wat=1&n=abc&noise=0.3&max-size=99999", Platform::Web);
        assert_eq!(s.problem.noise, 0.3);
        assert_eq!(s.problem.n, Scene::default().problem.n);
        assert_eq!(s.max_size, Scene::default().max_size);
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["n", "max-size"]);
    }

    #[test]
    fn percent_escapes_decode_and_bad_ones_stay() {
        assert_eq!(percent_decode("a%20b+c%zz%"), "a b c%zz%");
    }
}
