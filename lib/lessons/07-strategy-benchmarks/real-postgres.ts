/**
 * Notebook 07, "The same table on a real PostgreSQL": the episode's sync/async question asked
 * of a real primary and one synchronous standby (FIRST 1) on loopback, at synchronous_commit
 * off / local / on / remote_apply. The same YCSB mix and open-loop driver as the simulated
 * rows (lib/bench/postgres-bench.ts, through `pg`), the same sweep with bisection, P95 at 50 %
 * and 80 % of saturation, the 80 % run's history judged by lib/check with reads at the
 * primary and with reads at the standby, and pgbench at the same 80 % load as a cross-check.
 *
 * Loopback has no WAN: the standby is a process on the same machine, so a level costs its
 * fsyncs and process hand-offs (the WAL sender, the standby's receiver and startup process),
 * microseconds to milliseconds, not the Mumbai–Delhi round trip the simulator puts in front
 * of every synchronous commit.
 */
import { PostgresLevelRow, YcsbWorkload, measurePostgresLevels, ycsbMix } from '../../bench';
import { LocalPgCluster, POSTGRES_INSTALL_HINT, PostgresBinaries, PostgresNotInstalledError, SynchronousCommit, findPgbench, findPostgresBinaries } from '../../postgres';
import { indiaTopology } from '../../sim';
import { StrategyMeasurement, consistencyText } from './strategy-table';

export const REAL_PG_LEVELS: readonly SynchronousCommit[] = ['off', 'local', 'on', 'remote_apply'];

/** Offered loads for the notebook's sweep, ops/s; one bisection step refines the knee between them. */
export const NOTEBOOK_PG_RATES: readonly number[] = [1000, 4000];

/** Real ms per run (20 % warm-up): short, so four levels fit in the notebook's time. */
export const NOTEBOOK_PG_DURATION_MS = 250;

export const NOTEBOOK_PG_REFINE_STEPS = 1;

export interface RealPostgresAvailability {
  binaries: PostgresBinaries | null;
  /** What was found, or why the section is skipped and the command that installs PostgreSQL. */
  message: string;
}

const inCi = (env: NodeJS.ProcessEnv): boolean => env.CI === 'true' || env.CI === '1';

/**
 * The server programs and pgbench, or a skip message with the install command. With CI=true
 * a missing install is an error instead: a silently skipped measurement proves nothing.
 */
export function realPostgresAvailability(env: NodeJS.ProcessEnv = process.env): RealPostgresAvailability {
  let reason: string;
  try {
    const binaries = findPostgresBinaries(env === process.env ? {} : { env });
    findPgbench(binaries);
    return { binaries, message: `PostgreSQL ${binaries.version} in ${binaries.binDir} (found via ${binaries.foundVia}), with pgbench` };
  } catch (error) {
    if (!(error instanceof PostgresNotInstalledError) && !/pgbench not found/.test(String((error as Error).message))) throw error;
    reason = (error as Error).message;
  }
  if (inCi(env)) throw new Error(`CI=true: the real-PostgreSQL row of notebook 07 needs the server and pgbench. ${reason}`);
  return { binaries: null, message: `Skipped: the real-PostgreSQL cells need the server and pgbench. ${reason.includes(POSTGRES_INSTALL_HINT) ? reason : `${reason} ${POSTGRES_INSTALL_HINT}`}` };
}

export interface RealPostgresOptions {
  seed: number;
  levels?: readonly SynchronousCommit[];
  workload?: YcsbWorkload;
  ratesPerSec?: readonly number[];
  durationMs?: number;
  refineSteps?: number;
  /** Where to look for PostgreSQL (and whether CI=true); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called after each run with a one-line description (progress for a script). */
  onRun?: (line: string) => void;
}

export type RealPostgresOutcome =
  | { status: 'skipped'; reason: string }
  | {
      status: 'measured';
      seed: number;
      version: string;
      workload: YcsbWorkload;
      durationMs: number;
      ratesPerSec: readonly number[];
      connections: number;
      rows: PostgresLevelRow[];
      wallSeconds: number;
    };

export const REAL_PG_CONNECTIONS = 16;

/**
 * Starts a primary and one synchronous standby (FIRST 1) on loopback with fsync on, measures
 * every level, and tears the cluster down (a watchdog process removes it if the kernel dies).
 */
