// Proves placementLatency measures what notebook 04's exercises 1 and 4 ask: a coordinator one
// long link away from its customers adds that link's round trip to every transfer, and slow
// disks at the banks add their extra fsync time once (the prepare force, in parallel at every
// participant), not once per participant.
import { describe, expect, test } from 'vitest';
import { placementLatency } from '../../../lib/lessons/04-sync-replication-2pc';

describe('placementLatency', () => {
  const base = placementLatency({ seed: 41 });

  test('the default placement is section 2\'s Mumbai–Delhi 2PC: about one 28 ms round trip plus forced writes', () => {
    expect(base.path).toBe('coordinator mumbai, customers mumbai; hdfc mumbai, sbi delhi');
    expect(base.transfers).toBeGreaterThan(50);
    expect(base.latencyMsP50).toBeGreaterThan(28);
    expect(base.latencyMsP50).toBeLessThan(40);
  });

  test('a coordinator in Delhi with customers in Mumbai adds the customer\'s round trip to Delhi', () => {
    const far = placementLatency({ seed: 41, coordinatorRegion: 'delhi' });
    expect(far.latencyMsP50 - base.latencyMsP50).toBeGreaterThan(24);
    expect(far.latencyMsP50 - base.latencyMsP50).toBeLessThan(34);
    // Customers next to the coordinator: back to about one round trip.
    const together = placementLatency({ seed: 41, coordinatorRegion: 'delhi', customerRegion: 'delhi' });
    expect(Math.abs(together.latencyMsP50 - base.latencyMsP50)).toBeLessThan(5);
  });

  test('10 ms fsyncs at both banks add about 9 ms: one prepare force on the critical path', () => {
    const slow = placementLatency({ seed: 41, banks: [{ id: 'hdfc', region: 'mumbai', fsyncMs: 10 }, { id: 'sbi', region: 'delhi', fsyncMs: 10 }] });
    expect(slow.path).toContain('(fsync 10 ms)');
    expect(slow.latencyMsP50 - base.latencyMsP50).toBeGreaterThan(7);
    expect(slow.latencyMsP50 - base.latencyMsP50).toBeLessThan(13);
  });

  test('bad options are refused with the option named', () => {
    expect(() => placementLatency({ seed: 41, durationMs: 10 })).toThrow(/durationMs/);
    expect(() => placementLatency({ seed: 41, coordinatorRegion: 'atlantis' })).toThrow(/atlantis/);
  });
});
