import { conversionFactor, type Product } from '../../catalog/product.js';
import { MS_PER_DAY } from '../../shared/clock.js';
import type { ProductId, RetailerId } from '../../shared/ids.js';
import type { Unit } from '../../shared/quantity.js';
import { compareStrings, median, roundTo } from '../shared/stats.js';
import type { DemandEvent } from './demand-events.js';
import { type ConfidenceLevel, type DemandForecastConfig, forecastDemand } from './demand-forecast.js';

export interface ReorderConfig {
  /** Suggest products due within this many days from asOf (or already overdue). */
  readonly horizonDays: number;
  /** A product needs this many orders before its rhythm means anything. */
  readonly minOrders: number;
  readonly forecast: Partial<DemandForecastConfig>;
}

export const DEFAULT_REORDER_CONFIG: ReorderConfig = { horizonDays: 2, minOrders: 2, forecast: {} };

export interface ReorderSuggestion {
  readonly retailerId: RetailerId;
  readonly productId: ProductId;
  /** lastOrderedAt + the retailer's usual interval for this product. */
  readonly dueAt: Date;
  readonly lastOrderedAt: Date;
  readonly typicalIntervalDays: number;
  /** Suggested amount in the unit the retailer orders this product in most often, rounded up. */
  readonly quantity: number;
  readonly unit: Unit;
  /** The same in the product's base unit (forecast per day × typical interval). */
  readonly baseQuantity: number;
  readonly confidence: number;
  readonly confidenceLevel: ConfidenceLevel;
  readonly reason: string;
}

/**
 * Products a retailer is due to reorder: the next order is expected one typical interval
 * (median gap between its orders of that product) after the last one; the quantity is
 * what the smoothed forecast says it uses over such an interval. Ordered by due date,
 * then product id.
 */
export function suggestReorders(
  retailerId: RetailerId,
  events: readonly DemandEvent[],
  products: readonly Product[],
  asOf: Date,
  config: Partial<ReorderConfig> = {},
): ReorderSuggestion[] {
  const c = { ...DEFAULT_REORDER_CONFIG, ...config };
  const mine = events.filter((e) => e.retailerId === retailerId && e.at.getTime() <= asOf.getTime());
  const productIds = [...new Set(mine.map((e) => e.productId))].sort(compareStrings);
  const byId = new Map(products.map((p) => [p.id, p]));
  const out: ReorderSuggestion[] = [];
  for (const productId of productIds) {
    const product = byId.get(productId);
    const evs = mine.filter((e) => e.productId === productId).sort((a, b) => a.at.getTime() - b.at.getTime());
    const days = [...new Set(evs.map((e) => Math.floor(e.at.getTime() / MS_PER_DAY)))];
    if (!product || days.length < c.minOrders) continue;
    const gaps = days.slice(1).map((d, i) => d - (days[i] as number));
    const interval = Math.max(1, median(gaps) ?? 1);
    const last = evs.at(-1) as DemandEvent;
    const dueAt = new Date(last.at.getTime() + interval * MS_PER_DAY);
    if (dueAt.getTime() > asOf.getTime() + c.horizonDays * MS_PER_DAY) continue;
    const forecast = forecastDemand(retailerId, productId, evs, asOf, c.forecast);
    const baseQuantity = (forecast.forecastPerPeriod / forecast.periodDays) * interval;
    if (baseQuantity <= 0) continue;
    const usual = usualUnit(evs);
    const factor = conversionFactor(product, usual, product.baseUnit);
    const unit = factor === undefined ? product.baseUnit : usual;
    const inUnit = factor === undefined ? baseQuantity : baseQuantity / factor;
    const quantity = Math.max(1, Math.ceil(roundTo(inUnit, 6)));
    const overdue = Math.floor((asOf.getTime() - dueAt.getTime()) / MS_PER_DAY);
    out.push({
      retailerId,
      productId,
      dueAt,
      lastOrderedAt: last.at,
      typicalIntervalDays: interval,
      quantity,
      unit,
      baseQuantity: roundTo(baseQuantity, 3),
      confidence: forecast.confidence,
      confidenceLevel: forecast.confidenceLevel,
      reason:
        overdue > 0
          ? `usually reordered every ${interval} days; ${overdue} day(s) overdue`
          : `usually reordered every ${interval} days; due ${dueAt.toISOString().slice(0, 10)}`,
    });
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || compareStrings(a.productId, b.productId));
}

/** The unit this product is most often ordered in; ties by unit name. */
function usualUnit(events: readonly DemandEvent[]): Unit {
  const counts = new Map<Unit, number>();
  for (const e of events) counts.set(e.orderedUnit, (counts.get(e.orderedUnit) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))[0]?.[0] as Unit;
}
