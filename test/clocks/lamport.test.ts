// Proves Lamport clocks respect "happened before" (a → b ⇒ time(a) < time(b)), that the
// converse fails, and that (time, nodeId) is a total order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lamport, LamportClock } from '../../lib/clocks';
import { propertyRuns } from './property-settings';
import { Execution, executionArbitrary, NODE_NAMES } from './random-execution';

/** Runs Lamport clocks along an execution and returns each event's timestamp. */
function lamportTimestamps(execution: Execution): LamportClock[] {
  const clocks = NODE_NAMES.slice(0, execution.nodeCount).map((name) => Lamport.init(name));
  const stamps: LamportClock[] = [];
  for (const event of execution.events) {
    const clock = clocks[event.node];
    const next = event.kind === 'receive' ? Lamport.receive(clock, stamps[event.sendId as number]) : Lamport.tick(clock);
    clocks[event.node] = next;
    stamps.push(next);
  }
  return stamps;
}

describe('Lamport clock', () => {
  it('a reply is stamped later than the request that caused it, whatever the nodes did before', () => {
    let mumbai = Lamport.init('mumbai');
    let delhi = Lamport.init('delhi');
    // Delhi has been busy: five local events.
    for (let i = 0; i < 5; i++) delhi = Lamport.tick(delhi);
    mumbai = Lamport.tick(mumbai); // Mumbai sends a request stamped 1.
    const request = mumbai;
    delhi = Lamport.receive(delhi, request); // max(5, 1) + 1
    expect(delhi.time).toBe(6);
    delhi = Lamport.tick(delhi); // Delhi replies.
    const reply = delhi;
    mumbai = Lamport.receive(mumbai, reply);
    expect(mumbai.time).toBe(8);
    expect(Lamport.compare(request, reply)).toBe(-1);
  });

  it('a smaller time does not mean happened-before: concurrent events are ordered arbitrarily', () => {
    const mumbai = Lamport.tick(Lamport.init('mumbai')); // time 1
    let delhi = Lamport.init('delhi');
    delhi = Lamport.tick(Lamport.tick(delhi)); // time 2, never talked to Mumbai
    expect(mumbai.time).toBeLessThan(delhi.time);
    // ...yet neither event could have influenced the other. Vector clocks can tell.
  });

  it('breaks equal times by node id so that compare is total', () => {
    const a = Lamport.tick(Lamport.init('chennai'));
    const b = Lamport.tick(Lamport.init('delhi'));
    expect(a.time).toBe(b.time);
    expect(Lamport.compare(a, b)).toBe(-1);
    expect(Lamport.compare(b, a)).toBe(1);
    expect(Lamport.compare(a, a)).toBe(0);
  });

  it('rejects a bad node id or a malformed remote clock with a message naming it', () => {
    expect(() => Lamport.init('')).toThrow(/nodeId must be a non-empty string/);
    expect(() => Lamport.receive(Lamport.init('mumbai'), { nodeId: 'delhi', time: -1 })).toThrow(
      /remote\.time must be a non-negative integer; got -1/,
    );
  });

  it('property: happened-before implies a smaller timestamp', () => {
    fc.assert(
      fc.property(executionArbitrary(), (execution) => {
        const stamps = lamportTimestamps(execution);
        for (const b of execution.events) {
          for (const a of execution.predecessors[b.id]) {
            expect(stamps[a].time).toBeLessThan(stamps[b.id].time);
          }
        }
      }),
      propertyRuns(150),
    );
  });

  it('property: (time, nodeId) identifies every event uniquely, so compare is a strict total order on events', () => {
    fc.assert(
      fc.property(executionArbitrary(), (execution) => {
        const stamps = lamportTimestamps(execution);
        const sorted = [...stamps].sort(Lamport.compare);
        for (let i = 1; i < sorted.length; i++) expect(Lamport.compare(sorted[i - 1], sorted[i])).toBe(-1);
      }),
      propertyRuns(100),
    );
  });
});
