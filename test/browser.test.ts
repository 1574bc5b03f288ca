// Proves the plotly figures really draw in headless Chromium: the getting-started notebook's in
// the static HTML export (with RequireJS on the page, as nbconvert's template has it, and
// without), carrying plotly.js only once; and notebook 01's live in the classic Notebook that
// `npm start` opens, including after the notebook is closed and reopened.
import { spawn, spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ARTIFACTS_DIR,
  NOTEBOOKS_DIR,
  copyCheckout,
  describeFailure,
  prepareNotebookEnvironment,
  runNotebook,
  runPythonModule,
} from './notebook-harness';
import type { NotebookEnvironment } from './notebook-harness';
import * as jupyterEnv from '../scripts/jupyter-env';
import { buildBook } from '../scripts/book';
import type { Book } from '../scripts/book';

const NOTEBOOK = '00-getting-started.ipynb';
const OUT_DIR = path.join(ARTIFACTS_DIR, 'browser');
const EXECUTED = path.join(OUT_DIR, NOTEBOOK);
const HTML = path.join(OUT_DIR, NOTEBOOK.replace(/\.ipynb$/, '.html'));
const HTML_WITHOUT_REQUIREJS = path.join(OUT_DIR, NOTEBOOK.replace(/\.ipynb$/, '-no-requirejs.html'));
const SCREENSHOT = path.join(ARTIFACTS_DIR, NOTEBOOK.replace(/\.ipynb$/, '.png'));
/** plotly.js minified is ~4.9 MB and nbconvert's page ~0.3 MB; more means something is repeated. */
const HTML_SIZE_LIMIT_BYTES = 7 * 1024 * 1024;
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const LOCAL_REQUIREJS = ['/usr/share/javascript/requirejs/require.min.js', '/usr/share/javascript/requirejs/require.js'];
const REQUIREJS_TAG = /<script src="[^"]*require(?:\.min)?\.js"><\/script>/;

let environment: NotebookEnvironment | null = null;
let context: BrowserContext | null = null;
let userDataDir = '';
let figureCount = 0;
/** False when no local RequireJS exists, so the RequireJS case depends on the network. */
let requirejsPinned = false;

function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  const found = [fromEnv, ...CHROMIUM_CANDIDATES].find((candidate) => candidate && fs.existsSync(candidate));
  if (!found) {
    throw new Error('Chromium is not installed, so the figures cannot be checked in a browser. Install it with:\n    sudo apt-get install -y chromium\n(or set CHROMIUM_PATH to a Chrome/Chromium binary)');
  }
  return found;
}

beforeAll(async () => {
  environment = prepareNotebookEnvironment();
  const report = await runNotebook(environment, path.join(NOTEBOOKS_DIR, NOTEBOOK), EXECUTED);
  if (!report.ok) throw new Error(describeFailure(NOTEBOOK, report));

  const executed = JSON.parse(fs.readFileSync(EXECUTED, 'utf8')) as { cells: Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }> };
  figureCount = executed.cells
    .flatMap((cell) => cell.outputs ?? [])
    .filter((output) => output.data && 'application/vnd.plotly.v1+json' in output.data).length;

  await runPythonModule(environment, ['nbconvert', '--to', 'html', '--output-dir', OUT_DIR, EXECUTED]);
  // Same page with RequireJS pinned to the local copy (deterministic offline), and without it.
  const exported = fs.readFileSync(HTML, 'utf8');
  const localRequirejs = LOCAL_REQUIREJS.find((file) => fs.existsSync(file));
  if (localRequirejs && REQUIREJS_TAG.test(exported)) {
    fs.writeFileSync(HTML, exported.replace(REQUIREJS_TAG, `<script src="file://${localRequirejs}"></script>`));
    requirejsPinned = true;
  } else {
    console.log(`no local RequireJS (${LOCAL_REQUIREJS.join(', ')}): the RequireJS case uses whatever the export links to`);
  }
  fs.writeFileSync(HTML_WITHOUT_REQUIREJS, exported.replace(REQUIREJS_TAG, ''));

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1200, height: 900 },
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  environment?.cleanup();
});

