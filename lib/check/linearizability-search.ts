/**
 * The Wing–Gong–Lowe linearizability search over one partition of a history (one key), in
 * the shape of Porcupine's `checkSingle`:
 *
 * - Every operation becomes a call entry and a return entry in one doubly linked list,
 *   ordered by time. The search walks the list from the head: a call entry whose operation
 *   the model accepts from the current state is "lifted" (the call and its return leave the
 *   list) and pushed on a stack; meeting a return entry means that operation had to be
 *   linearized by now and was not, so the search pops the last choice, puts its entries
 *   back ("unlifts") and tries the next call after it.
 * - A memo of (set of linearized operations as a bitset, model state) prunes paths that
 *   reach a configuration already explored.
 * - Exact prunes on top (each argued where it is applied, and in the README): no sibling after
 *   a lift that keeps the state, identical operations in interval order, dead reads, and
 *   operations that never returned lifted only where they can matter.
 *
 * Everything here is integers in typed arrays: model states are ids handed out by the
 * model compiler (lib/check/sequential-models.ts), so a step is a switch on a small code
 * and the memo key is a bitset plus one int. Operations that never returned have their
 * return entry at +infinity, after every real return: reaching one means every operation
 * left is one that never returned, and those may be left out, so the history is accepted.
 */
import { LinearizedStateSet } from './linearized-state-set';

/** Step codes: how an operation moves the model from a state (applied in `LinearizationSearch.run`). */
export const STEP_READ = 0; // legal iff state === a; the state does not change
export const STEP_NOOP = 1; // always legal; the state does not change (unknown read, failed write)
export const STEP_WRITE = 2; // state := a
export const STEP_CAS_OK = 3; // legal iff state === a; state := b
export const STEP_CAS_FAIL = 4; // legal iff state !== a; the state does not change
export const STEP_CAS_MAYBE = 5; // outcome unknown: state := (state === a ? b : state)
export const STEP_APPEND = 6; // state := append(state, a)

/**
 * 1 for the step codes that leave the state as it was wherever they are legal (a read, a failed
 * cas, a no-op). Lifting such an operation needs no alternative (see the pop in `run`). Not so a
 * write of the value the register already holds: elsewhere in an order it would change the state.
 */
const KEEPS_STATE = Uint8Array.from([1, 1, 0, 0, 1, 0, 0]);

/** One partition of a history, compiled to numbers. Operation i of the partition is index i. */
export interface SearchProblem {
  opCount: number;
  callTime: Float64Array;
  /** Infinity for an operation that never returned. */
  returnTime: Float64Array;
  kind: Uint8Array;
  argA: Int32Array;
  argB: Int32Array;
  /**
   * 1 for a returned operation whose outcome is unknown: it may have taken effect inside its
   * interval or not at all, so the search also tries it as a no-op.
   */
  mayBeNoEffect: Uint8Array;
  initialState: number;
  /** The state after appending value id `suffix` to state `state` (kv only). */
  append: (state: number, suffix: number) => number;
  /**
   * kv only (null for a register): false when state `state` is surely not a prefix of value
   * `value` (true may be a hash match only: a prune relies on false alone).
   */
  mayBePrefix: ((state: number, value: number) => boolean) | null;
}

export interface SearchLimits {
  /** Absolute deadline on the `now()` clock below, in ms. */
  deadlineMs: number;
  /** The most loop iterations before giving up with `steps`. */
  stepsMax: number;
  /** The most memory the memo may take before giving up with `memory`, bytes. */
  memoBytesMax: number;
  /** How a call and a return at the same time are ordered (see README: equal times). */
  equalTimes: 'concurrent' | 'return-first';
  /** The clock the deadline is measured on; wall-clock ms by default. */
  now: () => number;
}

/**
 * The deepest point the search reached: a linearizable prefix and what could not follow it.
 * "Deepest" counts the operations that surely happened (returned with a known outcome); on a
 * tie, the prefix that assumes fewer optional operations wins, as it is the easier to read.
 */
