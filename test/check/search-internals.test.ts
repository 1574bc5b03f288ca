// Proves the search's internals one at a time: the exact prunes, the memo key, the chains of
// identical operations, the time order and its tie rules, slices, the clock and the limits, and the
// deepest point kept for counterexamples. The prunes are exact, so a verdict cannot show that one
// stopped working (or that a bound moved by one): what the search did can. Each case below runs
// lib/check/linearizability-search.ts directly on a tiny history and pins down everything it
// reports: verdict, linearization and its states, the deepest point, search steps, memo entries
// and bytes, how often a sliced run paused and how often it read the clock. Each history is the
// smallest one (found by running the search and a changed copy side by side on random histories,
// then dropping operations while they still disagree) on which the named part of the search makes
// a difference, so switching that part off, or moving its bound, fails the case. A change that makes
// the search do less work (a new prune) changes these numbers legitimately: re-derive them then.
import { describe, expect, it } from 'vitest';
import type { CheckedOperation } from '../../lib/check';
import { LinearizationSearch, zobristWords } from '../../lib/check/linearizability-search';
import { compilePartition } from '../../lib/check/sequential-models';

/** [call, return (null: never returned), input, output] of the operation with process = its index. */
type Op = [number, number | null, CheckedOperation['input'], CheckedOperation['output']];

interface Run {
  equalTimes?: 'concurrent' | 'return-first';
  /** Steps per `run` call (the checker's slices); unlimited by default. */
  slice?: number;
  stepsMax?: number;
  memoBytesMax?: number;
  /** Deadline on a fake clock that advances 1 ms per reading. */
  deadlineMs?: number;
}

function searchOf(model: 'register' | 'kv', ops: Op[], run: Run) {
  const history = ops.map(([call, ret, input, output], process) => ({ process, call, return: ret, input, output }) as CheckedOperation);
  const compiled = compilePartition(model, model === 'kv' ? 'k' : null, history, history.map((_, i) => i), 1000);
  let clockReadings = 0;
  const search = new LinearizationSearch(compiled.problem, {
    deadlineMs: run.deadlineMs ?? 1e12,
    stepsMax: run.stepsMax ?? 200_000,
    memoBytesMax: run.memoBytesMax ?? 1 << 24,
    equalTimes: run.equalTimes ?? 'concurrent',
    now: () => clockReadings++,
  });
  const slice = run.slice ?? 1e9;
  const pausedAt: number[] = [];
  let outcome = search.run(slice);
  while (outcome === null) {
    pausedAt.push(search.stepsTaken);
    outcome = search.run(slice);
  }
  expect(search.run(slice)).toBe(outcome); // a decided search answers the same again
  return { ...outcome, pauses: pausedAt.length, lastPauses: pausedAt.slice(-3), clockReadings };
}

describe('the Zobrist words that hash the linearized set', () => {
  it('are non-zero and pairwise distinct, so different sets rarely share a memo hash', () => {
    const words = zobristWords(4096);
    expect(words.length).toBe(4096);
    expect(words.every((x) => x !== 0)).toBe(true);
    expect(new Set(words).size).toBe(4096);
  });
});

describe('a search object answers once and keeps its answer', () => {
  const limits = { deadlineMs: 1e12, stepsMax: 1e6, memoBytesMax: 1 << 20, equalTimes: 'concurrent' as const, now: () => 0 };
  const compiled = (ops: Op[]) => {
    const history = ops.map(([call, ret, input, output], process) => ({ process, call, return: ret, input, output }) as CheckedOperation);
    return compilePartition('register', null, history, history.map((_, i) => i), 1000).problem;
  };
  it('an empty partition is linearizable before any step', () => {
    const search = new LinearizationSearch(compiled([]), limits);
    const outcome = search.run(1);
    expect(outcome).toMatchObject({ verdict: 'linearizable', order: [], steps: 0, memoEntries: 0 });
    expect(search.stepsTaken).toBe(0);
  });
  it('abandoning a decided search keeps its verdict; abandoning an undecided one makes it "unknown" (abandoned) for good', () => {
    const ops: Op[] = [[0, 1, { f: 'write', value: 1 }, {}], [2, 3, { f: 'read' }, { value: 1 }]];
    const decided = new LinearizationSearch(compiled(ops), limits);
    const outcome = decided.run(100);
    expect(outcome?.verdict).toBe('linearizable');
    expect(decided.abandon()).toBe(outcome);
    const undecided = new LinearizationSearch(compiled(ops), limits);
    expect(undecided.run(1)).toBeNull();
    const abandoned = undecided.abandon();
    expect(abandoned).toMatchObject({ verdict: 'unknown', limitHit: 'abandoned', steps: 1 });
    expect(undecided.abandon()).toBe(abandoned);
    expect(undecided.run(100)).toBe(abandoned);
  });
});

