// Builds dist-offline/ddviz.html: the whole app in one file (CSS, JavaScript and wasm inlined),
// for lecture halls without network — it opens from a USB stick with no server.
// Run after `trunk build` (./dev offline does both).
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const out = join(root, 'dist-offline');
const files = readdirSync(dist);
const pick = (re) => {
  const f = files.find((n) => re.test(n));
  if (!f) throw new Error(`dist/ has no file matching ${re}: run trunk build first`);
  return join(dist, f);
};
let html = readFileSync(join(dist, 'index.html'), 'utf8');
const css = readFileSync(pick(/^style-.*\.css$/), 'utf8');
const js = readFileSync(pick(/^ddviz-web-.*\.js$/), 'utf8');
const wasm = readFileSync(pick(/^ddviz-web-.*_bg\.wasm$/)).toString('base64');

// The wasm-bindgen module as a classic script body: drop its export line; it then defines
// __wbg_init in the scope it is evaluated in.
const body = js.replace(/^export \{[^}]*\};?\s*$/m, '');
if (body === js) throw new Error('unexpected wasm-bindgen output: no export line');

const loader = `<script type="module">
const wasmB64 = ${JSON.stringify(wasm)};
const bindings = ${JSON.stringify(body)};
const bytes = Uint8Array.from(atob(wasmB64), (c) => c.charCodeAt(0));
// Workers get the same bindings and bytes; without them the app computes on the page.
const inbox = window.ddvizInbox = [];
const workers = window.ddvizWorkers = [];
window.ddvizOffline = true;
// Chromium refuses module workers from a file:// page; elsewhere (a USB stick served by any web
// server, or browsers that allow it) they run.
if (location.protocol !== 'file:') try {
  const src = bindings + '\\nconst b = Uint8Array.from(atob(' + JSON.stringify(wasmB64) + '), (c) => c.charCodeAt(0));\\nawait __wbg_init({ module_or_path: b });\\n';
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const count = Math.max(1, Math.min(2, navigator.hardwareConcurrency || 2));
  for (let i = 0; i < count; i++) {
    const w = new Worker(url, { type: 'module' });
    w.onmessage = (e) => inbox.push(e);
    w.onerror = (e) => inbox.push(e);
    workers.push(w);
  }
} catch (e) {
  workers.length = 0;
}
${body}
await __wbg_init({ module_or_path: bytes });
</script>`;
if (/<\/script/i.test(body)) throw new Error('the bindings contain a closing script tag');

// Replace Trunk's loader and its preload links, inline the CSS, and drop the page's own
// worker bootstrap (the loader above starts the workers).
html = html.replace(/<script type="module">[\s\S]*?<\/script>/, loader);
html = html.replace(/<link rel="modulepreload"[^>]*>/g, '').replace(/<link rel="preload"[^>]*>/g, '');
html = html.replace(/<link rel="stylesheet"[^>]*>/, `<style>\n${css}\n</style>`);
html = html.replace(/<script>\s*\/\/ Start the sweep workers now[\s\S]*?<\/script>/, '');
if (/href="\.\/|src="\.\//.test(html)) throw new Error('a relative file reference is left in the single-file page');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'ddviz.html'), html);
console.error(`[single-file] wrote dist-offline/ddviz.html (${Math.round(html.length / 1024)} KB)`);
