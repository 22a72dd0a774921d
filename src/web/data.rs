//! Your own data on the page: add, drag and delete points on the fit panel (mouse, touch and
//! keyboard), or paste / upload a CSV, with a message for every bad line and nothing else lost.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent, MouseEvent};

use super::{app, dom};
use crate::engine::own;
use crate::plot::{axes_short as short, Geom};
use crate::scene::{Kind, Scene};

/// How close (CSS pixels) a pointer must come to a point to grab it.
const GRAB: f64 = 12.0;

#[derive(Default)]
struct Editor {
    /// Where the fit panel's plotting area lies (device pixels) and its data ranges.
    geom: Option<Geom>,
    /// Device pixels per CSS pixel of the fit canvas.
    scale: f64,
    /// The point being dragged, and whether it moved.
    drag: Option<usize>,
    moved: bool,
    /// The point chosen from the keyboard.
    picked: Option<usize>,
    /// The last press on a point (time, index): a second press on it soon after is a double
    /// click or a double tap, which deletes it (touch screens send no dblclick reliably).
    last_press: Option<(f64, usize)>,
}

thread_local! {
    static EDITOR: RefCell<Editor> = RefCell::new(Editor { scale: 1.0, ..Editor::default() });
}

fn editor<R>(f: impl FnOnce(&mut Editor) -> R) -> Option<R> {
    EDITOR.with(|e| e.try_borrow_mut().ok().map(|mut g| f(&mut g)))
}

