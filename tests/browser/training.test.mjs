// Training over time in the built app, in headless Chromium: the training panels are a second
// module that the default scene never loads and a training scene loads once; their numbers are
// the CLI's to the bit (`ddviz train`, `ddviz map`); the time cursor (hover, keys, play) moves
// the fit panel's model and stays when the size moves; the panels draw in an embed of 320 px
// and in the dark theme. Screenshots in tests/artifacts/training-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { serve, launch, open, shot } from './harness.mjs';

let server, context;
const requests = [];
before(async () => {
  server = await serve(undefined, { onRequest: (u) => requests.push(u) });
  context = await launch();
});
after(async () => { await context?.close(); await server?.close(); });

const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
const cli = (...args) => execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
const EARLY = 'size=30&steps=100000000&overlay=1&panels=fit,dd,training';
const poll = { timeout: 60000 };
const drawn = (page) => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, poll);
const trained = (page) => page.waitForFunction(() => document.body.dataset.training === 'drawn', null, poll);
const extra = () => requests.filter((u) => u.includes('ddviz-extra'));
const search = (page) => page.evaluate(() => new URLSearchParams(location.search));
const param = async (page, key) => page.evaluate((k) => new URLSearchParams(location.search).get(k), key);

/** How many of a canvas's pixels are neither white nor transparent: a drawn chart has many. */
const inked = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
  return n / (c.width * c.height);
}, id);

/** A CSV as rows of named cells. */
function rows(csv) {
  const lines = csv.trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}

test('the default scene never loads the training module; a training preset loads it once and draws', async () => {
  requests.length = 0;
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  await page.waitForTimeout(300);
  assert.deepEqual(extra(), [], 'the default scene fetched the training module');
  assert.equal(await page.isHidden('#time-panels'), true);
  // The preset list holds the training scenes; choosing one shows the panel.
  const label = await page.$eval('#preset', (s) => [...s.options].find((o) => o.textContent === 'Early stopping works like ridge').value);
  await page.selectOption('#preset', label);
  await trained(page);
  assert.equal(await page.isVisible('#panel-training'), true);
  // The wasm once (its worker gets the compiled module), the glue once in the page and once in
  // the module's worker (a worker is a realm of its own).
  const wasmOnce = () => extra().filter((u) => u.endsWith('.wasm')).length === 1 && extra().filter((u) => u.endsWith('.js')).length <= 2;
  assert.ok(wasmOnce(), `the module's wasm once, its glue at most twice: ${extra()}`);
  assert.ok(await inked(page, 'training-canvas') > 0.05, 'the training panel is blank');
  const caption = await page.textContent('#training-caption');
  assert.match(caption, /to its lowest, [0-9.e-]+ at step [0-9,]+ \(the best time to stop, marked\)/);
  assert.match(caption, /stopping early beats training to the end/);
  // Another size: the panel follows without fetching the module again.
  await page.locator('#dd-canvas').focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => /p = 600 features/.test(document.getElementById('training-caption').textContent), null, poll);
  assert.ok(wasmOnce(), `fetched again: ${extra()}`);
  await page.locator('#panel-training').scrollIntoViewIfNeeded();
  await shot(page.locator('#panel-training'), 'training-panel.png');
  assert.deepEqual(problems, { console: [], pageErrors: [], foreign: [] });
  await page.close();
});

