'use strict';
/**
 * The system packages the tests need, checked (and installed where that needs no questions)
 * before `npm test` (npm's `pretest`) and by `.ci/run`: ONE list for both.
 *
 *   node scripts/system-packages.js            check; as root (or with password-less sudo) on
 *                                              Debian/Ubuntu install what is missing (one
 *                                              apt-get update, one apt-get install); elsewhere
 *                                              print the exact command and which tests skip
 *   node scripts/system-packages.js --strict   the same, but exit 1 when something is still
 *                                              missing (CI: a missing engine must fail, not skip)
 *   node scripts/system-packages.js --list     print the package names, one a line
 *
 * Set REPLICATION_WORKBOOK_NO_APT=1 to only check and advise, never install.
 * Plain CommonJS on purpose: it runs before anything is compiled.
 */
const childProcess = require('child_process');

/** Debian bookworm package names, what needs each, and what happens to the tests without it. */
const PACKAGES = [
  { name: 'jupyter-notebook', for: 'Jupyter (npm start; the live browser test)', without: 'test/browser.test.ts fails (Jupyter is required)' },
  { name: 'python3-nbclient', for: 'running notebooks headless', without: 'test/notebooks.test.ts and test/scripts/kernel-per-checkout.test.ts fail (Jupyter is required)' },
  { name: 'jupyter-nbconvert', for: 'the HTML export and npm run book', without: 'test/browser.test.ts fails' },
  { name: 'chromium', for: 'drawing figures in a real browser', without: 'test/browser.test.ts and test/monitor/dashboard-browser.test.ts fail' },
  { name: 'postgresql', for: 'real streaming replication (lib/postgres, notebook 11)', without: 'the real-PostgreSQL tests skip (fail under CI=true)' },
  { name: 'postgresql-15-wal2json', for: 'logical decoding / change data capture', without: 'the logical-decoding tests skip (fail under CI=true)' },
  { name: 'etcd-server', for: 'a real etcd cluster', without: 'the etcd tests skip (fail under CI=true)' },
  { name: 'etcd-client', for: 'etcdctl', without: 'the etcd tests skip (fail under CI=true)' },
  { name: 'patroni', for: 'PostgreSQL failover with Patroni', without: 'the Patroni tests skip (fail under CI=true)' },
  { name: 'mariadb-server', for: 'MariaDB Galera cluster', without: 'the Galera tests skip (fail under CI=true)' },
  { name: 'galera-4', for: 'Galera synchronous replication', without: 'the Galera tests skip (fail under CI=true)' },
  { name: 'rsync', for: 'Galera state transfer between MariaDB nodes', without: 'the Galera tests fail: a joining node cannot copy the cluster state' },
  { name: 'prometheus', for: 'promtool (alert rules checked by Prometheus itself)', without: 'the promtool tests skip (fail under CI=true)' },
  { name: 'fonts-noto-core', for: 'Noto Sans Devanagari (Hindi text in screenshots and the book)', without: 'no test skips; Hindi renders as boxes in screenshots and the book ships no font' },
];

function say(message) {
  console.log(`[system packages] ${message}`);
}

function hasCommand(name) {
  return childProcess.spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** The names dpkg reports as installed, or null when this is not a dpkg system. */
function installedDebianPackages(names) {
  if (!hasCommand('dpkg-query')) return null;
  const result = childProcess.spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...names], { encoding: 'utf8' });
  const installed = new Set();
  for (const line of (result.stdout || '').split('\n')) {
    const [name, ...status] = line.trim().split(' ');
    if (name && status.join(' ') === 'install ok installed') installed.add(name);
  }
  return installed;
}

/** How to run apt-get as root here: [] when root, ['sudo', '-n'] with password-less sudo, else null. */
function rootPrefix() {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return [];
  if (hasCommand('sudo') && childProcess.spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return null;
}

function run(command, args) {
  say(`running: ${[command, ...args].join(' ')}`);
  return childProcess.spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

function explain(missing, reason) {
  say(`missing: ${missing.map((p) => p.name).join(' ')} (${reason})`);
  say('install them with:');
  console.log(`    sudo apt-get update && sudo apt-get install -y ${missing.map((p) => p.name).join(' ')}`);
  say('until then:');
  for (const item of missing) console.log(`    without ${item.name} (${item.for}): ${item.without}`);
}

/** @returns {number} the exit status */
function main(argv) {
  const strict = argv.includes('--strict');
  if (argv.includes('--list')) {
    for (const item of PACKAGES) console.log(item.name);
    return 0;
  }
  const unknown = argv.filter((arg) => !['--strict', '--list'].includes(arg));
  if (unknown.length > 0) {
    console.error(`system-packages: unknown option ${JSON.stringify(unknown[0])}; allowed: --strict, --list`);
    return 2;
  }
  const names = PACKAGES.map((p) => p.name);
  let installed = installedDebianPackages(names);
  if (installed === null) {
    say(`this is not a Debian/Ubuntu system (no dpkg-query): cannot check ${names.length} packages by name.`);
    say(`the tests need Jupyter (notebook, nbclient, nbconvert), Chromium, PostgreSQL 15 with wal2json, etcd, Patroni, MariaDB with Galera, Prometheus (promtool) and Noto Sans Devanagari; tests of a missing engine skip (fail under CI=true).`);
    return strict ? 1 : 0;
  }
  let missing = PACKAGES.filter((p) => !installed.has(p.name));
  if (missing.length === 0) {
    say(`all ${PACKAGES.length} present`);
    return 0;
  }
  const prefix = rootPrefix();
  if (process.env.REPLICATION_WORKBOOK_NO_APT === '1') {
    explain(missing, 'REPLICATION_WORKBOOK_NO_APT=1: not installing');
  } else if (prefix === null || !hasCommand('apt-get')) {
    explain(missing, prefix === null ? 'not root and no password-less sudo' : 'no apt-get');
  } else {
    const [command, ...rest] = prefix.length ? prefix : ['apt-get'];
    const apt = prefix.length ? [...rest, 'apt-get'] : [];
    say(`installing ${missing.map((p) => p.name).join(' ')} (one apt-get update, one apt-get install)`);
    const ok = run(command, [...apt, 'update']) && run(command, [...apt, 'install', '-y', ...missing.map((p) => p.name)]);
    installed = installedDebianPackages(names) || new Set();
    missing = PACKAGES.filter((p) => !installed.has(p.name));
    if (!ok || missing.length > 0) explain(missing, 'apt-get did not install them');
    else say(`installed; all ${PACKAGES.length} present`);
  }
  return strict && missing.length > 0 ? 1 : 0;
}

module.exports = { PACKAGES, main };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
