'use strict';
/**
 * Where Jupyter lives on this machine and how to register the project kernel with it.
 *
 * Shared by the npm postinstall hook (install-kernel.js), `npm start` (start.js) and the
 * notebook tests, so that all three agree on which Jupyter is "the" Jupyter and on what
 * the kernelspec looks like. Plain CommonJS on purpose: npm runs these files with bare
 * `node` before anything is compiled.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');

const PROJECT_ROOT = path.resolve(__dirname, '..');
const KERNEL_NAME = 'replication-workbook';
/**
 * Names the checkout, so a learner with two clones sees which one a notebook runs.
 * The kernel NAME stays `replication-workbook` (the notebooks' metadata says so); what makes
 * the registration belong to this checkout is where it lives (PROJECT_JUPYTER_DIR).
 */
const KERNEL_DISPLAY_NAME = `TypeScript (Replication Workbook: ${path.basename(PROJECT_ROOT)})`;
/**
 * This checkout's own Jupyter data folder (hidden, gitignored): its kernelspec and the
 * plotly.js file the Jupyter server serves to figures. `npm start` and the tests put it
 * first on JUPYTER_PATH, so a registration made by another clone (user-wide, or one that
 * points at a deleted folder) can never decide which lib/ a notebook here runs.
 */
const PROJECT_JUPYTER_DIR = path.join(PROJECT_ROOT, '.jupyter');
/** The folder of the nbextension-style static files, served at <base_url>nbextensions/replication-workbook/. */
const STATIC_NAME = 'replication-workbook';

/** The commands a newcomer can paste when no Jupyter is found. */
const INSTALL_HINT_DEBIAN = 'sudo apt-get update && sudo apt-get install -y jupyter-notebook python3-nbclient jupyter-nbconvert';
const INSTALL_HINT_PIP = 'python3 -m pip install --user notebook nbclient nbconvert';

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The folders searched for Jupyter commands: PATH first, then the places pip puts
 * scripts for `--user` installs, which are often missing from PATH on a fresh machine.
 */
function searchDirs() {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  dirs.push(path.join(os.homedir(), '.local', 'bin'), '/usr/local/bin', '/usr/bin');
  return Array.from(new Set(dirs));
}

