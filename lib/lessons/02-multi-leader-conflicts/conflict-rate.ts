/** Notebook 02, section 2: how often do leaders conflict? Measured against the birthday-style model. */
import { OptionError, Rng, Simulation, checkNumber } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { multiLeaderRegisters } from '../../strategies/multi-leader';
import { UPI_LEADER_REGIONS } from './scenario';

// ------------------------------------------------------------------ conflict rate

export interface ConflictRateRow {
  seed: number;
  writesPerSecondPerRegion: number;
  /** Mean one-way latency between the two writing regions, ms (base + added). */
  oneWayLatencyMs: number;
  writes: number;
  conflictingWrites: number;
  /** Share of writes concurrent with at least one other write. */
  conflictRate: number;
  /** 1 − e^(−2λd): the chance that the other region writes within one latency either side. */
  modelConflictRate: number;
}

export interface ConflictRateOptions {
  seed: number;
  writesPerSecondPerRegion: number;
  /** Latency added to every link between leaders, ms. Default 0. */
  extraLatencyMs?: number;
  durationMs?: number;
  /** Regions whose clients update the one account. Default Mumbai and Delhi. */
  writerRegions?: readonly string[];
}

/**
 * Clients in two regions update one account at a Poisson rate each; version vectors
 * count how many writes were concurrent with another. Conflicts grow with the write rate
 * and with the time a write needs to reach the other leader.
 */
export function conflictRateExperiment(options: ConflictRateOptions): ConflictRateRow {
  const rate = checkNumber('conflictRateExperiment writesPerSecondPerRegion', options.writesPerSecondPerRegion, { min: 0.01, max: 10_000 });
  const extraLatencyMs = checkNumber('conflictRateExperiment extraLatencyMs', options.extraLatencyMs ?? 0, { min: 0 });
  const durationMs = checkNumber('conflictRateExperiment durationMs', options.durationMs ?? 20_000, { min: 100, max: 600_000 });
  const writers = options.writerRegions ?? ['mumbai', 'delhi'];
  if (writers.length !== 2) throw new OptionError(`conflictRateExperiment writerRegions: got ${JSON.stringify(writers)}; allowed: exactly two regions`);
  const sim = new Simulation({ seed: options.seed });
  const store = multiLeaderRegisters<number>({ sim, regions: UPI_LEADER_REGIONS, policy: 'siblings' });
  if (extraLatencyMs > 0) {
    for (const a of UPI_LEADER_REGIONS) for (const b of UPI_LEADER_REGIONS) if (a < b) sim.setLink(a, b, { extraMs: extraLatencyMs });
  }
  const workload = new Rng(options.seed ^ 0x5a5a);
  const startMs = 100;
  writers.forEach((region, w) => {
    for (const t of poissonArrivalTimesMs(workload, [{ startMs, endMs: startMs + durationMs, perSec: rate }])) {
      sim.at(t, () => store.put(region, 'balance:priya', w));
    }
  });
  sim.run(startMs + durationMs + 2_000);
  const { writes, conflictingWrites, rate: conflictRate } = store.conflictRate();
  const oneWayLatencyMs = sim.baseLatencyMs(writers[0], writers[1]);
  return {
    seed: options.seed,
    writesPerSecondPerRegion: rate,
    oneWayLatencyMs,
    writes,
    conflictingWrites,
    conflictRate,
    modelConflictRate: 1 - Math.exp((-2 * rate * oneWayLatencyMs) / 1000),
  };
}

/** The conflict-rate experiment for several write rates (latency fixed) or latencies (rate fixed). */
export function conflictRateSweep(options: {
  seed: number;
  writesPerSecondPerRegion: readonly number[] | number;
  extraLatencyMs: readonly number[] | number;
  durationMs?: number;
}): ConflictRateRow[] {
  const rates = typeof options.writesPerSecondPerRegion === 'number' ? [options.writesPerSecondPerRegion] : options.writesPerSecondPerRegion;
  const extras = typeof options.extraLatencyMs === 'number' ? [options.extraLatencyMs] : options.extraLatencyMs;
  const rows: ConflictRateRow[] = [];
  for (const writesPerSecondPerRegion of rates) {
    for (const extraLatencyMs of extras) rows.push(conflictRateExperiment({ seed: options.seed, writesPerSecondPerRegion, extraLatencyMs, durationMs: options.durationMs }));
  }
  return rows;
}
