/**
 * A resource that work queues for: a node's CPU, a disk's fsync, a WAN link. It has a
 * number of servers (CPU cores, 1 for a disk or a link); a job waits in FIFO order until a
 * server is free and then holds it for its service time. With `maxBatch` > 1 a free
 * server takes up to that many waiting jobs at once and finishes them together after one
 * service time: group commit, where one fsync makes every WAL record written before it
 * durable. Its capacity is therefore servers × maxBatch / serviceMs jobs per ms, and a
 * load above that makes the queue, and with it the latency, grow without bound, which is
 * how a strategy saturates "on" this resource.
 *
 * It runs on the simulation's clock (sim.at / sim.after) and is deterministic. A stall
 * (a GC pause, a checkpoint, a hung disk) stops every server from starting new work for a
 * while; jobs keep arriving and wait, as they would on a real server.
 */
import { LimitExceededError, OptionError, Simulation, checkKnownKeys, checkNumber } from '../sim';

export interface ResourceOptions {
  sim: Simulation;
  /** "leader CPU (mumbai)", "fsync (mumbai)", "WAN mumbai→delhi": what a saturation report names. */
  name: string;
  /** Parallel servers (cores); default 1. */
  servers?: number;
  /** Jobs one server finishes together (group commit); default 1. */
  maxBatch?: number;
  /** Most jobs waiting; more is an error that says so. Default 1 000 000. */
  queueMax?: number;
}

interface Job {
  /** null: held until released (a connection from a pool), not for a fixed time. */
  serviceMs: number | null;
  done: (release: () => void) => void;
}

export class Resource {
  readonly name: string;
  readonly servers: number;
  readonly maxBatch: number;
  private readonly sim: Simulation;
  private readonly queueMax: number;
  private readonly waiting: Job[] = [];
  private head = 0;
  private busyServers = 0;
  private stallUntilMs = -Infinity;
  /** Sum over servers of the time spent serving, ms. */
  busyMs = 0;
  /**
   * Work done, in ms of one server: a job's service time divided by maxBatch (its share of a
   * full batch), or the time a server was held. Utilisation is workMs / (servers × elapsed):
   * 1 means the resource is at capacity, for a group-committing disk too, whose busy time
   * reaches 100 % long before its batches are full.
   */
  workMs = 0;
  /** Jobs finished. */
  completed = 0;
  /** The longest queue seen. */
  queueDepthMax = 0;

  constructor(options: ResourceOptions) {
    checkKnownKeys('Resource', options, ['sim', 'name', 'servers', 'maxBatch', 'queueMax']);
    if (!(options.sim instanceof Simulation)) throw new OptionError('Resource sim: allowed: a Simulation');
    if (typeof options.name !== 'string' || options.name.length === 0) throw new OptionError(`Resource name: got ${JSON.stringify(options.name)}; allowed: a non-empty string`);
    this.sim = options.sim;
    this.name = options.name;
    this.servers = checkNumber(`Resource ${options.name} servers`, options.servers ?? 1, { integer: true, min: 1, max: 1024 });
    this.maxBatch = checkNumber(`Resource ${options.name} maxBatch`, options.maxBatch ?? 1, { integer: true, min: 1, max: 1_000_000 });
    this.queueMax = checkNumber(`Resource ${options.name} queueMax`, options.queueMax ?? 1_000_000, { integer: true, min: 1 });
  }

  /** Jobs per second this resource can finish when every job takes `serviceMs`. */
  capacityPerSec(serviceMs: number): number {
    checkNumber(`Resource ${this.name} capacityPerSec serviceMs`, serviceMs, { min: 0 });
    return serviceMs === 0 ? Infinity : (this.servers * this.maxBatch * 1000) / serviceMs;
  }

  get queueDepth(): number {
    return this.waiting.length - this.head;
  }

  /** Queues a job needing `serviceMs` of a server; `done` runs when it is finished. */
  submit(serviceMs: number, done: () => void): void {
    checkNumber(`Resource ${this.name} serviceMs`, serviceMs, { min: 0 });
    this.enqueue({ serviceMs, done: () => done() });
  }

  /**
   * Waits for a free server and holds it until `release` is called: a connection from a
   * pool, held for as long as the request it carries takes. Needs maxBatch 1.
   */
  acquire(granted: (release: () => void) => void): void {
    if (this.maxBatch !== 1) throw new OptionError(`Resource ${this.name} acquire: maxBatch is ${this.maxBatch}; allowed: only a resource with maxBatch 1 can be held`);
    this.enqueue({ serviceMs: null, done: granted });
  }

  private enqueue(job: Job): void {
    if (this.queueDepth >= this.queueMax) {
      throw new LimitExceededError(`Resource ${this.name}: ${this.queueDepth} jobs waiting, its limit (queueMax); the offered load is far above its capacity`);
    }
    this.waiting.push(job);
    if (this.queueDepth > this.queueDepthMax) this.queueDepthMax = this.queueDepth;
    this.startWork();
  }

  /** From `fromMs` for `durationMs`, no server starts a job (a 1 s GC pause, a hung disk). */
  stall(fromMs: number, durationMs: number): void {
    checkNumber(`Resource ${this.name} stall fromMs`, fromMs, { min: this.sim.nowMs() });
    checkNumber(`Resource ${this.name} stall durationMs`, durationMs, { min: 0 });
    this.sim.at(fromMs, () => {
      this.stallUntilMs = Math.max(this.stallUntilMs, fromMs + durationMs);
      this.sim.at(fromMs + durationMs, () => this.startWork());
    });
  }

  private startWork(): void {
    const now = this.sim.nowMs();
    if (now < this.stallUntilMs) return;
    while (this.busyServers < this.servers && this.queueDepth > 0) {
      if (this.waiting[this.head].serviceMs === null) {
        const job = this.waiting[this.head++];
        this.busyServers++;
        const heldFromMs = this.sim.nowMs();
        let released = false;
        job.done(() => {
          if (released) throw new Error(`Resource ${this.name}: a server was released twice`);
          released = true;
          this.busyServers--;
          this.busyMs += this.sim.nowMs() - heldFromMs;
          this.workMs += this.sim.nowMs() - heldFromMs;
          this.completed++;
          this.startWork();
        });
        continue;
      }
      const batch: Job[] = [];
      while (batch.length < this.maxBatch && this.queueDepth > 0) batch.push(this.waiting[this.head++]);
      if (this.head > 4096 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      // A batch takes as long as its longest job (one fsync covers them all).
      let serviceMs = 0;
      for (const job of batch) serviceMs = Math.max(serviceMs, job.serviceMs ?? 0);
      this.busyServers++;
      this.busyMs += serviceMs;
      for (const job of batch) this.workMs += (job.serviceMs ?? 0) / this.maxBatch;
      this.sim.after(serviceMs, () => {
        this.busyServers--;
        this.completed += batch.length;
        for (const job of batch) job.done(() => undefined);
        this.startWork();
      });
    }
  }
}
