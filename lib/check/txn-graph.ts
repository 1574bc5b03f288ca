/**
 * The dependency graph between transactions and the search for cycles in it.
 *
 * Edges carry relations as bits: ww (T2 overwrote or appended after T1's version), wr (T2 read
 * T1's write), rw (T1 read a version T2 then replaced: an anti-dependency), and the optional
 * process (same client, in order) and realtime (T1 finished before T2 began) edges. Each edge
 * remembers why it exists (the key and values), so a cycle can be explained in sentences.
 *
 * Cycles are searched per strongly connected component (Tarjan's algorithm, iterative), one
 * anomaly shape at a time, by breadth-first search over (transaction, small automaton state):
 * the automaton enforces the shape (G-single: exactly one rw; G-nonadjacent: no two rw edges in a
 * row; G2-item: two rw edges in a row somewhere; -process/-realtime: at least one such edge), and
 * BFS gives the shortest cycle through the chosen starting edge.
 */
import { TxnKey, TxnElement } from './txn-history';

export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export type RelName = 'ww' | 'wr' | 'rw' | 'process' | 'realtime';
export const REL_NAMES: Record<number, RelName> = { 1: 'ww', 2: 'wr', 4: 'rw', 8: 'process', 16: 'realtime' };

/** Why an edge exists: the key and the versions involved (`value'` is the later one). */
export interface EdgeWhy {
  key?: TxnKey;
  value?: TxnElement | TxnElement[] | null | 'initial';
  valueAfter?: TxnElement | null;
}

/** A directed graph over transaction ids with relation bits and explanations per edge. */
export class DepGraph {
  /** Node ids in insertion order. */
  readonly nodes: number[] = [];
  private readonly slot = new Map<number, number>();
  /** out[slot] = map from target slot to relation bits. */
  private readonly out: Array<Map<number, number>> = [];
  private readonly why = new Map<string, EdgeWhy>();
  edgeCount = 0;

  addNode(id: number): number {
    let s = this.slot.get(id);
    if (s === undefined) {
      s = this.nodes.length;
      this.slot.set(id, s);
      this.nodes.push(id);
      this.out.push(new Map());
    }
    return s;
  }

  has(id: number): boolean {
    return this.slot.has(id);
  }

  /** Adds relation `rel` from `a` to `b` (self-edges are dropped: a transaction never depends on itself). */
  link(a: number, b: number, rel: number, why: EdgeWhy = {}): void {
    if (a === b) return;
    const sa = this.addNode(a);
    const sb = this.addNode(b);
    const bits = this.out[sa].get(sb) ?? 0;
    if ((bits & rel) === 0) {
      if (bits === 0) this.edgeCount += 1;
      this.out[sa].set(sb, bits | rel);
      this.why.set(`${sa}:${sb}:${rel}`, why);
    }
  }

  relations(a: number, b: number): number {
    const sa = this.slot.get(a);
    const sb = this.slot.get(b);
    if (sa === undefined || sb === undefined) return 0;
    return this.out[sa].get(sb) ?? 0;
  }

  explain(a: number, b: number, rel: number): EdgeWhy {
    return this.why.get(`${this.slot.get(a)}:${this.slot.get(b)}:${rel}`) ?? {};
  }

  /** Successors of slot `s` as [targetSlot, bits] pairs. */
  successors(s: number): Map<number, number> {
    return this.out[s];
  }

  idOf(s: number): number {
    return this.nodes[s];
  }

  slotOf(id: number): number | undefined {
    return this.slot.get(id);
  }

  /**
   * Strongly connected components with more than one node, using only edges whose bits meet
   * `mask`, restricted to `within` slots when given. Tarjan's algorithm, iterative so a long
   * chain cannot overflow the stack.
   */
  components(mask: number, within?: ReadonlySet<number>): number[][] {
    const n = this.nodes.length;
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const result: number[][] = [];
    let counter = 0;
    const starts = within ? [...within] : Array.from({ length: n }, (_, i) => i);
    for (const start of starts) {
      if (index[start] !== -1) continue;
      const work: Array<{ v: number; it: Iterator<[number, number]> }> = [];
      const enter = (v: number) => {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
        work.push({ v, it: this.out[v].entries() });
      };
      enter(start);
      while (work.length > 0) {
        const frame = work[work.length - 1];
        const next = frame.it.next();
        if (!next.done) {
          const [w, bits] = next.value;
          if ((bits & mask) === 0 || (within && !within.has(w))) continue;
          if (index[w] === -1) enter(w);
          else if (onStack[w]) low[frame.v] = Math.min(low[frame.v], index[w]);
          continue;
        }
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1].v;
          low[parent] = Math.min(low[parent], low[frame.v]);
        }
        if (low[frame.v] === index[frame.v]) {
          const component: number[] = [];
          let w: number;
          do {
            w = stack.pop() as number;
            onStack[w] = 0;
            component.push(w);
          } while (w !== frame.v);
          if (component.length > 1) result.push(component);
        }
      }
    }
    return result;
  }
}

