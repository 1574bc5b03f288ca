/**
 * Escrow stock, the bounded counter of Balegas et al. (2015) after O'Neil's escrow method (1986):
 * each warehouse holds *rights* to sell a number of units of each variant, and the rights of all
 * warehouses never add up to more than the stock. A warehouse sells locally, with no round trip,
 * while it holds enough rights; when it runs short it asks a peer for rights, and the peer gives
 * away part of its own. Rights move exactly once: the grant is made durable at the giver, resent
 * until acknowledged, and the receiver ignores a grant id it has already added. Rights in flight
 * belong to nobody, so no unit can be sold twice, whatever the network or a crash does; the price
 * is undersell (a unit stranded in a cut-off warehouse cannot be sold elsewhere).
 *
 * A multi-variant cart is all-or-nothing because it is reserved at one warehouse, in one step,
 * once that warehouse holds rights for every line: an order waits up to rightsTimeoutMs for the
 * missing rights (the cart's reservation timeout) and is refused, holding nothing, if they do not
 * come. Rights that arrive late stay for the next buyer.
 *
 * Rebalancing is driven by demand: every warehouse measures the units asked of it per variant
 * (an exponentially weighted rate), advertises its rights and demand, and tops up any variant it
 * holds less than half of rightsLeadMs of demand for from the peer with the most surplus. A giver
 * splits what it has in proportion to its own and the asker's demand.
 */
import { LimitExceededError } from '../../sim';
import type { NodeContext } from '../../sim';
import type { InventoryLine } from '../../check/inventory-check';
import type { EscrowMessage, InventoryMessage } from './messages';
import { JournalRecord, Warehouse, WarehouseConfig } from './warehouse';

export interface EscrowWarehouseConfig extends WarehouseConfig {
  /** Opening rights of every warehouse (node id → sku → units), the first view of the peers. */
  openingRights: Record<string, Record<string, number>>;
}

interface PendingOrder {
  buyer: string;
  orderId: string;
  lines: InventoryLine[];
  deadlineMs: number;
}

interface OutgoingGrant {
  to: string;
  sku: string;
  units: number;
  kind: 'on-demand' | 'rebalance';
  attempts: number;
}

type TransferKind = 'on-demand' | 'rebalance';
const MAX_RETRANSMITS = 10_000;

export class EscrowWarehouse extends Warehouse {
  // Declared, not initialised: the base constructor replays the journal into them first.
  private declare outgoing: Map<string, OutgoingGrant>;
  private declare seen: Set<string>;
  private pending: PendingOrder[] = [];
  /** Per sku, the one rights request in flight. */
  private readonly outstanding = new Map<string, { peer: string; timer: number }>();
  private readonly demandWindow: Record<string, number> = {};
  private readonly demandPerSec: Record<string, number> = {};
  private readonly peerRights: Record<string, Record<string, number>> = {};
  private readonly peerDemand: Record<string, Record<string, number>> = {};
  /** When a peer last had nothing to give for a sku (or did not answer), on the monotonic clock. */
  private readonly refusedAt = new Map<string, number>();
  private transferSeq = 0;

  constructor(ctx: NodeContext, private readonly escrow: EscrowWarehouseConfig) {
    super(ctx, escrow);
    this.outgoing ??= new Map();
    this.seen ??= new Set();
    for (const peer of escrow.peers) this.peerRights[peer] = { ...(escrow.openingRights[peer] ?? {}) };
  }

  protected override replay(record: JournalRecord): void {
    this.outgoing ??= new Map();
    this.seen ??= new Set();
    const r = record as Record<string, unknown>;
    if (r.op === 'grant-out') this.outgoing.set(r.transferId as string, { ...(r.grant as OutgoingGrant), attempts: 0 });
    else if (r.op === 'grant-acked') this.outgoing.delete(r.transferId as string);
    else if (r.op === 'grant-in') this.seen.add(r.transferId as string);
    else super.replay(record);
  }

  protected override start(): void {
    for (const id of this.outgoing.keys()) this.sendGrant(id);
    const tick = () => {
      this.rebalance();
      this.ctx.setTimer(this.config.timing.rebalanceIntervalMs, tick);
    };
    this.ctx.setTimer(this.config.timing.rebalanceIntervalMs, tick);
  }

  // ------------------------------------------------------------- orders

