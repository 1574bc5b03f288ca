/**
 * The same open-loop measurement against real PostgreSQL on loopback: Poisson arrivals drawn
 * from a seed (lib/workload), YCSB mixes on Zipfian keys, each request timed from its intended
 * start on the real clock (a late timer or a busy pool counts against the server, never
 * hidden), served by a pool of connections at one `synchronous_commit` level. Loopback has no
 * WAN: the standby answers in microseconds, so what the levels cost here is fsyncs and
 * process hand-offs, not the 28 ms Mumbai–Delhi round trip the simulator adds.
 *
 * The saturation sweep is the simulator's own (saturation.ts, driven by sweepWithAsync), so
 * the PostgreSQL row has the same columns: saturation refined by bisection, P95 at 50 % and
 * 80 % of it, and the consistency lib/check observed in the 80 % run's history, recorded on
 * the real clock, with reads at the primary and again with reads at the standby. pgbench
 * (lib/postgres/pgbench.ts) runs the same mix at the same 80 % load as a cross-check.
 *
 * This is real-engine code: real time (process.hrtime) is the right clock here, and the seed
 * fixes the schedule of requests and keys, not what the machine does with them.
 */
import type { Client } from 'pg';
import { OptionError, Rng, checkKnownKeys, checkNumber } from '../sim';
import { LatencyHistogram } from '../stats';
import type { LocalPgCluster, PgbenchRun, SynchronousCommit } from '../postgres';
import { BENCH_KV_TABLE, SYNCHRONOUS_COMMIT_LEVELS, benchKvTableDdl, runPgbench } from '../postgres';
import { KvOperation, keyChooser, poissonArrivalTimesMs } from '../workload';
import type { ObservedConsistency } from './bench-target';
import { KvHistory } from './history-check';
import type { BenchRunResult } from './open-loop-bench';
import { SaturationCriteria, SweepResult, sweepWithAsync } from './saturation';
import type { YcsbMix } from './ycsb';

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const realClock = { nowMs };

/**
 * The driver's connections, opened once and reused by every run: opening one costs a SCRAM
 * handshake (milliseconds of CPU on both sides), which a run must not pay, or measure.
 */
export class PostgresBenchPool {
  private currentLevel: SynchronousCommit | null = null;

  private constructor(
    readonly cluster: LocalPgCluster,
    readonly primary: Client[],
    readonly standby: Client[],
    readonly standbyName: string | null,
  ) {}

  /**
   * `connections` to the primary, and as many to `standby` (default: the cluster's first
   * standby, if any; null for none). Each statement is cancelled after `statementTimeoutMs`,
   * so a run always ends.
   */
  static async open(cluster: LocalPgCluster, options: { connections?: number; standby?: string | null; statementTimeoutMs?: number } = {}): Promise<PostgresBenchPool> {
    checkKnownKeys('PostgresBenchPool.open', options, ['connections', 'standby', 'statementTimeoutMs']);
    const connections = checkNumber('PostgresBenchPool connections', options.connections ?? 16, { integer: true, min: 1, max: 40 });
    const statementTimeoutMs = checkNumber('PostgresBenchPool statementTimeoutMs', options.statementTimeoutMs ?? 30_000, { integer: true, min: 100 });
    const standbyName = options.standby === undefined ? (cluster.standbyNames[0] ?? null) : options.standby;
    if (standbyName !== null && !cluster.standbyNames.includes(standbyName)) {
      throw new OptionError(`PostgresBenchPool standby: got ${JSON.stringify(standbyName)}; allowed: null or one of the cluster's standbys (${cluster.standbyNames.join(', ') || 'none'})`);
    }
    const open = async (name: string): Promise<Client> => {
      const client = await cluster.connect(name);
      await client.query(`SET statement_timeout = ${statementTimeoutMs}`);
      return client;
    };
    const opened: Client[] = [];
    try {
      const primary = await Promise.all(Array.from({ length: connections }, () => open(cluster.primaryName).then((c) => (opened.push(c), c))));
      const standby = standbyName === null ? [] : await Promise.all(Array.from({ length: connections }, () => open(standbyName).then((c) => (opened.push(c), c))));
      await primary[0].query(benchKvTableDdl());
      return new PostgresBenchPool(cluster, primary, standby, standbyName);
    } catch (error) {
      await Promise.all(opened.map((c) => c.end().catch(() => undefined)));
      throw error;
    }
  }

  get level(): SynchronousCommit | null {
    return this.currentLevel;
  }

  /** SET synchronous_commit on every primary connection (the standby's answer only reads). */
  async setLevel(level: SynchronousCommit): Promise<void> {
    if (!SYNCHRONOUS_COMMIT_LEVELS.includes(level)) throw new OptionError(`synchronous_commit level: got ${JSON.stringify(level)}; allowed: ${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}`);
    if (this.currentLevel === level) return;
    // SET takes no bind parameters; the level is one of five fixed words checked above.
    await Promise.all(this.primary.map((c) => c.query(`SET synchronous_commit = '${level}'`)));
    this.currentLevel = level;
  }

