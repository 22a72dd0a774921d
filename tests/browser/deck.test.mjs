// The figure in a real slide deck: reveal.js (pinned in package.json) on its own origin, with
// the README's iframes on two slides, driven by keys as a lecturer's clicker drives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, artifacts } from './harness.mjs';

let server, deckServer, context;
const reveal = new URL('./node_modules/reveal.js/dist/', import.meta.url).pathname;
const poll = { polling: 100, timeout: 60000 };

before(async () => {
  // DDVIZ_DIST: another build to try the deck with (the test's teeth: an older build fails it).
  server = await serve(process.env.DDVIZ_DIST || undefined);
  const dir = join(artifacts, 'deck');
  mkdirSync(dir, { recursive: true });
  for (const f of ['reveal.js', 'reveal.css']) copyFileSync(join(reveal, f), join(dir, f));
  copyFileSync(join(reveal, 'theme', 'black.css'), join(dir, 'black.css'));
  // The README's snippets, as a lecturer pastes them; reveal.js with no options.
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"><title>Double descent</title>
<link rel="stylesheet" href="reveal.css"><link rel="stylesheet" href="black.css"></head><body>
<div class="reveal"><div class="slides">
  <section><h2>Double descent</h2></section>
  <section><iframe id="fig" src="${server.url}?embed=1&panels=fit,dd&controls=n,noise" title="Double descent, computed live" style="width:100%;max-width:960px;height:560px;border:0"></iframe></section>
  <section><iframe id="tour" src="${server.url}?embed=1&tour=intro" title="The tour" style="width:100%;height:600px;border:0"></iframe></section>
</div></div>
<script src="reveal.js"></script><script>Reveal.initialize();</script></body></html>`);
  deckServer = await serve(dir);
  context = await launch();
});
after(async () => {
  await context?.close();
  await deckServer?.close();
  await server?.close();
});

test('a clicker moves a reveal.js deck through both figures and both ends of the tour', async () => {
  const deck = await context.newPage();
  await deck.setViewportSize({ width: 1280, height: 800 });
  await deck.goto(deckServer.url);
  await deck.waitForFunction(() => window.Reveal && Reveal.isReady(), null, poll);
  const slide = () => deck.evaluate(() => Reveal.getIndices().h);
  const frame = async (id) => (await deck.$(`#${id}`)).contentFrame();
  await deck.keyboard.press('ArrowRight');
  await deck.waitForFunction(() => Reveal.getIndices().h === 1, null, poll);
  const fig = await frame('fig');
  await fig.waitForFunction(() => document.body.dataset.drawn === '1', null, poll);
  // A key pressed inside the figure, on no control of it, moves the deck on.
  await fig.click('#readout');
  await deck.keyboard.press('ArrowRight');
  await deck.waitForFunction(() => Reveal.getIndices().h === 2, null, poll);
  const tour = await frame('tour');
  await tour.waitForFunction(() => document.body.dataset.drawn === '1', null, poll);
  assert.equal(await tour.evaluate(() => document.body.classList.contains('embed')), true, 'the tour lost embed mode');
  // Inside the tour, the clicker steps it; past its last step the deck has the key (the last
  // slide: the deck stays), and back past its first step the deck goes back a slide.
  await tour.click('#readout');
  for (let step = 2; step <= 8; step++) {
    await deck.keyboard.press('PageDown');
    await tour.waitForFunction((s) => new URL(location.href).searchParams.get('step') === String(s), step, poll);
  }
  await deck.keyboard.press('PageDown');
  assert.equal(await slide(), 2);
  assert.equal(await tour.evaluate(() => new URL(location.href).searchParams.get('step')), '8');
  await tour.click('#readout');
  for (let step = 7; step >= 1; step--) {
    await deck.keyboard.press('PageUp');
    await tour.waitForFunction((s) => (new URL(location.href).searchParams.get('step') ?? '1') === String(s), step, poll);
  }
  await deck.evaluate(() => { window.moved = new Promise((ok) => Reveal.on('slidetransitionend', ok)); });
  await deck.keyboard.press('PageUp');
  await deck.waitForFunction(() => Reveal.getIndices().h === 1, null, poll);
  assert.equal(await tour.evaluate(() => document.body.classList.contains('embed')), true);
  await deck.evaluate(() => window.moved);
  await deck.screenshot({ path: join(artifacts, 'deck-slide-2.png') });
  await deck.close();
});