export async function measureRealPostgres(options: RealPostgresOptions): Promise<RealPostgresOutcome> {
  const availability = realPostgresAvailability(options.env ?? process.env);
  if (!availability.binaries) return { status: 'skipped', reason: availability.message };
  const started = process.hrtime.bigint();
  const workload = options.workload ?? 'A';
  const durationMs = options.durationMs ?? NOTEBOOK_PG_DURATION_MS;
  const ratesPerSec = options.ratesPerSec ?? NOTEBOOK_PG_RATES;
  const cluster = await LocalPgCluster.start({ standbys: ['standby'], synchronousStandbyNames: 'FIRST 1 (standby)', binaries: availability.binaries });
  try {
    const rows = await measurePostgresLevels({
      cluster,
      levels: options.levels ?? REAL_PG_LEVELS,
      mix: ycsbMix(workload),
      seed: options.seed,
      ratesPerSec,
      durationMs,
      refineSteps: options.refineSteps ?? NOTEBOOK_PG_REFINE_STEPS,
      connections: REAL_PG_CONNECTIONS,
      onRun: options.onRun
        ? (level, what, r) => {
            const summary = 'summary' in r ? r.summary : r;
            options.onRun!(`${level}: ${what}: ${Math.round(summary.throughputPerSec)} ops/s, P95 ${summary.latency?.p95Ms ?? '-'} ms`);
          }
        : undefined,
    });
    return { status: 'measured', seed: options.seed, version: cluster.binaries.version, workload, durationMs, ratesPerSec, connections: REAL_PG_CONNECTIONS, rows, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    await cluster.teardown();
  }
}

export interface RealPostgresTableRow {
  synchronous_commit: SynchronousCommit;
  'saturation ops/s': string;
  'P95 ms at 50 %': number | null;
  'P95 ms at 80 %': number | null;
  'observed consistency, reads at the primary': string;
  'observed consistency, reads at the standby': string;
  'pgbench P95 ms at 80 %': number | null;
  'pgbench ops/s at 80 %': number | null;
  'errors / timeouts at 80 %': string;
}

/** One row per level, with the simulated rows' columns plus the standby-read verdict and pgbench beside the driver. */
export function realPostgresRows(outcome: RealPostgresOutcome): RealPostgresTableRow[] {
  if (outcome.status !== 'measured') return [];
  return outcome.rows.map((r) => {
    const s = r.sweep.saturation;
    const eighty = r.sweep.atEightyPercent;
    return {
      synchronous_commit: r.level,
      'saturation ops/s': s.firstOverloadedPerSec === null ? `> ${Math.round(s.saturationPerSec)}` : `${Math.round(s.saturationPerSec)}`,
      'P95 ms at 50 %': r.sweep.atHalf?.latency?.p95Ms ?? null,
      'P95 ms at 80 %': eighty?.latency?.p95Ms ?? null,
      'observed consistency, reads at the primary': consistencyText(eighty?.consistency),
      'observed consistency, reads at the standby': consistencyText(r.standbyReads?.consistency),
      'pgbench P95 ms at 80 %': r.pgbench?.summary.latency?.p95Ms ?? null,
      'pgbench ops/s at 80 %': r.pgbench ? Math.round(r.pgbench.summary.throughputPerSec) : null,
      'errors / timeouts at 80 %': eighty ? `${eighty.errors} / ${eighty.timeouts}` : '-',
    };
  });
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/**
 * What the run showed, in sentences whose every number comes from it (or from data/, printed
 * here): where the levels saturated, what each level added to P95, what the checker said about
 * reads at the standby, how pgbench compares, and what loopback leaves out.
 */
export function realPostgresFindings(outcome: RealPostgresOutcome, simulated: readonly StrategyMeasurement[] = []): string {
  const rttMs = indiaTopology().rttMs('mumbai', 'delhi');
  const wan = `Loopback has no WAN latency: the standby is another process on this machine, so a level pays for fsyncs and process hand-offs (WAL sender → walreceiver → startup process), never for the ${rttMs} ms Mumbai–Delhi round trip (data/rtt-ms.json) that the simulator adds to every synchronous commit.`;
  if (outcome.status !== 'measured') return `**Not measured here.** ${wan}`;
  const lines: string[] = [`**In this run (seed ${outcome.seed}, PostgreSQL ${outcome.version}, ${outcome.connections} connections, runs of ${outcome.durationMs} ms, ${outcome.wallSeconds.toFixed(1)} s in all with the cluster's start, on a shared machine):**`];
  const rows = outcome.rows;
  // What the sweep can say: the highest load that kept up and the lowest that did not. With few
  // rates and one bisection step that is a bracket, and the findings say so instead of ranking
  // levels inside it.
  const bracket = (r: PostgresLevelRow): string => {
    const s = r.sweep.saturation;
    if (s.firstOverloadedPerSec === null) return `${r.level} > ${Math.round(s.saturationPerSec)} (kept up with every load of the sweep)`;
    if (s.sustainedOfferedPerSec === 0) return `${r.level}: not even the lightest load (${Math.round(r.sweep.points[0].offeredPerSec)} ops/s) kept up`;
    return `${r.level} ${Math.round(s.saturationPerSec)} (${Math.round(s.sustainedOfferedPerSec)} ops/s offered kept up, ${Math.round(s.firstOverloadedPerSec)} did not)`;
  };
  lines.push(`- Saturation by level, in ops/s: ${rows.map(bracket).join('; ')}. Two levels whose brackets overlap are not told apart by this sweep; \`npm run bench:strategies -- --postgres\` sweeps more loads for longer.`);
  const p80 = rows.map((r) => ({ level: r.level, p95: r.sweep.atEightyPercent?.latency?.p95Ms ?? null }));
  if (p80.every((p) => p.p95 !== null)) lines.push(`- P95 at 80 % of saturation: ${p80.map((p) => `${p.level} ${ms(p.p95 as number)} ms`).join(', ')}.`);
  const primaryBad = rows.filter((r) => r.sweep.atEightyPercent?.consistency && r.sweep.atEightyPercent.consistency.verdict !== 'linearizable');
  lines.push(primaryBad.length === 0 ? '- Reads at the primary: the checker found every level\'s history linearizable.' : `- Reads at the primary: ${primaryBad.map((r) => `${r.level} ${consistencyText(r.sweep.atEightyPercent?.consistency)}`).join('; ')}.`);
  const standby = rows.filter((r) => r.standbyReads?.consistency);
  if (standby.length > 0) {
    lines.push(`- Reads at the standby: ${standby.map((r) => `${r.level} ${consistencyText(r.standbyReads?.consistency)}`).join('; ')}. Only remote_apply makes a commit wait until the standby has replayed it; every other level returns while a reader there may still see the old row.`);
  }
  const pg = rows.filter((r) => r.pgbench?.summary.latency && r.sweep.atEightyPercent?.latency);
  if (pg.length > 0) {
    const ratio = (r: PostgresLevelRow): number => r.pgbench!.summary.latency!.p95Ms / Math.max(0.001, r.sweep.atEightyPercent!.latency!.p95Ms);
    const agree = pg.filter((r) => ratio(r) >= 0.5 && ratio(r) <= 2).length;
    lines.push(`- pgbench at the same 80 % load (its \`-R\` schedule, latency from each transaction's scheduled start): ${pg.map((r) => `${r.level} P95 ${ms(r.pgbench!.summary.latency!.p95Ms)} ms against the driver's ${ms(r.sweep.atEightyPercent!.latency!.p95Ms)} ms`).join('; ')}. The two agree within a factor of two at ${agree} of ${pg.length} levels. These runs are short and share two busy cores with other work, so a gap in one run is a question for a longer run, not an answer. pgbench's mean schedule lag (${pg.map((r) => `${r.level} ${ms(r.pgbench!.summary.scheduleLagMsMean ?? 0)} ms`).join(', ')}) is how long its own busy clients held transactions back, and it is inside its latency, as the driver's wait for a free connection is inside ours.`);
  }
  const async = simulated.find((m) => m.strategy === 'lf-async-leader-reads')?.sweep.atEightyPercent?.latency?.p95Ms ?? null;
  const sync = simulated.find((m) => m.strategy === 'lf-sync-first-1')?.sweep.atEightyPercent?.latency?.p95Ms ?? null;
  const off = p80.find((p) => p.level === 'off')?.p95 ?? null;
  const on = p80.find((p) => p.level === 'on')?.p95 ?? null;
  if (async !== null && sync !== null && off !== null && on !== null) {
    lines.push(`- For scale: in the simulated rows above, sync FIRST 1's P95 at 80 % was ${ms(sync)} ms against async's ${ms(async)} ms; here on loopback, on's was ${ms(on)} ms against off's ${ms(off)} ms.`);
  }
  lines.push('', wan, 'What that changes: the ordering of the levels by what they wait for holds anywhere, but the size of the gaps does not carry over. Across regions every level from on upwards adds at least one WAN round trip to each write, and holding a connection that long lowers the ceiling (Little\'s law), as the simulated sync rows show.');
  return lines.join('\n');
}
