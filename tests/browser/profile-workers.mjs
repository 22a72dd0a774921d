// Not a test: CPU profile of the page's workers over N recomputes ("New draw") of the reference
// scene; prints the functions with the most self time (MAIN=1: the page's own thread instead).
// `node tests/browser/profile-workers.mjs DIR [N]`. The release wasm is stripped, so its
// functions show as numbers: for names, build the wasm with CARGO_PROFILE_WASM_RELEASE_STRIP=false
// (cargo build --profile wasm-release --target wasm32-unknown-unknown --bin ddviz-web), run
// wasm-bindgen --target web on it, and put its .js and _bg.wasm in a copy of dist/ under the
// names index.html loads (removing the integrity attributes).
import { serve } from './harness.mjs';
import { launchBare, until } from './cdp.mjs';
const dir = process.argv[2];
const n = Number(process.argv[3] || 10);
const ref = process.env.Q ?? 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
const server = await serve(dir);
const b = await launchBare();
const workers = [];
b.on('Target.attachedToTarget', (p) => { if (p.targetInfo.type === 'worker') workers.push(p.sessionId); });
const ready = "document.body && document.body.dataset.drawn === '1' && document.body.dataset.state === 'done'";
await b.page('Page.navigate', { url: server.url + '?' + ref });
await new Promise((ok) => setTimeout(ok, 300));
await until(b, ready);
await b.page('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
await new Promise((ok) => setTimeout(ok, 300));
console.log('workers', workers.length);
if (process.env.MAIN) { workers.length = 0; workers.push(b.sessionId); }
for (const s of workers) { await b.send('Profiler.enable', {}, s); await b.send('Profiler.setSamplingInterval', { interval: 100 }, s); await b.send('Profiler.start', {}, s); }
const ms = [];
for (let i = 0; i < n; i++) {
  await b.evaluate("document.body.dataset.state = 'x'; document.getElementById('newdraw').click()");
  await until(b, "document.body.dataset.state === 'done'");
  ms.push(Number(await b.evaluate('document.body.dataset.sweepMs')));
}
console.log('sweeps', ms.join(' '));
const self = new Map();
let total = 0;
for (const s of workers) {
  const { profile } = await b.send('Profiler.stop', {}, s);
  const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const nd = byId.get(id);
    const name = nd.callFrame.functionName || '(anon)';
    const d = dt[i + 1] ?? 0;
    self.set(name, (self.get(name) ?? 0) + d);
    total += d;
  });
}
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [name, us] of top) console.log((us / 1000).toFixed(1).padStart(8), (100 * us / total).toFixed(1).padStart(5) + '%', name.slice(0, 110));
await b.close(); await server.close();
