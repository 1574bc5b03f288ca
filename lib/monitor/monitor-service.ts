import * as http from 'http';
import { createScalingView, registerScalingMetrics } from './scaling-view';
import { AddressInfo } from 'net';
import { plotlyLibrary } from '../viz/plotly-bundle';
import { HealthReport, SourceStatus, healthReport } from './health';
import { LagSource } from './lag-source';
import { createMonitorServer } from './monitor-http';
import { PostgresLagSource } from './postgres-source';
import { MonitorMetrics, createMonitorMetrics } from './prometheus-metrics';
import { Redactor } from './redaction';
import { ReplicationMonitor } from './replication-monitor';
import { MonitorServiceConfig, configSecrets, describeConfig } from './service-config';
import { CAPACITY_HEADROOM, createSimulatedLagSource } from './simulated-source';
import { hostResourceReader } from './host-resources';

/** India Standard Time, UTC+05:30: every region of the episode is on it. */
const IST_OFFSET_MINUTES = 330;

/**
 * The running service: a lag source sampled every interval, the monitor core fed with
 * the samples, and the HTTP server over both. This is the one place with real time and
 * real I/O. When the source fails (the database went away) the service stays up, reports
 * degraded health, and retries with exponential backoff; when it answers again, sampling
 * returns to the normal interval. stop() is graceful: no new samples, the server stops
 * accepting, open requests finish, connections close.
 */
export interface MonitorServiceOptions {
  config: MonitorServiceConfig;
  /** Use this source instead of the one the configuration describes (tests). */
  source?: LagSource;
  /** Where log lines go (already redacted). Default: stdout. */
  log?: (line: string) => void;
  /** Wall clock, epoch ms. */
  now?: () => number;
}

export interface RunningMonitorService {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly monitor: ReplicationMonitor;
  readonly metrics: MonitorMetrics;
  /** Takes one sample now (outside the schedule); resolves when it has been ingested or has failed. */
  sampleNow(): Promise<void>;
  health(): HealthReport;
  sourceStatus(): SourceStatus;
  /** Graceful shutdown; resolves when everything is closed. Safe to call twice. */
  stop(): Promise<void>;
}

/** Backoff after `failures` consecutive failures: doubling from the interval, capped at 30 s (or the interval if longer). */
export function retryDelayMs(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  const capMs = Math.max(intervalMs, Math.min(30_000, intervalMs * 16));
  return Math.min(capMs, intervalMs * 2 ** Math.min(failures, 30));
}

export function createLagSource(config: MonitorServiceConfig): LagSource {
  if (config.source.kind === 'postgres') {
    return new PostgresLagSource({
      primary: config.source.primary,
      standbys: config.source.standbys,
      region: config.region,
      business: config.source.business,
      ...(config.maxConnections !== null ? { maxConnections: config.maxConnections } : {}),
      resources: hostResourceReader(),
    });
  }
  // The episode's live day: the business hours, the default peaks scaled by PEAK_MULTIPLIER.
  return createSimulatedLagSource({
    seed: config.source.seed,
    leaderRegion: config.region,
    intervalMs: config.intervalMs,
    startEpochMs: Date.now() - config.intervalMs,
    scenario: {
      fromHour: config.businessHoursStart,
      toHour: config.businessHoursEnd,
      peakWritesPerSec: 150 * config.peakMultiplier,
      peakReadsPerSec: 300 * config.peakMultiplier,
      // Capacity stays what the default day was planned for: more traffic, more CPU.
      capacityOpsPerSec: CAPACITY_HEADROOM * (150 + 300),
      ...(config.maxConnections !== null ? { poolSizePerClient: config.maxConnections } : {}),
    },
  });
}

