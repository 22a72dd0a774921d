// Not a test: the default scene's first visit in each engine, through WebDriver (webdriver.mjs),
// with the wasm downloads that reached the server.
//
//   node tests/browser/engines-probe.mjs [RUNS [DIR...]]    (default: 7 runs of dist/)
//   DDVIZ_ENGINES=webkit,firefox node tests/browser/engines-probe.mjs 5 OLD NEW
//
// Each run starts every engine afresh (a new profile, an empty cache), lets it sit on
// about:blank for a second (a first visit in a browser already running, as in app.test.mjs) and
// loads the default scene; with several DIRs, the builds alternate within each run. Prints, per
// engine and build, the median and range of "drawn" (data-drawn-at: ms after navigation until
// the first full draw, the sweep done), the medians of "wasm started" (data-started-at: the
// wasm downloaded, compiled and running), the first worker ready and the sweep, and the wasm
// downloads per load.
import { serve, dist } from './harness.mjs';
import { start, ENGINES } from './webdriver.mjs';

const runs = Number(process.argv[2] ?? 7);
const dirs = process.argv.length > 3 ? process.argv.slice(3) : [dist];
const engines = (process.env.DDVIZ_ENGINES ?? Object.keys(ENGINES).join(',')).split(',').filter(Boolean);
let requests = [];
const servers = await Promise.all(dirs.map((d) => serve(d, { onRequest: (p) => requests.push(p) })));
const results = {};
for (let run = 0; run < runs; run++) {
  for (const engine of engines) {
    // The builds alternate, in the reverse order on every other run (A B B A …): the engine
    // closed just before a load still takes some of the machine.
    const order = dirs.map((_, i) => i);
    if (run % 2) order.reverse();
    for (const i of order) {
      const s = await start(engine);
      try {
        await s.navigate('about:blank');
        await new Promise((ok) => setTimeout(ok, 1000));
        requests = [];
        await s.navigate(servers[i].url);
        const d = await s.until(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done' && { ...document.body.dataset }, 'the default scene');
        const key = `${engine} ${dirs[i]}`;
        const r = (results[key] ??= { version: s.version, drawn: [], started: [], worker: [], sweep: [], wasm: [] });
        r.drawn.push(Number(d.drawnAt));
        r.started.push(Number(d.startedAt));
        r.worker.push(Number(d.workerReadyAt));
        r.sweep.push(Number(d.sweepMs));
        results[key].wasm.push(requests.filter((p) => p.endsWith('.wasm')).length);
      } finally {
        await s.close();
      }
    }
  }
}
for (const srv of servers) await srv.close();
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
for (const [key, r] of Object.entries(results)) {
  console.log(`${key} (${r.version}): drawn median ${median(r.drawn).toFixed(0)} ms, range ${Math.min(...r.drawn).toFixed(0)}–${Math.max(...r.drawn).toFixed(0)} ms (${r.drawn.length} runs); medians: wasm started ${median(r.started).toFixed(0)} ms, first worker ready ${median(r.worker).toFixed(0)} ms, sweep ${median(r.sweep).toFixed(0)} ms; wasm downloads per load: ${[...new Set(r.wasm)].join(', ')}`);
}
