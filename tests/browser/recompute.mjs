// Not a test: compares the recompute time of several builds of dist/ (single runs on a shared
// 2-core machine swing by a third). `node tests/browser/recompute.mjs RUNS DIR...`: each build's
// page is open in one browser; in rotating order, each page in turn is brought to the front (a
// page in the background is scheduled differently) and draws the reference scene anew ("New
// draw": the same work, a new seed). Prints each build's median sweep time (ALL=1: every
// value; Q=… another scene, Q= the default scene).
import { serve, launch } from './harness.mjs';
const runs = Number(process.argv[2] || 10);
const dirs = process.argv.slice(3);
const ref = process.env.Q ?? 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
const servers = await Promise.all(dirs.map((d) => serve(d)));
const context = await launch();
const pages = await Promise.all(dirs.map(() => context.newPage()));
const done = (p) => p.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });
for (let k = 0; k < dirs.length; k++) { await pages[k].goto(servers[k].url + '?' + ref); await done(pages[k]); }
const res = dirs.map(() => []);
for (let i = 0; i < runs; i++) for (let j = 0; j < dirs.length; j++) {
  const k = (i + j) % dirs.length, page = pages[k];
  await page.bringToFront();
  await page.evaluate(() => { document.body.dataset.drawn = '0'; });
  await page.click('#newdraw');
  await done(page);
  res[k].push(+(await page.evaluate(() => document.body.dataset.sweepMs)));
}
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
dirs.forEach((d, k) => console.log(d, 'recompute median', med(res[k]), process.env.ALL ? [...res[k]].sort((a, b) => a - b).join(' ') : ''));
await context.close();
await Promise.all(servers.map((s) => s.close()));
