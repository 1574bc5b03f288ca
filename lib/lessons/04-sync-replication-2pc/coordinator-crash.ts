/** Notebook 04, sections 3–5: the coordinator dies (blocking window, durable decision, cooperative termination). */
import { Simulation, checkNumber, checkOneOf } from '../../sim';
import { twoPhaseCommit, ProtocolOptions, TwoPhaseCommitCluster, CoordinatorEvent, InDoubtInterval } from '../../strategies/two-phase-commit';
import type { AtomicityCheckResult } from '../../check';

// ---------------------------------------------------------------- the blocking window

export type CoordinatorCrashPoint = 'after-prepare' | 'after-decision-logged' | 'mid-decision';
export const COORDINATOR_CRASH_POINTS: readonly CoordinatorCrashPoint[] = ['after-prepare', 'after-decision-logged', 'mid-decision'];

export interface CoordinatorCrashOptions {
  seed: number;
  /**
   * - 'after-prepare': the coordinator dies right after sending PREPARE (before any vote).
   * - 'after-decision-logged': its decision to commit is durable, but it dies before sending it.
   * - 'mid-decision': it dies after sending the decision to commit to the first participant only.
   */
  crashPoint: CoordinatorCrashPoint;
  /** The first matching moment after this time triggers the crash. Default 1000 ms. */
  crashAfterMs?: number;
  downtimeMs?: number;
  cooperativeTermination?: boolean;
  /** Other protocol timeouts (in-doubt query delay and interval, vote timeout, decision retry). */
  protocol?: Omit<ProtocolOptions, 'cooperativeTermination'>;
  /** Run length, ms. Default crash time + downtime + 2500. */
  runMs?: number;
}

export interface InDoubtRow extends InDoubtInterval {
  /** How long the participant held its row locks not knowing the outcome, ms. */
  heldMs: number;
}

export interface CoordinatorCrashResult {
  crashPoint: CoordinatorCrashPoint;
  cooperativeTermination: boolean;
  crashedAtMs: number | null;
  restartedAtMs: number | null;
  /** The global transaction the coordinator was working on when it died. */
  crashGid: string | null;
  /** Transactions in doubt at some moment of the outage, per participant, with how long each stayed in doubt. */
  caughtInDoubt: InDoubtRow[];
  /** Step series: rows locked by in-doubt transactions per participant over time. */
  lockedRowsOverTime: Array<{ timeMs: number; participant: string; lockedRows: number }>;
  /**
   * ATM withdrawals refused because their row was locked by a prepared transaction, per
   * 100 ms bucket, split by cause: a transaction the outage left in doubt (held ≥ 500 ms),
   * or the ordinary milliseconds between any prepare and its decision.
   */
  refusedLocalOverTime: Array<{ timeMs: number; refused: number; cause: string }>;
  check: AtomicityCheckResult;
}

/** Step series of "rows locked in doubt" per participant, from in-doubt intervals. */
export function lockedRowsSeries(intervals: readonly InDoubtInterval[], participants: readonly string[], endMs: number): Array<{ timeMs: number; participant: string; lockedRows: number }> {
  const out: Array<{ timeMs: number; participant: string; lockedRows: number }> = [];
  for (const p of participants) {
    const changes: Array<[number, number]> = [];
    for (const i of intervals) {
      if (i.participant !== p) continue;
      changes.push([i.preparedAtMs, i.lockedRows]);
      changes.push([i.resolvedAtMs === null ? endMs : i.resolvedAtMs, -i.lockedRows]);
    }
    changes.sort((a, b) => a[0] - b[0]);
    let level = 0;
    out.push({ timeMs: 0, participant: p, lockedRows: 0 });
    for (const [t, delta] of changes) {
      out.push({ timeMs: t, participant: p, lockedRows: level });
      level += delta;
      out.push({ timeMs: t, participant: p, lockedRows: level });
    }
    out.push({ timeMs: endMs, participant: p, lockedRows: level });
  }
  return out;
}

const STUCK_MS = 500;
const STUCK_CAUSE = 'row held by a transaction stuck in doubt';
const ORDINARY_CAUSE = 'row held during an ordinary prepare';

