/**
 * The experiments of notebook 05 (core-banking ledger), each a plain function of a seed
 * that returns records for a table or a plot. Numbers are simulated milliseconds.
 */
import { Rng, Simulation, checkNumber } from '../../sim';
import { crashWithTornWrite } from '../../storage/torn-write';
import type { WalTailCut } from '../../storage/write-ahead-log';
import { ledgerCluster } from '../../strategies/banking/ledger-cluster';
import type { TransferOperation } from '../../strategies/banking/ledger-cluster';
import { ACCOUNT_PREFIX } from '../../strategies/banking/transfer';
import { percentileOfSorted } from '../../stats';

function acknowledgedIds(history: readonly TransferOperation[]): string[] {
  return history.filter((op) => op.result && op.result.status === 'committed').map((op) => op.request.id);
}

// ---------------------------------------------------------------- crashes at random points

export interface CrashPointsOptions {
  seed: number;
  crashes?: number;
  runMs?: number;
  checkpointEveryMs?: number | null;
  /** How long the node stays down after each crash, ms. Default 50. */
  downMs?: number;
  /** Size of the WAL's disk writes (sectors), characters; a torn write cuts at sector boundaries. Default 128. */
  sectorChars?: number;
}

export interface CrashPointRow {
  crash: number;
  crashAtMs: number;
  /** Unsynced WAL chunks the crash caught, and how many the "kernel" had written back. */
  unsyncedChunks: number;
  writtenBackChunks: number;
  /** How recovery ended the log: 'clean', or why it cut the tail. */
  walTail: string;
  framesReplayed: number;
  commitsReplayed: number;
  /** Transactions with writes in the WAL but no commit record: discarded. */
  uncommittedDiscarded: number;
  recoveryMs: number;
  acknowledgedSoFar: number;
  acknowledgedMissing: number;
  totalPaise: number;
  expectedTotalPaise: number;
  invariantsHold: boolean;
}

/**
 * A ledger under load is crashed `crashes` times at random moments (each with a torn WAL
 * write, half of them timed to land while an fsync is in flight), restarted, and checked
 * right after every recovery.
 */
export function crashAtRandomPoints(options: CrashPointsOptions): CrashPointRow[] {
  const crashes = checkNumber('crashes', options.crashes ?? 10, { integer: true, min: 1, max: 1000 });
  const runMs = checkNumber('runMs', options.runMs ?? 5000, { min: 500 });
  const downMs = checkNumber('downMs', options.downMs ?? 50, { min: 0 });
  const sectorChars = checkNumber('sectorChars', options.sectorChars ?? 128, { integer: true, min: 16, max: 65536 });
  const sim = new Simulation({ seed: options.seed });
  const rng = new Rng(options.seed ^ 0xc4a5);
  const cluster = ledgerCluster({
    sim,
    accounts: 10,
    database: { checkpointEveryMs: options.checkpointEveryMs === undefined ? 500 : options.checkpointEveryMs, wal: { sectorChars, segmentFrames: 256 } },
    load: { clients: 4, ratePerSecPerClient: 100, stopMs: runMs, timeoutMs: 1000 },
  });
  const slot = (runMs - 300) / crashes;
  const times: number[] = [];
  for (let i = 0; i < crashes; i++) times.push(200 + i * slot + rng.float() * (slot - downMs - 60));
  const rows: CrashPointRow[] = [];
  const crashNow = (index: number) => {
    const torn = crashWithTornWrite(sim, cluster.primaryId, { rng: rng.split() });
    const crashAtMs = sim.nowMs();
    sim.after(downMs, () => {
      sim.restart(cluster.primaryId);
      const db = cluster.db(cluster.primaryId);
      db.whenReady(() => {
        const r = db.recovery;
        const check = cluster.check(cluster.primaryId);
        const acknowledged = acknowledgedIds(cluster.history);
        const tail: WalTailCut | null = r.tailCut;
        rows.push({
          crash: index + 1,
          crashAtMs,
          unsyncedChunks: torn.unsyncedChunks,
          writtenBackChunks: torn.writtenBackChunks,
          walTail: tail ? `cut at LSN ${tail.lsn}: ${tail.reason}` : 'clean',
          framesReplayed: r.framesReplayed,
          commitsReplayed: r.commitsReplayed,
          uncommittedDiscarded: r.unfinishedTxIds.length,
          recoveryMs: r.recoveryMs,
          acknowledgedSoFar: acknowledged.length,
          acknowledgedMissing: acknowledged.filter((id) => db.readCommitted(`xfer:${id}`) === undefined).length,
          totalPaise: check.totalPaise,
          expectedTotalPaise: check.expectedTotalPaise,
          invariantsHold: db.committedRows(ACCOUNT_PREFIX).length === 0 ? acknowledged.length === 0 : check.ok,
        });
      });
    });
  };
  times.forEach((t, index) => {
    const inFlight = rng.chance(0.5);
    sim.at(t, () => {
      if (!inFlight) return crashNow(index);
      // Wait (a little) for a moment when WAL is written but not yet durable.
      let polls = 0;
      const poll = () => {
        const node = sim.node(cluster.primaryId);
        const wal = node.behaviour ? cluster.db(cluster.primaryId).wal : null;
        if (!wal || wal.writtenLsn > wal.durableLsn || ++polls > 200) return crashNow(index);
        sim.after(0.1, poll);
      };
      poll();
    });
  });
  sim.run(runMs + 1000);
  return rows;
}

