// A minimal W3C WebDriver client (fetch against the driver's HTTP endpoint) and the start-up of
// the three engines the smoke test runs the page in: Firefox ESR through geckodriver (headless),
// WebKitGTK through WebKitWebDriver and its MiniBrowser (under an Xvfb display of its own), and
// Chromium through ChromeDriver (headless). Like cdp.mjs, a bare client rather than an npm one:
// WebdriverIO's `webdriver` pulls in @wdio/utils with packages that fetch browsers and drivers of
// their own (@puppeteer/browsers, the geckodriver and edgedriver wrappers), and selenium-webdriver
// ships Selenium Manager, which does the same; the few commands used here need no library.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The engines: a name, what must exist on this machine, the driver's command and capabilities. */
export const ENGINES = {
  chromium: {
    // A profile of our own, removed at the end: ChromeDriver's own (/tmp/*.scoped_dir.*) stayed.
    profile: (caps, dir) => caps['goog:chromeOptions'].args.push(`--user-data-dir=${dir}`),
    needs: ['/usr/bin/chromium', '/usr/bin/chromedriver'],
    driver: (port) => ['/usr/bin/chromedriver', [`--port=${port}`]],
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: '/usr/bin/chromium',
        args: [
          '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
          '--disable-sync', '--no-first-run', '--disable-quic', '--window-size=1280,900',
        ],
      },
    },
  },
  firefox: {
    needs: ['/usr/bin/firefox-esr', 'geckodriver'],
    driver: (port) => ['geckodriver', ['--host', '127.0.0.1', '--port', String(port), '--log', 'error']],
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: '/usr/bin/firefox-esr',
        args: ['-headless', '-width', '1280', '-height', '900'],
        // geckodriver's profile already turns off updates and most of the background traffic.
        prefs: { 'network.captive-portal-service.enabled': false, 'network.connectivity-service.enabled': false },
      },
    },
  },
  webkit: {
    needs: ['/usr/bin/WebKitWebDriver', MINIBROWSER, '/usr/bin/Xvfb'],
    display: true,
    driver: (port) => ['/usr/bin/WebKitWebDriver', [`--port=${port}`]],
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    },
  },
};

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** A free TCP port of 127.0.0.1. */
function freePort() {
  return new Promise((ok, err) => {
    const s = createServer();
    s.on('error', err);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

/** Whether `cmd` (a path or a name on PATH) can be run. */
function found(cmd) {
  if (cmd.includes('/')) return existsSync(cmd);
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(`${d}/${cmd}`));
}

/** Starts Xvfb on a display it picks itself (-displayfd); resolves to { display, close }. */
async function xvfb() {
  const proc = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (c) => { log += c; });
  const display = await new Promise((ok, err) => {
    let buf = '';
    proc.stdio[3].on('data', (c) => { buf += c; if (buf.includes('\n')) ok(':' + buf.trim()); });
    proc.once('exit', (code) => err(new Error(`Xvfb exited (${code}) before it chose a display: ${log.slice(-500)}`)));
    setTimeout(() => err(new Error('Xvfb chose no display within 10 s')), 10000);
  });
  return { display, close: () => stop(proc) };
}

/** Ends a process we started and waits for it. */
function stop(proc) {
  return new Promise((ok) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { ok(); return; }
    proc.once('exit', () => ok());
    proc.kill('SIGTERM');
    setTimeout(() => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); }, 5000).unref();
  });
}

/**
 * Starts `engine`'s driver and a session in a fresh profile; resolves to a Session. Fails with
 * a message naming what is missing or what the driver said if the engine cannot start.
 */
export async function start(engine) {
  const spec = ENGINES[engine];
  if (!spec) throw new Error(`unknown engine ${engine}`);
  const missing = spec.needs.filter((c) => !found(c));
  if (missing.length) throw new Error(`${engine} cannot start: ${missing.join(', ')} not found (./dev test installs them)`);
  const cleanup = [];
  try {
    const env = { ...process.env };
    const capabilities = structuredClone(spec.capabilities);
    if (spec.profile) {
      const dir = mkdtempSync(join(tmpdir(), `ddviz-${engine}-`));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
      spec.profile(capabilities, dir);
    }
    if (spec.display) {
      const x = await xvfb();
      cleanup.push(x.close);
      env.DISPLAY = x.display;
    }
    const port = await freePort();
    const [cmd, args] = spec.driver(port);
    const proc = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.unshift(() => stop(proc));
    let log = '';
    const keep = (c) => { log = (log + c).slice(-4000); };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    const base = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${engine}: ${cmd} exited (${proc.exitCode}): ${log}`);
      try {
        const r = await fetch(`${base}/status`);
        if (r.ok && (await r.json()).value?.ready !== false) break;
      } catch { /* not listening yet */ }
      if (Date.now() - t0 > 20000) throw new Error(`${engine}: ${cmd} did not answer within 20 s: ${log}`);
      await sleep(50);
    }
    const created = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } }, 60000)
      .catch((e) => { throw new Error(`${engine}: no session: ${e.message}\n${log}`); });
    const session = new Session(engine, `${base}/session/${created.sessionId}`, created.capabilities, cleanup, () => log);
    await session.cmd('POST', '/window/rect', { width: 1280, height: 900 }).catch(() => {});
    return session;
  } catch (e) {
    for (const f of cleanup) await f();
    throw e;
  }
}

/** One WebDriver command; resolves to its `value`, rejects with the driver's error. */
async function call(base, method, path, body, timeout = 60000) {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { throw new Error(`${method} ${path}: HTTP ${r.status}: ${text.slice(0, 500)}`); }
  if (!r.ok || json.value?.error) {
    throw new Error(`${method} ${path}: ${json.value?.error ?? r.status}: ${json.value?.message ?? text.slice(0, 500)}`);
  }
  return json.value;
}

export class Session {
  constructor(engine, base, capabilities, cleanup, log) {
    Object.assign(this, { engine, base, capabilities, cleanup, log });
  }

  cmd(method, path, body, timeout) {
    return call(this.base, method, path, body, timeout);
  }

  /** The browser's own name and version, as the driver reports them. */
  get version() {
    return `${this.capabilities.browserName} ${this.capabilities.browserVersion}`;
  }

  navigate(url) {
    return this.cmd('POST', '/url', { url });
  }

  /** Runs `fn` (a function or its source) in the page with `args`; resolves to what it returns. */
  execute(fn, ...args) {
    const body = typeof fn === 'function' ? `return (${fn}).apply(null, arguments);` : fn;
    return this.cmd('POST', '/execute/sync', { script: body, args });
  }

  /** Polls `fn` in the page every 20 ms until it returns something truthy; resolves to that. */
  async until(fn, what, timeout = 60000, ...args) {
    const t0 = Date.now();
    for (;;) {
      const v = await this.execute(fn, ...args);
      if (v) return v;
      if (Date.now() - t0 > timeout) throw new Error(`${this.engine}: timed out after ${timeout} ms waiting for ${what}`);
      await sleep(20);
    }
  }

  /** Presses `keys` (WebDriver key codes, KEY below) one after another on the focused element, as a keyboard would. */
  async press(...keys) {
    const actions = keys.flatMap((k) => [{ type: 'keyDown', value: k }, { type: 'keyUp', value: k }]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  /** Ends the session, the driver and the browser (and the display, for WebKit). */
  async close() {
    await this.cmd('DELETE', '', undefined, 20000).catch(() => {});
    for (const f of this.cleanup) await f();
  }
}

/** WebDriver's code for a key (the W3C spec's table). */
export const KEY = { ArrowRight: '\uE014', ArrowLeft: '\uE012' };
