/**
 * How many bytes a simulated message would take on the wire: the UTF-8 length of its
 * JSON. Real systems use tighter binary encodings, but every message here is measured
 * the same way, so comparisons (full-state gossip against Merkle digests, say) are fair.
 */
export function wireSizeBytes(message: unknown): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}
