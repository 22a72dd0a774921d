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

// A wasm-bindgen module as a script body: drop its export list (the glue may be minified onto
// one line, scripts/shrink.mjs); it then defines the functions `names` in the scope it is
// evaluated in (shrink.mjs keeps those names).
const scriptBody = (js, names) => {
  const exportList = /export\s*\{[^}]*\};?/g;
  if ((js.match(exportList) || []).length !== 1) throw new Error('unexpected wasm-bindgen output: not one export list');
  const body = js.replace(exportList, '');
  for (const name of names) {
    if (!new RegExp(`function\\s+${name}\\b`).test(body)) throw new Error(`the bindings define no function ${name}`);
  }
  return body;
};
const body = scriptBody(js, ['__wbg_init']);

// The loader's own names live in a block, so none can clash with a top-level name of the
// minified bindings evaluated after it (terser's names are one or two letters).
const loader = `<script type="module">
{
  const wasmB64 = ${JSON.stringify(wasm)};
  const bindings = ${JSON.stringify(body)};
  window.ddvizBytes = Uint8Array.from(atob(wasmB64), (c) => c.charCodeAt(0));
  // Workers get the same bindings and bytes; without them the app computes on the page.
  const inbox = window.ddvizInbox = [];
  const workers = window.ddvizWorkers = [];
  window.ddvizOffline = true;
  // Chromium refuses module workers from a file:// page; elsewhere (a USB stick served by any
  // web server, or browsers that allow it) they run. Jobs the page sends while a worker's wasm
  // starts wait in self.ddvizQueue (src/web/worker.rs reads them).
  if (location.protocol !== 'file:') try {
    const src = 'self.ddvizQueue = [];\\nself.onmessage = (e) => self.ddvizQueue.push(e);\\n' + bindings + '\\nawait __wbg_init({ module_or_path: Uint8Array.from(atob(' + JSON.stringify(wasmB64) + '), (c) => c.charCodeAt(0)) });\\n';
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
}
${body}
await __wbg_init({ module_or_path: window.ddvizBytes });
delete window.ddvizBytes;
</script>`;
if (/<\/script/i.test(body)) throw new Error('the bindings contain a closing script tag');

// Replace Trunk's loader and its preload links, inline the CSS, and drop the page's own
// worker bootstrap (the loader above starts the workers).
html = html.replace(/<script type="module">[\s\S]*?<\/script>/, loader);
html = html.replace(/<link rel="modulepreload"[^>]*>/g, '').replace(/<link rel="preload"[^>]*>/g, '');
html = html.replace(/<link rel="stylesheet"[^>]*>/, `<style>\n${css}\n</style>`);
const workerBoot = /<script>(?:(?!<\/script>)[\s\S])*ddvizWorkers(?:(?!<\/script>)[\s\S])*<\/script>/;
if (!workerBoot.test(html)) throw new Error("index.html has no worker bootstrap script");
html = html.replace(workerBoot, '');
// The training panels' module, inlined too: the page's loader (www/index.html) imports its
// glue from a blob and hands it the bytes when a scene first shows a training panel.
const extraJs = readFileSync(pick(/^ddviz-extra-.*\.js$/), 'utf8');
const extraWasm = readFileSync(pick(/^ddviz-extra-.*_bg\.wasm$/)).toString('base64');
if (/<\/script/i.test(extraJs)) throw new Error('the training module contains a closing script tag');
html = html.replace('</head>', () => `<script>window.ddvizExtraSrc = { js: ${JSON.stringify(extraJs)}, wasm: function () { return Uint8Array.from(atob(${JSON.stringify(extraWasm)}), function (c) { return c.charCodeAt(0); }); } };</script></head>`);
// The handwritten digits (data/digits.bin), inlined: a digits scene hands them to the module.
const digits = readFileSync(join(dist, 'digits.bin')).toString('base64');
html = html.replace('</head>', () => `<script>window.ddvizDigitsSrc = function () { return Uint8Array.from(atob(${JSON.stringify(digits)}), function (c) { return c.charCodeAt(0); }); };</script></head>`);
if (/href="\.\/|src="\.\//.test(html)) throw new Error('a relative file reference is left in the single-file page');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'ddviz.html'), html);
console.error(`[single-file] wrote dist-offline/ddviz.html (${Math.round(html.length / 1024)} KB)`);

// The custom element for articles: one module with the element's own wasm (ddviz-figure: every
// chart, no app) inlined, so a page loads it once however many <ddviz-figure> elements it holds.
const figureJs = readFileSync(join(dist, 'ddviz-figure.js'), 'utf8');
const figureWasm = readFileSync(join(dist, 'ddviz-figure_bg.wasm')).toString('base64');
const element = `// ddviz-element.js — <ddviz-figure scene="noise=0.3&panels=fit,dd"></ddviz-figure>
${scriptBody(figureJs, ['__wbg_init', 'render_figure'])}
const ddvizReady = __wbg_init({ module_or_path: Uint8Array.from(atob(${JSON.stringify(figureWasm)}), (c) => c.charCodeAt(0)) });
class DdvizFigure extends HTMLElement {
  static get observedAttributes() { return ['scene']; }
  connectedCallback() {
    if (!this.style.display) this.style.display = 'block';
    // Printed whole: a page break goes before the figure, never between its charts and caption.
    if (!this.style.breakInside) this.style.breakInside = 'avoid';
    this.draw();
  }
  attributeChangedCallback() { if (this.isConnected) this.draw(); }
  async draw() {
    await ddvizReady;
    try { render_figure(this, this.getAttribute('scene') || ''); }
    catch (e) { this.textContent = 'ddviz: ' + (e && e.message ? e.message : e); this.setAttribute('data-error', '1'); }
  }
}
if (!customElements.get('ddviz-figure')) customElements.define('ddviz-figure', DdvizFigure);
`;
writeFileSync(join(dist, 'ddviz-element.js'), element);
writeFileSync(join(dist, 'figure-example.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ddviz figures in an article</title><link rel="icon" href="data:,">
<script type="module" src="ddviz-element.js"></script></head>
<body style="max-width:60rem;margin:2rem auto;font:16px/1.5 system-ui,sans-serif">
<h1>Double descent, in an article</h1>
<p>The textbook picture: test error against model size is a U.</p>
<ddviz-figure id="a" scene="panels=u&amp;trials=10"></ddviz-figure>
<p>Carry on past the interpolation threshold and the error comes down again.</p>
<ddviz-figure id="b" scene="panels=fit,dd&amp;trials=10&amp;size=600"></ddviz-figure>
<p>Training watched over time: near the threshold, stopping early does what ridge does.</p>
<ddviz-figure id="c" scene="size=30&amp;steps=100000000&amp;overlay=1&amp;trials=10&amp;panels=training"></ddviz-figure>
</body></html>
`);
console.error('[single-file] wrote dist/ddviz-element.js and dist/figure-example.html');