describe("a lift that keeps the state (read, failed cas, no-op) needs no sibling: the pop goes on past it", () => {
  it("kv: 2 append, 2 get", () => {
    const ops: Op[] = [
      [0,5,{"f":"append","key":"k","value":"a"},{}],
      [9,12,{"f":"get","key":"k"},{"value":"ab"}],
      [4,5,{"f":"append","key":"k","value":"a"},{}],
      [7,13,{"f":"get","key":"k"},{"value":"aa"}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 2, 3], "states": [1, 3, 3], "candidates": [1], "blockingOp": 1}, "steps": 7, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("identical operations are lifted in interval order (chains of predecessors)", () => {
  it("kv: 2 append, 1 get", () => {
    const ops: Op[] = [
      [0,5,{"f":"append","key":"k","value":"a"},{}],
      [9,12,{"f":"get","key":"k"},{"value":"ab"}],
      [4,5,{"f":"append","key":"k","value":"a"},{}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 2], "states": [1, 3], "candidates": [1], "blockingOp": 1}, "steps": 6, "memoEntries": 2, "memoBytes": 64, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 1 read, 1 write", () => {
    const ops: Op[] = [
      [6,null,{"f":"write","value":1},null],
      [9,10,{"f":"read"},{"value":null}],
      [2,7,{"f":"write","value":1},{}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [2], "states": [1], "candidates": [0, 1], "blockingOp": 1}, "steps": 9, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("kv: 1 get, 2 put", () => {
    const ops: Op[] = [
      [5,10,{"f":"get","key":"k"},{"value":"ab"}],
      [8,13,{"f":"put","key":"k","value":"b"},{}],
      [8,9,{"f":"put","key":"k","value":"b"},{}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1, 2], "states": [2, 2], "candidates": [0], "blockingOp": 0}, "steps": 11, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 read, 2 never-returned write", () => {
    const ops: Op[] = [
      [3,4,{"f":"read"},{"value":3}],
      [1,null,{"f":"write","value":2},null],
      [0,null,{"f":"write","value":2},null],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [], "states": [], "candidates": [2, 1, 0], "blockingOp": 0}, "steps": 7, "memoEntries": 1, "memoBytes": 32, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 read, 3 write", () => {
    const ops: Op[] = [
      [4,10,{"f":"read"},{"value":1}],
      [1,3,{"f":"write","value":2},{}],
      [0,6,{"f":"write","value":2},{}],
      [2,7,{"f":"write","value":2},{}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [2, 1, 3], "states": [2, 2, 2], "candidates": [0], "blockingOp": 0}, "steps": 17, "memoEntries": 5, "memoBytes": 160, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 4 write, 4 read, 1 cas", () => {
    const ops: Op[] = [
      [25,27,{"f":"write","value":3},{}],
      [28,31,{"f":"read"},{"value":3}],
      [29,30,{"f":"read"},{"value":3}],
      [33,37,{"f":"write","value":2},{}],
      [36,38,{"f":"write","value":3},{}],
      [39,44,{"f":"read"},{"value":3}],
      [40,44,{"f":"write","value":3},{}],
      [43,48,{"f":"read"},{"value":3}],
      [94,98,{"f":"cas","from":1,"to":3},{"ok":true}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 1, 2, 3, 4, 5, 6, 7], "states": [1, 1, 1, 2, 1, 1, 1, 1], "candidates": [8], "blockingOp": 8}, "steps": 26, "memoEntries": 12, "memoBytes": 384, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 3 write, 1 read", () => {
    const ops: Op[] = [
      [2,3,{"f":"write","value":2},{}],
      [3,4,{"f":"write","value":2},{}],
      [0,4,{"f":"write","value":2},{}],
      [2,6,{"f":"read"},{"value":null}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [3, 2, 0, 1], "orderStates": [0, 1, 1, 1], "deepest": null, "steps": 22, "memoEntries": 9, "memoBytes": 288, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("calls and returns are ordered by time, ties by the equal-times rule", () => {
  it("kv: 1 put", () => {
    const ops: Op[] = [
      [8,12,{"f":"put","key":"k","value":"b"},{}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0], "orderStates": [1], "deepest": null, "steps": 2, "memoEntries": 1, "memoBytes": 32, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("the list, ranks and write index the search starts from", () => {
  it("kv: 1 put, 1 get", () => {
    const ops: Op[] = [
      [4,6,{"f":"put","key":"k","value":"b"},{}],
      [4,9,{"f":"get","key":"k"},{"value":""}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [1, 0], "orderStates": [0, 1], "deepest": null, "steps": 5, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 1 cas, 1 read; equalTimes return-first", () => {
    const ops: Op[] = [
      [4,null,{"f":"write","value":3},null],
      [2,7,{"f":"cas","from":3,"to":2},{"ok":true}],
      [6,9,{"f":"read"},{"value":null}],
    ];
    expect(searchOf("register", ops, {"equalTimes": "return-first"})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [2, 0, 1], "orderStates": [0, 1, 2], "deepest": null, "steps": 11, "memoEntries": 5, "memoBytes": 160, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 2 cas, 16 read, 12 write, 2 failed cas", () => {
    const ops: Op[] = [
      [28,null,{"f":"write","value":2},null],
      [80,85,{"f":"cas","from":3,"to":2},{"ok":true}],
      [83,85,{"f":"read"},{"value":3}],
      [86,87,{"f":"read"},{"value":3}],
      [88,93,{"f":"write","value":3},{}],
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [97,101,{"f":"read"},{"value":1}],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [117,119,{"f":"read"},{"value":1}],
      [119,122,{"f":"read"},{"value":1}],
      [120,121,{"f":"read"},{"value":1}],
      [128,132,{"f":"write","value":2},{}],
      [130,134,{"f":"read"},{"value":2}],
      [131,136,{"f":"read"},{"value":2}],
      [134,138,{"f":"read"},{"value":2}],
      [134,137,{"f":"write","value":3},{}],
      [136,140,{"f":"write","value":2},{}],
      [142,145,{"f":"write","value":1},{}],
      [144,145,{"f":"write","value":1},{}],
      [145,148,{"f":"read"},{"value":1}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [150,154,{"f":"write","value":2},{}],
      [154,156,{"f":"read"},{"value":2}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [], "states": [], "candidates": [0, 1, 2], "blockingOp": 1}, "steps": 7, "memoEntries": 1, "memoBytes": 36, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 29 read, 26 write, 6 cas, 2 never-returned write, 1 never-returned read, 1 failed cas", () => {
    const ops: Op[] = [
      [4,6,{"f":"read"},{"value":null}],
      [5,9,{"f":"write","value":3},{}],
      [8,10,{"f":"write","value":3},{}],
      [10,15,{"f":"read"},{"value":3}],
      [11,14,{"f":"write","value":3},{}],
      [13,16,{"f":"read"},{"value":3}],
      [15,17,{"f":"cas","from":3,"to":3},{"ok":true}],
      [17,19,{"f":"write","value":3},{}],
      [19,20,{"f":"read"},{"value":3}],
      [20,24,{"f":"write","value":3},{}],
      [24,25,{"f":"write","value":3},{}],
      [25,26,{"f":"write","value":2},{}],
      [26,30,{"f":"read"},{"value":3}],
      [28,30,{"f":"write","value":1},{}],
      [31,33,{"f":"read"},{"value":1}],
      [32,37,{"f":"write","value":2},{}],
      [35,38,{"f":"read"},{"value":2}],
      [36,38,{"f":"read"},{"value":2}],
      [40,null,{"f":"write","value":1},null],
      [40,41,{"f":"read"},{"value":1}],
      [44,47,{"f":"write","value":2},{}],
      [44,49,{"f":"write","value":1},{}],
      [47,52,{"f":"write","value":2},{}],
      [49,52,{"f":"write","value":2},{}],
      [50,51,{"f":"write","value":3},{}],
      [52,56,{"f":"read"},{"value":3}],
      [54,59,{"f":"cas","from":3,"to":1},{"ok":true}],
      [58,60,{"f":"read"},{"value":3}],
      [59,64,{"f":"read"},{"value":3}],
      [60,62,{"f":"read"},{"value":3}],
      [62,65,{"f":"write","value":3},{}],
      [66,71,{"f":"write","value":2},{}],
      [67,69,{"f":"read"},{"value":2}],
      [68,73,{"f":"read"},{"value":2}],
      [71,72,{"f":"read"},{"value":2}],
      [72,76,{"f":"cas","from":1,"to":1},{"ok":true}],
      [74,79,{"f":"write","value":3},{}],
      [76,80,{"f":"read"},{"value":3}],
      [79,83,{"f":"read"},{"value":3}],
      [81,85,{"f":"read"},{"value":3}],
      [82,87,{"f":"cas","from":1,"to":3},{"ok":true}],
      [84,null,{"f":"read"},null],
      [88,92,{"f":"read"},{"value":3}],
      [88,null,{"f":"write","value":1},null],
      [92,93,{"f":"read"},{"value":1}],
      [94,97,{"f":"write","value":2},{}],
      [96,101,{"f":"read"},{"value":2}],
      [98,103,{"f":"read"},{"value":2}],
      [98,99,{"f":"write","value":2},{}],
      [102,106,{"f":"write","value":1},{}],
      [104,107,{"f":"write","value":1},{}],
      [105,106,{"f":"write","value":2},{}],
      [108,110,{"f":"read"},{"value":2}],
      [110,112,{"f":"write","value":2},{}],
      [110,112,{"f":"cas","from":3,"to":1},{"ok":true}],
      [113,115,{"f":"write","value":3},{}],
      [114,117,{"f":"write","value":2},{}],
      [117,120,{"f":"cas","from":2,"to":3},{"ok":true}],
      [118,121,{"f":"read"},{"value":2}],
      [122,123,{"f":"cas","from":2,"to":2},{"ok":false}],
      [124,127,{"f":"write","value":1},{}],
      [126,129,{"f":"read"},{"value":1}],
      [126,131,{"f":"read"},{"value":1}],
      [128,130,{"f":"read"},{"value":1}],
      [131,134,{"f":"read"},{"value":1}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 26, 30, 28, 29, 31, 32, 33, 34, 36, 37], "states": [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 2, 2, 2, 3, 3, 2, 3, 2, 2, 1, 1, 1, 3, 1, 1, 1, 2, 2, 2, 2, 1, 1], "candidates": [35], "blockingOp": 35}, "steps": 144, "memoEntries": 63, "memoBytes": 2140, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 13 write, 2 cas, 16 read, 2 failed cas", () => {
    const ops: Op[] = [
      [80,84,{"f":"write","value":3},{}],
      [80,85,{"f":"cas","from":3,"to":2},{"ok":true}],
      [83,85,{"f":"read"},{"value":3}],
      [86,87,{"f":"read"},{"value":3}],
      [88,93,{"f":"write","value":3},{}],
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [97,101,{"f":"read"},{"value":1}],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [117,119,{"f":"read"},{"value":1}],
      [119,122,{"f":"read"},{"value":1}],
      [120,121,{"f":"read"},{"value":1}],
      [128,132,{"f":"write","value":2},{}],
      [130,134,{"f":"read"},{"value":2}],
      [131,136,{"f":"read"},{"value":2}],
      [134,138,{"f":"read"},{"value":2}],
      [134,137,{"f":"write","value":3},{}],
      [136,140,{"f":"write","value":2},{}],
      [142,145,{"f":"write","value":1},{}],
      [144,145,{"f":"write","value":1},{}],
      [145,148,{"f":"read"},{"value":1}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [150,154,{"f":"write","value":2},{}],
      [154,156,{"f":"read"},{"value":2}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 2, 1], "states": [1, 1, 2], "candidates": [3], "blockingOp": 3}, "steps": 10, "memoEntries": 4, "memoBytes": 128, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("slices, the fake clock and the step limit", () => {
  it("kv: 1 put; slice 1", () => {
    const ops: Op[] = [
      [8,12,{"f":"put","key":"k","value":"b"},{}],
    ];
    expect(searchOf("kv", ops, {"slice": 1})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0], "orderStates": [1], "deepest": null, "steps": 2, "memoEntries": 1, "memoBytes": 32, "memoWindowWordsMax": 1, "pauses": 1, "lastPauses": [1], "clockReadings": 1});
  });
  it("kv: 1 append, 1 put", () => {
    const ops: Op[] = [
      [2,7,{"f":"append","key":"k","value":"b"},{}],
      [8,12,{"f":"put","key":"k","value":"b"},{}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0, 1], "orderStates": [1, 1], "deepest": null, "steps": 3, "memoEntries": 2, "memoBytes": 64, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 2 never-returned cas, 9 write, 10 read, 2 cas, 2 failed cas, 1 never-returned read; deadlineMs 2", () => {
    const ops: Op[] = [
      [43,null,{"f":"write","value":3},null],
      [46,null,{"f":"cas","from":3,"to":2},null],
      [65,69,{"f":"write","value":2},{}],
      [74,null,{"f":"cas","from":2,"to":1},null],
      [79,83,{"f":"read"},{"value":2}],
      [80,84,{"f":"read"},{"value":2}],
      [82,84,{"f":"write","value":1},{}],
      [84,89,{"f":"write","value":3},{}],
      [88,90,{"f":"cas","from":1,"to":3},{"ok":true}],
      [90,92,{"f":"read"},{"value":3}],
      [90,94,{"f":"read"},{"value":2}],
      [94,96,{"f":"write","value":2},{}],
      [98,103,{"f":"write","value":2},{}],
      [99,100,{"f":"cas","from":3,"to":2},{"ok":false}],
      [101,104,{"f":"write","value":2},{}],
      [102,105,{"f":"write","value":1},{}],
      [106,null,{"f":"read"},null],
      [107,112,{"f":"read"},{"value":1}],
      [109,113,{"f":"write","value":1},{}],
      [110,115,{"f":"cas","from":1,"to":1},{"ok":true}],
      [114,119,{"f":"read"},{"value":1}],
      [115,118,{"f":"write","value":2},{}],
      [116,119,{"f":"read"},{"value":2}],
      [119,122,{"f":"cas","from":2,"to":3},{"ok":false}],
      [120,122,{"f":"read"},{"value":2}],
      [128,133,{"f":"read"},{"value":1}],
      [134,136,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {"deadlineMs": 2})).toEqual({"verdict": "unknown", "limitHit": "time", "order": null, "orderStates": null, "deepest": null, "steps": 2048, "memoEntries": 543, "memoBytes": 17376, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 3});
  });
});

describe("what is tried at a call: the step codes, unknown outcomes, never-returned operations", () => {
  it("register: 1 write, 2 read, 1 failed write", () => {
    const ops: Op[] = [
      [0,6,{"f":"write","value":3},{}],
      [8,13,{"f":"read"},{"value":2}],
      [2,8,{"f":"read"},{"value":3}],
      [5,8,{"f":"write","value":3},{"ok":false}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 2, 3], "states": [1, 1, 1], "candidates": [1], "blockingOp": 1}, "steps": 11, "memoEntries": 5, "memoBytes": 160, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned read", () => {
    const ops: Op[] = [
      [7,null,{"f":"read"},null],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [], "orderStates": [], "deepest": null, "steps": 2, "memoEntries": 0, "memoBytes": 0, "memoWindowWordsMax": 0, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("kv: 1 never-returned get", () => {
    const ops: Op[] = [
      [2,null,{"f":"get","key":"k"},null],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [], "orderStates": [], "deepest": null, "steps": 2, "memoEntries": 0, "memoBytes": 0, "memoWindowWordsMax": 0, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("the memo key: the linearized set (first gap, highest word) and state", () => {
  it("register: 1 read, 1 failed write, 1 never-returned write", () => {
    const ops: Op[] = [
      [8,13,{"f":"read"},{"value":2}],
      [5,8,{"f":"write","value":3},{"ok":false}],
      [4,null,{"f":"write","value":1},null],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1], "states": [0], "candidates": [2, 0], "blockingOp": 0}, "steps": 7, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("kv: 1 get, 1 append, 3 put", () => {
    const ops: Op[] = [
      [5,10,{"f":"get","key":"k"},{"value":"ab"}],
      [0,1,{"f":"append","key":"k","value":"b"},{}],
      [7,9,{"f":"put","key":"k","value":"b"},{}],
      [8,13,{"f":"put","key":"k","value":"b"},{}],
      [8,9,{"f":"put","key":"k","value":"b"},{}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1, 2, 3, 4], "states": [2, 2, 2, 2], "candidates": [0], "blockingOp": 0}, "steps": 22, "memoEntries": 6, "memoBytes": 192, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 write, 1 read, 1 failed write", () => {
    const ops: Op[] = [
      [0,6,{"f":"write","value":3},{}],
      [8,13,{"f":"read"},{"value":2}],
      [5,8,{"f":"write","value":3},{"ok":false}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 2], "states": [1, 1], "candidates": [1], "blockingOp": 1}, "steps": 6, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 read, 1 failed write, 1 never-returned write (case 2)", () => {
    const ops: Op[] = [
      [2,8,{"f":"read"},{"value":3}],
      [5,8,{"f":"write","value":3},{"ok":false}],
      [4,null,{"f":"write","value":1},null],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1], "states": [0], "candidates": [0, 2], "blockingOp": 0}, "steps": 8, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 write, 1 read, 1 never-returned write", () => {
    const ops: Op[] = [
      [0,6,{"f":"write","value":3},{}],
      [8,13,{"f":"read"},{"value":2}],
      [4,null,{"f":"write","value":1},null],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0], "states": [1], "candidates": [2, 1], "blockingOp": 1}, "steps": 10, "memoEntries": 4, "memoBytes": 128, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("kv: 1 get, 1 put, 1 unknown put", () => {
    const ops: Op[] = [
      [4,8,{"f":"get","key":"k"},{"value":"aa"}],
      [6,10,{"f":"put","key":"k","value":"a"},{}],
      [7,8,{"f":"put","key":"k","value":"b"},null],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1], "states": [2], "candidates": [0, 2], "blockingOp": 0}, "steps": 18, "memoEntries": 5, "memoBytes": 160, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 3 never-returned write, 19 write, 3 cas, 9 read, 3 failed cas", () => {
    const ops: Op[] = [
      [26,null,{"f":"write","value":3},null],
      [38,40,{"f":"write","value":1},{}],
      [44,47,{"f":"write","value":2},{}],
      [48,53,{"f":"cas","from":3,"to":2},{"ok":true}],
      [49,50,{"f":"write","value":1},{}],
      [51,52,{"f":"read"},{"value":1}],
      [54,59,{"f":"write","value":1},{}],
      [56,59,{"f":"cas","from":1,"to":3},{"ok":false}],
      [58,63,{"f":"write","value":1},{}],
      [60,65,{"f":"write","value":1},{}],
      [60,64,{"f":"write","value":2},{}],
      [64,65,{"f":"write","value":3},{}],
      [66,69,{"f":"write","value":3},{}],
      [66,71,{"f":"write","value":3},{}],
      [69,73,{"f":"read"},{"value":3}],
      [72,74,{"f":"write","value":3},{}],
      [73,74,{"f":"cas","from":1,"to":1},{"ok":false}],
      [74,77,{"f":"write","value":1},{}],
      [80,84,{"f":"write","value":3},{}],
      [80,85,{"f":"cas","from":3,"to":2},{"ok":true}],
      [83,85,{"f":"read"},{"value":3}],
      [86,87,{"f":"read"},{"value":3}],
      [88,93,{"f":"write","value":3},{}],
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [96,null,{"f":"write","value":1},null],
      [97,101,{"f":"read"},{"value":1}],
      [99,null,{"f":"write","value":2},null],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1, 2, 4, 5, 0, 3, 7, 6, 8, 9, 10, 11, 12, 13, 14, 16, 17, 15, 19, 18, 20, 21, 22, 24, 23, 28, 25, 26, 29, 30, 31, 32, 33, 27, 35, 34], "states": [2, 3, 2, 2, 1, 3, 3, 2, 2, 2, 3, 1, 1, 1, 1, 1, 2, 1, 3, 1, 1, 1, 1, 2, 3, 3, 2, 2, 2, 2, 2, 1, 1, 3, 2, 2], "candidates": [36], "blockingOp": 36}, "steps": 312, "memoEntries": 121, "memoBytes": 4320, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 18 write, 2 cas, 9 read, 4 failed cas", () => {
    const ops: Op[] = [
      [26,null,{"f":"write","value":3},null],
      [44,47,{"f":"write","value":2},{}],
      [48,53,{"f":"cas","from":3,"to":2},{"ok":true}],
      [49,50,{"f":"write","value":1},{}],
      [51,52,{"f":"read"},{"value":1}],
      [54,59,{"f":"write","value":1},{}],
      [56,59,{"f":"cas","from":1,"to":3},{"ok":false}],
      [58,63,{"f":"write","value":1},{}],
      [60,65,{"f":"write","value":1},{}],
      [60,64,{"f":"write","value":2},{}],
      [64,65,{"f":"write","value":3},{}],
      [66,69,{"f":"write","value":3},{}],
      [66,71,{"f":"write","value":3},{}],
      [69,73,{"f":"read"},{"value":3}],
      [72,74,{"f":"write","value":3},{}],
      [73,74,{"f":"cas","from":1,"to":1},{"ok":false}],
      [74,77,{"f":"write","value":1},{}],
      [80,84,{"f":"write","value":3},{}],
      [80,85,{"f":"cas","from":3,"to":2},{"ok":true}],
      [83,85,{"f":"read"},{"value":3}],
      [86,87,{"f":"read"},{"value":3}],
      [88,93,{"f":"write","value":3},{}],
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1, 3, 4, 0, 2, 6, 5, 7, 8, 9, 10, 11, 12, 13, 15, 16, 14, 18, 17, 19, 20, 21, 23, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32], "states": [2, 3, 3, 1, 2, 2, 3, 3, 3, 2, 1, 1, 1, 1, 1, 3, 1, 2, 1, 1, 1, 1, 3, 2, 2, 3, 3, 3, 1, 1, 3, 3, 3], "candidates": [33], "blockingOp": 33}, "steps": 184, "memoEntries": 78, "memoBytes": 2792, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 11 write, 5 never-returned write, 14 read, 2 failed cas, 1 cas", () => {
    const ops: Op[] = [
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [94,null,{"f":"write","value":2},null],
      [96,null,{"f":"write","value":1},null],
      [97,101,{"f":"read"},{"value":1}],
      [99,null,{"f":"write","value":2},null],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [117,119,{"f":"read"},{"value":1}],
      [119,122,{"f":"read"},{"value":1}],
      [120,121,{"f":"read"},{"value":1}],
      [126,null,{"f":"write","value":2},null],
      [128,132,{"f":"write","value":2},{}],
      [130,134,{"f":"read"},{"value":2}],
      [131,136,{"f":"read"},{"value":2}],
      [134,138,{"f":"read"},{"value":2}],
      [134,137,{"f":"write","value":3},{}],
      [136,140,{"f":"write","value":2},{}],
      [138,null,{"f":"write","value":1},null],
      [142,145,{"f":"write","value":1},{}],
      [144,145,{"f":"write","value":1},{}],
      [145,148,{"f":"read"},{"value":1}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [150,154,{"f":"write","value":2},{}],
      [154,156,{"f":"read"},{"value":2}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0, 1, 2, 6, 3, 4, 7, 8, 9, 10, 11, 5, 13, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32], "orderStates": [1, 2, 1, 1, 2, 2, 2, 2, 2, 3, 3, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 3, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1], "deepest": null, "steps": 87, "memoEntries": 53, "memoBytes": 1728, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 10 write, 5 never-returned write, 14 read, 2 failed cas, 1 cas, 1 never-returned read", () => {
    const ops: Op[] = [
      [90,91,{"f":"write","value":1},{}],
      [94,null,{"f":"write","value":2},null],
      [96,null,{"f":"write","value":1},null],
      [97,101,{"f":"read"},{"value":1}],
      [99,null,{"f":"write","value":2},null],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [117,119,{"f":"read"},{"value":1}],
      [119,122,{"f":"read"},{"value":1}],
      [120,121,{"f":"read"},{"value":1}],
      [122,null,{"f":"read"},null],
      [126,null,{"f":"write","value":2},null],
      [128,132,{"f":"write","value":2},{}],
      [130,134,{"f":"read"},{"value":2}],
      [131,136,{"f":"read"},{"value":2}],
      [134,138,{"f":"read"},{"value":2}],
      [134,137,{"f":"write","value":3},{}],
      [136,140,{"f":"write","value":2},{}],
      [138,null,{"f":"write","value":1},null],
      [142,145,{"f":"write","value":1},{}],
      [144,145,{"f":"write","value":1},{}],
      [145,148,{"f":"read"},{"value":1}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [150,154,{"f":"write","value":2},{}],
      [154,156,{"f":"read"},{"value":2}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0, 1, 5, 2, 3, 6, 7, 8, 9, 10, 4, 12, 11, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32], "orderStates": [1, 2, 2, 1, 1, 1, 1, 1, 3, 3, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2], "deepest": null, "steps": 103, "memoEntries": 52, "memoBytes": 1700, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("a read that can never fit ends the configuration (dead reads)", () => {
  it("register: 1 read", () => {
    const ops: Op[] = [
      [2,4,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [], "states": [], "candidates": [0], "blockingOp": 0}, "steps": 2, "memoEntries": 0, "memoBytes": 0, "memoWindowWordsMax": 0, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 failed cas, 1 read", () => {
    const ops: Op[] = [
      [7,9,{"f":"cas","from":null,"to":2},{"ok":false}],
      [5,6,{"f":"read"},{"value":null}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1], "states": [0], "candidates": [0], "blockingOp": 0}, "steps": 2, "memoEntries": 1, "memoBytes": 32, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 1 write, 1 read; equalTimes return-first", () => {
    const ops: Op[] = [
      [4,null,{"f":"write","value":3},null],
      [9,12,{"f":"write","value":2},{}],
      [6,9,{"f":"read"},{"value":null}],
    ];
    expect(searchOf("register", ops, {"equalTimes": "return-first"})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [2, 0, 1], "orderStates": [0, 1, 2], "deepest": null, "steps": 6, "memoEntries": 4, "memoBytes": 128, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("the counterexample keeps the prefix with the most operations that surely happened", () => {
  it("register: 1 read, 1 never-returned write", () => {
    const ops: Op[] = [
      [2,8,{"f":"read"},{"value":3}],
      [4,null,{"f":"write","value":1},null],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [], "states": [], "candidates": [0, 1], "blockingOp": 0}, "steps": 4, "memoEntries": 1, "memoBytes": 32, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 never-returned write, 1 cas, 1 read", () => {
    const ops: Op[] = [
      [4,null,{"f":"write","value":3},null],
      [2,7,{"f":"cas","from":3,"to":2},{"ok":true}],
      [8,10,{"f":"read"},{"value":1}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 1], "states": [1, 2], "candidates": [2], "blockingOp": 2}, "steps": 6, "memoEntries": 2, "memoBytes": 64, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("kv: 2 append, 1 put, 1 get", () => {
    const ops: Op[] = [
      [1,5,{"f":"append","key":"k","value":"a"},{}],
      [3,8,{"f":"append","key":"k","value":"a"},{}],
      [8,11,{"f":"put","key":"k","value":"b"},{}],
      [6,9,{"f":"get","key":"k"},{"value":""}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 1, 2], "states": [1, 3, 2], "candidates": [3], "blockingOp": 3}, "steps": 14, "memoEntries": 5, "memoBytes": 160, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("backtracking restores the state, the set, the write index and the list exactly", () => {
  it("kv: 1 append, 2 never-returned append, 2 get", () => {
    const ops: Op[] = [
      [6,11,{"f":"append","key":"k","value":"a"},{}],
      [0,null,{"f":"append","key":"k","value":"b"},null],
      [7,null,{"f":"append","key":"k","value":"a"},null],
      [1,7,{"f":"get","key":"k"},{"value":"aa"}],
      [8,12,{"f":"get","key":"k"},{"value":"ba"}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [0, 2, 3], "states": [1, 3, 3], "candidates": [1, 4], "blockingOp": 4}, "steps": 22, "memoEntries": 9, "memoBytes": 288, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("kv: 1 get, 1 unknown put", () => {
    const ops: Op[] = [
      [4,8,{"f":"get","key":"k"},{"value":"aa"}],
      [7,8,{"f":"put","key":"k","value":"b"},null],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [], "states": [], "candidates": [0, 1], "blockingOp": 0}, "steps": 7, "memoEntries": 2, "memoBytes": 64, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 cas, 2 write, 1 failed cas", () => {
    const ops: Op[] = [
      [9,12,{"f":"cas","from":null,"to":2},{"ok":true}],
      [7,12,{"f":"write","value":3},{}],
      [0,6,{"f":"write","value":2},{}],
      [3,4,{"f":"cas","from":3,"to":3},{"ok":false}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [2, 3, 1], "states": [1, 1, 2], "candidates": [0], "blockingOp": 0}, "steps": 10, "memoEntries": 4, "memoBytes": 128, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 cas, 1 write", () => {
    const ops: Op[] = [
      [7,9,{"f":"cas","from":null,"to":2},{"ok":true}],
      [3,7,{"f":"write","value":3},{}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0, 1], "orderStates": [1, 2], "deepest": null, "steps": 6, "memoEntries": 3, "memoBytes": 96, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 1 unknown read, 1 read, 1 unknown cas, 1 write, 1 failed cas", () => {
    const ops: Op[] = [
      [6,11,{"f":"read"},null],
      [6,7,{"f":"read"},{"value":3}],
      [2,8,{"f":"cas","from":2,"to":3},null],
      [4,10,{"f":"write","value":1},{}],
      [4,9,{"f":"cas","from":null,"to":1},{"ok":false}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [3, 4, 0], "states": [3, 3, 3], "candidates": [2, 1], "blockingOp": 1}, "steps": 33, "memoEntries": 11, "memoBytes": 352, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 13 write, 15 read, 2 never-returned write, 2 failed cas, 1 cas", () => {
    const ops: Op[] = [
      [80,84,{"f":"write","value":3},{}],
      [86,87,{"f":"read"},{"value":3}],
      [88,93,{"f":"write","value":3},{}],
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [96,null,{"f":"write","value":1},null],
      [97,101,{"f":"read"},{"value":1}],
      [99,null,{"f":"write","value":2},null],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [117,119,{"f":"read"},{"value":1}],
      [119,122,{"f":"read"},{"value":1}],
      [120,121,{"f":"read"},{"value":1}],
      [128,132,{"f":"write","value":2},{}],
      [130,134,{"f":"read"},{"value":2}],
      [131,136,{"f":"read"},{"value":2}],
      [134,138,{"f":"read"},{"value":2}],
      [134,137,{"f":"write","value":3},{}],
      [136,140,{"f":"write","value":2},{}],
      [142,145,{"f":"write","value":1},{}],
      [144,145,{"f":"write","value":1},{}],
      [145,148,{"f":"read"},{"value":1}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [150,154,{"f":"write","value":2},{}],
      [154,156,{"f":"read"},{"value":2}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0, 1, 2, 4, 3, 8, 5, 6, 9, 10, 11, 12, 13, 7, 15, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32], "orderStates": [1, 1, 1, 3, 2, 2, 3, 3, 3, 3, 3, 1, 1, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 2, 3, 3, 3, 3, 3, 2, 2, 2], "deepest": null, "steps": 141, "memoEntries": 70, "memoBytes": 2448, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 4 never-returned write, 12 write, 14 read, 2 failed cas, 1 cas", () => {
    const ops: Op[] = [
      [26,null,{"f":"write","value":3},null],
      [88,93,{"f":"write","value":3},{}],
      [88,91,{"f":"write","value":2},{}],
      [90,91,{"f":"write","value":1},{}],
      [94,null,{"f":"write","value":2},null],
      [96,null,{"f":"write","value":1},null],
      [97,101,{"f":"read"},{"value":1}],
      [99,null,{"f":"write","value":2},null],
      [101,103,{"f":"cas","from":1,"to":1},{"ok":false}],
      [102,106,{"f":"write","value":1},{}],
      [106,109,{"f":"read"},{"value":1}],
      [106,107,{"f":"read"},{"value":1}],
      [108,113,{"f":"write","value":3},{}],
      [112,115,{"f":"read"},{"value":3}],
      [114,116,{"f":"write","value":1},{}],
      [115,118,{"f":"cas","from":2,"to":1},{"ok":true}],
      [117,119,{"f":"read"},{"value":1}],
      [119,122,{"f":"read"},{"value":1}],
      [120,121,{"f":"read"},{"value":1}],
      [128,132,{"f":"write","value":2},{}],
      [130,134,{"f":"read"},{"value":2}],
      [131,136,{"f":"read"},{"value":2}],
      [134,138,{"f":"read"},{"value":2}],
      [134,137,{"f":"write","value":3},{}],
      [136,140,{"f":"write","value":2},{}],
      [142,145,{"f":"write","value":1},{}],
      [144,145,{"f":"write","value":1},{}],
      [145,148,{"f":"read"},{"value":1}],
      [148,151,{"f":"cas","from":3,"to":2},{"ok":false}],
      [149,150,{"f":"read"},{"value":1}],
      [150,154,{"f":"write","value":2},{}],
      [154,156,{"f":"read"},{"value":2}],
      [156,160,{"f":"read"},{"value":2}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [0, 1, 2, 3, 4, 8, 5, 6, 9, 10, 11, 12, 13, 7, 15, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32], "orderStates": [1, 1, 2, 3, 2, 2, 3, 3, 3, 3, 3, 1, 1, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 2, 3, 3, 3, 3, 3, 2, 2, 2], "deepest": null, "steps": 87, "memoEntries": 53, "memoBytes": 1840, "memoWindowWordsMax": 2, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe("the order, states and deepest point handed back", () => {
  it("kv: 1 never-returned append, 1 append", () => {
    const ops: Op[] = [
      [6,null,{"f":"append","key":"k","value":"b"},null],
      [2,7,{"f":"append","key":"k","value":"b"},{}],
    ];
    expect(searchOf("kv", ops, {})).toEqual({"verdict": "linearizable", "limitHit": null, "order": [1, 0], "orderStates": [1, 2], "deepest": null, "steps": 3, "memoEntries": 2, "memoBytes": 64, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
  it("register: 2 read", () => {
    const ops: Op[] = [
      [6,11,{"f":"read"},{"value":2}],
      [2,7,{"f":"read"},{"value":null}],
    ];
    expect(searchOf("register", ops, {})).toEqual({"verdict": "not-linearizable", "limitHit": null, "order": null, "orderStates": null, "deepest": {"order": [1], "states": [0], "candidates": [0], "blockingOp": 0}, "steps": 2, "memoEntries": 1, "memoBytes": 32, "memoWindowWordsMax": 1, "pauses": 0, "lastPauses": [], "clockReadings": 1});
  });
});

describe('operations are numbered by call time, those that never returned last', () => {
  it('a history listed backwards still keeps the memo window to the concurrency window (two words with the never-returned write)', () => {
    // 40 sequential operations listed in reverse call order, and a write that never returned,
    // called first. Numbered by list position, or with the never-returned write first, the
    // linearized set would have holes below its highest operation and the memo keys would grow.
    const ops: Op[] = [];
    for (let i = 0; i < 40; i++) ops.push(i % 2 === 0 ? [2 * i, 2 * i + 1, { f: 'write', value: i }, {}] : [2 * i, 2 * i + 1, { f: 'read' }, { value: i - 1 }]);
    ops.reverse();
    ops.push([-1, null, { f: 'write', value: 99 }, null]);
    const outcome = searchOf('register', ops, {});
    expect(outcome).toMatchObject({ verdict: 'linearizable', steps: 42, memoEntries: 41, memoBytes: 1440, memoWindowWordsMax: 2 });
    expect(outcome.order).toEqual([40, ...Array.from({ length: 40 }, (_, i) => 39 - i)]);
  });
});
