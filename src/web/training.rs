//! The training panels in the browser: the lazily loaded module `ddviz-extra` (src/bin/extra.rs)
//! runs this. The page (`ddviz-web`) hands it the scene and the selected size
//! ([`show`]); it computes the training curves at that size and the size × time map on the
//! page's thread in small slices, draws them with the same chart code as the CLI, and answers
//! the fit panel's question "what is the model at step t?" ([`fit_at`]). The time cursor, the
//! ridge overlay and play go back to the page as controls (`window.ddvizControl(key, value)`),
//! so they live in the page's one scene and its URL. The arithmetic and the words are
//! `crate::page::training`, tested natively.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, MouseEvent};

use super::{backend, dom, draw};
use crate::engine::sweep::{run_sequential, SweepResult};
use crate::page::training::{self as tr, scene_at};
use crate::plot::{map_panel, training_panel, Geom};
use crate::scene::Scene;

/// What the module knows: the page's last word, the curves computed from it, the map's job.
#[derive(Default)]
struct State {
    /// The page's scene string, selection and the size sweep's error there, as last given.
    given: (String, usize, f64),
    /// The scene at the selected size.
    scene: Option<Scene>,
    /// The training curve and, with the overlay, ridge's; the scene string they are of.
    curve: Option<(String, SweepResult, Option<SweepResult>)>,
    /// Where the training panel was drawn (device pixels).
    geom: Option<Geom>,
    /// Whether play runs, and its number (a step of an older play stops).
    playing: bool,
    play_gen: u64,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// The module's start: its controls are wired once.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(doc) = dom::document() else { return };
    if let Some(c) = doc.get_element_by_id("training-canvas") {
        // Hover follows a mouse; a touch moves the pointer only while it presses.
        dom::on(&c, "pointermove", |e| pointer(&e));
        dom::on(&c, "pointerdown", |e| pointer(&e));
        dom::on(&c, "keydown", |e| key(&e));
    }
    if let Some(b) = doc.get_element_by_id("training-play") {
        dom::on(&b, "click", |_| play_toggle());
    }
    if let Some(b) = doc.get_element_by_id("training-overlay") {
        dom::on(&b, "change", |e| {
            let on = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
            control("overlay", if on { "1" } else { "0" });
        });
    }
    for (id, what) in [("training-svg", 0u8), ("training-csv", 1), ("map-svg", 2), ("map-csv", 3)] {
        if let Some(b) = doc.get_element_by_id(id) {
            dom::on(&b, "click", move |_| export(what));
        }
    }
    // The page opens and closes the tables (its "show as table" buttons); this fills them.
    for id in ["training-show-table", "map-show-table"] {
        if let Some(b) = doc.get_element_by_id(id) {
            dom::on(&b, "click", |_| tables());
        }
    }
    if let Some(w) = dom::window() {
        dom::on(&w, "resize", |_| dom::next_frame(redraw as fn()));
    }
}

/// Tells the page a control's new value (it validates it, writes the URL and calls [`show`]).
fn control(key: &str, value: &str) {
    let Some(w) = dom::window() else { return };
    if let Ok(f) = js_sys::Reflect::get(&w, &"ddvizControl".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = f.call2(&JsValue::NULL, &key.into(), &value.into());
    }
}

/// The page's scene string `query`, its selected size and the size sweep's error there (`end`,
/// NaN while unknown): the panels follow, computed after the page's next frame.
pub fn show(query: &str, selected: usize, end: f64) {
    let changed = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let given = (query.to_string(), selected, end);
        if s.given.0 == given.0 && s.given.1 == given.1 && (s.given.2 == end || (s.given.2.is_nan() && end.is_nan())) {
            return false;
        }
        s.given = given;
        s.scene = Some(scene_at(query, selected));
        true
    });
    if changed {
        // After the page's frame: the fit panel's redraw never waits for the training curves.
        dom::next_frame(|| dom::after(0.0, update));
    }
}

