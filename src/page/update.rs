//! The one update function: a message changes the model and returns the effects the page must
//! apply. Every handler of the old page picked its own subset of "write the URL, rewrite the
//! captions, redraw, start a sweep"; here each message does, and the parameter table's `change`
//! column says what a control's change needs.

use super::editor::{parse_text, Edit};
use super::job::{job_started, post, progress, refresh, request_sweep, trial};
use super::msg::{Effect, Frame, Msg, Panel, When};
use super::presets::{tour_query, TOUR};
use super::Model;
use crate::engine::data::Dataset;
use crate::engine::features::Family;
use crate::engine::sweep::Axis;
use crate::scene::{Change, Kind, Platform, Scene};

/// The most points the page takes.
pub fn max_points() -> usize {
    match crate::scene::param("points").map(|p| p.kind) {
        Some(Kind::Points { web_max, .. }) => web_max,
        _ => 0,
    }
}

/// Applies `msg` to the model at time `now` (ms since navigation) and returns what the page must
/// do, in order.
pub fn update(m: &mut Model, msg: Msg, now: f64) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Start => {
            fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::Captions]);
            if m.scene.tour != 0 {
                let scene = tour_scene(m, m.scene.step);
                apply_scene(m, scene, Vec::new(), now, &mut fx);
            } else {
                m.queue_fit(&mut fx);
                request_sweep(m, now, &mut fx);
            }
        }
        Msg::WorkerReady(i) => {
            if !m.sched.any_ready() {
                fx.push(Effect::BodyData("worker-ready-at", format!("{now:.1}")));
            }
            if let Some(p) = m.sched.ready(i) {
                fx.push(post(m, p));
            }
        }
        Msg::WorkersFailed => {
            if m.sched.fail() {
                fx.push(Effect::Notice(vec!["The background workers failed; computing on the page instead.".into()]));
                request_sweep(m, now, &mut fx);
            }
        }
        Msg::Trial { job, worker, data } => trial(m, job, worker, data, now, &mut fx),
        Msg::WorkerError { job, message } => {
            if job == m.job {
                fx.push(Effect::Notice(vec![message]));
            }
        }
        Msg::PageStep => {
            let sweep = m.sweep.clone();
            match (sweep, m.sched.page_take()) {
                (Some(sweep), Some(trial)) => {
                    fx.push(Effect::RunTrial { job: m.job, trial, sweep });
                    // Yield to the page between trials.
                    fx.push(Effect::Schedule(When::Task, Box::new(Msg::PageStep)));
                }
                _ => m.sched.stepping = false,
            }
        }
        Msg::ProgressTick => {
            m.progress_due = false;
            if m.folder.next() < m.total {
                fx.push(progress(m, now, None));
            }
        }
        Msg::Frame(Frame::Curves) => {
            m.queued.curves = false;
            refresh(m);
            fx.extend([Effect::DrawCurves, Effect::Tables]);
            let done = std::mem::take(&mut m.queued.done);
            if done {
                let first = !std::mem::replace(&mut m.first_drawn, true);
                fx.push(Effect::MarkDrawn { first });
            }
        }
        Msg::Frame(Frame::Fit) => {
            m.queued.fit = false;
            fx.push(Effect::DrawFit);
        }
        Msg::CurvesDrawn { u, dd } => {
            // The digits' panel 2 is the second module's (with its own pointer).
            m.geom_u = if m.scene.source == crate::scene::Source::Generated { u.or(m.geom_u) } else { None };
            m.geom_dd = dd.or(m.geom_dd);
            fx.push(Effect::Selection);
        }
        Msg::FitDrawn { geom, scale } => {
            m.editor.geom = geom;
            m.editor.scale = scale;
            fx.extend([Effect::Selection, Effect::PickRing]);
        }
        Msg::Control { key, text } => control(m, key, &text, now, &mut fx),
        Msg::Query(q) => apply_query(m, &q, now, &mut fx),
        Msg::NewDraw(seed) => {
            m.scene.problem.seed = seed;
            fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::SyncControls]);
            m.queue_fit(&mut fx);
            request_sweep(m, now, &mut fx);
        }
        Msg::OptimalRidge => {
            let pr = &m.scene.problem;
            let p = m.scene.size.max(1);
            let (seen, unseen) = pr.signal_split(p);
            let lambda = crate::engine::theory::optimal_ridge(p as f64 / pr.n as f64, seen, unseen, pr.noise * pr.noise);
            // Three significant digits, within the table's range.
            let text = crate::engine::num::format_sci(lambda, 2);
            match m.scene.set("ridge", &text, Platform::Web) {
                Ok(()) => {
                    fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::SyncControls]);
                    m.queue_fit(&mut fx);
                    request_sweep(m, now, &mut fx);
                }
                Err(e) => fx.push(Effect::Notice(vec![e.message])),
            }
        }
        Msg::Hover { panel, px } => {
            let geom = if panel == Panel::U { m.geom_u } else { m.geom_dd };
            let Some(g) = geom else { return fx };
            let mut x = g.x_at(px);
            if m.scene.ratio && m.scene.axis == Axis::Size {
                x *= m.scene.problem.train_n() as f64;
            }
            let target = x.round().max(1.0) as usize;
            if let Some(row) = m.row_at(target).map(|r| r.x) {
                if select(m, row, &mut fx) {
                    m.queue_fit(&mut fx);
                }
            }
        }
        Msg::StepSelection(steps) => {
            let Some(r) = m.result().filter(|r| !r.rows.is_empty()) else { return fx };
            let i = r.rows.partition_point(|row| row.x < m.selected) as i64;
            let j = (i + steps).clamp(0, r.rows.len() as i64 - 1) as usize;
            if let Some(x) = r.rows.get(j).map(|row| row.x) {
                if select(m, x, &mut fx) {
                    m.queue_fit(&mut fx);
                }
            }
        }
        Msg::Choose(i) => {
            // A key that chose a value was the page's.
            if choose(m, i, &mut fx) {
                fx.push(Effect::Consumed);
            }
        }
        Msg::PickCurve { px, py, tol } => {
            // Its legend entry, else its curve.
            if let Some(i) = super::compare::legend_entry_at(m, px, py).or_else(|| super::compare::curve_at(m, px, py, tol)) {
                choose(m, i, &mut fx);
            }
        }
        Msg::TogglePlay => {
            m.playing = !m.playing;
            fx.push(Effect::PlayButton(m.playing));
            if m.playing {
                // A new chain of steps; the old one's next step, if still scheduled, is ignored.
                m.play_gen += 1;
                let ends = m.result().and_then(|r| Some((r.rows.first()?.x, r.rows.last()?.x)));
                if let Some((first, last)) = ends {
                    if last == m.selected {
                        select(m, first, &mut fx);
                    }
                }
                play_tick(m, &mut fx);
            }
        }
        Msg::PlayTick(gen) => {
            if gen == m.play_gen {
                play_tick(m, &mut fx);
            }
        }
        Msg::ShowNew(on) => {
            m.show_new = on;
            m.queue_fit(&mut fx);
        }
        Msg::ShowOthers(on) => {
            m.show_others = on;
            m.queue_fit(&mut fx);
        }
        Msg::TourBy(delta) => {
            let step = (m.scene.step as i64 + delta).clamp(1, TOUR.len() as i64) as usize;
            go_to_step(m, step, now, &mut fx);
        }
        Msg::Key(key) => tour_key(m, &key, now, &mut fx),
        Msg::AnimTick(target) => animate_to(m, target, &mut fx),
        Msg::HostScene(q) => {
            // The message changes what it names; everything else (embed mode, panels, controls,
            // theme, the other parameters) stays.
            let (scene, errors) = m.scene.with_query_lenient(&q, Platform::Web);
            apply_scene(m, scene, errors, now, &mut fx);
            fx.push(reply(m));
        }
        Msg::HostStep(step) => {
            let step = step.clamp(1, TOUR.len());
            if m.scene.tour != 0 {
                go_to_step(m, step, now, &mut fx);
            } else {
                let scene = tour_scene(m, step);
                apply_scene(m, scene, Vec::new(), now, &mut fx);
            }
            fx.push(reply(m));
        }
        Msg::HostSize(size) => {
            let x = m.row_at(size).map(|r| r.x).unwrap_or(size);
            if select(m, x, &mut fx) {
                m.queue_fit(&mut fx);
            }
            fx.push(reply(m));
        }
        Msg::ReducedMotion(on) => m.reduced_motion = on,
        Msg::Print => {
            // A frame in a print or an offscreen frame may never come: draw now what is asked for.
            refresh(m);
            if std::mem::take(&mut m.queued.fit) {
                fx.push(Effect::DrawFit);
            }
            if m.result().is_some() {
                m.queued.curves = false;
                fx.extend([Effect::DrawCurves, Effect::Tables]);
                if std::mem::take(&mut m.queued.done) {
                    let first = !std::mem::replace(&mut m.first_drawn, true);
                    fx.push(Effect::MarkDrawn { first });
                }
            }
        }
        Msg::JobStarted(job) => job_started(m, job, now, &mut fx),
        Msg::Resize => {
            m.queue_redraw(false, &mut fx);
            m.queue_fit(&mut fx);
        }
        Msg::Export(kind) => {
            refresh(m);
            fx.push(Effect::Export(kind));
        }
        Msg::Edit(edit) => edit_points(m, edit, now, &mut fx),
        Msg::Table(shape) => {
            let scene = m.scene.on_table(shape);
            match scene.check(Platform::Web).into_iter().next() {
                Some(e) => fx.push(Effect::DataErrors(vec![e.message])),
                None => {
                    fx.push(Effect::DataErrors(vec![]));
                    apply_scene(m, scene, Vec::new(), now, &mut fx);
                }
            }
        }
    }
    fx
}

