//! The handwritten digits on the page, in the lazily loaded module (`ddviz-extra`): their
//! images, fetched once per page, and the panels only the digits have. The page's own module
//! folds a digits scene's trials (computed by `super::remote`) for its double-descent panel,
//! readout, tables and CSV; this module folds the same trials in the same order for the
//! classification error, drawn in the U panel's place, and the captions, and draws the fit
//! panel's digit grid ([`draw`]).
//!
//! The images: the loader in www/index.html fetches `digits.bin` beside the page (or takes the
//! offline file's copy) and hands the bytes to [`load`], which passes them on to the module's
//! worker, so that no worker fetches them again.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{dom, extra_worker as worker};
use crate::engine::sweep::{Accumulator, SweepResult};
use crate::page::fold::InOrder;
use crate::scene::{Scene, Source};

/// The classification error panel is redrawn with part of the trials at most this often (ms).
const REDRAW_EVERY_MS: f64 = 100.0;

/// How long the pointer must rest at a new point before its digit grid is computed (ms).
const GRID_DELAY_MS: f64 = 60.0;

/// A digits job's trials folded for the classification error: its number and scene, and the
/// summary so far.
struct Job {
    job: u64,
    scene: Scene,
    total: usize,
    folder: InOrder<Vec<f64>>,
    acc: Option<Accumulator>,
    result: Option<SweepResult>,
    /// When the panel was last drawn with part of the trials, and whether a redraw is due.
    drawn_at: f64,
    due: bool,
    /// The view it was last drawn in ([`view_key`]): a change of the selection alone only moves
    /// its cursor.
    drawn: Option<String>,
}

/// A table's card: for which scene string and size, its lines.
type Card = ((String, usize), Vec<String>);

/// A digit grid: for which scene string and size, its cells and title.
type Grid = ((String, usize), Vec<crate::plot::DigitCell>, crate::plot::DigitsTitle);

thread_local! {
    /// The digits job being folded.
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
    /// The digit grid computed last: its scene string and size, its cells and title.
    static GRID: RefCell<Option<Grid>> = const { RefCell::new(None) };
    /// A table's card computed last (of a class label): its scene string and point, its lines.
    static CARD: RefCell<Option<Card>> = const { RefCell::new(None) };
    /// The grid asked for last (scene string, point), computed a moment later.
    static PENDING: RefCell<Option<(String, usize)>> = const { RefCell::new(None) };
    /// The size selected on the page.
    static SELECTED: Cell<usize> = const { Cell::new(0) };
    /// Where the classification error panel's plotting area was last drawn, for the pointer;
    /// and whether its pointer is listened to.
    static GEOM_U: Cell<Option<crate::plot::Geom>> = const { Cell::new(None) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// The digits file's bytes (once per page): parsed here and handed to the worker; true if they
/// were new and read. A file that cannot be read is said in the fit panel's caption.
pub fn load(bytes: &[u8]) -> bool {
    if super::loaded::has_images() {
        return false;
    }
    match crate::engine::images::load(bytes) {
        Ok(im) => {
            super::loaded::keep_images(im);
            worker::send_digits(bytes);
            true
        }
        Err(e) => {
            dom::set_text("fit-caption", &format!("The digits could not be read ({e}). Reload the page to try again."));
            false
        }
    }
}

/// In the worker: the digits' bytes, sent once by [`load`].
pub fn load_in_worker(bytes: &[u8]) {
    if let Ok(im) = crate::engine::images::load(bytes) {
        super::loaded::keep_images(im);
    }
}

/// A digits or table scene of `query`, with the images or the table loaded here (`None` before
/// they are, or for another scene).
fn scene_of(query: &str) -> Option<Scene> {
    let scene = super::loaded::scene_of(query);
    (scene.images.is_some() || scene.table.is_some()).then_some(scene)
}

/// Whether `scene` is a table whose label is a number (no classification error: panel 2 shows
/// its classical regime).
fn numbers(scene: &Scene) -> bool {
    scene.table.as_ref().is_some_and(|t| !t.is_classes())
}

/// What a digits scene's grid depends on: the scene without its view and look, and without
/// the selected size of a size sweep (the grid's point is given apart).
fn sweep_key(scene: &Scene) -> String {
    let mut s = scene.clone();
    let d = Scene::default();
    s.keep_look(&d);
    (s.agg, s.log_x, s.log_y, s.ratio, s.tour, s.step, s.pick) = (d.agg, d.log_x, d.log_y, d.ratio, d.tour, d.step, d.pick);
    if s.axis == crate::engine::sweep::Axis::Size {
        s.size = 1;
    }
    // The same scene string may be of another table.
    format!("{}|{}", s.to_query(), super::loaded::generation())
}

/// What the classification error panel depends on besides its trials: the scene without the
/// selected size of a size sweep (its view and theme included), and its canvas's size (a
/// resized canvas is blank).
fn view_key(scene: &Scene) -> String {
    let mut s = scene.clone();
    if s.axis == crate::engine::sweep::Axis::Size {
        s.size = 1;
    }
    let size = super::draw::canvas("u-canvas").map(|c| (c.width(), c.height())).unwrap_or_default();
    format!("{}|{}x{}", s.to_query(), size.0, size.1)
}

/// The page's job `job` starts: of a digits scene, its trials are folded here too.
pub fn start(job: u64, query: &str) {
    let new = scene_of(query).map(|scene| {
        let layout = scene.table_layout().ok();
        let total = layout.as_ref().map_or(0, |l| l.trials);
        Job { job, total, acc: layout.map(|l| l.accumulator()), scene, folder: InOrder::default(), result: None, drawn_at: 0.0, due: false, drawn: None }
    });
    let digits = new.is_some();
    JOB.with(|j| *j.borrow_mut() = new);
    // Until the new job's panel is drawn, the pointer selects nothing there, and nothing of
    // another scene stays on it.
    GEOM_U.with(|c| c.set(None));
    if digits {
        if let Some(area) = super::draw::canvas("u-canvas").and_then(super::backend::canvas_area) {
            let _ = area.fill(&plotters::style::WHITE);
        }
        for id in ["u-caption", "dd-caption"] {
            dom::set_text(id, "Computing…");
        }
    }
}

/// A trial of job `gen` (flat form), folded in trial order; the panel is redrawn at most every
/// [`REDRAW_EVERY_MS`], and once all trials are in.
pub fn fold(gen: u64, flat: Vec<f64>) {
    let wait = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut().filter(|job| job.job == gen)?;
        let t = crate::page::msg::flat_trial(&flat)?;
        let due = job.folder.push(t, flat).ok()?;
        let acc = job.acc.as_mut()?;
        for d in &due {
            acc.add_flat(d);
        }
        let wait = if job.folder.next() >= job.total { 0.0 } else { job.drawn_at + REDRAW_EVERY_MS - dom::now() };
        if wait > 0.0 && std::mem::replace(&mut job.due, true) {
            // A redraw is already on its way.
            return None;
        }
        Some(wait)
    });
    match wait {
        Some(w) if w > 0.0 => dom::after(w, redraw),
        Some(_) => redraw(),
        None => {}
    }
}