test('the training curve, its CSV and the map are the CLI\'s numbers to the bit', async () => {
  const scene = 'size=30&steps=100000000&trials=8&max-size=70&panels=fit,dd,training,map';
  const { page, problems } = await open(context, `${server.url}?${scene}`, server.url);
  await trained(page);
  await page.waitForFunction(() => document.body.dataset.map === 'done', null, poll);
  // The last step from the keyboard: the readout's numbers are the CLI's row.
  await page.locator('#training-canvas').focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.getElementById('training-readout').dataset.value, null, poll);
  const [step, train, testErr, norm] = (await page.getAttribute('#training-readout', 'data-value')).split(' ');
  const cliRows = rows(cli('train', '--scene', scene));
  const last = cliRows[cliRows.length - 1];
  assert.equal(step, last.step);
  assert.equal(Number(train), Number(last.train_mse_median));
  assert.equal(Number(testErr), Number(last.test_mse_median));
  assert.equal(Number(norm), Number(last.norm_median));
  assert.equal(await param(page, 'time'), last.step);
  // The exports: the training curve's CSV is `ddviz train`'s, the map's is `ddviz map`'s.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#training-csv')]);
  assert.equal(readFileSync(await csv.path(), 'utf8'), cli('train', '--scene', scene));
  const [map] = await Promise.all([page.waitForEvent('download'), page.click('#map-csv')]);
  assert.equal(readFileSync(await map.path(), 'utf8'), cli('map', '--scene', 'size=30&steps=100000000&trials=8&max-size=70'));
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#map-svg')]);
  assert.match(readFileSync(await svg.path(), 'utf8'), /^<svg/);
  // PNGs at twice the pixels (1600 × 1200), of the map and of the training panel.
  for (const id of ['#map-png', '#training-png']) {
    const [png] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    const bytes = readFileSync(await png.path());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG', id);
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [1600, 1200], id);
  }
  assert.ok(await inked(page, 'map-canvas') > 0.3, 'the map is blank');
  assert.match(await page.textContent('#map-caption'), /Early stopping removes the peak\./);
  // The tables.
  await page.click('#training-show-table');
  assert.equal(await page.locator('#training-table tr').count(), cliRows.length + 1);
  await page.click('#map-show-table');
  assert.equal(await page.locator('#map-table tr').count(), Number(await page.evaluate(() => document.body.dataset.mapRows)) + 1);
  await page.locator('#time-panels').scrollIntoViewIfNeeded();
  await shot(page.locator('#time-panels'), 'training-map.png');
  assert.deepEqual(problems, { console: [], pageErrors: [], foreign: [] });
  await page.close();
});

test('training on your own points and the gaussian family\'s theory: drawn, captioned, and the CLI\'s numbers to the bit', async () => {
  const own = 'points=-0.9:0.1,-0.5:0.4,-0.2:0.9,0.1:0.3,0.4:-0.2,0.7:0.5,0.9:0.1,-0.7:0.2,0.2:0.6,0.6:0,-0.3:0.5,0.3:0.2&size=8&trials=4&init=0.5&panels=fit,dd,training';
  const gauss = 'family=gaussian&n=40&dim=120&max-size=120&noise=0.5&trials=10&size=80&steps=10000&panels=fit,dd,training';
  for (const [scene, said] of [[own, /held-out|test error/i], [gauss, /asymptotic theory of the mean error \(n and p large at p\/n = 2\)/]]) {
    const { page, problems } = await open(context, `${server.url}?${scene}`, server.url);
    await trained(page);
    assert.ok(await inked(page, 'training-canvas') > 0.02, `the training panel is blank: ${scene}`);
    const caption = await page.textContent('#training-caption');
    assert.match(caption, said);
    assert.doesNotMatch(caption, /not yet|cannot/i);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#training-csv')]);
    const text = readFileSync(await csv.path(), 'utf8');
    assert.equal(text, cli('train', '--scene', scene));
    // From a random start the distance moved is a column; the gaussian family's theory another.
    assert.match(text.split('\n')[0], scene === own ? /dist_from_init_median$/ : /,theory,theory_optimal_ridge,dist_from_init_mean/);
    if (scene === own) {
      await page.locator('#training-canvas').focus();
      await page.keyboard.press('End');
      await page.waitForFunction(() => document.getElementById('training-readout').textContent.includes('‖β_t − β₀‖'), null, poll);
    } else {
      await shot(page.locator('#training-canvas'), 'training-theory.png');
    }
    assert.deepEqual(problems, { console: [], pageErrors: [], foreign: [] });
    await page.close();
  }
});

