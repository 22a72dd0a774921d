//! What the page shows, drawn from the model: the three charts on their canvases, the size
//! cursors, the readout, the captions and layout, the table views. Each reads the model and
//! writes the DOM; none changes the model (where a chart landed goes back as a message).

use std::cell::RefCell;

use web_sys::{Element, HtmlCanvasElement, HtmlElement};

use super::{controls, dom, runtime};
use crate::engine::features::Family;
use crate::engine::sweep::{fit_view_kept, Axis, FitPath};
use crate::page::{text, Model, Msg};
use crate::plot::{compare_panel, dd_panel, fit_panel, u_panel_of, Look};
use crate::scene::Scene;

thread_local! {
    /// The fit panel's fits, kept from one draw to the next (see [`fit_view_kept`]): a cache, so
    /// a change of size pushes only a few features.
    static FITS: RefCell<Vec<FitPath>> = const { RefCell::new(Vec::new()) };
}

/// Device pixels per CSS pixel (at most 3).
pub fn dpr() -> f64 {
    dom::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).clamp(1.0, 3.0)
}

/// How charts are drawn: the device pixel ratio, times 1.4 in the projector theme (larger type
/// and thicker lines, readable from the back of a lecture hall).
pub(crate) fn look(scene: &Scene) -> Look {
    let projector = crate::scene::THEMES.get(scene.theme) == Some(&"projector");
    Look { scale: dpr() * if projector { 1.4 } else { 1.0 } }
}

/// Sizes a canvas's pixel buffer to its CSS box times the device pixel ratio.
pub(crate) fn canvas(id: &str) -> Option<HtmlCanvasElement> {
    let c = dom::by_id::<HtmlCanvasElement>(id)?;
    let r = dpr();
    let w = ((c.client_width().max(200) as f64) * r).round() as u32;
    let h = ((c.client_height().max(150) as f64) * r).round() as u32;
    if c.width() != w || c.height() != h {
        c.set_width(w);
        c.set_height(h);
    }
    Some(c)
}

/// Draws the curve panels and their text alternative; returns where they landed.
pub fn curves() -> Option<Msg> {
    runtime::read(|m| {
        let compared = m.scene.compared();
        let (family, chosen) = m.drawn_curves(&compared);
        if m.result().is_none() && family.is_empty() {
            return None;
        }
        let shown = m.shown();
        let who = chosen.and_then(|i| family.get(i)).map(|c| c.label).unwrap_or_default();
        let look = look(&m.scene);
        let digits = m.scene.source != crate::scene::Source::Generated;
        let mut errors = Vec::new();
        let mut draw = |id: &str, u: bool| {
            let area = super::backend::canvas_area(canvas(id)?)?;
            let drawn = match (u, m.result()) {
                // The digits: the module draws the classification error in the U panel's place.
                (true, _) if digits => return None,
                (true, Some(result)) => u_panel_of(&area, result, &shown, 0, look, who),
                (false, _) if !compared.is_empty() => compare_panel(&area, &family, chosen, 0, look),
                (false, Some(result)) => dd_panel(&area, result, &m.scene, 0, look),
                (_, None) => return None,
            };
            let g = drawn.map_err(|e| errors.push(e.to_string())).ok()?;
            // The legend's box on the plot in CSS pixels (left, top, right, bottom), or empty
            // where it went under the chart: for scripts and the tests that check it covers no data.
            if let Some(c) = dom::by_id::<Element>(id) {
                let r = dpr();
                let text = g.legend.map(|(l, t, rt, b)| format!("{},{},{},{}", l as f64 / r, t as f64 / r, rt as f64 / r, b as f64 / r)).unwrap_or_default();
                let _ = c.set_attribute("data-legend", &text);
            }
            Some(g)
        };
        let t0 = dom::now();
        let (u, dd) = (draw("u-canvas", true), draw("dd-canvas", false));
        // Both curve panels' drawing time, for measurements (performance.md).
        dom::body_data("curves-ms", &format!("{:.2}", dom::now() - t0));
        dom::notice(&errors);
        // The captions say what these numbers show.
        write_captions(m);
        if let Some(alt) = text::curves_alt(m) {
            for id in ["u-canvas", "dd-canvas"] {
                if let Some(c) = dom::by_id::<Element>(id) {
                    let _ = c.set_attribute("aria-label", &alt);
                }
            }
        }
        // A comparison's curves are told in its caption.
        if m.scene.compare.is_some() {
            if let Some(c) = dom::by_id::<Element>("dd-canvas") {
                let _ = c.set_attribute("aria-label", &m.captions().dd);
            }
        }
        super::lazy::forward(m);
        if digits {
            super::lazy::digit_grid(m);
        }
        Some(Msg::CurvesDrawn { u, dd })
    })
    .flatten()
}

