/**
 * One benchmark run: open-loop load at a target rate (lib/workload's driveOpenLoop, Poisson
 * arrivals), each request timed from its *intended* start, the moment the load generator
 * scheduled it, to its answer. A request that waits because the system is stalled or
 * saturated waits on the clock, so the queue it sat in shows in the percentiles: no
 * coordinated omission (Gil Tene, "How NOT to measure latency", 2013). A closed-loop
 * client would instead stop sending while it waits and never time the requests it did not
 * send.
 *
 * Requests that start in the warm-up are driven but not counted. Throughput is completed
 * requests per second of the measured window. A request that fails is an error; one that
 * takes longer than `timeoutMs`, or has not finished when the run drains, is a timeout and
 * is recorded with the latency it had reached (a lower bound), never dropped.
 */
import { OptionError, Simulation, checkKnownKeys, checkNumber } from '../sim';
import { LatencyHistogram, LatencySummary } from '../stats';
import { KeyChoice, KvOperation, OperationResult, WorkloadClient, driveOpenLoop } from '../workload';
import { BenchTarget, ObservedConsistency } from './bench-target';
import { LoadShape, loadProfile } from './load-shapes';
import { YcsbMix } from './ycsb';

export interface BenchRunOptions {
  seed: number;
  /** Builds the system under test on the given simulation. */
  build: (sim: Simulation) => BenchTarget;
  mix: YcsbMix;
  /** Offered load at the peak of the shape (the whole run for 'constant'), operations per second. */
  ratePerSec: number;
  shape?: LoadShape;
  /** Length of the load, ms of simulated time (warm-up included). */
  durationMs: number;
  /** Requests starting before this (from the start of the load) are not counted; default 20 % of durationMs. */
  warmupMs?: number;
  keys: KeyChoice;
  /** A request slower than this counts as a timeout; default 2000. */
  timeoutMs?: number;
  /** Relative weight of each client (region); default equal. */
  clientWeights?: readonly number[];
  /** When the load starts, ms; default 200 (lets a cluster elect and settle). */
  startMs?: number;
  /**
   * How messages reach their receivers (lib/sim's messageIsolation); default 'shared': the
   * strategies never mutate a message they sent or received (their tests run with 'copy'),
   * and copying every message would make the simulator, not the strategy, the bottleneck.
   */
  messageIsolation?: 'copy' | 'shared';
}

