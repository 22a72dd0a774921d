// Shrinks the release build before it reaches dist/: Trunk runs this as a post_build hook
// (Trunk.toml) on its staging directory. About 9 KB less to download, gzipped:
//
// - wasm-bindgen names each import of the wasm after the JavaScript function it calls plus a
//   16-digit hash (`__wbg_setAttribute_2704501201f15687`), under the module name
//   "./ddviz-web_bg.js", and writes each name twice: in the wasm's import section and as a key of
//   the JavaScript glue's import object. Random hex digits do not compress; here every import
//   gets a one- or two-letter name in both files.
// - terser minifies the glue (whitespace, comments, local names). The names other scripts use
//   stay: the default export, `initSync` and `render_figure` (scripts/single-file.mjs and the
//   custom element call them).
// - index.html loses its indentation and line breaks (not inside <pre> or <textarea>), and
//   terser minifies its inline scripts; the stylesheet loses comments and spaces.
// - The subresource-integrity hashes Trunk wrote into index.html are recomputed for the
//   rewritten JavaScript and CSS. The wasm's preload link goes: the first script of
//   www/index.html fetches the wasm itself (WebKit never gave the preload to the bindings'
//   fetch, and downloaded the wasm twice); so does the glue's modulepreload (below).
//
// Usage: node scripts/shrink.mjs [dir]   (default: $TRUNK_STAGING_DIR; debug builds are left
// alone so that they stay readable).
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { minify } from 'terser';

/** Reads an unsigned LEB128 number at `at`; returns [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error('truncated wasm');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** Writes an unsigned LEB128 number. */
function toLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

/** The byte length of one import's description (after its kind byte) at `at`. */
function descLength(bytes, kind, at) {
  const start = at;
  const limits = () => {
    const flags = bytes[at++];
    [, at] = leb(bytes, at);
    if (flags & 1) [, at] = leb(bytes, at);
  };
  if (kind === 0) [, at] = leb(bytes, at); // function: type index
  else if (kind === 1) { at += 1; limits(); } // table: element type, limits
  else if (kind === 2) limits(); // memory
  else if (kind === 3) at += 2; // global: value type, mutability
  else throw new Error(`unknown import kind ${kind}`);
  return at - start;
}

/** Short names: a..z, A..Z, then two letters. */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name = letters[i % letters.length] + name;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return name;
}

/**
 * Gives every import of `wasm` a short name, in the wasm and in the glue `js`. Fails if a name
 * is not found exactly once in the glue (a wasm-bindgen whose glue looks different).
 */
export function renameImports(wasm, js) {
  const sections = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    sections.push({ id, start: at, body, end: body + size });
    at = body + size;
  }
  const imports = sections.find((s) => s.id === 2);
  if (!imports) return { wasm, js, count: 0 };
  let [count, p] = leb(wasm, imports.body);
  const modules = new Map();
  const parts = [toLeb(count)];
  const take = () => {
    const [len, q] = leb(wasm, p);
    const s = wasm.subarray(q, q + len).toString('utf8');
    p = q + len;
    return s;
  };
  const str = (s) => Buffer.concat([toLeb(Buffer.byteLength(s)), Buffer.from(s)]);
  for (let i = 0; i < count; i++) {
    const module = take();
    const field = take();
    const kind = wasm[p];
    const len = descLength(wasm, kind, p + 1);
    const desc = wasm.subarray(p, p + 1 + len);
    p += 1 + len;
    if (!modules.has(module)) {
      const key = `m${modules.size}`;
      const quoted = new RegExp(`"${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"(?=\\s*:)`, 'g');
      const found = js.match(quoted)?.length ?? 0;
      if (found !== 1) throw new Error(`import module "${module}" found ${found} times in the glue`);
      js = js.replace(quoted, `"${key}"`);
      modules.set(module, key);
    }
    const short = shortName(i);
    const key = new RegExp(`(?<![\\w$])${field.replace(/\$/g, '\\$')}(?=\\s*:)`, 'g');
    const found = js.match(key)?.length ?? 0;
    if (found !== 1) throw new Error(`import "${field}" found ${found} times in the glue`);
    js = js.replace(key, short);
    parts.push(str(modules.get(module)), str(short), desc);
  }
  if (p !== imports.end) throw new Error('the import section did not parse to its end');
  const body = Buffer.concat(parts);
  const section = Buffer.concat([Buffer.from([2]), toLeb(body.length), body]);
  const out = Buffer.concat([wasm.subarray(0, imports.start), section, wasm.subarray(imports.end)]);
  return { wasm: out, js, count };
}