/// Draws the fit panel of the selected size; returns where it landed.
pub fn fit() -> Option<Msg> {
    let t0 = dom::now();
    let msg = runtime::read(|m| {
        let kept = Msg::FitDrawn { geom: m.editor.geom, scale: m.editor.scale };
        if m.scene.source != crate::scene::Source::Generated {
            // The digit grid, from the module that computes the digits.
            super::lazy::digit_grid(m);
            return kept;
        }
        let shown = m.shown();
        let (problem, size) = shown.fit_problem(m.selected);
        let size = if shown.axis == Axis::Size { size.clamp(1, shown.max_size.max(1)) } else { size };
        let others = if m.show_others { 3 } else { 0 };
        // Kept fits: while the scene stays, a change of size pushes only a few features.
        let max = if shown.axis == Axis::Size { shown.max_size } else { size };
        let fitted = FITS.with(|f| fit_view_kept(&problem, size, max, 0, 240, others, &mut f.borrow_mut()));
        // Where the fit cannot be drawn, the last drawing stays, and so does where it lies.
        let mut view = match fitted {
            Ok(view) => view,
            Err(e) => {
                dom::notice(&[e.to_string()]);
                return kept;
            }
        };
        // The time cursor: the model at that step of training, from the training module.
        super::lazy::fit_at(m, &mut view);
        let scale = dpr();
        let Some(area) = canvas("fit-canvas").and_then(super::backend::canvas_area) else { return kept };
        let geom = match fit_panel(&area, &view, m.show_new, look(&m.scene)) {
            Ok(g) => g,
            Err(e) => {
                dom::notice(&[e.to_string()]);
                return kept;
            }
        };
        if let Some(c) = dom::by_id::<Element>("fit-canvas") {
            let _ = c.set_attribute("aria-label", &text::fit_alt(&view));
            // The plotting area in CSS pixels and its data ranges, for scripts (and tests) that
            // place points: left, top, right, bottom, x0, x1, y0, y1.
            if let Some(g) = geom {
                let area = format!(
                    "{},{},{},{},{},{},{},{}",
                    g.left as f64 / scale,
                    g.top as f64 / scale,
                    g.right as f64 / scale,
                    g.bottom as f64 / scale,
                    g.x0,
                    g.x1,
                    g.y0,
                    g.y1
                );
                let _ = c.set_attribute("data-area", &area);
            }
        }
        Msg::FitDrawn { geom, scale }
    });
    dom::body_data("fit-ms", &format!("{:.2}", dom::now() - t0));
    msg
}

/// Places a cursor element over canvas `c` at `x` (in the axis' units) of the plotting area
/// `g`: hidden outside it, and left out where it crosses the legend. The page's two cursors and
/// the digits' classification error panel (drawn by the second module) share it.
pub(crate) fn place_cursor(el: &HtmlElement, c: &HtmlCanvasElement, g: &crate::plot::Geom, x: f64) {
    let px = g.px_of(x);
    let inside = px >= g.left as f64 - 0.5 && px <= g.right as f64 + 0.5;
    el.set_hidden(!inside);
    // In percent of the canvas, so the cursor stays on its size wherever the canvas is laid
    // out at another width (a printed page, a resized frame) before the next redraw.
    let (w, h) = (c.width().max(1) as f64, c.height().max(1) as f64);
    let st = el.style();
    let _ = st.set_property("left", &format!("{:.3}%", 100.0 * px / w));
    let _ = st.set_property("top", &format!("{:.3}%", 100.0 * g.top as f64 / h));
    let _ = st.set_property("height", &format!("{:.3}%", 100.0 * (g.bottom - g.top) as f64 / h));
    // Where the cursor crosses the legend, it is left out (a mask with a gap), so it never
    // runs through the legend's text.
    let gap = g.legend.filter(|(l, _, r, _)| px >= *l as f64 && px <= *r as f64).map(|(_, t, _, b)| {
        let span = (g.bottom - g.top).max(1) as f64;
        let (a, z) = (100.0 * (t - g.top) as f64 / span, 100.0 * (b - g.top) as f64 / span);
        format!("linear-gradient(to bottom,#000 {a:.2}%,transparent {a:.2}%,transparent {z:.2}%,#000 {z:.2}%)")
    });
    let mask = gap.as_deref().unwrap_or("none");
    let _ = st.set_property("mask-image", mask);
    let _ = st.set_property("-webkit-mask-image", mask);
}

