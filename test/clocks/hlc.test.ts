// Proves hybrid logical clocks keep causality (a → b ⇒ ts(a) < ts(b)) while l stays within
// the clock skew of physical time, c stays bounded, and the max-offset guard rejects
// timestamps from a clock that is too far ahead.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hlc, HlcMaxOffsetError, HlcTimestamp } from '../../lib/clocks';
import { propertyRuns } from './property-settings';
import { Execution, executionArbitrary, NODE_NAMES } from './random-execution';

interface StampedEvent {
  timestamp: HlcTimestamp;
  physicalMs: number;
}

/**
 * Runs HLCs along an execution where node i's physical clock reads 1000 + trueMs + offsetsMs[i]:
 * the 1000 ms base keeps every reading above the (0, 0) of a fresh clock, like a real epoch clock.
 */
function hlcTimestamps(execution: Execution, offsetsMs: number[]): StampedEvent[] {
  const clocks = NODE_NAMES.slice(0, execution.nodeCount).map((name) => Hlc.init(name));
  const stamped: StampedEvent[] = [];
  for (const event of execution.events) {
    const physicalMs = 1000 + event.trueMs + offsetsMs[event.node];
    const clock = clocks[event.node];
    const timestamp =
      event.kind === 'receive'
        ? Hlc.update(clock, stamped[event.sendId as number].timestamp, physicalMs)
        : Hlc.now(clock, physicalMs);
    clocks[event.node] = timestamp;
    stamped.push({ timestamp, physicalMs });
  }
  return stamped;
}

/** Executions plus a physical clock offset per node of up to ±300 ms. */
const skewedExecution = fc.record({
  execution: executionArbitrary(50),
  offsetsMs: fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 4, maxLength: 4 }),
});

