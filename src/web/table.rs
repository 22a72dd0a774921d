//! A table of your own on the page, in the lazily loaded module (`ddviz-extra`): the page's own
//! module only tells a table from points (`crate::engine::table::looks_like_table`) and hands
//! its text here ([`load`]). It is read here, its bad lines listed under the text box, its label
//! column chosen in a menu; once read, the module's worker gets the text too, and the page the
//! table's shape (`window.ddvizTableIn`), which moves the scene onto it. The page then folds the
//! trials this module computes (`super::remote`), as for the digits; `super::digits` draws the
//! panels a table has.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{dom, extra_worker as worker, loaded};
use crate::engine::table::parse_table;
use crate::scene::Scene;

thread_local! {
    /// The text the table read last was read from, for another choice of label.
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Reads `text` as a table with the label column `label` (`None`: as
/// [`crate::engine::table::parse_table`] chooses): its bad lines under the text box (and the
/// label menu, another label may read), or — read — the page the table's shape, and once the
/// page takes it, the label menu filled and the worker given the text.
pub fn load(text: &str, label: Option<&str>) {
    TEXT.with(|t| *t.borrow_mut() = text.to_string());
    let table = match parse_table(text, label) {
        Ok(t) => t,
        Err(errors) => {
            // Another label may read: the menu offers the columns that can be one.
            menu(text, label.unwrap_or(""));
            return super::data::show_errors(&errors.iter().map(|e| e.to_string()).collect::<Vec<_>>());
        }
    };
    // The page first: the table is kept (here and in the worker) only if its scene takes it (a
    // refusal is listed under the text box, and the table before it stays).
    let shape = table.shape();
    let Some(f) = dom::window().and_then(|w| js_sys::Reflect::get(&w, &"ddvizTableIn".into()).ok()).and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else {
        return;
    };
    let (label, rows, columns) = (table.label.clone(), shape.rows as f64, shape.columns as f64);
    // Kept before the page's answer returns: the job it starts asks for the new table's trials.
    let before = loaded::table();
    loaded::keep_table(table);
    let taken = f.call3(&JsValue::NULL, &rows.into(), &columns.into(), &shape.classes.into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    if !taken {
        loaded::put_table(before);
        return;
    }
    menu(text, &label);
    worker::send_table(text, &label);
}

/// In the worker: the table the page's module read ([`load`]), read again here with the same
/// label (the caller drops the sweeps kept for the last scene: the same scene string may be of
/// another table now).
pub fn load_in_worker(text: &str, label: &str) {
    match parse_table(text, Some(label)) {
        Ok(table) => loaded::keep_table(table),
        // It read on the page; if it did not here, no trial runs on the table before it.
        Err(_) => loaded::put_table(None),
    }
}

/// The label menu: the columns of the table in `text` that can be its label
/// ([`crate::engine::table::label_choices`]), its label chosen; choosing another reads the table
/// again with it.
fn menu(text: &str, label: &str) {
    let Some(sel) = dom::by_id::<web_sys::HtmlSelectElement>("data-label") else { return };
    sel.set_inner_html("");
    for name in &crate::engine::table::label_choices(text) {
        if let Some(o) = dom::create("option", &[("value", name)]) {
            o.set_text_content(Some(name));
            let _ = sel.append_child(&o);
        }
    }
    sel.set_value(label);
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
        let held = if scene.problem.eval == crate::engine::own::Eval::KFold {
            format!("with {}-fold cross-validation (each fold held out in turn)", scene.problem.folds)
        } else {
            format!("on {} others held out", scene.problem.test)
        };
        dom::set_text(
            "data-mode",
            &format!(
                "Your table: {} rows, {} feature columns and the label '{}' ({kind}); each trial trains on n = {} random rows and measures its error {held}. Choose another label column below, or paste or upload another table.",
                t.rows,
                t.dim(),
                t.label,
                scene.problem.n
            ),
        );
    }
}
