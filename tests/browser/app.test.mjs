// The built web app in real headless Chromium: it draws the default scene, every control is live
// and in the URL, links reproduce pictures, bad URLs get a notice, nothing leaves 127.0.0.1.
// Screenshots of each panel go to tests/artifacts/; measured timings to
// tests/artifacts/timings.json (recorded, never asserted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { join } from 'node:path';
import { serve, launch, open, shot, dist, artifacts } from './harness.mjs';

let server, context;
const timings = {};
before(async () => { server = await serve(); context = await launch(); });
after(async () => {
  await context?.close();
  await server?.close();
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
});

const drawn = (page) => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });

/** Waits for a new sweep to be drawn after an action. */
async function redrawAfter(page, action) {
  await page.evaluate(() => { document.body.dataset.drawn = '0'; });
  await action();
  await drawn(page);
}

/** Share of canvas pixels that are not white. */
const inked = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++;
  return ink / (d.length / 4);
}, id);

const canvasHash = (page, id) => page.evaluate((id) => document.getElementById(id).toDataURL().length + ':' + document.getElementById(id).toDataURL().slice(-200), id);
const readout = (page) => page.evaluate(() => Object.fromEntries(['ro-x', 'ro-train', 'ro-test', 'ro-bias2', 'ro-variance', 'ro-norm'].map((id) => [id, document.getElementById(id).dataset.value ?? document.getElementById(id).textContent])));

function cliRow(args, size) {
  const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
  const csv = execFileSync(bin, ['sweep', ...args], { encoding: 'utf8' }).trim().split('\n');
  const head = csv[0].split(',');
  const row = csv.find((l) => l.startsWith(size + ',')).split(',');
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

test('the default scene draws all three panels with the readout, with no errors and no foreign requests', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  for (const id of ['fit-canvas', 'u-canvas', 'dd-canvas']) {
    const share = await inked(page, id);
    assert.ok(share > 0.02, `${id} looks blank (${share})`);
  }
  const r = await readout(page);
  assert.equal(r['ro-x'], '12');
  assert.ok(Number.isFinite(Number(r['ro-test'])), JSON.stringify(r));
  const captions = await page.evaluate(() => document.getElementById('dd-caption').textContent);
  assert.match(captions, /interpolation threshold p = n = 30/);
  // The sweep ran in the workers that the script at the top of index.html started (without
  // them the page computes every trial itself).
  assert.ok(await page.evaluate(() => window.ddvizWorkers.length) >= 1, 'the start-up script made no workers');
  assert.ok(Number(await page.evaluate(() => document.body.dataset.workerReadyAt)) > 0, 'no worker said it was ready');
  await shot(page.locator('#panel-fit'), 'panel-fit.png');
  await shot(page.locator('#panel-u'), 'panel-u.png');
  await shot(page.locator('#panel-dd'), 'panel-dd.png');
  await page.screenshot({ path: join(artifacts, 'page-default.png'), fullPage: true });
  const data = await page.evaluate(() => ({ ...document.body.dataset }));
  timings.default_scene_cold = { drawn_at_ms: Number(data.drawnAt), sweep_ms: Number(data.sweepMs) };
  // A first visit in a browser already running: a fresh profile (empty cache) that has sat on
  // about:blank for a second, so the browser's own start-up is not counted.
  const fresh = await launch();
  const visit = await fresh.newPage();
  await visit.goto('about:blank');
  await visit.waitForTimeout(1000);
  await visit.goto(server.url);
  await drawn(visit);
  const first = await visit.evaluate(() => ({ ...document.body.dataset }));
  timings.default_scene_first_visit = { drawn_at_ms: Number(first.drawnAt), sweep_ms: Number(first.sweepMs), wasm_started_ms: Number(first.startedAt) };
  await fresh.close();
  // Each test browser's fresh profile goes with it (they had piled up to gigabytes in /tmp).
  assert.equal(existsSync(fresh.profile), false, `profile ${fresh.profile} left behind`);
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('the browser computes bit-identical numbers to the native CLI', async () => {
  const { page } = await open(context, server.url + '?size=40', server.url);
  await drawn(page);
  const r = await readout(page);
  const cli = cliRow([], 40);
  assert.equal(r['ro-test'], cli.test_mse_median);
  assert.equal(r['ro-train'], cli.train_mse_median);
  assert.equal(r['ro-bias2'], cli.bias2);
  assert.equal(r['ro-variance'], cli.variance);
  // A warm reload: what a returning visitor sees.
  await page.reload();
  await drawn(page);
  const data = await page.evaluate(() => ({ ...document.body.dataset }));
  timings.default_scene_warm = { drawn_at_ms: Number(data.drawnAt), sweep_ms: Number(data.sweepMs) };
  await page.close();
});

test('random Fourier features peak at p = n, the caption says why there is no U, and the ReLU caption says why its peak comes later', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  await redrawAfter(page, () => page.selectOption('#ctl-family', 'fourier'));
  assert.match(page.url(), /family=fourier/);
  assert.doesNotMatch(page.url(), /bandwidth=/, 'the default bandwidth is not in the URL');
  assert.equal(await page.isVisible('#ctl-bandwidth'), true);
  // The default bandwidth keeps the features apart: the peak is at the threshold p = n = 30
  // (at bandwidth 10 it was near p = 250, and the error never came back down).
  const label = await page.getAttribute('#dd-canvas', 'aria-label');
  assert.match(label, /Highest: \S+ at 30\./, label);
  assert.match(await page.textContent('#u-caption'), /Random Fourier features of high frequency fit little/);
  // ReLU features reach rank n only well past p = n: the caption says where the peak goes.
  await redrawAfter(page, () => page.selectOption('#ctl-family', 'relu'));
  assert.match(await page.textContent('#dd-caption'), /test error peaks to the right of the dashed line/);
  const relu = await page.getAttribute('#dd-canvas', 'aria-label');
  const peakAt = Number(/Highest: \S+ at (\d+)\./.exec(relu)?.[1]);
  assert.ok(peakAt > 35, `the ReLU peak is at p = ${peakAt}, not right of p = n = 30: ${relu}`);
  await shot(page.locator('#panel-dd'), 'panel-dd-fourier.png');
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('moving a slider by keyboard updates the URL and the curves, and the link reproduces the picture', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  const before = await canvasHash(page, 'dd-canvas');
  const testBefore = (await readout(page))['ro-test'];
  await redrawAfter(page, async () => {
    await page.focus('#ctl-noise');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  });
  assert.match(page.url(), /noise=0\.1(&|$)/);
  assert.notEqual(await canvasHash(page, 'dd-canvas'), before);
  const shown = await readout(page);
  assert.notEqual(shown['ro-test'], testBefore);
  const { page: other } = await open(context, page.url(), server.url);
  await drawn(other);
  assert.deepEqual(await readout(other), shown);
  assert.deepEqual(problems.console, []);
  await other.close();
  await page.close();
});

test('no legend on the canvas covers a curve, a band or a point, in frames 300, 640 and 1000 px wide', async () => {
  // The same check as tests/charts.rs, on the canvas with the browser's own fonts: inside each
  // legend's box (data-legend), right of its swatches, no pixel has the tint of a curve showing
  // through (the box is 88 % white; text and border are grey).
  let checked = 0;
  for (const width of [300, 640, 1000]) {
    for (const q of ['', 'family=relu&target=sin&n=40&noise=0.3&max-size=400&size=40', 'family=gaussian&n=40&dim=400&max-size=400&noise=0.5&trials=60&test=100&agg=mean&size=40', 'family=relu&target=sin&n=40&max-size=400&compare=noise:0,0.1,0.3&size=40&pick=3']) {
      for (const panel of ['u', 'dd']) {
        const page = await context.newPage();
        await page.setViewportSize({ width, height: 900 });
        await page.goto(server.url + `?embed=1&panels=${panel}${q ? '&' + q : ''}`);
        await drawn(page);
        // Pixels with a curve's tint (text, border and grid are grey) inside the legend's box,
        // right of its swatches — or, with `whole`, anywhere on the canvas.
        const tinted = (whole) => page.evaluate(([id, whole]) => {
          const c = document.getElementById(id);
          let [x, y, w, h] = [0, 0, c.width, c.height];
          if (!whole) {
            const box = (c.dataset.legend || '').split(',').map(Number);
            if (box.length !== 4) return null;
            const r = c.width / c.clientWidth;
            const [l, t, rt, b] = box.map((v) => Math.round(v * r));
            const skip = Math.round(40 * r); // the swatches' column
            [x, y, w, h] = [l + skip, t + 2, Math.max(1, rt - l - skip - 2), Math.max(1, b - t - 4)];
          }
          const d = c.getContext('2d').getImageData(x, y, w, h).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) >= 15) n++;
          }
          return n;
        }, [`${panel}-canvas`, whole]);
        const found = await tinted(false);
        if (checked === 0) {
          // The detector sees curves where there are curves: the whole canvas is tinted.
          const all = await tinted(true);
          assert.ok(all > 500, `only ${all} tinted pixels on the whole ${panel} canvas: the check sees nothing`);
        }
        if (found !== null) {
          checked++;
          assert.equal(found, 0, `${found} tinted pixels under the ${panel} legend at ${width} px: ${q || 'default scene'}`);
        }
        await page.close();
      }
    }
  }
  assert.ok(checked >= 6, `only ${checked} legends were on their charts: too little tested`);
});

