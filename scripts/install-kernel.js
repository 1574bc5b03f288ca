'use strict';
/**
 * Register the project's TypeScript kernel ("replication-workbook") with Jupyter.
 *
 * Runs as npm's postinstall hook, so it must never fail `npm install`/`npm ci`: when
 * Jupyter is not installed yet it writes the kernelspec to the default per-user folder,
 * says in one line that `npm start` will register it again, and exits 0.
 *
 *   node scripts/install-kernel.js                  register for the Jupyter on this machine
 *   node scripts/install-kernel.js --data-dir DIR   write DIR/kernels/replication-workbook (tests)
 */
const fs = require('fs');
const path = require('path');
const env = require('./jupyter-env');

/**
 * Register the kernelspec for the given Jupyter server (see jupyter-env's
 * findJupyterServer), or for whichever Jupyter is installed when none is given.
 * @returns {{ specDir: string, jupyterFound: boolean }}
 */
function registerKernel(server) {
  const found = server || env.findJupyterServer();
  const jupyterCommand = found
    ? path.join(path.dirname(found.command), 'jupyter')
    : env.which('jupyter');
  const python = found ? found.python : jupyterCommand ? env.pythonOfScript(jupyterCommand) : null;
  const usableJupyter = jupyterCommand && fs.existsSync(jupyterCommand) ? jupyterCommand : null;
  const dataDir = env.jupyterDataDir(python, usableJupyter);
  const specDir = env.writeKernelSpec(dataDir);
  return { specDir, jupyterFound: Boolean(found || usableJupyter) };
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
    const { specDir, jupyterFound } = registerKernel(null);
    if (jupyterFound) {
      console.log(`Registered Jupyter kernel "${env.KERNEL_DISPLAY_NAME}" in ${specDir}`);
    } else {
      console.log(`Jupyter not found yet: kernel spec written to ${specDir}; \`npm start\` installs Jupyter if needed and registers the kernel again.`);
    }
  } catch (error) {
    // Registration is a convenience here; `npm start` repeats it and reports errors properly.
    console.log(`Kernel registration skipped (${error && error.message ? error.message : error}); \`npm start\` will register it.`);
  }
}

module.exports = { registerKernel };

if (require.main === module) main(process.argv.slice(2));
