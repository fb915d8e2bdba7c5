import { createVendorRating, type VendorRating } from '../engines/performance/vendor-rating.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { checkId } from './command-checks.js';

/** A retailer rates the vendor of one of its delivered orders, once (1-5). */
export class RateVendor {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(cmd: {
    orderId: OrderId;
    retailerId: RetailerId;
    rating: number;
    comment?: string | null;
  }): Promise<VendorRating> {
    checkId(cmd.orderId, 'orderId');
    checkId(cmd.retailerId, 'retailerId');
    return this.ctx.uow.run(
      async (tx) => {
        const order = required(await tx.orders.get(cmd.orderId), 'order', cmd.orderId);
        if (order.retailerId !== cmd.retailerId) {
          throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'this order belongs to another retailer', {
            orderId: cmd.orderId,
          });
        }
        if (!order.vendorId || (order.status !== 'DELIVERED' && order.status !== 'COMPLETED')) {
          throw new ValidationError('only a delivered order can be rated', { status: order.status });
        }
        const rating = createVendorRating(
          {
            vendorId: order.vendorId,
            retailerId: cmd.retailerId,
            orderId: order.id,
            rating: cmd.rating,
            comment: cmd.comment ?? null,
          },
          this.ctx.ids.next(),
          this.ctx.clock.now(),
        );
        await tx.vendorRatings.append(rating);
        return rating;
      },
      { label: 'rate-vendor' },
    );
  }
}
