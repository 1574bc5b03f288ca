/**
 * The change event every pipeline of this strategy carries from the bank's database to the
 * downstream services, whichever way it was captured (dual write, outbox relay, or CDC).
 *
 * Rows of the `accounts/` table hold `{ balancePaise, v }`: `v` is the row's version, raised by
 * one in every transaction that writes the row. The event id `<key>@<v>` is therefore stable: a
 * relay that publishes the same outbox row twice publishes the same id twice, and a consumer can
 * deduplicate by it. `position` orders the changes of one key: the row version for dual writes
 * and the outbox, the commit LSN for CDC (what Debezium and PostgreSQL's logical decoding give).
 */
import type { JsonValue } from '../../storage/version-store';

export const ACCOUNTS_TABLE = 'accounts';

export interface AccountRow {
  balancePaise: number;
  v: number;
}

export type Capture = 'dual-write' | 'outbox' | 'cdc';

export interface SyncEvent {
  /** `<key>@<version>`: the same change always has the same id. */
  id: string;
  capture: Capture;
  table: string;
  key: string;
  version: number;
  /** Per-key order: row version (dual write, outbox) or commit LSN (CDC). */
  position: number;
  /** The row before and after the change (before is null for a new row; CDC and the outbox both carry it). */
  before: JsonValue | null;
  after: JsonValue | null;
  /** The upstream transaction, and with CDC its commit LSN, the change's own LSN and the transaction's size. */
  txId: number;
  commitLsn: number | null;
  lsn: number | null;
  txChangeCount: number | null;
}

export function eventId(key: string, version: number): string {
  return `${key}@${version}`;
}

export function syncAccountKey(index: number): string {
  return `${ACCOUNTS_TABLE}/${String(index).padStart(3, '0')}`;
}

export function tableOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** The version of a row value written by this strategy (0 for a missing row). */
export function rowVersion(value: JsonValue | null | undefined): number {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return 0;
  const v = (value as { v?: unknown }).v;
  return typeof v === 'number' ? v : 0;
}
