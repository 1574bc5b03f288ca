import { ClusterSnapshot } from './snapshot';

/**
 * Where the monitor's numbers come from. Two implementations: a simulated leader–follower
 * cluster (the default, needs nothing installed) and a real PostgreSQL primary. The service
 * calls `sample()` once per monitoring interval and never anything else in between.
 */
export interface LagSource {
  /** "simulated" | "postgres" */
  readonly kind: string;
  /** For logs and /cluster-status; never contains a password. */
  describe(): string;
  /** One snapshot now; rejects with SourceUnavailableError when the cluster cannot be reached. */
  sample(): Promise<ClusterSnapshot>;
  /** Releases connections; the source is not used afterwards. */
  close(): Promise<void>;
}

/** The source could not produce a snapshot (database down, network cut). The service stays up and retries. */
export class SourceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceUnavailableError';
  }
}
