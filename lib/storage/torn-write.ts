/**
 * Crashing a node the way real disks fail: with a torn write at the end of its log.
 *
 * The simulator's crash keeps exactly what was fsynced and nothing else. Real hardware is
 * less tidy: the kernel may already have written back some of the dirty pages of the log
 * when the power went, and the last sector it was writing may be half new, half old.
 * So a record that was never acknowledged can survive whole, survive in part, or survive
 * scrambled. This module adds that on top of lib/sim, from the outside: it looks at the
 * unsynced chunks of the WAL before the crash, crashes the node for real (sim.crash),
 * then writes a random prefix of those chunks back as if the kernel had flushed them,
 * optionally tearing or scrambling the last one. Acknowledged (fsynced) frames are never
 * touched, which is the guarantee fsync gives. Recovery must then find the tear by
 * checksum and cut it.
 */
import { FaultSpec, Rng, Simulation, scheduleFaults } from '../sim';
import { walSegmentFiles } from './write-ahead-log';

export interface TornWriteOptions {
  /** The node's random stream for this fault (use a split of the sweep's Rng). */
  rng: Rng;
  /** WAL segment prefix on that node's disk. Default 'wal/'. */
  prefix?: string;
  /** Chance that the last chunk written back is damaged (cut short or one character scrambled). Default 0.5. */
  damageProbability?: number;
}

export interface TornWriteReport {
  node: string;
  /** Unsynced WAL chunks at the moment of the crash. */
  unsyncedChunks: number;
  /** How many of them the "kernel" had written back. */
  writtenBackChunks: number;
  damage: 'none' | 'cut-short' | 'scrambled';
}

/** Crashes `nodeId` for real, then leaves a torn tail in its WAL as described above. */
export function crashWithTornWrite(sim: Simulation, nodeId: string, options: TornWriteOptions): TornWriteReport {
  const handle = sim.node(nodeId);
  const report: TornWriteReport = { node: nodeId, unsyncedChunks: 0, writtenBackChunks: 0, damage: 'none' };
  if (!handle.isUp) return report;
  const disk = handle.disk;
  const prefix = options.prefix ?? 'wal/';
  const damageProbability = options.damageProbability ?? 0.5;
  // Before the crash: per segment, what is durable and what is only in the page cache.
  const files = walSegmentFiles(disk, prefix).map((file) => {
    const visible = disk.read(file.name) as string[];
    const durableCount = disk.durableLength(file.name);
    // A segment being emptied or rewritten (pending replacement) is shorter than its
    // durable version: a crash simply keeps the old one, so it contributes nothing.
    const unsynced = visible.length >= durableCount ? visible.slice(durableCount) : [];
    return { name: file.name, durable: visible.length >= durableCount ? visible.slice(0, durableCount) : null, unsynced };
  });
  const unsyncedTotal = files.reduce((sum, f) => sum + f.unsynced.length, 0);
  report.unsyncedChunks = unsyncedTotal;
  sim.crash(nodeId);
  if (unsyncedTotal === 0) return report;
  const rng = options.rng;
  let keep = rng.int(0, unsyncedTotal);
  report.writtenBackChunks = keep;
  if (keep === 0) return report;
  const damage = rng.chance(damageProbability) ? (rng.chance(0.5) ? 'cut-short' : 'scrambled') : 'none';
  report.damage = damage;
  let touched = false;
  for (const file of files) {
    if (keep === 0 || file.durable === null || file.unsynced.length === 0) continue;
    const kept = file.unsynced.slice(0, keep);
    keep -= kept.length;
    if (keep === 0 && damage !== 'none') {
      const lastIndex = kept.length - 1;
      const chunk = kept[lastIndex];
      if (damage === 'cut-short') {
        kept[lastIndex] = chunk.slice(0, rng.int(0, Math.max(0, chunk.length - 1)));
      } else {
        const at = rng.int(0, chunk.length - 1);
        const replacement = chunk[at] === '#' ? '%' : '#';
        kept[lastIndex] = chunk.slice(0, at) + replacement + chunk.slice(at + 1);
      }
    }
    disk.overwrite(file.name, file.durable.concat(kept));
    touched = true;
  }
  // The node is down, so nothing else is pending on its disk: this fsync only makes the
  // written-back chunks durable, as the kernel's writeback did before the power went.
  if (touched) disk.fsync();
  return report;
}

/**
 * Schedules a fault list (see lib/sim scheduleFaults) where every crash of a node that
 * keeps a WAL is a crash with a torn write. Other faults are scheduled as they are.
 */
export function scheduleFaultsWithTornWrites(sim: Simulation, faults: readonly FaultSpec[], rng: Rng, walNodes: readonly string[], prefix = 'wal/'): TornWriteReport[] {
  const reports: TornWriteReport[] = [];
  const plain: FaultSpec[] = [];
  for (const fault of faults) {
    if (fault.kind === 'crash' && walNodes.includes(fault.node)) {
      const node = fault.node;
      const tornRng = rng.split();
      sim.at(fault.atMs, () => reports.push(crashWithTornWrite(sim, node, { rng: tornRng, prefix })));
      if (fault.restartAtMs !== undefined) sim.at(fault.restartAtMs, () => sim.restart(node));
    } else {
      plain.push(fault);
    }
  }
  scheduleFaults(sim, plain);
  return reports;
}
