/**
 * The replica fleet of a leader–follower cluster, stepped one simulated minute at a time.
 *
 * Every region that serves reads has a set of read replicas, each in one phase:
 *
 *   starting ─► copying (base backup) ─► catching-up (WAL replay) ─► ready ─► draining ─► gone
 *
 * Copies share the leader's upload bandwidth (`sourceBytesPerSec`): ten new replicas at once copy
 * more slowly than one. A replica serves reads only once ready (replay lag under the objective);
 * removal drains its connections for `drainMs` first. Every phase is billed.
 *
 * Each minute the fleet computes, per serving region: CPU utilisation of the ready replicas
 * (reads × service time ÷ cores), read latency p95 (an M/M/1 sojourn time: ln 20 × service time ÷
 * (1 − utilisation)), connection-pool utilisation (Little's law: in-flight = rate × mean latency),
 * requests shed (beyond `maxUtilisation` of ready capacity, the pool is full) and replication lag
 * (replay slows when query CPU crowds it out). Then, every `controlEveryMin`, it asks the policy.
 *
 * Deterministic: the only randomness is in the trace (seeded); the model itself draws nothing.
 */
import { OptionError, Topology, checkKnownKeys, checkNumber, indiaTopology } from '../../sim';
import { BigBillionDayTrace } from '../../workload';
import { ScalingPolicy } from './policies';
import { ProvisioningModel, checkProvisioningModel } from './provisioning';
import { ReplicaCostTable, replicaCostTable, servingRegion } from './replica-cost';

export type ReplicaPhase = 'starting' | 'copying' | 'catching-up' | 'ready' | 'draining';

export interface FleetModelOptions {
  /** Time for one read on one core, ms; default 4. */
  serviceTimeMs?: number;
  coresPerReplica?: number;
  /** Connections per replica; default 100. */
  poolSize?: number;
  /** Above this CPU utilisation the pool is full and further reads are shed; default 0.95. */
  maxUtilisation?: number;
  /** Database size a new replica copies, bytes; default 100 GB. */
  dataBytes?: number;
  /** WAL bytes per write; default 3000. */
  walBytesPerWrite?: number;
  /** Leader's total upload bandwidth shared by concurrent copies, bytes/s; default 1 GB/s. */
  sourceBytesPerSec?: number;
  provisioning?: Partial<ProvisioningModel>;
  /** Base network lag of a ready replica, ms; default 20. */
  networkLagMs?: number;
  drainMs?: number;
  /** Objectives: p95 read latency (including the RTT to a remote serving region), ms; default 50. */
  readLatencyObjectiveMs?: number;
  /** Replication lag objective, ms; also the "ready" threshold unless provisioning sets one; default 1000. */
  lagObjectiveMs?: number;
}

export interface FleetRunOptions {
  trace: BigBillionDayTrace;
  policy: ScalingPolicy;
  /** Replicas per serving region at the start (ready); default 2. */
  initialReplicas?: number | Readonly<Record<string, number>>;
  model?: FleetModelOptions;
  /** Ask the policy every this many minutes; default 1. */
  controlEveryMin?: number;
  /** Place replicas in the cheapest region within rttBudgetMs of their users; default false. */
  costOptimization?: boolean;
  /** RTT budget for cost optimisation, ms; default 15. */
  rttBudgetMs?: number;
  costs?: ReplicaCostTable;
  topology?: Topology;
  /** Record minutes from this one on (to keep records small); default 0. */
  recordFromMinute?: number;
  /** Keep at most this many decisions (most recent); default 500. */
  decisionLimit?: number;
}

export interface FleetMinute {
  minute: number;
  hourOfDay: number;
  /** Serving region (where the replicas run). */
  region: string;
  readsPerSec: number;
  desiredReplicas: number;
  readyReplicas: number;
  provisioningReplicas: number;
  drainingReplicas: number;
  cpuUtilisation: number;
  poolUtilisation: number;
  readLatencyMsP95: number;
  lagMs: number;
  shedPerSec: number;
  inBreach: boolean;
  rupeesPerHour: number;
}

export interface ScalingDecisionRecord {
  minute: number;
  region: string;
  from: number;
  to: number;
  reason: string;
}

export interface FleetRun {
  policy: string;
  seed: number;
  servingRegions: string[];
  /** demand region → serving region */
  placement: Record<string, string>;
  minutes: FleetMinute[];
  decisions: ScalingDecisionRecord[];
  options: { model: Required<Omit<FleetModelOptions, 'provisioning'>> & { provisioning: ProvisioningModel }; costOptimization: boolean; rttBudgetMs: number };
}

