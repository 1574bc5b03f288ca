/**
 * A data-synchronisation pipeline on the simulator: the bank's core database node (Mumbai), a
 * log broker (Hyderabad), and downstream consumer services (Bangalore), wired by one capture
 * method. `dataSyncPipeline(options)` builds it; the caller injects faults (crash, restart,
 * partition), runs it, drains it, and reads plain records: the upstream truth decoded from the
 * bank's WAL, each consumer's effect ledger, deliveries, and the checker's verdict.
 */
import { LimitExceededError, OptionError, Simulation, checkKnownKeys, checkNumber, checkOneOf } from '../../sim';
import type { JsonValue } from '../../storage/version-store';
import type { DbWalRecord } from '../../storage/wal-records';
import { DataSyncCheckResult, DataSyncHistory, SyncChange, checkDataSync } from '../../check/data-sync-check';
import { BankAppBehaviour, BankAppStats, DualWriteOrder, bankAppNode, newBankAppStats } from './bank-app';
import { ConsumerBehaviour, consumerNode } from './consumer';
import { LogBrokerBehaviour, PartitionedLogOptions, logBrokerNode, resolveLogOptions } from './partitioned-log';
import { ACCOUNTS_TABLE, Capture, SyncEvent, rowVersion, tableOf } from './sync-event';

export const CAPTURES: readonly Capture[] = ['dual-write', 'outbox', 'cdc'];
export const DUAL_WRITE_ORDERS: readonly DualWriteOrder[] = ['commit-then-publish', 'publish-then-commit'];

export interface ConsumerSpec {
  id: string;
  group?: string;
  idempotent: boolean;
}

export interface DataSyncPipelineOptions {
  seed: number;
  capture: Capture;
  /** Dual write only. Default 'commit-then-publish'. */
  dualWriteOrder?: DualWriteOrder;
  /** Downstream services. Default one idempotent consumer 'fraud-service'. */
  consumers?: ConsumerSpec[];
  accounts?: number;
  /** Mean ms between balance updates. Default 10. */
  updateEveryMs?: number;
  /** Updates stop at this time. Default 2000 ms. */
  workloadEndMs?: number;
  /** Default 0.1. */
  rollbackFraction?: number;
  /** Fraction of updates that move money between two accounts in one transaction. Default 0.25. */
  transferFraction?: number;
  /** Default 100 ms. */
  publishTimeoutMs?: number;
  /** Dual write: resends before giving up. Default 2. */
  publishRetries?: number;
  /** Dual write: producer buffering before a send (linger.ms). Default 5 ms. */
  lingerMs?: number;
  /** Outbox relay / CDC poll interval. Default 5 ms. */
  relayEveryMs?: number;
  batchMax?: number;
  /** Consumer offset commit interval. Default 100 ms. */
  commitEveryMs?: number;
  pollEveryMs?: number;
  log?: PartitionedLogOptions;
}

const OPTION_KEYS = ['seed', 'capture', 'dualWriteOrder', 'consumers', 'accounts', 'updateEveryMs', 'workloadEndMs', 'rollbackFraction', 'transferFraction', 'publishTimeoutMs', 'publishRetries', 'lingerMs', 'relayEveryMs', 'batchMax', 'commitEveryMs', 'pollEveryMs', 'log'];

export const BANK_NODE = 'core-bank';
export const BROKER_NODE = 'log-broker';

export interface DeliveryRecord {
  consumer: string;
  eventId: string;
  applied: boolean;
  atMs: number;
  event: SyncEvent;
}

export interface DataSyncPipeline {
  readonly sim: Simulation;
  readonly options: Required<Omit<DataSyncPipelineOptions, 'log' | 'consumers'>> & { consumers: ConsumerSpec[] };
  readonly bankStats: BankAppStats;
  readonly deliveries: DeliveryRecord[];
  bank(): BankAppBehaviour | null;
  broker(): LogBrokerBehaviour | null;
  consumer(id: string): ConsumerBehaviour | null;
  /** Runs until the given virtual time. */
  run(untilMs: number): void;
  /** True when every change has reached every consumer's durable state. */
  isDrained(): boolean;
  /** Restarts downed nodes, heals partitions, and runs until drained; returns the time it took, ms. */
  healAndDrain(maxMs?: number): number;
  /** Upstream truth decoded from the bank's durable WAL: committed changes in commit order, rolled-back writes. */
  upstream(): { committed: SyncChange[]; rolledBack: SyncChange[]; rows: Record<string, JsonValue | null> };
  /**
   * The checker's input for one consumer, or for a whole consumer group ({ group }): the effects
   * and rows of all its members together (each key is read by one member, so per-key order holds
   * within that member's effects).
   */
  history(consumer?: string | { group: string }): DataSyncHistory;
  check(consumer?: string | { group: string }): DataSyncCheckResult;
}

