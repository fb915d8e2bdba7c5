import type { Order } from '../order/order.js';
import type { Actor } from '../shared/domain-event.js';
import type { OrderId } from '../shared/ids.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { checkActor, checkId, requiredReason } from './command-checks.js';
import { reasonText } from '../shared/text.js';

/** An operator decides on an order that risk put ON_HOLD. */
export class ReviewHeldOrder {
  constructor(private readonly ctx: UseCaseContext) {}

  async approve(orderId: OrderId, actor: Actor, why: string | null = null): Promise<Order> {
    checkId(orderId, 'orderId');
    checkActor(actor);
    const note = reasonText(why, 'note');
    return this.decide(orderId, (order, now) => order.approve(actor, now, note), 'approved');
  }

  async reject(orderId: OrderId, actor: Actor, why: string): Promise<Order> {
    checkId(orderId, 'orderId');
    checkActor(actor);
    const reason = requiredReason(why);
    return this.decide(orderId, (order, now) => order.reject(actor, now, reason), 'rejected');
  }

  private async decide(orderId: OrderId, change: (order: Order, now: Date) => void, what: string): Promise<Order> {
    const order = await this.ctx.uow.run(
      async (tx) => {
        const o = required(await tx.orders.get(orderId), 'order', orderId);
        change(o, this.ctx.clock.now());
        await persist(tx, { orders: [o] });
        return o;
      },
      { label: `review-order-${what}` },
    );
    this.ctx.logger.info(`held order ${what}`, { orderId, status: order.status });
    return order;
  }
}
