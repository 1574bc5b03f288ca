import { describe, expect, it } from 'vitest';
import { Rng, Simulation, randomFaultSchedule, scheduleFaults, traceHash } from '../../lib/sim';

/**
 * A busy little world: six regions gossiping with random fan-out, a lossy, duplicating,
 * reordering network, skewed clocks, and a random schedule of crashes, partitions,
 * clock jumps and slow links. Everything random comes from the seed.
 */
function busyRun(seed: number) {
  const regions = ['mumbai', 'delhi', 'bangalore', 'chennai', 'kolkata', 'hyderabad'];
  const sim = new Simulation({ seed, trace: true, link: { lossProbability: 0.02, duplicateProbability: 0.02, fifo: false } });
  for (const region of regions) {
    sim.addNode({
      id: region,
      region,
      clock: { skewMs: regions.indexOf(region) * 3, driftPpm: 20 },
      create: (ctx) => {
        let seen = ctx.disk.read('seen').length;
        return {
          onStart() {
            ctx.setTimer(ctx.random.float() * 20, function tick() {
              ctx.send(ctx.random.pick(regions.filter((r) => r !== region)), { type: 'gossip', n: seen });
              ctx.setTimer(5 + ctx.random.float() * 20, tick);
            });
          },
          onMessage(_from: string, message: unknown) {
            seen++;
            ctx.disk.append('seen', message);
            if (ctx.random.chance(0.3)) ctx.disk.fsync();
            if (ctx.random.chance(0.1)) ctx.log(`seen ${seen}`);
          },
        };
      },
    });
  }
  scheduleFaults(sim, randomFaultSchedule(new Rng(seed + 1), { nodes: regions, startMs: 100, endMs: 1500, count: 8 }));
  sim.run(2000);
  return sim;
}

describe('determinism', () => {
  it('the same seed gives the same trace hash; a different seed differs', () => {
    const a = busyRun(41);
    const b = busyRun(41);
    const c = busyRun(42);
    expect(a.trace.length).toBeGreaterThan(500);
    expect(a.faults.length).toBeGreaterThan(0);
    expect(traceHash(a.trace)).toBe(traceHash(b.trace));
    expect(a.stats).toEqual(b.stats);
    expect(traceHash(a.trace)).not.toBe(traceHash(c.trace));
  });

  it('the trace records sends, deliveries, drops, faults and logs', () => {
    const sim = busyRun(7);
    const kinds = new Set(sim.trace.map((e) => e.kind));
    for (const kind of ['send', 'deliver', 'drop', 'fault', 'log']) expect(kinds.has(kind as never)).toBe(true);
    const sends = sim.trace.filter((e) => e.kind === 'send').length;
    expect(sends).toBe(sim.stats.messagesSent);
    expect(sim.stats.messagesDelivered + sim.stats.messagesDropped).toBeLessThanOrEqual(sends + sim.stats.duplicatesInjected);
  });
});
