/** Notebook 02, sections 3 and 4: last-writer-wins under a 50 ms clock skew, and the fixes (HLC, siblings). */
import { Rng, Simulation, TraceEvent, checkNumber } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { BuiltInPolicyName, LostUpdate, multiLeaderRegisters } from '../../strategies/multi-leader';
import { UPI_LEADER_REGIONS } from './scenario';

// ------------------------------------------------------------------ clock skew and LWW

export interface SkewScenarioRow {
  policy: string;
  /** What a read in each region returns once the leaders have converged. */
  mumbai: string;
  delhi: string;
  bangalore: string;
  conflictsDetected: number;
  lostUpdates: number;
}

export interface SkewScenarioResult {
  seed: number;
  skewMs: number;
  rows: SkewScenarioRow[];
  /** The two writes with their timestamps (from the last policy run). */
  writes: Array<{ region: string; trueTimeMs: number; value: number; dot: string | null; physicalMs: number | null; hlc: string | null }>;
  lost: Array<LostUpdate<number> & { policy: string }>;
  /** The message trace of the 'lww-physical' run, for a space-time diagram. */
  trace: TraceEvent[];
}

/**
 * The lesson's failure: Delhi's clock runs `skewMs` behind. A client in Mumbai sets
 * Priya's balance to ₹5,000 at t = 1000 ms; 30 ms later — after that write has reached
 * Delhi — a client in Delhi, having seen ₹5,000, records a ₹500 debit by writing ₹4,500.
 * The Delhi write is the newer one and causally follows the Mumbai write (no conflict
 * at all), yet its wall-clock timestamp is smaller.
 */
export function clockSkewScenario(options: { seed: number; skewMs?: number; policies?: readonly BuiltInPolicyName[] }): SkewScenarioResult {
  const skewMs = checkNumber('clockSkewScenario skewMs', options.skewMs ?? 50, { min: 0, max: 10_000 });
  const policies = options.policies ?? ['lww-physical', 'lww-hlc', 'siblings'];
  const rows: SkewScenarioRow[] = [];
  const lost: Array<LostUpdate<number> & { policy: string }> = [];
  let writes: SkewScenarioResult['writes'] = [];
  let trace: TraceEvent[] = [];
  for (const policy of policies) {
    const sim = new Simulation({ seed: options.seed, trace: policy === 'lww-physical' });
    const store = multiLeaderRegisters<number>({ sim, regions: UPI_LEADER_REGIONS, policy, clockSkewMs: { delhi: -skewMs } });
    sim.at(1000, () => store.put('mumbai', 'balance:priya', 5000));
    sim.at(1030, () => store.put('delhi', 'balance:priya', 4500));
    sim.run(3000);
    if (!store.converged()) throw new Error(`clockSkewScenario: leaders did not converge (seed ${options.seed}, policy ${policy})`);
    const show = (region: string) => (store.read(region, 'balance:priya') ?? []).map((v) => `₹${v}`).join(' | ');
    const lostHere = store.lostUpdates();
    rows.push({ policy, mumbai: show('mumbai'), delhi: show('delhi'), bangalore: show('bangalore'), conflictsDetected: store.conflicts.length, lostUpdates: lostHere.length });
    for (const l of lostHere) lost.push({ policy, ...l });
    writes = store.puts.map((p) => ({ region: p.region, trueTimeMs: p.timeMs, value: p.value, dot: p.dot, physicalMs: p.physicalMs, hlc: p.hlc }));
    if (policy === 'lww-physical') trace = sim.trace;
  }
  return { seed: options.seed, skewMs, rows, writes, lost, trace };
}

export interface LostUpdatesRow {
  policy: string;
  reason: 'concurrent write discarded' | 'newer write discarded';
  lostUpdates: number;
  writes: number;
}

/**
 * The same random workload under each policy: clients in all three regions update a few
 * accounts, each reading the local value first (so a write follows what its leader has
 * seen); Delhi's clock is `skewMs` behind. Counts the accepted writes that vanished, by
 * reason.
 */
export function lostUpdatesByPolicy(options: {
  seed: number;
  skewMs?: number;
  writesPerSecondPerRegion?: number;
  accounts?: number;
  durationMs?: number;
  policies?: readonly BuiltInPolicyName[];
}): LostUpdatesRow[] {
  const skewMs = checkNumber('lostUpdatesByPolicy skewMs', options.skewMs ?? 50, { min: 0 });
  const rate = checkNumber('lostUpdatesByPolicy writesPerSecondPerRegion', options.writesPerSecondPerRegion ?? 5, { min: 0.01, max: 1000 });
  const accounts = checkNumber('lostUpdatesByPolicy accounts', options.accounts ?? 5, { integer: true, min: 1, max: 10_000 });
  const durationMs = checkNumber('lostUpdatesByPolicy durationMs', options.durationMs ?? 20_000, { min: 100, max: 600_000 });
  const policies = options.policies ?? ['lww-physical', 'lww-hlc', 'siblings'];
  const rows: LostUpdatesRow[] = [];
  for (const policy of policies) {
    const sim = new Simulation({ seed: options.seed });
    const store = multiLeaderRegisters<string>({ sim, regions: UPI_LEADER_REGIONS, policy, clockSkewMs: { delhi: -skewMs } });
    // The same workload for every policy: its own generator, seeded from the seed.
    const workload = new Rng(options.seed ^ 0x10057);
    for (const region of UPI_LEADER_REGIONS) {
      for (const t of poissonArrivalTimesMs(workload, [{ startMs: 100, endMs: 100 + durationMs, perSec: rate }])) {
        const key = `account:${workload.int(1, accounts)}`;
        sim.at(t, () => store.put(region, key, `${region}@${Math.round(t)}`));
      }
    }
    sim.run(100 + durationMs + 3_000);
    if (!store.converged()) throw new Error(`lostUpdatesByPolicy: leaders did not converge (seed ${options.seed}, policy ${policy})`);
    const lost = store.lostUpdates();
    const writes = store.conflictRate().writes;
    for (const reason of ['newer write discarded', 'concurrent write discarded'] as const) {
      rows.push({ policy, reason, lostUpdates: lost.filter((l) => l.reason === reason).length, writes });
    }
  }
  return rows;
}