test('the size cursor leaves a gap where it crosses a legend, and only there', async () => {
  // One wide chart: its legend sits on the plot (on the page's three narrow charts it goes under them).
  const { page } = await open(context, server.url + '?embed=1&panels=dd', server.url);
  await drawn(page);
  const box = await page.locator('#dd-canvas').boundingBox();
  const masks = [];
  for (let i = 1; i < 40; i++) {
    await page.mouse.move(box.x + box.width * i / 40, box.y + box.height * 0.5);
    await page.waitForTimeout(20);
    masks.push(await page.$eval('#dd-cursor', (e) => e.style.maskImage || e.style.webkitMaskImage || 'none'));
  }
  const gaps = masks.filter((m) => m.startsWith('linear-gradient'));
  assert.ok(gaps.length > 0, 'the cursor never crossed the legend: nothing tested');
  assert.ok(gaps.length < masks.length / 2, `a gap at ${gaps.length} of ${masks.length} positions`);
  // The gap is a band inside the cursor's height, not the whole cursor.
  const [a, z] = gaps[0].match(/[0-9.]+%/g).slice(1, 3).map(parseFloat);
  assert.ok(a > 0 && z > a && z <= 100, gaps[0]);
  await page.close();
});

test('hovering the double-descent curve selects a size, and the fit panel and URL follow', async () => {
  const { page } = await open(context, server.url, server.url);
  await drawn(page);
  const fitBefore = await canvasHash(page, 'fit-canvas');
  const box = await page.locator('#dd-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
  await page.waitForFunction(() => document.getElementById('ro-x').textContent !== '12');
  await page.waitForTimeout(100);
  const x = Number(await page.textContent('#ro-x'));
  assert.ok(x > 12, `selected ${x}`);
  assert.match(page.url(), new RegExp(`size=${x}(&|$)`));
  assert.notEqual(await canvasHash(page, 'fit-canvas'), fitBefore);
  assert.equal(await page.isVisible('#dd-cursor'), true);
  // Redraw time of the fit panel for a change of size, after warm-up (recorded only).
  await page.focus('#dd-canvas');
  const ms = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'PageUp');
    await page.waitForTimeout(30);
    ms.push(Number(await page.evaluate(() => document.body.dataset.fitMs)));
  }
  ms.sort((a, b) => a - b);
  timings.fit_panel_redraw_ms = { median: ms[15], p90: ms[27] };
  await shot(page.locator('#panel-fit'), 'panel-fit-hover.png');
  await page.close();
});

