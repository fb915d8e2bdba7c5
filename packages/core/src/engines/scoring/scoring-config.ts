import { ValidationError } from '../../shared/errors.js';

/** Which rule produced a recommended limit (first match wins, in this order). */
export type CreditLimitRuleId =
  | 'OVERDUE_FREEZE'
  | 'OVERDUE_CUT'
  | 'THIN_FILE_HOLD'
  | 'DECREASE_TO_TARGET'
  | 'GRADUAL_INCREASE'
  | 'HOLD_PAYMENT_HISTORY'
  | 'UNCHANGED';

/** What made a score be calculated. */
export type CreditScoreTrigger = 'PAYMENT' | 'DELIVERY' | 'NIGHTLY' | 'MANUAL' | 'ONBOARDING';

export const SCORE_MIN = 300;
export const SCORE_MAX = 900;
export const SCORING_MODEL_VERSION = 'scorecard-v1';

export const SCORE_FACTOR_KEYS = [
  'onTimeRatio',
  'averageDaysPastDue',
  'maxDaysPastDue',
  'utilisation',
  'tenure',
  'orderFrequency',
  'orderRegularity',
  'cancellations',
] as const;
export type ScoreFactorKey = (typeof SCORE_FACTOR_KEYS)[number];

export type CreditBand = 'A' | 'B' | 'C' | 'D' | 'E';

export interface CreditLimitConfig {
  /** Most a limit may rise in one recalculation, in basis points (2500 = +25 %). */
  readonly maxIncreaseBp: number;
  /** The first step for an account whose limit is zero (minor units). */
  readonly starterLimit: number;
  /** Target limit = average monthly purchases × this (basis points), per band. */
  readonly bandMultiplierBp: Readonly<Record<CreditBand, number>>;
  /** Bands whose target never falls below `starterLimit`. */
  readonly starterFloorBands: readonly CreditBand[];
  /** An open invoice this many days past due cuts the limit by `overdueCutBp`. */
  readonly overdueCutDays: number;
  readonly overdueCutBp: number;
  /** An open invoice this many days past due freezes the limit at zero. */
  readonly overdueFreezeDays: number;
  /** Increases need at least this many invoices and this value-weighted on-time ratio. */
  readonly minInvoicesForChange: number;
  readonly minOnTimeRatioForIncrease: number;
  /** Purchases are averaged over this many days to get a monthly figure. */
  readonly purchaseLookbackDays: number;
  /** Limits are floored to a multiple of this (minor units): NPR 100. */
  readonly roundingStep: number;
}

export interface ScoringConfig {
  /** Factor weights; normalised to sum to 1, so only their proportions matter. */
  readonly weights: Readonly<Record<ScoreFactorKey, number>>;
  /** Normalised value (0..1) assumed for a factor with no evidence: the conservative prior. */
  readonly priors: Readonly<Record<ScoreFactorKey, number>>;
  /** Invoices (payment factors) / orders (order factors) at which evidence is complete. */
  readonly fullEvidenceInvoices: number;
  readonly fullEvidenceOrders: number;
  /** Days of grace after the due date still counted as on time. */
  readonly graceDays: number;
  /** Normalisation anchors: value at which a factor reaches 0 (or 1 for tenure/frequency). */
  readonly averageDaysPastDueZeroAt: number;
  readonly maxDaysPastDueZeroAt: number;
  readonly utilisationComfort: number;
  readonly tenureFullDays: number;
  readonly frequencyFullPerMonth: number;
  readonly frequencyLookbackDays: number;
  readonly cancellationZeroAt: number;
  /** Lower bound of each band (E is everything below D). */
  readonly bandFloors: Readonly<Record<Exclude<CreditBand, 'E'>, number>>;
  readonly limit: CreditLimitConfig;
}

