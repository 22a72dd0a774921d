//! Your own data on the page, the DOM side: pointer and key events on the fit panel, the
//! buttons, the CSV text box and the file upload become [`Edit`] messages; the editing itself
//! is [`crate::page::editor`]. Also the DOM writes of the data section (errors, text, ring).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent, MouseEvent};

use super::{dom, runtime};
use crate::engine::own;
use crate::page::editor::Edit;
use crate::page::{Model, Msg};
use crate::scene::Scene;

/// The most a file may weigh to be read (bytes).
const MAX_FILE: f64 = 2e6;

fn text_area() -> Option<HtmlTextAreaElement> {
    dom::by_id::<HtmlTextAreaElement>("data-text")
}

/// Device pixels of a pointer event on the fit canvas.
fn pixels(m: &MouseEvent) -> (f64, f64) {
    let s = runtime::read(|model| model.editor.scale).filter(|s| *s > 0.0).unwrap_or(1.0);
    (m.offset_x() as f64 * s, m.offset_y() as f64 * s)
}

/// Keeps the pointer's moves coming to the canvas while dragging outside it.
fn capture(e: &web_sys::Event) {
    let id = js_sys::Reflect::get(e, &"pointerId".into()).ok().and_then(|v| v.as_f64());
    if let (Some(id), Some(el)) = (id, e.target().and_then(|t| t.dyn_into::<Element>().ok())) {
        let _ = el.set_pointer_capture(id as i32);
    }
}

/// Wires the fit panel, the buttons, the text box and the file upload.
pub fn wire() {
    let Some(doc) = dom::document() else { return };
    if let Some(c) = doc.get_element_by_id("fit-canvas") {
        dom::on(&c, "pointerdown", |e| {
            let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
            if m.button() != 0 {
                return;
            }
            let (px, py) = pixels(m);
            if runtime::dispatch_event(Msg::Edit(Edit::Press { px, py, shift: m.shift_key(), now: dom::now() })) {
                capture(&e);
                e.prevent_default();
            }
        });
        dom::on(&c, "pointermove", |e| {
            if let Some(m) = e.dyn_ref::<MouseEvent>() {
                if runtime::read(|model| model.editor.drag.is_some()).unwrap_or(false) {
                    let (px, py) = pixels(m);
                    runtime::dispatch(Msg::Edit(Edit::Move { px, py }));
                }
            }
        });
        for event in ["pointerup", "pointercancel"] {
            dom::on(&c, event, |_| release());
        }
        dom::on(&c, "keydown", |e| {
            let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
            if k.alt_key() || k.ctrl_key() || k.meta_key() {
                return;
            }
            if runtime::dispatch_event(Msg::Edit(Edit::Key { key: k.key(), shift: k.shift_key() })) {
                e.prevent_default();
                e.stop_propagation();
            }
        });
    }
    for (id, edit) in [("data-edit", Edit::Start), ("data-generated", Edit::Generated), ("data-back", Edit::Generated)] {
        if let Some(b) = doc.get_element_by_id(id) {
            dom::on(&b, "click", move |_| runtime::dispatch(Msg::Edit(edit.clone())));
        }
    }
    if let Some(b) = doc.get_element_by_id("data-apply") {
        dom::on(&b, "click", |_| {
            if let Some(ta) = text_area() {
                text_in(ta.value());
            }
        });
    }
    if let Some(input) = doc.get_element_by_id("data-file") {
        dom::on(&input, "change", |e| {
            let Some(file) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
            if file.size() > MAX_FILE {
                return runtime::dispatch(Msg::Edit(Edit::TooLarge { name: file.name(), bytes: file.size() }));
            }
            let Ok(reader) = web_sys::FileReader::new() else { return };
            let r = reader.clone();
            let onload = Closure::once_into_js(move || {
                let text = r.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
                // An image or a spreadsheet is not put into the text box: one line says why.
                if !own::looks_binary(&text) {
                    set_text(&text);
                }
                text_in(text);
            });
            reader.set_onload(Some(onload.unchecked_ref()));
            let _ = reader.read_as_text(&file);
        });
    }
    if let Some(w) = dom::window() {
        dom::on(&w, "pointerup", |_| release());
    }
}

