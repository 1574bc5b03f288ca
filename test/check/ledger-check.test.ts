import { describe, expect, it } from 'vitest';
import { checkLedger } from '../../lib/check';

const opening = { a: 1000, b: 1000 };
const base = {
  openingBalances: opening,
  acknowledged: ['t1'],
  refused: ['t2'],
  commitRequested: new Set(['t1']),
};

describe('ledger invariants checker', () => {
  it('accepts a ledger that matches its transfers', () => {
    const rows: Array<[string, number | Record<string, unknown>]> = [
      ['acct:a', 900],
      ['acct:b', 1100],
      ['xfer:t1', { from: 'a', to: 'b', amountPaise: 100 }],
    ];
    expect(checkLedger({ ...base, rows: rows as never }).ok).toBe(true);
  });

  it('catches a lost acknowledged transfer, a partial transfer and a surviving refused one', () => {
    const lost = checkLedger({ ...base, rows: [['acct:a', 1000], ['acct:b', 1000]] });
    expect(lost.violations).toContain('acknowledged transfer t1 is missing after recovery');
    const partial = checkLedger({ ...base, rows: [['acct:a', 900], ['acct:b', 1000], ['xfer:t1', { from: 'a', to: 'b', amountPaise: 100 }]] as never });
    expect(partial.violations.join('\n')).toMatch(/money not conserved: balances sum to 1900 paise, opened with 2000/);
    expect(partial.violations.join('\n')).toMatch(/partial transfer: b holds 1000 paise/);
    const ghost = checkLedger({
      ...base,
      rows: [['acct:a', 850], ['acct:b', 1150], ['xfer:t1', { from: 'a', to: 'b', amountPaise: 100 }], ['xfer:t2', { from: 'a', to: 'b', amountPaise: 50 }]] as never,
    });
    expect(ghost.violations).toContain('refused transfer t2 is present');
    expect(ghost.violations).toContain('transfer t2 is present but its commit was never requested');
  });
});