/// Records where the fit panel was just drawn (`None`: no 1-D chart) and moves the marker of
/// the chosen point with it.
pub fn set_geom(geom: Option<Geom>, scale: f64) {
    editor(|e| {
        e.geom = geom;
        e.scale = scale;
    });
    // The plotting area in CSS pixels and its data ranges, for scripts (and tests) that place
    // points: left, top, right, bottom, x0, x1, y0, y1.
    if let (Some(g), Some(c)) = (geom, dom::by_id::<Element>("fit-canvas")) {
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
    place_pick();
}

/// The most points the page takes.
fn max_points() -> usize {
    match crate::scene::param("points").map(|p| p.kind) {
        Some(Kind::Points { web_max, .. }) => web_max,
        _ => 0,
    }
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The data point under an event's pointer, kept inside the allowed ranges.
fn point_of(e: &MouseEvent) -> Option<(f64, f64)> {
    let (g, s) = editor(|ed| (ed.geom, ed.scale))?;
    let g = g?;
    let (px, py) = (e.offset_x() as f64 * s, e.offset_y() as f64 * s);
    let inside = px >= g.left as f64 - 4.0 && px <= g.right as f64 + 4.0 && py >= g.top as f64 - 4.0 && py <= g.bottom as f64 + 4.0;
    if !inside {
        return None;
    }
    let (x, y) = g.point_at(px, py);
    Some((round(x.clamp(-own::X_MAX, own::X_MAX)), round(y.clamp(-own::Y_MAX, own::Y_MAX))))
}

/// The nearest point within grabbing distance of an event's pointer.
fn nearest(e: &MouseEvent, pts: &[(f64, f64)]) -> Option<usize> {
    let (g, s) = editor(|ed| (ed.geom, ed.scale))?;
    let g = g?;
    let (px, py) = (e.offset_x() as f64 * s, e.offset_y() as f64 * s);
    pts.iter()
        .enumerate()
        .map(|(i, (x, y))| {
            let (qx, qy) = g.pixel_of(*x, *y);
            (i, (qx - px).hypot(qy - py))
        })
        .filter(|(_, d)| *d <= GRAB * s)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Deletes point `i` (the last point takes its place, so the other points keep their folds).
fn delete(pts: &mut Vec<(f64, f64)>, i: usize) -> Option<(f64, f64)> {
    (i < pts.len()).then(|| pts.swap_remove(i))
}

fn commit(pts: Vec<(f64, f64)>, what: String) {
    match app::set_points(Some(pts), true) {
        Ok(()) => announce(&what),
        Err(msg) => {
            announce(&msg);
            show_errors(&[msg]);
        }
    }
}

/// Says what just happened, for screen readers.
fn announce(text: &str) {
    dom::set_text("data-live", text);
}

fn describe_point(pts: &[(f64, f64)], i: usize) -> String {
    match pts.get(i) {
        Some((x, y)) => format!("point {} of {}: x = {}, y = {}", i + 1, pts.len(), short(*x), short(*y)),
        None => format!("{} points", pts.len()),
    }
}

fn on_pointer_down(e: &web_sys::Event) {
    let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
    if !app::editable() || m.button() != 0 {
        return;
    }
    let Some(mut pts) = app::own_points() else { return };
    if let Some(i) = nearest(m, &pts) {
        let now = dom::now();
        let double = editor(|ed| ed.last_press.replace((now, i))).flatten().is_some_and(|(t, j)| j == i && now - t < 450.0);
        if m.shift_key() || double {
            editor(|ed| ed.last_press = None);
            let gone = delete(&mut pts, i);
            editor(|ed| ed.picked = None);
            commit(pts, format!("deleted the point at {}", gone.map(|(x, y)| format!("x = {}, y = {}", short(x), short(y))).unwrap_or_default()));
            return;
        }
        editor(|ed| {
            ed.drag = Some(i);
            ed.moved = false;
            ed.picked = Some(i);
        });
    } else {
        let Some(p) = point_of(m) else { return };
        if pts.len() >= max_points() {
            show_errors(&[format!("too many points: at most {} in the browser", max_points())]);
            return;
        }
        pts.push(p);
        let i = pts.len() - 1;
        editor(|ed| {
            ed.drag = Some(i);
            ed.moved = false;
            ed.picked = Some(i);
        });
        commit(pts.clone(), format!("added {}", describe_point(&pts, i)));
    }
    capture(e);
    e.prevent_default();
    place_pick();
}

/// Keeps the pointer's moves coming to the canvas while dragging outside it.
fn capture(e: &web_sys::Event) {
    let id = js_sys::Reflect::get(e, &"pointerId".into()).ok().and_then(|v| v.as_f64());
    if let (Some(id), Some(el)) = (id, e.target().and_then(|t| t.dyn_into::<Element>().ok())) {
        let _ = el.set_pointer_capture(id as i32);
    }
}

fn on_pointer_move(e: &web_sys::Event) {
    let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
    let Some(i) = editor(|ed| ed.drag).flatten() else { return };
    let (Some(mut pts), Some(p)) = (app::own_points(), point_of(m)) else { return };
    if i >= pts.len() || pts[i] == p {
        return;
    }
    pts[i] = p;
    editor(|ed| ed.moved = true);
    // Mid-drag: only the fit follows; the sweep runs when the point is let go.
    let _ = app::set_points(Some(pts), false);
    place_pick();
}

fn on_pointer_up() {
    let Some((i, moved)) = editor(|ed| (ed.drag.take(), ed.moved)) else { return };
    if moved {
        // A drag is not the first half of a double click.
        editor(|ed| ed.last_press = None);
    }
    let (Some(i), true) = (i, moved) else { return };
    if let Some(pts) = app::own_points() {
        let text = format!("moved {}", describe_point(&pts, i));
        commit(pts, text);
    }
}

/// The keyboard on the focused fit panel: [ and ] choose a point, arrows move it, Delete
/// removes it, + adds one.
fn on_key(e: &web_sys::Event) {
    let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
    if !app::editable() || k.alt_key() || k.ctrl_key() || k.meta_key() {
        return;
    }
    let Some(mut pts) = app::own_points() else { return };
    let (geom, picked) = editor(|ed| (ed.geom, ed.picked)).unwrap_or((None, None));
    let picked = picked.filter(|&i| i < pts.len());
    // Points in order of x, so [ and ] walk along the chart.
    let by_x = crate::engine::stats::argsort(&pts.iter().map(|p| p.0).collect::<Vec<_>>());
    let rank = picked.and_then(|i| by_x.iter().position(|&j| j == i));
    let big = k.shift_key();
    let dy = geom.map_or(0.05, |g| (g.y1 - g.y0) / 50.0) * if big { 5.0 } else { 1.0 };
    let dx = if big { 0.1 } else { 0.02 };
    let key = k.key();
    let mut text = None;
    match key.as_str() {
        "]" | "[" => {
            let next = match (rank, key.as_str()) {
                (Some(r), "]") => (r + 1) % by_x.len().max(1),
                (Some(r), _) => (r + by_x.len().max(1) - 1) % by_x.len().max(1),
                (None, _) => 0,
            };
            let Some(&i) = by_x.get(next) else { return };
            editor(|ed| ed.picked = Some(i));
            announce(&format!("chose {}", describe_point(&pts, i)));
        }
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
            let Some(i) = picked.or_else(|| by_x.first().copied()) else { return };
            let (x, y) = pts[i];
            pts[i] = match key.as_str() {
                "ArrowLeft" => (round((x - dx).max(-own::X_MAX)), y),
                "ArrowRight" => (round((x + dx).min(own::X_MAX)), y),
                "ArrowUp" => (x, round((y + dy).min(own::Y_MAX))),
                _ => (x, round((y - dy).max(-own::Y_MAX))),
            };
            editor(|ed| ed.picked = Some(i));
            text = Some((pts.clone(), format!("moved {}", describe_point(&pts, i))));
        }
        "Delete" | "Backspace" => {
            let Some(i) = picked else { return };
            let gone = delete(&mut pts, i);
            editor(|ed| ed.picked = None);
            text = Some((pts, format!("deleted the point at {}", gone.map(|(x, y)| format!("x = {}, y = {}", short(x), short(y))).unwrap_or_default())));
        }
        "+" | "=" | "Insert" => {
            if pts.len() >= max_points() {
                show_errors(&[format!("too many points: at most {} in the browser", max_points())]);
                return;
            }
            let (x, y) = picked.map(|i| pts[i]).unwrap_or((0.0, 0.0));
            let x = if x + 0.05 <= own::X_MAX { x + 0.05 } else { x - 0.05 };
            pts.push((round(x), y));
            let i = pts.len() - 1;
            editor(|ed| ed.picked = Some(i));
            text = Some((pts.clone(), format!("added {}", describe_point(&pts, i))));
        }
        "Escape" => {
            editor(|ed| ed.picked = None);
        }
        _ => return,
    }
    e.prevent_default();
    e.stop_propagation();
    if let Some((pts, what)) = text {
        commit(pts, what);
    }
    place_pick();
}

/// Moves the ring that marks the chosen point.
fn place_pick() {
    let Some(el) = dom::by_id::<HtmlElement>("fit-pick") else { return };
    let (geom, picked, scale) = editor(|ed| (ed.geom, ed.picked, ed.scale)).unwrap_or((None, None, 1.0));
    let pt = picked.and_then(|i| app::own_points().and_then(|p| p.get(i).copied()));
    match (geom, pt) {
        (Some(g), Some((x, y))) if app::editable() => {
            let (px, py) = g.pixel_of(x, y);
            let st = el.style();
            let _ = st.set_property("left", &format!("{:.1}px", px / scale));
            let _ = st.set_property("top", &format!("{:.1}px", py / scale));
            el.set_hidden(false);
        }
        _ => el.set_hidden(true),
    }
}

/// Lists the bad lines (or other problems) under the text box; an empty list clears it.
fn show_errors(lines: &[String]) {
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

/// Reads the text box: the good points are used, every bad line is listed, and the text stays
/// as typed so it can be fixed.
fn apply_text(text: &str) {
    let parsed = own::parse_csv(text, max_points());
    let mut lines: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
    let good = parsed.points.len();
    if good == 0 {
        lines.insert(0, "no usable points: write one x,y pair a line, x from -1 to 1".into());
        show_errors(&lines);
        return;
    }
    match app::set_points(Some(parsed.points), true) {
        Ok(()) => {
            if !lines.is_empty() {
                // Keep the text as typed, bad lines and all, so they can be fixed.
                if let Some(ta) = text_area() {
                    ta.set_value(text);
                }
                lines.insert(
                    0,
                    format!(
                        "using the {good} good point{}; {} line{} left out:",
                        if good == 1 { "" } else { "s" },
                        parsed.errors.len(),
                        if parsed.errors.len() == 1 { " was" } else { "s were" }
                    ),
                );
            }
            announce(&format!("using {good} points"));
            show_errors(&lines);
            if lines.is_empty() {
                editor(|ed| ed.picked = None);
            }
        }
        Err(msg) => {
            lines.insert(0, format!("{msg} — your points were not changed"));
            show_errors(&lines);
        }
    }
}

fn text_area() -> Option<HtmlTextAreaElement> {
    dom::by_id::<HtmlTextAreaElement>("data-text")
}

/// Puts the scene's points into the text box, unless someone is typing there or it shows text
/// with errors (`force` overrides both).
pub fn sync_text(scene: &Scene, force: bool) {
    let Some(ta) = text_area() else { return };
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
pub fn describe(scene: &Scene) {
    let own = scene.problem.data.is_some();
    let text = match &scene.problem.data {
        Some(d) => scene.problem.eval.describe(d.x.len(), scene.problem.folds),
        None => format!(
            "Generated data: {} noisy points from the target, and test error on {} fresh points. Press “Edit these points” on the fit panel, paste a CSV or upload one to use your own.",
            scene.problem.n, scene.problem.test
        ),
    };
    dom::set_text("data-mode", &text);
    let one_d = scene.problem.family.is_1d();
    let shown = scene.shows_control("points");
    dom::set_hidden("data-edit", own || !one_d || !shown);
    dom::set_hidden("data-generated", !own || !shown);
    if let Some(c) = dom::by_id::<Element>("fit-canvas") {
        let editable = own && shown;
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
    place_pick();
}

/// Wires the fit panel, the buttons, the text box and the file upload.
pub fn wire() {
    let Some(doc) = dom::document() else { return };
    if let Some(c) = doc.get_element_by_id("fit-canvas") {
        dom::on(&c, "pointerdown", |e| on_pointer_down(&e));
        dom::on(&c, "pointermove", |e| on_pointer_move(&e));
        dom::on(&c, "pointerup", |_| on_pointer_up());
        dom::on(&c, "pointercancel", |_| on_pointer_up());
        dom::on(&c, "keydown", |e| on_key(&e));
    }
    if let Some(b) = doc.get_element_by_id("data-edit") {
        dom::on(&b, "click", |_| {
            let pts = app::generated_points();
            show_errors(&[]);
            if let Err(msg) = app::set_points(Some(pts), true) {
                show_errors(&[msg]);
            } else {
                announce("your own data: click the fit panel to add points, drag them, double-click or double-tap to delete");
                if let Some(c) = dom::by_id::<HtmlElement>("fit-canvas") {
                    let _ = c.focus();
                }
            }
        });
    }
    if let Some(b) = doc.get_element_by_id("data-generated") {
        dom::on(&b, "click", |_| {
            show_errors(&[]);
            editor(|ed| ed.picked = None);
            if let Err(msg) = app::set_points(None, true) {
                show_errors(&[msg]);
            } else {
                announce("back to generated data");
            }
        });
    }
    if let Some(b) = doc.get_element_by_id("data-apply") {
        dom::on(&b, "click", |_| {
            if let Some(ta) = text_area() {
                apply_text(&ta.value());
            }
        });
    }
    if let Some(input) = doc.get_element_by_id("data-file") {
        dom::on(&input, "change", |e| {
            let Some(file) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
            if file.size() > 2e6 {
                show_errors(&[format!("{}: the file is {:.1} MB; at most 2 MB (and {} points) are read", file.name(), file.size() / 1e6, max_points())]);
                return;
            }
            let Ok(reader) = web_sys::FileReader::new() else { return };
            let r = reader.clone();
            let onload = Closure::once_into_js(move || {
                let text = r.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
                if let Some(ta) = text_area() {
                    ta.set_value(&text);
                }
                apply_text(&text);
            });
            reader.set_onload(Some(onload.unchecked_ref()));
            let _ = reader.read_as_text(&file);
        });
    }
    if let Some(w) = dom::window() {
        dom::on(&w, "pointerup", |_| on_pointer_up());
    }
}
