//! The one place effects are applied: each [`Effect`] of the page's update becomes DOM writes,
//! worker messages, timers or downloads. Effects run after the model is released, so they may
//! read it and send further messages.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, HtmlElement};

use super::{controls, dom, draw, runtime, workers};
use crate::page::msg::{Export, When};
use crate::page::{text, Effect, Msg, TrialData};

/// Delivers `msg` later (or, for [`When::Now`], right after the effects being applied).
fn schedule(when: When, msg: Msg) {
    if when == When::Now {
        return runtime::dispatch(msg);
    }
    if when == When::Frame {
        return frame_or_timer(msg);
    }
    let deliver = move || runtime::dispatch(msg);
    match when {
        When::Frame | When::Now => {}
        When::After(ms) => dom::after(ms, deliver),
        When::Task => {
            // A message, which unlike a timeout is not clamped.
            match web_sys::MessageChannel::new() {
                Ok(ch) => {
                    let next = Closure::once_into_js(deliver);
                    ch.port1().set_onmessage(Some(next.unchecked_ref()));
                    let _ = ch.port2().post_message(&JsValue::NULL);
                }
                Err(_) => dom::after(0.0, deliver),
            }
        }
    }
}

/// Delivers `msg` at the next animation frame — or, where no frame comes (a frame scrolled out
/// of a slide deck, a page being printed: the browser gives them no animation frames),
/// [`FRAME_STANDIN_MS`] later from a timer: whichever comes first.
fn frame_or_timer(msg: Msg) {
    let slot = std::rc::Rc::new(std::cell::Cell::new(Some(msg)));
    let other = slot.clone();
    dom::next_frame(move || {
        if let Some(msg) = slot.take() {
            runtime::dispatch(msg);
        }
    });
    dom::after(FRAME_STANDIN_MS, move || {
        if let Some(msg) = other.take() {
            runtime::dispatch(msg);
        }
    });
}

/// How long a frame may take to come before a timer stands in for it (a visible page's frames
/// come every 16 ms).
const FRAME_STANDIN_MS: f64 = 200.0;

/// Applies one effect.
pub fn apply(effect: Effect) {
    match effect {
        Effect::Post { worker, job, scene, trials } => workers::post(worker, job, &scene, &trials),
        Effect::Remote { job, scene, trials } => super::lazy::remote(job, &scene, trials),
        Effect::RunTrial { job, trial, sweep } => {
            if let Some(out) = sweep.run_trial(trial) {
                runtime::dispatch(Msg::Trial { job, worker: None, data: TrialData::Own(out) });
            }
        }
        Effect::Schedule(when, msg) => schedule(when, *msg),
        Effect::Progress { done, total, ms } => progress(done, total, ms),
        Effect::DrawCurves => {
            fit_frame();
            if let Some(msg) = draw::curves() {
                runtime::dispatch(msg);
            }
        }
        Effect::DrawFit => {
            fit_frame();
            if let Some(msg) = draw::fit() {
                runtime::dispatch(msg);
            }
            if draw::shown("fit-table") {
                runtime::read(draw::tables);
            }
        }
        Effect::MarkDrawn { first } => {
            if first {
                dom::body_data("drawn-at", &format!("{:.1}", dom::now()));
            }
            dom::body_data("drawn", "1");
        }
        Effect::BodyData(key, value) => dom::body_data(key, &value),
        Effect::Selection => {
            runtime::read(draw::selection);
        }
        Effect::SizeControl(x) => draw::size_control(x),
        Effect::TourBar => {
            runtime::read(|m| draw::tour_bar(&m.scene));
        }
        Effect::WriteUrl(q) => write_url(&q),
        Effect::Captions => {
            runtime::read(draw::captions);
        }
        Effect::SyncControls => {
            runtime::read(|m| controls::sync(&m.scene));
        }
        Effect::SyncText(force) => {
            runtime::read(|m| super::data::sync_text(&m.scene, force));
        }
        Effect::Notice(lines) => dom::notice(&lines),
        Effect::Announce(text) => dom::set_text("data-live", &text),
        Effect::DataErrors(lines) => super::data::show_errors(&lines),
        Effect::DataText(text) => super::data::set_text(&text),
        Effect::Consumed => {}
        Effect::PlayButton(playing) => dom::set_text("play", if playing { "❚❚ Pause" } else { "▶ Play" }),
        Effect::ReplyToHost { scene, size } => reply_to_host(&scene, size),
        Effect::HandKeyToHost(key) => hand_key_to_host(&key),
        Effect::PickRing => {
            runtime::read(super::data::place_pick);
        }
        Effect::FocusFit => {
            if let Some(c) = dom::by_id::<HtmlElement>("fit-canvas") {
                let _ = c.focus();
            }
        }
        Effect::Tables => {
            runtime::read(draw::tables);
        }
        Effect::Export(kind) => export(kind),
    }
}

