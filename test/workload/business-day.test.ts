// Proves the business-day profile has its three peaks at the configured rate, compresses hours as asked and rejects bad shapes.
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../lib/sim';
import { BUSINESS_DAY_PEAKS, businessDayProfile, hourOfDay, rateAt } from '../../lib/workload';

describe('businessDayProfile', () => {
  it('runs 24 hours of hourMs each, with the peaks at 9–11, 14–16 and 19–21 at the peak rate', () => {
    const day = businessDayProfile({ hourMs: 100, peakWritesPerSec: 2000, peakReadsPerSec: 5000, startMs: 50 });
    expect(day.segments).toHaveLength(24);
    expect(day.endMs).toBe(50 + 2400);
    for (const [from, to] of BUSINESS_DAY_PEAKS) {
      for (let hour = from; hour < to; hour++) expect(rateAt(day, 50 + hour * 100 + 1)).toEqual({ writesPerSec: 2000, readsPerSec: 5000 });
    }
    const night = rateAt(day, 50 + 3 * 100 + 1);
    expect(night.writesPerSec).toBeLessThan(2000 * 0.2);
    expect(rateAt(day, 10)).toEqual({ writesPerSec: 0, readsPerSec: 0 });
  });

  it('can run a window of the day, and maps simulation time back to the hour', () => {
    const morning = businessDayProfile({ hourMs: 500, fromHour: 8, toHour: 12, startMs: 0 });
    expect(morning.segments.map((s) => s.hour)).toEqual([8, 9, 10, 11]);
    expect(hourOfDay(morning, 1250)).toBe(10.5);
  });

  it('rejects unknown options and shapes that are not 24 numbers ≥ 0', () => {
    expect(() => businessDayProfile({ hourMS: 10 } as never)).toThrow(OptionError);
    expect(() => businessDayProfile({ shape: [1, 2, 3] })).toThrow(/shape: got 3 numbers; allowed: 24 numbers/);
    expect(() => businessDayProfile({ shape: new Array(24).fill(-1) })).toThrow(/shape\[0\]: got -1/);
    expect(() => businessDayProfile({ fromHour: 10, toHour: 10 })).toThrow(/toHour: got 10/);
  });
});
