import { OptionError, Simulation, checkKnownKeys, checkNumber } from '../sim';
import { LeaderFollowerCluster, leaderFollower } from '../strategies/leader-follower';
import { KvOperation, LoadProfile, OperationResult, WorkloadClient, businessDayProfile, driveOpenLoop } from '../workload';
import { LagSource } from './lag-source';
import { ClusterSnapshot, RegionTraffic, ReplicaLag, replicaLag } from './snapshot';

/**
 * The monitor's simulated cluster: the episode's leader–follower setup (leader in Mumbai,
 * a local standby in Mumbai, followers in Delhi, Bangalore and Kolkata) under a business
 * day of banking and e-commerce traffic, with a slow Kolkata link: its replication stream
 * carries fewer records per second than the peaks write, so Kolkata's lag builds up in
 * every peak and drains in the quiet hours, while congestion spikes on every link make
 * short blips. One `SimulatedDay` is one deterministic run (seed → identical numbers).
 */
export interface MonitoringScenarioOptions {
  seed: number;
  leaderRegion?: string;
  /** Default: the leader's region (a local standby), delhi, bangalore, kolkata. */
  followerRegions?: string[];
  /** Simulated ms per business hour. Default 2000 (a day in 48 s). */
  hourMs?: number;
  /** First and last (exclusive) business hour. Default 0 and 24. */
  fromHour?: number;
  toHour?: number;
  peakWritesPerSec?: number;
  peakReadsPerSec?: number;
  /** Capacity of the leader→Kolkata replication stream, records per second. Default 0.85 × peakWritesPerSec. */
  kolkataLinkRecordsPerSec?: number | null;
  /** Share of messages on every link that hit a congestion spike, and its mean length (ms). Default 0.01 and 60. */
  congestionProbability?: number;
  congestionMeanMs?: number;
  /** Which business each client region runs: error-rate thresholds differ. Default bangalore → ecommerce, others banking. */
  businessByRegion?: Record<string, string>;
  /** Connection pool (sessions) per client. Default 16. */
  poolSizePerClient?: number;
  /** Dense lag samples of the simulated cluster itself (the ground truth behind the monitor's samples), ms. Default 50. */
  lagSampleMs?: number;
  /** The leader's modelled capacity, operations per second, for its CPU. Default 1.6 × (peak writes + peak reads). */
  capacityOpsPerSec?: number;
}

const OPTION_KEYS = [
  'seed', 'leaderRegion', 'followerRegions', 'hourMs', 'fromHour', 'toHour', 'peakWritesPerSec', 'peakReadsPerSec', 'kolkataLinkRecordsPerSec',
  'congestionProbability', 'congestionMeanMs', 'businessByRegion', 'poolSizePerClient', 'lagSampleMs', 'capacityOpsPerSec',
];

interface ClientCounters {
  region: string;
  business: string;
  requests: number;
  errors: number;
  inFlight: number;
  poolSize: number;
}

/** Capacity over the planned peak: the planned day peaks at 1 / 1.6 ≈ 62 % CPU. */
export const CAPACITY_HEADROOM = 1.6;

/** One business day of the simulated cluster, advanced by the caller. */
export class SimulatedDay {
  readonly sim: Simulation;
  readonly cluster: LeaderFollowerCluster;
  readonly profile: LoadProfile;
  readonly options: Required<Omit<MonitoringScenarioOptions, 'kolkataLinkRecordsPerSec' | 'capacityOpsPerSec'>> & { kolkataLinkRecordsPerSec: number | null };
  private readonly counters = new Map<string, ClientCounters>();
  private lastTrafficMs: number | null = null;
  private readonly capacityOpsPerSec: number;

