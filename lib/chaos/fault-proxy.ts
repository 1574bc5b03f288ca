import * as net from 'net';
import { Rng } from '../sim';
import { OptionError } from '../util';
import { FaultNetwork } from './fault-network';

/**
 * A TCP proxy on 127.0.0.1 in front of one server (the `target` endpoint). Every connection
 * through it is attributed to a source endpoint, so the proxy knows, for each direction of
 * each connection, which directed link of the FaultNetwork it travels: bytes from the dialer
 * travel source → target, the replies target → source. For every chunk the proxy asks the
 * network whether that link is cut (hold or drop) and how much delay to add.
 *
 * Who dialed? Clients are the `defaultSource`. Cluster members that name themselves in their
 * first request (etcd's peers send `X-Server-From: <member id>` on every Raft HTTP request)
 * are recognised by `identifySource`, which sees the first bytes the dialer sends; until then
 * the proxy forwards nothing in either direction. For protocols where the server speaks first
 * (MySQL), leave `identifySource` out.
 */
export interface FaultProxyOptions {
  network: FaultNetwork;
  /** Endpoint name of the server behind this proxy. */
  target: string;
  targetPort: number;
  /** 0 (default): the kernel picks a free port. */
  listenPort?: number;
  /** Endpoint for connections that are not identified. */
  defaultSource: string;
  identifySource?: (head: Buffer) => string | null;
  /** Seed for the jitter draws. */
  seed?: number;
  connectionsMax?: number;
  /** Bytes held in one direction of one connection (while cut) before the connection is reset. */
  heldBytesMax?: number;
}

const HEAD_BYTES_MAX = 8192;
const HOLD_POLL_MS = 10;

interface Chunk {
  data: Buffer;
  dueAtMs: number;
}

/** One direction of one proxied connection: a FIFO of chunks released when due and not cut. */
class Pump {
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private lastDueAtMs = 0;
  private timer: NodeJS.Timeout | null = null;
  closed = false;

  constructor(
    private readonly proxy: FaultProxy,
    readonly from: string,
    readonly to: string,
    private readonly destination: net.Socket,
    private readonly onOverflow: () => void,
  ) {}

  push(data: Buffer): void {
    if (this.closed) return;
    const delay = this.proxy.network.delay(this.from, this.to);
    const jitterMs = delay.jitterMs > 0 ? this.proxy.rng.float() * delay.jitterMs : 0;
    // TCP delivers in order: a chunk is never due before the one ahead of it.
    const dueAtMs = Math.max(this.lastDueAtMs, Date.now() + delay.delayMs + jitterMs);
    this.lastDueAtMs = dueAtMs;
    this.queue.push({ data, dueAtMs });
    this.queuedBytes += data.length;
    if (this.queuedBytes > this.proxy.heldBytesMax) {
      this.onOverflow();
      return;
    }
    this.run();
  }

  run(): void {
    if (this.closed || this.timer) return;
    while (this.queue.length > 0) {
      if (this.proxy.network.cutMode(this.from, this.to) !== null) {
        this.schedule(HOLD_POLL_MS);
        return;
      }
      const waitMs = this.queue[0].dueAtMs - Date.now();
      if (waitMs > 0) {
        this.schedule(waitMs);
        return;
      }
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.data.length;
      this.proxy.bytesForwarded += chunk.data.length;
      if (!this.destination.destroyed) this.destination.write(chunk.data);
    }
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, ms);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

interface Connection {
  source: string | null;
  client: net.Socket;
  upstream: net.Socket;
  pumps: Pump[];
}

export class FaultProxy {
  readonly network: FaultNetwork;
  readonly rng: Rng;
  readonly heldBytesMax: number;
  private readonly connectionsMax: number;
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private portNow = 0;
  bytesForwarded = 0;
  connectionsRefused = 0;

