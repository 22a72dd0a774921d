// The smoke test in the three engines readers use, through W3C WebDriver (webdriver.mjs):
// Chromium (ChromeDriver), Firefox ESR (geckodriver) and WebKitGTK, Safari's engine
// (WebKitWebDriver and MiniBrowser under Xvfb). In each, in a fresh profile: the default scene
// draws in workers with the readout equal to the CLI's, the README's embed draws in an iframe, a
// slider moved by keyboard recomputes, nothing reports an error, and each page load fetches the
// wasm once (counted at the test server). The deep tests run in Chromium (app.test.mjs); this one
// is what must hold everywhere.
//
//   node --test tests/browser/engines.test.mjs       after ./dev test (or ./dev offline) built dist/
//   DDVIZ_ENGINES=webkit node --test …               one engine (a comma-separated list)
//   DDVIZ_DIST=DIR node --test …                     another build than dist/
//
// An engine that cannot start fails its test with what was missing or what its driver said;
// nothing is skipped. The first visit's timings go to tests/artifacts/engines.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, dist, artifacts, errorRecorder } from './harness.mjs';
import { start, ENGINES, KEY } from './webdriver.mjs';

const engines = (process.env.DDVIZ_ENGINES ?? Object.keys(ENGINES).join(',')).split(',').filter(Boolean);
const root = new URL('../../', import.meta.url).pathname;

// The README's iframe, on a page of its own.
const EMBED = '?embed=1&panels=fit,dd&controls=n,noise';
const HOST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title><link rel="icon" href="data:,"></head>
<body style="margin:20px"><p>An article about double descent.</p>
<iframe id="f" src="./${EMBED}" title="Double descent, computed live" style="width:100%;max-width:960px;height:560px;border:0"></iframe>
</body></html>`;

let server;
let requests = [];
const timings = {};
before(async () => {
  server = await serve(process.env.DDVIZ_DIST ?? dist, { onRequest: (p) => requests.push(p), pages: { '/article.html': HOST }, headScript: errorRecorder });
});
after(async () => {
  await server?.close();
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'engines.json'), JSON.stringify(timings, null, 2) + '\n');
});

// ---- In the page (run by WebDriver's Execute Script: plain functions, no closures) ----

/** The body's data attributes once the scene is drawn and its sweep done, else null. */
function done() {
  var d = document.body && document.body.dataset;
  return d && d.drawn === '1' && d.state === 'done' ? Object.assign({}, d) : null;
}

/**
 * For each canvas id, the share of its pixels that differ from its most common pixel (the
 * background, whatever the theme): 0 for a blank or missing canvas.
 */
function ink(ids) {
  return ids.map(function (id) {
    var c = document.getElementById(id);
    if (!c || !c.width || !c.height) return 0;
    var px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
    var counts = new Map();
    var top = 0;
    for (var i = 0; i < px.length; i++) {
      var n = (counts.get(px[i]) || 0) + 1;
      counts.set(px[i], n);
      if (n > top) top = n;
    }
    return (px.length - top) / px.length;
  });
}

/** The readout: what it shows and the full-precision values the CLI prints. */
function readout() {
  var out = {};
  ['ro-x', 'ro-train', 'ro-test', 'ro-bias2', 'ro-variance'].forEach(function (id) {
    var el = document.getElementById(id);
    out[id] = el ? (el.getAttribute('data-value') || el.textContent) : null;
  });
  return out;
}

/** What the page reported as errors (the recorder above), its workers and the URL's query. */
function state() {
  return {
    errors: window.__ddvizErrors || ['the error recorder is missing'],
    workers: (window.ddvizWorkers || []).length,
    workerReadyAt: Number(document.body.dataset.workerReadyAt),
    search: location.search,
  };
}

// ---- Here ----

/** The CLI's row for `size` of `ddviz sweep ARGS` (the release build of ./dev test). */
function cliRow(args, size) {
  const bin = join(root, 'target/release/ddviz');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build it (cargo build --release --bin ddviz; ./dev test does)`);
  const csv = execFileSync(bin, ['sweep', ...args], { encoding: 'utf8' }).trim().split('\n');
  const head = csv[0].split(',');
  const row = csv.find((l) => l.startsWith(size + ',')).split(',');
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

const wasmFetches = () => requests.filter((p) => p.endsWith('.wasm'));

