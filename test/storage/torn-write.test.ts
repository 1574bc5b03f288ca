import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/sim';
import { WriteAheadLog, crashWithTornWrite } from '../../lib/storage';
import { bareNode } from './helpers';

describe('crash with a torn write', () => {
  it('really crashes the node, keeps every fsynced chunk intact, and writes back only a prefix of the rest', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const node = bareNode(seed);
      const { wal } = WriteAheadLog.open<{ n: number; pad: string }>(node.ctx(), { sectorChars: 40 });
      for (let i = 1; i <= 4; i++) wal.flush(wal.append({ n: i, pad: 'p'.repeat(30) }), () => undefined);
      node.sim.run(5);
      const disk = node.ctx().disk;
      const durable = (disk.read('wal/000000000001') as string[]).slice();
      for (let i = 5; i <= 8; i++) wal.append({ n: i, pad: 'q'.repeat(30) });
      wal.flush(8, () => undefined);
      const visible = (disk.read('wal/000000000001') as string[]).slice();
      const report = crashWithTornWrite(node.sim, 'node', { rng: new Rng(seed), damageProbability: 0.5 });
      expect(node.sim.node('node').isUp).toBe(false);
      expect(report.unsyncedChunks).toBe(visible.length - durable.length);
      const after = disk.read('wal/000000000001') as string[];
      expect(after.slice(0, durable.length)).toEqual(durable);
      expect(after.length).toBe(durable.length + report.writtenBackChunks);
      for (let i = durable.length; i < after.length - 1; i++) expect(after[i]).toBe(visible[i]);
      if (report.damage === 'none' && after.length > durable.length) expect(after[after.length - 1]).toBe(visible[after.length - 1]);
    }
  });

  it('does nothing to a node that is already down', () => {
    const node = bareNode();
    node.crash();
    expect(crashWithTornWrite(node.sim, 'node', { rng: new Rng(1) })).toEqual({ node: 'node', unsyncedChunks: 0, writtenBackChunks: 0, damage: 'none' });
  });
});
