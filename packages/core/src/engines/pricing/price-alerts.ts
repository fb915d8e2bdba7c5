import type { Product } from '../../catalog/product.js';
import type { PriceChange } from '../../catalog/vendor-offer.js';
import { MS_PER_DAY } from '../../shared/clock.js';
import type { ProductId, VendorId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import { compareStrings, roundTo } from '../shared/stats.js';
import { pricePerBaseUnit } from './base-unit-price.js';
import type { MarketReference } from './market-reference.js';
import type { PricingConfig } from './pricing-config.js';

export type PriceAlert =
  | {
      readonly type: 'ABOVE_MEDIAN';
      readonly productId: ProductId;
      readonly vendorId: VendorId;
      readonly price: Money;
      readonly median: Money;
      /** How far above the median, in percent. */
      readonly percent: number;
    }
  | {
      readonly type: 'PRICE_MOVE';
      readonly productId: ProductId;
      readonly vendorId: VendorId;
      /** Price before the 24-hour window (per base unit). */
      readonly from: Money;
      /** The price furthest from `from` within the window. */
      readonly to: Money;
      /** Signed percent change from `from` to `to`. */
      readonly percent: number;
      readonly at: Date;
    };

/** Offers more than X % above the median (only once there are enough offers for a median). */
export function aboveMedianAlerts(reference: MarketReference, config: PricingConfig): PriceAlert[] {
  const median = reference.median;
  if (!median || median.amount <= 0 || reference.offerCount < config.minOffersForMedianAlert) return [];
  const out: PriceAlert[] = [];
  for (const p of reference.prices) {
    const percent = ((p.pricePerBaseUnit.amount - median.amount) / median.amount) * 100;
    if (percent > config.aboveMedianPercent) {
      out.push({
        type: 'ABOVE_MEDIAN',
        productId: reference.productId,
        vendorId: p.vendorId,
        price: p.pricePerBaseUnit,
        median,
        percent: roundTo(percent, 2),
      });
    }
  }
  return out;
}

/**
 * Vendors whose price moved more than Y % within the 24 hours up to `asOf`. The start is
 * the price in effect when the window opened; the largest deviation inside the window
 * counts, so a spike that is reverted the same day is still reported.
 */
export function priceMoveAlerts(
  product: Product,
  history: readonly PriceChange[],
  asOf: Date,
  config: PricingConfig,
): PriceAlert[] {
  const windowStart = asOf.getTime() - MS_PER_DAY;
  const byVendor = new Map<VendorId, PriceChange[]>();
  for (const c of history) {
    if (c.productId !== product.id || c.changedAt.getTime() > asOf.getTime()) continue;
    byVendor.set(c.vendorId, [...(byVendor.get(c.vendorId) ?? []), c]);
  }
  const out: PriceAlert[] = [];
  for (const vendorId of [...byVendor.keys()].sort(compareStrings)) {
    const changes = (byVendor.get(vendorId) ?? []).sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
    const inWindow = changes.filter((c) => c.changedAt.getTime() > windowStart);
    const first = inWindow[0];
    if (!first) continue;
    const before = changes.filter((c) => c.changedAt.getTime() <= windowStart).at(-1);
    const startRaw = before
      ? { price: before.price, unit: before.unit }
      : first.previousPrice
        ? { price: first.previousPrice, unit: first.unit }
        : null;
    const start = startRaw ? pricePerBaseUnit(product, startRaw.price, startRaw.unit) : null;
    if (!start || start.amount <= 0) continue;
    let extreme: { price: Money; at: Date; percent: number } | null = null;
    for (const c of inWindow) {
      const p = pricePerBaseUnit(product, c.price, c.unit);
      if (!p) continue;
      const percent = ((p.amount - start.amount) / start.amount) * 100;
      if (!extreme || Math.abs(percent) > Math.abs(extreme.percent)) extreme = { price: p, at: c.changedAt, percent };
    }
    if (extreme && Math.abs(extreme.percent) > config.dailyMovePercent) {
      out.push({
        type: 'PRICE_MOVE',
        productId: product.id,
        vendorId,
        from: start,
        to: extreme.price,
        percent: roundTo(extreme.percent, 2),
        at: extreme.at,
      });
    }
  }
  return out;
}
