// Scenario tests that read like the lesson: the dual write loses events when the application
// crashes between commit and publish, and publishes rolled-back changes when it publishes first;
// the outbox and CDC survive the same crashes with duplicates only, which an idempotent consumer
// absorbs; and the pipeline's options are checked precisely.
import { describe, expect, it } from 'vitest';
import { BANK_NODE, BROKER_NODE, dataSyncPipeline, partitionOf } from '../../../lib/strategies/data-sync';

/** Bank crash at 600 ms, broker down 1000–1300 ms, consumer crash at 1500 ms; then heal and drain. */
function faulty(capture: 'dual-write' | 'outbox' | 'cdc', idempotent: boolean, extra: object = {}) {
  const p = dataSyncPipeline({ seed: 11, capture, consumers: [{ id: 'fraud', idempotent }], ...extra });
  p.run(600);
  p.sim.crash(BANK_NODE);
  p.run(700);
  p.sim.restart(BANK_NODE);
  p.run(1000);
  p.sim.crash(BROKER_NODE);
  p.run(1300);
  p.sim.restart(BROKER_NODE);
  p.run(1500);
  p.sim.crash('fraud');
  p.run(1550);
  p.sim.restart('fraud');
  p.healAndDrain();
  return p;
}

describe('data-sync pipeline', () => {
  it('without faults, every capture method delivers every committed change exactly once', () => {
    for (const capture of ['dual-write', 'outbox', 'cdc'] as const) {
      const p = dataSyncPipeline({ seed: 5, capture });
      p.healAndDrain();
      const result = p.check();
      expect(result.ok, `${capture}: ${result.first?.message}`).toBe(true);
      expect(result.committedChanges).toBeGreaterThan(100);
    }
  });

  it('dual write, commit then publish: a broker outage longer than the retries loses committed events, and late retries reorder keys', () => {
    const p = faulty('dual-write', false);
    const result = p.check();
    expect(result.counts.lost).toBeGreaterThan(0);
    expect(result.counts['out-of-order']).toBeGreaterThan(0);
    expect(p.bankStats.publishGivenUp).toBeGreaterThan(0);
  });

  it('dual write, publish then commit: events for transactions that rolled back reach the consumer', () => {
    const p = dataSyncPipeline({ seed: 12, capture: 'dual-write', dualWriteOrder: 'publish-then-commit', consumers: [{ id: 'fraud', idempotent: false }] });
    p.healAndDrain();
    const result = p.check();
    expect(result.counts['rolled-back']).toBeGreaterThan(0);
    expect(result.first?.message).toMatch(/rolled back/);
  });

  it('a crash between the commit and the publish loses exactly the change that committed last', () => {
    const p = dataSyncPipeline({ seed: 13, capture: 'dual-write', consumers: [{ id: 'fraud', idempotent: true }], updateEveryMs: 50, rollbackFraction: 0 });
    // Crash the bank the moment a commit is acknowledged: its event is still in the producer's buffer.
    const before = p.bankStats.committed;
    while (p.bankStats.committed === before) p.run(p.sim.nowMs() + 0.1);
    const last = [...p.bankStats.commitAtMs.keys()].pop() as string;
    p.sim.crash(BANK_NODE);
    p.healAndDrain();
    const result = p.check();
    expect(result.counts.lost).toBe(1);
    expect(result.first?.kind).toBe('lost');
    expect(result.first?.message).toContain(last);
    expect(result.counts['rolled-back'] + result.counts.duplicate).toBe(0);
  });

  for (const capture of ['outbox', 'cdc'] as const) {
    it(`${capture}: the same crashes leave duplicates for a naive consumer and nothing lost`, () => {
      const result = faulty(capture, false).check();
      expect(result.counts.lost).toBe(0);
      expect(result.counts['rolled-back']).toBe(0);
      expect(result.counts['out-of-order']).toBe(0);
      expect(result.counts.duplicate).toBeGreaterThan(0);
    });

    it(`${capture}: with an idempotent consumer every checker holds`, () => {
      const p = faulty(capture, true);
      const result = p.check();
      expect(result.ok, result.first?.message).toBe(true);
      // Delivered more often than applied: at-least-once delivery, exactly-once effect.
      expect(p.deliveries.length).toBeGreaterThan(result.effectsApplied);
    });
  }

  it('cdc events carry the transaction boundaries, before-images and LSNs in commit order', () => {
    const p = dataSyncPipeline({ seed: 14, capture: 'cdc' });
    p.healAndDrain();
    const events = p.deliveries.filter((d) => d.applied).map((d) => d.event);
    for (const e of events) {
      expect(e.commitLsn).not.toBeNull();
      expect(e.lsn as number).toBeLessThan(e.commitLsn as number);
      expect((e.before as { v?: number } | null)?.v ?? 0).toBe(e.version - 1);
    }
    // Transaction boundaries: the changes of one transaction share its commit LSN, and there are as many as it says.
    const byTx = new Map<number, typeof events>();
    for (const e of events) byTx.set(e.txId, [...(byTx.get(e.txId) ?? []), e]);
    for (const changes of byTx.values()) {
      expect(changes).toHaveLength(changes[0].txChangeCount as number);
      expect(new Set(changes.map((c) => c.commitLsn)).size).toBe(1);
    }
    expect([...byTx.values()].some((c) => c.length === 2)).toBe(true); // transfers: two rows, one transaction
    const byKey = new Map<string, number[]>();
    for (const e of events) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.commitLsn as number]);
    for (const lsns of byKey.values()) expect(lsns).toEqual([...lsns].sort((a, b) => a - b));
  });

  it('a group of two members splits the partitions; after one member crashes the group as a whole still applies every change once', () => {
    const p = dataSyncPipeline({
      seed: 15,
      capture: 'cdc',
      consumers: [{ id: 'fraud-a', group: 'fraud', idempotent: true }, { id: 'fraud-b', group: 'fraud', idempotent: true }, { id: 'search', idempotent: true }],
    });
    p.run(700);
    p.sim.crash('fraud-b');
    p.run(900);
    p.sim.restart('fraud-b');
    p.healAndDrain();
    const a = p.consumer('fraud-a')!;
    const b = p.consumer('fraud-b')!;
    expect([a.assigned, b.assigned]).toEqual([[0, 2], [1, 3]]);
    for (const member of [a, b]) {
      for (const e of member.durableState().applied) expect(member.assigned).toContain(partitionOf(e.key, 4));
      expect(member.durableState().applied.length).toBeGreaterThan(0);
    }
    const group = p.check({ group: 'fraud' });
    expect(group.ok, group.first?.message).toBe(true);
    expect(p.check('fraud-a').counts.lost).toBeGreaterThan(0); // one member alone has only its share
    expect(p.check('search').ok).toBe(true);
    expect(() => dataSyncPipeline({ seed: 1, capture: 'cdc', log: { partitions: 1 }, consumers: [{ id: 'x', group: 'g', idempotent: true }, { id: 'y', group: 'g', idempotent: true }] })).toThrow(/2 members for 1 partitions/);
  });

  it('the same seed gives the same run', () => {
    const a = faulty('cdc', true);
    const b = faulty('cdc', true);
    expect(b.deliveries.map((d) => `${d.eventId}@${d.atMs}`)).toEqual(a.deliveries.map((d) => `${d.eventId}@${d.atMs}`));
  });

  it('rejects bad options precisely', () => {
    expect(() => dataSyncPipeline({ seed: 1, capture: 'twice' as never })).toThrow(/capture: got "twice"; allowed: .*dual-write/);
    expect(() => dataSyncPipeline({ seed: 1, capture: 'cdc', rollbackFraction: 2 })).toThrow(/rollbackFraction/);
    expect(() => dataSyncPipeline({ seed: 1, capture: 'cdc', consumers: [{ id: BROKER_NODE, idempotent: true }] })).toThrow(/consumers\[\]\.id/);
    expect(() => dataSyncPipeline({ seed: 1, capture: 'cdc', acounts: 3 } as never)).toThrow(/acounts/);
    expect(() => dataSyncPipeline({ seed: 1, capture: 'cdc' }).consumer('nobody')).toThrow(/consumer: got "nobody"/);
  });
});
