import type {
  DeliveryConfirmation,
  DeliveryDisputeReason,
  DeliveryProof,
  DeliveryProofStatus,
} from '../order/delivery-proof.js';
import type { Order } from '../order/order.js';
import { pageLimit, type Page } from '../ports/pagination.js';
import { type Actor, requireStaff } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, NotFoundError } from '../shared/errors.js';
import type { OrderId, RetailerId, VendorId } from '../shared/ids.js';
import { noteText } from '../shared/text.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { lockOrderAndAccount, persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { deliverAndInvoice } from './fulfilment.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** A delivery as staff and the shop see it: never the code. */
export interface DeliveryView {
  readonly orderId: OrderId;
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
  readonly status: DeliveryProofStatus;
  readonly failedAttempts: number;
  readonly issuedAt: Date;
  readonly confirmedAs: DeliveryConfirmation | null;
  readonly delivered: boolean | null;
  readonly dispute: {
    readonly reason: DeliveryDisputeReason;
    readonly at: Date;
    readonly by: Actor;
    readonly note: string | null;
  } | null;
  readonly settled: { readonly at: Date; readonly by: Actor; readonly note: string | null } | null;
}

export function deliveryView(proof: DeliveryProof): DeliveryView {
  const s = proof.snapshot();
  return {
    orderId: s.orderId,
    retailerId: s.retailerId,
    vendorId: s.vendorId,
    status: s.status,
    failedAttempts: s.failedAttempts,
    issuedAt: s.issuedAt,
    confirmedAs: s.confirmedAs,
    delivered: s.delivered,
    dispute:
      s.disputeReason && s.disputedAt && s.disputedBy
        ? { reason: s.disputeReason, at: s.disputedAt, by: s.disputedBy, note: s.disputeNote }
        : null,
    settled: s.settledAt && s.settledBy ? { at: s.settledAt, by: s.settledBy, note: s.settlementNote } : null,
  };
}

export interface ReportDeliveryNotReceivedCommand {
  readonly orderId: OrderId;
  /** The shop (its own orders only) or staff on its behalf. */
  readonly actor: Actor;
  readonly note?: string | null;
}

/**
 * The shop says a dispatched order has not arrived: the delivery goes to an operator, and the
 * vendor's code can no longer settle it. Another shop's order is not found (its existence is
 * not told). Saying it again is the same dispute.
 */
export class ReportDeliveryNotReceived {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.ORDER_ILLEGAL_TRANSITION,
    ErrorCodes.DELIVERY_SETTLED,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    command: ReportDeliveryNotReceivedCommand,
  ): Promise<Outcome<DeliveryView, FailureCode<typeof ReportDeliveryNotReceived>>> {
    checkCommand(command);
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const actor = checkActor(command.actor);
    const note = noteText(command.note);
    if (actor.type === 'vendor') {
      throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'only the shop reports a delivery not received');
    }
    return runUseCase(ReportDeliveryNotReceived.failures, async () => {
      const { view, opened } = await this.ctx.uow.run(
        async (tx) => {
          const order = await tx.orders.get(orderId);
          if (!order || (actor.type === 'retailer' && actor.id !== order.retailerId)) {
            throw new NotFoundError('order', orderId);
          }
          const proof = await tx.deliveries.get(orderId);
          if (order.status !== 'DISPATCHED' || !proof) {
            if (proof && proof.status !== 'AWAITING_CODE' && proof.status !== 'DISPUTED') throw settled(proof);
            throw new DomainError(
              'illegal_state',
              ErrorCodes.ORDER_ILLEGAL_TRANSITION,
              `a ${order.status} order has no delivery to dispute`,
              { orderId, status: order.status },
            );
          }
          if (proof.status === 'DISPUTED') return { view: deliveryView(proof), opened: false };
          proof.dispute('NOT_RECEIVED', actor, this.ctx.clock.now(), note);
          await persist(tx, { deliveries: [proof] });
          return { view: deliveryView(proof), opened: true };
        },
        { label: 'report-delivery-not-received' },
      );
      if (opened) this.ctx.logger.warn('delivery disputed by the shop', { orderId });
      return view;
    });
  }
}