/// Computes what the scene asks for that is not computed yet, and draws.
fn update() {
    let Some(scene) = STATE.with(|s| s.borrow().scene.clone()) else { return };
    if scene.shows_panel("training") {
        let key = {
            let mut k = scene.clone();
            k.time = 0;
            k.to_query()
        };
        let stale = STATE.with(|s| s.borrow().curve.as_ref().is_none_or(|c| c.0 != key));
        if stale {
            let t0 = dom::now();
            match scene.train_sweep() {
                Ok(sweep) => {
                    let r = run_sequential(&sweep);
                    let o = scene.overlay.then(|| run_sequential(&sweep.ridge_overlay()));
                    STATE.with(|s| s.borrow_mut().curve = Some((key, r, o)));
                }
                Err(e) => dom::set_text("training-caption", &e.to_string()),
            }
            dom::body_data("training-ms", &format!("{:.1}", dom::now() - t0));
        }
        draw_training();
    }
    if scene.shows_panel("map") && super::map_job::start(&scene) {
        draw_map();
    }
}

/// Draws the training panel, its cursor, caption, readout and open table.
fn draw_training() {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let s = &mut *s;
        let (Some(scene), Some((_, r, o))) = (s.scene.as_ref(), s.curve.as_ref()) else { return };
        let end = Some(s.given.2).filter(|e| e.is_finite());
        let Some(area) = draw::canvas("training-canvas").and_then(backend::canvas_area) else { return };
        match training_panel(&area, r, scene, (end, o.as_ref()), draw::look(scene)) {
            Ok(g) => {
                s.geom = Some(g);
                let caption = tr::caption(scene, r, end);
                dom::set_text("training-caption", &caption);
                if let Some(c) = dom::by_id::<Element>("training-canvas") {
                    let _ = c.set_attribute("aria-label", &caption);
                }
                let readout = if scene.time > 0 { tr::readout(scene, r, scene.time) } else { None };
                dom::set_text(
                    "training-readout",
                    &readout.unwrap_or_else(|| "Hover, drag or use the arrow keys on the chart to watch the model at a step.".into()),
                );
                // The exact numbers at the cursor (the CLI's to the bit), for scripts and tests.
                if let Some(el) = dom::by_id::<Element>("training-readout") {
                    let row = tr::row_at(r, scene.time).filter(|_| scene.time > 0);
                    let value = row.map(|row| format!("{} {} {} {}", row.x, row.train_mse_median, row.test_mse_median, row.norm_median)).unwrap_or_default();
                    let _ = el.set_attribute("data-value", &value);
                }
                cursor(&g, scene, r);
            }
            Err(e) => dom::set_text("training-caption", &e.to_string()),
        }
        if let Some(i) = dom::by_id::<HtmlInputElement>("training-overlay") {
            i.set_checked(scene.overlay);
        }
    });
    tables();
    dom::body_data("training", "drawn");
}

/// Places the time cursor's line over the training panel (hidden without a time).
fn cursor(g: &Geom, scene: &Scene, r: &SweepResult) {
    let Some(el) = dom::by_id::<HtmlElement>("training-cursor") else { return };
    let step = tr::row_at(r, scene.time).map(|row| row.x).filter(|_| scene.time > 0);
    let Some(step) = step else {
        el.set_hidden(true);
        return;
    };
    let scale = draw::dpr();
    let f = ((step as f64).log10() - g.x0) / (g.x1 - g.x0).max(1e-12);
    let x = (f64::from(g.left) + f * f64::from(g.right - g.left)) / scale;
    let style = el.style();
    let _ = style.set_property("left", &format!("{x:.1}px"));
    let _ = style.set_property("top", &format!("{:.1}px", f64::from(g.top) / scale));
    let _ = style.set_property("height", &format!("{:.1}px", f64::from(g.bottom - g.top) / scale));
    el.set_hidden(false);
}

