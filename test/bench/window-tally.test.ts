import { describe, expect, it } from 'vitest';
import { tallyWindow } from '../../lib/bench/window-tally';

describe('tallyWindow', () => {
  const window = { startMs: 1_000, endMs: 2_000 };
  it('counts by call time, records timeouts at the timeout, errors without latency, throughput by successful return time', () => {
    const tally = tallyWindow(
      [
        { callMs: 900, returnMs: 1_100, outcome: 'completed', succeeded: true }, // warm-up call: not counted, but its return is throughput
        { callMs: 1_000, returnMs: 1_010, outcome: 'completed', succeeded: true },
        { callMs: 1_500, returnMs: 1_530, outcome: 'completed', succeeded: false }, // completed, refused by the business rule: no throughput
        { callMs: 1_600, returnMs: 1_601, outcome: 'error', succeeded: false },
        { callMs: 1_700, returnMs: null, outcome: 'timeout', succeeded: false },
        { callMs: 1_990, returnMs: 2_050, outcome: 'completed', succeeded: true }, // returns after the window: latency yes, throughput no
        { callMs: 2_000, returnMs: 2_001, outcome: 'completed', succeeded: true }, // called at the end: outside
      ],
      window,
      500,
      10_000,
    );
    expect([tally.counted, tally.completed, tally.errors, tally.timeouts]).toEqual([5, 3, 1, 1]);
    expect(tally.windowMs).toBe(1_000);
    expect(tally.throughputPerSec).toBe(2);
    expect(tally.histogram.count).toBe(4);
    expect(tally.latency?.maxMs).toBeGreaterThanOrEqual(499);
    expect(tally.latency?.maxMs).toBeLessThanOrEqual(501);
  });

  it('an empty window has no latency summary', () => {
    expect(tallyWindow([], window, 500, 10_000).latency).toBeNull();
  });
});
