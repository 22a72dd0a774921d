// Not a test: the digits preset in the browser (node tests/browser/bench-digits.mjs [RUNS],
// after ./dev test has built dist/ and the release CLI). Each run opens the default scene in a
// fresh browser, then picks the preset "Double descent on handwritten digits" from the menu, and
// records when its first curve was drawn (the first redraw of the double-descent panel with
// part of the trials) and when all its trials were in, both from the pick; the second module
// and the digits are fetched after the pick, as on a first visit.
import { serve, launch } from './harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const server = await serve();
const first = [], all = [];
for (let run = 0; run < runs; run++) {
  const context = await launch();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    window.firstCurve = null;
    const canvas = document.getElementById('dd-canvas');
    new MutationObserver(() => { if (window.firstCurve === null && document.body.dataset.curvesMs && window.picked) window.firstCurve = performance.now(); }).observe(document.body, { attributes: true, attributeFilter: ['data-curves-ms'] });
    document.body.dataset.drawn = '0';
    document.body.removeAttribute('data-curves-ms');
    const sel = document.getElementById('preset');
    const opt = [...sel.options].find((o) => o.textContent === 'Double descent on handwritten digits');
    window.picked = performance.now();
    sel.value = opt.value;
    sel.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  const t = await page.evaluate(() => ({ first: window.firstCurve - window.picked, all: performance.now() - window.picked, sweep: Number(document.body.dataset.sweepMs) }));
  first.push(t.first);
  all.push(t.sweep);
  await context.close();
}
await server.close();
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const range = (v) => `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}`;
console.log(`digits preset: first curve ${median(first).toFixed(0)} ms (${range(first)}), all 10 trials (from the job's start) ${median(all).toFixed(0)} ms (${range(all)}), medians of ${runs} fresh browsers`);