export interface ResolveDeliveryDisputeCommand {
  readonly orderId: OrderId;
  /** True: the goods arrived (DELIVERED and invoiced). False: they did not (CANCELLED, hold released). */
  readonly delivered: boolean;
  /** What the operator found: required, it is the audit. */
  readonly reason: string;
  readonly actor: Actor;
}

/**
 * An operator's decision on a delivery in dispute. Delivered: as `DeliverOrder` (invoice, and
 * COMPLETED when prepaid). Not delivered: the order is cancelled and its credit hold released,
 * as `CancelOrder` does. The same decision again answers the order as it is; the other one is
 * `DELIVERY.SETTLED`.
 */
export class ResolveDeliveryDispute {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DELIVERY_NOT_DISPUTED,
    ErrorCodes.DELIVERY_SETTLED,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    command: ResolveDeliveryDisputeCommand,
  ): Promise<Outcome<Order, FailureCode<typeof ResolveDeliveryDispute>>> {
    checkCommand(command);
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const actor = checkActor(command.actor);
    const reason = requiredReason(command.reason);
    if (typeof command.delivered !== 'boolean') {
      throw new DomainError('validation', ErrorCodes.INVALID_COMMAND, 'delivered must be true or false', {
        field: 'delivered',
      });
    }
    const delivered = command.delivered;
    return runUseCase(ResolveDeliveryDispute.failures, async () => {
      const { order, changed } = await this.ctx.uow.run(
        async (tx) => {
          requireStaff(actor, 'resolve a delivery dispute');
          const { order, account } = await lockOrderAndAccount(tx, orderId);
          const proof = required(await tx.deliveries.get(orderId), 'delivery', orderId);
          if (proof.status === 'RESOLVED' || proof.status === 'CONFIRMED') {
            if (proof.snapshot().delivered === delivered) return { order, changed: false };
            throw settled(proof);
          }
          if (proof.status !== 'DISPUTED') {
            throw new DomainError('illegal_state', ErrorCodes.DELIVERY_NOT_DISPUTED, 'the delivery is not in dispute', {
              orderId,
              status: proof.status,
            });
          }
          const now = this.ctx.clock.now();
          proof.resolve(delivered, actor, now, reason);
          if (delivered) {
            deliverAndInvoice(order, account, actor, now, this.ctx);
          } else {
            order.cancelUndelivered(actor, now, reason);
            account.releaseHold(order.id, actor, now, this.ctx.ids, `not delivered: ${reason}`);
          }
          await persist(tx, { orders: [order], accounts: [account], deliveries: [proof] });
          return { order, changed: true };
        },
        { label: 'resolve-delivery-dispute' },
      );
      if (changed) this.ctx.logger.info('delivery dispute resolved', { orderId, delivered });
      return order;
    });
  }
}

export interface ListDeliveryDisputesQuery {
  readonly actor: Actor;
  readonly cursor?: string | null;
  readonly limit?: number;
}

/** Deliveries waiting for an operator, oldest dispute first (staff only). */
export class ListDeliveryDisputes {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: ListDeliveryDisputesQuery,
  ): Promise<Outcome<Page<DeliveryView>, FailureCode<typeof ListDeliveryDisputes>>> {
    checkCommand(query);
    const actor = checkActor(query.actor);
    const limit = pageLimit({ limit: query.limit ?? 50 });
    return runUseCase(ListDeliveryDisputes.failures, async () => {
      requireStaff(actor, 'list delivery disputes');
      const page = await this.ctx.repos.deliveries.listDisputed({ cursor: query.cursor ?? null, limit });
      return { items: page.items.map(deliveryView), nextCursor: page.nextCursor };
    });
  }
}

function settled(proof: DeliveryProof): DomainError {
  return new DomainError('illegal_state', ErrorCodes.DELIVERY_SETTLED, 'the delivery is already settled', {
    orderId: proof.orderId,
    status: proof.status,
    delivered: proof.snapshot().delivered,
  });
}
