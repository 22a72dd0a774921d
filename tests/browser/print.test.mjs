// Printed figures, checked on the printed pages: a reveal.js deck printed with its ?print-pdf view
// in the white and the black theme, and an article with two <ddviz-figure> elements and an
// iframe. Each PDF is rasterized by poppler and every figure is found on its page by a word of
// its own (the readout's "p/n", the element's caption) and checked there by pixels: its charts
// drawn, its readout filled in and readable, all of it on one page. The deck and the article are
// on another site than the app (localhost against 127.0.0.1), so the frames are out-of-process
// as on the web, and the frames below the first screen never get an animation frame.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, artifacts, dist, writeDeck } from './harness.mjs';
import { readPdf, findWord, place, onPage, chartInk, textContrast, SCALE } from './pdf.mjs';

let server, context;
const app = process.env.DDVIZ_DIST || dist; // DDVIZ_DIST: another build to print (an older one fails)
const poll = { polling: 100, timeout: 60000 };
const other = (url) => url.replace('127.0.0.1', 'localhost'); // another site than the app's

before(async () => {
  server = await serve(app);
  context = await launch();
});
after(async () => {
  await context?.close();
  await server?.close();
});

/** Waits (a bounded while) for the figure in `frame` to finish its sweep; printing follows
 * either way, as a reader's print would: the printed pages decide. */
async function settle(frame) {
  // Done, loaded, and its readout filled: a frame that reveal.js reloads into its printed page
  // is caught in its new document, not taken for done by its old one.
  const ready = () => document.readyState === 'complete' && document.body?.dataset.state === 'done' && (document.getElementById('ro-x')?.textContent ?? 'x') !== '–';
  await frame.waitForFunction(ready, null, { polling: 100, timeout: 30000 }).catch(() => {});
}

/** `frame`'s parts measured (`measure`) once they stop moving: two measurements 150 ms apart
 * agree (after a change of media the page lays out and redraws again; a frame out of sight
 * gets no animation frames to wait for). */
async function measureSettled(frame, args) {
  let last = null;
  for (let i = 0; i < 20; i++) {
    await settle(frame);
    const now = await frame.evaluate(measure, args);
    if (last !== null && JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
  return last;
}

/** In the page or frame: the rectangles (CSS px) of `parts` (selectors) relative to the first
 * occurrence of `word` in the text under `within`, and the text of `#ro-x` if there is one. */
function measure({ within, word, parts }) {
  const root = document.querySelector(within);
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walk.nextNode()) && !node.data.includes(word));
  if (!node) return null;
  const range = document.createRange();
  const i = node.data.indexOf(word);
  range.setStart(node, i);
  range.setEnd(node, i + word.length);
  const a = range.getBoundingClientRect();
  const rects = {};
  for (const [key, sel] of Object.entries(parts)) {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    if (r && r.width > 0 && r.height > 0) rects[key] = { x: r.left - a.left, y: r.top - a.top, width: r.width, height: r.height };
  }
  // In a frame, the frame's own box: what lies outside it is not shown, nor printed.
  const frame = window.parent !== window ? { x: -a.left, y: -a.top, width: innerWidth, height: innerHeight } : null;
  return { rects, frame, size: document.getElementById('ro-x')?.textContent ?? null };
}

const framePanels = { fit: '#fit-canvas', u: '#u-canvas', dd: '#dd-canvas' };
const frameParts = { ...framePanels, readout: '#readout', caption: '#tour:not([hidden]) #tour-caption' };

/**
 * Checks one printed figure: `anchor` is its anchor word's box on `page` (pdf.mjs), `layout` its
 * parts measured in print media (`measure`), `panels` the charts it shows. Each chart lies on the
 * page and inside its frame, with chart ink in it (blue and warm curve colours, not a blank
 * canvas); a frame's readout shows the size on screen, not '–', and it and the tour's caption
 * are readable (WCAG contrast 4.5 or more against the ground printed behind them).
 */
