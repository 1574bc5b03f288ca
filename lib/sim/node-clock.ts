/**
 * A node's own wall clock. Real servers disagree about the time: each is off by a skew
 * (NTP gets it to milliseconds, not zero), runs a little fast or slow (drift, in parts
 * per million), and occasionally jumps when NTP steps it. Protocols that compare
 * timestamps from different nodes (last-writer-wins) inherit every one of these errors.
 */
export class NodeClock {
  constructor(
    private skewMs = 0,
    private readonly driftPpm = 0,
  ) {}

  /** What this node's clock reads when the true simulation time is trueMs. */
  localMs(trueMs: number): number {
    return trueMs + this.skewMs + (trueMs * this.driftPpm) / 1e6;
  }

  /** The node's monotonic clock: the same drift, but no skew and no jumps (NTP steps don't move it). */
  monotonicMs(trueMs: number): number {
    return trueMs + (trueMs * this.driftPpm) / 1e6;
  }

  /** How long in true time a timer of localDelayMs on this clock takes to fire. */
  trueDelayMs(localDelayMs: number): number {
    return localDelayMs / (1 + this.driftPpm / 1e6);
  }

  /** An NTP step or an operator's mistake: the clock jumps by deltaMs (negative: backwards). */
  jump(deltaMs: number): void {
    this.skewMs += deltaMs;
  }

  get currentSkewMs(): number {
    return this.skewMs;
  }
}
