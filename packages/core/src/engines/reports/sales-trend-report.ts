import type { OrderSnapshot } from '../../order/order.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../../shared/clock.js';
import { ValidationError } from '../../shared/errors.js';
import { type CurrencyCode, Money } from '../../shared/money.js';
import { countsAsGmv, inPeriod, type ReportPeriod } from './report-period.js';

export type TrendGranularity = 'day' | 'week';

export interface SalesTrendRow {
  /** Local date (YYYY-MM-DD) the bucket starts on; weeks start on Monday. */
  readonly bucket: string;
  /** The bucket's start as an instant. */
  readonly start: Date;
  readonly orderCount: number;
  readonly gmv: Money;
}

/**
 * GMV and order count per day or week over the period, zero-filled so a chart has every
 * bucket. Buckets follow a fixed UTC offset (default 0 = UTC, like the rest of the core).
 */
export function salesTrendReport(
  orders: readonly OrderSnapshot[],
  period: ReportPeriod,
  granularity: TrendGranularity,
  options: { readonly utcOffsetMinutes?: number; readonly currency?: CurrencyCode } = {},
): SalesTrendRow[] {
  const offset = (options.utcOffsetMinutes ?? 0) * MS_PER_MINUTE;
  const currency = options.currency ?? 'NPR';
  const step = granularity === 'day' ? MS_PER_DAY : 7 * MS_PER_DAY;
  const bucketStart = (t: number): number => {
    const local = t + offset;
    let day = Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
    if (granularity === 'week') {
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      day -= weekday * MS_PER_DAY;
    }
    return day; // local midnight, in "local epoch" ms
  };
  const first = bucketStart(period.from.getTime());
  const last = bucketStart(period.to.getTime() - 1);
  if ((last - first) / step > 1000) throw new ValidationError('too many trend buckets (max 1000)');
  const rows = new Map<number, { count: number; gmv: Money }>();
  for (let b = first; b <= last; b += step) rows.set(b, { count: 0, gmv: Money.zero(currency) });
  for (const o of orders) {
    if (!countsAsGmv(o) || !inPeriod(o.placedAt, period) || o.total.currency !== currency) continue;
    const row = rows.get(bucketStart(o.placedAt.getTime()));
    if (!row) continue;
    row.count += 1;
    row.gmv = row.gmv.add(o.total);
  }
  return [...rows.entries()].map(([b, r]) => ({
    bucket: new Date(b).toISOString().slice(0, 10),
    start: new Date(b - offset),
    orderCount: r.count,
    gmv: r.gmv,
  }));
}
