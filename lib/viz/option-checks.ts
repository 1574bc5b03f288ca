import { OptionError } from '../util/option-error';

/**
 * Checks shared by every figure builder, so that a typo in a notebook produces one
 * precise sentence (which option, what was given, what is allowed) instead of a blank
 * or misleading figure.
 */

/** Renders a value given by the caller for an error message, short enough to read. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const text = JSON.stringify(value);
  return text !== undefined && text.length <= 60 ? text : `a ${typeof value}`;
}

/** The one error shape of lib/viz: "builder: option = value is not allowed; allowed: ...". */
export function optionError(builder: string, option: string, value: unknown, allowed: string): Error {
  return new OptionError(`${builder}: ${option} = ${describeValue(value)} is not allowed; ${allowed}`);
}

/** A title must be a non-empty string, because the title is where a figure says what it measures. */
export function checkTitle(builder: string, option: string, title: unknown): string {
  if (typeof title !== 'string' || title.trim() === '') {
    throw optionError(builder, option, title, 'allowed: a non-empty string saying what is measured');
  }
  return title;
}

/**
 * The unit of an axis title: the text inside its last pair of parentheses, e.g. "ms" in
 * "replication lag (ms)". Null when the title has none.
 */
export function unitOf(title: string): string | null {
  const match = /\(([^()]+)\)\s*$/.exec(title);
  return match ? match[1].trim() : null;
}

/**
 * A title for a numeric axis must end in its unit in parentheses. Enforcing it here is
 * what keeps the house rule "every axis carries units" true across all notebooks.
 */
export function checkAxisTitle(builder: string, option: string, title: unknown): string {
  checkTitle(builder, option, title);
  if (unitOf(title as string) === null) {
    throw optionError(builder, option, title,
      'allowed: a title ending in its unit in parentheses, e.g. "replication lag (ms)" or "time (s)"');
  }
  return title as string;
}

/**
 * The seed must be given explicitly (null when the data has no seed), because every
 * figure notes the seed of the run it shows.
 */
export function checkSeed(builder: string, seed: unknown): number | null {
  if (seed === null) return null;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw optionError(builder, 'seed', seed, 'allowed: the finite number of the run shown, or null when the data has no seed');
  }
  return seed;
}

export function checkIntegerInRange(builder: string, option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw optionError(builder, option, value, `allowed: an integer from ${min} to ${max}`);
  }
  return value;
}

export function checkFiniteNumber(builder: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw optionError(builder, option, value, 'allowed: a finite number');
  }
  return value;
}

export function checkOneOf<T extends string>(builder: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || allowed.indexOf(value as T) < 0) {
    throw optionError(builder, option, value, `allowed: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** Every number that reaches a figure must be finite: NaN or Infinity would silently vanish from the plot. */
export function checkFiniteValues(builder: string, option: string, values: readonly unknown[]): number[] {
  if (!Array.isArray(values)) {
    throw optionError(builder, option, values, 'allowed: an array of finite numbers');
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw optionError(builder, `${option}[${i}]`, v, 'allowed: finite numbers only');
    }
  });
  return values as number[];
}
