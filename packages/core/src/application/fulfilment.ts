import type { CreditAccount } from '../credit/credit-account.js';
import { DeliveryProof, isDeliveryCode, newDeliveryCode } from '../order/delivery-proof.js';
import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import { systemRandom } from '../shared/system-providers.js';
import type { OrderId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { lockOrderAndAccount, persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface DispatchOrderCommand {
  readonly orderId: OrderId;
  readonly actor: Actor;
}

export interface DeliverOrderCommand extends DispatchOrderCommand {
  /** The 4-digit code the shop received on dispatch. */
  readonly code?: string | null;
  /** Staff delivering without the code: why (an audited override). */
  readonly reason?: string | null;
}

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
          const now = this.ctx.clock.now();
          order.dispatch(actor, now);
          const proof = DeliveryProof.issue({
            orderId: order.id,
            retailerId: order.retailerId,
            vendorId: required(order.vendorId, 'vendor of order', order.id),
            code: newDeliveryCode(this.ctx.random ?? systemRandom()),
            at: now,
          });
          await persist(tx, { orders: [order], deliveries: [proof] });
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
 *
 * Proof of delivery: a vendor's word counts only with the shop's code. A wrong code costs an
 * attempt (`DELIVERY.WRONG_CODE`); the third wrong one, or [Delivered] without a code, puts the
 * delivery in dispute for an operator (`DELIVERY.DISPUTED`; the order stays DISPATCHED, no
 * invoice). Both are committed before the failure is answered. Staff may deliver without the
 * code, with a reason: an override, recorded as an event. An order dispatched before codes
 * existed has no proof and is delivered as before.
 */
export class DeliverOrder {
  static readonly failures = [
    ...FULFILMENT_FAILURES,
    ErrorCodes.DELIVERY_WRONG_CODE,
    ErrorCodes.DELIVERY_DISPUTED,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: DeliverOrderCommand): Promise<Outcome<Order, FailureCode<typeof DeliverOrder>>> {
    const { orderId, actor } = checkOrderCommand(command);
    const code = optionalCode(command.code);
    const staff = actor.type === 'operator' || actor.type === 'admin' || actor.type === 'system';
    // Checked before the transaction: staff without the code must say why.
    const reason = staff && code === null ? requiredReason(command.reason) : null;
    return runUseCase(DeliverOrder.failures, async () => {
      const result = await this.ctx.uow.run(
        async (tx): Promise<{ order: Order; delivered: { prepaid: boolean } | null; refusal: DomainError | null }> => {
          const { order, account } = await lockOrderAndAccount(tx, orderId);
          assertMayFulfil(order, actor);
          if (ALREADY_DELIVERED.includes(order.status)) return { order, delivered: null, refusal: null };
          const now = this.ctx.clock.now();
          const proof = order.status === 'DISPATCHED' ? await tx.deliveries.get(orderId) : null;
          if (proof) {
            const refusal =
              reason !== null ? overrideProof(proof, actor, now, reason) : checkProof(proof, code, actor, now);
            if (refusal) {
              await persist(tx, { deliveries: [proof] });
              return { order, delivered: null, refusal };
            }
          }
          const prepaid = deliverAndInvoice(order, account, actor, now, this.ctx);
          await persist(tx, { orders: [order], accounts: [account], deliveries: proof ? [proof] : [] });
          return { order, delivered: { prepaid }, refusal: null };
        },
        { label: 'deliver-order' },
      );
      // Thrown after the commit: the attempt or the dispute stays recorded.
      if (result.refusal) {
        this.ctx.logger.warn('delivery not confirmed', { orderId, code: result.refusal.code });
        throw result.refusal;
      }
      const { order, delivered } = result;
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

/** DELIVERED, the hold invoiced, and COMPLETED at once when prepaid credit covers it. */
export function deliverAndInvoice(
  order: Order,
  account: CreditAccount,
  actor: Actor,
  now: Date,
  ctx: Pick<UseCaseContext, 'ids'>,
): boolean {
  order.deliver(actor, now);
  account.invoiceOrder(order.id, order.total, actor, now, ctx.ids);
  const prepaid = account.isOrderInvoiceSettled(order.id);
  if (prepaid) order.complete(actor, now, true);
  return prepaid;
}

/** A vendor's [Delivered]: null when the code proves it, else why not (already recorded on the proof). */
function checkProof(proof: DeliveryProof, code: string | null, actor: Actor, now: Date): DomainError | null {
  if (proof.status === 'DISPUTED') return disputed(proof);
  if (proof.status !== 'AWAITING_CODE') return null;
  if (code === null) {
    proof.dispute('NO_CODE', actor, now, null);
    return disputed(proof);
  }
  const check = proof.checkCode(code, actor, now);
  switch (check.result) {
    case 'MATCHED':
      return null;
    case 'WRONG':
      return new DomainError('validation', ErrorCodes.DELIVERY_WRONG_CODE, 'that is not the delivery code', {
        orderId: proof.orderId,
        attemptsLeft: check.attemptsLeft,
      });
    case 'DISPUTED':
      return disputed(proof);
  }
}

function overrideProof(proof: DeliveryProof, actor: Actor, now: Date, reason: string): null {
  if (proof.status === 'AWAITING_CODE' || proof.status === 'DISPUTED') proof.override(actor, now, reason);
  return null;
}

function disputed(proof: DeliveryProof): DomainError {
  return new DomainError('illegal_state', ErrorCodes.DELIVERY_DISPUTED, 'the delivery waits for an operator', {
    orderId: proof.orderId,
    reason: proof.snapshot().disputeReason,
  });
}

function optionalCode(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!isDeliveryCode(value)) {
    throw new ValidationError('a delivery code is 4 digits', { field: 'code' }, ErrorCodes.INVALID_COMMAND);
  }
  return value;
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
