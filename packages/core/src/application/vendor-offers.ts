import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import { DEFAULT_OFFER_TIMEOUT_MS } from '../order/routing-attempt.js';
import { addMs } from '../shared/clock.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId, VendorId } from '../shared/ids.js';
import { reasonText } from '../shared/text.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import { lockOrderAndAccount, persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface OfferOrderToVendorCommand {
  readonly orderId: OrderId;
  readonly vendorId: VendorId;
  /** An operator's assignment after automatic routing gave up. */
  readonly manual?: boolean;
  readonly timeoutMs?: number;
  readonly actor: Actor;
}

/** The vendor's answer to an offer; the actor is the vendor itself or staff answering for it. */
export interface AcceptVendorOfferCommand {
  readonly orderId: OrderId;
  readonly vendorId: VendorId;
  readonly actor: Actor;
}

export interface RejectVendorOfferCommand extends AcceptVendorOfferCommand {
  readonly reason?: string | null;
}

export interface ExpireOverdueOffersCommand {
  /** At most this many orders per run (default 100). */
  readonly limit?: number;
  readonly actor: Actor;
}

/** Offer a routing order to one vendor, with a deadline for the answer. */
export class OfferOrderToVendor {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.PARTY_INACTIVE,
    ErrorCodes.ORDER_ILLEGAL_TRANSITION,
    ErrorCodes.ORDER_OFFER_PENDING,
    ErrorCodes.ORDER_ROUTING_EXHAUSTED,
    ErrorCodes.ORDER_VENDOR_ALREADY_TRIED,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: OfferOrderToVendorCommand): Promise<Outcome<Order, FailureCode<typeof OfferOrderToVendor>>> {
    const cmd = checkAnswer(command);
    const manual = command.manual ?? false;
    const result = await runUseCase(OfferOrderToVendor.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          const order = required(await tx.orders.get(cmd.orderId), 'order', cmd.orderId);
          const vendor = required(await tx.vendors.get(cmd.vendorId), 'vendor', cmd.vendorId);
          if (vendor.status !== 'ACTIVE') {
            throw new DomainError('illegal_state', ErrorCodes.PARTY_INACTIVE, 'vendor is not active', {
              vendorId: vendor.id,
              status: vendor.status,
            });
          }
          const now = this.ctx.clock.now();
          order.offerTo(vendor.id, now, addMs(now, command.timeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS), {
            manual,
            actor: cmd.actor,
          });
          await persist(tx, { orders: [order] });
          return order;
        },
        { label: 'offer-order' },
      ),
    );
    if (result.ok) this.ctx.logger.info('order offered', { orderId: cmd.orderId, vendorId: cmd.vendorId, manual });
    return result;
  }
}

const ACCEPTED: readonly OrderStatus[] = ['CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED'];

const ANSWER_FAILURES = [
  ErrorCodes.NOT_FOUND,
  ErrorCodes.FORBIDDEN,
  ErrorCodes.ORDER_NO_PENDING_OFFER,
  ErrorCodes.ORDER_OFFER_MISMATCH,
  ErrorCodes.ORDER_ILLEGAL_TRANSITION,
] as const;

/**
 * The vendor accepts: the order is CONFIRMED and its value becomes a HOLD on the
 * retailer's credit, in the same transaction (the account is locked first). The actor
 * is recorded in the status log and on the hold.
 */
export class AcceptVendorOffer {
  static readonly failures = ANSWER_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: AcceptVendorOfferCommand): Promise<Outcome<Order, FailureCode<typeof AcceptVendorOffer>>> {
    const { orderId, vendorId, actor } = checkAnswer(command);
    return runUseCase(AcceptVendorOffer.failures, async () => {
      const { order, changed } = await this.ctx.uow.run(
        async (tx) => {
          const { order, account } = await lockOrderAndAccount(tx, orderId);
          assertMayAnswerFor(vendorId, actor, orderId);
          // A repeated accept by the vendor who already has the order changes nothing.
          if (order.vendorId === vendorId && ACCEPTED.includes(order.status)) return { order, changed: false };
          const now = this.ctx.clock.now();
          order.acceptOffer(vendorId, now, actor);
          account.placeHold(order.id, order.total, actor, now, this.ctx.ids);
          await persist(tx, { orders: [order], accounts: [account] });
          return { order, changed: true };
        },
        { label: 'accept-offer' },
      );
      if (changed) this.ctx.logger.info('offer accepted', { orderId, vendorId, actor: actor.type });
      return order;
    });
  }
}

