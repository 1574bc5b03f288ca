import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_CHARS, chunkText, decodeFrames, encodeFrame } from '../../lib/storage';

const frames = (n: number, from = 1) => Array.from({ length: n }, (_, i) => encodeFrame(from + i, { t: 'w', tx: i, k: `k${i}`, v: i * 10 })).join('');

describe('WAL frames', () => {
  it('round-trips consecutive frames with their LSNs and payloads', () => {
    const decoded = decodeFrames(frames(5, 40), 40);
    expect(decoded.problem).toBeNull();
    expect(decoded.frames.map((f) => f.lsn)).toEqual([40, 41, 42, 43, 44]);
    expect(decoded.frames[2].payload).toEqual({ t: 'w', tx: 2, k: 'k2', v: 20 });
  });

  it('reports a torn header when fewer than 28 characters remain', () => {
    const stream = frames(2) + encodeFrame(3, { x: 1 }).slice(0, FRAME_HEADER_CHARS - 5);
    const decoded = decodeFrames(stream, 1);
    expect(decoded.frames).toHaveLength(2);
    expect(decoded.problem).toEqual({ reason: 'torn-header', lsn: 3, offset: frames(2).length });
  });

  it('reports a torn payload when the frame is cut after its header', () => {
    const third = encodeFrame(3, { note: 'a longer payload that the crash cut in half' });
    const decoded = decodeFrames(frames(2) + third.slice(0, third.length - 10), 1);
    expect(decoded.frames).toHaveLength(2);
    expect(decoded.problem?.reason).toBe('torn-payload');
  });

  it('rejects a frame whose payload was scrambled, by checksum', () => {
    const third = encodeFrame(3, { v: 500 });
    const scrambled = third.replace('500', '900');
    const decoded = decodeFrames(frames(2) + scrambled + encodeFrame(4, { v: 1 }), 1);
    expect(decoded.frames).toHaveLength(2);
    expect(decoded.problem?.reason).toBe('checksum-mismatch');
  });

  it('rejects a well-formed frame at the wrong position (a stale frame)', () => {
    const decoded = decodeFrames(frames(2) + encodeFrame(7, { v: 1 }), 1);
    expect(decoded.problem).toMatchObject({ reason: 'lsn-out-of-sequence', lsn: 3 });
  });

  it('rejects garbage where a header should start', () => {
    expect(decodeFrames('z'.repeat(40), 1).problem?.reason).toBe('bad-header');
  });

  it('cuts text into sector-sized chunks that join back to the original', () => {
    const text = frames(10);
    const chunks = chunkText(text, 64);
    expect(chunks.every((c) => c.length <= 64)).toBe(true);
    expect(chunks.join('')).toBe(text);
  });

  it('refuses an LSN below 1', () => {
    expect(() => encodeFrame(0, {})).toThrow(/lsn got 0/);
  });
});