export interface DeepestPoint {
  /** Partition-local operation indices in linearization order. */
  order: number[];
  /** The model state after each operation of `order`. */
  states: number[];
  /** Operations not in `order` that were callable there (called before `blockingOp` returned). */
  candidates: number[];
  /** The operation whose return was reached while it was still not linearized. */
  blockingOp: number;
}

export interface SearchOutcome {
  verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  /**
   * Which limit turned the search into "unknown" ("abandoned": stopped because another key
   * failed; "states": the partition's own values outgrew statesMax before any search).
   */
  limitHit: 'time' | 'steps' | 'memory' | 'states' | 'abandoned' | null;
  /** A full linearization (local indices) when linearizable; operations left out are absent. */
  order: number[] | null;
  /** The state after each operation of `order`. */
  orderStates: number[] | null;
  /** For "not-linearizable": the longest linearizable prefix found (see `DeepestPoint`). */
  deepest: DeepestPoint | null;
  steps: number;
  memoEntries: number;
  /** Memory the memo held, bytes, and its widest stored window (words): see linearized-state-set.ts. */
  memoBytes: number;
  memoWindowWordsMax: number;
}

/** Deterministic per-operation random words for the incremental (Zobrist) bitset hash. */
export function zobristWords(count: number): Int32Array {
  let x = 0x2545f491;
  return new Int32Array(count).map(() => {
    // splitmix32: a full-period generator whose outputs are well mixed.
    // Stryker disable next-line ArithmeticOperator: any other full-period sequence hashes as well (the memo compares whole keys)
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return z ^ (z >>> 15);
  });
}

/**
 * Symmetry among identical operations (same step code, arguments, and both returned or both
 * not): swapping two of them in a linearization changes no state, so only the order of their
 * intervals matters. For two returned ones where one is called and returns before the other
 * (in list order), some linearization, if any exists, places the earlier one first: exchange them
 * and every real-time constraint still holds. For two that never returned, the earlier-called one
 * can always take the later one's place (and be the one kept when only some are linearized). So
 * the search only lifts an operation once its predecessor in such a chain is linearized. Returned
 * operations whose intervals nest go in separate chains. Returns each operation's predecessor's
 * rank, or -1.
 */
function identicalPredecessors(problem: SearchProblem, sorted: Int32Array, rank: Int32Array, retPos: Int32Array): Int32Array {
  const n = problem.opCount;
  const pred = new Int32Array(n).fill(-1);
  // Chain tails per group of identical operations, visited in call order.
  const tails = new Map<string, number[]>();
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    if ((e & 1) !== 0) continue;
    const op = e >> 1;
    const finite = problem.returnTime[op] !== Infinity;
    const key = `${problem.kind[op]},${problem.argA[op]},${problem.argB[op]},${problem.mayBeNoEffect[op]},${finite ? 1 : 0}`;
    let chain = tails.get(key);
    if (chain === undefined) {
      tails.set(key, [op]);
      continue;
    }
    if (!finite) {
      pred[op] = rank[chain[0]];
      chain[0] = op;
      continue;
    }
    // The chain whose last operation returned latest before this one returns (best fit). A new
    // chain starts only with an operation that returns before every chain's last one, and a chain
    // grows only by one that returns before the last of every chain older than it, so the chains'
    // last returns decrease from the oldest chain to the newest: the first that fits is the best,
    // and a binary search finds it (no cap on the number of chains, however deeply intervals nest).
    let lo = 0;
    let hi = chain.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      // Stryker disable next-line EqualityOperator: (<=) two operations' returns are never at the same position
      if (retPos[chain[mid]] < retPos[op]) hi = mid;
      else lo = mid + 1;
    }
    if (lo < chain.length) {
      pred[op] = rank[chain[lo]];
      chain[lo] = op;
    } else {
      chain.push(op);
    }
  }
  return pred;
}

/**
 * Orders the 2n entries by time. Ties: in "concurrent" mode a call at time t comes before a
 * return at t (the two operations overlap, as in Porcupine); in "return-first" mode a return at
 * t comes first (the earlier operation precedes the later one), except the return of an operation
 * that was itself called at t, which must still follow its own call.
 */
