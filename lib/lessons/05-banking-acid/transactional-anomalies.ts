/**
 * Notebook 05, section "The checker names the anomaly": the bank's own storage engine
 * (lib/storage: MVCC snapshot isolation, or strict two-phase locking for 'serializable') runs
 * concurrent banking transactions, every transaction's reads and writes are recorded as an
 * rw-register history, and the transactional checker (lib/check, Elle's method) says which
 * isolation anomalies happened and draws the cycle that proves each.
 *
 * Values stored are unique per account ("<paise>@<writer>"), so every value read names the
 * transaction that wrote it; each transaction reads an account before writing it, which tells the
 * checker the write follows that read (Elle's `wfrKeys`).
 */
import { checkTransactionRecords, TransactionRecord, TxnCheckResult } from '../../check';
import { Rng } from '../../sim';
import { Isolation, singleNodeDatabase, Transaction, TransactionAbortedError } from '../../storage';
import { OptionError } from '../../util';

export interface BankingHistoryOptions {
  seed: number;
  isolation: Isolation;
  /** Concurrent clients (tellers, ATMs, the UPI gateway). Default 4. */
  clients?: number;
  /** Transactions per client. Default 10. */
  transactionsPerClient?: number;
  /** Customers, each with a savings and a current account under a joint minimum. Default 2. */
  customers?: number;
}

export interface BankingHistory {
  seed: number;
  isolation: Isolation;
  records: TransactionRecord[];
  committed: number;
  aborted: number;
  /** Customers whose two accounts ended below the joint minimum together. */
  minimumBroken: number;
}

const OPENING_PAISE = 600_000;
const MINIMUM_TOGETHER_PAISE = 1_000_000;
const WITHDRAW_PAISE = 200_000;

const paise = (v: unknown): number => Number(String(v).split('@')[0]);


/**
 * Runs the banking workload under `isolation` with a seeded interleaving: at every step one
 * client, picked at random, does its next action (begin, read, write, commit). Each transaction
 * withdraws from one account of a customer after checking the customer's joint minimum — the
 * shape that invites write skew — or moves money between the two accounts.
 */
