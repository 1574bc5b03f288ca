/**
 * CRC-32 (IEEE 802.3, the one zlib, PNG and Ethernet use): the checksum every WAL frame
 * carries. A crash can leave the last frame half written, and a failing disk can flip
 * bits; recomputing the checksum on recovery is how the log notices and stops there
 * instead of replaying garbage. CRC-32 is not a cryptographic hash: it catches accidents,
 * not an attacker.
 */

/** The reflected polynomial 0x04C11DB7, as table-driven implementations use it. */
const POLYNOMIAL = 0xedb88320;

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function update(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
}

/**
 * CRC-32 of the UTF-8 bytes of a string, as an unsigned 32-bit integer.
 * `crc32('123456789')` is 0xCBF43926, the standard check value.
 *
 * The UTF-8 encoding is done inline rather than with Buffer.from so that checksumming a
 * frame allocates nothing: this runs once per WAL frame on every append and on replay.
 * A lone surrogate (only possible in a torn string) is encoded as U+FFFD, as TextEncoder does.
 */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      crc = update(crc, code);
      continue;
    }
    if (code < 0x800) {
      crc = update(crc, 0xc0 | (code >> 6));
      crc = update(crc, 0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
        crc = update(crc, 0xf0 | (point >> 18));
        crc = update(crc, 0x80 | ((point >> 12) & 0x3f));
        crc = update(crc, 0x80 | ((point >> 6) & 0x3f));
        crc = update(crc, 0x80 | (point & 0x3f));
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    crc = update(crc, 0xe0 | (code >> 12));
    crc = update(crc, 0x80 | ((code >> 6) & 0x3f));
    crc = update(crc, 0x80 | (code & 0x3f));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
