'use strict';
/**
 * Register the project's TypeScript kernel ("replication-workbook") for THIS checkout.
 *
 * The kernelspec goes into the checkout's own Jupyter data folder, `.jupyter/` at the project
 * root (gitignored), which `npm start` and the tests put first on JUPYTER_PATH. A user-wide
 * registration would be shared by every clone on the machine: the last clone to install would
 * win, and notebooks in the others would silently run its lib/ (or die, once it was deleted).
 *
 * Runs as npm's postinstall hook, so it never fails `npm install`/`npm ci`. It also removes a
 * user-wide registration left by an older version of this project for a checkout that no longer
 * exists (the cause of "Kernel died before replying to kernel_info").
 *
 *   node scripts/install-kernel.js                  register in <project>/.jupyter
 *   node scripts/install-kernel.js --data-dir DIR   write DIR/kernels/replication-workbook (tests)
 */
const path = require('path');
const env = require('./jupyter-env');

/**
 * Register the kernelspec in the checkout's Jupyter folder, and clear a stale user-wide one
 * for the given Jupyter server (see jupyter-env's findJupyterServer), or whichever is installed.
 * @returns {{ specDir: string, jupyterFound: boolean, removedStale: string | null }}
 */
function registerKernel(server) {
  const found = server || env.findJupyterServer();
  const jupyterCommand = found ? path.join(path.dirname(found.command), 'jupyter') : env.which('jupyter');
  const python = found ? found.python : jupyterCommand ? env.pythonOfScript(jupyterCommand) : null;
  const specDir = env.registerProjectKernel();
  let removedStale = null;
  try {
    // The user data dir as Jupyter sees it, without our JUPYTER_PATH (which does not change it).
    removedStale = env.removeStaleUserKernel(env.jupyterDataDir(python, jupyterCommand));
  } catch {
    // Cleaning up another checkout's leftovers is a courtesy, never a reason to fail.
  }
  return { specDir, jupyterFound: Boolean(found || jupyterCommand), removedStale };
}

function main(argv) {
  const dataDirFlag = argv.indexOf('--data-dir');
  if (dataDirFlag >= 0) {
    const dataDir = argv[dataDirFlag + 1];
    if (!dataDir) {
      console.error('install-kernel: option --data-dir needs a folder, e.g. --data-dir /tmp/jupyter-data');
      process.exit(2);
    }
    console.log(env.writeKernelSpec(path.resolve(dataDir)));
    return;
  }
  try {
    const { specDir, jupyterFound, removedStale } = registerKernel(null);
    console.log(`Registered Jupyter kernel "${env.KERNEL_DISPLAY_NAME}" for this checkout in ${specDir} (\`npm start\` puts it first on JUPYTER_PATH).`);
    if (removedStale) console.log(`Removed a stale user-wide registration of a deleted checkout: ${removedStale}`);
    if (!jupyterFound) console.log('Jupyter not found yet: `npm start` installs it if needed.');
  } catch (error) {
    // Registration is a convenience here; `npm start` repeats it and reports errors properly.
    console.log(`Kernel registration skipped (${error && error.message ? error.message : error}); \`npm start\` will register it.`);
  }
}

module.exports = { registerKernel };

if (require.main === module) main(process.argv.slice(2));