describe('hybrid logical clock', () => {
  it('keeps a reply after its request when the replier\'s clock is 200 ms behind', () => {
    // True time 1000 ms. Mumbai's clock is right; Delhi's reads 200 ms less.
    const request = Hlc.now(Hlc.init('mumbai'), 1000);
    expect(request).toEqual({ l: 1000, c: 0, nodeId: 'mumbai' });
    // Delhi receives at true time 1010 (its clock says 810) and replies at once.
    const delhiAfterReceive = Hlc.update(Hlc.init('delhi'), request, 810);
    const reply = Hlc.now(delhiAfterReceive, 811);
    // Physical timestamps alone would put the reply (811) before the request (1000).
    expect(reply).toEqual({ l: 1000, c: 2, nodeId: 'delhi' });
    expect(Hlc.compare(request, reply)).toBe(-1);
    // Once Delhi's physical clock passes l, l follows physical time again and c resets.
    expect(Hlc.now(reply, 1001)).toEqual({ l: 1001, c: 0, nodeId: 'delhi' });
  });

  it('survives a physical clock that jumps backwards: timestamps still increase', () => {
    let clock = Hlc.now(Hlc.init('chennai'), 5000);
    const stamps = [clock];
    for (const physicalMs of [4000, 4000, 4999, 5000, 5001]) {
      clock = Hlc.now(clock, physicalMs);
      stamps.push(clock);
    }
    expect(stamps.map((s) => [s.l, s.c])).toEqual([[5000, 0], [5000, 1], [5000, 2], [5000, 3], [5000, 4], [5001, 0]]);
  });

  it('max-offset guard: rejects a timestamp 750 ms ahead when maxOffsetMs is 500, naming both numbers', () => {
    const fromTheFuture = Hlc.now(Hlc.init('kolkata'), 1750);
    const delhi = Hlc.now(Hlc.init('delhi'), 990);
    let caught: unknown;
    try {
      Hlc.update(delhi, fromTheFuture, 1000, { maxOffsetMs: 500 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HlcMaxOffsetError);
    const error = caught as HlcMaxOffsetError;
    expect(error.offsetMs).toBe(750);
    expect(error.maxOffsetMs).toBe(500);
    expect(error.message).toMatch(/offsetMs=750 ms ahead of the local physical clock \(1000 ms\)/);
    expect(error.message).toMatch(/maxOffsetMs=500 ms/);
    // 500 ms ahead is still tolerated, and without the option nothing is checked.
    expect(Hlc.update(delhi, Hlc.now(Hlc.init('kolkata'), 1500), 1000, { maxOffsetMs: 500 }).l).toBe(1500);
    expect(Hlc.update(delhi, fromTheFuture, 1000).l).toBe(1750);
  });

  it('logicalMax: a physical clock that never advances exhausts c with an error that says so', () => {
    let clock = Hlc.init('hyderabad');
    // A fresh clock is (0, 0), and a reading of 0 ms never passes l = 0, so c counts 1, 2, 3...
    for (let i = 0; i < 3; i++) clock = Hlc.now(clock, 0, { logicalMax: 3 });
    expect(clock.c).toBe(3);
    expect(() => Hlc.now(clock, 0, { logicalMax: 3 })).toThrow(/c would reach 4 at l=0 ms, above logicalMax=3/);
  });

  it('rejects bad input with the option name, the value and what is allowed', () => {
    expect(() => Hlc.now(Hlc.init('mumbai'), Number.NaN)).toThrow(/physicalMs must be a finite number of milliseconds; got NaN/);
    expect(() => Hlc.update(Hlc.init('mumbai'), Hlc.init('delhi'), 0, { maxOffsetMs: -5 })).toThrow(
      /maxOffsetMs must be a number of milliseconds ≥ 0; got -5/,
    );
  });

  it('property: timestamps increase at every node and respect happened-before', () => {
    fc.assert(
      fc.property(skewedExecution, ({ execution, offsetsMs }) => {
        const stamped = hlcTimestamps(execution, offsetsMs);
        const lastOfNode = new Map<number, HlcTimestamp>();
        for (const event of execution.events) {
          const timestamp = stamped[event.id].timestamp;
          const previous = lastOfNode.get(event.node);
          if (previous !== undefined) expect(Hlc.compare(previous, timestamp)).toBe(-1);
          lastOfNode.set(event.node, timestamp);
          for (const before of execution.predecessors[event.id]) {
            expect(Hlc.compare(stamped[before].timestamp, timestamp)).toBe(-1);
          }
        }
      }),
      propertyRuns(150),
    );
  });

  it('property: l ≥ physical time, l is the largest physical time in the causal past, so l − physical ≤ the max skew', () => {
    fc.assert(
      fc.property(skewedExecution, ({ execution, offsetsMs }) => {
        const stamped = hlcTimestamps(execution, offsetsMs);
        const used = offsetsMs.slice(0, execution.nodeCount);
        const maxSkewMs = Math.max(...used) - Math.min(...used);
        for (const event of execution.events) {
          const { timestamp, physicalMs } = stamped[event.id];
          expect(timestamp.l).toBeGreaterThanOrEqual(physicalMs);
          let largestPhysicalMs = physicalMs;
          for (const before of execution.predecessors[event.id]) {
            largestPhysicalMs = Math.max(largestPhysicalMs, stamped[before].physicalMs);
          }
          expect(timestamp.l).toBe(largestPhysicalMs);
          expect(timestamp.l - physicalMs).toBeLessThanOrEqual(maxSkewMs);
        }
      }),
      propertyRuns(150),
    );
  });

  it('property: c is bounded by the causally earlier events sharing the same l, and is 0 when l moves forward', () => {
    fc.assert(
      fc.property(skewedExecution, ({ execution, offsetsMs }) => {
        const stamped = hlcTimestamps(execution, offsetsMs);
        for (const event of execution.events) {
          const { timestamp } = stamped[event.id];
          let sameL = 0;
          let largestEarlierL = -Infinity;
          for (const before of execution.predecessors[event.id]) {
            if (stamped[before].timestamp.l === timestamp.l) sameL++;
            largestEarlierL = Math.max(largestEarlierL, stamped[before].timestamp.l);
          }
          expect(timestamp.c).toBeLessThanOrEqual(sameL);
          if (timestamp.l > largestEarlierL) expect(timestamp.c).toBe(0);
        }
      }),
      propertyRuns(150),
    );
  });

  it('property: the max-offset guard throws exactly when remote.l − physicalMs > maxOffsetMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 1000 }),
        (remoteMs, physicalMs, maxOffsetMs) => {
          const remote = Hlc.now(Hlc.init('mumbai'), remoteMs);
          const update = () => Hlc.update(Hlc.init('delhi'), remote, physicalMs, { maxOffsetMs });
          if (remoteMs - physicalMs > maxOffsetMs) expect(update).toThrow(HlcMaxOffsetError);
          else expect(update().l).toBe(Math.max(remoteMs, physicalMs));
        },
      ),
      propertyRuns(200),
    );
  });
});
