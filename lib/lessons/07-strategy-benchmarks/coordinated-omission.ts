/**
 * Section 1 of notebook 07: the same stalled server measured two ways. A server of known
 * capacity (1 ms a request) stalls for 1 s; an open-loop run times every request from its
 * intended start, a closed-loop run (lib/workload's driveClosedLoop) only from when it got
 * round to sending. The stall is in the first P99 and hidden from the second.
 */
import { LatencySummary, LatencyHistogram } from '../../stats';
import { Simulation } from '../../sim';
import { YCSB_MIXES, modelServer, runOpenLoopBench } from '../../bench';
import { driveClosedLoop, randomMix } from '../../workload';

export interface OmissionComparison {
  seed: number;
  stallMs: number;
  openLoop: LatencySummary;
  closedLoop: LatencySummary;
}

export function coordinatedOmission(options: { seed: number; ratePerSec?: number; stallMs?: number }): OmissionComparison {
  const stallMs = options.stallMs ?? 1000;
  const ratePerSec = options.ratePerSec ?? 200;
  const keys = { keyCount: 100, zipfTheta: 0.99 };
  const stalls: Array<[number, number]> = [[5200, stallMs]];
  const open = runOpenLoopBench({ seed: options.seed, build: (sim) => modelServer({ sim, serviceMs: 1, stalls }), mix: YCSB_MIXES.A, ratePerSec, durationMs: 10_000, warmupMs: 1000, keys });
  const sim = new Simulation({ seed: options.seed });
  const server = modelServer({ sim, serviceMs: 1, stalls });
  const closed = new LatencyHistogram();
  // One session that sends, waits for the answer, thinks 5 ms, sends again: a typical load tool's loop.
  driveClosedLoop({ sim, clients: server.clients, startMs: 1200, endMs: 10_200, thinkTimeMs: 1000 / ratePerSec, nextOperation: randomMix({ keys }), onResult: (_op, r) => closed.record(r.latencyMs ?? 0) });
  sim.run(12_000);
  return { seed: options.seed, stallMs, openLoop: open.latency!, closedLoop: closed.summary() };
}
