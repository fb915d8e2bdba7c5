import type { Order } from '../order/order.js';
import { type Actor, SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import type { OrderId } from '../shared/ids.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';

function assertVendorOwns(order: Order, actor: Actor): void {
  if (actor.type === 'vendor' && actor.id !== order.vendorId) {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'this order belongs to another vendor', {
      orderId: order.id,
    });
  }
}

export class DispatchOrder {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(orderId: OrderId, actor: Actor): Promise<Order> {
    return this.ctx.uow.run(
      async (tx) => {
        const order = required(await tx.orders.get(orderId), 'order', orderId);
        assertVendorOwns(order, actor);
        order.dispatch(actor, this.ctx.clock.now());
        await persist(tx, { orders: [order] });
        this.ctx.logger.info('order dispatched', { orderId });
        return order;
      },
      { label: 'dispatch-order' },
    );
  }
}

/** Delivered: the credit hold becomes an invoice due after the retailer's net terms. */
export class DeliverOrder {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(orderId: OrderId, actor: Actor): Promise<Order> {
    return this.ctx.uow.run(
      async (tx) => {
        const peek = required(await tx.orders.get(orderId), 'order', orderId);
        const account = required(await tx.lockCreditAccount(peek.retailerId), 'credit account', peek.retailerId);
        const order = required(await tx.orders.get(orderId), 'order', orderId);
        assertVendorOwns(order, actor);
        const now = this.ctx.clock.now();
        order.deliver(actor, now);
        account.invoiceOrder(order.id, order.total, actor, now, this.ctx.ids);
        await persist(tx, { orders: [order], accounts: [account] });
        this.ctx.logger.info('order delivered and invoiced', { orderId, total: order.total.amount });
        return order;
      },
      { label: 'deliver-order' },
    );
  }
}

/** Cancel before dispatch; a confirmed order's credit hold is released in the same transaction. */
export class CancelOrder {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(orderId: OrderId, actor: Actor, reason: string): Promise<Order> {
    return this.ctx.uow.run(
      async (tx) => {
        const peek = required(await tx.orders.get(orderId), 'order', orderId);
        const account = required(await tx.lockCreditAccount(peek.retailerId), 'credit account', peek.retailerId);
        const order = required(await tx.orders.get(orderId), 'order', orderId);
        if (actor.type === 'retailer' && actor.id !== order.retailerId) {
          throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'this order belongs to another retailer', {
            orderId,
          });
        }
        assertVendorOwns(order, actor);
        const now = this.ctx.clock.now();
        order.cancel(actor, now, reason);
        account.releaseHold(order.id, actor ?? SYSTEM_ACTOR, now, this.ctx.ids, `order cancelled: ${reason}`);
        await persist(tx, { orders: [order], accounts: [account] });
        this.ctx.logger.info('order cancelled', { orderId });
        return order;
      },
      { label: 'cancel-order' },
    );
  }
}
