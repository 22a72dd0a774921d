// Not a test: measures where the time of a first load goes (node tests/browser/probe.mjs
// [RUNS [DIR]], after ./dev test has built dist/; DIR: another build than dist/). Each run
// launches a fresh browser profile (empty cache) and loads the default scene: "launch" right
// after the browser starts, "settled" after the browser has sat on about:blank for a second (a
// first visit in a browser already running).
import { serve, launch } from './harness.mjs';

const runs = Number(process.argv[2] ?? 8);
const server = await serve(process.argv[3]);
const results = { launch: [], settled: [] };
for (let run = 0; run < runs; run++) {
  for (const mode of ['launch', 'settled']) {
    const context = await launch();
    const page = await context.newPage();
    if (mode === 'settled') {
      await page.goto('about:blank');
      await page.waitForTimeout(1000);
    }
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
    const d = await page.evaluate(() => ({ ...document.body.dataset }));
    results[mode].push({ started: Number(d.startedAt), workers: Number(d.workerReadyAt), sweep: Number(d.sweepMs), drawn: Number(d.drawnAt) });
    await context.close();
  }
}
await server.close();
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const [mode, rs] of Object.entries(results)) {
  const drawn = rs.map((r) => r.drawn);
  console.log(`${mode}: drawn median ${median(drawn)} ms, range ${Math.min(...drawn)}–${Math.max(...drawn)} ms; wasm started ${median(rs.map((r) => r.started))} ms, first worker ready ${median(rs.map((r) => r.workers).filter(Number.isFinite))} ms, sweep ${median(rs.map((r) => r.sweep))} ms (medians of ${rs.length})`);
}
