import * as fs from 'fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import { groupAlive } from '../../lib/chaos';
import { EtcdCluster, checkRegisterHistories, forceStaleSerializableRead, runRegisterWorkload } from '../../lib/etcd';
import { describeWithEtcd } from './etcd-availability';

/**
 * A real 3-member etcd cluster on loopback, its peer links behind the fault proxy. Proves:
 * cutting the leader off mid-workload still yields a linearizable register history when reads
 * are linearizable (etcd's default); a serializable read at a cut-off follower returns the old
 * value and the checker rejects that history with a counterexample naming the read; and the
 * teardown leaves no etcd process and no folder behind.
 */
describeWithEtcd('real etcd under a leader partition', () => {
  let cluster: EtcdCluster;
  beforeAll(async () => {
    cluster = await EtcdCluster.start({ seed: 7 });
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  test('leader cut off and healed: the history with linearizable reads is linearizable', async () => {
    const run = await runRegisterWorkload(cluster, {
      durationMs: 4_000,
      readConsistency: 'linearizable',
      seed: 7,
      nemesis: [
        { atMs: 800, action: 'isolate-leader' },
        { atMs: 2_300, action: 'heal' },
      ],
    });
    expect(run.nemesis[0].member).not.toBeNull();
    const verdicts = checkRegisterHistories(run.histories);
    const operations = verdicts.reduce((sum, v) => sum + v.operationCount, 0);
    expect(operations).toBeGreaterThan(50);
    for (const verdict of verdicts) expect(verdict.result.verdict, `${verdict.key}: ${verdict.result.summary}`).toBe('linearizable');
  }, 40_000);

  test('a serializable read at a cut-off follower is stale, and the checker says which read', async () => {
    const stale = await forceStaleSerializableRead(cluster);
    expect(stale.serializableValue).toBe(1);
    expect(stale.linearizableOutcome).toBe('timed out');
    const result = checkLinearizable({ model: 'register', operations: stale.history });
    expect(result.verdict).toBe('not-linearizable');
    const readIndex = stale.history.findIndex((op) => op.input.f === 'read');
    expect(result.offendingOperations).toContain(readIndex);
    expect(result.counterexamples[0].text).toContain('read() → 1');
  }, 30_000);

  test('stop leaves nothing running', async () => {
    const pids = cluster.members.map((m) => m.process.pid).filter((pid): pid is number => pid !== null);
    const directory = cluster.directory;
    await cluster.stop();
    for (const pid of pids) expect(groupAlive(pid)).toBe(false);
    expect(fs.existsSync(directory)).toBe(false);
  }, 30_000);
});
