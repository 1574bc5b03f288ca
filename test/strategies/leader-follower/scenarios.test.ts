// Scenario tests that read like notebook 01: each sets up HDFC's cluster (leader Mumbai, followers Delhi and Chennai), injects one fault, and checks what the lesson claims.
import { describe, expect, it } from 'vitest';
import { checkLinearizable, checkSessionGuarantees } from '../../../lib/check';
import { runBusinessDay, runSplitBrain, runWriteThenRead } from '../../../lib/lessons/01-leader-follower';
import { hdfc, probe, steadyWrites, writeIdsOf } from './helpers';

describe('replication and lag', () => {
  it('partition Mumbai from Delhi at t=2s, write, heal: Delhi misses the write, then catches up; no election disturbs the leader', () => {
    const { sim, cluster } = hdfc(11, { reads: 'nearest' });
    const reads: Array<{ atMs: number; value: string | undefined }> = [];
    sim.at(2000, () => sim.partition(['mumbai'], ['delhi']));
    sim.at(2100, () => cluster.client('mumbai').put('balance:42', '5000'));
    sim.at(2600, () => cluster.client('delhi').get('balance:42', (r) => reads.push({ atMs: 2600, value: r.value })));
    sim.at(3000, () => sim.heal());
    sim.at(3600, () => cluster.client('delhi').get('balance:42', (r) => reads.push({ atMs: 3600, value: r.value })));
    sim.run(4000);
    expect(reads).toEqual([
      { atMs: 2600, value: '' },
      { atMs: 3600, value: '5000' },
    ]);
    // Delhi suspected the leader, but Chennai still heard it and refused the pre-vote.
    expect(cluster.metrics.timeline.some((e) => e.event === 'leader-failure-detected' && e.node === 'delhi')).toBe(true);
    expect(cluster.leaderId()).toBe('mumbai');
    expect(cluster.roles().every((r) => r.epoch === 1)).toBe(true);
  });

  it('a follower replaying slower than the leader writes falls behind; its lag drains when the load stops', () => {
    const { sim, cluster } = hdfc(12, { applyRecordsPerMs: { mumbai: 5, delhi: 5, chennai: 0.5 }, sessionsPerClient: 16 });
    steadyWrites(sim, cluster, 100, 1100, 1000);
    sim.run(3500);
    const chennai = cluster.metrics.lagSamples.filter((s) => s.follower === 'chennai');
    const at = (t: number) => chennai.find((s) => s.timeMs >= t)!;
    expect(at(1100).lsnLag).toBeGreaterThan(300);
    expect(at(1100).replayLagMs).toBeGreaterThan(300);
    expect(at(1100).writeLagMs).toBeLessThan(100); // the network kept up: it is replay that is slow
    const delhiAt1100 = cluster.metrics.lagSamples.find((s) => s.follower === 'delhi' && s.timeMs >= 1100)!;
    expect(delhiAt1100.replayLagMs).toBeLessThan(100);
    expect(at(3400).lsnLag).toBe(0);
  });

  it('over a business day Chennai’s lag grows past 200 ms in the morning peak and drains by the lunch lull', () => {
    const day = runBusinessDay({ seed: 41 });
    const chennai = day.lag.filter((r) => r.follower === 'chennai');
    const peak = Math.max(...chennai.filter((r) => r.hour >= 9 && r.hour < 12).map((r) => r.replayLagMs));
    const lull = Math.min(...chennai.filter((r) => r.hour >= 12.5 && r.hour < 14).map((r) => r.replayLagMs));
    const night = Math.max(...chennai.filter((r) => r.hour >= 2 && r.hour < 5).map((r) => r.replayLagMs));
    expect(peak).toBeGreaterThan(200);
    expect(lull).toBeLessThan(60);
    expect(night).toBeLessThan(60);
  });

  it('a follower that crashes keeps only what it fsynced and, restarted, catches up to the leader’s exact log', () => {
    const { sim, cluster } = hdfc(13, { sessionsPerClient: 8 });
    steadyWrites(sim, cluster, 100, 2000, 500);
    sim.at(800, () => sim.crash('chennai'));
    sim.at(1300, () => sim.restart('chennai'));
    sim.run(2800);
    expect(cluster.replica('chennai').behaviour!.role.kind).toBe('follower');
    expect(writeIdsOf(cluster, 'chennai')).toEqual(writeIdsOf(cluster, 'mumbai'));
    expect(writeIdsOf(cluster, 'mumbai').length).toBeGreaterThan(500);
  });
});