/// The answer to the host page: the scene and the size the figure shows — or settles at, while a
/// tour step moves the size.
fn reply(m: &Model) -> Effect {
    let mut scene = m.scene.clone();
    let size = m.anim_target.unwrap_or(m.selected);
    if scene.axis == Axis::Size {
        scene.size = size;
    }
    Effect::ReplyToHost { scene: scene.to_query(), size }
}

/// Keeps a scene consistent after one control moved (the size stays within the sweep, the
/// Gaussian family's sizes within its dimension).
fn fix_up(scene: &mut Scene) {
    if scene.problem.family == Family::Gaussian && scene.max_size > scene.problem.dim {
        scene.max_size = scene.problem.dim;
    }
    // The plain linear model of the digits or a table has at most one feature a column.
    if scene.problem.family == Family::Linear && scene.source != crate::scene::Source::Generated {
        let columns = scene.table_shape.filter(|_| scene.source == crate::scene::Source::Table).map_or(crate::engine::images::DIGITS_PIXELS, |t| t.columns);
        scene.max_size = scene.max_size.min(columns);
    }
    // A table holds out at most the rows it does not train on.
    if let Some(t) = scene.table_shape.filter(|_| scene.source == crate::scene::Source::Table) {
        scene.problem.test = scene.problem.test.min(t.rows.saturating_sub(scene.problem.n)).max(1);
    }
    if scene.axis == Axis::Size {
        scene.size = scene.size.clamp(1, scene.max_size.max(1));
    } else if scene.problem.family == Family::Gaussian {
        scene.size = scene.size.min(scene.problem.dim);
    }
}

