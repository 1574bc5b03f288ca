import * as mysql from 'mysql2/promise';
import { GaleraCluster } from './local-galera-cluster';

/**
 * Two Galera experiments. Conflicts: clients on two nodes debit the same UPI account at the same
 * time, each debit a transaction (read balance, write balance − 1); Galera certifies each write
 * set in one global order, aborts the loser with a deadlock error at commit, and the final
 * balance equals the opening balance minus the debits that committed — no lost update, unlike
 * last-writer-wins. That holds across nodes; on one node, InnoDB's REPEATABLE READ lets two
 * transactions read the same snapshot balance and both write, so the read must lock
 * (`lockingRead`, SELECT ... FOR UPDATE) or the debits of one node overwrite each other. Non-primary: the two other nodes are killed, the survivor is a minority
 * (a non-primary component) and refuses reads and writes rather than diverge.
 */
export interface ConflictResult {
  /** SELECT ... FOR UPDATE (true) or a plain snapshot read (false) before the write. */
  lockingRead: boolean;
  committed: number;
  /** Commits aborted by certification (ER_LOCK_DEADLOCK, 1213). */
  certificationConflicts: number;
  otherErrors: number;
  openingBalance: number;
  finalBalance: number;
  /** openingBalance − committed; equal to finalBalance when no update was lost. */
  expectedBalance: number;
  perNode: Array<{ node: string; committed: number; conflicts: number }>;
}

const DEADLOCK = 1213;

export async function runConflictingDebits(cluster: GaleraCluster, options: { clientsPerNode?: number; debitsPerClient?: number; openingBalance?: number; lockingRead?: boolean } = {}): Promise<ConflictResult> {
  const clientsPerNode = options.clientsPerNode ?? 3;
  const debitsPerClient = options.debitsPerClient ?? 40;
  const openingBalance = options.openingBalance ?? 100_000;
  const lockingRead = options.lockingRead ?? true;
  const [a, b] = cluster.nodes;
  const setup = await cluster.connect(a.name);
  await setup.query('CREATE DATABASE IF NOT EXISTS upi');
  await setup.query('DROP TABLE IF EXISTS upi.accounts');
  await setup.query('CREATE TABLE upi.accounts (id INT PRIMARY KEY, balance INT NOT NULL)');
  await setup.query('INSERT INTO upi.accounts VALUES (1, ?)', [openingBalance]);
  await setup.end();
  // Galera applies asynchronously after certification; wait until the second node has the row.
  const check = await cluster.connect(b.name);
  await check.query('SET SESSION wsrep_sync_wait = 1');
  await check.query('SELECT balance FROM upi.accounts WHERE id = 1');
  await check.end();

  const perNode = [a, b].map((n) => ({ node: n.name, committed: 0, conflicts: 0 }));
  let otherErrors = 0;
  const client = async (nodeIndex: number): Promise<void> => {
    const connection: mysql.Connection = await cluster.connect(perNode[nodeIndex].node);
    try {
      for (let i = 0; i < debitsPerClient; i++) {
        try {
          await connection.beginTransaction();
          const [rows] = await connection.query(`SELECT balance FROM upi.accounts WHERE id = 1${lockingRead ? ' FOR UPDATE' : ''}`);
          const balance = (rows as Array<{ balance: number }>)[0].balance;
          await connection.query('UPDATE upi.accounts SET balance = ? WHERE id = 1', [balance - 1]);
          await connection.commit();
          perNode[nodeIndex].committed++;
        } catch (error) {
          await connection.rollback().catch(() => undefined);
          if ((error as { errno?: number }).errno === DEADLOCK) perNode[nodeIndex].conflicts++;
          else otherErrors++;
        }
      }
    } finally {
      await connection.end();
    }
  };
  const clients: Array<Promise<void>> = [];
  for (let c = 0; c < clientsPerNode; c++) clients.push(client(0), client(1));
  await Promise.all(clients);
  const reader = await cluster.connect(a.name);
  await reader.query('SET SESSION wsrep_sync_wait = 1');
  const [rows] = await reader.query('SELECT balance FROM upi.accounts WHERE id = 1');
  await reader.end();
  const finalBalance = (rows as Array<{ balance: number }>)[0].balance;
  const committed = perNode.reduce((s, n) => s + n.committed, 0);
  return {
    lockingRead,
    committed,
    certificationConflicts: perNode.reduce((s, n) => s + n.conflicts, 0),
    otherErrors,
    openingBalance,
    finalBalance,
    expectedBalance: openingBalance - committed,
    perNode,
  };
}

export interface NonPrimaryResult {
  survivor: string;
  component: string;
  clusterSize: number;
  writeRefused: boolean;
  error: string;
}

/** Kills every node but the last; the survivor, alone, must refuse a write. Destroys the cluster's quorum. */
export async function runNonPrimaryWrite(cluster: GaleraCluster, timeoutMs = 15_000): Promise<NonPrimaryResult> {
  const survivor = cluster.nodes[cluster.nodes.length - 1].name;
  const connection = await cluster.connect(survivor);
  for (const node of cluster.nodes.slice(0, -1)) await node.process.kill();
  const deadline = Date.now() + timeoutMs;
  let status = await cluster.status(survivor);
  while (Date.now() < deadline && status?.component === 'Primary') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await cluster.status(survivor);
  }
  let writeRefused = false;
  let error = '';
  try {
    await connection.query('UPDATE upi.accounts SET balance = balance - 1 WHERE id = 1');
  } catch (e) {
    writeRefused = true;
    error = (e as Error).message;
  } finally {
    await connection.end().catch(() => undefined);
  }
  return { survivor, component: status?.component ?? 'unknown', clusterSize: status?.clusterSize ?? 0, writeRefused, error };
}
