import { Dot } from '../../clocks';
import { canonicalJson } from '../../crdt';
import { LimitExceededError, OptionError } from '../../sim';
import { LoggedOp } from './logged-op';

/**
 * The business-rule merge for UPI payments on a multi-leader ledger.
 *
 * Two rules make the ledger safe to accept writes in every region at once:
 *  1. Balances are never written, only changed by credits and debits. Addition is
 *     commutative, so leaders that apply the same payments in different orders reach the
 *     same balance: there is no conflict to resolve, unlike a "balance = ₹4,500" write.
 *  2. Every payment carries its UPI transaction id (the idempotency key NPCI requires a
 *     PSP to send with every request). A leader applies a transaction id at most once. A
 *     payment whose response got lost and was retried through another region — the same
 *     transaction id arriving twice — moves money once.
 *
 * With `idempotency: false` (the naive ledger) rule 2 is off: every accepted request is
 * applied, and a retried payment is debited twice.
 *
 * If two regions accepted the same transaction id before either heard of the other
 * (the retry raced the original), both ops reach every leader; each leader keeps the
 * one with the smaller dot, so all leaders agree on which op "is" the payment. If the
 * two differ in account or amount (a client bug), the leader reverses the one it had
 * applied and applies the other, and counts a conflicting duplicate.
 *
 * The journal records every balance change (apply or reverse) and is checked on every
 * change: under idempotency, no transaction id is ever applied twice net.
 */
export interface PaymentPayload {
  /** The UPI transaction id: the idempotency key. */
  readonly txnId: string;
  readonly account: string;
  /** Paise: positive credits, negative debits (₹1 = 100 paise; integers avoid rounding). */
  readonly amountPaise: number;
}

export interface JournalEntry {
  txnId: string;
  dot: string;
  account: string;
  deltaPaise: number;
  kind: 'apply' | 'reverse';
}

export type LedgerOutcome = 'applied' | 'duplicate-suppressed' | 'replaced-by-earlier-duplicate';

interface AppliedPayment {
  dot: Dot;
  account: string;
  amountPaise: number;
}

export function checkPayment(payment: PaymentPayload): PaymentPayload {
  if (typeof payment !== 'object' || payment === null) throw new OptionError(`payment: got ${JSON.stringify(payment)}; allowed: { txnId, account, amountPaise }`);
  if (typeof payment.txnId !== 'string' || payment.txnId.length === 0) throw new OptionError(`payment txnId: got ${JSON.stringify(payment.txnId)}; allowed: a non-empty string such as "UPI-4242"`);
  if (typeof payment.account !== 'string' || payment.account.length === 0) throw new OptionError(`payment account: got ${JSON.stringify(payment.account)}; allowed: a non-empty string`);
  if (!Number.isSafeInteger(payment.amountPaise) || payment.amountPaise === 0) {
    throw new OptionError(`payment amountPaise: got ${JSON.stringify(payment.amountPaise)}; allowed: a non-zero integer number of paise (negative: debit)`);
  }
  return { txnId: payment.txnId, account: payment.account, amountPaise: payment.amountPaise };
}

export class UpiLedger {
  private readonly balancesPaise = new Map<string, number>();
  /** Under idempotency: txnId → the op that stands for it. Without: dot key → op. */
  private readonly applied = new Map<string, AppliedPayment & { txnId: string }>();
  /** Net applications per transaction id (apply +1, reverse −1). */
  private readonly netApplications = new Map<string, number>();
  readonly journal: JournalEntry[] = [];
  duplicatesSuppressed = 0;
  conflictingDuplicates = 0;

  constructor(
    readonly idempotency: boolean,
    private readonly journalLengthMax = 1_000_000,
  ) {}

  /** True when a payment with this transaction id has been applied here. */
  hasApplied(txnId: string): boolean {
    return (this.netApplications.get(txnId) ?? 0) > 0;
  }

  balanceOf(account: string): number {
    return this.balancesPaise.get(account) ?? 0;
  }

  balances(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const account of [...this.balancesPaise.keys()].sort()) result[account] = this.balancesPaise.get(account) as number;
    return result;
  }

  /** Transaction ids applied more than once, net, with their count (the naive ledger's double debits). */
  multiplyApplied(): Array<{ txnId: string; applications: number }> {
    const result: Array<{ txnId: string; applications: number }> = [];
    for (const [txnId, applications] of this.netApplications) if (applications > 1) result.push({ txnId, applications });
    return result.sort((a, b) => (a.txnId < b.txnId ? -1 : 1));
  }

  apply(op: LoggedOp<PaymentPayload>): LedgerOutcome {
    const { txnId, account, amountPaise } = op.payload;
    if (!this.idempotency) {
      this.applied.set(Dot.key(op.dot), { txnId, dot: op.dot, account, amountPaise });
      this.change(txnId, op.dot, account, amountPaise, 'apply');
      return 'applied';
    }
    const existing = this.applied.get(txnId);
    if (!existing) {
      this.applied.set(txnId, { txnId, dot: op.dot, account, amountPaise });
      this.change(txnId, op.dot, account, amountPaise, 'apply');
      return 'applied';
    }
    this.duplicatesSuppressed++;
    const sameContent = existing.account === account && existing.amountPaise === amountPaise;
    if (!sameContent) this.conflictingDuplicates++;
    if (Dot.compare(op.dot, existing.dot) >= 0) return 'duplicate-suppressed';
    // The incoming op has the smaller dot: it stands for the payment on every leader.
    if (!sameContent) {
      this.change(txnId, existing.dot, existing.account, -existing.amountPaise, 'reverse');
      this.change(txnId, op.dot, account, amountPaise, 'apply');
    }
    this.applied.set(txnId, { txnId, dot: op.dot, account, amountPaise });
    return 'replaced-by-earlier-duplicate';
  }

  private change(txnId: string, dot: Dot, account: string, deltaPaise: number, kind: 'apply' | 'reverse'): void {
    if (this.journal.length >= this.journalLengthMax) {
      throw new LimitExceededError(`UPI ledger journal holds ${this.journal.length} entries, its limit (journalLengthMax = ${this.journalLengthMax})`);
    }
    const applications = (this.netApplications.get(txnId) ?? 0) + (kind === 'apply' ? 1 : -1);
    // The invariant of the business rule, asserted on every change (and so on replay too).
    if (this.idempotency && (applications > 1 || applications < 0)) {
      throw new Error(`UPI ledger invariant broken: transaction ${txnId} would be applied ${applications} times net (op ${Dot.key(dot)}, ${kind})`);
    }
    this.netApplications.set(txnId, applications);
    this.balancesPaise.set(account, this.balanceOf(account) + deltaPaise);
    this.journal.push({ txnId, dot: Dot.key(dot), account, deltaPaise, kind });
  }

  /** Equal on two leaders iff they hold the same balances and the same op for every payment. */
  fingerprint(): string {
    const entries = [...this.applied.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, p]) => [id, Dot.key(p.dot), p.account, p.amountPaise]);
    return canonicalJson({ balances: this.balances(), entries });
  }
}
