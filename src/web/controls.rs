//! The controls, generated from the parameter table: one labelled input per row.
//!
//! Whole numbers and linear reals are range sliders; reals marked `log` are sliders over
//! log10 (with the left end meaning 0 where 0 is allowed, as for ridge); names are `<select>`s;
//! 0/1 switches are checkboxes; the seed is a number field. The slider's range comes from the
//! table's `slider` column, widened to include a value a URL asked for.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use super::dom;
use crate::engine::num::{format_sci, parse_f64};
use crate::plot::axes_short as short;
use crate::scene::{Kind, Param, Scene, CONTROL_KEYS, PARAMS};

/// Steps of a log slider.
const LOG_STEPS: f64 = 1000.0;

/// Parameters shown in the "view" group rather than with the model's knobs.
pub const VIEW_KEYS: &[&str] = &["agg", "log-y", "log-x", "ratio", "axis", "grid", "theme"];

/// Which family a parameter belongs to (`None`: every family).
fn family_of(key: &str) -> Option<&'static [&'static str]> {
    match key {
        "smoothness" => Some(&["legendre"]),
        "bandwidth" => Some(&["fourier"]),
        "dim" | "decay" => Some(&["gaussian"]),
        "target" | "x-dist" | "points" => Some(&["legendre", "relu", "fourier"]),
        "holdout" | "folds" => Some(&["legendre", "relu", "fourier", "linear"]),
        _ => None,
    }
}

/// Whether a control applies to the data in use: the generated data's knobs, your own data's
/// (or a table's) way of holding points out, or the digits' (their training and held-out
/// images; a table with k-fold holds out its folds, not `test` rows).
fn applies(key: &str, scene: &Scene) -> bool {
    let own = scene.problem.data.is_some();
    let table = scene.source == crate::scene::Source::Table;
    let kfold = scene.problem.eval == crate::engine::own::Eval::KFold;
    match key {
        "noise" | "target" | "x-dist" => !own && scene.source == crate::scene::Source::Generated,
        "n" => !own,
        "test" => !(own || table && kfold),
        "holdout" | "folds" => own || table,
        _ => true,
    }
}

fn is_switch(p: &Param) -> bool {
    matches!(p.kind, Kind::Choice(names) if names == ["0", "1"])
}

/// The control's id for a key.
pub fn control_id(key: &str) -> String {
    format!("ctl-{key}")
}

fn slider_range(p: &Param, v: f64) -> (f64, f64) {
    let (lo, hi) = p.slider.unwrap_or((0.0, 1.0));
    (lo.min(if v > 0.0 { v } else { lo }), hi.max(v))
}

/// The slider position of a value.
fn position(p: &Param, v: f64) -> f64 {
    match p.kind {
        Kind::Real { log: true, min, .. } => {
            let (lo, hi) = slider_range(p, v);
            if v <= 0.0 || (min == 0.0 && v < lo) {
                0.0
            } else {
                ((v / lo).ln() / (hi / lo).ln() * LOG_STEPS).clamp(if min == 0.0 { 1.0 } else { 0.0 }, LOG_STEPS)
            }
        }
        _ => v,
    }
}

/// The value text of a slider position.
fn value_text(p: &Param, pos: f64, current: f64) -> String {
    match p.kind {
        Kind::Real { log: true, min, .. } => {
            if min == 0.0 && pos <= 0.0 {
                return "0".into();
            }
            let (lo, hi) = slider_range(p, current);
            let v = lo * (hi / lo).powf(pos / LOG_STEPS);
            // Three significant digits keep URLs short.
            format!("{}", parse_f64(&format_sci(v, 2)).unwrap_or(v))
        }
        Kind::Int { .. } => format!("{}", pos.round() as i64),
        _ => format!("{}", parse_f64(&format!("{pos:.3}")).unwrap_or(pos)),
    }
}

fn numeric(p: &Param, scene: &Scene) -> f64 {
    match (p.get)(scene) {
        crate::scene::Value::Int(i) => i as f64,
        crate::scene::Value::Real(r) => r,
        crate::scene::Value::Choice(c) => c as f64,
        crate::scene::Value::Set(b) => b as f64,
        crate::scene::Value::Points(p) => p.len() as f64,
        crate::scene::Value::Compare(c) => c.map_or(0.0, |c| c.values.len() as f64),
    }
}

