/**
 * What the harness drives: the clients of one strategy (or of a model server), the
 * resources a request queues for on its way, and what the strategy's checkers observed.
 */
import type { KvOperation, WorkloadClient } from '../workload';
import type { Resource } from './resource';

/** One resource a request holds on its way, and for how long. */
export interface ResourceStep {
  resource: Resource;
  serviceMs: number;
}

/** The consistency a run showed, from the project's checkers (lib/check) or the strategy's own counters. */
export interface ObservedConsistency {
  /** "linearizable", "not linearizable", "eventual (converged)", "serializable (ledger invariants hold)", ... */
  verdict: string;
  /** Named anomaly counts: stale reads, lost updates, conflicts, ... */
  anomalies: Record<string, number>;
  /** How it was established: the checker and what it looked at. */
  method: string;
}

export interface BenchTarget {
  /** "leader–follower, async, reads from leader". */
  name: string;
  clients: readonly WorkloadClient[];
  /** Every modelled resource, so a report can name the busiest. */
  resources: readonly Resource[];
  /** The resources `op` from `client` holds before the strategy sees it, in order. */
  pathOf(op: KvOperation, client: WorkloadClient): readonly ResourceStep[];
  /**
   * Work `op` causes elsewhere that its client does not wait for (followers applying a
   * write, the WAN link carrying it): queued when the strategy gets the request, so it
   * slows the other requests on those resources, not this one.
   */
  sideLoadOf?(op: KvOperation, client: WorkloadClient): readonly ResourceStep[];
  /** The connection pool of the client's application server: held from the request's start to its answer. */
  poolOf?(client: WorkloadClient): Resource | null;
  /** Called once after the run has drained. */
  observeConsistency?(): ObservedConsistency;
}
