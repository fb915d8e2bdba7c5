import { MS_PER_DAY } from '../../shared/clock.js';
import type { RetailerId } from '../../shared/ids.js';
import { clamp01, median, roundTo } from '../shared/stats.js';

export interface ChurnConfig {
  readonly lookbackDays: number;
  /** Assumed ordering interval until a retailer has two orders. */
  readonly defaultIntervalDays: number;
  /** Orders in the lookback that count as fully active. */
  readonly activeOrders: number;
  /** Recency risk is 0 within one usual interval and 1 at this many intervals. */
  readonly lostAtIntervals: number;
  readonly recencyWeight: number;
}

/*
 * Judgement calls: recency relative to the retailer's own rhythm dominates (70 %), since a
 * weekly buyer silent for three weeks is more alarming than a monthly one; frequency
 * (orders in 90 days, 6 = active) adds 30 %. Four missed intervals = fully lost.
 */
export const DEFAULT_CHURN_CONFIG: ChurnConfig = {
  lookbackDays: 90,
  defaultIntervalDays: 14,
  activeOrders: 6,
  lostAtIntervals: 4,
  recencyWeight: 0.7,
};

export type ChurnLevel = 'LOW' | 'MEDIUM' | 'HIGH';

export interface ChurnRisk {
  readonly retailerId: RetailerId;
  /** 0..1, higher = more likely gone. */
  readonly score: number;
  readonly level: ChurnLevel;
  /** Days since the last order; null when it never ordered. */
  readonly recencyDays: number | null;
  /** Median gap between its last orders (or the default). */
  readonly expectedIntervalDays: number;
  readonly ordersInLookback: number;
  readonly components: { readonly recency: number; readonly frequency: number };
}

export function churnLevel(score: number): ChurnLevel {
  return score >= 0.67 ? 'HIGH' : score >= 0.34 ? 'MEDIUM' : 'LOW';
}

/** Churn risk from recency and frequency of (served) orders. A retailer that never ordered is HIGH. */
export function churnRisk(
  retailerId: RetailerId,
  orderDates: readonly Date[],
  asOf: Date,
  config: Partial<ChurnConfig> = {},
): ChurnRisk {
  const c = { ...DEFAULT_CHURN_CONFIG, ...config };
  const dates = orderDates.filter((d) => d.getTime() <= asOf.getTime()).sort((a, b) => a.getTime() - b.getTime());
  const last = dates.at(-1);
  if (!last) {
    return {
      retailerId,
      score: 1,
      level: 'HIGH',
      recencyDays: null,
      expectedIntervalDays: c.defaultIntervalDays,
      ordersInLookback: 0,
      components: { recency: 1, frequency: 1 },
    };
  }
  const recent = dates.slice(-11);
  const gaps = recent.slice(1).map((d, i) => (d.getTime() - (recent[i] as Date).getTime()) / MS_PER_DAY);
  const interval = Math.max(1, median(gaps) ?? c.defaultIntervalDays);
  const recencyDays = (asOf.getTime() - last.getTime()) / MS_PER_DAY;
  const recency = clamp01((recencyDays / interval - 1) / (c.lostAtIntervals - 1));
  const inLookback = dates.filter((d) => asOf.getTime() - d.getTime() < c.lookbackDays * MS_PER_DAY).length;
  const frequency = clamp01(1 - inLookback / c.activeOrders);
  const score = roundTo(c.recencyWeight * recency + (1 - c.recencyWeight) * frequency, 4);
  return {
    retailerId,
    score,
    level: churnLevel(score),
    recencyDays: roundTo(recencyDays, 2),
    expectedIntervalDays: roundTo(interval, 2),
    ordersInLookback: inLookback,
    components: { recency: roundTo(recency, 4), frequency: roundTo(frequency, 4) },
  };
}
