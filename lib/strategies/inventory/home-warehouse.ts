/**
 * One home region per SKU: every unit of a variant is sold by its home warehouse alone, so the
 * stock there is the truth and a unit cannot be sold twice. The buyer's own warehouse forwards
 * the cart to the homes of its variants and waits for their votes: every home holds its lines
 * (all-or-nothing at each home) and says yes, or says no; all yes and the cart is reserved, any
 * no or a silent home within homeVoteTimeoutMs and the cart is refused and the holds released.
 * Payment goes the same way: the coordinator forwards it to every home and tells the buyer
 * "confirmed" once each home has sold its hold.
 *
 * Strong and simple, slow from far away (a round trip to the home per order), and unavailable for
 * a variant whose home is cut off. The holds at the homes expire homeGraceMs after the buyer's
 * deadline; a payment the coordinator accepts in time but cannot deliver to one home within that
 * grace (a partition) leaves the cart half sold, the blocking-versus-atomicity choice of 2PC. The
 * checker reports such a cart rather than this code hiding it.
 */
import { LimitExceededError } from '../../sim';
import type { NodeContext } from '../../sim';
import type { InventoryLine } from '../../check/inventory-check';
import type { HomeMessage, InventoryMessage } from './messages';
import { JournalRecord, Warehouse, WarehouseConfig } from './warehouse';

export interface HomeWarehouseConfig extends WarehouseConfig {
  /** sku → the node id of its home warehouse. */
  homeOf: Record<string, string>;
}

interface Cart {
  buyer: string;
  parts: Record<string, InventoryLine[]>;
  reservedAtMs: number;
  phase: 'reserved' | 'confirming' | 'done';
  outcome?: 'confirmed' | 'expired' | 'cancelled';
  answers: Record<string, boolean>;
  attempts: number;
}

interface Vote {
  buyer: string;
  parts: Record<string, InventoryLine[]>;
  yes: Set<string>;
  timer: number;
}

const MAX_CONFIRM_SENDS = 10_000;

export class HomeRegionWarehouse extends Warehouse {
  // Declared, not initialised: the base constructor replays the journal into it first.
  private declare carts: Map<string, Cart>;
  private readonly votes = new Map<string, Vote>();

  constructor(ctx: NodeContext, private readonly home: HomeWarehouseConfig) {
    super(ctx, home);
    this.carts ??= new Map();
  }

  protected override replay(record: JournalRecord): void {
    this.carts ??= new Map();
    const r = record as Record<string, unknown>;
    if (r.op === 'cart') this.carts.set(r.orderId as string, { ...(r.cart as Cart), answers: {}, attempts: 0 });
    else if (r.op === 'cart-phase') {
      const cart = this.carts.get(r.orderId as string);
      if (cart) {
        cart.phase = r.phase as Cart['phase'];
        cart.outcome = r.outcome as Cart['outcome'];
      }
    } else super.replay(record);
  }

  protected override start(): void {
    for (const [orderId, cart] of this.carts) if (cart.phase === 'confirming') this.sendConfirms(orderId);
  }

  // ---------------------------------------------------- as the buyer's warehouse

  protected override isDeciding(orderId: string): boolean {
    return this.votes.has(orderId) || this.carts.has(orderId);
  }

  protected onReserve(buyer: string, orderId: string, lines: InventoryLine[]): void {
    const parts: Record<string, InventoryLine[]> = {};
    for (const l of lines) (parts[this.home.homeOf[l.sku]] ??= []).push(l);
    const timer = this.ctx.setTimer(this.config.timing.homeVoteTimeoutMs, () => this.refuse(orderId, 'home-unreachable'));
    this.votes.set(orderId, { buyer, parts, yes: new Set(), timer });
    for (const [home, homeLines] of Object.entries(parts)) this.ctx.send(home, { type: 'home-reserve', orderId, lines: homeLines } satisfies HomeMessage, 64);
  }

  private refuse(orderId: string, reason: string): void {
    const vote = this.votes.get(orderId);
    if (!vote) return;
    this.votes.delete(orderId);
    this.ctx.cancelTimer(vote.timer);
    for (const home of Object.keys(vote.parts)) this.ctx.send(home, { type: 'home-release', orderId, cause: 'refused' } satisfies HomeMessage, 32);
    this.reply(vote.buyer, { type: 'refused', orderId, reason });
  }

  private onVote(from: string, orderId: string, ok: boolean): void {
    const vote = this.votes.get(orderId);
    if (!vote) return;
    if (!ok) return this.refuse(orderId, 'sold-out');
    vote.yes.add(from);
    if (vote.yes.size < Object.keys(vote.parts).length) return;
    this.votes.delete(orderId);
    this.ctx.cancelTimer(vote.timer);
    const cart: Cart = { buyer: vote.buyer, parts: vote.parts, reservedAtMs: this.ctx.nowMs(), phase: 'reserved', answers: {}, attempts: 0 };
    this.carts.set(orderId, cart);
    this.journal({ op: 'cart', orderId, cart: { buyer: cart.buyer, parts: cart.parts, reservedAtMs: cart.reservedAtMs, phase: cart.phase } });
    this.commit([], () => this.reply(vote.buyer, { type: 'reserved', orderId }));
  }

