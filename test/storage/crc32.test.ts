import { crc32 as zlibCrc32 } from 'zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../lib/storage';

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });

  it('agrees with zlib on the UTF-8 bytes of ASCII, Devanagari and emoji text', () => {
    const samples = ['acct:a01', 'हिंदी में लेन-देन ₹5,000', '{"t":"w","tx":7,"k":"acct:1","v":500}', 'पैसे 💸 भेजे', 'x'.repeat(1000)];
    for (const text of samples) expect(crc32(text)).toBe(zlibCrc32(Buffer.from(text, 'utf8')) >>> 0);
  });

  it('changes when a single character changes (what recovery relies on)', () => {
    expect(crc32('{"v":500}')).not.toBe(crc32('{"v":600}'));
  });
});
