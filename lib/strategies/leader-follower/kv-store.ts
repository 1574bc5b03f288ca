/**
 * The replicated state machine: a key-value map that every replica builds by applying log
 * entries in LSN order ("replay" in PostgreSQL). Each value remembers the LSN of the write
 * that produced it, which is the `version` a read reports.
 */
import type { LogEntry } from './replication-log';

export interface KvRead {
  value: string;
  /** LSN of the last write to the key; 0 when it was never written. */
  version: number;
}

export class KvStore {
  private readonly values = new Map<string, KvRead>();
  private applied = 0;

  /** LSN of the last entry applied: the "replay position". */
  get appliedLsn(): number {
    return this.applied;
  }

  apply(entry: LogEntry): void {
    if (entry.lsn !== this.applied + 1) {
      throw new Error(`kv store invariant broken: applying LSN ${entry.lsn} after LSN ${this.applied}; entries must be applied in order, each once`);
    }
    this.applied = entry.lsn;
    const op = entry.op;
    if (op === null) return;
    const before = this.values.get(op.key);
    const value = op.f === 'put' ? op.value : (before ? before.value : '') + op.value;
    this.values.set(op.key, { value, version: entry.lsn });
  }

  /** A key never written reads as "", as in lib/check's kv model. */
  get(key: string): KvRead {
    return this.values.get(key) ?? { value: '', version: 0 };
  }

  /** Forget everything (before replaying a truncated log from the start). */
  reset(): void {
    this.values.clear();
    this.applied = 0;
  }
}