  protected override onConfirm(buyer: string, orderId: string): void {
    const cart = this.carts.get(orderId);
    if (!cart) return this.reply(buyer, { type: 'payment', orderId, outcome: 'expired' });
    if (cart.phase === 'done') return this.reply(buyer, { type: 'payment', orderId, outcome: cart.outcome ?? 'expired' });
    if (cart.phase === 'confirming') return; // the answer goes out when every home has answered
    if (this.ctx.nowMs() > cart.reservedAtMs + this.config.timing.holdTtlMs) return this.finishCart(orderId, 'expired', 'expired');
    cart.phase = 'confirming';
    this.journal({ op: 'cart-phase', orderId, phase: 'confirming' });
    this.commit([], () => this.sendConfirms(orderId));
  }

  protected override onCancel(buyer: string, orderId: string): void {
    const cart = this.carts.get(orderId);
    if (!cart) return this.reply(buyer, { type: 'payment', orderId, outcome: 'expired' });
    if (cart.phase !== 'reserved') return cart.phase === 'done' ? this.reply(buyer, { type: 'payment', orderId, outcome: cart.outcome ?? 'expired' }) : undefined;
    this.finishCart(orderId, 'cancelled', 'cancelled');
  }

  /** Ends a cart without a sale: every home releases its hold; the buyer hears the outcome. */
  private finishCart(orderId: string, outcome: 'expired' | 'cancelled', cause: 'expired' | 'cancelled'): void {
    const cart = this.carts.get(orderId)!;
    cart.phase = 'done';
    cart.outcome = outcome;
    this.journal({ op: 'cart-phase', orderId, phase: 'done', outcome });
    this.commit([], () => {
      for (const home of Object.keys(cart.parts)) this.ctx.send(home, { type: 'home-release', orderId, cause } satisfies HomeMessage, 32);
      this.reply(cart.buyer, { type: 'payment', orderId, outcome });
    });
  }

  /** Sends the payment to every home that has not answered, again every homeRetryMs. */
  private sendConfirms(orderId: string): void {
    const cart = this.carts.get(orderId);
    if (!cart || cart.phase !== 'confirming') return;
    if (++cart.attempts > MAX_CONFIRM_SENDS) throw new LimitExceededError(`${this.ctx.id}: payment of ${orderId} unanswered after ${MAX_CONFIRM_SENDS} sends`);
    for (const home of Object.keys(cart.parts)) if (!(home in cart.answers)) this.ctx.send(home, { type: 'home-confirm', orderId } satisfies HomeMessage, 32);
    this.ctx.setTimer(this.config.timing.homeRetryMs, () => this.sendConfirms(orderId));
  }

  private onConfirmed(from: string, orderId: string, sold: boolean): void {
    const cart = this.carts.get(orderId);
    if (!cart || cart.phase !== 'confirming' || from in cart.answers) return;
    cart.answers[from] = sold;
    if (Object.keys(cart.answers).length < Object.keys(cart.parts).length) return;
    // Every home sold: confirmed. A home whose hold had expired: the buyer is told "expired"; if
    // another home sold its part, the cart is half sold, and the checker will say so.
    const outcome = Object.values(cart.answers).every(Boolean) ? 'confirmed' : 'expired';
    cart.phase = 'done';
    cart.outcome = outcome;
    this.journal({ op: 'cart-phase', orderId, phase: 'done', outcome });
    this.commit([], () => this.reply(cart.buyer, { type: 'payment', orderId, outcome }));
  }

  // ---------------------------------------------------------------- as a home

  private onHomeReserve(from: string, orderId: string, lines: InventoryLine[]): void {
    const vote = (ok: boolean) => this.ctx.send(from, { type: 'home-vote', orderId, ok } satisfies HomeMessage, 32);
    if (this.holds.has(orderId) || this.ended.get(orderId) === 'sold') return vote(true);
    if (this.ended.has(orderId) || !this.canTake(lines)) return vote(false);
    const events = this.hold(orderId, lines, this.config.timing.holdTtlMs + this.config.timing.homeGraceMs);
    this.commit(events, () => vote(true));
  }

  private onHomeConfirm(from: string, orderId: string): void {
    if (this.holds.has(orderId)) {
      const events = this.endHold(orderId, 'sold');
      this.commit(events, () => this.ctx.send(from, { type: 'home-confirmed', orderId, sold: true } satisfies HomeMessage, 32));
      return;
    }
    this.ctx.send(from, { type: 'home-confirmed', orderId, sold: this.ended.get(orderId) === 'sold' } satisfies HomeMessage, 32);
  }

  protected onPeerMessage(from: string, message: InventoryMessage): void {
    switch (message.type) {
      case 'home-reserve':
        return this.onHomeReserve(from, message.orderId, message.lines);
      case 'home-vote':
        return this.onVote(from, message.orderId, message.ok);
      case 'home-confirm':
        return this.onHomeConfirm(from, message.orderId);
      case 'home-confirmed':
        return this.onConfirmed(from, message.orderId, message.sold);
      case 'home-release':
        if (this.holds.has(message.orderId)) this.commit(this.endHold(message.orderId, message.cause));
        else if (!this.ended.has(message.orderId)) {
          // The release overtook nothing (links are FIFO) but may precede a reserve that was never
          // sent; remember it so a late reserve is refused rather than held.
          this.ended.set(message.orderId, message.cause);
          this.journal({ op: 'end', orderId: message.orderId, end: message.cause });
        }
        return;
      default:
        return this.unexpected(from, message);
    }
  }
}
