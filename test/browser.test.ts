// Proves the getting-started notebook's plotly figures really draw in headless Chromium: in
// the static HTML export (with RequireJS on the page, as nbconvert's template has it, and
// without), carrying plotly.js only once, and live in the classic Notebook front end.
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
  describeFailure,
  prepareNotebookEnvironment,
  runNotebook,
  runPythonModule,
} from './notebook-harness';
import type { NotebookEnvironment } from './notebook-harness';
import * as jupyterEnv from '../scripts/jupyter-env';

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

describe.skipIf(classicCommand === null)(`${NOTEBOOK} live in the classic Notebook`, () => {
  let server: ChildProcess | null = null;
  let serverDir = '';
  let baseUrl = '';
  let token = '';

  beforeAll(async () => {
    if (!environment) throw new Error('the notebook environment was not prepared (see the first beforeAll error)');
    // Serve a copy: the Notebook autosaves outputs, and committed notebooks must stay clean.
    serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-notebook-server-'));
    fs.copyFileSync(path.join(NOTEBOOKS_DIR, NOTEBOOK), path.join(serverDir, NOTEBOOK));
    const port = await freePort();
    token = randomBytes(16).toString('hex');
    baseUrl = `http://127.0.0.1:${port}`;
    const args = [
      `--port=${port}`, '--ip=127.0.0.1', '--no-browser', `--NotebookApp.token=${token}`,
      '--NotebookApp.enable_mathjax=False', `--notebook-dir=${serverDir}`,
    ];
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
    server = spawn(classicCommand as string, args, { env: environment.env, stdio: 'ignore' });
    await waitForServer(`${baseUrl}/api/kernelspecs?token=${token}`, server, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (serverDir) fs.rmSync(serverDir, { recursive: true, force: true });
  });

  test('the server lists the project kernel', async () => {
    const response = await fetch(`${baseUrl}/api/kernelspecs?token=${token}`);
    const specs = (await response.json()) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
    expect(specs.kernelspecs['replication-workbook']?.spec.display_name).toBe(jupyterEnv.KERNEL_DISPLAY_NAME);
  });

  test('running all cells draws every figure in the page', async () => {
    if (!context) throw new Error('Chromium did not start (see the beforeAll error above)');
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${baseUrl}/notebooks/${NOTEBOOK}?token=${token}`, { waitUntil: 'load', timeout: 60_000 });
      await page.waitForFunction(`Boolean(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, undefined, { timeout: 60_000 });
      await page.evaluate(`Jupyter.notebook.execute_all_cells()`);
      await page.waitForFunction(
        `(() => {
          const divs = Array.from(document.querySelectorAll('.replication-workbook-figure'));
          return divs.length >= ${figureCount} && divs.every((div) => div.querySelector('.main-svg') !== null);
        })()`,
        undefined,
        { timeout: 90_000 },
      );
      const traceCounts = (await page.evaluate(`Array.from(document.querySelectorAll('.replication-workbook-figure')).map((div) =>
        div.querySelectorAll('.scatterlayer .trace, .barlayer .trace, .boxlayer .trace, .heatmaplayer .hm').length)`)) as number[];
      const amd = (await page.evaluate(`typeof window.define === 'function' && Boolean(window.define.amd)`)) as boolean;
      await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-classic-notebook.png'), fullPage: true });
      expect(amd, 'the classic Notebook page has RequireJS').toBe(true);
      expect(traceCounts).toHaveLength(figureCount);
      for (const count of traceCounts) expect(count).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