export class RejectVendorOffer {
  static readonly failures = ANSWER_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: RejectVendorOfferCommand): Promise<Outcome<Order, FailureCode<typeof RejectVendorOffer>>> {
    const { orderId, vendorId, actor } = checkAnswer(command);
    const reason = reasonText(command.reason);
    const result = await runUseCase(RejectVendorOffer.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          const order = required(await tx.orders.get(orderId), 'order', orderId);
          assertMayAnswerFor(vendorId, actor, orderId);
          order.rejectOffer(vendorId, this.ctx.clock.now(), reason, actor);
          await persist(tx, { orders: [order] });
          return order;
        },
        { label: 'reject-offer' },
      ),
    );
    if (result.ok) {
      this.ctx.logger.info('offer rejected', { orderId, vendorId, needsManual: result.value.needsManualAssignment });
    }
    return result;
  }
}

/** One sweep's most orders: the next run takes the rest. */
const MAX_EXPIRY_BATCH = 1_000;

/** Expire offers whose deadline passed (run by the recovery worker). Returns the orders touched. */
export class ExpireOverdueOffers {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    command: ExpireOverdueOffersCommand,
  ): Promise<Outcome<OrderId[], FailureCode<typeof ExpireOverdueOffers>>> {
    checkCommand(command);
    const actor = checkActor(command.actor);
    const limit = command.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EXPIRY_BATCH) {
      throw new ValidationError(
        `limit must be a whole number 1-${MAX_EXPIRY_BATCH}`,
        { field: 'limit', max: MAX_EXPIRY_BATCH },
        ErrorCodes.OUT_OF_RANGE,
      );
    }
    return runUseCase(ExpireOverdueOffers.failures, async () => {
      const now = this.ctx.clock.now();
      const due = await this.ctx.repos.orders.listWithExpiredOffers(now, limit);
      const expired: OrderId[] = [];
      for (const orderId of due) {
        try {
          // Counted after `run` returns: the work may run more than once, only the committed run counts.
          const didExpire = await this.ctx.uow.run(
            async (tx) => {
              const order = required(await tx.orders.get(orderId), 'order', orderId);
              const pending = order.pendingOffer();
              // Answered or cancelled since the scan: nothing to expire.
              if (!pending || pending.deadline.getTime() > now.getTime()) return false;
              order.expireOffer(now, actor);
              await persist(tx, { orders: [order] });
              return true;
            },
            { label: 'expire-offer' },
          );
          if (didExpire) expired.push(orderId);
        } catch (error) {
          // One bad order must not stop the sweep; the next run retries it.
          this.ctx.logger.error('expiring offer failed', {
            orderId,
            error: DomainError.is(error) ? error.code : String(error),
          });
        }
      }
      if (expired.length > 0) this.ctx.logger.info('offers expired', { count: expired.length, actor: actor.type });
      return expired;
    });
  }
}

/** A vendor answers only its own offers; a retailer never answers one. */
function assertMayAnswerFor(vendorId: VendorId, actor: Actor, orderId: OrderId): void {
  if (actor.type === 'retailer' || (actor.type === 'vendor' && actor.id !== vendorId)) {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'only the vendor or staff may answer this offer', {
      orderId,
      vendorId,
    });
  }
}

function checkAnswer<C extends AcceptVendorOfferCommand>(command: C): C {
  checkCommand(command);
  return {
    ...command,
    orderId: checkId<OrderId>(command.orderId, 'orderId'),
    vendorId: checkId<VendorId>(command.vendorId, 'vendorId'),
    actor: checkActor(command.actor),
  };
}
