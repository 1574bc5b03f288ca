import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LatencyHistogram, LatencySummary } from '../stats';
import { OptionError, checkKnownKeys, checkNumber, checkOneOf } from '../util/option-error';
import { POSTGRES_INSTALL_HINT, PostgresBinaries, findPostgresBinaries } from './binaries';
import { LocalPgCluster, SYNCHRONOUS_COMMIT_LEVELS, SynchronousCommit } from './local-cluster';
import { runProgram } from './program-run';

/**
 * pgbench, the load tool that ships with the PostgreSQL server, as a cross-check of our own
 * open-loop driver (lib/bench/postgres-bench.ts): the same key-value mix on the same table,
 * throttled with `-R rate` (pgbench then schedules transactions as a Poisson process, like our
 * driver), every transaction written to a log with `-l`, and the log turned into the same
 * percentiles by lib/stats.
 *
 * Why its latency is free of coordinated omission: with `-R`, pgbench times each transaction
 * from its *scheduled* start, not from when a client got round to sending it. In the
 * per-transaction log, `time` is `now - txn_scheduled` and `schedule_lag` is
 * `txn_begin - txn_scheduled` (pgbench.c, processXactStats), so `time` already contains the
 * lag; adding the lag again would count it twice. The log lines are
 *
 *   client_id transaction_no time script_no time_epoch time_us [schedule_lag] [retries]
 *
 * with `time` "skipped" or "failed" for a transaction that never ran or failed, and
 * time_epoch/time_us the moment it completed (PostgreSQL documentation, pgbench,
 * "Per-Transaction Logging").
 */

export interface PgbenchLogEntry {
  clientId: number;
  transactionNo: number;
  status: 'ok' | 'skipped' | 'failed';
  /** From the scheduled start (with -R) to completion, µs; null when skipped or failed. */
  latencyUs: number | null;
  scriptNo: number;
  /** When it completed: Unix epoch, µs. */
  completedUs: number;
  /** Scheduled start to actual start, µs (present only with -R). */
  scheduleLagUs: number | null;
}

const INTEGER = /^\d+$/;

/** Parses a pgbench per-transaction log (-l); a malformed line is an error that quotes it. */
export function parsePgbenchLog(text: string): PgbenchLogEntry[] {
  if (typeof text !== 'string') throw new OptionError(`parsePgbenchLog text: got ${typeof text}; allowed: the text of a pgbench -l log`);
  const entries: PgbenchLogEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    const bad = (why: string): never => {
      throw new OptionError(`pgbench log line ${i + 1}: ${why} in ${JSON.stringify(line)}; allowed: "client_id transaction_no time script_no time_epoch time_us [schedule_lag] [retries]"`);
    };
    if (fields.length < 6 || fields.length > 8) bad(`${fields.length} fields`);
    const [client, txn, time, script, epoch, us, lag] = fields;
    for (const [name, value] of [['client_id', client], ['transaction_no', txn], ['script_no', script], ['time_epoch', epoch], ['time_us', us]] as const) {
      if (!INTEGER.test(value)) bad(`${name} ${JSON.stringify(value)} is not a whole number`);
    }
    if (lag !== undefined && !INTEGER.test(lag)) bad(`schedule_lag ${JSON.stringify(lag)} is not a whole number`);
    const status = time === 'skipped' ? 'skipped' : time === 'failed' ? 'failed' : 'ok';
    if (status === 'ok' && !INTEGER.test(time)) bad(`time ${JSON.stringify(time)} is neither µs nor "skipped"/"failed"`);
    const microseconds = Number(us);
    if (microseconds >= 1_000_000) bad(`time_us ${us} is not below 1 000 000`);
    entries.push({
      clientId: Number(client),
      transactionNo: Number(txn),
      status,
      latencyUs: status === 'ok' ? Number(time) : null,
      scriptNo: Number(script),
      completedUs: Number(epoch) * 1_000_000 + microseconds,
      scheduleLagUs: lag === undefined ? null : Number(lag),
    });
  });
  return entries;
}

