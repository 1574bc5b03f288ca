/**
 * The measurements of a leader-follower run, as plain arrays of records that a notebook
 * turns into a DataFrame or a figure directly. The collector is the observer every
 * replica and client reports to; it is a bystander with a view of the whole cluster, and
 * nothing the protocol decides depends on it.
 */
import type { OperationMetric } from './client';
import type { ReplicationObserver, TimelineEventName } from './replication-events';
import type { LogEntry } from './replication-log';

/** One row of pg_stat_replication at one moment, as seen by the leader. */
export interface LagSample {
  timeMs: number;
  follower: string;
  region: string;
  leader: string;
  epoch: number;
  /** Entries the follower has not yet replayed. */
  lsnLag: number;
  writeLagMs: number;
  flushLagMs: number;
  replayLagMs: number;
}

export interface TimelineEvent {
  timeMs: number;
  event: TimelineEventName;
  node: string;
  epoch: number;
  detail: string;
}

/** A write a leader acknowledged to a client. */
export interface AcknowledgedWrite {
  writeId: string;
  key: string;
  value: string;
  lsn: number;
  epoch: number;
  /** The leader that acknowledged it. */
  leader: string;
  ackedAtMs: number;
}

/** An acknowledged write that the cluster no longer has. */
export interface LostWrite extends AcknowledgedWrite {
  /** When and where it was physically dropped from a log (null: it never reached a surviving log). */
  discardedAtMs: number | null;
  discardedBy: string | null;
}

/** A read that returned something other than the value of the newest acknowledged write. */
export interface StaleRead {
  timeMs: number;
  replica: string;
  servedAs: 'leader' | 'follower';
  key: string;
  valueServed: string;
  latestAckedValue: string;
  replicaAppliedLsn: number;
  latestAckedLsn: number;
}

/** The span of time in which one leader of one epoch accepted writes. */
export interface LeaderWindow {
  leader: string;
  epoch: number;
  firstWriteMs: number;
  lastWriteMs: number;
  writeCount: number;
}

export interface MetricsLimits {
  /** Most records kept per list; past it the collector throws, naming the list. */
  maxRecords: number;
}

function pushLimited<T>(list: T[], item: T, name: string, max: number): void {
  if (list.length >= max) throw new Error(`metrics: ${name} holds ${list.length} records, its limit (maxMetricRecords = ${max}); shorten the run or sample less often`);
  list.push(item);
}

export class LeaderFollowerMetrics implements ReplicationObserver {
  readonly lagSamples: LagSample[] = [];
  readonly timeline: TimelineEvent[] = [];
  readonly acknowledgedWrites: AcknowledgedWrite[] = [];
  readonly staleReads: StaleRead[] = [];
  readonly operations: OperationMetric[] = [];
  /** Every write a leader appended, with when and which leader of which epoch. */
  readonly acceptedWrites: Array<{ timeMs: number; leader: string; epoch: number; lsn: number }> = [];
  /** Every entry some node dropped from its log, with when and where. */
  readonly discarded: Array<{ timeMs: number; node: string; lsn: number; epoch: number; writeId: string | null }> = [];
  private readonly windows = new Map<string, LeaderWindow>();
  private readonly latestAcked = new Map<string, { value: string; lsn: number }>();

  constructor(
    private readonly nowMs: () => number,
    private readonly maxRecords: number,
  ) {}

  // ---------------------------------------------------------------- observer callbacks

  timelineEvent(event: TimelineEventName, node: string, epoch: number, detail: string): void {
    pushLimited(this.timeline, { timeMs: this.nowMs(), event, node, epoch, detail }, 'timeline', this.maxRecords);
  }

  writeAccepted(leader: string, entry: LogEntry): void {
    const key = `${leader}|${entry.epoch}`;
    const now = this.nowMs();
    pushLimited(this.acceptedWrites, { timeMs: now, leader, epoch: entry.epoch, lsn: entry.lsn }, 'acceptedWrites', this.maxRecords);
    const window = this.windows.get(key);
    if (window) {
      window.lastWriteMs = now;
      window.writeCount++;
    } else {
      this.windows.set(key, { leader, epoch: entry.epoch, firstWriteMs: now, lastWriteMs: now, writeCount: 1 });
    }
  }

