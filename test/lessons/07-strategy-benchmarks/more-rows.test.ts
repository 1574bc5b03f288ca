// Proves the rows notebook 07 adds for the inventory strategies and the load shapes say what the
// runs did: oversold units are the inventory check's and agree with a recount of the sales
// themselves (CRDT stock oversells, escrow and home region never do); the load shapes offer the
// same mean rate and a sale spike past a strategy's knee raises its P95 while a store that
// answers locally stays flat; and the table has a row for every new strategy.
import { describe, expect, it } from 'vitest';
import { LOAD_SHAPES, meanShareOf, runInventoryBench } from '../../../lib/bench';
import { OptionError } from '../../../lib/sim';
import { inventoryRows, loadShapeRows, measureBanking, measureInventory, measureLoadShapes, measureStrategies, moreRowFindings, ROW_OF_STRATEGY, tableRows } from '../../../lib/lessons/07-strategy-benchmarks';

describe('inventory rows', () => {
  it('report the inventory check\'s oversold units, which a recount of the sales confirms', () => {
    const results = measureInventory({ seed: 41, ordersPerSec: [300], durationMs: 3000 });
    expect(results.map((r) => r.strategy)).toEqual(['home-region', 'crdt', 'escrow']);
    for (const r of results) {
      // Recount: units sold per variant beyond the opening stock (40 variants × 10 units).
      const sold = new Map<string, number>();
      for (const e of r.check.sellOut) sold.set(e.sku, e.unitsSold);
      const recount = [...sold.values()].reduce((a, units) => a + Math.max(0, units - 10), 0);
      expect(r.oversoldUnits).toBe(recount);
      expect(r.oversoldUnits).toBe(r.check.oversell.reduce((a, v) => a + v.oversoldUnits, 0));
      expect(r.unitsSold - r.oversoldUnits).toBeLessThanOrEqual(r.stockUnits);
      expect(r.stockUnits).toBe(400);
    }
    const by = Object.fromEntries(results.map((r) => [r.strategy, r]));
    expect(by.crdt.oversoldUnits).toBeGreaterThan(0);
    expect(by.crdt.check.verdict).toBe('violated');
    expect(by.escrow.oversoldUnits).toBe(0);
    expect(by['home-region'].oversoldUnits).toBe(0);
    // A home region answers after a round trip to the variant's home; CRDT decides locally.
    expect(by['home-region'].reserveMsP50!).toBeGreaterThan(5 * by.crdt.reserveMsP50!);
    const rows = inventoryRows(results);
    expect(rows.map((r) => r['oversold units'])).toEqual(results.map((r) => r.oversoldUnits));
    expect(rows[0].saturation).toMatch(/none modelled/);
  });

  it('rejects bad options precisely', () => {
    expect(() => runInventoryBench({ seed: 1, strategy: 'raft' as never, ordersPerSec: 10, durationMs: 1000 })).toThrow(OptionError);
    expect(() => runInventoryBench({ seed: 1, strategy: 'crdt', ordersPerSec: 0, durationMs: 1000 })).toThrow(/ordersPerSec/);
    expect(() => runInventoryBench({ seed: 1, strategy: 'crdt', ordersPerSec: 10, durationMs: 1000, units: 3 } as never)).toThrow(/units/);
  });
});

describe('load shapes at one mean rate', () => {
  it('offer the same mean; a sale spike raises the P95 of the strategies with a knee, not of a local store', () => {
    expect(meanShareOf('constant')).toBe(1);
    expect(meanShareOf('sale-spike')).toBeCloseTo(0.4675, 9);
    const results = measureLoadShapes({ seed: 41, strategies: ['lf-sync-first-1', 'eventual-crdt'], meanOpsPerSec: 1000, durationMs: 3000 });
    expect(results).toHaveLength(2 * LOAD_SHAPES.length);
    const p95 = (strategy: string, shape: string) => results.find((r) => r.strategy === strategy && r.shape === shape)!.p95Ms!;
    expect(p95('lf-sync-first-1', 'sale-spike')).toBeGreaterThan(2 * p95('lf-sync-first-1', 'constant'));
    expect(p95('eventual-crdt', 'sale-spike')).toBeLessThan(1.5 * p95('eventual-crdt', 'constant'));
    const rows = loadShapeRows(results);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0])).toHaveLength(1 + LOAD_SHAPES.length);
  });

  it('the new strategies have rows in the table, with siblings counted and refusals by reason', () => {
    expect(ROW_OF_STRATEGY['multi-leader-siblings']).toBe('Master-Master');
    expect(ROW_OF_STRATEGY['banking-sync-serializable']).toBe('ACID Banking');
    const measured = [
      ...measureStrategies({ seed: 41, strategies: ['multi-leader-siblings'], ratesPerSec: [500, 1000], durationMs: 800, refineSteps: 0 }),
      measureBanking({ seed: 41, isolation: 'serializable', ratesPerSec: [100, 200], durationMs: 800, refineSteps: 0 }),
    ];
    const rows = tableRows(measured);
    expect(rows.map((r) => r.episodeRow)).toEqual(['Master-Master', 'ACID Banking']);
    expect(rows[0].strategy).toMatch(/siblings/);
    expect(rows[0].observedConsistency).toMatch(/multi-value reads/);
    expect(rows[1].strategy).toMatch(/serializable/);
    expect(rows[1].refusalsAt80).toMatch(/^\d+ lock conflicts?, \d+ serialization failures?$/);
    expect(moreRowFindings(measured, 41)).toMatch(/reads returned several values/);
  });
});