export interface PgbenchSummary {
  /** Transactions scheduled in the measured window (after the warm-up). */
  counted: number;
  completed: number;
  failed: number;
  skipped: number;
  /** Completed transactions per second of the measured window. */
  throughputPerSec: number;
  windowMs: number;
  /** Of the counted transactions, from scheduled start (null when none completed). */
  latency: LatencySummary | null;
  /** How far pgbench itself fell behind its schedule, ms (null without -R). */
  scheduleLagMsMean: number | null;
  scheduleLagMsMax: number | null;
}

/**
 * The log as our harness reports a run: the run starts at the earliest scheduled start in the
 * log; transactions scheduled in the warm-up are not counted; throughput is completions in
 * the window [warm-up, duration) per second.
 */
export function summarizePgbenchLog(entries: readonly PgbenchLogEntry[], options: { durationMs: number; warmupMs: number }): PgbenchSummary {
  const durationMs = checkNumber('summarizePgbenchLog durationMs', options.durationMs, { min: 1 });
  const warmupMs = checkNumber('summarizePgbenchLog warmupMs', options.warmupMs, { min: 0, max: durationMs - 1 });
  const scheduledUs = (e: PgbenchLogEntry): number => e.completedUs - (e.latencyUs ?? 0);
  const windowMs = durationMs - warmupMs;
  if (entries.length === 0) return { counted: 0, completed: 0, failed: 0, skipped: 0, throughputPerSec: 0, windowMs, latency: null, scheduleLagMsMean: null, scheduleLagMsMax: null };
  // Loops, not Math.min(...xs): a long run's log has more entries than a call may take arguments.
  let startUs = Infinity;
  for (const e of entries) startUs = Math.min(startUs, scheduledUs(e));
  const windowStartUs = startUs + warmupMs * 1000;
  const windowEndUs = startUs + durationMs * 1000;
  const counted = entries.filter((e) => scheduledUs(e) >= windowStartUs);
  const latencies = counted.filter((e) => e.latencyUs !== null).map((e) => (e.latencyUs as number) / 1000);
  const histogram = new LatencyHistogram({ highestMs: Math.max(1000, 2 * latencies.reduce((a, b) => Math.max(a, b), 0) + 1) });
  for (const ms of latencies) histogram.record(ms);
  const lags = counted.filter((e) => e.scheduleLagUs !== null).map((e) => (e.scheduleLagUs as number) / 1000);
  const completedInWindow = entries.filter((e) => e.status === 'ok' && e.completedUs >= windowStartUs && e.completedUs < windowEndUs).length;
  return {
    counted: counted.length,
    completed: latencies.length,
    failed: counted.filter((e) => e.status === 'failed').length,
    skipped: counted.filter((e) => e.status === 'skipped').length,
    throughputPerSec: completedInWindow / (windowMs / 1000),
    windowMs,
    latency: histogram.count > 0 ? histogram.summary() : null,
    scheduleLagMsMean: lags.length > 0 ? lags.reduce((a, b) => a + b, 0) / lags.length : null,
    scheduleLagMsMax: lags.length > 0 ? lags.reduce((a, b) => Math.max(a, b), 0) : null,
  };
}

export const PGBENCH_INSTALL_HINT =
  'pgbench ships with the PostgreSQL server: Debian/Ubuntu `sudo apt-get install -y postgresql` (it lands in /usr/lib/postgresql/<major>/bin beside initdb), ' +
  'Fedora/RHEL `sudo dnf install -y postgresql-contrib`, macOS `brew install postgresql@15`.';

