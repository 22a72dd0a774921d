// Writes docs/screenshot.png, the README's picture: the built page (dist/, from `trunk build`)
// on its default scene at 1280×900 CSS pixels, device scale 1, the viewport only, once the
// sweep is drawn. Run after a build (`./dev screenshot` builds first):
//
//   node scripts/screenshot.mjs [QUERY]
//
// QUERY (optional) is a scene string, e.g. "noise=0.3"; without it, the default scene.
// It serves dist/ on 127.0.0.1 with a small static server, as tests/browser/harness.mjs does, and
// drives Debian's Chromium (/usr/bin/chromium) with playwright-core from tests/browser/node_modules
// (./dev installs both for the browser tests).
import { createServer } from 'node:http';
import { readFile, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const out = join(root, 'docs', 'screenshot.png');
const query = process.argv[2] ?? '';

// playwright-core lives with the browser tests' packages, not with the build tools.
const require = createRequire(join(root, 'tests', 'browser', 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  console.error('[screenshot] playwright-core is not installed: run ./dev test once, or (cd tests/browser && npm ci)');
  process.exit(1);
}

try {
  await stat(join(dist, 'index.html'));
} catch {
  console.error('[screenshot] dist/index.html is missing: build the page first (trunk build, or ./dev screenshot)');
  process.exit(1);
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = normalize(join(dist, path.endsWith('/') ? path + 'index.html' : path));
  if (file !== dist && !file.startsWith(dist + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/${query ? '?' + query : ''}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
let failed = false;
try {
  // Light colours whatever the machine's setting (theme=auto follows it), and no motion.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[screenshot] page error: ${e}`));
  await page.goto(url);
  // The page sets data-drawn="1" on <body> once the sweep is drawn (and data-state="done").
  await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  // Let the fit panel and the readout catch up: two frames.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await mkdir(join(root, 'docs'), { recursive: true });
  await page.screenshot({ path: out, fullPage: false });
  console.error(`[screenshot] wrote docs/screenshot.png (${url})`);
} catch (e) {
  console.error(`[screenshot] ${e && e.message ? e.message : e}`);
  failed = true;
} finally {
  await browser.close();
  server.closeAllConnections?.();
  await new Promise((ok) => server.close(ok));
}
process.exit(failed ? 1 : 0);