function checkFigure(name, page, anchor, layout, panels) {
  assert.ok(layout, `${name}: its anchor text is not in the page's DOM`);
  assert.ok(anchor, `${name}: its text is not on its printed page`);
  const at = place(anchor, layout.rects);
  for (const panel of panels) {
    assert.ok(at[panel], `${name}: the ${panel} chart is not laid out for print`);
    assert.ok(onPage(page, at[panel]), `${name}: the ${panel} chart is cut off by a page break (${JSON.stringify(at[panel])} on a ${page.width}x${page.height} page)`);
    const r = layout.rects[panel], f = layout.frame;
    if (f) assert.ok(r.y + r.height <= f.y + f.height + 1 && r.x + r.width <= f.x + f.width + 1, `${name}: the ${panel} chart is cut off by its frame (it ends ${Math.round(r.y + r.height - f.y)} px down a ${f.height} px frame)`);
    const ink = chartInk(page, at[panel]);
    assert.ok(ink.share > 0.01 && ink.blue > 200 && ink.warm > 200, `${name}: the ${panel} chart is not drawn on the printed page where the figure's print layout puts it (${JSON.stringify(ink)})`);
  }
  if (layout.size !== null) {
    // The readout's line: the words level with the anchor, left to right.
    const line = page.words.filter((w) => Math.abs(w.y0 - anchor.y0) < 3 * SCALE).sort((a, b) => a.x0 - b.x0).map((w) => w.text).join(' ');
    const flat = line.replace(/\s+/g, '');
    assert.ok(!flat.includes('p=–'), `${name}: the printed readout is empty: ${line}`);
    assert.ok(flat.includes(`p=${layout.size}p/n=`), `${name}: the printed readout does not show the size on screen (p = ${layout.size}): ${line}`);
  }
  for (const part of ['readout', 'caption']) {
    if (!at[part]) continue;
    const c = textContrast(page, at[part]);
    assert.ok(c.ratio >= 4.5, `${name}: the printed ${part} is unreadable: contrast ${c.ratio.toFixed(2)} (text ${c.ink} on ${c.ground})`);
  }
}

for (const theme of ['white', 'black']) {
  test(`a reveal.js deck printed with ?print-pdf in the ${theme} theme: every figure's page has its charts drawn and a readable readout`, async () => {
    // The README's snippets as a lecturer pastes them; on the black deck with theme=dark. Two
    // slides before the first figure: every figure starts out of sight.
    const dark = theme === 'black';
    const t = dark ? '&theme=dark' : '';
    const dir = join(artifacts, `print-deck-${theme}`);
    writeDeck(dir, theme, [
      '<h2>Double descent</h2><p>Test error against model size, past the textbook U.</p>',
      '<h2>The textbook U</h2><p>Too few parameters underfit; too many overfit.</p>',
      `<iframe id="fig" src="${server.url}?embed=1&panels=fit,dd&controls=n,noise${t}" title="Double descent, computed live" style="width:100%;max-width:960px;height:560px;border:0"></iframe>`,
      `<h2>Double descent</h2>
  <iframe data-src="${server.url}?embed=1&panels=dd&theme=${dark ? 'dark' : 'projector'}&controls=noise" data-preload id="proj"
          title="Double descent" style="width:100%;height:600px;border:0"></iframe>`,
      `<iframe id="tour" src="${server.url}?embed=1&tour=intro${t}" title="The tour" style="width:100%;height:600px;border:0"></iframe>`,
    ], { script: "Reveal.on('pdf-ready', () => { window.pdfReady = true; });" });
    const deckServer = await serve(dir);
    const deck = await context.newPage();
    try {
      await deck.setViewportSize({ width: 1280, height: 800 });
      await deck.goto(other(deckServer.url) + '?print-pdf');
      await deck.waitForFunction(() => window.pdfReady === true, null, poll);
      // reveal.js moves each slide into its page (which reloads its frames): the frames now are the printed ones.
      const figures = [['fig', 2, ['fit', 'dd']], ['proj', 3, ['dd']], ['tour', 4, ['fit', 'u', 'dd']]];
      const frames = {};
      for (const [id] of figures) {
        await deck.waitForFunction((i) => document.getElementById(i).getAttribute('src'), id, poll);
        frames[id] = await (await deck.$(`#${id}`)).contentFrame();
        await settle(frames[id]);
      }
      await deck.emulateMedia({ media: 'print' });
      const layouts = {};
      for (const [id] of figures) layouts[id] = await measureSettled(frames[id], { within: '#readout', word: 'p/n', parts: frameParts });
      await deck.emulateMedia({ media: null });
      const pages = readPdf(await deck.pdf({ preferCSSPageSize: true, printBackground: true }), `deck-${theme}`);
      assert.equal(pages.length, 5, 'one page a slide');
      for (const [id, index, panels] of figures) checkFigure(`${theme} deck, #${id}`, pages[index], findWord(pages[index], 'p/n'), layouts[id], panels);
      if (dark) {
        // The deck's own ground is printed around the figures (background graphics on, as reveal.js asks).
        const corner = pages[2].data.subarray(0, 3);
        assert.ok(Math.max(...corner) < 60, `the black deck's ground is not printed: ${[...corner]}`);
      }
    } finally {
      await deck.close();
      await deckServer.close();
    }
  });
}

