// Reading a printed PDF the way a reader sees it: its pages rasterized by poppler (pdftoppm, an
// independent renderer, not the browser that wrote the PDF), its words and their boxes
// (pdftotext -bbox), and pixel measures on those pages. Used by print.test.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts } from './harness.mjs';

/** Raster pixels per CSS pixel: pages are rasterized at 144 dpi, CSS pixels are 1/96 inch. */
export const SCALE = 1.5;
const DPI = 96 * SCALE;

/** Parses a binary PPM (P6, 8 bits) as written by pdftoppm. */
function ppm(buf) {
  const fields = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    let s = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) s += String.fromCharCode(buf[i++]);
    fields.push(s);
  }
  if (fields[0] !== 'P6' || fields[3] !== '255') throw new Error(`not an 8-bit PPM: ${fields.join(' ')}`);
  return { width: Number(fields[1]), height: Number(fields[2]), data: buf.subarray(i + 1) };
}

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => entities[e]);

/**
 * Saves `pdf` as tests/artifacts/print/NAME.pdf with a small PNG of each page beside it (to look
 * at), and returns its pages: { width, height, data (RGB), words: [{ text, x0, y0, x1, y1 }],
 * text }, coordinates in raster pixels (SCALE per CSS pixel).
 */
export function readPdf(pdf, name) {
  const dir = join(artifacts, 'print');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  for (const f of readdirSync(dir)) if (f.startsWith(`${name}-`) && f.endsWith('.png')) rmSync(join(dir, f));
  execFileSync('pdftoppm', ['-r', '48', '-png', file, join(dir, name)]);
  const tmp = mkdtempSync(join(tmpdir(), 'ddviz-pdf-'));
  try {
    execFileSync('pdftoppm', ['-r', String(DPI), file, join(tmp, 'p')]);
    const rasters = readdirSync(tmp).filter((f) => f.endsWith('.ppm')).sort().map((f) => ppm(readFileSync(join(tmp, f))));
    const xhtml = execFileSync('pdftotext', ['-bbox', file, '-']).toString();
    const k = DPI / 72;
    const pages = xhtml.split(/<page /).slice(1).map((chunk, i) => {
      const words = [...chunk.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .map((m) => ({ text: unescape(m[5]), x0: m[1] * k, y0: m[2] * k, x1: m[3] * k, y1: m[4] * k }));
      return { ...rasters[i], words, text: words.map((w) => w.text).join(' ') };
    });
    if (pages.length !== rasters.length) throw new Error(`${pages.length} pages of text, ${rasters.length} rasters`);
    return pages;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The first word on `page` equal to `text` (or matching it, a RegExp), or undefined. */
export function findWord(page, text) {
  return page.words.find((w) => (text instanceof RegExp ? text.test(w.text) : w.text === text));
}

/**
 * Where a figure's parts are on a printed page: `parts` are rectangles in CSS pixels relative to
 * the anchor word's box as the browser laid it out, `anchor` the anchor word's printed box.
 * Returns the rectangles in the page's raster pixels.
 */
export function place(anchor, parts) {
  const out = {};
  for (const [key, r] of Object.entries(parts)) {
    out[key] = { x: anchor.x0 + r.x * SCALE, y: anchor.y0 + r.y * SCALE, width: r.width * SCALE, height: r.height * SCALE };
  }
  return out;
}

/** Whether `rect` lies on the page (a part outside it was cut off by a page break). */
export function onPage(page, rect) {
  return rect.x >= -2 && rect.y >= -2 && rect.x + rect.width <= page.width + 2 && rect.y + rect.height <= page.height + 2;
}

function* pixels(page, rect, inset = 0) {
  const x0 = Math.max(0, Math.round(rect.x + inset)), y0 = Math.max(0, Math.round(rect.y + inset));
  const x1 = Math.min(page.width, Math.round(rect.x + rect.width - inset)), y1 = Math.min(page.height, Math.round(rect.y + rect.height - inset));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * page.width + x) * 3;
      yield [page.data[i], page.data[i + 1], page.data[i + 2]];
    }
  }
}

/**
 * The chart ink inside `rect` (inset by a few pixels, so a neighbour's edge does not count):
 * the share of strongly coloured pixels (chroma of at least 80 of 255; the charts' axes, grid,
 * text and grounds are grey) and how many are blue (train error, training points) and warm
 * (vermillion test error, orange points and band).
 */
export function chartInk(page, rect) {
  let n = 0, coloured = 0, blue = 0, warm = 0;
  for (const [r, g, b] of pixels(page, rect, 4 * SCALE)) {
    n++;
    if (Math.max(r, g, b) - Math.min(r, g, b) < 80) continue;
    coloured++;
    if (b > r + 60) blue++;
    else if (r > b + 60) warm++;
  }
  return { share: coloured / Math.max(1, n), blue, warm };
}

const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
const luminance = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/**
 * The contrast of the text inside `rect` against its ground, as WCAG computes it: the ground is
 * the most common colour there, the text the pixels furthest from it (the 99th percentile, so
 * that a stray pixel does not decide). Returns { ratio, ground, ink } (colours as [r, g, b]).
 */
export function textContrast(page, rect) {
  const counts = new Map();
  const all = [];
  for (const p of pixels(page, rect)) {
    const key = (p[0] << 16) | (p[1] << 8) | p[2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
    all.push(p);
  }
  let ground = 0, most = -1;
  for (const [key, c] of counts) if (c > most) { most = c; ground = key; }
  const g = [ground >> 16, (ground >> 8) & 255, ground & 255];
  const lg = luminance(g);
  const scored = all.map((p) => [ratio(luminance(p), lg), p]).sort((a, b) => a[0] - b[0]);
  const [best, ink] = scored[Math.floor(scored.length * 0.99)] ?? [1, g];
  return { ratio: best, ground: g, ink };
}
