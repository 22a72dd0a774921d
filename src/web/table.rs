//! A table of your own on the page, in the lazily loaded module (`ddviz-extra`): the page's own
//! module only tells a table from points (`crate::engine::table::looks_like_table`) and hands
//! its text here ([`load`]). It is read here, its bad lines listed under the text box, its label
//! column chosen in a menu; once read, the module's worker gets the text too, and the page the
//! table's shape (`window.ddvizTableIn`), which moves the scene onto it. The page then folds the
//! trials this module computes (`super::remote`), as for the digits; `super::digits` draws the
//! panels a table has.

use std::cell::RefCell;
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{dom, extra_worker as worker};
use crate::engine::table::{parse_table, Table};
use crate::scene::{Scene, Source};

thread_local! {
    /// The table read last, and a number that changes with each table read (what depends on
    /// the table is keyed by it: the same scene string may be of another table).
    static TABLE: RefCell<Option<(u32, Arc<Table>)>> = const { RefCell::new(None) };
    /// The text it was read from, for another choice of label.
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Reads `text` as a table with the label column `label` (`None`: the column named `label`, or
/// the last): its bad lines under the text box, or — read — the label menu filled, the worker
/// given the text and the page the table's shape.
pub fn load(text: &str, label: Option<&str>) {
    let table = match parse_table(text, label) {
        Ok(t) => t,
        Err(errors) => return super::data::show_errors(&errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    };
    super::data::show_errors(&[]);
    TEXT.with(|t| *t.borrow_mut() = text.to_string());
    menu(text, &table);
    worker::send_table(text, &table.label);
    let shape = table.shape();
    keep(table);
    if let Some(f) = dom::window().and_then(|w| js_sys::Reflect::get(&w, &"ddvizTableIn".into()).ok()).and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = f.call3(&JsValue::NULL, &(shape.rows as f64).into(), &(shape.columns as f64).into(), &shape.classes.into());
    }
}

/// Keeps `table` as the one read last.
fn keep(table: Table) {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let gen = t.as_ref().map_or(1, |(g, _)| g + 1);
        *t = Some((gen, Arc::new(table)));
    });
}

/// In the worker: the table the page's module read ([`load`]), read again here with the same
/// label; the sweeps kept for the last scene are dropped (the same scene string may be of
/// another table now).
pub fn load_in_worker(text: &str, label: &str) {
    if let Ok(table) = parse_table(text, Some(label)) {
        keep(table);
    }
    super::remote::forget();
}

/// The scene of the scene string `query` here: with the table read last if it is of a table
/// (the string cannot carry it, and without it the scene's check refuses `data=table`), and the
/// digits' images if it shows them and they are loaded.
pub fn scene_of(query: &str) -> Scene {
    let base = Scene { table: TABLE.with(|t| t.borrow().as_ref().map(|(_, t)| t.clone())), ..Scene::default() };
    let (mut scene, _) = base.with_query_lenient(query, crate::scene::Platform::Web);
    if scene.source != Source::Table {
        scene.table = None;
    }
    super::digits::with_images(scene)
}

/// The number of the table read last (0: none).
pub fn generation() -> u32 {
    TABLE.with(|t| t.borrow().as_ref().map_or(0, |(g, _)| *g))
}

/// The label menu: the columns of the table in `text` that can be its label
/// ([`crate::engine::table::label_choices`]), its label chosen; choosing another reads the table
/// again with it.
fn menu(text: &str, table: &Table) {
    let Some(sel) = dom::by_id::<web_sys::HtmlSelectElement>("data-label") else { return };
    sel.set_inner_html("");
    for name in &crate::engine::table::label_choices(text) {
        if let Some(o) = dom::create("option", &[("value", name)]) {
            o.set_text_content(Some(name));
            let _ = sel.append_child(&o);
        }
    }
    sel.set_value(&table.label);
    if sel.get_attribute("data-wired").is_none() {
        let _ = sel.set_attribute("data-wired", "1");
        dom::on(&sel, "change", |e| {
            let Some(label) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()) else { return };
            let text = TEXT.with(|t| t.borrow().clone());
            load(&text, Some(&label));
        });
    }
}

/// The data section's words for a table scene: what is read, and how its error is measured.
pub fn describe(scene: &Scene) {
    if let Some(t) = scene.table.as_ref() {
        let kind = if t.is_classes() { format!("{} classes", t.outputs()) } else { "a number".into() };
        dom::set_text(
            "data-mode",
            &format!(
                "Your table: {} rows, {} feature columns and the label '{}' ({kind}); each trial trains on n = {} random rows and measures its error on {} others held out. Choose another label column below, or paste or upload another table.",
                t.rows,
                t.dim(),
                t.label,
                scene.problem.n,
                scene.problem.test
            ),
        );
    }
}
