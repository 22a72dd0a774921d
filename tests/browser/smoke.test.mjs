// The built app loads in real headless Chromium and computes the default scene.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, shot } from './harness.mjs';

let server, context;
before(async () => { server = await serve(); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

test('the page loads the wasm and shows the default sweep', async () => {
  const { page, problems } = await open(context, server.url, server.url);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent.startsWith('ddviz:'), null, { timeout: 20000 });
  const text = await page.textContent('#status');
  assert.match(text, /600 sizes × 20 trials/);
  await shot(page, 'smoke.png');
  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
});
