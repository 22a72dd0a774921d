//! The page's "show as table" views, in the lazily loaded module (`ddviz-extra`): the page hands
//! over its scene, its selection and its summaries (`super::lazy::tables` on the page's side)
//! and this module writes the tables — the same functions of the same numbers the page would
//! call ([`Model::curves_table`], [`crate::page::text::fit_table`]), kept out of the page's
//! first visit.

use crate::engine::sweep::SweepResult;
use crate::page::Model;
use crate::scene::Source;

use super::dom;

/// Writes the views `ids` (some of u, dd and fit, comma-separated) of the scene string `query`
/// at the selected point `selected`, from `results` (each summary in its flat form, empty for
/// none). A digits or table scene's U view is its classification error, written with its panel
/// (`super::digits`).
pub fn fill(query: &str, selected: usize, results: &[Vec<f64>], ids: &str) {
    let (mut m, _) = Model::new("", 0, 0.0);
    m.scene = super::loaded::scene_of(query);
    m.selected = selected;
    m.results = results.iter().map(|v| SweepResult::from_flat(v)).collect();
    for id in ids.split(',') {
        let html = match id {
            "u" if m.scene.source != Source::Generated => {
                super::digits::write_table();
                continue;
            }
            "u" => m.curves_table(true),
            "dd" => m.curves_table(false),
            "fit" if m.scene.source == Source::Generated => crate::page::text::fit_table(&m),
            _ => None,
        };
        if let (Some(html), Some(el)) = (html, dom::by_id::<web_sys::Element>(&format!("{id}-table"))) {
            el.set_inner_html(&html);
        }
    }
}
