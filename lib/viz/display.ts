/**
 * Showing figures and tables in a notebook.
 *
 * A figure goes out as ONE display bundle that every front end can use:
 * - `application/vnd.plotly.v1+json` for front ends with a plotly renderer
 *   (JupyterLab with the plotly extension, VS Code);
 * - `text/html` that draws the figure with plotly.js, for the classic Notebook,
 *   JupyterLab without the extension, and nbconvert's static HTML export;
 * - `text/plain` naming the figure, for consoles and `jupyter execute` logs.
 *
 * plotly.js reaches the page in two ways, so a figure draws whenever its output is shown:
 * - from the Jupyter server: the kernel writes the minified library once to the checkout's
 *   Jupyter folder (`.jupyter/nbextensions/replication-workbook/`, on JUPYTER_PATH under
 *   `npm start`), which the server serves at `<base_url>nbextensions/replication-workbook/`.
 *   Every figure that finds no `window.Plotly` asks for it there, so a notebook reopened
 *   after its cells were re-run (the output that carried the library is gone), or after the
 *   kernel died, still draws;
 * - inline, as the fallback for pages with no such server (an HTML export, VS Code, a
 *   Jupyter started elsewhere): plotly.js (~4.9 MB minified) travels inside the HTML of the
 *   FIRST figure a kernel shows, so an executed notebook carries the library once, not once
 *   per figure.
 *
 * Outside a tslab kernel (vitest, tsx scripts) nothing is displayed: a one-line text
 * summary is printed instead, and tests install their own sink with `setDisplaySink`.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Figure } from './figure';
import { plotlyLibrary } from './plotly-bundle';
import type { PlotlyLibrary } from './plotly-bundle';
import { tableHtml } from './table-html';
import type { DataFrameLike, TableHtmlOptions } from './table-html';

/** The mime bundle of one Jupyter `display_data` message. */
export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** Where bundles go; the default sends them to the notebook when inside tslab. */
export type DisplaySink = (bundle: DisplayBundle) => void;

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const DEFAULT_FIGURE_HEIGHT_PX = 450;
/** How long a figure waits for its element and for plotly.js before saying plotly.js is missing. */
const WAIT_FOR_PLOTLY_MS = 30_000;

// Kernel-wide state lives on globalThis, not in module variables: tslab re-instantiates
// a lib module when its file is recompiled, and that must not make us think plotly.js
// was never sent (or was sent when it was not).
const STATE_KEY = '__replicationWorkbookDisplay__';
interface DisplayState {
  plotlyLoaded: boolean;
  sink: DisplaySink | null;
}
function state(): DisplayState {
  const holder = globalThis as unknown as Record<string, DisplayState | undefined>;
  let current = holder[STATE_KEY];
  if (!current) {
    current = { plotlyLoaded: false, sink: null };
    holder[STATE_KEY] = current;
  }
  return current;
}

/**
 * Send displays to `sink` instead of the notebook (null restores the default).
 * Tests use this to capture bundles; it also resets "plotly.js already sent", because a
 * new sink is a new page.
 */
export function setDisplaySink(sink: DisplaySink | null): void {
  state().sink = sink;
  state().plotlyLoaded = false;
}

/**
 * Make the next `show()` send plotly.js again. Use it when figures say plotly.js is not
 * loaded, e.g. after reloading the browser page while the kernel kept running.
 */
export function reloadPlotlyOnNextShow(): void {
  state().plotlyLoaded = false;
}

interface TslabJupyterModule {
  lastWriteDisplayData?: ((message: Record<string, unknown>, update: boolean) => void) | null;
}

/**
 * The default sink: inside tslab, send a multi-mime display_data message through the
 * writer tslab installs for the running cell (its public `display.raw` sends only one
 * mime type per message). Returns null outside a tslab kernel.
 */
function tslabSink(): DisplaySink | null {
  // tslab's executor defines __tslab__ before running any notebook code.
  if (!(globalThis as Record<string, unknown>).__tslab__) return null;
  let jupyter: TslabJupyterModule;
  try {
    jupyter = require('tslab/dist/jupyter') as TslabJupyterModule;
  } catch {
    return null;
  }
  const write = jupyter.lastWriteDisplayData;
  if (typeof write === 'function') {
    return (bundle) => write({ data: bundle.data, metadata: bundle.metadata, transient: {} }, false);
  }
  // A future tslab without that writer: fall back to its public one-mime API.
  const tslab = require('tslab') as { display: { html(s: string): void } };
  return (bundle) => tslab.display.html(String(bundle.data['text/html'] ?? bundle.data['text/plain'] ?? ''));
}

