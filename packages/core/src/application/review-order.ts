import type { Order } from '../order/order.js';
import { type Actor, requireStaff } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId } from '../shared/ids.js';
import { reasonText } from '../shared/text.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** APPROVE sends a held order on to routing (the reason is optional); REJECT needs a reason. */
export type ReviewHeldOrderCommand =
  | { readonly orderId: OrderId; readonly decision: 'APPROVE'; readonly reason?: string | null; readonly actor: Actor }
  | { readonly orderId: OrderId; readonly decision: 'REJECT'; readonly reason: string; readonly actor: Actor };

/** An operator or admin decides on an order that risk put ON_HOLD. */
export class ReviewHeldOrder {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.ORDER_ILLEGAL_TRANSITION, ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: ReviewHeldOrderCommand): Promise<Outcome<Order, FailureCode<typeof ReviewHeldOrder>>> {
    checkCommand(command);
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const actor = checkActor(command.actor);
    const { decision } = command;
    let decide: (order: Order, now: Date) => void;
    if (decision === 'APPROVE') {
      const note = reasonText(command.reason, 'note');
      decide = (order, now) => order.approve(actor, now, note);
    } else if (decision === 'REJECT') {
      const reason = requiredReason(command.reason);
      decide = (order, now) => order.reject(actor, now, reason);
    } else {
      throw new ValidationError(
        'decision must be APPROVE or REJECT',
        { field: 'decision' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    const result = await runUseCase(ReviewHeldOrder.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          requireStaff(actor, 'review a held order');
          const order = required(await tx.orders.get(orderId), 'order', orderId);
          decide(order, this.ctx.clock.now());
          await persist(tx, { orders: [order] });
          return order;
        },
        { label: `review-order-${decision.toLowerCase()}` },
      ),
    );
    if (result.ok) this.ctx.logger.info('held order reviewed', { orderId, decision, status: result.value.status });
    return result;
  }
}
