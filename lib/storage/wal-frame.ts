/**
 * How one WAL record is laid out on disk: a fixed 28-character header, then the payload
 * as JSON.
 *
 *   LLLLLLLLLLLL NNNNNNNN CCCCCCCC {"t":"w","tx":7,"k":"acct:1","v":500}
 *   LSN (12 hex) length   CRC-32   payload (length characters)
 *   (written without the spaces)
 *
 * The checksum covers the LSN, the length and the payload, so a frame whose header is
 * intact but whose payload was cut short or scrambled, or a stale frame left at the
 * wrong position, is rejected on replay. Frames are concatenated into one character
 * stream per segment file; the stream is cut into sector-sized chunks when written, so a
 * crash can persist the first chunk of a frame and lose the second (a torn write).
 */
import { crc32 } from './crc32';

export const FRAME_HEADER_CHARS = 28;
const LSN_DIGITS = 12;
const LENGTH_DIGITS = 8;
const CRC_DIGITS = 8;
/** The largest LSN 12 hex digits can hold. */
export const LSN_MAX = 16 ** LSN_DIGITS - 1;
const HEX = /^[0-9a-f]+$/;

function hex(value: number, digits: number): string {
  const text = value.toString(16);
  return text.length >= digits ? text : '0'.repeat(digits - text.length) + text;
}

/** The text of one frame. */
export function encodeFrame(lsn: number, payload: unknown): string {
  if (!Number.isInteger(lsn) || lsn < 1 || lsn > LSN_MAX) throw new Error(`encodeFrame: lsn got ${lsn}; allowed: an integer from 1 to ${LSN_MAX}`);
  const body = JSON.stringify(payload);
  if (body === undefined) throw new Error(`encodeFrame: payload of LSN ${lsn} is not JSON-serialisable`);
  const lsnHex = hex(lsn, LSN_DIGITS);
  const lengthHex = hex(body.length, LENGTH_DIGITS);
  return lsnHex + lengthHex + hex(crc32(lsnHex + lengthHex + body), CRC_DIGITS) + body;
}

/** Why decoding stopped before the end of the stream. */
export type FrameProblem =
  /** Fewer than 28 characters left: the header itself was torn. */
  | 'torn-header'
  /** The header promises more payload than the stream holds: the payload was torn. */
  | 'torn-payload'
  /** The header is not hex digits: garbage where a frame should start. */
  | 'bad-header'
  /** Header and payload are all there, but the checksum does not match: corruption or a partly written sector. */
  | 'checksum-mismatch'
  /** A well-formed frame with the wrong LSN: a stale frame from an older pass over this space. */
  | 'lsn-out-of-sequence'
  /** Checksum matched but the payload is not JSON (would need a checksum collision; checked anyway). */
  | 'unparsable-payload';

export interface DecodedFrame {
  lsn: number;
  payload: unknown;
  /** Characters the frame occupies (header + payload). */
  chars: number;
}

export interface DecodeResult {
  frames: DecodedFrame[];
  /** Characters of the stream covered by the valid frames. */
  validChars: number;
  /** null when the whole stream decoded cleanly. */
  problem: { reason: FrameProblem; lsn: number; offset: number } | null;
}

/**
 * Decodes consecutive frames from `stream`, expecting the first to carry `firstLsn` and
 * each next one the LSN after it. Stops at the first frame that fails any check and
 * reports why: everything from there on is the torn or corrupt tail that recovery cuts.
 */
export function decodeFrames(stream: string, firstLsn: number): DecodeResult {
  const frames: DecodedFrame[] = [];
  let offset = 0;
  let lsn = firstLsn;
  const stop = (reason: FrameProblem): DecodeResult => ({ frames, validChars: offset, problem: { reason, lsn, offset } });
  while (offset < stream.length) {
    if (stream.length - offset < FRAME_HEADER_CHARS) return stop('torn-header');
    const lsnHex = stream.substr(offset, LSN_DIGITS);
    const lengthHex = stream.substr(offset + LSN_DIGITS, LENGTH_DIGITS);
    const crcHex = stream.substr(offset + LSN_DIGITS + LENGTH_DIGITS, CRC_DIGITS);
    if (!HEX.test(lsnHex) || !HEX.test(lengthHex) || !HEX.test(crcHex)) return stop('bad-header');
    const length = parseInt(lengthHex, 16);
    const bodyStart = offset + FRAME_HEADER_CHARS;
    if (stream.length - bodyStart < length) return stop('torn-payload');
    const body = stream.substr(bodyStart, length);
    if (crc32(lsnHex + lengthHex + body) !== parseInt(crcHex, 16)) return stop('checksum-mismatch');
    if (parseInt(lsnHex, 16) !== lsn) return stop('lsn-out-of-sequence');
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return stop('unparsable-payload');
    }
    frames.push({ lsn, payload, chars: FRAME_HEADER_CHARS + length });
    offset = bodyStart + length;
    lsn++;
  }
  return { frames, validChars: offset, problem: null };
}

/** Splits text into chunks of at most sectorChars characters: the units a disk writes atomically. */
export function chunkText(text: string, sectorChars: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += sectorChars) chunks.push(text.slice(i, i + sectorChars));
  return chunks;
}