/**
 * Removes comments and the spaces CSS does not need. Conservative: it never touches a space
 * that separates selectors or values (`a :hover`, `1px solid`), only those around `{};,>` and
 * after a declaration's colon.
 */
export function minifyCss(css) {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/([{;][-a-z]+): /g, '$1:')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * Collapses the whitespace between and inside HTML text runs (never inside <pre>, <textarea>,
 * <script> or <style>) and minifies inline scripts with terser (not Trunk's live-reload script).
 * Attributes are left as written (scripts/single-file.mjs looks for Trunk's tags).
 */
export async function minifyHtml(html) {
  const parts = html.split(/(<(script|style|pre|textarea)\b[^>]*>[\s\S]*?<\/\2>)/i);
  let out = '';
  for (let i = 0; i < parts.length; i += 3) {
    out += parts[i].replace(/\s+/g, ' ');
    const raw = parts[i + 1];
    if (raw === undefined) break;
    const m = raw.match(/^(<script\b([^>]*)>)([\s\S]*?)(<\/script>)$/i);
    // Trunk's live-reload script (under `trunk serve`) is left alone: Trunk fills in its
    // {{__TRUNK_…}} placeholders when it serves the page, looking for them as written.
    if (m && !/\bsrc=/.test(m[2]) && m[3].trim() && !m[3].includes('{{__TRUNK_')) {
      const module = /type=["']?module/.test(m[2]);
      const min = await minify(m[3], { module, compress: { passes: 2 }, mangle: true, format: { comments: false } });
      if (!min.code) throw new Error('terser returned no code for an inline script');
      out += m[1] + min.code + m[4];
    } else {
      out += raw;
    }
  }
  return out.trim() + '\n';
}

/** The `sha384-…` integrity value of some bytes. */
const integrity = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

/** Shrinks ddviz-extra's glue and wasm in `dir` and gives them content-hashed names. */
async function shrinkExtra(dir, files) {
  if (!files.includes('ddviz-extra.js') || !files.includes('ddviz-extra_bg.wasm')) throw new Error(`${dir} has no ddviz-extra.js and ddviz-extra_bg.wasm`);
  const js = readFileSync(join(dir, 'ddviz-extra.js'), 'utf8');
  const wasm = readFileSync(join(dir, 'ddviz-extra_bg.wasm'));
  const renamed = renameImports(wasm, js);
  const min = await minify(renamed.js, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: { reserved: ['__wbg_init', 'initSync'] }, format: { comments: false } });
  if (!min.code) throw new Error('terser returned no code for ddviz-extra.js');
  const hash = createHash('sha256').update(min.code).update(renamed.wasm).digest('hex').slice(0, 16);
  const names = { js: `ddviz-extra-${hash}.js`, wasm: `ddviz-extra-${hash}_bg.wasm` };
  writeFileSync(join(dir, names.js), min.code);
  writeFileSync(join(dir, names.wasm), renamed.wasm);
  unlinkSync(join(dir, 'ddviz-extra.js'));
  unlinkSync(join(dir, 'ddviz-extra_bg.wasm'));
  return { ...names, line: `extra: wasm ${wasm.length} → ${renamed.wasm.length} bytes` };
}

/** Shrinks the <ddviz-figure> element's module (ddviz-figure) in `dir` in place: scripts/single-file.mjs
 * inlines it into ddviz-element.js, calling `render_figure` by name. */
async function shrinkFigure(dir, files) {
  if (!files.includes('ddviz-figure.js') || !files.includes('ddviz-figure_bg.wasm')) throw new Error(`${dir} has no ddviz-figure.js and ddviz-figure_bg.wasm`);
  const wasm = readFileSync(join(dir, 'ddviz-figure_bg.wasm'));
  const renamed = renameImports(wasm, readFileSync(join(dir, 'ddviz-figure.js'), 'utf8'));
  const min = await minify(renamed.js, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: { reserved: ['__wbg_init', 'initSync', 'render_figure'] }, format: { comments: false } });
  if (!min.code) throw new Error('terser returned no code for ddviz-figure.js');
  writeFileSync(join(dir, 'ddviz-figure.js'), min.code);
  writeFileSync(join(dir, 'ddviz-figure_bg.wasm'), renamed.wasm);
  return `figure: wasm ${wasm.length} → ${renamed.wasm.length} bytes`;
}

/** Shrinks the build in `dir` in place; returns a line saying what it did. */
export async function shrink(dir) {
  const files = readdirSync(dir);
  const pick = (re) => {
    const f = files.filter((n) => re.test(n));
    if (f.length !== 1) throw new Error(`${dir} holds ${f.length} files matching ${re}`);
    return join(dir, f[0]);
  };
  const jsPath = pick(/^ddviz-web-.*\.js$/);
  const wasmPath = pick(/^ddviz-web-.*_bg\.wasm$/);
  const htmlPath = join(dir, 'index.html');
  const oldJs = readFileSync(jsPath);
  const oldWasm = readFileSync(wasmPath);
  const renamed = renameImports(oldWasm, oldJs.toString('utf8'));
  const min = await minify(renamed.js, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: { reserved: ['__wbg_init', 'initSync'] },
    format: { comments: false },
  });
  if (!min.code) throw new Error('terser returned no code');
  const cssPath = pick(/^style-.*\.css$/);
  const oldCss = readFileSync(cssPath);
  const css = Buffer.from(minifyCss(oldCss.toString('utf8')));
  let html = await minifyHtml(readFileSync(htmlPath, 'utf8'));
  const rewritten = [[oldJs, Buffer.from(min.code)], [oldCss, css]];
  for (const [before, after] of rewritten) {
    const old = integrity(before);
    if (!html.includes(old)) throw new Error(`index.html has no integrity ${old}`);
    html = html.split(old).join(integrity(after));
  }
  // The wasm's preload: the page's first script fetches the wasm instead (www/index.html says why).
  const preload = html.match(/<link rel="preload"[^>]*\bas="fetch"[^>]*>/g) ?? [];
  if (preload.length !== 1 || !preload[0].includes(basename(wasmPath))) throw new Error(`index.html should have one preload, of the wasm: ${preload.join(' ')}`);
  html = html.replace(preload[0], '');
  if (!html.includes('window.ddvizWasm')) throw new Error('index.html does not fetch the wasm itself (www/index.html, Trunk.toml pattern_script)');
  // The glue's modulepreload goes too: the module script right after it in <head> imports the
  // glue at once, so it gains nothing, and Firefox now and then reported it as failed to load
  // (an error event on the link, the page working) when it raced that import: 3 of 7 runs of
  // tests/browser/engines.test.mjs with it, 0 of 6 without.
  const modulepreload = html.match(/<link rel="modulepreload"[^>]*>/g) ?? [];
  if (modulepreload.length !== 1 || !modulepreload[0].includes(basename(jsPath))) throw new Error(`index.html should have one modulepreload, of the glue: ${modulepreload.join(' ')}`);
  html = html.replace(modulepreload[0], '');
  // The training panels' module (ddviz-extra, loaded lazily by the first script of index.html):
  // the same shrinking, then content-hashed names (Trunk leaves a worker-type module's names
  // plain), which index.html learns from <meta name="ddviz-extra">.
  const extra = await shrinkExtra(dir, files);
  const figure = await shrinkFigure(dir, files);
  html = html.replace('</head>', `<meta name="ddviz-extra" content="${extra.js} ${extra.wasm}"></head>`);
  writeFileSync(jsPath, min.code);
  writeFileSync(wasmPath, renamed.wasm);
  writeFileSync(cssPath, css);
  writeFileSync(htmlPath, html);
  return `[shrink] ${renamed.count} imports renamed; glue ${oldJs.length} → ${min.code.length} bytes, wasm ${oldWasm.length} → ${renamed.wasm.length} bytes; ${extra.line}; ${figure}`;
}

// Run as a script (not imported by a test); the URL form copes with spaces in the path.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error('usage: node scripts/shrink.mjs DIR (or run as a Trunk hook)');
  if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') {
    console.error('[shrink] debug build: left as it is');
  } else {
    console.error(await shrink(dir));
  }
}
