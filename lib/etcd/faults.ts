import { sleepMs } from '../chaos';
import { CheckedOperation } from '../check';
import { OptionError } from '../util';
import { EtcdCluster } from './local-etcd-cluster';
import { readRegister, writeRegister } from './register-workload';

/**
 * Two experiments with one fault each. The stale read: cut one follower off, write through the
 * majority, read the same key at the cut-off follower — serializably (served from its local
 * state) and linearizably (which needs the leader's say-so). Election timing: cut the leader
 * off and time until the rest agree on a new one.
 */
export interface StaleReadResult {
  follower: string;
  /** The register history of the key, for lib/check. */
  history: CheckedOperation[];
  serializableValue: number | null;
  /** What the linearizable read at the cut-off follower did. */
  linearizableOutcome: 'timed out' | 'returned';
  linearizableValue: number | null;
}

export async function forceStaleSerializableRead(cluster: EtcdCluster, key = 'stale', readTimeoutMs = 1_000): Promise<StaleReadResult> {
  const leader = await cluster.waitForLeader();
  const follower = cluster.members.find((m) => m.name !== leader.name)!.name;
  const majority = cluster.members.filter((m) => m.name !== follower).map((m) => m.name);
  const writer = cluster.client(leader.name, 2_000);
  const atFollower = cluster.client(follower, readTimeoutMs);
  const startedAt = performance.now();
  const nowMs = (): number => Math.round((performance.now() - startedAt) * 1000) / 1000;
  const history: CheckedOperation[] = [];
  const write = async (process: number, value: number): Promise<void> => {
    const call = nowMs();
    await writeRegister(writer, key, value);
    history.push({ process, call, return: nowMs(), input: { f: 'write', value }, output: { ok: true } });
  };
  await write(0, 1);
  // Let the follower apply the first write before it is cut off.
  for (let i = 0; i < 100; i++) {
    if ((await readRegister(atFollower, key, 'serializable').catch(() => null)) === 1) break;
    await sleepMs(10);
  }
  cluster.network.isolate(follower);
  try {
    const newLeader = await cluster.waitForLeader({ among: majority, timeoutMs: 10_000 });
    const majorityWriter = cluster.client(newLeader.name, 2_000);
    const call = nowMs();
    await writeRegister(majorityWriter, key, 2);
    history.push({ process: 0, call, return: nowMs(), input: { f: 'write', value: 2 }, output: { ok: true } });
    const readCall = nowMs();
    const serializableValue = await readRegister(atFollower, key, 'serializable');
    history.push({ process: 1, call: readCall, return: nowMs(), input: { f: 'read' }, output: { value: serializableValue } });
    let linearizableOutcome: StaleReadResult['linearizableOutcome'] = 'returned';
    let linearizableValue: number | null = null;
    try {
      linearizableValue = await readRegister(atFollower, key, 'linearizable');
    } catch {
      linearizableOutcome = 'timed out';
    }
    return { follower, history, serializableValue, linearizableOutcome, linearizableValue };
  } finally {
    await cluster.healAll();
  }
}

export interface ElectionTrial {
  trial: number;
  oldLeader: string;
  newLeader: string;
  /** From cutting the leader off until a majority of the rest agree on a new leader, ms. */
  electionMs: number;
  electionTimeoutMs: number;
  raftTerm: number;
}

/** Cuts the leader off `trials` times (healing between) and times each new election. */
export async function measureLeaderElections(cluster: EtcdCluster, trials = 3, pollMs = 10): Promise<ElectionTrial[]> {
  if (!Number.isInteger(trials) || trials < 1 || trials > 20) throw new OptionError(`trials: given ${trials}, allowed: an integer 1–20`);
  const results: ElectionTrial[] = [];
  for (let trial = 1; trial <= trials; trial++) {
    const leader = await cluster.waitForLeader();
    const rest = cluster.members.map((m) => m.name).filter((name) => name !== leader.name);
    const cutAt = performance.now();
    cluster.network.isolate(leader.name);
    try {
      const next = await cluster.waitForLeader({ excluding: [leader.name], among: rest, timeoutMs: 15_000, pollMs });
      results.push({ trial, oldLeader: leader.name, newLeader: next.name, electionMs: Math.round(performance.now() - cutAt), electionTimeoutMs: cluster.electionTimeoutMs, raftTerm: next.raftTerm });
    } finally {
      await cluster.healAll();
    }
  }
  return results;
}