/// Shows the sweep's progress, or its time when done.
fn progress(done: usize, total: usize, ms: Option<f64>) {
    let frac = if total > 0 { (done as f64 / total as f64).clamp(0.0, 1.0) } else { 0.0 };
    if let Some(bar) = dom::by_id::<HtmlElement>("progress-bar") {
        // A transform, not the width: the compositor scales the bar without a layout or paint.
        let _ = bar.style().set_property("transform", &format!("scaleX({frac:.3})"));
    }
    if let Some(p) = dom::by_id::<Element>("progress") {
        let _ = p.set_attribute("aria-valuenow", &format!("{:.0}", frac * 100.0));
    }
    dom::set_text("progress-text", &text::progress(done, total, ms));
    dom::body_data("state", if ms.is_some() { "done" } else { "computing" });
}

fn write_url(q: &str) {
    if let Some(w) = dom::window() {
        let path = w.location().pathname().unwrap_or_default();
        let url = if q.is_empty() { path } else { format!("{path}?{q}") };
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// The window of the page that embeds this one, if any.
fn host() -> Option<web_sys::Window> {
    let w = dom::window()?;
    let parent = w.parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &w)).then_some(parent)
}

/// In a frame, tells the host page the figure's height whenever it changes
/// (`{type: "ddviz:height", height}`, CSS pixels), so the host can size the frame to fit it
/// (docs/embedding.md has the five lines that do): the height the figure needs with its charts
/// at their natural 4:3. Until a host does, charts in one row that make the figure taller than
/// its frame are lowered to fit it ([`fit_frame`]), so a frame of a fixed height — a slide's —
/// shows the whole figure, on screen and printed, instead of cutting off its charts.
pub fn watch_height() {
    let (Some(w), Some(body)) = (host().and(dom::window()), dom::document().and_then(|d| d.body())) else { return };
    let last = std::rc::Rc::new(std::cell::Cell::new(0.0));
    let cb = Closure::<dyn FnMut()>::new(move || {
        let Some(height) = fit_frame() else { return };
        if height != last.replace(height) {
            let Some(parent) = host() else { return };
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"type".into(), &"ddviz:height".into());
            let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from_f64(height));
            let _ = parent.post_message(&msg, "*");
        }
    });
    // The observer only schedules the work: fitting the frame changes the layout, which inside
    // the observer's own callback is a "ResizeObserver loop" error (Firefox reports it).
    let run: js_sys::Function = cb.as_ref().unchecked_ref::<js_sys::Function>().clone();
    let later = Closure::<dyn FnMut()>::new(move || {
        if let Some(w) = dom::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&run, 0);
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(later.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    later.forget();
    // A frame made taller or shorter by its host need not change the body's size.
    let _ = w.add_event_listener_with_callback("resize", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Fits an embedded figure in a frame whose charts sit in one row to its frame: where the figure
/// at its natural height (charts at 4:3) is taller than the frame, the charts are lowered through
/// the `--ddviz-fit` property on the body (`www/style.css`), and redrawn — to fit the whole figure
/// if that leaves them half their natural height or more, else so that they end in the frame,
/// the controls below them to be scrolled to (never below half). Returns the natural height,
/// rounded up (none outside a frame). Run on every resize and before every drawing: a frame out
/// of sight gets no resize observations, as it gets no animation frames.
fn fit_frame() -> Option<f64> {
    host()?;
    let doc = dom::document()?;
    let body = doc.body()?;
    let b = body.get_bounding_client_rect();
    // The first chart's width, height and top (from the figure's top), and whether the others
    // sit level with it.
    let mut first: Option<(f64, f64, f64)> = None;
    let mut one_row = true;
    for id in ["fit-canvas", "u-canvas", "dd-canvas"] {
        let Some(r) = dom::by_id::<HtmlElement>(id).map(|c| c.get_bounding_client_rect()) else { continue };
        if r.width() > 0.0 && r.height() > 0.0 {
            match first {
                None => first = Some((r.width(), r.height(), r.top() - b.top())),
                Some((_, _, top)) => one_row &= (r.top() - b.top() - top).abs() < 1.0,
            }
        }
    }
    let Some((width, shown, top)) = first else { return Some(b.height().ceil()) };
    let chart = width * 0.75;
    let natural = b.height() + (chart - shown).max(0.0);
    let frame = f64::from(doc.document_element()?.client_height());
    // The chart heights at which the whole figure fits, and at which the charts end in the frame
    // (with the panel's padding below them).
    let whole = chart - (natural - frame);
    let charts_end = frame - top - 8.0;
    let embed = runtime::read(|m| m.scene.embed).unwrap_or(false);
    let fit: f64 = if !(embed && one_row) || natural <= frame + 0.5 {
        0.0
    } else if whole >= chart * 0.5 {
        whole
    } else if charts_end < chart {
        charts_end.max(chart * 0.5)
    } else {
        0.0
    };
    let fit = fit.floor() as i32;
    if fit != FIT.replace(fit) {
        let _ = body.style().set_property("--ddviz-fit", &if fit > 0 { format!("{fit}px") } else { "none".to_string() });
        runtime::dispatch(Msg::Resize);
    }
    Some(natural.ceil())
}

thread_local! {
    /// The height [`fit_frame`] gave the charts, in CSS pixels (0: their own).
    static FIT: std::cell::Cell<i32> = const { std::cell::Cell::new(0) };
}

fn reply_to_host(scene: &str, size: usize) {
    let Some(p) = host() else { return };
    let state = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&state, &"type".into(), &"ddviz:state".into());
    let _ = js_sys::Reflect::set(&state, &"scene".into(), &JsValue::from_str(scene));
    let _ = js_sys::Reflect::set(&state, &"size".into(), &JsValue::from_f64(size as f64));
    let _ = p.post_message(&state, "*");
}

/// In a frame (a slide, an article), a navigation key that no control of ours wants belongs to
/// the page around us: focus goes back to it, so the next keys reach it directly, and this key
/// is passed on as `{type: "ddviz:key", key}` and in reveal.js's postMessage form
/// (`{"method": "right"}` …), so the deck moves on the very key pressed inside the figure.
fn hand_key_to_host(key: &str) {
    let Some(parent) = host() else { return };
    let Some(method) = crate::page::update::deck_method(key) else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"ddviz:key".into());
    let _ = js_sys::Reflect::set(&msg, &"key".into(), &JsValue::from_str(key));
    let _ = parent.post_message(&msg, "*");
    let _ = parent.post_message(&JsValue::from_str(&format!("{{\"method\":\"{method}\",\"args\":[]}}")), "*");
    if let Some(active) = dom::document().and_then(|d| d.active_element()).and_then(|a| a.dyn_into::<HtmlElement>().ok()) {
        let _ = active.blur();
    }
    let _ = parent.focus();
}

/// Offers a Blob's parts as a download named `name`.
pub(crate) fn download(parts: &js_sys::Array, mime: &str, name: &str) {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_blob_sequence_and_options(parts, &bag) else { return };
    download_blob(&blob, name);
}

fn download_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Some(a) = dom::create("a", &[("href", &url), ("download", name)]).and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    dom::set_text("export-status", &format!("saved {name}"));
}

