// Proves nodes never share memory through the network: a receiver that mutates a message cannot
// change the sender's state, a sender that mutates what it sent cannot change what is in flight,
// and a duplicated message arrives as two separate copies. "shared" is the opt-in fast path.
import { describe, expect, test } from 'vitest';
import { Simulation } from '../../lib/sim';

interface Entry { lsn: number; value: string }

function pingPong(messageIsolation?: 'copy' | 'shared', duplicateProbability = 0) {
  const sim = new Simulation({ seed: 7, link: { duplicateProbability }, ...(messageIsolation ? { messageIsolation } : {}) });
  const leaderLog: Entry[] = [{ lsn: 1, value: 'credit ₹500' }];
  const received: Entry[][] = [];
  sim.addNode({
    id: 'leader', region: 'mumbai',
    create: (ctx) => ({
      onMessage() {},
      onStart() {
        ctx.send('follower', { entries: leaderLog });
        // The leader keeps working on its own log after sending.
        leaderLog[0].value = 'credit ₹900';
      },
    }),
  });
  sim.addNode({
    id: 'follower', region: 'delhi',
    create: () => ({
      onMessage(_from: string, message: unknown) {
        const m = message as { entries: Entry[] };
        received.push(m.entries);
        // A learner's exercise edits the follower's copy.
        m.entries[0].value = 'tampered by the follower';
      },
    }),
  });
  sim.runUntilIdle(10_000);
  return { leaderLog, received };
}

describe('message isolation', () => {
  test('copy (the default): the follower edits its own copy; the leader and the message in flight are untouched', () => {
    const { leaderLog, received } = pingPong();
    expect(leaderLog[0].value).toBe('credit ₹900');
    expect(received).toHaveLength(1);
    expect(received[0]).not.toBe(leaderLog);
    // What arrived is what was sent at send time, not the leader's later edit.
    expect(received[0][0].value).toBe('tampered by the follower');
  });

  test('a duplicated message arrives as two separate copies of what was sent', () => {
    const { received } = pingPong('copy', 1);
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received[0]).not.toBe(received[1]);
    // The second copy is unaffected by the follower's edit of the first.
    expect(received[1][0].value).toBe('tampered by the follower');
    const firstSeen: string[] = [];
    const sim = new Simulation({ seed: 7, link: { duplicateProbability: 1 } });
    sim.addNode({ id: 'a', region: 'mumbai', create: (ctx) => ({ onMessage() {}, onStart: () => ctx.send('b', { v: 'sent' }) }) });
    sim.addNode({ id: 'b', region: 'delhi', create: () => ({ onMessage: (_f: string, m: unknown) => { firstSeen.push((m as { v: string }).v); (m as { v: string }).v = 'edited'; } }) });
    sim.runUntilIdle(10_000);
    expect(firstSeen).toEqual(['sent', 'sent']);
  });

  test('shared (the opt-in fast path for benchmarks) hands over the very object, which is why it is not the default', () => {
    const { leaderLog } = pingPong('shared');
    expect(leaderLog[0].value).toBe('tampered by the follower');
  });

  test('a typo in the option is one precise line', () => {
    expect(() => new Simulation({ seed: 1, messageIsolation: 'frozen' as never })).toThrow(/messageIsolation: got "frozen"; allowed: "copy" \| "shared"/);
  });
});
