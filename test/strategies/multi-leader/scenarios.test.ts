// Proves the multi-leader cluster behaves as notebook 02 tells it: concurrent updates from two
// regions are detected at every leader; with Delhi's clock 50 ms behind, LWW by wall clock
// silently loses Delhi's newer write while HLC and siblings keep it; a UPI payment retried
// through a second region moves money once; leaders converge after a partition heals; and a
// leader never hands out a write it could still lose in a crash.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../lib/check';
import { Simulation } from '../../../lib/sim';
import {
  UPI_LEADER_REGIONS,
  clockSkewScenario,
  conflictRateExperiment,
  ledgerPartitionExperiment,
  localReadWriteHistory,
  lostUpdatesByPolicy,
  retriedPaymentScenario,
} from '../../../lib/lessons/02-multi-leader-conflicts';
import { multiLeaderLedger } from '../../../lib/strategies/multi-leader/multi-leader-ledger';
import { multiLeaderRegisters } from '../../../lib/strategies/multi-leader/multi-leader-registers';

const REGIONS = [...UPI_LEADER_REGIONS];

describe('multi-leader registers', () => {
  it('Mumbai and Delhi update Priya\'s account 1 ms apart: every leader detects the conflict; siblings keep both until a reader resolves them', () => {
    const sim = new Simulation({ seed: 1 });
    const store = multiLeaderRegisters<string>({ sim, regions: REGIONS, policy: 'siblings' });
    sim.at(1000, () => store.put('mumbai', 'account:priya', 'limit ₹5,000'));
    sim.at(1001, () => store.put('delhi', 'account:priya', 'limit ₹2,000'));
    sim.run(1200);
    expect(store.conflicts.map((c) => c.leader).sort()).toEqual(['bangalore', 'delhi', 'mumbai']);
    expect(store.conflictRate()).toEqual({ writes: 2, conflictingWrites: 2, rate: 1 });
    for (const region of REGIONS) expect(store.read(region, 'account:priya')).toEqual(['limit ₹2,000', 'limit ₹5,000']);
    // A reader in Bangalore sees both, picks the stricter limit and writes it back.
    sim.at(1300, () => store.put('bangalore', 'account:priya', 'limit ₹2,000 (resolved)'));
    sim.run(1500);
    for (const region of REGIONS) expect(store.read(region, 'account:priya')).toEqual(['limit ₹2,000 (resolved)']);
    expect(store.conflicts).toHaveLength(3);
    expect(store.converged()).toBe(true);
  });

  it('with Delhi 50 ms behind, LWW by wall clock silently loses Delhi\'s newer write; HLC and siblings keep it', () => {
    const result = clockSkewScenario({ seed: 1, skewMs: 50 });
    const byPolicy = Object.fromEntries(result.rows.map((r) => [r.policy, r]));
    expect(byPolicy['lww-physical']).toMatchObject({ mumbai: '₹5000', delhi: '₹5000', bangalore: '₹5000', conflictsDetected: 0, lostUpdates: 1 });
    expect(byPolicy['lww-hlc']).toMatchObject({ mumbai: '₹4500', delhi: '₹4500', bangalore: '₹4500', conflictsDetected: 0, lostUpdates: 0 });
    expect(byPolicy.siblings).toMatchObject({ mumbai: '₹4500', conflictsDetected: 0, lostUpdates: 0 });
    expect(result.lost).toMatchObject([{ policy: 'lww-physical', dot: 'delhi:1', reason: 'newer write discarded' }]);
    // Delhi's wall clock read 980 ms for a write made 30 ms after Mumbai's at 1000 ms.
    expect(result.writes.map((w) => w.physicalMs)).toEqual([1000, 980]);
    expect(result.trace.length).toBeGreaterThan(0);
  });

  it('without skew, LWW by wall clock keeps the newer write too: the loss is the clock\'s fault', () => {
    const result = clockSkewScenario({ seed: 1, skewMs: 0, policies: ['lww-physical'] });
    expect(result.rows[0]).toMatchObject({ delhi: '₹4500', lostUpdates: 0 });
  });

  it('on a random workload with skew, only LWW by wall clock discards newer writes; siblings lose nothing', () => {
    const rows = lostUpdatesByPolicy({ seed: 7, writesPerSecondPerRegion: 10, accounts: 2, durationMs: 10_000 });
    const lost = (policy: string, reason: string) => rows.find((r) => r.policy === policy && r.reason === reason)!.lostUpdates;
    expect(lost('lww-physical', 'newer write discarded')).toBeGreaterThan(0);
    expect(lost('lww-hlc', 'newer write discarded')).toBe(0);
    expect(lost('lww-hlc', 'concurrent write discarded')).toBeGreaterThan(0);
    expect(lost('siblings', 'newer write discarded') + lost('siblings', 'concurrent write discarded')).toBe(0);
  });

  it('conflicts grow with the write rate and with the latency between the leaders', () => {
    const slow = conflictRateExperiment({ seed: 3, writesPerSecondPerRegion: 2, durationMs: 30_000 });
    const busy = conflictRateExperiment({ seed: 3, writesPerSecondPerRegion: 30, durationMs: 30_000 });
    const far = conflictRateExperiment({ seed: 3, writesPerSecondPerRegion: 2, extraLatencyMs: 150, durationMs: 30_000 });
    expect(busy.conflictRate).toBeGreaterThan(slow.conflictRate * 3);
    expect(far.conflictRate).toBeGreaterThan(slow.conflictRate * 3);
    expect(far.oneWayLatencyMs).toBe(164);
    // The measured rate follows the 1 − e^(−2λd) model within a few points.
    expect(Math.abs(busy.conflictRate - busy.modelConflictRate)).toBeLessThan(0.1);
  });

  it('a leader never hands out a write it has not fsynced: a crash loses it everywhere, and the reused dot causes no divergence', () => {
    const sim = new Simulation({ seed: 5 });
    const store = multiLeaderRegisters<string>({ sim, regions: REGIONS, policy: 'siblings', syncIntervalMs: 5 });
    sim.at(100, () => sim.slowDisk('mumbai', 200)); // fsync now takes 200 ms
    sim.at(1000, () => store.put('mumbai', 'k', 'never durable'));
    // Peers ask every 5 ms what they are missing; the un-fsynced write must not be in any answer.
    sim.at(1100, () => {
      expect(store.read('delhi', 'k')).toEqual([]);
      sim.crash('mumbai');
      sim.restart('mumbai');
      store.put('mumbai', 'k', 'after restart');
    });
    sim.run(1500);
    expect(store.puts.map((p) => [p.value, p.dot, p.acknowledged])).toEqual([
      ['never durable', 'mumbai:1', false],
      ['after restart', 'mumbai:1', true],
    ]);
    expect(store.converged()).toBe(true);
    for (const region of REGIONS) expect(store.read(region, 'k')).toEqual(['after restart']);
  });

  it('reads answered by the local leader are not linearizable: the checker finds Mumbai reading nothing after Delhi\'s write returned', () => {
    const { history } = localReadWriteHistory({ seed: 45 });
    const verdict = checkLinearizable(history, { model: 'register', equalTimes: 'return-first' });
    expect(verdict.verdict).toBe('not-linearizable');
    expect(verdict.counterexamples[0].text).toMatch(/read\(\) → null .* called at 1005 ms, after op 0 had returned/);
  });

  it('rejects bad options precisely', () => {
    const sim = new Simulation({ seed: 1 });
    expect(() => multiLeaderRegisters({ sim, regions: ['mumbai'], policy: 'siblings' })).toThrow(/regions: got \["mumbai"\]; allowed: at least two distinct region ids/);
    expect(() => multiLeaderRegisters({ sim, regions: REGIONS, policy: 'siblings', clockSkewMs: { goa: 5 } })).toThrow(/clockSkewMs: unknown leader "goa"/);
    expect(() => multiLeaderRegisters({ sim, regions: REGIONS, policy: 'siblings', syncMs: 5 } as never)).toThrow(/unknown option "syncMs"/);
    expect(() => multiLeaderLedger({ sim, regions: REGIONS, idempotency: 'yes' as never })).toThrow(/idempotency: got "yes"; allowed: true/);
  });
});

