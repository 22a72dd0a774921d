// The reference sweep in the browser against the native CLI: a benchmark, not a test (`./dev
// bench` runs it after `cargo bench`). It prints the medians and writes them with every run to
// tests/artifacts/bench-reference.json. Needs the built app (dist/) and the release CLI.
//
//   node tests/browser/bench-reference.mjs [reloads] [recomputes]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, open, artifacts } from './harness.mjs';

const reloads = Number(process.argv[2] ?? 5);
const recomputes = Number(process.argv[3] ?? 7);
const q = 'family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500';
const bin = new URL('../../target/release/ddviz', import.meta.url).pathname;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const range = (v) => [Math.min(...v), Math.max(...v)];

const server = await serve();
const context = await launch();
try {
  const { page } = await open(context, server.url + '?' + q, server.url);
  const drawn = () => page.waitForFunction(() => document.body.dataset.drawn === '1' && document.body.dataset.state === 'done', null, { timeout: 60000 });
  const sweepMs = async () => Number(await page.evaluate(() => document.body.dataset.sweepMs));
  await drawn();
  // Single runs on a shared 2-core machine swing by a third: each browser run is followed by a
  // run of the CLI, so that both see the machine in the same state.
  const cli = [];
  const cliRun = () => {
    const t0 = process.hrtime.bigint();
    execFileSync(bin, ['sweep', '--scene', q], { stdio: 'ignore' });
    cli.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  // The first sweep of a freshly loaded page (it includes starting the workers).
  const first = [];
  for (let i = 0; i < reloads; i++) {
    await page.reload();
    await drawn();
    first.push(await sweepMs());
    cliRun();
  }
  // The same work again with the workers warm (a new draw: new seed), as when a control moves.
  const again = [];
  for (let i = 0; i < recomputes; i++) {
    await page.evaluate(() => { document.body.dataset.drawn = '0'; });
    await page.click('#newdraw');
    await drawn();
    again.push(await sweepMs());
    cliRun();
  }
  const out = {
    scene: q,
    browser_first_ms: { median: median(first), range: range(first), runs: first },
    browser_recompute_ms: { median: median(again), range: range(again), runs: again },
    native_cli_ms: { median: median(cli), range: range(cli), runs: cli },
    ratio_first: median(first) / median(cli),
    ratio_recompute: median(again) / median(cli),
  };
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'bench-reference.json'), JSON.stringify(out, null, 2) + '\n');
  const f = (x) => x.toFixed(1);
  console.log(`reference sweep, first sweep of a loaded page: median ${f(out.browser_first_ms.median)} ms (${out.browser_first_ms.range.map(f).join('–')}), ${out.ratio_first.toFixed(2)}× the CLI`);
  console.log(`reference sweep, recomputed: median ${f(out.browser_recompute_ms.median)} ms (${out.browser_recompute_ms.range.map(f).join('–')}), ${out.ratio_recompute.toFixed(2)}× the CLI`);
  console.log(`native CLI: median ${f(out.native_cli_ms.median)} ms (${out.native_cli_ms.range.map(f).join('–')})`);
} finally {
  await context.close();
  await server.close();
}