/// Exports what the page shows: the figure as SVG or PNG (twice the pixels), the curves as
/// CSV, or the link.
fn export(kind: Export) {
    if kind == Export::Link {
        let url = dom::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        if let Some(w) = dom::window() {
            let _ = w.navigator().clipboard().write_text(&url);
        }
        dom::set_text("export-status", &format!("link copied: {url}"));
        return;
    }
    // The figure and the CSV: the lazily loaded module writes them from the page's summaries.
    let kind = match kind {
        Export::Svg => "svg",
        Export::Png => "png",
        _ => "csv",
    };
    runtime::read(|m| super::lazy::export(m, kind));
}

/// Offers a PNG named `name` of what `draw` draws onto an offscreen canvas of `w` × `h` at
/// twice the pixels (drawn with `Look { scale: 2.0 }`).
pub(crate) fn download_png(
    w: u32,
    h: u32,
    name: String,
    draw: impl FnOnce(&plotters::drawing::DrawingArea<super::backend::PageBackend<'static>, plotters::coord::Shift>) -> Result<(), crate::plot::PlotError>,
) {
    let Some(canvas) = dom::create("canvas", &[]).and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) else { return };
    canvas.set_width(2 * w);
    canvas.set_height(2 * h);
    let Some(area) = super::backend::canvas_area(canvas.clone()) else { return };
    if let Err(e) = draw(&area) {
        return dom::notice(&[e.to_string()]);
    }
    let cb = Closure::once_into_js(move |blob: JsValue| {
        if let Ok(b) = blob.dyn_into::<web_sys::Blob>() {
            download_blob(&b, &name);
        }
    });
    let _ = canvas.to_blob(cb.unchecked_ref());
}