interface FigureState {
  svg: boolean;
  traceCount: number;
  text: string;
}

async function drawnFigures(file: string, screenshot: string | null): Promise<{ figures: FigureState[]; amd: boolean; pageErrors: string[] }> {
  if (!context) throw new Error('Chromium did not start (see the beforeAll error above)');
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 60_000 });
    // Figures draw once plotly.js has been parsed; wait until every one has its SVG.
    // Browser code is passed as strings because this project compiles without DOM types.
    await page.waitForFunction(
      `(() => {
        const divs = Array.from(document.querySelectorAll('.replication-workbook-figure'));
        return divs.length > 0 && divs.every((div) => div.querySelector('.main-svg') !== null || div.textContent.includes('not loaded'));
      })()`,
      undefined,
      { timeout: 60_000 },
    );
    // Data traces of the kinds our builders use: lines/markers, bars, boxes, heatmaps.
    const figures = (await page.evaluate(`Array.from(document.querySelectorAll('.replication-workbook-figure')).map((div) => ({
      svg: div.querySelector('.main-svg') !== null,
      traceCount: div.querySelectorAll('.scatterlayer .trace, .barlayer .trace, .boxlayer .trace, .heatmaplayer .hm').length,
      text: div.textContent.slice(0, 200),
    }))`)) as FigureState[];
    const amd = (await page.evaluate(`typeof window.define === 'function' && Boolean(window.define.amd)`)) as boolean;
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { figures, amd, pageErrors };
  } finally {
    await page.close();
  }
}

