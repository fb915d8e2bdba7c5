import type { RetailerId } from '../../shared/ids.js';
import { clamp } from '../shared/stats.js';
import type { CreditScoreInput } from './credit-score-input.js';
import { type CreditLimitRecommendation, recommendCreditLimit } from './credit-limit-rule.js';
import { computeScoreFactors, type ScoreFactor } from './score-factors.js';
import {
  bandFor,
  type CreditBand,
  resolveScoringConfig,
  SCORE_MAX,
  SCORE_MIN,
  SCORING_MODEL_VERSION,
  type ScoringConfig,
  type ScoringConfigOverrides,
} from './scoring-config.js';

/** A complete, self-explaining scorecard result: what is stored and shown to an auditor. */
export interface CreditScoreResult {
  readonly retailerId: RetailerId;
  readonly asOf: Date;
  readonly modelVersion: string;
  /** 300..900, an integer. */
  readonly score: number;
  readonly band: CreditBand;
  /** Each factor's raw value, normalised value, evidence, weight and points. */
  readonly factors: readonly ScoreFactor[];
  /** 0..1: share of evidence behind the payment and ordering factors (1 = a full file). */
  readonly evidence: { readonly invoices: number; readonly orders: number; readonly thinFile: boolean };
  readonly limit: CreditLimitRecommendation;
  /** The exact input and configuration, so the calculation can be replayed. */
  readonly input: CreditScoreInput;
  readonly config: ScoringConfig;
}

/**
 * Score a retailer: 300 + Σ (weight × normalised factor) × 600, rounded and clamped to
 * 300..900. Each normalised factor blends the observation with a conservative prior by
 * evidence weight, so a thin file drifts towards the prior instead of swinging on one
 * invoice. Pure and deterministic: same input and config, same result.
 */
export function scoreRetailer(input: CreditScoreInput, config: ScoringConfigOverrides = {}): CreditScoreResult {
  const resolved = resolveScoringConfig(config);
  const factors = computeScoreFactors(input, resolved);
  const points = factors.reduce((acc, f) => acc + f.points, 0);
  const score = clamp(Math.round(SCORE_MIN + points), SCORE_MIN, SCORE_MAX);
  const band = bandFor(score, resolved.bandFloors);
  const onTime = factors.find((f) => f.key === 'onTimeRatio')?.raw ?? null;
  const invoiceEvidence = Math.min(1, input.invoices.length / resolved.fullEvidenceInvoices);
  const orderEvidence = Math.min(1, input.orders.placedCount / resolved.fullEvidenceOrders);
  return {
    retailerId: input.retailerId,
    asOf: input.asOf,
    modelVersion: SCORING_MODEL_VERSION,
    score,
    band,
    factors: factors.map((f) => ({ ...f, points: Math.round(f.points * 100) / 100 })),
    evidence: { invoices: invoiceEvidence, orders: orderEvidence, thinFile: invoiceEvidence < 1 },
    limit: recommendCreditLimit(input, { band, onTimeRatio: onTime }, resolved.limit),
    input,
    config: resolved,
  };
}

/** The score a retailer with no invoices, no orders and no tenure gets (the prior). */
export function priorScore(config: ScoringConfigOverrides = {}): number {
  const c = resolveScoringConfig(config);
  const keys = Object.keys(c.weights) as (keyof ScoringConfig['weights'])[];
  const total = keys.reduce((a, k) => a + c.weights[k], 0);
  const points = keys.reduce((a, k) => a + (c.weights[k] / total) * (k === 'tenure' ? 0 : c.priors[k]), 0);
  return clamp(Math.round(SCORE_MIN + points * (SCORE_MAX - SCORE_MIN)), SCORE_MIN, SCORE_MAX);
}
