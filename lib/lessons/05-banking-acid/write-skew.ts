/**
 * The write-skew anomaly, step by step, on a real database.
 *
 * A customer holds a savings and a current account with a joint minimum balance: the
 * two together must stay at or above ₹10,000. Both start at ₹6,000 (₹12,000 together).
 * Two withdrawals of ₹2,000 run at the same time, one from each account. Each checks
 * "savings + current − 2,000 ≥ 10,000" — true for each on its own — and writes its own
 * account. They write different rows, so snapshot isolation's first-updater-wins rule
 * never fires and both commit: ₹8,000 together, below the minimum. Neither transaction
 * did anything wrong alone; the schedule did.
 *
 * Under the serializable mode (strict two-phase locking) each read takes a shared lock,
 * so the first withdrawal's write finds the other's shared lock and is refused (NOWAIT);
 * the second then commits alone and the minimum holds.
 */
import { Isolation, TransactionAbortedError } from '../../storage/transaction';
import { singleNodeDatabase } from '../../storage/single-node';
import { accountKey } from '../../strategies/banking/transfer';

export interface WriteSkewOptions {
  seed: number;
  isolation: Isolation;
  savingsPaise?: number;
  currentPaise?: number;
  minimumTogetherPaise?: number;
  withdrawPaise?: number;
}

export interface WriteSkewStep {
  step: number;
  tx: 'T1' | 'T2' | '—';
  action: string;
  result: string;
}

export interface WriteSkewResult {
  isolation: Isolation;
  steps: WriteSkewStep[];
  committed: Array<'T1' | 'T2'>;
  savingsPaise: number;
  currentPaise: number;
  togetherPaise: number;
  minimumTogetherPaise: number;
  /** True when the joint minimum is broken: the anomaly happened. */
  minimumBroken: boolean;
}

function rupees(paise: number): string {
  return `₹${(paise / 100).toLocaleString('en-IN')}`;
}

export function writeSkewDemo(options: WriteSkewOptions): WriteSkewResult {
  const savingsStart = options.savingsPaise ?? 600_000;
  const currentStart = options.currentPaise ?? 600_000;
  const minimum = options.minimumTogetherPaise ?? 1_000_000;
  const withdraw = options.withdrawPaise ?? 200_000;
  const h = singleNodeDatabase({ seed: options.seed });
  h.runUntilReady();
  const db = h.db();
  const SAVINGS = accountKey('savings');
  const CURRENT = accountKey('current');
  const setup = db.begin();
  setup.write(SAVINGS, savingsStart);
  setup.write(CURRENT, currentStart);
  db.commit(setup);
  h.sim.run(h.sim.nowMs() + 10);

  const steps: WriteSkewStep[] = [];
  const log = (tx: WriteSkewStep['tx'], action: string, result: string) => steps.push({ step: steps.length + 1, tx, action, result });
  log('—', 'opening balances', `savings ${rupees(savingsStart)}, current ${rupees(currentStart)}, minimum together ${rupees(minimum)}`);
  const t1 = db.begin({ isolation: options.isolation });
  const t2 = db.begin({ isolation: options.isolation });
  log('T1', `begin (${options.isolation})`, `tx ${t1.id}`);
  log('T2', `begin (${options.isolation})`, `tx ${t2.id}`);
  const alive = { T1: true, T2: true };
  const attempt = (name: 'T1' | 'T2', action: string, fn: () => string) => {
    if (!alive[name]) return;
    try {
      log(name, action, fn());
    } catch (error) {
      if (!(error instanceof TransactionAbortedError)) throw error;
      alive[name] = false;
      log(name, action, `ABORTED (${error.reason}): ${error.message}`);
    }
  };
  const sums: Record<'T1' | 'T2', number> = { T1: 0, T2: 0 };
  for (const [name, tx] of [['T1', t1], ['T2', t2]] as const) {
    attempt(name, 'read savings + current', () => {
      sums[name] = (tx.read(SAVINGS) as number) + (tx.read(CURRENT) as number);
      const ok = sums[name] - withdraw >= minimum;
      return `${rupees(sums[name])} together; after withdrawing ${rupees(withdraw)}: ${rupees(sums[name] - withdraw)} ${ok ? '≥' : '<'} minimum → ${ok ? 'allowed' : 'refused'}`;
    });
  }
  attempt('T1', `withdraw ${rupees(withdraw)} from savings`, () => {
    t1.write(SAVINGS, (t1.read(SAVINGS) as number) - withdraw);
    return 'written (not yet committed)';
  });
  attempt('T2', `withdraw ${rupees(withdraw)} from current`, () => {
    t2.write(CURRENT, (t2.read(CURRENT) as number) - withdraw);
    return 'written (not yet committed)';
  });
  const committed: Array<'T1' | 'T2'> = [];
  for (const [name, tx] of [['T1', t1], ['T2', t2]] as const) {
    if (!alive[name]) continue;
    db.commit(tx, (outcome) => {
      if (outcome.status === 'committed') committed.push(name);
      log(name, 'commit', outcome.status === 'committed' ? `committed (commit record at LSN ${outcome.commitLsn})` : `aborted: ${outcome.detail}`);
    });
  }
  h.sim.run(h.sim.nowMs() + 10);
  const savings = db.readCommitted(SAVINGS) as number;
  const current = db.readCommitted(CURRENT) as number;
  const together = savings + current;
  log('—', 'final balances', `savings ${rupees(savings)}, current ${rupees(current)}: ${rupees(together)} together ${together >= minimum ? '≥' : '<'} minimum ${rupees(minimum)}`);
  return { isolation: options.isolation, steps, committed, savingsPaise: savings, currentPaise: current, togetherPaise: together, minimumTogetherPaise: minimum, minimumBroken: together < minimum };
}