/// Summarizes the trials folded so far and draws them.
fn redraw() {
    JOB.with(|j| {
        if let Some(job) = j.borrow_mut().as_mut() {
            job.due = false;
            job.drawn_at = dom::now();
            job.result = job.acc.as_ref().map(|a| a.result());
        }
    });
    draw_curves();
}

/// Draws the classification error in the U panel's place, its cursor at the selected size, and
/// the captions of the curve panels, from the trials folded so far.
fn draw_curves() {
    JOB.with(|j| {
        let mut j = j.borrow_mut();
        let Some(job) = j.as_mut() else { return };
        job.drawn = Some(view_key(&job.scene));
        let Some(result) = job.result.as_ref() else { return };
        let caps = crate::page::text::digits_captions(&job.scene, Some(result));
        dom::set_text("u-title-data", if numbers(&job.scene) { "The classical regime" } else { "Classification error" });
        dom::set_text("u-caption", &caps.u);
        dom::set_text("dd-caption", &caps.dd);
        if let Some(area) = super::draw::canvas("u-canvas").and_then(super::backend::canvas_area) {
            let look = super::draw::look(&job.scene);
            let drawn = if numbers(&job.scene) {
                // Numbers to predict: the classical regime, where a U can show.
                let rows = result.rows.iter().filter(|r| crate::page::text::classical(&job.scene, r.x)).cloned().collect();
                let below = SweepResult { axis: result.axis, trials: result.trials, extra: result.extra, rows };
                crate::plot::dd_panel(&area, &below, &job.scene, 0, look)
            } else {
                crate::plot::class_error_panel(&area, result, &job.scene, look)
            };
            match drawn {
                Ok(g) => {
                    cursor(&g, &job.scene);
                    GEOM_U.with(|c| c.set(Some(g)));
                    listen();
                }
                Err(e) => dom::notice(&[e.to_string()]),
            }
        }
        if let Some(el) = dom::by_id::<web_sys::Element>("u-canvas") {
            let _ = el.set_attribute("aria-label", &caps.u);
        }
    });
    write_table();
}

