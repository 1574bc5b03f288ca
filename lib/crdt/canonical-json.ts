/**
 * Canonical JSON: one string per value, whatever order its object keys were written in.
 *
 * CRDT states travel as JSON, and the elements of sets and registers can be any JSON
 * value. To keep every state in one canonical form (so equal states are deep-equal, and
 * merge(a, b) and merge(b, a) are identical objects) we need a fixed order for arbitrary
 * JSON values and a way to decide "same element". Both come from this serialisation with
 * object keys sorted.
 */

/** Values that survive a trip through JSON.stringify / JSON.parse unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serialises `value` with object keys sorted at every level. Throws for values that JSON
 * cannot carry faithfully (undefined, functions, NaN/Infinity, Map, Set, class instances),
 * because such a value would silently change when sent in a simulated message.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 'value');
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}, which JSON cannot represent`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, index) => write(item, `${path}[${index}]`)).join(',')}]`;
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new Error(`${path} is a ${prototype?.constructor?.name ?? 'non-plain'} object; CRDT states and elements must be plain JSON data`);
    }
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`);
    return `{${fields.join(',')}}`;
  }
  throw new Error(`${path} is ${typeof value}, which JSON cannot represent`);
}

/** True when two values have the same canonical JSON: the equality used for CRDT states and elements. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Orders two JSON values by their canonical JSON: a fixed, arbitrary total order. */
export function compareJson(a: unknown, b: unknown): -1 | 0 | 1 {
  const x = canonicalJson(a);
  const y = canonicalJson(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