  protected onReserve(buyer: string, orderId: string, lines: InventoryLine[]): void {
    for (const l of lines) this.demandWindow[l.sku] = (this.demandWindow[l.sku] ?? 0) + l.units;
    if (this.pending.length === 0 && this.canTake(lines)) {
      const events = this.hold(orderId, lines, this.config.timing.holdTtlMs);
      this.commit(events, () => this.reply(buyer, { type: 'reserved', orderId }));
      return;
    }
    if (this.pending.length >= this.config.timing.maxPendingOrders) {
      this.reply(buyer, { type: 'refused', orderId, reason: 'busy' });
      return;
    }
    this.pending.push({ buyer, orderId, lines, deadlineMs: this.ctx.monotonicMs() + this.config.timing.rightsTimeoutMs });
    this.ctx.setTimer(this.config.timing.rightsTimeoutMs, () => this.processPending());
    this.processPending();
  }

  protected override isDeciding(orderId: string): boolean {
    return this.pending.some((p) => p.orderId === orderId);
  }

  /** Units of a sku the waiting orders need beyond the rights held. */
  private shortfall(sku: string): number {
    let wanted = 0;
    for (const p of this.pending) for (const l of p.lines) if (l.sku === sku) wanted += l.units;
    return Math.max(0, wanted - this.available(sku));
  }

  /**
   * Serves waiting orders in arrival order with the rights now held, refuses those past their
   * deadline or with nobody left to ask, and asks for the rights the rest still miss.
   */
  private processPending(): void {
    const now = this.ctx.monotonicMs();
    const still: PendingOrder[] = [];
    for (const p of this.pending) {
      if (this.canTake(p.lines)) {
        const events = this.hold(p.orderId, p.lines, this.config.timing.holdTtlMs);
        this.commit(events, () => this.reply(p.buyer, { type: 'reserved', orderId: p.orderId }));
      } else if (now >= p.deadlineMs) {
        const asked = p.lines.some((l) => this.outstanding.has(l.sku));
        this.reply(p.buyer, { type: 'refused', orderId: p.orderId, reason: asked ? 'rights-timeout' : 'no-rights-left' });
      } else still.push(p);
    }
    this.pending = still;
    // Ask for what the waiting orders miss. When no peer is believed to have rights to spare, the
    // orders still wait until their deadline: an advert or a released hold may change that.
    for (const sku of new Set(still.flatMap((p) => p.lines.map((l) => l.sku)))) {
      const need = this.shortfall(sku);
      if (need > 0) this.requestRights(sku, need, 'on-demand');
    }
  }

  // ------------------------------------------------------------- rights

  /** Asks the most promising peer for rights; false when no peer is believed to have any. */
  private requestRights(sku: string, need: number, kind: TransferKind): boolean {
    if (this.outstanding.has(sku)) return true;
    const now = this.ctx.monotonicMs();
    const lead = this.config.timing.rightsLeadMs / 1000;
    const candidates = this.config.peers
      .filter((p) => {
        const refused = this.refusedAt.get(`${p}|${sku}`);
        if (refused !== undefined && now - refused < this.config.timing.rebalanceIntervalMs) return false;
        const rights = this.peerRights[p]?.[sku] ?? 0;
        // A rebalance only takes from a peer's surplus; an order waiting now takes any rights.
        return kind === 'on-demand' ? rights > 0 : rights > Math.ceil((this.peerDemand[p]?.[sku] ?? 0) * lead);
      })
      .sort((a, b) => (this.peerRights[b][sku] ?? 0) - (this.peerRights[a][sku] ?? 0) || (a < b ? -1 : 1));
    if (candidates.length === 0) return false;
    const peer = candidates[0];
    const units = need + Math.ceil((this.demandPerSec[sku] ?? 0) * lead);
    this.ctx.send(peer, { type: 'rights-request', sku, units, demandPerSec: this.demandPerSec[sku] ?? 0, kind } satisfies EscrowMessage, 64);
    const timer = this.ctx.setTimer(this.config.timing.rightsRequestTimeoutMs, () => {
      if (this.outstanding.get(sku)?.timer !== timer) return;
      this.outstanding.delete(sku);
      this.refusedAt.set(`${peer}|${sku}`, this.ctx.monotonicMs());
      this.processPending();
    });
    this.outstanding.set(sku, { peer, timer });
    return true;
  }

