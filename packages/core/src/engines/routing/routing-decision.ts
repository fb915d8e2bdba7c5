import type { OrderId, ProductId, VendorId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import type { RoutingWeights } from './routing-input.js';

/** Each factor in 0..1 (1 = best). */
export interface RoutingFactorScores {
  readonly price: number;
  readonly coverage: number;
  readonly reliability: number;
  readonly distance: number;
  readonly load: number;
}

export interface RoutingCandidate {
  /** 1 = the vendor to offer the order to next. */
  readonly rank: number;
  readonly vendorId: VendorId;
  /** Σ weight × factor, 0..1. */
  readonly score: number;
  readonly factors: RoutingFactorScores;
  /** Covers every line in full. */
  readonly fullCoverage: boolean;
  readonly coveredLines: number;
  readonly uncoveredLineIndexes: readonly number[];
  /** The offered lines priced at this vendor's offers. */
  readonly estimatedCost: Money;
  readonly distanceKm: number | null;
  readonly confirmedToday: number;
  readonly dailyCapacity: number;
  /** Answered offers behind the reliability figure (0 = prior only). */
  readonly reliabilitySamples: number;
}

export const ROUTING_EXCLUSION_REASONS = [
  'INACTIVE',
  'OUTSIDE_AREA',
  'ALREADY_TRIED',
  'AT_CAPACITY',
  'NO_MATCHING_OFFERS',
] as const;
export type RoutingExclusionReason = (typeof ROUTING_EXCLUSION_REASONS)[number];

export interface ExcludedVendor {
  readonly vendorId: VendorId;
  readonly reason: RoutingExclusionReason;
  readonly detail: string;
}

export interface UncoveredLine {
  readonly lineIndex: number;
  readonly productId: ProductId;
  readonly sku: string;
}

/** A routing decision with everything needed to explain it (stored per attempt). */
export interface RoutingDecision {
  readonly orderId: OrderId;
  readonly decidedAt: Date;
  /** Normalised weights used. */
  readonly weights: RoutingWeights;
  /** Rank 1, or null when no candidate is left (→ manual assignment). */
  readonly selectedVendorId: VendorId | null;
  /** Ranked best first. */
  readonly candidates: readonly RoutingCandidate[];
  /** Ordered by vendor id. */
  readonly excluded: readonly ExcludedVendor[];
  /** Some candidate covers every line in full. */
  readonly fullCoverage: boolean;
  /** Lines the selected vendor does not cover in full (all lines when none is selected). */
  readonly uncoveredLines: readonly UncoveredLine[];
  /** Lines no candidate covers in full. */
  readonly linesCoveredByNoCandidate: readonly UncoveredLine[];
}
