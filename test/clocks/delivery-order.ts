/**
 * Random delivery orders for convergence properties: every message index 0..count−1 at least
 * once, plus up to `duplicatesMax` duplicates, all shuffled together (reordering and
 * duplication, as an unreliable network would deliver them).
 */
import fc from 'fast-check';

export function deliveryOrderArbitrary(count: number, duplicatesMax = 5): fc.Arbitrary<number[]> {
  const everyIndex = Array.from({ length: count }, (_, index) => index);
  if (count === 0) return fc.constant<number[]>([]);
  return fc
    .array(fc.nat(count - 1), { maxLength: duplicatesMax })
    .chain((duplicates) => {
      const all = [...everyIndex, ...duplicates];
      return fc.shuffledSubarray(all, { minLength: all.length });
    });
}