test('an article with two <ddviz-figure> elements and an iframe prints every figure drawn, whole, as on screen', async () => {
  // An explainer article on its own site: the element's module copied next to it (as
  // docs/embedding.md says), the README's iframe from the app's site. Only the first lines are
  // in sight; the rest is never scrolled to.
  const dir = join(artifacts, 'print-article');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(app, 'ddviz-element.js'), join(dir, 'ddviz-element.js'));
  const text = [
    'Classical statistics says that test error against model size is a U: too few parameters underfit, too many overfit, and somewhere in between is the best size.',
    'Keep growing the model past the point where it can fit every training point exactly, the interpolation threshold, and something else happens.',
    'At the threshold there is exactly one model that fits the points, and it has to bend wildly to do so: its test error peaks.',
    'Past it, many models fit the points, and least squares picks the one of smallest norm: the smoothest. The error comes down again.',
  ];
  const paras = (from, n) => Array.from({ length: n }, (_, i) => `<p>${text[(from + i) % text.length]}</p>`).join('\n');
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Double descent, explained</title>
<script type="module" src="ddviz-element.js"></script>
<style>body { max-width: 50rem; margin: 2rem auto; padding: 0 1rem; font: 17px/1.6 Georgia, serif; }</style></head><body>
<h1>Double descent, explained</h1>
${paras(0, 2)}
<div id="gap"></div>
<ddviz-figure id="b" scene="panels=fit,dd&amp;trials=10&amp;size=600"></ddviz-figure>
${paras(2, 6)}
<ddviz-figure id="a" scene="panels=u&amp;trials=10"></ddviz-figure>
${paras(0, 8)}
<iframe id="c" src="${server.url}?embed=1&panels=fit,dd&controls=n,noise" title="Double descent, computed live" style="width:100%;max-width:960px;height:560px;border:0"></iframe>
${paras(1, 3)}
</body></html>`);
  const articleServer = await serve(dir);
  const url = other(articleServer.url);
  const drawn = (p) => p.waitForFunction(() => [...document.querySelectorAll('ddviz-figure')].every((f) => f.dataset.drawn === '1'), null, poll);
  const elementParts = (id) => ({ fit: `#${id} canvas[data-panel=fit]`, u: `#${id} canvas[data-panel=u]`, dd: `#${id} canvas[data-panel=dd]` });
  // The print's layout: A4 with 1 cm margins is 718 CSS px wide and 1047 high. It is measured in
  // another tab of that width in print media, so that the reader's tab is never resized (a
  // resize would give its frame the rendering that out of sight it never gets).
  const margin = '1cm', pageHeight = (297 - 20) / 25.4 * 96;
  const ruler = await context.newPage();
  const page = await context.newPage();
  try {
    await ruler.setViewportSize({ width: 718, height: 800 });
    await ruler.emulateMedia({ media: 'print' });
    await ruler.goto(url);
    await drawn(ruler);
    await settle(await (await ruler.$('#c')).contentFrame());
    // Figure b placed so that its charts end just above the first page's end: a figure that
    // breaks anywhere leaves its caption (or a chart) on the next page.
    const chartsEnd = await ruler.evaluate(() => document.querySelector('#b canvas:last-of-type').getBoundingClientRect().bottom + scrollY);
    assert.ok(chartsEnd < pageHeight - 10, `figure b ends at ${chartsEnd}: the article's start is too long to place it`);
    const gap = pageHeight - 6 - chartsEnd;
    await ruler.$eval('#gap', (g, h) => { g.style.height = h + 'px'; }, gap);
    const layouts = {
      a: await ruler.evaluate(measure, { within: '#a p', word: 'ddviz', parts: elementParts('a') }),
      b: await ruler.evaluate(measure, { within: '#b p', word: 'ddviz', parts: elementParts('b') }),
      c: await (await ruler.$('#c')).contentFrame().then((f) => f.evaluate(measure, { within: '#readout', word: 'p/n', parts: frameParts })),
    };
    await ruler.close();

    // The reader's tab: the article on a laptop's screen, scrolled nowhere, then printed.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    await drawn(page);
    await settle(await (await page.$('#c')).contentFrame());
    await page.$eval('#gap', (g, h) => { g.style.height = h + 'px'; }, gap);
    // As printed by a browser's Print with its defaults: margins, no background graphics.
    const pages = readPdf(await page.pdf({ format: 'A4', margin: { top: margin, bottom: margin, left: margin, right: margin } }), 'article');
    // The elements' pages by their captions' scenes; the frame's by its readout.
    // (the word 'ddviz' that starts the caption naming the scene).
    const pageOf = (needle) => pages.find((p) => findWord(p, needle)) ?? pages[0];
    const figures = [['b', 'trials=10&size=600&panels=fit,dd', ['fit', 'dd']], ['a', 'trials=10&panels=u', ['u']]];
    for (const [id, scene, panels] of figures) {
      const p = pageOf(scene);
      const line = findWord(p, scene);
      assert.ok(line, `figure ${id}'s caption is not printed`);
      const anchor = p.words.find((w) => w.text === 'ddviz' && Math.abs(w.y0 - line.y0) < 3 * SCALE);
      checkFigure(`article, figure ${id}`, p, anchor, layouts[id], panels);
    }
    const p = pageOf('p/n');
    checkFigure('article, the iframe', p, findWord(p, 'p/n'), layouts.c, ['fit', 'dd']);
  } finally {
    if (!ruler.isClosed()) await ruler.close();
    await page.close();
    await articleServer.close();
  }
});
