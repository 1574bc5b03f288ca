/**
 * A fast, deterministic, non-cryptographic 53-bit hash of a string (cyrb53, by bryc,
 * public domain). Anti-entropy compares hashes of replica states to find the keys that
 * differ; it needs the same hash for the same state on every replica and few collisions,
 * not resistance to an attacker, and it runs on every write, so speed matters more here
 * than SHA-256. 53 bits fit exactly in a JavaScript number, so a hash travels in a
 * simulated message as a plain number.
 */
export function contentHash(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
