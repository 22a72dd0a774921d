// The README's picture: the built app (dist/) on its default scene (or the scene given as the
// first argument, a query string), 1280×900 at one device pixel per CSS pixel, light colours and
// reduced motion, saved as docs/screenshot.png once the sweep is drawn. `./dev screenshot` builds
// dist/ and runs this; it serves dist/ and drives Debian's Chromium with the browser tests'
// harness (tests/browser/harness.mjs, playwright-core from tests/browser/node_modules).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'docs', 'screenshot.png');
const query = process.argv[2] ?? '';
if (!existsSync(join(root, 'dist', 'index.html'))) {
  console.error('[screenshot] no dist/: run ./dev screenshot (it builds the app first)');
  process.exit(1);
}
if (!existsSync(join(root, 'tests', 'browser', 'node_modules', 'playwright-core'))) {
  console.error('[screenshot] playwright-core is missing: run ./dev screenshot (it installs it)');
  process.exit(1);
}
const { serve, launch } = await import('../tests/browser/harness.mjs');
const server = await serve();
const context = await launch({ deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
try {
  const page = await context.newPage();
  await page.goto(server.url + (query ? '?' + query : ''));
  await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  // Two frames more: the cursors and readout follow the drawn curves.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.screenshot({ path: out });
  console.log(`[screenshot] wrote docs/screenshot.png (${server.url})`);
} finally {
  await context.close();
  await server.close();
}
