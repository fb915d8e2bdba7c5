import { NotFoundError, type RetailerId } from '@khaacho/core';
import { isStaff, type Principal } from '../../http/principal.js';

/**
 * Whose figures a report covers: staff choose (one retailer, or every one when they name
 * none); a retailer always its own, and another retailer's id is answered as not found.
 */
export function reportRetailer(principal: Principal, named: RetailerId | undefined): RetailerId | undefined {
  if (isStaff(principal)) return named;
  if (named !== undefined && named !== principal.retailerId) throw new NotFoundError('retailer', named);
  return principal.retailerId as RetailerId;
}

const DAY_MS = 86_400_000;

/** `from`/`to` (exclusive) of a report query; default the 30 days up to and including now. */
export function reportRange(query: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date(now.getTime() + 1);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  return { from, to };
}
