/**
 * The buyers of one region, as one client node beside that region's warehouse: each order asks
 * the local warehouse to reserve the cart, and once reserved the buyer pays, cancels, or walks
 * away (the hold must then expire) as the workload says. What every buyer saw goes to the
 * observer's log as an InventoryOrderRecord, the history the checker judges.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import type { InventoryOrderRecord } from '../../check/inventory-check';
import type { FlashSaleOrder } from '../../workload/flash-sale';
import type { InventoryLog } from './inventory-log';
import type { WarehouseReply } from './messages';
import type { InventoryTiming } from './timing';

interface OpenOrder {
  order: FlashSaleOrder;
  record: InventoryOrderRecord;
  timer: number | null;
  attempts: number;
}

export class BuyerClient implements NodeBehaviour {
  private readonly open = new Map<string, OpenOrder>();

  constructor(private readonly ctx: NodeContext, private readonly warehouse: string, private readonly log: InventoryLog, private readonly timing: InventoryTiming) {}

  /** A buyer arrives and asks for the cart. */
  place(order: FlashSaleOrder): void {
    const record: InventoryOrderRecord = {
      orderId: order.orderId, region: order.region, lines: order.lines.map((l) => ({ ...l })),
      requestAtMs: this.ctx.simTimeMs(), reserve: 'timeout', answeredAtMs: null, payment: null, paymentAtMs: null,
    };
    this.log.orders.push(record);
    const open: OpenOrder = { order, record, timer: null, attempts: 0 };
    this.open.set(order.orderId, open);
    this.ctx.send(this.warehouse, { type: 'reserve', orderId: order.orderId, lines: record.lines }, 64);
    // No answer in time: the buyer gives up, not knowing whether a hold was taken (it expires if so).
    open.timer = this.ctx.setTimer(this.timing.requestTimeoutMs, () => this.open.delete(order.orderId));
  }

  onMessage(_from: string, message: unknown): void {
    const m = message as WarehouseReply;
    const open = this.open.get(m.orderId);
    if (!open) return; // an answer after the buyer gave up
    const { record, order } = open;
    const now = this.ctx.simTimeMs();
    if (m.type === 'refused') {
      this.ctx.cancelTimer(open.timer!);
      this.open.delete(m.orderId);
      Object.assign(record, { reserve: 'refused', reason: m.reason, answeredAtMs: now });
    } else if (m.type === 'reserved') {
      if (record.reserve === 'reserved') return; // a duplicate
      this.ctx.cancelTimer(open.timer!);
      Object.assign(record, { reserve: 'reserved', answeredAtMs: now });
      if (order.intent === 'abandons') {
        Object.assign(record, { payment: 'abandoned', paymentAtMs: now });
        this.open.delete(m.orderId);
        return;
      }
      open.timer = this.ctx.setTimer(order.decideAfterMs, () => this.decide(open));
    } else if (m.type === 'payment') {
      if (record.payment !== 'unknown' && record.payment !== null) return;
      this.ctx.cancelTimer(open.timer!);
      this.open.delete(m.orderId);
      Object.assign(record, { payment: m.outcome, paymentAtMs: now });
    }
  }

  /** Pays (or cancels), and asks again if no answer comes, at most confirmAttempts times. */
  private decide(open: OpenOrder): void {
    if (open.attempts >= this.timing.confirmAttempts) {
      this.open.delete(open.order.orderId);
      return;
    }
    open.attempts++;
    open.record.payment = 'unknown';
    open.record.paymentAtMs = this.ctx.simTimeMs();
    this.ctx.send(this.warehouse, { type: open.order.intent === 'cancels' ? 'cancel' : 'confirm', orderId: open.order.orderId }, 32);
    open.timer = this.ctx.setTimer(this.timing.requestTimeoutMs, () => this.decide(open));
  }
}