/*
 * Judgement calls (documented because they decide people's credit):
 * - Payment behaviour carries half the weight (on-time 25, average lateness 15, worst
 *   lateness 10): it is what a lender actually loses money on. Utilisation 15,
 *   cancellations 10, tenure 10, frequency 8, regularity 7.
 * - Priors are 0.5 ("average, unproven") for every factor except tenure, which is a
 *   fact (a new account has none). A retailer with no history therefore scores
 *   300 + 600 × 0.9 × 0.5 = 570: band D, a modest, conservative start.
 * - Evidence ramps linearly to full at 6 invoices / 6 orders: about two months of
 *   weekly restocking on 15-day terms.
 * - Bands: A ≥ 750, B ≥ 680, C ≥ 600, D ≥ 520, E below.
 */
export const DEFAULT_SCORING_CONFIG: ScoringConfig = {
  weights: {
    onTimeRatio: 0.25,
    averageDaysPastDue: 0.15,
    maxDaysPastDue: 0.1,
    utilisation: 0.15,
    tenure: 0.1,
    orderFrequency: 0.08,
    orderRegularity: 0.07,
    cancellations: 0.1,
  },
  priors: {
    onTimeRatio: 0.5,
    averageDaysPastDue: 0.5,
    maxDaysPastDue: 0.5,
    utilisation: 0.5,
    tenure: 0,
    orderFrequency: 0.5,
    orderRegularity: 0.5,
    cancellations: 0.5,
  },
  fullEvidenceInvoices: 6,
  fullEvidenceOrders: 6,
  graceDays: 0,
  averageDaysPastDueZeroAt: 30,
  maxDaysPastDueZeroAt: 90,
  utilisationComfort: 0.3,
  tenureFullDays: 365,
  frequencyFullPerMonth: 4,
  frequencyLookbackDays: 90,
  cancellationZeroAt: 0.3,
  bandFloors: { A: 750, B: 680, C: 600, D: 520 },
  limit: {
    maxIncreaseBp: 2500,
    starterLimit: 1_000_000, // NPR 10,000
    bandMultiplierBp: { A: 20_000, B: 15_000, C: 10_000, D: 5_000, E: 2_500 },
    starterFloorBands: ['A', 'B', 'C', 'D'],
    overdueCutDays: 15,
    overdueCutBp: 5_000,
    overdueFreezeDays: 60,
    minInvoicesForChange: 3,
    minOnTimeRatioForIncrease: 0.9,
    purchaseLookbackDays: 90,
    roundingStep: 10_000,
  },
};

export interface ScoringConfigOverrides extends Partial<Omit<ScoringConfig, 'weights' | 'priors' | 'limit'>> {
  readonly weights?: Partial<Record<ScoreFactorKey, number>>;
  readonly priors?: Partial<Record<ScoreFactorKey, number>>;
  readonly limit?: Partial<CreditLimitConfig>;
}

/** Merge overrides onto the defaults and validate the result. */
export function resolveScoringConfig(overrides: ScoringConfigOverrides = {}): ScoringConfig {
  const config: ScoringConfig = {
    ...DEFAULT_SCORING_CONFIG,
    ...overrides,
    weights: { ...DEFAULT_SCORING_CONFIG.weights, ...overrides.weights },
    priors: { ...DEFAULT_SCORING_CONFIG.priors, ...overrides.priors },
    limit: { ...DEFAULT_SCORING_CONFIG.limit, ...overrides.limit },
  };
  const weights = SCORE_FACTOR_KEYS.map((k) => config.weights[k]);
  if (weights.some((w) => !Number.isFinite(w) || w < 0) || weights.reduce((a, b) => a + b, 0) <= 0) {
    throw new ValidationError('scoring weights must be ≥ 0 and not all zero', { weights: config.weights });
  }
  if (SCORE_FACTOR_KEYS.some((k) => !(config.priors[k] >= 0 && config.priors[k] <= 1))) {
    throw new ValidationError('scoring priors must be within 0..1', { priors: config.priors });
  }
  if (config.fullEvidenceInvoices < 1 || config.fullEvidenceOrders < 1) {
    throw new ValidationError('full evidence thresholds must be ≥ 1');
  }
  return config;
}

export function bandFor(score: number, floors: ScoringConfig['bandFloors']): CreditBand {
  if (score >= floors.A) return 'A';
  if (score >= floors.B) return 'B';
  if (score >= floors.C) return 'C';
  if (score >= floors.D) return 'D';
  return 'E';
}