/// Text pasted or uploaded: points for the page, or a table for the lazily loaded module.
fn text_in(text: String) {
    if crate::engine::table::looks_like_table(&text) {
        super::lazy::table(&text);
    } else {
        runtime::dispatch(Msg::Edit(Edit::Text(text)));
    }
}

/// The pointer was let go (on the canvas or anywhere: a drag may end outside it).
fn release() {
    if runtime::read(|model| model.editor.drag.is_some()).unwrap_or(false) {
        runtime::dispatch(Msg::Edit(Edit::Release));
    }
}

/// Moves the ring that marks the chosen point (hidden when none is chosen or editing is off).
pub fn place_pick(m: &Model) {
    let Some(el) = dom::by_id::<HtmlElement>("fit-pick") else { return };
    let pts = m.own_points();
    let canvas = dom::by_id::<web_sys::HtmlCanvasElement>("fit-canvas");
    match (m.editor.ring(pts.as_deref()).filter(|_| m.editable()), canvas) {
        (Some((x, y)), Some(c)) => {
            // In percent of the canvas (the ring's CSS pixels over the canvas's), so it stays on
            // its point wherever the canvas is laid out before the next redraw.
            let s = if m.editor.scale > 0.0 { m.editor.scale } else { 1.0 };
            let (w, h) = (c.width().max(1) as f64 / s, c.height().max(1) as f64 / s);
            let st = el.style();
            let _ = st.set_property("left", &format!("{:.3}%", 100.0 * x / w));
            let _ = st.set_property("top", &format!("{:.3}%", 100.0 * y / h));
            el.set_hidden(false);
        }
        _ => el.set_hidden(true),
    }
}

/// Lists the bad lines (or other problems) under the text box; an empty list clears it.
pub fn show_errors(lines: &[String]) {
    let Some(el) = dom::by_id::<Element>("data-errors") else { return };
    el.set_inner_html("");
    if lines.is_empty() {
        return;
    }
    let Some(list) = dom::create("ul", &[]) else { return };
    for l in lines {
        if let Some(li) = dom::create("li", &[]) {
            li.set_text_content(Some(l));
            let _ = list.append_child(&li);
        }
    }
    let _ = el.append_child(&list);
}

/// Puts `text` into the text box.
pub fn set_text(text: &str) {
    if let Some(ta) = text_area() {
        ta.set_value(text);
    }
}

/// Puts the scene's points into the text box, unless someone is typing there or it shows text
/// with errors (`force` overrides both).
pub fn sync_text(scene: &Scene, force: bool) {
    // A table stays in the box as it was pasted or uploaded.
    let Some(ta) = text_area().filter(|_| scene.source != crate::scene::Source::Table) else { return };
    let focused = dom::document().and_then(|d| d.active_element()).is_some_and(|a| a.id() == "data-text");
    let has_errors = dom::by_id::<Element>("data-errors").is_some_and(|e| e.child_element_count() > 0);
    if !force && (focused || has_errors) {
        return;
    }
    let text = match &scene.problem.data {
        Some(d) => own::to_csv(&d.x.iter().copied().zip(d.y.iter().copied()).collect::<Vec<_>>()),
        None => String::new(),
    };
    ta.set_value(&text);
}

/// Says which data is in use and how test error is measured; shows the buttons that apply and
/// makes the fit panel a keyboard target when its points can be edited.
pub fn describe(m: &Model) {
    let scene = &m.scene;
    let table = scene.source == crate::scene::Source::Table;
    let own = scene.problem.data.is_some() || table;
    // A table's description is the module's, which read it.
    if !table {
        dom::set_text("data-mode", &crate::page::text::data_mode(scene));
    }
    let one_d = scene.problem.family.is_1d() && !table;
    let shown = scene.shows_control("points");
    dom::set_hidden("data-edit", own || !one_d || !shown);
    dom::set_hidden("data-generated", !own || !shown);
    if let Some(c) = dom::by_id::<Element>("fit-canvas") {
        let editable = m.editable();
        let _ = c.class_list().toggle_with_force("editable", editable);
        if editable {
            let _ = c.set_attribute("tabindex", "0");
            let _ = c.set_attribute("aria-describedby", "data-keys");
        } else {
            let _ = c.remove_attribute("tabindex");
            let _ = c.remove_attribute("aria-describedby");
        }
    }
    sync_text(scene, false);
    place_pick(m);
}
