import { Money } from '../../shared/money.js';
import { floorToStep, sumMoney } from '../shared/money-stats.js';
import { elapsedDays } from '../shared/time.js';
import type { CreditScoreInput } from './credit-score-input.js';
import type { CreditBand, CreditLimitConfig, CreditLimitRuleId } from './scoring-config.js';

export type { CreditLimitRuleId };

export interface CreditLimitRecommendation {
  readonly current: Money;
  /** Where the limit would settle with this score and purchase volume. */
  readonly target: Money;
  readonly recommended: Money;
  readonly rule: CreditLimitRuleId;
  readonly explanation: string;
  /** Average invoiced value per 30 days over the lookback. */
  readonly monthlyPurchases: Money;
  /** Worst lateness among invoices still open. */
  readonly openMaxDaysPastDue: number;
}

export interface CreditLimitFacts {
  readonly band: CreditBand;
  /** Value-weighted on-time ratio, null without invoices. */
  readonly onTimeRatio: number | null;
}

/**
 * Limits rise slowly and fall fast:
 * 1. an open invoice ≥ freeze days late → 0;
 * 2. an open invoice ≥ cut days late → the lower of (current × cut) and the target;
 * 3. fewer invoices than `minInvoicesForChange` → unchanged (an operator set it);
 * 4. target below current → straight down to the target;
 * 5. target above current → up by at most +25 % (or to the starter limit from zero),
 *    only with an on-time ratio ≥ 90 % and nothing overdue; otherwise unchanged.
 * The target is average monthly purchases × a band multiple, never below the
 * starter limit for bands A–D.
 */
export function recommendCreditLimit(
  input: CreditScoreInput,
  facts: CreditLimitFacts,
  config: CreditLimitConfig,
): CreditLimitRecommendation {
  const current = input.creditLimit;
  const currency = current.currency;
  const tenureDays = Math.max(0, elapsedDays(input.accountOpenedAt, input.asOf));
  const lookback = Math.min(config.purchaseLookbackDays, Math.max(30, tenureDays));
  const recent = input.invoices.filter((i) => {
    const age = elapsedDays(i.issuedAt, input.asOf);
    return age >= 0 && age < lookback;
  });
  const monthlyPurchases = sumMoney(
    recent.map((i) => i.amount),
    currency,
  ).multiplyRatio(30, Math.round(lookback));
  let target = monthlyPurchases.percent(config.bandMultiplierBp[facts.band]);
  if (config.starterFloorBands.includes(facts.band)) target = target.max(Money.of(config.starterLimit, currency));
  target = floorToStep(target, config.roundingStep);
  const openMaxDaysPastDue = input.invoices
    .filter((i) => i.settledAt === null)
    .reduce((max, i) => Math.max(max, i.daysPastDue), 0);
  const base = { current, target, monthlyPurchases, openMaxDaysPastDue };
  const make = (rule: CreditLimitRuleId, recommended: Money, explanation: string): CreditLimitRecommendation => ({
    ...base,
    rule,
    recommended,
    explanation,
  });

  if (openMaxDaysPastDue >= config.overdueFreezeDays) {
    return make(
      'OVERDUE_FREEZE',
      Money.zero(currency),
      `an invoice is ${openMaxDaysPastDue} days past due (≥ ${config.overdueFreezeDays}): limit frozen at 0`,
    );
  }
  if (openMaxDaysPastDue >= config.overdueCutDays) {
    const cut = floorToStep(current.percent(config.overdueCutBp), config.roundingStep).min(target);
    return make(
      'OVERDUE_CUT',
      cut,
      `an invoice is ${openMaxDaysPastDue} days past due (≥ ${config.overdueCutDays}): limit cut to ${cut.format()}`,
    );
  }
  if (input.invoices.length < config.minInvoicesForChange) {
    return make(
      'THIN_FILE_HOLD',
      current,
      `only ${input.invoices.length} invoice(s); at least ${config.minInvoicesForChange} are needed to change the limit`,
    );
  }
  if (target.lessThan(current)) {
    return make(
      'DECREASE_TO_TARGET',
      target,
      `band ${facts.band} target ${target.format()} is below the current limit`,
    );
  }
  if (target.greaterThan(current)) {
    const onTime = facts.onTimeRatio ?? 0;
    if (onTime < config.minOnTimeRatioForIncrease || openMaxDaysPastDue > 0) {
      return make(
        'HOLD_PAYMENT_HISTORY',
        current,
        `target ${target.format()} is higher, but payment history does not yet allow an increase`,
      );
    }
    const step = current.isZero()
      ? Money.of(config.starterLimit, currency)
      : floorToStep(current.add(current.percent(config.maxIncreaseBp)), config.roundingStep);
    const recommended = step.min(target).max(current);
    return make(
      'GRADUAL_INCREASE',
      recommended,
      current.isZero()
        ? `good payment history: first limit set to the starter limit (target ${target.format()})`
        : `good payment history: limit raised towards ${target.format()} by at most ${config.maxIncreaseBp / 100} %`,
    );
  }
  return make('UNCHANGED', current, 'the current limit matches the target');
}