/// A control moved: the scene, the URL and what the parameter's change needs.
fn control(m: &mut Model, key: &'static str, text: &str, now: f64, fx: &mut Vec<Effect>) {
    let Some(p) = crate::scene::param(key) else { return };
    let before = m.scene.clone();
    if let Err(e) = m.scene.set(key, text, Platform::Web) {
        return fx.extend([Effect::SyncControls, Effect::Notice(vec![e.message])]);
    }
    fix_up(&mut m.scene);
    // Another comparison (or none) shows its first value, unless the value shown stays.
    if key == "compare" && (before.compare.as_ref().map(|c| c.key) != m.scene.compare.as_ref().map(|c| c.key) || m.scene.pick >= m.labels().len()) {
        m.scene.pick = 0;
    }
    if key == "axis" {
        m.scene.keep_threshold_inside();
    }
    if let Some(e) = m.scene.check(Platform::Web).into_iter().next() {
        m.scene = before;
        return fx.extend([Effect::SyncControls, Effect::Notice(vec![e.message])]);
    }
    if p.reselect {
        m.selected = m.scene.initial_selection();
    }

    fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::Captions, Effect::SyncControls]);
    match p.change {
        Change::View => m.queue_redraw(false, fx),
        Change::Style | Change::Layout => {
            m.queue_fit(fx);
            m.queue_redraw(false, fx);
        }
        Change::Time => {
            m.queue_fit(fx);
            fx.push(Effect::Selection);
        }
        Change::Size if m.scene.axis == Axis::Size => {
            m.queue_fit(fx);
            fx.push(Effect::Selection);
        }
        Change::Size | Change::Sweep => {
            m.queue_fit(fx);
            request_sweep(m, now, fx);
        }
    }
}

