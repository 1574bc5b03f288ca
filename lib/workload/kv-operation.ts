/**
 * The operations a workload issues against a key-value store, and what a client hands back.
 * They use the kv model of lib/check: `put` replaces a key's value, `append` adds to the end
 * of it (every key starts as ""), `get` reads it. Any strategy whose clients implement
 * `WorkloadClient` can be driven by the drivers in this folder.
 */

export type KvOperation =
  | { f: 'put'; key: string; value: string }
  | { f: 'append'; key: string; value: string }
  | { f: 'get'; key: string };

export type KvWriteOperation = Extract<KvOperation, { f: 'put' | 'append' }>;

/** What a client reports when an operation finishes (or gives up). */
export interface OperationResult {
  /** false: every attempt failed or timed out; the outcome of a write is then unknown. */
  ok: boolean;
  /** Value read (get) — "" for a key never written. */
  value?: string;
  /**
   * Every value a get returned, when the store may return several (siblings of a multi-leader
   * store that keeps concurrent writes); `value` is then one of them.
   */
  values?: readonly string[];
  /** The system's position for the write, or of the state a read saw (e.g. an LSN). */
  version?: number;
  /** From the first send to the final answer, ms of simulated time; null when it gave up. */
  latencyMs: number | null;
}

/**
 * A client of some replicated store, as the workload drivers see it: it lives in a region
 * and runs `sessionCount` sessions, each issuing one operation at a time.
 */
export interface WorkloadClient {
  readonly id: string;
  readonly region: string;
  readonly sessionCount: number;
  /**
   * Starts `op` now on the given session (or on the least busy one); operations on a busy
   * session wait in its queue. `done` runs when the operation finishes or gives up.
   */
  submit(op: KvOperation, done?: (result: OperationResult) => void, session?: number): void;
}
