/**
 * Change data capture from real PostgreSQL by logical decoding, the mechanism under Debezium.
 *
 * Plugin and interface: `test_decoding` through SQL — `pg_logical_slot_peek_changes` to read and
 * `pg_replication_slot_advance` to confirm. Why not `pgoutput` over the streaming replication
 * protocol (pg-logical-replication): peek + advance makes the two steps a CDC consumer must keep
 * apart explicit and separately killable — read and apply first, confirm after — with nothing but
 * a plain SQL connection, and test_decoding ships with the server (no extension to install).
 * pgoutput streams faster and is what production connectors use; the slot semantics are the same.
 *
 * The slot remembers the consumer's confirmed position (confirmed_flush_lsn) across crashes of the
 * consumer and restarts of the server, and makes the primary keep every WAL segment from its
 * restart_lsn on — which is why an abandoned slot fills the primary's disk.
 */
import type { Client } from 'pg';
import { OptionError } from '../util/option-error';
import { parseLsn } from './replication-stats';

export type PgValue = string | number | null;
export type PgRowImage = Record<string, PgValue>;

export interface PgChange {
  table: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  /** The old row (REPLICA IDENTITY FULL gives every column), null for an INSERT. */
  before: PgRowImage | null;
  after: PgRowImage | null;
  lsn: string;
}

export interface PgTransaction {
  xid: number;
  /** End of the commit record: the position to confirm once the transaction is applied. */
  commitLsn: string;
  changes: PgChange[];
}

const TUPLE_FIELD = /([A-Za-z_][A-Za-z0-9_]*)\[([^\]]+)\]:('(?:[^']|'')*'|\S+)/g;
const NUMERIC_TYPES = ['integer', 'bigint', 'smallint', 'numeric', 'double precision', 'real'];

/** `id[integer]:1 name[text]:'a b'` → { id: 1, name: 'a b' }. */
export function parseTuple(text: string): PgRowImage {
  const row: PgRowImage = {};
  for (const [, name, type, raw] of text.matchAll(TUPLE_FIELD)) {
    if (raw === 'null') row[name] = null;
    else if (raw.startsWith("'")) row[name] = raw.slice(1, -1).replace(/''/g, "'");
    else row[name] = NUMERIC_TYPES.includes(type) ? Number(raw) : raw;
  }
  return row;
}

/** One line of test_decoding's output (table change) → a change. */
export function parseChangeLine(data: string, lsn: string): PgChange {
  const match = /^table ([^:]+): (INSERT|UPDATE|DELETE): (.*)$/.exec(data);
  if (!match) throw new Error(`test_decoding: cannot read ${JSON.stringify(data)}`);
  const [, table, op, rest] = match;
  if (op === 'INSERT') return { table, op, before: null, after: parseTuple(rest), lsn };
  if (op === 'DELETE') return { table, op, before: parseTuple(rest), after: null, lsn };
  const split = /^old-key: (.*) new-tuple: (.*)$/.exec(rest);
  return split ? { table, op: 'UPDATE', before: parseTuple(split[1]), after: parseTuple(split[2]), lsn } : { table, op: 'UPDATE', before: null, after: parseTuple(rest), lsn };
}

/**
 * Rows of pg_logical_slot_peek_changes (with include-xids) → whole transactions, in commit order.
 * A transaction whose COMMIT is not among the rows (the batch limit cut it) is left out: it comes
 * again, whole, in the next peek, since nothing was confirmed past it.
 */
export function parseTestDecoding(rows: ReadonlyArray<{ lsn: string; data: string }>): PgTransaction[] {
  const out: PgTransaction[] = [];
  let open: PgTransaction | null = null;
  for (const { lsn, data } of rows) {
    const begin = /^BEGIN (\d+)$/.exec(data);
    const commit = /^COMMIT (\d+)$/.exec(data);
    if (begin) open = { xid: Number(begin[1]), commitLsn: '', changes: [] };
    else if (commit) {
      if (open && open.xid === Number(commit[1])) out.push({ ...open, commitLsn: lsn });
      open = null;
    } else if (open) open.changes.push(parseChangeLine(data, lsn));
  }
  return out;
}