test('the charts measure their labels in the canvas, never by adding elements to the page', async () => {
  // plotters' own text measure for the browser appends a <span> to <body> for each label and
  // reads its size back: a forced layout of the whole page per label, about a hundred per redraw.
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  await page.evaluate(() => {
    window.added = [];
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => window.added.push(n.nodeName))))
      .observe(document.body, { childList: true });
  });
  // A new draw redraws all three panels; a change of size redraws the fit panel.
  const before = await canvasHash(page, 'u-canvas');
  await redrawAfter(page, () => page.click('#newdraw'));
  assert.notEqual(await canvasHash(page, 'u-canvas'), before);
  await page.focus('#dd-canvas');
  const fit = await canvasHash(page, 'fit-canvas');
  await page.keyboard.press('PageUp');
  await page.waitForFunction((h) => {
    const d = document.getElementById('fit-canvas').toDataURL();
    return d.length + ':' + d.slice(-200) !== h;
  }, fit);
  assert.deepEqual(await page.evaluate(() => window.added), []);
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('bad URL values fall back to defaults with a dismissible notice naming each parameter', async () => {
  const { page, problems } = await open(context, server.url + '?n=abc&noise=-3&family=spline&foo=1&trials=20', server.url);
  await drawn(page);
  const text = await page.textContent('#notice-text');
  assert.match(text, /n must be an integer from 2 to 1000, got 'abc'/);
  assert.match(text, /noise must be a number from 0 to 10/);
  assert.match(text, /family must be one of legendre, relu, fourier, gaussian/);
  assert.doesNotMatch(text, /foo/);
  assert.ok(await inked(page, 'dd-canvas') > 0.02);
  await shot(page, 'notice.png');
  await page.click('#notice-close');
  assert.equal(await page.isVisible('#notice'), false);
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('presets and the sample-wise switch recompute, and the gaussian preset draws the exact theory', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  const names = await page.$$eval('#preset option', (os) => os.map((o) => o.textContent));
  const g = names.findIndex((n) => /exact theory/.test(n));
  await redrawAfter(page, () => page.selectOption('#preset', { index: g }));
  assert.match(page.url(), /family=gaussian/);
  assert.match(await page.getAttribute('#dd-canvas', 'aria-label'), /Lowest test error/);
  assert.match(await page.textContent('#dd-caption'), /excess risk, without the label noise/);
  await shot(page.locator('#panel-dd'), 'panel-dd-gaussian.png');
  assert.equal(await page.isVisible('#optridge'), true);
  await redrawAfter(page, () => page.click('#optridge'));
  assert.match(page.url(), /ridge=(?!0(&|$))[0-9.]+/);
  await shot(page.locator('#panel-dd'), 'panel-dd-gaussian-optimal-ridge.png');
  await shot(page.locator('#panel-fit'), 'panel-fit-gaussian.png');
  await redrawAfter(page, () => page.selectOption('#ctl-axis', 'samples'));
  assert.match(page.url(), /axis=samples/);
  // The preset's size p = n = 40 would put the threshold n = p at the sweep's last point: the
  // switch takes the fixed size to half the largest n.
  assert.match(page.url(), /[?&]size=20(&|$)/);
  assert.equal(await page.textContent('#ro-x-name'), 'n');
  await shot(page.locator('#panel-dd'), 'panel-dd-samples.png');
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('a page opened from a preset\'s link names that preset in the menu, whatever size is selected', async () => {
  // The preset's link with another size and another value picked.
  const { page } = await open(context, server.url + '?family=relu&target=sin&n=40&max-size=400&compare=noise:0,0.1,0.3&size=20', server.url);
  await drawn(page);
  const chosen = () => page.$eval('#preset', (s) => s.options[s.selectedIndex].textContent);
  assert.equal(await chosen(), 'Noise makes the peak');
  await redrawAfter(page, () => page.evaluate(() => {
    const e = document.getElementById('ctl-n');
    e.value = '30';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }));
  assert.equal(await chosen(), 'choose a preset…', 'another scene is no preset');
  await page.close();
});

test('the model-size slider selects every size across the reference scene, and the fit panel follows', async () => {
  // The sweep's time against the CLI is a benchmark, not a test: `./dev bench` runs
  // tests/browser/bench-reference.mjs. Here, the slider: this scene's fits are the largest of the
  // presets (n = 100, up to 400 ReLU features, drawn at 240 points); their redraw times are
  // recorded, never asserted.
  const q = 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
  const { page, problems } = await open(context, server.url + '?' + q, server.url);
  await drawn(page);
  const fitMs = [];
  for (const size of [1, 5, 12, 25, 50, 75, 99, 100, 101, 125, 150, 200, 250, 300, 350, 400]) {
    await page.evaluate((v) => {
      document.body.dataset.fitMs = '';
      const e = document.getElementById('ctl-size');
      e.value = String(v);
      e.dispatchEvent(new Event('input', { bubbles: true }));
    }, size);
    await page.waitForFunction(() => document.body.dataset.fitMs !== '');
    assert.equal(await page.textContent('#ro-x'), String(size));
    assert.equal(new URL(page.url()).searchParams.get('size'), size === 12 ? null : String(size));
    fitMs.push(Number(await page.evaluate(() => document.body.dataset.fitMs)));
  }
  const sorted = [...fitMs].sort((a, b) => a - b);
  timings.fit_panel_redraw_reference_ms = { median: sorted[8], p90: sorted[14], max: sorted[15], by_size: fitMs };
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('a sweep shows its progress while it runs (fraction of trials, throttled) and its time when done', async () => {
  const q = 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=100&test=500';
  const { page, problems } = await open(context, server.url + '?' + q, server.url);
  await drawn(page);
  // Every change of the progress display during a new draw, with the bar's state at that moment.
  await page.evaluate(() => {
    window.progressLog = [];
    const text = document.getElementById('progress-text');
    new MutationObserver(() => window.progressLog.push({
      t: performance.now(),
      text: text.textContent,
      aria: document.getElementById('progress').getAttribute('aria-valuenow'),
      bar: document.getElementById('progress-bar').style.transform,
    })).observe(text, { childList: true, characterData: true, subtree: true });
  });
  await redrawAfter(page, () => page.click('#newdraw'));
  const log = await page.evaluate(() => window.progressLog);
  const last = log.at(-1);
  assert.match(last.text, /^100 trials computed in \d+ ms$/);
  assert.equal(last.aria, '100');
  assert.equal(last.bar, 'scaleX(1)');
  const running = log.slice(0, -1).map((e) => ({ ...e, k: Number(/^computing… (\d+) of 100 trials$/.exec(e.text)?.[1]) }));
  assert.ok(running.every((e) => Number.isInteger(e.k)), JSON.stringify(running));
  const partial = running.filter((e) => e.k > 0 && e.k < 100);
  assert.ok(partial.length >= 2, `too few progress updates: ${JSON.stringify(log)}`);
  for (const e of partial) {
    assert.equal(e.aria, String(e.k), JSON.stringify(e));
    assert.equal(e.bar, `scaleX(${(e.k / 100).toFixed(3).replace(/\.?0+$/, '')})`, JSON.stringify(e));
  }
  // The counts only grow, and the display changes at most every 100 ms, not once per trial.
  assert.ok(running.every((e, i) => i === 0 || e.k >= running[i - 1].k), JSON.stringify(running));
  const span = last.t - log[0].t;
  assert.ok(log.length <= span / 100 + 3, `${log.length} changes in ${span} ms`);
  await shot(page.locator('#progress'), 'progress-done.png');
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('the whole page stays within its 200 KB budget and is one column on a phone', async () => {
  let raw = 0, gz = 0, br = 0;
  // The page: index.html and the files it loads (not the article element or its example, nor
  // the training panels' module, which only a scene showing them loads).
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  // Nor the digits (digits.bin), which only a digits scene fetches.
  const files = readdirSync(dist).filter((f) => (f === 'index.html' || index.includes(f)) && !f.startsWith('ddviz-extra') && f !== 'digits.bin');
  assert.ok(files.some((f) => f.endsWith('.wasm')) && files.some((f) => f.endsWith('.js')) && files.some((f) => f.endsWith('.css')), files.join(' '));
  for (const f of files) {
    const b = readFileSync(join(dist, f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
    br += brotliCompressSync(b).length;
    // scripts/shrink.mjs ran: no import keeps wasm-bindgen's long hashed name.
    if (f.endsWith('.wasm')) assert.ok(!b.includes('__wbg_'), 'the wasm still has wasm-bindgen import names');
  }
  timings.page_bytes = { raw, gzipped: gz, brotli: br };
  // The budget (docs/performance.md): HTML, CSS, JavaScript and wasm of the default scene's first
  // visit at most 200 KB gzipped (a size, not a timing: the same build gives the same bytes).
  assert.ok(gz <= 200_000, `the page is ${(gz / 1000).toFixed(1)} KB gzipped, over its 200 KB budget`);
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(server.url);
  await drawn(phone);
  const boxes = await Promise.all(['#panel-fit', '#panel-u', '#panel-dd'].map((s) => phone.locator(s).boundingBox()));
  assert.ok(boxes[0].y + boxes[0].height <= boxes[1].y && boxes[1].y + boxes[1].height <= boxes[2].y, 'panels are stacked');
  assert.ok(boxes.every((b) => b.width <= 390));
  await phone.screenshot({ path: join(artifacts, 'page-phone.png'), fullPage: true });
  await phone.close();
});

test('the page exports the figure as SVG and PNG and the curves as CSV, matching the CLI', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  const save = async (id) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
  };
  const svg = await save('#export-svg');
  assert.match(svg.name, /^ddviz.*\.svg$/);
  const text = svg.bytes.toString('utf8');
  assert.ok(text.startsWith('<svg') && text.trimEnd().endsWith('</svg>'));
  for (const part of ['fitted model, p = 12', 'best classical size', 'interpolation threshold p = n', 'test error (median)', '<polyline']) {
    assert.ok(text.includes(part), `SVG lacks ${part}`);
  }
  writeFileSync(join(artifacts, 'export.svg'), svg.bytes);
  const png = await save('#export-png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.bytes.readUInt32BE(16), 3000); // width: 1500 px at 2x
  assert.equal(png.bytes.readUInt32BE(20), 800);
  writeFileSync(join(artifacts, 'export.png'), png.bytes);
  const csv = (await save('#export-csv')).bytes.toString('utf8');
  const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
  assert.equal(csv, execFileSync(bin, ['sweep'], { encoding: 'utf8' }));
  await page.click('#export-link');
  assert.match(await page.textContent('#export-status'), /link copied: http:\/\/127\.0\.0\.1/);
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('embed mode fits an iframe at 320 px and 1280 px with only the chosen panels and controls', async () => {
  const src = server.url + '?embed=1&panels=fit,dd&controls=n,noise';
  for (const width of [320, 1280]) {
    const host = await context.newPage();
    await host.setViewportSize({ width: width + 40, height: 900 });
    await host.setContent(`<!doctype html><html><body style="margin:20px"><p>An article about double descent.</p>
      <iframe id="f" src="${src}" style="width:${width}px;height:${width < 600 ? 820 : 520}px;border:1px solid #999" title="ddviz"></iframe></body></html>`);
    const frame = host.frameLocator('#f');
    const inner = host.frames().find((f) => f.url().startsWith(server.url)) ?? (await (await host.$('#f')).contentFrame());
    await inner.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
    const seen = await inner.evaluate(() => {
      const shown = (sel) => { const el = document.querySelector(sel); return !!el && el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none'; };
      return {
        header: shown('.top'), fit: shown('#panel-fit'), u: shown('#panel-u'), dd: shown('#panel-dd'),
        controls: [...document.querySelectorAll('.control')].filter((c) => c.getClientRects().length > 0).map((c) => c.id),
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    assert.deepEqual({ ...seen, controls: seen.controls.sort() }, { header: false, fit: true, u: false, dd: true, controls: ['wrap-n', 'wrap-noise'], overflow: 0 });
    await frame.locator('#dd-canvas').waitFor();
    await host.screenshot({ path: join(artifacts, `embed-${width}.png`), fullPage: true });
    await host.close();
  }
});

test('a tour steps by keyboard with captions, in the URL, without trapping focus', async () => {
  const { page, problems } = await open(context, server.url + '?tour=intro&step=1', server.url);
  await drawn(page);
  assert.match(await page.textContent('#tour-caption'), /underfits/);
  assert.match(await page.textContent('#tour-count'), /step 1 of 11/);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.getElementById('ro-x').textContent === '7');
  assert.match(page.url(), /size=7&log-x=0&tour=intro&step=2$/);
  assert.match(await page.textContent('#tour-caption'), /bottom of the U/);
  await redrawAfter(page, async () => { await page.keyboard.press('ArrowRight'); await page.keyboard.press('PageDown'); });
  await page.waitForFunction(() => document.getElementById('ro-x').textContent === '30');
  assert.match(page.url(), /step=4$/);
  assert.match(await page.textContent('#tour-caption'), /wild interpolant/);
  await shot(page, 'tour-step-4.png');
  await page.keyboard.press('PageUp');
  await page.waitForFunction(() => /step=3$/.test(location.search));
  // Focus stays with the page: no element captured it.
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
  // A shared tour link opens on its step.
  const { page: other } = await open(context, page.url(), server.url);
  await drawn(other);
  assert.match(await other.textContent('#tour-caption'), /variance rises/);
  assert.deepEqual(problems.console, []);
  await other.close();
  await page.close();
});

test('dark mode follows the system, and the projector theme enlarges the type', async () => {
  const { page } = await open(context, server.url, server.url);
  await page.emulateMedia({ colorScheme: 'dark' });
  await drawn(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(23, 25, 28)');
  await page.screenshot({ path: join(artifacts, 'page-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
  const before = await canvasHash(page, 'dd-canvas');
  const fitBefore = await canvasHash(page, 'fit-canvas');
  await page.selectOption('#ctl-theme', 'projector');
  await page.waitForFunction(() => document.body.dataset.theme === 'projector');
  await page.waitForTimeout(200);
  assert.match(page.url(), /theme=projector/);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontSize), '20px');
  assert.notEqual(await canvasHash(page, 'dd-canvas'), before, 'charts redrawn with larger type');
  assert.notEqual(await canvasHash(page, 'fit-canvas'), fitBefore, 'the fit panel redrawn with larger type too');
  await page.screenshot({ path: join(artifacts, 'page-projector.png') });
  await page.close();
});

test('each chart has a table view of its numbers and the page passes an axe-core scan', async () => {
  const { page } = await open(context, server.url, server.url);
  await drawn(page);
  for (const panel of ['fit', 'u', 'dd']) {
    await page.click(`button.as-table[data-panel=${panel}]`);
    await page.waitForSelector(`#${panel}-table table`);
    assert.equal(await page.getAttribute(`button.as-table[data-panel=${panel}]`, 'aria-expanded'), 'true');
  }
  const ddRows = await page.$$eval('#dd-table tbody tr', (rs) => rs.length);
  assert.equal(ddRows, 600);
  const uRows = await page.$$eval('#u-table tbody tr', (rs) => rs.length);
  assert.equal(uRows, 29);
  const first = await page.$$eval('#dd-table tbody tr:first-child td', (ds) => ds.map((d) => d.textContent));
  assert.equal(first[0], '1');
  await shot(page.locator('#panel-dd'), 'panel-dd-table.png');
  await page.addScriptTag({ path: new URL('./node_modules/axe-core/axe.min.js', import.meta.url).pathname });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5), why: v.nodes.map((n) => n.failureSummary).slice(0, 2) })));
  writeFileSync(join(artifacts, 'axe.json'), JSON.stringify(violations, null, 2));
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  assert.deepEqual(serious, []);
  await page.close();
});

test('sliders follow the WAI-ARIA slider pattern: arrows, Page Up/Down, Home/End, value text with units', async () => {
  const { page } = await open(context, server.url + '?trials=4', server.url);
  await drawn(page);
  const n = page.locator('#ctl-n');
  assert.equal(await n.getAttribute('role') ?? await n.evaluate((e) => e.type), 'range');
  assert.equal(await n.getAttribute('aria-valuetext'), '30 training points');
  await page.focus('#ctl-n');
  await redrawAfter(page, () => page.keyboard.press('End'));
  assert.match(page.url(), /[?&]n=200(&|$)/);
  assert.equal(await n.getAttribute('aria-valuetext'), '200 training points');
  await redrawAfter(page, () => page.keyboard.press('Home'));
  assert.match(page.url(), /[?&]n=4(&|$)/);
  await redrawAfter(page, () => page.keyboard.press('PageUp'));
  const big = Number(new URL(page.url()).searchParams.get('n'));
  assert.ok(big >= 20, `Page Up moves by a big step (${big})`);
  await redrawAfter(page, () => page.keyboard.press('ArrowDown'));
  assert.equal(Number(new URL(page.url()).searchParams.get('n')), big - 1);
  assert.equal(await n.getAttribute('aria-valuetext'), `${big - 1} training points`);
  // A log slider speaks its value, not its position.
  await page.focus('#ctl-ridge');
  await redrawAfter(page, () => page.keyboard.press('End'));
  assert.equal(await page.getAttribute('#ctl-ridge', 'aria-valuetext'), '10 ridge penalty');
  // Every control is reachable by Tab and shows a visible focus ring.
  const ring = await page.evaluate(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; });
  assert.match(ring, /solid 3px/);
  await page.close();
});

test('an embedding page drives the figure by postMessage, and printing keeps the figure', async () => {
  const host = await context.newPage();
  const src = server.url + '?embed=1&panels=dd';
  await host.setContent(`<!doctype html><body><iframe id="f" src="${src}" style="width:800px;height:520px"></iframe>
    <script>window.states = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'ddviz:state') states.push(e.data); });</script></body>`);
  const frame = await (await host.$('#f')).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  await frame.evaluate(() => { document.body.dataset.drawn = '0'; });
  await host.evaluate(() => document.getElementById('f').contentWindow.postMessage({ type: 'ddviz:scene', scene: 'embed=1&panels=dd&noise=0.2' }, '*'));
  await frame.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  assert.match(frame.url(), /noise=0\.2/);
  await host.evaluate(() => document.getElementById('f').contentWindow.postMessage({ type: 'ddviz:size', size: 45 }, '*'));
  await frame.waitForFunction(() => document.getElementById('ro-x').textContent === '45');
  await host.evaluate(() => document.getElementById('f').contentWindow.postMessage({ type: 'ddviz:step', step: 4 }, '*'));
  await frame.waitForFunction(() => /tour=intro&step=4/.test(location.search));
  await host.waitForFunction(() => window.states.length >= 3);
  const states = await host.evaluate(() => window.states);
  assert.equal(states[1].size, 45);
  // A message from anyone but the embedding page is ignored.
  await frame.evaluate(() => window.postMessage({ type: 'ddviz:size', size: 7 }, '*'));
  await frame.waitForTimeout(200);
  assert.notEqual(await frame.textContent('#ro-x'), '7');
  await host.close();

  const { page } = await open(context, server.url, server.url);
  await drawn(page);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('#controls-area'), false);
  assert.equal(await page.isVisible('#dd-canvas'), true);
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
  writeFileSync(join(artifacts, 'print.pdf'), pdf);
  assert.ok(pdf.includes('/Subtype /Image') || pdf.includes('/Subtype/Image'), 'the printed page carries the charts as images');
  await page.close();
});

test('an embedded figure out of sight in a cross-origin frame is drawn, keeps embed mode through messages and the tour, and prints', async () => {
  // The host page on a second origin (another port), the figure far below the fold: the browser
  // gives such a frame no animation frames, so nothing may wait for one.
  const dir = join(artifacts, 'host-offscreen');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>deck</title><body style="margin:0">
    <h1 style="height:1800px">A slide</h1>
    <iframe id="f" src="${server.url}?embed=1&panels=fit,dd&controls=n,noise&theme=dark&tour=intro" style="width:800px;height:560px;border:0"></iframe>
    <script>window.states = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'ddviz:state') states.push(e.data); });</script></body>`);
  const hostServer = await serve(dir);
  const host = await context.newPage();
  try {
  await host.setViewportSize({ width: 900, height: 700 });
  await host.goto(hostServer.url);
  const frame = await (await host.$('#f')).contentFrame();
  // Polled by a timer: Playwright's default polling waits for animation frames, which this frame
  // never gets (and which the page must not wait for either).
  const poll = { polling: 100, timeout: 60000 };
  await frame.waitForFunction(() => document.body.dataset.drawn === '1', null, poll);
  const ink = () => frame.evaluate(() => {
    const c = document.getElementById('dd-canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) n++;
    return n / (d.length / 4);
  });
  assert.ok(await ink() > 0.02, 'the figure out of sight has no chart drawn');
  // The tour in the frame keeps the figure's embed mode, panels, controls and theme.
  const look = () => frame.evaluate(() => ({ embed: document.body.classList.contains('embed'), theme: document.body.dataset.theme, u: document.getElementById('panel-u').hidden, search: location.search }));
  let l = await look();
  assert.deepEqual([l.embed, l.theme, l.u], [true, 'dark', true], JSON.stringify(l));
  assert.match(l.search, /embed=1/);
  const send = (msg) => host.evaluate((m) => document.getElementById('f').contentWindow.postMessage(m, '*'), msg);
  await send({ type: 'ddviz:step', step: 4 });
  await frame.waitForFunction(() => /step=4/.test(location.search), null, poll);
  await send({ type: 'ddviz:scene', scene: 'noise=0.2' });
  await frame.waitForFunction(() => /noise=0\.2/.test(location.search), null, poll);
  l = await look();
  assert.deepEqual([l.embed, l.theme, l.u], [true, 'dark', true], `a message dropped the embed: ${JSON.stringify(l)}`);
  assert.match(l.search, /panels=fit,dd/);
  await host.waitForFunction(() => window.states.length >= 2, null, poll);
  const states = await host.evaluate(() => window.states);
  assert.equal(states[0].size, 30, 'the reply names the size the tour step settles at');
  // Printed: the frame draws what it shows, on white.
  await frame.waitForFunction(() => document.body.dataset.state === 'done', null, poll);
  await host.emulateMedia({ media: 'print' });
  const pdf = await host.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(artifacts, 'print-offscreen-frame.pdf'), pdf);
  assert.ok(await ink() > 0.02);
  const colors = await frame.evaluate(() => { const r = getComputedStyle(document.querySelector('.readout')); return [r.color, getComputedStyle(document.body).backgroundColor]; });
  assert.deepEqual(colors, ['rgb(0, 0, 0)', 'rgb(255, 255, 255)'], 'the dark theme prints dark on white');
  } finally {
    await host.close();
    await hostServer.close();
  }
});

test('an embedded figure tells its frame its height, and the host page sizes the frame to fit at 320, 640 and 1024 px', async () => {
  const dir = join(artifacts, 'host-height');
  mkdirSync(dir, { recursive: true });
  const context2 = context;
  for (const width of [320, 640, 1024]) {
    // The host page's five lines from docs/embedding.md.
    writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><body style="margin:0">
      <iframe src="${server.url}?embed=1&panels=fit,dd&controls=n,noise" title="Double descent" style="width:${width}px;height:560px;border:0"></iframe>
      <script>
      addEventListener('message', (e) => {
        const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
        if (frame && e.data && e.data.type === 'ddviz:height') frame.style.height = e.data.height + 'px';
      });
      </script></body>`);
    const hostServer = await serve(dir);
    const host = await context2.newPage();
    try {
      await host.setViewportSize({ width: 1100, height: 900 });
      await host.goto(hostServer.url);
      const frame = await (await host.$('iframe')).contentFrame();
      await frame.waitForFunction(() => document.body.dataset.drawn === '1', null, { polling: 100, timeout: 60000 });
      await host.waitForFunction(() => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - 560) > 1, null, { polling: 100, timeout: 10000 });
      const [scroll, client] = await frame.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.clientHeight]);
      assert.ok(scroll <= client, `at ${width} px the frame still scrolls: ${scroll} > ${client}`);
      const dd = await frame.evaluate(() => document.getElementById('dd-canvas').getBoundingClientRect().bottom);
      assert.ok(dd <= client, `the double-descent panel ends below the frame at ${width} px`);
      await host.screenshot({ path: join(artifacts, `embed-height-${width}.png`) });
    } finally {
      await host.close();
      await hostServer.close();
    }
  }
});

