//! Your own points, edited on the fit panel: add, drag and delete with the mouse or a finger,
//! choose and move with the keyboard. Pure: the browser layer passes the pointer in device
//! pixels and the key's name; the answer is the new list of points and what to announce.

use crate::engine::own;
use crate::plot::{axes_short as short, Geom};

/// How close (CSS pixels) a pointer must come to a point to grab it.
pub const GRAB: f64 = 12.0;

/// A press on the same point within this many milliseconds is a double click (or double tap).
const DOUBLE_MS: f64 = 450.0;

/// The editor's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Editor {
    /// Where the fit panel's plotting area lies (device pixels) and its data ranges.
    pub geom: Option<Geom>,
    /// Device pixels per CSS pixel of the fit canvas.
    pub scale: f64,
    /// The point being dragged, and whether it moved.
    pub drag: Option<usize>,
    /// Whether the dragged point moved.
    pub moved: bool,
    /// The point chosen from the keyboard (or last touched).
    pub picked: Option<usize>,
    /// The last press on a point (time, index): a second press on it soon after deletes it
    /// (touch screens send no dblclick reliably).
    pub last_press: Option<(f64, usize)>,
}

/// An edit of your own points, as the browser reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A press on the fit panel at device pixels (`px`, `py`), at time `now`.
    Press {
        /// Device pixels from the left.
        px: f64,
        /// Device pixels from the top.
        py: f64,
        /// Whether shift was held (shift-click deletes).
        shift: bool,
        /// Milliseconds since navigation.
        now: f64,
    },
    /// The pointer moved to (`px`, `py`) (device pixels).
    Move {
        /// Device pixels from the left.
        px: f64,
        /// Device pixels from the top.
        py: f64,
    },
    /// The pointer was let go (or the gesture cancelled).
    Release,
    /// A key on the focused fit panel (`shift`: bigger steps).
    Key {
        /// The key's name (`KeyboardEvent.key`).
        key: String,
        /// Whether shift was held.
        shift: bool,
    },
    /// "Edit these points": start from the generated points shown.
    Start,
    /// "Back to generated data".
    Generated,
    /// The CSV text box was applied (typed, pasted or uploaded).
    Text(String),
    /// A file too large to read was chosen.
    TooLarge {
        /// Its name.
        name: String,
        /// Its size in bytes.
        bytes: f64,
    },
}

/// The scene's new points: your own, or `None` for generated data.
pub type NewPoints = Option<Vec<(f64, f64)>>;

/// What an edit asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// New points (`Some(None)`: back to generated data), and whether to commit them (the
    /// URL, controls and sweep follow) or only redraw the fit (mid-drag).
    pub points: Option<(NewPoints, bool)>,
    /// What to announce when the points are taken.
    pub say: Option<String>,
    /// Problems to list under the text box (`Some(empty)`: clear the list).
    pub errors: Option<Vec<String>>,
    /// Whether the event was the editor's (the browser then stops its default action).
    pub handled: bool,
}

/// Rounds a coordinate to three decimals (what a pointer can mean).
fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Says which point is which, for screen readers: counted from the left, as `[` and `]` walk
/// them (ties in x in the order they were added).
pub fn describe_point(pts: &[(f64, f64)], i: usize) -> String {
    match pts.get(i) {
        Some((x, y)) => {
            let rank = pts.iter().enumerate().filter(|(j, p)| p.0 < *x || (p.0 == *x && *j < i)).count();
            format!("point {} of {} from the left: x = {}, y = {}", rank + 1, pts.len(), short(*x), short(*y))
        }
        None => format!("{} points", pts.len()),
    }
}

fn deleted(gone: Option<(f64, f64)>) -> String {
    format!("deleted the point at {}", gone.map(|(x, y)| format!("x = {}, y = {}", short(x), short(y))).unwrap_or_default())
}

/// Deletes point `i` (the last point takes its place, so the other points keep their folds).
fn delete(pts: &mut Vec<(f64, f64)>, i: usize) -> Option<(f64, f64)> {
    (i < pts.len()).then(|| pts.swap_remove(i))
}

fn too_many(max: usize) -> Vec<String> {
    vec![format!("too many points: at most {max} in the browser")]
}