describe('multi-leader UPI ledger', () => {
  it('a payment retried through Delhi 5 ms after Mumbai accepted it: naive ledger debits ₹1,000, the rule debits ₹500 everywhere', () => {
    const naive = retriedPaymentScenario({ seed: 2, idempotency: false, retryAfterMs: 5 });
    const safe = retriedPaymentScenario({ seed: 2, idempotency: true, retryAfterMs: 5 });
    expect(naive.balances.map((b) => b.balanceRupees)).toEqual([9000, 9000, 9000]);
    expect(naive.applicationsOfRetriedTxn).toBe(2);
    expect(safe.balances.map((b) => b.balanceRupees)).toEqual([9500, 9500, 9500]);
    expect(safe.applicationsOfRetriedTxn).toBe(1);
    expect(safe.converged && naive.converged).toBe(true);
  });

  it('a retry that arrives after Mumbai\'s op reached Delhi is answered "duplicate" at the door', () => {
    const safe = retriedPaymentScenario({ seed: 2, idempotency: true, retryAfterMs: 200 });
    expect(safe.payments.map((p) => p.outcome)).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(safe.balances.map((b) => b.balanceRupees)).toEqual([9500, 9500, 9500]);
  });

  it('Delhi cut off for 5 s, payments everywhere: after the heal every region holds the same balances', () => {
    const result = ledgerPartitionExperiment({ seed: 4, partitionMs: 5000, syncIntervalMs: 250 });
    expect(result.converged).toBe(true);
    expect(result.convergenceMs).not.toBeNull();
    // Anti-entropy runs every 250 ms: convergence takes at most about one round plus a trip.
    expect(result.convergenceMs as number).toBeLessThan(250 + 100);
    for (const account of ['priya', 'rahul', 'anita']) {
      const balances = new Set(result.balances.filter((b) => b.account === account).map((b) => b.balanceRupees));
      expect(balances.size).toBe(1);
    }
    expect(Math.max(...result.samples.map((s) => s.distinctLedgers))).toBeGreaterThan(1);
  });

  it('a leader that is down answers nothing; its region\'s payments are unavailable', () => {
    const sim = new Simulation({ seed: 1 });
    const ledger = multiLeaderLedger({ sim, regions: REGIONS, idempotency: true });
    sim.at(10, () => sim.crash('delhi'));
    sim.at(20, () => expect(ledger.pay('delhi', { txnId: 'T', account: 'priya', amountPaise: 100 })).toBe('unavailable'));
    sim.run(100);
    expect(ledger.balance('delhi', 'priya')).toBeNull();
  });
});