function defaultLog(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

export async function startMonitorService(options: MonitorServiceOptions): Promise<RunningMonitorService> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const redactor = new Redactor(configSecrets(config));
  const rawLog = options.log ?? defaultLog;
  const log = (line: string) => rawLog(redactor.redact(line));
  const source = options.source ?? createLagSource(config);
  const monitor = new ReplicationMonitor({
    lagThresholdMs: config.lagThresholdMs,
    lagThresholdByRegionMs: config.lagThresholdByRegionMs,
    forMs: config.forMs,
    clearForMs: config.clearForMs,
    slaTargetShare: config.slaTargetShare,
    // A real cluster's SLA is promised for the business hours, India Standard Time; the
    // simulated cluster only lives through business hours, so all of its time is judged.
    ...(config.source.kind === 'postgres' ? { slaWindow: { fromHour: config.businessHoursStart, toHour: config.businessHoursEnd, utcOffsetMinutes: IST_OFFSET_MINUTES } } : {}),
    // A service runs for months: keep the recent past, drop the oldest.
    history: { maxPointsPerReplica: 3600, whenFull: 'drop-oldest' },
    alerts: { maxEvents: 1000, whenEventsFull: 'drop-oldest' },
  });
  const status: SourceStatus = {
    kind: source.kind,
    description: redactor.redact(source.describe()),
    connected: false,
    lastSuccessEpochMs: null,
    lastAttemptEpochMs: null,
    lastError: null,
    consecutiveFailures: 0,
    nextAttemptEpochMs: null,
  };
  const metrics = createMonitorMetrics(monitor, () => ({ up: status.connected, lastSampleEpochMs: status.lastSuccessEpochMs }), {
    datacenter: config.datacenter,
    region: config.region,
    source: source.kind,
  });
  // On the simulated cluster, a replica-fleet controller runs alongside: one fleet minute per sample.
  const scaling = source.kind === 'simulated' ? createScalingView({ seed: config.source.kind === 'simulated' ? config.source.seed : undefined, costOptimization: config.costOptimization }) : undefined;
  if (scaling) registerScalingMetrics(metrics.registry, scaling);
  // A sample must be no older than three intervals plus a query timeout to count as fresh.
  const maxSampleAgeMs = config.intervalMs * 3 + 5000;
  const health = () => healthReport(monitor, { ...status }, now(), maxSampleAgeMs);

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;

  const sampleOnce = async (): Promise<void> => {
    const started = now();
    status.lastAttemptEpochMs = started;
    try {
      const snapshot = await source.sample();
      const before = new Map(monitor.servers().map((v) => [v.server, v]));
      const events = monitor.ingest(snapshot);
      scaling?.advance();
      // Say when a configured server stops or starts answering, with why: the error must be seen.
      for (const v of snapshot.servers ?? []) {
        const was = before.get(v.server);
        if (v.up && was && !was.up && was.error !== 'the sample failed') log(`server ${v.server} answers again (${v.role})`);
        if (!v.up && (!was || was.up)) log(`server ${v.server} does not answer: ${v.error ?? 'unreachable'}`);
      }
      if (snapshot.splitBrain) log(`SPLIT BRAIN: ${(snapshot.servers ?? []).filter((v) => v.role === 'primary').map((v) => v.server).join(' and ')} accept writes`);
      if (!status.connected && status.consecutiveFailures > 0) log(`source recovered after ${status.consecutiveFailures} failed attempt(s): ${status.description}`);
      status.connected = true;
      // The simulated source's description names its current day; keep it current.
      status.description = redactor.redact(source.describe());
      status.lastSuccessEpochMs = now();
      status.lastError = null;
      status.consecutiveFailures = 0;
      metrics.recordSample('ok', now() - started, events);
      for (const e of events) {
        if (e.to === 'firing' || e.to === 'resolved') log(`alert ${e.rule} ${e.to}: ${e.key} value=${e.value === null ? 'none' : e.value.toFixed(3)} threshold=${e.threshold}`);
      }
    } catch (error) {
      const message = redactor.redact(error instanceof Error ? error.message : String(error));
      // On the source's clock (simulation ms or epoch ms): the last sample's time plus the wall time since.
      const last = monitor.lastKnown;
      const failureTimeMs = last ? last.timeMs + Math.max(0, now() - (status.lastSuccessEpochMs ?? now())) : 0;
      const failureEvents = monitor.ingestFailure(failureTimeMs);
      for (const e of failureEvents) {
        if (e.to === 'firing' || e.to === 'resolved') log(`alert ${e.rule} ${e.to}: ${e.key}`);
      }
      status.connected = false;
      status.lastError = message;
      status.consecutiveFailures++;
      metrics.recordSample('error', now() - started, failureEvents);
      // Log the first failure and then every tenth, so an outage does not flood the log.
      if (status.consecutiveFailures === 1 || status.consecutiveFailures % 10 === 0) {
        log(`sampling failed (${status.consecutiveFailures} in a row), retrying in ${retryDelayMs(config.intervalMs, status.consecutiveFailures)} ms: ${message}`);
      }
    }
  };

  const runSample = (): Promise<void> => {
    if (!inFlight) {
      inFlight = sampleOnce().finally(() => {
        inFlight = null;
      });
    }
    return inFlight;
  };

  const schedule = () => {
    if (stopped) return;
    const delay = retryDelayMs(config.intervalMs, status.consecutiveFailures);
    status.nextAttemptEpochMs = now() + delay;
    timer = setTimeout(() => {
      timer = null;
      void runSample().then(schedule);
    }, delay);
  };

  const server: http.Server = createMonitorServer(
    {
      monitor,
      metrics,
      redactor,
      health,
      sourceStatus: () => ({ ...status }),
      publicConfig: () => describeConfig(config),
      intervalMs: config.intervalMs,
      plotly: () => plotlyLibrary(),
      log,
      scaling,
    },
    { loopbackOnly: ['127.0.0.1', 'localhost', '::1'].includes(config.host) },
  );

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`PORT: ${config.host}:${config.port} is already in use; stop the other process or set PORT to a free port (0 picks one)`)
          : error.code === 'EADDRNOTAVAIL'
            ? new Error(`HOST: ${JSON.stringify(config.host)} is not an address of this machine; allowed: one of its addresses, e.g. 127.0.0.1`)
            : error,
      );
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  log(`monitor listening on ${url} — source: ${status.description}; sampling every ${config.intervalMs} ms`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    log(`note: HOST=${config.host} exposes the monitor beyond this machine; it has no authentication, so put it behind a proxy or firewall`);
  }

  await runSample();
  schedule();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        timer = null;
        if (inFlight) await inFlight;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests still running after 5 s are cut: a shutdown must end.
          const force = setTimeout(() => server.closeAllConnections(), 5000);
          force.unref();
        });
        await source.close();
        log('monitor stopped');
      })();
    }
    return stopping;
  };

  return {
    url,
    host: address.address,
    port: address.port,
    monitor,
    metrics,
    sampleNow: runSample,
    health,
    sourceStatus: () => ({ ...status }),
    stop,
  };
}
