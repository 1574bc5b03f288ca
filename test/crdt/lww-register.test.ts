// Proves last-writer-wins keeps the write with the largest (timestamp, replica id), which
// with a skewed physical clock drops a genuinely newer write, and that HLC timestamps keep
// a write that causally follows another.
import { describe, expect, it } from 'vitest';
import { Hlc } from '../../lib/clocks';
import { LWWRegister } from '../../lib/crdt';

describe('LWW-Register', () => {
  it('LWW with a skewed clock drops the newer write', () => {
    // Mumbai's clock is correct; Delhi's runs 300 ms behind.
    const clockSkewMs = { mumbai: 0, delhi: -300 };
    // True time 1000 ms: Mumbai sets the price of a phone to 19 999.
    const mumbai = LWWRegister.set(LWWRegister.empty<number>(), 'mumbai', 19999, 1000 + clockSkewMs.mumbai);
    // True time 1200 ms, 200 ms LATER: Delhi, having seen nothing, sets it to 18 999.
    const delhi = LWWRegister.set(LWWRegister.empty<number>(), 'delhi', 18999, 1200 + clockSkewMs.delhi);
    // Delhi's write is stamped 900 < 1000, so every replica converges on the OLDER price.
    expect(LWWRegister.value(LWWRegister.merge(mumbai, delhi))).toBe(19999);
    expect(LWWRegister.value(LWWRegister.merge(delhi, mumbai))).toBe(19999);
  });

  it('with HLC timestamps a write that has seen the other write wins, despite the same skew', () => {
    const mumbaiStamp = Hlc.now(Hlc.init('mumbai'), 1000);
    const mumbai = LWWRegister.set(LWWRegister.empty<number>(), 'mumbai', 19999, mumbaiStamp);
    // Delhi receives Mumbai's write (its clock reads 850), then overwrites the price.
    let delhiClock = Hlc.update(Hlc.init('delhi'), mumbaiStamp, 850);
    delhiClock = Hlc.now(delhiClock, 900);
    const delhi = LWWRegister.set(LWWRegister.merge(LWWRegister.empty<number>(), mumbai), 'delhi', 18999, delhiClock);
    expect(LWWRegister.value(LWWRegister.merge(mumbai, delhi))).toBe(18999);
    // (HLC cannot help with truly concurrent writes: one of them is still dropped.)
  });

  it('breaks equal timestamps by replica id, the same way on every replica', () => {
    const chennai = LWWRegister.set(LWWRegister.empty<string>(), 'chennai', 'from chennai', 500);
    const kolkata = LWWRegister.set(LWWRegister.empty<string>(), 'kolkata', 'from kolkata', 500);
    expect(LWWRegister.value(LWWRegister.merge(chennai, kolkata))).toBe('from kolkata');
    expect(LWWRegister.value(LWWRegister.merge(kolkata, chennai))).toBe('from kolkata');
  });

  it('a local write with an older timestamp than the stored one loses immediately', () => {
    const newer = LWWRegister.set(LWWRegister.empty<string>(), 'mumbai', 'new', 2000);
    expect(LWWRegister.value(LWWRegister.set(newer, 'mumbai', 'old', 1000))).toBe('new');
  });

  it('rejects mixing number and HLC timestamps in one register, and malformed timestamps', () => {
    const numeric = LWWRegister.set(LWWRegister.empty<string>(), 'mumbai', 'x', 1000);
    expect(() => LWWRegister.set(numeric, 'delhi', 'y', Hlc.now(Hlc.init('delhi'), 1000))).toThrow(
      /one register must use either number timestamps or HLC timestamps, not both/,
    );
    expect(() => LWWRegister.set(numeric, 'delhi', 'y', Number.NaN)).toThrow(/timestamp must be a finite number .* got NaN/);
  });
});
