// Proves every committed notebook runs top to bottom headless with the project kernel, is
// committed without outputs, and that the failure detector catches every kind of tslab error.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  EXECUTED_DIR,
  NOTEBOOKS_DIR,
  describeFailure,
  listNotebooks,
  committedNotebookText,
  prepareNotebookEnvironment,
  runNotebook,
  runNotebookWithSolutions,
} from './notebook-harness';
import type { NotebookEnvironment } from './notebook-harness';

// Found at collection time so each notebook gets its own named test.
const notebooks = listNotebooks();
const NOTEBOOK_TIMEOUT_MS = 180_000;

let environment: NotebookEnvironment | null = null;
beforeAll(() => {
  environment = prepareNotebookEnvironment();
});
afterAll(() => environment?.cleanup());

function ready(): NotebookEnvironment {
  if (!environment) throw new Error('the notebook environment was not prepared (see the beforeAll error above)');
  return environment;
}

interface NotebookJson {
  metadata: { kernelspec?: { name?: string } };
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: unknown[]; execution_count?: number | null }>;
}

/** Indices of code cells that carry outputs or execution counts (none in a clean notebook). */
function dirtyCodeCells(notebook: NotebookJson): number[] {
  return notebook.cells
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => cell.cell_type === 'code' && ((cell.outputs ?? []).length > 0 || (cell.execution_count ?? null) !== null))
    .map(({ index }) => index);
}

