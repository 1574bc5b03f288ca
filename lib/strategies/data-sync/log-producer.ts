/**
 * The client side of a produce: send a batch to the broker, wait for its acknowledgement, and
 * resend after a timeout. A resend after a lost acknowledgement appends the batch twice: the
 * producer cannot tell a lost request from a lost answer, which is why every pipeline here
 * delivers at least once and the consumers must deduplicate.
 */
import type { NodeContext } from '../../sim';
import { LimitExceededError } from '../../sim';
import type { JsonValue } from '../../storage/version-store';
import type { LogMessage } from './partitioned-log';

export interface ProduceRequest {
  records: Array<{ key: string; value: JsonValue }>;
  /** Resends after the first attempt; then the batch is given up (onGiveUp). Infinity: never give up. */
  retries: number;
  onAck: () => void;
  onGiveUp?: () => void;
}

export class LogProducer {
  private nextReqId = 1;
  private readonly pending = new Map<number, { request: ProduceRequest; attempts: number }>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly broker: string,
    private readonly timeoutMs: number,
    private readonly maxPending: number,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  send(request: ProduceRequest): void {
    if (this.pending.size >= this.maxPending) {
      throw new LimitExceededError(`producer on ${this.ctx.id}: ${this.pending.size} batches await an acknowledgement, its limit (${this.maxPending})`);
    }
    const reqId = this.nextReqId++;
    this.pending.set(reqId, { request, attempts: 0 });
    this.attempt(reqId);
  }

  private attempt(reqId: number): void {
    const entry = this.pending.get(reqId);
    if (!entry) return;
    entry.attempts++;
    this.ctx.send(this.broker, { type: 'produce', reqId, records: entry.request.records } satisfies LogMessage);
    this.ctx.setTimer(this.timeoutMs, () => {
      const still = this.pending.get(reqId);
      if (!still || still.attempts !== entry.attempts) return;
      if (still.attempts > still.request.retries) {
        this.pending.delete(reqId);
        still.request.onGiveUp?.();
      } else {
        this.attempt(reqId);
      }
    });
  }

  /** Feed produce-acks here. */
  onAck(message: Extract<LogMessage, { type: 'produce-ack' }>): void {
    const entry = this.pending.get(message.reqId);
    if (!entry) return;
    this.pending.delete(message.reqId);
    entry.request.onAck();
  }
}
