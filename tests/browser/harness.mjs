// Shared set-up of the browser tests: serve dist/ on 127.0.0.1 and drive the system Chromium.
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const root = new URL('../../', import.meta.url).pathname;
export const dist = join(root, 'dist');
export const artifacts = join(root, 'tests', 'artifacts');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/**
 * Serves `dir` on a free port of 127.0.0.1; resolves to { url, close }. Options:
 * `onRequest(path)` hears every request's path; `pages` maps more paths to HTML of their own (a
 * page that embeds the app, say); `headScript` is the text of a script put first in every HTML
 * page's <head>, before anything of the page's own runs (what Playwright's addInitScript does,
 * for tests whose driver has no such thing).
 */
export async function serve(dir = dist, { onRequest, pages = {}, headScript } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    onRequest?.(path);
    const file = normalize(join(dir, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    let body;
    try {
      body = Object.hasOwn(pages, path) ? Buffer.from(pages[path]) : await readFile(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const type = Object.hasOwn(pages, path) ? types['.html'] : types[extname(file)] ?? 'application/octet-stream';
    if (headScript && type === types['.html']) {
      const html = body.toString('utf8');
      const at = html.indexOf('<head>');
      if (at < 0) { res.writeHead(500).end(`${path} has no <head> to put the test's script in`); return; }
      body = html.slice(0, at + 6) + `<script>${headScript}</script>` + html.slice(at + 6);
    }
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  // Closing also drops the connections a closed page's workers left open (else close() waits
  // for them to time out: over a minute for the single-file build's).
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); }) };
}

// For drivers without a console log (W3C WebDriver: engines.test.mjs), serve()'s `headScript`
// puts this first in every page's <head>, as Playwright's addInitScript would: it records uncaught errors
// (and resources that failed to load), unhandled promise rejections and console.error calls into
// window.__ddvizErrors, and otherwise leaves the page alone (console.error still logs).
export const errorRecorder = `(function () {
  var seen = window.__ddvizErrors = [];
  function text(x) { try { return x && x.stack ? String(x.stack) : String(x); } catch (e) { return '?'; } }
  addEventListener('error', function (e) {
    var t = e.target;
    seen.push(t && t !== window && (t.src || t.href) ? 'failed to load ' + (t.src || t.href) : 'error: ' + (e.message || text(e.error)));
  }, true);
  addEventListener('unhandledrejection', function (e) { seen.push('unhandled rejection: ' + text(e.reason)); });
  var original = console.error;
  console.error = function () { seen.push('console.error: ' + [].map.call(arguments, text).join(' ')); return original.apply(console, arguments); };
})();`;

// Profiles of browsers still open, removed when the process exits (a failed test may skip `close`).
const profiles = new Set();
process.on('exit', () => {
  for (const p of profiles) {
    try { rmSync(p, { recursive: true, force: true, maxRetries: 3 }); } catch { /* the browser may still hold it */ }
  }
});

/**
 * Launches headless Chromium with a fresh profile and the flags this machine needs (plus
 * `options`, e.g. `hasTouch`). Closing the context removes the profile (its path is `context.profile`).
 */
export async function launch(options = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'ddviz-chromium-'));
  profiles.add(profile);
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
  const close = context.close.bind(context);
  context.close = async (...args) => {
    try {
      await close(...args);
    } finally {
      await rm(profile, { recursive: true, force: true });
      profiles.delete(profile);
    }
  };
  context.profile = profile;
  return context;
}

/**
 * Opens `url` in a new page that records console errors, page errors and every request that
 * leaves `origin`.
 */
export async function open(context, url, origin) {
  const page = await context.newPage();
  const problems = { console: [], pageErrors: [], foreign: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  // blob: URLs of this origin are the workers' scripts, made in the page: no network.
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:' + origin)) problems.foreign.push(u); });
  await page.goto(url);
  return { page, problems };
}

/** Share of a canvas's pixels (`sel`) that are not white: a blank canvas has none. */
export function inked(page, sel) {
  return page.$eval(sel, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 600) ink++;
    return ink / (d.length / 4);
  });
}

/** The text of the file a click on `sel` downloads. */
export async function downloaded(page, sel) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
  const chunks = [];
  for await (const c of await dl.createReadStream()) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Saves a screenshot under tests/artifacts/. */
export async function shot(target, name) {
  await mkdir(artifacts, { recursive: true });
  const path = join(artifacts, name);
  await target.screenshot({ path });
  return path;
}

/**
 * Writes a reveal.js deck into `dir` (as `file`, with reveal.js 6 as pinned in package.json and
 * its `theme`, e.g. 'black' or 'white'): one slide (a <section>) for each HTML string of
 * `slides`, reveal.js started with no options, then `script` (the deck's own code).
 */
export function writeDeck(dir, theme, slides, { script = '', file = 'index.html' } = {}) {
  const reveal = new URL('./node_modules/reveal.js/dist/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  for (const f of ['reveal.js', 'reveal.css']) copyFileSync(join(reveal, f), join(dir, f));
  copyFileSync(join(reveal, 'theme', `${theme}.css`), join(dir, `${theme}.css`));
  writeFileSync(join(dir, file), `<!doctype html><html><head><meta charset="utf-8"><title>Double descent</title>
<link rel="stylesheet" href="reveal.css"><link rel="stylesheet" href="${theme}.css"></head><body>
<div class="reveal"><div class="slides">
${slides.map((s) => `  <section>${s}</section>`).join('\n')}
</div></div>
<script src="reveal.js"></script><script>Reveal.initialize();${script}</script></body></html>`);
}
