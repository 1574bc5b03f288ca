/**
 * CDC on a real PostgreSQL primary, end to end: a writer commits (and sometimes rolls back)
 * balance updates while a consumer decodes the slot, applies each transaction to an in-memory
 * projection and only then confirms it. Mid-stream the consumer's session is killed with
 * pg_terminate_backend between apply and confirm; a new consumer resumes from the slot's
 * confirmed LSN and is sent those transactions again, which the projection recognises by commit
 * LSN. After the drain the projection must equal the table, with every committed change applied
 * once. Then a second, abandoned slot shows the classic outage — the primary keeps WAL for it
 * without bound — and the fix, max_slot_wal_keep_size, which invalidates the slot instead.
 *
 * Wall-clock times here are real measurements of a real server (they vary from run to run); the
 * correctness results do not.
 */
import type { Client } from 'pg';
import { Rng } from '../sim/rng';
import { checkKnownKeys, checkNumber } from '../util/option-error';
import { LocalPgCluster } from './local-cluster';
import { PgProjection, SlotRow, confirmLsn, createLogicalSlot, dropSlot, peekTransactions, readSlots } from './logical-cdc';

export interface PgCdcOptions {
  seed?: number;
  /** Writer transactions. Default 300. */
  transactions?: number;
  accounts?: number;
  rollbackFraction?: number;
  /** The consumer is killed after applying (not confirming) this batch. Default 2. */
  killAfterBatch?: number;
  /** Rows per peek. Default 40. */
  batchRows?: number;
  /** WAL-growth rounds for the abandoned slot. Default 4, each about 4 MB of WAL. */
  walRounds?: number;
  /** Use this cluster (started with wal_level=logical) instead of starting one. */
  cluster?: LocalPgCluster;
}

export interface PgCdcResult {
  seed: number;
  committedTransactions: number;
  rolledBackTransactions: number;
  committedChanges: number;
  consumerKills: number;
  /** Transactions the slot sent again after the kill (skipped by the projection). */
  transactionsRedelivered: number;
  changesApplied: number;
  projectionMatchesTable: boolean;
  mismatches: string[];
  /** COMMIT sent by the writer → applied in the projection, ms, per transaction. */
  delaysMs: number[];
  /** Slot lag while streaming: ms since start, bytes behind. */
  lagSamples: Array<{ atMs: number; lagBytes: number }>;
  /** Retained WAL per slot after each round of writes + CHECKPOINT. */
  walGrowth: Array<{ round: number; walWrittenBytes: number; slot: string; retainedWalBytes: number }>;
  /** The abandoned slot after max_slot_wal_keep_size and a checkpoint. */
  afterLimit: { maxSlotWalKeepSize: string; retainedBeforeCheckpointBytes: number; walStatus: string | null; retainedWalBytes: number };
  slotsLeftAfterDrop: number;
  durationMs: number;
}

