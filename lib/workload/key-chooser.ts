/**
 * Which key an operation touches. Real traffic is skewed: a few accounts (a merchant's
 * settlement account, a popular UPI handle) are hit far more often than the rest. A
 * hot-set chooser sends `hotShare` of the operations to the first `hotKeyCount` keys.
 */
import { OptionError, Rng, checkKnownKeys, checkNumber } from '../sim';

export interface KeyChoice {
  /** How many distinct keys: "k0" .. "k{keyCount-1}". */
  keyCount: number;
  /** Share of operations that go to the hot keys (0 = uniform). */
  hotShare?: number;
  /** How many keys are hot (default 1). */
  hotKeyCount?: number;
}

export type KeyChooser = (rng: Rng) => string;

export function keyName(index: number): string {
  return `k${index}`;
}

export function keyChooser(choice: KeyChoice): KeyChooser {
  checkKnownKeys('keys', choice, ['keyCount', 'hotShare', 'hotKeyCount']);
  const keyCount = checkNumber('keys.keyCount', choice.keyCount, { integer: true, min: 1, max: 10_000_000 });
  const hotShare = checkNumber('keys.hotShare', choice.hotShare ?? 0, { min: 0, max: 1 });
  const hotKeyCount = checkNumber('keys.hotKeyCount', choice.hotKeyCount ?? 1, { integer: true, min: 1 });
  if (hotKeyCount > keyCount) throw new OptionError(`keys.hotKeyCount: got ${hotKeyCount}; allowed: at most keyCount (${keyCount})`);
  return (rng) => {
    if (hotShare > 0 && rng.chance(hotShare)) return keyName(rng.int(0, hotKeyCount - 1));
    return keyName(rng.int(0, keyCount - 1));
  };
}
