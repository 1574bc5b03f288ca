/** Notebook 01, section 2: reads from the nearest follower — a stale read, proven by lib/check. */
import { Simulation, checkKnownKeys } from '../../sim';
import { driveClosedLoop, writeThenRead } from '../../workload';
import { checkLinearizable, checkSessionGuarantees, LinearizabilityResult } from '../../check';
import { describeReadRouting, LeaderFollowerCluster, KvOutput, AckOption, ReadOption } from '../../strategies/leader-follower';
import type { OperationRecord } from '../../sim';
import type { KvOperation } from '../../workload';
import { HDFC_LEADER_REGION, hdfcCluster, percentileOf } from './scenario';

// ---------------------------------------------------------------- 2. stale reads

export interface HistoryRun {
  seed: number;
  cluster: LeaderFollowerCluster;
  history: { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] };
}

/**
 * Users in Mumbai, Delhi and Chennai each write a key and read it straight back, two
 * sessions per city, for durationMs, with reads routed as `reads` says.
 */
export function runWriteThenRead(options: { seed: number; reads: ReadOption; durationMs?: number; keyCount?: number; ack?: AckOption }): HistoryRun {
  checkKnownKeys('runWriteThenRead', options, ['seed', 'reads', 'durationMs', 'keyCount', 'ack']);
  const sim = new Simulation({ seed: options.seed });
  const cluster = hdfcCluster(sim, { reads: options.reads, ack: options.ack, sessionsPerClient: 2 });
  const startMs = 200;
  driveClosedLoop({
    sim,
    clients: cluster.clients,
    startMs,
    endMs: startMs + (options.durationMs ?? 1500),
    thinkTimeMs: 5,
    nextOperation: writeThenRead({ keyCount: options.keyCount ?? 3 }),
  });
  sim.run(startMs + (options.durationMs ?? 1500) + 3000);
  return { seed: options.seed, cluster, history: cluster.history() };
}
export interface ReadRoutingRow {
  reads: string;
  readCount: number;
  percentFromFollowers: number;
  /** Median read latency of the Delhi and Chennai users (Mumbai's sit next to the leader). */
  remoteReadLatencyMsP50: number;
  staleReads: number;
  readYourWritesViolations: number;
  monotonicReadViolations: number;
  linearizable: string;
}

/** The same write-then-read sessions under each routing rule, judged by lib/check. */
export function compareReadRouting(options: { seed: number; modes: ReadOption[] }): ReadRoutingRow[] {
  checkKnownKeys('compareReadRouting', options, ['seed', 'modes']);
  return options.modes.map((reads) => {
    const run = runWriteThenRead({ seed: options.seed, reads });
    const sessions = checkSessionGuarantees(run.history);
    const linearizability = checkLinearizable(run.history);
    const readOps = run.cluster.metrics.operations.filter((o) => o.kind === 'read' && o.ok);
    const latencies = readOps.filter((o) => o.region !== HDFC_LEADER_REGION).map((o) => o.latencyMs as number).sort((a, b) => a - b);
    return {
      reads: describeReadRouting(run.cluster.options.reads),
      readCount: readOps.length,
      percentFromFollowers: Math.round((1000 * readOps.filter((o) => o.servedAs === 'follower').length) / Math.max(1, readOps.length)) / 10,
      remoteReadLatencyMsP50: percentileOf(latencies, 50),
      staleReads: run.cluster.metrics.staleReads.length,
      readYourWritesViolations: sessions.readYourWrites.violationCount,
      monotonicReadViolations: sessions.monotonicReads.violationCount,
      linearizable: linearizability.verdict,
    };
  });
}

/**
 * The part of a history a learner needs to see a counterexample: the operations on its
 * key called before the blocked operation returned. Cutting later operations off keeps
 * the violation (the checker had already failed by then), and the figure stays readable.
 */
export function counterexampleWindow<T extends { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] }>(
  history: T,
  result: LinearizabilityResult,
  maxOperations = 40,
): { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] } {
  const example = result.counterexamples[0];
  if (!example) throw new Error(`counterexampleWindow: the result has no counterexample (verdict ${result.verdict})`);
  const blocked = history.operations[example.mustPrecedeIndex];
  const cutoffMs = blocked.return === null ? Infinity : blocked.return;
  const onKey = history.operations.filter((op) => op.input.key === example.key && op.call <= cutoffMs);
  return { model: 'kv', operations: onKey.slice(-maxOperations) };
}