const OPTION_KEYS = ['seed', 'transactions', 'accounts', 'rollbackFraction', 'killAfterBatch', 'batchRows', 'walRounds', 'cluster'];
export const CDC_SLOT = 'fraud_cdc';
export const ABANDONED_SLOT = 'abandoned_analytics';
const MAX_POLLS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPgCdc(options: PgCdcOptions = {}): Promise<PgCdcResult> {
  checkKnownKeys('runPgCdc options', options, OPTION_KEYS);
  const seed = checkNumber('seed', options.seed ?? 8, { integer: true });
  const transactions = checkNumber('transactions', options.transactions ?? 300, { integer: true, min: 1, max: 100_000 });
  const accounts = checkNumber('accounts', options.accounts ?? 8, { integer: true, min: 1, max: 10_000 });
  const rollbackFraction = checkNumber('rollbackFraction', options.rollbackFraction ?? 0.1, { min: 0, max: 1 });
  const killAfterBatch = checkNumber('killAfterBatch', options.killAfterBatch ?? 2, { integer: true, min: 0 });
  const batchRows = checkNumber('batchRows', options.batchRows ?? 40, { integer: true, min: 3 });
  const walRounds = checkNumber('walRounds', options.walRounds ?? 4, { integer: true, min: 1, max: 50 });
  const started = Date.now();
  const cluster = options.cluster ?? (await LocalPgCluster.start({ fsync: false, settings: { wal_level: 'logical' } }));
  const admin = await cluster.connect('primary');
  try {
    await admin.query(`DROP TABLE IF EXISTS accounts, wal_filler`);
    await admin.query(`CREATE TABLE accounts (id int PRIMARY KEY, balance_paise bigint NOT NULL, v int NOT NULL)`);
    await admin.query(`ALTER TABLE accounts REPLICA IDENTITY FULL`);
    await createLogicalSlot(admin, CDC_SLOT);
    await createLogicalSlot(admin, ABANDONED_SLOT);

    // ---- writer
    const rng = new Rng(seed);
    const commitAtMs = new Map<number, number>();
    let committedTransactions = 0;
    let rolledBackTransactions = 0;
    let writerDone = false;
    const writerClient = await cluster.connect('primary');
    const writer = (async () => {
      try {
        for (let i = 0; i < transactions; i++) {
          const id = rng.int(1, accounts);
          const amount = rng.int(-500, 1000) * 100;
          const rollback = rng.chance(rollbackFraction);
          await writerClient.query('BEGIN');
          const [{ xid }] = (await writerClient.query(`SELECT txid_current()::text AS xid`)).rows as Array<{ xid: string }>;
          await writerClient.query(
            `INSERT INTO accounts (id, balance_paise, v) VALUES ($1, $2, 1)
               ON CONFLICT (id) DO UPDATE SET balance_paise = accounts.balance_paise + EXCLUDED.balance_paise, v = accounts.v + 1`,
            [id, amount],
          );
          if (rollback) {
            await writerClient.query('ROLLBACK');
            rolledBackTransactions++;
          } else {
            // Stamped when COMMIT is sent: the consumer may decode the transaction before the
            // client has read the server's answer, but never before the COMMIT left the client.
            commitAtMs.set(Number(xid), Date.now());
            await writerClient.query('COMMIT');
            committedTransactions++;
          }
          if (i % 10 === 9) await sleep(2);
        }
      } finally {
        writerDone = true;
      }
    })();

    // ---- consumer: peek, apply, confirm; killed once between apply and confirm
    const projection = new PgProjection('public.accounts', 'id');
    const appliedAtMs = new Map<number, number>();
    const lagSamples: PgCdcResult['lagSamples'] = [];
    let consumer: Client = await cluster.connect('primary');
    let consumerKills = 0;
    let batch = 0;
    for (let polls = 0; ; polls++) {
      if (polls >= MAX_POLLS) throw new Error(`runPgCdc: the consumer did not drain the slot in ${MAX_POLLS} polls`);
      const { transactions: txs, rows } = await peekTransactions(consumer, CDC_SLOT, batchRows);
      for (const tx of txs) {
        if (projection.apply(tx)) appliedAtMs.set(tx.xid, Date.now());
      }
      const slot = (await readSlots(admin)).find((s) => s.slot === CDC_SLOT) as SlotRow;
      lagSamples.push({ atMs: Date.now() - started, lagBytes: slot.lagBytes });
      if (txs.length > 0) {
        batch++;
        if (batch === killAfterBatch && consumerKills === 0) {
          // The consumer's session dies after applying and before confirming.
          const pid = ((await consumer.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
          consumer.on('error', () => undefined);
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await confirmLsn(consumer, CDC_SLOT, txs[txs.length - 1].commitLsn).then(
            () => { throw new Error('runPgCdc: the killed consumer could still confirm'); },
            () => undefined,
          );
          await consumer.end().catch(() => undefined);
          consumerKills++;
          consumer = await cluster.connect('primary'); // a new consumer resumes from the confirmed LSN
          continue;
        }
        await confirmLsn(consumer, CDC_SLOT, txs[txs.length - 1].commitLsn);
      } else if (rows === 0 && writerDone) {
        break;
      } else {
        await sleep(10);
      }
    }
    await writer;
    await writerClient.end();
    const delaysMs = [...appliedAtMs].map(([xid, at]) => at - (commitAtMs.get(xid) ?? NaN)).filter((d) => Number.isFinite(d));
    await consumer.end();

    // ---- verify: the projection equals the table
    const table = (await admin.query(`SELECT id, balance_paise, v FROM accounts ORDER BY id`)).rows as Array<{ id: number; balance_paise: string; v: number }>;
    const mismatches: string[] = [];
    for (const row of table) {
      const p = projection.rows.get(String(row.id));
      if (!p || Number(p.balance_paise) !== Number(row.balance_paise) || Number(p.v) !== row.v) mismatches.push(`id ${row.id}: table ${row.balance_paise}/v${row.v}, projection ${JSON.stringify(p ?? null)}`);
    }
    if (projection.rows.size !== table.length) mismatches.push(`${table.length} rows in the table, ${projection.rows.size} in the projection`);

    // ---- the abandoned slot: WAL retained without bound, then max_slot_wal_keep_size
    await admin.query(`CREATE TABLE wal_filler (id int, pad text)`);
    const walGrowth: PgCdcResult['walGrowth'] = [];
    const [{ lsn: startLsn }] = (await admin.query(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows as Array<{ lsn: string }>;
    for (let round = 1; round <= walRounds; round++) {
      await admin.query(`INSERT INTO wal_filler SELECT g, repeat('x', 200) FROM generate_series(1, 15000) g`);
      // The live consumer keeps up (confirms what it read); the abandoned slot never moves.
      const { transactions: txs } = await peekTransactions(admin, CDC_SLOT, 1_000_000);
      if (txs.length > 0) await confirmLsn(admin, CDC_SLOT, txs[txs.length - 1].commitLsn);
      await admin.query('CHECKPOINT');
      const [{ written }] = (await admin.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS written`, [startLsn])).rows as Array<{ written: string }>;
      for (const s of await readSlots(admin)) walGrowth.push({ round, walWrittenBytes: Number(written), slot: s.slot, retainedWalBytes: s.retainedWalBytes });
    }
    // The fix: cap what a slot may hold. (wal_keep_size, which this cluster sets for its physical
    // standbys, would keep the WAL anyway: set to 0 so that only the slot cap decides.)
    const limit = '16MB';
    await admin.query(`ALTER SYSTEM SET max_slot_wal_keep_size = '${limit}'`);
    await admin.query(`ALTER SYSTEM SET wal_keep_size = 0`);
    await admin.query('SELECT pg_reload_conf()');
    await admin.query(`INSERT INTO wal_filler SELECT g, repeat('x', 200) FROM generate_series(1, 15000) g`);
    await admin.query('SELECT pg_switch_wal()');
    const before = (await readSlots(admin)).find((s) => s.slot === ABANDONED_SLOT) as SlotRow;
    await admin.query('CHECKPOINT');
    const abandoned = (await readSlots(admin)).find((s) => s.slot === ABANDONED_SLOT) as SlotRow;
    const afterLimit = { maxSlotWalKeepSize: limit, retainedBeforeCheckpointBytes: before.retainedWalBytes, walStatus: abandoned.walStatus, retainedWalBytes: abandoned.retainedWalBytes };
    await admin.query('ALTER SYSTEM RESET max_slot_wal_keep_size');
    await admin.query('ALTER SYSTEM RESET wal_keep_size');
    await admin.query('SELECT pg_reload_conf()');

    // ---- teardown of the slots: a slot left behind would hold WAL forever
    await dropSlot(admin, CDC_SLOT);
    await dropSlot(admin, ABANDONED_SLOT);
    const slotsLeftAfterDrop = (await readSlots(admin)).length;

    // Every writer transaction changes exactly one row.
    const committedChanges = committedTransactions;
    return {
      seed,
      committedTransactions,
      rolledBackTransactions,
      committedChanges,
      consumerKills,
      transactionsRedelivered: projection.transactionsSkipped,
      changesApplied: projection.changesApplied,
      projectionMatchesTable: mismatches.length === 0,
      mismatches,
      delaysMs,
      lagSamples,
      walGrowth,
      afterLimit,
      slotsLeftAfterDrop,
      durationMs: Date.now() - started,
    };
  } finally {
    await admin.end().catch(() => undefined);
    if (!options.cluster) await cluster.teardown();
  }
}
