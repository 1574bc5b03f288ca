import { describe, expect, it } from 'vitest';
import { crashExperiment, latencySamples, partitionExperiment, pingPongExperiment, sendOneMessage } from '../../lib/lessons/00-getting-started';

describe('notebook 00 experiments', () => {
  it('one Mumbai → Delhi message takes at least half the 28 ms RTT', () => {
    const result = sendOneMessage({ seed: 41, from: 'mumbai', to: 'delhi' });
    expect(result.baseOneWayMs).toBe(14);
    expect(result.latencyMs).toBeGreaterThanOrEqual(14);
    expect(result.trace.map((e) => e.kind)).toEqual(['send', 'deliver']);
  });

  it('latency samples have a tail: P99 well above the median', () => {
    const latencies = latencySamples({ seed: 41, from: 'mumbai', to: 'delhi', count: 5000 })
      .map((s) => s.latencyMs)
      .sort((a, b) => a - b);
    expect(latencies).toHaveLength(5000);
    const p50 = latencies[2499];
    const p99 = latencies[4949];
    expect(p50).toBeGreaterThan(14);
    expect(p99).toBeGreaterThan(p50 * 1.3);
  });

  it('a partition drops exactly what is sent (or in flight) while it lasts', () => {
    const { rows, sim } = partitionExperiment({ seed: 41, from: 'mumbai', to: 'delhi', durationMs: 1000, intervalMs: 10, partitionAtMs: 300, healAtMs: 600, bucketMs: 100 });
    const dropped = (start: number) => rows.find((r) => r.bucketStartMs === start && r.outcome === 'dropped')!.messages;
    expect([300, 400, 500].map(dropped)).toEqual([10, 10, 10]);
    expect([0, 100, 600, 700, 800, 900].map(dropped)).toEqual([0, 0, 0, 0, 0, 0]);
    // The message sent at 290 ms was still on the wire at 300 ms.
    expect(dropped(200)).toBe(1);
    expect(sim.stats.droppedByReason.partition).toBe(31);
  });

  it('the ping-pong trace shows Chennai cut off during the partition and back after', () => {
    const sim = pingPongExperiment({ seed: 41, partitionAtMs: 30, healAtMs: 70, rounds: 6 });
    const drops = sim.trace.flatMap((e) => (e.kind === 'drop' ? [e] : []));
    expect(drops.length).toBeGreaterThan(0);
    for (const d of drops) expect([d.from, d.to]).toContain('chennai');
    const pongsFromChennai = sim.trace.filter((e) => e.kind === 'deliver' && e.from === 'chennai').length;
    expect(pongsFromChennai).toBeGreaterThan(0);
    expect(pongsFromChennai).toBeLessThan(6);
  });

  it('a crash keeps the fsynced write and loses the other', () => {
    const { recovered, rows } = crashExperiment({ seed: 41 });
    expect(recovered).toEqual(['credit ₹500 to A']);
    expect(rows.map((r) => r.step)).toEqual(['write 1 (buffered)', 'fsync 1 done', 'write 2 (buffered, no fsync)', 'crash', 'restart']);
  });
});