/// The pointer over the training panel: moving it (or pressing) sets the time cursor.
fn pointer(e: &web_sys::Event) {
    let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
    let px = f64::from(m.offset_x()) * draw::dpr();
    let step = STATE.with(|s| {
        let s = s.borrow();
        let (g, (_, r, _)) = (s.geom?, s.curve.as_ref()?);
        let steps: Vec<usize> = r.rows.iter().map(|row| row.x).collect();
        tr::step_at(&g, px, &steps)
    });
    if let Some(step) = step {
        stop_play();
        control("time", &step.to_string());
    }
}

/// Keys on the focused training panel: arrows move the time cursor along the grid (Page keys
/// ten points), Home and End to the ends, Escape clears it.
fn key(e: &web_sys::Event) {
    let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
    let delta = match k.key().as_str() {
        "ArrowRight" | "ArrowUp" => 1,
        "ArrowLeft" | "ArrowDown" => -1,
        "PageUp" => 10,
        "PageDown" => -10,
        "Home" => -1_000_000,
        "End" => 1_000_000,
        "Escape" => {
            control("time", "0");
            return;
        }
        _ => return,
    };
    e.prevent_default();
    stop_play();
    let step = STATE.with(|s| {
        let s = s.borrow();
        let (scene, (_, r, _)) = (s.scene.as_ref()?, s.curve.as_ref()?);
        let steps: Vec<usize> = r.rows.iter().map(|row| row.x).collect();
        // Without a cursor, the first key places it: from the first step rightwards, from the
        // last leftwards (End: the last step, Home: the first).
        match (scene.time, delta > 0) {
            (0, true) => tr::step_by(&steps, 1, delta - 1),
            (0, false) => tr::step_by(&steps, u64::MAX, delta + 1),
            (t, _) => tr::step_by(&steps, t, delta),
        }
    });
    if let Some(step) = step {
        control("time", &step.to_string());
    }
}

/// ▶ plays training from its first step to its last (about five seconds), or stops.
fn play_toggle() {
    let start = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.play_gen += 1;
        s.playing = !s.playing;
        s.playing.then_some(s.play_gen)
    });
    set_play_label();
    if let Some(g) = start {
        if dom::reduced_motion() {
            // Reduced motion: straight to the end.
            let last = STATE.with(|s| s.borrow().curve.as_ref().and_then(|c| c.1.rows.last().map(|r| r.x)));
            stop_play();
            if let Some(last) = last {
                control("time", &last.to_string());
            }
            return;
        }
        play_step(g, 0);
    }
}

fn stop_play() {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.playing = false;
        s.play_gen += 1;
    });
    set_play_label();
}

fn set_play_label() {
    let playing = STATE.with(|s| s.borrow().playing);
    dom::set_text("training-play", if playing { "■ Stop" } else { "▶ Play training" });
}

/// One frame of play: grid point `i` (every other point: 100 frames).
fn play_step(gen: u64, i: usize) {
    let step = STATE.with(|s| {
        let s = s.borrow();
        if !s.playing || s.play_gen != gen {
            return None;
        }
        s.curve.as_ref().map(|c| c.1.rows.get(i).map(|r| r.x))
    });
    match step {
        None => {}
        Some(Some(step)) => {
            control("time", &step.to_string());
            dom::after(40.0, move || play_step(gen, i + 2));
        }
        Some(None) => stop_play(),
    }
}

/// Draws the map's rows computed so far, and its caption.
pub(super) fn draw_map() {
    super::map_job::with(|m| {
        if m.rows.is_empty() {
            dom::set_text("map-caption", &tr::map_caption(&m.scene, &m.rows, m.sweeps));
            return;
        }
        let Some(area) = draw::canvas("map-canvas").and_then(backend::canvas_area) else { return };
        if let Err(e) = map_panel(&area, &m.rows, &m.scene, draw::look(&m.scene)) {
            dom::set_text("map-caption", &e.to_string());
            return;
        }
        let caption = tr::map_caption(&m.scene, &m.rows, m.sweeps);
        dom::set_text("map-caption", &caption);
        if let Some(c) = dom::by_id::<Element>("map-canvas") {
            let _ = c.set_attribute("aria-label", &caption);
        }
        dom::body_data("map-rows", &m.rows.len().to_string());
    });
    tables();
}

