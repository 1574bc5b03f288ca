/**
 * What a capacity planner compares policies by, computed from a fleet run over a window of
 * minutes: rupees per day, minutes in breach, requests shed, reaction time to the spike, and
 * oscillations (how often a region's scaling direction flips).
 */
import { OptionError, checkNumber } from '../../util';
import { FleetRun } from './fleet';

export interface PolicyMeasures {
  policy: string;
  /** Cost over the window scaled to 24 h, rupees. */
  rupeesPerDay: number;
  /** Minutes in which any serving region breached the latency or lag objective (or shed reads). */
  breachMinutes: number;
  requestsShed: number;
  /** Minutes from the spike's start to the first scale-up decision (null: none in the window). */
  firstScaleUpAfterMin: number | null;
  /** Minutes from the spike's start until the first 30 breach-free minutes begin (0: never breached). */
  recoveredAfterMin: number | null;
  /** Scaling direction changes (up then down or down then up), summed over regions. */
  oscillations: number;
  peakReplicas: number;
}

export function measureRun(run: FleetRun, window: { fromMinute: number; toMinute: number; spikeMinute?: number | null }): PolicyMeasures {
  checkNumber('measureRun window.fromMinute', window.fromMinute, { integer: true, min: 0 });
  checkNumber('measureRun window.toMinute', window.toMinute, { integer: true, min: window.fromMinute + 1 });
  const rows = run.minutes.filter((m) => m.minute >= window.fromMinute && m.minute < window.toMinute);
  if (rows.length === 0) throw new OptionError(`measureRun window: got minutes ${window.fromMinute}..${window.toMinute}, which the run did not record; allowed: a window inside the recorded minutes`);
  const spanMin = window.toMinute - window.fromMinute;
  let rupees = 0;
  let shed = 0;
  const breach = new Set<number>();
  const total = new Map<number, number>();
  for (const r of rows) {
    rupees += r.rupeesPerHour / 60;
    shed += r.shedPerSec * 60;
    if (r.inBreach) breach.add(r.minute);
    total.set(r.minute, (total.get(r.minute) ?? 0) + r.readyReplicas + r.provisioningReplicas + r.drainingReplicas);
  }
  let oscillations = 0;
  for (const region of run.servingRegions) {
    let last = 0;
    for (const d of run.decisions) {
      if (d.region !== region || d.minute < window.fromMinute || d.minute >= window.toMinute) continue;
      const dir = Math.sign(d.to - d.from);
      if (dir !== 0 && last !== 0 && dir !== last) oscillations++;
      if (dir !== 0) last = dir;
    }
  }
  let firstScaleUpAfterMin: number | null = null;
  let recoveredAfterMin: number | null = null;
  const spike = window.spikeMinute ?? null;
  if (spike !== null) {
    const up = run.decisions.find((d) => d.minute >= spike && d.to > d.from);
    firstScaleUpAfterMin = up ? up.minute - spike : null;
    for (let m = spike; m + 30 <= window.toMinute; m++) {
      let clear = true;
      for (let k = m; k < m + 30; k++) if (breach.has(k)) { clear = false; break; }
      if (clear) { recoveredAfterMin = m - spike; break; }
    }
  }
  return {
    policy: run.policy,
    rupeesPerDay: (rupees * 1440) / spanMin,
    breachMinutes: breach.size,
    requestsShed: shed,
    firstScaleUpAfterMin,
    recoveredAfterMin,
    oscillations,
    peakReplicas: Math.max(...total.values()),
  };
}

/** The policies no other policy beats on both cost and breach minutes (the cost–SLA frontier), cheapest first. */
export function costSlaFrontier<T extends { rupeesPerDay: number; breachMinutes: number }>(points: readonly T[]): T[] {
  const frontier = points.filter((p) => !points.some((q) => q !== p &&
    q.rupeesPerDay <= p.rupeesPerDay && q.breachMinutes <= p.breachMinutes &&
    (q.rupeesPerDay < p.rupeesPerDay || q.breachMinutes < p.breachMinutes)));
  return frontier.sort((a, b) => a.rupeesPerDay - b.rupeesPerDay);
}
