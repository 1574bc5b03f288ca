import { checkLinearizable, LinearizabilityResult } from '../../check';
import { EtcdCluster, ElectionTrial, NemesisRecord, checkRegisterHistories, forceStaleSerializableRead, measureLeaderElections, runRegisterWorkload } from '../../etcd';
import { summarize } from '../../stats';
import { ELECTION_TRIALS, ETCD_WORKLOAD, SEED } from './scenario';

/**
 * Sections 2–4: etcd's Raft under a nemesis, judged by lib/check. Each function returns plain
 * rows for a table plus a `findings` paragraph generated from the numbers.
 */
export interface PartitionVerdictRow {
  key: string;
  operations: number;
  verdict: string;
  checkMs: number;
}

export interface PartitionRun {
  rows: PartitionVerdictRow[];
  nemesis: NemesisRecord[];
  counts: { ok: number; failed: number; unknown: number; readsFailed: number };
  findings: string;
}

export async function runEtcdUnderNemesis(cluster: EtcdCluster): Promise<PartitionRun> {
  const run = await runRegisterWorkload(cluster, { ...ETCD_WORKLOAD, readConsistency: 'linearizable', seed: SEED });
  const rows = checkRegisterHistories(run.histories).map((v) => ({ key: v.key, operations: v.operationCount, verdict: v.result.verdict, checkMs: Math.round(v.result.elapsedMs * 10) / 10 }));
  const all = rows.every((r) => r.verdict === 'linearizable');
  const total = rows.reduce((sum, r) => sum + r.operations, 0);
  const hits = run.nemesis.filter((n) => n.member).map((n) => `${n.action} (${n.member}) at ${(n.atMs / 1000).toFixed(1)} s`).join(', ');
  const findings =
    `In this run (seed ${SEED}) ${ETCD_WORKLOAD.clientCount} clients recorded ${total} operations while the nemesis did: ${hits}. ` +
    `${run.counts.unknown} writes or CAS timed out (outcome unknown, recorded without a return), ${run.counts.readsFailed} reads failed. ` +
    (all ? 'The checker found **every key linearizable**: no read saw a value it could not have seen.' : `The checker found a key **not linearizable**: ${rows.filter((r) => r.verdict !== 'linearizable').map((r) => r.key).join(', ')}.`);
  return { rows, nemesis: run.nemesis, counts: run.counts, findings };
}

export interface StaleReadRun {
  follower: string;
  serializableValue: number | null;
  linearizableOutcome: string;
  check: LinearizabilityResult;
  findings: string;
}

export async function runStaleRead(cluster: EtcdCluster): Promise<StaleReadRun> {
  const stale = await forceStaleSerializableRead(cluster);
  const check = checkLinearizable({ model: 'register', operations: stale.history });
  const findings =
    `The follower ${stale.follower} was cut off after it had applied \`write(1)\`; the majority then acknowledged \`write(2)\`. ` +
    `A serializable read at ${stale.follower} returned **${stale.serializableValue}**; the linearizable read there ${stale.linearizableOutcome === 'timed out' ? '**timed out** instead of answering' : `returned ${stale.linearizableValue}`}. ` +
    `Verdict on the history: **${check.verdict}**.`;
  return { follower: stale.follower, serializableValue: stale.serializableValue, linearizableOutcome: stale.linearizableOutcome, check, findings };
}

export interface ElectionRun {
  trials: ElectionTrial[];
  findings: string;
}

export async function runElectionTiming(cluster: EtcdCluster): Promise<ElectionRun> {
  const trials = await measureLeaderElections(cluster, ELECTION_TRIALS);
  const s = summarize(trials.map((t) => t.electionMs));
  const ratio = s.p50 / cluster.electionTimeoutMs;
  const findings =
    `With \`--election-timeout=${cluster.electionTimeoutMs}\` ms and \`--heartbeat-interval=${cluster.heartbeatMs}\` ms, a new leader was agreed ` +
    `${Math.round(s.min)}–${Math.round(s.max)} ms after the old one was cut off (median ${Math.round(s.p50)} ms, ${ratio.toFixed(1)} × the election timeout) in ${trials.length} trials of this run. ` +
    'A follower waits a randomized timeout between 1× and 2× the setting before it stands, and a split vote costs another round.';
  return { trials, findings };
}
