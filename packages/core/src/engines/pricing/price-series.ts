import type { Product } from '../../catalog/product.js';
import type { PriceChange } from '../../catalog/vendor-offer.js';
import { MS_PER_DAY } from '../../shared/clock.js';
import type { VendorId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import { divideMoney, medianMoney, sumMoney } from '../shared/money-stats.js';
import { linearSlope, mean, roundTo } from '../shared/stats.js';
import { isoDay, startOfUtcDay } from '../shared/time.js';
import { pricePerBaseUnit } from './base-unit-price.js';

/** The market's closing price for one UTC day: the median across vendors of each one's price at day end. */
export interface DailyClose {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly close: Money;
  readonly vendorCount: number;
}

/**
 * Daily closes for the `days` UTC days ending with the day of `asOf` (today closes at
 * `asOf`). A vendor's price at a moment is its latest change at or before it, normalised
 * to the base unit. Days before any vendor had a price are omitted.
 *
 * Judgement call: daily-close rather than time-weighted averages. Vendors change prices a
 * few times a week at most, so the close is what retailers were actually quoted, and a
 * median across vendors keeps one outlier from moving the market line.
 */
export function dailyCloses(product: Product, history: readonly PriceChange[], asOf: Date, days: number): DailyClose[] {
  const byVendor = new Map<VendorId, PriceChange[]>();
  for (const c of history) {
    if (c.productId !== product.id) continue;
    byVendor.set(c.vendorId, [...(byVendor.get(c.vendorId) ?? []), c]);
  }
  for (const list of byVendor.values()) list.sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  const today = startOfUtcDay(asOf).getTime();
  const out: DailyClose[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const dayStart = today - i * MS_PER_DAY;
    const end = Math.min(dayStart + MS_PER_DAY - 1, asOf.getTime());
    const prices: Money[] = [];
    for (const changes of byVendor.values()) {
      const last = changes.filter((c) => c.changedAt.getTime() <= end).at(-1);
      const p = last ? pricePerBaseUnit(product, last.price, last.unit) : null;
      if (p) prices.push(p);
    }
    const close = medianMoney(prices);
    if (close) out.push({ day: isoDay(new Date(dayStart)), close, vendorCount: prices.length });
  }
  return out;
}

/** Mean of the daily closes of the last `days` days (days without a close are skipped); null if none. */
export function movingAverage(closes: readonly DailyClose[], asOf: Date, days: number): Money | null {
  const from = isoDay(new Date(startOfUtcDay(asOf).getTime() - (days - 1) * MS_PER_DAY));
  const recent = closes.filter((c) => c.day >= from);
  const first = recent[0];
  if (!first) return null;
  return divideMoney(
    sumMoney(
      recent.map((c) => c.close),
      first.close.currency,
    ),
    recent.length,
  );
}

export type TrendDirection = 'UP' | 'DOWN' | 'FLAT';

export interface PriceTrend {
  readonly direction: TrendDirection;
  /** Least-squares slope of the daily close, in paisa per day. */
  readonly slopePerDay: number;
  /** slopePerDay / mean close, e.g. 0.002 = +0.2 % a day. */
  readonly relativeSlopePerDay: number;
  /** Daily closes the line was fitted to. */
  readonly points: number;
}

/**
 * Fit a line through the daily closes (x = days since the first close, so gaps are
 * honoured). UP/DOWN when the line moves more than `flatThresholdPercent` over 30 days.
 */
export function priceTrend(closes: readonly DailyClose[], flatThresholdPercent: number): PriceTrend {
  if (closes.length < 2) return { direction: 'FLAT', slopePerDay: 0, relativeSlopePerDay: 0, points: closes.length };
  const t0 = Date.parse(closes[0]?.day ?? '');
  const xs = closes.map((c) => (Date.parse(c.day) - t0) / MS_PER_DAY);
  const ys = closes.map((c) => c.close.amount);
  const slope = linearSlope(ys, xs);
  const avg = mean(ys) ?? 0;
  const relative = avg > 0 ? slope / avg : 0;
  const monthlyPercent = relative * 30 * 100;
  const direction: TrendDirection =
    monthlyPercent > flatThresholdPercent ? 'UP' : monthlyPercent < -flatThresholdPercent ? 'DOWN' : 'FLAT';
  return {
    direction,
    slopePerDay: roundTo(slope, 4),
    relativeSlopePerDay: roundTo(relative, 6),
    points: closes.length,
  };
}
