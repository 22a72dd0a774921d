// The figure in a real slide deck: reveal.js (pinned in package.json) on its own origin, with
// the README's iframes on two slides, driven by keys as a lecturer's clicker drives it; a
// deck that drives its figure by postMessage; and an impress.js deck (pinned too) with
// docs/embedding.md's impress.js snippets, read from the doc. Printing the deck: print.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, artifacts, writeDeck } from './harness.mjs';

/** The ```html blocks of docs/embedding.md's section `heading`, as the doc has them. */
function docSnippets(heading) {
  const doc = readFileSync(new URL('../../docs/embedding.md', import.meta.url), 'utf8');
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `docs/embedding.md has no section "${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
}

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
  // An impress.js deck with the doc's step (the figure) between two others, and the doc's host
  // lines after impress().init(); transitions of 0 ms, to keep the test short.
  // DDVIZ_IMPRESS_NO_HOST_LINES=1 leaves the host lines out (the test's teeth: it must fail, on
  // the blackout keys; host lines that also sent keyup moved the deck two steps, and failed too).
  const [step, hostLines, ...more] = docSnippets('impress.js');
  assert.ok(step?.includes('class="step"') && hostLines?.includes('ddviz:key') && !more.length, 'the doc\'s impress.js snippets: a step, then the host lines');
  copyFileSync(new URL('./node_modules/impress.js/js/impress.js', import.meta.url), join(dir, 'impress.js'));
  writeFileSync(join(dir, 'impress.html'), `<!doctype html><html><head><meta charset="utf-8"><title>Double descent</title></head>
<body><div id="impress" data-transition-duration="0">
<div class="step" id="intro" data-x="0"><h1>Double descent</h1></div>
${step.replaceAll('https://YOUR-HOST/ddviz/', server.url)}
<div class="step" id="end" data-x="2400"><h1>The end</h1></div>
</div>
<script src="impress.js"></script><script>impress().init();</script>
${process.env.DDVIZ_IMPRESS_NO_HOST_LINES ? '' : hostLines}</body></html>`);
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
  for (let step = 2; step <= 11; step++) {
    await deck.keyboard.press('PageDown');
    await tour.waitForFunction((s) => new URL(location.href).searchParams.get('step') === String(s), step, poll);
  }
  await deck.keyboard.press('PageDown');
  assert.equal(await slide(), 2);
  assert.equal(await tour.evaluate(() => new URL(location.href).searchParams.get('step')), '11');
  await tour.click('#readout');
  for (let step = 10; step >= 1; step--) {
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

test("an impress.js deck with the doc's host lines: each key pressed in the figure moves it as on impress.js, a control keeps its keys", async () => {
  const deck = await context.newPage();
  const errors = [];
  deck.on('pageerror', (e) => errors.push(String(e)));
  try {
    await deck.setViewportSize({ width: 1280, height: 800 });
    await deck.goto(deckServer.url + 'impress.html');
    await deck.waitForFunction(() => document.body.classList.contains('impress-enabled') && document.querySelector('.step.active'), null, poll);
    // Every step left (one per move of the deck; a second move at once would leave none, but lands
    // on another step), every ddviz:key heard.
    await deck.evaluate(() => {
      window.left = 0;
      window.keys = [];
      document.addEventListener('impress:stepleave', () => { window.left++; });
      addEventListener('message', (e) => { if (e.data && e.data.type === 'ddviz:key') window.keys.push(e.data.key); });
    });
    const steps = await deck.evaluate(() => [...document.querySelectorAll('.step')].map((s) => s.id));
    const figStep = await deck.evaluate(() => document.querySelector('.step iframe').closest('.step').id);
    const at = steps.indexOf(figStep);
    assert.ok(at > 0 && at < steps.length - 1, 'the figure\'s step must have a step before and after it');
    const state = () => deck.evaluate(() => ({
      step: document.querySelector('.step.active').id, left: window.left, keys: window.keys.length,
      dark: getComputedStyle(document.querySelector('#impress > div')).display === 'none',
    }));
    const toFigure = async () => {
      await deck.evaluate((id) => impress().goto(id), figStep);
      // Entered (impress.js's stepenter: the step is 'present'), so that leaving it counts.
      await deck.waitForFunction((id) => document.querySelector('.step.present')?.id === id, figStep, poll);
    };
    await toFigure();
    const fig = await (await deck.$('.step.active iframe')).contentFrame();
    await fig.waitForFunction(() => document.body.dataset.drawn === '1', null, poll);
    // A key on a control stays in the figure: the slider moves, the deck stays.
    let before = await state();
    await fig.focus('#ctl-noise');
    await deck.keyboard.press('ArrowRight');
    await fig.waitForFunction(() => /noise=/.test(location.search), null, poll);
    await deck.waitForTimeout(200);
    assert.deepEqual(await state(), before, 'a key on the noise slider reached the deck');
    assert.equal(await fig.evaluate(() => document.hasFocus() && document.activeElement.id), 'ctl-noise', 'the slider lost focus');
    // Each key pressed in the figure, on no control: the deck moves exactly one step, or not at all.
    const cases = [
      ['ArrowRight', 1], ['ArrowDown', 1], ['Space', 1], ['PageDown', 1],
      ['ArrowLeft', -1], ['ArrowUp', -1], ['PageUp', -1], ['Shift+Space', 0], ['b', 'dark'], ['.', 'dark'],
    ];
    for (const [key, move] of cases) {
      await toFigure();
      before = await state();
      await fig.click('#readout');
      await deck.keyboard.press(key);
      await deck.waitForFunction((n) => window.keys.length > n, before.keys, { polling: 50, timeout: 5000 });
      const want = { step: figStep, left: before.left, keys: before.keys + 1, dark: move === 'dark' };
      if (typeof move === 'number' && move) Object.assign(want, { step: steps[at + move], left: before.left + 1 });
      // The deck moves on the key's release, which reaches it with the message (blacks out on the
      // message); a second move (a key taken twice) would come as fast.
      await deck.waitForTimeout(move === 0 ? 300 : 150);
      assert.deepEqual(await state(), want, `${key} pressed in the figure`);
      if (move === 'dark') {
        // The same key again: focus went back to the deck, so it has the key itself, and shows the steps.
        await deck.keyboard.press(key);
        await deck.waitForFunction(() => getComputedStyle(document.querySelector('#impress > div')).display !== 'none', null, { polling: 50, timeout: 5000 });
      }
    }
    assert.deepEqual(await deck.evaluate(() => window.keys), ['ArrowRight', 'ArrowDown', ' ', 'PageDown', 'ArrowLeft', 'ArrowUp', 'PageUp', 'Shift+ ', 'b', '.']);
    // impress.js 1.1.0's blackout plugin throws this at each toggle, after toggling (its own `util`
    // is shadowed by a later `var util`), a key pressed on the deck too; no other error.
    assert.deepEqual(errors.filter((e) => e !== "TypeError: Cannot read properties of null (reading 'triggerEvent')"), []);
    await deck.screenshot({ path: join(artifacts, 'deck-impress.png') });
  } finally {
    await deck.close();
  }
});