/// Replaces the whole scene by a scene string (presets, the browser's history).
fn apply_query(m: &mut Model, q: &str, now: f64, fx: &mut Vec<Effect>) {
    let (scene, errors) = Scene::from_query_lenient(q, Platform::Web);
    apply_scene(m, scene, errors, now, fx);
}

/// The scene of tour step `step`, shown as the page is shown now (embed mode, panels, controls
/// and theme stay: a tour in a slide stays the slide's figure).
fn tour_scene(m: &Model, step: usize) -> Scene {
    let (mut scene, _) = Scene::from_query_lenient(&tour_query(step), Platform::Web);
    // A step that shows training over time adds its panels to the figure's own three; the
    // other steps show those three only (the training panels of a step go with it).
    let extra = scene.panels & !0b111;
    scene.keep_look(&m.scene);
    scene.panels = (scene.panels & 0b111) | extra;
    if scene.panels == 0 {
        scene.panels = Scene::default().panels;
    }
    scene
}

/// Shows a new scene: the URL, captions and controls follow, and a new sweep starts.
fn apply_scene(m: &mut Model, scene: Scene, errors: Vec<crate::scene::ParamError>, now: f64, fx: &mut Vec<Effect>) {
    let mut notes: Vec<String> = errors.iter().map(|e| super::note(&scene, e)).collect();
    notes.extend(super::text::data_warning(&scene));
    if !notes.is_empty() {
        fx.push(Effect::Notice(notes));
    }
    m.anim_target = None;
    m.selected = scene.initial_selection();
    m.scene = scene;
    // Another scene's points: no point is chosen or dragged any more.
    m.editor.picked = None;
    m.editor.drag = None;
    fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::Captions, Effect::SyncControls]);
    m.queue_fit(fx);
    request_sweep(m, now, fx);
}

/// Shows compared value `i`'s fit, U panel and readout (a value the comparison does not have is
/// ignored).
fn choose(m: &mut Model, i: usize, fx: &mut Vec<Effect>) -> bool {
    let labels = m.labels();
    let Some(label) = labels.get(i).filter(|_| i != m.scene.pick) else { return false };
    m.scene.pick = i;
    fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::Captions, Effect::Announce(format!("fit shown: {label}")), Effect::Selection]);
    m.queue_redraw(false, fx);
    m.queue_fit(fx);
    true
}

/// Sets the selection; returns whether it changed.
fn select(m: &mut Model, x: usize, fx: &mut Vec<Effect>) -> bool {
    if m.selected == x {
        return false;
    }
    m.selected = x;
    if m.scene.axis == Axis::Size {
        m.scene.size = x;
        fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::SizeControl(x)]);
    }
    fx.push(Effect::Selection);
    true
}

fn play_tick(m: &mut Model, fx: &mut Vec<Effect>) {
    let next = match (m.playing, m.result()) {
        (true, Some(r)) => {
            let i = r.rows.partition_point(|row| row.x < m.selected);
            let stride = (r.rows.len() / if m.reduced_motion { 12 } else { 360 }).max(1);
            r.rows.get(i + stride).map(|row| row.x)
        }
        _ => None,
    };
    match next {
        Some(x) => {
            select(m, x, fx);
        }
        None => m.playing = false,
    }
    fx.push(Effect::DrawFit);
    if m.playing {
        let when = if m.reduced_motion { When::After(500.0) } else { When::Frame };
        fx.push(Effect::Schedule(when, Box::new(Msg::PlayTick(m.play_gen))));
    } else {
        fx.push(Effect::PlayButton(false));
    }
}

