// Proves the system-package step shared by npm's pretest and .ci/run: one list (every engine
// the tests use), on a machine missing packages it names the exact apt-get command and what
// each missing package means for the tests, --strict fails, and .ci/run keeps no list of its own.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'system-packages.js');
const EXPECTED = ['jupyter-notebook', 'python3-nbclient', 'jupyter-nbconvert', 'chromium', 'postgresql', 'postgresql-15-wal2json', 'etcd-server', 'etcd-client', 'patroni', 'mariadb-server', 'galera-4', 'rsync', 'prometheus', 'fonts-noto-core'];

/** A PATH whose dpkg-query reports only `installed` as installed. */
function fakeDpkg(installed: string[]): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-dpkg-'));
  const lines = installed.map((name) => `echo "${name} install ok installed"`).join('\n');
  fs.writeFileSync(path.join(dir, 'dpkg-query'), `#!/bin/sh\n${lines}\nexit 1\n`, { mode: 0o755 });
  return { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, REPLICATION_WORKBOOK_NO_APT: '1' }, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('scripts/system-packages.js', () => {
  test('lists every system package the tests use', () => {
    const listed = spawnSync(process.execPath, [SCRIPT, '--list'], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listed).toEqual(EXPECTED);
  });

  test('with packages missing and no installing allowed: the exact command, what skips, exit 0 (pretest) or 1 (--strict)', () => {
    const fake = fakeDpkg(['jupyter-notebook', 'python3-nbclient', 'jupyter-nbconvert', 'fonts-noto-core']);
    try {
      const advised = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: fake.env });
      expect(advised.status).toBe(0);
      expect(advised.stdout).toContain('sudo apt-get update && sudo apt-get install -y chromium postgresql postgresql-15-wal2json etcd-server etcd-client patroni mariadb-server galera-4 rsync prometheus');
      expect(advised.stdout).toMatch(/without chromium \(.*\): test\/browser\.test\.ts/);
      expect(advised.stdout).toMatch(/without postgresql \(.*\): the real-PostgreSQL tests skip/);
      expect(advised.stdout).not.toContain('without jupyter-notebook');
      expect(spawnSync(process.execPath, [SCRIPT, '--strict'], { encoding: 'utf8', env: fake.env }).status).toBe(1);
    } finally {
      fake.cleanup();
    }
  });

  test('npm test runs it first, and .ci/run calls it instead of keeping its own list', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe('node scripts/system-packages.js');
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('node scripts/system-packages.js --strict');
    expect(ci).not.toMatch(/needed=\(/);
  });
});
