// Proves, over 500 random fault schedules (partitions, crashes, clock jumps, slow links, with
// lost, duplicated and reordered messages), that multi-leader leaders converge to the same
// state once the faults heal, that the UPI rule never applies a transaction id twice nor
// loses an acknowledged payment, and that no register policy loses an acknowledged write
// from replication (and HLC never discards a causally newer write).
import { describe, expect, test } from 'vitest';
import { Dot } from '../../../lib/clocks';
import { FaultSpec, Rng, Simulation, randomFaultSchedule, scheduleFaults } from '../../../lib/sim';
import { BuiltInPolicyName } from '../../../lib/strategies/multi-leader/conflict-policy';
import { multiLeaderLedger } from '../../../lib/strategies/multi-leader/multi-leader-ledger';
import { multiLeaderRegisters } from '../../../lib/strategies/multi-leader/multi-leader-registers';
import { seedRange, sweepSeeds } from '../../seed-sweep';

const SCHEDULES = 500;
const FIRST_SEED = 1;
const ALL_REGIONS = ['mumbai', 'delhi', 'bangalore', 'chennai', 'kolkata', 'hyderabad'];
const WORKLOAD_END_MS = 2000;
const SETTLE_LIMIT_MS = 30_000;

interface Schedule {
  seed: number;
  regions: string[];
  link: { duplicateProbability: number; lossProbability: number; fifo: boolean };
  syncIntervalMs: number;
  clockSkewMs: Record<string, number>;
  faults: FaultSpec[];
  describe: string;
}

/** Everything random about one run, drawn from its seed. */
function scheduleFor(seed: number): Schedule {
  const rng = new Rng(seed);
  const regions = rng.shuffled(ALL_REGIONS).slice(0, rng.int(2, 4));
  const link = { duplicateProbability: rng.float() * 0.2, lossProbability: rng.float() * 0.05, fifo: rng.chance(0.5) };
  const syncIntervalMs = rng.pick([50, 100, 250]);
  const clockSkewMs: Record<string, number> = {};
  for (const region of regions) clockSkewMs[region] = Math.round((rng.float() * 2 - 1) * 100);
  const faults = randomFaultSchedule(rng, {
    nodes: regions,
    startMs: 100,
    endMs: WORKLOAD_END_MS,
    count: rng.int(1, 4),
    kinds: ['crash', 'partition', 'slow-link', 'clock-jump', 'slow-disk'],
  });
  const describe = `seed ${seed}: leaders ${regions.join(',')}, link ${JSON.stringify(link)}, faults ${faults.map((f) => f.kind).join(',')}`;
  return { seed, regions, link, syncIntervalMs, clockSkewMs, faults, describe };
}

/** Runs until `converged()` holds (every leader up and identical), or fails naming the seed. */
function settle(sim: Simulation, converged: () => boolean, what: string): void {
  for (let t = WORKLOAD_END_MS; t <= WORKLOAD_END_MS + SETTLE_LIMIT_MS; t += 50) {
    sim.run(t);
    if (converged()) return;
  }
  throw new Error(`${what}: leaders did not converge within ${SETTLE_LIMIT_MS} ms after the faults healed`);
}

