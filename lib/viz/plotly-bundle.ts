/**
 * plotly.js as one script for a notebook page.
 *
 * `plotly.js-dist` ships an unminified ~11 MB bundle. Embedding it once per kernel is
 * what keeps figures working in the static HTML export and offline, but it should cost
 * as little as possible, so on first use we minify it once with the esbuild that tsx
 * already installs (about 1 s, to ~4.9 MB) and cache the result under
 * node_modules/.cache/replication-workbook/. When esbuild or the cache folder is not
 * available we fall back to the unminified file: bigger, but still correct.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface PlotlyLibrary {
  /** plotly.js version, e.g. "3.7.0". */
  version: string;
  /** JavaScript that defines `window.Plotly`, safe to inline in a `<script>` element. */
  code: string;
  /** True when `code` is the esbuild-minified bundle. */
  minified: boolean;
}

let cachedLibrary: PlotlyLibrary | null = null;

function plotlyPackageDir(): string {
  try {
    return path.dirname(require.resolve('plotly.js-dist/package.json'));
  } catch {
    throw new Error('plotly.js-dist is not installed: run `npm install` in the project folder to get it.');
  }
}

/** Make the code inert for the HTML parser: it must not close or confuse its <script>. */
function escapeForScriptElement(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

function minifyWithEsbuild(source: string): string | null {
  try {
    // esbuild arrives with tsx; required lazily so a missing binary only costs size.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const esbuild = require('esbuild') as { transformSync(code: string, options: Record<string, unknown>): { code: string } };
    return esbuild.transformSync(source, { minify: true, legalComments: 'none' }).code;
  } catch {
    return null;
  }
}

/** Write via a temporary file and rename, so parallel kernels or tests never read half a file. */
function writeCacheFile(file: string, code: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, file);
  } catch {
    // A read-only node_modules only means we minify again next time.
  }
}

/**
 * The plotly.js library, minified once and cached on disk. The returned code sets
 * `window.Plotly` even when a page has RequireJS (classic Notebook): it runs with
 * `define`, `module` and `exports` hidden, so no UMD wrapper can register it as an
 * AMD or CommonJS module instead.
 */
export function plotlyLibrary(): PlotlyLibrary {
  if (cachedLibrary) return cachedLibrary;
  const packageDir = plotlyPackageDir();
  const version = String((JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version);
  const cacheFile = path.join(packageDir, '..', '.cache', 'replication-workbook', `plotly-${version}.min.js`);
  let body: string | null = null;
  let minified = true;
  if (fs.existsSync(cacheFile)) body = fs.readFileSync(cacheFile, 'utf8');
  if (!body) {
    const source = fs.readFileSync(path.join(packageDir, 'plotly.js'), 'utf8');
    body = minifyWithEsbuild(source);
    if (body) writeCacheFile(cacheFile, body);
    else {
      body = source;
      minified = false;
    }
  }
  const code =
    `/* plotly.js v${version} (MIT license, https://github.com/plotly/plotly.js), ` +
    `${minified ? 'minified ' : ''}for the Replication Workbook; loaded once per kernel. */\n` +
    `if (!window.Plotly) { (function (define, module, exports) {\n${escapeForScriptElement(body)}\n}).call(window); }\n`;
  cachedLibrary = { version, code, minified };
  return cachedLibrary;
}
