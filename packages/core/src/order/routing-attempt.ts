import type { VendorId } from '../shared/ids.js';

export const MAX_ROUTING_ATTEMPTS = 5;
export const DEFAULT_OFFER_TIMEOUT_MS = 15 * 60_000;

export type OfferOutcome = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'EXPIRED' | 'WITHDRAWN';

/** One offer of the order to one vendor. */
export interface RoutingAttempt {
  readonly attempt: number;
  readonly vendorId: VendorId;
  readonly offeredAt: Date;
  readonly deadline: Date;
  readonly outcome: OfferOutcome;
  readonly respondedAt: Date | null;
  readonly reason: string | null;
  /** An operator's assignment after automatic routing gave up; not counted against the limit. */
  readonly manual: boolean;
}
