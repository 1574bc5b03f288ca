/**
 * The same open-loop measurement against real PostgreSQL on loopback: Poisson arrivals drawn
 * from a seed (lib/workload), YCSB mixes on Zipfian keys, each request timed from its intended
 * start on the real clock (a late timer or a busy pool counts against the server, never
 * hidden), served by a pool of connections at one `synchronous_commit` level. Loopback has no
 * WAN: the standby answers in microseconds, so what the levels cost here is fsyncs and
 * process hand-offs, not the 28 ms Mumbai–Delhi round trip the simulator adds.
 */
import type { Client } from 'pg';
import { OptionError, Rng, checkNumber } from '../sim';
import { LatencyHistogram } from '../stats';
import type { LocalPgCluster, SynchronousCommit } from '../postgres';
import { SYNCHRONOUS_COMMIT_LEVELS } from '../postgres';
import { keyChooser, poissonArrivalTimesMs } from '../workload';
import type { BenchRunResult } from './open-loop-bench';
import type { YcsbMix } from './ycsb';
import { Saturation, findSaturation } from './saturation';

export interface PostgresBenchOptions {
  cluster: LocalPgCluster;
  level: SynchronousCommit;
  mix: YcsbMix;
  seed: number;
  ratePerSec: number;
  durationMs: number;
  warmupMs?: number;
  /** Connections in the pool; default 16 (data/bench-capacity.json's pool size). */
  connections?: number;
  keyCount?: number;
  timeoutMs?: number;
}

const TABLE = 'workbook_bench_kv';
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export async function runPostgresOpenLoop(options: PostgresBenchOptions): Promise<BenchRunResult> {
  if (!SYNCHRONOUS_COMMIT_LEVELS.includes(options.level)) throw new OptionError(`runPostgresOpenLoop level: got ${JSON.stringify(options.level)}; allowed: ${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}`);
  const ratePerSec = checkNumber('runPostgresOpenLoop ratePerSec', options.ratePerSec, { min: 0.001, max: 100_000 });
  const durationMs = checkNumber('runPostgresOpenLoop durationMs', options.durationMs, { min: 10, max: 600_000 });
  const warmupMs = checkNumber('runPostgresOpenLoop warmupMs', options.warmupMs ?? durationMs * 0.2, { min: 0, max: durationMs - 1 });
  const connections = checkNumber('runPostgresOpenLoop connections', options.connections ?? 16, { integer: true, min: 1, max: 200 });
  const keyCount = checkNumber('runPostgresOpenLoop keyCount', options.keyCount ?? 1000, { integer: true, min: 1, max: 1_000_000 });
  const timeoutMs = checkNumber('runPostgresOpenLoop timeoutMs', options.timeoutMs ?? 2000, { min: 1 });
  const { cluster, mix, level } = options;

  const rng = new Rng(options.seed);
  const arrivals = poissonArrivalTimesMs(rng, [{ startMs: 0, endMs: durationMs, perSec: ratePerSec }], 2_000_000);
  const choose = keyChooser({ keyCount, zipfTheta: 0.99 });
  const plan = arrivals.map((atMs, i) => ({ atMs, key: choose(rng), read: rng.chance(mix.readShare), value: `v${i}` }));

  const clients: Client[] = [];
  for (let i = 0; i < connections; i++) {
    const c = await cluster.connect(cluster.primaryName);
    await c.query(`SET synchronous_commit = '${level}'`);
    clients.push(c);
  }
  await clients[0].query(`CREATE TABLE IF NOT EXISTS ${TABLE} (k text PRIMARY KEY, v text NOT NULL)`);

  const histogram = new LatencyHistogram({ highestMs: 2 * (durationMs + timeoutMs) + 1000 });
  const windowStartMs = warmupMs;
  let counted = 0;
  let completed = 0;
  let errors = 0;
  let timeouts = 0;
  let completedInWindow = 0;
  let unfinished = 0;
  const idle = [...clients];
  const waiting: Array<(client: Client) => void> = [];
  const run = async (client: Client, step: (typeof plan)[number]): Promise<void> => {
    if (step.read) await client.query(`SELECT v FROM ${TABLE} WHERE k = $1`, [step.key]);
    else {
      if (mix.readModifyWrite) await client.query(`SELECT v FROM ${TABLE} WHERE k = $1`, [step.key]);
      await client.query(`INSERT INTO ${TABLE} (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v`, [step.key, step.value]);
    }
  };
  const t0 = nowMs() + 20;
  await new Promise<void>((resolveAll) => {
    let next = 0;
    const dispatch = (step: (typeof plan)[number]): void => {
      const counts = step.atMs >= windowStartMs;
      if (counts) counted++;
      unfinished++;
      const start = (client: Client): void => {
        run(client, step)
          .then(
            () => {
              const done = nowMs() - t0;
              const latencyMs = done - step.atMs;
              if (done >= windowStartMs && done < durationMs) completedInWindow++;
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
            if (more) more(client);
            else idle.push(client);
            if (next >= plan.length && unfinished === 0) resolveAll();
          });
      };
      const client = idle.pop();
      if (client) start(client);
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
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  const windowMs = durationMs - windowStartMs;
  const latency = histogram.count > 0 ? histogram.summary() : null;
  return {
    seed: options.seed,
    target: `PostgreSQL on loopback, synchronous_commit = ${level}`,
    workload: mix.workload,
    shape: 'constant',
    offeredPerSec: ratePerSec,
    windowMs,
    throughputPerSec: completedInWindow / (windowMs / 1000),
    counted,
    completed,
    errors,
    timeouts,
    latency,
    regions: [],
    busiestResource: null,
    resources: [],
    consistency: null,
  };
}

export interface PostgresLevelRow {
  level: SynchronousCommit;
  points: BenchRunResult[];
  saturation: Saturation;
  atEightyPercent: BenchRunResult | null;
}

/**
 * Each synchronous_commit level over an offered-load sweep (stopping at the first load that
 * does not keep up), then a run at 80 % of the saturation found.
 */
export async function sweepPostgresLevels(options: Omit<PostgresBenchOptions, 'level' | 'ratePerSec'> & { levels: readonly SynchronousCommit[]; ratesPerSec: readonly number[] }): Promise<PostgresLevelRow[]> {
  const { levels, ratesPerSec, ...base } = options;
  const rows: PostgresLevelRow[] = [];
  for (const level of levels) {
    const points: BenchRunResult[] = [];
    for (const ratePerSec of [...ratesPerSec].sort((a, b) => a - b)) {
      points.push(await runPostgresOpenLoop({ ...base, level, ratePerSec }));
      if (findSaturation(points).firstOverloadedPerSec !== null) break;
    }
    const saturation = findSaturation(points);
    const atEightyPercent = saturation.saturationPerSec > 0 ? await runPostgresOpenLoop({ ...base, level, ratePerSec: 0.8 * saturation.saturationPerSec }) : null;
    rows.push({ level, points, saturation, atEightyPercent });
  }
  return rows;
}
