/**
 * The cluster builder: `leaderFollower({ sim, leaderRegion, followerRegions, ack, reads, ... })`
 * adds the replicas and the clients to a simulation and returns handles to them, the
 * recorded history and the metrics.
 *
 *   const sim = new Simulation({ seed: 41 });
 *   const cluster = leaderFollower({ sim, leaderRegion: 'mumbai', followerRegions: ['delhi', 'chennai'] });
 *   cluster.client('mumbai').submit({ f: 'put', key: 'balance:42', value: '1000' });
 *   sim.run(1_000);
 *   cluster.metrics.lagSamples; cluster.history(); cluster.lostWrites();
 */
import { HistoryRecorder, NodeHandle, OperationRecord, OptionError, Simulation } from '../../sim';
import type { KvOperation, OperationResult, WorkloadClient } from '../../workload';
import { describeAckPolicy } from './ack-policy';
import { ClientNode, KvOutput } from './client';
import { LeaderRole } from './leader-role';
import { LeaderFollowerMetrics, LostWrite } from './metrics';
import { LeaderFollowerOptions, replicaIdsFor, resolveOptions, ResolvedOptions } from './options';
import { describeReadRouting } from './read-routing';
import { ReplicaNode } from './replica-node';

/** A client as the workload drivers and notebooks use it. */
export class LeaderFollowerClient implements WorkloadClient {
  constructor(
    private readonly handle: NodeHandle<ClientNode>,
    readonly sessionCount: number,
  ) {}

  get id(): string {
    return this.handle.id;
  }

  get region(): string {
    return this.handle.region;
  }

  submit(op: KvOperation, done?: (result: OperationResult) => void, session?: number): void {
    const client = this.handle.behaviour;
    if (!client) throw new Error(`client ${this.id} is down`);
    client.submit(op, done, session);
  }

  put(key: string, value: string, done?: (result: OperationResult) => void, session?: number): void {
    this.submit({ f: 'put', key, value }, done, session);
  }

  append(key: string, value: string, done?: (result: OperationResult) => void, session?: number): void {
    this.submit({ f: 'append', key, value }, done, session);
  }

  get(key: string, done?: (result: OperationResult) => void, session?: number): void {
    this.submit({ f: 'get', key }, done, session);
  }

  /** The leader this client currently sends writes to. */
  get knownLeader(): string | null {
    return this.handle.behaviour ? this.handle.behaviour.knownLeader : null;
  }
}

export interface LeaderFollowerCluster {
  readonly sim: Simulation;
  readonly options: ResolvedOptions;
  readonly replicaIds: string[];
  readonly clients: LeaderFollowerClient[];
  readonly metrics: LeaderFollowerMetrics;
  /** A client by id ('client-mumbai') or by region ('mumbai', the first client there). */
  client(idOrRegion: string): LeaderFollowerClient;
  replica(id: string): NodeHandle<ReplicaNode>;
  /** The up node that leads the highest epoch, or null during a failover. */
  leaderId(): string | null;
  /** Every up node that believes it is leader right now (two of them: split brain). */
  nodesActingAsLeader(): string[];
  /** The role and epoch of every replica, for a quick look. */
  roles(): Array<{ id: string; region: string; up: boolean; role: string; epoch: number; lastLsn: number; flushedLsn: number; appliedLsn: number }>;
  /** The recorded history in lib/check's shape ({ model: 'kv', operations }). */
  history(): { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] };
  /**
   * Acknowledged writes the cluster does not have: absent from the log of the current
   * leader (or, with no leader, of the most up-to-date live replica).
   */
  lostWrites(): LostWrite[];
  /** "async, reads: leader, fencing on": what a figure title quotes. */
  describe(): string;
}