/** pgbench beside the server programs lib/postgres found; an error that says how to install it when it is not there. */
export function findPgbench(binaries: PostgresBinaries = findPostgresBinaries()): string {
  const file = path.join(binaries.binDir, 'pgbench');
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    throw new OptionError(`pgbench not found: looked for ${file} (beside ${binaries.programs.postgres}). ${PGBENCH_INSTALL_HINT} ${POSTGRES_INSTALL_HINT}`);
  }
}

/**
 * The Zipf exponent pgbench uses for the key. YCSB's θ is 0.99, but pgbench's random_zipfian
 * accepts only parameters in [1.001, 1000] since PostgreSQL 13, so the cross-check draws keys
 * with 1.001: the nearest skew it allows (the hottest key gets a few per cent more of the load).
 */
export const PGBENCH_ZIPF_PARAMETER = 1.001;

export interface PgbenchMix {
  /** Share of transactions that are a plain read (0–1). */
  readShare: number;
  /** True: every other transaction reads the key, then writes it (YCSB F); false: it just writes it. */
  readModifyWrite: boolean;
}

/** The pgbench script for a key-value mix on `table` (columns k text primary key, v text). */
export function pgbenchScript(mix: PgbenchMix, table: string, keyCount: number): string {
  const readShare = checkNumber('pgbenchScript readShare', mix.readShare, { min: 0, max: 1 });
  if (typeof mix.readModifyWrite !== 'boolean') throw new OptionError(`pgbenchScript readModifyWrite: got ${JSON.stringify(mix.readModifyWrite)}; allowed: true | false`);
  checkNumber('pgbenchScript keyCount', keyCount, { integer: true, min: 1, max: 10_000_000 });
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`pgbenchScript table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  const read = `SELECT v FROM ${table} WHERE k = 'k' || :k;`;
  const write = `INSERT INTO ${table} (k, v) VALUES ('k' || :k, 'pgbench-' || :client_id) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;`;
  return [
    `-- Generated by lib/postgres/pgbench.ts: ${Math.round(readShare * 100)} % reads, the rest ${mix.readModifyWrite ? 'read-modify-write' : 'writes'}, Zipfian keys k0..k${keyCount - 1}.`,
    `\\set k random_zipfian(0, ${keyCount - 1}, ${PGBENCH_ZIPF_PARAMETER})`,
    `\\set r random(1, 1000000)`,
    `\\if :r <= ${Math.round(readShare * 1_000_000)}`,
    read,
    `\\else`,
    ...(mix.readModifyWrite ? [read] : []),
    write,
    `\\endif`,
    '',
  ].join('\n');
}

/** The key-value table the open-loop driver (lib/bench/postgres-bench.ts) and pgbench both use. */
export const BENCH_KV_TABLE = 'workbook_bench_kv';

/** Creates the key-value table (k text primary key, v text) if it is missing. */
export function benchKvTableDdl(table: string = BENCH_KV_TABLE): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (k text PRIMARY KEY, v text NOT NULL)`;
}

export interface PgbenchRunOptions {
  cluster: LocalPgCluster;
  level: SynchronousCommit;
  mix: PgbenchMix;
  ratePerSec: number;
  /** Length of the run, ms; pgbench runs ceil(rate × duration / connections) transactions a client. */
  durationMs: number;
  /** Transactions scheduled before this are not counted; default 20 % of durationMs. */
  warmupMs?: number;
  /** pgbench clients (-c); default 16, the driver's pool. */
  connections?: number;
  keyCount?: number;
  seed: number;
  /** The table (created if missing); default workbook_bench_kv, the driver's. */
  table?: string;
  /** Server to run against; default the primary. */
  node?: string;
  /**
   * pgbench threads (-j); default 1. Each thread throttles its own share of the rate over its
   * own clients, so 2 threads make two pools of 8 instead of one pool of 16: more queueing
   * near saturation than the driver's single pool. One thread keeps the queue the same.
   */
  threads?: number;
}

