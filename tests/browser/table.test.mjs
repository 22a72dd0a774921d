// A table of your own in the built app: the UCI wine table (tests/data/wine.csv, from
// scikit-learn's bundled copy; M. Forina et al., CC BY 4.0) uploaded under Your own data. The
// page's own module only tells a table from points; the second module reads it, computes its
// trials and draws its panels. Its numbers are the CLI's to the bit (`ddviz sweep --data`), for
// its class label and for a label chosen in the menu (a number to predict); a bad table lists
// its bad lines and leaves the scene as it was; "Back to generated data" leaves the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, open, shot, artifacts, inked, downloaded } from './harness.mjs';

let server, context;
before(async () => { server = await serve(); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'target/release/ddviz');
const wine = join(root, 'tests/data/wine.csv');
// Fewer trials and sizes than a table's defaults, for the test's time.
const START = '?trials=4&max-size=120&n=40';
const done = (page) => page.waitForFunction(() => document.body.classList.contains('table') && document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });

const csv = (page) => downloaded(page, '#export-csv');

/** The CLI's sweep of the page's scene (its URL) on the table in `file`, with `label` if given. */
const cli = (page, file, label) => {
  const scene = new URL(page.url()).search.slice(1);
  return execFileSync(bin, ['sweep', '--data', file, ...(label ? ['--label', label] : []), '--scene', scene], { encoding: 'utf8' });
};

test('an uploaded table is read by the second module, computed and drawn, its numbers the CLI\'s to the bit', async () => {
  const { page, problems } = await open(context, server.url + START, server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60000 });
  await page.setInputFiles('#data-file', wine);
  await done(page);
  // The scene is the table's: its data, a family for many inputs, every other row held out.
  const q = new URLSearchParams(new URL(page.url()).search);
  assert.equal(q.get('data'), 'table');
  assert.equal(q.get('family'), 'relu');
  assert.equal(q.get('test'), String(178 - 40));
  await page.waitForFunction(() => /178 rows, 13 feature columns and the label 'class' \(3 classes\)/.test(document.getElementById('data-mode').textContent), null, { timeout: 30000 });
  assert.equal(await page.inputValue('#data-label'), 'class');
  // Its one column of text is the only label it can have.
  assert.equal(await page.locator('#data-label option').count(), 1);
  // Its panels: the card, the classification error, the squared loss.
  await page.waitForFunction(() => /Your table: 178 rows of 13 feature columns/.test(document.getElementById('fit-canvas').getAttribute('aria-label') ?? ''), null, { timeout: 30000 });
  assert.match(await page.getAttribute('#fit-canvas', 'aria-label'), /By class: class_0: \d+ of \d+ wrong; class_1: \d+ of \d+ wrong; class_2: \d+ of \d+ wrong/);
  for (const sel of ['#fit-canvas', '#u-canvas', '#dd-canvas']) assert.ok(await inked(page, sel) > 0.01, `${sel} is blank`);
  assert.match(await page.textContent('#panel-fit h2'), /Your table/);
  assert.match(await page.textContent('#panel-u h2'), /Classification error/);
  assert.match(await page.textContent('#u-caption'), /share of held-out rows whose largest output is not their class/);
  assert.doesNotMatch(await page.textContent('#u-caption'), /Alpaydin|digit/);
  assert.match(await page.textContent('#dd-caption'), /Squared loss over the 3 outputs \(one a class\) on held-out rows/);
  await shot(page, 'table-wine.png');
  const page_csv = await csv(page);
  writeFileSync(join(artifacts, 'table-wine.csv'), page_csv);
  assert.equal(page_csv, cli(page, wine));
  // The figure exported is the table's: its classification error and squared loss.
  const figure = await downloaded(page, '#export-svg');
  assert.match(figure, /^<svg/);
  assert.match(figure, /classification error/);
  assert.doesNotMatch(figure, /noiseless target/);
  // k-fold cross-validation of the table: the held-out rows' control goes, the words and the
  // numbers follow (the CLI's, to the bit).
  await page.selectOption('#ctl-holdout', 'kfold');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('holdout') === 'kfold' && document.body.dataset.state === 'done', null, { timeout: 60000 });
  await page.waitForFunction(() => /5-fold cross-validation/.test(document.getElementById('data-mode').textContent), null, { timeout: 30000 });
  assert.equal(await page.isVisible('#wrap-test'), false);
  assert.equal(await csv(page), cli(page, wine));
  await page.selectOption('#ctl-holdout', 'split');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('holdout') === null && document.body.dataset.state === 'done', null, { timeout: 60000 });
  // "Show as table" of the curve panels, from the page's summaries.
  await page.click('button.as-table[data-panel=dd]');
  await page.waitForFunction(() => document.querySelectorAll('#dd-table tr').length > 1, null, { timeout: 30000 });
  assert.equal(await page.locator('#dd-table tbody tr').count(), page_csv.trim().split('\n').length - 1);
  // The wine table without its class, pasted: thirteen columns of numbers, any of them a label;
  // the menu offers them all, and alcohol is a number to predict.
  const numbers = readFileSync(wine, 'utf8').split('\n').filter((l) => l).map((l) => l.slice(0, l.lastIndexOf(','))).join('\n') + '\n';
  const numbersFile = join(artifacts, 'wine-numbers.csv');
  writeFileSync(numbersFile, numbers);
  await page.fill('#data-text', numbers);
  await page.click('#data-apply');
  await page.waitForFunction(() => document.getElementById('data-label').options.length === 13, null, { timeout: 30000 });
  assert.equal(await page.inputValue('#data-label'), 'proline');
  await page.selectOption('#data-label', 'alcohol');
  await page.waitForFunction(() => /The classical regime/.test(document.getElementById('panel-u').textContent), null, { timeout: 30000 });
  await done(page);
  await page.waitForFunction(() => /a number to predict/.test(document.getElementById('fit-canvas').getAttribute('aria-label') ?? ''), null, { timeout: 30000 });
  await page.waitForFunction(() => /the label 'alcohol' \(a number\)/.test(document.getElementById('data-mode').textContent), null, { timeout: 30000 });
  assert.match(await page.textContent('#dd-caption'), /^Squared error on held-out rows/);
  assert.ok(await inked(page, '#u-canvas') > 0.01, 'panel 2 is blank');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'table-wine-alcohol.png');
  assert.equal(await csv(page), cli(page, numbersFile, 'alcohol'));
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.foreign, []);
  // Back to generated data: the table's classes and URL go.
  await page.click('#data-back');
  await page.waitForFunction(() => !document.body.classList.contains('table') && !document.body.classList.contains('digits'), null, { timeout: 10000 });
  assert.equal(new URLSearchParams(new URL(page.url()).search).get('data'), null);
  await page.close();
});