function emit(bundle: DisplayBundle): void {
  const sink = state().sink ?? tslabSink();
  if (sink) {
    sink(bundle);
    return;
  }
  console.log(String(bundle.data['text/plain'] ?? '[display: nothing to print]'));
}

/** JSON that can sit inside a <script> element without ending it early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function titleText(layout: Record<string, unknown>): string {
  const title = layout.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') {
    return (title as { text: string }).text;
  }
  return 'untitled figure';
}

const SEED_PATTERN = /\bseed\b/i;

/**
 * The layout to draw: the builder's, plus a small "seed 42" note in the top-right
 * corner when the figure has a seed and neither its title nor its annotations mention
 * one. The caller's figure is not modified.
 */
export function layoutWithSeed(fig: Figure): Record<string, unknown> {
  const layout: Record<string, unknown> = { ...fig.layout };
  if (fig.seed === null || fig.seed === undefined) return layout;
  const annotations = Array.isArray(layout.annotations) ? (layout.annotations as Array<Record<string, unknown>>) : [];
  const mentioned =
    SEED_PATTERN.test(titleText(layout)) ||
    annotations.some((note) => typeof note.text === 'string' && SEED_PATTERN.test(note.text));
  if (mentioned) return layout;
  layout.annotations = [
    ...annotations,
    {
      text: `seed ${fig.seed}`,
      xref: 'paper',
      yref: 'paper',
      x: 1,
      y: 1,
      xanchor: 'right',
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 11, color: '#666666' },
    },
  ];
  return layout;
}

const PLOTLY_CONFIG = { responsive: true, displaylogo: false };

/** Where the Jupyter server serves plotly.js from, relative to its base URL. */
export function servedPlotlyPath(library: PlotlyLibrary): string {
  return `nbextensions/replication-workbook/plotly-${library.version}${library.minified ? '.min' : ''}.js`;
}

/** The project root: two folders up from lib/viz, or the kernel's working directory. */
function projectRoot(): string {
  const fromHere = path.resolve(__dirname, '..', '..');
  return fs.existsSync(path.join(fromHere, 'package.json')) ? fromHere : process.cwd();
}

/**
 * Put plotly.js into the checkout's Jupyter folder (once; atomically, so a server never
 * serves half a file), where `npm start`'s Jupyter serves it. Returns false when the folder
 * cannot be written; figures then rely on the inline copy.
 */
