import { Dot } from '../../clocks';
import { LimitExceededError, OptionError } from '../../sim';
import { LeaderCluster, MultiLeaderOptions, buildLeaderCluster } from './leader-cluster';
import { LedgerOutcome, PaymentPayload, UpiLedger, checkPayment } from './upi-ledger';

/**
 * A multi-leader UPI ledger: a leader per region accepts payments locally and
 * replicates them as credit/debit operations; the business rule (upi-ledger.ts) makes
 * the merge safe.
 *
 *   const ledger = multiLeaderLedger({ sim, regions: ['mumbai', 'delhi', 'bangalore'], idempotency: true });
 *   sim.at(1000, () => ledger.pay('mumbai', { txnId: 'UPI-1', account: 'priya', amountPaise: -50_000 }));
 */
export interface MultiLeaderLedgerOptions extends MultiLeaderOptions {
  /** Apply each UPI transaction id at most once (the business rule). false: the naive ledger. */
  idempotency: boolean;
  recordCountMax?: number;
}

export interface PaymentRecord {
  timeMs: number;
  region: string;
  txnId: string;
  account: string;
  amountPaise: number;
  /** 'accepted'; 'duplicate' (this leader had already applied the transaction id); 'unavailable' (leader down). */
  outcome: 'accepted' | 'duplicate' | 'unavailable';
  /** True once the payment was on the leader's disk and the PSP got its answer ('duplicate' answers at once). */
  acknowledged: boolean;
  dot: string | null;
}

/** What a leader did with one payment op (live only, not during crash recovery). */
export interface LedgerEventRecord {
  timeMs: number;
  leader: string;
  txnId: string;
  dot: string;
  local: boolean;
  outcome: LedgerOutcome;
}

export interface MultiLeaderLedger extends LeaderCluster<PaymentPayload, LedgerOutcome, UpiLedger> {
  readonly idempotency: boolean;
  readonly payments: PaymentRecord[];
  readonly ledgerEvents: LedgerEventRecord[];
  /** A payment request at the region's leader (inside sim.at or between runs). */
  pay(region: string, payment: PaymentPayload): PaymentRecord['outcome'];
  /** The account's balance at the region's leader, paise; null while it is down. */
  balance(region: string, account: string): number | null;
}

export function multiLeaderLedger(options: MultiLeaderLedgerOptions): MultiLeaderLedger {
  const idempotency = options?.idempotency;
  if (typeof idempotency !== 'boolean') {
    throw new OptionError(`multiLeaderLedger idempotency: got ${JSON.stringify(idempotency)}; allowed: true (apply each UPI transaction id once) | false (naive)`);
  }
  const recordCountMax = options.recordCountMax ?? 1_000_000;
  const sim = options.sim;
  const payments: PaymentRecord[] = [];
  const ledgerEvents: LedgerEventRecord[] = [];
  const cluster = buildLeaderCluster<PaymentPayload, LedgerOutcome, UpiLedger>(
    'multiLeaderLedger',
    options,
    ['idempotency', 'recordCountMax'],
    () => new UpiLedger(idempotency),
    (leader, op, outcome, local) => {
      if (ledgerEvents.length >= recordCountMax) throw new LimitExceededError(`multiLeaderLedger recorded ${ledgerEvents.length} ledger events, its limit (recordCountMax)`);
      ledgerEvents.push({ timeMs: sim.nowMs(), leader, txnId: op.payload.txnId, dot: Dot.key(op.dot), local, outcome });
    },
    (op, outcome, local, ledger) =>
      `${local ? 'accepted' : 'received'} ${op.payload.txnId} (${Dot.key(op.dot)}): ${outcome}; ${op.payload.account} = ₹${ledger.balanceOf(op.payload.account) / 100}`,
  );
  return {
    ...cluster,
    idempotency,
    payments,
    ledgerEvents,
    pay(region, payment) {
      const checked = checkPayment(payment);
      if (payments.length >= recordCountMax) throw new LimitExceededError(`multiLeaderLedger recorded ${payments.length} payments, its limit (recordCountMax)`);
      const leader = cluster.leader(region);
      const record: PaymentRecord = { timeMs: sim.nowMs(), region, ...checked, outcome: 'unavailable', acknowledged: false, dot: null };
      if (leader) {
        // The idempotency check at the door: a transaction id this leader has applied is answered "already done".
        const op = leader.submit(
          (ledger) => (ledger.idempotency && ledger.hasApplied(checked.txnId) ? null : checked),
          () => (record.acknowledged = true),
        );
        record.outcome = op ? 'accepted' : 'duplicate';
        record.acknowledged = op === null;
        record.dot = op ? Dot.key(op.dot) : null;
      }
      payments.push(record);
      return record.outcome;
    },
    balance(region, account) {
      const leader = cluster.leader(region);
      return leader ? leader.data.balanceOf(account) : null;
    },
  };
}