  writeAcknowledged(leader: string, entry: LogEntry, valueAfter: string): void {
    if (entry.op === null || entry.writeId === null) return;
    const now = this.nowMs();
    pushLimited(
      this.acknowledgedWrites,
      { writeId: entry.writeId, key: entry.op.key, value: entry.op.value, lsn: entry.lsn, epoch: entry.epoch, leader, ackedAtMs: now },
      'acknowledgedWrites',
      this.maxRecords,
    );
    this.latestAcked.set(entry.op.key, { value: valueAfter, lsn: entry.lsn });
  }

  entriesDiscarded(node: string, epoch: number, entries: readonly LogEntry[]): void {
    const now = this.nowMs();
    for (const e of entries) pushLimited(this.discarded, { timeMs: now, node, lsn: e.lsn, epoch: e.epoch, writeId: e.writeId }, 'discarded', this.maxRecords);
    void epoch;
  }

  readServed(node: string, servedAs: 'leader' | 'follower', key: string, value: string, appliedLsn: number): void {
    const latest = this.latestAcked.get(key);
    if (!latest || latest.value === value) return;
    pushLimited(
      this.staleReads,
      { timeMs: this.nowMs(), replica: node, servedAs, key, valueServed: value, latestAckedValue: latest.value, replicaAppliedLsn: appliedLsn, latestAckedLsn: latest.lsn },
      'staleReads',
      this.maxRecords,
    );
  }

  operationFinished(metric: OperationMetric): void {
    pushLimited(this.operations, metric, 'operations', this.maxRecords);
  }

  addLagSample(sample: LagSample): void {
    pushLimited(this.lagSamples, sample, 'lagSamples', this.maxRecords);
  }

  // ---------------------------------------------------------------- derived records

  /** When each leader (per epoch) accepted writes: overlapping windows of two leaders are split brain. */
  leaderWindows(): LeaderWindow[] {
    return [...this.windows.values()].sort((a, b) => a.firstWriteMs - b.firstWriteMs || a.epoch - b.epoch);
  }

  /** Pairs of different leaders whose write windows overlap in time. */
  splitBrainOverlaps(): Array<{ a: LeaderWindow; b: LeaderWindow; overlapMs: number }> {
    const windows = this.leaderWindows();
    const overlaps: Array<{ a: LeaderWindow; b: LeaderWindow; overlapMs: number }> = [];
    for (let i = 0; i < windows.length; i++) {
      for (let j = i + 1; j < windows.length; j++) {
        const a = windows[i];
        const b = windows[j];
        if (a.leader === b.leader) continue;
        const overlapMs = Math.min(a.lastWriteMs, b.lastWriteMs) - Math.max(a.firstWriteMs, b.firstWriteMs);
        if (overlapMs >= 0) overlaps.push({ a, b, overlapMs });
      }
    }
    return overlaps;
  }

  /** Epochs in which more than one node accepted writes (must never happen). */
  epochsWithTwoWriters(): Array<{ epoch: number; leaders: string[] }> {
    const byEpoch = new Map<number, Set<string>>();
    for (const w of this.windows.values()) {
      const set = byEpoch.get(w.epoch) ?? new Set<string>();
      set.add(w.leader);
      byEpoch.set(w.epoch, set);
    }
    return [...byEpoch.entries()].filter(([, s]) => s.size > 1).map(([epoch, s]) => ({ epoch, leaders: [...s].sort() }));
  }

  /** Latency records of writes (ok ones), e.g. for percentiles per ack mode. */
  writeLatencies(): Array<{ timeMs: number; latencyMs: number; region: string; client: string }> {
    return this.operations
      .filter((o) => o.kind === 'write' && o.ok)
      .map((o) => ({ timeMs: o.timeMs, latencyMs: o.latencyMs as number, region: o.region, client: o.client }));
  }

  readLatencies(): Array<{ timeMs: number; latencyMs: number; region: string; servedAs: string }> {
    return this.operations
      .filter((o) => o.kind === 'read' && o.ok)
      .map((o) => ({ timeMs: o.timeMs, latencyMs: o.latencyMs as number, region: o.region, servedAs: o.servedAs ?? 'unknown' }));
  }
}