describe(`static HTML export of ${NOTEBOOK}`, () => {
  test('carries plotly.js once and stays a sensible size', () => {
    const html = fs.readFileSync(HTML, 'utf8');
    const sizeBytes = fs.statSync(HTML).size;
    console.log(`${path.relative(ARTIFACTS_DIR, HTML)}: ${(sizeBytes / 1024 / 1024).toFixed(2)} MB, ${figureCount} figure(s); executed notebook ${(fs.statSync(EXECUTED).size / 1024 / 1024).toFixed(2)} MB`);
    expect(figureCount).toBeGreaterThan(0);
    expect(html.split('for the Replication Workbook; loaded once per kernel').length - 1).toBe(1);
    expect(sizeBytes).toBeLessThan(HTML_SIZE_LIMIT_BYTES);
  });

  test('every figure draws with data traces in Chromium when RequireJS is on the page', async () => {
    const { figures, amd, pageErrors } = await drawnFigures(HTML, SCREENSHOT);
    if (requirejsPinned) expect(amd, 'RequireJS (define.amd) should be on this page, as in the classic Notebook').toBe(true);
    expect(figures).toHaveLength(figureCount);
    for (const figure of figures) {
      expect(figure.svg, `figure did not draw: ${figure.text}`).toBe(true);
      expect(figure.traceCount).toBeGreaterThan(0);
    }
    expect(pageErrors).toEqual([]);
    expect(fs.existsSync(SCREENSHOT)).toBe(true);
  }, 120_000);

  test('every figure draws with data traces in Chromium without RequireJS', async () => {
    const { figures, amd, pageErrors } = await drawnFigures(HTML_WITHOUT_REQUIREJS, null);
    expect(amd).toBe(false);
    expect(figures).toHaveLength(figureCount);
    for (const figure of figures) {
      expect(figure.svg, `figure did not draw: ${figure.text}`).toBe(true);
      expect(figure.traceCount).toBeGreaterThan(0);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

/** The classic Notebook 6 server command, or null when this machine has another front end. */
function classicNotebookCommand(): string | null {
  const server = jupyterEnv.findJupyterServer();
  const command = jupyterEnv.which('jupyter-notebook');
  if (!server || !command) return null;
  const version = spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return /^[56]\./.test(version) ? command : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter-notebook exited with code ${server.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`jupyter-notebook did not answer ${url} within ${timeoutMs} ms`);
}

const classicCommand = classicNotebookCommand();
/** The notebook a learner opens first after getting started; its figures are checked live. */
const LIVE_NOTEBOOK = '01-leader-follower.ipynb';
const FIGURE_DIVS = `Array.from(document.querySelectorAll('.replication-workbook-figure'))`;
const TRACES = `.scatterlayer .trace, .barlayer .trace, .boxlayer .trace, .heatmaplayer .hm`;

/**
 * A learner's session, end to end, in a copy of this checkout (the Notebook autosaves outputs
 * into the files it serves): `npm start` (scripts/start.js) serves the project root and opens on
 * notebooks/ with this checkout's kernel; the learner opens notebook 01 from the file list, runs
 * all cells twice (the second run sends no inline plotly.js: the kernel already did), closes it,
 * reopens it from the file list and sees every figure drawn, well inside the figures' 30 s wait;
 * then again after the kernel was shut down.
 */
describe.skipIf(classicCommand === null)(`${LIVE_NOTEBOOK} live in the classic Notebook started by npm start`, () => {
  let server: ChildProcess | null = null;
  let checkoutDir = '';
  let baseUrl = '';
  let token = '';
  let serverLog = '';

  beforeAll(async () => {
    if (!environment) throw new Error('the notebook environment was not prepared (see the first beforeAll error)');
    checkoutDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-learner-')), 'workbook');
    copyCheckout(checkoutDir);
    const port = await freePort();
    token = randomBytes(16).toString('hex');
    baseUrl = `http://127.0.0.1:${port}`;
    const { JUPYTER_PATH: _fromTheHarness, ...env } = environment.env;
    server = spawn(process.execPath, ['scripts/start.js', `--port=${port}`, `--NotebookApp.token=${token}`, '--NotebookApp.enable_mathjax=False'], {
      cwd: checkoutDir,
      env: { ...env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk) => (serverLog += chunk));
    server.stderr?.on('data', (chunk) => (serverLog += chunk));
    await waitForServer(`${baseUrl}/api/kernelspecs?token=${token}`, server, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (checkoutDir) fs.rmSync(path.dirname(checkoutDir), { recursive: true, force: true });
  });

  test("the server offers the checkout's own kernel, named after its folder", async () => {
    const response = await fetch(`${baseUrl}/api/kernelspecs?token=${token}`);
    const specs = (await response.json()) as { kernelspecs: Record<string, { spec: { display_name: string; argv: string[] } }> };
    const spec = specs.kernelspecs['replication-workbook']?.spec;
    expect(spec?.display_name).toBe('TypeScript (Replication Workbook: workbook)');
    expect(spec?.argv[1]).toBe(path.join(checkoutDir, 'scripts', 'kernel.js'));
  });

  test('runs all twice, closes, reopens from the file list (kernel running, then shut down): every figure draws', async () => {
    if (!context) throw new Error('Chromium did not start (see the beforeAll error above)');
    const pageErrors: string[] = [];
    const tree = await context.newPage();
    tree.on('pageerror', (error) => pageErrors.push(`tree: ${error.message}`));
    const shots = (name: string) => path.join(ARTIFACTS_DIR, `${LIVE_NOTEBOOK.replace(/\.ipynb$/, '')}-${name}.png`);

    /** Click the notebook in the file list (it opens in a new tab) and wait for its kernel. */
    const openFromFileList = async () => {
      await tree.goto(`${baseUrl}/?token=${token}`, { waitUntil: 'load', timeout: 60_000 });
      expect(new URL(tree.url()).pathname, 'Jupyter opens on notebooks/').toBe('/tree/notebooks');
      const link = tree.locator(`#notebook_list a[href$="/notebooks/${LIVE_NOTEBOOK}"]`);
      await link.waitFor({ timeout: 30_000 });
      const [page] = await Promise.all([context!.waitForEvent('page', { timeout: 30_000 }), link.click()]);
      page.on('pageerror', (error) => pageErrors.push(`notebook: ${error.message}`));
      await page.waitForFunction(`Boolean(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, undefined, { timeout: 60_000 });
      return page;
    };
    const runAll = async (page: import('playwright-core').Page) => {
      await page.evaluate(`Jupyter.notebook.execute_all_cells()`);
      await page.waitForFunction(
        `Jupyter.notebook.get_cells().every((cell) => cell.cell_type !== 'code' || (typeof cell.input_prompt_number === 'number'))`,
        undefined,
        { timeout: 150_000 },
      );
    };
    /** Trace counts of every figure once all are drawn; fails after waitMs (< the figures' own 30 s wait). */
    const drawn = async (page: import('playwright-core').Page, atLeast: number, waitMs: number) => {
      await page.waitForFunction(
        `(() => { const divs = ${FIGURE_DIVS}; return divs.length >= ${atLeast} && divs.every((div) => div.querySelector('.main-svg') !== null); })()`,
        undefined,
        { timeout: waitMs },
      );
      return (await page.evaluate(`${FIGURE_DIVS}.map((div) => div.querySelectorAll(${JSON.stringify(TRACES)}).length)`)) as number[];
    };
    const closeAndSave = async (page: import('playwright-core').Page) => {
      await page.evaluate(`Jupyter.notebook.save_notebook()`);
      await page.waitForFunction(`!Jupyter.notebook.dirty`, undefined, { timeout: 30_000 });
      await page.close();
    };

    try {
      let page = await openFromFileList();
      // The notebook's "Index (README)" link reaches the README now that the root is the project.
      const indexHref = (await page.evaluate(`(() => { const a = Array.from(document.querySelectorAll('.text_cell_render a')).find((x) => /Index/.test(x.textContent)); return a ? a.href : null; })()`)) as string | null;
      expect(indexHref, 'the navigation line has an Index (README) link').not.toBeNull();
      const readmePage = await context.newPage();
      // As a click does it: with the notebook as Referer (the Notebook blocks Referer-less GETs of files).
      const readme = await readmePage.goto(indexHref as string, { waitUntil: 'load', timeout: 30_000, referer: page.url() });
      expect(readme?.status(), `${indexHref} answers`).toBe(200);
      expect(await readmePage.textContent('body'), 'the README is what the Index link shows').toContain('npm start');
      await readmePage.close();

      await runAll(page);
      const firstRun = await drawn(page, 1, 60_000);
      const figureTotal = firstRun.length;
      await runAll(page);
      expect(await drawn(page, figureTotal, 60_000)).toHaveLength(figureTotal);
      await closeAndSave(page);

      page = await openFromFileList();
      const reopened = await drawn(page, figureTotal, 15_000);
      // The notebook scrolls inside its own panel, so a page screenshot shows only the top: take a figure.
      await page.locator('.replication-workbook-figure').first().screenshot({ path: shots('reopened-first-figure') });
      expect(reopened).toHaveLength(figureTotal);
      for (const count of reopened) expect(count).toBeGreaterThan(0);

      // Shut the kernel down, then reopen: the saved outputs still draw.
      await page.evaluate(`Jupyter.notebook.kernel.kill()`);
      await page.close();
      page = await openFromFileList();
      const afterKernelDied = await drawn(page, figureTotal, 15_000);
      await page.locator('.replication-workbook-figure').last().screenshot({ path: shots('reopened-new-kernel-last-figure') });
      expect(afterKernelDied).toHaveLength(figureTotal);
      await page.close();
      expect(pageErrors).toEqual([]);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nnpm start output (last 2,000 characters):\n${serverLog.slice(-2000)}`);
    } finally {
      await tree.close();
    }
  }, 420_000);
});

/**
 * `npm run book`, checked as a reader sees it: the index lists the chapters in order, a
 * chapter page draws every figure offline from the one shared plotly.js (no copy inline), its
 * navigation leads back to the index and on to the next chapter, and its Hindi summary has
 * Noto Sans Devanagari to render with. Two chapters keep the test quick; `npm run book` builds all.
 */
describe('the HTML book (npm run book)', () => {
  const BOOK_NOTEBOOKS = ['00-getting-started.ipynb', '01-leader-follower.ipynb'];
  let book: Book | null = null;

  beforeAll(async () => {
    if (!environment) throw new Error('the notebook environment was not prepared (see the first beforeAll error)');
    // A private executed folder: the notebook test writes artifacts/executed/ at the same time.
    book = await buildBook({ notebooks: BOOK_NOTEBOOKS, outDir: path.join(ARTIFACTS_DIR, 'book-test'), executedDir: path.join(ARTIFACTS_DIR, 'book-test-executed'), log: () => undefined });
  }, 300_000);

  test('index lists the chapters in order; a chapter draws every figure from the shared plotly.js, with navigation and a Devanagari font', async () => {
    if (!context || !book) throw new Error('Chromium or the book is missing (see the beforeAll errors above)');
    const built = book;
    const chapter = built.chapters[1];
    const chapterHtml = fs.readFileSync(path.join(built.outDir, chapter.page), 'utf8');
    expect(chapterHtml, 'no inline plotly.js in a chapter').not.toContain('loaded once per kernel');
    expect(chapterHtml.split(`<script src="${built.plotlyAsset}"></script>`).length - 1, 'the shared plotly.js, once').toBe(1);
    expect(built.fontAssets.length, 'Noto Sans Devanagari is shipped with the book (Debian: fonts-noto-core)').toBeGreaterThan(0);

    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`file://${built.index}`, { waitUntil: 'load', timeout: 60_000 });
      const listed = (await page.evaluate(`Array.from(document.querySelectorAll('#chapters + ol a')).map((a) => a.getAttribute('href'))`)) as string[];
      expect(listed).toEqual(built.chapters.map((c) => c.page));
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'book-index.png'), fullPage: true });

      await page.click(`a[href="${chapter.page}"]`);
      await page.waitForLoadState('load');
      await page.waitForFunction(
        `(() => { const divs = ${FIGURE_DIVS}; return divs.length === ${chapter.figureCount} && divs.every((div) => div.querySelector('.main-svg') !== null); })()`,
        undefined,
        { timeout: 60_000 },
      );
      const traceCounts = (await page.evaluate(`${FIGURE_DIVS}.map((div) => div.querySelectorAll(${JSON.stringify(TRACES)}).length)`)) as number[];
      expect(traceCounts).toHaveLength(chapter.figureCount);
      for (const count of traceCounts) expect(count).toBeGreaterThan(0);

      await page.evaluate(`document.fonts.ready`);
      const devanagari = (await page.evaluate(`document.fonts.check('16px "Noto Sans Devanagari"', 'सारांश')`)) as boolean;
      expect(devanagari, 'Noto Sans Devanagari is available to the page').toBe(true);
      const navTargets = (await page.evaluate(`Array.from(document.querySelectorAll('.book-nav')[0].querySelectorAll('a')).map((a) => a.getAttribute('href'))`)) as string[];
      expect(navTargets).toContain('index.html#chapters');
      expect(navTargets).toContain(built.chapters[0].page);
      const notebookLinks = (await page.evaluate(`Array.from(document.querySelectorAll('a[href$=".ipynb"]')).length`)) as number;
      expect(notebookLinks, 'links between notebooks point at pages').toBe(0);
      await page.locator('.replication-workbook-figure').first().screenshot({ path: path.join(ARTIFACTS_DIR, 'book-chapter-first-figure.png') });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
