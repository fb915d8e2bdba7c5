import type { VendorId } from '../../shared/ids.js';
import { clamp01, roundTo } from '../shared/stats.js';
import type { VendorWindowMetrics } from './vendor-window-metrics.js';

export interface ReliabilityComponents {
  readonly acceptance: number | null;
  readonly fulfilment: number | null;
  readonly onTime: number | null;
  /** (averageRating − 1) / 4. */
  readonly rating: number | null;
  /** 1 − median response / offer timeout: answering at once is 1, at the deadline 0. */
  readonly responsiveness: number | null;
}

/** A vendor's composite reliability (0..1) from one window, before any smoothing. */
export interface VendorReliability {
  readonly vendorId: VendorId;
  readonly windowDays: number;
  /** Weighted mean of the available components; null when none is available. */
  readonly score: number | null;
  /** Answered offers in the window: the evidence behind the score (for Bayesian smoothing). */
  readonly sampleSize: number;
  readonly components: ReliabilityComponents;
}

export type ReliabilityWeights = Readonly<Record<keyof ReliabilityComponents, number>>;

/*
 * Judgement call: accepting offers matters most for routing (a rejection costs the
 * retailer 15 minutes), then actually delivering, then delivering on time; ratings and
 * response speed refine. Missing components are dropped and the rest re-weighted.
 */
export const DEFAULT_RELIABILITY_WEIGHTS: ReliabilityWeights = {
  acceptance: 0.35,
  fulfilment: 0.25,
  onTime: 0.2,
  rating: 0.1,
  responsiveness: 0.1,
};

export const DEFAULT_OFFER_TIMEOUT_MINUTES = 15;

export function vendorReliability(
  vendorId: VendorId,
  metrics: VendorWindowMetrics,
  weights: ReliabilityWeights = DEFAULT_RELIABILITY_WEIGHTS,
  offerTimeoutMinutes = DEFAULT_OFFER_TIMEOUT_MINUTES,
): VendorReliability {
  const components: ReliabilityComponents = {
    acceptance: metrics.acceptanceRate,
    fulfilment: metrics.fulfilmentRate,
    onTime: metrics.onTimeDeliveryRate,
    rating: metrics.averageRating === null ? null : clamp01((metrics.averageRating - 1) / 4),
    responsiveness:
      metrics.medianResponseMinutes === null ? null : clamp01(1 - metrics.medianResponseMinutes / offerTimeoutMinutes),
  };
  let num = 0;
  let den = 0;
  for (const key of Object.keys(weights) as (keyof ReliabilityComponents)[]) {
    const value = components[key];
    if (value === null) continue;
    num += value * weights[key];
    den += weights[key];
  }
  return {
    vendorId,
    windowDays: metrics.windowDays,
    score: den > 0 ? roundTo(num / den, 6) : null,
    sampleSize: metrics.accepted + metrics.rejected + metrics.expired,
    components,
  };
}

/** Beta-style prior: the reliability assumed for a vendor without history, worth `weight` answered offers. */
export interface ReliabilityPrior {
  readonly mean: number;
  readonly weight: number;
}

/*
 * Judgement call: 0.7 is a typical acceptance-led reliability for a wholesale network and
 * 10 pseudo-offers means a vendor needs about two weeks of real traffic before its own
 * record dominates. Prefer `platformReliabilityPrior` (the network's actual average).
 */
export const DEFAULT_RELIABILITY_PRIOR: ReliabilityPrior = { mean: 0.7, weight: 10 };

/**
 * Bayesian (pseudo-count) smoothing: (score × n + mean × k) / (n + k). A new vendor gets
 * the prior mean exactly (neither punished nor favoured); a handful of orders moves it
 * only a little; a long record speaks for itself.
 */
export function smoothReliability(
  reliability: Pick<VendorReliability, 'score' | 'sampleSize'> | undefined,
  prior: ReliabilityPrior = DEFAULT_RELIABILITY_PRIOR,
): number {
  if (!reliability || reliability.score === null || reliability.sampleSize <= 0) return prior.mean;
  const n = reliability.sampleSize;
  return (reliability.score * n + prior.mean * prior.weight) / (n + prior.weight);
}

/** The sample-weighted mean reliability of the network, as a prior (falls back to the default mean). */
export function platformReliabilityPrior(
  all: readonly Pick<VendorReliability, 'score' | 'sampleSize'>[],
  weight = DEFAULT_RELIABILITY_PRIOR.weight,
): ReliabilityPrior {
  let num = 0;
  let den = 0;
  for (const r of all) {
    if (r.score === null || r.sampleSize <= 0) continue;
    num += r.score * r.sampleSize;
    den += r.sampleSize;
  }
  return { mean: den > 0 ? roundTo(num / den, 6) : DEFAULT_RELIABILITY_PRIOR.mean, weight };
}
