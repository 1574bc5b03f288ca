import * as net from 'net';

/**
 * A TCP port on 127.0.0.1 that is free right now: the kernel picks one for a throwaway
 * listener, which we close and hand on. Another process could take it in between; the
 * server start then fails with "could not bind" and the caller can try again.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`freePort: no port from ${JSON.stringify(address)}`))));
    });
  });
}
