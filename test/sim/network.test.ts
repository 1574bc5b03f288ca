import { describe, expect, it } from 'vitest';
import { Simulation, indiaTopology } from '../../lib/sim';
import { addRecorder } from './helpers';

describe('network', () => {
  it('delivers Mumbai → Delhi no sooner than half the RTT from data/', () => {
    const sim = new Simulation({ seed: 1 });
    const mumbai = addRecorder(sim, 'm', 'mumbai');
    const delhi = addRecorder(sim, 'd', 'delhi');
    sim.run(0);
    for (let i = 0; i < 200; i++) mumbai.ctx().send('d', i);
    sim.run(1000);
    const oneWayMs = indiaTopology().rttMs('mumbai', 'delhi') / 2;
    expect(delhi.received).toHaveLength(200);
    for (const r of delhi.received) expect(r.timeMs).toBeGreaterThanOrEqual(oneWayMs);
    // Jitter exists: not every message takes exactly the base latency.
    expect(new Set(delhi.received.map((r) => r.timeMs)).size).toBeGreaterThan(1);
  });

  it('keeps a FIFO link in order and lets a non-FIFO link reorder', () => {
    const deliveredOrder = (fifo: boolean) => {
      const sim = new Simulation({ seed: 3, link: { fifo, jitterMeanMs: 5 } });
      const a = addRecorder(sim, 'a', 'mumbai');
      const b = addRecorder(sim, 'b', 'chennai');
      sim.run(0);
      for (let i = 0; i < 100; i++) a.ctx().send('b', i);
      sim.run(10_000);
      return b.received.map((r) => r.message as number);
    };
    const fifo = deliveredOrder(true);
    expect(fifo).toEqual([...fifo].sort((x, y) => x - y));
    const unordered = deliveredOrder(false);
    expect(unordered).toHaveLength(100);
    expect(unordered).not.toEqual([...unordered].sort((x, y) => x - y));
  });

  it('loses about the configured share of messages and counts them', () => {
    const sim = new Simulation({ seed: 4, link: { lossProbability: 0.2 } });
    const a = addRecorder(sim, 'a', 'mumbai');
    const b = addRecorder(sim, 'b', 'pune');
    sim.run(0);
    for (let i = 0; i < 5000; i++) a.ctx().send('b', i);
    sim.run(10_000);
    expect(sim.stats.droppedByReason.loss + b.received.length).toBe(5000);
    expect(sim.stats.droppedByReason.loss / 5000).toBeGreaterThan(0.17);
    expect(sim.stats.droppedByReason.loss / 5000).toBeLessThan(0.23);
  });

  it('duplicates messages when asked', () => {
    const sim = new Simulation({ seed: 5, link: { duplicateProbability: 0.5 } });
    const a = addRecorder(sim, 'a', 'mumbai');
    const b = addRecorder(sim, 'b', 'pune');
    sim.run(0);
    for (let i = 0; i < 1000; i++) a.ctx().send('b', i);
    sim.run(10_000);
    expect(b.received.length).toBe(1000 + sim.stats.duplicatesInjected);
    expect(sim.stats.duplicatesInjected).toBeGreaterThan(400);
  });

  it('a partition drops messages both ways, including those in flight, and healing restores delivery', () => {
    const sim = new Simulation({ seed: 6, trace: true });
    const m = addRecorder(sim, 'm', 'mumbai');
    const d = addRecorder(sim, 'd', 'delhi');
    sim.run(0);
    m.ctx().send('d', 'in-flight');
    sim.run(1); // the message is on the wire (14 ms one way)
    const id = sim.partition(['m'], ['d']);
    m.ctx().send('d', 'cut');
    d.ctx().send('m', 'cut-back');
    sim.run(100);
    expect(d.received).toHaveLength(0);
    expect(m.received).toHaveLength(0);
    expect(sim.stats.droppedByReason.partition).toBe(3);
    sim.heal(id);
    m.ctx().send('d', 'after-heal');
    sim.run(200);
    expect(d.received.map((r) => r.message)).toEqual(['after-heal']);
    expect(sim.trace.filter((e) => e.kind === 'fault').map((e) => (e as { fault: string }).fault)).toEqual(['partition', 'heal']);
  });

  it('a one-way partition cuts only one direction', () => {
    const sim = new Simulation({ seed: 7 });
    const m = addRecorder(sim, 'm', 'mumbai');
    const k = addRecorder(sim, 'k', 'kolkata');
    sim.run(0);
    sim.partition(['m'], ['k'], { oneWay: true });
    m.ctx().send('k', 'lost');
    k.ctx().send('m', 'arrives');
    sim.run(100);
    expect(k.received).toHaveLength(0);
    expect(m.received.map((r) => r.message)).toEqual(['arrives']);
    expect(sim.isPartitioned('m', 'k')).toBe(true);
    expect(sim.isPartitioned('k', 'm')).toBe(false);
  });

  it('a slow link adds its extra delay', () => {
    const sim = new Simulation({ seed: 8, link: { tailProbability: 0 } });
    const m = addRecorder(sim, 'm', 'mumbai');
    const k = addRecorder(sim, 'k', 'kolkata');
    sim.run(0);
    sim.slowLink('m', 'k', 150);
    m.ctx().send('k', 'slow');
    sim.run(1000);
    expect(k.received[0].timeMs).toBeGreaterThanOrEqual(19 + 150);
    expect(sim.baseLatencyMs('m', 'k')).toBe(19 + 150);
  });
});