interface Replica {
  phase: ReplicaPhase;
  /** Bytes still to copy (copying), WAL backlog bytes (catching-up, ready), ms left (starting, draining). */
  remaining: number;
}

const RUN_KEYS = ['trace', 'policy', 'initialReplicas', 'model', 'controlEveryMin', 'costOptimization', 'rttBudgetMs', 'costs', 'topology', 'recordFromMinute', 'decisionLimit'];
const MODEL_KEYS = ['serviceTimeMs', 'coresPerReplica', 'poolSize', 'maxUtilisation', 'dataBytes', 'walBytesPerWrite', 'sourceBytesPerSec', 'provisioning', 'networkLagMs', 'drainMs', 'readLatencyObjectiveMs', 'lagObjectiveMs'];
const STEP_MS = 60_000;
const REPLICAS_PER_REGION_MAX = 1000;

export function checkFleetModel(m: FleetModelOptions = {}): FleetRun['options']['model'] {
  checkKnownKeys('fleet model', m, MODEL_KEYS);
  const n = 'fleet model';
  const lagObjectiveMs = checkNumber(`${n} lagObjectiveMs`, m.lagObjectiveMs ?? 1000, { min: 1 });
  const p = m.provisioning ?? {};
  checkKnownKeys(`${n} provisioning`, p, ['startupMs', 'copyBytesPerSec', 'replayBytesPerSec', 'lagObjectiveMs']);
  return {
    serviceTimeMs: checkNumber(`${n} serviceTimeMs`, m.serviceTimeMs ?? 4, { min: 0.001 }),
    coresPerReplica: checkNumber(`${n} coresPerReplica`, m.coresPerReplica ?? 8, { integer: true, min: 1 }),
    poolSize: checkNumber(`${n} poolSize`, m.poolSize ?? 100, { integer: true, min: 1 }),
    maxUtilisation: checkNumber(`${n} maxUtilisation`, m.maxUtilisation ?? 0.95, { min: 0.1, max: 1 }),
    dataBytes: checkNumber(`${n} dataBytes`, m.dataBytes ?? 100e9, { min: 0 }),
    walBytesPerWrite: checkNumber(`${n} walBytesPerWrite`, m.walBytesPerWrite ?? 3000, { min: 0 }),
    sourceBytesPerSec: checkNumber(`${n} sourceBytesPerSec`, m.sourceBytesPerSec ?? 1e9, { min: 1 }),
    provisioning: checkProvisioningModel({
      startupMs: p.startupMs ?? 180_000,
      copyBytesPerSec: p.copyBytesPerSec ?? 200e6,
      replayBytesPerSec: p.replayBytesPerSec ?? 40e6,
      lagObjectiveMs: p.lagObjectiveMs ?? lagObjectiveMs,
    }, `${n} provisioning`),
    networkLagMs: checkNumber(`${n} networkLagMs`, m.networkLagMs ?? 20, { min: 0 }),
    drainMs: checkNumber(`${n} drainMs`, m.drainMs ?? 120_000, { min: 0 }),
    readLatencyObjectiveMs: checkNumber(`${n} readLatencyObjectiveMs`, m.readLatencyObjectiveMs ?? 50, { min: 0.001 }),
    lagObjectiveMs,
  };
}

/** Read-path numbers of one region for a load and a ready count: a pure function, used by the fleet and the tests. */
export function readPath(model: FleetRun['options']['model'], readsPerSec: number, readyReplicas: number, extraRttMs = 0): {
  cpuUtilisation: number; admittedPerSec: number; shedPerSec: number; readLatencyMsP95: number; poolUtilisation: number;
} {
  const perReplicaRps = (model.coresPerReplica * 1000) / model.serviceTimeMs;
  if (readyReplicas === 0) {
    return { cpuUtilisation: readsPerSec > 0 ? Infinity : 0, admittedPerSec: 0, shedPerSec: readsPerSec, readLatencyMsP95: readsPerSec > 0 ? Infinity : 0, poolUtilisation: readsPerSec > 0 ? 1 : 0 };
  }
  const capacity = readyReplicas * perReplicaRps;
  const cpuUtilisation = readsPerSec / capacity;
  const admittedPerSec = Math.min(readsPerSec, capacity * model.maxUtilisation);
  const u = admittedPerSec / capacity;
  // Each core is an M/M/1 server; the p95 of its exponential sojourn time is ln(20) ÷ (μ − λ).
  const meanMs = model.serviceTimeMs / (1 - u);
  const readLatencyMsP95 = Math.log(20) * meanMs + extraRttMs;
  const poolUtilisation = Math.min(1, (admittedPerSec * meanMs) / 1000 / (readyReplicas * model.poolSize));
  return { cpuUtilisation, admittedPerSec, shedPerSec: readsPerSec - admittedPerSec, readLatencyMsP95, poolUtilisation };
}