/// Keys that step a tour (space, arrows, Page Up/Down — what clickers send); with no tour, in a
/// frame, a navigation key belongs to the host page.
fn tour_key(m: &mut Model, key: &str, now: f64, fx: &mut Vec<Effect>) {
    // The deck's own keys that are never the tour's (blackout, sent by clickers).
    let deck_only = matches!(key, "b" | "B" | ".");
    if m.scene.tour == 0 || deck_only {
        if m.in_frame && deck_method(key).is_some() {
            fx.extend([Effect::Consumed, Effect::HandKeyToHost(key.to_string())]);
        }
        return;
    }
    let step = m.scene.step;
    let next = match key {
        " " | "ArrowRight" | "PageDown" | "ArrowDown" => step + 1,
        "ArrowLeft" | "PageUp" | "ArrowUp" | "Backspace" | "Shift+ " => step.saturating_sub(1),
        _ => return,
    };
    if !(1..=TOUR.len()).contains(&next) {
        // Past either end of the tour, the key is the deck's: a clicker moves on to the next
        // slide (or back) instead of being stuck in the figure.
        if m.in_frame && key != "Backspace" {
            fx.extend([Effect::Consumed, Effect::HandKeyToHost(key.to_string())]);
        }
        return;
    }
    fx.push(Effect::Consumed);
    go_to_step(m, next, now, fx);
}

/// What a key does on a reveal.js deck, as the method the deck's postMessage API calls — so a key
/// pressed inside the figure does on the deck what it does there: → and ← move right and left;
/// ↓, space and Page Down go to the next slide, ↑, Shift+space (`"Shift+ "`) and Page Up to the
/// previous one; `b` and `.` black the screen out. `None`: not a deck key.
pub fn deck_method(key: &str) -> Option<&'static str> {
    Some(match key {
        "ArrowRight" => "right",
        "ArrowLeft" => "left",
        "ArrowDown" | " " | "PageDown" => "next",
        "ArrowUp" | "Shift+ " | "PageUp" => "prev",
        "b" | "B" | "." => "togglePause",
        _ => return None,
    })
}

/// Goes to a tour step: a new scene, or — when only the size differs — a smooth move of the size.
fn go_to_step(m: &mut Model, step: usize, now: f64, fx: &mut Vec<Effect>) {
    let next = tour_scene(m, step);
    let (mut x, mut y) = (m.scene.clone(), next.clone());
    (x.size, y.size, x.step, y.step) = (0, 0, 0, 0);
    if x != y || m.result().is_none() {
        return apply_scene(m, next, Vec::new(), now, fx);
    }
    m.scene.step = next.step;
    m.anim_target = Some(next.size);
    fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::TourBar]);
    animate_to(m, next.size, fx);
}

/// Moves the selected size to `target` over a few frames (at once with reduced motion).
fn animate_to(m: &mut Model, target: usize, fx: &mut Vec<Effect>) {
    // A newer change of scene cancels the move.
    let mut done = m.anim_target != Some(target);
    if !done {
        let (cur, goal) = (m.selected as f64, target as f64);
        let next = if m.reduced_motion || (goal - cur).abs() < 1.5 {
            target
        } else if m.scene.log_x && cur > 0.0 && goal > 0.0 {
            // Even steps on the log axis the panel draws.
            (cur * (goal / cur).powf(0.2)).round() as usize
        } else {
            (cur + (goal - cur) * 0.2).round() as usize
        };
        let x = m.row_at(next).map(|r| r.x).unwrap_or(next);
        select(m, if x == m.selected { target } else { x }, fx);
        done = m.selected == target;
        if done {
            m.anim_target = None;
        }
    }
    fx.push(Effect::DrawFit);
    if !done {
        fx.push(Effect::Schedule(When::Frame, Box::new(Msg::AnimTick(target))));
    }
}