export function ensureServedPlotly(library: PlotlyLibrary = plotlyLibrary()): boolean {
  const file = path.join(projectRoot(), '.jupyter', ...servedPlotlyPath(library).split('/'));
  try {
    if (fs.existsSync(file)) return true;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, library.code);
    fs.renameSync(temporary, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Browser code shared by every figure: when `window.Plotly` is missing, ask the Jupyter
 * server that serves this page for plotly.js (once per page). The base URL comes from the
 * classic Notebook's `<body data-base-url>` or JupyterLab / Notebook 7's `#jupyter-config-data`;
 * a page without either (an HTML export, VS Code) has no such server and waits for the inline copy.
 */
function plotlyRequestScript(servedPath: string): string {
  return (
    `  function requestPlotly() {\n` +
    `    if (window.Plotly || window.__replicationWorkbookPlotlyRequested) return;\n` +
    `    var base = document.body && document.body.getAttribute('data-base-url');\n` +
    `    var config = document.getElementById('jupyter-config-data');\n` +
    `    if (!base && config) { try { base = JSON.parse(config.textContent || '{}').baseUrl; } catch (ignored) { base = null; } }\n` +
    `    if (!base) return;\n` +
    `    window.__replicationWorkbookPlotlyRequested = true;\n` +
    `    var script = document.createElement('script');\n` +
    `    script.src = base.replace(/\\/?$/, '/') + ${JSON.stringify(servedPath)};\n` +
    `    script.async = true;\n` +
    `    document.head.appendChild(script);\n` +
    `  }\n`
  );
}

/** The display bundle for a figure; `includeLibrary` puts plotly.js in front of it. */
export function figureBundle(fig: Figure, includeLibrary: boolean): DisplayBundle {
  if (!fig || !Array.isArray(fig.data) || !fig.layout || typeof fig.layout !== 'object') {
    throw new Error(`show(fig): fig must be a Figure { data: trace[], layout: {...}, seed }, got ${fig === null ? 'null' : typeof fig}`);
  }
  const layout = layoutWithSeed(fig);
  const plotlyJson = { data: fig.data, layout, config: PLOTLY_CONFIG };
  const elementId = `rw-figure-${randomBytes(6).toString('hex')}`;
  const heightPx = typeof layout.height === 'number' ? layout.height : DEFAULT_FIGURE_HEIGHT_PX;
  const title = titleText(layout);
  const seedNote = fig.seed === null || fig.seed === undefined ? '' : ` (seed ${fig.seed})`;
  const plotly = plotlyLibrary();
  const library = includeLibrary ? `<script type="text/javascript">\n${plotly.code}</script>\n` : '';
  // The drawing script polls briefly: a front end may run an output's scripts before it
  // attaches the output to the page (so the div is not found yet), and plotly.js may
  // still be loading when a later figure's script runs.
  const html =
    library +
    `<div id="${elementId}" class="replication-workbook-figure" style="width:100%;height:${heightPx}px;"></div>\n` +
    `<script type="text/javascript">\n(function () {\n` +
    `  var figure = ${jsonForScript(plotlyJson)};\n` +
    `  var id = ${JSON.stringify(elementId)};\n` +
    `  var waitedMs = 0;\n` +
    plotlyRequestScript(servedPlotlyPath(plotly)) +
    `  function attempt() {\n` +
    `    var element = document.getElementById(id);\n` +
    `    if (element && window.Plotly && window.Plotly.newPlot) {\n` +
    `      window.Plotly.newPlot(element, figure.data, figure.layout, figure.config);\n` +
    `    } else if (waitedMs < ${WAIT_FOR_PLOTLY_MS}) {\n` +
    `      if (!window.Plotly) requestPlotly();\n` +
    `      waitedMs += 50; setTimeout(attempt, 50);\n` +
    `    } else if (element) {\n` +
    `      element.style.height = 'auto';\n` +
    `      element.textContent = 'plotly.js is not loaded on this page, so this figure (' + ${jsonForScript(title)} + ') cannot be drawn. ' +\n` +
    `        'Open the notebook from \\u0060npm start\\u0060 (it serves plotly.js), or run reloadPlotlyOnNextShow() from ./lib/viz and re-run this cell.';\n` +
    `    }\n` +
    `  }\n` +
    `  attempt();\n` +
    `})();\n</script>\n`;
  return {
    data: {
      [PLOTLY_MIME]: plotlyJson,
      'text/html': html,
      'text/plain': `<Figure: ${title}${seedNote}>`,
    },
    metadata: {},
  };
}

/**
 * Display a figure in the notebook. The first call in a kernel also sends plotly.js.
 */
export function show(fig: Figure): void {
  const current = state();
  const includeLibrary = !current.plotlyLoaded;
  // Inside a kernel, make sure the Jupyter server can serve plotly.js to later page loads.
  if (includeLibrary && !current.sink && tslabSink()) ensureServedPlotly();
  const bundle = figureBundle(fig, includeLibrary);
  emit(bundle);
  // Only a sink that really took the bundle counts as "library sent".
  if (current.sink || tslabSink()) current.plotlyLoaded = true;
}

function tableSummary(table: readonly object[] | DataFrameLike, title: string | undefined): string {
  const rowCount = Array.isArray(table) ? table.length : (table as DataFrameLike).values.length;
  const columnCount = Array.isArray(table) ? Object.keys(table[0] ?? {}).length : (table as DataFrameLike).columns.length;
  return `<Table${title ? `: ${title}` : ''}, ${rowCount} rows x ${columnCount} columns>`;
}

/** The display bundle for a table: the HTML of tableHtml plus a one-line text summary. */
export function tableBundle(table: readonly object[] | DataFrameLike, options: TableHtmlOptions = {}): DisplayBundle {
  const html = tableHtml(table, options);
  return { data: { 'text/html': html, 'text/plain': tableSummary(table, options.title) }, metadata: {} };
}

/**
 * Display records (`[{ region: 'mumbai', lagMs: 12 }, ...]`) or a danfo DataFrame as a
 * table; options as for tableHtml (title, maxRows, numberFormat).
 */
export function showTable(table: readonly object[] | DataFrameLike, options: TableHtmlOptions = {}): void {
  emit(tableBundle(table, options));
}

/** Display trusted HTML as is. */
export function showHtml(html: string): void {
  emit({ data: { 'text/html': html, 'text/plain': html.replace(/<[^>]*>/g, '') }, metadata: {} });
}

/** Display Markdown (rendered by the front end). */
export function showMarkdown(markdown: string): void {
  emit({ data: { 'text/markdown': markdown, 'text/plain': markdown }, metadata: {} });
}
