import { LimitExceededError, checkNumber, checkOneOf } from '../util/option-error';
import { ClusterSnapshot } from './snapshot';

/**
 * The recent lag of every replica, for plots and the dashboard: one point per replica
 * per sample. It is bounded in points per replica and in replicas; when full it either
 * drops the oldest points (a live service) or refuses with an error (an experiment, where
 * a silently shortened history would mislead).
 */
export interface LagPoint {
  timeMs: number;
  replica: string;
  region: string;
  /** null when the replica was disconnected or unmeasured at that moment. */
  lagMs: number | null;
  connected: boolean;
}

export interface LagHistoryOptions {
  /** Points kept per replica. Default 10 000. */
  maxPointsPerReplica?: number;
  /** Distinct replicas. Default 200. */
  maxReplicas?: number;
  whenFull?: 'error' | 'drop-oldest';
}

interface Ring {
  region: string;
  points: LagPoint[];
}

export class LagHistory {
  private readonly rings = new Map<string, Ring>();
  private readonly maxPoints: number;
  private readonly maxReplicas: number;
  private readonly whenFull: 'error' | 'drop-oldest';

  constructor(options: LagHistoryOptions = {}) {
    this.maxPoints = checkNumber('maxPointsPerReplica', options.maxPointsPerReplica ?? 10_000, { integer: true, min: 1 });
    this.maxReplicas = checkNumber('maxReplicas', options.maxReplicas ?? 200, { integer: true, min: 1 });
    this.whenFull = checkOneOf('whenFull', options.whenFull ?? 'error', ['error', 'drop-oldest']);
  }

  add(snapshot: ClusterSnapshot): void {
    for (const r of snapshot.replicas) {
      let ring = this.rings.get(r.replica);
      if (!ring) {
        if (this.rings.size >= this.maxReplicas) throw new LimitExceededError(`lag history tracks ${this.rings.size} replicas, its limit (maxReplicas = ${this.maxReplicas})`);
        ring = { region: r.region, points: [] };
        this.rings.set(r.replica, ring);
      }
      ring.region = r.region;
      if (ring.points.length >= this.maxPoints) {
        if (this.whenFull === 'error') {
          throw new LimitExceededError(`lag history of ${r.replica} holds ${ring.points.length} points, its limit (maxPointsPerReplica = ${this.maxPoints}); sample less often, shorten the run or raise the limit`);
        }
        ring.points.splice(0, ring.points.length - this.maxPoints + 1);
      }
      ring.points.push({ timeMs: snapshot.timeMs, replica: r.replica, region: r.region, lagMs: r.connected ? r.lagMs : null, connected: r.connected });
    }
  }

  replicas(): Array<{ replica: string; region: string }> {
    return [...this.rings.entries()].map(([replica, ring]) => ({ replica, region: ring.region }));
  }

  /** All points (optionally of one replica, optionally only after sinceMs), oldest first per replica. */
  points(options: { replica?: string; sinceMs?: number; limitPerReplica?: number } = {}): LagPoint[] {
    const out: LagPoint[] = [];
    for (const [replica, ring] of this.rings) {
      if (options.replica !== undefined && replica !== options.replica) continue;
      let points = options.sinceMs === undefined ? ring.points : ring.points.filter((p) => p.timeMs > (options.sinceMs as number));
      if (options.limitPerReplica !== undefined && points.length > options.limitPerReplica) points = points.slice(points.length - options.limitPerReplica);
      for (const p of points) out.push(p);
    }
    return out;
  }
}