/// Redraws both panels as they are (a resize, a theme).
fn redraw() {
    let training = STATE.with(|s| s.borrow().curve.is_some());
    let map = super::map_job::with(|_| ()).is_some();
    if training {
        draw_training();
    }
    if map {
        draw_map();
    }
}

/// Fills the open "show as table" views.
fn tables() {
    let open = |id: &str| dom::by_id::<Element>(id).is_some_and(|t| !t.has_attribute("hidden"));
    STATE.with(|s| {
        let s = s.borrow();
        if open("training-table") {
            if let (Some(scene), Some((_, r, _))) = (s.scene.as_ref(), s.curve.as_ref()) {
                if let Some(t) = dom::by_id::<Element>("training-table") {
                    t.set_inner_html(&tr::table(scene, r));
                }
            }
        }
    });
    if open("map-table") {
        super::map_job::with(|m| {
            if let Some(t) = dom::by_id::<Element>("map-table") {
                t.set_inner_html(&tr::map_table(&m.scene, &m.rows));
            }
        });
    }
}

/// Exports: the training panel as SVG (0) or its curve as CSV (1), the map as SVG (2) or CSV (3).
fn export(what: u8) {
    let file = STATE.with(|s| {
        let s = s.borrow();
        let stem = s.scene.as_ref().map(crate::page::text::file_stem).unwrap_or_else(|| "ddviz".into());
        match what {
            0 | 1 => {
                let (scene, (_, r, o)) = (s.scene.as_ref()?, s.curve.as_ref()?);
                let end = Some(s.given.2).filter(|e| e.is_finite());
                if what == 1 {
                    return Some((crate::export::sweep_csv(r, false), "text/csv", format!("{stem}-training.csv")));
                }
                let svg =
                    backend::svg_string(800, 600, |root| training_panel(root, r, scene, (end, o.as_ref()), crate::plot::Look::default()).map(|_| ())).ok()?;
                Some((svg, "image/svg+xml", format!("{stem}-training.svg")))
            }
            _ => super::map_job::with(|m| {
                if m.rows.len() < m.sweeps {
                    return None;
                }
                if what == 3 {
                    return Some((crate::export::map_csv(&m.rows), "text/csv", format!("{stem}-map.csv")));
                }
                let svg = backend::svg_string(800, 600, |root| map_panel(root, &m.rows, &m.scene, crate::plot::Look::default()).map(|_| ())).ok()?;
                Some((svg, "image/svg+xml", format!("{stem}-map.svg")))
            })
            .flatten(),
        }
    });
    if let Some((text, mime, name)) = file {
        let parts = js_sys::Array::of1(&JsValue::from_str(&text));
        super::effects::download(&parts, mime, &name);
    }
}

/// The fit panel's model at step `step` of the page's scene `query` at `selected`, on `grid_x`:
/// `[train error, values…]` ([`crate::page::training::fit_at`]), or `None`.
pub fn fit_at(query: &str, selected: usize, step: u64, grid_x: &[f64]) -> Option<Vec<f64>> {
    /// A question (scene string, size, step, grid length) and its answer.
    type Answer = ((String, usize, u64, usize), Vec<f64>);
    thread_local! {
        // The last answer: a redraw of the same model (a resize, a theme) costs nothing.
        static LAST: RefCell<Option<Answer>> = const { RefCell::new(None) };
    }
    let key = (query.to_string(), selected, step, grid_x.len());
    if let Some(v) = LAST.with(|l| l.borrow().as_ref().filter(|l| l.0 == key).map(|l| l.1.clone())) {
        return Some(v);
    }
    let v = tr::fit_at(&scene_at(query, selected), step, grid_x)?;
    LAST.with(|l| *l.borrow_mut() = Some((key, v.clone())));
    Some(v)
}
