/**
 * The invariants of a core-banking ledger after any sequence of crashes and recoveries:
 *
 * 1. Money is conserved: the sum of all balances equals the sum opened with.
 * 2. Durability: every transfer acknowledged as committed is present.
 * 3. Nothing uncommitted survives: every transfer present had its commit record appended,
 *    and no transfer the ledger refused is present.
 * 4. No partial transfer: each balance equals its opening balance plus what the present
 *    transfer records say came in minus what went out (a transfer that survived in part
 *    would break this for some account).
 * 5. No account is overdrawn.
 */
import type { JsonValue } from '../storage/version-store';

/** Row layout of the ledger (lib/strategies/banking): balances under acct:<id>, transfers under xfer:<id>. */
export const ACCOUNT_PREFIX = 'acct:';
export const TRANSFER_PREFIX = 'xfer:';

/** What is stored under xfer:<id>. */
export interface TransferRecord {
  from: string;
  to: string;
  amountPaise: number;
}

export interface LedgerCheckInput {
  /** Committed rows of the ledger (db.committedRows()). */
  rows: Array<[string, JsonValue]>;
  openingBalances: Record<string, number>;
  /** Transfers acknowledged to a client as committed. */
  acknowledged: Iterable<string>;
  /** Transfers the ledger refused (aborted). */
  refused: Iterable<string>;
  /** Transfers whose commit record was appended (committed or not). */
  commitRequested: ReadonlySet<string>;
}

export interface LedgerCheckResult {
  ok: boolean;
  totalPaise: number;
  expectedTotalPaise: number;
  transfersPresent: number;
  /** One line per broken invariant, naming the account or transfer. */
  violations: string[];
}

const VIOLATIONS_LISTED_MAX = 20;

export function checkLedger(input: LedgerCheckInput): LedgerCheckResult {
  const violations: string[] = [];
  const note = (text: string) => {
    if (violations.length < VIOLATIONS_LISTED_MAX) violations.push(text);
  };
  const balances = new Map<string, number>();
  const transfers = new Map<string, TransferRecord>();
  for (const [key, value] of input.rows) {
    if (key.startsWith(ACCOUNT_PREFIX)) balances.set(key.slice(ACCOUNT_PREFIX.length), value as number);
    else if (key.startsWith(TRANSFER_PREFIX)) transfers.set(key.slice(TRANSFER_PREFIX.length), value as unknown as TransferRecord);
  }
  let expectedTotalPaise = 0;
  for (const amount of Object.values(input.openingBalances)) expectedTotalPaise += amount;
  let totalPaise = 0;
  for (const amount of balances.values()) totalPaise += amount;
  if (totalPaise !== expectedTotalPaise) note(`money not conserved: balances sum to ${totalPaise} paise, opened with ${expectedTotalPaise}`);

  for (const id of input.acknowledged) if (!transfers.has(id)) note(`acknowledged transfer ${id} is missing after recovery`);
  for (const id of input.refused) if (transfers.has(id)) note(`refused transfer ${id} is present`);
  for (const id of transfers.keys()) if (!input.commitRequested.has(id)) note(`transfer ${id} is present but its commit was never requested`);

  const expected = new Map<string, number>(Object.entries(input.openingBalances));
  for (const t of transfers.values()) {
    expected.set(t.from, (expected.get(t.from) ?? NaN) - t.amountPaise);
    expected.set(t.to, (expected.get(t.to) ?? NaN) + t.amountPaise);
  }
  if (balances.size > 0 || transfers.size > 0) {
    for (const [account, want] of expected) {
      const have = balances.get(account);
      if (have !== want) note(`partial transfer: ${account} holds ${have} paise, its opening balance and transfers say ${want}`);
    }
  }
  for (const [account, have] of balances) if (have < 0) note(`account ${account} is overdrawn: ${have} paise`);
  return { ok: violations.length === 0, totalPaise, expectedTotalPaise, transfersPresent: transfers.size, violations };
}