/// Writes the classification error's "show as table" view, if it is open (a table of numbers
/// to predict: its classical regime's rows).
pub fn write_table() {
    if !super::draw::shown("u-table") {
        return;
    }
    JOB.with(|j| {
        let j = j.borrow();
        let Some((job, result)) = j.as_ref().and_then(|job| Some((job, job.result.as_ref()?))) else { return };
        if let Some(el) = dom::by_id::<web_sys::Element>("u-table") {
            el.set_inner_html(&crate::page::text::digits_table(&job.scene, result));
        }
    });
}

/// Hovering or pressing the classification error panel selects the size under the pointer
/// (as on the page's own panels; the page leaves this one to the module): set as the `size`
/// control, which the page validates and shows everywhere.
fn listen() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let Some(c) = dom::by_id::<web_sys::Element>("u-canvas") else { return };
    for event in ["pointermove", "pointerdown"] {
        dom::on(&c, event, move |e| {
            let Some(m) = e.dyn_ref::<web_sys::MouseEvent>() else { return };
            let touch = js_sys::Reflect::get(&e, &"pointerType".into()).ok().and_then(|v| v.as_string()).is_some_and(|t| t != "mouse");
            if touch && m.buttons() == 0 && event == "pointermove" {
                return;
            }
            pointer(m.offset_x() as f64 * super::draw::dpr());
        });
    }
}

/// The size at `px` (device pixels) of the classification error panel, selected on the page.
fn pointer(px: f64) {
    let Some(g) = GEOM_U.with(Cell::get) else { return };
    let x = JOB.with(|j| {
        let j = j.borrow();
        // The sample-wise view's point is no control (its `size` is the model's): the page's
        // own keys select it there.
        let job = j.as_ref().filter(|job| job.scene.axis == crate::engine::sweep::Axis::Size)?;
        let rows = &job.result.as_ref()?.rows;
        let mut x = g.x_at(px);
        if job.scene.ratio && job.scene.axis == crate::engine::sweep::Axis::Size {
            x *= job.scene.problem.train_n() as f64;
        }
        // The point of the sweep nearest to it.
        rows.iter().map(|r| r.x).min_by(|a, b| (*a as f64 - x).abs().total_cmp(&(*b as f64 - x).abs()))
    });
    let (Some(x), Some(w)) = (x, dom::window()) else { return };
    if SELECTED.with(Cell::get) == x {
        return;
    }
    if let Some(f) = js_sys::Reflect::get(&w, &"ddvizControl".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = f.call2(&JsValue::NULL, &"size".into(), &x.to_string().into());
    }
}

/// Places panel 2's cursor (the page leaves it to this module for the digits) at the selected
/// point of `scene`'s axis (on the p/n axis, the size over n), as the page places its own.
fn cursor(g: &crate::plot::Geom, scene: &Scene) {
    let x = SELECTED.with(Cell::get) as f64;
    let x = if scene.ratio && scene.axis == crate::engine::sweep::Axis::Size { x / scene.problem.train_n() as f64 } else { x };
    if let (Some(el), Some(c)) = (dom::by_id::<web_sys::HtmlElement>("u-cursor"), dom::by_id::<web_sys::HtmlCanvasElement>("u-canvas")) {
        super::draw::place_cursor(&el, &c, g, x);
    }
}

/// The page's digits panels at the selected point `x` (a size; in the sample-wise view a number
/// of training images): the classification error panel with its cursor there, in the scene's
/// view now (median or mean, axes, theme), and the fit panel's digit grid — held-out digits of
/// the first trial with the guesses of the model there, wrong ones marked — with its caption.
/// The grid is computed once per scene and point, a moment after the pointer stops there (one
/// fit at that point: a drag along the curves does not wait for each), and drawn at every
/// call (the page may have cleared the canvas).
pub fn draw(query: &str, x: usize) {
    SELECTED.with(|s| s.set(x));
    let Some(scene) = scene_of(query) else { return };
    // View changes start no job: the panel follows the page's; a change of the selection alone
    // only moves its cursor.
    let view = view_key(&scene);
    let moved = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut()?;
        (job.scene.agg, job.scene.log_x, job.scene.log_y, job.scene.ratio, job.scene.theme) = (scene.agg, scene.log_x, scene.log_y, scene.ratio, scene.theme);
        Some(job.drawn.as_deref() == Some(view.as_str()))
    });
    match (moved, GEOM_U.with(Cell::get)) {
        (Some(true), Some(g)) => cursor(&g, &scene),
        _ => draw_curves(),
    }
    // The grid depends on the sweep and the point, not on the view.
    let key = (sweep_key(&scene), x);
    if scene.source == Source::Table {
        super::table::describe(&scene);
        return card(&scene, key);
    }
    if GRID.with(|g| g.borrow().as_ref().is_some_and(|(k, ..)| *k == key)) {
        return draw_grid(&scene, x);
    }
    // A moment later, if no other point was asked for meanwhile.
    PENDING.with(|p| *p.borrow_mut() = Some(key.clone()));
    dom::after(GRID_DELAY_MS, move || {
        if PENDING.with(|p| p.borrow().as_ref() != Some(&key)) {
            return;
        }
        match crate::export::digit_cells(&scene, x) {
            Ok((cells, title)) => GRID.with(|g| *g.borrow_mut() = Some((key, cells, title))),
            Err(e) => return dom::set_text("fit-caption", &e.to_string()),
        }
        draw_grid(&scene, x);
    });
}

