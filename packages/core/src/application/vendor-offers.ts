import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import { DEFAULT_OFFER_TIMEOUT_MS } from '../order/routing-attempt.js';
import { addMs } from '../shared/clock.js';
import { type Actor, SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, ValidationError } from '../shared/errors.js';
import type { OrderId, VendorId } from '../shared/ids.js';
import { lockOrderAndAccount, persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { checkActor, checkId } from './command-checks.js';
import { reasonText } from '../shared/text.js';

export interface OfferToVendorCommand {
  readonly orderId: OrderId;
  readonly vendorId: VendorId;
  /** An operator's assignment after automatic routing gave up. */
  readonly manual?: boolean;
  readonly timeoutMs?: number;
  readonly actor: Actor;
}

/** Offer a routing order to one vendor, with a deadline for the answer. */
export class OfferOrderToVendor {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(cmd: OfferToVendorCommand): Promise<Order> {
    checkId(cmd.orderId, 'orderId');
    checkId(cmd.vendorId, 'vendorId');
    checkActor(cmd.actor);
    return this.ctx.uow.run(
      async (tx) => {
        const order = required(await tx.orders.get(cmd.orderId), 'order', cmd.orderId);
        const vendor = required(await tx.vendors.get(cmd.vendorId), 'vendor', cmd.vendorId);
        if (vendor.status !== 'ACTIVE') throw new ValidationError('vendor is not active', { vendorId: vendor.id });
        const now = this.ctx.clock.now();
        order.offerTo(vendor.id, now, addMs(now, cmd.timeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS), {
          manual: cmd.manual ?? false,
          actor: cmd.actor,
        });
        await persist(tx, { orders: [order] });
        this.ctx.logger.info('order offered', { orderId: order.id, vendorId: vendor.id, manual: cmd.manual ?? false });
        return order;
      },
      { label: 'offer-order' },
    );
  }
}

const ACCEPTED: readonly OrderStatus[] = ['CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED'];

/**
 * The vendor accepts: the order is CONFIRMED and its value becomes a HOLD on the
 * retailer's credit, in the same transaction (the account is locked first).
 */
export class AcceptVendorOffer {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(orderId: OrderId, vendorId: VendorId): Promise<Order> {
    checkId(orderId, 'orderId');
    checkId(vendorId, 'vendorId');
    return this.ctx.uow.run(
      async (tx) => {
        const { order, account } = await lockOrderAndAccount(tx, orderId);
        // A repeated accept by the vendor who already has the order changes nothing.
        if (order.vendorId === vendorId && ACCEPTED.includes(order.status)) return order;
        const now = this.ctx.clock.now();
        order.acceptOffer(vendorId, now);
        account.placeHold(order.id, order.total, { type: 'vendor', id: vendorId }, now, this.ctx.ids);
        await persist(tx, { orders: [order], accounts: [account] });
        this.ctx.logger.info('offer accepted', { orderId, vendorId });
        return order;
      },
      { label: 'accept-offer' },
    );
  }
}

export class RejectVendorOffer {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(orderId: OrderId, vendorId: VendorId, why: string | null): Promise<Order> {
    checkId(orderId, 'orderId');
    checkId(vendorId, 'vendorId');
    const reason = reasonText(why);
    return this.ctx.uow.run(
      async (tx) => {
        const order = required(await tx.orders.get(orderId), 'order', orderId);
        order.rejectOffer(vendorId, this.ctx.clock.now(), reason);
        await persist(tx, { orders: [order] });
        this.ctx.logger.info('offer rejected', { orderId, vendorId, needsManual: order.needsManualAssignment });
        return order;
      },
      { label: 'reject-offer' },
    );
  }
}

/** Expire offers whose deadline passed (run by the recovery worker). Returns the orders touched. */
export class ExpireOverdueOffers {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(limit = 100): Promise<OrderId[]> {
    const now = this.ctx.clock.now();
    const due = await this.ctx.repos.orders.listWithExpiredOffers(now, limit);
    const expired: OrderId[] = [];
    for (const orderId of due) {
      try {
        await this.ctx.uow.run(
          async (tx) => {
            const order = required(await tx.orders.get(orderId), 'order', orderId);
            const pending = order.pendingOffer();
            // Answered or cancelled since the scan: nothing to expire.
            if (!pending || pending.deadline.getTime() > now.getTime()) return;
            order.expireOffer(now);
            await persist(tx, { orders: [order] });
            expired.push(orderId);
          },
          { label: 'expire-offer' },
        );
      } catch (error) {
        // One bad order must not stop the sweep; the next run retries it.
        this.ctx.logger.error('expiring offer failed', {
          orderId,
          error: DomainError.is(error) ? error.code : String(error),
        });
      }
    }
    if (expired.length > 0) this.ctx.logger.info('offers expired', { count: expired.length, actor: SYSTEM_ACTOR.type });
    return expired;
  }
}
