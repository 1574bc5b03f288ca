/**
 * Builds a 2PC deployment on the simulator: a coordinator, bank ledgers as participants
 * (each a full Database), optionally a clearing house that records a settlement entry
 * for every transfer, and clients sending inter-bank transfers (NEFT/RTGS style).
 *
 *   const cluster = twoPhaseCommit({ sim, load: { stopMs: 3000 } });
 *   sim.run(5000);
 *   cluster.history    // every transfer: legs, call/return time, decision
 *   cluster.metrics    // in-doubt intervals (the blocking window), votes, decisions
 *   cluster.check()    // atomicity, conservation of money, nothing left in doubt
 */
import { NodeBehaviour, OptionError, Simulation, checkKnownKeys, checkNumber, checkOneOf } from '../../sim';
import { DEFAULT_RECOVERY_COST, Database, ISOLATION_LEVELS } from '../../storage';
import type { Isolation } from '../../storage';
import { AtomicityCheckResult, ParticipantState, checkAtomicity } from '../../check/atomicity-check';
import { CoordinatorNode, coordinatorNode } from './coordinator';
import { Decision, TransferLeg, TwoPhaseMessage, messageType } from './messages';
import { CoordinatorEvent, TwoPhaseMetrics } from './metrics';
import { ParticipantNode, participantNode } from './participant';

export interface SiteOptions {
  id: string;
  region: string;
  /** fsync latency, ms. Default 1. */
  fsyncMs?: number;
}

export interface ProtocolOptions {
  /** The coordinator decides abort when votes are missing after this long. Default 1000 ms. */
  voteTimeoutMs?: number;
  /** The coordinator resends a decision to commit to silent participants this often. Default 300 ms. */
  decisionRetryMs?: number;
  /** A prepared participant starts asking after this long without a decision. Default 500 ms. */
  inDoubtQueryAfterMs?: number;
  /** ... and asks again this often. Default 250 ms. */
  queryEveryMs?: number;
  /** Prepared participants also ask each other. Default true. */
  cooperativeTermination?: boolean;
}

export interface TwoPhaseLoadOptions {
  clients?: number;
  region?: string;
  /** 'open': Poisson arrivals at ratePerSecPerClient; 'closed': each client waits for its answer (plus thinkMs) before the next. Default 'open'. */
  mode?: 'open' | 'closed';
  ratePerSecPerClient?: number;
  thinkMs?: number;
  startMs?: number;
  stopMs: number;
  /** Banks touched by one transfer: 2 is a plain transfer, more is a bulk payout from one bank to several. Default 2. */
  banksPerTransfer?: number;
  maxAmountPaise?: number;
  /** A client stops waiting after this long (outcome unknown to it). Default 5000 ms. */
  timeoutMs?: number;
}

export interface LocalLoadSpec {
  ratePerSec: number;
  startMs?: number;
  stopMs: number;
  maxAmountPaise?: number;
}

export interface TwoPhaseCommitOptions {
  sim: Simulation;
  coordinator?: Partial<SiteOptions>;
  banks?: SiteOptions[];
  /** The clearing house; null for none. Default { id: 'clearing', region: 'mumbai' }. */
  clearing?: Partial<SiteOptions> | null;
  accountsPerBank?: number;
  openingBalancePaise?: number;
  isolation?: Isolation;
  protocol?: ProtocolOptions;
  /** Checkpoint interval of every participant and of the coordinator. Default 1000 ms. */
  checkpointEveryMs?: number;
  /** ATM withdrawals at every bank, local transactions that collide with in-doubt locks. */
  localLoad?: LocalLoadSpec | null;
  load?: TwoPhaseLoadOptions | null;
  /** Called at coordinator milestones; a scenario may crash the coordinator here. */
  onCoordinatorEvent?: (event: CoordinatorEvent) => void;
}

const OPTION_KEYS = ['sim', 'coordinator', 'banks', 'clearing', 'accountsPerBank', 'openingBalancePaise', 'isolation', 'protocol', 'checkpointEveryMs', 'localLoad', 'load', 'onCoordinatorEvent'];
const PROTOCOL_KEYS = ['voteTimeoutMs', 'decisionRetryMs', 'inDoubtQueryAfterMs', 'queryEveryMs', 'cooperativeTermination'];
const LOAD_KEYS = ['clients', 'region', 'mode', 'ratePerSecPerClient', 'thinkMs', 'startMs', 'stopMs', 'banksPerTransfer', 'maxAmountPaise', 'timeoutMs'];
const LOCAL_KEYS = ['ratePerSec', 'startMs', 'stopMs', 'maxAmountPaise'];

