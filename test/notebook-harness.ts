/**
 * Running notebooks from tests: the checkout's own kernelspec (in <project>/.jupyter, first on
 * JUPYTER_PATH exactly as `npm start` puts it, so a user-wide registration by another clone can
 * never decide the outcome), a temporary user data/runtime/config folder, and
 * scripts/run-notebook.py to execute a notebook headless and report the first failing cell.
 */
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as jupyterEnv from '../scripts/jupyter-env';

export const PROJECT_ROOT = jupyterEnv.PROJECT_ROOT;
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, 'notebooks');
export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'artifacts');
export const EXECUTED_DIR = path.join(ARTIFACTS_DIR, 'executed');
const RUNNER = path.join(PROJECT_ROOT, 'scripts', 'run-notebook.py');

export interface CellFailure {
  cell_index: number | null;
  first_line: string;
  /** 'type-error' | 'error' | 'uncaught-error', or an nbclient exception name. */
  kind: string;
  message: string;
}

export interface RunReport {
  notebook: string;
  ok: boolean;
  seconds: number | null;
  executed_cells: number;
  failure: CellFailure | null;
  setup_error?: string;
  output?: string;
}

export interface NotebookEnvironment {
  /** The Python that has nbclient and nbconvert. */
  python: string;
  /** Environment for every Jupyter process started by a test. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** File names of the committed notebooks, in order. */
export function listNotebooks(): string[] {
  return fs.readdirSync(NOTEBOOKS_DIR).filter((name) => name.endsWith('.ipynb')).sort();
}

/**
 * Find Jupyter's headless runner and register the project kernel in a temporary data
 * folder. Throws, saying how to install Jupyter, when it is missing: the notebook tests
 * must fail on such a machine, not skip.
 */
export function prepareNotebookEnvironment(): NotebookEnvironment {
  const python = jupyterEnv.findNbclientPython();
  if (!python) {
    throw new Error(
      'Jupyter is not installed (no python3 with nbclient), so the notebooks cannot be executed. Install it with:\n' +
        `    ${jupyterEnv.INSTALL_HINT_DEBIAN}\n` +
        `or: ${jupyterEnv.INSTALL_HINT_PIP}`,
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-jupyter-'));
  jupyterEnv.registerProjectKernel();
  const env: NodeJS.ProcessEnv = {
    // PROJECT_JUPYTER_DIR first on JUPYTER_PATH, as `npm start` does it.
    ...jupyterEnv.projectJupyterEnv(process.env),
    // A private user data folder: the user's own kernelspecs and notebook signatures stay out of it.
    JUPYTER_DATA_DIR: dataDir,
    JUPYTER_RUNTIME_DIR: path.join(dataDir, 'runtime'),
    JUPYTER_CONFIG_DIR: path.join(dataDir, 'config'),
  };
  return { python, env, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** Execute one notebook; resolves with the runner's report (never rejects on a cell failure). */
export function runNotebook(environment: NotebookEnvironment, notebookPath: string, outputPath: string, cellTimeoutSeconds = 120): Promise<RunReport> {
  fs.mkdirSync(path.dirname(outputPath), { recursive: true });
  const args = [RUNNER, notebookPath, '--output', outputPath, '--timeout', String(cellTimeoutSeconds)];
  return new Promise((resolve, reject) => {
    execFile(environment.python, args, { env: environment.env, cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const lastLine = stdout.trim().split('\n').pop() || '';
      try {
        resolve(JSON.parse(lastLine) as RunReport);
      } catch {
        reject(new Error(`run-notebook.py gave no report for ${notebookPath} (${error ? error.message : 'no error'}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** One readable sentence (plus the error text) for a failed run. */
export function describeFailure(name: string, report: RunReport): string {
  if (report.setup_error) return `${name} could not be run: ${report.setup_error}`;
  const failure = report.failure;
  if (!failure) return `${name} ran cleanly`;
  const where = failure.cell_index === null ? 'a cell' : `cell ${failure.cell_index}`;
  return `${name}: ${where} (${failure.first_line}) failed with ${failure.kind}:\n${failure.message}`;
}

/** Run a Python module of the runner's Python (e.g. nbconvert) and resolve with its output. */
export function runPythonModule(environment: NotebookEnvironment, moduleArgs: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(environment.python, ['-m', ...moduleArgs], { env: environment.env, cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python3 -m ${moduleArgs.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

/**
 * A copy of this checkout in `dest`, as a second clone would look: every tracked and untracked
 * (not ignored) file, so uncommitted work is included, and `node_modules` as a symlink to this
 * checkout's (no install). Nothing of `.jupyter/` or `artifacts/` is copied.
 */
export function copyCheckout(dest: string): void {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`copyCheckout needs git to list the project's files: ${listed.stderr}`);
  for (const relative of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(PROJECT_ROOT, relative);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue; // deleted in the working copy
    const to = path.join(dest, relative);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.symlinkSync(fs.realpathSync(path.join(PROJECT_ROOT, 'node_modules')), path.join(dest, 'node_modules'));
}

/**
 * A notebook as committed (`git show HEAD:notebooks/NAME`), not the working copy: Jupyter
 * autosaves a learner's outputs into the file, and that must not fail the learner's own
 * `npm test`. A notebook not yet in HEAD (being added) or a checkout without git falls back
 * to the working copy, which must then be clean as well.
 */
export function committedNotebookText(name: string, notebooksDir: string = NOTEBOOKS_DIR): { text: string; source: string } {
  const relative = `notebooks/${name}`;
  const shown = spawnSync('git', ['show', `HEAD:${relative}`], { cwd: path.dirname(notebooksDir), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (shown.status === 0 && shown.stdout) return { text: shown.stdout, source: `HEAD:${relative}` };
  return { text: fs.readFileSync(path.join(notebooksDir, name), 'utf8'), source: `${relative} (working copy, not in HEAD)` };
}

interface NotebookCells {
  cells: Array<{ cell_type: string; source: string | string[] }>;
}

/** A cell's text (nbformat stores it as one string or as a list of lines). */
export const sourceOf = (cell: { source: string | string[] }): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/** The ```ts blocks inside <details> blocks of a notebook's Markdown (its worked solutions), in order. */
export function solutionCode(notebook: NotebookCells): string[] {
  const blocks: string[] = [];
  for (const cell of notebook.cells.filter((c) => c.cell_type === 'markdown')) {
    for (const details of sourceOf(cell).matchAll(/<details>([\s\S]*?)<\/details>/g)) {
      for (const code of details[1].matchAll(/```ts\n([\s\S]*?)```/g)) blocks.push(code[1]);
    }
  }
  return blocks;
}

export interface NotebookWithSolutionsReport {
  /** The run of the notebook's own cells and then its solutions. */
  report: RunReport;
  /** How many cells the notebook itself has (a failure at or after this index is in a solution). */
  notebookCells: number;
  solutions: number;
  /** Why the run failed, naming the notebook cell or the solution; null when it ran cleanly. */
  failure: string | null;
}

/**
 * Executes a notebook and then its worked solutions in the same kernel, one cell each appended
 * after the notebook's own cells (as a learner would paste them; each in its own block, so two
 * solutions may use the same names). One kernel run instead of two: the notebook's outputs are the
 * same with or without the cells after them, so the executed copy of the notebook's own cells is
 * written to `executedPath` (what the prose check and the book read) and the whole run beside it.
 */
export async function runNotebookWithSolutions(environment: NotebookEnvironment, notebookPath: string, executedPath: string): Promise<NotebookWithSolutionsReport> {
  const name = path.basename(notebookPath);
  const notebook = JSON.parse(fs.readFileSync(notebookPath, 'utf8')) as NotebookCells & Record<string, unknown>;
  const solutions = solutionCode(notebook).map((code, index) => ({ cell_type: 'code', id: `solution-${index}`, metadata: {}, execution_count: null, outputs: [], source: `{\n${code}}\n` }));
  const dir = path.join(path.dirname(executedPath), '..', 'solutions');
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, name);
  const output = path.join(dir, `executed-${name}`);
  fs.writeFileSync(input, JSON.stringify({ ...notebook, cells: [...notebook.cells, ...solutions] }));
  const report = await runNotebook(environment, input, output);
  const notebookCells = notebook.cells.length;
  if (fs.existsSync(output)) {
    const executed = JSON.parse(fs.readFileSync(output, 'utf8')) as NotebookCells & Record<string, unknown>;
    fs.mkdirSync(path.dirname(executedPath), { recursive: true });
    fs.writeFileSync(executedPath, JSON.stringify({ ...executed, cells: executed.cells.slice(0, notebookCells) }, null, 1));
  }
  let failure: string | null = null;
  if (!report.ok) {
    const index = report.failure?.cell_index ?? null;
    failure =
      index !== null && index >= notebookCells
        ? `${name}: the notebook ran, then worked solution ${index - notebookCells + 1} of ${solutions.length} failed with ${report.failure?.kind}:\n${report.failure?.message}`
        : describeFailure(name, report);
  }
  return { report, notebookCells, solutions: solutions.length, failure };
}
