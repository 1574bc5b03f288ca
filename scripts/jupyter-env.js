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
const KERNEL_DISPLAY_NAME = 'TypeScript (Replication Workbook)';

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
  fs.writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  const tslabDir = path.join(PROJECT_ROOT, 'node_modules', 'tslab');
  for (const folder of [tslabDir, path.join(tslabDir, 'python'), path.join(tslabDir, 'dist')]) {
    for (const logo of ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']) {
      const from = path.join(folder, logo);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(specDir, logo));
    }
  }
  return specDir;
}

module.exports = {
  PROJECT_ROOT,
  KERNEL_NAME,
  KERNEL_DISPLAY_NAME,
  INSTALL_HINT_DEBIAN,
  INSTALL_HINT_PIP,
  which,
  pythonOfScript,
  findJupyterServer,
  findNbclientPython,
  jupyterDataDir,
  kernelSpec,
  writeKernelSpec,
};
