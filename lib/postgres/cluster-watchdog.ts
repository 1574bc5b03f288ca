import { ProcessWatchdog } from '../chaos/process-watchdog';

/** The prefix of every folder lib/postgres creates; the only folders its watchdog deletes. */
export const POSTGRES_DIRECTORY_PREFIX = 'replication-workbook-pg-';

/**
 * A tiny shell process that outlives us only to clean up. A notebook kernel can be killed
 * (restart, closed tab, Jupyter shutdown) without running any of our handlers; then the
 * servers it started would keep running forever. The watchdog checks once a second whether
 * our process is alive; when it is not, it SIGKILLs every process group listed in the
 * cluster's `process-groups` file and deletes the cluster's folder. A normal teardown
 * stops the watchdog first. It is lib/chaos's ProcessWatchdog for lib/postgres's folders.
 */
export class ClusterWatchdog extends ProcessWatchdog {
  constructor(clusterDir: string) {
    super(clusterDir, process.pid, POSTGRES_DIRECTORY_PREFIX);
  }
}
