/**
 * A money transfer inside one bank's core ledger, as one database transaction: read both
 * balances, refuse if the payer cannot cover it, write both balances and a transfer
 * record. Either all three writes survive a crash or none does: that is atomicity, and
 * the WAL + recovery are what deliver it.
 *
 * Amounts are integer paise (1 rupee = 100 paise), never floating-point rupees.
 */
import { Database, DatabaseUnavailableError } from '../../storage/database';
import { Isolation, TransactionAbortedError } from '../../storage/transaction';
import type { JsonValue } from '../../storage/version-store';
import { ACCOUNT_PREFIX, TRANSFER_PREFIX, TransferRecord } from '../../check/ledger-check';

export interface TransferRequest {
  /** Unique id; the ledger stores the transfer under it. */
  id: string;
  from: string;
  to: string;
  amountPaise: number;
}

export type TransferRejection = 'insufficient-funds' | 'unknown-account' | 'lock-conflict' | 'serialization-failure' | 'not-ready' | 'standby' | 'bad-request';

export type TransferResult =
  | { id: string; status: 'committed'; commitLsn: number }
  | {
      id: string;
      status: 'rejected';
      reason: TransferRejection;
      detail: string;
      /** When a row was locked by a prepared 2PC transaction waiting for its decision: that transaction's gid. */
      lockedInDoubtBy?: string;
    };

// The ledger's row layout (acct:<id> balances, xfer:<id> records) is what the ledger checker
// reads, so it is defined beside the checker in lib/check and re-exported here.
export { ACCOUNT_PREFIX, TRANSFER_PREFIX } from '../../check/ledger-check';
export type { TransferRecord } from '../../check/ledger-check';

export function accountKey(account: string): string {
  return ACCOUNT_PREFIX + account;
}

export function transferKey(id: string): string {
  return TRANSFER_PREFIX + id;
}


export interface TransferHooks {
  /** Called the moment the commit record is appended (before it is durable): the oracle of "may have committed". */
  onCommitRequested?(id: string): void;
}

function rejected(id: string, reason: TransferRejection, detail: string): TransferResult {
  return { id, status: 'rejected', reason, detail };
}

/** Runs one transfer as a transaction; `done` gets the result once it is durable (or at once when refused). */
export function runTransfer(db: Database, request: TransferRequest, isolation: Isolation, done: (result: TransferResult) => void, hooks: TransferHooks = {}): void {
  const { id, from, to, amountPaise } = request;
  if (!Number.isInteger(amountPaise) || amountPaise <= 0 || from === to) {
    done(rejected(id, 'bad-request', `transfer ${id}: amountPaise got ${amountPaise}, from ${from}, to ${to}; allowed: a positive integer between two different accounts`));
    return;
  }
  if (!db.isReady) return done(rejected(id, 'not-ready', `ledger on ${db.ctx.id} is recovering`));
  if (db.role !== 'primary') return done(rejected(id, 'standby', `ledger on ${db.ctx.id} is a standby`));
  let tx;
  try {
    tx = db.begin({ isolation });
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return done(rejected(id, 'not-ready', error.message));
    throw error;
  }
  try {
    const payer = tx.read(accountKey(from));
    const payee = tx.read(accountKey(to));
    if (typeof payer !== 'number' || typeof payee !== 'number') {
      db.abort(tx);
      return done(rejected(id, 'unknown-account', `transfer ${id}: account ${typeof payer !== 'number' ? from : to} does not exist`));
    }
    if (tx.read(transferKey(id)) !== undefined) {
      db.abort(tx);
      return done(rejected(id, 'bad-request', `transfer ${id} already exists`));
    }
    if (payer < amountPaise) {
      db.abort(tx);
      return done(rejected(id, 'insufficient-funds', `transfer ${id}: ${from} holds ${payer} paise, needs ${amountPaise}`));
    }
    tx.write(accountKey(from), payer - amountPaise);
    tx.write(accountKey(to), payee + amountPaise);
    const record: TransferRecord = { from, to, amountPaise };
    tx.write(transferKey(id), record as unknown as JsonValue);
  } catch (error) {
    if (error instanceof TransactionAbortedError) {
      const result = rejected(id, error.reason === 'serialization-failure' ? 'serialization-failure' : 'lock-conflict', error.message);
      if (error.conflict && error.conflict.holderGid && result.status === 'rejected') result.lockedInDoubtBy = error.conflict.holderGid;
      return done(result);
    }
    throw error;
  }
  db.commit(tx, (outcome) => {
    if (outcome.status === 'committed') done({ id, status: 'committed', commitLsn: outcome.commitLsn as number });
    else done(rejected(id, 'lock-conflict', outcome.detail));
  });
  if (hooks.onCommitRequested) hooks.onCommitRequested(id);
}

/**
 * Opens accounts with starting balances in one transaction, unless the ledger already
 * has accounts (so a primary that crashed before this committed simply tries again).
 */
export function openAccountsOnce(db: Database, balances: Record<string, number>, done: (opened: boolean) => void = () => undefined): void {
  if (!db.isReady || db.role !== 'primary') return done(false);
  if (db.committedRows(ACCOUNT_PREFIX).length > 0) return done(false);
  const tx = db.begin();
  for (const account of Object.keys(balances).sort()) tx.write(accountKey(account), balances[account]);
  db.commit(tx, (outcome) => done(outcome.status === 'committed'));
}

/** How transfers ended, counted: one row per outcome ('committed', or the rejection reason, or 'no answer'). */
export function transferOutcomes(results: ReadonlyArray<TransferResult | null>): Array<{ outcome: string; count: number; sharePct: number }> {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = r === null ? 'no answer (timed out)' : r.status === 'committed' ? 'committed' : `rejected: ${r.reason}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = results.length || 1;
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([outcome, count]) => ({ outcome, count, sharePct: (100 * count) / total }));
}
