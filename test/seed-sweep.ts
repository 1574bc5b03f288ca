/**
 * The one seed-sweep harness of the test suite: runs `run(seed)` for each seed, collects the
 * problems a run reports (or the error it threw) as "<label>: <problem> (replay: <how>)", and stops
 * collecting after `failuresMax` so a broken invariant does not print 500 runs. The sweeps of the
 * multi-leader, eventual, banking and 2PC tests use it, so every failing run prints its seed and
 * schedule the same way and can be replayed from that line.
 */
export interface SweepOptions {
  seeds: Iterable<number>;
  /** The problems of one run ([] when every invariant held). */
  run: (seed: number) => readonly string[];
  /** How a failing run is named, e.g. its schedule: "seed 41 (crash mumbai at 1.2 s …)". */
  label?: (seed: number) => string;
  /** How to replay one run, e.g. "runFailoverSchedule(41)". */
  replay?: (seed: number) => string;
  failuresMax?: number;
}

export function sweepSeeds(options: SweepOptions): string[] {
  const failures: string[] = [];
  const label = options.label ?? ((seed: number) => `seed ${seed}`);
  const max = options.failuresMax ?? 5;
  for (const seed of options.seeds) {
    const suffix = options.replay ? ` (replay: ${options.replay(seed)})` : '';
    try {
      const problems = options.run(seed);
      if (problems.length > 0) failures.push(`${label(seed)}: ${problems.slice(0, 3).join(' | ')}${suffix}`);
    } catch (error) {
      failures.push(`${label(seed)} threw: ${(error as Error).message}${suffix}`);
    }
    if (failures.length >= max) break;
  }
  return failures;
}

/** Seeds first, first + 1, …, first + count − 1. */
export function seedRange(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}