/// Replaces the data: `Some(points)` for your own, `None` for generated data. With `commit` the
/// URL, controls and sweep follow; without (mid-drag) only the fit panel is redrawn. A change the
/// scene cannot take (too few points for the folds…) changes nothing and returns the message.
fn set_points(m: &mut Model, points: Option<Vec<(f64, f64)>>, commit: bool, now: f64, fx: &mut Vec<Effect>) -> Result<(), String> {
    let before = m.scene.clone();
    // Points, or generated data, in place of a table.
    if m.scene.source == crate::scene::Source::Table {
        (m.scene.source, m.scene.table_shape) = (crate::scene::Source::Generated, None);
        // The plain linear model is of tables only.
        if m.scene.problem.family == Family::Linear {
            m.scene.problem.family = Family::Relu;
        }
    }
    m.scene.problem.data = points.map(|p| Dataset { x: p.iter().map(|q| q.0).collect(), y: p.iter().map(|q| q.1).collect() });
    if m.scene.problem.data.is_some() && m.scene.problem.family == Family::Gaussian {
        m.scene.problem.family = Family::Legendre;
    }
    if let Some(e) = m.scene.check(Platform::Web).into_iter().next() {
        m.scene = before;
        return Err(e.message);
    }
    if commit {
        if m.scene.axis == Axis::Samples || before.problem.data.is_some() != m.scene.problem.data.is_some() || before.source != m.scene.source {
            m.selected = m.scene.initial_selection();
        }
        fx.extend([Effect::WriteUrl(m.scene.to_query()), Effect::Captions]);
    }
    m.queue_fit(fx);
    if commit {
        fx.extend([Effect::SyncControls, Effect::SyncText(false)]);
        request_sweep(m, now, fx);
    }
    Ok(())
}

/// Your own points: the editor's pointer and key edits, the buttons, the text box.
fn edit_points(m: &mut Model, edit: Edit, now: f64, fx: &mut Vec<Effect>) {
    let max = max_points();
    match edit {
        Edit::Start => {
            fx.push(Effect::DataErrors(vec![]));
            let pts = m.generated_points();
            match set_points(m, Some(pts), true, now, fx) {
                Ok(()) => fx.extend([
                    Effect::Announce("your own data: click the fit panel to add points, drag them, double-click or double-tap to delete".into()),
                    Effect::FocusFit,
                ]),
                Err(msg) => fx.push(Effect::DataErrors(vec![msg])),
            }
        }
        Edit::Generated => {
            fx.push(Effect::DataErrors(vec![]));
            m.editor.picked = None;
            match set_points(m, None, true, now, fx) {
                Ok(()) => fx.push(Effect::Announce("back to generated data".into())),
                Err(msg) => fx.push(Effect::DataErrors(vec![msg])),
            }
        }
        Edit::Text(text) => {
            let (points, mut lines) = parse_text(&text, max);
            let Some(points) = points else { return fx.push(Effect::DataErrors(lines)) };
            let good = points.len();
            match set_points(m, Some(points), true, now, fx) {
                Ok(()) => {
                    lines.extend(super::text::data_warning(&m.scene));
                    if !lines.is_empty() {
                        // Keep the text as typed, bad lines and all, so they can be fixed.
                        fx.push(Effect::DataText(text));
                    } else {
                        m.editor.picked = None;
                    }
                    fx.extend([Effect::Announce(format!("using {good} points")), Effect::DataErrors(lines)]);
                }
                Err(msg) => {
                    lines.insert(0, format!("{msg} — your points were not changed"));
                    fx.push(Effect::DataErrors(lines));
                }
            }
        }
        Edit::TooLarge { name, bytes } => {
            fx.push(Effect::DataErrors(vec![format!("{name}: the file is {:.1} MB; at most 2 MB (and {max} points) are read", bytes / 1e6)]));
        }
        edit => {
            let Some(pts) = m.own_points().filter(|_| m.editable()) else {
                // Editing went off (another scene came) mid-drag: the drag ends here.
                m.editor.drag = None;
                return;
            };
            let out = m.editor.edit(&edit, pts, max);
            if out.handled {
                fx.push(Effect::Consumed);
            }
            if let Some(errors) = out.errors {
                fx.push(Effect::DataErrors(errors));
            }
            if let Some((points, commit)) = out.points {
                match set_points(m, points, commit, now, fx) {
                    Ok(()) => {
                        fx.extend(out.say.map(Effect::Announce));
                        if commit {
                            fx.extend(super::text::data_warning(&m.scene).map(|w| Effect::DataErrors(vec![w])));
                        }
                    }
                    Err(msg) if commit => fx.extend([Effect::Announce(msg.clone()), Effect::DataErrors(vec![msg])]),
                    // Mid-drag, a point the scene cannot take is simply not followed.
                    Err(_) => {}
                }
            } else {
                fx.extend(out.say.map(Effect::Announce));
            }
            fx.push(Effect::PickRing);
        }
    }
}