  constructor(readonly options: FaultProxyOptions) {
    this.network = options.network;
    this.rng = new Rng(options.seed ?? 1);
    this.connectionsMax = options.connectionsMax ?? 256;
    this.heldBytesMax = options.heldBytesMax ?? 32 * 1024 * 1024;
    if (!Number.isInteger(options.targetPort) || options.targetPort <= 0 || options.targetPort > 65535) {
      throw new OptionError(`FaultProxy targetPort: given ${options.targetPort}, allowed: 1–65535`);
    }
    if (!this.network.endpoints.includes(options.target)) throw new OptionError(`FaultProxy target: given ${JSON.stringify(options.target)}, allowed: ${this.network.endpoints.join(', ')}`);
    if (!this.network.endpoints.includes(options.defaultSource)) throw new OptionError(`FaultProxy defaultSource: given ${JSON.stringify(options.defaultSource)}, allowed: ${this.network.endpoints.join(', ')}`);
    this.network.onDrop((from, to) => this.dropLink(from, to));
  }

  get port(): number {
    return this.portNow;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts listening on 127.0.0.1 (only loopback, ever); resolves with the port. */
  start(): Promise<number> {
    if (this.server) return Promise.resolve(this.portNow);
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: this.options.listenPort ?? 0, exclusive: true }, () => {
        const address = server.address();
        this.portNow = typeof address === 'object' && address !== null ? address.port : 0;
        resolve(this.portNow);
      });
    });
  }

  private accept(client: net.Socket): void {
    if (this.connections.size >= this.connectionsMax) {
      this.connectionsRefused++;
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = net.connect({ host: '127.0.0.1', port: this.options.targetPort });
    upstream.setNoDelay(true);
    const connection: Connection = { source: null, client, upstream, pumps: [] };
    this.connections.add(connection);
    const teardown = (): void => this.closeConnection(connection);
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);

    const identify = this.options.identifySource;
    let head = Buffer.alloc(0);
    const upstreamEarly: Buffer[] = [];
    const begin = (source: string): void => {
      connection.source = source;
      const target = this.options.target;
      if (this.network.cutMode(source, target) === 'drop' || this.network.cutMode(target, source) === 'drop') {
        this.connectionsRefused++;
        teardown();
        return;
      }
      const forward = new Pump(this, source, target, upstream, teardown);
      const backward = new Pump(this, target, source, client, teardown);
      connection.pumps.push(forward, backward);
      client.removeAllListeners('data');
      upstream.removeAllListeners('data');
      client.on('data', (data: Buffer) => forward.push(data));
      upstream.on('data', (data: Buffer) => backward.push(data));
      if (head.length > 0) forward.push(head);
      for (const data of upstreamEarly) backward.push(data);
    };
    if (!identify) {
      begin(this.options.defaultSource);
      return;
    }
    upstream.on('data', (data: Buffer) => upstreamEarly.push(data));
    client.on('data', (data: Buffer) => {
      head = Buffer.concat([head, data]);
      const named = identify(head);
      if (named !== null && !this.network.endpoints.includes(named)) {
        begin(this.options.defaultSource);
        return;
      }
      if (named !== null) begin(named);
      else if (head.length >= HEAD_BYTES_MAX || head.includes('\r\n\r\n')) begin(this.options.defaultSource);
    });
  }

  private closeConnection(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    for (const pump of connection.pumps) pump.close();
    connection.client.destroy();
    connection.upstream.destroy();
  }

  /** Resets the open connections that carry the link from → to in either direction. */
  private dropLink(from: string, to: string): void {
    const target = this.options.target;
    for (const connection of [...this.connections]) {
      const source = connection.source;
      if ((source === from && target === to) || (source === to && target === from)) {
        connection.client.resetAndDestroy();
        this.closeConnection(connection);
      }
    }
  }

  /** Resets every open connection (clients see ECONNRESET), without cutting anything. */
  dropAllConnections(): void {
    for (const connection of [...this.connections]) {
      connection.client.resetAndDestroy();
      this.closeConnection(connection);
    }
  }

  async close(): Promise<void> {
    this.dropAllConnections();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
