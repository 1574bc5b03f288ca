import { createHash } from 'crypto';

/**
 * The member id etcd gives a member of a new cluster, computed as etcd does (server/etcdserver/
 * api/membership/member.go): SHA-1 over the sorted peer URLs and the cluster token, first 8
 * bytes big-endian. Knowing it before the members start lets the fault proxy attribute a peer
 * connection to its dialer from the `X-Server-From` header of its very first request.
 * Returned as etcd prints it: lowercase hex without leading zeros.
 */
export function etcdMemberId(peerUrls: readonly string[], clusterToken: string): string {
  const hash = createHash('sha1').update([...peerUrls].sort().join('') + clusterToken).digest();
  return hash.readBigUInt64BE(0).toString(16);
}

/** The `X-Server-From` member id in the head of an HTTP request, or null. */
export function serverFromHeader(head: Buffer): string | null {
  const match = /\r\nX-Server-From:\s*([0-9a-fA-F]+)\r\n/i.exec(head.toString('latin1'));
  return match ? BigInt(`0x${match[1]}`).toString(16) : null;
}
