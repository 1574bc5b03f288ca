import { OptionError, checkNumber } from '../util/option-error';
import { Rng } from './rng';
import { Simulation } from './simulation';

/** A named fault at a time, with its optional end. These are what a lesson or a seed sweep schedules. */
export type FaultSpec =
  | { kind: 'crash'; node: string; atMs: number; restartAtMs?: number }
  | { kind: 'partition'; sideA: string[]; sideB: string[]; oneWay?: boolean; atMs: number; healAtMs?: number }
  | { kind: 'clock-jump'; node: string; deltaMs: number; atMs: number }
  | { kind: 'slow-disk'; node: string; factor: number; atMs: number; untilMs?: number }
  | { kind: 'slow-link'; from: string; to: string; extraMs: number; atMs: number; untilMs?: number };

export const FAULT_KINDS = ['crash', 'partition', 'clock-jump', 'slow-disk', 'slow-link'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

function checkEnd(what: string, atMs: number, endMs: number | undefined): void {
  if (endMs !== undefined) checkNumber(what, endMs, { min: atMs });
}

/** Puts every fault of a schedule on the simulation's event queue. */
export function scheduleFaults(sim: Simulation, faults: readonly FaultSpec[]): void {
  faults.forEach((fault, index) => {
    const where = `faults[${index}]`;
    checkNumber(`${where}.atMs`, fault.atMs, { min: sim.nowMs() });
    switch (fault.kind) {
      case 'crash':
        sim.node(fault.node); // validates the id now, not when the fault fires
        checkEnd(`${where}.restartAtMs`, fault.atMs, fault.restartAtMs);
        sim.at(fault.atMs, () => sim.crash(fault.node));
        if (fault.restartAtMs !== undefined) sim.at(fault.restartAtMs, () => sim.restart(fault.node));
        break;
      case 'partition': {
        for (const id of [...fault.sideA, ...fault.sideB]) sim.node(id);
        checkEnd(`${where}.healAtMs`, fault.atMs, fault.healAtMs);
        let partitionId = 0;
        sim.at(fault.atMs, () => {
          partitionId = sim.partition(fault.sideA, fault.sideB, { oneWay: fault.oneWay });
        });
        if (fault.healAtMs !== undefined) sim.at(fault.healAtMs, () => sim.heal(partitionId));
        break;
      }
      case 'clock-jump':
        sim.node(fault.node);
        checkNumber(`${where}.deltaMs`, fault.deltaMs);
        sim.at(fault.atMs, () => sim.jumpClock(fault.node, fault.deltaMs));
        break;
      case 'slow-disk':
        sim.node(fault.node);
        checkNumber(`${where}.factor`, fault.factor, { min: 1 });
        checkEnd(`${where}.untilMs`, fault.atMs, fault.untilMs);
        sim.at(fault.atMs, () => sim.slowDisk(fault.node, fault.factor));
        if (fault.untilMs !== undefined) sim.at(fault.untilMs, () => sim.slowDisk(fault.node, 1));
        break;
      case 'slow-link':
        sim.node(fault.from);
        sim.node(fault.to);
        checkNumber(`${where}.extraMs`, fault.extraMs, { min: 0 });
        checkEnd(`${where}.untilMs`, fault.atMs, fault.untilMs);
        sim.at(fault.atMs, () => sim.slowLink(fault.from, fault.to, fault.extraMs));
        if (fault.untilMs !== undefined) sim.at(fault.untilMs, () => sim.slowLink(fault.from, fault.to, 0));
        break;
      default:
        throw new OptionError(`${where}.kind: got ${JSON.stringify((fault as { kind: unknown }).kind)}; allowed: ${FAULT_KINDS.join(' | ')}`);
    }
  });
}

export interface RandomScheduleOptions {
  /** Nodes faults may hit (servers, usually not clients). */
  nodes: string[];
  startMs: number;
  /** Every fault has ended (restarted, healed, restored) by this time. */
  endMs: number;
  count: number;
  kinds?: readonly FaultKind[];
  maxClockJumpMs?: number;
}

/**
 * A random fault schedule for seed sweeps. Every fault is temporary and ends before
 * endMs, so a run can then check what must hold once the system has healed.
 */
export function randomFaultSchedule(rng: Rng, options: RandomScheduleOptions): FaultSpec[] {
  const { nodes, startMs, endMs, count } = options;
  const kinds = options.kinds ?? FAULT_KINDS;
  if (nodes.length < 2) throw new OptionError(`randomFaultSchedule nodes: got ${nodes.length} nodes; allowed: at least 2`);
  checkNumber('randomFaultSchedule endMs', endMs, { min: startMs + 1 });
  checkNumber('randomFaultSchedule count', count, { integer: true, min: 0, max: 1000 });
  const maxJump = options.maxClockJumpMs ?? 500;
  const faults: FaultSpec[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(kinds);
    const atMs = startMs + rng.float() * (endMs - startMs) * 0.8;
    const untilMs = atMs + rng.float() * (endMs - atMs);
    const node = rng.pick(nodes);
    switch (kind) {
      case 'crash':
        faults.push({ kind, node, atMs, restartAtMs: untilMs });
        break;
      case 'partition': {
        const shuffled = rng.shuffled(nodes);
        const cut = rng.int(1, shuffled.length - 1);
        faults.push({ kind, sideA: shuffled.slice(0, cut), sideB: shuffled.slice(cut), oneWay: rng.chance(0.25), atMs, healAtMs: untilMs });
        break;
      }
      case 'clock-jump':
        faults.push({ kind, node, deltaMs: (rng.float() * 2 - 1) * maxJump, atMs });
        break;
      case 'slow-disk':
        faults.push({ kind, node, factor: 1 + rng.float() * 50, atMs, untilMs });
        break;
      case 'slow-link': {
        const other = rng.pick(nodes.filter((n) => n !== node));
        faults.push({ kind, from: node, to: other, extraMs: rng.float() * 200, atMs, untilMs });
        break;
      }
    }
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}
