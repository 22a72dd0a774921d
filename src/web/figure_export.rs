//! The page's figure exports — the figure as SVG or PNG (twice the pixels) and the curves as
//! CSV — in the lazily loaded module (`ddviz-extra`): the page hands over its scene string, its
//! selection and its summaries (`super::lazy::export`), and the files are written here from the
//! same numbers, to the bit.

use wasm_bindgen::JsValue;

use super::dom;
use super::effects::{download, download_png};
use crate::engine::features::Family;
use crate::engine::sweep::{fit_view, SweepResult};
use crate::plot::Look;

/// Offers the file `kind` (svg, png or csv) of the scene string `query` at the selected point
/// `selected`, from the page's summaries `results` (each in its flat form; empty: not yet).
pub fn export(kind: &str, query: &str, selected: usize, results: &[Vec<f64>]) {
    let scene = super::loaded::scene_of(query);
    // Every sweep of a comparison, whole.
    let Some(results) = results.iter().map(|v| SweepResult::from_flat(v)).collect::<Option<Vec<_>>>().filter(|r| !r.is_empty()) else {
        return dom::set_text("export-status", "the sweep is still computing");
    };
    let stem = crate::page::text::file_stem(&scene);
    if kind == "csv" {
        let csv = match results.as_slice() {
            [result] if scene.compare.is_none() => crate::export::sweep_csv(result, scene.problem.family == Family::Gaussian),
            _ => crate::export::compare_csv(&scene, &results),
        };
        return download(&js_sys::Array::of1(&JsValue::from_str(&csv)), "text/csv", &format!("{stem}.csv"));
    }
    let (w, h) = (1500u32, 400u32);
    if scene.source != crate::scene::Source::Generated {
        // The digits or a table: the panels the page shows of them, at the selected size.
        let mut at = scene.clone();
        at.size = selected.max(1);
        let Some(result) = results.first() else { return };
        if kind == "svg" {
            return match super::backend::svg_string(w, h, |root| crate::export::draw_table_figure(root, &at, result, Look::default())) {
                Ok(svg) => download(&js_sys::Array::of1(&JsValue::from_str(&svg)), "image/svg+xml", &format!("{stem}.svg")),
                Err(e) => dom::notice(&[e.to_string()]),
            };
        }
        return download_png(w, h, format!("{stem}.png"), |area| crate::export::draw_table_figure(area, &at, result, Look { scale: 2.0 }));
    }
    let (problem, size) = scene.shown().fit_problem(selected);
    let fit = match fit_view(&problem, size, 0, 240, 0) {
        Ok(f) => f,
        Err(e) => return dom::notice(&[e.to_string()]),
    };
    let mut shown = scene.clone();
    shown.size = size;
    let sweeps = results.as_slice();
    if kind == "svg" {
        let svg = super::backend::svg_string(w, h, |root| crate::export::draw_figure(root, &shown, sweeps, &fit, crate::export::Panels::All, Look::default()));
        return match svg {
            Ok(svg) => download(&js_sys::Array::of1(&JsValue::from_str(&svg)), "image/svg+xml", &format!("{stem}.svg")),
            Err(e) => dom::notice(&[e.to_string()]),
        };
    }
    download_png(w, h, format!("{stem}.png"), |area| crate::export::draw_figure(area, &shown, sweeps, &fit, crate::export::Panels::All, Look { scale: 2.0 }));
}
