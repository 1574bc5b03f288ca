/**
 * Node (replica) identifiers and the checks every clock and CRDT applies to them.
 *
 * Clocks and CRDTs key plain JavaScript objects by node id so that their state is plain
 * JSON that can travel in a simulated message. That makes two ids dangerous: the empty
 * string (it cannot name anything) and "__proto__" (assigning it on a plain object
 * changes the object's prototype instead of adding a key). Both are rejected here, once,
 * with a message that says what was given and what is allowed.
 */

/** The name of a node or replica, e.g. "mumbai". Compared as plain strings (code-unit order). */
export type NodeId = string;

/** Throws unless `value` is a usable node id. `optionName` names the argument in the error. */
export function assertNodeId(optionName: string, value: unknown): asserts value is NodeId {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(
      `${optionName} must be a non-empty string naming a node (for example "mumbai"); got ${describeValue(value)}`,
    );
  }
  if (value === '__proto__') {
    throw new Error(
      `${optionName} must not be "__proto__": node ids become keys of plain objects, where that name would replace the object's prototype`,
    );
  }
}

/** Compares two node ids in a fixed, locale-independent order, used as the last tie-breaker everywhere. */
export function compareNodeIds(a: NodeId, b: NodeId): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Renders a bad input for an error message without ever throwing itself. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
