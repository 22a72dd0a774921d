//! The page: starts the model, takes over the workers, builds the controls and turns every DOM
//! event into a message ([`Msg`]). Nothing here decides what an event does to the page: the
//! update does ([`crate::page::update`]), and its effects are applied in [`super::effects`].

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlSelectElement, MessageEvent, MouseEvent};

use super::{controls, dom, runtime, workers};
use crate::page::msg::Export;
use crate::page::presets;
use crate::page::{Model, Msg, Panel};

/// Starts the app on the page.
pub fn start() {
    // When the page's wasm began to run, the first worker was ready, the sweep was done: kept on
    // <body> as data-*-at (ms since navigation), for the start-up measurements in the tests.
    dom::body_data("started-at", &format!("{:.1}", dom::now()));
    let query = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    // The workers first: they can start their wasm while the page builds its controls.
    let (count, offline) = workers::take_over();
    let (mut model, notes) = Model::new(&query, count, dom::now());
    model.reduced_motion = dom::reduced_motion();
    model.in_frame = dom::window().and_then(|w| w.parent().ok().flatten().map(|p| !js_sys::Object::is(&p, &w))).unwrap_or(false);
    let scene = model.scene.clone();
    runtime::install(model, super::effects::apply);
    dom::notice(&notes);
    if count == 0 && !offline {
        dom::notice(&["Could not start the background workers; computing on the page instead.".into()]);
    }
    workers::read_inbox();
    controls::build(&scene);
    fill_presets();
    wire();
    super::data::wire();
    super::effects::watch_height();
    super::lazy::listen();
    runtime::dispatch(Msg::Start);
}

fn fill_presets() {
    let Some(sel) = dom::by_id::<Element>("preset") else { return };
    for (i, (name, _)) in presets::all().enumerate() {
        if let Some(o) = dom::create("option", &[("value", &i.to_string())]) {
            o.set_text_content(Some(name));
            let _ = sel.append_child(&o);
        }
    }
}

/// A control moved: its key and value as text.
fn on_control(target: web_sys::EventTarget) {
    let read = runtime::read(|m| controls::read(&target, &m.scene)).flatten();
    if let Some((key, text)) = read {
        runtime::dispatch(Msg::Control { key, text });
    }
}

/// Whether a key event's target is a control that keeps its keys. The tour's own buttons keep
/// only the keys that press them (space, Enter): the other navigation keys still step the tour,
/// and never scroll the frame.
fn in_control(e: &web_sys::Event, key: &str) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    if el.id().starts_with("tour-") {
        return matches!(key, " " | "Enter");
    }
    matches!(el.tag_name().to_ascii_lowercase().as_str(), "input" | "select" | "textarea" | "button" | "canvas")
}