test('a bad table lists its bad lines and leaves the scene as it was', async () => {
  const { page, problems } = await open(context, server.url + START, server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60000 });
  const url = page.url();
  const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 7},${i % 2 ? 'a' : 'b'}`);
  rows[4] = '4,5';
  rows[9] = '9,nine,a';
  await page.fill('#data-text', ['first,second,label', ...rows].join('\n'));
  await page.click('#data-apply');
  await page.waitForFunction(() => document.querySelectorAll('#data-errors li').length === 2, null, { timeout: 30000 });
  const errors = await page.$$eval('#data-errors li', (l) => l.map((e) => e.textContent));
  assert.match(errors[0], /^line 6: expected 3 values as in the header, got 2/);
  assert.match(errors[1], /^line 11: column 'second': 'nine' is not a number/);
  assert.equal(page.url(), url);
  assert.equal(await page.evaluate(() => document.body.classList.contains('table')), false);
  // Points with a header naming x and y stay points, other columns and all.
  await page.fill('#data-text', 'x,y,weight\n-0.5,0.1,1\n0,0.2,1\n0.5,0.3,1\n0.7,0.1,2\n0.9,0.4,1\n-0.9,0.2,1\n');
  await page.click('#data-apply');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('points') !== null, null, { timeout: 10000 });
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});

test('a scene string that names data=table without a table falls back, saying to upload one', async () => {
  const { page, problems } = await open(context, server.url + '?data=table&n=40', server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60000 });
  assert.match(await page.textContent('#notice'), /data=table needs a table: upload one under Your own data/);
  assert.equal(await page.evaluate(() => document.body.classList.contains('table')), false);
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});
