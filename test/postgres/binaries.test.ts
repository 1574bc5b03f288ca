// Proves how the server binaries are found and that their absence is one clear error that says
// how to install them; also the LSN arithmetic the lag readers rely on, and option validation.
import { describe, expect, test } from 'vitest';
import { LocalPgCluster, PostgresNotInstalledError, findPostgresBinaries, lookupAccount, lsnDistanceBytes, parseLsn } from '../../lib/postgres';
import { postgres } from './postgres-availability';

describe('finding PostgreSQL', () => {
  test('with nothing on PATH and no standard locations the error names where it looked and the install command', () => {
    let error: unknown;
    try {
      findPostgresBinaries({ env: { PATH: '/nonexistent-bin' }, standardLocations: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PostgresNotInstalledError);
    const message = (error as Error).message;
    expect(message).toContain('looked in: (nowhere)');
    expect(message).toContain('sudo apt-get install -y postgresql');
    expect(message).toContain('PG_BIN_DIR');
  });

  test('a PG_BIN_DIR without the programs is an error naming it, even when PostgreSQL is installed elsewhere', () => {
    expect(() => findPostgresBinaries({ env: { PG_BIN_DIR: '/nonexistent-pg', PATH: process.env.PATH } })).toThrow(/not found; looked in: \/nonexistent-pg\. Install/);
  });

  test.runIf(postgres.binaries !== null)('PG_BIN_DIR pointing at an installation wins and reports its version', () => {
    const found = findPostgresBinaries({ env: { PATH: '', PG_BIN_DIR: postgres.binaries!.binDir }, standardLocations: false });
    expect(found.foundVia).toBe('PG_BIN_DIR');
    expect(found.majorVersion).toBeGreaterThanOrEqual(12);
    expect(found.programs.pg_basebackup).toBe(`${postgres.binaries!.binDir}/pg_basebackup`);
  });

  test('accounts are read from a passwd file', () => {
    expect(lookupAccount('root')).toEqual({ uid: 0, gid: 0 });
    expect(lookupAccount('no-such-account-here')).toBeNull();
  });
});

describe('LSN arithmetic', () => {
  test('an LSN is a 64-bit byte position written as two hex halves', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148);
    expect(parseLsn('16/B374D848')).toBe(0x16 * 2 ** 32 + 0xb374d848);
    expect(lsnDistanceBytes('1/0', '0/FFFFFF00')).toBe(256);
    expect(lsnDistanceBytes('0/10', '0/20')).toBe(0);
    expect(lsnDistanceBytes(null, '0/20')).toBeNull();
    expect(() => parseLsn('3000148')).toThrow(/LSN: got "3000148"; allowed: two hex numbers separated by "\/"/);
  });
});

describe('cluster options are validated before anything starts', () => {
  test.each([
    [{ standbys: ['Delhi'] }, 'standbys[0].name: got "Delhi"'],
    [{ standbys: ['delhi', 'delhi'] }, 'the name "delhi" is used twice'],
    [{ standbys: [{ name: 'kolkata', applyDelayMs: -1 }] }, 'standbys[0].applyDelayMs: got -1'],
    [{ synchronousCommit: 'sometimes' }, 'synchronousCommit: got "sometimes"; allowed: "off" | "local" | "remote_write" | "on" | "remote_apply"'],
    [{ settings: { 'bad name': 1 } }, 'settings: got the setting name "bad name"'],
    [{ standby: ['delhi'] }, 'unknown option "standby"'],
  ])('%j → %s', async (options, message) => {
    await expect(LocalPgCluster.start(options as never)).rejects.toThrow(message);
  });
});