/** Opens `url` in `s` and waits until it is drawn and done; resolves to its data attributes and the wasm requests it made. */
async function load(s, url, frame) {
  requests = [];
  await s.navigate(url);
  if (frame) await s.cmd('POST', '/frame', { id: await s.until(() => document.getElementById('f'), 'the iframe') });
  const data = await s.until(done, `${url} drawn and done`);
  return { data, wasm: wasmFetches() };
}

function assertDrawn(shares, ids, where) {
  ids.forEach((id, i) => assert.ok(shares[i] > 0.02, `${where}: #${id} looks blank (${(100 * shares[i]).toFixed(2)} % of its pixels drawn)`));
}

for (const engine of engines) {
  test(`${engine}: the default scene and the README's embed draw, a slider recomputes, no errors, one wasm download per load`, async (t) => {
    const s = await start(engine);
    t.diagnostic(s.version);
    try {
      await t.test('the default scene draws all three panels in workers, with the CLI\'s numbers', async () => {
        // A first visit in a running browser: a fresh profile that has sat on about:blank.
        await s.navigate('about:blank');
        await new Promise((ok) => setTimeout(ok, 1000));
        const { data, wasm } = await load(s, server.url);
        timings[engine] = { browser: s.version, drawn_at_ms: Number(data.drawnAt), wasm_started_ms: Number(data.startedAt), sweep_ms: Number(data.sweepMs) };
        assertDrawn(await s.execute(ink, ['fit-canvas', 'u-canvas', 'dd-canvas']), ['fit-canvas', 'u-canvas', 'dd-canvas'], 'the default scene');
        const shown = await s.execute(readout);
        assert.equal(shown['ro-x'], '12');
        assert.ok(Number.isFinite(Number(shown['ro-test'])), `the readout shows no numbers: ${JSON.stringify(shown)}`);
        const st = await s.execute(state);
        assert.deepEqual(st.errors, []);
        assert.ok(st.workers >= 1 && st.workerReadyAt > 0, `the workers did not run: ${JSON.stringify(st)}`);
        assert.equal(wasm.length, 1, `the page fetched the wasm ${wasm.length} times: ${wasm.join(' ')}`);
        const cli = cliRow([], 12);
        assert.deepEqual(shown, { 'ro-x': '12', 'ro-train': cli.train_mse_median, 'ro-test': cli.test_mse_median, 'ro-bias2': cli.bias2_iqm, 'ro-variance': cli.variance_iqm });
      });

      await t.test("the README's embed draws in an iframe, and a slider moved by keyboard recomputes it", async () => {
        const { wasm } = await load(s, server.url + 'article.html', true);
        assert.equal(wasm.length, 1, `the embed fetched the wasm ${wasm.length} times: ${wasm.join(' ')}`);
        assertDrawn(await s.execute(ink, ['fit-canvas', 'dd-canvas']), ['fit-canvas', 'dd-canvas'], 'the embed');
        const before = await s.execute(readout);
        const ddBefore = await s.execute(() => document.getElementById('dd-canvas').toDataURL());
        // Focus the noise slider (as Tab would) and press → ten times: σ 0 → 0.1.
        requests = [];
        await s.execute(() => { document.body.dataset.drawn = '0'; document.getElementById('ctl-noise').focus(); });
        await s.press(...Array(10).fill(KEY.ArrowRight));
        await s.until(() => /noise=0\.1(&|$)/.test(location.search) && document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', 'the recomputed embed (noise=0.1)', 60000);
        const after = await s.execute(readout);
        assert.notEqual(after['ro-test'], before['ro-test']);
        assert.notEqual(await s.execute(() => document.getElementById('dd-canvas').toDataURL()), ddBefore, 'the double-descent curve did not change');
        assert.equal(after['ro-test'], cliRow(['--scene', 'noise=0.1'], 12).test_mse_median);
        assertDrawn(await s.execute(ink, ['fit-canvas', 'dd-canvas']), ['fit-canvas', 'dd-canvas'], 'the recomputed embed');
        assert.deepEqual(wasmFetches(), [], 'a recompute fetched the wasm again');
        assert.deepEqual((await s.execute(state)).errors, []);
        await s.cmd('POST', '/frame/parent', {});
        assert.deepEqual((await s.execute(state)).errors, [], 'the article page reported errors');
      });
    } finally {
      await s.close();
    }
  });
}
