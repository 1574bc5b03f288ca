import * as http from 'http';
import * as net from 'net';

/** One HTTP request with full control over method, path, headers and body (for hostile requests too). */
export function request(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; json: () => any }> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Sends raw bytes and returns whatever comes back before the server closes (or 2 s pass). */
export function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), base.hostname);
    let data = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('close', () => resolve(data));
    socket.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve(data) : reject(e)));
    socket.write(bytes);
  });
}
