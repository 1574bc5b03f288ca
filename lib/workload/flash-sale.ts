/**
 * A flash sale of a fashion catalogue (Myntra's End of Reason Sale, scaled down): every style
 * comes in colours and sizes, and a SKU is one style × colour × size. The sale opens at T0 with
 * a burst that decays towards a base rate; demand is Zipf-skewed over styles and colours and
 * peaks at sizes M and L; each buyer sits in a region (regional shares); a cart holds one or
 * more variants; some buyers abandon their cart (their hold must expire) and some cancel.
 * Everything comes from one seeded Rng, so one seed is one sale.
 */
import { OptionError, Rng, checkKnownKeys, checkNumber } from '../sim';

export interface Variant {
  /** "kurta-03/blue/M": style / colour / size. */
  sku: string;
  style: string;
  colour: string;
  size: string;
}

export interface CatalogueOptions {
  /** How many styles (default 4). */
  styles?: number;
  /** Default: XS S M L XL. */
  sizes?: readonly string[];
  /** Default: black, blue. */
  colours?: readonly string[];
  /** Style name prefix (default "kurta"). */
  stylePrefix?: string;
}

export const DEFAULT_SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
export const DEFAULT_COLOURS = ['black', 'blue'] as const;

/** Every style × colour × size, styles in order of popularity (style 1 is the hottest). */
export function flashSaleCatalogue(options: CatalogueOptions = {}): Variant[] {
  checkKnownKeys('flashSaleCatalogue', options, ['styles', 'sizes', 'colours', 'stylePrefix']);
  const styles = checkNumber('flashSaleCatalogue styles', options.styles ?? 4, { integer: true, min: 1, max: 1000 });
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const colours = options.colours ?? DEFAULT_COLOURS;
  if (sizes.length === 0) throw new OptionError('flashSaleCatalogue sizes: got []; allowed: at least one size');
  if (colours.length === 0) throw new OptionError('flashSaleCatalogue colours: got []; allowed: at least one colour');
  const prefix = options.stylePrefix ?? 'kurta';
  const variants: Variant[] = [];
  for (let s = 1; s <= styles; s++) {
    const style = `${prefix}-${String(s).padStart(2, '0')}`;
    for (const colour of colours) for (const size of sizes) variants.push({ sku: `${style}/${colour}/${size}`, style, colour, size });
  }
  return variants;
}

export interface CartLine {
  sku: string;
  units: number;
}

/** What the buyer does after a successful reservation. */
export type BuyerIntent = 'pays' | 'abandons' | 'cancels';

export interface FlashSaleOrder {
  orderId: string;
  atMs: number;
  region: string;
  lines: CartLine[];
  intent: BuyerIntent;
  /** After the reservation, how long until the buyer pays (or cancels), ms. */
  decideAfterMs: number;
}

export interface FlashSaleOptions {
  seed: number;
  catalogue: readonly Variant[];
  regions: readonly string[];
  /** Share of buyers per region, same order as regions (normalised). Default equal. */
  regionShares?: readonly number[];
  /** The sale opens at this time, ms. Default 0. */
  startMs?: number;
  /** Orders arrive until startMs + durationMs. Default 10,000. */
  durationMs?: number;
  /** Arrival rate at the opening, orders/s (the burst). Default 400. */
  peakPerSec?: number;
  /** The burst decays as exp(−t / decayMs). Default 2000. */
  decayMs?: number;
  /** Rate the sale settles to, orders/s. Default 20. */
  basePerSec?: number;
  /** Zipf exponent over styles and colours (0: uniform). Default 1. */
  zipfExponent?: number;
  /** Relative demand per size, by size name. Default XS 1, S 3, M 6, L 6, XL 2 (M and L sell out first). */
  sizeWeights?: Readonly<Record<string, number>>;
  /** Probability of 1, 2, 3 … distinct variants in a cart. Default [0.7, 0.2, 0.1]. */
  cartLineShares?: readonly number[];
  /** Probability that one line asks for 2 units rather than 1. Default 0.1. */
  twoUnitShare?: number;
  /** Share of buyers who abandon the cart after reserving. Default 0.25. */
  abandonShare?: number;
  /** Share of buyers who cancel explicitly. Default 0.05. */
  cancelShare?: number;
  /** Mean time from reservation to payment (exponential), ms. Default 1500. */
  payMeanMs?: number;
  /** Hard limit on generated orders. Default 200,000. */
  maxOrders?: number;
}

const OPTION_KEYS = ['seed', 'catalogue', 'regions', 'regionShares', 'startMs', 'durationMs', 'peakPerSec', 'decayMs', 'basePerSec', 'zipfExponent', 'sizeWeights', 'cartLineShares', 'twoUnitShare', 'abandonShare', 'cancelShare', 'payMeanMs', 'maxOrders'];
const DEFAULT_SIZE_WEIGHTS: Record<string, number> = { XS: 1, S: 3, M: 6, L: 6, XL: 2, XXL: 1 };

