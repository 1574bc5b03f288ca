// Proves pgbench's per-transaction log (-l, with -R) becomes the same numbers as our driver's:
// every field parsed, "skipped"/"failed" transactions counted apart, the warm-up left out by
// scheduled start, latency taken as pgbench logs it (already from the scheduled start, lag
// included, never added twice), and a malformed line rejected with its number. No server needed.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../lib/sim';
import { PGBENCH_ZIPF_PARAMETER, parsePgbenchLog, pgbenchScript, summarizePgbenchLog } from '../../lib/postgres';

// Ten transactions one per 100 ms from epoch second 1000: latency (µs) 1000 × (i + 1), lag 100 µs;
// the eleventh failed, the twelfth was skipped.
const lines = Array.from({ length: 10 }, (_, i) => {
  const latencyUs = 1000 * (i + 1);
  const completedUs = 1000_000_000 + i * 100_000 + latencyUs;
  return `${i % 3} ${i} ${latencyUs} 0 ${Math.floor(completedUs / 1e6)} ${completedUs % 1e6} 100`;
});
const FIXTURE = [...lines, '1 10 failed 0 1001 50000 0', '2 11 skipped 0 1001 60000 0 0', ''].join('\n');

describe('parsePgbenchLog', () => {
  it('reads every field, with completion time in epoch µs and failed/skipped transactions marked', () => {
    const entries = parsePgbenchLog(FIXTURE);
    expect(entries).toHaveLength(12);
    expect(entries[3]).toEqual({ clientId: 0, transactionNo: 3, status: 'ok', latencyUs: 4000, scriptNo: 0, completedUs: 1000_000_000 + 300_000 + 4000, scheduleLagUs: 100 });
    expect(entries[10]).toMatchObject({ status: 'failed', latencyUs: null });
    expect(entries[11]).toMatchObject({ status: 'skipped', latencyUs: null, scheduleLagUs: 0 });
  });

  it('parses a real PostgreSQL 15 log written with -R and -l, where time already includes the schedule lag', () => {
    const real = parsePgbenchLog(fs.readFileSync(path.join(__dirname, 'fixtures', 'pgbench-15-rate-log.txt'), 'utf8'));
    expect(real).toHaveLength(40);
    for (const e of real) {
      expect(e.status).toBe('ok');
      expect(e.scheduleLagUs).not.toBeNull();
      // time = now - scheduled start, lag = actual start - scheduled start: the lag is inside the time.
      expect(e.latencyUs!).toBeGreaterThanOrEqual(e.scheduleLagUs!);
    }
  });

  it('rejects a malformed line with its number and the expected layout', () => {
    expect(() => parsePgbenchLog('0 1 500 0 1000 1 0\n0 2 fast 0 1000 2 0')).toThrow(OptionError);
    expect(() => parsePgbenchLog('0 1 500 0 1000 1 0\n0 2 fast 0 1000 2 0')).toThrow(/line 2: time "fast"/);
    expect(() => parsePgbenchLog('0 1 500')).toThrow(/line 1: 3 fields/);
    expect(() => parsePgbenchLog('0 1 500 0 1000 1000000')).toThrow(/time_us/);
  });
});

describe('summarizePgbenchLog', () => {
  it('leaves out the warm-up by scheduled start and takes percentiles of the logged latency (lag not added again)', () => {
    // The run starts at the first scheduled start (epoch second 1000); 1 s long, 300 ms warm-up.
    const s = summarizePgbenchLog(parsePgbenchLog(FIXTURE), { durationMs: 1000, warmupMs: 300 });
    // Scheduled at 300..900 ms: transactions 3..9 (7), plus the failed and skipped ones (after 1 s).
    expect(s.counted).toBe(9);
    expect(s.completed).toBe(7);
    expect(s.failed).toBe(1);
    expect(s.skipped).toBe(1);
    expect(s.latency!.minMs).toBeCloseTo(4, 2);
    expect(s.latency!.maxMs).toBeCloseTo(10, 2);
    expect(s.latency!.p50Ms).toBeCloseTo(7, 2);
    expect(s.scheduleLagMsMean).toBeCloseTo((7 * 0.1) / 9, 6);
    // Completions in [300, 1000) ms: transactions 3..9, over a 700 ms window.
    expect(s.throughputPerSec).toBeCloseTo(7 / 0.7, 6);
  });

  it('returns an empty summary for an empty log, and rejects a warm-up longer than the run', () => {
    expect(summarizePgbenchLog([], { durationMs: 1000, warmupMs: 200 })).toMatchObject({ counted: 0, latency: null, throughputPerSec: 0 });
    expect(() => summarizePgbenchLog([], { durationMs: 1000, warmupMs: 1000 })).toThrow(/warmupMs/);
  });
});

describe('pgbenchScript', () => {
  it('writes the YCSB mix as a pgbench script: the read share, a read before the write for read-modify-write, Zipfian keys', () => {
    const a = pgbenchScript({ readShare: 0.5, readModifyWrite: false }, 'workbook_bench_kv', 1000);
    expect(a).toContain(`\\set k random_zipfian(0, 999, ${PGBENCH_ZIPF_PARAMETER})`);
    expect(a).toContain('\\if :r <= 500000');
    expect(a.match(/SELECT v FROM workbook_bench_kv/g)).toHaveLength(1);
    const f = pgbenchScript({ readShare: 0.5, readModifyWrite: true }, 'workbook_bench_kv', 1000);
    expect(f.match(/SELECT v FROM workbook_bench_kv/g)).toHaveLength(2);
    expect(() => pgbenchScript({ readShare: 0.5, readModifyWrite: false }, 'bad name; drop', 10)).toThrow(/table: got "bad name; drop"/);
    expect(() => pgbenchScript({ readShare: 1.5, readModifyWrite: false }, 't', 10)).toThrow(/readShare/);
  });
});
