// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe, for the tools that need
// what Playwright does not offer (tests/browser/profile-workers.mjs profiles the page's workers,
// which Playwright attaches to but gives no DevTools session of).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Launches headless Chromium (the flags of harness.mjs) attached to its one page; resolves to
 * { send(method, params, sessionId), page(method, params), evaluate(expression), sessionId,
 * on(event, f), close() }.
 */
export async function launchBare() {
  const profile = mkdtempSync(join(tmpdir(), 'ddviz-cdp-'));
  const proc = spawn('/usr/bin/chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--window-size=1280,900',
    `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const out = proc.stdio[3];
  const input = proc.stdio[4];
  let id = 0;
  const waiting = new Map();
  let buf = '';
  const listeners = {};
  input.on('data', (chunk) => {
    buf += chunk.toString('utf8');
    let at;
    while ((at = buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buf.slice(0, at));
      buf = buf.slice(at + 1);
      if (msg.method && listeners[msg.method]) listeners[msg.method](msg.params);
      const w = waiting.get(msg.id);
      if (w) { waiting.delete(msg.id); msg.error ? w.err(new Error(JSON.stringify(msg.error))) : w.ok(msg.result); }
    }
  });
  const send = (method, params = {}, sessionId) => new Promise((ok, err) => {
    const msg = { id: ++id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    waiting.set(msg.id, { ok, err });
    out.write(JSON.stringify(msg) + '\0');
  });
  let targets = [];
  for (let i = 0; i < 100 && !targets.length; i++) {
    targets = (await send('Target.getTargets')).targetInfos.filter((t) => t.type === 'page');
    if (!targets.length) await new Promise((ok) => setTimeout(ok, 50));
  }
  const { sessionId } = await send('Target.attachToTarget', { targetId: targets[0].targetId, flatten: true });
  const page = (method, params) => send(method, params, sessionId);
  const evaluate = async (expression) => (await page('Runtime.evaluate', { expression, returnByValue: true })).result.value;
  const close = async () => {
    try { await send('Browser.close'); } catch { /* gone */ }
    await new Promise((ok) => { if (proc.exitCode !== null) ok(); else proc.once('exit', ok); });
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  return { send, page, evaluate, sessionId, close, on: (m, f) => { listeners[m] = f; } };
}

/** Waits until `expression` is true in the page (polled every 10 ms). */
export async function until(b, expression, timeout = 60000) {
  const t0 = Date.now();
  while (!(await b.evaluate(expression))) {
    if (Date.now() - t0 > timeout) throw new Error('timed out: ' + expression);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}
