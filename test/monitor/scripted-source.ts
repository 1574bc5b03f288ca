import { ClusterSnapshot, LagSource, SourceUnavailableError } from '../../lib/monitor';

/**
 * A lag source a test drives by hand: `next` is what the following sample returns, a
 * snapshot or an error (the database went away). Each sample advances its clock by 1 s.
 */
export class ScriptedSource implements LagSource {
  readonly kind = 'postgres';
  next: ((timeMs: number) => ClusterSnapshot) | Error;
  /** 2023-11-15 11:30 India Standard Time: inside the default business hours (the SLA window). */
  timeMs = Date.parse('2023-11-15T06:00:00Z');
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
