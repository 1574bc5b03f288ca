import { describe, expect, it } from 'vitest';
import { BUSINESS_HOURS_END, BUSINESS_HOURS_START, PEAK_MULTIPLIER, bigBillionDayTrace, businessLevel } from '../../lib/workload';
import { OptionError } from '../../lib/util';

describe('Big Billion Day trace: regional business hours and the midnight sale', () => {
  const level = { businessHoursStart: BUSINESS_HOURS_START, businessHoursEnd: BUSINESS_HOURS_END, peakMultiplier: PEAK_MULTIPLIER, nightFraction: 0.2, rampMin: 0 };
  it('Mumbai peaks at 9–11 and Bangalore an hour later, at 10–12, per the episode', () => {
    const mumbai: Array<[number, number]> = [[9, 11], [14, 16], [19, 21]];
    const bangalore: Array<[number, number]> = [[10, 12], [15, 17], [20, 22]];
    expect(businessLevel(9.5 * 60, mumbai, level)).toBe(PEAK_MULTIPLIER);
    expect(businessLevel(9.5 * 60, bangalore, level)).toBe(1);
    expect(businessLevel(11.5 * 60, bangalore, level)).toBe(PEAK_MULTIPLIER);
    expect(businessLevel(3 * 60, mumbai, level)).toBe(0.2);
  });
  it('the sale opens at 00:00 of the last day with the multiplier reached within rampMin', () => {
    const t = bigBillionDayTrace({ seed: 1, days: 3, noise: 0, sale: { multiplier: 15, rampMin: 10 } });
    const sale = t.saleStartMinute!;
    expect(sale).toBe(2 * 1440);
    expect(t.readsPerSec('mumbai', sale + 10) / t.readsPerSec('mumbai', 10)).toBeCloseTo(15, 5);
    expect(t.readsPerSec('mumbai', sale - 1)).toBeCloseTo(t.readsPerSec('mumbai', 1440 - 1), 5);
  });
  it('is a pure function of its options and seed', () => {
    expect(bigBillionDayTrace({ seed: 9, days: 2 }).records(30)).toEqual(bigBillionDayTrace({ seed: 9, days: 2 }).records(30));
  });
  it('rejects bad options with one precise line', () => {
    expect(() => bigBillionDayTrace({ regionShares: { mumbai: 0.5, delhi: 0.2 } })).toThrow(/summing to 0.7/);
    expect(() => bigBillionDayTrace({ regionShares: { pune: 1 } })).toThrow(OptionError);
    expect(() => bigBillionDayTrace({ days: 0 })).toThrow(/days: got 0/);
  });
});