export function leaderFollower(options: LeaderFollowerOptions): LeaderFollowerCluster {
  const resolved = resolveOptions(options);
  const sim = options.sim;
  const metrics = new LeaderFollowerMetrics(() => sim.nowMs(), resolved.maxMetricRecords);
  const recorder = resolved.recordHistory ? new HistoryRecorder<KvOperation, KvOutput>(resolved.maxHistoryOperations) : null;

  const replicas = resolved.replicaIds.map((id) =>
    sim.addNode<ReplicaNode>({
      id,
      region: resolved.regionOf[id],
      fsyncMs: resolved.fsyncMs,
      create: (ctx) =>
        new ReplicaNode(
          ctx,
          {
            replicaIds: resolved.replicaIds,
            regionOf: resolved.regionOf,
            initialLeaderId: resolved.replicaIds[0],
            ack: resolved.ack,
            semiSyncTimeoutMs: resolved.semiSyncTimeoutMs,
            fencing: resolved.fencing,
            heartbeatMs: resolved.heartbeatMs,
            failureTimeoutMs: resolved.failureTimeoutMs,
            leaseMs: resolved.leaseMs,
            electionJitterMs: resolved.electionJitterMs,
            applyRecordsPerMs: resolved.applyRecordsPerMs[id],
            linkRecordsPerMs: resolved.linkRecordsPerMs,
            maxBatchRecords: resolved.maxBatchRecords,
            maxInFlightRecords: resolved.maxInFlightRecords,
            readWaitMs: resolved.readWaitMs,
            maxLogRecords: resolved.maxLogRecords,
            maxPendingRequests: resolved.maxPendingRequests,
          },
          metrics,
        ),
    }),
  );

  const clientIds = replicaIdsFor(resolved.clientRegions.map((r) => `client-${r}`));
  const clients = resolved.clientRegions.map((region, index) => {
    // Nearest first by round-trip time from the client's region; ties by cluster order.
    const byDistance = resolved.replicaIds
      .map((id, order) => ({ id, order, rtt: sim.topology.rttMs(region, resolved.regionOf[id]) }))
      .sort((a, b) => a.rtt - b.rtt || a.order - b.order)
      .map((r) => r.id);
    const handle = sim.addNode<ClientNode>({
      id: clientIds[index],
      region,
      create: (ctx) =>
        new ClientNode(
          ctx,
          {
            replicaIds: resolved.replicaIds,
            replicasByDistance: byDistance,
            initialLeaderId: resolved.replicaIds[0],
            routing: resolved.reads,
            sessions: resolved.sessionsPerClient,
            firstProcess: index * resolved.sessionsPerClient,
            requestTimeoutMs: resolved.requestTimeoutMs,
            maxAttempts: resolved.maxAttempts,
            retryBackoffMs: resolved.retryBackoffMs,
            statusPollMs: resolved.statusPollMs,
            maxQueuedOperations: resolved.maxQueuedOperations,
          },
          recorder,
          metrics,
        ),
    });
    return new LeaderFollowerClient(handle, resolved.sessionsPerClient);
  });

  const leaderRoleOf = (handle: NodeHandle<ReplicaNode>): LeaderRole | null => {
    const node = handle.behaviour;
    return node && node.role instanceof LeaderRole ? node.role : null;
  };

  const leaderHandle = (): NodeHandle<ReplicaNode> | null => {
    let best: NodeHandle<ReplicaNode> | null = null;
    for (const handle of replicas) {
      if (!leaderRoleOf(handle)) continue;
      if (!best || handle.behaviour!.epoch > best.behaviour!.epoch) best = handle;
    }
    return best;
  };

  // The lag sampler: every lagSampleMs, the current leader's pg_stat_replication.
  const sample = (): void => {
    const handle = leaderHandle();
    const role = handle ? leaderRoleOf(handle) : null;
    if (handle && role) {
      const timeMs = sim.nowMs();
      for (const row of role.replicationStatus()) {
        metrics.addLagSample({
          timeMs,
          follower: row.id,
          region: row.region,
          leader: handle.id,
          epoch: handle.behaviour!.epoch,
          lsnLag: row.lsnLag,
          writeLagMs: row.writeLagMs,
          flushLagMs: row.flushLagMs,
          replayLagMs: row.replayLagMs,
        });
      }
    }
    sim.after(resolved.lagSampleMs, sample);
  };
  sim.after(resolved.lagSampleMs, sample);

  const cluster: LeaderFollowerCluster = {
    sim,
    options: resolved,
    replicaIds: resolved.replicaIds,
    clients,
    metrics,
    client(idOrRegion: string): LeaderFollowerClient {
      const found = clients.find((c) => c.id === idOrRegion) ?? clients.find((c) => c.region === idOrRegion);
      if (!found) throw new OptionError(`client: got ${JSON.stringify(idOrRegion)}; allowed: ${clients.map((c) => `${c.id} (${c.region})`).join(', ')}`);
      return found;
    },
    replica(id: string): NodeHandle<ReplicaNode> {
      const found = replicas.find((r) => r.id === id);
      if (!found) throw new OptionError(`replica: got ${JSON.stringify(id)}; allowed: ${resolved.replicaIds.join(', ')}`);
      return found;
    },
    leaderId(): string | null {
      const handle = leaderHandle();
      return handle ? handle.id : null;
    },
    nodesActingAsLeader(): string[] {
      return replicas.filter((r) => leaderRoleOf(r) !== null).map((r) => r.id);
    },
    roles() {
      return replicas.map((r) => {
        const node = r.behaviour;
        return {
          id: r.id,
          region: r.region,
          up: r.isUp,
          role: node ? node.role.kind : 'down',
          epoch: node ? node.epoch : 0,
          lastLsn: node ? node.log.lastLsn : 0,
          flushedLsn: node ? node.flushedLsn : 0,
          appliedLsn: node ? node.kv.appliedLsn : 0,
        };
      });
    },
    history() {
      return { model: 'kv', operations: recorder ? recorder.operations() : [] };
    },
    lostWrites(): LostWrite[] {
      let reference = leaderHandle();
      if (!reference) {
        for (const r of replicas) {
          const node = r.behaviour;
          if (!node) continue;
          const best = reference ? reference.behaviour! : null;
          if (!best || node.log.lastEpoch > best.log.lastEpoch || (node.log.lastEpoch === best.log.lastEpoch && node.log.lastLsn > best.log.lastLsn)) reference = r;
        }
      }
      if (!reference) throw new Error('lostWrites: every replica is down; restart one to compare against its log');
      const log = reference.behaviour!.log;
      const lost: LostWrite[] = [];
      const seen = new Set<string>();
      for (const w of metrics.acknowledgedWrites) {
        if (seen.has(w.writeId)) continue;
        seen.add(w.writeId);
        if (log.lsnOfWrite(w.writeId) !== undefined) continue;
        const discard = metrics.discarded.find((d) => d.writeId === w.writeId);
        lost.push({ ...w, discardedAtMs: discard ? discard.timeMs : null, discardedBy: discard ? discard.node : null });
      }
      return lost;
    },
    describe(): string {
      return `${describeAckPolicy(resolved.ack)}, reads: ${describeReadRouting(resolved.reads)}, fencing ${resolved.fencing ? 'on' : 'off'}`;
    },
  };
  return cluster;
}
