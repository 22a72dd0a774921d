// Not a test: the training benchmark of docs/performance.md. In the built app (dist/), the
// default scene with the training and map panels (panels=fit,dd,training,map): how long the
// training panel takes to follow a size change (body data-training-ms: its 20 trials × 200
// steps computed, from the page's next frame), for sizes below, at and past the threshold, and
// how long the size × time map takes (data-map-first-ms: first rows drawn; data-map-ms: all),
// each from a fresh page, RUNS times; prints medians and ranges.
// `node tests/browser/bench-training.mjs [RUNS]` (default 5) after `./dev test` or a build.
import { serve, launch } from './harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const server = await serve();
const context = await launch();
const sizes = [10, 30, 100, 300, 600];
const follow = Object.fromEntries(sizes.map((p) => [p, []]));
const first = [], map = [];
for (let r = 0; r < runs; r++) {
  const page = await context.newPage();
  await page.goto(`${server.url}?panels=fit,dd,training,map`);
  await page.waitForFunction(() => document.body.dataset.map === 'done', null, { timeout: 300000 });
  first.push(Number(await page.evaluate(() => document.body.dataset.mapFirstMs)));
  map.push(Number(await page.evaluate(() => document.body.dataset.mapMs)));
  for (const p of sizes) {
    await page.evaluate(() => { delete document.body.dataset.training; });
    await page.evaluate((p) => window.ddvizControl('size', String(p)), p);
    await page.waitForFunction(() => document.body.dataset.training === 'drawn', null, { timeout: 60000 });
    follow[p].push(Number(await page.evaluate(() => document.body.dataset.trainingMs)));
  }
  await page.close();
}
const stat = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms (${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)})`;
};
for (const p of sizes) console.log(`training panel follows size ${String(p).padStart(3)}: ${stat(follow[p])}`);
console.log(`map, first rows drawn:          ${stat(first)}`);
console.log(`map, all sizes:                 ${stat(map)}`);
await context.close();
await server.close();
