// Proves the kernel registration belongs to the checkout: two clones side by side each run their
// OWN lib/ in a notebook, even with a user-wide `replication-workbook` kernelspec that points at a
// deleted clone (what used to make every notebook die with "Kernel died before replying to
// kernel_info"), and deleting one clone leaves the other working. `npm install`'s postinstall
// (scripts/install-kernel.js) registers the kernel; the Jupyter environment is the one `npm start`
// uses (scripts/jupyter-env.js projectJupyterEnv).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyCheckout, describeFailure, prepareNotebookEnvironment, runNotebook } from '../notebook-harness';
import type { NotebookEnvironment } from '../notebook-harness';

const NOTEBOOK_TIMEOUT_MS = 180_000;
let workDir = '';
let base: NotebookEnvironment | null = null;

beforeAll(() => {
  // Fails with the install command when Jupyter's runner is missing, as the notebook tests do.
  base = prepareNotebookEnvironment();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-clones-'));
});
afterAll(() => {
  base?.cleanup();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/** A clone with its own probe module in lib/, registered as `npm install` would register it. */
function makeClone(name: string): string {
  const dir = path.join(workDir, name);
  copyCheckout(dir);
  fs.writeFileSync(path.join(dir, 'lib', 'checkout-probe.ts'), `export const checkout: string = ${JSON.stringify(name)};\n`);
  const install = spawnSync(process.execPath, ['scripts/install-kernel.js'], { cwd: dir, encoding: 'utf8', env: userEnv() });
  if (install.status !== 0) throw new Error(`install-kernel.js failed in ${dir}: ${install.stderr}`);
  return dir;
}

/** The "user" side of the machine: a data folder shared by both clones, as ~/.local/share/jupyter is. */
function userEnv(): NodeJS.ProcessEnv {
  if (!base) throw new Error('the notebook environment was not prepared (see the beforeAll error above)');
  const { JUPYTER_PATH: _ignored, ...rest } = base.env;
  return { ...rest, JUPYTER_DATA_DIR: path.join(workDir, 'user-data') };
}

/** The environment `npm start` of that clone gives Jupyter. */
function cloneEnv(dir: string): NodeJS.ProcessEnv {
  const printed = spawnSync(process.execPath, ['-e', "process.stdout.write(JSON.stringify(require('./scripts/jupyter-env').projectJupyterEnv({ JUPYTER_PATH: '' }).JUPYTER_PATH))"], { cwd: dir, encoding: 'utf8' });
  return { ...userEnv(), JUPYTER_PATH: JSON.parse(printed.stdout) as string };
}

function probeNotebook(dir: string): string {
  const file = path.join(dir, 'notebooks', 'checkout-probe.ipynb');
  const cells = [
    "import { checkout } from './lib/checkout-probe';\nconsole.log(`checkout=${checkout} cwd=${process.cwd()}`);",
  ];
  fs.writeFileSync(file, JSON.stringify({
    cells: cells.map((source, index) => ({ cell_type: 'code', id: `cell-${index}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'replication-workbook', display_name: 'TypeScript (Replication Workbook)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  }));
  return file;
}

async function checkoutSeenBy(dir: string): Promise<string> {
  if (!base) throw new Error('the notebook environment was not prepared');
  const notebook = probeNotebook(dir);
  const out = path.join(dir, 'artifacts', 'checkout-probe.ipynb');
  const report = await runNotebook({ ...base, env: cloneEnv(dir) }, notebook, out);
  if (!report.ok) throw new Error(describeFailure(`${path.basename(dir)}/checkout-probe.ipynb`, report));
  const executed = JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: Array<{ outputs: Array<{ text?: string | string[] }> }> };
  return executed.cells[0].outputs.map((output) => (Array.isArray(output.text) ? output.text.join('') : output.text ?? '')).join('');
}

describe('two clones side by side', () => {
  test('each clone runs its own lib/, past a stale user-wide registration, and survives the other being deleted', async () => {
    // A user-wide registration left by an older version for a clone that no longer exists.
    const staleSpec = path.join(workDir, 'user-data', 'kernels', 'replication-workbook');
    fs.mkdirSync(staleSpec, { recursive: true });
    const staleKernel = path.join(workDir, 'deleted-clone', 'scripts', 'kernel.js');
    fs.writeFileSync(path.join(staleSpec, 'kernel.json'), JSON.stringify({ argv: [process.execPath, staleKernel, '{connection_file}'], display_name: 'stale', language: 'typescript' }));

    const cloneA = makeClone('clone-a');
    // install-kernel.js removed the registration of the deleted clone, and wrote its own into the checkout.
    expect(fs.existsSync(staleSpec), 'the stale user-wide kernelspec is removed').toBe(false);
    const cloneB = makeClone('clone-b');
    const specA = JSON.parse(fs.readFileSync(path.join(cloneA, '.jupyter', 'kernels', 'replication-workbook', 'kernel.json'), 'utf8')) as { argv: string[]; display_name: string };
    expect(specA.argv[1]).toBe(path.join(cloneA, 'scripts', 'kernel.js'));
    expect(specA.display_name).toBe('TypeScript (Replication Workbook: clone-a)');

    // A user-wide registration pointing at clone B must not capture clone A's notebooks.
    fs.mkdirSync(staleSpec, { recursive: true });
    fs.copyFileSync(path.join(cloneB, '.jupyter', 'kernels', 'replication-workbook', 'kernel.json'), path.join(staleSpec, 'kernel.json'));

    const [seenByA, seenByB] = await Promise.all([checkoutSeenBy(cloneA), checkoutSeenBy(cloneB)]);
    expect(seenByA).toContain(`checkout=clone-a cwd=${cloneA}`);
    expect(seenByB).toContain(`checkout=clone-b cwd=${cloneB}`);

    // Delete clone B (as CI's temporary clone is deleted): clone A's kernel still starts.
    fs.rmSync(cloneB, { recursive: true, force: true });
    expect(await checkoutSeenBy(cloneA)).toContain('checkout=clone-a');
  }, NOTEBOOK_TIMEOUT_MS);
});