// ---------------------------------------------------------------- group commit

export interface GroupCommitRow {
  groupCommit: boolean;
  transfers: number;
  committed: number;
  /** Committed transfers per second of load. */
  committedPerSec: number;
  commitLatencyMsP50: number | null;
  commitLatencyMsP99: number | null;
  /** Transfers that got no answer within the client's timeout (their commit was still queued). */
  unanswered: number;
  fsyncs: number;
  /** Largest number of WAL frames one fsync made durable. */
  largestGroupFrames: number;
}

/**
 * Notebook 05's section-2 ledger (20 accounts, four tellers, snapshot isolation) at a chosen
 * rate, with group commit on and off: with it, every commit that arrived during one fsync
 * shares the next; without it, each commit waits for an fsync of its own, one at a time.
 */
export function groupCommitExperiment(options: { seed: number; ratePerSecPerClient?: number; durationMs?: number }): GroupCommitRow[] {
  const rate = checkNumber('ratePerSecPerClient', options.ratePerSecPerClient ?? 400, { min: 1, max: 100_000 });
  const durationMs = checkNumber('durationMs', options.durationMs ?? 3000, { min: 500 });
  return [true, false].map((groupCommit) => {
    const sim = new Simulation({ seed: options.seed });
    const cluster = ledgerCluster({ sim, accounts: 20, isolation: 'snapshot', database: { wal: { groupCommit } }, load: { clients: 4, ratePerSecPerClient: rate, stopMs: durationMs } });
    sim.run(durationMs + 2000);
    const committed = cluster.history.filter((op) => op.result && op.result.status === 'committed' && op.returnMs !== null);
    const latencies = committed.map((op) => (op.returnMs as number) - op.callMs).sort((a, b) => a - b);
    const stats = cluster.db(cluster.primaryId).wal.stats;
    return {
      groupCommit,
      transfers: cluster.history.length,
      committed: committed.length,
      committedPerSec: committed.length / (durationMs / 1000),
      commitLatencyMsP50: latencies.length === 0 ? null : percentileOfSorted(latencies, 50),
      commitLatencyMsP99: latencies.length === 0 ? null : percentileOfSorted(latencies, 99),
      unanswered: cluster.history.filter((op) => !op.result).length,
      fsyncs: stats.fsyncs,
      largestGroupFrames: stats.largestGroupFrames,
    };
  });
}

// ---------------------------------------------------------------- checkpoint interval

export interface CheckpointIntervalOptions {
  seed: number;
  /** null: no checkpoint at all. Default [null, 2000, 1000, 500, 250, 100]. */
  intervalsMs?: Array<number | null>;
  crashAtMs?: number;
  ratePerSecPerClient?: number;
}

export interface CheckpointIntervalRow {
  checkpointEvery: string;
  checkpointEveryMs: number | null;
  checkpoints: number;
  /** Rows written by all checkpoints together: the I/O price of checkpointing. */
  checkpointRowsWritten: number;
  walFramesAtCrash: number;
  walSizeKbAtCrash: number;
  framesReplayed: number;
  recoveryMs: number;
}

/** The same load and the same crash, with different checkpoint intervals. */
export function checkpointIntervalExperiment(options: CheckpointIntervalOptions): CheckpointIntervalRow[] {
  const intervals = options.intervalsMs ?? [null, 2000, 1000, 500, 250, 100];
  const crashAtMs = checkNumber('crashAtMs', options.crashAtMs ?? 4000, { min: 200 });
  return intervals.map((every) => {
    const sim = new Simulation({ seed: options.seed });
    const cluster = ledgerCluster({
      sim,
      accounts: 200,
      database: { checkpointEveryMs: every, wal: { segmentFrames: 512 } },
      load: { clients: 4, ratePerSecPerClient: options.ratePerSecPerClient ?? 150, stopMs: crashAtMs + 1000 },
    });
    sim.run(crashAtMs);
    const before = cluster.db(cluster.primaryId);
    const walFramesAtCrash = before.wal.retainedFrames;
    const walSizeKbAtCrash = before.wal.sizeChars / 1024;
    sim.crash(cluster.primaryId);
    sim.restart(cluster.primaryId);
    const after = cluster.db(cluster.primaryId);
    let checkpoints = 0;
    let rows = 0;
    for (const e of cluster.events) {
      if (e.kind === 'checkpoint') {
        checkpoints++;
        rows += e.report.rows;
      }
    }
    return {
      checkpointEvery: every === null ? 'never' : `${every} ms`,
      checkpointEveryMs: every,
      checkpoints,
      checkpointRowsWritten: rows,
      walFramesAtCrash,
      walSizeKbAtCrash,
      framesReplayed: after.recovery.framesReplayed,
      recoveryMs: after.recovery.recoveryMs,
    };
  });
}

