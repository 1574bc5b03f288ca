// Proves the lesson's experiments say what notebook 06 says: in the scenario's sale CRDT stock
// oversells under the partition and escrow does not; escrow decides most reservations locally;
// rights move between warehouses; the matrix reuses runs without changing their results; the
// series and findings are built from the runs; and bad options are refused.
import { describe, expect, it } from 'vitest';
import {
  REGIONS, SEED, arrivalSeries, failureFindings, fixFindings, matrixFindings, oversellUndersell, reserveLatenciesMs, runSale, saleMatrix,
  saleOrders, scenarioLine, sellOutRows, transferSeries, unitsSoldSeries, verdictRows,
} from '../../../lib/lessons/06-flash-sale-inventory';

describe('notebook 06 experiments', () => {
  const crdt = runSale({ strategy: 'crdt', fault: 'partition' });
  const escrow = runSale({ strategy: 'escrow', fault: 'partition' });

  it('CRDT stock oversells under the partition; escrow does not, and keeps every hold and cart whole', () => {
    expect(crdt.result.oversoldUnits).toBeGreaterThan(10);
    expect(escrow.result.verdict).toBe('holds');
    expect(escrow.result.oversoldUnits).toBe(0);
    expect(failureFindings(crdt)).toContain(`${crdt.result.oversoldUnits} units sold that did not exist`);
    expect(fixFindings(escrow, crdt)).toContain(`Oversold units: 0 (CRDT stock: ${crdt.result.oversoldUnits})`);
  });

  it('escrow decides most reservations locally (under 5 ms), and the median is local', () => {
    const lat = reserveLatenciesMs(escrow);
    expect(lat.filter((x) => x < 5).length / lat.length).toBeGreaterThan(0.5);
    expect(verdictRows([escrow])[0]['reserve P50 (ms)']).toBeLessThan(5);
  });

  it('units sold per region add up to the checker’s units sold, and rights move', () => {
    const series = unitsSoldSeries(escrow);
    const last = series.slice(-REGIONS.length).reduce((s, r) => s + r.unitsSold, 0);
    expect(last).toBe(escrow.result.unitsSold);
    expect(transferSeries(escrow).reduce((s, r) => s + r.units, 0)).toBeGreaterThan(0);
  });

  it('the matrix reuses runs made with default timing and repeats the same results', () => {
    const runs = saleMatrix(SEED, [crdt, escrow], ['crdt', 'escrow'], ['partition']);
    expect(runs[0]).toBe(crdt);
    expect(runs[1]).toBe(escrow);
    const fresh = saleMatrix(SEED, [], ['crdt'], ['partition']);
    expect(verdictRows(fresh)).toEqual(verdictRows([crdt]));
    expect(matrixFindings(runs)).toContain('**escrow** — partition: holds, oversold 0');
    expect(oversellUndersell(runs)).toHaveLength(4);
    expect(sellOutRows(runs, 3)).toHaveLength(6);
  });

  it('the scenario line counts what the workload generates', () => {
    const orders = saleOrders(SEED);
    expect(scenarioLine()).toContain(`${orders.length} orders`);
    const arrivals = arrivalSeries(SEED).reduce((s, r) => s + r.ordersPerSec * 0.25, 0);
    expect(Math.round(arrivals)).toBe(orders.length);
  });

  it('refuses an unknown strategy, fault, or a run shorter than the sale', () => {
    expect(() => runSale({ strategy: 'quorum' as never })).toThrow(/runSale strategy/);
    expect(() => runSale({ strategy: 'crdt', fault: 'flood' as never })).toThrow(/runSale fault/);
    expect(() => runSale({ strategy: 'crdt', runMs: 10 })).toThrow(/runSale runMs/);
  });
});