/** Picks an index with probability proportional to weights (cumulative table, binary search). */
function weightedPicker(option: string, weights: readonly number[]): (rng: Rng) => number {
  weights.forEach((w, i) => checkNumber(`${option}[${i}]`, w, { min: 0 }));
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  if (!(sum > 0)) throw new OptionError(`${option}: got weights summing to ${sum}; allowed: a positive sum`);
  return (rng) => {
    const x = rng.float() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** The demand weight of each variant: Zipf over style rank and colour rank, times the size weight. */
export function variantDemandWeights(catalogue: readonly Variant[], zipfExponent = 1, sizeWeights: Readonly<Record<string, number>> = DEFAULT_SIZE_WEIGHTS): number[] {
  const styleRank = new Map<string, number>();
  const colourRank = new Map<string, number>();
  for (const v of catalogue) {
    if (!styleRank.has(v.style)) styleRank.set(v.style, styleRank.size + 1);
    if (!colourRank.has(v.colour)) colourRank.set(v.colour, colourRank.size + 1);
  }
  return catalogue.map((v) => {
    const size = sizeWeights[v.size];
    if (size === undefined) throw new OptionError(`flashSaleOrders sizeWeights: size "${v.size}" has no weight; allowed sizes: ${Object.keys(sizeWeights).join(', ')}`);
    return size / (styleRank.get(v.style)! ** zipfExponent * colourRank.get(v.colour)! ** zipfExponent);
  });
}

/** Arrival rate at time t after the opening, orders/s. */
export function flashSaleRatePerSec(tMs: number, peakPerSec: number, decayMs: number, basePerSec: number): number {
  return basePerSec + peakPerSec * Math.exp(-tMs / decayMs);
}

/**
 * The orders of one sale, in time order. Arrivals are a non-homogeneous Poisson process
 * (thinning against the peak rate), so the burst at T0 and its decay are as random as real
 * buyers are, and the same seed gives the same orders.
 */
export function flashSaleOrders(options: FlashSaleOptions): FlashSaleOrder[] {
  checkKnownKeys('flashSaleOrders', options, OPTION_KEYS);
  const seed = checkNumber('flashSaleOrders seed', options.seed, { integer: true });
  const { catalogue, regions } = options;
  if (catalogue.length === 0) throw new OptionError('flashSaleOrders catalogue: got an empty catalogue; allowed: at least one variant');
  if (regions.length === 0) throw new OptionError('flashSaleOrders regions: got []; allowed: at least one region');
  const shares = options.regionShares ?? regions.map(() => 1);
  if (shares.length !== regions.length) throw new OptionError(`flashSaleOrders regionShares: got ${shares.length} shares for ${regions.length} regions; allowed: one share per region`);
  const startMs = checkNumber('flashSaleOrders startMs', options.startMs ?? 0, { min: 0 });
  const durationMs = checkNumber('flashSaleOrders durationMs', options.durationMs ?? 10_000, { min: 1 });
  const peakPerSec = checkNumber('flashSaleOrders peakPerSec', options.peakPerSec ?? 400, { min: 0, max: 1_000_000 });
  const decayMs = checkNumber('flashSaleOrders decayMs', options.decayMs ?? 2000, { min: 1 });
  const basePerSec = checkNumber('flashSaleOrders basePerSec', options.basePerSec ?? 20, { min: 0, max: 1_000_000 });
  const zipf = checkNumber('flashSaleOrders zipfExponent', options.zipfExponent ?? 1, { min: 0, max: 10 });
  const lineShares = options.cartLineShares ?? [0.7, 0.2, 0.1];
  if (lineShares.length > catalogue.length) throw new OptionError(`flashSaleOrders cartLineShares: got carts of up to ${lineShares.length} variants; allowed: at most the catalogue's ${catalogue.length}`);
  const twoUnitShare = checkNumber('flashSaleOrders twoUnitShare', options.twoUnitShare ?? 0.1, { min: 0, max: 1 });
  const abandonShare = checkNumber('flashSaleOrders abandonShare', options.abandonShare ?? 0.25, { min: 0, max: 1 });
  const cancelShare = checkNumber('flashSaleOrders cancelShare', options.cancelShare ?? 0.05, { min: 0, max: 1 - abandonShare });
  const payMeanMs = checkNumber('flashSaleOrders payMeanMs', options.payMeanMs ?? 1500, { min: 0 });
  const maxOrders = checkNumber('flashSaleOrders maxOrders', options.maxOrders ?? 200_000, { integer: true, min: 1 });

  const rng = new Rng(seed ^ 0x5a1e);
  const pickRegion = weightedPicker('flashSaleOrders regionShares', shares);
  const pickVariant = weightedPicker('flashSaleOrders variant weights', variantDemandWeights(catalogue, zipf, options.sizeWeights ?? DEFAULT_SIZE_WEIGHTS));
  const pickLineCount = weightedPicker('flashSaleOrders cartLineShares', lineShares);
  const maxRate = peakPerSec + basePerSec;
  const orders: FlashSaleOrder[] = [];
  if (maxRate === 0) return orders;
  let t = 0;
  for (;;) {
    t += rng.exponential(1000 / maxRate);
    if (t >= durationMs) break;
    if (!rng.chance(flashSaleRatePerSec(t, peakPerSec, decayMs, basePerSec) / maxRate)) continue;
    if (orders.length >= maxOrders) throw new OptionError(`flashSaleOrders maxOrders: the sale generated more than ${maxOrders} orders; allowed: raise maxOrders or lower the rates`);
    const lineCount = pickLineCount(rng) + 1;
    const skus = new Set<string>();
    // Draw distinct variants; the bounded loop keeps a tiny catalogue from spinning forever.
    for (let tries = 0; skus.size < lineCount && tries < 100; tries++) skus.add(catalogue[pickVariant(rng)].sku);
    const lines = [...skus].map((sku) => ({ sku, units: rng.chance(twoUnitShare) ? 2 : 1 }));
    const u = rng.float();
    const intent: BuyerIntent = u < abandonShare ? 'abandons' : u < abandonShare + cancelShare ? 'cancels' : 'pays';
    orders.push({ orderId: `o${orders.length + 1}`, atMs: startMs + t, region: regions[pickRegion(rng)], lines, intent, decideAfterMs: rng.exponential(payMeanMs) });
  }
  return orders;
}
