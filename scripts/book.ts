/**
 * `npm run book`: the workbook as a static HTML site anyone can read without installing
 * anything, written to artifacts/book/ (gitignored):
 *
 *   index.html                 the episode, how to read it, the chapters in order
 *   NN-name.html               one page per notebook, executed, with its navigation
 *   assets/plotly-V.min.js     plotly.js ONCE for the whole site (figures draw offline)
 *   assets/book.css            the book's layout and fonts
 *   assets/NotoSansDevanagari-*.ttf   the Devanagari font (from Debian's fonts-noto-core), so the
 *                              Hindi summaries render on machines that lack it
 *
 *   npm run book                      reuse artifacts/executed/NN.ipynb when newer than the notebook,
 *                                     lib/ and data/ (npm test writes them), else execute
 *   npm run book -- --fresh           execute every notebook again
 *   npm run book -- --out DIR         write the site elsewhere
 *
 * Notebooks are discovered by listing notebooks/, so a new lesson appears without edits here.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { plotlyLibrary } from '../lib/viz';
import * as jupyterEnv from './jupyter-env';

const ROOT = jupyterEnv.PROJECT_ROOT;
const NOTEBOOKS_DIR = path.join(ROOT, 'notebooks');
const RUNNER = path.join(ROOT, 'scripts', 'run-notebook.py');
const FONT_DIRS = ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/noto', '/usr/local/share/fonts'];
const FONT_FILES = { regular: 'NotoSansDevanagari-Regular.ttf', bold: 'NotoSansDevanagari-Bold.ttf' };
/** The inline plotly.js the kernel puts in front of its first figure (lib/viz/display.ts). */
const INLINE_PLOTLY = /<script type="text\/javascript">\n\/\* plotly\.js v[^*]*for the Replication Workbook; loaded once per kernel\. \*\/[\s\S]*?<\/script>\n/;
/** nbconvert's RequireJS tag (a CDN URL, or Debian's file:// copy): nothing in the book needs it. */
const REQUIREJS_TAG = /<script src="[^"]*require(?:\.min)?\.js"><\/script>/g;

export interface BookOptions {
  /** Notebook file names (default: every notebooks/*.ipynb, in name order). */
  notebooks?: string[];
  /** Where the site goes (default artifacts/book). */
  outDir?: string;
  /** Where executed notebooks are kept and reused (default artifacts/executed). */
  executedDir?: string;
  /** Execute every notebook even when a fresh executed copy exists. */
  fresh?: boolean;
  log?: (line: string) => void;
}

export interface Chapter {
  notebook: string;
  page: string;
  title: string;
  summary: string;
  executedAgain: boolean;
  figureCount: number;
}

export interface Book {
  outDir: string;
  index: string;
  plotlyAsset: string;
  fontAssets: string[];
  chapters: Chapter[];
}

interface NotebookJson {
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: Array<{ output_type: string; data?: Record<string, unknown> }> }>;
  metadata: Record<string, unknown>;
}

