/**
 * A core-banking ledger on the simulator: a primary database node (and optionally a
 * standby fed by WAL shipping), with teller clients sending transfers over the network.
 * It returns plain records — the transfer history, database events (recoveries,
 * checkpoints, replay lag) — and can check the ledger's invariants at any time.
 */
import { LimitExceededError, NodeBehaviour, NodeContext, OptionError, Simulation, checkKnownKeys, checkNumber, checkOneOf } from '../../sim';
import { Database, DatabaseEvent, DatabaseOptions } from '../../storage/database';
import { ISOLATION_LEVELS, Isolation } from '../../storage/transaction';
import type { RecoveryCostModel } from '../../storage/database';
import type { WalOptions } from '../../storage/write-ahead-log';
import { LedgerCheckResult, checkLedger } from '../../check/ledger-check';
import { TransferRequest, TransferResult, openAccountsOnce, runTransfer, transferKey } from './transfer';

export interface LedgerNodeOptions {
  id?: string;
  region?: string;
  /** fsync latency, ms. Default 1. */
  fsyncMs?: number;
}

export interface LedgerLoadOptions {
  /** Teller clients. Default 4. */
  clients?: number;
  region?: string;
  /** Transfers per second sent by each client (Poisson arrivals). Default 100. */
  ratePerSecPerClient?: number;
  /** When clients start sending, ms. Default 100 (after the accounts are opened). */
  startMs?: number;
  /** When clients stop sending new transfers, ms. */
  stopMs: number;
  /** Largest transfer, paise. Default ₹2,000. */
  maxAmountPaise?: number;
  /** A client gives up on a reply after this long (outcome unknown). Default 2000 ms. */
  timeoutMs?: number;
}

export interface LedgerClusterOptions {
  sim: Simulation;
  /** Number of accounts, named a01, a02, ... Default 20. */
  accounts?: number;
  /** Opening balance of every account, paise. Default ₹10,000. */
  openingBalancePaise?: number;
  isolation?: Isolation;
  primary?: LedgerNodeOptions;
  /** A standby fed by WAL shipping; null or absent for none. */
  standby?: (LedgerNodeOptions & { replayPerFrameMs?: number }) | null;
  /** With a standby: 'sync' waits for its flush before acknowledging. Default 'async'. */
  replication?: 'async' | 'sync';
  database?: {
    checkpointEveryMs?: number | null;
    checkpointEveryFrames?: number | null;
    wal?: WalOptions;
    recoveryCost?: Partial<RecoveryCostModel>;
  };
  load?: LedgerLoadOptions;
}

const CLUSTER_KEYS = ['sim', 'accounts', 'openingBalancePaise', 'isolation', 'primary', 'standby', 'replication', 'database', 'load'];
const LOAD_KEYS = ['clients', 'region', 'ratePerSecPerClient', 'startMs', 'stopMs', 'maxAmountPaise', 'timeoutMs'];

/** One transfer as a client saw it. returnMs null: no answer (timed out) — it may or may not have committed. */
export interface TransferOperation {
  client: string;
  request: TransferRequest;
  callMs: number;
  returnMs: number | null;
  result: TransferResult | null;
}

export interface LedgerCluster {
  readonly sim: Simulation;
  readonly primaryId: string;
  readonly standbyId: string | null;
  readonly clientIds: string[];
  readonly openingBalances: Record<string, number>;
  readonly history: TransferOperation[];
  /** Ids whose commit record was appended on some ledger node. */
  readonly commitRequested: Set<string>;
  readonly events: DatabaseEvent[];
  /** The node clients currently send to (changes on promotion). */
  target(): string;
  db(nodeId?: string): Database;
  /** Promotes the standby and points the clients at it. */
  promoteStandby(): void;
  /** Checks the ledger invariants on a node's current committed state. */
  check(nodeId?: string): LedgerCheckResult;
  /** Acknowledged transfers missing on a node (e.g. lost by an asynchronous failover). */
  lostAcknowledged(nodeId: string): string[];
  /** Replay lag samples from the standby. */
  replayLag(): Array<{ timeMs: number; lagMs: number; lsn: number }>;
}

