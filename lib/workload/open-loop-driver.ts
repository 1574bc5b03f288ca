/**
 * The open-loop driver: operations arrive on their own schedule (Poisson, at the rates of a
 * load profile), whether or not earlier ones have finished, the way customers arrive at a
 * bank's API. A slow system does not slow the arrivals down; its queues grow instead.
 * That is what makes replication lag grow at a peak and drain after it.
 */
import { LimitExceededError, OptionError, Rng, Simulation, checkKnownKeys, checkNumber } from '../sim';
import { KeyChoice, keyChooser } from './key-chooser';
import { KvOperation, OperationResult, WorkloadClient } from './kv-operation';
import { LoadProfile } from './load-profile';
import { poissonArrivalTimesMs } from './poisson-arrivals';

export interface OpenLoopOptions {
  sim: Simulation;
  profile: LoadProfile;
  clients: readonly WorkloadClient[];
  keys: KeyChoice;
  /** Share of writes that are appends rather than puts; default 0. */
  appendShare?: number;
  /** Relative weight of each client when picking who issues an operation; default equal. */
  clientWeights?: readonly number[];
  /** The driver's own random stream; default one derived from the simulation seed. */
  rng?: Rng;
  /** Refuse to schedule more than this many operations; default 500 000. */
  maxOperations?: number;
  /** Called for every finished operation (metrics, assertions). */
  onResult?: (op: KvOperation, result: OperationResult, clientId: string) => void;
}

export interface OpenLoopPlan {
  writeCount: number;
  readCount: number;
  /** When the last arrival happens. */
  lastArrivalMs: number;
}

const KEYS = ['sim', 'profile', 'clients', 'keys', 'appendShare', 'clientWeights', 'rng', 'maxOperations', 'onResult'];

/** A seed for a driver's stream that differs from, but is fixed by, the simulation seed. */
export function workloadRng(sim: Simulation, salt = 1): Rng {
  return new Rng((sim.seed * 7919 + 104729 * salt) % 2147483647);
}

/**
 * Draws every arrival up front (pure, from the seed) and then feeds them to the
 * simulation one at a time, so the event queue holds one pending arrival, not all of them.
 */
export function driveOpenLoop(options: OpenLoopOptions): OpenLoopPlan {
  checkKnownKeys('driveOpenLoop', options, KEYS);
  const { sim, profile, clients } = options;
  if (!Array.isArray(clients) || clients.length === 0) throw new OptionError('driveOpenLoop clients: got none; allowed: at least one client');
  const appendShare = checkNumber('driveOpenLoop appendShare', options.appendShare ?? 0, { min: 0, max: 1 });
  const maxOperations = checkNumber('driveOpenLoop maxOperations', options.maxOperations ?? 500_000, { integer: true, min: 1 });
  const weights = options.clientWeights ?? clients.map(() => 1);
  if (weights.length !== clients.length) {
    throw new OptionError(`driveOpenLoop clientWeights: got ${weights.length} weights; allowed: one per client (${clients.length})`);
  }
  weights.forEach((w, i) => checkNumber(`driveOpenLoop clientWeights[${i}]`, w, { min: 0 }));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  if (!(totalWeight > 0)) throw new OptionError('driveOpenLoop clientWeights: all weights are 0; allowed: at least one weight > 0');
  checkNumber('driveOpenLoop profile.startMs', profile.startMs, { min: sim.nowMs() });
  const chooseKey = keyChooser(options.keys);
  const rng = options.rng ?? workloadRng(sim);

  const tooMany = (): LimitExceededError =>
    new LimitExceededError(`driveOpenLoop: the profile makes more than ${maxOperations} operations (maxOperations); lower the rates, shorten the profile or raise maxOperations`);
  let writes: number[];
  let reads: number[];
  try {
    writes = poissonArrivalTimesMs(rng, profile.segments.map((s) => ({ startMs: s.startMs, endMs: s.endMs, perSec: s.writesPerSec })), maxOperations);
    reads = poissonArrivalTimesMs(rng, profile.segments.map((s) => ({ startMs: s.startMs, endMs: s.endMs, perSec: s.readsPerSec })), maxOperations);
  } catch (error) {
    if (error instanceof LimitExceededError) throw tooMany();
    throw error;
  }
  if (writes.length + reads.length > maxOperations) throw tooMany();

  const pickClient = (): WorkloadClient => {
    let x = rng.float() * totalWeight;
    for (let i = 0; i < clients.length; i++) {
      x -= weights[i];
      if (x < 0) return clients[i];
    }
    return clients[clients.length - 1];
  };

  // Merge the two sorted arrival lists and issue them in time order.
  let wi = 0;
  let ri = 0;
  let valueCounter = 0;
  const issueNext = (): void => {
    const nextWrite = wi < writes.length ? writes[wi] : Infinity;
    const nextRead = ri < reads.length ? reads[ri] : Infinity;
    if (nextWrite === Infinity && nextRead === Infinity) return;
    const isWrite = nextWrite <= nextRead;
    const timeMs = isWrite ? nextWrite : nextRead;
    sim.at(timeMs, () => {
      const client = pickClient();
      const key = chooseKey(rng);
      let op: KvOperation;
      if (isWrite) {
        wi++;
        valueCounter++;
        op = rng.chance(appendShare) ? { f: 'append', key, value: `a${valueCounter};` } : { f: 'put', key, value: `v${valueCounter}` };
      } else {
        ri++;
        op = { f: 'get', key };
      }
      const onResult = options.onResult;
      client.submit(op, onResult ? (result) => onResult(op, result, client.id) : undefined);
      issueNext();
    });
  };
  issueNext();
  const last = Math.max(writes.length ? writes[writes.length - 1] : 0, reads.length ? reads[reads.length - 1] : 0);
  return { writeCount: writes.length, readCount: reads.length, lastArrivalMs: last };
}