describe('failover', () => {
  // Chennai's link carries 0.4 records/ms, Delhi's 0.9, while the clients write 1 per ms:
  // the async leader acknowledges faster than it can ship.
  const thinLinks = { linkRecordsPerMs: { delhi: 0.9, chennai: 0.4 }, sessionsPerClient: 16 };

  it('kill the async leader: the acknowledged writes it had not shipped are counted lost, and discarded when it returns', () => {
    const { sim, cluster } = hdfc(21, { ack: 'async', ...thinLinks });
    steadyWrites(sim, cluster, 100, 1500, 1000);
    sim.at(1000, () => sim.crash('mumbai'));
    sim.at(2500, () => sim.restart('mumbai'));
    sim.run(4000);
    const lost = cluster.lostWrites();
    expect(lost.length).toBeGreaterThan(5);
    for (const w of lost) {
      expect(w.leader).toBe('mumbai');
      expect(w.ackedAtMs).toBeLessThanOrEqual(1000);
      expect(w.discardedBy).toBe('mumbai');
      expect(w.discardedAtMs).toBeGreaterThan(2500);
    }
    const newLeader = cluster.leaderId()!;
    expect(['delhi', 'chennai']).toContain(newLeader);
    for (const w of lost) expect(writeIdsOf(cluster, newLeader)).not.toContain(w.writeId);
    // The timeline of the failover, in order.
    const events = cluster.metrics.timeline.filter((e) => e.timeMs >= 1000).map((e) => e.event);
    const order = ['leader-failure-detected', 'election-started', 'elected', 'promoted', 'client-redirected', 'suffix-discarded'];
    const positions = order.map((name) => events.indexOf(name as never));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('sync FIRST 1 (delhi) loses nothing: Delhi, holding every acknowledged write, is the one elected', () => {
    const { sim, cluster } = hdfc(21, { ack: { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['delhi'] }, ...thinLinks });
    steadyWrites(sim, cluster, 100, 1500, 1000);
    sim.at(1000, () => sim.crash('mumbai'));
    sim.at(2500, () => sim.restart('mumbai'));
    sim.run(4000);
    expect(cluster.metrics.acknowledgedWrites.filter((w) => w.leader === 'mumbai').length).toBeGreaterThan(100);
    expect(cluster.lostWrites()).toEqual([]);
    expect(cluster.metrics.timeline.find((e) => e.event === 'elected')!.node).toBe('delhi');
  });

  it('the old leader comes back in a lower epoch: it is a follower, redirects writes to the new leader, and its divergent suffix is discarded', () => {
    const { sim, cluster } = hdfc(22, { ack: 'async', ...thinLinks });
    const p = probe(sim);
    steadyWrites(sim, cluster, 100, 1500, 1000);
    sim.at(1000, () => sim.crash('mumbai'));
    sim.at(2500, () => sim.restart('mumbai'));
    let justRestarted = 0;
    let later = 0;
    // Straight after the restart it still thinks it is in epoch 1, but it starts as a follower.
    sim.at(2501, () => (justRestarted = p.write('mumbai', 'k1', 'from-the-past')));
    // Once it has heard the new leader it names it.
    sim.at(3500, () => (later = p.write('mumbai', 'k1', 'from-the-past-again')));
    sim.run(4000);
    const newLeader = cluster.leaderId()!;
    expect(newLeader).not.toBe('mumbai');
    expect(p.replyTo(justRestarted)!.message).toMatchObject({ type: 'redirect', reason: 'not-leader' });
    expect(p.replyTo(later)!.message).toMatchObject({ type: 'redirect', leaderId: newLeader, epoch: 2 });
    const mumbai = cluster.replica('mumbai').behaviour!;
    expect(mumbai.role.kind).toBe('follower');
    expect(mumbai.epoch).toBe(2);
    const discarded = cluster.metrics.timeline.find((e) => e.event === 'suffix-discarded' && e.node === 'mumbai');
    expect(discarded).toBeDefined();
    expect(writeIdsOf(cluster, 'mumbai')).toEqual(writeIdsOf(cluster, newLeader));
    expect(writeIdsOf(cluster, 'mumbai')).not.toContain(`probe#${justRestarted}`);
    expect(writeIdsOf(cluster, 'mumbai')).not.toContain(`probe#${later}`);
  });

  it('a leader cut off from the majority stops taking writes when its lease expires, before the others elect a new one', () => {
    const { sim, cluster } = hdfc(23, { ack: 'async' });
    const p = probe(sim);
    sim.at(1000, () => sim.partition(['mumbai', 'probe-mumbai'], ['delhi', 'chennai']));
    let lateWrite = 0;
    sim.at(1500, () => (lateWrite = p.write('mumbai', 'k', 'cut-off')));
    sim.run(3000);
    const stepped = cluster.metrics.timeline.find((e) => e.event === 'lease-expired' && e.node === 'mumbai')!;
    const elected = cluster.metrics.timeline.find((e) => e.event === 'elected')!;
    expect(stepped.timeMs).toBeLessThan(elected.timeMs);
    expect(stepped.timeMs - 1000).toBeLessThanOrEqual(cluster.options.leaseMs + 1);
    expect(p.replyTo(lateWrite)!.message).toMatchObject({ type: 'redirect' });
    expect(cluster.nodesActingAsLeader()).toEqual([elected.node]);
  });

  it('a leader that crashes and restarts at once can win the next epoch; its followers compare logs again and writes flow', () => {
    const { sim, cluster } = hdfc(2, { ack: { mode: 'sync', rule: 'ANY', count: 1 } });
    const results: boolean[] = [];
    sim.at(300, () => cluster.client('mumbai').put('a', '1', (r) => results.push(r.ok)));
    sim.at(1000, () => sim.crash('mumbai'));
    sim.at(1001, () => sim.restart('mumbai'));
    sim.at(3000, () => cluster.client('mumbai').put('b', '2', (r) => results.push(r.ok)));
    sim.run(5000);
    expect(cluster.metrics.timeline.find((e) => e.event === 'elected')).toMatchObject({ node: 'mumbai', epoch: 2 });
    const attachedInEpoch2 = cluster.metrics.timeline.filter((e) => e.event === 'follower-attached' && e.epoch === 2).map((e) => e.node);
    expect(attachedInEpoch2.sort()).toEqual(['chennai', 'delhi']);
    expect(results).toEqual([true, true]);
  });

  it('semi-sync waits for a follower, and falls back to async when none answers within its timeout', () => {
    const { sim, cluster } = hdfc(24, { ack: 'semi-sync', semiSyncTimeoutMs: 300, fencing: false });
    const latencies: number[] = [];
    sim.at(500, () => cluster.client('mumbai').put('a', '1', (r) => latencies.push(r.latencyMs!)));
    sim.at(1000, () => sim.partition(['mumbai', 'client-mumbai'], ['delhi', 'chennai']));
    sim.at(1100, () => cluster.client('mumbai').put('a', '2', (r) => latencies.push(r.latencyMs!)));
    sim.run(2000);
    expect(latencies[0]).toBeGreaterThan(20); // one round trip to Chennai
    expect(latencies[0]).toBeLessThan(60);
    expect(latencies[1]).toBeGreaterThanOrEqual(300); // waited out the timeout, then went async
    expect(cluster.metrics.timeline.some((e) => e.event === 'semi-sync-fallback')).toBe(true);
  });

  it('a client write that never got an answer stays open (return: null) in the history', () => {
    const { sim, cluster } = hdfc(25, { ack: { mode: 'sync', rule: 'ANY', count: 2 }, maxAttempts: 1, requestTimeoutMs: 200 });
    sim.at(500, () => sim.partition(['delhi'], ['mumbai', 'chennai']));
    sim.at(600, () => cluster.client('mumbai').put('k', 'needs-both'));
    sim.run(1500);
    const op = cluster.history().operations.find((o) => o.input.f === 'put')!;
    expect(op.return).toBeNull();
    expect(op.output).toBeNull();
  });
});

describe('read routing and what the checker says', () => {
  it('nearest-follower reads: the checker finds the history not linearizable and the session anomaly', () => {
    const run = runWriteThenRead({ seed: 41, reads: 'nearest' });
    expect(checkLinearizable(run.history).verdict).toBe('not-linearizable');
    expect(checkSessionGuarantees(run.history).readYourWrites.ok).toBe(false);
    expect(run.cluster.metrics.staleReads.length).toBeGreaterThan(0);
  });

  it('read-your-writes routing: every session sees its own writes (yet across users it is still not linearizable)', () => {
    const run = runWriteThenRead({ seed: 41, reads: 'read-your-writes' });
    const sessions = checkSessionGuarantees(run.history);
    expect(sessions.readYourWrites.ok).toBe(true);
    expect(sessions.monotonicReads.ok).toBe(true);
    expect(run.cluster.metrics.operations.some((o) => o.kind === 'read' && o.servedAs === 'follower')).toBe(true);
  });

  it('leader reads: the history is linearizable', () => {
    const run = runWriteThenRead({ seed: 41, reads: 'leader' });
    expect(checkLinearizable(run.history).verdict).toBe('linearizable');
    expect(run.cluster.metrics.staleReads).toEqual([]);
  });

  it('bounded staleness skips the lagging follower; nearest does not', () => {
    const servedByChennai = (reads: 'nearest' | { mode: 'bounded-staleness'; maxStalenessMs: number }) => {
      const { sim, cluster } = hdfc(31, { reads, applyRecordsPerMs: { mumbai: 5, delhi: 5, chennai: 0.6 }, clientRegions: ['chennai', 'mumbai'], sessionsPerClient: 16 });
      driveChennaiReads(sim, cluster);
      sim.run(2600);
      const late = cluster.metrics.operations.filter((o) => o.kind === 'read' && o.client === 'client-chennai' && o.timeMs > 1500 && o.ok);
      return { share: late.filter((o) => o.servedBy === 'chennai').length / late.length, count: late.length };
    };
    const nearest = servedByChennai('nearest');
    const bounded = servedByChennai({ mode: 'bounded-staleness', maxStalenessMs: 150 });
    expect(nearest.count).toBeGreaterThan(50);
    expect(nearest.share).toBe(1);
    expect(bounded.share).toBe(0);
  });
});

function driveChennaiReads(sim: import('../../../lib/sim').Simulation, cluster: import('../../../lib/strategies/leader-follower').LeaderFollowerCluster): void {
  // Mumbai writes at 1 per ms; Chennai replays 0.6 per ms, so its lag grows all the time.
  steadyWrites(sim, cluster, 100, 2500, 1000);
  for (let t = 200; t < 2500; t += 10) sim.at(t, () => cluster.client('chennai').get(`k${t % 50}`));
}

describe('split brain', () => {
  it('fencing off: two leaders accept writes at the same time, acknowledged writes are lost and the checker catches it', () => {
    const run = runSplitBrain({ seed: 41, fencing: false });
    expect(run.overlaps.length).toBeGreaterThan(0);
    expect(run.overlaps[0].overlapMs).toBeGreaterThan(500);
    expect(run.lost.length).toBeGreaterThan(0);
    expect(checkLinearizable(run.history).verdict).toBe('not-linearizable');
  });

  it('fencing on: the cut-off leader steps down first, nothing acknowledged is lost, the history is linearizable', () => {
    const run = runSplitBrain({ seed: 41, fencing: true });
    expect(run.overlaps).toEqual([]);
    expect(run.lost).toEqual([]);
    expect(checkLinearizable(run.history).verdict).toBe('linearizable');
  });
});

describe('determinism', () => {
  it('the same seed gives the same run, event for event', () => {
    const once = () => {
      const { sim, cluster } = hdfc(77, { ack: 'semi-sync', reads: 'nearest', sessionsPerClient: 4 });
      steadyWrites(sim, cluster, 100, 800, 400, 400);
      sim.at(500, () => sim.crash('mumbai'));
      sim.run(2000);
      return JSON.stringify({ t: cluster.metrics.timeline, h: cluster.history(), lag: cluster.metrics.lagSamples });
    };
    expect(once()).toEqual(once());
  });
});