interface LedgerNode extends NodeBehaviour {
  readonly db: Database;
}

const HISTORY_MAX = 1_000_000;
const EVENTS_MAX = 2_000_000;

export function ledgerCluster(options: LedgerClusterOptions): LedgerCluster {
  checkKnownKeys('ledgerCluster options', options, CLUSTER_KEYS);
  const sim = options.sim;
  if (!(sim instanceof Simulation)) throw new OptionError('ledgerCluster sim: got no Simulation; allowed: new Simulation({ seed })');
  const accountCount = checkNumber('ledgerCluster accounts', options.accounts ?? 20, { integer: true, min: 2, max: 100_000 });
  const opening = checkNumber('ledgerCluster openingBalancePaise', options.openingBalancePaise ?? 1_000_000, { integer: true, min: 0 });
  const isolation = checkOneOf<Isolation>('ledgerCluster isolation', options.isolation ?? 'snapshot', ISOLATION_LEVELS);
  const replication = checkOneOf('ledgerCluster replication', options.replication ?? 'async', ['async', 'sync'] as const);
  const primaryId = options.primary?.id ?? 'ledger';
  const standbyId = options.standby ? options.standby.id ?? 'ledger-standby' : null;
  const openingBalances: Record<string, number> = {};
  const digits = String(accountCount).length;
  const accounts: string[] = [];
  for (let i = 1; i <= accountCount; i++) {
    const name = `a${String(i).padStart(Math.max(2, digits), '0')}`;
    accounts.push(name);
    openingBalances[name] = opening;
  }
  const history: TransferOperation[] = [];
  const commitRequested = new Set<string>();
  const events: DatabaseEvent[] = [];
  let target = primaryId;

  const databaseOptions = (role: 'primary' | 'standby'): DatabaseOptions => ({
    role,
    wal: options.database?.wal,
    recoveryCost: options.database?.recoveryCost,
    checkpointEveryMs: options.database?.checkpointEveryMs ?? null,
    checkpointEveryFrames: options.database?.checkpointEveryFrames ?? null,
    replication:
      role === 'primary'
        ? { standbys: standbyId ? [standbyId] : [], mode: replication }
        : { primary: primaryId, replayPerFrameMs: options.standby?.replayPerFrameMs },
    onEvent: (e) => {
      if (events.length >= EVENTS_MAX) throw new LimitExceededError(`ledgerCluster: ${EVENTS_MAX} database events recorded, its limit; run shorter or drop the standby's lag samples`);
      events.push(e);
    },
  });

  const ledgerBehaviour = (ctx: NodeContext, role: 'primary' | 'standby'): LedgerNode => {
    const db = Database.open(ctx, databaseOptions(role));
    db.whenReady(() => openAccountsOnce(db, openingBalances));
    return {
      db,
      onMessage(from, message) {
        if (db.handleReplicationMessage(from, message)) return;
        const m = message as { type?: string; request?: TransferRequest };
        if (m.type !== 'transfer' || !m.request) return;
        runTransfer(db, m.request, isolation, (result) => ctx.send(from, { type: 'transfer-result', result }, 64), {
          onCommitRequested: (id) => commitRequested.add(id),
        });
      },
    };
  };

  sim.addNode<LedgerNode>({ id: primaryId, region: options.primary?.region ?? 'mumbai', fsyncMs: options.primary?.fsyncMs ?? 1, create: (ctx) => ledgerBehaviour(ctx, 'primary') });
  if (standbyId && options.standby) {
    sim.addNode<LedgerNode>({ id: standbyId, region: options.standby.region ?? 'pune', fsyncMs: options.standby.fsyncMs ?? 1, create: (ctx) => ledgerBehaviour(ctx, 'standby') });
  }

  const clientIds: string[] = [];
  if (options.load) {
    const load = options.load;
    checkKnownKeys('ledgerCluster load', load, LOAD_KEYS);
    const clients = checkNumber('load.clients', load.clients ?? 4, { integer: true, min: 1, max: 1000 });
    const rate = checkNumber('load.ratePerSecPerClient', load.ratePerSecPerClient ?? 100, { min: 0.001 });
    const startMs = checkNumber('load.startMs', load.startMs ?? 100, { min: 0 });
    const stopMs = checkNumber('load.stopMs', load.stopMs, { min: startMs });
    const maxAmount = checkNumber('load.maxAmountPaise', load.maxAmountPaise ?? 200_000, { integer: true, min: 1 });
    const timeoutMs = checkNumber('load.timeoutMs', load.timeoutMs ?? 2000, { min: 1 });
    let sequence = 0;
    for (let c = 1; c <= clients; c++) {
      const id = `teller-${c}`;
      clientIds.push(id);
      sim.addNode({
        id,
        region: load.region ?? 'mumbai',
        create: (ctx) => {
          const waiting = new Map<string, { index: number; timer: number }>();
          const sendNext = () => {
            if (ctx.simTimeMs() >= stopMs) return;
            const from = ctx.random.pick(accounts);
            let to = ctx.random.pick(accounts);
            while (to === from) to = ctx.random.pick(accounts);
            const request: TransferRequest = { id: `t${++sequence}`, from, to, amountPaise: ctx.random.int(1, maxAmount) };
            if (history.length >= HISTORY_MAX) throw new Error(`ledgerCluster: history holds ${HISTORY_MAX} transfers, its limit`);
            const index = history.push({ client: id, request, callMs: ctx.simTimeMs(), returnMs: null, result: null }) - 1;
            const timer = ctx.setTimer(timeoutMs, () => waiting.delete(request.id));
            waiting.set(request.id, { index, timer });
            ctx.send(target, { type: 'transfer', request }, 64);
            ctx.setTimer(ctx.random.exponential(1000 / rate), sendNext);
          };
          return {
            onStart() {
              ctx.setTimer(Math.max(0, startMs - ctx.simTimeMs()) + ctx.random.exponential(1000 / rate), sendNext);
            },
            onMessage(_from, message) {
              const m = message as { type?: string; result?: TransferResult };
              if (m.type !== 'transfer-result' || !m.result) return;
              const entry = waiting.get(m.result.id);
              if (!entry) return; // too late: already counted as unknown
              waiting.delete(m.result.id);
              ctx.cancelTimer(entry.timer);
              history[entry.index].returnMs = ctx.simTimeMs();
              history[entry.index].result = m.result;
            },
          };
        },
      });
    }
  }

  const dbOf = (nodeId: string = target): Database => {
    const behaviour = sim.node<LedgerNode>(nodeId).behaviour;
    if (!behaviour) throw new OptionError(`ledgerCluster db(${nodeId}): the node is down`);
    return behaviour.db;
  };

  return {
    sim,
    primaryId,
    standbyId,
    clientIds,
    openingBalances,
    history,
    commitRequested,
    events,
    target: () => target,
    db: dbOf,
    promoteStandby() {
      if (!standbyId) throw new OptionError('promoteStandby: this cluster has no standby (pass standby: { region })');
      dbOf(standbyId).promote();
      target = standbyId;
    },
    check(nodeId = target) {
      const acknowledged: string[] = [];
      const refused: string[] = [];
      for (const op of history) {
        if (!op.result) continue;
        if (op.result.status === 'committed') acknowledged.push(op.request.id);
        else refused.push(op.request.id);
      }
      return checkLedger({ rows: dbOf(nodeId).committedRows(), openingBalances, acknowledged, refused, commitRequested });
    },
    lostAcknowledged(nodeId) {
      const db = dbOf(nodeId);
      return history.filter((op) => op.result && op.result.status === 'committed' && db.readCommitted(transferKey(op.request.id)) === undefined).map((op) => op.request.id);
    },
    replayLag() {
      const out: Array<{ timeMs: number; lagMs: number; lsn: number }> = [];
      for (const e of events) if (e.kind === 'commit-replayed') out.push({ timeMs: e.atMs, lagMs: e.lagMs, lsn: e.lsn });
      return out;
    },
  };
}
