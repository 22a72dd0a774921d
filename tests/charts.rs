//! The charts render natively to SVG with their parts in place (the same functions draw on the
//! browser's canvas). The SVGs are saved under tests/artifacts/ to look at.

use ddviz::engine::sweep::{fit_view, run_sequential, Axis, SweepResult};
use ddviz::export::{draw_figure, Panels};
use ddviz::plot::{dd_panel, fit_panel, svg, u_panel, Look};
use ddviz::scene::{Platform, Scene};

fn save(name: &str, text: &str) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/artifacts");
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(format!("{dir}/{name}"), text);
}

/// The sweep of `scene` (a size sweep).
fn sweep(scene: &Scene) -> SweepResult {
    assert_eq!(scene.axis, Axis::Size);
    run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref())
}

/// The sweeps of `scene`: its own, or one per compared value.
fn sweeps(scene: &Scene) -> Vec<SweepResult> {
    if scene.compare.is_none() {
        return vec![run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref())];
    }
    scene.compared().iter().map(|(_, s)| run_sequential(s.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref())).collect()
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn double_descent_panel_has_axes_threshold_band_curves_and_marks_the_clipped_peak() {
    let scene = Scene::default();
    let r = sweep(&scene);
    let out = svg(800, 480, |root| dd_panel(root, &r, &scene, scene.size, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    save("dd_default.svg", &out);
    assert!(out.contains("model size p (number of features), log scale"));
    assert!(out.contains("mean squared error (log scale)"));
    assert!(out.contains("interpolation threshold p = n"));
    assert!(out.contains("test error (median)") && out.contains("train error (median)"));
    assert!(out.contains("middle 50 % of trials"));
    assert!(out.contains("off the chart: up to"), "the peak must be marked, not hidden");
    assert!(out.contains("10⁻³") || out.contains("10⁻²"), "log tick labels");
    assert!(count(&out, "<polyline") + count(&out, "<path") >= 4, "curves missing");
}

#[test]
fn u_panel_shows_the_classical_region_with_bias_and_variance() {
    let scene = Scene::default();
    let r = sweep(&scene);
    let out = svg(640, 420, |root| u_panel(root, &r, &scene, scene.size, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    save("u_default.svg", &out);
    for part in ["bias²", "variance", "test error (middle half of trials)", "train error (middle half of trials)", "best classical size: p = 7"] {
        assert!(out.contains(part), "missing {part}");
    }
    assert!(!out.contains("interpolation threshold"));
}

/// A sample-wise sweep of `scene`.
fn sample_sweep(scene: &Scene) -> SweepResult {
    assert_eq!(scene.axis, Axis::Samples);
    run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref())
}

#[test]
fn the_best_classical_size_is_ringed_on_its_curve_and_named_in_the_legend_in_any_type_size() {
    // The name sits in the legend (which keeps off the curves; a label beside the ring ran over
    // them), the ring on the test curve inside the plot — also when the best size is the last.
    let scene = Scene::default();
    let r = sweep(&scene);
    let samples = Scene::from_query("axis=samples&size=3", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let rs = sample_sweep(&samples);
    for (scene, r, name) in [(&scene, &r, "best classical size: p = 7"), (&samples, &rs, "best classical size: n = 30")] {
        for (w, h, scale) in [(380, 290, 1.4), (380, 290, 1.0), (640, 420, 1.0)] {
            let mut geom = None;
            let out = svg(w, h, |root| u_panel(root, r, scene, scene.size, Look { scale }).map(|g| geom = Some(g))).unwrap_or_else(|e| panic!("{e}"));
            let g = geom.unwrap_or_else(|| panic!("no geometry"));
            assert!(out.contains(name), "{name} missing at {w}×{h} ×{scale}");
            assert!(marks_under_the_legend(&out).is_empty(), "the legend covers data at {w}×{h} ×{scale}");
            // The ring: a circle drawn with a stroke and no fill, inside the plot.
            let ring = out.split("<circle").skip(1).find(|t| t.contains("fill=\"none\"")).unwrap_or_else(|| panic!("no ring at {w}×{h} ×{scale}"));
            let (cx, cy) = (attr(ring, "cx"), attr(ring, "cy"));
            assert!(cx >= f64::from(g.left) && cx <= f64::from(g.right) && cy >= f64::from(g.top) && cy <= f64::from(g.bottom), "ring off the plot: {ring}");
        }
    }
}

#[test]
fn fit_panel_draws_points_target_and_a_fit_that_may_leave_the_panel() {
    let scene = Scene::default();
    for (size, wild) in [(8, None), (30, Some(true)), (600, None)] {
        let v = fit_view(&scene.problem, size, 0, 300, 2).unwrap_or_else(|e| panic!("{e}"));
        let out = svg(640, 420, |root| fit_panel(root, &v, true, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
        save(&format!("fit_{size}.svg"), &out);
        assert!(out.contains("training points") && out.contains("noiseless target") && out.contains("new points"));
        assert!(out.contains(&format!("fitted model, p = {size}")));
        assert!(count(&out, "<circle") >= 30, "30 training points");
        if let Some(w) = wild {
            assert_eq!(out.contains("the fit leaves the panel"), w, "size {size}");
        }
        // The note is a line of the legend, which keeps off the points and curves.
        assert!(marks_under_the_legend(&out).is_empty(), "the legend covers data at size {size}");
    }
}

#[test]
fn gaussian_scene_draws_the_exact_theory_and_coefficients() {
    let scene = Scene::from_query("family=gaussian&dim=120&max-size=120&n=40&trials=30&noise=0.5", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let r = sweep(&scene);
    let out = svg(800, 480, |root| dd_panel(root, &r, &scene, 60, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    save("dd_gaussian.svg", &out);
    assert!(out.contains("exact theory") && out.contains("optimal ridge (theory)"));
    let v = fit_view(&scene.problem, 60, 0, 100, 0).unwrap_or_else(|e| panic!("{e}"));
    let out = svg(640, 420, |root| fit_panel(root, &v, true, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    save("fit_gaussian.svg", &out);
    assert!(out.contains("true β*") && out.contains("fitted β̂, p = 60"));
}

#[test]
fn sample_wise_sweep_marks_the_threshold_at_n_equal_p() {
    let scene = Scene::from_query("axis=samples&size=20&n=60&trials=10", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let r = sample_sweep(&scene);
    let out = svg(800, 480, |root| dd_panel(root, &r, &scene, 20, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    save("dd_samples.svg", &out);
    assert!(out.contains("training points n") && out.contains("interpolation threshold n = p"));
}

#[test]
fn coefficient_panel_labels_its_zero_tick_as_0() {
    // The symmetric axis ±3·max|β*| puts a tick at 0 that floating point computes as ±1e-17.
    let scene = Scene::from_query("family=gaussian&size=12", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let v = fit_view(&scene.problem, 12, 0, 100, 0).unwrap_or_else(|e| panic!("{e}"));
    let out = svg(640, 420, |root| fit_panel(root, &v, true, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    let labels: Vec<&str> = out.split("</text>").filter_map(|t| t.rsplit('>').next()).map(str::trim).collect();
    assert!(labels.contains(&"0"), "{labels:?}");
    assert!(labels.iter().all(|l| !l.contains("e-1")), "{labels:?}");
}

#[test]
fn a_small_fit_panel_leaves_room_above_the_data_for_its_legend() {
    let scene = Scene::from_query("", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let v = fit_view(&scene.problem, 12, 0, 100, 0).unwrap_or_else(|e| panic!("{e}"));
    let top_tick = |w: u32, h: u32| -> f64 {
        let out = svg(w, h, |root| fit_panel(root, &v, true, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
        out.split("</text>").filter_map(|t| t.rsplit('>').next()).filter_map(|l| l.trim().parse::<f64>().ok()).fold(f64::MIN, f64::max)
    };
    // The data reach about 1; the large panel's axis ends near 1.3, the small one's higher.
    assert!(top_tick(320, 260) > top_tick(640, 420), "{} vs {}", top_tick(320, 260), top_tick(640, 420));
}

/// The top of the y axis of a fit panel of `scene` at `size`, `w` × `h` pixels.
fn fit_top(scene: &str, size: usize, (w, h): (u32, u32)) -> f64 {
    let scene = Scene::from_query(scene, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let v = fit_view(&scene.problem, size, 0, 240, 0).unwrap_or_else(|e| panic!("{e}"));
    let mut top = f64::NAN;
    svg(w, h, |root| {
        top = fit_panel(root, &v, true, Look::default())?.map_or(f64::NAN, |g| g.y1);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    top
}

/// A fit panel of `scene` at `size`, `w` × `h` pixels, as SVG.
fn fit_svg(scene: &str, size: usize, (w, h): (u32, u32)) -> String {
    let scene = Scene::from_query(scene, Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let v = fit_view(&scene.problem, size, 0, 240, 0).unwrap_or_else(|e| panic!("{e}"));
    svg(w, h, |root| fit_panel(root, &v, true, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_fit_panel_legend_never_hides_a_training_point() {
    // sin 2πx has a hump or a dip under each corner of the panel: there the legend goes above
    // the data (it had hidden the hump at x = 0.25 at the page's panel size). Elsewhere it
    // takes a corner free of points, even when the fitted curve crosses that one more.
    let scenes = [
        "family=relu&target=sin&n=40&noise=0.1&max-size=800",
        "family=relu&target=sin&n=100&noise=0.2&max-size=400",
        "",
        "target=step&noise=0.2",
        "family=fourier&target=abs",
    ];
    for scene in scenes {
        for size in [3, 12, 40, 400] {
            for dims in [(380, 290), (500, 400), (640, 420)] {
                let out = fit_svg(scene, size, dims);
                // No box: the legend went under the chart, in a band of its own.
                let Some(legend) = out.split("<rect").find(|t| t.contains("stroke=\"#CCCCCC\"")) else {
                    assert!(out.contains("fitted model, p = "), "no legend: {scene} {size} {dims:?}");
                    continue;
                };
                let (lx, ly, lw, lh) = (attr(legend, "x"), attr(legend, "y"), attr(legend, "width"), attr(legend, "height"));
                let dots: Vec<(f64, f64)> = out.split("<circle").skip(1).map(|t| (attr(t, "cx"), attr(t, "cy"))).collect();
                assert!(dots.len() > 30, "{} dots: {scene} {size} {dims:?}", dots.len());
                // One dot inside: the legend's own swatch for the training points.
                let under = dots.iter().filter(|(x, y)| *x >= lx && *x <= lx + lw && *y >= ly && *y <= ly + lh).count();
                assert_eq!(under, 1, "training points under the legend: {scene} {size} {dims:?}");
            }
        }
    }
}

#[test]
fn the_fit_panel_axes_stay_put_while_the_size_moves() {
    // The y range depends on the data only (not on the fit, nor on how many digits the size
    // in the legend has), so hovering along the curves does not rescale the panel. (With the
    // fitted curve counted where the legend may go, the default scene's axis jumped at p = 9.)
    let scenes = ["", "noise=0.3", "target=step&noise=0.2", "target=cubic", "family=fourier", "target=sin", "n=60"];
    for scene in scenes {
        for dims in [(320, 260), (380, 290), (500, 400), (640, 420)] {
            let first = fit_top(scene, 1, dims);
            for size in [3, 5, 9, 10, 12, 20, 30, 31, 40, 99, 100, 600] {
                assert_eq!(fit_top(scene, size, dims), first, "{scene} at size {size}, {dims:?}");
            }
        }
    }
}

/// The number in `attr="…"` of an SVG tag.
fn attr(tag: &str, name: &str) -> f64 {
    let v = tag.split(&format!(" {name}=\"")).nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse().ok());
    v.unwrap_or_else(|| panic!("no {name} in {tag}"))
}

#[test]
fn the_threshold_is_dashed_and_named_in_the_legend_off_the_data() {
    // A name written up along the line ran over the band and curves crossing it; the legend
    // names it, in full on a wide chart and short on a narrow one, and keeps off the data.
    for q in ["", "family=relu&target=sin&n=40&noise=0.3&max-size=400&size=40", "max-size=32"] {
        let scene = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{e}"));
        let r = sweep(&scene);
        for (w, h) in [(300, 225), (500, 400), (1000, 600)] {
            let out = svg(w, h, |root| dd_panel(root, &r, &scene, scene.size, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
            let name = if w < 340 { "threshold p = n" } else { "interpolation threshold p = n" };
            let at = out.find(name).unwrap_or_else(|| panic!("{q}: no threshold name at {w}×{h}"));
            let tag = &out[out[..at].rfind("<text").unwrap_or(0)..at];
            assert!(!tag.contains("rotate("), "{q}: the name is written on the chart at {w}×{h}: {tag}");
            assert!(marks_under_the_legend(&out).is_empty(), "{q}: the legend covers data at {w}×{h}");
        }
    }
}

#[test]
fn error_axis_title_shortens_to_fit_a_short_plot() {
    // The projector theme's type (×1.4) on a page-sized panel: the full title would run past the
    // top of the canvas; a wide chart keeps it.
    let scene = Scene::default();
    let r = sweep(&scene);
    let draw = |panel: &str, w: u32, h: u32, look: Look| {
        svg(w, h, |root| if panel == "u" { u_panel(root, &r, &scene, scene.size, look) } else { dd_panel(root, &r, &scene, scene.size, look) }.map(|_| ()))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    for panel in ["u", "dd"] {
        let small = draw(panel, 380, 290, Look { scale: 1.4 });
        assert!(!small.contains("mean squared error (log scale)") && small.contains("error (log scale)"), "{panel}: full title on a short plot");
        let wide = draw(panel, 640, 420, Look::default());
        assert!(wide.contains("mean squared error (log scale)"), "{panel}: short title on a tall plot");
    }
}

#[test]
fn the_gaussian_coefficients_fit_their_axis_at_every_size_of_the_preset() {
    // The gaussian preset: near the threshold the fitted coefficients reach tens of times the
    // true ones; the axis takes them all, so none is pinned to an edge under a note.
    let scene = Scene::from_query("family=gaussian&n=40&dim=400&max-size=400&noise=0.5&trials=60&test=100&agg=mean&size=40", Platform::Native)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut widest: f64 = 0.0;
    for size in [10, 30, 38, 40, 42, 60, 120, 400] {
        let v = fit_view(&scene.problem, size, 0, 100, 0).unwrap_or_else(|e| panic!("{e}"));
        widest = widest.max(v.coef.iter().map(|c| c.abs()).fold(0.0, f64::max));
        let out = svg(640, 420, |root| fit_panel(root, &v, true, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.contains("drawn on the edge"), "size {size}: coefficients pinned to the edge");
        if size == 40 {
            save("fit_gaussian_threshold.svg", &out);
        }
    }
    let bmax = scene.problem.beta_star().iter().map(|b| b.abs()).fold(0.0, f64::max);
    assert!(widest > 3.0 * bmax, "the test needs coefficients past the old ±3·max|β*| axis ({widest} vs {bmax})");
}

/// The numbers of one attribute of an SVG tag.
fn attr_of(tag: &str, name: &str) -> Option<f64> {
    tag.split(&format!(" {name}=\"")).nth(1)?.split('"').next()?.parse().ok()
}

/// The data an SVG draws before its legend box — curves (grid lines left out), bands, markers
/// and points, as points every 2 pixels along them — that fall inside that box; empty when
/// there is no legend.
fn marks_under_the_legend(svg: &str) -> Vec<(f64, f64, String)> {
    let Some(stroke) = svg.find("stroke=\"#CCCCCC\"") else { return Vec::new() };
    let open = svg[..stroke].rfind("<rect").unwrap_or(0);
    let tag = &svg[open..stroke];
    let (Some(x), Some(y), Some(w), Some(h)) = (attr_of(tag, "x"), attr_of(tag, "y"), attr_of(tag, "width"), attr_of(tag, "height")) else {
        return Vec::new();
    };
    // The box is drawn twice (its fill, then its border): the data is what comes before both.
    let fill = svg[..open].rfind(&format!("<rect x=\"{x}\" y=\"{y}\"")).unwrap_or(open);
    let inside = |(px, py): (f64, f64)| px > x + 1.0 && px < x + w - 1.0 && py > y + 1.0 && py < y + h - 1.0;
    let mut under = Vec::new();
    for piece in svg[..fill].split('<').skip(1) {
        // Grid lines, and the size cursor (which the legend is drawn over: it is not data).
        let grid = ["#F2F2F2", "#E2E2E2", "#777777"].iter().any(|c| piece.contains(&format!("stroke=\"{c}\"")));
        let pts: Vec<(f64, f64)> = if (piece.starts_with("polyline") && !grid) || piece.starts_with("polygon") {
            let list = piece.split("points=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
            list.split_whitespace().filter_map(|p| p.split_once(',')).filter_map(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))).collect()
        } else if piece.starts_with("circle") {
            attr_of(piece, "cx").zip(attr_of(piece, "cy")).into_iter().collect()
        } else {
            continue;
        };
        let mut walk = pts.clone();
        for s in pts.windows(2) {
            let (a, b) = (s[0], s[1]);
            let steps = (((b.0 - a.0).hypot(b.1 - a.1)) / 2.0).ceil().max(1.0) as usize;
            walk.extend((1..steps).map(|k| {
                let t = k as f64 / steps as f64;
                (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
            }));
        }
        let what: String = piece.split(" points=").next().unwrap_or("").chars().take(90).collect();
        under.extend(walk.into_iter().filter(|p| inside(*p)).map(|(x, y)| (x, y, what.clone())));
    }
    under
}

#[test]
fn legends_never_cover_the_data_in_any_preset_or_tour_step_at_any_width() {
    use ddviz::page::presets::{tour_query, DIGITS, PRESETS, TOUR};
    let mut scenes: Vec<(String, String)> = PRESETS.iter().chain(DIGITS).map(|(name, q)| (name.to_string(), q.to_string())).collect();
    scenes.extend((1..=TOUR.len()).map(|s| (format!("tour step {s}"), tour_query(s))));
    let images = ddviz::engine::images::load(include_bytes!("../data/digits.bin")).unwrap_or_else(|e| panic!("{e}"));
    let mut bad = Vec::new();
    for (name, q) in &scenes {
        let mut scene = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{name}: {e}"));
        if scene.source == ddviz::scene::Source::Digits {
            // The digits' curve panels as the page draws them: the classification error in the
            // U panel's place, the squared loss on the double-descent panel (3 trials).
            scene.images = Some(images.clone());
            scene.trials = 3;
            let r = run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
            for w in [300u32, 640, 1000] {
                let h = (w as f64 * 0.62).clamp(240.0, 480.0) as u32;
                let class = ddviz::export::digits_svg(&scene, &r, Panels::Dd, w, h);
                let dd = svg(w, h, |root| dd_panel(root, &r, &scene, scene.size, Look::default()).map(|_| ()));
                for (panel, out) in [("class", class), ("dd", dd)] {
                    let out = out.unwrap_or_else(|e| panic!("{e}"));
                    let under = marks_under_the_legend(&out);
                    if !under.is_empty() {
                        save(&format!("overlap-{panel}-{w}-{}.svg", name.replace([' ', '(', ')'], "_")), &out);
                        bad.push(format!("{name}, {panel} panel at {w} px: {} marks under the legend, e.g. {:?}", under.len(), under[0]));
                    }
                }
            }
            continue;
        }
        // A comparison's panels as the page draws them: every value's curve on the
        // double-descent panel, the value picked on the others.
        let results = sweeps(&scene);
        let shown = scene.shown();
        let (problem, size) = shown.fit_problem(shown.size);
        let view = fit_view(&problem, size, 0, 200, 2).unwrap_or_else(|e| panic!("{e}"));
        for w in [300u32, 640, 1000] {
            let h = (w as f64 * 0.62).clamp(240.0, 480.0) as u32;
            let draw = |panels: Panels| svg(w, h, |root| draw_figure(root, &scene, &results, &view, panels, Look::default()));
            let panels = [("u", draw(Panels::U)), ("dd", draw(Panels::Dd)), ("fit", draw(Panels::Fit))];
            for (panel, out) in panels {
                let out = out.unwrap_or_else(|e| panic!("{e}"));
                let under = marks_under_the_legend(&out);
                if !under.is_empty() {
                    save(&format!("overlap-{panel}-{w}-{}.svg", name.replace([' ', '(', ')'], "_")), &out);
                    bad.push(format!("{name}, {panel} panel at {w} px: {} marks under the legend, e.g. {:?}", under.len(), under[0]));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_noise_and_ridge_comparisons_draw_every_peak_on_the_chart_each_curve_named_and_told_apart() {
    use ddviz::page::presets::PRESETS;
    for (name, q) in PRESETS.iter().filter(|(_, q)| q.contains("compare=noise") || q.contains("compare=ridge")) {
        let scene = Scene::from_query(q, Platform::Web).unwrap_or_else(|e| panic!("{name}: {e}"));
        let results = sweeps(&scene);
        let out = svg(800, 480, |root| {
            draw_figure(
                root,
                &scene,
                &results,
                &fit_view(&scene.shown().fit_problem(scene.size).0, scene.size, 0, 50, 0).unwrap_or_else(|e| panic!("{e}")),
                Panels::Dd,
                Look::default(),
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
        save(&format!("compare-{}.svg", name.replace(' ', "_")), &out);
        assert!(!out.contains("off the chart"), "{name}: a peak is off the chart");
        for (label, _) in scene.compared() {
            assert!(out.contains(&label), "{name}: no legend entry for {label}");
        }
        // One stroke colour a value.
        for style in ddviz::plot::STYLES.iter().take(results.len()) {
            let c = style.color;
            let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
            assert!(out.contains(&format!("stroke=\"{hex}\"")), "{name}: no curve in {hex}");
        }
    }
}

#[test]
fn the_training_panel_marks_where_training_ends_and_the_best_stopping_time_and_its_legend_covers_no_data() {
    use ddviz::page::presets::TRAINING;
    for (name, q) in TRAINING {
        let scene = Scene::from_query(q, Platform::Native).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = run_sequential(&scene.train_sweep().unwrap_or_else(|e| panic!("{e}")));
        // Where training ends: the size sweep's median at this size.
        let sweep = run_sequential(
            &ddviz::engine::sweep::SizeSweep::new(scene.problem.clone(), scene.size, ddviz::engine::sweep::Grid::Log, scene.trials)
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let end = sweep.rows.iter().find(|row| row.x == scene.size).map(|row| row.test_mse_median);
        for w in [300u32, 640, 1000] {
            let h = (w as f64 * 0.62).clamp(240.0, 480.0) as u32;
            let out =
                svg(w, h, |root| ddviz::plot::training_panel(root, &r, &scene, (end, None), Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
            let under = marks_under_the_legend(&out);
            assert!(under.is_empty(), "{name} at {w} px: {} marks under the legend, e.g. {:?}", under.len(), under[0]);
            if w == 1000 {
                save(&format!("training-{}.svg", name.replace(' ', "_")), &out);
                assert!(out.contains("gradient-descent steps t, log scale") && out.contains("10⁸"), "{name}: the step axis");
                // Marked where stopping at the best time beats the last step by more than 10 %.
                let best = r.rows.iter().min_by(|a, b| a.test_mse_median.total_cmp(&b.test_mse_median)).map(|row| (row.x, row.test_mse_median));
                let last = r.rows.last().map(|row| (row.x, row.test_mse_median));
                let early = matches!((best, last), (Some(b), Some(l)) if b.0 != l.0 && l.1 > 1.1 * b.1);
                assert_eq!(out.contains("best stopping time: t = "), early, "{name}: the best time is marked only where stopping early helps");
                let above = end.is_some_and(|v| v > 1e6);
                assert_eq!(out.contains("(above the chart)"), above, "{name}: an end far above the chart is said, not drawn");
                assert!(out.contains("t → ∞: the"), "{name}: where training ends is named");
            }
        }
    }
}

#[test]
fn the_size_by_time_map_colours_every_cell_and_names_its_scale_and_lines() {
    let scene = Scene::from_query("grid=log&steps=100000&trials=3&max-size=100", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    let maps: Vec<(usize, SweepResult)> = scene.map_sweeps().unwrap_or_else(|e| panic!("{e}")).iter().map(|s| (s.size(), run_sequential(s))).collect();
    let limit = ddviz::page::training::map_limit(&scene).map(|s| run_sequential(&s));
    let out = svg(700, 450, |root| ddviz::plot::map_panel(root, &maps, limit.as_ref(), &scene, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    save("map.svg", &out);
    let cells: usize = maps.iter().map(|(_, r)| r.rows.len()).sum();
    // Every cell is a filled rectangle (plus the background and the colour bar's strips), and so
    // is every size's cell of the strip t → ∞.
    assert!(count(&out, "<rect") >= cells + maps.len(), "{} rectangles for {cells} cells and {} sizes", count(&out, "<rect"), maps.len());
    for part in ["test error", "best time", "p = n", "gradient-descent steps t (log scale)", "10⁵", "t → ∞"] {
        assert!(out.contains(part), "the map lacks {part}");
    }
    // The strip is the size sweep at the map's sizes, trial for trial: the last steps' cells
    // approach it, and its peak is the double-descent curve's.
    let sweep = run_sequential(scene.sweep().unwrap_or_else(|e| panic!("{e}")).as_ref());
    let strip = limit.unwrap_or_else(|| panic!("no strip t → ∞ on the default scene"));
    for row in &strip.rows {
        let own = sweep.rows.iter().find(|r| r.x == row.x).unwrap_or_else(|| panic!("size {} not in the sweep", row.x));
        assert_eq!(row.test_mse_median.to_bits(), own.test_mse_median.to_bits(), "p = {}", row.x);
    }
    // Started away from zero without ridge past the threshold, training ends elsewhere: no strip.
    let away = Scene::from_query("grid=log&steps=1000&trials=2&max-size=100&init=2", Platform::Native).unwrap_or_else(|e| panic!("{e}"));
    assert!(ddviz::page::training::map_limit(&away).is_none());
    let none = svg(700, 450, |root| ddviz::plot::map_panel(root, &maps, None, &away, Look::default()).map(|_| ())).unwrap_or_else(|e| panic!("{e}"));
    assert!(!none.contains("t → ∞"));
}
