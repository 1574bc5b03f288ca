// Proves a leader's op log keeps each origin's writes gap-free: duplicates and gaps are
// refused, and "what is a peer missing" is answered in origin order, within the limits given.
import { describe, expect, it } from 'vitest';
import { Hlc } from '../../../lib/clocks';
import { LoggedOp } from '../../../lib/strategies/multi-leader/logged-op';
import { LeaderOpLog } from '../../../lib/strategies/multi-leader/leader-op-log';

function op(node: string, counter: number): LoggedOp<string> {
  return { dot: { node, counter }, physicalMs: counter, hlc: Hlc.init(node), acceptedAtSimMs: counter, payload: `${node}${counter}` };
}

describe('leader op log', () => {
  it('appends the next op of an origin and refuses duplicates and gaps', () => {
    const log = new LeaderOpLog<string>(100);
    expect(log.append(op('mumbai', 1))).toBe('appended');
    expect(log.append(op('mumbai', 1))).toBe('duplicate');
    expect(log.append(op('mumbai', 3))).toBe('gap');
    expect(log.append(op('delhi', 1))).toBe('appended');
    expect(log.append(op('mumbai', 2))).toBe('appended');
    expect(log.seen()).toEqual({ delhi: 1, mumbai: 2 });
    expect(log.size).toBe(3);
  });

  it('hands a peer exactly what it is missing, oldest first, capped per origin and in total', () => {
    const log = new LeaderOpLog<string>(100);
    for (let i = 1; i <= 4; i++) log.append(op('mumbai', i));
    for (let i = 1; i <= 2; i++) log.append(op('delhi', i));
    const all = log.missingFor({ mumbai: 1 }, 100);
    expect(all.ops.map((o) => o.payload)).toEqual(['delhi1', 'delhi2', 'mumbai2', 'mumbai3', 'mumbai4']);
    expect(all.more).toBe(false);
    const limited = log.missingFor({}, 3);
    expect(limited.ops.map((o) => o.payload)).toEqual(['delhi1', 'delhi2', 'mumbai1']);
    expect(limited.more).toBe(true);
    // Ops not yet durable at their origin stay home.
    expect(log.missingFor({ delhi: 2 }, 100, { mumbai: 2 }).ops.map((o) => o.payload)).toEqual(['mumbai1', 'mumbai2']);
  });

  it('throws when the log would exceed its limit', () => {
    const log = new LeaderOpLog<string>(2);
    log.append(op('mumbai', 1));
    log.append(op('mumbai', 2));
    expect(() => log.append(op('mumbai', 3))).toThrow(/replication log holds 2 ops, its limit \(opCountMax = 2\)/);
  });
});
