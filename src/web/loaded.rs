//! What the lazily loaded module (`ddviz-extra`) holds of the data that no scene string can
//! carry — the digits' images (fetched once per page) and the table of your own read last — and
//! the scenes read with them ([`scene_of`]). It imports nothing of the panels: the digits'
//! panels (`super::digits`), the table's reading (`super::table`), the remote jobs, the training
//! panels and the module's worker all read the data from here.

use std::cell::RefCell;
use std::sync::Arc;

use crate::engine::images::Images;
use crate::engine::table::Table;
use crate::scene::{Platform, Scene, Source};

thread_local! {
    /// The digits' images, once loaded.
    static IMAGES: RefCell<Option<Arc<Images>>> = const { RefCell::new(None) };
    /// The table read last, and a number that changes with each table read (what depends on
    /// the table is keyed by it: the same scene string may be of another table).
    static TABLE: RefCell<Option<(u32, Arc<Table>)>> = const { RefCell::new(None) };
}

/// Whether the digits' images are loaded.
pub fn has_images() -> bool {
    IMAGES.with(|i| i.borrow().is_some())
}

/// Keeps the digits' images.
pub fn keep_images(images: Arc<Images>) {
    IMAGES.with(|i| *i.borrow_mut() = Some(images));
}

/// Keeps `table` as the one read last (a new number).
pub fn keep_table(table: Table) {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let gen = t.as_ref().map_or(1, |(g, _)| g + 1);
        *t = Some((gen, Arc::new(table)));
    });
}

/// The table read last with its number, to put back ([`put_table`]) if the page refuses the
/// next one.
pub fn table() -> Option<(u32, Arc<Table>)> {
    TABLE.with(|t| t.borrow().clone())
}

/// Puts back what [`table`] returned (or none).
pub fn put_table(table: Option<(u32, Arc<Table>)>) {
    TABLE.with(|t| *t.borrow_mut() = table);
}

/// The number of the table read last (0: none).
pub fn generation() -> u32 {
    TABLE.with(|t| t.borrow().as_ref().map_or(0, |(g, _)| *g))
}

/// `scene` with the digits' images, if it shows the digits and they are loaded.
pub fn with_images(mut scene: Scene) -> Scene {
    if scene.source == Source::Digits {
        scene.images = IMAGES.with(|i| i.borrow().clone());
    }
    scene
}

/// The scene of the scene string `query` here: with the table read last if it is of a table
/// (the string cannot carry it, and without it the scene's check refuses `data=table`), and the
/// digits' images if it shows them and they are loaded.
pub fn scene_of(query: &str) -> Scene {
    let base = Scene { table: TABLE.with(|t| t.borrow().as_ref().map(|(_, t)| t.clone())), ..Scene::default() };
    let (mut scene, _) = base.with_query_lenient(query, Platform::Web);
    if scene.source != Source::Table {
        scene.table = None;
    }
    with_images(scene)
}
