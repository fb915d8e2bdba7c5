import type { OrderSnapshot } from '../../order/order.js';

/**
 * What the scorecard needs from a retailer's orders. REJECTED orders are the
 * platform's decision, not the retailer's behaviour, so they are left out entirely.
 */
export interface OrderHistorySummary {
  /** placedAt of every counted order (not rejected), any order. */
  readonly orderDates: readonly Date[];
  /** Orders counted (not rejected). */
  readonly placedCount: number;
  /** Of those, how many ended CANCELLED. */
  readonly cancelledCount: number;
}

export const EMPTY_ORDER_HISTORY: OrderHistorySummary = { orderDates: [], placedCount: 0, cancelledCount: 0 };

/** Summarise a retailer's orders placed at or before `asOf`. */
export function summariseOrderHistory(orders: readonly OrderSnapshot[], asOf: Date): OrderHistorySummary {
  const counted = orders.filter((o) => o.status !== 'REJECTED' && o.placedAt.getTime() <= asOf.getTime());
  return {
    orderDates: counted.map((o) => o.placedAt).sort((a, b) => a.getTime() - b.getTime()),
    placedCount: counted.length,
    cancelledCount: counted.filter((o) => o.status === 'CANCELLED').length,
  };
}
