import { ClusterSnapshot, LagSource, SourceUnavailableError } from '../../lib/monitor';

/**
 * A lag source a test drives by hand: `next` is what the following sample returns, a
 * snapshot or an error (the database went away). Each sample advances its clock by 1 s.
 */
export class ScriptedSource implements LagSource {
  readonly kind = 'postgres';
  next: ((timeMs: number) => ClusterSnapshot) | Error;
  timeMs = 1_700_000_000_000;
  sampleCount = 0;
  closed = false;

  constructor(next: (timeMs: number) => ClusterSnapshot) {
    this.next = next;
  }

  describe(): string {
    return 'scripted test cluster';
  }

  async sample(): Promise<ClusterSnapshot> {
    this.sampleCount++;
    this.timeMs += 1000;
    if (this.next instanceof Error) throw new SourceUnavailableError(this.next.message);
    return this.next(this.timeMs);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
