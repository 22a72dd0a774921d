// A comparison in the built app, in headless Chromium: one sweep per compared value through the
// workers, drawn together, each value's numbers bit for bit the CLI's (`ddviz sweep --compare`),
// the value whose fit is shown picked by radio button and by key, named in the readout, in the
// URL, the table view, the exports, and typed into the compare field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, open, shot, artifacts } from './harness.mjs';

let server, context;
before(async () => { server = await serve(); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

const drawn = (page) => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });
const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
const NOISE = 'family=relu&target=sin&n=40&max-size=400&compare=noise:0,0.1,0.3&size=40&pick=3';

/** The CLI's comparison CSV of a scene string. */
const cliCsv = (scene) => execFileSync(bin, ['sweep', '--scene', scene], { encoding: 'utf8' });

/** The CLI's row of compared value `value` (as the compare column writes it) at size `size`. */
function cliRow(csv, value, size) {
  const lines = csv.trim().split('\n');
  const head = lines[0].split(',');
  const row = lines.find((l) => l.startsWith(`${value},${size},`)).split(',');
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

const value = (page, id) => page.evaluate((id) => document.getElementById(id).dataset.value, id);

test('a comparison draws one curve per value, each value\'s numbers the CLI\'s to the bit, the value shown picked by button and key', async () => {
  const { page, problems } = await open(context, server.url + '?' + NOISE, server.url);
  await drawn(page);
  const csv = cliCsv(NOISE);
  // The value picked in the link (pick=3): its readout, from its own sweep.
  assert.equal(await page.textContent('#ro-value'), 'noise 0.3');
  assert.equal(await value(page, 'ro-test'), cliRow(csv, 'noise=0.3', 40).test_mse_median);
  const radios = await page.$$eval('#compare-pick input[type=radio]', (rs) => rs.map((r) => r.checked));
  assert.deepEqual(radios, [false, false, true]);
  await shot(page.locator('#panel-dd'), 'panel-dd-compare-noise.png');
  // A radio button: the fit, readout and URL follow.
  await page.check('#pick-0');
  await page.waitForFunction(() => document.getElementById('ro-value').textContent === 'noise 0');
  assert.equal(await value(page, 'ro-test'), cliRow(csv, 'noise=0', 40).test_mse_median);
  assert.doesNotMatch(page.url(), /pick=/, 'the first value is the default');
  // A key on the chart: 2 picks the second value.
  await page.focus('#dd-canvas');
  await page.keyboard.press('2');
  await page.waitForFunction(() => document.getElementById('ro-value').textContent === 'noise 0.1');
  assert.match(page.url(), /pick=2/);
  assert.equal(await value(page, 'ro-test'), cliRow(csv, 'noise=0.1', 40).test_mse_median);
  assert.equal(await page.isChecked('#pick-1'), true);
  // The caption reads the curves; the table has one column per value.
  const caption = await page.textContent('#dd-caption');
  assert.match(caption, /One test-error curve for each value of noise/);
  assert.match(caption, /[Tt]he peak (grows|appears)/, caption);
  await page.click('button.as-table[data-panel=dd]');
  await page.waitForSelector('#dd-table table');
  const head = await page.$$eval('#dd-table thead th', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(head, ['p', 'noise 0', 'noise 0.1', 'noise 0.3']);
  // The CSV export is the CLI's comparison CSV, byte for byte.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.equal(readFileSync(await dl.path(), 'utf8'), csv);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const text = readFileSync(await svg.path(), 'utf8');
  for (const part of ['noise 0', 'noise 0.1 (fit shown)', 'noise 0.3', 'middle 50 % of trials, noise 0.1']) assert.ok(text.includes(part), `SVG lacks ${part}`);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'export-compare.svg'), text);
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('the compare field takes a typed comparison when committed, and a bad one gets a notice naming compare', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await drawn(page);
  assert.equal(await page.isHidden('#compare-pick'), true, 'no comparison: no choice of value');
  await page.evaluate(() => { document.body.dataset.drawn = '0'; });
  await page.fill('#ctl-compare', 'ridge:0,0.01');
  await page.press('#ctl-compare', 'Enter');
  await drawn(page);
  assert.match(page.url(), /compare=ridge:0,0\.01/);
  assert.equal(await page.isVisible('#compare-pick'), true);
  assert.equal(await page.getAttribute('#ctl-ridge', 'disabled'), '', 'the compared parameter\'s own slider is idle');
  assert.match(await page.textContent('#dd-caption'), /One test-error curve for each value of ridge/);
  await page.fill('#ctl-compare', 'seed:1,2');
  await page.press('#ctl-compare', 'Enter');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice-text'), /compare: seed cannot be compared/);
  assert.match(page.url(), /compare=ridge:0,0\.01/, 'the comparison drawn stays');
  assert.equal(await page.inputValue('#ctl-compare'), 'ridge:0,0.01', 'the field shows it again');
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});
