//! The `<ddviz-figure scene="…">` custom element for articles: a static figure of a scene
//! (computed on the article's thread, once per element), drawn by the same chart code — the fit,
//! U and double-descent panels, and the training panel and the size × time map. It runs in a
//! module of its own, `ddviz-figure` (every chart, none of the app), not in the page's own wasm,
//! which stays smaller. The element's class lives in the single-file script
//! `ddviz-element.js` (see scripts/single-file.mjs), which loads the wasm once for every figure
//! on the page and calls [`render_figure`].

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlElement};

use crate::engine::sweep::{fit_view, run_sequential, SweepResult};
use crate::export::Panels;
use crate::plot::Look;
use crate::scene::{Platform, Scene};

/// The panels an element can draw, in the order it draws them.
const NAMES: [&str; 5] = ["fit", "u", "dd", "training", "map"];

/// Renders the scene string `scene` into `host` (replacing its content): the panels asked for
/// by `panels=` (default: fit, u and dd), side by side, and a one-line caption. Returns an error
/// message (also shown in the element) when the scene cannot be drawn.
pub fn render_figure(host: HtmlElement, scene: &str) -> Result<(), JsValue> {
    let (scene, errors) = Scene::from_query_lenient(scene, Platform::Web);
    let doc = host.owner_document().ok_or_else(|| JsValue::from_str("no document"))?;
    host.set_inner_html("");
    let names: Vec<&str> = NAMES.into_iter().filter(|p| scene.shows_panel(p)).collect();
    let width = host.client_width().max(320) as u32;
    let ratio = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).clamp(1.0, 3.0);
    let per = ((width.saturating_sub(4 * names.len() as u32)) / names.len().max(1) as u32).max(260);
    let height = (per as f64 * 0.75) as u32;
    let err = |e: &dyn std::fmt::Display| JsValue::from_str(&e.to_string());
    // The scene's sweep, or one per compared value (the fit and the U panel: the first value's):
    // for the curve panels, and for where training ends.
    let curves = names.iter().any(|n| ["u", "dd"].contains(n)) || (names.contains(&"training") && crate::page::training::ends_at_sweep(&scene));
    let mut results = Vec::new();
    if curves {
        let chain = scene.generated_chain().map_err(|e| err(&e))?;
        let mut accs = chain.accumulators();
        for g in 0..chain.trials() {
            if let (Some(out), Some((part, _))) = (chain.run_trial(g), chain.locate(g)) {
                if let Some(acc) = accs.get_mut(part) {
                    acc.add(&out);
                }
            }
        }
        results = accs.iter().map(|a| a.result()).collect();
    }
    let mut trials: usize = results.iter().map(|r| r.trials).sum();
    let shown = scene.shown();
    let selected = shown.initial_selection();
    let (problem, size) = shown.fit_problem(selected);
    let fit = fit_view(&problem, size, 0, 240, 0).map_err(|e| err(&e))?;
    // The training curve (and its ridge overlay) and the map, computed only when drawn.
    let training = match names.contains(&"training") {
        true => {
            let sweep = scene.train_sweep().map_err(|e| err(&e))?;
            let overlay = scene.overlay.then(|| run_sequential(&sweep.ridge_overlay()));
            let end = crate::export::training_end(&scene, &results, run_sequential).map_err(|e| err(&e))?;
            Some((run_sequential(&sweep), end, overlay))
        }
        false => None,
    };
    let maps: Vec<(usize, SweepResult)> = match names.contains(&"map") {
        true => scene.map_sweeps().map_err(|e| err(&e))?.iter().map(|s| (s.size(), run_sequential(s))).collect(),
        false => Vec::new(),
    };
    let limit = names.contains(&"map").then(|| crate::page::training::map_limit(&scene).map(|s| run_sequential(&s))).flatten();
    if trials == 0 {
        trials = training.as_ref().map(|t| t.0.trials).or(maps.first().map(|m| m.1.trials)).unwrap_or(0);
    }
    // Panels that sit side by side at this width stay side by side wherever the figure is laid
    // out narrower (a printed page), scaled to share its width; panels too wide to sit side by
    // side wrap, as on screen.
    let in_a_row = (width.saturating_sub(4 * names.len() as u32)) / names.len().max(1) as u32 >= 260;
    let box_style = if in_a_row { format!("flex:1 1 0;min-width:0;max-width:{per}px") } else { format!("width:{per}px;max-width:100%") };
    let row = doc.create_element("div")?;
    row.set_attribute("style", "display:flex;flex-wrap:wrap;gap:4px;align-items:flex-start")?;
    for name in &names {
        let canvas: HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
        canvas.set_width((per as f64 * ratio) as u32);
        canvas.set_height((height as f64 * ratio) as u32);
        canvas.set_attribute("style", &format!("{box_style};height:auto"))?;
        canvas.set_attribute("role", "img")?;
        canvas.set_attribute("data-panel", name)?;
        let area = super::backend::canvas_area(canvas.clone()).ok_or_else(|| JsValue::from_str("no canvas"))?;
        let look = Look { scale: ratio };
        let drawn = match (*name, &training) {
            ("training", Some((result, end, overlay))) => crate::plot::training_panel(&area, result, &scene, (*end, overlay.as_ref()), look).map(|_| ()),
            ("map", _) => crate::plot::map_panel(&area, &maps, limit.as_ref(), &scene, look).map(|_| ()),
            _ => crate::export::draw_figure(&area, &scene, &results, &fit, Panels::parse(name).unwrap_or(Panels::Dd), look),
        };
        drawn.map_err(|e| err(&e))?;
        let label = match (*name, &training) {
            ("fit", _) => format!("The model of size {size} fitted to {} points.", scene.problem.train_n()),
            ("u", _) => "Test error below the interpolation threshold: the classical U.".to_string(),
            ("training", Some((result, end, _))) => crate::page::training::caption(&scene, result, *end),
            ("map", _) => crate::page::training::map_caption(&scene, &maps, limit.as_ref(), maps.len()),
            _ => "Test error over every size: double descent.".to_string(),
        };
        canvas.set_attribute("aria-label", &label)?;
        row.append_child(&canvas)?;
    }
    host.append_child(&row)?;
    let caption = doc.create_element("p")?;
    caption.set_attribute("style", "font:13px system-ui,sans-serif;color:#555;margin:.3em 0")?;
    let q = scene.to_query();
    let mut text = format!("ddviz · {} trials computed in your browser · scene: {}", trials, if q.is_empty() { "default" } else { q.as_str() });
    if !errors.is_empty() {
        text.push_str(&format!(" · {}", errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")));
    }
    caption.set_text_content(Some(&text));
    host.append_child(&caption)?;
    host.set_attribute("data-drawn", "1")?;
    Ok(())
}