export const DEFAULT_BANKS: SiteOptions[] = [
  { id: 'hdfc', region: 'mumbai' },
  { id: 'sbi', region: 'delhi' },
];
export const ATM_ACCOUNT = 'atm-cash';
const HISTORY_MAX = 1_000_000;

/** One inter-bank transfer as its client saw it. returnMs null: no answer before the client's timeout. */
export interface GlobalTransferOperation {
  client: string;
  gid: string;
  legs: TransferLeg[];
  callMs: number;
  returnMs: number | null;
  decision: Decision | null;
  reason: string | null;
}

export interface TwoPhaseCommitCluster {
  readonly sim: Simulation;
  readonly coordinatorId: string;
  readonly bankIds: string[];
  readonly clearingId: string | null;
  /** Banks and the clearing house. */
  readonly participantIds: string[];
  readonly clientIds: string[];
  readonly openingBalances: Record<string, Record<string, number>>;
  readonly history: GlobalTransferOperation[];
  readonly metrics: TwoPhaseMetrics;
  /** Sends one transfer from the built-in 'customer' client at atMs (default now); returns its gid. */
  transfer(legs: TransferLeg[], atMs?: number): string;
  db(participantId: string): Database;
  coordinator(): CoordinatorNode | null;
  /** Checks atomicity and money on the participants' current state (all must be up). */
  check(options?: { requireResolved?: boolean }): AtomicityCheckResult;
}