test('a module worker that goes silent without an error is taken for dead: the page computes its share, the same numbers', async () => {
  // The module's worker gets its compiled wasm, then never hears another question: as if the
  // browser had stopped it without an error event.
  const page = await context.newPage();
  await page.addInitScript(() => {
    const Real = window.Worker;
    window.Worker = class extends Real {
      postMessage(m, t) {
        if (this.deaf) return undefined;
        if (m instanceof WebAssembly.Module) this.deafNext = true;
        else if (this.deafNext) { this.deaf = true; window.ddvizDeaf = (window.ddvizDeaf || 0) + 1; return undefined; }
        return super.postMessage(m, t);
      }
    };
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const scene = 'size=30&steps=100000000&trials=8&max-size=40&panels=fit,dd,training,map';
  await page.goto(`${server.url}?${scene}`);
  await trained(page);
  await page.waitForFunction(() => document.body.dataset.map === 'done', null, poll);
  assert.ok(await page.evaluate(() => window.ddvizDeaf) >= 1, 'the worker was never asked anything');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#training-csv')]);
  assert.equal(readFileSync(await csv.path(), 'utf8'), cli('train', '--scene', scene));
  const [map] = await Promise.all([page.waitForEvent('download'), page.click('#map-csv')]);
  assert.equal(readFileSync(await map.path(), 'utf8'), cli('map', '--scene', 'size=30&steps=100000000&trials=8&max-size=40'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the time cursor moves the fit panel\'s model by hover, keys and play, and stays when the size moves', async () => {
  const { page, problems } = await open(context, `${server.url}?${EARLY}`, server.url);
  await trained(page);
  await drawn(page);
  const fitLabel = () => page.getAttribute('#fit-canvas', 'aria-label');
  assert.doesNotMatch(await fitLabel(), /steps of training/);
  // Hover: the cursor follows the pointer; the fit panel shows the model at that step.
  const canvas = page.locator('#training-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('time'), null, poll);
  const early = Number(await param(page, 'time'));
  await page.waitForFunction((t) => /after (\d+) steps of training/.test(document.getElementById('fit-canvas').getAttribute('aria-label')), early, poll);
  assert.match(await fitLabel(), new RegExp(`after ${early} steps of training`));
  assert.match(await page.textContent('#fit-caption'), new RegExp(`the model after ${early} steps of gradient descent`));
  assert.equal(await page.isVisible('#training-cursor'), true);
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
  await page.waitForFunction((t) => Number(new URLSearchParams(location.search).get('time')) > t, early, poll);
  // Keys: one grid point right, then Escape clears the cursor and the fit is the end's again.
  await canvas.focus();
  const before = Number(await param(page, 'time'));
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((t) => Number(new URLSearchParams(location.search).get('time')) > t, before, poll);
  // The size moves; the time stays.
  const time = await param(page, 'time');
  await page.locator('#dd-canvas').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('size') === '31', null, poll);
  assert.equal(await param(page, 'time'), time);
  await page.waitForFunction(() => /p = 31 features/.test(document.getElementById('training-caption').textContent), null, poll);
  await canvas.focus();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !new URLSearchParams(location.search).get('time'), null, poll);
  await page.waitForFunction(() => !/steps of training/.test(document.getElementById('fit-canvas').getAttribute('aria-label')), null, poll);
  // Play runs through training: the time grows step after step, then stops at the end.
  await page.click('#training-play');
  assert.equal(await page.textContent('#training-play'), '■ Stop');
  await page.waitForFunction(() => Number(new URLSearchParams(location.search).get('time')) > 10, null, poll);
  const t1 = Number(await param(page, 'time'));
  await page.waitForFunction((t) => Number(new URLSearchParams(location.search).get('time')) > 100 * t, t1, poll);
  await page.click('#training-play');
  assert.equal(await page.textContent('#training-play'), '▶ Play training');
  assert.deepEqual(problems, { console: [], pageErrors: [], foreign: [] });
  await page.close();
});

test('the training panels draw in a 320 px embed, in the dark theme, and with reduced motion play jumps to the end', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 900 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?embed=1&theme=dark&panels=training,map&size=30&steps=100000&max-size=60`);
  await trained(page);
  await page.waitForFunction(() => document.body.dataset.map === 'done', null, poll);
  assert.ok(await inked(page, 'training-canvas') > 0.05);
  assert.ok(await inked(page, 'map-canvas') > 0.3);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `the embed is ${width} px wide`);
  await page.click('#training-play');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('time') === '100000', null, poll);
  await shot(page, 'training-embed-320.png');
  assert.deepEqual(errors, []);
  await page.close();
});
