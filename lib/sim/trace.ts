/**
 * The message trace: what a space-time (Lamport) diagram is drawn from and what the
 * determinism test hashes. Recording is optional (off in benchmarks) and bounded.
 */

/** Why a message never reached its destination. */
export type DropReason = 'loss' | 'partition' | 'node-down';

export type TraceEvent =
  | { kind: 'send'; timeMs: number; msgId: number; from: string; to: string; label: string; sizeBytes: number }
  | { kind: 'deliver'; timeMs: number; msgId: number; from: string; to: string; label: string }
  | { kind: 'drop'; timeMs: number; msgId: number; from: string; to: string; label: string; reason: DropReason }
  /** A named fault or its end: crash, restart, partition, heal, clock-jump, slow-disk, slow-link. */
  | { kind: 'fault'; timeMs: number; fault: string; nodes: string[]; detail: string }
  /** A line a node wrote with ctx.log(), e.g. "promoted to leader in epoch 3". */
  | { kind: 'log'; timeMs: number; node: string; text: string };
