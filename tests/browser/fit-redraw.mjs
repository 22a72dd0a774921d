// Not a test: the fit panel's redraw time across the reference scene's sizes (set from the size
// slider, as the browser test does), for several builds in rotation:
// `node tests/browser/fit-redraw.mjs RUNS DIR...` prints each build's median and 90th percentile.
import { serve, launch } from './harness.mjs';

const runs = Number(process.argv[2] ?? 3);
const dirs = process.argv.slice(3);
const q = 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
const sizes = [1, 5, 12, 25, 50, 75, 99, 100, 101, 125, 150, 200, 250, 300, 350, 400];
const servers = await Promise.all(dirs.map((d) => serve(d)));
const context = await launch();
const all = dirs.map(() => []);
for (let run = 0; run < runs; run++) {
  for (let j = 0; j < dirs.length; j++) {
    const k = (j + run) % dirs.length;
    const page = await context.newPage();
    await page.goto(servers[k].url + '?' + q);
    await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
    for (const size of sizes) {
      await page.evaluate((v) => {
        document.body.dataset.fitMs = '';
        const e = document.getElementById('ctl-size');
        e.value = String(v);
        e.dispatchEvent(new Event('input', { bubbles: true }));
      }, size);
      await page.waitForFunction(() => document.body.dataset.fitMs !== '');
      all[k].push(Number(await page.evaluate(() => document.body.dataset.fitMs)));
    }
    await page.close();
  }
}
const q50 = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const q90 = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)];
dirs.forEach((d, i) => console.log(`${d}: fit redraw median ${q50(all[i]).toFixed(1)} ms, 90th percentile ${q90(all[i]).toFixed(1)} ms (${all[i].length} redraws)`));
await context.close();
await Promise.all(servers.map((s) => s.close()));
