import { AlertEvent } from './alert-engine';

/**
 * An alert's life from the first breached sample to its end, rebuilt from the event log:
 * what an alert timeline plots (pending, then firing, then resolved) and what the
 * threshold/for-duration trade-off counts.
 */
export interface AlertEpisode {
  /** rule/key, e.g. "ReplicationLagCritical/follower-kolkata" */
  id: string;
  rule: string;
  key: string;
  region: string | null;
  severity: string;
  pendingAtMs: number;
  /** null: it never fired (a blip shorter than forMs, or still pending at the end). */
  firingAtMs: number | null;
  /** When it resolved (firing) or went back to inactive (pending); null if still open at endMs. */
  endedAtMs: number | null;
  /** "resolved" | "cancelled" (was only pending) | "open" */
  outcome: 'resolved' | 'cancelled' | 'open';
  /** The largest value seen at a transition, for tables. */
  peakValue: number | null;
}

/** Pairs up pending → firing → resolved events per alert id. Pure; events must be in time order. */
export function alertEpisodes(events: readonly AlertEvent[]): AlertEpisode[] {
  const open = new Map<string, AlertEpisode>();
  const done: AlertEpisode[] = [];
  const peak = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  for (const e of events) {
    const id = `${e.rule}/${e.key}`;
    if (e.to === 'pending') {
      const episode: AlertEpisode = {
        id,
        rule: e.rule,
        key: e.key,
        region: e.labels.region ?? null,
        severity: e.severity,
        pendingAtMs: e.timeMs,
        firingAtMs: null,
        endedAtMs: null,
        outcome: 'open',
        peakValue: e.value,
      };
      open.set(id, episode);
      continue;
    }
    const episode = open.get(id);
    if (!episode) continue; // the log was trimmed before this episode began
    episode.peakValue = peak(episode.peakValue, e.value);
    if (e.to === 'firing') episode.firingAtMs = e.timeMs;
    else {
      episode.endedAtMs = e.timeMs;
      episode.outcome = e.to === 'resolved' ? 'resolved' : 'cancelled';
      open.delete(id);
      done.push(episode);
    }
  }
  return done.concat([...open.values()]).sort((a, b) => a.pendingAtMs - b.pendingAtMs || (a.id < b.id ? -1 : 1));
}
