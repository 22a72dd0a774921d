//! Small DOM helpers that never panic: a missing element is `None`, a failed call is ignored.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Window};

/// The window.
pub fn window() -> Option<Window> {
    web_sys::window()
}

/// The document.
pub fn document() -> Option<Document> {
    window().and_then(|w| w.document())
}

/// An element by id, cast to `T`.
pub fn by_id<T: JsCast>(id: &str) -> Option<T> {
    document()?.get_element_by_id(id)?.dyn_into::<T>().ok()
}

/// Creates `<tag>` with attributes.
pub fn create(tag: &str, attrs: &[(&str, &str)]) -> Option<Element> {
    let el = document()?.create_element(tag).ok()?;
    for (k, v) in attrs {
        let _ = el.set_attribute(k, v);
    }
    Some(el)
}

/// Sets the text of an element by id.
pub fn set_text(id: &str, text: &str) {
    if let Some(el) = by_id::<HtmlElement>(id) {
        el.set_text_content(Some(text));
    }
}

/// Shows or hides an element by id.
pub fn set_hidden(id: &str, hidden: bool) {
    if let Some(el) = by_id::<HtmlElement>(id) {
        el.set_hidden(hidden);
    }
}

/// Adds an event listener that lives as long as the page.
pub fn on<T>(target: &T, event: &str, f: impl FnMut(web_sys::Event) + 'static)
where
    T: AsRef<web_sys::EventTarget>,
{
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let t: &web_sys::EventTarget = target.as_ref();
    let _ = t.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Milliseconds since navigation started.
pub fn now() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Shows a fatal message at the top of the page.
pub fn show_fatal(text: &str) {
    let Some(doc) = document() else { return };
    let el = match doc.get_element_by_id("fatal") {
        Some(el) => el,
        None => {
            let Some(el) = create("div", &[("id", "fatal"), ("role", "alert"), ("class", "fatal")]) else { return };
            if let Some(body) = doc.body() {
                let _ = body.prepend_with_node_1(&el);
            }
            el
        }
    };
    el.set_text_content(Some(text));
}

/// Runs `f` on the next animation frame. Each type of `f` is a copy of this in the wasm: pass
/// plain functions as `f as fn()`, which share one.
pub fn next_frame(f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = window() {
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// Whether the user asked for reduced motion.
pub fn reduced_motion() -> bool {
    window().and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten()).map(|m| m.matches()).unwrap_or(false)
}

/// Runs `f` once after `ms` milliseconds.
pub fn after(ms: f64, f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms.ceil() as i32);
    }
}

/// Sets a `data-*` attribute on the page's body.
pub fn body_data(key: &str, value: &str) {
    if let Some(b) = document().and_then(|d| d.body()) {
        let _ = b.set_attribute(&format!("data-{key}"), value);
    }
}

/// Shows the dismissible notice with one line per message (nothing for none).
pub fn notice(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    set_text("notice-text", &lines.join(" · "));
    set_hidden("notice", false);
}

/// Hands a worker's messages to `message` and its errors to `error`, for the page's life.
pub fn listen_worker(w: &web_sys::Worker, message: fn(web_sys::MessageEvent), error: fn()) {
    let onmsg = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(message);
    w.set_onmessage(Some(onmsg.as_ref().unchecked_ref()));
    onmsg.forget();
    let onerr = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| error());
    w.set_onerror(Some(onerr.as_ref().unchecked_ref()));
    onerr.forget();
}

/// How far a key moves a cursor along a chart's points: arrows one, Page Up/Down ten, Home and
/// End to the ends; `None` for any other key.
pub fn step_key(key: &str) -> Option<i64> {
    Some(match key {
        "ArrowRight" | "ArrowUp" => 1,
        "ArrowLeft" | "ArrowDown" => -1,
        "PageUp" => 10,
        "PageDown" => -10,
        "Home" => -1_000_000,
        "End" => 1_000_000,
        _ => return None,
    })
}