test('keys pressed in an embedded figure go back to the host page (a slide deck), unless a control has them', async () => {
  const host = await context.newPage();
  await host.setContent(`<!doctype html><body><p>deck</p><iframe id="f" src="${server.url}?embed=1&panels=dd&controls=noise" style="width:800px;height:520px"></iframe>
    <script>window.got = []; addEventListener('message', (e) => got.push(e.data));</script></body>`);
  const frame = await (await host.$('#f')).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  // A key on a control stays with the control.
  await frame.focus('#ctl-noise');
  await host.keyboard.press('ArrowRight');
  await frame.waitForFunction(() => /noise=/.test(location.search));
  assert.equal(await host.evaluate(() => window.got.filter((m) => m && m.type === 'ddviz:key').length), 0);
  // A key anywhere else in the figure is handed to the deck, and focus goes back to it.
  await frame.click('#readout');
  await host.keyboard.press('ArrowRight');
  await host.waitForFunction(() => window.got.some((m) => m && m.type === 'ddviz:key'));
  const got = await host.evaluate(() => window.got);
  assert.deepEqual(got.find((m) => m && m.type === 'ddviz:key'), { type: 'ddviz:key', key: 'ArrowRight' });
  assert.ok(got.includes('{"method":"right","args":[]}'), JSON.stringify(got));
  assert.equal(await host.evaluate(() => document.hasFocus()), true);
  assert.equal(await frame.evaluate(() => document.hasFocus()), false);
  await host.close();
});

