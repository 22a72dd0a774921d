// Not a test: prints where the time of a cold first load goes (node tests/browser/probe.mjs).
import { serve, launch } from './harness.mjs';
const server = await serve();
for (let run = 0; run < 8; run++) {
  const context = await launch();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.drawn === '1', null, { timeout: 60000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((r) => [r.name.split('/').pop().slice(0, 24), Math.round(r.startTime), Math.round(r.responseEnd)]);
    return { dcl: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd), res, data: { ...document.body.dataset } };
  });
  console.log(JSON.stringify(t));
  await context.close();
}
await server.close();