/// The unit a slider's value is spoken with (its `aria-valuetext`).
fn unit(key: &str) -> &'static str {
    match key {
        "n" => "training points",
        "max-size" | "size" => "features",
        "trials" => "trials",
        "test" => "test points",
        "dim" => "dimensions",
        "folds" => "folds",
        "noise" => "label noise standard deviation",
        "bandwidth" => "frequency standard deviation",
        "ridge" => "ridge penalty",
        "smoothness" => "smoothness exponent",
        "decay" => "decay exponent",
        _ => "",
    }
}

/// A readable value for the control's label.
pub fn display(p: &Param, scene: &Scene) -> String {
    match p.kind {
        Kind::Choice(_) | Kind::Set(_) => scene.get(p.key).unwrap_or_default(),
        Kind::Int { .. } => scene.get(p.key).unwrap_or_default(),
        Kind::Real { .. } => short(numeric(p, scene)),
        Kind::Points { .. } => format!("{} points", numeric(p, scene)),
        Kind::Compare { .. } => scene.get(p.key).unwrap_or_default(),
    }
}

/// Builds one control into `parent`.
fn build_one(parent: &Element, p: &'static Param) -> Option<()> {
    let id = control_id(p.key);
    let wrap = dom::create("div", &[("class", "control"), ("id", &format!("wrap-{}", p.key)), ("title", p.help)])?;
    if is_switch(p) {
        let label = dom::create("label", &[("class", "switch")])?;
        let input = dom::create("input", &[("type", "checkbox"), ("id", &id), ("data-key", p.key)])?;
        label.append_child(&input).ok()?;
        let text = dom::create("span", &[])?;
        text.set_text_content(Some(p.label));
        label.append_child(&text).ok()?;
        wrap.append_child(&label).ok()?;
    } else {
        let label = dom::create("label", &[("for", &id)])?;
        let name = dom::create("span", &[("class", "name")])?;
        name.set_text_content(Some(p.label));
        label.append_child(&name).ok()?;
        let out = dom::create("output", &[("id", &format!("val-{}", p.key)), ("for", &id)])?;
        label.append_child(&out).ok()?;
        wrap.append_child(&label).ok()?;
        let input = match p.kind {
            Kind::Choice(names) => {
                let sel = dom::create("select", &[("id", &id), ("data-key", p.key)])?;
                for n in names {
                    let o = dom::create("option", &[("value", n)])?;
                    o.set_text_content(Some(n));
                    sel.append_child(&o).ok()?;
                }
                sel
            }
            _ if p.key == "seed" => dom::create("input", &[("type", "number"), ("id", &id), ("data-key", p.key), ("min", "0"), ("step", "1")])?,
            // A comparison is typed (KEY:V1,V2,…), or one of the suggestions picked; it applies
            // when the text is committed (Enter, or leaving the field), not at every key.
            Kind::Compare { .. } => {
                let list = dom::create("datalist", &[("id", "compare-suggestions")])?;
                for s in crate::scene::COMPARE_EXAMPLES {
                    let o = dom::create("option", &[("value", s)])?;
                    list.append_child(&o).ok()?;
                }
                wrap.append_child(&list).ok()?;
                dom::create(
                    "input",
                    &[
                        ("type", "text"),
                        ("id", &id),
                        ("data-key", p.key),
                        ("list", "compare-suggestions"),
                        ("placeholder", "none (e.g. noise:0,0.1,0.3)"),
                        ("spellcheck", "false"),
                    ],
                )?
            }
            _ => dom::create("input", &[("type", "range"), ("id", &id), ("data-key", p.key)])?,
        };
        let _ = input.set_attribute("aria-describedby", &format!("help-{}", p.key));
        wrap.append_child(&input).ok()?;
        let help = dom::create("span", &[("class", "help"), ("id", &format!("help-{}", p.key))])?;
        help.set_text_content(Some(p.help));
        wrap.append_child(&help).ok()?;
    }
    parent.append_child(&wrap).ok()?;
    Some(())
}

