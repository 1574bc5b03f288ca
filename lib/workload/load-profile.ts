/**
 * A load profile: how many writes and reads per second arrive at each moment of a run,
 * as consecutive segments of constant rate. Rates are real per-second rates; only the
 * length of each segment is compressed (a "simulated hour" may last 250 ms), so a peak
 * hits the system as hard as the real peak would, just for a shorter time.
 */
import { OptionError, checkNumber } from '../sim';

export interface RateSegment {
  startMs: number;
  endMs: number;
  writesPerSec: number;
  readsPerSec: number;
  /** A label for the segment's place in the profile, e.g. the hour of day 0..23. */
  hour: number;
}

export interface LoadProfile {
  name: string;
  /** How many ms of simulated time one hour of the profile lasts. */
  hourMs: number;
  startMs: number;
  endMs: number;
  segments: RateSegment[];
}

/** The rates in force at a time, 0 outside the profile. */
export function rateAt(profile: LoadProfile, timeMs: number): { writesPerSec: number; readsPerSec: number } {
  for (const s of profile.segments) {
    if (timeMs >= s.startMs && timeMs < s.endMs) return { writesPerSec: s.writesPerSec, readsPerSec: s.readsPerSec };
  }
  return { writesPerSec: 0, readsPerSec: 0 };
}

/** The fractional hour of the profile at a simulation time: 9.5 is half past nine. */
export function hourOfDay(profile: LoadProfile, timeMs: number): number {
  const first = profile.segments.length > 0 ? profile.segments[0].hour : 0;
  return first + (timeMs - profile.startMs) / profile.hourMs;
}

/** A flat load: the same rates from startMs to endMs. */
export function constantProfile(options: { startMs?: number; durationMs: number; writesPerSec: number; readsPerSec: number }): LoadProfile {
  const startMs = checkNumber('constantProfile startMs', options.startMs ?? 0, { min: 0 });
  const durationMs = checkNumber('constantProfile durationMs', options.durationMs, { min: 1 });
  const writesPerSec = checkNumber('constantProfile writesPerSec', options.writesPerSec, { min: 0 });
  const readsPerSec = checkNumber('constantProfile readsPerSec', options.readsPerSec, { min: 0 });
  if (writesPerSec + readsPerSec === 0) throw new OptionError('constantProfile: writesPerSec and readsPerSec are both 0; allowed: at least one rate > 0');
  return {
    name: `constant ${writesPerSec} writes/s, ${readsPerSec} reads/s`,
    hourMs: durationMs,
    startMs,
    endMs: startMs + durationMs,
    segments: [{ startMs, endMs: startMs + durationMs, writesPerSec, readsPerSec, hour: 0 }],
  };
}
