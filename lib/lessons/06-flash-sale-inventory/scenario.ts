/**
 * Notebook 06's scenario: Myntra's End of Reason Sale, scaled so a run takes a fraction of a
 * second. Four regional warehouses (Mumbai, Delhi, Bangalore, Kolkata) hold the stock of a
 * catalogue of 4 styles × 2 colours × 5 sizes = 40 variants, 10 units of each, split across the
 * warehouses 4 : 3 : 2 : 1, the same shares as the buyers. The sale opens at T0 with a burst
 * (800 orders/s, decaying with a 1.5 s time constant to 20 orders/s; the episode's 50,000
 * requests in the first second, divided by about 60); demand is Zipf-skewed over styles and
 * colours and peaks at M and L; a quarter of the buyers abandon their cart. All numbers are
 * illustrative, chosen so the hot variants sell out in the first seconds, as they do in a real
 * flash sale.
 */
import type { FaultSpec } from '../../sim';
import { FlashSaleOrder, Variant, flashSaleCatalogue, flashSaleOrders } from '../../workload/flash-sale';
import { splitStock } from '../../strategies/inventory';

export const SEED = 6;
export const REGIONS = ['mumbai', 'delhi', 'bangalore', 'kolkata'];
/** Share of buyers and of stock per region, in REGIONS order (illustrative). */
export const REGION_SHARES = [4, 3, 2, 1];
export const UNITS_PER_VARIANT = 10;
export const SALE_DURATION_MS = 10_000;
/** The simulation runs this long: the sale, then time for every hold to end. */
export const RUN_MS = 18_000;

/** The opening burst: orders/s at T0, decay time constant (ms), and the rate it settles to. */
export const BURST = { peakPerSec: 800, decayMs: 1500, basePerSec: 20 };

export const FAULT_NAMES = ['none', 'partition', 'crash'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** The country splits mid-sale, 300 ms after the opening, for 5 s: west and south against north and east. */
export const PARTITION: FaultSpec = { kind: 'partition', sideA: ['wh-mumbai', 'wh-bangalore'], sideB: ['wh-delhi', 'wh-kolkata'], atMs: 300, healAtMs: 5300 };
/** The Delhi warehouse's stock system crashes 300 ms after the opening and restarts 3 s later. */
export const CRASH: FaultSpec = { kind: 'crash', node: 'wh-delhi', atMs: 300, restartAtMs: 3300 };

export function faultsFor(name: FaultName): FaultSpec[] {
  return name === 'none' ? [] : name === 'partition' ? [PARTITION] : [CRASH];
}

export function saleCatalogue(): Variant[] {
  return flashSaleCatalogue({ styles: 4 });
}

export function saleStock(catalogue: readonly Variant[] = saleCatalogue()): Record<string, Record<string, number>> {
  return splitStock(catalogue, REGIONS, UNITS_PER_VARIANT, REGION_SHARES);
}

export function saleOrders(seed = SEED, catalogue: readonly Variant[] = saleCatalogue()): FlashSaleOrder[] {
  return flashSaleOrders({ seed, catalogue, regions: REGIONS, regionShares: REGION_SHARES, durationMs: SALE_DURATION_MS, ...BURST });
}
