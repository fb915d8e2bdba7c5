import type { OrderSnapshot } from '../../order/order.js';
import type { OrderStatus } from '../../order/order-status.js';
import { ValidationError } from '../../shared/errors.js';

/** A half-open reporting range [from, to). */
export interface ReportPeriod {
  readonly from: Date;
  readonly to: Date;
}

export function reportPeriod(from: Date, to: Date): ReportPeriod {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() >= to.getTime()) {
    throw new ValidationError('report period needs from < to', { from: String(from), to: String(to) });
  }
  return { from, to };
}

export function inPeriod(at: Date, period: ReportPeriod): boolean {
  return at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();
}

/**
 * Orders whose value counts as GMV: a vendor committed to them. PENDING/ON_HOLD/ROUTING
 * may never happen; REJECTED and CANCELLED did not.
 */
export const GMV_STATUSES: readonly OrderStatus[] = ['CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED'];

export function countsAsGmv(order: Pick<OrderSnapshot, 'status'>): boolean {
  return GMV_STATUSES.includes(order.status);
}