const SLOT_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function checkSlotName(slot: string): string {
  if (typeof slot !== 'string' || !SLOT_NAME.test(slot)) throw new OptionError(`slot: got ${JSON.stringify(slot)}; allowed: a replication slot name, lower-case letters, digits and _ (starting with a letter)`);
  return slot;
}

export async function createLogicalSlot(client: Client, slot: string): Promise<string> {
  const rows = (await client.query(`SELECT lsn::text AS lsn FROM pg_create_logical_replication_slot($1, 'test_decoding')`, [checkSlotName(slot)])).rows as Array<{ lsn: string }>;
  return rows[0].lsn;
}

export async function dropSlot(client: Client, slot: string): Promise<void> {
  await client.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [checkSlotName(slot)]);
}

/** Reads up to maxChanges decoded rows after the slot's confirmed position, without consuming them. */
export async function peekTransactions(client: Client, slot: string, maxChanges: number): Promise<{ transactions: PgTransaction[]; rows: number }> {
  const result = await client.query(
    `SELECT lsn::text AS lsn, data FROM pg_logical_slot_peek_changes($1, NULL, $2, 'include-xids', '1', 'skip-empty-xacts', '1')`,
    [checkSlotName(slot), maxChanges],
  );
  const rows = result.rows as Array<{ lsn: string; data: string }>;
  return { transactions: parseTestDecoding(rows), rows: rows.length };
}

/** Confirms everything up to a commit LSN: the slot will not send it again, and may release WAL before it. */
export async function confirmLsn(client: Client, slot: string, lsn: string): Promise<void> {
  await client.query(`SELECT pg_replication_slot_advance($1, $2::pg_lsn)`, [checkSlotName(slot), lsn]);
}

export interface SlotRow {
  slot: string;
  active: boolean;
  restartLsn: string | null;
  confirmedLsn: string | null;
  /** WAL the server keeps for this slot: current position − restart_lsn. */
  retainedWalBytes: number;
  /** How far the consumer is behind: current position − confirmed_flush_lsn. */
  lagBytes: number;
  walStatus: string | null;
}

export async function readSlots(client: Client): Promise<SlotRow[]> {
  const rows = (await client.query(
    `SELECT slot_name, active, restart_lsn::text AS restart_lsn, confirmed_flush_lsn::text AS confirmed_lsn, wal_status,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag
       FROM pg_replication_slots ORDER BY slot_name`,
  )).rows as Array<Record<string, string | boolean | null>>;
  return rows.map((r) => ({
    slot: r.slot_name as string,
    active: r.active as boolean,
    restartLsn: r.restart_lsn as string | null,
    confirmedLsn: r.confirmed_lsn as string | null,
    retainedWalBytes: Number(r.retained ?? 0),
    lagBytes: Number(r.lag ?? 0),
    walStatus: r.wal_status as string | null,
  }));
}

/**
 * The downstream: an in-memory copy of a table keyed by a column, with the commit LSN of the last
 * transaction applied — kept together, so that a transaction sent again after a consumer crash is
 * recognised and skipped (its effect happens once).
 */
export class PgProjection {
  readonly rows = new Map<string, PgRowImage>();
  lastCommitLsn = '0/0';
  transactionsApplied = 0;
  changesApplied = 0;
  transactionsSkipped = 0;

  constructor(
    readonly table: string,
    readonly keyColumn: string,
  ) {}

  /** Applies a transaction unless it is at or before the last one applied; returns whether it applied. */
  apply(tx: PgTransaction): boolean {
    if (parseLsn(tx.commitLsn) <= parseLsn(this.lastCommitLsn)) {
      this.transactionsSkipped++;
      return false;
    }
    for (const c of tx.changes) {
      if (c.table !== this.table) continue;
      const image = (c.after ?? c.before) as PgRowImage;
      const key = String(image[this.keyColumn]);
      if (c.op === 'DELETE') this.rows.delete(key);
      else this.rows.set(key, c.after as PgRowImage);
      this.changesApplied++;
    }
    this.lastCommitLsn = tx.commitLsn;
    this.transactionsApplied++;
    return true;
  }
}
