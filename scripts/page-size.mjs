// The size of the default scene's first visit: index.html and the files it loads from dist/,
// gzipped (level 9) and brotli-compressed, against the 200 KB gzipped budget
// (docs/performance.md). Prints one line; exits 1 when over the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET = 200_000;
const dist = new URL('../dist/', import.meta.url).pathname;
const index = readFileSync(join(dist, 'index.html'), 'utf8');
// The training panels' module (ddviz-extra) loads only when a scene shows them: not counted
// in the first visit, reported beside it.
// Nor are the digits (digits.bin), fetched by a digits scene.
const files = readdirSync(dist).filter((f) => (f === 'index.html' || index.includes(f)) && !f.startsWith('ddviz-extra') && f !== 'digits.bin');
const lazy = readdirSync(dist).filter((f) => f.startsWith('ddviz-extra')).reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
let raw = 0, gz = 0, br = 0;
const parts = [];
for (const f of files) {
  const b = readFileSync(join(dist, f));
  const g = gzipSync(b, { level: 9 }).length;
  raw += b.length;
  gz += g;
  br += brotliCompressSync(b).length;
  parts.push(`${f.replace(/-[0-9a-f]{8,}/, '')} ${(g / 1000).toFixed(1)}`);
}
const kb = (n) => (n / 1000).toFixed(2);
console.log(`page: ${kb(gz)} KB gzipped, ${kb(br)} KB brotli, ${kb(raw)} KB raw — budget ${kb(BUDGET)} KB gzipped (${parts.join(', ')}); loaded with the training panels: ${kb(lazy)} KB gzipped`);
process.exit(gz <= BUDGET ? 0 : 1);
