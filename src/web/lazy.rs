//! The page's side of the lazily loaded module `ddviz-extra` (the training panels,
//! `super::training`): the first script of www/index.html defines `window.ddvizTrain`, which
//! loads the module on its first call, and `window.ddvizFitAt`, which answers once it is loaded.
//! The module sends controls back through `window.ddvizControl`, set here. The page's own wasm
//! carries none of the training code: these few calls are all it knows of it.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{dom, runtime};
use crate::engine::sweep::FitView;
use crate::page::{Model, Msg};
use crate::scene::Agg;

fn global(name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(&dom::window()?.into(), &name.into()).ok()?.dyn_into().ok()
}

/// Lets the module set a control: `window.ddvizControl(key, value)`, validated like a control;
/// hand the page a digits trial: `window.ddvizTrialIn(job, flat trial)`; and the shape of a
/// table it read: `window.ddvizTableIn(rows, columns, classes)`, which answers whether the scene
/// takes it.
pub fn listen() {
    let Some(w) = dom::window() else { return };
    let t = Closure::<dyn Fn(f64, js_sys::Float64Array)>::new(|job: f64, flat: js_sys::Float64Array| {
        runtime::dispatch(Msg::Trial { job: job as u64, worker: None, data: crate::page::TrialData::Flat(flat.to_vec()) });
    });
    let _ = js_sys::Reflect::set(&w, &"ddvizTrialIn".into(), t.as_ref());
    t.forget();
    // A table the module read: its rows, feature columns and whether its label is a class.
    // Answers whether the scene takes it (the module keeps the table only then).
    let t = Closure::<dyn Fn(f64, f64, bool) -> bool>::new(|rows: f64, columns: f64, classes: bool| {
        let shape = crate::engine::table::Shape { rows: rows as usize, columns: columns as usize, classes };
        let ok = runtime::read(|m| m.scene.on_table(shape).check(crate::scene::Platform::Web).is_empty()).unwrap_or(false);
        runtime::dispatch(Msg::Table(shape));
        ok
    });
    let _ = js_sys::Reflect::set(&w, &"ddvizTableIn".into(), t.as_ref());
    t.forget();
    let f = Closure::<dyn Fn(String, String)>::new(|key: String, text: String| {
        if let Some(p) = crate::scene::param(&key) {
            runtime::dispatch(Msg::Control { key: p.key, text });
        }
    });
    let _ = js_sys::Reflect::set(&w, &"ddvizControl".into(), f.as_ref());
    f.forget();
}

/// Hands the module the scene, the selection and the size sweep's error there (as far as the
/// sweep has come: each redraw of the curves hands it again), when the scene shows a training
/// panel (the first time, this loads the module).
pub fn forward(m: &Model) {
    if !(m.scene.shows_panel("training") || m.scene.shows_panel("map")) {
        return;
    }
    let end =
        m.row_at(m.selected).filter(|r| r.x == m.selected).map_or(f64::NAN, |r| if m.scene.agg == Agg::Median { r.test_mse_median } else { r.test_mse_mean });
    if let Some(f) = global("ddvizTrain") {
        // The scene shown in full: with a comparison, the value picked (whose curve `end` is of).
        let _ = f.call3(&JsValue::NULL, &m.shown().to_query().into(), &(m.selected as f64).into(), &end.into());
    }
}

/// With the time cursor set and the module loaded, the fit panel shows the model at that step.
pub fn fit_at(m: &Model, view: &mut FitView) {
    if m.scene.time == 0 || !m.scene.shows_panel("training") {
        return;
    }
    let Some(f) = global("ddvizFitAt") else { return };
    let grid = js_sys::Float64Array::from(&view.grid_x[..]);
    let args = js_sys::Array::of4(&m.shown().to_query().into(), &(m.selected as f64).into(), &(m.scene.time as f64).into(), &grid);
    let Some(v) = f.apply(&JsValue::NULL, &args).ok().and_then(|v| v.dyn_into::<js_sys::Float64Array>().ok()) else { return };
    let v = v.to_vec();
    // [the step of the curve's grid nearest the cursor, train error, values…]
    let (Some(&step), Some(&train), Some(values)) = (v.first(), v.get(1), v.get(2..)) else { return };
    let target = if view.beta_star.is_empty() { &mut view.fitted } else { &mut view.coef };
    if values.len() == target.len() {
        target.copy_from_slice(values);
        view.train_mse = train;
        view.others.clear();
        view.step = Some(step as u64);
    }
}

/// A remote scene's job: the module computes its trials (the first time, this loads the module,
/// and the digits for a digits scene). No trials: any other job, which ends the module's job if
/// it is loaded (and never loads it).
pub fn remote(job: u64, query: &str, trials: usize) {
    if let Some(f) = global("ddvizRemote") {
        let _ = f.call3(&JsValue::NULL, &(job as f64).into(), &query.into(), &(trials as f64).into());
    }
}

/// A digits scene's fit panel: the module draws the digit grid at the selected size.
pub fn digit_grid(m: &Model) {
    if let Some(f) = global("ddvizGrid") {
        let _ = f.call2(&JsValue::NULL, &m.scene.to_query().into(), &(m.selected as f64).into());
    }
}

/// A table pasted or uploaded under Your own data: the module reads it (the first time, this
/// loads the module), lists its bad lines or hands the page its shape (`ddvizTableIn`).
pub fn table(text: &str) {
    if let Some(f) = global("ddvizTable") {
        let _ = f.call1(&JsValue::NULL, &text.into());
    }
}

/// The page's summaries, each in its flat form (empty where there is none yet), for the module.
fn summaries(m: &Model) -> js_sys::Array {
    let results = js_sys::Array::new();
    for r in &m.results {
        results.push(&js_sys::Float64Array::from(&r.as_ref().map(|r| r.to_flat()).unwrap_or_default()[..]));
    }
    results
}

/// The "show as table" views open (`ids`: some of u, dd and fit, comma-separated): the module
/// writes them from the scene, the selection and the page's summaries, every number to the bit
/// (the first time, this loads the module).
pub fn tables(m: &Model, ids: &str) {
    if let Some(f) = global("ddvizTables") {
        let args = js_sys::Array::of4(&m.scene.to_query().into(), &(m.selected as f64).into(), &summaries(m), &ids.into());
        let _ = f.apply(&JsValue::NULL, &args);
    }
}

/// The export buttons' file `kind` (svg, png or csv): the module writes it from the scene, the
/// selection and the page's summaries (the first time, this loads the module).
pub fn export(m: &Model, kind: &str) {
    if let Some(f) = global("ddvizExport") {
        let args = js_sys::Array::of4(&kind.into(), &m.scene.to_query().into(), &(m.selected as f64).into(), &summaries(m));
        let _ = f.apply(&JsValue::NULL, &args);
    }
}