impl Editor {
    /// The data point under device pixel (`px`, `py`), kept inside the allowed ranges; `None`
    /// outside the plotting area.
    pub fn point_at(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let g = self.geom?;
        let inside = px >= g.left as f64 - 4.0 && px <= g.right as f64 + 4.0 && py >= g.top as f64 - 4.0 && py <= g.bottom as f64 + 4.0;
        if !inside {
            return None;
        }
        let (x, y) = g.point_at(px, py);
        Some((round(x.clamp(-own::X_MAX, own::X_MAX)), round(y.clamp(-own::Y_MAX, own::Y_MAX))))
    }

    /// The nearest point within grabbing distance of device pixel (`px`, `py`).
    pub fn nearest(&self, px: f64, py: f64, pts: &[(f64, f64)]) -> Option<usize> {
        let g = self.geom?;
        pts.iter()
            .enumerate()
            .map(|(i, (x, y))| {
                let (qx, qy) = g.pixel_of(*x, *y);
                (i, (qx - px).hypot(qy - py))
            })
            .filter(|(_, d)| *d <= GRAB * self.scale)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Where the ring of the chosen point goes (CSS pixels), if one is chosen and shown.
    pub fn ring(&self, pts: Option<&[(f64, f64)]>) -> Option<(f64, f64)> {
        let g = self.geom?;
        let (x, y) = *pts?.get(self.picked?)?;
        let (px, py) = g.pixel_of(x, y);
        let s = if self.scale > 0.0 { self.scale } else { 1.0 };
        Some((px / s, py / s))
    }

    /// A pointer or key edit of `pts` (your own points; at most `max` of them).
    pub fn edit(&mut self, edit: &Edit, pts: Vec<(f64, f64)>, max: usize) -> Outcome {
        match edit {
            Edit::Press { px, py, shift, now } => self.press(*px, *py, *shift, *now, pts, max),
            Edit::Move { px, py } => self.drag_to(*px, *py, pts),
            Edit::Release => self.release(pts),
            Edit::Key { key, shift } => self.key(key, *shift, pts, max),
            _ => Outcome::default(),
        }
    }

    fn press(&mut self, px: f64, py: f64, shift: bool, now: f64, mut pts: Vec<(f64, f64)>, max: usize) -> Outcome {
        if let Some(i) = self.nearest(px, py, &pts) {
            let double = self.last_press.replace((now, i)).is_some_and(|(t, j)| j == i && now - t < DOUBLE_MS);
            if shift || double {
                self.last_press = None;
                self.picked = None;
                let gone = delete(&mut pts, i);
                return Outcome { points: Some((Some(pts), true)), say: Some(deleted(gone)), handled: false, ..Outcome::default() };
            }
            self.drag = Some(i);
            self.moved = false;
            self.picked = Some(i);
            return Outcome { handled: true, ..Outcome::default() };
        }
        let Some(p) = self.point_at(px, py) else { return Outcome::default() };
        if pts.len() >= max {
            return Outcome { errors: Some(too_many(max)), ..Outcome::default() };
        }
        pts.push(p);
        let i = pts.len() - 1;
        self.drag = Some(i);
        self.moved = false;
        self.picked = Some(i);
        let say = format!("added {}", describe_point(&pts, i));
        Outcome { points: Some((Some(pts), true)), say: Some(say), handled: true, ..Outcome::default() }
    }

    fn drag_to(&mut self, px: f64, py: f64, mut pts: Vec<(f64, f64)>) -> Outcome {
        let (Some(i), Some(p)) = (self.drag, self.point_at(px, py)) else { return Outcome::default() };
        if i >= pts.len() || pts[i] == p {
            return Outcome::default();
        }
        pts[i] = p;
        self.moved = true;
        // Mid-drag: only the fit follows; the sweep runs when the point is let go.
        Outcome { points: Some((Some(pts), false)), ..Outcome::default() }
    }

    fn release(&mut self, pts: Vec<(f64, f64)>) -> Outcome {
        let Some(i) = self.drag.take() else { return Outcome::default() };
        if !self.moved {
            return Outcome::default();
        }
        // A drag is not the first half of a double click.
        self.last_press = None;
        let say = format!("moved {}", describe_point(&pts, i));
        Outcome { points: Some((Some(pts), true)), say: Some(say), ..Outcome::default() }
    }

    /// [ and ] choose a point (in order of x), arrows move it (shift: farther), Delete removes
    /// it, + adds one, Escape lets go.
    fn key(&mut self, key: &str, big: bool, mut pts: Vec<(f64, f64)>, max: usize) -> Outcome {
        let picked = self.picked.filter(|&i| i < pts.len());
        let by_x = crate::engine::stats::argsort(&pts.iter().map(|p| p.0).collect::<Vec<_>>());
        let rank = picked.and_then(|i| by_x.iter().position(|&j| j == i));
        let dy = self.geom.map_or(0.05, |g| (g.y1 - g.y0) / 50.0) * if big { 5.0 } else { 1.0 };
        let dx = if big { 0.1 } else { 0.02 };
        let handled = Outcome { handled: true, ..Outcome::default() };
        match key {
            "]" | "[" => {
                let len = by_x.len().max(1);
                let next = match (rank, key) {
                    (Some(r), "]") => (r + 1) % len,
                    (Some(r), _) => (r + len - 1) % len,
                    (None, _) => 0,
                };
                let Some(&i) = by_x.get(next) else { return Outcome::default() };
                self.picked = Some(i);
                Outcome { say: Some(format!("chose {}", describe_point(&pts, i))), ..handled }
            }
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
                let Some(i) = picked.or_else(|| by_x.first().copied()) else { return Outcome::default() };
                let (x, y) = pts[i];
                pts[i] = match key {
                    "ArrowLeft" => (round((x - dx).max(-own::X_MAX)), y),
                    "ArrowRight" => (round((x + dx).min(own::X_MAX)), y),
                    "ArrowUp" => (x, round((y + dy).min(own::Y_MAX))),
                    _ => (x, round((y - dy).max(-own::Y_MAX))),
                };
                self.picked = Some(i);
                let say = format!("moved {}", describe_point(&pts, i));
                Outcome { points: Some((Some(pts), true)), say: Some(say), ..handled }
            }
            "Delete" | "Backspace" => {
                let Some(i) = picked else { return Outcome::default() };
                self.picked = None;
                let gone = delete(&mut pts, i);
                Outcome { points: Some((Some(pts), true)), say: Some(deleted(gone)), ..handled }
            }
            "+" | "=" | "Insert" => {
                if pts.len() >= max {
                    return Outcome { errors: Some(too_many(max)), ..Outcome::default() };
                }
                let (x, y) = picked.map(|i| pts[i]).unwrap_or((0.0, 0.0));
                let x = if x + 0.05 <= own::X_MAX { x + 0.05 } else { x - 0.05 };
                pts.push((round(x), y));
                let i = pts.len() - 1;
                self.picked = Some(i);
                let say = format!("added {}", describe_point(&pts, i));
                Outcome { points: Some((Some(pts), true)), say: Some(say), ..handled }
            }
            "Escape" => {
                self.picked = None;
                handled
            }
            _ => Outcome::default(),
        }
    }
}

