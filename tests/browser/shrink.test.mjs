// The post-build step's HTML minifier (scripts/shrink.mjs), on its own: no browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minifyHtml } from '../../scripts/shrink.mjs';

test("the HTML minifier shrinks the page's own scripts but leaves Trunk's live-reload placeholders as written", async () => {
  // What `trunk serve` injects (shortened): Trunk fills in the quoted placeholders when it serves
  // the page, so terser must not fold them into one string.
  const reload = `"use strict";
(function () {
    const address = '{{__TRUNK_ADDRESS__}}';
    const base = '{{__TRUNK_WS_BASE__}}';
    const url = 'ws://' + address + base + '.well-known/trunk/ws';
    new WebSocket(url);
}());`;
  const own = `(function () {
    // A comment that goes.
    var workers = window.ddvizWorkers = [];
    workers.push(1);
  })();`;
  const html = `<!doctype html>\n<html>\n  <head>\n    <script>${own}</script>\n  </head>\n  <body>\n    <p>Some   text</p>\n    <script>${reload}</script>\n  </body>\n</html>\n`;
  const out = await minifyHtml(html);
  assert.ok(out.includes(reload), "Trunk's script was changed");
  assert.ok(!out.includes('A comment that goes'), 'the page script was not minified');
  assert.ok(out.includes('window.ddvizWorkers'));
  assert.ok(out.includes('<p>Some text</p>'));
  assert.ok(out.length < html.length);
});