export interface RegionLatency {
  region: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface BenchRunResult {
  seed: number;
  target: string;
  workload: string;
  shape: LoadShape;
  offeredPerSec: number;
  /** The measured window (the run after its warm-up), ms. */
  windowMs: number;
  /** Counted requests that finished, per second of the measured window. */
  throughputPerSec: number;
  /** Requests that started in the measured window. */
  counted: number;
  completed: number;
  errors: number;
  /** The errors by the reason the system gave (a lock conflict, a serialization failure, ...), where it gives one. */
  errorsByReason?: Record<string, number>;
  timeouts: number;
  latency: LatencySummary | null;
  regions: RegionLatency[];
  /** The busiest modelled resource and its utilisation over the measured window (work / capacity, 0–1). */
  busiestResource: { name: string; utilisation: number } | null;
  resources: Array<{ name: string; utilisation: number; queueDepthMax: number }>;
  consistency: ObservedConsistency | null;
}

const KEYS = ['seed', 'build', 'mix', 'ratePerSec', 'shape', 'durationMs', 'warmupMs', 'keys', 'timeoutMs', 'clientWeights', 'startMs', 'messageIsolation'];

interface Request {
  intendedMs: number;
  region: string;
  finished: boolean;
}

/**
 * Wraps a client so each request passes the target's resources, is timed from its intended
 * start (the moment the driver hands it over: the driver submits at the scheduled arrival
 * time), and F's read-modify-write is two requests timed as one operation.
 */
function measuredClient(
  sim: Simulation,
  target: BenchTarget,
  inner: WorkloadClient,
  mix: YcsbMix,
  onStart: (request: Request) => void,
  onFinish: (request: Request, ok: boolean) => void,
): WorkloadClient {
  const throughResources = (op: KvOperation, then: () => void): void => {
    const steps = target.pathOf(op, inner);
    let i = 0;
    const next = (): void => {
      if (i >= steps.length) {
        for (const side of target.sideLoadOf ? target.sideLoadOf(op, inner) : []) side.resource.submit(side.serviceMs, () => undefined);
        return then();
      }
      const step = steps[i++];
      step.resource.submit(step.serviceMs, next);
    };
    next();
  };
  const send = (op: KvOperation, done: (result: OperationResult) => void): void => throughResources(op, () => inner.submit(op, done));
  const pool = target.poolOf ? target.poolOf(inner) : null;
  const withConnection = (work: (release: () => void) => void): void => (pool ? pool.acquire(work) : work(() => undefined));
  return {
    id: inner.id,
    region: inner.region,
    sessionCount: inner.sessionCount,
    submit(op: KvOperation, done?: (result: OperationResult) => void) {
      const request: Request = { intendedMs: sim.nowMs(), region: inner.region, finished: false };
      onStart(request);
      withConnection((release) => {
        const finish = (result: OperationResult): void => {
          release();
          request.finished = true;
          onFinish(request, result.ok);
          if (done) done(result);
        };
        if (op.f === 'get' || !mix.readModifyWrite) return send(op, finish);
        // Read-modify-write: read the key, then write it back changed, on one connection.
        send({ f: 'get', key: op.key }, (read) => {
          if (!read.ok) return finish(read);
          send(op, finish);
        });
      });
    },
  };
}

export function runOpenLoopBench(options: BenchRunOptions): BenchRunResult {
  checkKnownKeys('runOpenLoopBench', options, KEYS);
  if (typeof options.build !== 'function') throw new OptionError('runOpenLoopBench build: allowed: a function (sim) => BenchTarget');
  const ratePerSec = checkNumber('runOpenLoopBench ratePerSec', options.ratePerSec, { min: 0.001 });
  const durationMs = checkNumber('runOpenLoopBench durationMs', options.durationMs, { min: 10 });
  const warmupMs = checkNumber('runOpenLoopBench warmupMs', options.warmupMs ?? durationMs * 0.2, { min: 0, max: durationMs - 1 });
  const timeoutMs = checkNumber('runOpenLoopBench timeoutMs', options.timeoutMs ?? 2000, { min: 1 });
  const startMs = checkNumber('runOpenLoopBench startMs', options.startMs ?? 200, { min: 0 });
  const shape = options.shape ?? 'constant';
  const sim = new Simulation({ seed: options.seed, messageIsolation: options.messageIsolation ?? 'shared' });
  const target = options.build(sim);
  const mix = options.mix;

  const windowStartMs = startMs + warmupMs;
  const windowEndMs = startMs + durationMs;
  // No latency can exceed the run plus its drain; a tighter range keeps the histograms small.
  const highestMs = 2 * (durationMs + timeoutMs) + 1000;
  const all = new LatencyHistogram({ highestMs });
  const byRegion = new Map<string, LatencyHistogram>();
  const countedRequests: Request[] = [];
  let completed = 0;
  let completedInWindow = 0;
  let errors = 0;
  let timeouts = 0;
  const record = (region: string, latencyMs: number): void => {
    all.record(latencyMs);
    let h = byRegion.get(region);
    if (!h) byRegion.set(region, (h = new LatencyHistogram({ highestMs })));
    h.record(latencyMs);
  };
  const isCounted = (request: Request): boolean => request.intendedMs >= windowStartMs && request.intendedMs < windowEndMs;

  const clients = target.clients.map((client) =>
    measuredClient(
      sim,
      target,
      client,
      mix,
      (request) => {
        if (isCounted(request)) countedRequests.push(request);
      },
      (request, ok) => {
        const now = sim.nowMs();
        if (ok && now >= windowStartMs && now < windowEndMs) completedInWindow++;
        if (!isCounted(request)) return;
        if (!ok) {
          errors++;
          return;
        }
        completed++;
        const latencyMs = now - request.intendedMs;
        if (latencyMs > timeoutMs) timeouts++;
        record(request.region, latencyMs);
      },
    ),
  );

  const busyAt = (): number[] => target.resources.map((r) => r.workMs);
  let busyAtWindowStart: number[] = [];
  let busyAtWindowEnd: number[] = [];
  sim.at(windowStartMs, () => (busyAtWindowStart = busyAt()));
  sim.at(windowEndMs, () => (busyAtWindowEnd = busyAt()));
  const profile = loadProfile({ shape, startMs, durationMs, peakOpsPerSec: ratePerSec, readShare: mix.readShare });
  driveOpenLoop({ sim, profile, clients, keys: options.keys, clientWeights: options.clientWeights, maxOperations: 2_000_000 });
  const drainEndMs = windowEndMs + timeoutMs;
  sim.run(drainEndMs);

  // A request still open after the drain is a timeout, recorded at the latency it reached.
  for (const request of countedRequests) {
    if (request.finished) continue;
    timeouts++;
    record(request.region, drainEndMs - request.intendedMs);
  }
  const consistency = target.observeConsistency ? target.observeConsistency() : null;
  const windowMs = windowEndMs - windowStartMs;
  const resources = target.resources.map((r, i) => ({
    name: r.name,
    utilisation: Math.min(1, ((busyAtWindowEnd[i] ?? 0) - (busyAtWindowStart[i] ?? 0)) / (r.servers * windowMs)),
    queueDepthMax: r.queueDepthMax,
  }));
  const busiest = resources.length ? resources.reduce((a, b) => (b.utilisation > a.utilisation ? b : a)) : null;
  return {
    seed: options.seed,
    target: target.name,
    workload: mix.workload,
    shape,
    offeredPerSec: ratePerSec,
    windowMs,
    throughputPerSec: completedInWindow / (windowMs / 1000),
    counted: countedRequests.length,
    completed,
    errors,
    timeouts,
    latency: all.count > 0 ? all.summary() : null,
    regions: [...byRegion.entries()]
      .map(([region, h]) => ({ region, count: h.count, p50Ms: h.percentileMs(50), p95Ms: h.percentileMs(95), p99Ms: h.percentileMs(99) }))
      .sort((a, b) => a.region.localeCompare(b.region)),
    busiestResource: busiest ? { name: busiest.name, utilisation: busiest.utilisation } : null,
    resources,
    consistency,
  };
}