/// Reads the CSV text box: the good points are used and every bad line is listed (the text
/// stays as typed, so it can be fixed). Returns the points (if any are good) and the lines to
/// list above the bad ones' messages.
pub fn parse_text(text: &str, max: usize) -> (Option<Vec<(f64, f64)>>, Vec<String>) {
    let parsed = own::parse_csv(text, max);
    let mut lines: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
    let good = parsed.points.len();
    if good == 0 {
        lines.insert(0, "no usable points: write one x,y pair a line, x from -1 to 1".into());
        return (None, lines);
    }
    if !lines.is_empty() {
        let bad = parsed.errors.len();
        lines.insert(
            0,
            format!("using the {good} good point{}; {bad} line{} left out:", if good == 1 { "" } else { "s" }, if bad == 1 { " was" } else { "s were" }),
        );
    }
    (Some(parsed.points), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor() -> Editor {
        // A 100 × 100 pixel area over x in [−1, 1], y in [−1, 1], one device pixel a CSS pixel.
        let geom = Geom { left: 0, right: 100, top: 0, bottom: 100, x0: -1.0, x1: 1.0, log_x: false, y0: -1.0, y1: 1.0, legend: None, legend_rows: None };
        Editor { geom: Some(geom), scale: 1.0, ..Editor::default() }
    }

    #[test]
    fn a_press_on_empty_space_adds_a_point_there_and_picks_it() {
        let mut e = editor();
        let out = e.edit(&Edit::Press { px: 75.0, py: 25.0, shift: false, now: 0.0 }, vec![(-0.5, 0.0)], 10);
        assert_eq!(out.points, Some((Some(vec![(-0.5, 0.0), (0.5, 0.5)]), true)));
        assert_eq!(e.picked, Some(1));
        assert!(out.say.is_some_and(|s| s.starts_with("added point 2 of 2 from the left")));
    }

    #[test]
    fn a_second_press_on_a_point_soon_after_deletes_it() {
        let mut e = editor();
        let pts = vec![(-0.5, 0.0), (0.5, 0.5)];
        let first = e.edit(&Edit::Press { px: 75.0, py: 25.0, shift: false, now: 0.0 }, pts.clone(), 10);
        assert_eq!(first.points, None, "the first press only grabs it");
        e.edit(&Edit::Release, pts.clone(), 10);
        let second = e.edit(&Edit::Press { px: 75.0, py: 25.0, shift: false, now: 300.0 }, pts, 10);
        assert_eq!(second.points, Some((Some(vec![(-0.5, 0.0)]), true)));
        assert_eq!(e.picked, None);
    }

    #[test]
    fn dragging_redraws_the_fit_and_letting_go_commits_the_move() {
        let mut e = editor();
        let pts = vec![(0.0, 0.0)];
        e.edit(&Edit::Press { px: 50.0, py: 50.0, shift: false, now: 0.0 }, pts.clone(), 10);
        let mid = e.edit(&Edit::Move { px: 60.0, py: 50.0 }, pts, 10);
        assert_eq!(mid.points, Some((Some(vec![(0.2, 0.0)]), false)));
        let done = e.edit(&Edit::Release, vec![(0.2, 0.0)], 10);
        assert_eq!(done.points, Some((Some(vec![(0.2, 0.0)]), true)));
        assert_eq!(e.last_press, None, "a drag is not half a double click");
    }

    #[test]
    fn brackets_walk_the_points_in_order_of_x_and_arrows_move_the_chosen_one() {
        let mut e = editor();
        let pts = vec![(0.5, 0.0), (-0.5, 0.0), (0.0, 0.0)];
        e.edit(&Edit::Key { key: "]".into(), shift: false }, pts.clone(), 10);
        assert_eq!(e.picked, Some(1), "the leftmost first");
        e.edit(&Edit::Key { key: "]".into(), shift: false }, pts.clone(), 10);
        assert_eq!(e.picked, Some(2));
        e.edit(&Edit::Key { key: "[".into(), shift: false }, pts.clone(), 10);
        e.edit(&Edit::Key { key: "[".into(), shift: false }, pts.clone(), 10);
        assert_eq!(e.picked, Some(0), "[ wraps around to the rightmost");
        assert_eq!(describe_point(&pts, 0), "point 3 of 3 from the left: x = 0.5, y = 0", "announced in the order ] walks");
        let out = e.edit(&Edit::Key { key: "ArrowUp".into(), shift: false }, pts, 10);
        assert_eq!(out.points, Some((Some(vec![(0.5, 0.04), (-0.5, 0.0), (0.0, 0.0)]), true)));
        assert_eq!(e.ring(Some(&[(0.5, 0.04)])), Some((75.0, 48.0)));
    }

    #[test]
    fn the_editor_refuses_a_point_past_the_most_allowed() {
        let mut e = editor();
        let out = e.edit(&Edit::Key { key: "+".into(), shift: false }, vec![(0.0, 0.0)], 1);
        assert_eq!(out.points, None);
        assert_eq!(out.errors, Some(vec!["too many points: at most 1 in the browser".to_string()]));
    }

    #[test]
    fn bad_lines_of_a_csv_are_listed_and_the_good_points_kept() {
        let (pts, lines) = parse_text("x,y\n0.1,0.2\nfoo\n0.3,0.4\n", 100);
        assert_eq!(pts, Some(vec![(0.1, 0.2), (0.3, 0.4)]));
        assert!(lines[0].starts_with("using the 2 good points; 1 line was left out"), "{lines:?}");
        let (none, lines) = parse_text("nothing here", 100);
        assert_eq!(none, None);
        assert!(lines[0].starts_with("no usable points"));
    }
}
