// Proves the UPI business rule: credits and debits commute, a transaction id moves money once
// however many regions accept it and in whatever order the copies arrive, all leaders pick the
// same op for a duplicated id, and the naive ledger without the rule debits a retry twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dot, Hlc } from '../../../lib/clocks';
import { LoggedOp } from '../../../lib/strategies/multi-leader/logged-op';
import { PaymentPayload, UpiLedger, checkPayment } from '../../../lib/strategies/multi-leader/upi-ledger';

const PROPERTY = { seed: 41_2011, numRuns: 100 };

function payment(node: string, counter: number, txnId: string, amountPaise: number, account = 'priya'): LoggedOp<PaymentPayload> {
  return { dot: { node, counter }, physicalMs: 0, hlc: Hlc.init(node), acceptedAtSimMs: 0, payload: { txnId, account, amountPaise } };
}

describe('UPI ledger', () => {
  it('a payment retried through Delhi after Mumbai accepted it is applied once with the rule, twice without', () => {
    const fromMumbai = payment('mumbai', 1, 'UPI-7731', -50_000);
    const fromDelhi = payment('delhi', 1, 'UPI-7731', -50_000);
    const safe = new UpiLedger(true);
    expect(safe.apply(fromMumbai)).toBe('applied');
    expect(safe.apply(fromDelhi)).toBe('replaced-by-earlier-duplicate');
    expect(safe.balanceOf('priya')).toBe(-50_000);
    expect(safe.duplicatesSuppressed).toBe(1);
    expect(safe.multiplyApplied()).toEqual([]);
    const naive = new UpiLedger(false);
    naive.apply(fromMumbai);
    naive.apply(fromDelhi);
    expect(naive.balanceOf('priya')).toBe(-100_000);
    expect(naive.multiplyApplied()).toEqual([{ txnId: 'UPI-7731', applications: 2 }]);
  });

  it('two copies of one id with different amounts: every leader keeps the smaller dot, and the journal records the reversal', () => {
    const a = new UpiLedger(true);
    const b = new UpiLedger(true);
    const viaMumbai = payment('mumbai', 1, 'UPI-1', -10_000);
    const viaDelhi = payment('delhi', 1, 'UPI-1', -20_000);
    a.apply(viaMumbai);
    a.apply(viaDelhi);
    b.apply(viaDelhi);
    b.apply(viaMumbai);
    expect(a.fingerprint()).toBe(b.fingerprint());
    expect(a.balanceOf('priya')).toBe(-20_000);
    expect(a.conflictingDuplicates).toBe(1);
    expect(a.journal.map((e) => `${e.kind} ${e.dot} ${e.deltaPaise}`)).toEqual(['apply mumbai:1 -10000', 'reverse mumbai:1 10000', 'apply delhi:1 -20000']);
  });

  it('any delivery order of the same payments gives the same balances and entries, each id applied once', () => {
    const paymentsArb = fc.array(fc.record({ node: fc.constantFrom('mumbai', 'delhi', 'bangalore'), txn: fc.integer({ min: 1, max: 6 }), amount: fc.integer({ min: -500, max: 500 }).filter((x) => x !== 0) }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(paymentsArb, fc.array(fc.nat(), { minLength: 20, maxLength: 20 }), (specs, sortKeys) => {
        const counters: Record<string, number> = {};
        const ops = specs.map((s) => payment(s.node, (counters[s.node] = (counters[s.node] ?? 0) + 1), `UPI-${s.txn}`, s.amount * 100));
        const shuffled = ops.map((o, i) => ({ o, k: sortKeys[i] })).sort((x, y) => x.k - y.k).map((x) => x.o);
        const one = new UpiLedger(true);
        const two = new UpiLedger(true);
        for (const o of ops) one.apply(o);
        for (const o of shuffled) two.apply(o);
        expect(two.fingerprint()).toBe(one.fingerprint());
        expect(one.multiplyApplied()).toEqual([]);
        const ids = new Set(ops.map((o) => o.payload.txnId));
        const sum = [...ids].reduce((total, id) => {
          const chosen = ops.filter((o) => o.payload.txnId === id).sort((x, y) => Dot.compare(x.dot, y.dot))[0];
          return total + chosen.payload.amountPaise;
        }, 0);
        expect(one.balanceOf('priya')).toBe(sum);
      }),
      PROPERTY,
    );
  });

  it('rejects malformed payments with the field, the value and what is allowed', () => {
    expect(() => checkPayment({ txnId: '', account: 'priya', amountPaise: 100 })).toThrow(/txnId: got ""; allowed: a non-empty string/);
    expect(() => checkPayment({ txnId: 'T', account: 'priya', amountPaise: 1.5 })).toThrow(/amountPaise: got 1.5; allowed: a non-zero integer number of paise/);
    expect(() => checkPayment({ txnId: 'T', account: 'priya', amountPaise: 0 })).toThrow(/amountPaise: got 0/);
  });

  it('the journal is bounded', () => {
    const ledger = new UpiLedger(true, 1);
    ledger.apply(payment('mumbai', 1, 'T1', 100));
    expect(() => ledger.apply(payment('mumbai', 2, 'T2', 100))).toThrow(/journal holds 1 entries, its limit/);
  });
});