  constructor(options: MonitoringScenarioOptions) {
    if (typeof options !== 'object' || options === null) throw new OptionError('monitoring scenario: got no options; allowed: an object with at least { seed }');
    checkKnownKeys('monitoring scenario', options, OPTION_KEYS);
    const leaderRegion = options.leaderRegion ?? 'mumbai';
    const peakWritesPerSec = checkNumber('peakWritesPerSec', options.peakWritesPerSec ?? 300, { min: 1, max: 20_000 });
    const resolved = {
      seed: options.seed,
      leaderRegion,
      // A standby next to the leader, then three other regions of the episode.
      followerRegions: options.followerRegions ?? [leaderRegion, ...['mumbai', 'delhi', 'bangalore', 'kolkata'].filter((r) => r !== leaderRegion).slice(-3)],
      hourMs: checkNumber('hourMs', options.hourMs ?? 2000, { min: 10, max: 3_600_000 }),
      fromHour: options.fromHour ?? 0,
      toHour: options.toHour ?? 24,
      peakWritesPerSec,
      peakReadsPerSec: checkNumber('peakReadsPerSec', options.peakReadsPerSec ?? 600, { min: 0, max: 50_000 }),
      kolkataLinkRecordsPerSec:
        options.kolkataLinkRecordsPerSec === null ? null : checkNumber('kolkataLinkRecordsPerSec', options.kolkataLinkRecordsPerSec ?? peakWritesPerSec * 0.85, { min: 1 }),
      congestionProbability: checkNumber('congestionProbability', options.congestionProbability ?? 0.01, { min: 0, max: 1 }),
      congestionMeanMs: checkNumber('congestionMeanMs', options.congestionMeanMs ?? 60, { min: 0 }),
      businessByRegion: options.businessByRegion ?? { bangalore: 'ecommerce' },
      poolSizePerClient: checkNumber('poolSizePerClient', options.poolSizePerClient ?? 16, { integer: true, min: 1, max: 10_000 }),
      lagSampleMs: checkNumber('lagSampleMs', options.lagSampleMs ?? 50, { min: 1 }),
    };
    this.options = resolved;
    const peakReads = resolved.peakReadsPerSec;
    this.capacityOpsPerSec = checkNumber('capacityOpsPerSec', options.capacityOpsPerSec ?? CAPACITY_HEADROOM * (peakWritesPerSec + peakReads), { min: 1 });
    this.sim = new Simulation({ seed: resolved.seed, link: { tailProbability: resolved.congestionProbability, tailMeanMs: resolved.congestionMeanMs } });
    const regions = [resolved.leaderRegion, ...resolved.followerRegions];
    this.cluster = leaderFollower({
      sim: this.sim,
      leaderRegion: resolved.leaderRegion,
      followerRegions: resolved.followerRegions,
      clientRegions: [...new Set(regions)],
      sessionsPerClient: resolved.poolSizePerClient,
      reads: 'nearest',
      recordHistory: false,
      lagSampleMs: resolved.lagSampleMs,
      ...(resolved.kolkataLinkRecordsPerSec !== null && regions.includes('kolkata') ? { linkRecordsPerMs: { kolkata: resolved.kolkataLinkRecordsPerSec / 1000 } } : {}),
    });
    this.profile = businessDayProfile({
      hourMs: resolved.hourMs,
      peakWritesPerSec: resolved.peakWritesPerSec,
      peakReadsPerSec: resolved.peakReadsPerSec,
      fromHour: resolved.fromHour,
      toHour: resolved.toHour,
      startMs: 0,
    });
    const clients: WorkloadClient[] = this.cluster.clients.map((client) => {
      const counters: ClientCounters = {
        region: client.region,
        business: resolved.businessByRegion[client.region] ?? 'banking',
        requests: 0,
        errors: 0,
        inFlight: 0,
        poolSize: client.sessionCount,
      };
      this.counters.set(client.id, counters);
      // Counting what the application server sees: requests, failures, and connections busy.
      return {
        id: client.id,
        region: client.region,
        sessionCount: client.sessionCount,
        submit(op: KvOperation, done?: (result: OperationResult) => void, session?: number): void {
          counters.inFlight++;
          client.submit(
            op,
            (result) => {
              counters.inFlight--;
              counters.requests++;
              if (!result.ok) counters.errors++;
              if (done) done(result);
            },
            session,
          );
        },
      };
    });
    driveOpenLoop({ sim: this.sim, profile: this.profile, clients, keys: { keyCount: 10_000, hotShare: 0.1, hotKeyCount: 10 }, maxOperations: 5_000_000 });
  }

  /** Simulated ms at which the business day is over. */
  get endMs(): number {
    return this.profile.endMs;
  }

  /** The business hour (fractional) at a simulated time. */
  hourAt(simMs: number): number {
    return this.options.fromHour + simMs / this.options.hourMs;
  }

  advanceTo(simMs: number): void {
    this.sim.run(Math.max(this.sim.nowMs(), simMs));
  }

  /**
   * What the monitor sees now, stamped `timeMs`: the newest lag row of every follower from
   * the leader's pg_stat_replication, and the traffic since the previous snapshot.
   */
  snapshot(timeMs: number): ClusterSnapshot {
    const roles = this.cluster.roles();
    const leaderId = this.cluster.leaderId();
    const leaderRole = roles.find((r) => r.id === leaderId);
    const samples = this.cluster.metrics.lagSamples;
    const newest = new Map<string, (typeof samples)[number]>();
    for (let i = samples.length - 1; i >= 0 && newest.size < roles.length; i--) {
      const s = samples[i];
      if (!newest.has(s.follower)) newest.set(s.follower, s);
    }
    const replicas: ReplicaLag[] = roles
      .filter((r) => r.id !== leaderId)
      .map((r) => {
        const s = newest.get(r.id);
        const connected = r.up && r.role === 'follower' && leaderId !== null && s !== undefined;
        return replicaLag({
          replica: r.id,
          region: r.region,
          connected,
          state: !r.up ? 'down' : connected ? 'streaming' : r.role,
          lagMs: connected ? s!.replayLagMs : null,
          writeLagMs: connected ? s!.writeLagMs : null,
          flushLagMs: connected ? s!.flushLagMs : null,
          replayLagMs: connected ? s!.replayLagMs : null,
          pendingEntries: s ? s.lsnLag : null,
          syncState: 'async',
        });
      });
    const traffic: RegionTraffic[] = [...this.counters.values()].map((c) => {
      const row = { region: c.region, business: c.business, requestCount: c.requests, errorCount: c.errors, poolInUse: Math.min(c.inFlight, c.poolSize), poolSize: c.poolSize };
      c.requests = 0;
      c.errors = 0;
      return row;
    });
    // The leader's CPU, modelled: operations this interval against its capacity (by default
    // 1.6 × the planned peak, so a planned day peaks near 62 %; the service keeps the capacity
    // of the default peak, so PEAK_MULTIPLIER above about 1.3 breaks the 80 % rule).
    const intervalSec = this.lastTrafficMs === null ? null : (timeMs - this.lastTrafficMs) / 1000;
    this.lastTrafficMs = timeMs;
    const ops = traffic.reduce((sum, t) => sum + t.requestCount, 0);
    const cpuRatio = intervalSec !== null && intervalSec > 0 ? Math.min(1, ops / intervalSec / this.capacityOpsPerSec) : null;
    return {
      timeMs,
      source: 'simulated',
      leader: leaderId ? { id: leaderId, region: this.sim.regionOf(leaderId) } : null,
      epoch: leaderRole ? leaderRole.epoch : 0,
      replicas,
      traffic,
      resources: { cpuRatio, memoryRatio: null },
    };
  }

