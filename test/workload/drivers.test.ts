// Proves the open-loop driver issues the planned arrivals at their times whatever the clients do, and the closed-loop driver keeps each session sequential.
import { describe, expect, it } from 'vitest';
import { OptionError, Simulation } from '../../lib/sim';
import { constantProfile, driveClosedLoop, driveOpenLoop, KvOperation, OperationResult, WorkloadClient, writeThenRead } from '../../lib/workload';

/** A client that answers every operation after a fixed delay and remembers what it saw. */
function fakeClient(sim: Simulation, id: string, delayMs: number, sessionCount = 1) {
  const seen: Array<{ timeMs: number; op: KvOperation; session: number | undefined }> = [];
  const busy = new Set<number>();
  let overlapping = 0;
  const client: WorkloadClient = {
    id,
    region: 'mumbai',
    sessionCount,
    submit(op: KvOperation, done?: (r: OperationResult) => void, session?: number) {
      seen.push({ timeMs: sim.nowMs(), op, session });
      if (session !== undefined) {
        if (busy.has(session)) overlapping++;
        busy.add(session);
      }
      sim.after(delayMs, () => {
        if (session !== undefined) busy.delete(session);
        if (done) done({ ok: true, latencyMs: delayMs, value: '', version: 1 });
      });
    },
  };
  return { client, seen, overlapping: () => overlapping };
}

describe('driveOpenLoop', () => {
  it('issues every planned operation at its arrival time, even when the client is slow', () => {
    const sim = new Simulation({ seed: 9 });
    const { client, seen } = fakeClient(sim, 'c', 500);
    const profile = constantProfile({ startMs: 10, durationMs: 1000, writesPerSec: 200, readsPerSec: 300 });
    const plan = driveOpenLoop({ sim, profile, clients: [client], keys: { keyCount: 5 } });
    sim.run(3000);
    expect(seen.length).toBe(plan.writeCount + plan.readCount);
    expect(seen.filter((s) => s.op.f === 'get').length).toBe(plan.readCount);
    for (const s of seen) {
      expect(s.timeMs).toBeGreaterThanOrEqual(10);
      expect(s.timeMs).toBeLessThan(1010);
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i].timeMs).toBeGreaterThanOrEqual(seen[i - 1].timeMs);
    expect(new Set(seen.filter((s) => s.op.f === 'put').map((s) => (s.op as { value: string }).value)).size).toBe(plan.writeCount);
  });

  it('is reproducible from the simulation seed', () => {
    const run = () => {
      const sim = new Simulation({ seed: 4 });
      const { client, seen } = fakeClient(sim, 'c', 1);
      driveOpenLoop({ sim, profile: constantProfile({ durationMs: 200, writesPerSec: 500, readsPerSec: 500 }), clients: [client], keys: { keyCount: 3 } });
      sim.run(500);
      return seen.map((s) => `${s.timeMs}:${JSON.stringify(s.op)}`);
    };
    expect(run()).toEqual(run());
  });

  it('refuses a profile larger than maxOperations and weights that do not match the clients', () => {
    const sim = new Simulation({ seed: 1 });
    const { client } = fakeClient(sim, 'c', 1);
    const profile = constantProfile({ durationMs: 1000, writesPerSec: 1000, readsPerSec: 0 });
    expect(() => driveOpenLoop({ sim, profile, clients: [client], keys: { keyCount: 1 }, maxOperations: 10 })).toThrow(/maxOperations/);
    expect(() => driveOpenLoop({ sim, profile, clients: [client], keys: { keyCount: 1 }, clientWeights: [1, 2] })).toThrow(OptionError);
  });
});

describe('driveClosedLoop', () => {
  it('runs each session one operation at a time, and writeThenRead reads back the key just written', () => {
    const sim = new Simulation({ seed: 2 });
    const fake = fakeClient(sim, 'c', 7, 3);
    driveClosedLoop({ sim, clients: [fake.client], startMs: 0, endMs: 300, thinkTimeMs: 3, nextOperation: writeThenRead({ keyCount: 2 }) });
    sim.run(1000);
    expect(fake.overlapping()).toBe(0);
    expect(fake.seen.length).toBeGreaterThan(30);
    for (const session of [0, 1, 2]) {
      const mine = fake.seen.filter((s) => s.session === session).map((s) => s.op);
      for (let i = 1; i < mine.length; i++) {
        if (mine[i - 1].f === 'put') expect(mine[i]).toEqual({ f: 'get', key: mine[i - 1].key });
      }
    }
    expect(fake.seen.every((s) => s.timeMs <= 300)).toBe(true);
  });
});