test('the single-file build works from a file:// URL with no request at all', async () => {
  const file = new URL('../../dist-offline/ddviz.html', import.meta.url);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => { if (!r.url().startsWith('data:') && !r.url().startsWith('blob:') && r.url() !== file.href) requests.push(r.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(file.href);
  await drawn(page);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  assert.equal(await page.isVisible('#notice'), false);
  assert.ok(await inked(page, 'dd-canvas') > 0.02);
  const cli = cliRow([], 12);
  assert.equal(await page.getAttribute('#ro-test', 'data-value'), cli.test_mse_median);
  await page.screenshot({ path: join(artifacts, 'offline-file.png') });
  await page.close();
});

/** Opens the default scene (with `seed`) where the workers in `stuck` (by creation order) never hear from the page. */
async function withStuckWorkers(stuck, seed) {
  const page = await context.newPage();
  await page.addInitScript((stuck) => {
    // Two workers whatever the machine, as on the 2-core machines this runs on.
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 });
    const Real = window.Worker;
    let made = 0;
    window.Worker = function (url, options) {
      const w = new Real(url, options);
      if (stuck.includes(made++)) w.postMessage = () => {};
      return w;
    };
    // The app checks its workers with instanceof.
    window.Worker.prototype = Real.prototype;
  }, stuck);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '?seed=' + seed);
  await drawn(page);
  assert.equal(await page.evaluate(() => window.ddvizWorkers.length), 2);
  return { page, errors };
}

