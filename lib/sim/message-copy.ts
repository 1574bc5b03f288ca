/**
 * The deep copy every delivered message gets (see Simulation, "messageIsolation"). Messages are
 * data: primitives, arrays, plain objects, Maps, Sets, Dates and typed arrays, nested. This walks
 * them directly, which V8 runs several times faster than structuredClone for the small records the
 * strategies send, and it keeps an object's prototype (a message that is a class instance keeps
 * its methods, where structuredClone would turn it into a plain object). Functions are refused:
 * code cannot cross a network. Cycles are refused too, with the path that closes one.
 */
import { OptionError } from '../util/option-error';

const DEPTH_MAX = 64;

export function copyMessage<T>(message: T): T {
  return copy(message, 0, 'message') as T;
}

function copy(value: unknown, depth: number, path: string): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new OptionError(`send: ${path} is a function; allowed: data only (numbers, strings, arrays, objects, Maps, Sets)`);
    return value;
  }
  if (depth > DEPTH_MAX) throw new OptionError(`send: ${path} is nested more than ${DEPTH_MAX} levels deep (a cycle?); allowed: acyclic data`);
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1, `${path}[${i}]`);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    for (const [k, v] of value) out.set(copy(k, depth + 1, `${path}.key`), copy(v, depth + 1, `${path}.get(${String(k)})`));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    for (const v of value) out.add(copy(v, depth + 1, `${path}.item`));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], depth + 1, `${path}.${key}`);
  return out;
}
