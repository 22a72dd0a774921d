// Not a test: the comparison benchmark of docs/performance.md. In the built app (dist/), with
// its workers up, the default scene's sweep and a comparison of 4 noise values of it are
// computed in turn, RUNS times (alternating, in one page, as a user switches them with the
// compare field); prints the medians and ranges of: one sweep, the comparison's first curve
// (body data-first-curve-ms), and all four curves (data-sweep-ms), each from the job's start.
// `node tests/browser/bench-compare.mjs [RUNS]` (default 9) after `./dev test` or a build.
import { serve, launch } from './harness.mjs';

const runs = Number(process.argv[2] ?? 9);
const compare = 'noise:0,0.05,0.1,0.3';
const server = await serve();
const context = await launch();
const page = await context.newPage();
await page.goto(server.url);
const drawn = () => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 120000 });
await drawn();
/** Commits `text` in the compare field and waits for the sweep; returns the body's timings. */
async function sweep(text) {
  await page.evaluate(() => { document.body.dataset.drawn = '0'; delete document.body.dataset.firstCurveMs; });
  await page.fill('#ctl-compare', text);
  await page.press('#ctl-compare', 'Enter');
  await drawn();
  // Two frames: the last curves are drawn.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  return page.evaluate(() => ({ sweep: Number(document.body.dataset.sweepMs), first: Number(document.body.dataset.firstCurveMs) }));
}
const one = [], first = [], all = [];
for (let r = 0; r < runs; r++) {
  const c = await sweep(compare);
  first.push(c.first);
  all.push(c.sweep);
  one.push((await sweep('')).sweep);
}
const stat = (v, unit = ' ms', digits = 0) => {
  const s = [...v].sort((a, b) => a - b);
  const f = (x) => x.toFixed(digits);
  return `median ${f(s[Math.floor(s.length / 2)])}${unit} (${f(s[0])}–${f(s[s.length - 1])})`;
};
console.log(`default scene, one sweep:             ${stat(one)}`);
console.log(`compare=${compare}, first curve: ${stat(first)}`);
console.log(`compare=${compare}, all 4 curves: ${stat(all)}`);
const ratio = all.map((a, i) => a / one[i]);
console.log(`all 4 curves / one sweep (same run):  ${stat(ratio, '×', 2)}`);
console.log(`first curve / one sweep (same run):   ${stat(first.map((f, i) => f / one[i]), '×', 2)}`);
await context.close();
await server.close();
