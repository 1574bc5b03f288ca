import { describe, expect, it } from 'vitest';
import { checkAtomicity } from '../../lib/check';

const transfer = { gid: 'g1', legs: [{ bank: 'hdfc', account: 'a', deltaPaise: -100 }, { bank: 'sbi', account: 'b', deltaPaise: 100 }], told: 'commit' as const };
const opening = { hdfc: { a: 1000 }, sbi: { b: 1000 } };

describe('2PC atomicity checker', () => {
  it('accepts a transfer committed at both banks with matching balances', () => {
    const r = checkAtomicity({
      participants: [
        { id: 'hdfc', outcomes: [['g1', 'committed']], inDoubt: [], rows: [['acct:a', 900]] },
        { id: 'sbi', outcomes: [['g1', 'committed']], inDoubt: [], rows: [['acct:b', 1100]] },
      ],
      clearing: null,
      transfers: [transfer],
      openingBalances: opening,
      requireResolved: true,
    });
    expect(r.violations).toEqual([]);
    expect(r.committedEverywhere).toBe(1);
  });

  it('catches a split outcome, lost money and a client told "commit" for a transfer that did not commit everywhere', () => {
    const r = checkAtomicity({
      participants: [
        { id: 'hdfc', outcomes: [['g1', 'committed']], inDoubt: [], rows: [['acct:a', 900]] },
        { id: 'sbi', outcomes: [['g1', 'aborted']], inDoubt: [], rows: [['acct:b', 1000]] },
      ],
      clearing: null,
      transfers: [transfer],
      openingBalances: opening,
      requireResolved: true,
    });
    const text = r.violations.join('\n');
    expect(text).toMatch(/atomicity broken: g1 committed at hdfc but aborted at sbi/);
    expect(text).toMatch(/client was told g1 is committed, but it is committed at only 1 of 2/);
    expect(text).toMatch(/money not conserved across banks: 1900 paise now, 2000 opened with/);
  });

  it('counts a transaction still prepared as in doubt when resolution is required', () => {
    const r = checkAtomicity({
      participants: [
        { id: 'hdfc', outcomes: [], inDoubt: ['g1'], rows: [['acct:a', 1000]] },
        { id: 'sbi', outcomes: [], inDoubt: ['g1'], rows: [['acct:b', 1000]] },
      ],
      clearing: null,
      transfers: [{ ...transfer, told: null }],
      openingBalances: opening,
      requireResolved: true,
    });
    expect(r.stillInDoubt).toBe(2);
    expect(r.violations).toContain('g1 is still in doubt at 2 participants');
  });
});
