import { clamp01, roundTo, stdDev, mean } from '../shared/stats.js';
import { elapsedDays } from '../shared/time.js';
import type { CreditScoreInput } from './credit-score-input.js';
import { SCORE_FACTOR_KEYS, SCORE_MAX, SCORE_MIN, type ScoreFactorKey, type ScoringConfig } from './scoring-config.js';

/** One line of the scorecard, with everything needed to explain it. */
export interface ScoreFactor {
  readonly key: ScoreFactorKey;
  readonly label: string;
  /** The measured value in its own unit (ratio, days, orders per month…); null = no data. */
  readonly raw: number | null;
  /** `raw` mapped to 0..1 (1 = best); null = no data. */
  readonly observed: number | null;
  readonly prior: number;
  /** 0..1: how much the observation is trusted over the prior. */
  readonly evidence: number;
  /** evidence × observed + (1 − evidence) × prior. */
  readonly normalised: number;
  /** Share of the 600-point range this factor controls (weights sum to 1). */
  readonly weight: number;
  /** normalised × weight × 600: this factor's contribution above 300. */
  readonly points: number;
}

export const FACTOR_LABELS: Readonly<Record<ScoreFactorKey, string>> = {
  onTimeRatio: 'Invoices paid on time (by value)',
  averageDaysPastDue: 'Average days past due (by value)',
  maxDaysPastDue: 'Worst days past due',
  utilisation: 'Credit utilisation',
  tenure: 'Time as a customer',
  orderFrequency: 'Orders per month',
  orderRegularity: 'Regularity of ordering',
  cancellations: 'Cancelled orders',
};

interface Observation {
  readonly raw: number | null;
  readonly observed: number | null;
  readonly evidence: number;
}

/** Measure every factor. Pure; the order of `SCORE_FACTOR_KEYS` is the order of the result. */
export function computeScoreFactors(input: CreditScoreInput, config: ScoringConfig): ScoreFactor[] {
  const observations = observe(input, config);
  const totalWeight = SCORE_FACTOR_KEYS.reduce((acc, k) => acc + config.weights[k], 0);
  return SCORE_FACTOR_KEYS.map((key) => {
    const o = observations[key];
    const prior = config.priors[key];
    const evidence = o.observed === null ? 0 : clamp01(o.evidence);
    const normalised = evidence * (o.observed ?? prior) + (1 - evidence) * prior;
    const weight = config.weights[key] / totalWeight;
    return {
      key,
      label: FACTOR_LABELS[key],
      raw: o.raw === null ? null : roundTo(o.raw),
      observed: o.observed === null ? null : roundTo(o.observed),
      prior,
      evidence: roundTo(evidence),
      normalised: roundTo(normalised, 6),
      weight: roundTo(weight, 6),
      points: normalised * weight * (SCORE_MAX - SCORE_MIN),
    };
  });
}

function observe(input: CreditScoreInput, c: ScoringConfig): Record<ScoreFactorKey, Observation> {
  const invoices = input.invoices;
  const payEvidence = Math.min(1, invoices.length / c.fullEvidenceInvoices);
  const orderEvidence = Math.min(1, input.orders.placedCount / c.fullEvidenceOrders);
  const totalValue = invoices.reduce((acc, i) => acc + i.amount.amount, 0);
  // Value-weighted so that one late NPR 200,000 invoice outweighs ten punctual NPR 500 ones.
  const byValue = (f: (dpd: number) => number): number | null =>
    totalValue > 0 ? invoices.reduce((acc, i) => acc + i.amount.amount * f(i.daysPastDue), 0) / totalValue : null;
  const onTime = byValue((dpd) => (dpd <= c.graceDays ? 1 : 0));
  const avgDpd = byValue((dpd) => dpd);
  const maxDpd = invoices.length > 0 ? Math.max(...invoices.map((i) => i.daysPastDue)) : null;

  const used = input.outstanding.amount + input.held.amount;
  const utilisation = input.creditLimit.amount > 0 ? Math.max(0, used / input.creditLimit.amount) : null;
  // Below the comfort level any utilisation is fine; above it the factor falls linearly to 0 at 100 %.
  const utilisationScore =
    utilisation === null
      ? null
      : clamp01(1 - Math.max(0, utilisation - c.utilisationComfort) / (1 - c.utilisationComfort));

  const tenureDays = Math.max(0, elapsedDays(input.accountOpenedAt, input.asOf));
  const dates = input.orders.orderDates
    .filter((d) => d.getTime() <= input.asOf.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  // Frequency over the lookback, but never over less than 30 days (a 2-day-old account is not "daily").
  const window = Math.min(c.frequencyLookbackDays, Math.max(30, tenureDays));
  const recent = dates.filter((d) => elapsedDays(d, input.asOf) < window).length;
  const perMonth = (recent * 30) / window;
  const regularity = coefficientOfVariation(dates);

  const cancelRatio = input.orders.placedCount > 0 ? input.orders.cancelledCount / input.orders.placedCount : null;

  return {
    onTimeRatio: { raw: onTime, observed: onTime, evidence: payEvidence },
    averageDaysPastDue: {
      raw: avgDpd,
      observed: avgDpd === null ? null : clamp01(1 - avgDpd / c.averageDaysPastDueZeroAt),
      evidence: payEvidence,
    },
    maxDaysPastDue: {
      raw: maxDpd,
      observed: maxDpd === null ? null : clamp01(1 - maxDpd / c.maxDaysPastDueZeroAt),
      evidence: payEvidence,
    },
    // Low utilisation on an account that has never been invoiced proves nothing: same evidence as payments.
    utilisation: { raw: utilisation, observed: utilisationScore, evidence: payEvidence },
    // Tenure is a fact, not a sample: always full evidence.
    tenure: { raw: tenureDays, observed: clamp01(tenureDays / c.tenureFullDays), evidence: 1 },
    orderFrequency: {
      raw: perMonth,
      observed: input.orders.placedCount > 0 ? clamp01(perMonth / c.frequencyFullPerMonth) : null,
      evidence: orderEvidence,
    },
    orderRegularity: {
      raw: regularity,
      observed: regularity === null ? null : clamp01(1 - regularity),
      evidence: regularity === null ? 0 : orderEvidence,
    },
    cancellations: {
      raw: cancelRatio,
      observed: cancelRatio === null ? null : clamp01(1 - cancelRatio / c.cancellationZeroAt),
      evidence: orderEvidence,
    },
  };
}

/**
 * Coefficient of variation (σ/μ) of the gaps between the last 13 orders: 0 = clockwork,
 * ≥ 1 = erratic. Needs three orders (two gaps); null otherwise.
 */
function coefficientOfVariation(dates: readonly Date[]): number | null {
  const recent = dates.slice(-13);
  if (recent.length < 3) return null;
  const gaps = recent.slice(1).map((d, i) => elapsedDays(recent[i] as Date, d));
  const m = mean(gaps) ?? 0;
  if (m <= 0) return 0;
  return (stdDev(gaps) ?? 0) / m;
}