export function twoPhaseCommit(options: TwoPhaseCommitOptions): TwoPhaseCommitCluster {
  checkKnownKeys('twoPhaseCommit options', options, OPTION_KEYS);
  const sim = options.sim;
  if (!(sim instanceof Simulation)) throw new OptionError('twoPhaseCommit sim: got no Simulation; allowed: new Simulation({ seed })');
  const banks = options.banks ?? DEFAULT_BANKS;
  if (!Array.isArray(banks) || banks.length < 2) throw new OptionError(`twoPhaseCommit banks: got ${Array.isArray(banks) ? banks.length : typeof banks} banks; allowed: at least 2 { id, region }`);
  const bankIds = banks.map((b) => b.id);
  const clearing = options.clearing === null ? null : { id: options.clearing?.id ?? 'clearing', region: options.clearing?.region ?? 'mumbai', fsyncMs: options.clearing?.fsyncMs };
  const coordinatorSite = { id: options.coordinator?.id ?? 'coordinator', region: options.coordinator?.region ?? 'mumbai', fsyncMs: options.coordinator?.fsyncMs };
  const accountsPerBank = checkNumber('accountsPerBank', options.accountsPerBank ?? 20, { integer: true, min: 1, max: 100_000 });
  const opening = checkNumber('openingBalancePaise', options.openingBalancePaise ?? 1_000_000, { integer: true, min: 0 });
  const isolation = checkOneOf<Isolation>('isolation', options.isolation ?? 'snapshot', ISOLATION_LEVELS);
  const protocol = options.protocol ?? {};
  checkKnownKeys('protocol', protocol, PROTOCOL_KEYS);
  const voteTimeoutMs = checkNumber('protocol.voteTimeoutMs', protocol.voteTimeoutMs ?? 1000, { min: 1 });
  const decisionRetryMs = checkNumber('protocol.decisionRetryMs', protocol.decisionRetryMs ?? 300, { min: 1 });
  const inDoubtQueryAfterMs = checkNumber('protocol.inDoubtQueryAfterMs', protocol.inDoubtQueryAfterMs ?? 500, { min: 0 });
  const queryEveryMs = checkNumber('protocol.queryEveryMs', protocol.queryEveryMs ?? 250, { min: 1 });
  const cooperativeTermination = protocol.cooperativeTermination ?? true;
  const checkpointEveryMs = checkNumber('checkpointEveryMs', options.checkpointEveryMs ?? 1000, { min: 1 });
  const metrics = new TwoPhaseMetrics();
  const accounts: string[] = [];
  for (let i = 1; i <= accountsPerBank; i++) accounts.push(`a${String(i).padStart(Math.max(2, String(accountsPerBank).length), '0')}`);
  const openingBalances: Record<string, Record<string, number>> = {};
  for (const bank of bankIds) {
    const balances: Record<string, number> = {};
    for (const a of accounts) balances[a] = opening;
    balances[ATM_ACCOUNT] = 0;
    openingBalances[bank] = balances;
  }

  let localLoad: LocalLoadSpec | null = null;
  if (options.localLoad) {
    checkKnownKeys('localLoad', options.localLoad, LOCAL_KEYS);
    localLoad = {
      ratePerSec: checkNumber('localLoad.ratePerSec', options.localLoad.ratePerSec, { min: 0.001 }),
      startMs: checkNumber('localLoad.startMs', options.localLoad.startMs ?? 100, { min: 0 }),
      stopMs: checkNumber('localLoad.stopMs', options.localLoad.stopMs, { min: 0 }),
      maxAmountPaise: checkNumber('localLoad.maxAmountPaise', options.localLoad.maxAmountPaise ?? 50_000, { integer: true, min: 1 }),
    };
  }

  const participantConfig = (id: string, balances: Record<string, number>, withLocal: boolean) => ({
    isolation,
    inDoubtQueryAfterMs,
    queryEveryMs,
    cooperativeTermination,
    maxQueriesPerGid: 100_000,
    openingBalances: balances,
    atmAccount: ATM_ACCOUNT,
    localLoad: withLocal && localLoad ? { ratePerSec: localLoad.ratePerSec, startMs: localLoad.startMs as number, stopMs: localLoad.stopMs, maxAmountPaise: localLoad.maxAmountPaise as number } : null,
    database: { checkpointEveryMs },
    metrics,
  });

  sim.addNode<CoordinatorNode>({
    id: coordinatorSite.id,
    region: coordinatorSite.region,
    fsyncMs: coordinatorSite.fsyncMs ?? 1,
    create: (ctx) =>
      coordinatorNode(ctx, {
        banks: bankIds,
        clearing: clearing ? clearing.id : null,
        voteTimeoutMs,
        decisionRetryMs,
        maxResendsPerGid: 100_000,
        maxOpenTransactions: 100_000,
        checkpointEveryMs,
        recoveryCost: DEFAULT_RECOVERY_COST,
        metrics,
        onEvent: (e) => {
          if (options.onCoordinatorEvent) options.onCoordinatorEvent(e);
        },
      }),
  });
  for (const bank of banks) {
    sim.addNode<ParticipantNode>({ id: bank.id, region: bank.region, fsyncMs: bank.fsyncMs ?? 1, create: (ctx) => participantNode(ctx, participantConfig(bank.id, openingBalances[bank.id], true)) });
  }
  if (clearing) {
    sim.addNode<ParticipantNode>({ id: clearing.id, region: clearing.region, fsyncMs: clearing.fsyncMs ?? 1, create: (ctx) => participantNode(ctx, participantConfig(clearing.id, {}, false)) });
  }
  const participantIds = clearing ? [...bankIds, clearing.id] : [...bankIds];

  // ---- clients
  const history: GlobalTransferOperation[] = [];
  const waiting = new Map<string, number>();
  let sequence = 0;
  const record = (client: string, gid: string, legs: TransferLeg[], callMs: number) => {
    if (history.length >= HISTORY_MAX) throw new Error(`twoPhaseCommit: history holds ${HISTORY_MAX} transfers, its limit`);
    waiting.set(gid, history.push({ client, gid, legs, callMs, returnMs: null, decision: null, reason: null }) - 1);
  };
  const complete = (gid: string, decision: Decision, reason: string, atMs: number): boolean => {
    const index = waiting.get(gid);
    if (index === undefined) return false;
    waiting.delete(gid);
    history[index].returnMs = atMs;
    history[index].decision = decision;
    history[index].reason = reason;
    return true;
  };

  const clientIds: string[] = [];
  const manualSend: { fn: ((legs: TransferLeg[], gid: string) => void) | null } = { fn: null };
  sim.addNode({
    id: 'customer',
    region: options.load?.region ?? coordinatorSite.region,
    create: (ctx) => {
      manualSend.fn = (legs, gid) => {
        record('customer', gid, legs, ctx.simTimeMs());
        ctx.send(coordinatorSite.id, { type: 'transfer', gid, legs } as TwoPhaseMessage, 64);
      };
      return {
        onMessage(_from: string, message: unknown) {
          if (messageType(message) !== 'transfer-outcome') return;
          const m = message as Extract<TwoPhaseMessage, { type: 'transfer-outcome' }>;
          complete(m.gid, m.decision, m.reason, ctx.simTimeMs());
        },
      };
    },
  });

  if (options.load) {
    const load = options.load;
    checkKnownKeys('load', load, LOAD_KEYS);
    const clients = checkNumber('load.clients', load.clients ?? 4, { integer: true, min: 1, max: 1000 });
    const mode = checkOneOf('load.mode', load.mode ?? 'open', ['open', 'closed'] as const);
    const rate = checkNumber('load.ratePerSecPerClient', load.ratePerSecPerClient ?? 20, { min: 0.001 });
    const thinkMs = checkNumber('load.thinkMs', load.thinkMs ?? 0, { min: 0 });
    const startMs = checkNumber('load.startMs', load.startMs ?? 100, { min: 0 });
    const stopMs = checkNumber('load.stopMs', load.stopMs, { min: startMs });
    const banksPerTransfer = checkNumber('load.banksPerTransfer', load.banksPerTransfer ?? 2, { integer: true, min: 2, max: bankIds.length });
    const maxAmount = checkNumber('load.maxAmountPaise', load.maxAmountPaise ?? 200_000, { integer: true, min: 1 });
    const timeoutMs = checkNumber('load.timeoutMs', load.timeoutMs ?? 5000, { min: 1 });
    for (let c = 1; c <= clients; c++) {
      const id = `client-${c}`;
      clientIds.push(id);
      sim.addNode<NodeBehaviour>({
        id,
        region: load.region ?? coordinatorSite.region,
        create: (ctx) => {
          const timers = new Map<string, number>();
          const sendOne = () => {
            if (ctx.simTimeMs() >= stopMs) return;
            const involved = ctx.random.shuffled(bankIds).slice(0, banksPerTransfer);
            const amount = ctx.random.int(1, maxAmount);
            const legs: TransferLeg[] = [{ bank: involved[0], account: ctx.random.pick(accounts), deltaPaise: -amount * (banksPerTransfer - 1) }];
            for (const bank of involved.slice(1)) legs.push({ bank, account: ctx.random.pick(accounts), deltaPaise: amount });
            const gid = `g${++sequence}`;
            record(id, gid, legs, ctx.simTimeMs());
            ctx.send(coordinatorSite.id, { type: 'transfer', gid, legs } as TwoPhaseMessage, 64);
            timers.set(
              gid,
              ctx.setTimer(timeoutMs, () => {
                timers.delete(gid);
                waiting.delete(gid);
                if (mode === 'closed') ctx.setTimer(thinkMs, sendOne);
              }),
            );
            if (mode === 'open') ctx.setTimer(ctx.random.exponential(1000 / rate), sendOne);
          };
          return {
            onStart() {
              const first = Math.max(0, startMs - ctx.simTimeMs()) + (mode === 'open' ? ctx.random.exponential(1000 / rate) : ctx.random.float() * 5);
              ctx.setTimer(first, sendOne);
            },
            onMessage(_from: string, message: unknown) {
              if (messageType(message) !== 'transfer-outcome') return;
              const m = message as Extract<TwoPhaseMessage, { type: 'transfer-outcome' }>;
              const timer = timers.get(m.gid);
              if (timer === undefined) return;
              timers.delete(m.gid);
              ctx.cancelTimer(timer);
              complete(m.gid, m.decision, m.reason, ctx.simTimeMs());
              if (mode === 'closed') ctx.setTimer(thinkMs, sendOne);
            },
          };
        },
      });
    }
  }

  const participantDb = (id: string): Database => {
    if (!participantIds.includes(id)) throw new OptionError(`db: got ${JSON.stringify(id)}; allowed: ${participantIds.join(', ')}`);
    const behaviour = sim.node<ParticipantNode>(id).behaviour;
    if (!behaviour) throw new OptionError(`db(${id}): the participant is down`);
    return behaviour.db;
  };

  let manualSequence = 0;
  return {
    sim,
    coordinatorId: coordinatorSite.id,
    bankIds,
    clearingId: clearing ? clearing.id : null,
    participantIds,
    clientIds,
    openingBalances,
    history,
    metrics,
    transfer(legs, atMs = sim.nowMs()) {
      const gid = `m${++manualSequence}`;
      sim.at(atMs, () => {
        if (!manualSend.fn) throw new Error('twoPhaseCommit transfer: the customer client is not running');
        manualSend.fn(legs, gid);
      });
      return gid;
    },
    db: participantDb,
    coordinator: () => sim.node<CoordinatorNode>(coordinatorSite.id).behaviour,
    check(checkOptions = {}) {
      const participants: ParticipantState[] = participantIds.map((id) => {
        const db = participantDb(id);
        return { id, outcomes: db.gidOutcomeEntries(), inDoubt: db.inDoubt().map((d) => d.gid), rows: db.committedRows() };
      });
      return checkAtomicity({
        participants,
        clearing: clearing ? clearing.id : null,
        transfers: history.map((h) => ({ gid: h.gid, legs: h.legs, told: h.decision })),
        openingBalances,
        requireResolved: checkOptions.requireResolved ?? false,
      });
    },
  };
}