/** Absolute path of the first executable called `name`, or null. */
function which(name) {
  for (const dir of searchDirs()) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * The Python interpreter a Jupyter script runs with, read from its `#!` line. Debian's
 * /usr/bin/jupyter says `#!/usr/bin/python3`, which matters when a pyenv or venv
 * `python3` earlier on PATH has no Jupyter at all.
 */
function pythonOfScript(script) {
  let firstLine = '';
  try {
    const fd = fs.openSync(script, 'r');
    const buffer = Buffer.alloc(512);
    const bytes = fs.readSync(fd, buffer, 0, buffer.length, 0);
    fs.closeSync(fd);
    firstLine = buffer.toString('utf8', 0, bytes).split('\n')[0];
  } catch {
    return null;
  }
  if (!firstLine.startsWith('#!')) return null;
  const parts = firstLine.slice(2).trim().split(/\s+/);
  if (parts[0] === '/usr/bin/env') return parts[1] ? which(parts[1]) : null;
  return isExecutable(parts[0]) ? parts[0] : null;
}

/**
 * Find the Jupyter to use: JupyterLab when installed (nicer), else the classic
 * Notebook. Returns null when neither is installed.
 * @returns {{ app: 'lab' | 'notebook', command: string, python: string | null } | null}
 */
function findJupyterServer() {
  const lab = which('jupyter-lab');
  if (lab) return { app: 'lab', command: lab, python: pythonOfScript(lab) };
  const notebook = which('jupyter-notebook');
  if (notebook) return { app: 'notebook', command: notebook, python: pythonOfScript(notebook) };
  return null;
}

/**
 * The Python that can run notebooks headless (has nbclient), preferring the one that
 * runs the Jupyter server, then Debian's /usr/bin/python3, then python3 on PATH.
 * @returns {string | null}
 */
function findNbclientPython() {
  const candidates = [];
  const server = findJupyterServer();
  if (server && server.python) candidates.push(server.python);
  const jupyter = which('jupyter');
  const jupyterPython = jupyter ? pythonOfScript(jupyter) : null;
  if (jupyterPython) candidates.push(jupyterPython);
  candidates.push('/usr/bin/python3');
  const onPath = which('python3');
  if (onPath) candidates.push(onPath);
  for (const python of Array.from(new Set(candidates))) {
    if (!isExecutable(python)) continue;
    const probe = childProcess.spawnSync(python, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

/**
 * Jupyter's per-user data folder as that Jupyter sees it (`jupyter --data-dir`, or the
 * given Python's jupyter_core; both honour $JUPYTER_DATA_DIR). Falls back to the
 * documented default when neither can say, e.g. before Jupyter is installed.
 */
function jupyterDataDir(python, jupyterCommand) {
  if (jupyterCommand) {
    const result = childProcess.spawnSync(jupyterCommand, ['--data-dir'], { encoding: 'utf8' });
    const dir = (result.stdout || '').trim();
    if (result.status === 0 && dir) return dir;
  }
  if (python) {
    const result = childProcess.spawnSync(
      python,
      ['-c', 'from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())'],
      { encoding: 'utf8' },
    );
    const dir = (result.stdout || '').trim();
    if (result.status === 0 && dir) return dir;
  }
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  const xdg = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'jupyter');
}

/** The kernel.json contents: launch our launcher with the node running this script. */
function kernelSpec() {
  return {
    argv: [process.execPath, path.join(PROJECT_ROOT, 'scripts', 'kernel.js'), '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { project_root: PROJECT_ROOT },
  };
}

/**
 * Write the kernelspec into `<dataDir>/kernels/replication-workbook/` (creating folders)
 * and copy tslab's logos next to it when tslab ships any. Returns the kernelspec folder.
 */
function writeKernelSpec(dataDir) {
  const specDir = path.join(dataDir, 'kernels', KERNEL_NAME);
  fs.mkdirSync(specDir, { recursive: true });
  writeFileAtomically(path.join(specDir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  const tslabDir = path.join(PROJECT_ROOT, 'node_modules', 'tslab');
  for (const folder of [tslabDir, path.join(tslabDir, 'python'), path.join(tslabDir, 'dist')]) {
    for (const logo of ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']) {
      const from = path.join(folder, logo);
      if (fs.existsSync(from)) writeFileAtomically(path.join(specDir, logo), fs.readFileSync(from));
    }
  }
  return specDir;
}

/**
 * Write via a temporary file and a rename, so parallel test workers (or a kernel and
 * `npm start`) that write the same file never leave or read half of it.
 */
function writeFileAtomically(file, contents) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${require('crypto').randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/**
 * Register this checkout's kernel in its own Jupyter data folder (PROJECT_JUPYTER_DIR).
 * (The kernel itself puts plotly.js under PROJECT_JUPYTER_DIR/nbextensions when it first
 * shows a figure: see lib/viz/display.ts.) Returns the kernelspec folder.
 */
function registerProjectKernel() {
  return writeKernelSpec(PROJECT_JUPYTER_DIR);
}

/**
 * The environment for a Jupyter process that belongs to this checkout: PROJECT_JUPYTER_DIR
 * first on JUPYTER_PATH (kernelspecs and nbextensions are looked up there before the user's
 * and the system's folders).
 */
function projectJupyterEnv(baseEnv) {
  const base = baseEnv || process.env;
  const rest = (base.JUPYTER_PATH || '').split(path.delimiter).filter((dir) => dir && path.resolve(dir) !== PROJECT_JUPYTER_DIR);
  return { ...base, JUPYTER_PATH: [PROJECT_JUPYTER_DIR, ...rest].join(path.delimiter) };
}

/**
 * Remove a user-wide `replication-workbook` kernelspec that an older version of this project
 * registered for a checkout that no longer exists: it is what made every notebook fail with
 * "Kernel died before replying to kernel_info" in a Jupyter not started by `npm start`.
 * A registration that points at an existing checkout is left alone. Returns the removed folder or null.
 */
function removeStaleUserKernel(userDataDir) {
  const specDir = path.join(userDataDir, 'kernels', KERNEL_NAME);
  const specFile = path.join(specDir, 'kernel.json');
  let spec;
  try {
    spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  } catch {
    return null;
  }
  const launcher = Array.isArray(spec.argv) ? spec.argv.find((arg) => typeof arg === 'string' && arg.endsWith(path.join('scripts', 'kernel.js'))) : null;
  if (!launcher || fs.existsSync(launcher)) return null;
  fs.rmSync(specDir, { recursive: true, force: true });
  return specDir;
}

module.exports = {
  PROJECT_ROOT,
  KERNEL_NAME,
  KERNEL_DISPLAY_NAME,
  PROJECT_JUPYTER_DIR,
  STATIC_NAME,
  INSTALL_HINT_DEBIAN,
  INSTALL_HINT_PIP,
  which,
  pythonOfScript,
  findJupyterServer,
  findNbclientPython,
  jupyterDataDir,
  kernelSpec,
  writeKernelSpec,
  writeFileAtomically,
  registerProjectKernel,
  projectJupyterEnv,
  removeStaleUserKernel,
};