/// Places the selection cursors over the curve panels, fills the readout and (on a size sweep)
/// the size control.
pub fn selection(m: &Model) {
    // The training panels follow the selected size and the time cursor.
    super::lazy::forward(m);
    for (id, canvas_id, geom) in [("u-cursor", "u-canvas", m.geom_u), ("dd-cursor", "dd-canvas", m.geom_dd)] {
        // The digits' classification error panel places its own cursor.
        if m.scene.source != crate::scene::Source::Generated && id == "u-cursor" {
            continue;
        }
        let Some(el) = dom::by_id::<HtmlElement>(id) else { continue };
        let (Some(g), Some(c)) = (geom, dom::by_id::<HtmlCanvasElement>(canvas_id)) else {
            el.set_hidden(true);
            continue;
        };
        place_cursor(&el, &c, &g, m.selected_on_axis());
    }
    let ro = text::readout(m);
    dom::set_text("ro-x-name", ro.x_name);
    dom::set_text("ro-test-name", ro.test_name);
    dom::set_text("ro-x", &ro.x.to_string());
    dom::set_text("ro-ratio", &ro.ratio);
    match ro.values {
        Some(values) => {
            for (id, v) in values {
                dom::set_text(id, &crate::plot::axes_short(v));
                // The full-precision value, for copying and for checks against the CLI.
                if let Some(el) = dom::by_id::<Element>(id) {
                    let _ = el.set_attribute("data-value", &format!("{v}"));
                }
            }
            dom::set_text("ro-agg", ro.agg);
        }
        None => {
            for id in ["ro-train", "ro-test", "ro-bias2", "ro-variance", "ro-norm", "ro-mean"] {
                dom::set_text(id, "…");
            }
        }
    }
    // bias² + variance add up to the test error of the trials they are of (the middle half, or
    // all: the mean), shown beside them; your own data has no noiseless target, so only the
    // mean is shown there.
    dom::set_text("ro-which", ro.decomposed_name);
    dom::set_text("ro-mean-name", ro.test_name);
    dom::set_hidden("ro-parts", !ro.decomposed);
    dom::set_text("ro-eq", ro.relation);
    dom::set_text("ro-value", &ro.value);
    dom::set_hidden("ro-value-wrap", ro.value.is_empty());
}

/// The size control shows size `x` (chosen on a chart, by key or by the host page).
pub fn size_control(x: usize) {
    if let Some(i) = dom::by_id::<web_sys::HtmlInputElement>(&controls::control_id("size")) {
        i.set_value(&x.to_string());
        let _ = i.set_attribute("aria-valuetext", &format!("{x} features"));
    }
    dom::set_text("val-size", &x.to_string());
}

/// The tour bar: its count and caption when a tour is on.
pub fn tour_bar(scene: &Scene) {
    match text::tour_bar(scene) {
        Some((count, caption)) => {
            dom::set_hidden("tour", false);
            dom::set_text("tour-count", &count);
            dom::set_text("tour-caption", caption);
        }
        None => dom::set_hidden("tour", true),
    }
}

/// Embed mode, the theme and the panels= / controls= choices.
fn layout(scene: &Scene) {
    if let Some(body) = dom::document().and_then(|d| d.body()) {
        let _ = body.class_list().toggle_with_force("embed", scene.embed);
        // The digits: their own panel titles, no tools for 1-D points (style.css).
        let _ = body.class_list().toggle_with_force("digits", scene.source != crate::scene::Source::Generated);
        let _ = body.class_list().toggle_with_force("table", scene.source == crate::scene::Source::Table);
        let _ = body.set_attribute("data-theme", crate::scene::THEMES.get(scene.theme).copied().unwrap_or("auto"));
    }
    for (name, id) in [("fit", "panel-fit"), ("u", "panel-u"), ("dd", "panel-dd"), ("training", "panel-training"), ("map", "panel-map")] {
        dom::set_hidden(id, !scene.shows_panel(name));
    }
    dom::set_hidden("time-panels", !scene.shows_panel("training") && !scene.shows_panel("map"));
    let any_model = crate::scene::CONTROL_KEYS.iter().any(|k| !controls::VIEW_KEYS.contains(k) && scene.shows_control(k));
    let any_view = controls::VIEW_KEYS.iter().any(|k| scene.shows_control(k));
    dom::set_hidden("model-heading", !any_model);
    dom::set_hidden("view-heading", !any_view);
    dom::set_hidden("controls-area", !any_model && !any_view);
}