/** One step of a found cycle: from → to by relation `rel`. */
export interface CycleStep {
  from: number;
  to: number;
  rel: number;
}

/**
 * A cycle shape as a tiny automaton over the relation of each step. `start` says which
 * relations may open the cycle (the search tries each such edge as the first step), `allowed`
 * which relations may follow, `step` the state after taking `rel` (or -1: not allowed), and
 * `accept` whether a cycle may close in that state (given the first step's relation).
 */
export interface CycleShape {
  name: string;
  allowed: number;
  start: number;
  states: number;
  initial: (rel: number) => number;
  step: (state: number, rel: number) => number;
  accept: (state: number, firstRel: number) => boolean;
}

/**
 * The one relation a pair of transactions is explained by when it has several: data
 * dependencies first (ww, then wr, then rw), then process order, then real time — the lowest
 * bit. A cycle is classified by these explanations, so a pair that is both rw and real-time
 * counts as rw (as in Elle's cycle explainer); searching with the same rule means every cycle
 * found has the shape it was searched for.
 */
export function explainedRel(bits: number): number {
  return bits & -bits;
}

function eachRel(bits: number, allowed: number, visit: (rel: number) => void): void {
  const rel = explainedRel(bits);
  if ((rel & allowed) !== 0) visit(rel);
}

/** Search budget shared by every cycle search of one check: a deadline and an injectable clock. */
export interface SearchBudget {
  deadline: number;
  now: () => number;
  /** Set when a search stopped at the deadline. */
  timedOut: boolean;
}

/**
 * The shortest cycle of `shape` inside one component, or null if there is none (or the budget
 * ran out: then `budget.timedOut` is set). Tries each opening edge in turn, and from it runs a BFS
 * over (slot, state) pairs back to the edge's source.
 */
export function findCycle(graph: DepGraph, component: readonly number[], shape: CycleShape, budget: SearchBudget): CycleStep[] | null {
  const members = new Set(component);
  const K = shape.states;
  // Generation-stamped visited marks: no reallocation per BFS.
  const n = graph.nodes.length;
  const stamp = new Int32Array(n * K);
  const parentState = new Int32Array(n * K);
  const parentRel = new Int32Array(n * K);
  let generation = 0;
  let checks = 0;
  for (const a of component) {
    for (const [b, bits] of graph.successors(a)) {
      if (!members.has(b)) continue;
      let found: CycleStep[] | null = null;
      eachRel(bits, shape.start, (firstRel) => {
        if (found) return;
        if ((checks++ & 63) === 0 && budget.now() > budget.deadline) {
          budget.timedOut = true;
          return;
        }
        generation += 1;
        const s0 = shape.initial(firstRel);
        if (s0 < 0) return;
        const queue: number[] = [b * K + s0];
        stamp[b * K + s0] = generation;
        parentState[b * K + s0] = -1;
        parentRel[b * K + s0] = firstRel;
        for (let head = 0; head < queue.length && !found; head++) {
          const code = queue[head];
          const v = Math.floor(code / K);
          const state = code % K;
          if (v === a && shape.accept(state, firstRel)) {
            found = rebuild(code, a, K, parentState, parentRel, firstRel);
            break;
          }
          for (const [w, wbits] of graph.successors(v)) {
            if (!members.has(w)) continue;
            eachRel(wbits, shape.allowed, (rel) => {
              const next = shape.step(state, rel);
              if (next < 0) return;
              const c = w * K + next;
              if (stamp[c] === generation) return;
              stamp[c] = generation;
              parentState[c] = code;
              parentRel[c] = rel;
              queue.push(c);
            });
          }
        }
      });
      if (budget.timedOut) return null;
      if (found) return found;
    }
  }
  return null;
}

function rebuild(code: number, start: number, K: number, parentState: Int32Array, parentRel: Int32Array, firstRel: number): CycleStep[] {
  const steps: CycleStep[] = [];
  let c = code;
  while (parentState[c] !== -1) {
    const p = parentState[c];
    steps.push({ from: Math.floor(p / K), to: Math.floor(c / K), rel: parentRel[c] });
    c = p;
  }
  steps.push({ from: start, to: Math.floor(c / K), rel: firstRel });
  return steps.reverse();
}
