import { OptionError, checkNumber, checkOneOf } from '../util/option-error';
import { LocalPgCluster, SYNCHRONOUS_COMMIT_LEVELS, SynchronousCommit } from './local-cluster';
import { percentileOfSorted } from '../stats';

/**
 * What a commit costs at each `synchronous_commit` level, measured on a real primary:
 *   off          — the commit returns before its WAL is even flushed locally (a crash can lose it);
 *   local        — after the local WAL flush;
 *   remote_write — and after the synchronous standby has written it (to its OS, not its disk);
 *   on           — and after the synchronous standby has flushed it to disk;
 *   remote_apply — and after the synchronous standby has replayed it (readers there see it).
 * Without synchronous_standby_names every level above "local" behaves like "local".
 */
export interface CommitLatencySample {
  level: SynchronousCommit;
  commit: number;
  latencyMs: number;
}

export interface CommitLatencyRow {
  level: SynchronousCommit;
  commitCount: number;
  latencyMsMean: number;
  latencyMsP50: number;
  latencyMsP95: number;
  latencyMsP99: number;
  latencyMsMax: number;
}

/** Nearest-rank percentile of an ascending array: lib/stats's one definition. */
const nearestRank = percentileOfSorted;

export function summarizeCommitLatency(samples: readonly CommitLatencySample[]): CommitLatencyRow[] {
  const levels = SYNCHRONOUS_COMMIT_LEVELS.filter((level) => samples.some((s) => s.level === level));
  return levels.map((level) => {
    const sorted = samples.filter((s) => s.level === level).map((s) => s.latencyMs).sort((a, b) => a - b);
    return {
      level,
      commitCount: sorted.length,
      latencyMsMean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      latencyMsP50: nearestRank(sorted, 50),
      latencyMsP95: nearestRank(sorted, 95),
      latencyMsP99: nearestRank(sorted, 99),
      latencyMsMax: sorted[sorted.length - 1],
    };
  });
}

/**
 * Times `commitsPerLevel` single-row INSERT commits on the primary at each level, one
 * connection, one commit at a time (so each latency is one commit's, not a queue's).
 */
export async function measureCommitLatency(
  cluster: LocalPgCluster,
  options: { levels?: SynchronousCommit[]; commitsPerLevel?: number; table?: string } = {},
): Promise<CommitLatencySample[]> {
  const levels = options.levels ?? [...SYNCHRONOUS_COMMIT_LEVELS];
  if (!Array.isArray(levels) || levels.length === 0) throw new OptionError(`levels: got ${JSON.stringify(levels)}; allowed: some of ${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}`);
  levels.forEach((level, i) => checkOneOf(`levels[${i}]`, level, SYNCHRONOUS_COMMIT_LEVELS));
  const commits = checkNumber('commitsPerLevel', options.commitsPerLevel ?? 100, { integer: true, min: 1, max: 100_000 });
  const table = options.table ?? 'workbook_commit_latency';
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  const client = await cluster.connect(cluster.primaryName);
  const samples: CommitLatencySample[] = [];
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, level text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    for (const level of levels) {
      // SET takes no bind parameters; the level is one of five fixed words checked above.
      await client.query(`SET synchronous_commit = '${level}'`);
      for (let i = 0; i < commits; i++) {
        const started = process.hrtime.bigint();
        await client.query(`INSERT INTO ${table} (level) VALUES ($1)`, [level]);
        samples.push({ level, commit: i, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 });
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return samples;
}