export function coordinatorCrashScenario(options: CoordinatorCrashOptions): CoordinatorCrashResult {
  const crashPoint = checkOneOf<CoordinatorCrashPoint>('crashPoint', options.crashPoint, COORDINATOR_CRASH_POINTS);
  const crashAfterMs = checkNumber('crashAfterMs', options.crashAfterMs ?? 1000, { min: 150 });
  const downtimeMs = checkNumber('downtimeMs', options.downtimeMs ?? 3000, { min: 1 });
  const cooperative = options.cooperativeTermination ?? true;
  const runMs = options.runMs ?? crashAfterMs + downtimeMs + 2500;
  const sim = new Simulation({ seed: options.seed });
  let crashedAtMs: number | null = null;
  let restartedAtMs: number | null = null;
  let crashGid: string | null = null;
  const wanted: CoordinatorEvent['kind'] = crashPoint === 'after-prepare' ? 'prepare-sent' : crashPoint === 'after-decision-logged' ? 'decision-logged' : 'decision-sent';
  let cluster: TwoPhaseCommitCluster | null = null;
  cluster = twoPhaseCommit({
    sim,
    accountsPerBank: 8,
    protocol: { ...(options.protocol ?? {}), cooperativeTermination: cooperative },
    localLoad: { ratePerSec: 40, stopMs: runMs },
    load: { clients: 2, ratePerSecPerClient: 15, stopMs: runMs - 1500 },
    onCoordinatorEvent: (e) => {
      if (crashedAtMs !== null || e.kind !== wanted || e.atMs < crashAfterMs) return;
      crashedAtMs = e.atMs;
      crashGid = e.gid;
      // Crashing inside the coordinator's handler stops the rest of its sends, exactly at this point.
      sim.crash((cluster as TwoPhaseCommitCluster).coordinatorId);
      sim.after(downtimeMs, () => {
        restartedAtMs = sim.nowMs();
        sim.restart((cluster as TwoPhaseCommitCluster).coordinatorId);
      });
    },
  });
  sim.run(runMs);
  const c = cluster;
  const crash = crashedAtMs as number | null;
  // Everything in doubt at some moment of the outage: prepared before the restart, not resolved before the crash.
  const restart = restartedAtMs as number | null;
  const caught: InDoubtRow[] = c.metrics.inDoubt
    .filter((i) => crash !== null && i.preparedAtMs <= (restart ?? runMs) && (i.resolvedAtMs === null || i.resolvedAtMs > crash))
    .map((i) => ({ ...i, heldMs: (i.resolvedAtMs === null ? runMs : i.resolvedAtMs) - i.preparedAtMs }))
    .filter((i) => i.heldMs > 0);
  // Refusals caused by transactions stuck in doubt by the outage, apart from those caused by
  // the ordinary few milliseconds every prepared transaction holds its rows.
  const stuck = new Set(caught.filter((i) => i.heldMs >= STUCK_MS).map((i) => i.gid));
  const buckets = new Map<string, { timeMs: number; refused: number; cause: string }>();
  for (const cause of [STUCK_CAUSE, ORDINARY_CAUSE]) for (let t = 0; t < runMs; t += 100) buckets.set(`${cause}|${t}`, { timeMs: t, refused: 0, cause });
  for (const l of c.metrics.localTransactions) {
    if (!l.lockedInDoubtBy) continue;
    const cause = stuck.has(l.lockedInDoubtBy) ? STUCK_CAUSE : ORDINARY_CAUSE;
    const bucket = buckets.get(`${cause}|${Math.floor(l.atMs / 100) * 100}`);
    if (bucket) bucket.refused++;
  }
  return {
    crashPoint,
    cooperativeTermination: cooperative,
    crashedAtMs: crash,
    restartedAtMs,
    crashGid,
    caughtInDoubt: caught,
    lockedRowsOverTime: lockedRowsSeries(c.metrics.inDoubt, c.participantIds, runMs),
    refusedLocalOverTime: [...buckets.values()],
    check: c.check({ requireResolved: true }),
  };
}
// ---------------------------------------------------------------- blocking window against downtime

export interface DowntimeRow {
  downtimeMs: number;
  /** Longest time a participant held a transaction in doubt during the outage, ms. */
  longestInDoubtMs: number;
  /** Global transactions the outage left in doubt for 500 ms or more. */
  inDoubtTransactions: number;
  /** ATM withdrawals refused because a transaction stuck in doubt held their row. */
  refusedAtmWithdrawals: number;
}

/** The after-prepare crash for several coordinator downtimes: the blocking window follows the downtime. */
export function blockingWindowByDowntime(options: { seed: number; downtimesMs?: number[] }): DowntimeRow[] {
  return (options.downtimesMs ?? [250, 500, 1000, 2000, 4000]).map((downtimeMs) => {
    const r = coordinatorCrashScenario({ seed: options.seed, crashPoint: 'after-prepare', downtimeMs });
    return {
      downtimeMs,
      longestInDoubtMs: Math.max(0, ...r.caughtInDoubt.map((i) => i.heldMs)),
      inDoubtTransactions: new Set(r.caughtInDoubt.filter((i) => i.heldMs >= STUCK_MS).map((i) => i.gid)).size,
      refusedAtmWithdrawals: r.refusedLocalOverTime.filter((b) => b.cause === STUCK_CAUSE).reduce((sum, b) => sum + b.refused, 0),
    };
  });
}
