'use strict';
/**
 * Kernel launcher named in the "replication-workbook" kernelspec:
 *
 *   node scripts/kernel.js <connection_file>
 *
 * Jupyter starts a kernel in the notebook's folder (notebooks/), but tslab compiles
 * notebook code with rootDir = the working directory, so `import ... from '../lib/x'`
 * would fail with "not under rootDir". Moving to the project root first lets notebooks
 * write `import { show } from './lib/viz'`, and tslab then recompiles edited lib files
 * on the next cell run: no build step for learners.
 *
 * Two gaps in tslab 1.0 are closed here by wrapping its compiler output (see below):
 * folder imports ('./lib/viz' meaning ./lib/viz/index.ts) and edits to a lib file that
 * reaches the notebook through another module (an index re-export).
 */
const fs = require('fs');
const path = require('path');

const projectRoot = path.resolve(__dirname, '..');
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: node scripts/kernel.js <connection_file> (Jupyter passes {connection_file})');
  process.exit(2);
}
// Resolve before chdir: Jupyter may pass a path relative to its own working directory.
const connectionPath = path.resolve(connectionFile);
if (!fs.existsSync(connectionPath)) {
  console.error(`kernel.js: connection file ${connectionPath} does not exist`);
  process.exit(2);
}

const INDEX_FILES = ['index.ts', 'index.tsx', 'index.js'];
const RELATIVE_REQUIRE = /\brequire\((["'])(\.{1,2}(?:\/[^"'\n]*)?)\1\)/g;

/**
 * tslab resolves a relative import only to a file ("./lib/viz" -> lib/viz.js), never to
 * a folder's index, so `import { show } from './lib/viz'` compiles but fails at run time
 * with "Cannot find module". Point such requires at the folder's index explicitly, in
 * the cell's code (relative to the project root) and in every compiled lib file
 * (relative to that file).
 */
function requireFolderIndexes(code, fromDir) {
  return code.replace(RELATIVE_REQUIRE, (whole, quote, specifier) => {
    const target = path.resolve(fromDir, specifier);
    const isFolder = fs.existsSync(target) && fs.statSync(target).isDirectory();
    if (!isFolder || !INDEX_FILES.some((name) => fs.existsSync(path.join(target, name)))) return whole;
    return `require(${quote}${specifier.replace(/\/$/, '')}/index${quote})`;
  });
}

/**
 * Wrap tslab's converter (see requireFolderIndexes), and make edits reach the running code.
 * tslab recompiles a lib file as soon as it changes on disk, but re-instantiates only that
 * file's module: a module that imports it keeps the old instance. Notebooks import folder
 * indexes (./lib/viz re-exports ./lib/viz/time-series), so an edit to time-series.ts would
 * type-check yet not run. When a cell's compile re-emits any file that was emitted before
 * (i.e. a file was edited), hand the executor every file emitted so far, so it drops all
 * cached lib modules and the next import loads the edited code everywhere. Files emitted
 * for the first time (a new import) reload nothing, so objects made by earlier cells keep
 * working.
 */
function projectConverter(converter) {
  const emitted = new Map();
  return Object.assign({}, converter, {
    convert(prevDecl, src) {
      const result = converter.convert(prevDecl, src);
      if (typeof result.output === 'string') result.output = requireFolderIndexes(result.output, projectRoot);
      const outputs = result.sideOutputs;
      if (!outputs || outputs.length === 0) return result;
      for (const output of outputs) output.data = requireFolderIndexes(output.data, path.dirname(output.path));
      const edited = outputs.some((output) => emitted.has(output.path));
      for (const output of outputs) emitted.set(output.path, output.data);
      if (edited) {
        result.sideOutputs = Array.from(emitted, ([file, data]) => ({ path: file, data }))
          .sort((x, y) => x.path.localeCompare(y.path));
      }
      return result;
    },
  });
}

/**
 * tslab runs a cell with vm.runInThisContext, so Node decorates an error thrown from it with
 * an "arrow" preamble: the compiled file and line (a .js file that exists only in memory),
 * the source line and a caret, then a blank line. For our precise one-line errors
 * (OptionError, LimitExceededError: their stack IS "Name: message") that is four lines of
 * noise in front of the line that matters. Print those as their one line, and any other
 * error as its stack without the preamble.
 */
const ARROW_PREAMBLE = /^[^\n]*:\d+\n[^\n]*\n[ \t]*\^+[ \t]*\n\n/;
function withoutArrowPreamble(value) {
  if (!(value instanceof Error) && !(value && typeof value === 'object' && typeof value.stack === 'string')) return value;
  const stack = typeof value.stack === 'string' ? value.stack.replace(ARROW_PREAMBLE, '') : '';
  if (!stack) return value;
  const oneLine = `${value.name}: ${value.message}`;
  return stack.trim() === oneLine ? oneLine : stack;
}
function conciseErrorConsole(base) {
  const concise = Object.create(base);
  concise.error = (...args) => base.error(...args.map(withoutArrowPreamble));
  return concise;
}

const executorModule = require('tslab/dist/executor');
const createExecutor = executorModule.createExecutor;
if (typeof createExecutor !== 'function') {
  console.error('kernel.js: this tslab has no dist/executor createExecutor; folder imports and lib reloading are not patched');
}
// tslab's main.js calls executor_1.createExecutor(...) through the module's exports, so
// replacing the export before main() runs wraps the converter it passes in.
else executorModule.createExecutor = function createProjectExecutor(rootDir, converters, console) {
  let node = null;
  const reloading = {
    get node() {
      if (!node) node = projectConverter(converters.node);
      return node;
    },
    get browser() {
      return converters.browser;
    },
    close() {
      converters.close();
    },
  };
  return createExecutor(rootDir, reloading, conciseErrorConsole(console));
};

/**
 * tslab drives TypeScript's watch compiler with a fake timer that allows ONE pending
 * timer, and throws "Unexpected pending rebuildTimer" on a second. TypeScript keeps two:
 * one to rebuild the program, one to retry failed module lookups when a watched folder
 * changes. So creating or deleting any file in lib/ while a notebook is open (another
 * lesson's file, an editor's swap file) breaks the next cell with that error. tslab
 * assigns its timer functions to an object made with Object.create(ts.sys); accessor
 * properties on ts.sys catch those assignments and put a multiplexer in between: every
 * TypeScript timer joins one list, the list takes tslab's single slot, and when tslab
 * fires the slot every pending timer runs.
 */
function shareTslabTimerSlot() {
  const ts = require('@tslab/typescript-for-tslab');
  const base = ts.sys;
  const fallback = { setTimeout: base.setTimeout, clearTimeout: base.clearTimeout };
  const slots = new WeakMap();
  function slotsOf(sys) {
    let entry = slots.get(sys);
    if (!entry) {
      entry = { tslabSet: null, tslabClear: null, pending: new Set(), slot: null, running: false, set: null, clear: null };
      slots.set(sys, entry);
    }
    return entry;
  }
  function install(entry) {
    if (!entry.tslabSet || !entry.tslabClear) return;
    const claimSlot = () => {
      if (entry.slot || entry.running || entry.pending.size === 0) return;
      entry.slot = entry.tslabSet(() => {
        entry.slot = null;
        entry.running = true;
        const due = Array.from(entry.pending);
        entry.pending.clear();
        try {
          for (const timer of due) timer.run();
        } finally {
          entry.running = false;
        }
      });
    };
    entry.set = (callback, _ms, ...args) => {
      const timer = { run: () => callback(...args) };
      entry.pending.add(timer);
      claimSlot();
      return timer;
    };
    entry.clear = (timer) => {
      entry.pending.delete(timer);
      if (entry.pending.size === 0 && entry.slot) {
        entry.tslabClear(entry.slot);
        entry.slot = null;
      }
    };
  }
  for (const name of ['setTimeout', 'clearTimeout']) {
    Object.defineProperty(base, name, {
      configurable: true,
      enumerable: true,
      get() {
        if (this === base) return fallback[name];
        const entry = slotsOf(this);
        return (name === 'setTimeout' ? entry.set : entry.clear) || fallback[name];
      },
      set(fn) {
        if (this === base) {
          fallback[name] = fn;
          return;
        }
        const entry = slotsOf(this);
        if (name === 'setTimeout') entry.tslabSet = fn;
        else entry.tslabClear = fn;
        install(entry);
      },
    });
  }
}
shareTslabTimerSlot();

process.chdir(projectRoot);
// tslab's CLI (commander) reads process.argv as [node, script, ...args]; this is what
// `tslab kernel --config-path <file>` looks like to it.
process.argv = [process.argv[0], path.join(projectRoot, 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', connectionPath];
require('tslab/dist/main').main();
