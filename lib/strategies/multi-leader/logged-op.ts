import { Dot, HlcTimestamp } from '../../clocks';

/**
 * One write accepted by one leader, as it travels between leaders and sits in their
 * logs. The dot (origin leader, sequence number) names it uniquely; the two timestamps
 * are what the last-writer-wins policies compare.
 */
export interface LoggedOp<P> {
  readonly dot: Dot;
  /** The origin leader's wall clock when it accepted the write, whole ms (skewed like the clock). */
  readonly physicalMs: number;
  /** The origin leader's hybrid logical clock at that moment. */
  readonly hlc: HlcTimestamp;
  /** True simulation time of acceptance: for metrics and plots only, never for decisions. */
  readonly acceptedAtSimMs: number;
  readonly payload: P;
}

/** "delhi:3": how dots appear in records and tables. */
export function dotLabel(dot: Dot): string {
  return Dot.key(dot);
}

/** "1050.2": an HLC timestamp as l.c for tables. */
export function hlcLabel(hlc: HlcTimestamp): string {
  return `${hlc.l}.${hlc.c}`;
}