function sortEntries(problem: SearchProblem, equalTimes: 'concurrent' | 'return-first'): Int32Array {
  const n = problem.opCount;
  const events = Array.from({ length: 2 * n }, (_, i) => i);
  const timeOf = (e: number): number => ((e & 1) === 0 ? problem.callTime[e >> 1] : problem.returnTime[e >> 1]);
  const rankOf = (e: number, time: number): number => {
    if ((e & 1) === 0) return 1;
    if (equalTimes === 'concurrent') return 2;
    return problem.callTime[e >> 1] === time ? 2 : 0;
  };
  // Equal keys keep the input order (entry number): Array.prototype.sort is stable.
  events.sort((x, y) => {
    const tx = timeOf(x);
    const ty = timeOf(y);
    // Equal times give 0, or NaN when both are +infinity: either way the rank decides.
    return tx - ty || rankOf(x, tx) - rankOf(y, ty);
  });
  return Int32Array.from(events);
}

/**
 * One resumable search. `run(stepsBudget)` advances it by at most that many steps and
 * returns the outcome once it is decided, or null when the budget ran out first, so the
 * checker can interleave the keys of a kv history (see linearizability.ts).
 */
export class LinearizationSearch {
  private readonly problem: SearchProblem;
  private readonly limits: SearchLimits;
  private readonly n: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly nodeOp: Int32Array;
  private readonly nodeIsCall: Uint8Array;
  private readonly matchOf: Int32Array;
  private readonly zobrist: Int32Array;
  /** Each operation's rank by call time (never-returned ones last): the bit it sets. */
  private readonly rank: Int32Array;
  private readonly bits: Uint32Array;
  /** The first rank not linearized, and the highest bitset word with a bit set (-1: none). */
  private low = 0;
  private hiWord = -1;
  private readonly memo: LinearizedStateSet;
  private readonly stackNode: Int32Array;
  private readonly stackState: Int32Array;
  private readonly stackAlt: Uint8Array;
  /** 1 when the operation lifted there keeps the state wherever it is legal (KEEPS_STATE): no sibling is tried after it. */
  private readonly stackKeep: Uint8Array;
  /**
   * For an operation identical to an earlier one (same step, arguments and kind of return), the
   * rank of the one that must be linearized first, else -1 (see `identicalPredecessors`).
   */
  private readonly predRank: Int32Array;
  /**
   * The operations that can set the state to a value unrelated to the one before (write, put,
   * a cas that may succeed), by call: their call nodes in list order, each operation's index
   * there (-1: not one), and the first index not linearized (see `run`: the dead-read prune).
   */
  private readonly resetNodes: Int32Array;
  /** The rank of each of those operations, then the sentinel rank n (a bit never set). */
  private readonly resetRank: Int32Array;
  private readonly resetIndex: Int32Array;
  private firstReset = 0;
  private depth = 0;
  private state: number;
  private bitsHash = 0;
  private steps = 0;
  /** How many operations on the stack are optional (never returned, or unknown outcome). */
  private optionalDepth = 0;
  private bestMandatory = -1;
  private bestOptional = 0;
  /**
   * The deepest point so far, kept cheaply: a copy of the stack's nodes and states up to
   * `deepestDepth`, the state there, what was callable and the blocking operation. Only the part
   * of the stack popped since the last copy (from `dirtyFrom`) is copied again, since a search that
   * goes deep records a new deepest point after most backtracks and copying the whole stack each
   * time is quadratic in the history's length. The `DeepestPoint` is built once, at the end.
   */
  private readonly deepestNode: Int32Array;
  private readonly deepestStates: Int32Array;
  private deepestDepth = 0;
  private deepestState = 0;
  // Stryker disable next-line ArrayDeclaration: written at the first backtrack, before anything reads it
  private deepestCandidates: number[] = [];
  private deepestBlocking = 0;
  private dirtyFrom = 0;
  private node: number;
  private altFrom = 0;
  private outcome: SearchOutcome | null = null;

