/** Notebook 02, section 6: UPI records payments, not balances — a retried payment with and without idempotency. */
import { Simulation, checkNumber } from '../../sim';
import { multiLeaderLedger } from '../../strategies/multi-leader';
import { UPI_LEADER_REGIONS } from './scenario';

// ------------------------------------------------------------------ UPI payments

export interface RetriedPaymentResult {
  seed: number;
  idempotency: boolean;
  /** Priya's balance in each region after the dust settles, ₹. */
  balances: Array<{ region: string; balanceRupees: number }>;
  payments: Array<{ timeMs: number; region: string; txnId: string; amountRupees: number; outcome: string }>;
  /** How many times the retried transaction id moved money, per leader. */
  applicationsOfRetriedTxn: number;
  converged: boolean;
}

/**
 * Priya (balance ₹10,000) pays ₹500 at a shop. The request reaches the Mumbai leader; the
 * response is lost, so after `retryAfterMs` the PSP retries the same UPI transaction id
 * through Delhi — before Mumbai's op has reached Delhi when retryAfterMs is short.
 */
export function retriedPaymentScenario(options: { seed: number; idempotency: boolean; retryAfterMs?: number }): RetriedPaymentResult {
  const retryAfterMs = checkNumber('retriedPaymentScenario retryAfterMs', options.retryAfterMs ?? 5, { min: 0 });
  const sim = new Simulation({ seed: options.seed });
  const ledger = multiLeaderLedger({ sim, regions: UPI_LEADER_REGIONS, idempotency: options.idempotency });
  sim.at(100, () => ledger.pay('mumbai', { txnId: 'UPI-OPEN-1', account: 'priya', amountPaise: 10_000_00 }));
  sim.at(1000, () => ledger.pay('mumbai', { txnId: 'UPI-7731', account: 'priya', amountPaise: -500_00 }));
  sim.at(1000 + retryAfterMs, () => ledger.pay('delhi', { txnId: 'UPI-7731', account: 'priya', amountPaise: -500_00 }));
  sim.run(3000);
  const balances = UPI_LEADER_REGIONS.map((region) => ({ region, balanceRupees: (ledger.balance(region, 'priya') ?? NaN) / 100 }));
  const journal = ledger.leader('mumbai')?.data.journal ?? [];
  const applicationsOfRetriedTxn = journal.filter((e) => e.txnId === 'UPI-7731').reduce((n, e) => n + (e.kind === 'apply' ? 1 : -1), 0);
  return {
    seed: options.seed,
    idempotency: options.idempotency,
    balances,
    payments: ledger.payments.map((p) => ({ timeMs: p.timeMs, region: p.region, txnId: p.txnId, amountRupees: p.amountPaise / 100, outcome: p.outcome })),
    applicationsOfRetriedTxn,
    converged: ledger.converged(),
  };
}
