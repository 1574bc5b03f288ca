'use strict';
/**
 * `npm start`: open the workbook in Jupyter with the project's TypeScript kernel.
 *
 * 1. Find Jupyter (JupyterLab if installed, else the classic Notebook). When it is
 *    missing, install it if this machine allows it without questions (root on
 *    Debian/Ubuntu: apt-get; otherwise pip --user), else stop with the exact command.
 * 2. Register the "replication-workbook" kernelspec in this checkout's own Jupyter folder
 *    (.jupyter/) and put that folder first on JUPYTER_PATH, so this checkout's notebooks run
 *    this checkout's lib/ even when another clone registered a kernel of the same name.
 * 3. Run Jupyter with the project root as its root (so the notebooks' "Index (README)" link,
 *    lib/ and data/ are reachable from its file browser), opening on notebooks/, listening on
 *    127.0.0.1 only. Extra arguments are passed through, e.g. `npm start -- --port=9999`.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');
const env = require('./jupyter-env');
const { registerKernel } = require('./install-kernel');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function say(message) {
  console.log(`[npm start] ${message}`);
}

function run(command, args) {
  say(`running: ${command} ${args.join(' ')}`);
  const result = childProcess.spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** Try to install Jupyter without asking anything; returns true when it worked. */
function installJupyter() {
  if (process.platform === 'linux' && isRoot && env.which('apt-get')) {
    return run('apt-get', ['update']) &&
      run('apt-get', ['install', '-y', 'jupyter-notebook', 'python3-nbclient', 'jupyter-nbconvert']);
  }
  const python = env.which('python3');
  if (python && childProcess.spawnSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0) {
    // Debian/Ubuntu's own Python refuses this (PEP 668 "externally managed"); then the
    // message below gives the apt-get command instead.
    return run(python, ['-m', 'pip', 'install', '--user', 'notebook']);
  }
  return false;
}

function explainMissingJupyter() {
  const onDebian = fs.existsSync('/etc/debian_version');
  console.error('');
  console.error('Jupyter is not installed, and npm start could not install it on its own.');
  console.error('Install it with:');
  console.error(`    ${onDebian ? env.INSTALL_HINT_DEBIAN : env.INSTALL_HINT_PIP}`);
  if (onDebian) console.error(`(or, with your own Python: ${env.INSTALL_HINT_PIP})`);
  console.error('then run `npm start` again.');
}

function hasDisplay() {
  if (process.env.CI) return false;
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/**
 * The option that makes Jupyter open on notebooks/ while serving the project root. The
 * option's owner differs: JupyterLab (LabApp), the classic Notebook 5/6 (NotebookApp) and
 * Notebook 7 (JupyterNotebookApp, on jupyter_server).
 */
function defaultUrlArgument(server) {
  if (server.app === 'lab') return '--LabApp.default_url=/lab/tree/notebooks';
  const version = childProcess.spawnSync(server.command, ['--version'], { encoding: 'utf8' }).stdout || '';
  if (/^[56]\./.test(version.trim())) return '--NotebookApp.default_url=/tree/notebooks';
  return '--JupyterNotebookApp.default_url=/tree/notebooks';
}

function main() {
  let server = env.findJupyterServer();
  if (!server) {
    say('Jupyter not found; trying to install it.');
    if (!installJupyter() || !(server = env.findJupyterServer())) {
      explainMissingJupyter();
      process.exit(1);
    }
  }

  const { specDir, removedStale } = registerKernel(server);
  say(`kernel "${env.KERNEL_DISPLAY_NAME}" registered for this checkout in ${specDir}`);
  if (removedStale) say(`removed a stale user-wide kernel registration of a deleted checkout: ${removedStale}`);

  const userArgs = process.argv.slice(2);
  const args = [];
  if (!userArgs.some((arg) => arg.startsWith('--ip'))) args.push('--ip=127.0.0.1');
  if (!hasDisplay()) args.push('--no-browser');
  if (isRoot) args.push('--allow-root');
  if (!userArgs.some((arg) => /default_url/.test(arg))) args.push(defaultUrlArgument(server));
  args.push(...userArgs);

  say(`starting ${server.app === 'lab' ? 'JupyterLab' : 'Jupyter Notebook'} on ${env.PROJECT_ROOT} (opening notebooks/): ${server.command} ${args.join(' ')}`);
  say('open the http://127.0.0.1:... URL printed below (it carries the login token); Ctrl-C stops Jupyter.');
  // Starting in the project root makes it the root of Jupyter's file browser for every version.
  const jupyter = childProcess.spawn(server.command, args, { cwd: env.PROJECT_ROOT, stdio: 'inherit', env: env.projectJupyterEnv(process.env) });

  // Forward signals so `kill <pid of this script>` stops Jupyter and its kernels
  // cleanly. A terminal Ctrl-C also reaches Jupyter directly; together that is a double
  // Ctrl-C, which Jupyter treats as "shut down now" instead of asking y/n.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (jupyter.exitCode === null) jupyter.kill(signal);
    });
  }
  // `kill <pid of npm>` ends npm and its `sh -c` without telling us; we are then
  // re-parented. Stop Jupyter too rather than leave it holding the port.
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid && jupyter.exitCode === null) jupyter.kill('SIGTERM');
  }, 1000).unref();
  jupyter.on('error', (error) => {
    console.error(`[npm start] could not start ${server.command}: ${error.message}`);
    process.exit(1);
  });
  jupyter.on('exit', (code, signal) => {
    process.exit(code !== null ? code : 128 + (signal ? os.constants.signals[signal] || 0 : 0));
  });
}

main();