export interface PgbenchRun {
  level: SynchronousCommit;
  offeredPerSec: number;
  /** The command line, password-free (it travels in PGPASSWORD). */
  command: string;
  transactionsPerClient: number;
  summary: PgbenchSummary;
}

const RUN_KEYS = ['cluster', 'level', 'mix', 'ratePerSec', 'durationMs', 'warmupMs', 'connections', 'keyCount', 'seed', 'table', 'node', 'threads'];

/** Runs pgbench throttled to `ratePerSec` with a per-transaction log and summarises the log. */
export async function runPgbench(options: PgbenchRunOptions): Promise<PgbenchRun> {
  checkKnownKeys('runPgbench', options, RUN_KEYS);
  const level = checkOneOf('runPgbench level', options.level, SYNCHRONOUS_COMMIT_LEVELS);
  const ratePerSec = checkNumber('runPgbench ratePerSec', options.ratePerSec, { min: 1, max: 100_000 });
  const durationMs = checkNumber('runPgbench durationMs', options.durationMs, { min: 100, max: 600_000 });
  const warmupMs = checkNumber('runPgbench warmupMs', options.warmupMs ?? durationMs * 0.2, { min: 0, max: durationMs - 1 });
  const connections = checkNumber('runPgbench connections', options.connections ?? 16, { integer: true, min: 1, max: 40 });
  const keyCount = checkNumber('runPgbench keyCount', options.keyCount ?? 1000, { integer: true, min: 1, max: 10_000_000 });
  const seed = checkNumber('runPgbench seed', options.seed, { integer: true, min: 0 });
  const threads = checkNumber('runPgbench threads', options.threads ?? 1, { integer: true, min: 1, max: connections });
  const table = options.table ?? BENCH_KV_TABLE;
  const script = pgbenchScript(options.mix, table, keyCount);
  const { cluster } = options;
  const node = options.node ?? cluster.primaryName;
  const pgbench = findPgbench(cluster.binaries);
  await cluster.query(node, benchKvTableDdl(table));

  const transactionsPerClient = Math.max(1, Math.ceil((ratePerSec * durationMs) / 1000 / connections));
  const config = cluster.clientConfig(node);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-pgbench-'));
  try {
    fs.writeFileSync(path.join(dir, 'mix.sql'), script);
    const args = [
      '--no-vacuum',
      `--host=${config.host}`,
      `--port=${config.port}`,
      `--username=${config.user}`,
      `--client=${connections}`,
      `--jobs=${threads}`,
      `--rate=${ratePerSec}`,
      `--transactions=${transactionsPerClient}`,
      '--protocol=extended',
      `--random-seed=${seed}`,
      '--log',
      `--log-prefix=${path.join(dir, 'txn')}`,
      `--file=${path.join(dir, 'mix.sql')}`,
      String(config.database),
    ];
    await runProgram(pgbench, args, {
      user: { name: 'self', uid: null, gid: null },
      cwd: dir,
      // The level is one of five fixed words checked above; PGOPTIONS sets it for every client session.
      env: { PGPASSWORD: String(config.password), PGOPTIONS: `-c synchronous_commit=${level}`, PGAPPNAME: 'replication-workbook-pgbench' },
      timeoutMs: durationMs * 10 + 60_000,
    });
    const logs = fs.readdirSync(dir).filter((f) => f.startsWith('txn.'));
    if (logs.length === 0) throw new Error(`pgbench wrote no transaction log in ${dir} (expected txn.<pid>)`);
    const entries = logs.flatMap((f) => parsePgbenchLog(fs.readFileSync(path.join(dir, f), 'utf8')));
    return {
      level,
      offeredPerSec: ratePerSec,
      command: `pgbench ${args.map((a) => (a.startsWith('--log-prefix=') || a.startsWith('--file=') ? a.replace(dir, '<tmp>') : a)).join(' ')}`,
      transactionsPerClient,
      summary: summarizePgbenchLog(entries, { durationMs, warmupMs }),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