export function recordBankingHistory(options: BankingHistoryOptions): BankingHistory {
  const clients = options.clients ?? 4;
  const perClient = options.transactionsPerClient ?? 10;
  const customers = options.customers ?? 2;
  for (const [name, v, max] of [['clients', clients, 32], ['transactionsPerClient', perClient, 1000], ['customers', customers, 100]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new OptionError(`recordBankingHistory: ${name} = ${JSON.stringify(v)} is not allowed; allowed: an integer from 1 to ${max}`);
  }
  const h = singleNodeDatabase({ seed: options.seed });
  h.runUntilReady();
  const db = h.db();
  const rng = new Rng(options.seed + 1);
  const accounts: string[] = [];
  const setup = db.begin();
  for (let c = 0; c < customers; c++) {
    for (const kind of ['savings', 'current']) {
      const key = `c${c}-${kind}`;
      accounts.push(key);
      setup.write(key, `${OPENING_PAISE}@v0`);
    }
  }
  const records: TransactionRecord[] = [];
  db.commit(setup, () => undefined);
  h.sim.run(h.sim.nowMs() + 5);
  records.push({ process: 'setup', callMs: 0, returnMs: h.sim.nowMs(), outcome: 'committed', ops: accounts.map((a) => ['w', a, `${OPENING_PAISE}@v0`]) });

  interface Client { process: number; left: number; steps: Array<() => void>; tx: Transaction | null; record: TransactionRecord | null }
  /** Each account's versions are numbered, so every stored value is unique: "400000@v2". */
  const versionCounter = new Map<string, number>();
  const planTransaction = (client: Client): void => {
    const customer = rng.int(0, customers - 1);
    const savings = `c${customer}-savings`;
    const current = `c${customer}-current`;
    const from = rng.chance(0.5) ? savings : current;
    const record: TransactionRecord = { process: client.process, callMs: 0, returnMs: null, outcome: 'unknown', ops: [] };
    const read = (key: string) => () => {
      const v = (client.tx as Transaction).read(key) as string;
      record.ops.push(['r', key, v]);
    };
    const withdraw = () => {
      const together = record.ops.filter((m) => m[0] === 'r').reduce((s, m) => s + paise(m[2]), 0);
      if (together - WITHDRAW_PAISE < MINIMUM_TOGETHER_PAISE) return; // refused by the business rule
      const before = record.ops.find((m) => m[0] === 'r' && m[1] === from) as ['r', string, string];
      const version = (versionCounter.get(from) ?? 0) + 1;
      versionCounter.set(from, version);
      const value = `${paise(before[2]) - WITHDRAW_PAISE}@v${version}`;
      (client.tx as Transaction).write(from, value);
      record.ops.push(['w', from, value]);
    };
    client.record = record;
    client.steps = [
      () => {
        client.tx = db.begin({ isolation: options.isolation });
        record.callMs = h.sim.nowMs();
      },
      read(savings),
      read(current),
      withdraw,
      () => {
        const tx = client.tx as Transaction;
        db.commit(tx, (outcome) => {
          record.returnMs = h.sim.nowMs();
          record.outcome = outcome.status === 'committed' ? 'committed' : 'aborted';
        });
      },
    ];
  };
  const all: Client[] = Array.from({ length: clients }, (_, process) => ({ process, left: perClient, steps: [], tx: null, record: null }));
  for (const c of all) planTransaction(c);
  let guard = 0;
  while (all.some((c) => c.steps.length > 0) && guard++ < 1_000_000) {
    const active = all.filter((c) => c.steps.length > 0);
    const client = rng.pick(active);
    const step = client.steps.shift() as () => void;
    try {
      step();
    } catch (error) {
      if (!(error instanceof TransactionAbortedError)) throw error;
      // Refused by the engine (a lock conflict or first-updater-wins): the transaction is over.
      const record = client.record as TransactionRecord;
      record.returnMs = h.sim.nowMs();
      record.outcome = 'aborted';
      client.steps = [];
    }
    h.sim.run(h.sim.nowMs() + 1);
    if (client.steps.length === 0) {
      records.push(client.record as TransactionRecord);
      client.left -= 1;
      if (client.left > 0) planTransaction(client);
    }
  }
  h.sim.run(h.sim.nowMs() + 20);
  // A commit that never reported back is 'unknown' (none should be: the node does not crash here).
  for (const r of records) if (r.returnMs === null) r.outcome = 'unknown';
  let minimumBroken = 0;
  for (let c = 0; c < customers; c++) {
    const together = paise(db.readCommitted(`c${c}-savings`)) + paise(db.readCommitted(`c${c}-current`));
    if (together < MINIMUM_TOGETHER_PAISE) minimumBroken += 1;
  }
  return {
    seed: options.seed,
    isolation: options.isolation,
    records,
    committed: records.filter((r) => r.outcome === 'committed').length,
    aborted: records.filter((r) => r.outcome === 'aborted').length,
    minimumBroken,
  };
}

/** Checks a banking history for serializability (the bank's requirement), with the engine's facts. */
export function checkBankingHistory(history: BankingHistory): TxnCheckResult {
  return checkTransactionRecords(history.records, { workload: 'rw-register', consistencyModels: ['serializable'], wfrKeys: true });
}

export interface AnomalySweepRow {
  isolation: Isolation;
  runs: number;
  /** Runs whose history the checker found not serializable. */
  runsWithAnomalies: number;
  /** Runs in which a customer's joint minimum was broken. */
  runsMinimumBroken: number;
  /** How many runs showed each anomaly type. */
  byType: Record<string, number>;
  committed: number;
  aborted: number;
}

/** The same workload over `seeds` seeds under each isolation level: counts, not one lucky run. */
export function sweepBankingAnomalies(options: { seeds: readonly number[]; isolations?: readonly Isolation[] } & Omit<BankingHistoryOptions, 'seed' | 'isolation'>): AnomalySweepRow[] {
  const isolations = options.isolations ?? ['snapshot', 'serializable'];
  return isolations.map((isolation) => {
    const row: AnomalySweepRow = { isolation, runs: 0, runsWithAnomalies: 0, runsMinimumBroken: 0, byType: {}, committed: 0, aborted: 0 };
    for (const seed of options.seeds) {
      const history = recordBankingHistory({ ...options, seed, isolation });
      const result = checkBankingHistory(history);
      row.runs += 1;
      row.committed += history.committed;
      row.aborted += history.aborted;
      if (history.minimumBroken > 0) row.runsMinimumBroken += 1;
      if (result.valid === false) row.runsWithAnomalies += 1;
      for (const t of result.anomalyTypes) row.byType[t] = (row.byType[t] ?? 0) + 1;
    }
    return row;
  });
}
