// Proves notebook 07's real-PostgreSQL section behaves as promised when PostgreSQL is missing:
// outside CI it skips with the command that installs the server; with CI=true it fails
// (a silently skipped measurement proves nothing); server programs without pgbench count
// as missing too. And the findings always say that loopback has no WAN latency, with the
// Mumbai–Delhi round trip read from data/, not typed into the prose.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureRealPostgres, realPostgresAvailability, realPostgresFindings, realPostgresRows } from '../../../lib/lessons/07-strategy-benchmarks';
import { findPgbench } from '../../../lib/postgres';
import { indiaTopology } from '../../../lib/sim';

const NOWHERE = path.join(os.tmpdir(), 'replication-workbook-no-postgres-here');
const INSTALL = 'apt-get install -y postgresql';

// A folder with the four server programs (tiny scripts) but no pgbench.
const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-fake-pg-'));
for (const program of ['initdb', 'pg_ctl', 'pg_basebackup']) fs.writeFileSync(path.join(fakeBin, program), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
fs.writeFileSync(path.join(fakeBin, 'postgres'), '#!/bin/sh\necho "postgres (PostgreSQL) 15.4"\n', { mode: 0o755 });
afterAll(() => fs.rmSync(fakeBin, { recursive: true, force: true }));

describe('the real-PostgreSQL section without PostgreSQL', () => {
  it('skips outside CI with the install command, and measures nothing', async () => {
    const availability = realPostgresAvailability({ PG_BIN_DIR: NOWHERE });
    expect(availability.binaries).toBeNull();
    expect(availability.message).toMatch(/^Skipped/);
    expect(availability.message).toContain(INSTALL);
    const outcome = await measureRealPostgres({ seed: 41, env: { PG_BIN_DIR: NOWHERE } });
    expect(outcome.status).toBe('skipped');
    expect(realPostgresRows(outcome)).toEqual([]);
  });

  it('fails with CI=true, saying why and how to install', async () => {
    expect(() => realPostgresAvailability({ PG_BIN_DIR: NOWHERE, CI: 'true' })).toThrow(/CI=true/);
    expect(() => realPostgresAvailability({ PG_BIN_DIR: NOWHERE, CI: 'true' })).toThrow(INSTALL);
    await expect(measureRealPostgres({ seed: 41, env: { PG_BIN_DIR: NOWHERE, CI: '1' } })).rejects.toThrow(/CI=true/);
  });

  it('treats server programs without pgbench as missing: skip outside CI, fail in CI, both naming the pgbench path', () => {
    const skipped = realPostgresAvailability({ PG_BIN_DIR: fakeBin });
    expect(skipped.binaries).toBeNull();
    expect(skipped.message).toContain(path.join(fakeBin, 'pgbench'));
    expect(skipped.message).toContain(INSTALL);
    expect(() => realPostgresAvailability({ PG_BIN_DIR: fakeBin, CI: 'true' })).toThrow(/pgbench not found/);
    expect(() => findPgbench({ binDir: fakeBin, version: '15.4', majorVersion: 15, foundVia: 'PG_BIN_DIR', programs: { initdb: '', postgres: path.join(fakeBin, 'postgres'), pg_ctl: '', pg_basebackup: '' } })).toThrow(/pgbench not found/);
  });

  it('still says that loopback has no WAN latency, with the round trip from data/', () => {
    const text = realPostgresFindings({ status: 'skipped', reason: 'x' });
    expect(text).toContain('no WAN latency');
    expect(text).toContain(`${indiaTopology().rttMs('mumbai', 'delhi')} ms Mumbai–Delhi round trip`);
  });
});
