/** Notebook 01, section 3: kill the leader at the 10:00 peak, under each acknowledgement mode. */
import { Simulation, checkKnownKeys } from '../../sim';
import { businessDayProfile, driveOpenLoop } from '../../workload';
import { describeAckPolicy, LeaderFollowerCluster, LostWrite, TimelineEvent, AckOption } from '../../strategies/leader-follower';
import { HDFC_LEADER_REGION, hdfcCluster } from './scenario';

// ---------------------------------------------------------------- 3. failover

export interface FailoverRun {
  seed: number;
  ack: string;
  cluster: LeaderFollowerCluster;
  crashAtMs: number;
  restartAtMs: number;
  /** Writes the old leader acknowledged in total, and the ones the cluster no longer has. */
  acknowledgedCount: number;
  lost: LostWrite[];
  /** The failover's events, with times relative to the crash. */
  timeline: Array<TimelineEvent & { msAfterCrash: number }>;
  /** Where every replica stood just before the crash. */
  beforeCrash: ReturnType<LeaderFollowerCluster['roles']>;
}

export interface FailoverOptions {
  seed: number;
  ack: AckOption;
  /** The hour of the business day at which the leader dies; default 10 (the morning peak). */
  crashAtHour?: number;
  /** How long the old leader stays down; default 2500 ms. */
  downForMs?: number;
  /** ms per simulated hour; default 500. */
  hourMs?: number;
  fencing?: boolean;
}

/**
 * The business morning (8:00–12:00) with the application servers of all three cities
 * writing; at crashAtHour the Mumbai leader dies (power cut: page cache and send buffers
 * gone). The followers detect it, elect a new leader, the clients find it; downForMs
 * later the old leader comes back and rejoins as a follower.
 */
export function runFailover(options: FailoverOptions): FailoverRun {
  checkKnownKeys('runFailover', options, ['seed', 'ack', 'crashAtHour', 'downForMs', 'hourMs', 'fencing']);
  const hourMs = options.hourMs ?? 500;
  const fromHour = 8;
  const profile = businessDayProfile({ hourMs, fromHour, toHour: 12, startMs: 100, peakWritesPerSec: 2000, peakReadsPerSec: 0 });
  const crashAtMs = profile.startMs + ((options.crashAtHour ?? 10) - fromHour) * hourMs;
  const restartAtMs = crashAtMs + (options.downForMs ?? 2500);
  const sim = new Simulation({ seed: options.seed });
  const cluster = hdfcCluster(sim, { ack: options.ack, fencing: options.fencing, sessionsPerClient: 128, recordHistory: false });
  driveOpenLoop({ sim, profile, clients: cluster.clients, keys: { keyCount: 10_000 } });
  let beforeCrash: FailoverRun['beforeCrash'] = [];
  sim.at(crashAtMs, () => {
    beforeCrash = cluster.roles();
    sim.crash(HDFC_LEADER_REGION);
  });
  sim.at(restartAtMs, () => sim.restart(HDFC_LEADER_REGION));
  sim.run(Math.max(profile.endMs, restartAtMs + 1500));
  return {
    seed: options.seed,
    ack: describeAckPolicy(cluster.options.ack),
    cluster,
    crashAtMs,
    restartAtMs,
    acknowledgedCount: cluster.metrics.acknowledgedWrites.filter((w) => w.leader === HDFC_LEADER_REGION).length,
    lost: cluster.lostWrites(),
    timeline: cluster.metrics.timeline
      .filter((e) => e.timeMs >= crashAtMs)
      .map((e) => ({ ...e, msAfterCrash: e.timeMs - crashAtMs })),
    beforeCrash,
  };
}
export interface FailoverRow {
  ack: string;
  acknowledgedByOldLeader: number;
  lostAcknowledgedWrites: number;
  newLeader: string;
  msToDetect: number;
  msToPromote: number;
  msToFirstRedirectedClient: number;
}

/** The same crash in the same peak under each acknowledgement mode. */
export function compareFailover(options: { seed: number; modes: AckOption[] }): FailoverRow[] {
  checkKnownKeys('compareFailover', options, ['seed', 'modes']);
  return options.modes.map((ack) => {
    const run = runFailover({ seed: options.seed, ack });
    const first = (event: string) => run.timeline.find((e) => e.event === event);
    return {
      ack: run.ack,
      acknowledgedByOldLeader: run.acknowledgedCount,
      lostAcknowledgedWrites: run.lost.length,
      newLeader: first('promoted') ? first('promoted')!.node : 'none',
      msToDetect: first('leader-failure-detected') ? first('leader-failure-detected')!.msAfterCrash : NaN,
      msToPromote: first('promoted') ? first('promoted')!.msAfterCrash : NaN,
      msToFirstRedirectedClient: first('client-redirected') ? first('client-redirected')!.msAfterCrash : NaN,
    };
  });
}
