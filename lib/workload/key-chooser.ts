/**
 * Which key an operation touches. Real traffic is skewed: a few accounts (a merchant's
 * settlement account, a popular UPI handle) are hit far more often than the rest. A
 * hot-set chooser sends `hotShare` of the operations to the first `hotKeyCount` keys; a
 * Zipfian chooser (YCSB's request distribution) picks key i with probability ∝ 1/(i+1)^θ.
 */
import { OptionError, Rng, checkKnownKeys, checkNumber } from '../sim';

export interface KeyChoice {
  /** How many distinct keys: "k0" .. "k{keyCount-1}". */
  keyCount: number;
  /** Share of operations that go to the hot keys (0 = uniform). */
  hotShare?: number;
  /** How many keys are hot (default 1). */
  hotKeyCount?: number;
  /**
   * Zipf exponent θ > 0: key i (0-based) is chosen with probability ∝ 1/(i+1)^θ. YCSB's
   * default is 0.99. Cannot be combined with hotShare.
   */
  zipfTheta?: number;
}

export type KeyChooser = (rng: Rng) => string;

export function keyName(index: number): string {
  return `k${index}`;
}

/** YCSB's Zipfian constant (ZipfianGenerator.ZIPFIAN_CONSTANT). */
export const YCSB_ZIPF_THETA = 0.99;

/** The most keys a Zipfian chooser tabulates (its cumulative table is one float per key). */
export const ZIPF_KEY_COUNT_MAX = 1_000_000;

/**
 * The cumulative probabilities of a Zipf distribution over `keyCount` keys: entry i is the
 * probability that the chosen key index is ≤ i (the last entry is exactly 1).
 */
export function zipfCumulative(keyCount: number, theta: number): Float64Array {
  checkNumber('zipfCumulative keyCount', keyCount, { integer: true, min: 1, max: ZIPF_KEY_COUNT_MAX });
  checkNumber('zipfCumulative theta', theta, { min: 0.01, max: 10 });
  const cumulative = new Float64Array(keyCount);
  let sum = 0;
  for (let i = 0; i < keyCount; i++) {
    sum += 1 / Math.pow(i + 1, theta);
    cumulative[i] = sum;
  }
  for (let i = 0; i < keyCount; i++) cumulative[i] /= sum;
  cumulative[keyCount - 1] = 1;
  return cumulative;
}

/** The first index whose cumulative probability exceeds u (binary search). */
function indexOf(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function keyChooser(choice: KeyChoice): KeyChooser {
  checkKnownKeys('keys', choice, ['keyCount', 'hotShare', 'hotKeyCount', 'zipfTheta']);
  const keyCount = checkNumber('keys.keyCount', choice.keyCount, { integer: true, min: 1, max: 10_000_000 });
  const hotShare = checkNumber('keys.hotShare', choice.hotShare ?? 0, { min: 0, max: 1 });
  const hotKeyCount = checkNumber('keys.hotKeyCount', choice.hotKeyCount ?? 1, { integer: true, min: 1 });
  if (hotKeyCount > keyCount) throw new OptionError(`keys.hotKeyCount: got ${hotKeyCount}; allowed: at most keyCount (${keyCount})`);
  if (choice.zipfTheta !== undefined) {
    const theta = checkNumber('keys.zipfTheta', choice.zipfTheta, { min: 0.01, max: 10 });
    if (hotShare > 0) throw new OptionError(`keys.zipfTheta: got ${theta} together with hotShare ${hotShare}; allowed: one skew, either zipfTheta or hotShare`);
    if (keyCount > ZIPF_KEY_COUNT_MAX) throw new OptionError(`keys.keyCount: got ${keyCount} with zipfTheta; allowed: at most ${ZIPF_KEY_COUNT_MAX} keys for a Zipfian chooser`);
    const cumulative = zipfCumulative(keyCount, theta);
    return (rng) => keyName(indexOf(cumulative, rng.float()));
  }
  return (rng) => {
    if (hotShare > 0 && rng.chance(hotShare)) return keyName(rng.int(0, hotKeyCount - 1));
    return keyName(rng.int(0, keyCount - 1));
  };
}
