import { createVendorRating, type VendorRating } from '../engines/performance/vendor-rating.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, IllegalStateError } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface RateVendorCommand {
  readonly orderId: OrderId;
  readonly retailerId: RetailerId;
  /** 1-5. */
  readonly rating: number;
  readonly comment?: string | null;
  /** The retailer itself, or staff entering a rating given by phone. */
  readonly actor: Actor;
}

/** A retailer rates the vendor of one of its delivered orders, once (1-5). */
export class RateVendor {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.ORDER_NOT_DELIVERED,
    // A second rating of the same order: the store's unique key refuses it.
    ErrorCodes.DUPLICATE,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: RateVendorCommand): Promise<Outcome<VendorRating, FailureCode<typeof RateVendor>>> {
    checkCommand(command);
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const retailerId = checkId<RetailerId>(command.retailerId, 'retailerId');
    const actor = checkActor(command.actor);
    return runUseCase(RateVendor.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          const order = required(await tx.orders.get(orderId), 'order', orderId);
          const foreign = actor.type === 'vendor' || (actor.type === 'retailer' && actor.id !== retailerId);
          if (order.retailerId !== retailerId || foreign) {
            throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'only the retailer of this order may rate it', {
              orderId,
            });
          }
          if (!order.vendorId || (order.status !== 'DELIVERED' && order.status !== 'COMPLETED')) {
            throw new IllegalStateError(ErrorCodes.ORDER_NOT_DELIVERED, 'only a delivered order can be rated', {
              orderId,
              status: order.status,
            });
          }
          const rating = createVendorRating(
            {
              vendorId: order.vendorId,
              retailerId,
              orderId: order.id,
              rating: command.rating,
              comment: command.comment ?? null,
            },
            this.ctx.ids.next(),
            this.ctx.clock.now(),
          );
          await tx.vendorRatings.append(rating);
          return rating;
        },
        { label: 'rate-vendor' },
      ),
    );
  }
}
