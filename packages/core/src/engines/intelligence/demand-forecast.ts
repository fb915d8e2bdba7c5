import { MS_PER_DAY } from '../../shared/clock.js';
import type { ProductId, RetailerId } from '../../shared/ids.js';
import { clamp01, mean, roundTo } from '../shared/stats.js';
import type { DemandEvent } from './demand-events.js';

export interface DemandForecastConfig {
  /** Bucket length in days. */
  readonly periodDays: number;
  /** Smoothing factor: higher reacts faster to the latest period. */
  readonly alpha: number;
  /** At most this many periods of history are used. */
  readonly maxPeriods: number;
  /** Periods of history at which the evidence part of the confidence is complete. */
  readonly fullEvidencePeriods: number;
}

/*
 * Judgement calls: weekly buckets (kirana shops restock weekly), α = 0.3 (a quarter of
 * the weight on the last month), half a year of history, confidence complete at 8 weeks.
 */
export const DEFAULT_DEMAND_FORECAST_CONFIG: DemandForecastConfig = {
  periodDays: 7,
  alpha: 0.3,
  maxPeriods: 26,
  fullEvidencePeriods: 8,
};

export interface DemandPeriod {
  /** Exclusive start, inclusive end: (start, end]. */
  readonly start: Date;
  readonly end: Date;
  readonly quantity: number;
}

export type ConfidenceLevel = 'LOW' | 'MEDIUM' | 'HIGH';

export interface DemandForecast {
  readonly retailerId: RetailerId;
  readonly productId: ProductId;
  readonly method: 'SIMPLE_EXPONENTIAL_SMOOTHING';
  readonly alpha: number;
  readonly periodDays: number;
  /** Oldest first; the last one ends at asOf. */
  readonly periods: readonly DemandPeriod[];
  /** Expected base-unit quantity in the next period. */
  readonly forecastPerPeriod: number;
  /**
   * 0..1 = evidence (periods / full) × accuracy (1 − mean absolute one-step error / mean
   * demand). With a single period the accuracy is unknown and taken as 0.5.
   */
  readonly confidence: number;
  readonly confidenceLevel: ConfidenceLevel;
}

export function confidenceLevel(confidence: number): ConfidenceLevel {
  return confidence >= 0.7 ? 'HIGH' : confidence >= 0.4 ? 'MEDIUM' : 'LOW';
}

/**
 * Forecast one retailer × product by simple exponential smoothing over period buckets
 * ending at `asOf`. Empty periods are zeros (the retailer bought none), which is what
 * makes intermittent demand come out lower than the size of a typical order.
 */
export function forecastDemand(
  retailerId: RetailerId,
  productId: ProductId,
  events: readonly DemandEvent[],
  asOf: Date,
  config: Partial<DemandForecastConfig> = {},
): DemandForecast {
  const c = { ...DEFAULT_DEMAND_FORECAST_CONFIG, ...config };
  const periodMs = c.periodDays * MS_PER_DAY;
  const relevant = events.filter(
    (e) => e.retailerId === retailerId && e.productId === productId && e.at.getTime() <= asOf.getTime(),
  );
  const base = {
    retailerId,
    productId,
    method: 'SIMPLE_EXPONENTIAL_SMOOTHING' as const,
    alpha: c.alpha,
    periodDays: c.periodDays,
  };
  if (relevant.length === 0) {
    return { ...base, periods: [], forecastPerPeriod: 0, confidence: 0, confidenceLevel: 'LOW' };
  }
  const firstAt = Math.min(...relevant.map((e) => e.at.getTime()));
  const span = asOf.getTime() - firstAt;
  const count = Math.min(c.maxPeriods, Math.max(1, Math.floor(span / periodMs) + 1));
  const periods: DemandPeriod[] = [];
  for (let i = 0; i < count; i++) {
    const end = asOf.getTime() - (count - 1 - i) * periodMs;
    const start = end - periodMs;
    const quantity = relevant
      .filter((e) => e.at.getTime() > start && e.at.getTime() <= end)
      .reduce((a, e) => a + e.baseQuantity, 0);
    periods.push({ start: new Date(start), end: new Date(end), quantity: roundTo(quantity, 3) });
  }
  const xs = periods.map((p) => p.quantity);
  let level = xs[0] ?? 0;
  const errors: number[] = [];
  for (const x of xs.slice(1)) {
    errors.push(Math.abs(x - level));
    level = c.alpha * x + (1 - c.alpha) * level;
  }
  const avg = mean(xs) ?? 0;
  const accuracy = errors.length === 0 ? 0.5 : avg > 0 ? clamp01(1 - (mean(errors) ?? 0) / avg) : 0;
  const confidence = roundTo(Math.min(1, count / c.fullEvidencePeriods) * accuracy, 4);
  return {
    ...base,
    periods,
    forecastPerPeriod: roundTo(level, 3),
    confidence,
    confidenceLevel: confidenceLevel(confidence),
  };
}