// ---------------------------------------------------------------- standby and promotion

export interface StandbyExperimentOptions {
  seed: number;
  replication: 'async' | 'sync';
  standbyRegion?: string;
  runMs?: number;
  /** The standby's disk is slow (fsync ×factor) in this window, to make lag visible. null for none. */
  slowStandbyDisk?: { fromMs: number; untilMs: number; factor: number } | null;
  /** The primary crashes for good here; the standby is promoted failoverAfterMs later. */
  crashPrimaryAtMs?: number;
  failoverAfterMs?: number;
  /**
   * The link between primary and standby is cut this long before the crash (a network
   * hiccup, the usual prelude to losing a primary). Default 300 ms; 0 for none.
   */
  cutLinkBeforeCrashMs?: number;
}

export interface StandbyExperimentResult {
  replication: 'async' | 'sync';
  lag: Array<{ timeMs: number; lagMs: number }>;
  /** Client-observed commit latency of acknowledged transfers, before the crash. */
  commitLatencyMs: number[];
  acknowledgedBeforeCrash: number;
  /** Acknowledged by the old primary, absent on the promoted standby. */
  lostAcknowledged: number;
  promotedAtMs: number | null;
  invariantsOnPromoted: { ok: boolean; totalPaise: number; expectedTotalPaise: number; violations: string[] };
  transfersAfterPromotion: number;
}

export function standbyExperiment(options: StandbyExperimentOptions): StandbyExperimentResult {
  const runMs = options.runMs ?? 4000;
  const crashAtMs = options.crashPrimaryAtMs ?? 2500;
  const failoverAfterMs = options.failoverAfterMs ?? 300;
  const sim = new Simulation({ seed: options.seed });
  const cluster = ledgerCluster({
    sim,
    accounts: 50,
    replication: options.replication,
    standby: { region: options.standbyRegion ?? 'delhi' },
    database: { checkpointEveryMs: 500 },
    load: { clients: 4, ratePerSecPerClient: 100, stopMs: runMs, timeoutMs: 1000 },
  });
  const standbyId = cluster.standbyId as string;
  const slow = options.slowStandbyDisk === undefined ? { fromMs: 1000, untilMs: 1600, factor: 30 } : options.slowStandbyDisk;
  if (slow) {
    sim.at(slow.fromMs, () => sim.slowDisk(standbyId, slow.factor));
    sim.at(slow.untilMs, () => sim.slowDisk(standbyId, 1));
  }
  let promotedAtMs: number | null = null;
  const cutMs = options.cutLinkBeforeCrashMs ?? 300;
  if (cutMs > 0) sim.at(crashAtMs - cutMs, () => sim.partition([cluster.primaryId], [standbyId]));
  sim.at(crashAtMs, () => {
    sim.crash(cluster.primaryId);
    if (cutMs > 0) sim.heal();
  });
  sim.at(crashAtMs + failoverAfterMs, () => {
    cluster.promoteStandby();
    promotedAtMs = sim.nowMs();
  });
  sim.run(runMs + 1500);
  const before = cluster.history.filter((op) => op.callMs < crashAtMs && op.result && op.result.status === 'committed' && op.returnMs !== null && op.returnMs <= crashAtMs);
  const check = cluster.check(standbyId);
  return {
    replication: options.replication,
    lag: cluster.replayLag().map((s) => ({ timeMs: s.timeMs, lagMs: s.lagMs })),
    commitLatencyMs: before.map((op) => (op.returnMs as number) - op.callMs),
    acknowledgedBeforeCrash: before.length,
    lostAcknowledged: cluster.lostAcknowledged(standbyId).length,
    promotedAtMs,
    invariantsOnPromoted: { ok: check.ok, totalPaise: check.totalPaise, expectedTotalPaise: check.expectedTotalPaise, violations: check.violations },
    transfersAfterPromotion: cluster.history.filter((op) => promotedAtMs !== null && op.callMs >= promotedAtMs && op.result && op.result.status === 'committed').length,
  };
}

/** One table row per standby run: what replication cost and what the failover lost. */
export function standbySummaryRow(r: StandbyExperimentResult): Record<string, string | number | null> {
  const sorted = r.commitLatencyMs.slice().sort((a, b) => a - b);
  const lag = r.lag.map((s) => s.lagMs).sort((a, b) => a - b);
  const at = (xs: number[], p: number) => (xs.length === 0 ? null : percentileOfSorted(xs, p));
  return {
    replication: r.replication,
    commitLatencyMsP50: at(sorted, 50),
    commitLatencyMsP99: at(sorted, 99),
    replayLagMsP50: at(lag, 50),
    replayLagMsMax: at(lag, 100),
    acknowledgedBeforeCrash: r.acknowledgedBeforeCrash,
    lostOnPromotion: r.lostAcknowledged,
    promotedAtMs: r.promotedAtMs,
    moneyConserved: r.invariantsOnPromoted.totalPaise === r.invariantsOnPromoted.expectedTotalPaise ? 'yes' : 'NO',
    transfersAfterPromotion: r.transfersAfterPromotion,
  };
}
