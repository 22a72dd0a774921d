// The handwritten digits in the built app: the default scene never fetches them; a digits preset
// fetches them once per page (not per worker, not per scene), draws the digit grid, the
// classification error and the double-descent curve, and its numbers are the CLI's to the bit;
// the sample-wise view, computed by the same second module, too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { serve, launch, open, shot, artifacts, inked, downloaded } from './harness.mjs';

let server, context;
const requests = [];
before(async () => { server = await serve(undefined, { onRequest: (p) => requests.push(p) }); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
const drawn = (page) => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });
const fetched = (name) => requests.filter((p) => p.includes(name)).length;
// The page's preset of the digits (src/page/presets.rs, DIGITS), with fewer trials.
const DIGITS = 'data=digits&family=relu&n=300&test=500&max-size=1200&grid=log&trials=4&size=300';

const csv = (page) => downloaded(page, '#export-csv');

test('the default scene never fetches the digits or the second module', async () => {
  requests.length = 0;
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  await page.waitForTimeout(300);
  assert.equal(fetched('digits.bin'), 0);
  assert.equal(fetched('ddviz-extra'), 0);
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('a digits scene fetches the digits once, draws the grid and both error curves, and its numbers are the CLI\'s to the bit', async () => {
  requests.length = 0;
  const { page, problems } = await open(context, server.url + '?' + DIGITS, server.url);
  await drawn(page);
  await page.waitForFunction(() => (document.getElementById('fit-canvas').dataset.grid ?? '') !== '', null, { timeout: 30000 });
  assert.equal(fetched('digits.bin'), 1, requests.join(' '));
  // The panels: the digit grid, the classification error in the U panel's place, the curve.
  for (const sel of ['#fit-canvas', '#u-canvas', '#dd-canvas']) assert.ok(await inked(page, sel) > 0.03, `${sel} is blank`);
  assert.match(await page.textContent('#panel-u h2'), /Classification error/);
  const grid = (await page.getAttribute('#fit-canvas', 'data-grid')).split(',');
  assert.ok(grid.length >= 12 && grid.length <= 32, grid.join(','));
  const wrong = grid.filter((g) => g[0] !== g[1]).length;
  // The caption counts the wrong guesses drawn, and names the size and the threshold.
  assert.match(await page.textContent('#fit-caption'), new RegExp(`^${grid.length} held-out digits .* p = 300 trained on n = 300 images under each: ${wrong} wrong`));
  assert.match(await page.textContent('#u-caption'), /highest near it: \d+ % at p = 300/);
  assert.match(await page.textContent('#u-caption'), /Alpaydin/);
  assert.match(await page.textContent('#dd-caption'), /peaks at p = 300/);
  await shot(page, 'digits.png');
  // The CSV: the CLI's sweep of the same scene, to the bit.
  const page_csv = await csv(page);
  writeFileSync(join(artifacts, 'digits.csv'), page_csv);
  assert.equal(page_csv, execFileSync(bin, ['sweep', '--scene', DIGITS], { encoding: 'utf8' }));
  // Hovering the classification error far past the threshold selects that size there: the
  // cursor, the readout and the grid follow.
  const before = await page.getAttribute('#fit-canvas', 'data-grid');
  const box = await page.locator('#u-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.93, box.y + box.height * 0.4);
  await page.waitForFunction(() => Number(document.getElementById('ro-x').textContent) > 600, null, { timeout: 10000 });
  await page.waitForFunction((b) => { const g = document.getElementById('fit-canvas').dataset.grid; return g && g !== b; }, before, { timeout: 30000 });
  assert.equal(await page.isVisible('#u-cursor'), true);
  // A resized page redraws panel 2 (a resized canvas is blank), not only its cursor.
  await page.setViewportSize({ width: 900, height: 1000 });
  await page.waitForTimeout(800);
  assert.ok(await inked(page, '#u-canvas') > 0.03, 'panel 2 is blank after a resize');
  const far = (await page.getAttribute('#fit-canvas', 'data-grid')).split(',');
  assert.ok(far.filter((g) => g[0] !== g[1]).length < wrong, `past the threshold the guesses recover: ${far.join(',')}`);
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('on one page the digits are fetched once for every digits scene, and a new draw recomputes', async () => {
  requests.length = 0;
  const { page, problems } = await open(context, server.url + '?' + DIGITS, server.url);
  await drawn(page);
  const first = await csv(page);
  await page.evaluate(() => { document.body.dataset.drawn = '0'; });
  await page.click('#newdraw');
  await drawn(page);
  const second = await csv(page);
  assert.notEqual(first, second, 'a new draw changed nothing');
  const seed = new URL(page.url()).searchParams.get('seed');
  assert.equal(second, execFileSync(bin, ['sweep', '--scene', `${DIGITS}&seed=${seed}`], { encoding: 'utf8' }));
  assert.equal(fetched('digits.bin'), 1, requests.join(' '));
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('the sample-wise view, computed by the second module, is the CLI\'s to the bit', async () => {
  const q = 'axis=samples&size=30&n=120&log-x=0';
  const { page, problems } = await open(context, server.url + '?' + q, server.url);
  await drawn(page);
  assert.ok(await inked(page, '#dd-canvas') > 0.03);
  assert.equal(await csv(page), execFileSync(bin, ['sweep', '--scene', q], { encoding: 'utf8' }));
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('the plain linear model on the pixels: its curves are the CLI\'s to the bit, and its caption says the threshold is out of reach', async () => {
  const q = 'data=digits&family=linear&n=300&test=500&max-size=64&grid=every&trials=4&size=40';
  const { page, problems } = await open(context, server.url + '?' + q, server.url);
  await drawn(page);
  await page.waitForFunction(() => /out of reach/.test(document.querySelector('#dd-caption')?.textContent ?? ''), null, { timeout: 30000 });
  const caption = await page.textContent('#dd-caption');
  assert.match(caption, /pixels \(the plain linear model\)/);
  assert.doesNotMatch(caption, /dashed/);
  assert.ok(await inked(page, '#dd-canvas') > 0.03 && await inked(page, '#fit-canvas') > 0.03);
  await page.screenshot({ path: join(artifacts, 'digits-linear.png') });
  assert.equal(await csv(page), execFileSync(bin, ['sweep', '--scene', q], { encoding: 'utf8' }));
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('the single-file build opens the digits from a file:// URL with no request at all', async () => {
  // Its digits and its second module are inside it; without module workers on file:// the
  // module computes on the page's thread, the same numbers.
  const q = 'data=digits&family=relu&n=100&test=200&max-size=400&grid=log&trials=2&size=100';
  const file = new URL('../../dist-offline/ddviz.html', import.meta.url);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith(file.href)) requests.push(u); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(file.href + '?' + q);
  await drawn(page);
  await page.waitForFunction(() => (document.getElementById('fit-canvas').dataset.grid ?? '') !== '', null, { timeout: 30000 });
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  assert.ok(await inked(page, '#u-canvas') > 0.03, 'the classification error is blank');
  assert.equal(await csv(page), execFileSync(bin, ['sweep', '--scene', q], { encoding: 'utf8' }));
  await page.close();
});

test('leaving a digits scene for one the page computes ends the second module\'s job', async () => {
  const { page, problems } = await open(context, server.url + '?' + DIGITS.replace('trials=4', 'trials=10'), server.url);
  // Once the first trials are in, count the trials the module still hands over.
  await page.waitForFunction(() => /computing… [1-9]/.test(document.getElementById('progress-text').textContent), null, { timeout: 30000 });
  await page.evaluate(() => {
    const f = window.ddvizTrialIn;
    window.late = 0;
    window.ddvizTrialIn = (job, flat) => { window.late++; f(job, flat); };
    document.body.dataset.drawn = '0';
  });
  await page.selectOption('#preset', { label: 'Past the threshold (default)' });
  await drawn(page);
  // The rest of the digits' job would take about 1.5 s more: only the trials already asked of
  // the worker (two) may still come.
  await page.waitForTimeout(2500);
  assert.ok(await page.evaluate(() => window.late) <= 2, `the module went on: ${await page.evaluate(() => window.late)} trials after the switch`);
  assert.equal(await page.getAttribute('#ro-test', 'data-value'), (() => {
    const csv = execFileSync(bin, ['sweep'], { encoding: 'utf8' }).trim().split('\n');
    const head = csv[0].split(',');
    return csv.find((l) => l.startsWith('12,')).split(',')[head.indexOf('test_mse_median')];
  })());
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('the sample-wise digits: the grid follows the number of images selected, and hovering panel 2 restarts nothing', async () => {
  const q = 'data=digits&family=relu&axis=samples&size=100&n=400&test=500&grid=log&trials=3';
  const { page, problems } = await open(context, server.url + '?' + q, server.url);
  await drawn(page);
  const caption = () => page.textContent('#fit-caption');
  const at = async () => Number(await page.textContent('#ro-x'));
  await page.waitForFunction(() => /trained on n = \d+ images/.test(document.getElementById('fit-caption').textContent), null, { timeout: 30000 });
  assert.match(await caption(), new RegExp(`size p = 100 trained on n = ${await at()} images`));
  // The pointer over panel 2 selects nothing there (the selected n is no control): no new sweep.
  const box = await page.locator('#u-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'done');
  assert.equal(new URL(page.url()).searchParams.get('size'), '100');
  // The keys on the double-descent panel select n; the grid follows.
  await page.focus('#dd-canvas');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.getElementById('ro-x').textContent === '400');
  await page.waitForFunction(() => /trained on n = 400 images/.test(document.getElementById('fit-caption').textContent), null, { timeout: 30000 });
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('the digits train over time on the page: the training curve and the map are the CLI\'s numbers to the bit', async () => {
  const q = 'data=digits&family=relu&n=100&test=200&max-size=300&grid=log&trials=4&size=100';
  const { page, problems } = await open(context, `${server.url}?${q}&panels=fit,dd,training,map`, server.url);
  await page.waitForFunction(() => document.body.dataset.training === 'drawn' && document.body.dataset.map === 'done', null, { timeout: 60000 });
  // Its words: images and the held-out error; no ridge overlay for the digits.
  assert.match(await page.textContent('#training-caption'), /trained on n = 100 images .* Held-out error goes from/);
  assert.match(await page.textContent('#map-caption'), /^Held-out error \(median\) over model size/);
  assert.equal(await page.isVisible('#training-overlay'), false);
  for (const sel of ['#training-canvas', '#map-canvas']) assert.ok(await inked(page, sel) > 0.01, `${sel} is blank`);
  assert.equal(await downloaded(page, '#training-csv'), execFileSync(bin, ['train', '--scene', q], { encoding: 'utf8' }));
  assert.equal(await downloaded(page, '#map-csv'), execFileSync(bin, ['map', '--scene', q], { encoding: 'utf8' }));
  await page.locator('#panel-training').scrollIntoViewIfNeeded();
  await shot(page, 'digits-training.png');
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});