const MAX_DELIVERIES = 1_000_000;

export function dataSyncPipeline(options: DataSyncPipelineOptions): DataSyncPipeline {
  checkKnownKeys('dataSyncPipeline options', options, OPTION_KEYS);
  const resolved = {
    seed: checkNumber('seed', options.seed, { integer: true }),
    capture: checkOneOf<Capture>('capture', options.capture, CAPTURES),
    dualWriteOrder: checkOneOf<DualWriteOrder>('dualWriteOrder', options.dualWriteOrder ?? 'commit-then-publish', DUAL_WRITE_ORDERS),
    consumers: options.consumers ?? [{ id: 'fraud-service', idempotent: true }],
    accounts: checkNumber('accounts', options.accounts ?? 8, { integer: true, min: 1, max: 999 }),
    updateEveryMs: checkNumber('updateEveryMs', options.updateEveryMs ?? 10, { min: 0.1 }),
    workloadEndMs: checkNumber('workloadEndMs', options.workloadEndMs ?? 2000, { min: 0 }),
    rollbackFraction: checkNumber('rollbackFraction', options.rollbackFraction ?? 0.1, { min: 0, max: 1 }),
    transferFraction: checkNumber('transferFraction', options.transferFraction ?? 0.25, { min: 0, max: 1 }),
    publishTimeoutMs: checkNumber('publishTimeoutMs', options.publishTimeoutMs ?? 100, { min: 1 }),
    publishRetries: checkNumber('publishRetries', options.publishRetries ?? 2, { integer: true, min: 0 }),
    lingerMs: checkNumber('lingerMs', options.lingerMs ?? 5, { min: 0 }),
    relayEveryMs: checkNumber('relayEveryMs', options.relayEveryMs ?? 5, { min: 0.1 }),
    batchMax: checkNumber('batchMax', options.batchMax ?? 50, { integer: true, min: 1 }),
    commitEveryMs: checkNumber('commitEveryMs', options.commitEveryMs ?? 100, { min: 1 }),
    pollEveryMs: checkNumber('pollEveryMs', options.pollEveryMs ?? 5, { min: 0.1 }),
  };
  if (!Array.isArray(resolved.consumers) || resolved.consumers.length === 0) {
    throw new OptionError(`consumers: got ${JSON.stringify(options.consumers)}; allowed: a non-empty list of { id, group?, idempotent }`);
  }
  const ids = new Set<string>([BANK_NODE, BROKER_NODE]);
  for (const c of resolved.consumers) {
    checkKnownKeys(`consumer ${JSON.stringify(c.id)}`, c, ['id', 'group', 'idempotent']);
    if (typeof c.id !== 'string' || c.id.length === 0 || ids.has(c.id)) throw new OptionError(`consumers[].id: got ${JSON.stringify(c.id)}; allowed: a unique non-empty name other than ${BANK_NODE} and ${BROKER_NODE}`);
    ids.add(c.id);
  }
  const logOptions = resolveLogOptions(options.log ?? {});
  const sim = new Simulation({ seed: resolved.seed });
  const bankStats = newBankAppStats();
  const deliveries: DeliveryRecord[] = [];

  const bank = sim.addNode<BankAppBehaviour>({
    id: BANK_NODE,
    region: 'mumbai',
    fsyncMs: 1,
    create: (ctx) => bankAppNode(ctx, { broker: BROKER_NODE, ...resolved }, bankStats),
  });
  const broker = sim.addNode<LogBrokerBehaviour>({ id: BROKER_NODE, region: 'hyderabad', fsyncMs: 2, create: (ctx) => logBrokerNode(ctx, logOptions) });
  // Static partition assignment inside each group: member k of m reads partitions p ≡ k (mod m).
  const groupOf = (spec: ConsumerSpec) => spec.group ?? spec.id;
  const membersOf = (group: string) => resolved.consumers.filter((c) => groupOf(c) === group);
  for (const spec of resolved.consumers) {
    if (membersOf(groupOf(spec)).length > logOptions.partitions) {
      throw new OptionError(`consumers: group ${JSON.stringify(groupOf(spec))} has ${membersOf(groupOf(spec)).length} members for ${logOptions.partitions} partitions; allowed: at most one member per partition`);
    }
  }
  const assignmentOf = (spec: ConsumerSpec) => {
    const members = membersOf(groupOf(spec));
    const k = members.indexOf(spec);
    return Array.from({ length: logOptions.partitions }, (_, p) => p).filter((p) => p % members.length === k);
  };
  const consumers = new Map(
    resolved.consumers.map((spec) => [
      spec.id,
      sim.addNode<ConsumerBehaviour>({
        id: spec.id,
        region: 'bangalore',
        fsyncMs: 1,
        create: (ctx) =>
          consumerNode(ctx, {
            broker: BROKER_NODE,
            group: groupOf(spec),
            partitions: logOptions.partitions,
            assigned: assignmentOf(spec),
            idempotent: spec.idempotent,
            pollEveryMs: resolved.pollEveryMs,
            commitEveryMs: resolved.commitEveryMs,
            fetchTimeoutMs: 200,
            maxFetchRecords: logOptions.maxFetchRecords,
            maxAppliedEffects: 1_000_000,
            onDelivery: (d) => {
              if (deliveries.length >= MAX_DELIVERIES) throw new LimitExceededError(`dataSyncPipeline: ${MAX_DELIVERIES} deliveries recorded, its limit`);
              deliveries.push(d);
            },
          }),
      }),
    ]),
  );

  const consumerHandle = (id: string) => {
    const handle = consumers.get(id);
    if (!handle) throw new OptionError(`consumer: got ${JSON.stringify(id)}; allowed: ${[...consumers.keys()].join(', ')}`);
    return handle;
  };

  function upstream() {
    const b = bank.behaviour;
    if (!b) throw new OptionError(`dataSyncPipeline: ${BANK_NODE} is down; restart it (or healAndDrain) before reading the upstream`);
    const entries = b.db.wal.durableEntriesFrom(b.db.wal.firstRetainedLsn, Number.MAX_SAFE_INTEGER);
    const open = new Map<number, SyncChange[]>();
    const committed: SyncChange[] = [];
    const rolledBack: SyncChange[] = [];
    for (const { payload } of entries as Array<{ payload: DbWalRecord }>) {
      if (payload.t === 'w' && tableOf(payload.k) === ACCOUNTS_TABLE) {
        open.set(payload.tx, [...(open.get(payload.tx) ?? []), { key: payload.k, version: rowVersion(payload.v), value: payload.v }]);
      } else if (payload.t === 'c') {
        committed.push(...(open.get(payload.tx) ?? []));
        open.delete(payload.tx);
      } else if (payload.t === 'a') {
        rolledBack.push(...(open.get(payload.tx) ?? []));
        open.delete(payload.tx);
      }
    }
    for (const changes of open.values()) rolledBack.push(...changes);
    const rows: Record<string, JsonValue | null> = {};
    for (const [key, value] of b.db.committedRows(`${ACCOUNTS_TABLE}/`)) rows[key] = value;
    return { committed, rolledBack, rows };
  }

  const pipeline: DataSyncPipeline = {
    sim,
    options: resolved,
    bankStats,
    deliveries,
    bank: () => bank.behaviour,
    broker: () => broker.behaviour,
    consumer: (id) => consumerHandle(id).behaviour,
    run: (untilMs) => sim.run(untilMs),
    isDrained() {
      const b = bank.behaviour;
      const k = broker.behaviour;
      if (!b || !k || sim.nowMs() < resolved.workloadEndMs || !b.captureIdle()) return false;
      const ends = k.endOffsets();
      for (const handle of consumers.values()) {
        const positions = handle.behaviour?.positions();
        if (!positions || handle.behaviour!.assigned.some((p) => positions[p] < ends[p])) return false;
      }
      return true;
    },
    healAndDrain(maxMs = 60_000) {
      const start = sim.nowMs();
      sim.heal();
      for (const id of sim.nodeIds()) sim.restart(id);
      while (!pipeline.isDrained()) {
        if (sim.nowMs() - start > maxMs) throw new LimitExceededError(`dataSyncPipeline: not drained ${maxMs} ms after healing (seed ${resolved.seed}); ${sim.describe()}`);
        sim.run(sim.nowMs() + 10);
      }
      return sim.nowMs() - start;
    },
    upstream,
    history(consumer = resolved.consumers[0].id) {
      const ids = typeof consumer === 'string' ? [consumer] : membersOf(consumer.group).map((c) => c.id);
      if (ids.length === 0) throw new OptionError(`history: group ${JSON.stringify((consumer as { group: string }).group)} has no members; groups: ${[...new Set(resolved.consumers.map(groupOf))].join(', ')}`);
      const up = upstream();
      const applied: DataSyncHistory['applied'][number][] = [];
      const rows: Record<string, JsonValue | null> = {};
      for (const id of ids) {
        const c = consumerHandle(id).behaviour;
        if (!c) throw new OptionError(`dataSyncPipeline: consumer ${id} is down; restart it (or healAndDrain) first`);
        const state = c.durableState();
        applied.push(...state.applied.map((e) => ({ eventId: e.eventId, key: e.key, version: e.version, value: e.value })));
        for (const [key, value] of Object.entries(state.rows)) if (value !== null) rows[key] = value;
      }
      return { committed: up.committed, rolledBack: up.rolledBack, applied, upstreamRows: up.rows, downstreamRows: rows };
    },
    check(consumer) {
      return checkDataSync(pipeline.history(consumer));
    },
  };
  return pipeline;
}