/// Lays the page out for the scene and writes its captions, data description and tour bar.
pub fn captions(m: &Model) {
    let scene = &m.scene;
    layout(scene);
    super::data::describe(m);
    tour_bar(scene);
    dom::set_hidden("optridge", scene.problem.family != Family::Gaussian);
    // The preset menu names the preset the scene is (or none).
    if let Some(sel) = dom::by_id::<web_sys::HtmlSelectElement>("preset") {
        sel.set_value(&crate::page::presets::matching(scene).map(|i| i.to_string()).unwrap_or_default());
    }
    pick(m);
    write_captions(m);
}

/// The comparison's choice of value: one radio button a compared value, in its curve's colour
/// and marker (rebuilt when the values change), the chosen one checked; hidden without one.
fn pick(m: &Model) {
    let Some(group) = dom::by_id::<Element>("compare-pick") else { return };
    let labels = m.labels();
    dom::set_hidden("compare-pick", labels.is_empty());
    let key = labels.join("|");
    if group.get_attribute("data-values").as_deref() != Some(key.as_str()) {
        group.set_inner_html("");
        let _ = group.set_attribute("data-values", &key);
        let legend = dom::create("span", &[("class", "pick-name")]);
        if let Some(l) = legend {
            l.set_text_content(Some("fit shown:"));
            let _ = group.append_child(&l);
        }
        for (i, label) in labels.iter().enumerate() {
            let crate::plot::CurveStyle { color, mark, .. } = crate::plot::STYLES[i % 5];
            let Some(wrap) = dom::create("label", &[("class", "pick-value")]) else { continue };
            let value = i.to_string();
            let id = format!("pick-{i}");
            if let Some(input) = dom::create("input", &[("type", "radio"), ("name", "compare-pick"), ("value", &value), ("id", &id)]) {
                let _ = wrap.append_child(&input);
            }
            let style = format!("color:#{:02x}{:02x}{:02x}", color.0, color.1, color.2);
            if let Some(sw) = dom::create("span", &[("class", &format!("mark mark-{mark}")), ("style", &style), ("aria-hidden", "true")]) {
                let _ = wrap.append_child(&sw);
            }
            if let Some(t) = dom::create("span", &[]) {
                t.set_text_content(Some(label));
                let _ = wrap.append_child(&t);
            }
            let _ = group.append_child(&wrap);
        }
    }
    for i in 0..labels.len() {
        if let Some(input) = dom::by_id::<web_sys::HtmlInputElement>(&format!("pick-{i}")) {
            input.set_checked(i == m.scene.pick);
        }
    }
}

/// Writes the three captions, from the scene and the numbers drawn.
pub fn write_captions(m: &Model) {
    // A digits scene's captions are the module's, with its panels.
    if m.scene.source != crate::scene::Source::Generated {
        return;
    }
    let c = m.captions();
    dom::set_text("dd-caption", &c.dd);
    dom::set_text("u-caption", &c.u);
    dom::set_text("fit-caption", &c.fit);
}

/// Whether an element is shown.
pub fn shown(id: &str) -> bool {
    dom::by_id::<HtmlElement>(id).is_some_and(|e| !e.hidden())
}

/// Fills the "show as table" views that are open with the numbers the charts draw: the lazily
/// loaded module writes them (`super::tables`), from the page's summaries — the page's own
/// module carries none of the tables' code.
pub fn tables(m: &Model) {
    let open: Vec<&str> = ["u", "dd", "fit"].into_iter().filter(|p| shown(&format!("{p}-table"))).collect();
    if !open.is_empty() {
        super::lazy::tables(m, &open.join(","));
    }
}