  /** A peer asks for rights: give part of ours, in proportion to its demand against ours. */
  private onRightsRequest(from: string, sku: string, asked: number, theirDemand: number, kind: TransferKind): void {
    const available = this.available(sku);
    const own = this.demandPerSec[sku] ?? 0;
    const keep = own + theirDemand > 0 ? Math.floor((available * own) / (own + theirDemand)) : 0;
    const units = Math.min(asked, available - keep);
    if (units <= 0) {
      this.ctx.send(from, { type: 'rights-none', sku, rights: available } satisfies EscrowMessage, 32);
      return;
    }
    this.takeUnits(sku, units);
    const transferId = `${this.ctx.id}#${this.ctx.incarnation}.${++this.transferSeq}`;
    const grant: OutgoingGrant = { to: from, sku, units, kind, attempts: 0 };
    this.outgoing.set(transferId, grant);
    this.journal({ op: 'grant-out', transferId, grant });
    this.commit([], () => {
      this.config.log.transfers.push({ timeMs: this.ctx.simTimeMs(), from: this.ctx.region, to: from, sku, units, kind });
      this.sendGrant(transferId);
    });
  }

  /** Sends a grant and keeps resending it until the receiver acknowledges it. */
  private sendGrant(transferId: string): void {
    const grant = this.outgoing.get(transferId);
    if (!grant) return;
    if (++grant.attempts > MAX_RETRANSMITS) throw new LimitExceededError(`${this.ctx.id}: grant ${transferId} unacknowledged after ${MAX_RETRANSMITS} sends`);
    this.ctx.send(grant.to, { type: 'rights-grant', transferId, sku: grant.sku, units: grant.units, kind: grant.kind } satisfies EscrowMessage, 64);
    this.ctx.setTimer(this.config.timing.retransmitMs, () => this.sendGrant(transferId));
  }

  private onRightsGrant(from: string, transferId: string, sku: string, units: number): void {
    const outstanding = this.outstanding.get(sku);
    if (outstanding?.peer === from) {
      this.ctx.cancelTimer(outstanding.timer);
      this.outstanding.delete(sku);
    }
    if (this.seen.has(transferId)) {
      this.ctx.send(from, { type: 'rights-ack', transferId } satisfies EscrowMessage, 32);
      return;
    }
    this.seen.add(transferId);
    this.returnUnits(sku, units);
    this.journal({ op: 'grant-in', transferId });
    // The acknowledgement waits until the rights are durable here: a crash before it means the giver resends.
    this.commit([], () => this.ctx.send(from, { type: 'rights-ack', transferId } satisfies EscrowMessage, 32));
    this.processPending();
  }

  /** Every rebalanceIntervalMs: update the demand rates, advertise, and top up what runs low. */
  private rebalance(): void {
    const intervalSec = this.config.timing.rebalanceIntervalMs / 1000;
    for (const sku of this.config.skus) {
      this.demandPerSec[sku] = 0.5 * (this.demandPerSec[sku] ?? 0) + (0.5 * (this.demandWindow[sku] ?? 0)) / intervalSec;
      this.demandWindow[sku] = 0;
    }
    const rights: Record<string, number> = {};
    for (const sku of this.config.skus) rights[sku] = this.available(sku);
    for (const peer of this.config.peers) this.ctx.send(peer, { type: 'rights-advert', rights, demand: { ...this.demandPerSec } } satisfies EscrowMessage, 16 * this.config.skus.length);
    const lead = this.config.timing.rightsLeadMs / 1000;
    for (const sku of this.config.skus) {
      const target = Math.ceil((this.demandPerSec[sku] ?? 0) * lead);
      const have = this.available(sku);
      if (target > 0 && have < target / 2) this.requestRights(sku, target - have, 'rebalance');
    }
  }

  protected onPeerMessage(from: string, message: InventoryMessage): void {
    switch (message.type) {
      case 'rights-advert':
        this.peerRights[from] = message.rights;
        this.peerDemand[from] = message.demand;
        if (this.pending.length > 0) this.processPending();
        return;
      case 'rights-request':
        return this.onRightsRequest(from, message.sku, message.units, message.demandPerSec, message.kind);
      case 'rights-grant':
        return this.onRightsGrant(from, message.transferId, message.sku, message.units);
      case 'rights-none': {
        (this.peerRights[from] ??= {})[message.sku] = message.rights;
        this.refusedAt.set(`${from}|${message.sku}`, this.ctx.monotonicMs());
        const outstanding = this.outstanding.get(message.sku);
        if (outstanding?.peer === from) {
          this.ctx.cancelTimer(outstanding.timer);
          this.outstanding.delete(message.sku);
        }
        this.processPending();
        return;
      }
      case 'rights-ack':
        if (this.outgoing.delete(message.transferId)) this.journal({ op: 'grant-acked', transferId: message.transferId });
        return;
      default:
        return this.unexpected(from, message);
    }
  }
}