/// Draws the digit grid computed for `x` and its caption.
fn draw_grid(scene: &Scene, x: usize) {
    // The classification error at this point over the trials in so far, as the panel draws it.
    let at = JOB.with(|j| {
        let j = j.borrow();
        let r = j.as_ref()?.result.as_ref()?;
        let row = r.rows.iter().find(|row| row.x == x)?;
        let v = if scene.agg == crate::scene::Agg::Median { row.extra_median } else { row.extra_mean };
        Some((v?, r.trials))
    });
    GRID.with(|g| {
        let g = g.borrow();
        let Some((_, cells, title)) = g.as_ref() else { return };
        let Some(area) = super::draw::canvas("fit-canvas").and_then(super::backend::canvas_area) else { return };
        let shown = match crate::plot::digit_grid(&area, cells, &|s| title.text(s), super::draw::look(scene)) {
            Ok(k) => &cells[..k],
            Err(e) => return dom::set_text("fit-caption", &e.to_string()),
        };
        let wrong = shown.iter().filter(|c| c.guess != c.label).count();
        dom::set_text("fit-caption", &crate::page::text::digits_caption(scene, shown.len(), wrong, at, title));
        if let Some(el) = dom::by_id::<web_sys::Element>("fit-canvas") {
            let _ = el.set_attribute("aria-label", &title.text(shown));
            // Each digit shown: its class and the guess, for scripts and the tests.
            let _ = el.set_attribute("data-grid", &shown.iter().map(|c| format!("{}{}", c.label, c.guess)).collect::<Vec<_>>().join(","));
        }
    });
}

/// The fit panel of a table scene at the point `key.1`: what the table holds and how trial 1's
/// model there does on its held-out rows ([`crate::export::table_card`]). Of a class label it
/// is computed once per scene and point, a moment after the pointer stops there (it fits the
/// model); of numbers it gives the error drawn, as the trials come in.
fn card(scene: &Scene, key: (String, usize)) {
    let x = key.1;
    let at = JOB.with(|j| {
        let j = j.borrow();
        let r = j.as_ref()?.result.as_ref()?;
        let row = r.rows.iter().find(|row| row.x == x)?;
        Some((if scene.agg == crate::scene::Agg::Median { row.test_mse_median } else { row.test_mse_mean }, r.trials))
    });
    if numbers(scene) {
        return draw_card(scene, &crate::export::table_card(scene, x, at).unwrap_or_else(|e| vec![e.to_string()]));
    }
    if let Some(lines) = CARD.with(|c| c.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, l)| l.clone())) {
        return draw_card(scene, &lines);
    }
    PENDING.with(|p| *p.borrow_mut() = Some(key.clone()));
    let scene = scene.clone();
    dom::after(GRID_DELAY_MS, move || {
        if PENDING.with(|p| p.borrow().as_ref() != Some(&key)) {
            return;
        }
        let lines = crate::export::table_card(&scene, x, at).unwrap_or_else(|e| vec![e.to_string()]);
        CARD.with(|c| *c.borrow_mut() = Some((key, lines.clone())));
        draw_card(&scene, &lines);
    });
}

/// Draws a table's card on the fit panel, with its caption and its words for screen readers.
fn draw_card(scene: &Scene, lines: &[String]) {
    if let Some(area) = super::draw::canvas("fit-canvas").and_then(super::backend::canvas_area) {
        if let Err(e) = crate::plot::text_card(&area, lines, super::draw::look(scene)) {
            dom::notice(&[e.to_string()]);
        }
    }
    dom::set_text(
        "fit-caption",
        "A table has no curve to draw here: this panel says what it holds and how the model at the selected size does on the rows it held out.",
    );
    if let Some(el) = dom::by_id::<web_sys::Element>("fit-canvas") {
        let _ = el.set_attribute("aria-label", &lines.join(" "));
    }
}
