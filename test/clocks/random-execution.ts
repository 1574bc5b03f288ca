/**
 * Random distributed executions for the clock property tests, with the ground truth of
 * "happened before" computed independently of any clock.
 *
 * An execution is a sequence of events at a few nodes: local events, sends, and receives
 * of earlier sends (in any order: links may reorder, and some messages are never
 * received). Event a happened before event b when a chain of "same node, earlier" and
 * "send → its receive" steps leads from a to b (Lamport 1978). We record, for every event,
 * the set of all events that happened before it, by following exactly those two rules.
 */
import fc from 'fast-check';

export const NODE_NAMES = ['mumbai', 'delhi', 'chennai', 'kolkata'] as const;

export interface ExecutionEvent {
  readonly id: number;
  /** Index into NODE_NAMES. */
  readonly node: number;
  readonly kind: 'local' | 'send' | 'receive';
  /** For a receive: the id of the matching send event. */
  readonly sendId?: number;
  /** True (simulation) time of the event in ms; never decreases along the list. */
  readonly trueMs: number;
}

export interface Execution {
  readonly nodeCount: number;
  readonly events: readonly ExecutionEvent[];
  /** predecessors[id]: ids of every event that happened before event `id`. */
  readonly predecessors: readonly ReadonlySet<number>[];
}

export function happenedBefore(execution: Execution, a: number, b: number): boolean {
  return execution.predecessors[b].has(a);
}

interface Step {
  node: number;
  action: number;
  pick: number;
  advanceMs: number;
}

function build(nodeCount: number, steps: Step[]): Execution {
  const events: ExecutionEvent[] = [];
  const predecessors: Set<number>[] = [];
  const lastEventOfNode: (number | undefined)[] = new Array(nodeCount).fill(undefined);
  const inFlight: { sendId: number; to: number }[] = [];
  let trueMs = 0;
  for (const step of steps) {
    trueMs += step.advanceMs;
    const node = step.node % nodeCount;
    const waiting = inFlight.filter((message) => message.to === node);
    let kind: ExecutionEvent['kind'] = step.action === 0 ? 'local' : step.action === 1 ? 'send' : 'receive';
    if (kind === 'receive' && waiting.length === 0) kind = 'local';
    const id = events.length;
    const before = new Set<number>();
    const previous = lastEventOfNode[node];
    if (previous !== undefined) {
      before.add(previous);
      for (const p of predecessors[previous]) before.add(p);
    }
    let sendId: number | undefined;
    if (kind === 'receive') {
      const message = waiting[step.pick % waiting.length];
      inFlight.splice(inFlight.indexOf(message), 1);
      sendId = message.sendId;
      before.add(sendId);
      for (const p of predecessors[sendId]) before.add(p);
    }
    if (kind === 'send') {
      const to = (node + 1 + (step.pick % (nodeCount - 1))) % nodeCount;
      inFlight.push({ sendId: id, to });
    }
    events.push({ id, node, kind, sendId, trueMs });
    predecessors.push(before);
    lastEventOfNode[node] = id;
  }
  return { nodeCount, events, predecessors };
}

/** Executions of 2–4 nodes and up to `eventCountMax` events. */
export function executionArbitrary(eventCountMax = 40): fc.Arbitrary<Execution> {
  const step = fc.record({
    node: fc.nat(3),
    action: fc.nat(2),
    pick: fc.nat(99),
    advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
  });
  return fc
    .record({ nodeCount: fc.integer({ min: 2, max: 4 }), steps: fc.array(step, { maxLength: eventCountMax }) })
    .map(({ nodeCount, steps }) => build(nodeCount, steps));
}