  /**
   * Empties the table and waits until the standby has replayed that, so every run starts
   * from the same state and a recorded history starts from "never written" on every key.
   */
  async reset(timeoutMs = 10_000): Promise<void> {
    await this.primary[0].query(`TRUNCATE ${BENCH_KV_TABLE}`);
    if (this.standby.length === 0) return;
    const lsn = (await this.primary[0].query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      const { rows } = await this.standby[0].query<{ done: boolean }>('SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done', [lsn]);
      if (rows[0].done) return;
      if (nowMs() > deadline) throw new Error(`PostgresBenchPool.reset: ${this.standbyName} did not replay the TRUNCATE (primary LSN ${lsn}) within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.primary, ...this.standby].map((c) => c.end().catch(() => undefined)));
  }
}

export interface PostgresBenchOptions {
  cluster: LocalPgCluster;
  level: SynchronousCommit;
  mix: YcsbMix;
  seed: number;
  ratePerSec: number;
  durationMs: number;
  warmupMs?: number;
  /** Connections in the pool; default 16 (data/bench-capacity.json's pool size). Ignored with `pool`. */
  connections?: number;
  keyCount?: number;
  timeoutMs?: number;
  /** Connections to reuse (see PostgresBenchPool); default: open them for this run and close them after. */
  pool?: PostgresBenchPool;
  /** Where plain reads go; default 'primary'. Writes (and a read-modify-write's read) always go to the primary. */
  readsAt?: 'primary' | 'standby';
  /** Record every request's call and return on the real clock and judge the history with lib/check; default false. */
  checkConsistency?: boolean;
}

const RUN_KEYS = ['cluster', 'level', 'mix', 'seed', 'ratePerSec', 'durationMs', 'warmupMs', 'connections', 'keyCount', 'timeoutMs', 'pool', 'readsAt', 'checkConsistency'];

interface Step {
  atMs: number;
  key: string;
  read: boolean;
  value: string;
}

export async function runPostgresOpenLoop(options: PostgresBenchOptions): Promise<BenchRunResult> {
  checkKnownKeys('runPostgresOpenLoop', options, RUN_KEYS);
  if (!SYNCHRONOUS_COMMIT_LEVELS.includes(options.level)) throw new OptionError(`runPostgresOpenLoop level: got ${JSON.stringify(options.level)}; allowed: ${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}`);
  const ratePerSec = checkNumber('runPostgresOpenLoop ratePerSec', options.ratePerSec, { min: 0.001, max: 100_000 });
  const durationMs = checkNumber('runPostgresOpenLoop durationMs', options.durationMs, { min: 10, max: 600_000 });
  const warmupMs = checkNumber('runPostgresOpenLoop warmupMs', options.warmupMs ?? durationMs * 0.2, { min: 0, max: durationMs - 1 });
  const keyCount = checkNumber('runPostgresOpenLoop keyCount', options.keyCount ?? 1000, { integer: true, min: 1, max: 1_000_000 });
  const timeoutMs = checkNumber('runPostgresOpenLoop timeoutMs', options.timeoutMs ?? 2000, { min: 1 });
  const readsAt = options.readsAt ?? 'primary';
  if (readsAt !== 'primary' && readsAt !== 'standby') throw new OptionError(`runPostgresOpenLoop readsAt: got ${JSON.stringify(readsAt)}; allowed: primary, standby`);
  const { cluster, mix, level } = options;

  const ownPool = options.pool === undefined;
  const pool = options.pool ?? (await PostgresBenchPool.open(cluster, { connections: options.connections, standby: readsAt === 'standby' ? undefined : null }));
  if (pool.cluster !== cluster) throw new OptionError('runPostgresOpenLoop pool: it belongs to another cluster; allowed: a PostgresBenchPool opened on options.cluster');
  if (readsAt === 'standby' && pool.standby.length === 0) throw new OptionError(`runPostgresOpenLoop readsAt: got "standby", but the pool has no standby connections (cluster standbys: ${cluster.standbyNames.join(', ') || 'none'})`);
  try {
    await pool.setLevel(level);
    await pool.reset();
    return await drive(pool, { ...options, ratePerSec, durationMs, warmupMs, keyCount, timeoutMs, readsAt });
  } finally {
    if (ownPool) await pool.close();
  }
}

async function drive(
  pool: PostgresBenchPool,
  options: PostgresBenchOptions & { ratePerSec: number; durationMs: number; warmupMs: number; keyCount: number; timeoutMs: number; readsAt: 'primary' | 'standby' },
): Promise<BenchRunResult> {
  const { mix, level, ratePerSec, durationMs, warmupMs, keyCount, timeoutMs, readsAt } = options;
  // A split stream, not the seeded generator itself: xoroshiro128+ seeded with a small integer
  // returns ~1.0 as its first float (about 22 mean gaps of silence before the first arrival).
  const rng = new Rng(options.seed).split();
  const arrivals = poissonArrivalTimesMs(rng, [{ startMs: 0, endMs: durationMs, perSec: ratePerSec }], 2_000_000);
  const choose = keyChooser({ keyCount, zipfTheta: 0.99 });
  // Put values are unique within a run (the table is emptied before it), so a read's value names its write.
  const plan: Step[] = arrivals.map((atMs, i) => ({ atMs, key: choose(rng), read: rng.chance(mix.readShare), value: `v${i}` }));
  const history = options.checkConsistency ? new KvHistory(realClock, 2 * plan.length + 10) : null;

  // A connection pair: the i-th primary connection and, for reads at the standby, the i-th standby one.
  const slots = pool.primary.map((primary, i) => ({ primary, standby: pool.standby[i] ?? null }));
  type Slot = (typeof slots)[number];
  const query = async (client: Client, op: KvOperation): Promise<void> => {
    const finish = history ? history.begin(op) : null;
    try {
      if (op.f === 'get') {
        const { rows } = await client.query<{ v: string }>(`SELECT v FROM ${BENCH_KV_TABLE} WHERE k = $1`, [op.key]);
        if (finish) finish({ ok: true, value: rows[0]?.v ?? '' });
      } else {
        await client.query(`INSERT INTO ${BENCH_KV_TABLE} (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v`, [op.key, (op as { value: string }).value]);
        if (finish) finish({ ok: true });
      }
    } catch (error) {
      if (finish) finish({ ok: false });
      throw error;
    }
  };
  const run = async (slot: Slot, step: Step): Promise<void> => {
    if (step.read) return query(readsAt === 'standby' ? (slot.standby as Client) : slot.primary, { f: 'get', key: step.key });
    if (mix.readModifyWrite) await query(slot.primary, { f: 'get', key: step.key });
    await query(slot.primary, { f: 'put', key: step.key, value: step.value });
  };

  const histogram = new LatencyHistogram({ highestMs: 2 * (durationMs + timeoutMs) + 60_000 });
  let counted = 0;
  let completed = 0;
  let errors = 0;
  let timeouts = 0;
  let completedInWindow = 0;
  let unfinished = 0;
  const idle = [...slots];
  const waiting: Array<(slot: Slot) => void> = [];
  const t0 = nowMs() + 20;
  await new Promise<void>((resolveAll) => {
    let next = 0;
    const dispatch = (step: Step): void => {
      const counts = step.atMs >= warmupMs;
      if (counts) counted++;
      unfinished++;
      const start = (slot: Slot): void => {
        run(slot, step)
          .then(
            () => {
              const done = nowMs() - t0;
              // From the intended start: the time it waited for a connection is the server's queue.
              const latencyMs = done - step.atMs;
              if (done >= warmupMs && done < durationMs) completedInWindow++;
              if (counts) {
                completed++;
                if (latencyMs > timeoutMs) timeouts++;
                histogram.record(Math.max(0, latencyMs));
              }
            },
            () => {
              if (counts) errors++;
            },
          )
          .finally(() => {
            unfinished--;
            const more = waiting.shift();
            if (more) more(slot);
            else idle.push(slot);
            if (next >= plan.length && unfinished === 0) resolveAll();
          });
      };
      const slot = idle.pop();
      if (slot) start(slot);
      else waiting.push(start);
    };
    const tick = (): void => {
      const elapsed = nowMs() - t0;
      while (next < plan.length && plan[next].atMs <= elapsed) dispatch(plan[next++]);
      if (next < plan.length) setTimeout(tick, Math.max(0, plan[next].atMs - (nowMs() - t0)));
      else if (unfinished === 0) resolveAll();
    };
    setTimeout(tick, 20);
  });
  const windowMs = durationMs - warmupMs;
  return {
    seed: options.seed,
    target: `PostgreSQL on loopback, synchronous_commit = ${level}, reads at the ${readsAt}`,
    workload: mix.workload,
    shape: 'constant',
    offeredPerSec: ratePerSec,
    windowMs,
    throughputPerSec: completedInWindow / (windowMs / 1000),
    counted,
    completed,
    errors,
    timeouts,
    latency: histogram.count > 0 ? histogram.summary() : null,
    regions: [],
    busiestResource: null,
    resources: [],
    consistency: history ? onTheRealClock(history.check()) : null,
  };
}

function onTheRealClock(c: ObservedConsistency): ObservedConsistency {
  return { ...c, method: `${c.method}; call and return times from process.hrtime on this machine` };
}

export interface PostgresLevelsOptions extends SaturationCriteria {
  cluster: LocalPgCluster;
  levels: readonly SynchronousCommit[];
  mix: YcsbMix;
  seed: number;
  ratesPerSec: readonly number[];
  durationMs: number;
  warmupMs?: number;
  /** Bisection steps at the knee, as for the simulated rows; default 3. */
  refineSteps?: number;
  connections?: number;
  keyCount?: number;
  timeoutMs?: number;
  /** Also run the 80 % load with reads at the standby and check that history; default true when the cluster has a standby. */
  standbyReads?: boolean;
  /** Also run pgbench at the 80 % load; default true. */
  pgbench?: boolean;
  /** Called after each run (a notebook or script can show progress). */
  onRun?: (level: SynchronousCommit, what: string, result: BenchRunResult | PgbenchRun) => void;
}

export interface PostgresLevelRow {
  level: SynchronousCommit;
  /** Points, saturation, and the runs at 50 % and 80 % (reads at the primary; the 80 % run's history checked). */
  sweep: SweepResult;
  /** The 80 % load again with reads at the standby, its history checked (null when not asked or no standby). */
  standbyReads: BenchRunResult | null;
  /** pgbench at the same 80 % load (null when not asked). */
  pgbench: PgbenchRun | null;
}

const LEVELS_KEYS = ['cluster', 'levels', 'mix', 'seed', 'ratesPerSec', 'durationMs', 'warmupMs', 'refineSteps', 'connections', 'keyCount', 'timeoutMs', 'standbyReads', 'pgbench', 'onRun', 'keepUpShare', 'p95GrowthMax', 'errorShareMax'];

/**
 * Each synchronous_commit level through the simulator's sweep (offered loads, bisection at
 * the knee, runs at 50 % and 80 % of saturation), the 80 % run with its history judged by
 * lib/check, the same load with reads at the standby, and pgbench at that load.
 */
export async function measurePostgresLevels(options: PostgresLevelsOptions): Promise<PostgresLevelRow[]> {
  checkKnownKeys('measurePostgresLevels', options, LEVELS_KEYS);
  const { cluster, levels, ratesPerSec, refineSteps, keepUpShare, p95GrowthMax, errorShareMax, onRun } = options;
  if (!Array.isArray(levels) || levels.length === 0) throw new OptionError(`measurePostgresLevels levels: got ${JSON.stringify(levels)}; allowed: some of ${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}`);
  levels.forEach((level, i) => {
    if (!SYNCHRONOUS_COMMIT_LEVELS.includes(level)) throw new OptionError(`measurePostgresLevels levels[${i}]: got ${JSON.stringify(level)}; allowed: ${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}`);
  });
  const standbyReads = options.standbyReads ?? cluster.standbyNames.length > 0;
  if (standbyReads && cluster.standbyNames.length === 0) throw new OptionError('measurePostgresLevels standbyReads: got true, but the cluster has no standby; allowed: false, or a cluster with one');
  const base = { cluster, mix: options.mix, seed: options.seed, durationMs: options.durationMs, warmupMs: options.warmupMs, keyCount: options.keyCount, timeoutMs: options.timeoutMs };
  const pool = await PostgresBenchPool.open(cluster, { connections: options.connections, standby: standbyReads ? undefined : null });
  const rows: PostgresLevelRow[] = [];
  try {
    for (const level of levels) {
      const sweep = await sweepWithAsync(
        async (ratePerSec, atEightyPercent) => {
          const result = await runPostgresOpenLoop({ ...base, pool, level, ratePerSec, checkConsistency: atEightyPercent });
          onRun?.(level, atEightyPercent ? '80 % (history checked)' : `${Math.round(ratePerSec)} ops/s offered`, result);
          return result;
        },
        ratesPerSec,
        { refineSteps, keepUpShare, p95GrowthMax, errorShareMax },
      );
      const eighty = sweep.atEightyPercent?.offeredPerSec ?? null;
      let standby: BenchRunResult | null = null;
      if (standbyReads && eighty !== null) {
        standby = await runPostgresOpenLoop({ ...base, pool, level, ratePerSec: eighty, readsAt: 'standby', checkConsistency: true });
        onRun?.(level, '80 %, reads at the standby', standby);
      }
      let pgbench: PgbenchRun | null = null;
      if ((options.pgbench ?? true) && eighty !== null) {
        await pool.reset();
        pgbench = await runPgbench({ cluster, level, mix: options.mix, ratePerSec: Math.max(1, Math.round(eighty)), durationMs: options.durationMs, warmupMs: options.warmupMs, connections: pool.primary.length, keyCount: options.keyCount, seed: options.seed });
        onRun?.(level, '80 %, pgbench', pgbench);
      }
      rows.push({ level, sweep, standbyReads: standby, pgbench });
    }
  } finally {
    await pool.close();
  }
  return rows;
}
