/**
 * YCSB's core workloads (Cooper et al., "Benchmarking Cloud Serving Systems with YCSB",
 * SoCC 2010; the workloads/ folder of brianfrankcooper/YCSB), with the request
 * distribution YCSB uses by default: Zipfian keys, θ = 0.99.
 *
 *   A  update heavy   50 % read, 50 % update          (a session store)
 *   B  read mostly    95 % read,  5 % update          (photo tagging)
 *   C  read only     100 % read                       (a user-profile cache)
 *   F  read-modify-write: 50 % read, 50 % read a key, then write it back (a balance update)
 *
 * Workloads D (read latest) and E (short scans) need insert-ordering and range scans that the
 * key-value strategies here do not have, so they are left out.
 */
import { OptionError } from '../sim';

export type YcsbWorkload = 'A' | 'B' | 'C' | 'F';

export interface YcsbMix {
  workload: YcsbWorkload;
  /** Share of operations that are plain reads. */
  readShare: number;
  /** True: every non-read is a read followed by a write of the same key (one operation, two requests). */
  readModifyWrite: boolean;
  description: string;
}

export const YCSB_MIXES: Readonly<Record<YcsbWorkload, YcsbMix>> = {
  A: { workload: 'A', readShare: 0.5, readModifyWrite: false, description: 'update heavy: 50 % read, 50 % update' },
  B: { workload: 'B', readShare: 0.95, readModifyWrite: false, description: 'read mostly: 95 % read, 5 % update' },
  C: { workload: 'C', readShare: 1, readModifyWrite: false, description: 'read only' },
  F: { workload: 'F', readShare: 0.5, readModifyWrite: true, description: 'read-modify-write: 50 % read, 50 % read then write the key' },
};

export function ycsbMix(workload: string): YcsbMix {
  const mix = (YCSB_MIXES as Record<string, YcsbMix | undefined>)[workload];
  if (!mix) throw new OptionError(`ycsb workload: got ${JSON.stringify(workload)}; allowed: ${Object.keys(YCSB_MIXES).join(', ')} (D and E need scans and inserts the strategies do not have)`);
  return mix;
}
