import { checkKnownKeys, checkNumber } from '../util/option-error';
import { Rng } from './rng';

/**
 * How one directed link behaves. Latency of a message =
 *   base one-way latency (RTT / 2 of its regions) + extraMs
 *   + jitter: exponential with mean jitterMeanMs (queueing in routers),
 *   + with probability tailProbability, a congestion spike: exponential with mean tailMeanMs.
 * The two exponentials give most messages a small delay and a few a long one: the long
 * tail real networks show at P99 and beyond.
 */
export interface LinkProfile {
  /** Mean extra delay from queueing, ms. Default: 5% of the base one-way latency, at least 0.05 ms. */
  jitterMeanMs: number | null;
  /** Share of messages that hit a congestion spike. */
  tailProbability: number;
  /** Mean length of a spike, ms. Default: 10× the jitter mean. */
  tailMeanMs: number | null;
  /** Share of messages lost on the wire. */
  lossProbability: number;
  /** Share of messages delivered twice. */
  duplicateProbability: number;
  /** TCP-like: messages on one directed link arrive in the order sent. Off lets jitter reorder them. */
  fifo: boolean;
  /** Added to every message's latency, ms (the slow-link fault sets this). */
  extraMs: number;
}

export const DEFAULT_LINK: LinkProfile = {
  jitterMeanMs: null,
  tailProbability: 0.01,
  tailMeanMs: null,
  lossProbability: 0,
  duplicateProbability: 0,
  fifo: true,
  extraMs: 0,
};

const LINK_KEYS = Object.keys(DEFAULT_LINK);

/** Validates a partial link profile from user options and merges it over a base. */
export function mergeLinkProfile(option: string, base: LinkProfile, patch: Partial<LinkProfile>): LinkProfile {
  checkKnownKeys(option, patch, LINK_KEYS);
  const merged = { ...base, ...patch };
  if (merged.jitterMeanMs !== null) checkNumber(`${option}.jitterMeanMs`, merged.jitterMeanMs, { min: 0 });
  if (merged.tailMeanMs !== null) checkNumber(`${option}.tailMeanMs`, merged.tailMeanMs, { min: 0 });
  checkNumber(`${option}.tailProbability`, merged.tailProbability, { min: 0, max: 1 });
  checkNumber(`${option}.lossProbability`, merged.lossProbability, { min: 0, max: 1 });
  checkNumber(`${option}.duplicateProbability`, merged.duplicateProbability, { min: 0, max: 1 });
  checkNumber(`${option}.extraMs`, merged.extraMs, { min: 0 });
  if (typeof merged.fifo !== 'boolean') checkNumber(`${option}.fifo`, merged.fifo); // throws a precise error
  return merged;
}

/** A link profile with its defaults resolved against a base one-way latency. */
export interface ResolvedLink {
  baseMs: number;
  jitterMeanMs: number;
  tailProbability: number;
  tailMeanMs: number;
  lossProbability: number;
  duplicateProbability: number;
  fifo: boolean;
  extraMs: number;
}

export function resolveLink(baseOneWayMs: number, profile: LinkProfile): ResolvedLink {
  const jitterMeanMs = profile.jitterMeanMs ?? Math.max(0.05, baseOneWayMs * 0.05);
  return {
    baseMs: baseOneWayMs,
    jitterMeanMs,
    tailProbability: profile.tailProbability,
    tailMeanMs: profile.tailMeanMs ?? jitterMeanMs * 10,
    lossProbability: profile.lossProbability,
    duplicateProbability: profile.duplicateProbability,
    fifo: profile.fifo,
    extraMs: profile.extraMs,
  };
}

/** One draw of a message's one-way latency on a link. */
export function sampleLatencyMs(link: ResolvedLink, rng: Rng): number {
  let latency = link.baseMs + link.extraMs + rng.exponential(link.jitterMeanMs);
  if (link.tailProbability > 0 && rng.float() < link.tailProbability) latency += rng.exponential(link.tailMeanMs);
  return latency;
}
