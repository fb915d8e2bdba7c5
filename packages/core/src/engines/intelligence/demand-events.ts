import { conversionFactor, type Product } from '../../catalog/product.js';
import type { OrderSnapshot } from '../../order/order.js';
import type { ProductId, RetailerId } from '../../shared/ids.js';
import type { Unit } from '../../shared/quantity.js';

/** One order line as demand: how much of a product a retailer wanted, in the product's base unit. */
export interface DemandEvent {
  readonly retailerId: RetailerId;
  readonly productId: ProductId;
  readonly at: Date;
  readonly baseQuantity: number;
  readonly orderedUnit: Unit;
  readonly orderedQuantity: number;
}

/**
 * Demand from order history. REJECTED and CANCELLED orders are not demand that was
 * served and are left out; lines whose unit cannot be converted to the base unit (or
 * whose product is unknown) are skipped rather than guessed.
 */
export function demandEventsFromOrders(orders: readonly OrderSnapshot[], products: readonly Product[]): DemandEvent[] {
  const byId = new Map(products.map((p) => [p.id, p]));
  const out: DemandEvent[] = [];
  for (const order of orders) {
    if (order.status === 'REJECTED' || order.status === 'CANCELLED') continue;
    for (const line of order.lines) {
      const product = byId.get(line.productId);
      if (!product) continue;
      const factor = conversionFactor(product, line.quantity.unit, product.baseUnit);
      if (factor === undefined) continue;
      out.push({
        retailerId: order.retailerId,
        productId: line.productId,
        at: order.placedAt,
        baseQuantity: line.quantity.value * factor,
        orderedUnit: line.quantity.unit,
        orderedQuantity: line.quantity.value,
      });
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