fn wire() {
    let Some(doc) = dom::document() else { return };
    for id in ["controls", "view-controls"] {
        if let Some(el) = doc.get_element_by_id(id) {
            for event in ["input", "change"] {
                dom::on(&el, event, move |e| {
                    // A text field (the comparison) applies when committed, not at every key.
                    let text = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.type_() == "text");
                    if text && event == "input" {
                        return;
                    }
                    if let Some(t) = e.target() {
                        on_control(t);
                    }
                });
            }
        }
    }
    if let Some(el) = doc.get_element_by_id("compare-pick") {
        dom::on(&el, "change", |e| {
            let value = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.value().parse::<usize>().ok());
            if let Some(i) = value {
                runtime::dispatch(Msg::Choose(i));
            }
        });
    }
    if let Some(el) = doc.get_element_by_id("notice-close") {
        dom::on(&el, "click", |_| dom::set_hidden("notice", true));
    }
    if let Some(el) = doc.get_element_by_id("preset") {
        dom::on(&el, "change", |e| {
            let Some(sel) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) else { return };
            if let Some((_, q)) = sel.value().parse::<usize>().ok().and_then(|i| presets::all().nth(i)) {
                runtime::dispatch(Msg::Query(q.to_string()));
            }
        });
    }
    if let Ok(buttons) = doc.query_selector_all("button.as-table") {
        for i in 0..buttons.length() {
            let Some(b) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            dom::on(&b, "click", move |e| {
                let Some(btn) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
                let panel = btn.get_attribute("data-panel").unwrap_or_default();
                let open = btn.get_attribute("aria-expanded").as_deref() != Some("true");
                let _ = btn.set_attribute("aria-expanded", if open { "true" } else { "false" });
                btn.set_text_content(Some(if open { "hide table" } else { "show as table" }));
                dom::set_hidden(&format!("{panel}-table"), !open);
                runtime::read(super::draw::tables);
            });
        }
    }
    for (id, kind) in [("export-svg", Export::Svg), ("export-png", Export::Png), ("export-csv", Export::Csv), ("export-link", Export::Link)] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "click", move |_| runtime::dispatch(Msg::Export(kind)));
        }
    }
    if let Some(el) = doc.get_element_by_id("optridge") {
        dom::on(&el, "click", |_| runtime::dispatch(Msg::OptimalRidge));
    }
    if let Some(el) = doc.get_element_by_id("newdraw") {
        dom::on(&el, "click", |_| runtime::dispatch(Msg::NewDraw((js_sys::Math::random() * 4_294_967_295.0).floor() as u64)));
    }
    if let Some(el) = doc.get_element_by_id("play") {
        dom::on(&el, "click", |_| runtime::dispatch(Msg::TogglePlay));
    }
    for (id, others) in [("show-new", false), ("show-others", true)] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "change", move |e| {
                let on = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false);
                runtime::dispatch(if others { Msg::ShowOthers(on) } else { Msg::ShowNew(on) });
            });
        }
    }
    for (id, panel) in [("u-canvas", Panel::U), ("dd-canvas", Panel::Dd)] {
        let Some(el) = doc.get_element_by_id(id) else { continue };
        dom::on(&el, "pointermove", move |e| {
            let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
            let touch = js_sys::Reflect::get(&e, &"pointerType".into()).ok().and_then(|v| v.as_string()).is_some_and(|t| t != "mouse");
            if touch && m.buttons() == 0 {
                return;
            }
            runtime::dispatch(Msg::Hover { panel, px: m.offset_x() as f64 * super::draw::dpr() });
        });
        dom::on(&el, "pointerdown", move |e| {
            if let Some(m) = e.dyn_ref::<MouseEvent>() {
                let r = super::draw::dpr();
                let (px, py) = (m.offset_x() as f64 * r, m.offset_y() as f64 * r);
                runtime::dispatch(Msg::Hover { panel, px });
                // A press on a compared curve shows that value's fit.
                if panel == Panel::Dd {
                    runtime::dispatch(Msg::PickCurve { px, py, tol: 10.0 * r });
                }
            }
        });
        dom::on(&el, "keydown", move |e| {
            let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            // 1–5 on the double-descent panel: that compared value's fit.
            let digit = k.key().parse::<usize>().ok().filter(|d| (1..=5).contains(d));
            if let (Panel::Dd, Some(d)) = (panel, digit) {
                if runtime::dispatch_event(Msg::Choose(d - 1)) {
                    e.prevent_default();
                }
                return;
            }
            let Some(steps) = dom::step_key(&k.key()) else { return };
            e.prevent_default();
            runtime::dispatch(Msg::StepSelection(steps));
        });
    }
    // Keys that step a tour, or belong to the host page — unless a control has focus: then the
    // key is the control's.
    dom::on(&doc, "keydown", |e| {
        let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        if k.alt_key() || k.ctrl_key() || k.meta_key() || in_control(&e, &k.key()) {
            return;
        }
        // Shift+space is a key of its own on a deck (back); the tour takes it as back too.
        let key = if k.shift_key() && k.key() == " " { "Shift+ ".to_string() } else { k.key() };
        if runtime::dispatch_event(Msg::Key(key)) {
            e.prevent_default();
        }
    });
    if let Some(w) = dom::window() {
        dom::on(&w, "message", |e| on_host_message(&e));
    }
    for (id, delta) in [("tour-prev", -1i64), ("tour-next", 1)] {
        if let Some(el) = doc.get_element_by_id(id) {
            dom::on(&el, "click", move |_| runtime::dispatch(Msg::TourBy(delta)));
        }
    }
    // Reduced motion, followed live (the tour's moves and play jump instead).
    if let Some(mq) = dom::window().and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten()) {
        dom::on(&mq, "change", |e| {
            let on = e.target().and_then(|t| t.dyn_into::<web_sys::MediaQueryList>().ok()).is_some_and(|q| q.matches());
            runtime::dispatch(Msg::ReducedMotion(on));
        });
    }
    if let Some(w) = dom::window() {
        dom::on(&w, "resize", |_| runtime::dispatch(Msg::Resize));
        dom::on(&w, "beforeprint", |_| runtime::dispatch(Msg::Print));
        dom::on(&w, "popstate", |_| {
            let q = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            runtime::dispatch(Msg::Query(q));
        });
    }
}

fn get(data: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(data, &key.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

/// The postMessage API for a page that embeds ddviz in an iframe (a slide deck, an article):
/// `{type: "ddviz:scene", scene: "n=40&noise=0.2"}` sets the scene, `{type: "ddviz:step", step: 3}`
/// goes to a tour step (starting the tour if needed), `{type: "ddviz:size", size: 30}` selects a
/// size. Only messages from the embedding page (the parent window) are taken. Each answer is
/// `{type: "ddviz:state", scene, size}` posted back to it.
fn on_host_message(e: &web_sys::Event) {
    let Some(m) = e.dyn_ref::<MessageEvent>() else { return };
    let Some(w) = dom::window() else { return };
    let parent = w.parent().ok().flatten();
    let from_parent = match (m.source(), parent.as_ref()) {
        (Some(src), Some(p)) => js_sys::Object::is(&src, p) && !js_sys::Object::is(p, &w),
        _ => false,
    };
    if !from_parent {
        return;
    }
    let data = m.data();
    let number = |key: &str| get(&data, key).as_f64().unwrap_or(1.0).max(1.0) as usize;
    let msg = match get(&data, "type").as_string().unwrap_or_default().as_str() {
        "ddviz:scene" => Msg::HostScene(get(&data, "scene").as_string().unwrap_or_default()),
        "ddviz:step" => Msg::HostStep(number("step")),
        "ddviz:size" => Msg::HostSize(number("size")),
        _ => return,
    };
    runtime::dispatch(msg);
}