  constructor(problem: SearchProblem, limits: SearchLimits) {
    this.problem = problem;
    this.limits = limits;
    const n = problem.opCount;
    this.n = n;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    this.nodeOp = new Int32Array(2 * n + 2);
    this.nodeIsCall = new Uint8Array(2 * n + 2);
    this.matchOf = new Int32Array(2 * n + 2);
    // Node i + 1 is entry i in time order (node 0 is the head, 2n + 1 the tail). A call's node
    // is matched with its return's node, which always comes later; the calls of the operations
    // that can reset the state are indexed in list order (the dead-read prune).
    const sorted = sortEntries(problem, limits.equalTimes);
    const callNodeOf = new Int32Array(n);
    const retPos = new Int32Array(n);
    this.resetIndex = new Int32Array(n).fill(-1);
    const resets: number[] = [];
    for (let i = 0; i < 2 * n; i++) {
      const node = i + 1;
      const e = sorted[i];
      const op = e >> 1;
      this.nodeOp[node] = op;
      this.prev[node] = node - 1;
      this.next[node] = node + 1;
      if ((e & 1) === 0) {
        this.nodeIsCall[node] = 1;
        callNodeOf[op] = node;
        const k = problem.kind[op];
        if (k === STEP_WRITE || k === STEP_CAS_OK || k === STEP_CAS_MAYBE) {
          this.resetIndex[op] = resets.length;
          resets.push(node);
        }
      } else {
        this.matchOf[callNodeOf[op]] = node;
        retPos[op] = i;
      }
    }
    this.next[0] = 1;
    this.zobrist = zobristWords(n);
    // Ranks by call time keep the linearized set "a full prefix plus one concurrency window",
    // which is what makes the memo's keys small; operations that never returned go last, so one
    // left out for ever does not hold the prefix back. Equal calls keep the operations' order (a
    // stable sort).
    const byCall = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const fa = problem.returnTime[a] === Infinity ? 1 : 0;
      const fb = problem.returnTime[b] === Infinity ? 1 : 0;
      return fa - fb || problem.callTime[a] - problem.callTime[b];
    });
    this.rank = new Int32Array(n);
    byCall.forEach((op, r) => (this.rank[op] = r));
    // Each list ends in a sentinel, so neither the dead-read test nor the walk to the next write
    // not linearized needs a bounds check: a node after every node, and a rank whose bit is never
    // set (bit n, in the bitset's spare word).
    this.resetNodes = Int32Array.from([...resets, 2 * n + 2]);
    this.resetRank = Int32Array.from([...resets.map((node) => this.rank[this.nodeOp[node]]), n]);
    const wordCount = (n + 31) >>> 5;
    this.bits = new Uint32Array(wordCount + 1);
    this.memo = new LinearizedStateSet(limits.memoBytesMax);
    this.stackNode = new Int32Array(n);
    this.stackState = new Int32Array(n);
    this.stackAlt = new Uint8Array(n);
    this.stackKeep = new Uint8Array(n);
    this.deepestNode = new Int32Array(n);
    this.deepestStates = new Int32Array(n);
    this.predRank = identicalPredecessors(problem, sorted, this.rank, retPos);
    this.state = problem.initialState;
    this.node = this.next[0];
    if (n === 0) this.outcome = this.linearizable();
  }

  get stepsTaken(): number {
    return this.steps;
  }

  /** Ends an unfinished search as "unknown" (used when another key already failed). */
  abandon(): SearchOutcome {
    if (this.outcome === null) this.outcome = this.unknown('abandoned');
    return this.outcome;
  }

  run(stepsBudget: number): SearchOutcome | null {
    if (this.outcome !== null) return this.outcome;
    // The hot loop works on locals; fields are written back whenever it stops.
    const HEAD = 0;
    const TAIL = 2 * this.n + 1;
    const { next, prev, nodeOp, nodeIsCall, matchOf, zobrist, bits, memo, stackNode, stackState, stackAlt, stackKeep, predRank, problem, limits, rank } =
      this;
    const { resetNodes, resetRank, resetIndex } = this;
    const mayBePrefix = problem.mayBePrefix;
    const kind = problem.kind;
    const argA = problem.argA;
    const argB = problem.argB;
    const returnTime = problem.returnTime;
    const mayBeNoEffect = problem.mayBeNoEffect;
    const stepsMax = limits.stepsMax;
    let depth = this.depth;
    let optionalDepth = this.optionalDepth;
    let state = this.state;
    let bitsHash = this.bitsHash;
    let steps = this.steps;
    let node = this.node;
    let altFrom = this.altFrom;
    let low = this.low;
    let hiWord = this.hiWord;
    let firstReset = this.firstReset;
    let dirtyFrom = this.dirtyFrom;
    const stepsStop = steps + stepsBudget;
    const save = (): void => {
      this.depth = depth;
      this.optionalDepth = optionalDepth;
      this.state = state;
      this.bitsHash = bitsHash;
      this.steps = steps;
      this.node = node;
      this.altFrom = altFrom;
      this.low = low;
      this.hiWord = hiWord;
      this.firstReset = firstReset;
      this.dirtyFrom = dirtyFrom;
    };
    for (;;) {
      if ((steps & 1023) === 0) {
        if (limits.now() >= limits.deadlineMs) {
          save();
          return (this.outcome = this.unknown('time'));
        }
      }
      if (steps >= stepsStop) {
        save();
        return null;
      }
      if (steps >= stepsMax) {
        save();
        return (this.outcome = this.unknown('steps'));
      }
      steps++;
      if (node === TAIL) {
        save();
        return (this.outcome = this.linearizable());
      }
      // The operation that has no place after the current prefix (the search backtracks).
      let blocking: number;
      if (nodeIsCall[node] === 1) {
        const op = nodeOp[node];
        // An operation whose identical predecessor is not linearized yet waits for it.
        const pr = predRank[op];
        const altCount = pr >= 0 && (bits[pr >>> 5] & (1 << (pr & 31))) === 0 ? 0 : mayBeNoEffect[op] === 1 ? 2 : 1;
        let placed = false;
        let illegal = false;
        for (let alt = altFrom; alt < altCount; alt++) {
          let nextState: number;
          if (alt === 1) {
            nextState = state;
          } else {
            // The common step codes inline; append goes through the model.
            const a = argA[op];
            switch (kind[op]) {
              case STEP_READ:
                nextState = state === a ? state : -1;
                break;
              case STEP_NOOP:
                nextState = state;
                break;
              case STEP_WRITE:
                nextState = a;
                break;
              case STEP_CAS_OK:
                nextState = state === a ? argB[op] : -1;
                break;
              case STEP_CAS_FAIL:
                nextState = state !== a ? state : -1;
                break;
              case STEP_CAS_MAYBE:
                nextState = state === a ? argB[op] : state;
                break;
              default:
                nextState = problem.append(state, a);
            }
          }
          if (nextState < 0) {
            illegal = true;
            continue;
          }
          if (returnTime[op] === Infinity) {
            // An operation that never returned may be left out. Lifted where it changes nothing,
            // it is useless: the configuration without it has the same state and more choices.
            // Lifted where it leads to state s', it is useless too when the current set with
            // state s' was already explored (s' is not the current state, so that is not a
            // configuration on the current path: it failed), because every order that works
            // after the lift works there as well, the operation left pending.
            if (nextState === state || memo.has(bitsHash, nextState, bits, low, hiWord)) continue;
          }
          const r = rank[op];
          const word = r >>> 5;
          const mask = 1 << (r & 31);
          bits[word] |= mask;
          let newLow = low;
          if (r === low) {
            // The first zero bit after r: the next operation not yet linearized.
            let w = word;
            let x = ~bits[w] & (-1 << (r & 31));
            while (x === 0) x = ~bits[++w];
            newLow = (w << 5) + (31 - Math.clz32(x & -x));
          }
          const newHi = Math.max(word, hiWord);
          const added = memo.add(bitsHash ^ zobrist[op], nextState, bits, newLow, newHi);
          if (added === 1) {
            low = newLow;
            hiWord = newHi;
            stackNode[depth] = node;
            stackState[depth] = state;
            stackAlt[depth] = alt;
            stackKeep[depth] = KEEPS_STATE[kind[op]];
            depth++;
            if (returnTime[op] === Infinity || mayBeNoEffect[op] === 1) optionalDepth++;
            state = nextState;
            bitsHash ^= zobrist[op];
            const ri = resetIndex[op];
            if (ri === firstReset) {
              // On to the next write not linearized; the sentinel's bit is never set.
              firstReset++;
              while ((bits[resetRank[firstReset] >>> 5] & (1 << (resetRank[firstReset] & 31))) !== 0) firstReset++;
            }
            // Lift the call and its return out of the list.
            const ret = matchOf[node];
            next[prev[node]] = next[node];
            prev[next[node]] = prev[node];
            next[prev[ret]] = next[ret];
            prev[next[ret]] = prev[ret];
            placed = true;
            break;
          }
          bits[word] &= ~mask;
          if (added < 0) {
            save();
            return (this.outcome = this.unknown('memory'));
          }
        }
        altFrom = 0;
        if (placed) {
          node = next[HEAD];
          continue;
        }
        // A read that does not fit now, and no operation that could reset the state can come
        // before its return: only appends may, and they only lengthen the state, so it must be a
        // prefix of what the read returned. When it is not (a register: whatever the state is),
        // the read can never fit, so this configuration is dead. The same for a failed cas
        // whose expected value the register holds. (Exact: see the README's search section.) The
        // only other step that can be illegal, a successful cas, is itself a write not yet
        // linearized and called before its own return, so the clause on writes keeps it.
        const k = kind[op];
        if (
          !illegal ||
          depth === 0 ||
          // Stryker disable next-line ConditionalExpression: (false) compiled problems hold no read or failed cas that never returned (no output: a no-op or a maybe-cas); the true variant is killed (checked by hand)
          returnTime[op] === Infinity ||
          // Stryker disable next-line EqualityOperator: (<=) two nodes are never equal (the sentinel is past the tail); >= is killed (checked by hand)
          resetNodes[firstReset] < matchOf[node] ||
          // Stryker disable next-line ConditionalExpression: (k === STEP_READ → true) a failed cas exists only in a register, where mayBePrefix is null; the other variants are killed (checked by hand)
          (k === STEP_READ && mayBePrefix !== null && mayBePrefix(state, argA[op]))
        ) {
          node = next[node];
          continue;
        }
        blocking = op;
      } else {
        const op = nodeOp[node];
        // Every entry still in the list before this one is the call of an operation that never
        // returned (a finite return would have come first), so leaving them all out is allowed.
        if (returnTime[op] === Infinity) {
          save();
          return (this.outcome = this.linearizable());
        }
        blocking = op;
      }
      // The counterexample is the prefix with the most operations that surely happened; among
      // those, the one that assumes the fewest optional operations is the easiest to read.
      const mandatory = depth - optionalDepth;
      if (mandatory > this.bestMandatory || (mandatory === this.bestMandatory && optionalDepth < this.bestOptional)) {
        save();
        this.bestMandatory = mandatory;
        this.bestOptional = optionalDepth;
        this.recordDeepest(blocking);
        dirtyFrom = this.dirtyFrom;
      }
      // Pop the last choice and try the next candidate after it. A lift of an operation that
      // changes no state wherever it is legal (KEEPS_STATE) needs no sibling: from the
      // configuration before it, any order that works can be rewritten to start with that
      // operation (it is callable there and fits the state; taken out of its later place it
      // changed nothing; one that never returned may be added), and none did, so that
      // configuration is dead too and the pop goes on.
      for (;;) {
        if (depth === 0) {
          save();
          return (this.outcome = {
            verdict: 'not-linearizable',
            limitHit: null,
            order: null,
            orderStates: null,
            deepest: this.deepestPoint(),
            steps,
            memoEntries: memo.size,
            memoBytes: memo.bytes,
            memoWindowWordsMax: memo.widestWindowWords,
          });
        }
        depth--;
        dirtyFrom = Math.min(dirtyFrom, depth);
        const top = stackNode[depth];
        const topOp = nodeOp[top];
        if (returnTime[topOp] === Infinity || mayBeNoEffect[topOp] === 1) optionalDepth--;
        state = stackState[depth];
        const topRank = rank[topOp];
        bits[topRank >>> 5] &= ~(1 << (topRank & 31));
        low = Math.min(low, topRank);
        // Down to the highest word with a bit set; bits[-1] is undefined, so an empty set stops at -1.
        while (bits[hiWord] === 0) hiWord--;
        bitsHash ^= zobrist[topOp];
        const ri = resetIndex[topOp];
        if (ri >= 0) firstReset = Math.min(firstReset, ri);
        // Unlift in the reverse order of the lift, so the saved links are exact.
        const ret = matchOf[top];
        next[prev[ret]] = ret;
        prev[next[ret]] = ret;
        next[prev[top]] = top;
        prev[next[top]] = top;
        if (stackKeep[depth] === 1) continue;
        const alt = stackAlt[depth];
        if (alt + 1 < (mayBeNoEffect[topOp] === 1 ? 2 : 1)) {
          node = top;
          // Stryker disable next-line ArithmeticOperator: from -1, alternative 0 is tried again, but the memo already holds it, so alternative 1 follows in the same step
          altFrom = alt + 1;
        } else {
          node = next[top];
          altFrom = 0;
        }
        break;
      }
    }
  }

  private currentOrder(): { order: number[]; states: number[] } {
    const depth = this.depth;
    const order: number[] = [];
    const states: number[] = [];
    for (let i = 0; i < depth; i++) {
      order.push(this.nodeOp[this.stackNode[i]]);
      states.push(i + 1 < depth ? this.stackState[i + 1] : this.state);
    }
    return { order, states };
  }

  /** Copies the current point (see `deepestNode`); the caller has saved the loop's locals. */
  private recordDeepest(blockingOp: number): void {
    const depth = this.depth;
    const from = Math.min(this.dirtyFrom, this.deepestDepth);
    this.deepestNode.set(this.stackNode.subarray(from, depth), from);
    this.deepestStates.set(this.stackState.subarray(from, depth), from);
    this.dirtyFrom = depth;
    this.deepestDepth = depth;
    this.deepestState = this.state;
    this.deepestBlocking = blockingOp;
    const candidates: number[] = [];
    // The tail is not a call, so the walk stops there at the latest.
    for (let e = this.next[0]; this.nodeIsCall[e] === 1; e = this.next[e]) candidates.push(this.nodeOp[e]);
    this.deepestCandidates = candidates;
  }

  /** Only for a search that failed, which recorded a deepest point at its first backtrack. */
  private deepestPoint(): DeepestPoint {
    const depth = this.deepestDepth;
    const order: number[] = [];
    const states: number[] = [];
    for (let i = 0; i < depth; i++) {
      order.push(this.nodeOp[this.deepestNode[i]]);
      states.push(i + 1 < depth ? this.deepestStates[i + 1] : this.deepestState);
    }
    return { order, states, candidates: this.deepestCandidates, blockingOp: this.deepestBlocking };
  }

  private linearizable(): SearchOutcome {
    const { order, states } = this.currentOrder();
    return { verdict: 'linearizable', limitHit: null, order, orderStates: states, deepest: null, steps: this.steps, memoEntries: this.memo.size, memoBytes: this.memo.bytes, memoWindowWordsMax: this.memo.widestWindowWords };
  }

  private unknown(limitHit: 'time' | 'steps' | 'memory' | 'abandoned'): SearchOutcome {
    return { verdict: 'unknown', limitHit, order: null, orderStates: null, deepest: null, steps: this.steps, memoEntries: this.memo.size, memoBytes: this.memo.bytes, memoWindowWordsMax: this.memo.widestWindowWords };
  }
}
