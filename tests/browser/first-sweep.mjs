// Not a test: compares the reference scene's first sweep on a freshly reloaded page in several
// builds of dist/ (single runs on a shared 2-core machine swing by a third), as the reference
// test measures it. `node tests/browser/first-sweep.mjs RUNS DIR...`: each build's page is open in
// one browser; in rotating order, each page in turn is brought to the front (a page in the
// background is scheduled differently) and reloaded, and the CLI runs the same sweep after each
// reload. Prints each build's median sweep and drawn-at times and the CLI's median (ALL=1: every
// value). Q=QUERY measures another scene (Q= the default scene).
import { execFileSync } from 'node:child_process';
import { serve, launch } from './harness.mjs';
const runs = Number(process.argv[2] || 8);
const dirs = process.argv.slice(3);
const ref = process.env.Q ?? 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
const servers = await Promise.all(dirs.map((d) => serve(d)));
const context = await launch();
const pages = await Promise.all(dirs.map(() => context.newPage()));
const done = (p) => p.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });
for (let k = 0; k < dirs.length; k++) { await pages[k].goto(servers[k].url + '?' + ref); await done(pages[k]); }
const res = dirs.map(() => ({ sweep: [], drawn: [] }));
const cli = [];
for (let i = 0; i < runs; i++) {
  for (let j = 0; j < dirs.length; j++) {
    const k = (i + j) % dirs.length;
    await pages[k].bringToFront();
    await pages[k].reload();
    await done(pages[k]);
    const d = await pages[k].evaluate(() => ({ ...document.body.dataset }));
    res[k].sweep.push(Number(d.sweepMs));
    res[k].drawn.push(Number(d.drawnAt));
    const t0 = process.hrtime.bigint();
    execFileSync(bin, ['sweep', '--scene', ref], { stdio: 'ignore' });
    cli.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const all = (v) => (process.env.ALL ? '  [' + [...v].sort((a, b) => a - b).join(' ') + ']' : '');
dirs.forEach((d, k) => console.log(d, 'first sweep', median(res[k].sweep), 'drawn at', median(res[k].drawn), all(res[k].sweep)));
console.log('CLI', median(cli).toFixed(1), all(cli.map((x) => Math.round(x))));
await context.close();
await Promise.all(servers.map((s) => s.close()));
