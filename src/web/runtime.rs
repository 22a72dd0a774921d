//! The page's one model and the loop that feeds it messages: an event becomes a [`Msg`], the
//! model is updated ([`crate::page::update`]) and released, and only then are the effects
//! applied. Messages sent while effects are applied (a chart reports where it was drawn, a trial
//! computed on the page) wait in a queue and are taken in order: nothing is dropped because the
//! model is busy.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use crate::page::{update, Effect, Model, Msg};

thread_local! {
    static MODEL: RefCell<Option<Model>> = const { RefCell::new(None) };
    static QUEUE: RefCell<VecDeque<Msg>> = const { RefCell::new(VecDeque::new()) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static CONSUMED: Cell<bool> = const { Cell::new(false) };
    static APPLY: Cell<fn(Effect)> = const { Cell::new(ignore) };
}

fn ignore(_: Effect) {}

/// Installs the page's model and the function that applies its effects.
pub fn install(model: Model, apply: fn(Effect)) {
    MODEL.with(|m| *m.borrow_mut() = Some(model));
    APPLY.with(|a| a.set(apply));
}

/// Reads the model (between updates; effects read it too). `None` before the page started.
pub fn read<R>(f: impl FnOnce(&Model) -> R) -> Option<R> {
    MODEL.with(|m| m.try_borrow().ok().and_then(|g| g.as_ref().map(f)))
}

/// Sends a message: it is taken now, or after the message being taken (and its effects).
pub fn dispatch(msg: Msg) {
    QUEUE.with(|q| q.borrow_mut().push_back(msg));
    if RUNNING.with(|r| r.replace(true)) {
        return;
    }
    while let Some(msg) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        let now = super::dom::now();
        let effects = MODEL.with(|m| match m.try_borrow_mut() {
            Ok(mut g) => g.as_mut().map(|model| update(model, msg, now)).unwrap_or_default(),
            // Never while effects run (they only read it), so never in practice.
            Err(_) => Vec::new(),
        });
        for e in effects {
            if matches!(e, Effect::Consumed) {
                CONSUMED.with(|c| c.set(true));
            }
            APPLY.with(|a| a.get())(e);
        }
    }
    RUNNING.with(|r| r.set(false));
}

/// Sends the message of a DOM event; returns whether the page took the event (its default
/// action is then to be stopped).
pub fn dispatch_event(msg: Msg) -> bool {
    CONSUMED.with(|c| c.set(false));
    dispatch(msg);
    CONSUMED.with(|c| c.replace(false))
}

/// A buffer of a trial folded before, to copy the next trial into (`None`: none kept, or the
/// model is being updated).
pub fn take_spare() -> Option<Vec<f64>> {
    MODEL.with(|m| m.try_borrow_mut().ok().and_then(|mut g| g.as_mut().and_then(|model| model.spare.pop())))
}
