/**
 * How long a new read replica takes to serve reads: the provisioning model.
 *
 *   1. start-up (allocate the machine, start the server): startupMs;
 *   2. copy a base backup of the data: dataBytes ÷ copyBytesPerSec;
 *   3. catch up on the WAL the leader wrote meanwhile: the backlog is walBytesPerSec × (1 + 2),
 *      and it drains at replayBytesPerSec − walBytesPerSec (the leader keeps writing);
 *   4. ready once the replay lag — the backlog expressed as time behind the leader — is under
 *      the lag objective.
 *
 * The same model runs inside the fleet simulation minute by minute, and notebook 10 puts it beside
 * pg_basebackup measured on real PostgreSQL.
 */
import { OptionError, checkNumber } from '../../util';

export interface ProvisioningModel {
  /** Machine allocation and server start before the copy begins, ms. */
  startupMs: number;
  /** Base-backup copy bandwidth, bytes per second. */
  copyBytesPerSec: number;
  /** WAL replay speed of a fresh standby, bytes per second. */
  replayBytesPerSec: number;
  /** A replica serves reads once its replay lag is under this, ms. */
  lagObjectiveMs: number;
}

export interface ProvisioningTimeline {
  startupMs: number;
  copyMs: number;
  /** WAL written while starting and copying, bytes. */
  backlogBytes: number;
  catchUpMs: number;
  /** startupMs + copyMs + catchUpMs; Infinity if replay cannot outrun the WAL. */
  readyMs: number;
}

export function checkProvisioningModel(m: ProvisioningModel, name = 'provisioning'): ProvisioningModel {
  return {
    startupMs: checkNumber(`${name} startupMs`, m.startupMs, { min: 0 }),
    copyBytesPerSec: checkNumber(`${name} copyBytesPerSec`, m.copyBytesPerSec, { min: Number.MIN_VALUE }),
    replayBytesPerSec: checkNumber(`${name} replayBytesPerSec`, m.replayBytesPerSec, { min: Number.MIN_VALUE }),
    lagObjectiveMs: checkNumber(`${name} lagObjectiveMs`, m.lagObjectiveMs, { min: 0 }),
  };
}

/**
 * Closed form of the model for a constant WAL rate. Lag in time = backlog ÷ WAL rate (how long ago
 * the leader wrote the oldest unreplayed byte); ready when backlog ≤ walBytesPerSec × objective.
 */
export function provisioningTimeline(model: ProvisioningModel, dataBytes: number, walBytesPerSec: number): ProvisioningTimeline {
  const m = checkProvisioningModel(model);
  checkNumber('provisioningTimeline dataBytes', dataBytes, { min: 0 });
  checkNumber('provisioningTimeline walBytesPerSec', walBytesPerSec, { min: 0 });
  const copyMs = (dataBytes / m.copyBytesPerSec) * 1000;
  const backlogBytes = walBytesPerSec * (m.startupMs + copyMs) / 1000;
  const allowedBytes = walBytesPerSec * m.lagObjectiveMs / 1000;
  let catchUpMs: number;
  if (backlogBytes <= allowedBytes) catchUpMs = 0;
  else if (m.replayBytesPerSec <= walBytesPerSec) catchUpMs = Infinity;
  else catchUpMs = ((backlogBytes - allowedBytes) / (m.replayBytesPerSec - walBytesPerSec)) * 1000;
  return { startupMs: m.startupMs, copyMs, backlogBytes, catchUpMs, readyMs: m.startupMs + copyMs + catchUpMs };
}

/**
 * Fits the copy bandwidth and start-up from two measured (dataBytes, copyMs) points: the line
 * through them (copyMs = startupMs + dataBytes ÷ bandwidth).
 */
export function fitCopyModel(points: ReadonlyArray<{ dataBytes: number; copyMs: number }>): { startupMs: number; copyBytesPerSec: number } {
  if (points.length < 2) throw new OptionError(`fitCopyModel points: got ${points.length}; allowed: at least 2 measurements of different sizes`);
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.dataBytes, 0) / n;
  const my = points.reduce((s, p) => s + p.copyMs, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.dataBytes - mx) * (p.copyMs - my);
    sxx += (p.dataBytes - mx) ** 2;
  }
  if (sxx === 0) throw new OptionError('fitCopyModel points: got measurements of one size only; allowed: at least 2 different sizes');
  const slope = sxy / sxx; // ms per byte
  if (slope <= 0) throw new OptionError(`fitCopyModel points: a larger copy was not slower (slope ${slope}); allowed: measurements where copy time grows with size`);
  return { startupMs: Math.max(0, my - slope * mx), copyBytesPerSec: 1000 / slope };
}