export function runFleet(options: FleetRunOptions): FleetRun {
  checkKnownKeys('runFleet', options, RUN_KEYS);
  const { trace, policy } = options;
  if (!trace || typeof trace.readsPerSec !== 'function') throw new OptionError('runFleet trace: got no trace; allowed: a trace from bigBillionDayTrace()');
  if (!policy || typeof policy.decide !== 'function') throw new OptionError('runFleet policy: got no policy; allowed: staticPolicy, thresholdPolicy, hpaPolicy, scheduledPolicy or predictivePolicy');
  const model = checkFleetModel(options.model);
  const controlEveryMin = checkNumber('runFleet controlEveryMin', options.controlEveryMin ?? 1, { integer: true, min: 1, max: 60 });
  const rttBudgetMs = checkNumber('runFleet rttBudgetMs', options.rttBudgetMs ?? 15, { min: 0 });
  const recordFrom = checkNumber('runFleet recordFromMinute', options.recordFromMinute ?? 0, { integer: true, min: 0 });
  const decisionLimit = checkNumber('runFleet decisionLimit', options.decisionLimit ?? 500, { integer: true, min: 1, max: 100_000 });
  const costOptimization = options.costOptimization ?? false;
  const costs = options.costs ?? replicaCostTable();
  const topology = options.topology ?? indiaTopology();

  const placement: Record<string, string> = {};
  for (const d of trace.regions) placement[d] = servingRegion(d, costs, topology, costOptimization, rttBudgetMs);
  const servingRegions = [...new Set(Object.values(placement))];
  const demandMap = new Map(servingRegions.map((s) => [s, trace.regions.filter((d) => placement[d] === s)]));
  const demandOf = (s: string) => demandMap.get(s)!;
  // Users reach a remote serving region over its round trip; the latency objective includes it.
  const rttMap = new Map(servingRegions.map((s) => [s, Math.max(0, ...demandOf(s).map((d) => (d === s ? 0 : topology.rttMs(d, s))))]));
  const extraRtt = (s: string) => rttMap.get(s)!;

  const fleets = new Map<string, Replica[]>();
  const desired = new Map<string, number>();
  for (const s of servingRegions) {
    const init = options.initialReplicas ?? 2;
    const n = typeof init === 'number' ? init : (init[s] ?? 2);
    checkNumber(`runFleet initialReplicas (${s})`, n, { integer: true, min: 0, max: REPLICAS_PER_REGION_MAX });
    fleets.set(s, Array.from({ length: n }, () => ({ phase: 'ready' as ReplicaPhase, remaining: 0 })));
    desired.set(s, n);
  }
  const observed = new Map<string, Float64Array>(servingRegions.map((s) => [s, new Float64Array(trace.minutes)]));
  const perReplicaRps = (model.coresPerReplica * 1000) / model.serviceTimeMs;
  const prov = model.provisioning;
  const minutes: FleetMinute[] = [];
  const decisions: ScalingDecisionRecord[] = [];
  const dt = STEP_MS / 1000;

  for (let minute = 0; minute < trace.minutes; minute++) {
    const nowMs = minute * STEP_MS;
    let writesPerSec = 0;
    for (const d of trace.regions) writesPerSec += trace.writesPerSec(d, minute);
    const walBytesPerSec = writesPerSec * model.walBytesPerWrite;
    // Concurrent base-backup copies share the leader's upload.
    let copying = 0;
    for (const f of fleets.values()) for (const r of f) if (r.phase === 'copying') copying++;
    const copyRate = Math.min(prov.copyBytesPerSec, model.sourceBytesPerSec / Math.max(1, copying));

    for (const s of servingRegions) {
      const fleet = fleets.get(s)!;
      const reads = demandOf(s).reduce((sum, d) => sum + trace.readsPerSec(d, minute), 0);
      observed.get(s)![minute] = reads;
      const ready = fleet.filter((r) => r.phase === 'ready').length;
      const path = readPath(model, reads, ready, extraRtt(s));
      const u = Math.min(1, path.admittedPerSec / (Math.max(1, ready) * perReplicaRps));
      // Replay shares the replica's CPU: above 70% query load it slows, down to 30% when saturated.
      const replayShare = u <= 0.7 ? 1 : Math.max(0.3, 1 - ((u - 0.7) / 0.3) * 0.7);
      // Advance every replica by one minute.
      for (const r of fleet) {
        let left = dt;
        if (r.phase === 'starting') {
          r.remaining -= STEP_MS;
          if (r.remaining <= 0) { left = -r.remaining / 1000; r.phase = 'copying'; r.remaining = model.dataBytes; } else left = 0;
        }
        if (r.phase === 'copying' && left > 0) {
          // The WAL written during the copy must be replayed afterwards (pg_basebackup -X stream keeps it).
          const need = r.remaining / copyRate;
          r.remaining -= copyRate * left;
          if (r.remaining <= 0) {
            left -= need;
            r.phase = 'catching-up';
            r.remaining = walBytesPerSec * ((prov.startupMs / 1000) + model.dataBytes / copyRate);
          } else left = 0;
        }
        if (r.phase === 'catching-up' && left > 0) {
          r.remaining = Math.max(0, r.remaining + (walBytesPerSec - prov.replayBytesPerSec) * left);
          const lagMs = walBytesPerSec > 0 ? (r.remaining / walBytesPerSec) * 1000 : 0;
          if (lagMs <= prov.lagObjectiveMs) r.phase = 'ready';
        } else if (r.phase === 'ready') {
          r.remaining = Math.max(0, r.remaining + (walBytesPerSec - prov.replayBytesPerSec * replayShare) * dt);
        } else if (r.phase === 'draining') {
          r.remaining -= STEP_MS;
        }
      }
      for (let i = fleet.length - 1; i >= 0; i--) if (fleet[i].phase === 'draining' && fleet[i].remaining <= 0) fleet.splice(i, 1);

      let readyCount = 0;
      let backlog = 0;
      let draining = 0;
      for (const r of fleet) {
        if (r.phase === 'ready') { readyCount++; backlog = Math.max(backlog, r.remaining); } else if (r.phase === 'draining') draining++;
      }
      const lagMs = model.networkLagMs + (walBytesPerSec > 0 ? (backlog / walBytesPerSec) * 1000 : 0);
      const provisioning = fleet.length - readyCount - draining;
      const inBreach = path.shedPerSec > 0 || path.readLatencyMsP95 > model.readLatencyObjectiveMs || (ready > 0 && lagMs > model.lagObjectiveMs);

      if (minute % controlEveryMin === 0) {
        const active = { length: fleet.length - draining };
        const decision = policy.decide({
          nowMs, minute, region: s, demandRegions: demandOf(s), currentReplicas: active.length, readyReplicas: readyCount,
          readyCpuUtilisation: readyCount > 0 ? reads / (readyCount * perReplicaRps) : (reads > 0 ? 10 : 0),
          readsPerSec: reads, capacityPerReplicaRps: perReplicaRps,
          pastReadsPerSec: (m) => (m >= 0 && m < minute ? observed.get(s)![m] : null),
        });
        const to = checkNumber(`policy "${policy.name}" desiredReplicas`, decision.desiredReplicas, { integer: true, min: 0, max: REPLICAS_PER_REGION_MAX });
        if (to !== active.length) {
          decisions.push({ minute, region: s, from: active.length, to, reason: decision.reason });
          if (decisions.length > decisionLimit) decisions.shift();
          applyDesired(fleet, to, prov.startupMs, model.drainMs);
        }
        desired.set(s, to);
      }
      if (minute >= recordFrom) {
        minutes.push({
          minute, hourOfDay: (minute % 1440) / 60, region: s, readsPerSec: reads, desiredReplicas: desired.get(s)!,
          readyReplicas: ready, provisioningReplicas: provisioning, drainingReplicas: draining,
          cpuUtilisation: path.cpuUtilisation, poolUtilisation: path.poolUtilisation, readLatencyMsP95: path.readLatencyMsP95,
          lagMs, shedPerSec: path.shedPerSec, inBreach,
          rupeesPerHour: fleet.length * costs.rupeesPerHour[s],
        });
      }
    }
  }
  return { policy: policy.name, seed: trace.seed, servingRegions, placement, minutes, decisions, options: { model, costOptimization, rttBudgetMs } };
}

/** Adds replicas (starting) or removes them: still-provisioning ones first (nothing to drain), then ready ones, which drain. */
function applyDesired(fleet: Replica[], to: number, startupMs: number, drainMs: number): void {
  let active = fleet.filter((r) => r.phase !== 'draining').length;
  while (active < to) { fleet.push({ phase: 'starting', remaining: startupMs }); active++; }
  const order: ReplicaPhase[] = ['starting', 'copying', 'catching-up', 'ready'];
  for (const phase of order) {
    for (let i = fleet.length - 1; i >= 0 && active > to; i--) {
      if (fleet[i].phase !== phase) continue;
      if (phase === 'ready') { fleet[i].phase = 'draining'; fleet[i].remaining = drainMs; } else fleet.splice(i, 1);
      active--;
    }
  }
}