  /** Every dense lag sample since the start (the simulator's ground truth): one row per follower per lagSampleMs. */
  lagTrace(): Array<{ timeMs: number; replica: string; region: string; lagMs: number; pendingEntries: number }> {
    return this.cluster.metrics.lagSamples.map((s) => ({ timeMs: s.timeMs, replica: s.follower, region: s.region, lagMs: s.replayLagMs, pendingEntries: s.lsnLag }));
  }
}

/** Simulated ms computed between two yields to the event loop in the live source. */
const SLICE_SIM_MS = 50;

export interface SimulatedSourceOptions {
  seed: number;
  leaderRegion: string;
  /** Simulated time that passes per sample; the service samples every intervalMs, so simulated time runs at wall-clock pace. */
  intervalMs: number;
  /** Epoch ms the first day starts at (the service passes Date.now()). Default 0. */
  startEpochMs?: number;
  /** Scenario settings for every day. Default: 08:00 to midnight, an hour lasts 30 s (a day in 8 min), peaks of 150 writes/s and 300 reads/s. */
  scenario?: Omit<MonitoringScenarioOptions, 'seed' | 'leaderRegion'>;
}

/**
 * The simulated cluster as a live lag source for the service. Each sample advances the
 * simulation by `intervalMs`, so simulated time passes at the pace of the wall clock; when
 * a business day is over the next one begins with the next seed, so the service can run
 * for as long as it likes while every day stays bounded in memory.
 */
export class SimulatedLagSource implements LagSource {
  readonly kind = 'simulated';
  private day: SimulatedDay;
  private dayNumber = 0;
  private dayStartMs = 0;
  private simMs = 0;

  constructor(private readonly options: SimulatedSourceOptions) {
    checkNumber('intervalMs', options.intervalMs, { min: 1 });
    this.day = this.newDay();
  }

  private scenario(): MonitoringScenarioOptions {
    // Each live day starts at 08:00, so someone who opens the dashboard sees the morning peak build within minutes.
    return { hourMs: 30_000, fromHour: 8, peakWritesPerSec: 150, peakReadsPerSec: 300, ...(this.options.scenario ?? {}), seed: (this.options.seed + this.dayNumber) % 2147483647, leaderRegion: this.options.leaderRegion };
  }

  private newDay(): SimulatedDay {
    return new SimulatedDay(this.scenario());
  }

  describe(): string {
    const o = this.day.options;
    return `simulated leader–follower cluster (seed ${this.options.seed}, day ${this.dayNumber + 1}): leader ${o.leaderRegion}, followers ${o.followerRegions.join(', ')}; business day from ${o.fromHour}:00, 1 hour = ${o.hourMs / 1000} s`;
  }

  async sample(): Promise<ClusterSnapshot> {
    this.simMs += this.options.intervalMs;
    if (this.simMs - this.dayStartMs >= this.day.endMs) {
      this.dayStartMs += this.day.endMs;
      this.dayNumber++;
      this.day = this.newDay();
    }
    // Advance in slices and yield to the event loop between them, so HTTP requests are
    // answered while a long interval of a busy simulated hour is computed.
    const target = this.simMs - this.dayStartMs;
    for (let t = this.day.sim.nowMs(); t < target; ) {
      t = Math.min(target, t + SLICE_SIM_MS);
      this.day.advanceTo(t);
      if (t < target) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.day.snapshot((this.options.startEpochMs ?? 0) + this.simMs);
  }

  /** The day being simulated now. */
  get currentDay(): SimulatedDay {
    return this.day;
  }

  async close(): Promise<void> {
    // Nothing to release: the simulation lives in memory.
  }
}

export function createSimulatedLagSource(options: SimulatedSourceOptions): LagSource {
  return new SimulatedLagSource(options);
}
