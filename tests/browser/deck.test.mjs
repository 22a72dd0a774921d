// The figure in a real slide deck: reveal.js (pinned in package.json) on its own origin, with
// the README's iframes on two slides, driven by keys as a lecturer's clicker drives it; and a
// deck that drives its figure by postMessage. Printing the deck: print.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serve, launch, artifacts, writeDeck } from './harness.mjs';

let server, deckServer, context;
const poll = { polling: 100, timeout: 60000 };

before(async () => {
  // DDVIZ_DIST: another build to try the deck with (the test's teeth: an older build fails it).
  server = await serve(process.env.DDVIZ_DIST || undefined);
  // The README's snippets, as a lecturer pastes them; reveal.js with no options.
  const dir = join(artifacts, 'deck');
  writeDeck(dir, 'black', [
    '<h2>Double descent</h2>',
    `<iframe id="fig" src="${server.url}?embed=1&panels=fit,dd&controls=n,noise" title="Double descent, computed live" style="width:100%;max-width:960px;height:560px;border:0"></iframe>`,
    `<iframe id="tour" src="${server.url}?embed=1&tour=intro" title="The tour" style="width:100%;height:600px;border:0"></iframe>`,
  ]);
  // A deck that drives its figure, with docs/embedding.md's fragment snippet: each fragment
  // selects a size; the deck records what the figure posts back.
  writeDeck(dir, 'black', [
    `<h2>Double descent</h2>
  <iframe id="fig" data-src="${server.url}?embed=1&panels=dd&theme=projector&controls=noise" data-preload
          title="Double descent" style="width:100%;height:600px;border:0"></iframe>
  <span class="fragment" data-size="12"></span><span class="fragment" data-size="60"></span>`,
    '<h2>The end</h2>',
  ], {
    file: 'driven.html',
    script: `
window.got = [];
addEventListener('message', (e) => { if (e.data && typeof e.data === 'object' && /^ddviz:/.test(e.data.type)) got.push(e.data); });
Reveal.on('fragmentshown', (e) => {
  const frame = Reveal.getCurrentSlide().querySelector('iframe');
  if (frame && e.fragment.dataset.size) {
    frame.contentWindow.postMessage({ type: 'ddviz:size', size: Number(e.fragment.dataset.size) }, '*');
  }
});`,
  });
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

test('a reveal.js deck drives its figure by every postMessage kind, and the figure answers each', async () => {
  const deck = await context.newPage();
  try {
    await deck.setViewportSize({ width: 1280, height: 800 });
    await deck.goto(deckServer.url + 'driven.html');
    await deck.waitForFunction(() => window.Reveal && Reveal.isReady(), null, poll);
    const fig = await (await deck.$('#fig')).contentFrame();
    await fig.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, poll);
    const got = (type) => deck.evaluate((t) => window.got.filter((m) => m.type === t), type);
    const answer = async (n) => {
      await deck.waitForFunction((k) => window.got.filter((m) => m.type === 'ddviz:state').length >= k, n, poll);
      return (await got('ddviz:state'))[n - 1];
    };
    const shown = () => fig.evaluate(() => document.getElementById('ro-x').textContent);
    // ddviz:height: the height the figure needs, its chart at 4:3 — more than this slide's frame,
    // which shows the whole figure all the same (its chart lowered to fit), with no inner scroll.
    await deck.waitForFunction(() => window.got.some((m) => m.type === 'ddviz:height'), null, poll);
    const [height] = (await got('ddviz:height')).slice(-1);
    assert.ok(height.height > 600, `ddviz:height ${height.height}: the figure's own height, not the frame's`);
    await fig.waitForFunction(() => document.documentElement.scrollHeight <= innerHeight, null, poll);
    assert.ok(await fig.evaluate(() => document.getElementById('dd-canvas').getBoundingClientRect().bottom <= innerHeight), 'the chart ends below the frame');
    // ddviz:size, sent on each fragment: the deck's key, and the same key pressed inside the figure.
    await deck.keyboard.press('ArrowRight');
    let a = await answer(1);
    assert.equal(a.size, 12);
    await fig.waitForFunction(() => document.getElementById('ro-x').textContent === '12', null, poll);
    await fig.click('#readout');
    await deck.keyboard.press('ArrowRight');
    a = await answer(2);
    assert.equal(String(a.size), await shown(), 'the answer names the size shown');
    assert.ok(Math.abs(a.size - 60) <= 6, `size ${a.size}: not the nearest to 60`);
    assert.deepEqual((await got('ddviz:key')).map((m) => m.key), ['ArrowRight'], 'the key pressed in the figure went to the deck');
    // ddviz:scene: changes what it names, keeps the figure's embed mode, panel, control and theme.
    await deck.evaluate(() => document.getElementById('fig').contentWindow.postMessage({ type: 'ddviz:scene', scene: 'noise=0.3' }, '*'));
    a = await answer(3);
    assert.match(a.scene, /noise=0\.3/);
    await fig.waitForFunction(() => /noise=0\.3/.test(location.search), null, poll);
    const look = await fig.evaluate(() => [document.body.classList.contains('embed'), document.body.dataset.theme, new URL(location.href).searchParams.get('panels')]);
    assert.deepEqual(look, [true, 'projector', 'dd']);
    // ddviz:step: the tour's step, answered with the size it settles at.
    await deck.evaluate(() => document.getElementById('fig').contentWindow.postMessage({ type: 'ddviz:step', step: 3 }, '*'));
    a = await answer(4);
    assert.match(a.scene, /tour=intro/);
    assert.match(a.scene, /step=3/);
    await fig.waitForFunction((s) => document.getElementById('ro-x').textContent === String(s), a.size, poll);
    assert.equal(await fig.evaluate(() => document.body.classList.contains('embed')), true);
  } finally {
    await deck.close();
  }
});
