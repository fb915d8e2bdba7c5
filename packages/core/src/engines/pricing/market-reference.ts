import type { Product } from '../../catalog/product.js';
import type { VendorOffer } from '../../catalog/vendor-offer.js';
import type { ProductId, VendorId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import type { Unit } from '../../shared/quantity.js';
import { medianMoney } from '../shared/money-stats.js';
import { compareStrings } from '../shared/stats.js';
import { pricePerBaseUnit } from './base-unit-price.js';

export interface NormalisedOfferPrice {
  readonly vendorId: VendorId;
  readonly offerUnit: Unit;
  readonly offerPrice: Money;
  readonly pricePerBaseUnit: Money;
}

/** The market price of a product: the median of active offers, per base unit. */
export interface MarketReference {
  readonly productId: ProductId;
  readonly baseUnit: Unit;
  /** Null when no active offer can be normalised. */
  readonly median: Money | null;
  readonly min: Money | null;
  readonly max: Money | null;
  readonly offerCount: number;
  /** Ordered by vendor id. */
  readonly prices: readonly NormalisedOfferPrice[];
}

/** Median of the active offers' prices normalised to the base unit (offers in unrelated units are left out). */
export function marketReference(product: Product, offers: readonly VendorOffer[]): MarketReference {
  const prices: NormalisedOfferPrice[] = [];
  for (const o of offers) {
    if (!o.active || o.productId !== product.id) continue;
    const perBase = pricePerBaseUnit(product, o.unitPrice, o.unit);
    if (perBase)
      prices.push({ vendorId: o.vendorId, offerUnit: o.unit, offerPrice: o.unitPrice, pricePerBaseUnit: perBase });
  }
  prices.sort((a, b) => compareStrings(a.vendorId, b.vendorId));
  const values = prices.map((p) => p.pricePerBaseUnit);
  const sorted = [...values].sort((a, b) => a.compare(b));
  return {
    productId: product.id,
    baseUnit: product.baseUnit,
    median: medianMoney(values),
    min: sorted[0] ?? null,
    max: sorted.at(-1) ?? null,
    offerCount: prices.length,
    prices,
  };
}
