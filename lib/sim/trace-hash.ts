import { createHash } from 'crypto';
import { TraceEvent } from './trace';

/**
 * A SHA-256 over the trace, event by event. Two runs with the same seed must give the
 * same hash; this is how the determinism of the whole simulator is tested.
 */
export function traceHash(trace: readonly TraceEvent[]): string {
  const hash = createHash('sha256');
  for (const event of trace) hash.update(JSON.stringify(event)).update('\n');
  return hash.digest('hex');
}