test('a worker that never starts does not hold up the sweep: its trials are taken over', async () => {
  // The page gives trials to workers before they are up; here the second worker never hears
  // from the page (no module, no jobs), so it never starts and never fails.
  const { page, errors } = await withStuckWorkers([1], 7);
  assert.equal(await page.getAttribute('#ro-test', 'data-value'), cliRow(['--scene', 'seed=7'], 12).test_mse_median);
  // And again when a control moves (a new job, the same stuck worker): the ready worker takes
  // the stuck one's trials over.
  await redrawAfter(page, () => page.click('#newdraw'));
  const seed = new URL(page.url()).searchParams.get('seed');
  assert.equal(await page.getAttribute('#ro-test', 'data-value'), cliRow(['--scene', 'seed=' + seed], 12).test_mse_median);
  assert.deepEqual(errors, []);
  await page.close();
  // With neither worker starting, the page computes every trial, those it gave them included.
  const alone = await withStuckWorkers([0, 1], 8);
  assert.ok(!(Number(await alone.page.evaluate(() => document.body.dataset.workerReadyAt)) > 0));
  assert.equal(await alone.page.getAttribute('#ro-test', 'data-value'), cliRow(['--scene', 'seed=8'], 12).test_mse_median);
  await redrawAfter(alone.page, () => alone.page.click('#newdraw'));
  const seed2 = new URL(alone.page.url()).searchParams.get('seed');
  assert.equal(await alone.page.getAttribute('#ro-test', 'data-value'), cliRow(['--scene', 'seed=' + seed2], 12).test_mse_median);
  assert.deepEqual(alone.errors, []);
  await alone.page.close();
});

