import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import type { OrderId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { lockOrderAndAccount, persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface DispatchOrderCommand {
  readonly orderId: OrderId;
  readonly actor: Actor;
}

export type DeliverOrderCommand = DispatchOrderCommand;

export interface CancelOrderCommand {
  readonly orderId: OrderId;
  readonly reason: string;
  readonly actor: Actor;
}

/** Dispatch and delivery are the vendor's word (or an operator's), never the retailer's. */
function assertMayFulfil(order: Order, actor: Actor): void {
  if (actor.type === 'retailer') {
    throw new DomainError(
      'forbidden',
      ErrorCodes.FORBIDDEN,
      'a retailer cannot mark an order dispatched or delivered',
      {
        orderId: order.id,
      },
    );
  }
  assertVendorOwns(order, actor);
}

function assertVendorOwns(order: Order, actor: Actor): void {
  if (actor.type === 'vendor' && actor.id !== order.vendorId) {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'this order belongs to another vendor', {
      orderId: order.id,
    });
  }
}

const FULFILMENT_FAILURES = [ErrorCodes.NOT_FOUND, ErrorCodes.ORDER_ILLEGAL_TRANSITION, ErrorCodes.FORBIDDEN] as const;

export class DispatchOrder {
  static readonly failures = FULFILMENT_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: DispatchOrderCommand): Promise<Outcome<Order, FailureCode<typeof DispatchOrder>>> {
    const { orderId, actor } = checkOrderCommand(command);
    return runUseCase(DispatchOrder.failures, async () => {
      const { order, changed } = await this.ctx.uow.run(
        async (tx) => {
          const order = required(await tx.orders.get(orderId), 'order', orderId);
          assertMayFulfil(order, actor);
          // A second tap on "dispatched" is the same fact, not an error.
          if (ALREADY_DISPATCHED.includes(order.status)) return { order, changed: false };
          order.dispatch(actor, this.ctx.clock.now());
          await persist(tx, { orders: [order] });
          return { order, changed: true };
        },
        { label: 'dispatch-order' },
      );
      if (changed) this.ctx.logger.info('order dispatched', { orderId });
      return order;
    });
  }
}

const ALREADY_DISPATCHED: readonly OrderStatus[] = ['DISPATCHED', 'DELIVERED', 'COMPLETED'];
const ALREADY_DELIVERED: readonly OrderStatus[] = ['DELIVERED', 'COMPLETED'];

/**
 * Delivered: the credit hold becomes an invoice due after the retailer's net terms. When
 * prepaid credit already covers the invoice, the order is completed in the same transaction.
 */
export class DeliverOrder {
  static readonly failures = FULFILMENT_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: DeliverOrderCommand): Promise<Outcome<Order, FailureCode<typeof DeliverOrder>>> {
    const { orderId, actor } = checkOrderCommand(command);
    return runUseCase(DeliverOrder.failures, async () => {
      const { order, delivered } = await this.ctx.uow.run(
        async (tx) => {
          const { order, account } = await lockOrderAndAccount(tx, orderId);
          assertMayFulfil(order, actor);
          if (ALREADY_DELIVERED.includes(order.status)) return { order, delivered: null };
          const now = this.ctx.clock.now();
          order.deliver(actor, now);
          account.invoiceOrder(order.id, order.total, actor, now, this.ctx.ids);
          const prepaid = account.isOrderInvoiceSettled(order.id);
          if (prepaid) order.complete(actor, now, true);
          await persist(tx, { orders: [order], accounts: [account] });
          return { order, delivered: { prepaid } };
        },
        { label: 'deliver-order' },
      );
      if (delivered) {
        this.ctx.logger.info('order delivered and invoiced', {
          orderId,
          total: order.total.amount,
          prepaid: delivered.prepaid,
        });
      }
      return order;
    });
  }
}

/** Cancel before dispatch; a confirmed order's credit hold is released in the same transaction. */
export class CancelOrder {
  static readonly failures = FULFILMENT_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: CancelOrderCommand): Promise<Outcome<Order, FailureCode<typeof CancelOrder>>> {
    const { orderId, actor } = checkOrderCommand(command);
    const reason = requiredReason(command.reason);
    return runUseCase(CancelOrder.failures, async () => {
      const order = await this.ctx.uow.run(
        async (tx) => {
          const { order, account } = await lockOrderAndAccount(tx, orderId);
          if (actor.type === 'retailer' && actor.id !== order.retailerId) {
            throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'this order belongs to another retailer', {
              orderId,
            });
          }
          assertVendorOwns(order, actor);
          const now = this.ctx.clock.now();
          order.cancel(actor, now, reason);
          account.releaseHold(order.id, actor, now, this.ctx.ids, `order cancelled: ${reason}`);
          await persist(tx, { orders: [order], accounts: [account] });
          return order;
        },
        { label: 'cancel-order' },
      );
      this.ctx.logger.info('order cancelled', { orderId });
      return order;
    });
  }
}

function checkOrderCommand(command: DispatchOrderCommand): DispatchOrderCommand {
  checkCommand(command);
  return { orderId: checkId<OrderId>(command.orderId, 'orderId'), actor: checkActor(command.actor) };
}