function runLedger(schedule: Schedule): string[] {
  const problems: string[] = [];
  const rng = new Rng(schedule.seed ^ 0x1ed9e7);
  const sim = new Simulation({ seed: schedule.seed, link: schedule.link });
  const ledger = multiLeaderLedger({ sim, regions: schedule.regions, idempotency: true, syncIntervalMs: schedule.syncIntervalMs, clockSkewMs: schedule.clockSkewMs });
  scheduleFaults(sim, schedule.faults);
  const sent: Array<{ txnId: string; account: string; amountPaise: number }> = [];
  const count = rng.int(10, 40);
  for (let i = 0; i < count; i++) {
    const atMs = 50 + rng.float() * (WORKLOAD_END_MS - 100);
    const region = rng.pick(schedule.regions);
    // A third of the requests are retries of an earlier transaction id, through any region;
    // a few retries even carry a different amount (a client bug the rule must survive).
    let payment = { txnId: `UPI-${i}`, account: rng.pick(['priya', 'rahul']), amountPaise: rng.int(-5000, 5000) * 100 || 100 };
    if (sent.length > 0 && rng.chance(0.33)) {
      const earlier = rng.pick(sent);
      payment = rng.chance(0.1) ? { ...earlier, amountPaise: earlier.amountPaise + 100 } : earlier;
    }
    sent.push(payment);
    sim.at(atMs, () => ledger.pay(region, payment));
  }
  sim.run(WORKLOAD_END_MS);
  settle(sim, () => ledger.converged(), `ledger ${schedule.describe}`);
  for (const region of schedule.regions) {
    const data = ledger.leader(region)!.data;
    if (data.multiplyApplied().length > 0) problems.push(`${region} applied ${JSON.stringify(data.multiplyApplied())} more than once`);
    const net = new Map<string, number>();
    const byAccount = new Map<string, number>();
    for (const entry of data.journal) {
      net.set(entry.txnId, (net.get(entry.txnId) ?? 0) + (entry.kind === 'apply' ? 1 : -1));
      byAccount.set(entry.account, (byAccount.get(entry.account) ?? 0) + entry.deltaPaise);
    }
    for (const [txnId, applications] of net) if (applications !== 1) problems.push(`${region}: transaction ${txnId} applied ${applications} times net`);
    for (const [account, sum] of byAccount) if (data.balanceOf(account) !== sum) problems.push(`${region}: balance of ${account} is ${data.balanceOf(account)}, journal sums to ${sum}`);
    for (const p of ledger.payments) {
      if (p.acknowledged && !data.hasApplied(p.txnId)) problems.push(`${region}: acknowledged payment ${p.txnId} (${p.outcome} at ${p.region}) is missing`);
    }
    const requested = new Set(sent.map((p) => p.txnId));
    for (const txnId of net.keys()) if (!requested.has(txnId)) problems.push(`${region}: transaction ${txnId} was never requested`);
  }
  return problems;
}

function runRegisters(schedule: Schedule, policy: BuiltInPolicyName): string[] {
  const problems: string[] = [];
  const rng = new Rng(schedule.seed ^ 0x7e6);
  const sim = new Simulation({ seed: schedule.seed, link: schedule.link });
  const store = multiLeaderRegisters<number>({ sim, regions: schedule.regions, policy, syncIntervalMs: schedule.syncIntervalMs, clockSkewMs: schedule.clockSkewMs });
  scheduleFaults(sim, schedule.faults);
  const count = rng.int(10, 40);
  for (let i = 0; i < count; i++) {
    const atMs = 50 + rng.float() * (WORKLOAD_END_MS - 100);
    const region = rng.pick(schedule.regions);
    const key = rng.pick(['balance:priya', 'balance:rahul', 'limit:priya']);
    sim.at(atMs, () => store.put(region, key, i));
  }
  sim.run(WORKLOAD_END_MS);
  settle(sim, () => store.converged(), `registers (${policy}) ${schedule.describe}`);
  for (const region of schedule.regions) {
    for (const put of store.puts) {
      if (!put.acknowledged || put.dot === null) continue;
      const state = store.keyState(region, put.key);
      const [node, counter] = put.dot.split(':');
      if (!state || !Dot.seenBy({ node, counter: Number(counter) }, state.frontier.versionVector)) {
        problems.push(`${region}: acknowledged write ${put.dot} to ${put.key} never arrived`);
      }
    }
  }
  if (policy === 'lww-hlc') {
    for (const lost of store.lostUpdates()) {
      if (lost.reason === 'newer write discarded') problems.push(`lww-hlc discarded the causally newer write ${lost.dot}`);
    }
  }
  if (policy === 'siblings' && store.lostUpdates().length > 0) problems.push('siblings lost an update');
  return problems;
}

describe(`multi-leader seed sweep over ${SCHEDULES} random fault schedules`, () => {
  test('every schedule converges; the UPI rule applies each transaction id exactly once; no acknowledged write is lost', () => {
    const policies: BuiltInPolicyName[] = ['lww-physical', 'lww-hlc', 'siblings'];
    const failures = sweepSeeds({
      seeds: seedRange(FIRST_SEED, SCHEDULES),
      run: (seed) => {
        const schedule = scheduleFor(seed);
        const policy = policies[seed % policies.length];
        return [...runLedger(schedule).map((p) => `ledger: ${p}`), ...runRegisters(schedule, policy).map((p) => `registers (${policy}): ${p}`)];
      },
      label: (seed) => scheduleFor(seed).describe,
    });
    expect(failures, `failing runs (re-run one with scheduleFor(seed)):\n${failures.join('\n')}`).toEqual([]);
  });
});