const text = (source: string | string[]): string => (Array.isArray(source) ? source.join('') : source);

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Newest modification time (ms) of any file under `dir`. */
function newestMtimeMs(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** A readable executed notebook without error outputs (one being written right now does not parse). */
function cleanlyExecuted(file: string): boolean {
  try {
    const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
    return !notebook.cells.some((cell) => (cell.outputs ?? []).some((output) => output.output_type === 'error'));
  } catch {
    return false;
  }
}

/** Execute one notebook with this checkout's kernel; throws with the runner's report when a cell fails. */
function execute(python: string, notebook: string, output: string): void {
  const env = { ...jupyterEnv.projectJupyterEnv(process.env) };
  let stdout = '';
  try {
    stdout = execFileSync(python, [RUNNER, notebook, '--output', output, '--timeout', '180'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stdout?: string };
    const report = (failed.stdout ?? '').trim().split('\n').pop() ?? '';
    throw new Error(`book: ${path.basename(notebook)} did not run cleanly, so the book was not written: ${report}`);
  }
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean };
  if (!report.ok) throw new Error(`book: ${path.basename(notebook)} did not run cleanly: ${stdout.trim()}`);
}

/** The notebook prepared for the page: no inline plotly.js, links pointing at pages. */
function forThePage(notebook: NotebookJson): { notebook: NotebookJson; figureCount: number } {
  let figureCount = 0;
  const cells = notebook.cells.map((cell) => {
    if (cell.cell_type === 'markdown') return { ...cell, source: rewriteLinks(text(cell.source)) };
    const outputs = (cell.outputs ?? []).map((output) => {
      if (!output.data) return output;
      const data: Record<string, unknown> = { ...output.data };
      if ('application/vnd.plotly.v1+json' in data) figureCount += 1;
      delete data['application/vnd.plotly.v1+json'];
      if (typeof data['text/html'] === 'string') data['text/html'] = (data['text/html'] as string).replace(INLINE_PLOTLY, '');
      if (Array.isArray(data['text/html'])) data['text/html'] = (data['text/html'] as string[]).join('').replace(INLINE_PLOTLY, '');
      if (typeof data['text/markdown'] === 'string') data['text/markdown'] = rewriteLinks(data['text/markdown'] as string);
      return { ...output, data };
    });
    return { ...cell, outputs };
  });
  return { notebook: { ...notebook, cells }, figureCount };
}

/** Notebook links become page links: NN-x.ipynb → NN-x.html, ../README.md#notebooks → index.html. */
function rewriteLinks(markdown: string): string {
  return markdown
    .replace(/\]\((\d\d-[\w.-]+)\.ipynb(#[^)]*)?\)/g, (_all, name: string, anchor: string | undefined) => `](${name}.html${anchor ?? ''})`)
    .replace(/\]\(\.\.\/README\.md(#[^)]*)?\)/g, '](index.html#chapters)');
}

function titleOf(notebook: NotebookJson, fallback: string): { title: string; summary: string } {
  const markdown = notebook.cells.filter((cell) => cell.cell_type === 'markdown').map((cell) => text(cell.source)).join('\n');
  const heading = /^#\s+(.+)$/m.exec(markdown);
  const summary = /\*\*(?:In short|Summary)\.\*\*\s*([^\n]+)/.exec(markdown);
  return { title: heading ? heading[1].trim() : fallback, summary: summary ? summary[1].trim() : '' };
}

function navigation(chapters: Chapter[], index: number): string {
  const previous = index > 0 ? `<a href="${chapters[index - 1].page}" rel="prev">← ${escapeHtml(chapters[index - 1].title)}</a>` : '<span></span>';
  const next = index < chapters.length - 1 ? `<a href="${chapters[index + 1].page}" rel="next">${escapeHtml(chapters[index + 1].title)} →</a>` : '<span></span>';
  return `<nav class="book-nav">${previous}<a href="index.html#chapters">Contents</a>${next}</nav>`;
}

function bookCss(fontAssets: string[]): string {
  const faces = fontAssets
    .map((asset) => {
      const bold = /Bold/.test(asset);
      return `@font-face { font-family: "Noto Sans Devanagari"; font-weight: ${bold ? 700 : 400}; src: local("Noto Sans Devanagari${bold ? ' Bold' : ''}"), url("${path.basename(asset)}") format("truetype"); unicode-range: U+0900-097F, U+1CD0-1CFF, U+200C-200D, U+20B9, U+A8E0-A8FF; }`;
    })
    .join('\n');
  return `/* The Replication Workbook book. Devanagari is drawn with Noto Sans Devanagari (Debian: fonts-noto-core),
   shipped beside this file so the Hindi summaries render where the font is not installed. */
${faces}
body, .jp-RenderedHTMLCommon, .book-index {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "DejaVu Sans", "Noto Sans Devanagari", sans-serif;
}
.book-nav { display: flex; justify-content: space-between; gap: 1em; max-width: 1100px; margin: 0.5em auto; padding: 0.6em 1em;
  border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa; font-size: 15px; }
.book-nav a { text-decoration: none; color: #0969da; }
.book-index { max-width: 900px; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #1f2328; }
.book-index ol li { margin-bottom: 0.8em; }
.book-index .summary { color: #57606a; }
`;
}

function indexPage(chapters: Chapter[], plotlyAsset: string): string {
  const items = chapters
    .map((chapter) => `<li><a href="${chapter.page}">${escapeHtml(chapter.title)}</a>${chapter.summary ? `<div class="summary">${escapeHtml(chapter.summary.replace(/\*\*|`/g, ''))}</div>` : ''}</li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Replication Workbook · Episode 41: Database Replication Strategies</title>
<link rel="stylesheet" href="assets/book.css">
</head><body>
<main class="book-index">
<h1>Replication Workbook</h1>
<p><strong>Episode 41: Database Replication Strategies.</strong> One notebook per section of the episode, executed
with a fixed seed: every figure, table and number below is the output of a real run of the library
in this repository. Figures are interactive (hover, zoom) and draw offline; plotly.js is loaded once
for the whole book (<code>${escapeHtml(plotlyAsset)}</code>).</p>
<p>To change a parameter and run it yourself: <code>npm install &amp;&amp; npm start</code> in a clone opens the
same notebooks in Jupyter.</p>
<h2 id="chapters">Chapters</h2>
<ol>
${items}
</ol>
</main>
</body></html>
`;
}

export async function buildBook(options: BookOptions = {}): Promise<Book> {
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = path.resolve(options.outDir ?? path.join(ROOT, 'artifacts', 'book'));
  const executedDir = path.resolve(options.executedDir ?? path.join(ROOT, 'artifacts', 'executed'));
  const names = options.notebooks ?? fs.readdirSync(NOTEBOOKS_DIR).filter((name) => name.endsWith('.ipynb')).sort();
  if (names.length === 0) throw new Error('book: no notebooks in notebooks/');
  const python = jupyterEnv.findNbclientPython();
  const libChangedMs = Math.max(newestMtimeMs(path.join(ROOT, 'lib')), newestMtimeMs(path.join(ROOT, 'data')));

  fs.rmSync(outDir, { recursive: true, force: true });
  const stagingDir = path.join(outDir, '.staging');
  fs.mkdirSync(stagingDir, { recursive: true });
  fs.mkdirSync(executedDir, { recursive: true });
  jupyterEnv.registerProjectKernel();

  const chapters: Chapter[] = [];
  for (const name of names) {
    const source = path.join(NOTEBOOKS_DIR, name);
    const executed = path.join(executedDir, name);
    const reusable =
      !options.fresh &&
      fs.existsSync(executed) &&
      fs.statSync(executed).mtimeMs >= Math.max(fs.statSync(source).mtimeMs, libChangedMs) &&
      cleanlyExecuted(executed);
    if (!reusable) {
      if (!python) throw new Error(`book: Jupyter's runner is not installed, so ${name} cannot be executed. Install it with:\n    ${jupyterEnv.INSTALL_HINT_DEBIAN}`);
      const started = Date.now();
      execute(python, source, executed);
      log(`book: executed ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } else {
      log(`book: reusing ${path.relative(ROOT, executed)} (newer than the notebook, lib/ and data/)`);
    }
    const { notebook, figureCount } = forThePage(JSON.parse(fs.readFileSync(executed, 'utf8')) as NotebookJson);
    fs.writeFileSync(path.join(stagingDir, name), JSON.stringify(notebook));
    const { title, summary } = titleOf(notebook, name.replace(/\.ipynb$/, ''));
    chapters.push({ notebook: name, page: name.replace(/\.ipynb$/, '.html'), title, summary, executedAgain: !reusable, figureCount });
  }

  if (!python) throw new Error(`book: nbconvert is not installed. Install it with:\n    ${jupyterEnv.INSTALL_HINT_DEBIAN}`);
  // One nbconvert process for every page (its start-up dominates a single conversion).
  execFileSync(python, ['-m', 'nbconvert', '--to', 'html', '--output-dir', outDir, ...names.map((name) => path.join(stagingDir, name))], {
    cwd: ROOT,
    env: jupyterEnv.projectJupyterEnv(process.env),
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.rmSync(stagingDir, { recursive: true, force: true });

  const assetsDir = path.join(outDir, 'assets');
  fs.mkdirSync(assetsDir, { recursive: true });
  const plotly = plotlyLibrary();
  const plotlyAsset = `assets/plotly-${plotly.version}${plotly.minified ? '.min' : ''}.js`;
  fs.writeFileSync(path.join(outDir, plotlyAsset), plotly.code);
  const fontAssets: string[] = [];
  for (const file of Object.values(FONT_FILES)) {
    const found = FONT_DIRS.map((dir) => path.join(dir, file)).find((candidate) => fs.existsSync(candidate));
    if (!found) continue;
    fs.copyFileSync(found, path.join(assetsDir, file));
    fontAssets.push(`assets/${file}`);
  }
  if (fontAssets.length === 0) log('book: Noto Sans Devanagari not found (Debian: apt-get install fonts-noto-core); the Hindi text uses whatever font the reader has');
  fs.writeFileSync(path.join(assetsDir, 'book.css'), bookCss(fontAssets));

  chapters.forEach((chapter, index) => {
    const file = path.join(outDir, chapter.page);
    const nav = navigation(chapters, index);
    const html = fs
      .readFileSync(file, 'utf8')
      .replace(REQUIREJS_TAG, '')
      .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(chapter.title)} · Replication Workbook</title>`)
      // plotly.js first, so every figure's script finds window.Plotly; the book's fonts last, so they win.
      .replace('<head>', `<head>\n<script src="${plotlyAsset}"></script>`)
      .replace('</head>', `<link rel="stylesheet" href="assets/book.css">\n</head>`)
      .replace(/<body([^>]*)>/, (_all, attributes: string) => `<body${attributes}>\n${nav}`)
      .replace('</body>', `${nav}\n</body>`);
    fs.writeFileSync(file, html);
  });
  const index = path.join(outDir, 'index.html');
  fs.writeFileSync(index, indexPage(chapters, plotlyAsset));
  log(`book: ${chapters.length} chapters, ${chapters.reduce((sum, chapter) => sum + chapter.figureCount, 0)} figures → ${index}`);
  return { outDir, index, plotlyAsset, fontAssets, chapters };
}

function parseArgs(argv: string[]): BookOptions {
  const options: BookOptions = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--fresh') options.fresh = true;
    else if (argv[i] === '--out' && argv[i + 1]) options.outDir = argv[++i];
    else throw new Error(`book: unknown option ${JSON.stringify(argv[i])}; allowed: --fresh, --out DIR`);
  }
  return options;
}

if (require.main === module) {
  let options: BookOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  buildBook(options).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
