/**
 * Precise errors for bad configuration. A learner who mistypes an option should read
 * which option was wrong, what was given and what is allowed, not a stack trace, so
 * the stack of an OptionError is just its message (notebooks and CLIs print `stack`).
 */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** Thrown when a bounded queue, history or search hits its limit. */
export class LimitExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitExceededError';
    this.stack = `${this.name}: ${message}`;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** A finite number in [min, max]; `integer` additionally requires a whole number. */
export function checkNumber(
  option: string,
  value: unknown,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, integer = false } = range;
  const kind = integer ? 'an integer' : 'a number';
  const bounds =
    min === -Infinity && max === Infinity
      ? ''
      : max === Infinity
        ? ` ≥ ${min}`
        : min === -Infinity
          ? ` ≤ ${max}`
          : ` between ${min} and ${max}`;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new OptionError(`${option}: got ${describe(value)}; allowed: ${kind}${bounds}`);
  }
  return value;
}

/** One of a fixed set of strings, e.g. ack mode 'async' | 'semi-sync' | 'sync'. */
export function checkOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionError(`${option}: got ${describe(value)}; allowed: ${allowed.map((a) => JSON.stringify(a)).join(' | ')}`);
  }
  return value as T;
}

/** Rejects keys that are not part of an options object, the commonest typo of all. */
export function checkKnownKeys(option: string, value: object, allowedKeys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowedKeys.includes(key)) {
      throw new OptionError(`${option}: unknown option ${JSON.stringify(key)}; allowed: ${allowedKeys.join(', ')}`);
    }
  }
}
