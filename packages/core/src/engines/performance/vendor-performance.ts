import type { VendorId } from '../../shared/ids.js';
import { byScoreDescThenId, compareStrings } from '../shared/stats.js';
import type { FulfilmentRecord, OfferRecord } from './performance-events.js';
import {
  DEFAULT_OFFER_TIMEOUT_MINUTES,
  DEFAULT_RELIABILITY_PRIOR,
  DEFAULT_RELIABILITY_WEIGHTS,
  type ReliabilityPrior,
  type ReliabilityWeights,
  smoothReliability,
  type VendorReliability,
  vendorReliability,
} from './vendor-reliability.js';
import type { VendorRating } from './vendor-rating.js';
import { type VendorWindowMetrics, vendorWindowMetrics } from './vendor-window-metrics.js';

export interface VendorPerformanceInput {
  readonly asOf: Date;
  /** Vendors to report on (e.g. every active vendor); vendors seen in the records are added. */
  readonly vendorIds?: readonly VendorId[];
  readonly offers: readonly OfferRecord[];
  readonly fulfilments: readonly FulfilmentRecord[];
  readonly ratings: readonly VendorRating[];
}

export interface VendorPerformanceConfig {
  readonly windows: readonly number[];
  /** Window whose metrics feed the composite reliability. */
  readonly reliabilityWindowDays: number;
  readonly weights: ReliabilityWeights;
  readonly offerTimeoutMinutes: number;
  readonly prior: ReliabilityPrior;
}

/** 30 days for reliability: recent enough to react to a bad month, long enough to hold a few dozen offers. */
export const DEFAULT_VENDOR_PERFORMANCE_CONFIG: VendorPerformanceConfig = {
  windows: [7, 30, 90],
  reliabilityWindowDays: 30,
  weights: DEFAULT_RELIABILITY_WEIGHTS,
  offerTimeoutMinutes: DEFAULT_OFFER_TIMEOUT_MINUTES,
  prior: DEFAULT_RELIABILITY_PRIOR,
};

export interface VendorPerformanceReport {
  readonly vendorId: VendorId;
  readonly asOf: Date;
  /** One entry per configured window, shortest first. */
  readonly windows: readonly VendorWindowMetrics[];
  readonly reliability: VendorReliability;
  /** Reliability after Bayesian smoothing towards the prior: what ranking and routing use. */
  readonly smoothedReliability: number;
}

/** Rolling metrics and reliability for every vendor, ordered by vendor id. */
export function computeVendorPerformance(
  input: VendorPerformanceInput,
  config: Partial<VendorPerformanceConfig> = {},
): VendorPerformanceReport[] {
  const c = { ...DEFAULT_VENDOR_PERFORMANCE_CONFIG, ...config };
  const windows = [...new Set([...c.windows, c.reliabilityWindowDays])].sort((a, b) => a - b);
  const ids = new Set<VendorId>(input.vendorIds ?? []);
  for (const r of [...input.offers, ...input.fulfilments, ...input.ratings]) ids.add(r.vendorId);
  return [...ids].sort(compareStrings).map((vendorId) => {
    const metrics = windows.map((w) => vendorWindowMetrics(vendorId, input, input.asOf, w));
    const forReliability = metrics.find((m) => m.windowDays === c.reliabilityWindowDays) as VendorWindowMetrics;
    const reliability = vendorReliability(vendorId, forReliability, c.weights, c.offerTimeoutMinutes);
    return {
      vendorId,
      asOf: input.asOf,
      windows: metrics.filter((m) => c.windows.includes(m.windowDays)),
      reliability,
      smoothedReliability: smoothReliability(reliability, c.prior),
    };
  });
}

export const VENDOR_RANKING_METRICS = [
  'reliability',
  'acceptanceRate',
  'fulfilmentRate',
  'onTimeDeliveryRate',
  'averageRating',
  'offers',
] as const;
export type VendorRankingMetric = (typeof VENDOR_RANKING_METRICS)[number];

export interface VendorRanking {
  readonly rank: number;
  readonly vendorId: VendorId;
  /** null = no data; such vendors rank last. */
  readonly value: number | null;
}

/**
 * Rank vendors by one metric, best first; vendors without data last; ties by vendor id.
 * `reliability` ranks by the smoothed value so that one lucky order does not top the chart.
 */
export function rankVendorPerformance(
  reports: readonly VendorPerformanceReport[],
  metric: VendorRankingMetric = 'reliability',
  windowDays = 30,
): VendorRanking[] {
  const metricOf = (r: VendorPerformanceReport): number | null => {
    if (metric === 'reliability') return r.smoothedReliability;
    const w = r.windows.find((m) => m.windowDays === windowDays);
    return w ? w[metric] : null;
  };
  const rows = reports.map((r) => ({ vendorId: r.vendorId, value: metricOf(r) }));
  const withData = rows.filter((r) => r.value !== null);
  const without = rows.filter((r) => r.value === null).sort((a, b) => compareStrings(a.vendorId, b.vendorId));
  withData.sort(
    byScoreDescThenId(
      (r) => r.value as number,
      (r) => r.vendorId,
    ),
  );
  return [...withData, ...without].map((r, i) => ({ rank: i + 1, vendorId: r.vendorId, value: r.value }));
}

/** The routing engine's reliability input, keyed by vendor. */
export function reliabilityByVendor(reports: readonly VendorPerformanceReport[]): Map<VendorId, VendorReliability> {
  return new Map(reports.map((r) => [r.vendorId, r.reliability]));
}
