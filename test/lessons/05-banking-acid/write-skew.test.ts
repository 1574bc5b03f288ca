import { describe, expect, it } from 'vitest';
import { writeSkewDemo } from '../../../lib/lessons/05-banking-acid';

describe('write skew: two withdrawals against a joint minimum balance', () => {
  it('snapshot isolation lets both withdrawals commit and breaks the minimum', () => {
    const r = writeSkewDemo({ seed: 1, isolation: 'snapshot' });
    expect(r.committed).toEqual(['T1', 'T2']);
    expect(r.togetherPaise).toBe(800_000);
    expect(r.minimumBroken).toBe(true);
  });

  it('serializable mode (strict 2PL) refuses one of them and the minimum holds', () => {
    const r = writeSkewDemo({ seed: 1, isolation: 'serializable' });
    expect(r.committed).toHaveLength(1);
    expect(r.minimumBroken).toBe(false);
    expect(r.steps.some((s) => /ABORTED \(lock-conflict\)/.test(s.result))).toBe(true);
  });
});