describe('a learner who ran and saved the notebooks', () => {
  test('still passes the no-outputs check: it reads what is committed, not the autosaved working copy', () => {
    // A git checkout with one committed, clean notebook, then saved with outputs as Jupyter autosaves it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-saved-'));
    try {
      const git = (...args: string[]) => {
        const result = spawnSync('git', ['-c', 'user.name=learner', '-c', 'user.email=learner@example.invalid', ...args], { cwd: dir, encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
      };
      fs.mkdirSync(path.join(dir, 'notebooks'));
      const clean = { cells: [{ cell_type: 'code', source: 'const x = 1;', outputs: [], execution_count: null }], metadata: { kernelspec: { name: 'replication-workbook' } } };
      const file = path.join(dir, 'notebooks', '00-probe.ipynb');
      fs.writeFileSync(file, JSON.stringify(clean));
      git('init', '-q');
      git('add', '.');
      git('commit', '-q', '-m', 'clean');
      const saved = { ...clean, cells: [{ ...clean.cells[0], outputs: [{ output_type: 'stream', name: 'stdout', text: '1' }], execution_count: 1 }] };
      fs.writeFileSync(file, JSON.stringify(saved));

      const committed = committedNotebookText('00-probe.ipynb', path.join(dir, 'notebooks'));
      expect(committed.source).toBe('HEAD:notebooks/00-probe.ipynb');
      expect(dirtyCodeCells(JSON.parse(committed.text) as NotebookJson)).toEqual([]);
      // The working copy really is dirty: the old check would have failed here.
      expect(dirtyCodeCells(JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson)).toEqual([0]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('committed notebooks', () => {
  test('there is at least one notebook to run', () => {
    expect(notebooks.length).toBeGreaterThan(0);
  });

  test.each(notebooks)('%s is committed without outputs or execution counts, for the project kernel', (name) => {
    const committed = committedNotebookText(name);
    const notebook = JSON.parse(committed.text) as NotebookJson;
    expect(notebook.metadata.kernelspec?.name, `${committed.source}: metadata.kernelspec.name`).toBe('replication-workbook');
    const dirty = dirtyCodeCells(notebook);
    expect(dirty, `${committed.source}: cells with outputs or execution counts (clear them before committing)`).toEqual([]);
  });

  test.each(notebooks)('%s gives every cell its own id (nbformat rewrites a repeated one at every run)', (name) => {
    const notebook = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS_DIR, name), 'utf8')) as { cells: Array<{ id?: string }> };
    const ids = notebook.cells.map((cell) => cell.id);
    expect(ids.filter((id, i) => id !== undefined && ids.indexOf(id) !== i), `${name}: repeated cell ids`).toEqual([]);
  });

  test.each(notebooks)('%s opens with a navigation line whose links resolve, and has a Hindi summary and exercises', (name) => {
    const notebook = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS_DIR, name), 'utf8')) as NotebookJson;
    const markdown = notebook.cells
      .filter((cell) => cell.cell_type === 'markdown')
      .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
    const navigation = markdown[0].split('\n')[0];
    expect(navigation, `${name}: first line links to the index`).toContain('(../README.md#notebooks)');
    for (const match of navigation.matchAll(/\]\(([^)#]+\.ipynb)\)/g)) {
      expect(fs.existsSync(path.join(NOTEBOOKS_DIR, match[1])), `${name}: navigation link ${match[1]} points at a missing notebook`).toBe(true);
    }
    const text = markdown.join('\n');
    const devanagariCount = (text.match(/[\u0900-\u097F]/g) ?? []).length;
    expect(devanagariCount, `${name}: a summary in Hindi (Devanagari characters)`).toBeGreaterThan(80);
    expect(/#+\s*Exercises/i.test(text), `${name}: an Exercises section`).toBe(true);
    expect(/#+\s*Further reading/i.test(text), `${name}: a Further reading section`).toBe(true);
  });

  test('every navigation line links the previous and next notebook in order (scripts/set-navigation.py writes them)', () => {
    const result = spawnSync('python3', [path.join(NOTEBOOKS_DIR, '..', 'scripts', 'set-navigation.py'), '--check'], { encoding: 'utf8' });
    expect(result.stdout + result.stderr, 'navigation lines').toBe('');
    expect(result.status).toBe(0);
  });

  test('the README lists every notebook', () => {
    const readme = fs.readFileSync(path.join(NOTEBOOKS_DIR, '..', 'README.md'), 'utf8');
    for (const name of notebooks) expect(readme, `README notebook table row for ${name}`).toContain(`(notebooks/${name})`);
  });
});

describe('notebook execution', () => {
  // Each notebook runs top to bottom and then its exercises' worked solutions, in one kernel.
  test.each(notebooks)('%s runs top to bottom without errors, and then every worked solution runs', async (name) => {
    const run = await runNotebookWithSolutions(ready(), path.join(NOTEBOOKS_DIR, name), path.join(EXECUTED_DIR, name));
    console.log(`${name}: ${run.report.executed_cells} code cells (${run.solutions} of them worked solutions) in ${run.report.seconds} s`);
    if (run.failure) throw new Error(run.failure);
    expect(run.report.ok).toBe(true);
  }, NOTEBOOK_TIMEOUT_MS);
});

describe('worked solutions run after their notebook', () => {
  test('a failing solution is named as the solution, and the executed copy holds only the notebook cells', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-solutions-'));
    try {
      const file = path.join(dir, 'in', 'probe.ipynb');
      fs.mkdirSync(path.dirname(file));
      const exercises = '## Exercises\n<details><summary>Solution</summary>\n\n```ts\nconst y = x + 1;\nif (y !== 2) throw new Error(String(y));\n```\n</details>\n<details><summary>Solution</summary>\n\n```ts\nthrow new Error(`solution two sees x = ${x}`);\n```\n</details>';
      const notebook = {
        cells: [
          { cell_type: 'code', id: 'c0', metadata: {}, execution_count: null, outputs: [], source: 'const x = 1;\nconsole.log(`x is ${x}`);' },
          { cell_type: 'markdown', id: 'c1', metadata: {}, source: exercises },
        ],
        metadata: { kernelspec: { name: 'replication-workbook', display_name: 'TypeScript (Replication Workbook)', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      fs.writeFileSync(file, JSON.stringify(notebook));
      const executedPath = path.join(dir, 'executed', 'probe.ipynb');
      const run = await runNotebookWithSolutions(ready(), file, executedPath);
      expect(run.solutions).toBe(2);
      expect(run.failure).toContain('probe.ipynb: the notebook ran, then worked solution 2 of 2 failed');
      expect(run.failure).toContain('solution two sees x = 1');
      const executed = JSON.parse(fs.readFileSync(executedPath, 'utf8')) as NotebookJson;
      expect(executed.cells.length).toBe(2);
      expect(JSON.stringify(executed.cells[0].outputs)).toContain('x is 1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, NOTEBOOK_TIMEOUT_MS);
});

function writeNotebook(file: string, cells: string[]): void {
  const notebook = {
    cells: cells.map((source, index) => ({ cell_type: 'code', id: `cell-${index}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'replication-workbook', display_name: 'TypeScript (Replication Workbook)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(notebook));
}

describe('editing library code', () => {
  test('an edit to a file imported through an index shows up on the next cell run', async () => {
    // The probe lives under the project root (tslab's rootDir) but outside lib/, in the
    // gitignored artifacts folder; the notebook edits it between cells like a learner would.
    const probeDir = path.join(EXECUTED_DIR, '..', 'reload-probe');
    fs.rmSync(probeDir, { recursive: true, force: true });
    fs.mkdirSync(probeDir, { recursive: true });
    const probeFromRoot = './' + path.relative(path.join(NOTEBOOKS_DIR, '..'), probeDir).split(path.sep).join('/');
    const writeAnswer = (answer: string) =>
      `require('fs').writeFileSync(${JSON.stringify(path.join(probeDir, 'answer.ts'))}, ${JSON.stringify(`export const answer = '${answer}';\n`)});`;
    try {
      fs.writeFileSync(path.join(probeDir, 'index.ts'), "export { answer } from './answer';\n");
      const check = (expected: string): string =>
        `import { answer } from '${probeFromRoot}';\nif (answer !== '${expected}') throw new Error('expected ${expected}, got ' + answer);`;
      const file = path.join(probeDir, 'reload.ipynb');
      writeNotebook(file, [writeAnswer('first'), check('first'), writeAnswer('edited'), check('edited')]);
      const report = await runNotebook(ready(), file, path.join(probeDir, 'reload-executed.ipynb'));
      expect(report.ok, describeFailure('reload.ipynb', report)).toBe(true);
    } finally {
      fs.rmSync(probeDir, { recursive: true, force: true });
    }
  }, NOTEBOOK_TIMEOUT_MS);
});

describe('files appearing while a notebook is open', () => {
  test('creating and deleting files beside imported code does not break the next cell', async () => {
    // TypeScript watches the folders where a module lookup failed (./x resolves by first
    // trying x.ts), and a change there schedules a second compiler timer, which stock tslab
    // rejects with "Unexpected pending rebuildTimer". scripts/kernel.js shares the timer slot.
    const probeDir = path.join(EXECUTED_DIR, '..', 'timer-probe');
    fs.rmSync(probeDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(probeDir, 'lib'), { recursive: true });
    const fromRoot = './' + path.relative(path.join(NOTEBOOKS_DIR, '..'), path.join(probeDir, 'lib')).split(path.sep).join('/');
    try {
      fs.writeFileSync(path.join(probeDir, 'lib', 'index.ts'), 'export const answer = 42;\n');
      const file = path.join(probeDir, 'timers.ipynb');
      const churn = (action: 'write' | 'remove') =>
        action === 'write'
          ? `require('fs').writeFileSync(${JSON.stringify(path.join(probeDir, 'new-lesson.ts'))}, 'export const x = 1;\\n');`
          : `require('fs').rmSync(${JSON.stringify(path.join(probeDir, 'new-lesson.ts'))});`;
      const settle = 'const settleUntil = Date.now() + 1500; while (Date.now() < settleUntil) {}';
      writeNotebook(file, [`import { answer } from '${fromRoot}';`, churn('write'), settle, churn('remove'), settle, 'if (answer !== 42) throw new Error(String(answer));']);
      const report = await runNotebook(ready(), file, path.join(probeDir, 'timers-executed.ipynb'));
      expect(report.ok, describeFailure('timers.ipynb', report)).toBe(true);
    } finally {
      fs.rmSync(probeDir, { recursive: true, force: true });
    }
  }, NOTEBOOK_TIMEOUT_MS);
});

describe('errors a learner sees', () => {
  test('a typo in an option shows as the one precise OptionError line, with no preamble about a compiled .js file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-typo-'));
    try {
      const file = path.join(dir, 'typo.ipynb');
      // The error is thrown inside lib/ (compiled by tslab to a .js file that exists only in memory).
      writeNotebook(file, ["import { checkOneOf } from './lib/util';\ncheckOneOf('ack', 'sycn', ['async', 'semi-sync', 'sync']);"]);
      const out = path.join(dir, 'out', 'typo.ipynb');
      const report = await runNotebook(ready(), file, out);
      expect(report.failure?.kind).toBe('error');
      const executed = JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: Array<{ outputs: Array<{ name?: string; text?: string | string[] }> }> };
      const stderr = executed.cells[0].outputs
        .filter((output) => output.name === 'stderr')
        .map((output) => (Array.isArray(output.text) ? output.text.join('') : output.text ?? ''))
        .join('');
      expect(stderr.trim().split('\n'), `stderr was:\n${stderr}`).toHaveLength(1);
      expect(stderr.trim()).toMatch(/^OptionError: ack\b.*"sycn"/);
      expect(stderr).not.toMatch(/\.js:\d+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, NOTEBOOK_TIMEOUT_MS);
});

describe('failure detector', () => {
  test('names the notebook, cell and first line for a type error, a thrown error and an uncaught async error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-broken-'));
    try {
      const fine = "const regions: string[] = ['mumbai', 'delhi'];";
      const cases = [
        { name: 'type-error.ipynb', cells: [fine, "// wrong type\nconst lagMs: number = 'five';"], kind: 'type-error', cell: 1, text: /2:7 - Type 'string' is not assignable to type 'number'/ },
        { name: 'throws.ipynb', cells: [fine, "console.log(regions.length);\nthrow new Error('boom in cell 2');", 'const never = 1;'], kind: 'error', cell: 1, text: /boom in cell 2/ },
        { name: 'uncaught.ipynb', cells: ["setTimeout(() => { throw new Error('late boom'); }, 0);\nawait new Promise((resolve) => setTimeout(resolve, 200));"], kind: 'uncaught-error', cell: 0, text: /late boom/ },
      ];
      for (const broken of cases) writeNotebook(path.join(dir, broken.name), broken.cells);
      const reports = await Promise.all(cases.map((broken) => runNotebook(ready(), path.join(dir, broken.name), path.join(dir, 'out', broken.name))));
      reports.forEach((report, i) => {
        const expected = cases[i];
        expect(report.ok, describeFailure(expected.name, report)).toBe(false);
        expect(report.setup_error).toBeUndefined();
        expect(report.failure?.kind).toBe(expected.kind);
        expect(report.failure?.cell_index).toBe(expected.cell);
        expect(report.failure?.first_line).toBe(expected.cells[expected.cell].split('\n')[0]);
        expect(report.failure?.message).toMatch(expected.text);
        expect(describeFailure(expected.name, report)).toContain(`${expected.name}: cell ${expected.cell} (`);
      });
      // The runner stops at the first failing cell: the cell after the throw never ran.
      expect(reports[1].executed_cells).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, NOTEBOOK_TIMEOUT_MS);
});
