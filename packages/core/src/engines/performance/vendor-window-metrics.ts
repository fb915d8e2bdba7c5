import type { VendorId } from '../../shared/ids.js';
import { median } from '../shared/stats.js';
import { withinDaysBefore } from '../shared/time.js';
import type { FulfilmentRecord, OfferRecord } from './performance-events.js';
import type { VendorRating } from './vendor-rating.js';

/** One vendor's figures over the window (asOf − windowDays, asOf]. Rates are null without data. */
export interface VendorWindowMetrics {
  readonly windowDays: number;
  /** Offers made in the window (by offeredAt), pending ones included. */
  readonly offers: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly expired: number;
  /** accepted / (accepted + rejected + expired); withdrawn and pending offers are not answers. */
  readonly acceptanceRate: number | null;
  /** Median minutes from offer to an accept/reject (an expiry is not a response). */
  readonly medianResponseMinutes: number | null;
  /** Orders confirmed in the window (by confirmedAt). */
  readonly confirmed: number;
  readonly delivered: number;
  readonly cancelled: number;
  /** delivered / (delivered + cancelled): orders still under way are not counted. */
  readonly fulfilmentRate: number | null;
  /** Delivered by the promised time / delivered. */
  readonly onTimeDeliveryRate: number | null;
  /** cancelled / (delivered + cancelled). */
  readonly cancellationRate: number | null;
  readonly ratingCount: number;
  /** Mean of 1-5 ratings given in the window. */
  readonly averageRating: number | null;
}

export interface VendorActivity {
  readonly offers: readonly OfferRecord[];
  readonly fulfilments: readonly FulfilmentRecord[];
  readonly ratings: readonly VendorRating[];
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Compute one vendor's metrics for one window. Records of other vendors are ignored. */
export function vendorWindowMetrics(
  vendorId: VendorId,
  activity: VendorActivity,
  asOf: Date,
  windowDays: number,
): VendorWindowMetrics {
  const inWindow = (d: Date): boolean => withinDaysBefore(d, asOf, windowDays);
  const offers = activity.offers.filter((o) => o.vendorId === vendorId && inWindow(o.offeredAt));
  const count = (outcome: OfferRecord['outcome']): number => offers.filter((o) => o.outcome === outcome).length;
  const accepted = count('ACCEPTED');
  const rejected = count('REJECTED');
  const expired = count('EXPIRED');
  const responses = offers
    .filter((o) => (o.outcome === 'ACCEPTED' || o.outcome === 'REJECTED') && o.respondedAt)
    .map((o) => ((o.respondedAt as Date).getTime() - o.offeredAt.getTime()) / 60_000);

  const fulfilments = activity.fulfilments.filter((f) => f.vendorId === vendorId && inWindow(f.confirmedAt));
  const delivered = fulfilments.filter((f) => f.deliveredAt !== null && f.deliveredAt.getTime() <= asOf.getTime());
  const cancelled = fulfilments.filter(
    (f) => f.deliveredAt === null && f.cancelledAt !== null && f.cancelledAt.getTime() <= asOf.getTime(),
  );
  const onTime = delivered.filter((f) => (f.deliveredAt as Date).getTime() <= f.promisedBy.getTime());
  const resolved = delivered.length + cancelled.length;

  const ratings = activity.ratings.filter((r) => r.vendorId === vendorId && inWindow(r.ratedAt));
  return {
    windowDays,
    offers: offers.length,
    accepted,
    rejected,
    expired,
    acceptanceRate: ratio(accepted, accepted + rejected + expired),
    medianResponseMinutes: median(responses),
    confirmed: fulfilments.length,
    delivered: delivered.length,
    cancelled: cancelled.length,
    fulfilmentRate: ratio(delivered.length, resolved),
    onTimeDeliveryRate: ratio(onTime.length, delivered.length),
    cancellationRate: ratio(cancelled.length, resolved),
    ratingCount: ratings.length,
    averageRating: ratings.length > 0 ? ratings.reduce((a, r) => a + r.rating, 0) / ratings.length : null,
  };
}
