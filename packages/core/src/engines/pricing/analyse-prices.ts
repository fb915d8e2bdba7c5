import type { Product } from '../../catalog/product.js';
import { type PriceChange, priceChangeOf, type VendorOffer } from '../../catalog/vendor-offer.js';
import type { ProductId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import type { Unit } from '../../shared/quantity.js';
import { compareStrings } from '../shared/stats.js';
import { type MarketReference, marketReference } from './market-reference.js';
import { aboveMedianAlerts, type PriceAlert, priceMoveAlerts } from './price-alerts.js';
import { type DailyClose, dailyCloses, movingAverage, type PriceTrend, priceTrend } from './price-series.js';
import { DEFAULT_PRICING_CONFIG, type PricingConfig } from './pricing-config.js';

export interface PriceIntelligenceInput {
  readonly asOf: Date;
  readonly products: readonly Product[];
  /** Current offers (inactive ones are ignored for the market reference). */
  readonly offers: readonly VendorOffer[];
  /** Price changes covering at least the last 30 days (older ones seed the first closes). */
  readonly history: readonly PriceChange[];
}

export interface ProductPriceInsight {
  readonly productId: ProductId;
  readonly baseUnit: Unit;
  readonly reference: MarketReference;
  /** Mean of the last 7 / 30 daily closes, per base unit. */
  readonly movingAverage7: Money | null;
  readonly movingAverage30: Money | null;
  readonly trend: PriceTrend;
  readonly dailyCloses: readonly DailyClose[];
  readonly alerts: readonly PriceAlert[];
}

export interface PriceIntelligenceReport {
  readonly asOf: Date;
  /** Ordered by product id. */
  readonly products: readonly ProductPriceInsight[];
  /** Every alert, ordered by product, vendor, type. */
  readonly alerts: readonly PriceAlert[];
}

/**
 * Market reference, alerts, moving averages and trend per product. Offers that have no
 * price history yet count as a price change at their `updatedAt`, so a new vendor shows
 * in the series from the day its offer appeared.
 */
export function analysePrices(
  input: PriceIntelligenceInput,
  config: Partial<PricingConfig> = {},
): PriceIntelligenceReport {
  const c = { ...DEFAULT_PRICING_CONFIG, ...config };
  const seriesDays = Math.max(30, c.trendDays);
  const history = withOfferSeeds(input.history, input.offers);
  const products = [...input.products].sort((a, b) => compareStrings(a.id, b.id));
  const insights = products.map((product) => {
    const reference = marketReference(product, input.offers);
    const closes = dailyCloses(product, history, input.asOf, seriesDays);
    const alerts = [...aboveMedianAlerts(reference, c), ...priceMoveAlerts(product, input.history, input.asOf, c)].sort(
      (a, b) => compareStrings(a.vendorId, b.vendorId) || compareStrings(a.type, b.type),
    );
    return {
      productId: product.id,
      baseUnit: product.baseUnit,
      reference,
      movingAverage7: movingAverage(closes, input.asOf, 7),
      movingAverage30: movingAverage(closes, input.asOf, 30),
      trend: priceTrend(closes.slice(-c.trendDays), c.flatThresholdPercent),
      dailyCloses: closes,
      alerts,
    };
  });
  return { asOf: input.asOf, products: insights, alerts: insights.flatMap((i) => i.alerts) };
}

function withOfferSeeds(history: readonly PriceChange[], offers: readonly VendorOffer[]): PriceChange[] {
  const seen = new Set(history.map((h) => `${h.vendorId}|${h.productId}`));
  const seeds: PriceChange[] = offers
    .filter((o) => !seen.has(`${o.vendorId}|${o.productId}`))
    .map((o) => priceChangeOf(o, null, o.updatedAt));
  return [...history, ...seeds];
}
