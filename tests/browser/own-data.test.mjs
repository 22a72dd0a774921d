// Your own data in the built app: points added, dragged and deleted on the fit panel by mouse
// and keyboard; a CSV pasted or uploaded with bad rows; held-out error equal to the CLI's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { serve, launch, open, shot, artifacts } from './harness.mjs';

let server, context;
before(async () => { server = await serve(); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

const drawn = (page) => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });
async function redrawAfter(page, action) {
  await page.evaluate(() => { document.body.dataset.drawn = '0'; });
  await action();
  await drawn(page);
}
const points = (page) => (new URL(page.url()).searchParams.get('points') ?? '').split(',').filter(Boolean).map((p) => p.split(':').map(Number));
const query = (page) => new URL(page.url()).search.slice(1);

/** The page position of data point (x, y) on the fit panel. */
async function at(page, x, y) {
  const [left, top, right, bottom, x0, x1, y0, y1] = (await page.getAttribute('#fit-canvas', 'data-area')).split(',').map(Number);
  const box = await page.locator('#fit-canvas').boundingBox();
  return [box.x + left + (x - x0) / (x1 - x0) * (right - left), box.y + top + (y1 - y) / (y1 - y0) * (bottom - top)];
}

function cliRow(scene, size) {
  const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
  const csv = execFileSync(bin, ['sweep', '--scene', scene], { encoding: 'utf8' }).trim().split('\n');
  const head = csv[0].split(',');
  const row = csv.find((l) => l.startsWith(size + ',')).split(',');
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

test('your own points: added, dragged and deleted on the fit panel by mouse and keyboard', async () => {
  const { page, problems } = await open(context, server.url + '?family=relu&max-size=120&trials=6&size=20', server.url);
  await drawn(page);
  await redrawAfter(page, () => page.click('#data-edit'));
  assert.equal(points(page).length, 30);
  assert.match(await page.textContent('#data-mode'), /6 of your 30 points \(1 in 5\) are held out/);
  assert.equal(await page.textContent('#ro-test-name'), 'held-out error');
  assert.equal(await page.textContent('#ro-bias2'), '–');
  assert.match(await page.textContent('#dd-caption'), /p = n = 24/);
  assert.equal(await page.isVisible('#wrap-noise'), false, 'the generated data knobs step aside');
  assert.equal(await page.isVisible('#wrap-folds'), true);

  // A click adds a point where it lands.
  await redrawAfter(page, async () => page.mouse.click(...await at(page, 0.123, 0.9)));
  let pts = points(page);
  assert.equal(pts.length, 31);
  const [ax, ay] = pts.at(-1);
  assert.ok(Math.abs(ax - 0.123) < 0.01 && Math.abs(ay - 0.9) < 0.02, `added at ${ax}, ${ay}`);
  // A drag moves it.
  const [sx, sy] = await at(page, ax, ay);
  await redrawAfter(page, async () => {
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    await page.mouse.move(sx + 40, sy + 30, { steps: 6 });
    await page.mouse.up();
  });
  pts = points(page);
  assert.equal(pts.length, 31);
  const [mx, my] = pts.at(-1);
  assert.ok(mx > ax + 0.05 && my < ay, `moved to ${mx}, ${my}`);
  // A double-click deletes it.
  await redrawAfter(page, async () => page.mouse.dblclick(...await at(page, mx, my)));
  assert.equal(points(page).length, 30);
  assert.ok(!points(page).some(([x, y]) => x === mx && y === my));
  await shot(page.locator('#panel-fit'), 'panel-fit-own.png');
  // A double tap on a touch screen deletes too (a tap adds, as a click does).
  const touch = await launch({ hasTouch: true });
  const { page: phone } = await open(touch, page.url(), server.url);
  await drawn(phone);
  const [tx, ty] = points(phone)[0];
  await redrawAfter(phone, async () => {
    const [cx, cy] = await at(phone, tx, ty);
    await phone.touchscreen.tap(cx, cy);
    await phone.touchscreen.tap(cx, cy);
  });
  assert.equal(points(phone).length, 29);
  assert.ok(!points(phone).some(([x, y]) => x === tx && y === ty));
  await redrawAfter(phone, async () => phone.touchscreen.tap(...await at(phone, 0.5, 0.5)));
  assert.equal(points(phone).length, 30);
  await touch.close();

  // The keyboard: ] chooses the leftmost point, arrows move it, Delete removes it, + adds one.
  await page.focus('#fit-canvas');
  await page.keyboard.press(']');
  assert.match(await page.textContent('#data-live'), /^chose point 1 of 30 from the left/);
  assert.equal(await page.isVisible('#fit-pick'), true);
  const before = points(page);
  const leftmost = before.reduce((a, b) => (b[0] < a[0] ? b : a));
  await redrawAfter(page, () => page.keyboard.press('ArrowUp'));
  const after = points(page);
  const changed = after.filter((p, i) => p[0] !== before[i][0] || p[1] !== before[i][1]);
  assert.equal(changed.length, 1);
  assert.equal(changed[0][0], leftmost[0]);
  assert.ok(changed[0][1] > leftmost[1]);
  await redrawAfter(page, () => page.keyboard.press('Delete'));
  assert.equal(points(page).length, 29);
  await redrawAfter(page, () => page.keyboard.press('+'));
  assert.equal(points(page).length, 30);
  assert.match(await page.textContent('#data-live'), /^added point \d+ of 30 from the left/);
  // The ring stays on the chosen point when the fit panel is drawn again (each redraw used to
  // hide it: the redraw asked the page for the points while the page was busy).
  await page.evaluate(() => { delete document.body.dataset.fitMs; });
  await page.click('#show-new');
  await page.waitForFunction(() => document.body.dataset.fitMs !== undefined);
  assert.equal(await page.isVisible('#fit-pick'), true, 'the ring of the chosen point is hidden after a redraw');
  const ring = await page.locator('#fit-pick').boundingBox();
  const [rx, ry] = await at(page, ...points(page).at(-1));
  assert.ok(Math.abs(ring.x + ring.width / 2 - rx) < 2 && Math.abs(ring.y + ring.height / 2 - ry) < 2, `ring at ${ring.x + ring.width / 2}, ${ring.y + ring.height / 2}, point at ${rx}, ${ry}`);
  await page.click('#show-new');
  await shot(page.locator('#panel-fit'), 'panel-fit-own-keyboard.png');

  // The held-out error shown is the CLI's for the same scene string, to the last bit.
  const size = Number(await page.textContent('#ro-x'));
  const cli = cliRow(query(page), size);
  assert.equal(await page.getAttribute('#ro-test', 'data-value'), cli.test_mse_median);
  assert.equal(await page.getAttribute('#ro-train', 'data-value'), cli.train_mse_median);
  await page.screenshot({ path: join(artifacts, 'page-own-data.png'), fullPage: true });
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('a pasted or uploaded CSV with bad rows: each bad line named, the good points used, nothing else lost', async () => {
  const { page, problems } = await open(context, server.url + '?family=relu&noise=0.2&trials=5&max-size=100&holdout=kfold&folds=4', server.url);
  await drawn(page);
  const good = Array.from({ length: 20 }, (_, i) => `${(-0.95 + i * 0.1).toFixed(2)},${Math.sin(3 * i).toFixed(3)}`);
  const text = ['x,y', ...good.slice(0, 5), 'abc,1', ...good.slice(5, 10), '1.5,0', '0.3', ...good.slice(10), '0.2,1e9'].join('\n');
  await page.fill('#data-text', text);
  await redrawAfter(page, () => page.click('#data-apply'));
  const errors = await page.$$eval('#data-errors li', (ls) => ls.map((l) => l.textContent));
  assert.equal(errors.length, 5, errors.join('\n'));
  assert.match(errors[0], /using the 20 good points; 4 lines were left out/);
  assert.equal(errors[1], "line 7: 'abc' is not a number");
  assert.match(errors[2], /^line 13: x = 1\.5 is out of range/);
  assert.match(errors[3], /^line 14: expected two numbers x,y, got 1 value/);
  assert.match(errors[4], /^line 25: y = 1000000000 is out of range/);
  assert.equal(points(page).length, 20);
  // Nothing else lost: the other settings and the text as typed.
  const q = new URLSearchParams(query(page));
  assert.deepEqual([q.get('family'), q.get('noise'), q.get('trials'), q.get('holdout'), q.get('folds')], ['relu', '0.2', '5', 'kfold', '4']);
  assert.equal(await page.inputValue('#data-text'), text);
  assert.match(await page.textContent('#data-mode'), /4-fold cross-validation: each fold of 5 points is held out in turn while the model is fitted to 15 points/);
  await shot(page.locator('#wrap-points'), 'data-errors.png');

  // Too few good points changes nothing and says why.
  await page.fill('#data-text', '0.1,0.2\n0.3,0.4\nnope');
  await page.click('#data-apply');
  await page.waitForFunction(() => /not changed/.test(document.getElementById('data-errors').textContent));
  assert.equal(points(page).length, 20);

  // An uploaded file is read the same way.
  const csv = 'x;y\n' + Array.from({ length: 40 }, (_, i) => `${(-1 + i / 20).toFixed(3)};${(i % 7) / 7}`).join('\n') + '\n';
  await redrawAfter(page, () => page.setInputFiles('#data-file', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }));
  assert.equal(points(page).length, 40);
  assert.equal(await page.$$eval('#data-errors li', (ls) => ls.length), 0);
  assert.match(await page.textContent('#dd-caption'), /p = n = 30/);

  // More than the page takes: the first 1000 are used and the rest named.
  const many = Array.from({ length: 1004 }, (_, i) => `${(-1 + i / 502).toFixed(4)},${(i % 11) / 11}`).join('\n');
  await page.fill('#data-text', many);
  await redrawAfter(page, () => page.click('#data-apply'));
  assert.equal(points(page).length, 1000);
  assert.match(await page.textContent('#data-errors'), /line 1001: too many points: at most 1000 are used, so the 4 lines from line 1001 to 1004 were not read/);

  // Back to generated data keeps every other setting.
  await redrawAfter(page, () => page.click('#data-generated'));
  assert.equal(new URLSearchParams(query(page)).get('points'), null);
  assert.equal(new URLSearchParams(query(page)).get('noise'), '0.2');
  assert.equal(await page.textContent('#ro-test-name'), 'test error');
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('an image uploaded as CSV is named in one line and kept out of the text box; a huge paste is read up to the limit', async () => {
  const { page, problems } = await open(context, server.url + '?trials=4', server.url);
  await drawn(page);
  // A PNG's first bytes, as a browser reads them as text.
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...Array.from({ length: 4000 }, (_, i) => (i * 37) % 256)]);
  await page.setInputFiles('#data-file', { name: 'photo.png', mimeType: 'image/png', buffer: png });
  await page.waitForFunction(() => document.querySelectorAll('#data-errors li').length > 0);
  const errors = await page.$$eval('#data-errors li', (ls) => ls.map((l) => l.textContent));
  assert.ok(errors.length <= 2 && errors.some((e) => /this is not a text file/.test(e)), JSON.stringify(errors));
  assert.equal(await page.inputValue('#data-text'), '', 'the binary went into the text box');
  // 100,000 lines: the first 1000 points are used, the rest is one line.
  const many = Array.from({ length: 100_000 }, (_, i) => `${((i % 2000) / 1000 - 1).toFixed(3)},${i % 7}`).join('\n');
  // As a paste puts it there (Playwright's fill types into the box and takes minutes for this).
  await page.evaluate((t) => { document.getElementById('data-text').value = t; }, many);
  await redrawAfter(page, () => page.click('#data-apply'));
  assert.equal(points(page).length, 1000);
  const lines = await page.$$eval('#data-errors li', (ls) => ls.map((l) => l.textContent));
  assert.equal(lines.length, 2, JSON.stringify(lines.slice(0, 3)));
  assert.match(lines[1], /line 1001: too many points: at most 1000 are used, so the 99000 lines from line 1001 to 100000 were not read/);
  assert.deepEqual(problems.pageErrors, []);
  await page.close();
});
