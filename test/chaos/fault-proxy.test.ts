import * as net from 'net';
import { afterEach, describe, expect, test } from 'vitest';
import { FaultNetwork, FaultProxy } from '../../lib/chaos';

/**
 * The fault proxy on loopback against a tiny echo server: delay is added per direction,
 * a 'hold' cut delivers nothing until healed and then everything in order, a 'drop' cut
 * resets the connection, and the member naming of the first request routes a connection
 * to its own link.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function echoServer(): Promise<number> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

async function connect(port: number): Promise<{ socket: net.Socket; received: () => string; closed: () => boolean }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let text = '';
  let closed = false;
  socket.on('data', (data) => (text += data.toString()));
  socket.on('error', () => (closed = true));
  socket.on('close', () => (closed = true));
  cleanups.push(async () => void socket.destroy());
  return { socket, received: () => text, closed: () => closed };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function proxyFor(network: FaultNetwork, identify?: (head: Buffer) => string | null): Promise<FaultProxy> {
  const proxy = new FaultProxy({ network, target: 'server', targetPort: await echoServer(), defaultSource: 'client', identifySource: identify });
  await proxy.start();
  cleanups.push(() => proxy.close());
  return proxy;
}

describe('FaultProxy', () => {
  test('adds the configured one-way delay in each direction', async () => {
    const network = new FaultNetwork(['client', 'server']);
    network.setDelay('client', 'server', { delayMs: 60, jitterMs: 0 });
    network.setDelay('server', 'client', { delayMs: 60, jitterMs: 0 });
    const proxy = await proxyFor(network);
    const { socket, received } = await connect(proxy.port);
    const startedAt = Date.now();
    socket.write('ping');
    for (let i = 0; i < 200 && received() !== 'ping'; i++) await sleep(5);
    expect(received()).toBe('ping');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(115);
  });

  test('a hold cut delivers nothing until healed, then everything in order', async () => {
    const network = new FaultNetwork(['client', 'server']);
    const proxy = await proxyFor(network);
    const { socket, received } = await connect(proxy.port);
    network.cut('server', 'client');
    socket.write('a');
    socket.write('b');
    await sleep(150);
    expect(received()).toBe('');
    network.heal('server', 'client');
    for (let i = 0; i < 100 && received() !== 'ab'; i++) await sleep(5);
    expect(received()).toBe('ab');
  });

  test('a drop cut resets the open connection and refuses new ones on that link', async () => {
    const network = new FaultNetwork(['client', 'server']);
    const proxy = await proxyFor(network);
    const first = await connect(proxy.port);
    first.socket.write('x');
    for (let i = 0; i < 100 && first.received() !== 'x'; i++) await sleep(5);
    network.cut('client', 'server', 'drop');
    for (let i = 0; i < 100 && !first.closed(); i++) await sleep(5);
    expect(first.closed()).toBe(true);
    const second = await connect(proxy.port);
    second.socket.write('y');
    for (let i = 0; i < 100 && !second.closed(); i++) await sleep(5);
    expect(second.closed()).toBe(true);
    expect(second.received()).toBe('');
  });

  test('identified members travel their own link: cutting a→server leaves b→server open', async () => {
    const network = new FaultNetwork(['client', 'server', 'a', 'b']);
    const proxy = await proxyFor(network, (head) => /^from=(\w+);/.exec(head.toString())?.[1] ?? null);
    network.cut('a', 'server');
    const a = await connect(proxy.port);
    const b = await connect(proxy.port);
    a.socket.write('from=a;hi');
    b.socket.write('from=b;hi');
    for (let i = 0; i < 100 && b.received() === ''; i++) await sleep(5);
    await sleep(50);
    expect(b.received()).toBe('from=b;hi');
    expect(a.received()).toBe('');
  });
});
