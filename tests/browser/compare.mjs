// Not a test: compares several builds of dist/ in alternating runs (single runs on a shared
// 2-core machine swing by a third). `node tests/browser/compare.mjs RUNS DIR...`: for each run
// and build, in rotating order, a fresh browser profile that has sat on about:blank loads the
// default scene and the reference scene; prints the medians (with ALL=1 every value).
import { serve, launch } from './harness.mjs';
const runs = Number(process.argv[2]);
const dirs = process.argv.slice(3);
const ref = 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
const servers = await Promise.all(dirs.map((d) => serve(d)));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const res = dirs.map(() => ({ defDrawn: [], defStarted: [], refSweep: [], refDrawn: [] }));
for (let run = 0; run < runs; run++) {
  for (let j = 0; j < dirs.length; j++) {
    const k = (j + run) % dirs.length;
    for (const q of ['', ref]) {
      const context = await launch();
      const page = await context.newPage();
      await page.goto('about:blank');
      await page.waitForTimeout(800);
      await page.goto(servers[k].url + (q ? '?' + q : ''));
      await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
      const d = await page.evaluate(() => ({ ...document.body.dataset }));
      if (q) { res[k].refSweep.push(Number(d.sweepMs)); res[k].refDrawn.push(Number(d.drawnAt)); }
      else { res[k].defDrawn.push(Number(d.drawnAt)); res[k].defStarted.push(Number(d.startedAt)); }
      await context.close();
    }
  }
}
dirs.forEach((d, k) => {
  const r = res[k];
  console.log(d.padEnd(16), 'default drawn', median(r.defDrawn), 'started', median(r.defStarted), '| ref sweep', median(r.refSweep), 'drawn', median(r.refDrawn));
  if (process.env.ALL) console.log('   default drawn', [...r.defDrawn].sort((a, b) => a - b).join(' '), '\n   ref sweep', [...r.refSweep].sort((a, b) => a - b).join(' '));
});
await Promise.all(servers.map((s) => s.close()));
