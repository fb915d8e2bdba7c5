import { domainEvent, EventTypes } from '../events/event-catalog.js';
import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Actor, actorToJson, requireStaff } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId } from '../shared/ids.js';
import { reasonText } from '../shared/text.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { lockOrderAndAccount, persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/**
 * APPROVE sends a held order on to routing; REJECT needs a reason. Approving an order held
 * for `CREDIT_LIMIT` that still does not fit the shop's available credit is a credit
 * override: it needs a reason too (else `CREDIT.LIMIT_EXCEEDED`), and is recorded as
 * `credit.limit_overridden`.
 */
export type ReviewHeldOrderCommand =
  | { readonly orderId: OrderId; readonly decision: 'APPROVE'; readonly reason?: string | null; readonly actor: Actor }
  | { readonly orderId: OrderId; readonly decision: 'REJECT'; readonly reason: string; readonly actor: Actor };

/**
 * An operator or admin decides on an order put ON_HOLD (by risk, or over the credit limit).
 * The same decision again (a retried request) answers the order as it is and changes nothing;
 * the other decision after one was taken is `ORDER.ILLEGAL_TRANSITION`.
 *
 * An over-limit order reserves no credit while held (see `countsAgainstCredit`); approved, it
 * counts again and its vendor's acceptance places the full hold, which can take the account
 * past its limit. So the approval reads the available credit under the account's lock: when
 * the order fits now (a payment came in), it is an ordinary approval; when it does not, it is
 * allowed only as an explicit override with a reason, never silently.
 */
export class ReviewHeldOrder {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.ORDER_ILLEGAL_TRANSITION,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.CREDIT_LIMIT_EXCEEDED,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: ReviewHeldOrderCommand): Promise<Outcome<Order, FailureCode<typeof ReviewHeldOrder>>> {
    checkCommand(command);
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const actor = checkActor(command.actor);
    const { decision } = command;
    if (decision !== 'APPROVE' && decision !== 'REJECT') {
      throw new ValidationError(
        'decision must be APPROVE or REJECT',
        { field: 'decision' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    const reason = decision === 'REJECT' ? requiredReason(command.reason) : reasonText(command.reason, 'note');
    const result = await runUseCase(ReviewHeldOrder.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          requireStaff(actor, 'review a held order');
          const peek = required(await tx.orders.get(orderId), 'order', orderId);
          if (decidedAlready(peek, decision)) return { order: peek, changed: false };
          const now = this.ctx.clock.now();
          if (decision === 'REJECT') {
            peek.reject(actor, now, reason as string);
            await persist(tx, { orders: [peek] });
            return { order: peek, changed: true };
          }
          if (peek.status !== 'ON_HOLD' || peek.holdReason !== 'CREDIT_LIMIT') {
            peek.approve(actor, now, reason);
            await persist(tx, { orders: [peek] });
            return { order: peek, changed: true };
          }
          return this.approveOverLimit(tx, orderId, actor, reason, now);
        },
        { label: `review-order-${decision.toLowerCase()}` },
      ),
    );
    if (!result.ok) return result;
    const { order, changed } = result.value;
    if (changed) {
      const override = order.statusLog.at(-1)?.reason?.startsWith(OVERRIDE_PREFIX) ?? false;
      this.ctx.logger.info('held order reviewed', { orderId, decision, status: order.status, override });
    }
    return { ok: true, value: order };
  }

  private async approveOverLimit(
    tx: TransactionScope,
    orderId: OrderId,
    actor: Actor,
    reason: string | null,
    now: Date,
  ): Promise<{ order: Order; changed: boolean }> {
    const { order, account } = await lockOrderAndAccount(tx, orderId);
    // Read again under the lock: a concurrent approval answers the same; any other move is illegal.
    if (decidedAlready(order, 'APPROVE')) return { order, changed: false };
    if (order.status !== 'ON_HOLD' || order.holdReason !== 'CREDIT_LIMIT') {
      order.approve(actor, now, reason);
      await persist(tx, { orders: [order] });
      return { order, changed: true };
    }
    const exposure = await tx.orders.pendingExposure(order.retailerId, account.currency);
    const fits = account.checkAvailable(order.total, exposure);
    if (fits.ok) {
      order.approve(actor, now, reason ?? 'fits the available credit now');
      await persist(tx, { orders: [order] });
      return { order, changed: true };
    }
    const available = fits.error.available;
    if (reason === null) {
      throw new DomainError(
        'illegal_state',
        ErrorCodes.CREDIT_LIMIT_EXCEEDED,
        'the order is over the available credit: approving it is an override and needs a reason',
        { requested: order.total.amount, available: available.amount, currency: account.currency },
      );
    }
    order.approve(actor, now, `${OVERRIDE_PREFIX}${reason}`);
    await persist(tx, {
      orders: [order],
      events: [
        domainEvent(EventTypes.CREDIT_LIMIT_OVERRIDDEN, order.retailerId, now, {
          retailerId: order.retailerId,
          orderId: order.id,
          amount: order.total.amount,
          available: available.amount,
          currency: account.currency,
          reason,
          actor: actorToJson(actor),
        }),
      ],
    });
    return { order, changed: true };
  }
}

const OVERRIDE_PREFIX = 'credit limit override: ';

const DECIDED: Readonly<Record<'APPROVE' | 'REJECT', OrderStatus>> = { APPROVE: 'ROUTING', REJECT: 'REJECTED' };

/** The order left ON_HOLD by this decision already (it may have moved on since). */
function decidedAlready(order: Order, decision: 'APPROVE' | 'REJECT'): boolean {
  if (order.status === 'ON_HOLD') return false;
  const left = order.statusLog.filter((e) => e.from === 'ON_HOLD').at(-1);
  return left?.to === DECIDED[decision];
}
