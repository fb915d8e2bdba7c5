import type { OrderSnapshot } from '../../order/order.js';
import type { OfferOutcome } from '../../order/routing-attempt.js';
import { MS_PER_HOUR } from '../../shared/clock.js';
import type { OrderId, VendorId } from '../../shared/ids.js';

/** One offer of an order to a vendor (from the order's routing attempts). */
export interface OfferRecord {
  readonly orderId: OrderId;
  readonly vendorId: VendorId;
  readonly offeredAt: Date;
  readonly outcome: OfferOutcome;
  readonly respondedAt: Date | null;
  readonly manual: boolean;
}

/** What happened after a vendor confirmed an order. */
export interface FulfilmentRecord {
  readonly orderId: OrderId;
  readonly vendorId: VendorId;
  readonly confirmedAt: Date;
  /** confirmedAt + the promised lead time. */
  readonly promisedBy: Date;
  readonly deliveredAt: Date | null;
  /** Cancelled after confirmation (a failure to fulfil, whoever pressed the button). */
  readonly cancelledAt: Date | null;
}

/** Lead time assumed when the caller cannot tell what was promised (offers default to 24 h too). */
export const DEFAULT_PROMISED_LEAD_HOURS = 24;

export interface PerformanceEvents {
  readonly offers: OfferRecord[];
  readonly fulfilments: FulfilmentRecord[];
}

/**
 * Derive offer and fulfilment records from order snapshots. `promisedLeadHours` tells
 * the lead time the vendor promised for an order (e.g. the longest lead time among its
 * offers for the order's products); default 24 h.
 */
export function performanceEventsFromOrders(
  orders: readonly OrderSnapshot[],
  promisedLeadHours: (order: OrderSnapshot) => number = () => DEFAULT_PROMISED_LEAD_HOURS,
): PerformanceEvents {
  const offers: OfferRecord[] = [];
  const fulfilments: FulfilmentRecord[] = [];
  for (const order of orders) {
    for (const a of order.routingAttempts) {
      offers.push({
        orderId: order.id,
        vendorId: a.vendorId,
        offeredAt: a.offeredAt,
        outcome: a.outcome,
        respondedAt: a.respondedAt,
        manual: a.manual,
      });
    }
    const confirmed = order.statusLog.find((e) => e.to === 'CONFIRMED');
    if (!order.vendorId || !confirmed) continue;
    const delivered = order.statusLog.find((e) => e.to === 'DELIVERED');
    const cancelled = order.statusLog.find((e) => e.to === 'CANCELLED' && e.at.getTime() >= confirmed.at.getTime());
    fulfilments.push({
      orderId: order.id,
      vendorId: order.vendorId,
      confirmedAt: confirmed.at,
      promisedBy: new Date(confirmed.at.getTime() + promisedLeadHours(order) * MS_PER_HOUR),
      deliveredAt: delivered?.at ?? null,
      cancelledAt: delivered ? null : (cancelled?.at ?? null),
    });
  }
  return { offers, fulfilments };
}