/// Builds every control into `#controls` (model knobs) and `#view-controls` (how it is shown).
pub fn build(scene: &Scene) {
    let (Some(model), Some(view)) = (dom::by_id::<Element>("controls"), dom::by_id::<Element>("view-controls")) else { return };
    // Your own points have their own editor (the fit panel and the data section of the page).
    for p in PARAMS.iter().filter(|p| CONTROL_KEYS.contains(&p.key) && !matches!(p.kind, Kind::Points { .. })) {
        let parent = if VIEW_KEYS.contains(&p.key) { &view } else { &model };
        let _ = build_one(parent, p);
    }
    sync(scene);
}

/// Puts the scene's values into the controls (ranges, positions, labels, visibility).
pub fn sync(scene: &Scene) {
    let family = scene.get("family").unwrap_or_default();
    for p in PARAMS.iter().filter(|p| CONTROL_KEYS.contains(&p.key)) {
        let visible = family_of(p.key).is_none_or(|fams| fams.contains(&family.as_str())) && scene.shows_control(p.key) && applies(p.key, scene);
        dom::set_hidden(&format!("wrap-{}", p.key), !visible);
        if matches!(p.kind, Kind::Points { .. }) {
            continue;
        }
        let id = control_id(p.key);
        let v = numeric(p, scene);
        if is_switch(p) {
            if let Some(i) = dom::by_id::<HtmlInputElement>(&id) {
                i.set_checked(v == 1.0);
            }
        } else if let Kind::Choice(_) = p.kind {
            if let Some(s) = dom::by_id::<HtmlSelectElement>(&id) {
                s.set_value(&scene.get(p.key).unwrap_or_default());
            }
        } else if let Some(i) = dom::by_id::<HtmlInputElement>(&id) {
            if matches!(p.kind, Kind::Compare { .. }) {
                i.set_value(&scene.get(p.key).unwrap_or_default());
            } else if p.key == "seed" {
                i.set_value(&scene.get("seed").unwrap_or_default());
            } else {
                let (lo, hi) = match (p.kind, p.key) {
                    (_, "size") => (1.0, slider_max_size(scene) as f64),
                    (Kind::Real { log: true, .. }, _) => (0.0, LOG_STEPS),
                    _ => slider_range(p, v),
                };
                let _ = i.set_attribute("min", &lo.to_string());
                let _ = i.set_attribute("max", &hi.to_string());
                let step = match p.kind {
                    Kind::Int { .. } | Kind::Real { log: true, .. } => 1.0,
                    _ => (hi - lo) / 200.0,
                };
                let _ = i.set_attribute("step", &step.to_string());
                i.set_value(&position(p, v).to_string());
                let _ = i.set_attribute("aria-valuetext", format!("{} {}", display(p, scene), unit(p.key)).trim_end());
            }
        }
        dom::set_text(&format!("val-{}", p.key), &display(p, scene));
        // The compared parameter takes each compared value: its own control is idle meanwhile.
        let compared = scene.compare.as_ref().is_some_and(|c| c.key == p.key);
        if let Some(el) = dom::by_id::<Element>(&id) {
            let _ = if compared { el.set_attribute("disabled", "") } else { el.remove_attribute("disabled") };
        }
        if compared {
            dom::set_text(&format!("val-{}", p.key), "compared");
        }
    }
}

/// The largest selectable size: the sweep's largest size, or (sample sweeps) any size allowed.
pub fn slider_max_size(scene: &Scene) -> usize {
    match scene.axis {
        crate::engine::sweep::Axis::Size => scene.max_size,
        crate::engine::sweep::Axis::Samples => scene.max_size.max(scene.size),
    }
}

/// Reads a control back as the text to give to [`Scene::set`].
pub fn read(el: &web_sys::EventTarget, scene: &Scene) -> Option<(&'static str, String)> {
    let el = el.dyn_ref::<Element>()?;
    let key = el.get_attribute("data-key")?;
    let p = PARAMS.iter().find(|p| p.key == key)?;
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        if i.type_() == "checkbox" {
            return Some((p.key, if i.checked() { "1".into() } else { "0".into() }));
        }
        if p.key == "seed" || matches!(p.kind, Kind::Compare { .. }) {
            return Some((p.key, i.value()));
        }
        let pos = parse_f64(&i.value())?;
        return Some((p.key, value_text(p, pos, numeric(p, scene))));
    }
    if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
        return Some((p.key, s.value()));
    }
    None
}