test('the single-file build served by a web server computes in its workers', async () => {
  // The same file on a USB stick opened through any web server: there module workers run.
  const offline = await serve(join(dist, '..', 'dist-offline'));
  const { page, problems } = await open(context, offline.url + 'ddviz.html', offline.url);
  try {
    await drawn(page);
    assert.equal(await page.isVisible('#notice'), false, await page.textContent('#notice-text'));
    assert.ok(Number(await page.evaluate(() => document.body.dataset.workerReadyAt)) > 0, 'no worker said it was ready');
    assert.ok(await page.evaluate(() => window.ddvizWorkers.length) >= 1);
    const cli = cliRow([], 12);
    assert.equal(await page.getAttribute('#ro-test', 'data-value'), cli.test_mse_median);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.foreign, []);
  } finally {
    await page.close();
    await offline.close();
  }
});

/** Share of a canvas's pixels that are not white, by selector. */
const inkedAt = (page, sel) => page.$eval(sel, (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++;
  return ink / (d.length / 4);
});

test('the <ddviz-figure> custom element draws every kind of panel on one article page, loading one file once', async () => {
  const { page, problems } = await open(context, server.url + 'figure-example.html', server.url);
  await page.waitForFunction(() => [...document.querySelectorAll('ddviz-figure')].every((f) => f.dataset.drawn === '1'), null, { timeout: 60000 });
  assert.deepEqual(await page.$$eval('#a canvas', (cs) => cs.map((c) => c.dataset.panel)), ['u']);
  assert.deepEqual(await page.$$eval('#b canvas', (cs) => cs.map((c) => c.dataset.panel)), ['fit', 'dd']);
  // The training panel, with its caption read off the curve as on the page.
  assert.deepEqual(await page.$$eval('#c canvas', (cs) => cs.map((c) => c.dataset.panel)), ['training']);
  assert.ok(await inkedAt(page, '#c canvas') > 0.05, 'the training figure is blank');
  assert.match(await page.getAttribute('#c canvas', 'aria-label'), /lowest|step/);
  // One file: the module with its wasm inlined; the page's own wasm is never fetched.
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
  assert.equal(loaded.filter((n) => n.endsWith('ddviz-element.js')).length, 1);
  assert.deepEqual(loaded.filter((n) => n.includes('.wasm') || n.includes('ddviz-web') || n.includes('ddviz-extra')), []);
  await page.$eval('#a', (f) => { f.dataset.drawn = '0'; f.setAttribute('scene', 'panels=dd&trials=5&noise=0.3'); });
  await page.waitForFunction(() => document.getElementById('a').dataset.drawn === '1');
  assert.deepEqual(await page.$$eval('#a canvas', (cs) => cs.map((c) => c.dataset.panel)), ['dd']);
  // The size × time map, beside the curve it ends at.
  await page.$eval('#a', (f) => { f.dataset.drawn = '0'; f.setAttribute('scene', 'panels=dd,map&trials=4&max-size=60&steps=100000'); });
  await page.waitForFunction(() => document.getElementById('a').dataset.drawn === '1', null, { timeout: 60000 });
  assert.deepEqual(await page.$$eval('#a canvas', (cs) => cs.map((c) => c.dataset.panel)), ['dd', 'map']);
  assert.ok(await inkedAt(page, '#a canvas[data-panel=map]') > 0.3, 'the map figure is blank');
  assert.match(await page.getAttribute('#a canvas[data-panel=map]', 'aria-label'), /peak|threshold|step/i);
  await page.screenshot({ path: join(artifacts, 'custom-element.png'), fullPage: true });
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});
